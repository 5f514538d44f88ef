//! Unit tests of the workbook reader.

use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn floats_go_through_fifteen_digits() {
    assert_eq!(dec_from_f64(15.14353).unwrap().to_string(), "15.14353");
    assert_eq!(
        dec_from_f64(0.9043000000000001).unwrap().to_string(),
        "0.9043"
    );
    assert_eq!(
        dec_from_f64(0.9329999999999999).unwrap().to_string(),
        "0.933"
    );
    assert_eq!(dec_from_f64(7750.69).unwrap().to_string(), "7750.69");
    assert_eq!(dec_from_f64(100.0).unwrap().to_string(), "100");
    assert_eq!(dec_from_f64(-2.5).unwrap().to_string(), "-2.5");
    assert_eq!(dec_from_f64(0.1 + 0.2).unwrap().to_string(), "0.3");
    assert_eq!(dec_from_f64(1e-40).unwrap(), Decimal::ZERO);
    assert!(dec_from_f64(1e300).is_none());
    assert!(dec_from_f64(f64::NAN).is_none());
    assert_eq!(dec_from_f64(f64::MIN_POSITIVE), Some(Decimal::ZERO));
}

#[test]
fn text_numbers() {
    assert_eq!(read_with("16", &[]), Some(d("16")));
    assert_eq!(read_with("16.00", &[]).unwrap().to_string(), "16.00");
    assert_eq!(read_with("１６", &[]), Some(d("16")));
    assert_eq!(read_with(" 1,234.5 ", &[]), Some(d("1234.5")));
    assert_eq!(read_with("47分", &["分"]), Some(d("47")));
    assert_eq!(read_with("十万", &[]), None);
    assert_eq!(read_with("1.2.3", &[]), None);
    assert_eq!(read_with("-", &[]), None);
    assert!(is_blank_mark("—"));
    assert!(is_blank_mark(" - "));
    assert!(is_blank_mark(""));
    assert!(!is_blank_mark("0"));
}

fn cell(data: Data, percent: Option<Option<u32>>) -> Cell {
    let mut c = Cell::new(data, None);
    c.percent = percent;
    c
}

#[test]
fn rates_are_percent() {
    let rate = |c: Cell| match read_number(Some(&c), Kind::Rate) {
        Num::Value(v) => v,
        other => panic!("{other:?}"),
    };
    let r = rate(cell(Data::Float(0.184), Some(Some(1))));
    assert_eq!((r.to_string().as_str(), r.scale()), ("18.4", 1));
    assert_eq!(
        rate(cell(Data::Float(0.9043000000000001), Some(Some(2)))).to_string(),
        "90.43"
    );
    assert_eq!(
        rate(cell(Data::Float(0.184), Some(Some(2)))).to_string(),
        "18.4"
    );
    assert_eq!(
        rate(cell(Data::Float(0.946470625), Some(Some(2)))).to_string(),
        "94.65"
    );
    assert_eq!(
        rate(cell(Data::Float(1.0), Some(Some(0)))).to_string(),
        "100"
    );
    assert_eq!(rate(cell(Data::Float(0.9936), None)).to_string(), "99.36");
    assert_eq!(rate(cell(Data::Float(99.36), None)).to_string(), "99.36");
    assert_eq!(
        rate(cell(Data::String("99.36%".into()), None)).to_string(),
        "99.36"
    );
    assert_eq!(
        rate(cell(Data::String("９９．３６％".into()), None)).to_string(),
        "99.36"
    );
    assert_eq!(
        rate(cell(Data::String("0.9936".into()), None)).to_string(),
        "99.36"
    );
    assert_eq!(
        read_number(Some(&cell(Data::String("约99%".into()), None)), Kind::Rate),
        Num::Bad("约99%".into())
    );
}

#[test]
fn amounts_in_yuan() {
    let c = cell(Data::Float(155000.0), None);
    assert_eq!(
        read_number(Some(&c), Kind::Amount { yuan: true }),
        Num::Value(d("15.5"))
    );
    let c = cell(Data::String("160000元".into()), None);
    assert_eq!(
        read_number(Some(&c), Kind::Amount { yuan: true }),
        Num::Value(d("16"))
    );
}

#[test]
fn percent_formats() {
    assert_eq!(percent_format("0.00%"), Some(Some(2)));
    assert_eq!(percent_format("0%"), Some(Some(0)));
    assert_eq!(percent_format("0.0%;[Red]-0.0%"), Some(Some(1)));
    assert_eq!(percent_format("General"), None);
    assert_eq!(percent_format("0.00"), None);
    assert_eq!(percent_format("0.00\"%\""), None);
    assert_eq!(percent_format("0.00\\%"), None);
}

#[test]
fn labels_and_places() {
    assert_eq!(norm(" 其中： 当年财政拨款 "), "其中：当年财政拨款");
    assert_eq!(norm("全年预算数(A)"), "全年预算数（A）");
    assert_eq!(norm("项目名称："), "项目名称");
    assert_eq!(
        fund_kind(crate::profile::Profile::central(), "其中：当年财政拨款"),
        Some(FundKind::Fiscal)
    );
    assert_eq!(
        fund_kind(crate::profile::Profile::central(), "本年财政拨款"),
        Some(FundKind::Fiscal)
    );
    assert_eq!(
        fund_kind(crate::profile::Profile::central(), "上年结转资金"),
        Some(FundKind::Carryover)
    );
    assert_eq!(
        fund_kind(crate::profile::Profile::central(), "年度资金总额"),
        Some(FundKind::Total)
    );
    assert_eq!(
        fund_kind(crate::profile::Profile::central(), "1.基本支出"),
        Some(FundKind::Basic)
    );
    assert_eq!(
        fund_kind(crate::profile::Profile::central(), "项目支出"),
        Some(FundKind::Project)
    );
    assert_eq!(year_in("（2022年度）"), Some(2022));
    assert_eq!(year_in("2023年度项目支出绩效自评表"), Some(2023));
    assert_eq!(year_in("12345年度"), None);
    assert_eq!(year_in("年度"), None);
}

#[test]
fn literal_formulas_are_typed_text() {
    assert!(literal_formula("1个"));
    assert!(literal_formula("100%"));
    assert!(!literal_formula("A1"));
    assert!(!literal_formula("SUM(A1:A3)"));
    assert!(!literal_formula("50+30"));
    let c = Cell::new(Data::Empty, Some("1个".into()));
    assert_eq!(cell_text(&c), "=1个");
    let c = Cell::new(Data::Float(0.5), Some("E6/D6".into()));
    assert_eq!(cell_text(&c), "0.5");
    let mut c = Cell::new(Data::Float(0.95), None);
    c.percent = Some(Some(0));
    assert_eq!(cell_text(&c), "95%");
}

#[test]
fn operators() {
    assert_eq!(operator(">="), Some("≥"));
    assert_eq!(operator("≤"), Some("≤"));
    assert_eq!(operator("正向"), None);
}
