//! The scorer and the loaders return findings or errors, never a panic (a panic in
//! the browser kills the page), whatever the input.

use jixiao::model::{FundRow, Funds, Indicator, Project, Unit};
use jixiao::rules::{Rulebook, PRESETS};
use jixiao::{evaluate, io};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn decimal() -> impl Strategy<Value = Option<Decimal>> {
    prop_oneof![
        Just(None),
        (-1_000_000i64..1_000_000, 0u32..6).prop_map(|(n, s)| Some(Decimal::new(n, s))),
        Just(Some(Decimal::MAX)),
        Just(Some(Decimal::MIN)),
        Just(Some(Decimal::new(1, 28))),
        Just(Some(Decimal::ZERO)),
        any::<i64>().prop_map(|n| Some(Decimal::from(n))),
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
            typed_score: None,
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
        Just(r#"{"schemaVersion":1,"projects":[{"indicators":[{"weight":"abc"}]}]}"#.to_string()),
        Just(r#"{"schemaVersion":1,"projects":"x"}"#.to_string()),
        Just(r#"{"schemaVersion":99}"#.to_string()),
        Just(r#"{"schemaVersion":1,"year":"二〇二二"}"#.to_string()),
        Just(r#"{"schemaVersion":1,"funds":{"total":{"budget":1e400}}}"#.to_string()),
    ]) {
        prop_assert!(io::load(v.as_bytes(), "x.json").is_err());
    }
}

#[test]
fn future_schema_version_is_refused_in_chinese() {
    let err = io::load(br#"{"schemaVersion": 99, "name": "x"}"#, "新版.json")
        .err()
        .unwrap();
    assert!(err.contains("新版.json"), "{err}");
    assert!(err.contains("版本为99"), "{err}");
}
