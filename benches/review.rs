//! Native timing of the finance bureau's review (issue 13 item 4): 300 units × 30
//! projects (9,000 projects, 20 indicators each) sent as JSON data files, read, scored,
//! audited and totalled by `Review::from_files`, and the 汇总表.xlsx written; with the
//! process's peak memory. Goal: at most 1 s natively.
//!
//! `cargo bench --bench review`; results in `target/bench/native-review.json`; writes
//! `target/bench/review-unit-30.json`, the unit the page's review benchmark sends.

mod common;

use common::Bench;
use jixiao::review::Review;

/// The process's peak resident memory (VmHWM), in MB, where Linux says it.
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let mut b = Bench::new("review");
    let units = b.size(300);
    let projects = if b.timed { 30 } else { 2 };
    let files: Vec<(String, Vec<u8>)> = (0..units)
        .map(|i| {
            let mut unit = common::synthetic_unit(projects, 20);
            unit.name = format!("第{}单位", i + 1);
            (
                format!("unit-{:03}.json", i + 1),
                jixiao::io::json::to_json(&unit).into_bytes(),
            )
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, f)| f.len()).sum();
    // One unit's file for the page's benchmark (tests/e2e/bench.js sends it 300 times
    // under other names).
    if b.timed {
        let dir = std::path::Path::new("target/bench");
        let _ = std::fs::create_dir_all(dir);
        std::fs::write(dir.join("review-unit-30.json"), &files[0].1)
            .expect("write review-unit-30.json");
    }
    let review = Review::from_files(&files);
    assert_eq!(review.units.len(), units);
    b.time(
        "native.review.300x30",
        "review · 300 units × 30 projects (Review::from_files)",
        1,
        5,
        || Review::from_files(&files),
    );
    b.note(&format!(
        "{units} JSON files, {} in all; peak memory of the process {}",
        common::size(bytes),
        peak_memory_mb().map_or("—".into(), |m| format!("{m:.0} MB"))
    ));
    b.time(
        "native.review.xlsx.300x30",
        "review · 汇总表.xlsx of 300 units, 9,000 projects",
        1,
        5,
        || jixiao::io::review_export::write_review_xlsx(&review),
    );
    b.finish();
}
