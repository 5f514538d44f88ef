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
use crate::scoring::{fmt2, fmt_plain, percent2, round_dp, row_rate, Method, ProjectScore, Scores};
use rust_decimal::Decimal;

/// Run every check and the audit on a scored unit.
pub fn check(unit: &Unit, scores: &Scores, rules: &Rulebook) -> Vec<Finding> {
    let mut findings = Vec::new();
    let unit_place = Place::unit();
    unreadable_figures(unit, &mut findings);
    if let Some(funds) = &unit.funds {
        check_funds(funds, &unit_place, &mut findings);
        audit_funds(funds, &unit_place, &mut findings);
    }
    if let (Some(rate), Some(pct)) = (scores.unit.rate, scores.unit.rate_percent) {
        if rate < rules.low_execution && scores.unit.budget.is_some_and(|b| !b.is_zero()) {
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
    if let (false, Some(score)) = (unit.indicators.is_empty(), scores.unit.as_form()) {
        let form = unit_form(unit);
        check_weights(&form, &score, &unit_place, rules, &mut findings);
        check_indicator_rows(&form, &score, &unit_place, &mut findings);
        audit_project(&form, &score, &unit_place, &mut findings);
    }
    for (i, (project, score)) in unit.projects.iter().zip(&scores.projects).enumerate() {
        let place = Place::project(i, &project.name);
        check_project(project, score, &place, rules, &mut findings);
        audit_funds(&project.funds, &place, &mut findings);
        audit_project(project, score, &place, &mut findings);
    }
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

/// Every figure typed that is not a number: an error at its cell, never counted.
fn unreadable_figures(unit: &Unit, findings: &mut Vec<Finding>) {
    let report = |place: &Place, path: String, figure: &Figure, findings: &mut Vec<Finding>| {
        if !figure.is_unreadable() {
            return;
        }
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
    };
    let funds = |place: &Place, funds: &Funds, findings: &mut Vec<Finding>| {
        for (key, row) in fund_rows(funds) {
            let figures = [
                ("initial", &row.initial),
                ("budget", &row.budget),
                ("executed", &row.executed),
                ("typedRate", &row.typed_rate),
                ("typedScore", &row.typed_score),
            ];
            for (name, figure) in figures {
                report(place, format!("funds.{key}.{name}"), figure, findings);
            }
        }
    };
    let indicators = |place: &Place, list: &[Indicator], findings: &mut Vec<Finding>| {
        for (row, ind) in list.iter().enumerate() {
            let at = place.indicator(row, &ind.level1);
            let figures = [
                ("weight", &ind.weight),
                ("typedScore", &ind.typed_score),
                ("deduction", &ind.deduction),
            ];
            for (name, figure) in figures {
                report(&at, format!("indicators.{row}.{name}"), figure, findings);
            }
        }
    };
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
        funds(&unit_place, f, findings);
    }
    report(
        &unit_place,
        "typed.total".into(),
        &unit.typed.total,
        findings,
    );
    report(
        &unit_place,
        "executionWeight".into(),
        &unit.execution_weight,
        findings,
    );
    indicators(&unit_place, &unit.indicators, findings);
    for (i, project) in unit.projects.iter().enumerate() {
        let place = Place::project(i, &project.name);
        funds(&place, &project.funds, findings);
        report(
            &place,
            "executionWeight".into(),
            &project.execution_weight,
            findings,
        );
        indicators(&place, &project.indicators, findings);
        report(&place, "typed.total".into(), &project.typed.total, findings);
    }
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
    if total != Decimal::ONE_HUNDRED {
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
    for (row, ind) in project.indicators.iter().enumerate() {
        let name = ind.level1.trim();
        let at = place.indicator(row, name);
        let field = |f: &str| Some(format!("indicators.{row}.{f}"));
        if name.is_empty() {
            findings.push(at.finding(
                Severity::Error,
                "missing_level",
                field("level1"),
                "一级指标未填写：本行不属于任何一级指标，项目总分暂不计算".into(),
            ));
        } else if rules.level_weight(name).is_none() {
            let known: Vec<&str> = rules.levels.iter().map(|l| l.name.as_str()).collect();
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
    // Only when the whole adds up does a level's own sum say something new.
    if total == Decimal::ONE_HUNDRED {
        for level in &rules.levels {
            let sum = project
                .indicators
                .iter()
                .filter(|i| i.level1.trim() == level.name)
                .filter_map(|i| i.weight.value())
                .fold(Decimal::ZERO, Decimal::saturating_add);
            if sum != level.weight {
                findings.push(place.finding(
                    Severity::Error,
                    "level_weight",
                    Some("indicators".into()),
                    format!(
                        "{}各三级指标分值之和为{}，应为{}",
                        level.name,
                        fmt_plain(sum),
                        fmt_plain(level.weight)
                    ),
                ));
            }
        }
    }
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
