//! Workbooks in the provinces' own layouts (RULES.md §2.1), built here from their
//! labels, read and scored: the figures each form holds come out of `evaluate`.

use jixiao::io::xlsx::{import_workbook, import_workbook_with, LoadOptions};
use jixiao::profile::Profile;

mod common;
use common::*;

/// 四川 2023 项目支出绩效自评表: 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 |
/// 得分 | 原因; 总额 / 其中：财政资金; 指标性质 | 指标值 | 度量单位 | 完成值 | 权重; 合计;
/// 一级 weights 产出60 / 效益30 and no 满意度 block.
fn sichuan() -> Rows {
    vec![
        vec![(0, S("项目支出绩效自评表"))],
        vec![(0, S("（2023年度）"))],
        vec![
            (0, S("项目名称")),
            (1, S("51000021R000000019951-工资性支出")),
        ],
        vec![
            (0, S("主管部门")),
            (1, S("四川省某厅")),
            (5, S("实施单位")),
            (6, S("某中心")),
        ],
        vec![
            (0, S("预算执行情况(10分)")),
            (2, S("年初预算")),
            (3, S("调整后预算数")),
            (4, S("预算执行数")),
            (5, S("预算执行率")),
            (6, S("权重")),
            (7, S("得分")),
            (8, S("原因")),
        ],
        vec![
            (1, S("总额")),
            (2, N(100.0)),
            (3, N(120.0)),
            (4, N(114.0)),
            (5, S("95%")),
            (6, N(10.0)),
            (7, N(9.5)),
        ],
        vec![
            (1, S("其中：财政资金")),
            (2, N(100.0)),
            (3, N(120.0)),
            (4, N(114.0)),
        ],
        vec![(1, S("其他资金")), (2, N(0.0)), (3, N(0.0)), (4, N(0.0))],
        vec![
            (0, S("年度目标")),
            (1, S("预期目标")),
            (5, S("实际完成情况")),
        ],
        vec![(1, S("保障在职人员工资按时发放")), (5, S("已按时足额发放"))],
        vec![
            (0, S("绩效指标(90分)")),
            (1, S("一级指标")),
            (2, S("二级指标")),
            (3, S("三级指标")),
            (4, S("指标性质")),
            (5, S("指标值")),
            (6, S("度量单位")),
            (7, S("完成值")),
            (8, S("权重")),
            (9, S("得分")),
            (10, S("偏差原因分析及改进措施")),
        ],
        vec![
            (1, S("产出指标")),
            (2, S("数量指标")),
            (3, S("保障人数")),
            (4, S("≥")),
            (5, S("50")),
            (6, S("人")),
            (7, S("60")),
            (8, N(30.0)),
            (9, N(30.0)),
        ],
        vec![
            (2, S("质量指标")),
            (3, S("发放准确率")),
            (4, S("=")),
            (5, S("100")),
            (6, S("%")),
            (7, S("100")),
            (8, N(30.0)),
            (9, N(30.0)),
        ],
        vec![
            (1, S("效益指标")),
            (2, S("社会效益指标")),
            (3, S("职工知晓率")),
            (4, S("≥")),
            (5, S("90")),
            (6, S("%")),
            (7, S("81")),
            (8, N(30.0)),
            (9, N(27.0)),
            (10, S("宣传不足")),
        ],
        vec![(0, S("合计")), (8, N(90.0)), (9, N(96.5))],
        vec![(0, S("评价结论")), (1, S("优"))],
        vec![(0, S("存在问题")), (1, S("宣传覆盖面不足"))],
        vec![(0, S("改进措施")), (1, S("加强政策宣传"))],
    ]
}

#[test]
fn sichuan_2023_project_reads_and_scores() {
    let imported = read(&[("工资性支出", sichuan())]);
    let unit = &imported.unit;
    assert_eq!(unit.year, Some(2023).into());
    let p = &unit.projects[0];
    assert_eq!(p.name, "51000021R000000019951-工资性支出");
    assert_eq!(p.department, "四川省某厅");
    assert_eq!(p.funds.total.initial.text(), "100");
    assert_eq!(p.funds.total.budget.text(), "120");
    assert_eq!(p.funds.total.executed.text(), "114");
    assert_eq!(p.funds.fiscal.as_ref().unwrap().budget.text(), "120");
    assert_eq!(p.funds.total.typed_score.text(), "9.5");
    assert_eq!(p.execution_weight.text(), "10");
    assert_eq!(p.goal.expected, "保障在职人员工资按时发放");
    assert_eq!(p.goal.actual, "已按时足额发放");
    assert_eq!(p.indicators.len(), 3);
    assert_eq!(p.indicators[0].target, "≥50");
    assert_eq!(p.indicators[0].unit, "人");
    assert_eq!(p.indicators[1].level1, "产出指标");
    assert_eq!(p.indicators[2].reason, "宣传不足");
    assert_eq!(p.typed.total.text(), "96.5");

    let s = summary(&imported);
    let project = &s["projects"][0];
    assert_eq!(project["rate_percent"], "95.00");
    assert_eq!(project["execution_score"], "9.50");
    assert_eq!(project["indicators"][2]["score"], "27.00");
    assert_eq!(project["total"], "96.50");
    assert_eq!(project["grade"], "优");
    // The typed figures agree with the computed ones: no mismatch.
    let mismatches: Vec<_> = s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "mismatch")
        .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

/// 重庆 部门整体绩效自评表 (no 支出): the unit named in 项目名称; 全年（调整）预算数 |
/// 全年执行数 | 执行率 | 执行率权重 | 执行率得分; total row 年度总金额; amounts in 元
/// with no unit written.
#[test]
fn chongqing_unit_form_reads_as_the_unit_in_yuan() {
    let rows = vec![
        vec![(0, S("部门整体绩效自评表"))],
        vec![(0, S("（2022年度）"))],
        vec![(0, S("项目名称")), (1, S("重庆市某区应急管理局"))],
        vec![(0, S("项目主管部门")), (1, S("重庆市某区人民政府"))],
        vec![
            (1, S("全年（调整）预算数")),
            (2, S("全年执行数")),
            (3, S("执行率")),
            (4, S("执行率权重")),
            (5, S("执行率得分")),
        ],
        vec![(0, S("年度总金额")), (1, N(4764453.11)), (2, N(4500000.0))],
        vec![
            (0, S("其中：财政拨款")),
            (1, N(4764453.11)),
            (2, N(4500000.0)),
            (3, S("94.45%")),
            (4, N(10.0)),
            (5, N(9.44)),
        ],
    ];
    let book = workbook(&[("部门整体", rows)]);
    let imported = import_workbook(&book).expect("imports");
    let unit = &imported.unit;
    assert_eq!(unit.name, "重庆市某区应急管理局");
    assert!(unit.projects.is_empty());
    let funds = unit.funds.as_ref().expect("the unit's funds");
    assert_eq!(funds.total.budget.text(), "476.445311");
    assert_eq!(funds.total.executed.text(), "450");
    assert!(
        imported
            .findings
            .iter()
            .any(|f| f.code == "money_unit" && f.message.contains("已按“元”读取")),
        "{:#?}",
        imported.findings
    );
    let s = summary(&imported);
    assert_eq!(s["unit"]["rate_percent"], "94.45");
    assert_eq!(s["unit"]["budget"], "476.445311");
    // The user says the amounts are 万元: read as written, nothing guessed.
    let wan = Profile::parse(r#"{"name":"万元","extends":"chongqing","amounts":"万元"}"#).unwrap();
    let again = import_workbook_with(&book, &LoadOptions { profile: Some(wan) }).expect("imports");
    let funds = again.unit.funds.as_ref().expect("the unit's funds");
    assert_eq!(funds.total.budget.text(), "4764453.11");
    assert!(!again.findings.iter().any(|f| f.code == "money_unit"));
}

/// 湖南 部门整体支出绩效自评表: 预算部门、单位名称.
#[test]
fn hunan_unit_name() {
    let rows = vec![
        vec![(0, S("部门整体支出绩效自评表"))],
        vec![(0, S("预算部门、单位名称")), (1, S("湖南省某厅"))],
        vec![
            (0, S("年度预算申请（万元）")),
            (2, S("年初预算数")),
            (3, S("全年预算数")),
            (4, S("全年执行数")),
        ],
        vec![
            (1, S("年度资金总额")),
            (2, N(300.0)),
            (3, N(320.0)),
            (4, N(304.0)),
        ],
    ];
    let imported = read(&[("整体", rows)]);
    assert_eq!(imported.unit.name, "湖南省某厅");
    let s = summary(&imported);
    assert_eq!(s["unit"]["rate_percent"], "95.00");
}
