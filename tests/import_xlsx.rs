//! Import of standard-layout workbooks: the seed fixture, and small workbooks written
//! here for the variants and error paths. Damaged and random input: `import_fuzz.rs`.

mod import_forms;

use import_forms::*;
use jixiao::finding::Severity;
use jixiao::io::xlsx::{import_workbook, ImportError};
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook};

// ---------------------------------------------------------------------------------
// The seed fixture

#[test]
fn fixture_unit() {
    let unit = fixture().unit;
    assert_eq!(unit.name, "兰州新区应急管理局");
    assert_eq!(unit.year, Some(2022).into());
    assert_eq!(unit.schema_version, jixiao::model::SCHEMA_VERSION);
    let funds = unit.funds.as_ref().expect("unit funds");
    assert_eq!(funds.total.initial.value(), Some(d("7750.69")));
    assert_eq!(funds.total.budget.value(), Some(d("7750.69")));
    assert_eq!(funds.total.executed.value(), Some(d("7719.74")));
    assert_eq!(funds.total.typed_rate.value(), Some(d("99.36")));
    assert_eq!(funds.total.typed_rate.value().unwrap().to_string(), "99.36");
    assert_eq!(funds.total.typed_score.value(), None);
    assert_eq!(funds.fiscal, None);

    let tasks: Vec<&str> = unit.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        tasks,
        [
            "安全生产综合监管",
            "安全宣传教育培训",
            "危化及工贸行业监管",
            "防灾减灾与应急准备",
            "应急救援能力建设"
        ]
    );
    assert!(unit.tasks[0]
        .content
        .starts_with("深入开展安全生产指导协调"));
    assert!(unit.tasks.iter().all(|t| t.completion.is_empty()));
    assert!(unit.goal.expected.starts_with("全力以赴防风险"));
    assert!(unit.goal.actual.starts_with("全年未发生自然灾害事件"));
    assert_eq!(unit.typed.total.value(), None);
    assert_eq!(unit.typed.grade, None);
}

#[test]
fn fixture_projects_in_sheet_order() {
    let unit = fixture().unit;
    let names: Vec<&str> = unit.projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "档案整理专项",
            "安全生产监督执法专项经费",
            "安责险试点专项经费",
            "气象灾害预警项目",
            "应急救援能力提升项目",
            "兰州新区森林防火视频监控建设项目尾款",
            "全国自然灾害综合风险普查项目",
            "国家西北区域应急救援中心项目",
            // the sheet name is cut at 31 characters; the name comes from 项目名称
            "兰州新区危险化学品产业转移安全设计诊断项目",
        ]
    );
    let totals: Vec<Decimal> = unit
        .projects
        .iter()
        .map(|p| p.typed.total.value().expect("typed total"))
        .collect();
    let expected: Vec<Decimal> = [94, 88, 97, 75, 93, 93, 90, 95, 95]
        .into_iter()
        .map(Decimal::from)
        .collect();
    assert_eq!(totals, expected);
    let grades: Vec<&str> = unit
        .projects
        .iter()
        .map(|p| p.typed.grade.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        grades,
        ["优", "良", "优", "中", "优", "优", "优", "优", "优"]
    );
    for p in &unit.projects {
        assert_eq!(p.department, "兰州新区应急管理局", "{}", p.name);
        assert_eq!(p.implementer, "兰州新区应急管理局", "{}", p.name);
        assert_eq!(
            p.execution_weight.value(),
            Some(Decimal::from(10)),
            "{}",
            p.name
        );
        assert!(
            !p.goal.expected.is_empty() && !p.goal.actual.is_empty(),
            "{}",
            p.name
        );
    }
}

#[test]
fn fixture_figures_as_typed() {
    let unit = fixture().unit;
    let p1 = &unit.projects[0];
    let executed = p1.funds.total.executed.value().unwrap();
    assert_eq!(executed, Decimal::from_str("15.14353").unwrap());
    assert_eq!(executed.to_string(), "15.14353");
    assert_eq!(p1.funds.total.budget.value(), Some(d("16")));
    assert_eq!(p1.funds.total.initial.value(), Some(d("16")));
    assert_eq!(p1.funds.total.typed_rate.value(), Some(d("94.65")));
    assert_eq!(p1.funds.total.typed_score.value(), None);
    let fiscal = p1.funds.fiscal.as_ref().expect("当年财政拨款 row");
    assert_eq!(fiscal.executed.value().unwrap().to_string(), "15.14353");
    assert_eq!(fiscal.typed_rate.value(), Some(d("94.65")));
    assert_eq!(fiscal.typed_score.value(), None, "— is no value");
    let carry = p1.funds.carryover.as_ref().expect("上年结转资金 row");
    assert_eq!(carry.budget.value(), Some(Decimal::ZERO));
    assert_eq!(carry.typed_rate.value(), None);
    assert!(p1.funds.other.is_some());
    assert!(p1.funds.basic.is_none() && p1.funds.project.is_none());

    // 0.9043000000000001 in the cell
    let r2 = unit.projects[1].funds.total.typed_rate.value().unwrap();
    assert_eq!(r2.to_string(), "90.43");
    // 1 formatted 0%
    assert_eq!(
        unit.projects[2]
            .funds
            .total
            .typed_rate
            .value()
            .unwrap()
            .to_string(),
        "100"
    );
    // 0.184 formatted 0.0%: 18.4 with one decimal, as typed
    let r4 = unit.projects[3].funds.total.typed_rate.value().unwrap();
    assert_eq!((r4.to_string().as_str(), r4.scale()), ("18.4", 1));
    // 0.9329999999999999
    assert_eq!(
        unit.projects[4]
            .funds
            .total
            .typed_rate
            .value()
            .unwrap()
            .to_string(),
        "93.3"
    );
    assert_eq!(
        unit.projects[4]
            .funds
            .total
            .executed
            .value()
            .unwrap()
            .to_string(),
        "13.056"
    );
    assert_eq!(
        unit.projects[7].funds.total.budget.value(),
        Some(d("6116.3"))
    );
    assert_eq!(
        unit.projects[7]
            .funds
            .total
            .typed_rate
            .value()
            .unwrap()
            .to_string(),
        "95.68"
    );
}

#[test]
fn fixture_indicators() {
    let unit = fixture().unit;
    let p1 = &unit.projects[0];
    let scores: Vec<Option<Decimal>> = p1
        .indicators
        .iter()
        .map(|i| i.typed_score.value())
        .collect();
    assert_eq!(scores, [Some(d("47")), Some(d("28")), Some(d("9"))]);
    assert_eq!(p1.indicators[2].level1, "满意度指标");
    assert_eq!(p1.indicators[2].level2, "服务对象满意度指标");
    assert_eq!(p1.indicators[2].target, "≥95%");
    assert_eq!(p1.indicators[2].actual, "90%");
    assert!(p1.indicators[2].reason.starts_with("服务企业满意度为90%"));
    assert_eq!(p1.indicators[1].reason, "");
    assert_eq!(
        unit.projects[2].indicators[0].typed_score.value(),
        Some(d("47.22"))
    );

    let p6 = &unit.projects[5];
    assert_eq!(p6.indicators.len(), 7);
    let i4 = &p6.indicators[3];
    assert_eq!(i4.level2, "时效指标");
    assert_eq!(i4.target, "按时完成");
    assert_eq!(i4.actual, "达成年度指标");
    assert_eq!(i4.weight.value(), Some(d("10")));
    assert_eq!(i4.typed_score.value(), None);

    let p7 = &unit.projects[6];
    assert_eq!(p7.indicators.len(), 16);
    // E13 of that sheet holds “=1个” stored as a formula without a value: the text
    // the person typed is kept.
    assert_eq!(p7.indicators[0].target, "=1个");
    assert_eq!(p7.indicators[0].actual, "1个");
    assert_eq!(p7.indicators[11].name, "各项任务按进度开展偏差程度");
    assert_eq!(p7.indicators[11].target, "≤1个月");
    assert_eq!(p7.indicators[11].actual, "1个月");
    assert_eq!(p7.indicators[11].weight.value(), Some(d("3")));
    assert_eq!(p7.indicators[14].level2, "可持续影响指标");
    for p in &unit.projects {
        let w: Decimal = p.indicators.iter().filter_map(|i| i.weight.value()).sum();
        assert_eq!(w, Decimal::from(90), "{}", p.name);
    }
}

#[test]
fn fixture_findings() {
    let findings = fixture().findings;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.code, "sheet_skipped");
    assert_eq!(f.severity, Severity::Notice);
    assert_eq!(f.message, "工作表“说明”不是自评表，已跳过");
    assert_eq!(f.project_index, None);
}

// ---------------------------------------------------------------------------------
// Small workbooks

#[test]
fn written_form_reads_back() {
    let rows = project_rows("档案整理", "项目资金（万元）");
    let imported = import(&[("1.档案整理", &rows)]);
    assert!(imported.findings.is_empty(), "{:#?}", imported.findings);
    let unit = &imported.unit;
    assert_eq!(unit.year, Some(2023).into());
    assert_eq!(
        unit.name, "测试局",
        "no unit sheet: the 主管部门 of the projects"
    );
    assert_eq!(unit.funds, None);
    let p = only_project(&imported);
    assert_eq!(p.name, "档案整理");
    assert_eq!(
        p.funds.total.executed.value().unwrap().to_string(),
        "15.14353"
    );
    assert_eq!(
        p.funds.total.typed_rate.value().unwrap().to_string(),
        "94.65"
    );
    assert_eq!(p.funds.total.typed_score.value(), Some(d("9.47")));
    assert_eq!(p.typed.total.value(), Some(d("96.47")));
    assert_eq!(p.typed.grade.as_deref(), Some("优"));
    assert_eq!(p.goal.expected, "整理档案1000卷");
    assert_eq!(p.goal.actual, "已整理档案1000卷");
    assert_eq!(p.indicators.len(), 3);
    assert_eq!(p.indicators[1].reason, "利用率偏低");
}

#[test]
fn amounts_in_yuan_are_divided() {
    let mut rows = project_rows("元的项目", "项目资金（元）");
    set(&mut rows, 5, 2, n(160000.0));
    set(&mut rows, 5, 3, n(160000.0));
    set(&mut rows, 5, 4, n(151435.3));
    set(&mut rows, 6, 2, s("160,000.00"));
    set(&mut rows, 6, 3, n(160000.0));
    set(&mut rows, 6, 4, n(151435.3));
    let imported = import(&[("元", &rows)]);
    assert!(imported.findings.is_empty(), "{:#?}", imported.findings);
    let p = only_project(&imported);
    assert_eq!(p.funds.total.initial.value(), Some(d("16")));
    assert_eq!(p.funds.total.budget.value(), Some(d("16")));
    assert_eq!(
        p.funds.total.executed.value().unwrap().to_string(),
        "15.14353"
    );
    let fiscal = p.funds.fiscal.as_ref().unwrap();
    assert_eq!(fiscal.initial.value(), Some(d("16")));
    assert_eq!(fiscal.executed.value().unwrap().to_string(), "15.14353");
    // rates and scores are not amounts
    assert_eq!(
        p.funds.total.typed_rate.value().unwrap().to_string(),
        "94.65"
    );
    assert_eq!(p.execution_weight.value(), Some(d("10")));
}

#[test]
fn unit_missing_in_header_is_wan() {
    let rows = project_rows("无单位", "项目资金");
    let p = only_project(&import(&[("x", &rows)])).clone();
    assert_eq!(p.funds.total.budget.value(), Some(d("16")));
}

#[test]
fn bad_numbers_are_errors_and_no_value() {
    let mut rows = project_rows("档案整理专项", "项目资金（万元）");
    set(&mut rows, 5, 3, s("十万"));
    set(&mut rows, 13, 6, s("三十"));
    set(&mut rows, 6, 6, s("约95%"));
    set(&mut rows, 15, 7, s("九十六"));
    let imported = import(&[("1.档案整理专项", &rows)]);
    let p = only_project(&imported);
    assert_eq!(p.funds.total.budget.value(), None, "never zero");
    assert_eq!(p.funds.total.initial.value(), Some(d("16")));
    assert_eq!(p.indicators[1].weight.value(), None);
    assert_eq!(p.funds.fiscal.as_ref().unwrap().typed_rate.value(), None);
    assert_eq!(p.typed.total.value(), None);

    // Kept as they stood, never counted, and reported where they are on the form.
    assert_eq!(p.funds.total.budget.text(), "十万");
    assert_eq!(p.indicators[1].weight.text(), "三十");
    assert!(imported
        .findings
        .iter()
        .all(|f| f.code != "unreadable_figure"));
    let bad = codes(&audit(&imported.unit), "unreadable_figure");
    assert_eq!(bad.len(), 4, "{bad:#?}");
    assert!(bad.iter().all(|f| f.severity == Severity::Error));
    assert!(bad.iter().all(|f| f.project_index == Some(0)));
    assert!(bad
        .iter()
        .all(|f| f.project.as_deref() == Some("档案整理专项")));

    let budget = &bad[0];
    assert_eq!(budget.field.as_deref(), Some("funds.total.budget"));
    assert_eq!(budget.typed.as_deref(), Some("十万"));
    assert_eq!(
        budget.message,
        "项目1“档案整理专项”：年度资金总额·全年预算数“十万”不是数字，未计入"
    );
    let rate = bad
        .iter()
        .find(|f| f.field.as_deref() == Some("funds.fiscal.typedRate"))
        .expect("rate finding");
    assert!(
        rate.message.contains("当年财政拨款·执行率“约95%”"),
        "{}",
        rate.message
    );
    let weight = bad
        .iter()
        .find(|f| f.field.as_deref() == Some("indicators.1.weight"))
        .expect("weight finding");
    assert_eq!(weight.row, Some(2));
    assert!(
        weight
            .message
            .contains("效益指标 · 第2行：分值“三十”不是数字，未计入"),
        "{}",
        weight.message
    );
    assert!(bad
        .iter()
        .any(|f| f.field.as_deref() == Some("typed.total") && f.message.contains("总分“九十六”")));
}

#[test]
fn text_numbers_parse() {
    let mut rows = project_rows("文本数字", "项目资金（万元）");
    set(&mut rows, 5, 2, s("16.00"));
    set(&mut rows, 5, 3, s("１６"));
    set(&mut rows, 5, 4, s(" 15.14353 "));
    set(&mut rows, 5, 6, s("94.65%"));
    set(&mut rows, 6, 6, s("0.9465"));
    set(&mut rows, 12, 6, s("50"));
    set(&mut rows, 12, 7, s("48.5分"));
    set(&mut rows, 7, 2, s("-"));
    set(&mut rows, 7, 3, E);
    let imported = import(&[("文本", &rows)]);
    assert!(imported.findings.is_empty(), "{:#?}", imported.findings);
    let p = only_project(&imported);
    assert_eq!(p.funds.total.initial.value().unwrap().to_string(), "16.00");
    assert_eq!(p.funds.total.budget.value(), Some(d("16")));
    assert_eq!(
        p.funds.total.executed.value().unwrap().to_string(),
        "15.14353"
    );
    assert_eq!(
        p.funds.total.typed_rate.value().unwrap().to_string(),
        "94.65"
    );
    assert_eq!(
        p.funds
            .fiscal
            .as_ref()
            .unwrap()
            .typed_rate
            .value()
            .unwrap()
            .to_string(),
        "94.65"
    );
    let carry = p.funds.carryover.as_ref().unwrap();
    assert_eq!((carry.initial.value(), carry.budget.value()), (None, None));
    assert_eq!(p.indicators[0].weight.value(), Some(d("50")));
    assert_eq!(p.indicators[0].typed_score.value(), Some(d("48.5")));
}

#[test]
fn plain_rate_numbers() {
    let mut rows = project_rows("比率", "项目资金（万元）");
    set(&mut rows, 5, 6, n(94.65));
    set(&mut rows, 6, 6, n(0.9465));
    let p = only_project(&import(&[("r", &rows)])).clone();
    assert_eq!(
        p.funds.total.typed_rate.value().unwrap().to_string(),
        "94.65"
    );
    assert_eq!(
        p.funds
            .fiscal
            .unwrap()
            .typed_rate
            .value()
            .unwrap()
            .to_string(),
        "94.65"
    );
}

#[test]
fn form_without_indicator_header_is_read_for_its_amounts_and_says_so() {
    let good = project_rows("好的项目", "项目资金（万元）");
    let mut broken = project_rows("坏的项目", "项目资金（万元）");
    broken.truncate(11); // no 绩效指标 block
    let imported = import(&[("1.好的项目", &good), ("2.坏的项目", &broken)]);
    // Read for what it has (its amounts); what it lacks is said at the sheet.
    assert_eq!(imported.unit.projects.len(), 2);
    assert_eq!(imported.unit.projects[0].name, "好的项目");
    assert_eq!(imported.unit.projects[1].name, "坏的项目");
    assert!(imported.unit.projects[1].indicators.is_empty());
    assert_eq!(
        imported.unit.projects[1].funds.total.budget.value(),
        imported.unit.projects[0].funds.total.budget.value()
    );
    let errors = codes(&imported.findings, "sheet_partly_read");
    assert_eq!(errors.len(), 1, "{:#?}", imported.findings);
    assert_eq!(imported.unread.len(), 1);
    assert_eq!(imported.unread[0].sheet, "2.坏的项目");
    assert_eq!(imported.unread[0].missing[0].field, "ind.name");
    assert!(imported.unread[0].imported);
    assert_eq!(errors[0].severity, Severity::Error);
    assert!(
        errors[0].message.contains("工作表“2.坏的项目”"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[0]
            .message
            .contains("未找到“三级指标”列（查找的表头：三级指标、指标名称）"),
        "{}",
        errors[0].message
    );
    assert!(errors[0].message.contains("其余部分已导入"));
    assert!(
        !errors[0].message.contains("全年预算数"),
        "{}",
        errors[0].message
    );
}

#[test]
fn form_without_funds_block_is_read_for_its_indicators() {
    let mut rows = project_rows("没有资金", "项目资金（万元）");
    for row in &mut rows[4..=8] {
        row.clear();
    }
    let imported = import(&[("没有资金", &rows)]);
    assert_eq!(imported.unit.projects.len(), 1);
    assert!(!imported.unit.projects[0].indicators.is_empty());
    let errors = codes(&imported.findings, "sheet_partly_read");
    assert_eq!(errors.len(), 1);
    assert_eq!(imported.unread[0].missing[0].field, "fund.budget");
    assert_eq!(imported.unread[0].missing[0].label, "全年预算数");
    assert!(errors[0].message.contains("工作表“没有资金”"));
    assert!(
        errors[0].message.contains("全年预算数"),
        "{}",
        errors[0].message
    );
}

#[test]
fn notes_only_workbook_is_an_error() {
    let notes: Rows = vec![
        vec![s("填表说明：金额单位为万元。")],
        vec![s("请逐项填写项目名称。")],
    ];
    let empty: Rows = vec![];
    let err: ImportError =
        import_workbook(&workbook(&[("说明", &notes), ("Sheet2", &empty)])).expect_err("no form");
    assert!(err.message.contains("没有找到自评表"), "{}", err.message);
    assert_eq!(err.to_string(), err.message);
}

#[test]
fn skipped_sheets_are_notices() {
    let rows = project_rows("项目", "项目资金（万元）");
    let notes: Rows = vec![vec![s("项目名称：按预算批复的名称填写")]];
    let empty: Rows = vec![];
    let imported = import(&[("填表说明", &notes), ("项目", &rows), ("Sheet3", &empty)]);
    assert_eq!(imported.unit.projects.len(), 1);
    let skipped = codes(&imported.findings, "sheet_skipped");
    let messages: Vec<&str> = skipped.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "工作表“填表说明”不是自评表，已跳过",
            "工作表“Sheet3”不是自评表，已跳过"
        ]
    );
    assert!(skipped.iter().all(|f| f.severity == Severity::Notice));
}

#[test]
fn not_a_workbook() {
    for bytes in [
        &b""[..],
        &b"hello, world"[..],
        &b"{\"name\": \"x\"}"[..],
        &b"PK\x03\x04garbage"[..],
        &FIXTURE[..FIXTURE.len() / 2],
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0][..],
    ] {
        let err = import_workbook(bytes).expect_err("not a workbook");
        assert!(
            err.message.starts_with("无法读取工作簿："),
            "{}",
            err.message
        );
    }
    let err = import_workbook(b"not excel").unwrap_err();
    assert_eq!(
        err.message,
        "无法读取工作簿：文件不是有效的 Excel 文件（.xlsx）"
    );
}

#[test]
fn variant_labels() {
    let mut rows = project_rows("变体", "项目资金（万元）");
    set(&mut rows, 4, 3, s("全年预算数（A）"));
    set(&mut rows, 4, 4, s("全年执行数(B)"));
    set(&mut rows, 4, 6, s("执行率（B/A）"));
    set(&mut rows, 6, 1, s(" 其中： 本年财政拨款 "));
    set(&mut rows, 2, 0, s("项目名称："));
    let p = only_project(&import(&[("v", &rows)])).clone();
    assert_eq!(p.name, "变体");
    assert_eq!(p.funds.total.budget.value(), Some(d("16")));
    assert_eq!(p.funds.total.typed_rate.value(), Some(d("94.65")));
    assert_eq!(
        p.funds
            .fiscal
            .unwrap()
            .executed
            .value()
            .unwrap()
            .to_string(),
        "15.14353"
    );
}

#[test]
fn merged_level_cells_inherit() {
    let mut rows = project_rows("合并单元格", "项目资金（万元）");
    // two 数量指标 rows and a 质量指标 row under one 产出指标 cell
    rows.insert(
        13,
        vec![
            E,
            E,
            E,
            s("整理卷数"),
            s("≥100卷"),
            s("100卷"),
            n(20.0),
            n(20.0),
        ],
    );
    rows.insert(
        14,
        vec![
            E,
            E,
            s("质量指标"),
            s("合格率"),
            s("100%"),
            s("100%"),
            n(10.0),
            n(10.0),
        ],
    );
    set(&mut rows, 12, 6, n(20.0));
    let p = only_project(&import(&[("m", &rows)])).clone();
    let levels: Vec<(&str, &str)> = p
        .indicators
        .iter()
        .map(|i| (i.level1.as_str(), i.level2.as_str()))
        .collect();
    assert_eq!(
        levels,
        [
            ("产出指标", "数量指标"),
            ("产出指标", "数量指标"),
            ("产出指标", "质量指标"),
            ("效益指标", "社会效益指标"),
            ("满意度指标", "服务对象满意度指标"),
        ]
    );
    assert_eq!(p.typed.total.value(), Some(d("96.47")));
}

#[test]
fn real_merged_cells_inherit() {
    let rows = project_rows("合并", "项目资金（万元）");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v {
                V::S(t) => {
                    ws.write_string(r as u32, c as u16, t).unwrap();
                }
                V::N(x) | V::F(x, _) => {
                    ws.write_number(r as u32, c as u16, *x).unwrap();
                }
                V::Blank => {}
            }
        }
    }
    // 产出指标 over rows 13–14, a second 数量指标 row
    ws.write_string(13, 3, "第二个指标").unwrap();
    ws.merge_range(12, 1, 13, 1, "产出指标", &Format::new())
        .unwrap();
    ws.merge_range(12, 2, 13, 2, "数量指标", &Format::new())
        .unwrap();
    ws.write_string(13, 4, "≥1").unwrap();
    ws.write_string(13, 5, "1").unwrap();
    ws.write_number(13, 6, 30).unwrap();
    let p = only_project(&import_workbook(&book.save_to_buffer().unwrap()).unwrap()).clone();
    assert_eq!(p.indicators.len(), 3);
    assert_eq!(p.indicators[1].name, "第二个指标");
    assert_eq!(p.indicators[1].level1, "产出指标");
    assert_eq!(p.indicators[1].level2, "数量指标");
    assert_eq!(p.indicators[2].level1, "满意度指标");
}

#[test]
fn sichuan_layout() {
    let rows: Rows = vec![
        vec![s("2023年度项目支出绩效自评表")],
        vec![s("项目名称"), s("应急培训"), E, E, E, E, E, E, E, E],
        vec![
            s("主管部门"),
            s("某某局"),
            E,
            E,
            E,
            s("实施单位"),
            s("某某中心"),
        ],
        vec![
            s("预算执行情况(10分)"),
            E,
            s("年初预算数"),
            s("全年预算数（A）"),
            s("全年执行数（B）"),
            s("分值"),
            s("执行率（B/A）"),
            s("得分"),
        ],
        vec![
            E,
            s("年度资金总额"),
            n(50.0),
            n(50.0),
            n(45.0),
            n(10.0),
            V::F(0.9, "0%"),
            n(9.0),
        ],
        vec![
            E,
            s("其中：财政拨款"),
            n(50.0),
            n(50.0),
            n(45.0),
            s("-"),
            V::F(0.9, "0%"),
            s("-"),
        ],
        vec![
            E,
            s("其他资金"),
            n(0.0),
            n(0.0),
            n(0.0),
            s("-"),
            s("-"),
            s("-"),
        ],
        vec![s("年度总体目标"), s("预期目标"), E, E, E, s("实际完成情况")],
        vec![E, s("培训500人次"), E, E, E, s("培训520人次")],
        vec![
            s("绩效指标(90分)"),
            s("一级指标"),
            s("二级指标"),
            s("三级指标"),
            s("指标性质"),
            s("指标值"),
            s("度量单位"),
            s("实际完成值"),
            s("分值"),
            s("得分"),
            s("偏差原因分析及改进措施"),
        ],
        vec![
            E,
            s("产出指标"),
            s("数量指标"),
            s("培训人次"),
            s("≥"),
            n(500.0),
            s("人次"),
            n(520.0),
            n(30.0),
            n(30.0),
        ],
        vec![
            E,
            E,
            s("时效指标"),
            s("完成时间"),
            s("≤"),
            n(12.0),
            s("月"),
            n(12.0),
            n(30.0),
            n(30.0),
        ],
        vec![
            E,
            s("效益指标"),
            s("社会效益指标"),
            s("应急能力"),
            s("定性"),
            s("明显提升"),
            E,
            s("达成年度指标"),
            n(20.0),
            n(18.0),
        ],
        vec![
            E,
            s("满意度指标"),
            s("服务对象满意度指标"),
            s("满意度"),
            s(">="),
            V::F(0.95, "0%"),
            s("%"),
            V::F(0.96, "0%"),
            n(10.0),
            n(10.0),
        ],
        vec![s("总分"), E, E, E, E, E, E, E, n(100.0), n(97.0)],
        vec![s("评价结论"), s("优")],
        vec![s("存在问题"), s("无")],
    ];
    let imported = import(&[("四川", &rows)]);
    assert!(imported.findings.is_empty(), "{:#?}", imported.findings);
    assert_eq!(imported.unit.year, Some(2023).into());
    let p = only_project(&imported);
    assert_eq!(p.funds.total.budget.value(), Some(d("50")));
    assert_eq!(p.funds.total.typed_rate.value(), Some(d("90")));
    assert_eq!(p.funds.total.typed_score.value(), Some(d("9")));
    assert_eq!(
        p.funds.fiscal.as_ref().unwrap().budget.value(),
        Some(d("50"))
    );
    assert!(p.funds.carryover.is_none());
    let got: Vec<(&str, &str, &str, &str)> = p
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_str(),
                i.target.as_str(),
                i.unit.as_str(),
                i.actual.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("产出指标", "≥500", "人次", "520"),
            ("产出指标", "≤12", "月", "12"),
            ("效益指标", "明显提升", "", "达成年度指标"),
            ("满意度指标", "≥95%", "%", "96%"),
        ]
    );
    assert_eq!(p.indicators[1].level2, "时效指标");
    assert_eq!(p.typed.total.value(), Some(d("97")));
    // 评价结论 holding only a grade is the grade typed on the form (audited).
    assert_eq!(p.typed.grade.as_deref(), Some("优"));
}

#[test]
fn unit_sheet_with_indicator_block() {
    let unit_rows = unit_rows();
    let project = project_rows("档案整理", "项目资金（万元）");
    let imported = import(&[("部门整体", &unit_rows), ("1.档案整理", &project)]);
    assert!(imported.findings.is_empty(), "{:#?}", imported.findings);
    let unit = &imported.unit;
    assert_eq!(unit.name, "测试局");
    assert_eq!(unit.year, Some(2023).into());
    let funds = unit.funds.as_ref().unwrap();
    assert_eq!(funds.total.initial.value(), Some(d("120")));
    assert_eq!(funds.total.typed_rate.value().unwrap().to_string(), "99.26");
    assert_eq!(funds.total.typed_score.value(), Some(d("9.93")));
    assert_eq!(funds.basic.as_ref().unwrap().budget.value(), Some(d("100")));
    assert_eq!(
        funds
            .project
            .as_ref()
            .unwrap()
            .executed
            .value()
            .unwrap()
            .to_string(),
        "15.14353"
    );
    assert_eq!(unit.tasks.len(), 2);
    assert_eq!(unit.tasks[1].name, "安全检查");
    assert_eq!(unit.tasks[1].content, "检查企业");
    assert_eq!(unit.tasks[1].completion, "检查企业20家");
    assert_eq!(unit.goal.expected, "目标一");
    assert_eq!(unit.goal.actual, "完成一");
    assert_eq!(unit.typed.total.value(), Some(d("98.5")));
    assert_eq!(unit.typed.grade.as_deref(), Some("优"));
    assert_eq!(unit.projects.len(), 1);
}

#[test]
fn unit_bad_number_is_placed_on_the_unit() {
    let mut rows = unit_rows();
    set(&mut rows, 4, 4, s("七百"));
    let project = project_rows("档案整理", "项目资金（万元）");
    let imported = import(&[("部门整体", &rows), ("1.档案整理", &project)]);
    let bad = codes(&audit(&imported.unit), "unreadable_figure");
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].project_index, None);
    assert_eq!(bad[0].field.as_deref(), Some("funds.total.executed"));
    assert_eq!(
        bad[0].message,
        "单位整体：年度资金总额·全年执行数“七百”不是数字，未计入"
    );
    assert_eq!(
        imported.unit.funds.as_ref().unwrap().total.executed.value(),
        None
    );
}

#[test]
fn indicator_named_like_a_label_is_kept() {
    let mut rows = project_rows("总分指标", "项目资金（万元）");
    set(&mut rows, 12, 3, s("总分达标率"));
    set(&mut rows, 13, 3, s("合计"));
    let p = only_project(&import(&[("t", &rows)])).clone();
    assert_eq!(p.indicators.len(), 3);
    assert_eq!(p.indicators[0].name, "总分达标率");
    assert_eq!(p.indicators[1].name, "合计");
    assert_eq!(p.typed.total.value(), Some(d("96.47")));
}
