//! Checks of the data against the rules, and the audit of figures typed by hand.
//!
//! Checks: weights, amounts, funds splits, missing explanations, low execution.
//! Audit (RULES.md §6): every typed derived figure is recomputed and compared at the
//! precision the person typed; a disagreement is a `typed_mismatch` finding with both
//! values.

use crate::figure;
use crate::finding::{Finding, Place, Severity};
use crate::glossary;
use crate::model::{Figure, FundRow, Funds, Indicator, Project, ProjectTyped, Unit};
use crate::rules::Rulebook;
use crate::scoring::{
    fmt2, fmt_plain, percent2, round_dp, row_rate, Method, ProjectScore, Scores, UnitScore,
};
use crate::value;
use rust_decimal::Decimal;

/// Run every check and the audit on a scored unit: the unit's own, then each
/// project's ([`check_unit`], [`check_project_at`]; a project's findings depend on that
/// project alone, so that an edit re-checks only what it touched, `crate::session`).
pub fn check(unit: &Unit, scores: &Scores, rules: &Rulebook) -> Vec<Finding> {
    let mut findings = check_unit(unit, &scores.unit, rules);
    for (i, (project, score)) in unit.projects.iter().zip(&scores.projects).enumerate() {
        findings.extend(check_project_at(i, project, score, rules));
    }
    findings
}

/// The checks and the audit of the unit's own figures: its funds, its execution rate,
/// its own form's indicator block.
pub fn check_unit(unit: &Unit, score: &UnitScore, rules: &Rulebook) -> Vec<Finding> {
    let mut findings = Vec::new();
    let unit_place = Place::unit();
    unreadable_unit_figures(unit, &mut findings);
    if let Some(funds) = &unit.funds {
        check_funds(funds, &unit_place, &mut findings);
        audit_funds(funds, &unit_place, &mut findings);
    }
    if let (Some(rate), Some(pct)) = (score.rate, score.rate_percent) {
        if rate < rules.low_execution && score.budget.is_some_and(|b| !b.is_zero()) {
            findings.push(unit_place.finding(
                Severity::Warning,
                "low_execution",
                Some("funds.total.executed".into()),
                format!(
                    "整体执行率{}%，低于{}%，请在自评报告中说明原因",
                    fmt2(pct),
                    fmt_plain(percent2(rules.low_execution))
                ),
            ));
        }
    }
    if unit.projects.is_empty() {
        findings.push(unit_place.finding(
            Severity::Warning,
            "no_projects",
            None,
            "尚未填写任何项目".into(),
        ));
    }
    // The unit form's own indicator block: checked and audited as a project's is.
    if let (false, Some(form_score)) = (unit.indicators.is_empty(), score.as_form()) {
        let form = unit_form(unit);
        check_weights(&form, &form_score, &unit_place, rules, &mut findings);
        check_indicator_rows(&form, &form_score, &unit_place, &mut findings);
        audit_project(&form, &form_score, &unit_place, &mut findings);
    }
    findings
}

/// The checks and the audit of project `index`.
pub fn check_project_at(
    index: usize,
    project: &Project,
    score: &ProjectScore,
    rules: &Rulebook,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let place = Place::project(index, &project.name);
    unreadable_project_figures(&place, project, &mut findings);
    check_project(project, score, &place, rules, &mut findings);
    audit_funds(&project.funds, &place, &mut findings);
    audit_project(project, score, &place, &mut findings);
    findings
}

/// The unit's own form in a project's shape (its name, funds, execution 分值, indicator
/// block and typed 总分/等级), for the checks and the audit a project's form has.
fn unit_form(unit: &Unit) -> Project {
    Project {
        name: unit.name.clone(),
        funds: unit.funds.clone().unwrap_or_default(),
        execution_weight: unit.execution_weight.clone(),
        indicators: unit.indicators.clone(),
        typed: ProjectTyped {
            total: unit.typed.total.clone(),
            grade: unit.typed.grade.clone(),
        },
        ..Project::default()
    }
}

/// A figure typed that is not a number: an error at its cell, never counted.
/// `path` is written only for a figure reported (most are numbers or blank).
fn report_unreadable(
    place: &Place,
    path: impl FnOnce() -> String,
    figure: &Figure,
    findings: &mut Vec<Finding>,
) {
    if !figure.is_unreadable() {
        return;
    }
    let path = path();
    let typed = figure.text().trim();
    let mut f = place.finding(
        Severity::Error,
        "unreadable_figure",
        Some(path.clone()),
        format!(
            "{}“{}”{}，未计入",
            glossary::field_label(&path),
            typed,
            figure::explain(typed)
        ),
    );
    f.typed = Some(typed.to_string());
    findings.push(f);
}

fn unreadable_funds(place: &Place, funds: &Funds, findings: &mut Vec<Finding>) {
    for (key, row) in fund_rows(funds) {
        let figures = [
            ("initial", &row.initial),
            ("budget", &row.budget),
            ("executed", &row.executed),
            ("typedRate", &row.typed_rate),
            ("typedScore", &row.typed_score),
        ];
        for (name, figure) in figures {
            report_unreadable(place, || format!("funds.{key}.{name}"), figure, findings);
        }
    }
}

fn unreadable_indicators(place: &Place, list: &[Indicator], findings: &mut Vec<Finding>) {
    for (row, ind) in list.iter().enumerate() {
        let at = place.indicator(row, &ind.level1);
        let figures = [
            ("weight", &ind.weight),
            ("typedScore", &ind.typed_score),
            ("deduction", &ind.deduction),
        ];
        for (name, figure) in figures {
            report_unreadable(&at, || format!("indicators.{row}.{name}"), figure, findings);
        }
    }
}

/// Every figure of the unit's own typed that is not a number (its year too).
fn unreadable_unit_figures(unit: &Unit, findings: &mut Vec<Finding>) {
    let unit_place = Place::unit();
    if unit.year.is_unreadable() {
        let typed = unit.year.text().trim();
        let mut f = unit_place.finding(
            Severity::Error,
            "unreadable_figure",
            Some("year".into()),
            format!("年度“{typed}”不是四位年份（如 2022），未计入"),
        );
        f.typed = Some(typed.to_string());
        findings.push(f);
    }
    if let Some(f) = &unit.funds {
        unreadable_funds(&unit_place, f, findings);
    }
    report_unreadable(
        &unit_place,
        || "typed.total".into(),
        &unit.typed.total,
        findings,
    );
    report_unreadable(
        &unit_place,
        || "executionWeight".into(),
        &unit.execution_weight,
        findings,
    );
    unreadable_indicators(&unit_place, &unit.indicators, findings);
}

/// Every figure of a project typed that is not a number.
fn unreadable_project_figures(place: &Place, project: &Project, findings: &mut Vec<Finding>) {
    unreadable_funds(place, &project.funds, findings);
    report_unreadable(
        place,
        || "executionWeight".into(),
        &project.execution_weight,
        findings,
    );
    unreadable_indicators(place, &project.indicators, findings);
    report_unreadable(
        place,
        || "typed.total".into(),
        &project.typed.total,
        findings,
    );
}

fn check_project(
    project: &Project,
    score: &ProjectScore,
    place: &Place,
    rules: &Rulebook,
    findings: &mut Vec<Finding>,
) {
    if project.name.trim().is_empty() {
        findings.push(place.finding(
            Severity::Error,
            "missing_name",
            Some("name".into()),
            "项目名称未填写".into(),
        ));
    }
    check_funds(&project.funds, place, findings);
    check_weights(project, score, place, rules, findings);

    if let Some(rate) = score.rate {
        let has_budget = score.budget.is_some_and(|b| !b.is_zero());
        if has_budget && rate < rules.low_execution {
            let explained = !project.deviation.trim().is_empty();
            findings.push(place.finding(
                Severity::Warning,
                "low_execution",
                Some("deviation".into()),
                format!(
                    "执行率{}%，低于{}%{}",
                    fmt2(percent2(rate)),
                    fmt_plain(percent2(rules.low_execution)),
                    if explained {
                        "，请核对偏离原因的说明"
                    } else {
                        "，请填写偏离绩效目标的原因及改进措施"
                    }
                ),
            ));
        }
    }
    check_indicator_rows(project, score, place, findings);
}

/// Each indicator row: its name, a reason where it lost points, a typed score that fits.
fn check_indicator_rows(
    project: &Project,
    score: &ProjectScore,
    place: &Place,
    findings: &mut Vec<Finding>,
) {
    for (row, (ind, s)) in project.indicators.iter().zip(&score.indicators).enumerate() {
        let at = place.indicator(row, &ind.level1);
        let field = |name: &str| Some(format!("indicators.{row}.{name}"));
        if ind.name.trim().is_empty() {
            findings.push(at.finding(
                Severity::Error,
                "missing_name",
                field("name"),
                "三级指标名称未填写".into(),
            ));
        }
        if let (Some(score), Some(weight)) = (s.score, s.weight) {
            if score < weight && ind.reason.trim().is_empty() {
                findings.push(at.finding(
                    Severity::Warning,
                    "reason_missing",
                    field("reason"),
                    format!(
                        "得分{}低于分值{}，请填写{}",
                        fmt2(score),
                        fmt_plain(weight),
                        glossary::REASON
                    ),
                ));
            }
        }
        // A typed score on a quantitative row must still fit its weight.
        if let (Some(typed), Some(weight), false) = (
            ind.typed_score.value(),
            s.weight,
            s.method == Method::Qualitative,
        ) {
            if typed > weight || typed < Decimal::ZERO {
                let mut f = at.finding(
                    Severity::Error,
                    "score_above_weight",
                    field("typedScore"),
                    format!(
                        "填报得分{}超出分值范围0–{}",
                        fmt_plain(typed),
                        fmt_plain(weight)
                    ),
                );
                f.typed = Some(fmt_plain(typed));
                findings.push(f);
            }
        }
    }
}

/// Σ weights = 100, and the leaves of each 一级指标 sum to its weight.
fn check_weights(
    project: &Project,
    score: &ProjectScore,
    place: &Place,
    rules: &Rulebook,
    findings: &mut Vec<Finding>,
) {
    if project.indicators.is_empty() {
        findings.push(place.finding(
            Severity::Error,
            "no_indicators",
            Some("indicators".into()),
            "未填写绩效指标".into(),
        ));
        return;
    }
    let total = score.weight_total;
    // Blocks whose leaves have no weights are one error each already (scoring).
    let blocks = crate::scoring::unweighted_blocks(&project.indicators);
    if total != Decimal::ONE_HUNDRED && blocks.is_empty() {
        let mut f = place.finding(
            Severity::Error,
            "weights_total",
            Some("indicators".into()),
            format!(
                "{}分值{}与各指标分值之和为{}，应为100",
                glossary::EXECUTION,
                fmt_plain(score.execution_weight),
                fmt_plain(total)
            ),
        );
        f.computed = Some(fmt_plain(total));
        findings.push(f);
    }
    // Each row's 一级指标 as named (`产出指标（50分）` is 产出指标, carrying 50 points).
    let labels: Vec<(std::borrow::Cow<'_, str>, Option<Decimal>)> = project
        .indicators
        .iter()
        .map(|ind| value::level_label(&ind.level1))
        .collect();
    for (row, (ind, (name, _))) in project.indicators.iter().zip(&labels).enumerate() {
        let at = place.indicator(row, ind.level1.trim());
        let field = |f: &str| Some(format!("indicators.{row}.{f}"));
        if name.is_empty() {
            findings.push(at.finding(
                Severity::Error,
                "missing_level",
                field("level1"),
                "一级指标未填写：本行不属于任何一级指标，项目总分暂不计算".into(),
            ));
        } else if rules.level_weight(name).is_none()
            && !glossary::is_level1(name)
            && !blocks.iter().any(|b| b.label == ind.level1.trim())
        {
            let mut known: Vec<&str> = rules.levels.iter().map(|l| l.name.as_str()).collect();
            for (level, _) in glossary::LEVEL2 {
                if !known.contains(level) {
                    known.push(level);
                }
            }
            findings.push(at.finding(
                Severity::Error,
                "unknown_level",
                field("level1"),
                format!("一级指标“{name}”不在规则中，应为{}之一", known.join("、")),
            ));
        }
        if ind.level2.trim().is_empty() {
            findings.push(at.finding(
                Severity::Error,
                "missing_level",
                field("level2"),
                "二级指标未填写".into(),
            ));
        }
    }
    // The form's 一级 weights: Σ leaves of each level, the rulebook's levels first.
    let mut levels: Vec<FormLevel> = Vec::new();
    for ((name, points), ind) in labels.iter().zip(&project.indicators) {
        if name.is_empty() {
            continue;
        }
        let at = match levels.iter().position(|l| l.name == *name) {
            Some(at) => at,
            None => {
                levels.push(FormLevel {
                    name: name.to_string(),
                    label: ind.level1.trim().to_string(),
                    points: None,
                    sum: Decimal::ZERO,
                });
                levels.len() - 1
            }
        };
        let level = &mut levels[at];
        if level.points.is_none() && points.is_some() {
            level.points = *points;
            level.label = ind.level1.trim().to_string();
        }
        if let Some(w) = ind.weight.value() {
            level.sum = level.sum.saturating_add(w);
        }
    }
    let rank = |name: &str| {
        rules
            .levels
            .iter()
            .position(|l| l.name == name)
            .unwrap_or(usize::MAX)
    };
    levels.sort_by_key(|l| rank(&l.name));
    // A block whose label gives its points: its leaves must add up to them.
    for level in &levels {
        let unweighted = blocks.iter().any(|b| b.label == level.label);
        if let Some(points) = level.points.filter(|p| *p != level.sum && !unweighted) {
            let mut f = place.finding(
                Severity::Error,
                "level_weight",
                Some("indicators".into()),
                format!(
                    "“{}”各三级指标分值之和为{}，与该一级指标的分值{}不一致",
                    level.label,
                    fmt_plain(level.sum),
                    fmt_plain(points)
                ),
            );
            f.computed = Some(fmt_plain(level.sum));
            findings.push(f);
        }
    }
    // Only when the whole adds up are other 一级 weights the form's own (RULES.md §3:
    // “如有特殊情况，上述权重可做适当调整”): scored as written, with a notice.
    if total != Decimal::ONE_HUNDRED {
        return;
    }
    let differs = score.execution_weight != rules.execution_weight
        || levels
            .iter()
            .any(|l| rules.level_weight(&l.name) != Some(l.sum))
        || rules
            .levels
            .iter()
            .any(|r| !r.weight.is_zero() && !levels.iter().any(|l| l.name == r.name));
    if !differs {
        return;
    }
    let ruled = |weight: Decimal, rule: Option<Decimal>| match rule {
        Some(r) => format!("{}（规则为{}）", fmt_plain(weight), fmt_plain(r)),
        None => format!("{}（规则未列）", fmt_plain(weight)),
    };
    let mut parts = vec![format!(
        "{}{}",
        glossary::EXECUTION,
        if score.execution_weight == rules.execution_weight {
            fmt_plain(score.execution_weight)
        } else {
            ruled(score.execution_weight, Some(rules.execution_weight))
        }
    )];
    for level in &levels {
        parts.push(format!(
            "{}{}",
            level.name,
            ruled(level.sum, rules.level_weight(&level.name))
        ));
    }
    let absent: Vec<String> = rules
        .levels
        .iter()
        .filter(|r| !r.weight.is_zero() && !levels.iter().any(|l| l.name == r.name))
        .map(|r| format!("未设{}（规则为{}）", r.name, fmt_plain(r.weight)))
        .collect();
    let absent = if absent.is_empty() {
        String::new()
    } else {
        format!("，{}", absent.join("、"))
    };
    findings.push(place.finding(
        Severity::Notice,
        "level_weights_adjusted",
        Some("indicators".into()),
        format!(
            "一级指标分值按本表调整：{}{absent}，合计{}，按表中分值计分",
            parts.join("、"),
            fmt_plain(total)
        ),
    ));
}

/// A 一级指标 as the form has it: its name, its label as written, the points the label
/// carries and the sum of its leaves.
struct FormLevel {
    name: String,
    label: String,
    points: Option<Decimal>,
    sum: Decimal,
}

/// The named rows of a funds block with their field keys.
fn fund_rows(funds: &Funds) -> Vec<(&'static str, &FundRow)> {
    let mut rows = vec![("total", &funds.total)];
    for (key, row) in [
        ("fiscal", &funds.fiscal),
        ("carryover", &funds.carryover),
        ("other", &funds.other),
        ("basic", &funds.basic),
        ("project", &funds.project),
    ] {
        if let Some(r) = row {
            rows.push((key, r));
        }
    }
    rows
}

type Amount = fn(&FundRow) -> Option<Decimal>;
const AMOUNTS: [(&str, Amount); 3] = [
    ("initial", |r| r.initial.value()),
    ("budget", |r| r.budget.value()),
    ("executed", |r| r.executed.value()),
];

fn check_funds(funds: &Funds, place: &Place, findings: &mut Vec<Finding>) {
    for (key, row) in fund_rows(funds) {
        for (name, get) in AMOUNTS {
            if let Some(x) = get(row).filter(|x| *x < Decimal::ZERO) {
                let path = format!("funds.{key}.{name}");
                findings.push(place.finding(
                    Severity::Error,
                    "negative_amount",
                    Some(path.clone()),
                    format!(
                        "{}为{}，金额不能为负数",
                        glossary::field_label(&path),
                        fmt_plain(x)
                    ),
                ));
            }
        }
    }
    let groups: [(&str, [&Option<FundRow>; 3]); 2] = [
        ("收入性质", [&funds.fiscal, &funds.carryover, &funds.other]),
        ("支出性质", [&funds.basic, &funds.project, &None]),
    ];
    for (group, rows) in groups {
        let present: Vec<&FundRow> = rows.iter().filter_map(|r| r.as_ref()).collect();
        if present.is_empty() {
            continue;
        }
        for (name, get) in AMOUNTS {
            let Some(total) = get(&funds.total) else {
                continue;
            };
            let parts: Vec<Decimal> = present.iter().filter_map(|r| get(r)).collect();
            if parts.is_empty() {
                continue;
            }
            let sum = parts
                .iter()
                .fold(Decimal::ZERO, |a, b| a.saturating_add(*b));
            if sum != total {
                let path = format!("funds.total.{name}");
                let mut f = place.finding(
                    Severity::Error,
                    "funds_split",
                    Some(path.clone()),
                    format!(
                        "按{group}分列的{}合计{}万元，与{}{}万元不一致",
                        glossary::field_label(&format!("x.{name}")),
                        fmt_plain(sum),
                        glossary::field_label(&path),
                        fmt_plain(total)
                    ),
                );
                f.typed = Some(fmt_plain(total));
                f.computed = Some(fmt_plain(sum));
                findings.push(f);
            }
        }
    }
}

/// True when `computed`, rounded to the decimals the person typed, equals `typed`.
pub fn agrees(typed: Decimal, computed: Decimal) -> bool {
    round_dp(computed, typed.scale()) == typed
}

fn mismatch(
    place: &Place,
    field: String,
    typed: Decimal,
    computed: Decimal,
    what: &str,
    suffix: &str,
) -> Finding {
    let mut f = place.finding(
        Severity::Error,
        "typed_mismatch",
        Some(field),
        format!(
            "{what}填报为{}{suffix}，按规则计算应为{}{suffix}",
            fmt_plain(typed),
            fmt2(computed)
        ),
    );
    f.typed = Some(fmt_plain(typed));
    f.computed = Some(fmt2(computed));
    f
}

/// Typed 执行率 of every fund row.
fn audit_funds(funds: &Funds, place: &Place, findings: &mut Vec<Finding>) {
    for (key, row) in fund_rows(funds) {
        if let (Some(typed), Some(rate)) = (row.typed_rate.value(), row_rate(row)) {
            let computed = rate.saturating_mul(Decimal::ONE_HUNDRED);
            if !agrees(typed, computed) {
                let path = format!("funds.{key}.typedRate");
                let what = glossary::field_label(&path);
                findings.push(mismatch(place, path, typed, computed, &what, "%"));
            }
        }
    }
}

fn audit_project(
    project: &Project,
    score: &ProjectScore,
    place: &Place,
    findings: &mut Vec<Finding>,
) {
    if let (Some(typed), Some(computed)) = (
        project.funds.total.typed_score.value(),
        score.execution_score,
    ) {
        if !agrees(typed, computed) {
            let what = format!("{}得分", glossary::EXECUTION);
            findings.push(mismatch(
                place,
                "funds.total.typedScore".into(),
                typed,
                computed,
                &what,
                "分",
            ));
        }
    }
    for (row, (ind, s)) in project.indicators.iter().zip(&score.indicators).enumerate() {
        if s.method == Method::Qualitative {
            continue; // the typed score is the user's choice, checked against its band
        }
        if let (Some(typed), Some(computed)) = (ind.typed_score.value(), s.score) {
            if !agrees(typed, computed) {
                let at = place.indicator(row, &ind.level1);
                let what = format!("“{}”得分", ind.name.trim());
                let mut f = mismatch(
                    &at,
                    format!("indicators.{row}.typedScore"),
                    typed,
                    computed,
                    &what,
                    "分",
                );
                f.message = format!("{}（{}）", f.message, s.basis);
                findings.push(f);
            }
        }
    }
    if let (Some(typed), Some(computed)) = (project.typed.total.value(), score.total) {
        if !agrees(typed, computed) {
            findings.push(mismatch(
                place,
                "typed.total".into(),
                typed,
                computed,
                glossary::TOTAL,
                "分",
            ));
        }
    }
    if let (Some(typed), Some(computed)) = (&project.typed.grade, &score.grade) {
        let typed = typed.trim();
        if !typed.is_empty() && typed != computed {
            let mut f = place.finding(
                Severity::Error,
                "typed_mismatch",
                Some("typed.grade".into()),
                format!(
                    "{}填报为“{typed}”，按总分{}应为“{computed}”",
                    glossary::GRADE,
                    score.total.map(fmt2).unwrap_or_default()
                ),
            );
            f.typed = Some(typed.to_string());
            f.computed = Some(computed.clone());
            findings.push(f);
        }
    }
}
