//! The scorer and the loaders return findings or errors, never a panic (a panic in
//! the browser kills the page), whatever the input.

use jixiao::model::{Figure, FundRow, Funds, Indicator, Project, Unit};
use jixiao::rules::{Rulebook, PRESETS};
use jixiao::{evaluate, io};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// A typed figure: blank, a number of any size, or text that is not one (约50, 1e30 …).
fn decimal() -> impl Strategy<Value = Figure> {
    prop_oneof![
        Just(Figure::BLANK),
        (-1_000_000i64..1_000_000, 0u32..6).prop_map(|(n, s)| Decimal::new(n, s).into()),
        Just(Decimal::MAX.into()),
        Just(Decimal::MIN.into()),
        Just(Decimal::new(1, 28).into()),
        Just(Decimal::ZERO.into()),
        any::<i64>().prop_map(|n| Decimal::from(n).into()),
        text().prop_map(|t| Figure::typed(&t)),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("≥95%".to_string()),
        Just("≤1个月".to_string()),
        Just("达成年度指标".to_string()),
        Just("部分达成".to_string()),
        Just("效果显著".to_string()),
        Just("90%-100%".to_string()),
        Just("2022年12月31日前".to_string()),
        Just("1e30".to_string()),
        Just("99999999999999999999999999999".to_string()),
        Just("0.0000000000000000000000000001个".to_string()),
        Just("=0".to_string()),
        Just("<0".to_string()),
        "[0-9≥≤<>=%.万元个-]{0,12}",
        any::<String>(),
    ]
}

fn row() -> impl Strategy<Value = FundRow> {
    (decimal(), decimal(), decimal(), decimal()).prop_map(|(initial, budget, executed, rate)| {
        FundRow {
            initial,
            budget,
            executed,
            typed_rate: rate,
            typed_score: Figure::BLANK,
        }
    })
}

fn indicator() -> impl Strategy<Value = Indicator> {
    (
        prop_oneof![
            Just("产出指标".to_string()),
            Just("效益指标".to_string()),
            text()
        ],
        text(),
        text(),
        decimal(),
        decimal(),
        any::<bool>(),
        decimal(),
    )
        .prop_map(
            |(level1, target, actual, weight, typed_score, na, deduction)| Indicator {
                level1,
                name: "指标".into(),
                target,
                actual,
                weight,
                typed_score,
                not_applicable: na,
                deduction,
                ..Indicator::default()
            },
        )
}

fn project() -> impl Strategy<Value = Project> {
    (
        row(),
        prop::option::of(row()),
        decimal(),
        prop::collection::vec(indicator(), 0..6),
        decimal(),
    )
        .prop_map(
            |(total, fiscal, execution_weight, indicators, typed_total)| {
                let mut p = Project {
                    name: "项目".into(),
                    funds: Funds {
                        total,
                        fiscal,
                        ..Funds::default()
                    },
                    execution_weight,
                    indicators,
                    ..Project::default()
                };
                p.typed.total = typed_total;
                p
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn evaluate_never_panics(projects in prop::collection::vec(project(), 0..4), unit_funds in prop::option::of(row()), preset in 0..PRESETS.len()) {
        let unit = Unit {
            name: "单位".into(),
            funds: unit_funds.map(|total| Funds { total, ..Funds::default() }),
            projects,
            ..Unit::default()
        };
        let rules = Rulebook::preset(PRESETS[preset].0).unwrap();
        let eval = evaluate(&unit, &rules);
        // Every finding says where and what, in Chinese.
        for f in &eval.findings {
            prop_assert!(!f.message.is_empty());
        }
    }

    #[test]
    fn load_never_panics_on_text(s in any::<String>()) {
        let _ = io::load(s.as_bytes(), "x.json");
        let _ = io::json::from_json(&s);
    }

    #[test]
    fn load_never_panics_on_json_with_wrong_types(v in prop_oneof![
        Just(r#"{"schemaVersion":1,"projects":[{"indicators":[{"weight":true}]}]}"#.to_string()),
        Just(r#"{"schemaVersion":1,"projects":"x"}"#.to_string()),
        Just(r#"{"schemaVersion":99}"#.to_string()),
        Just(r#"{"schemaVersion":1,"year":[2022]}"#.to_string()),
        Just(r#"{"schemaVersion":1,"funds":{"total":{"budget":1e400}}}"#.to_string()),
    ]) {
        prop_assert!(io::load(v.as_bytes(), "x.json").is_err());
    }
}

#[test]
fn a_figure_that_is_not_a_number_is_kept_and_reported_not_counted() {
    let text = r#"{"schemaVersion":1,"projects":[{"name":"项目","indicators":[{"level1":"产出指标","name":"指标","weight":"约50"},{"level1":"产出指标","name":"指标二","weight":"40"}]}]}"#;
    let unit = io::json::from_json(text).unwrap();
    let weight = &unit.projects[0].indicators[0].weight;
    assert_eq!((weight.text(), weight.value()), ("约50", None));
    assert!(serde_json::to_string(&unit)
        .unwrap()
        .contains(r#""weight":"约50""#));
    let eval = evaluate(&unit, &Rulebook::default());
    let f = eval
        .findings
        .iter()
        .find(|f| f.code == "unreadable_figure")
        .expect("reported");
    assert_eq!(f.field.as_deref(), Some("indicators.0.weight"));
    assert_eq!(
        f.message,
        "项目1“项目” · 产出指标 · 第1行：分值“约50”不是数字，未计入"
    );
    // Not counted: 10 (execution) + 40, not 100 with a stale or partial 50.
    assert!(eval
        .findings
        .iter()
        .any(|f| f.code == "weights_total" && f.message.contains("之和为50，应为100")));
}

#[test]
fn a_year_typed_in_words_is_kept_and_reported() {
    let unit =
        io::json::from_json(r#"{"schemaVersion":1,"name":"单位","year":"二〇二二"}"#).unwrap();
    assert_eq!((unit.year.text(), unit.year.value()), ("二〇二二", None));
    let eval = evaluate(&unit, &Rulebook::default());
    let f = eval
        .findings
        .iter()
        .find(|f| f.field.as_deref() == Some("year"))
        .expect("reported");
    assert_eq!(
        f.message,
        "单位整体：年度“二〇二二”不是四位年份（如 2022），未计入"
    );
    let unit = io::json::from_json(r#"{"schemaVersion":1,"year":"2022年度"}"#).unwrap();
    assert_eq!(unit.year.value(), Some(2022));
}

#[test]
fn wrong_json_types_say_what_in_chinese() {
    let err = io::load(
        br#"{"schemaVersion":1,"projects":[{"indicators":[{"weight":true}]}]}"#,
        "x.json",
    )
    .err()
    .unwrap();
    assert!(err.contains("应为数字（写成文本"), "{err}");
}

#[test]
fn future_schema_version_is_refused_in_chinese() {
    let err = io::load(br#"{"schemaVersion": 99, "name": "x"}"#, "新版.json")
        .err()
        .unwrap();
    assert!(err.contains("新版.json"), "{err}");
    assert!(err.contains("版本为99"), "{err}");
}
