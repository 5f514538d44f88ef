//! Tests of [`crate::value`]: the forms RULES.md §4 lists, look-alikes, errors, and a
//! property test that no input makes the parser panic.

use super::*;
use proptest::prelude::*;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn number(op: Option<Op>, n: &str, unit: &str) -> Value {
    Value::Number {
        op,
        number: dec(n),
        unit: unit.to_string(),
    }
}

fn range(low: &str, high: &str, unit: &str) -> Value {
    Value::Range {
        low: dec(low),
        high: dec(high),
        unit: unit.to_string(),
    }
}

fn date(op: Option<Op>, year: Option<i32>, month: u32, day: u32) -> Value {
    Value::Date {
        op,
        year,
        month,
        day,
    }
}

fn ok(input: &str) -> Value {
    parse(input).unwrap_or_else(|e| panic!("{input}: {e}"))
}

fn err(input: &str) -> String {
    match parse(input) {
        Ok(value) => panic!("{input} parsed as {value:?}"),
        Err(e) => e.message,
    }
}

#[test]
fn operator_number_unit() {
    assert_eq!(ok("≥50个"), number(Some(Op::Ge), "50", "个"));
    assert_eq!(ok("≤90万元"), number(Some(Op::Le), "90", "万元"));
    assert_eq!(ok("=100%"), number(Some(Op::Eq), "100", "%"));
    assert_eq!(ok("=1个"), number(Some(Op::Eq), "1", "个"));
    assert_eq!(ok("≤10次"), number(Some(Op::Le), "10", "次"));
    assert_eq!(ok(">=95%"), number(Some(Op::Ge), "95", "%"));
    assert_eq!(ok("=>95%"), number(Some(Op::Ge), "95", "%"));
    assert_eq!(ok("=<3天"), number(Some(Op::Le), "3", "天"));
    assert_eq!(ok(">5件"), number(Some(Op::Gt), "5", "件"));
    assert_eq!(ok("<2起"), number(Some(Op::Lt), "2", "起"));
    assert_eq!(ok("≥100百分比"), number(Some(Op::Ge), "100", "%"));
    assert_eq!(ok("<=1个月"), number(Some(Op::Le), "1", "月"));
    assert_eq!(ok("≤1个月"), number(Some(Op::Le), "1", "月"));
    assert_eq!(ok("≥90分"), number(Some(Op::Ge), "90", "分"));
}

#[test]
fn bare_values_reach_the_number() {
    assert_eq!(ok("100%"), number(None, "100", "%"));
    assert_eq!(ok("1个"), number(None, "1", "个"));
    assert_eq!(ok("1个月"), number(None, "1", "月"));
    assert_eq!(ok("98"), number(None, "98", ""));
    assert_eq!(ok("达到95%"), number(None, "95", "%"));
}

#[test]
fn exact_decimals_keep_their_scale() {
    let Value::Number { number, unit, .. } = ok("15.14353万元") else {
        panic!("not a number")
    };
    assert_eq!(number, dec("15.14353"));
    assert_eq!(number.scale(), 5);
    assert_eq!(unit, "万元");
    assert_eq!(ok("0.1"), number_of("0.1"));
}

fn number_of(n: &str) -> Value {
    number(None, n, "")
}

#[test]
fn full_width_and_look_alike_forms() {
    assert_eq!(ok("＞＝９５％"), number(Some(Op::Ge), "95", "%"));
    assert_eq!(ok("≧95%"), number(Some(Op::Ge), "95", "%"));
    assert_eq!(ok("⩾95%"), number(Some(Op::Ge), "95", "%"));
    assert_eq!(ok("≦10天"), number(Some(Op::Le), "10", "天"));
    assert_eq!(ok("⩽10天"), number(Some(Op::Le), "10", "天"));
    assert_eq!(ok("﹥3"), number(Some(Op::Gt), "3", ""));
    assert_eq!(ok("﹤3"), number(Some(Op::Lt), "3", ""));
    assert_eq!(ok("＜3"), number(Some(Op::Lt), "3", ""));
    assert_eq!(ok("＝１００％"), number(Some(Op::Eq), "100", "%"));
    // Word/PDF conversions (RULES.md §4): ═ ﹦ for =, 〉 ＞ for >, 〈 ＜ for <.
    assert_eq!(ok("═100%"), number(Some(Op::Eq), "100", "%"));
    assert_eq!(ok("﹦100%"), number(Some(Op::Eq), "100", "%"));
    assert_eq!(ok("〉3个"), number(Some(Op::Gt), "3", "个"));
    assert_eq!(ok("＞3个"), number(Some(Op::Gt), "3", "个"));
    assert_eq!(ok("〈5天"), number(Some(Op::Lt), "5", "天"));
    assert_eq!(ok("＜5天"), number(Some(Op::Lt), "5", "天"));
    assert_eq!(ok("≧735人次"), number(Some(Op::Ge), "735", "人次"));
    assert_eq!(ok("⩾95%"), number(Some(Op::Ge), "95", "%"));
    assert_eq!(ok("≦10天"), number(Some(Op::Le), "10", "天"));
    assert_eq!(ok("⩽10天"), number(Some(Op::Le), "10", "天"));
    assert_eq!(ok("≥100百分比"), number(Some(Op::Ge), "100", "%"));
    assert_eq!(ok("〉=95%"), number(Some(Op::Ge), "95", "%"));
    assert_eq!(ok("１２．５万元"), number(None, "12.5", "万元"));
    assert_eq!(
        ok("\u{3000}≥ 50\u{a0}个 "),
        number(Some(Op::Ge), "50", "个")
    );
    assert_eq!(ok("> = 95 %"), number(Some(Op::Ge), "95", "%"));
    assert_eq!(ok("95%。"), number(None, "95", "%"));
}

#[test]
fn level_labels_carry_their_points() {
    let points = |s: &str| level_with_points(s);
    let p = |n: &str, x: &str| (n.to_string(), Some(dec(x)));
    assert_eq!(points("产出指标（50分）"), p("产出指标", "50"));
    assert_eq!(points("效益指标(30分)"), p("效益指标", "30"));
    assert_eq!(points("满意度指标（10分）"), p("满意度指标", "10"));
    assert_eq!(points(" 满意度指标 （ 10 分 ） "), p("满意度指标", "10"));
    assert_eq!(points("产出指标(50)"), p("产出指标", "50"));
    assert_eq!(points("产出指标50分"), p("产出指标", "50"));
    assert_eq!(points("产出指标（满分50分）"), p("产出指标", "50"));
    assert_eq!(points("效益指标（２７．５分）"), p("效益指标", "27.5"));
    assert_eq!(points("产出（60分）"), p("产出指标", "60"));
    assert_eq!(points("产出指标"), ("产出指标".to_string(), None));
    assert_eq!(points(" 效益 指标 "), ("效益指标".to_string(), None));
    assert_eq!(points("效益"), ("效益指标".to_string(), None));
    assert_eq!(
        points("产出指标（数量）"),
        ("产出指标(数量)".to_string(), None)
    );
    assert_eq!(points("（50分）"), ("(50分)".to_string(), None));
    assert_eq!(points(""), (String::new(), None));
}

#[test]
fn operator_words() {
    let ge = |s| assert_eq!(ok(s), number(Some(Op::Ge), "95", "%"), "{s}");
    for s in [
        "大于等于95%",
        "不低于95%",
        "不少于95%",
        "不小于95%",
        "至少95%",
        "95%以上",
        "95%及以上",
        "≥95%以上",
        "95%以上(含)",
    ] {
        ge(s);
    }
    let le = |s| assert_eq!(ok(s), number(Some(Op::Le), "10", "天"), "{s}");
    for s in [
        "小于等于10天",
        "不高于10天",
        "不超过10天",
        "不多于10天",
        "不大于10天",
        "至多10天",
        "10天以内",
        "10天以下",
        "10天内",
        "10日以内",
    ] {
        le(s);
    }
    assert_eq!(ok("大于5个"), number(Some(Op::Gt), "5", "个"));
    assert_eq!(ok("高于5个"), number(Some(Op::Gt), "5", "个"));
    assert_eq!(ok("超过5个"), number(Some(Op::Gt), "5", "个"));
    assert_eq!(ok("多于5个"), number(Some(Op::Gt), "5", "个"));
    assert_eq!(ok("小于5个"), number(Some(Op::Lt), "5", "个"));
    assert_eq!(ok("低于5个"), number(Some(Op::Lt), "5", "个"));
    assert_eq!(ok("少于5个"), number(Some(Op::Lt), "5", "个"));
    assert_eq!(ok("等于5个"), number(Some(Op::Eq), "5", "个"));
    assert_eq!(ok("1个月内"), number(Some(Op::Le), "1", "月"));
    assert_eq!(ok(">90%以上"), number(Some(Op::Gt), "90", "%"));
}

#[test]
fn contradictory_operators_are_errors() {
    assert!(err("≥95%以下").contains("矛盾"));
    assert!(err("=95%以上").contains("矛盾"));
}

#[test]
fn thousands_separators_and_signs() {
    assert_eq!(ok("10,000"), number_of("10000"));
    assert_eq!(ok("10，000人次"), number(None, "10000", "人次"));
    assert_eq!(ok("1,234,567.5元"), number(None, "1234567.5", "元"));
    assert_eq!(ok("-5%"), number(None, "-5", "%"));
    assert_eq!(ok("≥-5%"), number(Some(Op::Ge), "-5", "%"));
    assert_eq!(ok("＋5%"), number(None, "5", "%"));
    assert!(err("1,0000").contains("“,”"));
}

#[test]
fn units_are_canonical() {
    assert_eq!(ok("5公里"), number(None, "5", "km"));
    assert_eq!(ok("5千米"), number(None, "5", "km"));
    assert_eq!(ok("5KM"), number(None, "5", "km"));
    assert_eq!(ok("200平方米"), number(None, "200", "㎡"));
    assert_eq!(ok("200m2"), number(None, "200", "㎡"));
    assert_eq!(ok("200m²"), number(None, "200", "㎡"));
    assert_eq!(ok("200㎡"), number(None, "200", "㎡"));
    assert_eq!(ok("≤2h"), number(Some(Op::Le), "2", "小时"));
    assert_eq!(ok("≤2小时"), number(Some(Op::Le), "2", "小时"));
    assert_eq!(ok("3日"), number(None, "3", "天"));
    assert_eq!(ok("3个工作日"), number(None, "3", "工作日"));
    assert_eq!(ok("10万人次"), number(None, "10", "万人次"));
    assert_eq!(ok("2台套"), number(None, "2", "台套"));
    assert_eq!(canonical_unit("％"), "%");
    assert_eq!(canonical_unit(" 个月 "), "月");
    assert_eq!(canonical_unit("—"), "");
}

#[test]
fn ranges() {
    assert_eq!(ok("90%-100%"), range("90", "100", "%"));
    assert_eq!(ok("90-100%"), range("90", "100", "%"));
    assert_eq!(ok("90%-100"), range("90", "100", "%"));
    assert_eq!(ok("80~90"), range("80", "90", ""));
    assert_eq!(ok("80～90"), range("80", "90", ""));
    assert_eq!(ok("80〜90"), range("80", "90", ""));
    assert_eq!(ok("80至90个"), range("80", "90", "个"));
    assert_eq!(ok("80到90"), range("80", "90", ""));
    assert_eq!(ok("90%—100%"), range("90", "100", "%"));
    assert_eq!(ok("90%——100%"), range("90", "100", "%"));
    assert_eq!(ok("90%－100%"), range("90", "100", "%"));
    assert_eq!(ok("90% - 100%之间"), range("90", "100", "%"));
    assert_eq!(ok("在90%-100%之间"), range("90", "100", "%"));
    assert_eq!(ok("-5%-5%"), range("-5", "5", "%"));
    assert_eq!(ok("-5--1"), range("-5", "-1", ""));
    assert_eq!(ok("90%-90%"), range("90", "90", "%"));
}

#[test]
fn bad_ranges_are_errors() {
    assert!(err("100%-90%").contains("下限100大于上限90"));
    assert!(err("1万元-2元").contains("单位不一致"));
    assert!(err("≥90%-100%").contains("区间"));
    assert!(err("90%-").contains("缺少数值"));
    assert!(err("95%之间").contains("之间"));
}

#[test]
fn dates() {
    assert_eq!(
        ok("2022年12月31日前"),
        date(Some(Op::Le), Some(2022), 12, 31)
    );
    assert_eq!(
        ok("2022年12月31日之前"),
        date(Some(Op::Le), Some(2022), 12, 31)
    );
    assert_eq!(
        ok("2022年12月31日以前完成"),
        date(Some(Op::Le), Some(2022), 12, 31)
    );
    assert_eq!(ok("2022年12月底前"), date(Some(Op::Le), Some(2022), 12, 31));
    assert_eq!(ok("2022年11月底前"), date(Some(Op::Le), Some(2022), 11, 30));
    assert_eq!(ok("2024年2月底"), date(None, Some(2024), 2, 29));
    assert_eq!(ok("2022年底前"), date(Some(Op::Le), Some(2022), 12, 31));
    assert_eq!(ok("12月31日前"), date(Some(Op::Le), None, 12, 31));
    assert_eq!(ok("6月30号前"), date(Some(Op::Le), None, 6, 30));
    assert_eq!(ok("2月底前"), date(Some(Op::Le), None, 2, 28));
    assert_eq!(ok("2月29日前"), date(Some(Op::Le), None, 2, 29));
    assert_eq!(ok("2022-12-31"), date(None, Some(2022), 12, 31));
    assert_eq!(ok("2022.12.31"), date(None, Some(2022), 12, 31));
    assert_eq!(ok("2022/12/31"), date(None, Some(2022), 12, 31));
    assert_eq!(ok("2022-6-1"), date(None, Some(2022), 6, 1));
    assert_eq!(ok("≤2022-12-31"), date(Some(Op::Le), Some(2022), 12, 31));
    assert_eq!(
        ok("截至2022年6月30日"),
        date(Some(Op::Le), Some(2022), 6, 30)
    );
    assert_eq!(ok("2022年6月"), date(None, Some(2022), 6, 30));
    assert_eq!(ok("2022年6月后"), date(Some(Op::Ge), Some(2022), 6, 1));
}

/// RULES.md §4: dates without a year are in the evaluated year — 年底前 is the
/// deadline 12月31日 as 2022年底前 is, its year the one evaluated.
#[test]
fn the_years_end_without_a_year_is_a_deadline() {
    for s in [
        "年底前",
        "年底前完成",
        "年内",
        "年内完成",
        "本年底前",
        "本年度内",
        "当年内完成",
        "今年底前",
        "于年底前完成",
        "年底之前",
        "年末前",
        " 年底前。",
    ] {
        assert_eq!(ok(s), date(Some(Op::Le), None, 12, 31), "{s}");
    }
    assert_eq!(ok("年底"), date(None, None, 12, 31));
    assert_eq!(ok("年末完成"), date(None, None, 12, 31));
    // As written back, read again the same.
    assert_eq!(ok("年内完成").to_string(), "12月31日前");
    assert_eq!(ok("12月31日前"), ok("年内完成"));
    // Not a deadline: other words about time stay qualitative text.
    for s in [
        "按时完成",
        "年度目标",
        "年内基本完成",
        "全年",
        "年底前后",
        "本年",
    ] {
        assert!(matches!(ok(s), Value::Text(_)), "{s}: {:?}", ok(s));
    }
    // Against it, an actual month is that month's end; a year-end word is the end.
    let month = ok("11月");
    assert_eq!(
        against_deadline("11月", &month, Some(2022)),
        Some(AgainstDeadline::Date { month: 11, day: 30 })
    );
    assert_eq!(
        against_deadline(
            "已于年底前完成",
            &Value::Text("已于年底前完成".into()),
            None
        ),
        Some(AgainstDeadline::Date { month: 12, day: 31 })
    );
    assert_eq!(
        against_deadline("已年内完成", &Value::Text("已年内完成".into()), None),
        Some(AgainstDeadline::Date { month: 12, day: 31 })
    );
}

#[test]
fn calendar_dates() {
    assert_eq!(calendar_date("2023年3月17日"), Some((2023, 3, 17)));
    assert_eq!(calendar_date(" 2023-03-07 "), Some((2023, 3, 7)));
    assert_eq!(
        calendar_date("２０２３年１２月３１日"),
        Some((2023, 12, 31))
    );
    assert_eq!(calendar_date("2023/2/29"), None);
    assert_eq!(calendar_date("3月17日"), None);
    assert_eq!(calendar_date("2023年3月"), None);
    assert_eq!(calendar_date(""), None);
}

#[test]
fn impossible_dates_are_errors() {
    assert!(err("2022年2月30日前").contains("2022年2月没有30日"));
    assert!(err("2023年2月29日").contains("没有29日"));
    assert!(err("2月30日前").contains("2月没有30日"));
    assert!(err("2022-13-01").contains("月份"));
    assert!(err("2022年4月31日").contains("4月没有31日"));
    assert_eq!(ok("2024年2月29日"), date(None, Some(2024), 2, 29));
}

#[test]
fn years_and_months_alone_are_durations() {
    assert_eq!(ok("2022年"), number(None, "2022", "年"));
    assert_eq!(ok("≤12月"), number(Some(Op::Le), "12", "月"));
}

#[test]
fn bands() {
    assert_eq!(ok("达成年度指标"), Value::Band(0));
    assert_eq!(ok("部分达成年度指标并具有一定效果"), Value::Band(1));
    assert_eq!(ok("未达成年度指标且效果较差"), Value::Band(2));
    assert_eq!(ok("达成"), Value::Band(0));
    assert_eq!(ok("部分达成"), Value::Band(1));
    assert_eq!(ok("未达成"), Value::Band(2));
    assert_eq!(ok(" 已达成年度指标。"), Value::Band(0));
    assert_eq!(ok("全部达成"), Value::Band(0));
}

#[test]
fn qualitative_text() {
    for s in [
        "效果显著",
        "效果明显",
        "有效",
        "按时完成",
        "符合相关规定",
        "逐步提高",
        "完成",
        "已完成",
        "达成预期指标",
        "进一步提高",
        "具有一定效果",
        "一般",
        "十分显著",
        "不超过预算",
    ] {
        assert_eq!(ok(s), Value::Text(s.to_string()), "{s}");
    }
    assert_eq!(ok("  效果 显著 "), Value::Text("效果 显著".to_string()));
}

#[test]
fn empty_cells() {
    for s in ["", "   ", "\u{3000}", "—", "——", "-", "/", "／", "无", "－"] {
        assert_eq!(ok(s), Value::Empty, "{s:?}");
    }
}

#[test]
fn chinese_numerals_ask_for_digits() {
    let message = err("约一百");
    assert!(message.contains("约一百"), "{message}");
    assert!(message.contains("阿拉伯数字"), "{message}");
    for s in [
        "一百个",
        "五十",
        "≥五十个",
        "三个月内",
        "百分之九十",
        "两年",
        "一百余人",
    ] {
        assert!(err(s).contains("阿拉伯数字"), "{s}");
    }
}

#[test]
fn unreadable_numbers_say_why() {
    assert!(err("约100").contains("“约”表示约数"));
    assert!(err("100左右").contains("“左右”表示约数"));
    assert!(err("100余人").contains("“余”"));
    assert!(err("近100个").contains("“近”"));
    let letter_o = err("1O0");
    assert!(letter_o.contains("“1O0”无法识别"), "{letter_o}");
    assert!(letter_o.contains("“O”"), "{letter_o}");
    assert!(letter_o.contains("字母"), "{letter_o}");
    assert!(err("10O").contains("字母"));
    assert!(err("完成率100%").contains("数值前多了“完成率”"));
    assert!(err("1年6个月").contains("一格只能写一个数值"));
    assert!(err("100%完成").contains("%完成"));
    assert!(err("95.5.5").contains("“.”"));
    assert!(err("≥").contains("“≥”后应为数值"));
    assert!(err("≥效果显著").contains("“≥”后应为数值"));
    assert!(err("1e5").contains("字母") || err("1e5").contains("“e”"));
    assert!(err("10天前").contains("单位"));
}

#[test]
fn overflow_is_an_error() {
    let huge = "9".repeat(40);
    assert!(err(&huge).contains("超出"));
    let tiny = format!("0.{}1", "0".repeat(40));
    assert!(err(&tiny).contains("超出"));
    assert!(err(&format!("≥{huge}%")).contains("超出"));
}

#[test]
fn error_messages_quote_the_cell_briefly() {
    let long = format!("约{}", "一".repeat(100));
    let message = err(&long);
    assert!(message.starts_with('“'));
    assert!(message.contains('…'));
    assert!(message.chars().count() < 100);
}

#[test]
fn default_unit() {
    assert_eq!(
        parse_with_unit("≥95", "%").unwrap(),
        number(Some(Op::Ge), "95", "%")
    );
    assert_eq!(
        parse_with_unit("≥95", "百分比").unwrap(),
        number(Some(Op::Ge), "95", "%")
    );
    assert_eq!(
        parse_with_unit("90-100", "％").unwrap(),
        range("90", "100", "%")
    );
    assert_eq!(
        parse_with_unit("3个", "%").unwrap(),
        number(None, "3", "个")
    );
    assert_eq!(
        parse_with_unit("≥95", "—").unwrap(),
        number(Some(Op::Ge), "95", "")
    );
    assert_eq!(
        parse_with_unit("效果显著", "%").unwrap(),
        Value::Text("效果显著".into())
    );
    let label_unit = unit_in_label("培训人数（人次）").unwrap();
    assert_eq!(
        parse_with_unit("≥200", &label_unit).unwrap(),
        number(Some(Op::Ge), "200", "人次")
    );
}

#[test]
fn units_in_labels() {
    assert_eq!(unit_in_label("培训人数（人次）").as_deref(), Some("人次"));
    assert_eq!(unit_in_label("完成率(%)").as_deref(), Some("%"));
    assert_eq!(unit_in_label("完成率（％）").as_deref(), Some("%"));
    assert_eq!(unit_in_label("项目资金（万元）").as_deref(), Some("万元"));
    assert_eq!(unit_in_label("资金（单位：万元）").as_deref(), Some("万元"));
    assert_eq!(unit_in_label("排查管道（公里）").as_deref(), Some("km"));
    assert_eq!(unit_in_label("整改时限（个月）").as_deref(), Some("月"));
    assert_eq!(unit_in_label("服务对象（企业）满意度"), None);
    assert_eq!(unit_in_label("服务对象（被诊断企业）"), None);
    assert_eq!(unit_in_label("群众满意度"), None);
    assert_eq!(unit_in_label("满意度（≥90%）"), None);
}

#[test]
fn conversions() {
    assert_eq!(convert(dec("1.5"), "万元", "元"), Some(dec("15000")));
    assert_eq!(convert(dec("15000"), "元", "万元"), Some(dec("1.5")));
    assert_eq!(convert(dec("1"), "亿元", "万元"), Some(dec("10000")));
    assert_eq!(convert(dec("2"), "km", "m"), Some(dec("2000")));
    assert_eq!(convert(dec("1"), "km²", "公顷"), Some(dec("100")));
    assert_eq!(convert(dec("2"), "年", "月"), Some(dec("24")));
    assert_eq!(convert(dec("1"), "天", "小时"), Some(dec("24")));
    assert_eq!(convert(dec("3"), "吨", "kg"), Some(dec("3000")));
    assert_eq!(convert(dec("10"), "万人次", "人次"), Some(dec("100000")));
    assert_eq!(convert(dec("5"), "‰", "%"), Some(dec("0.5")));
    assert_eq!(convert(dec("7"), "个", "个"), Some(dec("7")));
    assert_eq!(convert(dec("7"), "", "%"), Some(dec("7")));
    assert_eq!(convert(dec("7"), "个", ""), Some(dec("7")));
    assert_eq!(convert(dec("1"), "公里", "km"), Some(dec("1")));
    assert_eq!(convert(dec("1"), "个", "%"), None);
    assert_eq!(convert(dec("1"), "人", "人次"), None);
    assert_eq!(convert(dec("1"), "天", "月"), None);
    assert_eq!(convert(dec("1"), "天", "工作日"), None);
    assert!(units_compatible("万元", "元"));
    assert!(!units_compatible("个", "%"));
    assert_eq!(convert(Decimal::MAX, "亿元", "元"), None);
    let absurd = "亿".repeat(50) + "元";
    assert_eq!(convert(Decimal::ONE, &absurd, "元"), None);
}

#[test]
fn achieved_texts() {
    for actual in [
        "完成",
        "已完成",
        "全部完成",
        "均已完成",
        "按时完成",
        "已按时完成",
        "达成预期指标",
        "达到预期",
        "有效",
        "是",
        "符合",
        "符合相关规定",
        "合格",
        "效果显著",
        "效果明显",
        "达成年度指标",
    ] {
        assert!(text_means_achieved(actual, "效果显著"), "{actual}");
    }
    for actual in [
        "未完成",
        "部分完成",
        "无效",
        "不符合",
        "否",
        "效果较差",
        "部分达成年度指标并具有一定效果",
        "",
        "—",
        "还在推进",
    ] {
        assert!(!text_means_achieved(actual, "效果显著"), "{actual}");
    }
    assert!(text_means_achieved("逐步提高", "逐步提高"));
    assert!(text_means_achieved(" 逐步提高。", "逐步提高"));
    assert!(text_means_achieved("已逐步提高", "逐步提高"));
    assert!(text_means_achieved("不超过预算", "不超过预算"));
    assert!(!text_means_achieved("有所提高", "逐步提高"));
}

#[test]
fn display_reads_back() {
    for s in [
        "≥50个",
        "≤1月",
        "100%",
        "15.14353万元",
        "90%-100%",
        "80-90",
        "2022年12月31日前",
        "12月31日后",
        "<2022年6月1日",
        "达成年度指标",
        "效果显著",
    ] {
        assert_eq!(ok(s).to_string(), s);
        assert_eq!(ok(&ok(s).to_string()), ok(s));
    }
    assert_eq!(Value::Empty.to_string(), "");
    assert_eq!(Op::Ge.symbol(), "≥");
    assert_eq!(Op::Gt.symbol(), ">");
    assert_eq!(Op::Le.symbol(), "≤");
    assert_eq!(Op::Lt.symbol(), "<");
    assert_eq!(Op::Eq.symbol(), "=");
}

#[test]
fn seed_report_cells() {
    // Every 年度指标值 / 实际完成值 of the 兰州新区 2022 fixture.
    assert_eq!(ok("≥80%"), number(Some(Op::Ge), "80", "%"));
    assert_eq!(ok("≥90%"), number(Some(Op::Ge), "90", "%"));
    assert_eq!(ok("≥95%"), number(Some(Op::Ge), "95", "%"));
    assert_eq!(ok("≤1个月"), number(Some(Op::Le), "1", "月"));
    assert_eq!(ok("98%"), number(None, "98", "%"));
    assert_eq!(ok("85%"), number(None, "85", "%"));
    assert_eq!(ok("—"), Value::Empty);
    assert_eq!(ok("有效"), Value::Text("有效".into()));
    assert_eq!(ok("按时完成"), Value::Text("按时完成".into()));
}

fn any_op() -> impl Strategy<Value = Option<Op>> {
    prop_oneof![
        Just(None),
        Just(Some(Op::Ge)),
        Just(Some(Op::Gt)),
        Just(Some(Op::Le)),
        Just(Some(Op::Lt)),
        Just(Some(Op::Eq)),
    ]
}

fn any_decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=12).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn any_unit() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "", "个", "%", "万元", "元", "人次", "月", "天", "年", "km", "㎡", "小时", "台套",
    ])
}

/// Characters that matter to the parser, to reach deep paths more often than
/// arbitrary unicode does.
fn cell_chars() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "0", "1", "9", "5", ".", ",", "，", "-", "—", "~", "至", "%", "％", "≥", "≤", ">", "<",
            "=", "＞", "＝", "年", "月", "日", "号", "底", "前", "后", "以上", "以内", "内", "个",
            "万", "亿", "元", "约", "一", "百", "O", "m", "2", "(含)", "之间", " ", "\u{3000}",
            "达成", "部分", "未", "完成",
        ]),
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The plain-spelling shortcut of `normalize` changes nothing.
    #[test]
    fn normalize_shortcut_agrees(s in cell_chars(), t in "\\PC{0,12}") {
        prop_assert_eq!(normalize(&s), normalize_spelling(&s));
        prop_assert_eq!(normalize(&t), normalize_spelling(&t));
    }

    #[test]
    fn parse_never_panics_on_unicode(s in "\\PC*") {
        let _ = parse(&s);
        let _ = parse_with_unit(&s, &s);
        let _ = unit_in_label(&s);
        let _ = text_means_achieved(&s, &s);
        let _ = convert(Decimal::ONE, &s, "元");
    }

    #[test]
    fn parse_never_panics_on_any_chars(s in any::<String>()) {
        let _ = parse(&s);
    }

    #[test]
    fn parse_never_panics_on_cell_like_text(s in cell_chars()) {
        if let Ok(value) = parse(&s) {
            match value {
                Value::Range { low, high, .. } => prop_assert!(low <= high),
                Value::Date { month, day, .. } => {
                    prop_assert!((1..=12).contains(&month));
                    prop_assert!((1..=31).contains(&day));
                }
                _ => {}
            }
        }
    }

    #[test]
    fn long_digit_runs_are_errors_not_panics(
        digits in "[0-9]{20,400}",
        fraction in "[0-9]{0,400}",
        op in "(≥|≤|>|<|=|)",
        unit in "(%|个|万元|)",
    ) {
        let cell = format!("{op}{digits}.{fraction}{unit}");
        let _ = parse(&cell);
        let _ = parse(&format!("{digits}-{digits}{unit}"));
        let _ = parse(&format!("{digits},{digits}"));
    }

    #[test]
    fn numbers_read_back(op in any_op(), n in any_decimal(), unit in any_unit()) {
        let value = Value::Number { op, number: n, unit: unit.to_string() };
        prop_assert_eq!(parse(&value.to_string()), Ok(value));
    }

    #[test]
    fn ranges_read_back(a in any_decimal(), b in any_decimal(), unit in any_unit()) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let value = Value::Range { low, high, unit: unit.to_string() };
        prop_assert_eq!(parse(&value.to_string()), Ok(value));
    }

    #[test]
    fn thousands_separators_are_ignored(n in 0u64..=u64::MAX) {
        let plain = n.to_string();
        let mut grouped = String::new();
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && (plain.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        prop_assert_eq!(
            parse(&format!("≥{grouped}人")),
            Ok(Value::Number { op: Some(Op::Ge), number: Decimal::from(n), unit: "人".into() })
        );
    }

    #[test]
    fn money_converts_both_ways(n in any_decimal()) {
        if let Some(yuan) = convert(n, "万元", "元") {
            prop_assert_eq!(convert(yuan, "元", "万元"), Some(n));
        }
    }
}

#[test]
fn what_a_spreadsheet_left_is_never_a_target_or_a_completion() {
    let said = |input: &str| parse(input).map(|_| ()).unwrap_err().message;
    for input in [
        "#DIV/0!",
        "#N/A",
        "#name?",
        " #REF! ",
        "=E6/0（#DIV/0!）",
        "=\"1个\"（#NAME?）",
    ] {
        assert_eq!(
            said(input),
            format!(
                "“{}”是错误值（公式出错），请在 Excel 或 WPS 中改正公式，或直接填写",
                input.trim()
            ),
            "{input}"
        );
    }
    for input in [
        "=B1/C1",
        "=$B$1*100",
        "=SUM(A1:A3)",
        "=\"1个\"",
        "=round(C6/D6,4)",
    ] {
        assert_eq!(
            said(input),
            format!("“{input}”是公式，但文件中没有保存它的计算结果；请在 Excel 或 WPS 中打开、保存后再导入"),
            "{input}"
        );
    }
    // Targets “equal to”, units after a number, and texts that start with “#”.
    assert_eq!(ok("=1个"), number(Some(Op::Eq), "1", "个"));
    assert_eq!(ok("=100%"), number(Some(Op::Eq), "100", "%"));
    assert_eq!(ok("=100km"), number(Some(Op::Eq), "100", "km"));
    assert!(parse("#机组检修完成").is_ok());
}
