//! How each native measure grows with the size of the unit (issue 14 item 6): 10, 100,
//! 1,000 and 10,000 projects of 20 indicators each — reading the JSON data file, a full
//! evaluation, an edit of one project in the kept unit (`jixiao::session`, what the
//! page's core does per edit), the .xlsx and the .docx of the report. Writes
//! `target/bench/scaling-<n>.json`, the units the page's scaling benchmark opens
//! (tests/e2e/bench-scaling.js).
//!
//! `cargo bench --bench scaling`; results in `target/bench/native-scaling.json`.

mod common;

use common::Bench;
use jixiao::figure::Figure;
use jixiao::rules::Rulebook;
use jixiao::session::{Edit, Session};

const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

fn main() {
    let mut b = Bench::new("scaling");
    let rules = Rulebook::default();
    let dir = common::out_dir();
    for n in SIZES {
        let n = if b.timed { n } else { n.min(3) };
        let unit = common::synthetic_unit(n, 20);
        let json = jixiao::io::json::to_json(&unit);
        if b.timed {
            std::fs::write(dir.join(format!("scaling-{n}.json")), &json)
                .expect("write the scaling unit");
        }
        // Fewer runs where one run takes seconds.
        let runs = if n >= 10_000 { 3 } else { 11 };
        let warmup = if n >= 10_000 { 1 } else { 2 };
        let (id, label) = (
            format!("native.scaling.load.{n}"),
            format!("read the JSON file · {n} projects"),
        );
        if json.len() > jixiao::io::json::MAX_JSON_BYTES {
            // The page and the command refuse it before reading (src/io/json.rs).
            b.unavailable(
                &id,
                &label,
                &format!("{} is over the import limit", common::size(json.len())),
            );
        } else {
            b.time(&id, &label, warmup, runs, || {
                jixiao::io::load(json.as_bytes(), "unit.json")
            });
            b.note(&common::size(json.len()));
        }
        b.time(
            &format!("native.scaling.evaluate.{n}"),
            &format!("evaluate · {n} projects"),
            warmup,
            runs,
            || jixiao::evaluate(&unit, &rules),
        );
        let mut session = Session::new(unit.clone(), None).expect("a session");
        let mut toggle = false;
        let last = n - 1;
        b.time(
            &format!("native.scaling.edit.{n}"),
            &format!("edit one project in the kept unit · {n} projects"),
            warmup,
            runs.max(21),
            || {
                toggle = !toggle;
                let mut p = session.unit().projects[last].clone();
                p.indicators[0].actual = if toggle { "27个" } else { "34个" }.into();
                p.funds.total.executed = Figure::typed(if toggle { "90" } else { "95" });
                let delta = session.apply(Edit {
                    unit: None,
                    projects: vec![(last, p)],
                });
                delta.map(|d| serde_json::to_string(&d).map(|t| t.len()))
            },
        );
        let report = jixiao::report(&unit, &rules);
        b.time(
            &format!("native.scaling.xlsx.{n}"),
            &format!("export .xlsx · {n} projects"),
            if n >= 10_000 { 0 } else { 1 },
            if n >= 1_000 { 3 } else { 5 },
            || jixiao::io::xlsx_export::write_xlsx(&report),
        );
        b.time(
            &format!("native.scaling.docx.{n}"),
            &format!("export .docx · {n} projects"),
            if n >= 10_000 { 0 } else { 1 },
            if n >= 1_000 { 3 } else { 5 },
            || jixiao::io::docx_export::write_docx(&report),
        );
    }
    b.finish();
}
