//! The forms written in the layout chosen with the unit's profile: 四川 2023 besides
//! central 2020 — the report model, the .xlsx (read with calamine), the .docx, and the
//! .xlsx read back by the importer.

use std::io::{Cursor, Read};

use calamine::{Data, Range, Reader, Xlsx};
use jixiao::io::docx_export::write_docx;
use jixiao::io::xlsx_export::write_xlsx;
use jixiao::model::{Figure, FundRow, Indicator, ProjectTyped, Unit, UnitTyped};
use jixiao::report::{layout_key, split_target, Layout, Report, SplitTarget};
use jixiao::rules::Rulebook;
use jixiao::scoring::Method;
use jixiao::summary::Summary;
use jixiao::{evaluate, io};

const SEED: &[u8] = include_bytes!("../examples/lanzhou-xinqu-emergency-2022.xlsx");

fn seed_unit() -> Unit {
    io::load(SEED, "seed.xlsx").expect("the seed imports").unit
}

fn sichuan_unit() -> Unit {
    let mut unit = seed_unit();
    unit.profile = "sichuan-2023".into();
    unit
}

fn report(unit: &Unit) -> Report {
    jixiao::report(unit, &Rulebook::default())
}

// ---------------------------------------------------------------------------------
// The layout chosen with the profile

#[test]
fn the_layout_is_chosen_with_the_profile() {
    assert_eq!(layout_key(""), "central-2020");
    assert_eq!(layout_key("central-2020"), "central-2020");
    assert_eq!(layout_key("sichuan-2023"), "sichuan-2023");
    assert_eq!(layout_key(" sichuan-2023 "), "sichuan-2023");
    // A profile without a layout of its own yet: central.
    assert_eq!(layout_key("hubei-2020"), "central-2020");
    assert_eq!(layout_key("no-such-profile"), "central-2020");
    // A profile given as JSON text names its layout.
    assert_eq!(
        layout_key(r#"{ "name": "my", "layout": "sichuan-2023", "labels": {} }"#),
        "sichuan-2023"
    );
    assert_eq!(
        layout_key(r#"{ "name": "my", "layout": "elsewhere" }"#),
        "central-2020"
    );
    assert_eq!(layout_key("{ not json"), "central-2020");
    assert_eq!(Layout::for_profile("sichuan-2023").name, "sichuan-2023");
    assert_eq!(Layout::for_profile("").name, "central-2020");
}

#[test]
fn built_in_layouts_are_valid() {
    for key in Layout::built_in_keys() {
        let layout = Layout::built_in(key).unwrap_or_else(|| panic!("{key}"));
        assert_eq!(layout.name, key);
        // Every cell of every row fits the columns.
        for form in [&layout.project, &layout.unit] {
            for row in &form.rows {
                let span: usize = row.cells.iter().map(|c| c.span).sum();
                assert!(span <= form.widths.len(), "{key} {}", form.title);
            }
        }
    }
    let sichuan = Layout::built_in("sichuan-2023").unwrap();
    assert_eq!(sichuan.project.widths.len(), 11);
    // No 四川 unit form is described: central's.
    assert_eq!(sichuan.unit.title, "部门（单位）整体支出绩效自评表");
    assert_eq!(sichuan.unit.widths, Layout::central_2020().unit.widths);
    assert!(!sichuan.note.is_empty());
}

#[test]
fn central_output_is_unchanged() {
    let mut unit = seed_unit();
    // The seed's labels are central 2020's: the importer names that profile.
    assert_eq!(unit.profile, "central-2020");
    let named = report(&unit);
    unit.profile.clear();
    let plain = report(&unit);
    let eval = evaluate(&unit, &Rulebook::default());
    let direct = jixiao::report::build(&unit, &eval, &Layout::central_2020());
    for r in [&named, &direct] {
        assert_eq!(format!("{:?}", r.forms), format!("{:?}", plain.forms));
        assert_eq!(r.narrative, plain.narrative);
    }
    assert_eq!(format!("{:?}", direct.carry), format!("{:?}", plain.carry));
    let form = &plain.forms[0];
    assert_eq!(form.widths.len(), 9);
    assert!(form.cells.iter().any(|c| c.text == "全年预算数"));
    assert!(!form.cells.iter().any(|c| c.text == "调整后预算数"));
    // No 表样 in the 说明 sheet of a unit without a profile.
    assert!(plain.carry.fields.iter().all(|(label, _)| *label != "表样"));
    assert_eq!(plain.carry.fields.len(), 9);
}

// ---------------------------------------------------------------------------------
// Targets split into 指标性质 | 指标值 | 度量单位

fn split(target: &str, unit: &str) -> SplitTarget {
    split_target(&Indicator {
        target: target.into(),
        unit: unit.into(),
        ..Indicator::default()
    })
}

fn parts(operator: &str, value: &str, measure: &str) -> SplitTarget {
    SplitTarget {
        operator: operator.into(),
        value: value.into(),
        measure: measure.into(),
    }
}

#[test]
fn targets_split_as_written() {
    assert_eq!(split("≥95%", ""), parts("≥", "95", "%"));
    // Look-alikes and words read as the operator.
    assert_eq!(split("≧95%", ""), parts("≥", "95", "%"));
    assert_eq!(split("不低于95%", ""), parts("≥", "95", "%"));
    assert_eq!(split("═1个", ""), parts("=", "1", "个"));
    assert_eq!(split("<=1个月", ""), parts("≤", "1", "月"));
    assert_eq!(split("≥100百分比", ""), parts("≥", "100", "%"));
    assert_eq!(split("≥95.50%", ""), parts("≥", "95.50", "%"));
    // A bare value has no operator written.
    assert_eq!(split("100%", ""), parts("", "100", "%"));
    // The indicator's own 度量单位 when the target has none.
    assert_eq!(split("≥10", "次"), parts("≥", "10", "次"));
    assert_eq!(split("≥10次", "次"), parts("≥", "10", "次"));
    // Kept whole: a unit at odds with the indicator's own, a range, a date, unreadable.
    assert_eq!(split("≥95%", "个"), parts("", "≥95%", "个"));
    assert_eq!(split("90%-100%", ""), parts("", "90%-100%", ""));
    assert_eq!(
        split("2022年12月31日前", ""),
        parts("", "2022年12月31日前", "")
    );
    assert_eq!(split("约100", ""), parts("", "约100", ""));
    // Qualitative: 定性, the words as the value.
    assert_eq!(split("效果显著", ""), parts("定性", "效果显著", ""));
    assert_eq!(split("达成年度指标", ""), parts("定性", "达成年度指标", ""));
    assert_eq!(split("", ""), parts("", "", ""));
    assert_eq!(split(" — ", "人"), parts("", "—", "人"));
}

// ---------------------------------------------------------------------------------
// The workbook

struct Sheet {
    values: Range<Data>,
    styles: calamine::StyleRange,
}

impl Sheet {
    fn read(bytes: &[u8], name: &str) -> Sheet {
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        Sheet {
            values: book.worksheet_range(name).expect("sheet"),
            styles: book.worksheet_style(name).expect("styles"),
        }
    }

    fn get(&self, pos: (u32, u32)) -> Data {
        self.values.get_value(pos).cloned().unwrap_or(Data::Empty)
    }

    fn find(&self, label: &str) -> (u32, u32) {
        self.values
            .cells()
            .find(|(_, _, v)| matches!(v, Data::String(s) if s == label))
            .map(|(r, c, _)| (r as u32, c as u32))
            .unwrap_or_else(|| panic!("no cell “{label}”"))
    }

    /// The column of `label` in row `row`.
    fn col_in(&self, row: u32, label: &str) -> u32 {
        self.values
            .cells()
            .find(|(r, _, v)| *r as u32 == row && matches!(v, Data::String(s) if s == label))
            .map(|(_, c, _)| c as u32)
            .unwrap_or_else(|| panic!("no cell “{label}” in row {row}"))
    }

    fn format(&self, pos: (u32, u32)) -> String {
        self.styles
            .get(pos)
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    }
}

#[test]
fn the_sichuan_workbook_holds_the_sichuan_form() {
    let unit = sichuan_unit();
    let bytes = write_xlsx(&report(&unit)).expect("exports");
    // For a look with LibreOffice (see the commit that added this layout).
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(dir.join("自评表-四川.xlsx"), &bytes).expect("written");

    let s = Sheet::read(&bytes, "1.档案整理专项");
    assert_eq!(s.get((0, 0)), Data::String("附表1-1".into()));
    assert_eq!(s.get((1, 0)), Data::String("项目支出绩效自评表".into()));
    assert_eq!(s.get((2, 0)), Data::String("（2022年度）".into()));
    // The funds block: 四川's columns and rows.
    let header = s.find("调整后预算数");
    for label in [
        "年初预算",
        "预算执行数",
        "预算执行率",
        "权重",
        "得分",
        "原因",
    ] {
        s.col_in(header.0, label);
    }
    assert_eq!(s.find("预算执行情况（万元）").0, header.0);
    let total = s.find("总额").0;
    assert_eq!(s.find("其中：财政资金").0, total + 1);
    assert_eq!(s.find("其他资金").0, total + 2);
    // (The seed's 上年结转资金 row holds zeros: not shown.)
    assert!(s
        .values
        .cells()
        .all(|(_, _, v)| v != &Data::String("上年结转资金".into())));
    assert_eq!(s.get((total, header.1)), Data::Float(16.0));
    let rate = (total, s.find("预算执行率").1);
    match s.get(rate) {
        Data::Float(r) => assert!((r - 15.14353 / 16.0).abs() < 1e-12, "{r}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.format(rate), "0.00%");
    let r = report(&unit);
    let form = &r.forms[0];
    assert!(form.cells.iter().any(|c| c.text == "94.65%"));
    assert_eq!(s.get((total, s.find("权重").1)), Data::Float(10.0));
    assert_eq!(s.get((total, s.find("得分").1)), Data::Float(9.46));

    // 年度目标
    let goal = s.find("年度目标");
    assert_eq!(s.find("预期目标").0, goal.0);
    assert_eq!(s.find("实际完成情况").0, goal.0);

    // The indicator block: ≥95% as ≥ | 95 | %.
    let head = s.find("指标性质");
    let col = |label: &str| s.col_in(head.0, label);
    let (op, value, measure, actual, weight, score) = (
        col("指标性质"),
        col("指标值"),
        col("度量单位"),
        col("完成值"),
        col("权重"),
        col("得分"),
    );
    col("一级指标");
    col("二级指标");
    col("偏差原因分析及改进措施");
    let row = s.find("服务企业满意度").0;
    assert_eq!(s.get((row, op)), Data::String("≥".into()));
    assert_eq!(s.get((row, value)), Data::String("95".into()));
    assert_eq!(s.get((row, measure)), Data::String("%".into()));
    assert_eq!(s.get((row, actual)), Data::String("90%".into()));
    assert_eq!(s.get((row, weight)), Data::Float(10.0));
    assert_eq!(s.get((row, score)), Data::Float(9.47));
    // A qualitative row: 定性.
    assert_eq!(s.get((head.0 + 1, op)), Data::String("定性".into()));
    assert_eq!(
        s.get((head.0 + 1, value)),
        Data::String("达成年度指标".into())
    );

    // 合计, then 评价结论, 存在问题, 改进措施.
    let sum = s.find("合计");
    assert_eq!(sum.0, row + 1);
    assert_eq!(s.get((sum.0, weight)), Data::Float(100.0));
    assert_eq!(s.get((sum.0, score)), Data::Float(93.93));
    assert_eq!(s.format((sum.0, score)), "0.00");
    let conclusion = s.find("评价结论");
    assert_eq!(conclusion.0, sum.0 + 1);
    assert_eq!(s.get((conclusion.0, 1)), Data::String("优".into()));
    assert_eq!(s.find("存在问题").0, sum.0 + 2);
    assert_eq!(s.find("改进措施").0, sum.0 + 3);

    // The unit form stays central's.
    let u = Sheet::read(&bytes, "部门整体");
    assert_eq!(
        u.get((1, 0)),
        Data::String("部门（单位）整体支出绩效自评表".into())
    );
    u.find("年度资金总额");
    u.find("全年预算数");
    // The 说明 sheet names the profile.
    let notes = Sheet::read(&bytes, "说明");
    let label = notes.find("表样");
    assert_eq!(
        notes.get((label.0, label.1 + 1)),
        Data::String("sichuan-2023".into())
    );
}

/// The value cell right of a label on a laid-out form.
fn beside<'a>(form: &'a jixiao::report::Form, label: &str) -> &'a str {
    let at = form
        .cells
        .iter()
        .find(|c| c.text == label)
        .unwrap_or_else(|| panic!("no “{label}”"));
    form.cells
        .iter()
        .find(|c| c.row == at.row && c.col == at.col + at.col_span)
        .map_or("", |c| c.text.as_str())
}

#[test]
fn a_deviation_in_the_users_own_words_is_under_its_problems() {
    let mut unit = sichuan_unit();
    unit.projects[0].deviation = "满意度调查样本偏少；下一步扩大调查范围。".into();
    let r = report(&unit);
    let form = &r.forms[0];
    assert_eq!(
        beside(form, "存在问题"),
        "满意度调查样本偏少；下一步扩大调查范围。"
    );
    assert_eq!(beside(form, "改进措施"), "");
    // No conclusion written: the grade the figures give.
    assert_eq!(beside(form, "评价结论"), "优");
    let label = form.cells.iter().find(|c| c.text == "存在问题").unwrap();
    let next = form.cells.iter().find(|c| c.text == "改进措施").unwrap();
    assert_eq!(next.row, label.row + 1);
}

#[test]
fn deviation_parts_split_as_the_importer_joins_them() {
    use jixiao::report::{deviation_parts, DeviationParts};
    let parts = deviation_parts(
        "预算执行偏差原因：部分采购延后\n预算执行偏差原因（财政专户管理资金）：部分资金未到位\n\
         评价结论：项目执行良好。\n存在问题：宣传覆盖面不足\n二是档案不全\n改进措施：加强政策宣传",
    );
    assert_eq!(
        parts,
        DeviationParts {
            conclusion: "项目执行良好。".into(),
            problems: "宣传覆盖面不足\n二是档案不全".into(),
            measures: "加强政策宣传".into(),
            fund_reasons: vec![
                (String::new(), "部分采购延后".into()),
                ("财政专户管理资金".into(), "部分资金未到位".into()),
            ],
        }
    );
    // Text under no part is a problem; an ASCII colon is a colon.
    let parts = deviation_parts("样本偏少\n改进措施:扩大范围");
    assert_eq!(parts.problems, "样本偏少");
    assert_eq!(parts.measures, "扩大范围");
    assert_eq!(deviation_parts(""), DeviationParts::default());
}

/// 四川's closing rows each hold their own part of the project's text, and each fund row
/// its own 原因, in the report and in the .xlsx written (read with calamine).
#[test]
fn the_closing_rows_and_fund_reasons_each_hold_their_own_text() {
    let mut unit = sichuan_unit();
    unit.projects[0].deviation = "预算执行偏差原因：部分采购延后\n\
        预算执行偏差原因（财政专户管理资金）：部分资金未到位\n\
        预算执行偏差原因（上年结转资金）：结转资金已收回\n\
        评价结论：项目执行良好。\n存在问题：宣传覆盖面不足\n改进措施：加强政策宣传"
        .into();
    // A conclusion that starts with its grade is as written.
    unit.projects[2].deviation = "评价结论：优。按期完成。".into();
    let r = report(&unit);
    let form = &r.forms[0];
    // The grade the figures give leads the conclusion written.
    assert_eq!(beside(form, "评价结论"), "优。项目执行良好。");
    assert_eq!(beside(form, "存在问题"), "宣传覆盖面不足");
    assert_eq!(beside(form, "改进措施"), "加强政策宣传");
    assert_eq!(beside(&r.forms[2], "评价结论"), "优。按期完成。");
    assert_eq!(beside(&r.forms[2], "存在问题"), "");

    let bytes = write_xlsx(&r).expect("exports");
    let s = Sheet::read(&bytes, "1.档案整理专项");
    for (label, text) in [
        ("评价结论", "优。项目执行良好。"),
        ("存在问题", "宣传覆盖面不足"),
        ("改进措施", "加强政策宣传"),
    ] {
        let at = s.find(label);
        assert_eq!(
            s.get((at.0, at.1 + 1)),
            Data::String(text.into()),
            "{label}"
        );
    }
    let reason = s.find("原因").1;
    // 总额 holds its own, and that of 上年结转资金, a row the form does not show here.
    assert_eq!(
        s.get((s.find("总额").0, reason)),
        Data::String("部分采购延后；上年结转资金：结转资金已收回".into())
    );
    assert_eq!(s.get((s.find("其中：财政资金").0, reason)), Data::Empty);
    // 财政专户管理资金 is added into 其他资金: its 原因 there, with its name.
    assert_eq!(
        s.get((s.find("其他资金").0, reason)),
        Data::String("财政专户管理资金：部分资金未到位".into())
    );
    // Read back, the project's text is as it was (the 说明 sheet carries it whole).
    let back = io::load(&bytes, "back.xlsx").unwrap().unit;
    assert_eq!(back.projects[0].deviation, unit.projects[0].deviation);
}

#[test]
fn carried_over_money_is_shown() {
    let mut unit = sichuan_unit();
    let p = &mut unit.projects[0];
    p.funds.fiscal = Some(FundRow {
        initial: Figure::typed("12"),
        budget: Figure::typed("12"),
        executed: Figure::typed("11"),
        ..FundRow::default()
    });
    p.funds.carryover = Some(FundRow {
        initial: Figure::typed("4"),
        budget: Figure::typed("4"),
        executed: Figure::typed("4.14353"),
        ..FundRow::default()
    });
    let r = report(&unit);
    let labels: Vec<&str> = r.forms[0]
        .cells
        .iter()
        .filter(|c| c.col == 1 && c.col_span == 2 && !c.label)
        .map(|c| c.text.as_str())
        .collect();
    assert_eq!(
        labels,
        ["总额", "其中：财政资金", "上年结转资金", "其他资金"]
    );
    let back = io::load(&write_xlsx(&r).unwrap(), "back.xlsx")
        .unwrap()
        .unit;
    let carried = back.projects[0].funds.carryover.as_ref().unwrap();
    assert_eq!(carried.executed.value(), "4.14353".parse().ok());
}

#[test]
fn the_docx_has_the_sichuan_form() {
    let docx = write_docx(&report(&sichuan_unit())).expect("exports");
    let mut zip = zip::ZipArchive::new(Cursor::new(&docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for label in [
        "调整后预算数",
        "预算执行数",
        "预算执行率",
        "其中：财政资金",
        "指标性质",
        "度量单位",
        "完成值",
        "合计",
        "评价结论",
        "存在问题",
        "改进措施",
        "94.65%",
    ] {
        assert!(xml.contains(label), "{label}");
    }
    // The unit form is central's.
    assert!(xml.contains("部门（单位）整体支出绩效自评表"));
}

// ---------------------------------------------------------------------------------
// Read back

/// The summary without the findings: the same scores, totals and grades.
fn figures(unit: &Unit) -> serde_json::Value {
    let rules = Rulebook::default();
    let eval = evaluate(unit, &rules);
    let s = Summary::new(&eval, &rules, &[]);
    serde_json::json!({ "unit": s.unit, "projects": s.projects })
}

/// A 四川 unit as its export reads back: what `tests/xlsx_export.rs` says of the central
/// export (typed derived figures blank but a chosen score, a missing fiscal or other
/// row an empty one), and — the 四川 form's own — each target as its 指标性质 and
/// 指标值 with the 度量单位 as the indicator's unit (`≥95%` → `≥95`, unit `%`: the same
/// target), and no 上年结转资金 row unless it holds an amount other than zero.
fn as_exported_in_sichuan(unit: &Unit) -> Unit {
    let eval = evaluate(unit, &Rulebook::default());
    let mut u = unit.clone();
    u.typed = UnitTyped::default();
    if let Some(funds) = &mut u.funds {
        for row in [
            Some(&mut funds.total),
            funds.fiscal.as_mut(),
            funds.carryover.as_mut(),
            funds.other.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            row.typed_rate = Figure::BLANK;
            row.typed_score = Figure::BLANK;
        }
    }
    for (p, s) in u.projects.iter_mut().zip(&eval.scores.projects) {
        p.typed = ProjectTyped::default();
        let zero = |r: &FundRow| {
            [&r.initial, &r.budget, &r.executed]
                .iter()
                .all(|f| f.value().is_none_or(|v| v.is_zero()) && !f.is_unreadable())
        };
        if p.funds.carryover.as_ref().is_some_and(zero) {
            p.funds.carryover = None;
        }
        for row in [
            Some(&mut p.funds.total),
            p.funds.fiscal.as_mut(),
            p.funds.carryover.as_mut(),
            p.funds.other.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            row.typed_rate = Figure::BLANK;
            row.typed_score = Figure::BLANK;
        }
        for row in [&mut p.funds.fiscal, &mut p.funds.other] {
            row.get_or_insert_with(FundRow::default);
        }
        for (ind, is) in p.indicators.iter_mut().zip(&s.indicators) {
            let parts = split_target(ind);
            let op = if parts.operator == "定性" {
                ""
            } else {
                &parts.operator
            };
            ind.target = format!("{op}{}", parts.value);
            ind.unit = parts.measure;
            if matches!(
                is.method,
                Method::Positive
                    | Method::Equal
                    | Method::Reverse
                    | Method::Range
                    | Method::Deadline
            ) {
                ind.typed_score = Figure::BLANK;
            }
        }
    }
    u
}

#[test]
fn the_sichuan_workbook_reads_back_as_the_same_unit() {
    let mut unit = sichuan_unit();
    unit.addressee = "兰州新区财政局".into();
    for (i, p) in unit.projects.iter_mut().enumerate() {
        p.deviation = format!("项目{}：资金拨付晚于计划，下一步提前谋划。", i + 1);
    }
    // A unit given in the indicator's own 度量单位, and a deduction carried by 说明.
    let ind = &mut unit.projects[1].indicators[2];
    ind.unit = "%".into();
    ind.target = "≥95".into();
    ind.deduction = Figure::typed("0.5");
    ind.deduction_reason = "调查样本偏少".into();
    let r = report(&unit);
    let bytes = write_xlsx(&r).expect("exports");
    let back = io::load(&bytes, "back.xlsx").expect("reads back");
    assert!(
        back.findings.iter().all(|f| f.code == "sheet_skipped"),
        "{:#?}",
        back.findings
    );
    let back = back.unit;
    let expected = as_exported_in_sichuan(&unit);
    assert_eq!(back.profile, "sichuan-2023");
    assert_eq!(back.addressee, "兰州新区财政局");
    assert_eq!(back.funds, expected.funds);
    assert_eq!(back.projects.len(), expected.projects.len());
    for (got, want) in back.projects.iter().zip(&expected.projects) {
        assert_eq!(got.funds, want.funds, "{}", want.name);
        for (g, w) in got.indicators.iter().zip(&want.indicators) {
            assert_eq!(g, w, "{}", want.name);
        }
        assert_eq!(got, want);
    }
    assert_eq!(back, expected);
    let target = &back.projects[0].indicators[2];
    assert_eq!((target.target.as_str(), target.unit.as_str()), ("≥95", "%"));
    // The same scores, totals and grades, and the same forms written again.
    assert_eq!(figures(&back), figures(&unit));
    let again = report(&back);
    assert_eq!(format!("{:?}", again.forms), format!("{:?}", r.forms));
}

// ---------------------------------------------------------------------------------
// Whatever the target, its split reads back as the same target

mod split_property {
    use super::*;
    use jixiao::value::parse_with_unit;
    use proptest::prelude::*;

    fn target() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("≥95%".to_string()),
            Just("≧95％".to_string()),
            Just("95%以上".to_string()),
            Just("不超过10万元".to_string()),
            Just("≤1个月".to_string()),
            Just("＞＝９５％".to_string()),
            Just("=0".to_string()),
            Just("达成年度指标".to_string()),
            Just("效果显著".to_string()),
            Just("90%-100%".to_string()),
            Just("12月31日前".to_string()),
            Just("约100".to_string()),
            Just("0.0000000000000000000000000001个".to_string()),
            Just("99999999999999999999999999999".to_string()),
            "[≥≤<>=＝≧≦﹦═ ]{0,2}[0-9]{0,6}(\\.[0-9]{1,3})?(%|个|次|万元|元|人次|百分比|个月|天|)",
            any::<String>(),
        ]
    }

    fn unit() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("%".to_string()),
            Just("个".to_string()),
            Just("万元".to_string()),
            Just("百分比".to_string()),
            Just("—".to_string()),
            "[个次天%元万]{0,2}",
        ]
    }

    /// The seed's first project, alone, in the 四川 layout.
    fn one_project() -> &'static Unit {
        static UNIT: std::sync::OnceLock<Unit> = std::sync::OnceLock::new();
        UNIT.get_or_init(|| {
            let mut u = sichuan_unit();
            u.projects.truncate(1);
            u
        })
    }

    proptest! {
        #[test]
        fn the_split_reads_back_as_the_same_target(target in target(), unit in unit()) {
            let ind = Indicator { target: target.clone(), unit: unit.clone(), ..Indicator::default() };
            let parts = split_target(&ind);
            // As the importer joins them: 指标性质 (an operator) then 指标值; 度量单位 the unit.
            let op = if parts.operator == "定性" { "" } else { parts.operator.as_str() };
            let back = format!("{op}{}", parts.value);
            if let Ok(value) = parse_with_unit(&target, &unit) {
                prop_assert_eq!(parse_with_unit(&back, &parts.measure), Ok(value), "{:?}", parts);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// A 四川 form of any target is laid out and written.
        #[test]
        fn any_target_is_written(target in target(), unit in unit()) {
            let mut u = one_project().clone();
            u.projects[0].indicators[0].target = target;
            u.projects[0].indicators[0].unit = unit;
            let r = report(&u);
            prop_assert!(write_xlsx(&r).is_ok());
            prop_assert!(write_docx(&r).is_ok());
        }
    }
}
