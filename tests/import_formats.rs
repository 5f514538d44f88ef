//! The seed workbook saved as .xls (Excel 97–2003, the format many WPS users keep their
//! forms in) and as .ods (LibreOffice's own) by LibreOffice 7.4 (`soffice --headless
//! --convert-to xls|ods`): each reads as the .xlsx does, through calamine's readers.

mod import_forms;

use import_forms::*;
use jixiao::io;
use jixiao::rules::Rulebook;
use jixiao::summary::Summary;

const SEED_XLS: &[u8] = include_bytes!("formats/lanzhou-xinqu-emergency-2022.xls");
const SEED_ODS: &[u8] = include_bytes!("formats/lanzhou-xinqu-emergency-2022.ods");

#[test]
fn the_seed_as_xls_or_ods_holds_the_same_unit() {
    // The one difference: 项目7's first target, the formula “=1个” (no result) in the
    // .xlsx, which LibreOffice could not read as a formula and wrote with the error
    // #NAME? as its result — the .xls with its formula ="1个", the .ods as shown.
    for (name, bytes, read) in [
        ("seed.xls", SEED_XLS, "=\"1个\"（#NAME?）"),
        ("seed.ods", SEED_ODS, "#NAME?"),
    ] {
        let mut unit = io::load(bytes, name).expect("imports").unit;
        let target = &mut unit.projects[6].indicators[0].target;
        assert_eq!(target, read, "{name}");
        *target = "=1个".to_string();
        assert_eq!(
            serde_json::to_value(&unit).unwrap(),
            serde_json::to_value(&fixture().unit).unwrap(),
            "{name}"
        );
    }
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
        "项目7“全国自然灾害综合风险普查项目” · 产出指标 · 第1行：年度指标值“=\"1个\"（#NAME?）”是错误值（公式出错），请在 Excel 或 WPS 中改正公式，或直接填写"
    );
}
