//! The evaluation summary as the `jixiao` command prints it (text or `--json`): figures
//! formatted the way the forms show them (percentages and scores with 2 decimals,
//! amounts as entered), every decimal as a string.

use crate::basis::Basis;
use crate::finding::{Finding, Severity};
use crate::rules::Rulebook;
use crate::scoring::{
    fmt2, fmt_plain, GradeCounts, IndicatorScore, LevelScore, Method, ProjectScore, UnitScore,
};
use crate::Evaluation;
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub rules: String,
    pub unit: UnitSummary,
    pub projects: Vec<ProjectSummary>,
    pub findings: Vec<FindingSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitSummary {
    pub name: String,
    pub year: Option<i32>,
    /// 万元, as entered
    pub budget: Option<String>,
    pub executed: Option<String>,
    pub rate_percent: Option<String>,
    /// `unit` (the unit's own funds block) or `projects` (their sum)
    pub funds_source: String,
    pub projects: usize,
    pub evaluated: usize,
    pub coverage_percent: Option<String>,
    pub grades: GradeCounts,
    /// 分值 and 得分 of the execution rate on the unit form (the 得分 only when the unit
    /// form has its own indicator block, or the rate is known).
    pub execution_weight: String,
    pub execution_score: Option<String>,
    pub execution_basis: String,
    /// The unit form's own indicator block, scored like a project's (empty without one).
    pub levels: Vec<LevelSummary>,
    pub indicators: Vec<IndicatorSummary>,
    /// 总分 and 自评等级 of the unit form; `None` without an indicator block.
    pub total: Option<String>,
    pub grade: Option<String>,
    pub cap: Option<String>,
    pub weight_total: Option<String>,
    pub total_basis: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectSummary {
    pub name: String,
    pub budget: Option<String>,
    pub executed: Option<String>,
    pub rate_percent: Option<String>,
    pub execution_score: Option<String>,
    /// How the execution score was reached (“94.65% × 10 = 9.46”).
    pub execution_basis: String,
    pub levels: Vec<LevelSummary>,
    pub indicators: Vec<IndicatorSummary>,
    pub total: Option<String>,
    pub grade: Option<String>,
    /// Why the total was capped (local caps), if it was.
    pub cap: Option<String>,
    /// Σ分值 as the form lists it (the 总分 row's 分值).
    pub weight_total: String,
    /// How a total with 不适用 rows was rescaled, if it was.
    pub total_basis: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSummary {
    pub method: Method,
    pub score: Option<String>,
    /// The qualitative band's label, when there is one.
    pub band: Option<String>,
    /// Serialized as its text, written straight into the JSON.
    pub basis: Basis,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelSummary {
    pub name: String,
    pub weight: String,
    pub score: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingSummary {
    pub severity: Severity,
    pub code: String,
    pub project: Option<String>,
    /// Index of the project in the unit (for the screen to jump to it).
    pub project_index: Option<usize>,
    pub row: Option<usize>,
    pub field: Option<String>,
    pub typed: Option<String>,
    pub computed: Option<String>,
    pub message: String,
}

fn level_summaries(levels: &[LevelScore]) -> Vec<LevelSummary> {
    levels
        .iter()
        .map(|l| LevelSummary {
            name: l.name.clone(),
            weight: fmt_plain(l.weight),
            score: l.score.map(fmt2),
        })
        .collect()
}

fn indicator_summaries(indicators: &[IndicatorScore], rules: &Rulebook) -> Vec<IndicatorSummary> {
    indicators
        .iter()
        .map(|i| IndicatorSummary {
            method: i.method,
            score: i.score.map(fmt2),
            band: i
                .band
                .and_then(|b| rules.bands.get(b))
                .map(|b| b.label.clone()),
            basis: i.basis.clone(),
        })
        .collect()
}

impl From<&Finding> for FindingSummary {
    fn from(f: &Finding) -> Self {
        FindingSummary {
            severity: f.severity,
            code: f.code.clone(),
            project: f.project.clone(),
            project_index: f.project_index,
            row: f.row,
            field: f.field.clone(),
            typed: f.typed.clone(),
            computed: f.computed.clone(),
            message: f.message.clone(),
        }
    }
}

/// An amount as entered, or none.
fn plain(x: Option<rust_decimal::Decimal>) -> Option<String> {
    x.map(fmt_plain)
}

/// A percentage or a score with 2 decimals, or none.
fn two(x: Option<rust_decimal::Decimal>) -> Option<String> {
    x.map(fmt2)
}

impl UnitSummary {
    pub fn new(u: &UnitScore, rules: &Rulebook) -> UnitSummary {
        UnitSummary {
            name: u.name.clone(),
            year: u.year,
            budget: plain(u.budget),
            executed: plain(u.executed),
            rate_percent: two(u.rate_percent),
            funds_source: u.funds_source.to_string(),
            projects: u.projects,
            evaluated: u.evaluated,
            coverage_percent: two(u.coverage_percent),
            grades: u.grades.clone(),
            execution_weight: fmt_plain(u.execution_weight),
            execution_score: two(u.execution_score),
            execution_basis: u.execution_basis.clone(),
            levels: level_summaries(&u.levels),
            indicators: indicator_summaries(&u.indicators, rules),
            total: two(u.total),
            grade: u.grade.clone(),
            cap: u.cap.clone(),
            weight_total: plain(u.weight_total),
            total_basis: u.total_basis.clone(),
        }
    }
}

impl ProjectSummary {
    pub fn new(p: &ProjectScore, rules: &Rulebook) -> ProjectSummary {
        ProjectSummary {
            name: p.name.clone(),
            budget: plain(p.budget),
            executed: plain(p.executed),
            rate_percent: two(p.rate_percent),
            execution_score: two(p.execution_score),
            execution_basis: p.execution_basis.clone(),
            levels: level_summaries(&p.levels),
            indicators: indicator_summaries(&p.indicators, rules),
            total: two(p.total),
            grade: p.grade.clone(),
            cap: p.cap.clone(),
            weight_total: fmt_plain(p.weight_total),
            total_basis: p.total_basis.clone(),
        }
    }
}

impl Summary {
    /// Summarise an evaluation; `extra` findings (e.g. the importer's) come first.
    pub fn new(eval: &Evaluation, rules: &Rulebook, extra: &[Finding]) -> Summary {
        Summary {
            rules: rules.name.clone(),
            unit: UnitSummary::new(&eval.scores.unit, rules),
            projects: eval
                .scores
                .projects
                .iter()
                .map(|p| ProjectSummary::new(p, rules))
                .collect(),
            findings: extra
                .iter()
                .chain(&eval.findings)
                .map(FindingSummary::from)
                .collect(),
        }
    }

    /// A readable Chinese summary for the terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let u = &self.unit;
        let dash = |x: &Option<String>| x.clone().unwrap_or_else(|| "—".into());
        let pct = |x: &Option<String>| x.as_ref().map_or_else(|| "—".into(), |x| format!("{x}%"));
        let year = u.year.map(|y| format!(" · {y}年度")).unwrap_or_default();
        let _ = writeln!(out, "{}{year} 绩效自评", u.name);
        let source = if u.funds_source == "unit" {
            "部门整体表"
        } else {
            "各项目合计"
        };
        let _ = writeln!(
            out,
            "预算 {} 万元，执行 {} 万元，执行率 {}（{source}）",
            dash(&u.budget),
            dash(&u.executed),
            pct(&u.rate_percent)
        );
        let grades: Vec<String> = u
            .grades
            .pairs()
            .iter()
            .map(|(g, n)| format!("{g}{n}"))
            .collect();
        let _ = writeln!(
            out,
            "项目 {} 个，已评 {} 个，覆盖率 {}；等级 {}",
            u.projects,
            u.evaluated,
            pct(&u.coverage_percent),
            grades.join(" ")
        );
        if u.total.is_some() || !u.levels.is_empty() {
            let levels: Vec<String> = u
                .levels
                .iter()
                .map(|l| format!(" · {} {}", l.name, dash(&l.score)))
                .collect();
            let _ = writeln!(
                out,
                "部门整体 执行得分 {}{} · 总分 {} {}",
                dash(&u.execution_score),
                levels.concat(),
                dash(&u.total),
                dash(&u.grade)
            );
        }
        let _ = writeln!(out);
        for (i, p) in self.projects.iter().enumerate() {
            let levels: Vec<String> = p
                .levels
                .iter()
                .map(|l| format!("{} {}", l.name, dash(&l.score)))
                .collect();
            let _ = writeln!(
                out,
                "{:>2}. {}  执行率 {} 得分 {} · {} · 总分 {} {}",
                i + 1,
                p.name,
                pct(&p.rate_percent),
                dash(&p.execution_score),
                levels.join(" · "),
                dash(&p.total),
                dash(&p.grade)
            );
        }
        let count = |s: Severity| self.findings.iter().filter(|f| f.severity == s).count();
        let _ = writeln!(
            out,
            "\n核对结果：错误 {} 项，提示 {} 项，说明 {} 项",
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Notice)
        );
        for f in &self.findings {
            let _ = writeln!(out, "[{}] {}", f.severity.label(), f.message);
        }
        out
    }
}
