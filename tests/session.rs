//! The page's kept unit (`jixiao::session`): after any sequence of edits — a project's
//! figures, targets, names; the unit's name, year, rules, funds, its own indicators —
//! what it holds is what a full evaluation of the same unit gives, and each edit's
//! delta carries every project it re-scored and the findings whenever they changed.
#![cfg(not(target_arch = "wasm32"))]

use jixiao::figure::Figure;
use jixiao::model::Unit;
use jixiao::session::{rules_for, Edit, Session};
use jixiao::summary::Summary;
use proptest::prelude::*;

const SEED: &[u8] = include_bytes!("../examples/lanzhou-xinqu-emergency-2022.xlsx");

fn seed() -> Unit {
    jixiao::io::load(SEED, "seed.xlsx").unwrap().unit
}

fn full(unit: &Unit) -> String {
    let rules = rules_for(unit, None).unwrap();
    serde_json::to_string(&Summary::new(&jixiao::evaluate(unit, &rules), &rules, &[])).unwrap()
}

/// One edit as a person makes it.
#[derive(Debug, Clone)]
enum Step {
    Executed(usize, &'static str),
    Weight(usize, usize, &'static str),
    Actual(usize, usize, &'static str),
    TypedScore(usize, usize, &'static str),
    ProjectName(usize, &'static str),
    UnitName(&'static str),
    Year(&'static str),
    Rules(&'static str),
    UnitExecuted(&'static str),
    /// Two projects in one edit (a paste across projects is structural; this is the
    /// page sending what changed since the last evaluation).
    Both(usize, usize, &'static str),
}

fn figure() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "0", "9", "16", "49", "100", "7,750.69", "约50", "", "45分", "1e30",
    ])
}

fn text() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "90%",
        "≥95%",
        "已完成",
        "2022年11月",
        "",
        "100人次",
        "十分",
    ])
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0usize..9, figure()).prop_map(|(p, v)| Step::Executed(p, v)),
        (0usize..9, 0usize..4, figure()).prop_map(|(p, r, v)| Step::Weight(p, r, v)),
        (0usize..9, 0usize..4, text()).prop_map(|(p, r, v)| Step::Actual(p, r, v)),
        (0usize..9, 0usize..4, figure()).prop_map(|(p, r, v)| Step::TypedScore(p, r, v)),
        (
            0usize..9,
            prop::sample::select(vec!["", "档案整理专项", "新项目"])
        )
            .prop_map(|(p, v)| Step::ProjectName(p, v)),
        prop::sample::select(vec!["", "兰州新区应急管理局", "另一局"]).prop_map(Step::UnitName),
        prop::sample::select(vec!["2022", "2023", "", "二〇二二"]).prop_map(Step::Year),
        prop::sample::select(vec!["", "default", "tiered", "ratio-reverse", "local-caps"])
            .prop_map(Step::Rules),
        figure().prop_map(Step::UnitExecuted),
        (0usize..9, 0usize..9, figure()).prop_map(|(a, b, v)| Step::Both(a, b, v)),
    ]
}

fn apply(session: &mut Session, step: &Step) {
    let unit = session.unit().clone();
    let project = |i: usize| unit.projects[i].clone();
    let mut edit = Edit::default();
    let mut fields = unit.clone();
    fields.projects.clear();
    match *step {
        Step::Executed(i, v) => {
            let mut p = project(i);
            p.funds.total.executed = Figure::typed(v);
            edit.projects.push((i, p));
        }
        Step::Weight(i, r, v) | Step::TypedScore(i, r, v) => {
            let mut p = project(i);
            if let Some(ind) = p.indicators.get_mut(r) {
                match step {
                    Step::Weight(..) => ind.weight = Figure::typed(v),
                    _ => ind.typed_score = Figure::typed(v),
                }
            }
            edit.projects.push((i, p));
        }
        Step::Actual(i, r, v) => {
            let mut p = project(i);
            if let Some(ind) = p.indicators.get_mut(r) {
                ind.actual = v.to_string();
            }
            edit.projects.push((i, p));
        }
        Step::ProjectName(i, v) => {
            let mut p = project(i);
            p.name = v.to_string();
            edit.projects.push((i, p));
        }
        Step::UnitName(v) => {
            fields.name = v.to_string();
            edit.unit = Some(fields);
        }
        Step::Year(v) => {
            fields.year = serde_json::from_value(serde_json::json!(v)).unwrap();
            edit.unit = Some(fields);
        }
        Step::Rules(v) => {
            fields.rules = v.to_string();
            edit.unit = Some(fields);
        }
        Step::UnitExecuted(v) => {
            if let Some(funds) = fields.funds.as_mut() {
                funds.total.executed = Figure::typed(v);
            }
            edit.unit = Some(fields);
        }
        Step::Both(a, b, v) => {
            for i in [a, b] {
                let mut p = project(i);
                p.funds.total.budget = Figure::typed(v);
                edit.projects.push((i, p));
            }
        }
    }
    let before_findings = serde_json::to_value(session.summary().findings).unwrap();
    let named: Vec<usize> = edit.projects.iter().map(|(i, _)| *i).collect();
    let delta = session.apply(edit).unwrap();
    let delta = serde_json::to_value(&delta).unwrap();
    // Every project the edit named is in the delta.
    let sent: Vec<u64> = delta["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_u64().unwrap())
        .collect();
    for i in named {
        assert!(sent.contains(&(i as u64)), "{step:?}: project {i} not sent");
    }
    // The findings are sent whenever they changed.
    let after_findings = serde_json::to_value(session.summary().findings).unwrap();
    if after_findings != before_findings {
        assert_eq!(delta["findings"], after_findings, "{step:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn any_edits_leave_what_a_full_evaluation_gives(steps in prop::collection::vec(step(), 1..12)) {
        let mut session = Session::new(seed(), None).unwrap();
        for step in &steps {
            apply(&mut session, step);
            prop_assert_eq!(serde_json::to_string(&session.summary()).unwrap(), full(session.unit()), "after {:?}", step);
        }
    }
}

#[test]
fn the_seed_kept_is_the_seed_evaluated() {
    let session = Session::new(seed(), None).unwrap();
    assert_eq!(
        serde_json::to_string(&session.summary()).unwrap(),
        full(&seed())
    );
    assert_eq!(
        session.summary().unit.rate_percent.as_deref(),
        Some("99.60")
    );
    assert_eq!(
        session.summary().projects[1].total.as_deref(),
        Some("88.51")
    );
}
