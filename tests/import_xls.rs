//! The seed workbook saved as .xls (Excel 97–2003, the format many WPS users keep their
//! forms in) by LibreOffice 7.4 (`soffice --headless --convert-to xls`): it reads as the
//! .xlsx does, through calamine's .xls reader.

mod import_forms;

use import_forms::*;
use jixiao::io;
use jixiao::rules::Rulebook;
use jixiao::summary::Summary;

const SEED_XLS: &[u8] = include_bytes!("xls/lanzhou-xinqu-emergency-2022.xls");

#[test]
fn the_seed_as_xls_holds_the_same_unit() {
    let mut xls = io::load(SEED_XLS, "seed.xls")
        .expect("the .xls imports")
        .unit;
    // The one difference: 项目7's first target, the formula “=1个” (no result) in the
    // .xlsx, which LibreOffice wrote as the formula ="1个", again without a result.
    let target = &mut xls.projects[6].indicators[0].target;
    assert_eq!(target, "=\"1个\"");
    *target = "=1个".to_string();
    assert_eq!(
        serde_json::to_value(&xls).unwrap(),
        serde_json::to_value(&fixture().unit).unwrap()
    );
}

#[test]
fn the_seed_as_xls_is_scored_and_its_unreadable_target_said_where() {
    let imported = io::load(SEED_XLS, "seed.xls").expect("the .xls imports");
    let rules = Rulebook::default();
    let eval = jixiao::evaluate(&imported.unit, &rules);
    let s = Summary::new(&eval, &rules, &imported.findings);
    assert_eq!(s.unit.rate_percent.as_deref(), Some("99.60"));
    assert_eq!((s.unit.projects, s.unit.evaluated), (9, 8));
    let grades: Vec<(&str, usize)> = s.unit.grades.pairs().to_vec();
    assert_eq!(grades, vec![("优", 6), ("良", 1), ("中", 1), ("差", 0)]);
    let totals: Vec<Option<&str>> = s.projects.iter().map(|p| p.total.as_deref()).collect();
    assert_eq!(
        totals,
        [
            Some("93.93"),
            Some("88.51"),
            Some("97.00"),
            Some("75.00"),
            Some("93.00"),
            Some("99.27"),
            None,
            Some("99.57"),
            Some("95.00")
        ]
    );
    let said = eval
        .findings
        .iter()
        .find(|f| f.project_index == Some(6) && f.message.contains("年度指标值"))
        .expect("项目7's target is reported");
    assert_eq!(
        said.message,
        "项目7“全国自然灾害综合风险普查项目” · 产出指标 · 第1行：年度指标值“=\"1个\"”无法识别，数值前多了“\"”"
    );
}
