//! The scoring rules of RULES.md §3, one by one, on small hand-made projects.

use jixiao::finding::Severity;
use jixiao::model::{FundRow, Funds, Indicator, Project, Unit};
use jixiao::rules::Rulebook;
use jixiao::scoring::Method;
use jixiao::summary::Summary;
use jixiao::{evaluate, Evaluation};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn row(level1: &str, target: &str, actual: &str, weight: &str) -> Indicator {
    Indicator {
        level1: level1.into(),
        level2: String::new(),
        name: format!("{level1}{target}"),
        target: target.into(),
        actual: actual.into(),
        weight: Some(d(weight)).into(),
        ..Indicator::default()
    }
}

/// A project whose other levels score full, with `rows` as its 产出 indicators.
fn project(budget: &str, executed: &str, output_rows: Vec<Indicator>) -> Project {
    let mut indicators = output_rows;
    indicators.push(row("效益指标", "效果显著", "达成年度指标", "30"));
    indicators.last_mut().unwrap().typed_score = Some(d("30")).into();
    indicators.push(row("满意度指标", "≥90%", "95%", "10"));
    Project {
        name: "测试项目".into(),
        funds: Funds {
            total: FundRow {
                budget: Some(d(budget)).into(),
                executed: Some(d(executed)).into(),
                ..FundRow::default()
            },
            ..Funds::default()
        },
        indicators,
        ..Project::default()
    }
}

fn eval_with(p: Project, rules: &Rulebook) -> (Summary, Evaluation) {
    let unit = Unit {
        name: "单位".into(),
        projects: vec![p],
        ..Unit::default()
    };
    let eval = evaluate(&unit, rules);
    (Summary::new(&eval, rules, &[]), eval)
}

fn eval(p: Project) -> (Summary, Evaluation) {
    eval_with(p, &Rulebook::default())
}

fn score(s: &Summary, i: usize) -> String {
    s.projects[0].indicators[i]
        .score
        .clone()
        .unwrap_or("-".into())
}

fn codes(e: &Evaluation) -> Vec<&str> {
    e.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn positive_indicator_scores_in_proportion() {
    let (s, _) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "≥50个", "40个", "50")],
    ));
    assert_eq!(score(&s, 0), "40.00");
    assert_eq!(s.projects[0].indicators[0].basis, "40 ÷ 50 × 50 = 40.00");
    assert_eq!(s.projects[0].total.as_deref(), Some("90.00"));
    assert_eq!(s.projects[0].grade.as_deref(), Some("优"));
}

#[test]
fn reverse_indicator_linear_and_ratio() {
    let p = || {
        project(
            "100",
            "100",
            vec![row("产出指标", "≤90万元", "108万元", "50")],
        )
    };
    // (1 − (108 − 90) ÷ 90) × 50 = 40
    let (s, _) = eval(p());
    assert_eq!(score(&s, 0), "40.00");
    // 90 ÷ 108 × 50 = 41.666… → 41.67
    let (s, _) = eval_with(p(), &Rulebook::preset("ratio-reverse").unwrap());
    assert_eq!(score(&s, 0), "41.67");
    // 0 at twice the target, never negative
    let (s, _) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "≤10天", "25天", "50")],
    ));
    assert_eq!(score(&s, 0), "0.00");
}

#[test]
fn units_convert_or_mismatch() {
    let (s, _) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "≤90万元", "900000元", "50")],
    ));
    assert_eq!(score(&s, 0), "50.00");
    let (s, e) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "≥95%", "95个", "50")],
    ));
    assert_eq!(score(&s, 0), "-");
    assert!(codes(&e).contains(&"unit_mismatch"));
    assert_eq!(
        s.projects[0].total, None,
        "no total while a row cannot be scored"
    );
    assert_eq!(s.unit.evaluated, 0);
}

#[test]
fn equal_with_zero_target() {
    let (s, _) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "=0起", "0起", "50")],
    ));
    assert_eq!(score(&s, 0), "50.00");
    let (s, _) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "=0起", "1起", "50")],
    ));
    assert_eq!(score(&s, 0), "0.00");
}

#[test]
fn range_inside_is_full() {
    let (s, _) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "90%-100%", "95%", "50")],
    ));
    assert_eq!(score(&s, 0), "50.00");
    let (s, _) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "90%-100%", "45%", "50")],
    ));
    assert_eq!(score(&s, 0), "25.00");
}

#[test]
fn qualitative_bands() {
    let mut r = row("产出指标", "效果显著", "部分达成", "50");
    r.typed_score = Some(d("35")).into();
    let (s, e) = eval(project("100", "100", vec![r.clone()]));
    assert_eq!(score(&s, 0), "35.00");
    assert!(!codes(&e).contains(&"score_out_of_band"));
    r.typed_score = Some(d("40")).into(); // [30, 40) for 部分达成 of 50
    let (_, e) = eval(project("100", "100", vec![r.clone()]));
    let f = e
        .findings
        .iter()
        .find(|f| f.code == "score_out_of_band")
        .unwrap();
    assert!(f.message.contains("第1行"), "{}", f.message);
    assert!(f.message.contains("[30, 40)"), "{}", f.message);
    r.typed_score = None.into(); // default 70% of 50, flagged as unconfirmed
    let (s, e) = eval(project("100", "100", vec![r]));
    assert_eq!(score(&s, 0), "35.00");
    assert!(codes(&e).contains(&"qualitative_unconfirmed"));
}

#[test]
fn unparseable_target_is_a_located_error_not_zero() {
    let (s, e) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "约一百", "100个", "50")],
    ));
    assert_eq!(score(&s, 0), "-");
    let f = e.findings.iter().find(|f| f.code == "unparseable").unwrap();
    assert_eq!(f.field.as_deref(), Some("indicators.0.target"));
    assert!(
        f.message
            .starts_with("项目1“测试项目” · 产出指标 · 第1行："),
        "{}",
        f.message
    );
    assert!(f.message.contains("年度指标值“约一百”"), "{}", f.message);
}

#[test]
fn not_applicable_rows_are_excluded() {
    let mut na = row("产出指标", "≥10个", "0个", "20");
    na.not_applicable = true;
    let (s, _) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "≥10个", "10个", "30"), na],
    ));
    // (10 + 30 + 30 + 10) ÷ 80 × 100 = 100
    assert_eq!(s.projects[0].total.as_deref(), Some("100.00"));
    assert_eq!(s.projects[0].indicators[1].score, None);
}

#[test]
fn manual_deduction_needs_a_reason() {
    let mut r = row("产出指标", "≥10个", "20个", "50");
    r.deduction = Some(d("5")).into();
    let (s, e) = eval(project("100", "100", vec![r]));
    assert_eq!(score(&s, 0), "45.00");
    assert!(codes(&e).contains(&"deduction_reason_missing"));
    assert!(codes(&e).contains(&"over_achievement"));
}

#[test]
fn rounding_and_grade_boundary() {
    // 9.99 + 80 (89.995 is impossible with 2-dp parts; 89.99 is 良, 90.00 is 优)
    let (s, _) = eval(project(
        "100",
        "99.9",
        vec![row("产出指标", "≥100个", "80个", "50")],
    ));
    assert_eq!(s.projects[0].execution_score.as_deref(), Some("9.99"));
    assert_eq!(s.projects[0].total.as_deref(), Some("89.99"));
    assert_eq!(s.projects[0].grade.as_deref(), Some("良"));
    // Half away from zero: 1/3 × 50 = 16.666… → 16.67; 2.5 × ... 0.125 → 0.13
    let (s, _) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "≥3个", "1个", "50")],
    ));
    assert_eq!(score(&s, 0), "16.67");
}

#[test]
fn zero_budget_scores_zero_and_says_so() {
    let (s, e) = eval(project(
        "0",
        "0",
        vec![row("产出指标", "≥1个", "1个", "50")],
    ));
    assert_eq!(s.projects[0].rate_percent.as_deref(), Some("0.00"));
    assert_eq!(s.projects[0].execution_score.as_deref(), Some("0.00"));
    assert!(codes(&e).contains(&"zero_budget"));
}

#[test]
fn tiered_execution_and_local_caps() {
    let p = || project("100", "75", vec![row("产出指标", "≥1个", "1个", "50")]);
    let (s, _) = eval_with(p(), &Rulebook::preset("tiered").unwrap());
    assert_eq!(s.projects[0].execution_score.as_deref(), Some("5.00"));
    let (s, _) = eval_with(p(), &Rulebook::preset("local-caps").unwrap());
    // 7.5 + 90 = 97.5, capped at 89 for a rate in [70%, 80%)
    assert_eq!(s.projects[0].total.as_deref(), Some("89.00"));
    assert_eq!(s.projects[0].grade.as_deref(), Some("良"));
    assert!(s.projects[0].cap.as_deref().unwrap().contains("89"));
    // 55% → at most 69
    let p = project("100", "55", vec![row("产出指标", "≥1个", "1个", "50")]);
    let (s, _) = eval_with(p, &Rulebook::preset("local-caps").unwrap());
    assert_eq!(s.projects[0].total.as_deref(), Some("69.00"));
}

#[test]
fn weights_and_funds_are_checked() {
    let mut p = project("100", "90", vec![row("产出指标", "≥1个", "1个", "40")]);
    p.funds.fiscal = Some(FundRow {
        budget: Some(d("60")).into(),
        executed: Some(d("90")).into(),
        ..FundRow::default()
    });
    p.funds.other = Some(FundRow {
        budget: Some(d("30")).into(),
        executed: Some(d("-1")).into(),
        ..FundRow::default()
    });
    let (_, e) = eval(p);
    let c = codes(&e);
    assert!(c.contains(&"weights_total"), "{c:?}");
    assert!(c.contains(&"negative_amount"), "{c:?}");
    let split = e.findings.iter().find(|f| f.code == "funds_split").unwrap();
    assert_eq!(split.field.as_deref(), Some("funds.total.budget"));
    assert_eq!(split.computed.as_deref(), Some("90"));
}

#[test]
fn unit_rolls_up_from_projects_without_its_own_funds() {
    let unit = Unit {
        name: "单位".into(),
        projects: vec![
            project("100", "90", vec![row("产出指标", "≥1个", "1个", "50")]),
            project("50", "50", vec![row("产出指标", "≥1个", "1个", "50")]),
        ],
        ..Unit::default()
    };
    let rules = Rulebook::default();
    let s = Summary::new(&evaluate(&unit, &rules), &rules, &[]);
    assert_eq!(s.unit.funds_source, "projects");
    assert_eq!(s.unit.budget.as_deref(), Some("150"));
    assert_eq!(s.unit.executed.as_deref(), Some("140"));
    assert_eq!(s.unit.rate_percent.as_deref(), Some("93.33"));
    assert_eq!(s.unit.grades.excellent, 2);
}

#[test]
fn a_blank_unit_has_no_figures_yet() {
    let unit = Unit::blank();
    let rules = Rulebook::default();
    let eval = evaluate(&unit, &rules);
    let s = Summary::new(&eval, &rules, &[]);
    assert_eq!(s.unit.budget, None);
    assert_eq!(s.unit.rate_percent, None);
    assert_eq!(s.unit.projects, 1);
    assert_eq!(s.unit.evaluated, 0);
    // It says what to fill in, at its place.
    let missing = eval
        .findings
        .iter()
        .find(|f| f.code == "missing_amount")
        .unwrap();
    assert_eq!(missing.field.as_deref(), Some("funds.total.budget"));
}

/// Issue 10 item 7: a row without its 一级指标 belongs to no subtotal — it is a located
/// error, no nameless level appears and the project has no total; an empty 二级指标 too is
/// a located error.
#[test]
fn missing_levels_are_located_and_never_give_a_total() {
    let mut out = row("产出指标", "≥10个", "12个", "50");
    out.level2 = "数量指标".into();
    let mut nameless = row("", "≥95%", "96%", "0");
    nameless.level2 = "质量指标".into();
    let (s, e) = eval(project("100", "100", vec![out, nameless]));
    let missing: Vec<_> = e
        .findings
        .iter()
        .filter(|f| f.code == "missing_level")
        .collect();
    let level1 = missing
        .iter()
        .find(|f| f.field.as_deref() == Some("indicators.1.level1"))
        .expect("the empty 一级指标");
    assert_eq!(
        level1.message,
        "项目1“测试项目” · 第2行：一级指标未填写：本行不属于任何一级指标，项目总分暂不计算"
    );
    assert!(missing
        .iter()
        .any(|f| f.field.as_deref() == Some("indicators.2.level2")
            && f.message.ends_with("二级指标未填写")));
    assert!(!e.findings.iter().any(|f| f.code == "unknown_level"));
    assert!(s.projects[0].levels.iter().all(|l| !l.name.is_empty()));
    assert_eq!(s.projects[0].total, None);
    assert_eq!(s.projects[0].grade, None);
}

/// Issue 10 item 3 (RULES.md §4): ask, don't guess.
#[test]
fn a_bare_fraction_against_a_percentage_is_read_as_written_and_asked_about() {
    let (s, e) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "≥95%", "0.97", "50")],
    ));
    assert_eq!(score(&s, 0), "0.51");
    let f = e
        .findings
        .iter()
        .find(|f| f.code == "ambiguous_fraction")
        .expect("asked");
    assert_eq!(f.field.as_deref(), Some("indicators.0.actual"));
    assert!(
        f.message
            .ends_with("实际完成值“0.97”按0.97%计分；是否为97%？如是请填写“97%”"),
        "{}",
        f.message
    );
    let (_, e) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "≥95%", "97%", "50")],
    ));
    assert!(!e.findings.iter().any(|f| f.code == "ambiguous_fraction"));
}

#[test]
fn deadlines_read_months_the_years_end_and_words_that_say_it_was_met() {
    let rows = vec![
        row("产出指标", "2022年12月底前", "11月", "10"),
        row("产出指标", "2022年12月底前", "年底前", "10"),
        row("产出指标", "2022年12月底前", "提前完成", "10"),
        row("产出指标", "2022年6月30日前", "未按时完成", "10"),
        row("产出指标", "2022年6月30日前", "8月", "10"),
    ];
    let (s, e) = eval(project("100", "100", rows));
    let scores: Vec<String> = (0..5).map(|i| score(&s, i)).collect();
    assert_eq!(scores, ["10.00", "10.00", "10.00", "0.00", "0.00"]);
    assert_eq!(
        s.projects[0].indicators[0].basis,
        "11月30日完成，未超过期限 12月31日 = 10.00"
    );
    assert!(!e
        .findings
        .iter()
        .any(|f| f.code == "qualitative_unknown" || f.code == "unparseable"));
}

#[test]
fn own_words_keep_their_text_and_take_the_band_chosen_in_the_row() {
    let mut chosen = row("产出指标", "效果显著", "有所提升", "10");
    chosen.band = "部分达成".into();
    let unchosen = row("产出指标", "效果显著", "基本保障", "10");
    let (s, e) = eval(project("100", "100", vec![chosen.clone(), unchosen]));
    assert_eq!(score(&s, 0), "7.00");
    assert_eq!(score(&s, 1), "-");
    let f = e
        .findings
        .iter()
        .find(|f| f.code == "qualitative_unknown")
        .expect("asked");
    assert_eq!(f.field.as_deref(), Some("indicators.1.band"));
    assert!(
        f.message.ends_with("实际完成值“基本保障”是完成情况的描述，请在本行选择完成程度（达成、部分达成、未达成），文字保留"),
        "{}",
        f.message
    );
    // 提前完成 meets 按时完成.
    let (s, _) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "按时完成", "提前完成", "10")],
    ));
    assert_eq!(score(&s, 0), "10.00");
}

/// Issue 10 item 1: an execution 分值 typed so that it cannot be read is not replaced by
/// the rulebook's 10 — the execution score and the total wait for it.
#[test]
fn an_unreadable_execution_weight_is_not_replaced_by_the_rules() {
    let mut p = project("100", "90", vec![row("产出指标", "≥10个", "12个", "50")]);
    p.execution_weight = jixiao::model::Figure::typed("十分");
    let (s, e) = eval(p);
    assert_eq!(s.projects[0].execution_score, None);
    assert_eq!(s.projects[0].total, None);
    assert!(e
        .findings
        .iter()
        .any(|f| f.code == "unreadable_figure" && f.field.as_deref() == Some("executionWeight")));
}

/// Issue 10 item 3: a date written without a year is in the year evaluated — 12月31日前
/// of 2022 is missed by a completion on 2023年1月5日.
#[test]
fn dates_without_a_year_are_in_the_year_evaluated() {
    let unit = Unit {
        name: "单位".into(),
        year: 2022.into(),
        projects: vec![project(
            "100",
            "100",
            vec![
                row("产出指标", "12月31日前", "2023年1月5日", "10"),
                row("产出指标", "12月31日前", "2022年12月20日", "10"),
            ],
        )],
        ..Unit::default()
    };
    let rules = Rulebook::default();
    let s = Summary::new(&evaluate(&unit, &rules), &rules, &[]);
    assert_eq!(score(&s, 0), "0.00");
    assert_eq!(
        s.projects[0].indicators[0].basis,
        "2023年1月5日完成，超过期限 2022年12月31日 = 0.00"
    );
    assert_eq!(score(&s, 1), "10.00");
}

/// A project of `rows` alone (no default levels), fully executed.
fn bare_project(budget: &str, executed: &str, rows: Vec<Indicator>) -> Project {
    let mut p = project(budget, executed, Vec::new());
    p.indicators = rows;
    for ind in &mut p.indicators {
        ind.level2 = "数量指标".into();
    }
    p
}

fn typed(mut ind: Indicator, score: &str) -> Indicator {
    ind.typed_score = Some(d(score)).into();
    ind
}

/// Issue 11 item 4 (RULES.md §3): a 四川 form weighs 产出 60 / 效益 30 with no 满意度
/// block; with the execution weight 10 that is 100, so it is scored as written, with a
/// notice and no error.
#[test]
fn a_forms_own_level_weights_that_sum_to_100_are_scored_as_written() {
    let p = bare_project(
        "100",
        "100",
        vec![
            row("产出指标", "≥50个", "50个", "40"),
            row("产出指标", "≥95%", "90%", "20"),
            typed(row("效益指标", "效果显著", "达成年度指标", "30"), "27"),
        ],
    );
    let (s, e) = eval(p);
    let levels: Vec<(&str, &str, Option<&str>)> = s.projects[0]
        .levels
        .iter()
        .map(|l| (l.name.as_str(), l.weight.as_str(), l.score.as_deref()))
        .collect();
    assert_eq!(
        levels,
        [
            ("产出指标", "60", Some("58.95")),
            ("效益指标", "30", Some("27.00")),
            ("满意度指标", "0", Some("0.00"))
        ]
    );
    assert_eq!(score(&s, 1), "18.95");
    assert_eq!(s.projects[0].total.as_deref(), Some("95.95"));
    assert_eq!(s.projects[0].grade.as_deref(), Some("优"));
    let errors: Vec<&str> = e
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code.as_str())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let notice = e
        .findings
        .iter()
        .find(|f| f.code == "level_weights_adjusted")
        .expect("a notice");
    assert_eq!(notice.severity, Severity::Notice);
    assert_eq!(
        notice.message,
        "项目1“测试项目”：一级指标分值按本表调整：预算执行率10、产出指标60（规则为50）、效益指标30（规则为30），未设满意度指标（规则为10），合计100，按表中分值计分"
    );
    // Not 100: still an error, and no notice.
    let p = bare_project(
        "100",
        "100",
        vec![
            row("产出指标", "≥50个", "50个", "60"),
            row("效益指标", "≥1个", "1个", "40"),
        ],
    );
    let (_, e) = eval(p);
    let c = codes(&e);
    assert!(c.contains(&"weights_total"), "{c:?}");
    assert!(!c.contains(&"level_weights_adjusted"), "{c:?}");
    // The rulebook's own weights: no notice.
    let (_, e) = eval(project(
        "100",
        "100",
        vec![row("产出指标", "≥1个", "1个", "50")],
    ));
    assert!(!codes(&e).contains(&"level_weights_adjusted"));
}

/// A 一级 the rulebook does not list but the forms know is not an error; an unknown one is.
#[test]
fn a_known_level_outside_the_rulebook_is_not_an_error() {
    let rules = Rulebook::from_json(
        r#"{"levels":[{"name":"产出指标","weight":"60"},{"name":"效益指标","weight":"30"}]}"#,
    )
    .unwrap();
    let (s, e) = eval_with(
        project("100", "100", vec![row("产出指标", "≥1个", "1个", "50")]),
        &rules,
    );
    let c = codes(&e);
    assert!(!c.contains(&"unknown_level"), "{c:?}");
    assert!(c.contains(&"level_weights_adjusted"), "{c:?}");
    assert_eq!(s.projects[0].total.as_deref(), Some("100.00"));
    let (_, e) = eval(project(
        "100",
        "100",
        vec![
            row("产出指标", "≥1个", "1个", "40"),
            row("成效指标", "≥1个", "1个", "10"),
        ],
    ));
    let unknown = e
        .findings
        .iter()
        .find(|f| f.code == "unknown_level")
        .unwrap();
    assert!(
        unknown.message.contains("一级指标“成效指标”不在规则中"),
        "{}",
        unknown.message
    );
}

/// Issue 11 (安徽): a 一级 label carrying its points is that level; a block whose leaves
/// do not add up to its points is an error naming the block.
#[test]
fn level_labels_with_points_are_grouped_and_checked() {
    let p = bare_project(
        "100",
        "100",
        vec![
            row("产出指标（50分）", "≥50个", "40个", "30"),
            row("产出指标（50分）", "≥1个", "1个", "20"),
            typed(row("效益指标(30分)", "效果显著", "达成", "30"), "30"),
            row("满意度指标 （10分）", "≥90%", "95%", "10"),
        ],
    );
    let (s, e) = eval(p);
    let levels: Vec<(&str, &str, Option<&str>)> = s.projects[0]
        .levels
        .iter()
        .map(|l| (l.name.as_str(), l.weight.as_str(), l.score.as_deref()))
        .collect();
    assert_eq!(
        levels,
        [
            ("产出指标", "50", Some("44.00")),
            ("效益指标", "30", Some("30.00")),
            ("满意度指标", "10", Some("10.00"))
        ]
    );
    assert_eq!(s.projects[0].total.as_deref(), Some("94.00"));
    let c = codes(&e);
    for code in [
        "unknown_level",
        "level_weight",
        "level_weights_adjusted",
        "weights_total",
    ] {
        assert!(!c.contains(&code), "{code} in {c:?}");
    }
    // 产出指标（50分） whose leaves give 45: an error naming the block.
    let p = bare_project(
        "100",
        "100",
        vec![
            row("产出指标（50分）", "≥50个", "50个", "45"),
            typed(row("效益指标(30分)", "效果显著", "达成", "35"), "35"),
            row("满意度指标（10分）", "≥90%", "95%", "10"),
        ],
    );
    let (_, e) = eval(p);
    let bad: Vec<&str> = e
        .findings
        .iter()
        .filter(|f| f.code == "level_weight")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        bad,
        [
            "项目1“测试项目”：“产出指标（50分）”各三级指标分值之和为45，与该一级指标的分值50不一致",
            "项目1“测试项目”：“效益指标(30分)”各三级指标分值之和为35，与该一级指标的分值30不一致"
        ]
    );
}

/// Issue 11: the rounding variant. 96.85% × 10 is 9.69 by default and 9.68 truncated
/// (重庆); leaf scores too; subtotals and the total stay sums of the rounded parts.
#[test]
fn truncation_cuts_leaf_and_execution_scores() {
    let p = || {
        project(
            "100",
            "96.85",
            vec![
                row("产出指标", "≥100个", "96.85个", "10"),
                row("产出指标", "≥1个", "1个", "40"),
            ],
        )
    };
    let (s, _) = eval(p());
    assert_eq!(s.projects[0].execution_score.as_deref(), Some("9.69"));
    assert_eq!(score(&s, 0), "9.69");
    assert_eq!(s.projects[0].total.as_deref(), Some("99.38"));
    let truncate = Rulebook::preset("truncate").unwrap();
    assert_eq!(truncate.label, "得分截尾保留两位小数（重庆）");
    let (s, _) = eval_with(p(), &truncate);
    assert_eq!(s.projects[0].execution_score.as_deref(), Some("9.68"));
    assert_eq!(s.projects[0].execution_basis, "96.85% × 10 = 9.68");
    assert_eq!(score(&s, 0), "9.68");
    assert_eq!(s.projects[0].indicators[0].basis, "96.85 ÷ 100 × 10 = 9.68");
    assert_eq!(s.projects[0].levels[0].score.as_deref(), Some("49.68"));
    assert_eq!(s.projects[0].total.as_deref(), Some("99.36"));
    // A JSON rulebook may set it.
    let json = Rulebook::from_json(r#"{"name":"重庆","rounding":"truncate"}"#).unwrap();
    let (s, _) = eval_with(p(), &json);
    assert_eq!(s.projects[0].execution_score.as_deref(), Some("9.68"));
    let half = Rulebook::from_json(r#"{"rounding":"halfAwayFromZero"}"#).unwrap();
    assert_eq!(half, Rulebook::default());
}

/// Issue 11 item 6 (RULES.md §4): look-alike characters read as what they mean.
#[test]
fn look_alike_operators_score_as_what_they_mean() {
    let (s, e) = eval(project(
        "100",
        "100",
        vec![
            row("产出指标", "≧735人次", "800人次", "10"),
            row("产出指标", "═100%", "100%", "10"),
            row("产出指标", "≥100百分比", "98%", "10"),
            row("产出指标", "⩾95%", "90%", "10"),
            row("产出指标", "〈5天", "4天", "5"),
            row("产出指标", "﹦3个", "3个", "5"),
        ],
    ));
    assert_eq!(score(&s, 0), "10.00");
    assert_eq!(
        s.projects[0].indicators[0].basis,
        "800 达到 735，得满分 10 = 10.00"
    );
    assert_eq!(score(&s, 1), "10.00");
    assert_eq!(s.projects[0].indicators[1].method, Method::Equal);
    assert_eq!(score(&s, 2), "9.80");
    assert_eq!(s.projects[0].indicators[2].basis, "98 ÷ 100 × 10 = 9.80");
    assert_eq!(score(&s, 3), "9.47");
    assert_eq!(score(&s, 4), "5.00");
    assert_eq!(s.projects[0].indicators[4].method, Method::Reverse);
    assert_eq!(score(&s, 5), "5.00");
    let c = codes(&e);
    assert!(
        !c.contains(&"unparseable") && !c.contains(&"unit_mismatch"),
        "{c:?}"
    );
}
