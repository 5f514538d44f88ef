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

// One indicator's score (scoring/indicator.rs).
mod indicator;
use indicator::{score_indicator, unscored};

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
