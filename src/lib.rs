//! Jixiao 绩效自评 — the scoring core.
//!
//! Read top-down: [`model`] (the data) → [`value`] (targets and actuals as written)
//! → [`rules`] (the rulebook) → [`scoring`] → [`audit`] (checks and typed-figure audit)
//! → [`io`] (JSON and workbook import). `wasm.rs` and the `jixiao` command are thin skins
//! over [`evaluate`]; [`review`] is the finance bureau's review of many units' files.

pub mod audit;
pub mod basis;
pub mod figure;
pub mod finding;
pub mod glossary;
pub mod io;
pub mod model;
pub mod profile;
pub mod report;
pub mod review;
pub mod rules;
pub mod scoring;
pub mod session;
pub mod summary;
pub mod value;

use finding::Finding;
use model::Unit;
use rules::Rulebook;
use scoring::Scores;
use serde::Serialize;

/// Everything computed from a unit: scores, roll-up and findings.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub scores: Scores,
    /// Findings in form order: the unit first, then each project row by row.
    pub findings: Vec<Finding>,
}

/// Score, check and audit a unit by a rulebook.
pub fn evaluate(unit: &Unit, rules: &Rulebook) -> Evaluation {
    let mut findings = Vec::new();
    let scores = scoring::score_unit(unit, rules, &mut findings);
    findings.extend(audit::check(unit, &scores, rules));
    findings.sort_by_key(|f| (f.project_index.map_or(0, |i| i + 1), f.row.unwrap_or(0)));
    Evaluation { scores, findings }
}

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The filled report of a unit scored by `rules`, its forms in the layout chosen with
/// the unit's profile ([`report::layout_key`]: central 2020 unless the profile names
/// another built-in layout). Every export — the .docx, the .xlsx and the page's
/// preview and printout — is this report.
pub fn report(unit: &Unit, rules: &Rulebook) -> report::Report {
    let eval = evaluate(unit, rules);
    report::build(unit, &eval, &report::Layout::for_profile(&unit.profile))
}
