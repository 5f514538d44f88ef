//! A unit kept between edits: the page's core holds the unit it shows, each project's
//! scores and findings, and an edit re-scores only what it touched.
//!
//! A project's scores and findings depend on that project, the year evaluated and the
//! rulebook alone ([`scoring::score_project`], [`audit::check_project_at`]); the unit's
//! own figures on its own fields and its projects' scores ([`scoring::score_unit_level`],
//! [`audit::check_unit`]). So an edit of project 7's indicator re-scores project 7 and
//! the unit's roll-up; an edit of the unit's name only the unit's own part; an edit that
//! changes the year or the rules (the rulebook named, the profile) every project.
//!
//! [`Session::evaluation`] is, field for field, what [`crate::evaluate`] gives for the
//! same unit (the tests hold it to that after every edit, and the page's model-based
//! test after every step): findings in form order, the unit's first, then each
//! project's row by row.

use serde::Serialize;

use crate::audit;
use crate::finding::{Finding, Place};
use crate::model::{Project, Unit};
use crate::rules::Rulebook;
use crate::scoring::{self, ProjectScore, Scores, UnitScore};
use crate::summary::{FindingSummary, ProjectSummary, Summary, UnitSummary};
use crate::Evaluation;

/// One part of the unit (a project, or the unit's own figures): its findings in form
/// order and what the screen is sent of them.
#[derive(Debug, Clone, Default)]
struct Findings {
    list: Vec<Finding>,
    summaries: Vec<FindingSummary>,
}

impl Findings {
    fn new(mut list: Vec<Finding>) -> Findings {
        // As `evaluate` orders them: by row, scoring's before the checks' on one row.
        list.sort_by_key(|f| f.row.unwrap_or(0));
        let summaries = list.iter().map(FindingSummary::from).collect();
        Findings { list, summaries }
    }
}

/// The unit, its rulebook and everything computed from them, part by part.
#[derive(Debug, Clone)]
pub struct Session {
    unit: Unit,
    /// The rules asked for (`None`: the unit's own, else its profile's, else the default).
    spec: Option<String>,
    rules: Rulebook,
    scores: Vec<ProjectScore>,
    summaries: Vec<ProjectSummary>,
    findings: Vec<Findings>,
    unit_score: UnitScore,
    unit_summary: UnitSummary,
    unit_findings: Findings,
}

/// What an edit changed, for the screen: the unit's figures, the projects re-scored,
/// and every finding when any changed (else `None`: the screen keeps its list).
#[derive(Debug, Serialize)]
pub struct Delta<'a> {
    pub rules: &'a str,
    pub unit: &'a UnitSummary,
    pub projects: Vec<(usize, &'a ProjectSummary)>,
    pub findings: Option<Vec<&'a FindingSummary>>,
}

/// An edit: the unit's own fields (a unit whose `projects` are ignored) and whole
/// projects by index.
#[derive(Debug, Default)]
pub struct Edit {
    pub unit: Option<Unit>,
    pub projects: Vec<(usize, Project)>,
}

impl Session {
    /// The unit scored whole by the rules `spec` names (see [`Rulebook::of_unit`]).
    pub fn new(unit: Unit, spec: Option<String>) -> Result<Session, String> {
        let rules = rules_for(&unit, spec.as_deref())?;
        let (mut scores, mut summaries, mut findings) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..unit.projects.len() {
            let (score, summary, found) = score_project(&unit, &rules, i);
            scores.push(score);
            summaries.push(summary);
            findings.push(found);
        }
        let (unit_score, unit_summary, unit_findings) = score_unit(&unit, &rules, &scores);
        Ok(Session {
            unit,
            spec,
            rules,
            scores,
            summaries,
            findings,
            unit_score,
            unit_summary,
            unit_findings,
        })
    }

    pub fn unit(&self) -> &Unit {
        &self.unit
    }

    pub fn rules(&self) -> &Rulebook {
        &self.rules
    }

    /// Apply an edit, all or nothing: a project index beyond the unit's, or rules the
    /// unit's new fields name but that cannot be read, change nothing (the error says
    /// why). Re-scores what the edit touched; the delta for the screen.
    pub fn apply(&mut self, edit: Edit) -> Result<Delta<'_>, String> {
        let count = self.unit.projects.len();
        if let Some((i, _)) = edit.projects.iter().find(|(i, _)| *i >= count) {
            return Err(format!("内部错误：没有第{}个项目（共{count}个）", i + 1));
        }
        let mut all = false;
        if let Some(mut fields) = edit.unit {
            let rules = rules_for(&fields, self.spec.as_deref())?;
            fields.projects = std::mem::take(&mut self.unit.projects);
            all = rules != self.rules || fields.year.value() != self.unit.year.value();
            self.unit = fields;
            self.rules = rules;
        }
        // Each project once, in the order the edit first names it (named twice: its last
        // state), with the findings it had.
        let mut touched: Vec<usize> = Vec::new();
        for (i, _) in &edit.projects {
            if !touched.contains(i) {
                touched.push(*i);
            }
        }
        let before: Vec<Vec<FindingSummary>> = match all {
            true => Vec::new(),
            false => touched
                .iter()
                .map(|&i| self.findings[i].summaries.clone())
                .collect(),
        };
        for (i, project) in edit.projects {
            self.unit.projects[i] = project;
        }
        let mut changed = match all {
            true => {
                self.rescore_projects();
                touched = (0..count).collect();
                true
            }
            false => {
                for &i in &touched {
                    self.rescore_project(i);
                }
                let mut changed = false;
                for (k, i) in touched.iter().enumerate() {
                    if before.get(k) != Some(&self.findings[*i].summaries) {
                        changed = true;
                    }
                }
                changed
            }
        };
        changed |= self.rescore_unit();
        touched.sort_unstable();
        Ok(Delta {
            rules: &self.rules.name,
            unit: &self.unit_summary,
            projects: touched.iter().map(|&i| (i, &self.summaries[i])).collect(),
            findings: changed.then(|| self.finding_summaries()),
        })
    }

    /// Everything computed, as [`crate::evaluate`] gives it.
    pub fn evaluation(&self) -> Evaluation {
        Evaluation {
            scores: Scores {
                unit: self.unit_score.clone(),
                projects: self.scores.clone(),
            },
            findings: self
                .unit_findings
                .list
                .iter()
                .chain(self.findings.iter().flat_map(|f| &f.list))
                .cloned()
                .collect(),
        }
    }

    /// The whole summary the screen renders (as [`Summary::new`] of the evaluation),
    /// from the parts kept.
    pub fn summary(&self) -> Summary {
        Summary {
            rules: self.rules.name.clone(),
            unit: self.unit_summary.clone(),
            projects: self.summaries.clone(),
            findings: self.finding_summaries().into_iter().cloned().collect(),
        }
    }

    fn finding_summaries(&self) -> Vec<&FindingSummary> {
        self.unit_findings
            .summaries
            .iter()
            .chain(self.findings.iter().flat_map(|f| &f.summaries))
            .collect()
    }

    fn rescore_projects(&mut self) {
        for i in 0..self.unit.projects.len() {
            self.rescore_project(i);
        }
    }

    fn rescore_project(&mut self, i: usize) {
        let (score, summary, findings) = score_project(&self.unit, &self.rules, i);
        self.scores[i] = score;
        self.summaries[i] = summary;
        self.findings[i] = findings;
    }

    /// The unit's own part; whether its findings changed.
    fn rescore_unit(&mut self) -> bool {
        let (score, summary, findings) = score_unit(&self.unit, &self.rules, &self.scores);
        let changed = findings.summaries != self.unit_findings.summaries;
        self.unit_score = score;
        self.unit_summary = summary;
        self.unit_findings = findings;
        changed
    }
}

/// Project `i` scored, checked and audited.
fn score_project(
    unit: &Unit,
    rules: &Rulebook,
    i: usize,
) -> (ProjectScore, ProjectSummary, Findings) {
    let project = &unit.projects[i];
    let place = Place::project(i, &project.name);
    let mut findings = Vec::new();
    let score = scoring::score_project(project, &place, rules, unit.year.value(), &mut findings);
    findings.extend(audit::check_project_at(i, project, &score, rules));
    let summary = ProjectSummary::new(&score, rules);
    (score, summary, Findings::new(findings))
}

/// The unit's own figures from its projects' scores, checked and audited.
fn score_unit(
    unit: &Unit,
    rules: &Rulebook,
    projects: &[ProjectScore],
) -> (UnitScore, UnitSummary, Findings) {
    let mut findings = Vec::new();
    let score = scoring::score_unit_level(unit, projects, rules, &mut findings);
    findings.extend(audit::check_unit(unit, &score, rules));
    let summary = UnitSummary::new(&score, rules);
    (score, summary, Findings::new(findings))
}

/// The rules asked for, else the ones the unit names, else its profile's, else the
/// default.
pub fn rules_for(unit: &Unit, spec: Option<&str>) -> Result<Rulebook, String> {
    match spec.filter(|s| !s.trim().is_empty()) {
        Some(spec) => Rulebook::for_unit(spec),
        None => Rulebook::of_unit(unit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &[u8] = include_bytes!("../examples/lanzhou-xinqu-emergency-2022.xlsx");

    fn seed() -> Unit {
        crate::io::load(SEED, "seed.xlsx").unwrap().unit
    }

    /// The session's summary is the full evaluation's, as JSON.
    fn same_as_full(session: &Session) {
        let unit = session.unit();
        let rules = rules_for(unit, None).unwrap();
        let full = Summary::new(&crate::evaluate(unit, &rules), &rules, &[]);
        let kept = session.summary();
        assert_eq!(
            serde_json::to_string(&kept).unwrap(),
            serde_json::to_string(&full).unwrap()
        );
        let eval = session.evaluation();
        assert_eq!(
            serde_json::to_string(&Summary::new(&eval, &rules, &[])).unwrap(),
            serde_json::to_string(&full).unwrap()
        );
    }

    #[test]
    fn a_fresh_session_is_the_full_evaluation() {
        let session = Session::new(seed(), None).unwrap();
        same_as_full(&session);
        assert_eq!(
            session.summary().unit.rate_percent.as_deref(),
            Some("99.60")
        );
    }

    #[test]
    fn an_edit_rescores_what_it_touched_and_nothing_drifts() {
        let mut session = Session::new(seed(), None).unwrap();
        // Project 4 (气象灾害预警项目, 75.00 中): its executed amount up to its budget.
        let mut p = session.unit().projects[3].clone();
        p.funds.total.executed = crate::figure::Figure::typed("49");
        let delta = session
            .apply(Edit {
                unit: None,
                projects: vec![(3, p)],
            })
            .unwrap();
        assert_eq!(delta.projects.len(), 1);
        assert_eq!(delta.projects[0].0, 3);
        let total = delta.projects[0].1.total.clone();
        assert_ne!(total.as_deref(), Some("75.00"));
        same_as_full(&session);
        // An unreadable figure: a new finding, the whole list sent.
        let mut p = session.unit().projects[0].clone();
        p.indicators[0].weight = crate::figure::Figure::typed("约50");
        let delta = session
            .apply(Edit {
                unit: None,
                projects: vec![(0, p)],
            })
            .unwrap();
        let findings = delta.findings.expect("the findings changed");
        assert!(findings.iter().any(|f| f.code == "unreadable_figure"));
        same_as_full(&session);
        // The same project typed again without a change of findings: none sent.
        let p = session.unit().projects[0].clone();
        let delta = session
            .apply(Edit {
                unit: None,
                projects: vec![(0, p)],
            })
            .unwrap();
        assert!(delta.findings.is_none());
        // The unit's name: its own part only.
        let mut fields = session.unit().clone();
        fields.name = "另一个局".into();
        fields.projects.clear();
        let delta = session
            .apply(Edit {
                unit: Some(fields),
                projects: Vec::new(),
            })
            .unwrap();
        assert_eq!(delta.unit.name, "另一个局");
        assert!(delta.projects.is_empty());
        same_as_full(&session);
        // The rules (tiered): every project re-scored.
        let mut fields = session.unit().clone();
        fields.rules = "tiered".into();
        fields.projects.clear();
        let delta = session
            .apply(Edit {
                unit: Some(fields),
                projects: Vec::new(),
            })
            .unwrap();
        assert_eq!(delta.rules, "tiered");
        assert_eq!(delta.projects.len(), 9);
        same_as_full(&session);
        assert_eq!(session.unit().projects.len(), 9);
    }

    #[test]
    fn a_bad_edit_changes_nothing() {
        let mut session = Session::new(seed(), None).unwrap();
        let before = serde_json::to_string(&session.summary()).unwrap();
        let p = session.unit().projects[0].clone();
        let err = session
            .apply(Edit {
                unit: None,
                projects: vec![(9, p)],
            })
            .unwrap_err();
        assert!(err.contains("第10个项目"));
        let mut fields = session.unit().clone();
        fields.rules = "no-such-rules".into();
        fields.projects.clear();
        assert!(session
            .apply(Edit {
                unit: Some(fields),
                projects: Vec::new(),
            })
            .is_err());
        assert_eq!(serde_json::to_string(&session.summary()).unwrap(), before);
    }
}
