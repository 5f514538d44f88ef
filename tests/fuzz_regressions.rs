//! Inputs the fuzzers found (fuzz/, FUZZING.md), kept as tests through the public API.

use jixiao::io;
use jixiao::rules::Rulebook;

/// workbook_import, 2026-11-25, after 732,377 executions: the one-project seed workbook
/// with a cell reference in its project sheet mutated into `cwoships`, eight letters
/// read as a column. calamine 0.38 computes it as `col * 26 + …` in u32 (26⁸ > 2³²); with
/// overflow checks (the test profile, and the fuzz build) that is a panic inside
/// calamine. The importer catches it per sheet, so the sheet is reported as damaged and
/// skipped and the rest of the workbook still opens. The shipped builds (release
/// profile, the browser's core) have no overflow checks: the value wraps, and
/// `jixiao evaluate` built with `--release` gives the same finding (checked by hand,
/// FUZZING.md); `cargo test` builds with overflow checks, so it runs the first path.
#[test]
fn over_long_cell_reference_skips_the_sheet_with_a_located_error() {
    let bytes = include_bytes!("fuzz/calamine-column-overflow.xlsx");
    let loaded = io::load(bytes, "损坏.xlsx").expect("the rest of the workbook opens");
    let unreadable: Vec<_> = loaded
        .findings
        .iter()
        .filter(|f| f.code == "sheet_unreadable")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        unreadable,
        ["工作表“1.档案整理专项”已损坏，无法读取，已跳过"]
    );
    assert!(loaded.unit.projects.is_empty());
    // The unit sheet was read: the unit's funds are there and score.
    let eval = jixiao::evaluate(&loaded.unit, &Rulebook::default());
    let summary = jixiao::summary::Summary::new(&eval, &Rulebook::default(), &[]);
    assert_eq!(summary.unit.rate_percent.as_deref(), Some("99.60"));
}
