//! Scoring by the rulebook: execution rate and score, every indicator's score, level
//! subtotals, total and grade per project, and the unit's roll-up.
//!
//! Exact decimals throughout; rounding to 2 places happens only where RULES.md §3 says:
//! each leaf score and the execution score (by the rulebook's rounding: half away from
//! zero, or truncation), and a total computed by division (half away from zero). Problems met while scoring (a value that cannot be read, units that do not
//! agree, a typed score outside its band…) become findings at their place.

use crate::basis::{Basis, How};
use crate::finding::{Finding, Place, Severity};
use crate::glossary;
use crate::model::{Figure, FundRow, Indicator, Project, Unit};
use crate::rules::{ExecutionRule, ReverseRule, Rulebook};
use crate::value::{self, Op, Value};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// Round half away from zero to `dp` places.
pub fn round_dp(x: Decimal, dp: u32) -> Decimal {
    x.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Round to 2 places, as every score, amount and percentage is shown.
pub fn round2(x: Decimal) -> Decimal {
    round_dp(x, 2)
}

/// A fraction as a percentage with 2 decimals (0.9960068… → 99.60).
pub fn percent2(rate: Decimal) -> Decimal {
    round2(rate.saturating_mul(Decimal::ONE_HUNDRED))
}

/// Format with exactly 2 decimals (“99.60”), as the forms show numbers.
pub fn fmt2(x: Decimal) -> String {
    format!("{:.2}", round2(x))
}

/// Shortest plain text of a decimal (“10”, “9.47”, “15.14353”).
pub fn fmt_plain(x: Decimal) -> String {
    x.normalize().to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Method {
    /// ≥, >, or a bare value: more is better.
    Positive,
    /// =
    Equal,
    /// ≤, <: less is better (costs, delays).
    Reverse,
    /// Inside a range is full marks.
    Range,
    /// On or before a date.
    Deadline,
    /// A qualitative band chosen by the user.
    Qualitative,
    /// Not applicable: excluded.
    NotApplicable,
    /// Could not be scored (see the findings).
    Unscored,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorScore {
    pub method: Method,
    pub weight: Option<Decimal>,
    /// Rounded to 2 places; `None` when not applicable or not scorable.
    pub score: Option<Decimal>,
    /// The qualitative band (index into glossary::BANDS), when there is one.
    pub band: Option<usize>,
    /// How the score was reached, for the screen: “90 ÷ 95 × 10 = 9.47” (written when
    /// shown).
    pub basis: Basis,
    /// actual ÷ target, when both are numbers (for over-achievement and caps).
    pub ratio: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelScore {
    pub name: String,
    /// Σ applicable leaf weights.
    pub weight: Decimal,
    /// Σ rounded leaf scores; `None` when one of them is not scorable.
    pub score: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectScore {
    pub name: String,
    pub budget: Option<Decimal>,
    pub executed: Option<Decimal>,
    /// executed ÷ budget, exact; 0 when the budget is 0.
    pub rate: Option<Decimal>,
    /// The rate in percent, 2 decimals.
    pub rate_percent: Option<Decimal>,
    pub execution_weight: Decimal,
    pub execution_score: Option<Decimal>,
    pub execution_basis: String,
    pub levels: Vec<LevelScore>,
    pub indicators: Vec<IndicatorScore>,
    /// Total, 2 decimals; `None` while some part cannot be scored.
    pub total: Option<Decimal>,
    pub grade: Option<String>,
    /// Why the total was capped, if it was (local caps).
    pub cap: Option<String>,
    /// Σ分值 as the form lists it: the execution weight and every indicator's weight
    /// (not applicable rows included), as the 总分 row prints it.
    pub weight_total: Decimal,
    /// How a total with 不适用 rows was rescaled to 100 (“得分合计79.04 ÷ 适用分值85 ×
    /// 100 = 92.99”), for the screen, the form and the narrative.
    pub total_basis: Option<String>,
}

/// Counts of projects by grade, keyed by the Chinese grade names.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GradeCounts {
    #[serde(rename = "优")]
    pub excellent: usize,
    #[serde(rename = "良")]
    pub good: usize,
    #[serde(rename = "中")]
    pub fair: usize,
    #[serde(rename = "差")]
    pub poor: usize,
}

impl GradeCounts {
    fn add(&mut self, grade: &str) {
        match grade {
            "优" => self.excellent += 1,
            "良" => self.good += 1,
            "中" => self.fair += 1,
            "差" => self.poor += 1,
            _ => {}
        }
    }

    /// (grade name, count), best first.
    pub fn pairs(&self) -> [(&'static str, usize); 4] {
        let [a, b, c, d] = glossary::GRADES;
        [
            (a, self.excellent),
            (b, self.good),
            (c, self.fair),
            (d, self.poor),
        ]
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitScore {
    pub name: String,
    pub year: Option<i32>,
    pub budget: Option<Decimal>,
    pub executed: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub rate_percent: Option<Decimal>,
    /// 分值 and 得分 of the execution rate on the 部门整体 form.
    pub execution_weight: Decimal,
    pub execution_score: Option<Decimal>,
    /// `unit` when the figures come from the unit's own funds block, `projects`
    /// when they are the sum of its projects.
    pub funds_source: &'static str,
    pub projects: usize,
    /// Projects with a complete score (绩效自评项目数).
    pub evaluated: usize,
    pub coverage_percent: Option<Decimal>,
    pub grades: GradeCounts,
    /// The unit's own form, scored like a project's when it has an indicator block
    /// (RULES.md §2.1); otherwise empty and `None`.
    pub execution_basis: String,
    pub levels: Vec<LevelScore>,
    pub indicators: Vec<IndicatorScore>,
    pub total: Option<Decimal>,
    pub grade: Option<String>,
    pub cap: Option<String>,
    /// Σ分值 of the unit form (execution weight and every indicator's), when it has
    /// an indicator block.
    pub weight_total: Option<Decimal>,
    pub total_basis: Option<String>,
}

impl UnitScore {
    /// The unit form's score in a project's shape, when it has an indicator block: for
    /// the checks and the audit, which treat both forms alike.
    pub fn as_form(&self) -> Option<ProjectScore> {
        Some(ProjectScore {
            name: self.name.clone(),
            budget: self.budget,
            executed: self.executed,
            rate: self.rate,
            rate_percent: self.rate_percent,
            execution_weight: self.execution_weight,
            execution_score: self.execution_score,
            execution_basis: self.execution_basis.clone(),
            levels: self.levels.clone(),
            indicators: self.indicators.clone(),
            total: self.total,
            grade: self.grade.clone(),
            cap: self.cap.clone(),
            weight_total: self.weight_total?,
            total_basis: self.total_basis.clone(),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scores {
    pub unit: UnitScore,
    pub projects: Vec<ProjectScore>,
}

/// Score the whole unit. Findings met while scoring are appended to `findings`.
pub fn score_unit(unit: &Unit, rules: &Rulebook, findings: &mut Vec<Finding>) -> Scores {
    let projects: Vec<ProjectScore> = unit
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let place = Place::project(i, &p.name);
            score_project(p, &place, rules, unit.year.value(), findings)
        })
        .collect();
    Scores {
        unit: score_unit_level(unit, &projects, rules, findings),
        projects,
    }
}

/// The unit's own figures from its projects' scores: the roll-up, and its own form's
/// indicator block when it has one.
pub fn score_unit_level(
    unit: &Unit,
    projects: &[ProjectScore],
    rules: &Rulebook,
    findings: &mut Vec<Finding>,
) -> UnitScore {
    let mut unit_score = roll_up(unit, projects, rules);
    if !unit.indicators.is_empty() {
        score_unit_form(unit, &mut unit_score, rules, findings);
    }
    unit_score
}

/// The unit's own funds block, when it holds a figure.
fn own_funds(unit: &Unit) -> Option<&crate::model::Funds> {
    unit.funds
        .as_ref()
        .filter(|f| !f.total.budget.is_blank() || !f.total.executed.is_blank())
}

/// The unit form's indicator block scored like a project's: the execution rate of the
/// unit's funds (its own block, else the projects' sum) × its execution weight, plus
/// its indicators.
fn score_unit_form(
    unit: &Unit,
    score: &mut UnitScore,
    rules: &Rulebook,
    findings: &mut Vec<Finding>,
) {
    let own = own_funds(unit);
    let rolled = FundRow {
        budget: score.budget.into(),
        executed: score.executed.into(),
        ..FundRow::default()
    };
    let form = Form {
        name: &unit.name,
        total_row: own.map_or(&rolled, |f| &f.total),
        own_funds: own.is_some(),
        execution_weight: &unit.execution_weight,
        indicators: &unit.indicators,
    };
    let s = score_form(&form, &Place::unit(), rules, unit.year.value(), findings);
    score.execution_weight = s.execution_weight;
    score.execution_score = s.execution_score;
    score.execution_basis = s.execution_basis;
    score.levels = s.levels;
    score.indicators = s.indicators;
    score.total = s.total;
    score.grade = s.grade;
    score.cap = s.cap;
    score.weight_total = Some(s.weight_total);
    score.total_basis = s.total_basis;
}

fn roll_up(unit: &Unit, projects: &[ProjectScore], rules: &Rulebook) -> UnitScore {
    let own = own_funds(unit);
    let (budget, executed, funds_source) = match own {
        Some(funds) => (
            funds.total.budget.value(),
            funds.total.executed.value(),
            "unit",
        ),
        None => {
            // No project with a figure yet → no figure (a blank unit is not “0 万元”).
            let sum = |get: fn(&ProjectScore) -> Option<Decimal>| {
                let mut figures = projects.iter().filter_map(get).peekable();
                figures.peek()?;
                figures.try_fold(Decimal::ZERO, |acc, x| acc.checked_add(x))
            };
            (sum(|p| p.budget), sum(|p| p.executed), "projects")
        }
    };
    let rate = execution_rate(budget, executed);
    // The unit form's own 分值 as typed; blank → the rulebook's.
    let execution_weight = unit
        .execution_weight
        .value()
        .unwrap_or(rules.execution_weight);
    let mut grades = GradeCounts::default();
    let mut evaluated = 0;
    for p in projects {
        if let Some(g) = &p.grade {
            grades.add(g);
            evaluated += 1;
        }
    }
    let coverage_percent = (!projects.is_empty())
        .then(|| percent2(Decimal::from(evaluated) / Decimal::from(projects.len())));
    UnitScore {
        name: unit.name.clone(),
        year: unit.year.value(),
        budget,
        executed,
        rate,
        rate_percent: rate.map(percent2),
        execution_weight,
        execution_score: rate
            .filter(|_| !unit.execution_weight.is_unreadable())
            .map(|r| execution_score(r, execution_weight, rules).0),
        funds_source,
        projects: projects.len(),
        evaluated,
        coverage_percent,
        grades,
        execution_basis: String::new(),
        levels: Vec::new(),
        indicators: Vec::new(),
        total: None,
        grade: None,
        cap: None,
        weight_total: None,
        total_basis: None,
    }
}

/// executed ÷ budget; 0 when the budget is 0 (RULES.md §3); `None` when either is missing.
pub fn execution_rate(budget: Option<Decimal>, executed: Option<Decimal>) -> Option<Decimal> {
    let (budget, executed) = (budget?, executed?);
    if budget.is_zero() {
        Some(Decimal::ZERO)
    } else {
        executed.checked_div(budget)
    }
}

/// The exact rate of a fund row, for the screen and the audit.
pub fn row_rate(row: &FundRow) -> Option<Decimal> {
    execution_rate(row.budget.value(), row.executed.value())
}

fn execution_score(rate: Decimal, weight: Decimal, rules: &Rulebook) -> (Decimal, String) {
    match &rules.execution {
        ExecutionRule::Proportional => {
            let raw = rate
                .clamp(Decimal::ZERO, Decimal::ONE)
                .saturating_mul(weight);
            let score = rules.round_score(raw);
            (
                score,
                format!(
                    "{}% × {} = {}",
                    fmt2(percent2(rate)),
                    fmt_plain(weight),
                    fmt2(score)
                ),
            )
        }
        ExecutionRule::Tiered { tiers } => {
            let tier = tiers.iter().find(|t| rate >= t.min_rate);
            let score = rules.round_score(
                tier.map(|t| t.share.saturating_mul(weight))
                    .unwrap_or_default(),
            );
            let basis = match tier {
                Some(t) => format!(
                    "执行率{}%，不低于{}%，得{}分",
                    fmt2(percent2(rate)),
                    fmt_plain(percent2(t.min_rate)),
                    fmt2(score)
                ),
                None => format!("执行率{}%，低于最低档，得0分", fmt2(percent2(rate))),
            };
            (score, basis)
        }
    }
}

/// A scored form: a project's 项目支出绩效自评表, or the unit's own 部门（单位）整体支出绩效
/// 自评表 when it has an indicator block (RULES.md §2.1): the same rules for both.
pub struct Form<'a> {
    pub name: &'a str,
    /// Its 年度资金总额 row (on the unit form, the projects' sum when it has none).
    pub total_row: &'a FundRow,
    /// Whether the row is the form's own (its missing amounts are reported at it).
    pub own_funds: bool,
    pub execution_weight: &'a Figure,
    pub indicators: &'a [Indicator],
}

impl<'a> Form<'a> {
    pub fn of_project(project: &'a Project) -> Form<'a> {
        Form {
            name: &project.name,
            total_row: &project.funds.total,
            own_funds: true,
            execution_weight: &project.execution_weight,
            indicators: &project.indicators,
        }
    }
}

/// `year`: the year evaluated, for dates written without one.
pub fn score_project(
    project: &Project,
    place: &Place,
    rules: &Rulebook,
    year: Option<i32>,
    findings: &mut Vec<Finding>,
) -> ProjectScore {
    score_form(&Form::of_project(project), place, rules, year, findings)
}

/// Score a form (a project's or the unit's own): execution, every indicator, levels,
/// total and grade.
pub fn score_form(
    form: &Form<'_>,
    place: &Place,
    rules: &Rulebook,
    year: Option<i32>,
    findings: &mut Vec<Finding>,
) -> ProjectScore {
    let total_row = form.total_row;
    let execution_weight = form
        .execution_weight
        .value()
        .unwrap_or(rules.execution_weight);
    let rate = row_rate(total_row);
    if !form.own_funds {
        // The projects' sum: what is missing is reported at the projects.
    } else if total_row.budget.is_blank() {
        findings.push(place.finding(
            Severity::Error,
            "missing_amount",
            Some("funds.total.budget".into()),
            format!(
                "{}的{}未填写，无法计算执行率",
                glossary::FUND_TOTAL,
                glossary::BUDGET
            ),
        ));
    } else if total_row.executed.is_blank() {
        findings.push(place.finding(
            Severity::Error,
            "missing_amount",
            Some("funds.total.executed".into()),
            format!(
                "{}的{}未填写，无法计算执行率",
                glossary::FUND_TOTAL,
                glossary::EXECUTED
            ),
        ));
    } else if total_row.budget.value().is_some_and(|b| b.is_zero()) {
        findings.push(place.finding(
            Severity::Error,
            "zero_budget",
            Some("funds.total.budget".into()),
            format!("{}为0，执行率按0计，预算执行得分为0", glossary::BUDGET),
        ));
    }
    let (execution_score, execution_basis) = match rate {
        // Never the rulebook's weight in place of one typed that cannot be read.
        Some(_) if form.execution_weight.is_unreadable() => (None, String::new()),
        Some(r) => {
            let (s, b) = execution_score(r, execution_weight, rules);
            (Some(s), b)
        }
        None => (None, String::new()),
    };

    // A block that carries its points but none of its leaves a weight (湖北's goal
    // blocks): one error at the block, its rows unscored — never a zero.
    let blocks = unweighted_blocks(form.indicators);
    for block in &blocks {
        let first = block.rows[0];
        findings.push(place.indicator(first, &block.label).finding(
            Severity::Error,
            "block_weights_missing",
            Some(format!("indicators.{first}.weight")),
            format!(
                "“{}”共{}分，但其下{}个指标均未填写分值（表中只有该目标的分数），无法逐项计分；请把这{}分分配到各指标的分值",
                block.label,
                fmt_plain(block.points),
                block.rows.len(),
                fmt_plain(block.points)
            ),
        ));
    }
    let indicators: Vec<IndicatorScore> = form
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            if blocks.iter().any(|b| b.rows.contains(&i)) {
                return unscored(None);
            }
            let place = place.indicator(i, &ind.level1);
            score_indicator(ind, i, &place, rules, year, findings)
        })
        .collect();

    let levels = level_scores(form.indicators, &indicators, rules);
    // A row under no 一级指标 belongs to no subtotal: the total would miss it.
    let unplaced = form
        .indicators
        .iter()
        .zip(&indicators)
        .any(|(ind, s)| ind.level1.trim().is_empty() && s.method != Method::NotApplicable);
    let mut total = None;
    let mut cap = None;
    let mut total_basis = None;
    let all_scored = !unplaced && levels.iter().all(|l| l.score.is_some());
    if let (Some(exec), true) = (execution_score, all_scored) {
        let sum = levels
            .iter()
            .filter_map(|l| l.score)
            .fold(exec, |acc, s| acc.saturating_add(s));
        let any_excluded = indicators.iter().any(|s| s.method == Method::NotApplicable);
        let mut t = if any_excluded {
            let applicable = levels
                .iter()
                .fold(execution_weight, |acc, l| acc.saturating_add(l.weight));
            let t = sum
                .checked_div(applicable)
                .map(|share| round2(share.saturating_mul(Decimal::ONE_HUNDRED)))
                .unwrap_or_default();
            total_basis = Some(format!(
                "含不适用指标，总分按适用分值折算为百分制：得分合计{} ÷ 适用分值{} × 100 = {}",
                fmt2(sum),
                fmt_plain(applicable),
                fmt2(t)
            ));
            t
        } else {
            sum
        };
        if let (Some(caps), Some(r)) = (&rules.caps, rate) {
            if let Some(c) = caps.by_rate.iter().find(|c| r < c.below_rate) {
                if t > c.max_total {
                    cap = Some(format!(
                        "执行率{}%低于{}%，总分限为{}分",
                        fmt2(percent2(r)),
                        fmt_plain(percent2(c.below_rate)),
                        fmt_plain(c.max_total)
                    ));
                    t = c.max_total;
                }
            }
        }
        total = Some(t);
    }
    let grade = total.map(|t| rules.grade(round2(t)).to_string());
    ProjectScore {
        name: form.name.to_string(),
        budget: total_row.budget.value(),
        executed: total_row.executed.value(),
        rate,
        rate_percent: rate.map(percent2),
        execution_weight,
        execution_score,
        execution_basis,
        weight_total: form
            .indicators
            .iter()
            .filter_map(|i| i.weight.value())
            .fold(execution_weight, Decimal::saturating_add),
        levels,
        indicators,
        total,
        grade,
        cap,
        total_basis,
    }
}

/// A 一级 block whose label carries its points (`年度绩效目标1（40分）`) and none of
/// whose rows (not 不适用) has a weight written.
#[derive(Debug, Clone, PartialEq)]
pub struct UnweightedBlock {
    /// The label as written.
    pub label: String,
    pub points: Decimal,
    /// Its rows (0-based), in form order.
    pub rows: Vec<usize>,
}

/// The blocks of [`UnweightedBlock`] in a form's indicators.
pub fn unweighted_blocks(indicators: &[Indicator]) -> Vec<UnweightedBlock> {
    let mut blocks: Vec<UnweightedBlock> = Vec::new();
    let mut weighted: Vec<String> = Vec::new();
    for (i, ind) in indicators.iter().enumerate() {
        if value::is_level_name(&ind.level1) {
            continue; // most rows: a level's own name, no points
        }
        let label = ind.level1.trim();
        let Some(points) = value::level_points(label) else {
            continue;
        };
        if ind.not_applicable {
            continue;
        }
        if !ind.weight.is_blank() {
            weighted.push(label.to_string());
            continue;
        }
        match blocks.iter_mut().find(|b| b.label == label) {
            Some(b) => b.rows.push(i),
            None => blocks.push(UnweightedBlock {
                label: label.to_string(),
                points,
                rows: vec![i],
            }),
        }
    }
    blocks.retain(|b| !weighted.contains(&b.label));
    blocks
}

/// Subtotals by 一级指标, in the rulebook's order, then any other level in the order met.
/// A level is named as [`value::level_with_points`] reads it (`产出指标（50分）` is 产出指标).
fn level_scores(
    indicators: &[Indicator],
    scores: &[IndicatorScore],
    rules: &Rulebook,
) -> Vec<LevelScore> {
    let levels: Vec<std::borrow::Cow<'_, str>> = indicators
        .iter()
        .map(|ind| value::level_label(&ind.level1).0)
        .collect();
    let mut names: Vec<&str> = rules.levels.iter().map(|l| l.name.as_str()).collect();
    for name in &levels {
        if !name.is_empty() && !names.contains(&name.as_ref()) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let rows = || {
                levels
                    .iter()
                    .zip(scores)
                    .filter(move |(level, s)| *level == name && s.method != Method::NotApplicable)
                    .map(|(_, s)| s)
            };
            let listed = rules.level_weight(name).is_some();
            if rows().next().is_none() && !listed {
                return None;
            }
            let weight = rows()
                .filter_map(|s| s.weight)
                .fold(Decimal::ZERO, Decimal::saturating_add);
            let score = rows().try_fold(Decimal::ZERO, |acc, s| {
                s.score.map(|x| acc.saturating_add(x))
            });
            Some(LevelScore {
                name: name.to_string(),
                weight,
                score,
            })
        })
        .collect()
}

/// Parse a target or actual, reporting an unreadable one at its place.
fn read_value(
    text: &str,
    default_unit: &str,
    field: &str,
    row: usize,
    place: &Place,
    findings: &mut Vec<Finding>,
) -> Option<Value> {
    match value::parse_with_unit(text, default_unit) {
        Ok(v) => Some(v),
        Err(e) => {
            let label = glossary::field_label(field);
            findings.push(place.finding(
                Severity::Error,
                "unparseable",
                Some(format!("indicators.{row}.{field}")),
                format!("{label}{}", e.message),
            ));
            None
        }
    }
}

fn unscored(weight: Option<Decimal>) -> IndicatorScore {
    IndicatorScore {
        method: Method::Unscored,
        weight,
        score: None,
        band: None,
        basis: Basis::default(),
        ratio: None,
    }
}

fn score_indicator(
    ind: &Indicator,
    row: usize,
    place: &Place,
    rules: &Rulebook,
    evaluated: Option<i32>,
    findings: &mut Vec<Finding>,
) -> IndicatorScore {
    let field = |name: &str| Some(format!("indicators.{row}.{name}"));
    if ind.not_applicable {
        return IndicatorScore {
            method: Method::NotApplicable,
            weight: ind.weight.value(),
            score: None,
            band: None,
            basis: Basis::new(How::NotApplicable),
            ratio: None,
        };
    }
    let Some(weight) = ind.weight.value() else {
        // An unreadable weight is reported by the audit, at its cell.
        if ind.weight.is_blank() {
            findings.push(place.finding(
                Severity::Error,
                "missing_weight",
                field("weight"),
                format!("{}未填写", glossary::WEIGHT),
            ));
        }
        return unscored(None);
    };
    if weight < Decimal::ZERO {
        findings.push(place.finding(
            Severity::Error,
            "negative_weight",
            field("weight"),
            format!("{}{}不能为负数", glossary::WEIGHT, fmt_plain(weight)),
        ));
        return unscored(Some(weight));
    }
    let default_unit = if ind.unit.trim().is_empty() {
        value::unit_in_label(&ind.name).unwrap_or_default()
    } else {
        ind.unit.trim().to_string()
    };
    let target = read_value(&ind.target, &default_unit, "target", row, place, findings);
    let actual = read_value(&ind.actual, &default_unit, "actual", row, place, findings);
    let (Some(target), Some(actual)) = (target, actual) else {
        return unscored(Some(weight));
    };
    if actual == Value::Empty {
        findings.push(place.finding(
            Severity::Error,
            "missing_actual",
            field("actual"),
            format!("{}未填写", glossary::ACTUAL),
        ));
        return unscored(Some(weight));
    }
    if target == Value::Empty {
        findings.push(place.finding(
            Severity::Error,
            "missing_target",
            field("target"),
            format!("{}未填写", glossary::TARGET),
        ));
        return unscored(Some(weight));
    }

    // Against a deadline: a month of the year (11月), the year's end, or words that say
    // it was met or missed (RULES.md §4).
    let mut actual = actual;
    if let Value::Date {
        year,
        month: tm,
        day: td,
        ..
    } = &target
    {
        if !matches!(actual, Value::Date { .. }) {
            let (tm, td) = (*tm, *td);
            match value::against_deadline(&ind.actual, &actual, year.or(evaluated)) {
                Some(value::AgainstDeadline::Date { month, day }) => {
                    actual = Value::Date {
                        op: None,
                        year: None,
                        month,
                        day,
                    };
                }
                Some(value::AgainstDeadline::Met) => {
                    let Quant::Scored(s) = quant_score(
                        rules,
                        Method::Deadline,
                        weight,
                        weight,
                        How::DeadlineMet {
                            actual: ind.actual.trim().to_string(),
                            month: tm,
                            day: td,
                            weight,
                        },
                        None,
                    ) else {
                        return unscored(Some(weight));
                    };
                    return s;
                }
                Some(value::AgainstDeadline::Missed) => {
                    let Quant::Scored(s) = quant_score(
                        rules,
                        Method::Deadline,
                        weight,
                        Decimal::ZERO,
                        How::DeadlineMissed {
                            actual: ind.actual.trim().to_string(),
                            month: tm,
                            day: td,
                        },
                        None,
                    ) else {
                        return unscored(Some(weight));
                    };
                    return s;
                }
                None => {}
            }
        }
    }
    ambiguous_fraction(&target, &actual, ind, row, place, findings);

    let mut result = match quantitative(&target, &actual, weight, rules, evaluated) {
        Quant::Scored(s) => s,
        Quant::UnitMismatch(t, a) => {
            findings.push(place.finding(
                Severity::Error,
                "unit_mismatch",
                field("actual"),
                format!(
                    "{}的单位“{a}”与{}的单位“{t}”不一致",
                    glossary::ACTUAL,
                    glossary::TARGET
                ),
            ));
            return unscored(Some(weight));
        }
        Quant::NotQuantitative => {
            // The band the user chose in the row; else the one the actual names.
            let band = glossary::band_index(&ind.band).or(match &actual {
                Value::Band(b) => Some(*b),
                Value::Text(text) if value::text_means_achieved(text, &ind.target) => Some(0),
                _ => None,
            });
            match band {
                Some(b) => qualitative(ind, b, weight, rules, place, row, findings),
                None => {
                    // The words stay: they are the description the platform asks for.
                    let choices: Vec<&str> = glossary::BANDS.iter().map(|b| b.1).collect();
                    findings.push(place.finding(
                        Severity::Error,
                        "qualitative_unknown",
                        field("band"),
                        format!(
                            "{}“{}”是完成情况的描述，请在本行选择完成程度（{}），文字保留",
                            glossary::ACTUAL,
                            ind.actual.trim(),
                            choices.join("、")
                        ),
                    ));
                    return unscored(Some(weight));
                }
            }
        }
    };
    if result.score.is_none() {
        return result;
    }

    // Over-achievement: flagged, never deducted automatically (RULES.md §3).
    if let (Some(ratio), Method::Positive | Method::Equal) = (result.ratio, result.method) {
        if ratio > rules.over_achievement && ind.reason.trim().is_empty() {
            findings.push(place.finding(
                Severity::Warning,
                "over_achievement",
                field("reason"),
                format!(
                    "实际完成值为指标值的{}%，超额较多，请说明原因（必要时填写扣减分数）",
                    fmt2(percent2(ratio))
                ),
            ));
        }
        if let Some(caps) = &rules.caps {
            if let Some(over) = caps.over_ratio {
                if ratio >= Decimal::ONE.saturating_add(over) {
                    let s = result.score.unwrap_or_default();
                    let penalised = s.saturating_sub(caps.over_penalty).max(Decimal::ZERO);
                    result.basis.over = Some((over, caps.over_penalty));
                    result.score = Some(penalised);
                }
            }
        }
    }

    // Manual deduction with its reason.
    if let Some(deduction) = ind.deduction.value().filter(|d| !d.is_zero()) {
        if deduction < Decimal::ZERO {
            findings.push(place.finding(
                Severity::Error,
                "negative_deduction",
                field("deduction"),
                format!("扣减分数{}不能为负数", fmt_plain(deduction)),
            ));
        } else {
            let s = result.score.unwrap_or_default();
            result.score = Some(rules.round_score(s.saturating_sub(deduction).max(Decimal::ZERO)));
            result.basis.deduction = Some(deduction);
            if ind.deduction_reason.trim().is_empty() {
                findings.push(place.finding(
                    Severity::Warning,
                    "deduction_reason_missing",
                    field("deductionReason"),
                    format!("扣减了{}分，请填写扣减原因", fmt_plain(deduction)),
                ));
            }
        }
    }
    result
}

/// A bare decimal ≤ 1 against a percentage target (`≥95%` / `0.97`): read as written
/// (0.97 %) and asked about, never guessed silently (RULES.md §4).
fn ambiguous_fraction(
    target: &Value,
    actual: &Value,
    ind: &Indicator,
    row: usize,
    place: &Place,
    findings: &mut Vec<Finding>,
) {
    let (Value::Number { unit: tu, .. }, Value::Number { number, .. }) = (target, actual) else {
        return;
    };
    // Bare as typed (a % from the indicator's name or unit column does not count).
    let bare = !ind.actual.contains(['%', '％']) && !ind.actual.contains("百分");
    if tu != "%" || !bare || *number <= Decimal::ZERO || *number > Decimal::ONE {
        return;
    }
    let meant = fmt_plain(number.saturating_mul(Decimal::ONE_HUNDRED));
    findings.push(place.finding(
        Severity::Warning,
        "ambiguous_fraction",
        Some(format!("indicators.{row}.actual")),
        format!(
            "{}“{}”按{}%计分；是否为{meant}%？如是请填写“{meant}%”",
            glossary::ACTUAL,
            ind.actual.trim(),
            fmt_plain(*number)
        ),
    ));
}

enum Quant {
    Scored(IndicatorScore),
    UnitMismatch(String, String),
    NotQuantitative,
}

fn quant_score(
    rules: &Rulebook,
    method: Method,
    weight: Decimal,
    raw: Decimal,
    how: How,
    ratio: Option<Decimal>,
) -> Quant {
    let score = rules.round_score(raw.max(Decimal::ZERO).min(weight));
    Quant::Scored(IndicatorScore {
        method,
        weight: Some(weight),
        score: Some(score),
        band: None,
        basis: Basis::equals(how, score),
        ratio,
    })
}

/// Score a numeric target against a numeric actual (RULES.md §3).
/// `evaluated`: the year evaluated — a date written without a year is in it (RULES.md §4).
fn quantitative(
    target: &Value,
    actual: &Value,
    weight: Decimal,
    rules: &Rulebook,
    evaluated: Option<i32>,
) -> Quant {
    match (target, actual) {
        (
            Value::Number {
                op,
                number: t,
                unit: tu,
            },
            Value::Number {
                number: a,
                unit: au,
                ..
            },
        ) => {
            let Some(a) = value::convert(*a, au, tu) else {
                return Quant::UnitMismatch(tu.clone(), au.clone());
            };
            let a = a.max(Decimal::ZERO);
            let t = *t;
            let ratio = (!t.is_zero()).then(|| a.checked_div(t)).flatten();
            match op {
                None | Some(Op::Ge) | Some(Op::Gt) | Some(Op::Eq) => {
                    let method = if *op == Some(Op::Eq) {
                        Method::Equal
                    } else {
                        Method::Positive
                    };
                    if method == Method::Equal && t.is_zero() {
                        let full = a <= Decimal::ZERO;
                        let raw = if full { weight } else { Decimal::ZERO };
                        return quant_score(
                            rules,
                            method,
                            weight,
                            raw,
                            How::ZeroTarget { actual: a },
                            None,
                        );
                    }
                    if a >= t || t <= Decimal::ZERO {
                        quant_score(
                            rules,
                            method,
                            weight,
                            weight,
                            How::Reached {
                                actual: a,
                                target: t,
                                weight,
                            },
                            ratio,
                        )
                    } else {
                        let raw = ratio.map(|r| r.saturating_mul(weight)).unwrap_or_default();
                        quant_score(
                            rules,
                            method,
                            weight,
                            raw,
                            How::Share {
                                actual: a,
                                target: t,
                                weight,
                            },
                            ratio,
                        )
                    }
                }
                Some(Op::Le) | Some(Op::Lt) => reverse(t, a, weight, rules, ratio),
            }
        }
        (
            Value::Range {
                low,
                high,
                unit: tu,
            },
            Value::Number {
                number: a,
                unit: au,
                ..
            },
        ) => {
            let Some(a) = value::convert(*a, au, tu) else {
                return Quant::UnitMismatch(tu.clone(), au.clone());
            };
            let a = a.max(Decimal::ZERO);
            if a >= *low && a <= *high {
                quant_score(
                    rules,
                    Method::Range,
                    weight,
                    weight,
                    How::InRange {
                        actual: a,
                        low: *low,
                        high: *high,
                        weight,
                    },
                    None,
                )
            } else if a < *low {
                let raw = a
                    .checked_div(*low)
                    .map(|r| r.saturating_mul(weight))
                    .unwrap_or_default();
                quant_score(
                    rules,
                    Method::Range,
                    weight,
                    raw,
                    How::BelowRange {
                        actual: a,
                        low: *low,
                        weight,
                    },
                    None,
                )
            } else {
                match reverse(*high, a, weight, rules, None) {
                    Quant::Scored(mut s) => {
                        s.method = Method::Range;
                        Quant::Scored(s)
                    }
                    other => other,
                }
            }
        }
        (
            Value::Date {
                year: ty,
                month: tm,
                day: td,
                ..
            },
            Value::Date {
                year: ay,
                month: am,
                day: ad,
                ..
            },
        ) => {
            let year = ty.or(evaluated).or(*ay).unwrap_or_default();
            let t = (year, *tm, *td);
            let a = (ay.or(evaluated).unwrap_or(year), *am, *ad);
            let on_time = a <= t;
            let raw = if on_time { weight } else { Decimal::ZERO };
            // Years are named when the two differ (2023年1月5日 against 12月31日).
            let basis = How::Dates {
                done: a,
                deadline: t,
            };
            quant_score(rules, Method::Deadline, weight, raw, basis, None)
        }
        _ => Quant::NotQuantitative,
    }
}

fn reverse(
    t: Decimal,
    a: Decimal,
    weight: Decimal,
    rules: &Rulebook,
    ratio: Option<Decimal>,
) -> Quant {
    let (actual, target) = (a, t);
    if a <= t {
        return quant_score(
            rules,
            Method::Reverse,
            weight,
            weight,
            How::Within {
                actual,
                target,
                weight,
            },
            ratio,
        );
    }
    if t <= Decimal::ZERO {
        return quant_score(
            rules,
            Method::Reverse,
            weight,
            Decimal::ZERO,
            How::Over { actual, target },
            ratio,
        );
    }
    match rules.reverse {
        ReverseRule::Linear => {
            let over = (a - t).checked_div(t).unwrap_or(Decimal::MAX);
            let raw = (Decimal::ONE.saturating_sub(over)).saturating_mul(weight);
            quant_score(
                rules,
                Method::Reverse,
                weight,
                raw,
                How::ReverseLinear {
                    actual,
                    target,
                    weight,
                },
                ratio,
            )
        }
        ReverseRule::Ratio => {
            let raw = t
                .checked_div(a)
                .map(|r| r.saturating_mul(weight))
                .unwrap_or_default();
            quant_score(
                rules,
                Method::Reverse,
                weight,
                raw,
                How::ReverseRatio {
                    actual,
                    target,
                    weight,
                },
                ratio,
            )
        }
    }
}

/// A qualitative indicator: the user's score inside the band, or the band's default.
fn qualitative(
    ind: &Indicator,
    band: usize,
    weight: Decimal,
    rules: &Rulebook,
    place: &Place,
    row: usize,
    findings: &mut Vec<Finding>,
) -> IndicatorScore {
    let Some(rule) = rules.bands.get(band) else {
        return unscored(Some(weight));
    };
    let (low, high) = (
        round2(rule.min.saturating_mul(weight)),
        round2(rule.max.saturating_mul(weight)),
    );
    let top = band == 0;
    let mut result = IndicatorScore {
        method: Method::Qualitative,
        weight: Some(weight),
        score: None,
        band: Some(band),
        basis: Basis::default(),
        ratio: None,
    };
    match ind.typed_score.value() {
        Some(s) => {
            let inside = s >= low && (s < high || (top && s == high));
            if !inside {
                let range = if top {
                    format!("[{}, {}]", fmt_plain(low), fmt_plain(high))
                } else {
                    format!("[{}, {})", fmt_plain(low), fmt_plain(high))
                };
                let mut f = place.finding(
                    Severity::Error,
                    "score_out_of_band",
                    Some(format!("indicators.{row}.typedScore")),
                    format!(
                        "得分{}不在“{}”的分数区间{range}内",
                        fmt_plain(s),
                        rule.label
                    ),
                );
                f.typed = Some(fmt_plain(s));
                findings.push(f);
                return result;
            }
            result.score = Some(rules.round_score(s));
            result.basis = Basis::new(How::Assessed {
                band: rule.label.clone(),
                score: s,
            });
        }
        None => {
            let s = rules.round_score(rule.default.saturating_mul(weight));
            findings.push(place.finding(
                Severity::Warning,
                "qualitative_unconfirmed",
                Some(format!("indicators.{row}.typedScore")),
                format!(
                    "定性指标“{}”未填写得分，暂按默认{}%计{}分，请确认",
                    rule.label,
                    fmt_plain(percent2(rule.default)),
                    fmt2(s)
                ),
            ));
            result.score = Some(s);
            result.basis = Basis::new(How::BandDefault {
                band: rule.label.clone(),
                share: rule.default,
                weight,
                score: s,
            });
        }
    }
    result
}
