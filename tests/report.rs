//! The report model: every number of the narrative and the forms comes from the data.

use jixiao::report::{Block, Form, Layout, Number};
use jixiao::rules::Rulebook;
use jixiao::{io, report};

const SEED: &[u8] = include_bytes!("../examples/lanzhou-xinqu-emergency-2022.xlsx");

fn seed_report() -> report::Report {
    let unit = io::load(SEED, "seed.xlsx").unwrap().unit;
    jixiao::report(&unit, &Rulebook::default())
}

fn text(r: &report::Report) -> String {
    r.narrative
        .iter()
        .map(|b| match b {
            Block::Title(t)
            | Block::Salutation(t)
            | Block::Heading1(t)
            | Block::Heading2(t)
            | Block::Heading3(t)
            | Block::Paragraph(t)
            | Block::Signature(t) => t.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of the cell at (row, col) — also inside a merged cell.
fn cell(form: &Form, row: usize, col: usize) -> String {
    form.cells
        .iter()
        .find(|c| {
            row >= c.row && row < c.row + c.row_span && col >= c.col && col < c.col + c.col_span
        })
        .map(|c| c.text.clone())
        .unwrap_or_default()
}

/// Row index of the first cell whose text is `label`.
fn row_of(form: &Form, label: &str) -> usize {
    form.cells
        .iter()
        .find(|c| c.text == label)
        .map(|c| c.row)
        .unwrap()
}

#[test]
fn built_in_layout_is_valid() {
    let layout = Layout::from_json(report::CENTRAL_2020).unwrap();
    assert_eq!(layout.project.widths.len(), 9);
    // The 执行率 column holds “100.00%” on one line: rendered by LibreOffice (the .docx
    // and the .xlsx as PDF, 2026-12-07), 8 and 11 of the 137 units split it, 13 does not.
    let share =
        |widths: &[u16], col: usize| f64::from(widths[col]) / f64::from(widths.iter().sum::<u16>());
    assert!(share(&layout.project.widths, 6) >= 13.0 / 137.0);
    assert!(share(&layout.unit.widths, 6) >= 13.0 / 137.0);
    assert!(Layout::from_json("{")
        .unwrap_err()
        .contains("表样描述文件有误"));
}

#[test]
fn narrative_numbers_come_from_the_data() {
    let r = seed_report();
    let t = text(&r);
    assert!(
        t.contains("当年财政预算7750.69万元，全年支出7719.74万元，执行率99.60%"),
        "{t}"
    );
    assert!(t.contains("全年本级预算项目数9个，绩效自评项目数9个，自评覆盖率100.00%"));
    assert!(t.contains("自评结果“优”7个，“良”1个，“中”1个，“差”0个"));
    assert!(t.contains("开展的具体项目有档案整理专项、安全生产监督执法专项经费、"));
    assert!(t.contains("（1）项目支出预算执行情况：当年财政预算16.00万元，财政拨款执行15.14万元，全年执行支出15.14万元，预算执行率94.65%，预算执行得分9.46分（分值10分）。"), "{t}");
    assert!(t.contains("①产出指标：分值50分，得分47.00分。"));
    // A level that lost points says how many and why.
    assert!(t.contains("③满意度指标：分值10分，得分9.47分。“服务企业满意度”年度指标值≥95%，实际完成值90%，扣0.53分，原因：服务企业满意度为90%，未达到年初设定值95%。"), "{t}");
    assert!(t.contains("项目自评结果为“良”（总分88.51分）。"));
    assert!(t.contains("项目自评结果为“中”（总分75.00分）。"));
    assert_eq!(r.narrative[0], Block::Title("兰州新区应急管理局".into()));
    assert_eq!(
        r.narrative[1],
        Block::Title("2022年度部门本级预算绩效自评工作总结".into())
    );
    assert_eq!(r.file_stem, "兰州新区应急管理局_2022");
}

#[test]
fn project_form_cells() {
    let r = seed_report();
    assert_eq!(r.forms.len(), 10);
    let f = &r.forms[1];
    assert_eq!(f.sheet, "2.安全生产监督执法专项经费");
    assert_eq!(f.caption, "附表1-2");
    assert_eq!(f.title, "项目支出绩效自评表");
    assert_eq!(f.subtitle, "（2022年度）");
    assert_eq!(cell(f, 0, 0), "项目名称");
    assert_eq!(cell(f, 0, 5), "安全生产监督执法专项经费");
    let total = row_of(f, "年度资金总额");
    assert_eq!(cell(f, total, 0), "项目资金（万元）");
    assert_eq!(cell(f, total, 3), "100.00");
    assert_eq!(cell(f, total, 4), "90.43");
    assert_eq!(cell(f, total, 5), "10");
    assert_eq!(cell(f, total, 6), "90.43%");
    assert_eq!(cell(f, total, 7), "9.04");
    assert_eq!(cell(f, total + 1, 7), "—");
    let header = row_of(f, "一级指标");
    assert_eq!(f.header_row, Some(header));
    assert_eq!(cell(f, header + 3, 1), "满意度指标");
    assert_eq!(cell(f, header + 3, 7), "9.47");
    let sum = row_of(f, "总分");
    assert_eq!(cell(f, sum, 7), "88.51");
    assert_eq!(cell(f, sum + 1, 3), "良");
    let rate = f.cells.iter().find(|c| c.text == "90.43%").unwrap();
    assert_eq!(
        rate.number,
        Some(Number::Percent("0.9043".parse().unwrap()))
    );
}

#[test]
fn repeated_level_names_are_merged_down() {
    let r = seed_report();
    let f = &r.forms[6]; // 全国自然灾害综合风险普查项目: 13 产出 rows
    let header = row_of(f, "一级指标");
    let output = f
        .cells
        .iter()
        .find(|c| c.text == "产出指标" && c.row == header + 1)
        .unwrap();
    assert_eq!(output.row_span, 13);
    assert_eq!(cell(f, header + 13, 1), "产出指标");
    assert_eq!(cell(f, header + 14, 1), "效益指标");
    assert_eq!(cell(f, header + 14, 2), "社会效益指标");
}

#[test]
fn unit_form_cells() {
    let r = seed_report();
    let f = r.forms.last().unwrap();
    assert_eq!(f.caption, "附表2");
    assert_eq!(f.sheet, "部门整体");
    assert_eq!(cell(f, 0, 3), "兰州新区应急管理局");
    let total = row_of(f, "年度资金总额");
    assert_eq!(cell(f, total, 3), "7750.69");
    assert_eq!(cell(f, total, 4), "7719.74");
    assert_eq!(cell(f, total, 6), "99.60%");
    assert_eq!(cell(f, total, 7), "9.96");
    let tasks = row_of(f, "任务名称");
    assert_eq!(cell(f, tasks + 1, 1), "安全生产综合监管");
    assert!(cell(f, row_of(f, "项目自评情况"), 4).contains("“优”7个"));
}

#[test]
fn a_level2_name_under_a_new_level1_is_not_merged_across() {
    use jixiao::model::{Indicator, Project, Unit};
    let row = |l1: &str, l2: &str| Indicator {
        level1: l1.into(),
        level2: l2.into(),
        name: "指标".into(),
        target: "≥1个".into(),
        actual: "1个".into(),
        weight: Some("10".parse().unwrap()).into(),
        ..Indicator::default()
    };
    let unit = Unit {
        name: "单位".into(),
        projects: vec![Project {
            name: "项目".into(),
            indicators: vec![row("产出指标", "数量指标"), row("效益指标", "数量指标")],
            ..Project::blank()
        }],
        ..Unit::default()
    };
    let r = jixiao::report(&unit, &Rulebook::default());
    let f = &r.forms[0];
    let header = row_of(f, "一级指标");
    let second = f.cells.iter().filter(|c| c.text == "数量指标").count();
    assert_eq!(second, 2, "two 二级 cells, one under each 一级");
    assert_eq!(cell(f, header + 2, 2), "数量指标");
}

/// Issue 10 item 2: the 总分 row prints the real Σ分值, and a total rescaled for 不适用
/// says how — in the form and in the narrative, with the same figures as the core.
#[test]
fn the_total_row_prints_the_real_weights_and_how_a_rescaled_total_came_about() {
    use jixiao::model::{FundRow, Funds, Indicator, Project, Unit};
    let row = |l1: &str, l2: &str, weight: &str, na: bool| Indicator {
        level1: l1.into(),
        level2: l2.into(),
        name: format!("{l2}指标"),
        target: "≥10个".into(),
        actual: "9个".into(),
        weight: Some(weight.parse().unwrap()).into(),
        reason: "说明".into(),
        not_applicable: na,
        ..Indicator::default()
    };
    let project = |indicators| Project {
        name: "项目".into(),
        funds: Funds {
            total: FundRow {
                budget: Some("100".parse().unwrap()).into(),
                executed: Some("100".parse().unwrap()).into(),
                ..FundRow::default()
            },
            ..Funds::default()
        },
        indicators,
        ..Project::default()
    };
    // Weights that sum to 80 (10 + 40 + 30): the row says 80, not 100.
    let short = project(vec![
        row("产出指标", "数量", "40", false),
        row("效益指标", "社会效益", "30", false),
    ]);
    // 不适用: 10 + 50 + 30 listed, 15 of it not applicable.
    let na = project(vec![
        row("产出指标", "数量", "35", false),
        row("产出指标", "质量", "15", true),
        row("效益指标", "社会效益", "30", false),
        row("满意度指标", "服务对象满意度", "10", false),
    ]);
    let unit = Unit {
        name: "单位".into(),
        year: Some(2022).into(),
        projects: vec![short, na],
        ..Unit::default()
    };
    let r = jixiao::report(&unit, &Rulebook::default());
    let f = &r.forms[0];
    let total = row_of(f, "总分");
    assert_eq!(cell(f, total, 6), "80");
    let f = &r.forms[1];
    let total = row_of(f, "总分");
    assert_eq!(cell(f, total, 6), "100");
    // 得分: 10 + 35×0.9 + 30×0.9 + 10×0.9 = 77.5 of 85 applicable → 91.18.
    assert_eq!(cell(f, total, 7), "91.18");
    let note = cell(f, total, 8);
    assert_eq!(
        note,
        "含不适用指标，总分按适用分值折算为百分制：得分合计77.50 ÷ 适用分值85 × 100 = 91.18"
    );
    assert!(
        text(&r).contains(&format!("项目自评结果为“优”（总分91.18分；{note}）。")),
        "{}",
        text(&r)
    );
}
