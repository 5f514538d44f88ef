//! Native timing of a full evaluation: the seed unit, and 1,000 projects × 20 indicators
//! (issue 5 item 5). Also writes the inputs the browser benchmark uses:
//! `target/bench/unit-1000.json` and `target/bench/seed.json`.
//!
//! `cargo bench --bench evaluate`; results in `target/bench/native-evaluate.json`.

mod common;

use common::Bench;
use jixiao::model::Unit;
use jixiao::rules::Rulebook;
use jixiao::summary::Summary;

/// What the browser binding `evaluate` does: the unit read from the JSON text the page
/// sends, evaluated, and the Summary written out (as a JSON value here, standing in for
/// the JS object serde-wasm-bindgen builds).
fn evaluate_like_the_binding(unit: &str, rules: &Rulebook) -> serde_json::Value {
    let unit: Unit = serde_json::from_str(unit).expect("a unit");
    let eval = jixiao::evaluate(&unit, rules);
    serde_json::to_value(Summary::new(&eval, rules, &[])).expect("a summary")
}

fn main() {
    let mut b = Bench::new("evaluate");
    let rules = Rulebook::default();
    let dir = common::out_dir();

    let seed = jixiao::io::load(&common::seed_workbook(), "seed.xlsx")
        .expect("the seed workbook loads")
        .unit;
    b.time(
        "native.evaluate.seed",
        "evaluate · seed unit (9 projects)",
        20,
        201,
        || jixiao::evaluate(&seed, &rules),
    );

    let projects = b.size(1000);
    let unit = common::synthetic_unit(projects, 20);
    let eval = jixiao::evaluate(&unit, &rules);
    let indicators: usize = unit.projects.iter().map(|p| p.indicators.len()).sum();
    assert_eq!(indicators, projects * 20);
    assert_eq!(eval.scores.unit.evaluated, projects, "every project scores");

    b.time(
        "native.evaluate.1000",
        "evaluate · 1,000 projects × 20 indicators (core only)",
        5,
        31,
        || jixiao::evaluate(&unit, &rules),
    );
    b.note(&format!(
        "{} findings; grades 优{} 良{} 中{} 差{}",
        eval.findings.len(),
        eval.scores.unit.grades.excellent,
        eval.scores.unit.grades.good,
        eval.scores.unit.grades.fair,
        eval.scores.unit.grades.poor
    ));

    let text = serde_json::to_string(&unit).expect("a unit as JSON text");
    b.time(
        "native.evaluateBinding.1000",
        "evaluate · 1,000 × 20, as the binding (JSON text in → Summary out)",
        5,
        31,
        || evaluate_like_the_binding(&text, &rules),
    );

    // For the browser's toJson probe: writing the JSON text alone, natively.
    b.time(
        "native.toJson.1000",
        "to_json · 1,000 projects (JSON text out)",
        2,
        11,
        || jixiao::io::json::to_json(&unit),
    );

    if b.timed {
        let json = jixiao::io::json::to_json(&unit);
        std::fs::write(dir.join("unit-1000.json"), &json).expect("write unit-1000.json");
        std::fs::write(dir.join("seed.json"), jixiao::io::json::to_json(&seed))
            .expect("write seed.json");
        println!(
            "→ {} ({})",
            dir.join("unit-1000.json").display(),
            common::size(json.len())
        );
    }
    b.finish();
}
