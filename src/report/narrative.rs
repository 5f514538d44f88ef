//! The narrative 自评工作总结 (RULES.md §5): every number from the scores, the prose the user's.

use super::*;

// ---------------------------------------------------------------------------------
// The narrative

const CIRCLED: [&str; 10] = ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩"];

fn prose(blocks: &mut Vec<Block>, text: &str, empty: &str) {
    let mut any = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        blocks.push(Block::Paragraph(line.to_string()));
        any = true;
    }
    if !any {
        blocks.push(Block::Paragraph(empty.to_string()));
    }
}

/// `<单位>_<年度>`, the start of every exported file's name.
pub fn file_stem(unit: &Unit) -> String {
    let name = if unit.name.trim().is_empty() {
        "未命名单位"
    } else {
        unit.name.trim()
    };
    format!("{name}_{}", year_text(unit))
}

pub(super) fn year_text(unit: &Unit) -> String {
    unit.year
        .value()
        .map(|y| y.to_string())
        .unwrap_or_else(|| "____".into())
}

pub(super) fn narrative(unit: &Unit, scores: &Scores) -> Vec<Block> {
    let mut b = Vec::new();
    let u = &scores.unit;
    let year = year_text(unit);
    b.push(Block::Title(unit.name.clone()));
    b.push(Block::Title(format!(
        "{year}年度部门本级预算绩效自评工作总结"
    )));
    if !unit.addressee.trim().is_empty() {
        b.push(Block::Salutation(format!("{}：", unit.addressee.trim())));
    }
    let basis = match (unit.basis.trim(), unit.basis_number.trim()) {
        ("", _) => "根据预算绩效管理有关要求".to_string(),
        (name, "") => format!("根据《{name}》"),
        (name, number) => format!("根据《{name}》（{number}）"),
    };
    b.push(Block::Paragraph(format!(
        "{basis}，我单位认真组织，根据年初制定的绩效目标，对本单位{year}年度预算支出开展绩效自评，现将自评结果报告如下："
    )));

    b.push(Block::Heading1("一、自评工作开展情况".into()));
    prose(&mut b, &unit.narrative.work_done, "（待填写）");

    b.push(Block::Heading1("二、自评结果概述".into()));
    b.push(Block::Heading2("（一）总体绩效目标完成情况".into()));
    let names: Vec<&str> = unit.projects.iter().map(|p| p.name.trim()).collect();
    b.push(Block::Paragraph(format!(
        "当年财政预算{}万元，全年支出{}万元，执行率{}。全年本级预算项目数{}个，绩效自评项目数{}个，自评覆盖率{}%。开展的具体项目有{}{}个项目，根据自评情况，自评结果{}。",
        opt(u.budget, money),
        opt(u.executed, money),
        opt(u.rate, percent),
        u.projects,
        u.evaluated,
        opt(u.coverage_percent, fmt2),
        names.join("、"),
        names.len(),
        grade_counts_text(scores)
    )));
    // The unit form's own score, when it has an indicator block.
    if let (Some(total), Some(grade)) = (u.total, &u.grade) {
        if let Some(Block::Paragraph(text)) = b.last_mut() {
            text.push_str(&format!(
                "部门整体支出绩效自评得分为{}分，等级为{grade}。",
                fmt2(total)
            ));
        }
    }
    b.push(Block::Heading2("（二）项目绩效目标完成情况".into()));
    if !unit.narrative.goals_summary.trim().is_empty() {
        prose(&mut b, &unit.narrative.goals_summary, "");
    }
    b.push(Block::Heading3("1、年度总体绩效目标".into()));
    prose(&mut b, &unit.goal.expected, "（待填写）");
    b.push(Block::Heading3("2、年度总体绩效目标完成情况".into()));
    prose(&mut b, &unit.goal.actual, "（待填写）");
    b.push(Block::Heading2("（三）偏差原因及改进措施".into()));
    prose(&mut b, &unit.narrative.deviation, "（待填写）");

    b.push(Block::Paragraph(format!(
        "{year}年，本部门本级预算支出项目{}个，当年财政预算{}万元，全年支出{}万元，执行率{}。分项目自评情况分析如下：",
        u.projects,
        opt(u.budget, money),
        opt(u.executed, money),
        opt(u.rate, percent)
    )));
    for (i, (p, s)) in unit.projects.iter().zip(&scores.projects).enumerate() {
        project_narrative(&mut b, i, p, s);
    }

    b.push(Block::Heading1("三、下一步工作措施".into()));
    prose(&mut b, &unit.narrative.next_steps, "（待填写）");
    b.push(Block::Paragraph(format!(
        "附表：1、{}  2、{}",
        "预算项目支出绩效自评表", "部门整体支出绩效自评表"
    )));
    b.push(Block::Signature(unit.name.clone()));
    if !unit.date.trim().is_empty() {
        b.push(Block::Signature(unit.date.trim().to_string()));
    }
    b
}

fn project_narrative(b: &mut Vec<Block>, i: usize, p: &Project, s: &ProjectScore) {
    b.push(Block::Heading3(format!("{}、{}", i + 1, p.name.trim())));
    let fiscal = p
        .funds
        .fiscal
        .as_ref()
        .and_then(|f| f.executed.value())
        .map(|x| format!("财政拨款执行{}万元，", money(x)))
        .unwrap_or_default();
    b.push(Block::Paragraph(format!(
        "（1）项目支出预算执行情况：当年财政预算{}万元，{fiscal}全年执行支出{}万元，预算执行率{}，预算执行得分{}分（分值{}分）。",
        opt(s.budget, money),
        opt(s.executed, money),
        opt(s.rate, percent),
        opt(s.execution_score, fmt2),
        fmt_plain(s.execution_weight)
    )));
    b.push(Block::Paragraph(format!(
        "（2）总体绩效目标完成情况：预期目标：{}实际完成情况：{}",
        with_stop(&p.goal.expected),
        with_stop(&p.goal.actual)
    )));
    b.push(Block::Paragraph("（3）各项指标完成情况分析：".into()));
    for (k, level) in s.levels.iter().filter(|l| !l.weight.is_zero()).enumerate() {
        let mut text = format!(
            "{}{}：分值{}分，得分{}分。",
            CIRCLED.get(k).copied().unwrap_or("·"),
            level.name,
            fmt_plain(level.weight),
            opt(level.score, fmt2)
        );
        for (ind, score) in p.indicators.iter().zip(&s.indicators) {
            if crate::value::level_with_points(&ind.level1).0 != level.name {
                continue;
            }
            if let (Some(sc), Some(w)) = (score.score, score.weight) {
                if sc < w {
                    let reason = ind.reason.trim();
                    text.push_str(&format!(
                        "“{}”年度指标值{}，实际完成值{}，扣{}分{}。",
                        ind.name.trim(),
                        ind.target.trim(),
                        ind.actual.trim(),
                        fmt2(w - sc),
                        if reason.is_empty() {
                            "，原因未说明".to_string()
                        } else {
                            format!("，原因：{}", reason.trim_end_matches('。'))
                        }
                    ));
                }
            }
        }
        b.push(Block::Paragraph(text));
    }
    b.push(Block::Paragraph(
        "（4）偏离绩效目标的原因及下一步改进措施".into(),
    ));
    prose(b, &p.deviation, "无。");
    let result = match (&s.grade, s.total) {
        (Some(g), Some(t)) => match &s.total_basis {
            Some(basis) => format!("项目自评结果为“{g}”（总分{}分；{basis}）。", fmt2(t)),
            None => format!("项目自评结果为“{g}”（总分{}分）。", fmt2(t)),
        },
        _ => "项目尚有未能计分的内容，自评结果待定。".to_string(),
    };
    b.push(Block::Paragraph(result));
}

fn with_stop(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        "（待填写）；".into()
    } else if t.ends_with(['。', '；', '！']) {
        t.to_string()
    } else {
        format!("{t}。")
    }
}
