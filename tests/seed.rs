//! The seed unit (兰州新区应急管理局, 2022) scored by the default rules: the figures the
//! report should have had, and the audit of the figures it typed.

use jixiao::finding::Severity;
use jixiao::rules::Rulebook;
use jixiao::summary::Summary;
use jixiao::{evaluate, io, Evaluation};

const SEED: &[u8] = include_bytes!("../examples/lanzhou-xinqu-emergency-2022.xlsx");

fn seed() -> (io::Imported, Evaluation) {
    let imported = io::load(SEED, "seed.xlsx").expect("the seed workbook imports");
    let eval = evaluate(&imported.unit, &Rulebook::default());
    (imported, eval)
}

fn summary() -> Summary {
    let (imported, eval) = seed();
    Summary::new(&eval, &Rulebook::default(), &imported.findings)
}

#[test]
fn unit_roll_up_matches_the_unit_form() {
    let s = summary();
    assert_eq!(s.unit.name, "兰州新区应急管理局");
    assert_eq!(s.unit.year, Some(2022));
    assert_eq!(s.unit.budget.as_deref(), Some("7750.69"));
    assert_eq!(s.unit.executed.as_deref(), Some("7719.74"));
    assert_eq!(s.unit.rate_percent.as_deref(), Some("99.60"));
    assert_eq!(s.unit.funds_source, "unit");
    assert_eq!(s.unit.projects, 9);
    assert_eq!(s.unit.evaluated, 9);
    assert_eq!(s.unit.coverage_percent.as_deref(), Some("100.00"));
    let grades: Vec<(&str, usize)> = s.unit.grades.pairs().to_vec();
    assert_eq!(grades, vec![("优", 7), ("良", 1), ("中", 1), ("差", 0)]);
}

#[test]
fn every_project_follows_the_default_rules() {
    let s = summary();
    let got: Vec<(&str, &str, &str, &str, &str)> = s
        .projects
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.rate_percent.as_deref().unwrap_or("-"),
                p.execution_score.as_deref().unwrap_or("-"),
                p.total.as_deref().unwrap_or("-"),
                p.grade.as_deref().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("档案整理专项", "94.65", "9.46", "93.93", "优"),
            ("安全生产监督执法专项经费", "90.43", "9.04", "88.51", "良"),
            ("安责险试点专项经费", "100.00", "10.00", "97.00", "优"),
            ("气象灾害预警项目", "18.37", "1.84", "75.00", "中"),
            ("应急救援能力提升项目", "93.26", "9.33", "93.00", "优"),
            (
                "兰州新区森林防火视频监控建设项目尾款",
                "92.74",
                "9.27",
                "99.27",
                "优"
            ),
            (
                "全国自然灾害综合风险普查项目",
                "57.04",
                "5.70",
                "95.70",
                "优"
            ),
            (
                "国家西北区域应急救援中心项目",
                "95.68",
                "9.57",
                "99.57",
                "优"
            ),
            (
                "兰州新区危险化学品产业转移安全设计诊断项目",
                "100.00",
                "10.00",
                "95.00",
                "优"
            ),
        ]
    );
    // Level subtotals of project 1: 产出 47 (typed band score), 效益 28, 满意度 90÷95×10.
    let p1: Vec<(&str, &str)> = s.projects[0]
        .levels
        .iter()
        .map(|l| (l.name.as_str(), l.score.as_deref().unwrap_or("-")))
        .collect();
    assert_eq!(
        p1,
        vec![
            ("产出指标", "47.00"),
            ("效益指标", "28.00"),
            ("满意度指标", "9.47")
        ]
    );
}

fn mismatches(s: &Summary) -> Vec<(Option<&str>, &str, &str, &str)> {
    s.findings
        .iter()
        .filter(|f| f.code == "typed_mismatch")
        .map(|f| {
            (
                f.project.as_deref(),
                f.field.as_deref().unwrap_or(""),
                f.typed.as_deref().unwrap_or(""),
                f.computed.as_deref().unwrap_or(""),
            )
        })
        .collect()
}

#[test]
fn audit_reports_every_typed_figure_that_disagrees_and_no_other() {
    let s = summary();
    let got = mismatches(&s);
    let p2 = Some("安全生产监督执法专项经费");
    let p6 = Some("兰州新区森林防火视频监控建设项目尾款");
    let expected = vec![
        (None, "funds.total.typedRate", "99.36", "99.60"),
        (p2, "indicators.2.typedScore", "8", "9.47"),
        (p2, "typed.total", "88", "88.51"),
        (p6, "funds.total.typedRate", "92.75", "92.74"),
        (p6, "funds.fiscal.typedRate", "92.75", "92.74"),
        (p6, "typed.total", "93", "99.27"),
        (
            Some("全国自然灾害综合风险普查项目"),
            "typed.total",
            "90",
            "95.70",
        ),
        (
            Some("国家西北区域应急救援中心项目"),
            "typed.total",
            "95",
            "99.57",
        ),
    ];
    for e in &expected {
        assert!(got.contains(e), "missing mismatch {e:?} in {got:#?}");
    }
    assert_eq!(got.len(), expected.len(), "unexpected mismatches: {got:#?}");
    // 18.4% typed for 9 ÷ 49 = 18.367…% agrees at the precision typed.
    assert!(!got.iter().any(|m| m.0 == Some("气象灾害预警项目")));
    let unit_rate = s
        .findings
        .iter()
        .find(|f| f.code == "typed_mismatch" && f.project.is_none())
        .unwrap();
    assert_eq!(unit_rate.severity, Severity::Error);
    assert!(
        unit_rate.message.contains("99.36%"),
        "{}",
        unit_rate.message
    );
    assert!(
        unit_rate.message.contains("99.60%"),
        "{}",
        unit_rate.message
    );
}

#[test]
fn seed_warnings_name_their_place() {
    let s = summary();
    let codes: Vec<&str> = s.findings.iter().map(|f| f.code.as_str()).collect();
    // The notes sheet is skipped with a notice that names it.
    let skipped: Vec<_> = s
        .findings
        .iter()
        .filter(|f| f.code == "sheet_skipped")
        .collect();
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].message.contains("说明"));
    assert_eq!(skipped[0].severity, Severity::Notice);
    // 57.04% execution is below 90%.
    let low: Vec<_> = s
        .findings
        .iter()
        .filter(|f| f.code == "low_execution")
        .collect();
    assert!(low
        .iter()
        .any(|f| f.project.as_deref() == Some("全国自然灾害综合风险普查项目")));
    assert!(low
        .iter()
        .any(|f| f.project.as_deref() == Some("气象灾害预警项目")));
    // Qualitative rows with no typed score are scored at the default and flagged.
    let unconfirmed = s
        .findings
        .iter()
        .filter(|f| f.code == "qualitative_unconfirmed")
        .find(|f| f.project.as_deref() == Some("兰州新区森林防火视频监控建设项目尾款"))
        .expect("an unconfirmed qualitative row in project 6");
    assert_eq!(unconfirmed.row, Some(4));
    assert!(
        unconfirmed.message.contains("第4行"),
        "{}",
        unconfirmed.message
    );
    // 效益 28 of 30 in project 1 has no 偏差原因.
    assert!(s.findings.iter().any(|f| f.code == "reason_missing"
        && f.project.as_deref() == Some("档案整理专项")
        && f.row == Some(2)));
    // No structural errors in the seed: weights add up, funds splits add up.
    for code in [
        "weights_total",
        "level_weight",
        "funds_split",
        "unparseable",
        "unit_mismatch",
    ] {
        assert!(!codes.contains(&code), "unexpected {code}");
    }
}

#[test]
fn json_round_trip_keeps_every_figure() {
    let (imported, eval) = seed();
    let text = io::json::to_json(&imported.unit);
    assert!(text.contains("\"15.14353\""), "amounts are exact strings");
    let back = io::json::from_json(&text).unwrap();
    assert_eq!(back, imported.unit);
    let again = evaluate(&back, &Rulebook::default());
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&eval).unwrap()
    );
}

#[test]
fn the_document_id_travels_with_the_json_file() {
    let (mut imported, _) = seed();
    assert_eq!(
        imported.unit.document_id, "",
        "a workbook carries no identity"
    );
    imported.unit.document_id = "d-3f9a2c".into();
    let text = io::json::to_json(&imported.unit);
    assert!(
        text.contains("\"documentId\": \"d-3f9a2c\""),
        "{}",
        &text[..200]
    );
    assert_eq!(io::json::from_json(&text).unwrap().document_id, "d-3f9a2c");
    // A file written before identities existed opens with none (the page gives one).
    let old = text.replace("\"documentId\": \"d-3f9a2c\",", "");
    assert_eq!(io::json::from_json(&old).unwrap().document_id, "");
}

/// The year's end read as a deadline (`年底前`, `年内完成`: RULES.md §4) changes nothing
/// in the seed: every indicator is scored by the method it was (23 positive, 21
/// qualitative, 1 equal, 1 reverse; none against a deadline), and every score and basis
/// stands as the per-project figures above say.
#[test]
fn the_seed_indicators_keep_their_methods() {
    use jixiao::scoring::Method;
    let s = summary();
    let mut tally: Vec<(Method, usize)> = Vec::new();
    for ind in s.projects.iter().flat_map(|p| &p.indicators) {
        match tally.iter_mut().find(|(m, _)| *m == ind.method) {
            Some((_, n)) => *n += 1,
            None => tally.push((ind.method, 1)),
        }
    }
    tally.sort_by_key(|(m, _)| format!("{m:?}"));
    assert_eq!(
        tally,
        [
            (Method::Equal, 1),
            (Method::Positive, 23),
            (Method::Qualitative, 21),
            (Method::Reverse, 1),
        ]
    );
    assert_eq!(s.projects[0].indicators[2].basis, "90 ÷ 95 × 10 = 9.47");
}
