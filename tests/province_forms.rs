//! One workbook per built-in profile, in its own layout (RULES.md §2.1), built here
//! from its labels, recognised, read and scored by that profile's rules: rates,
//! execution scores, totals, grades and the typed figures that do not agree.

use jixiao::io;
use jixiao::profile::Profile;
use jixiao::rules::Rulebook;
use jixiao::summary::Summary;

mod common;
use common::provinces::*;
use common::*;

// ---------------------------------------------------------------------------------
// central 2020 (and 安徽's points in the 一级 labels)

#[test]
fn central_2020_project_is_read_and_scored() {
    let imported = read(&[("应急培训", central(["产出指标", "效益指标", "满意度指标"]))]);
    assert_eq!(imported.unit.profile, "central-2020");
    assert!(imported.unread.is_empty());
    let s = summary(&imported);
    assert_eq!(s["rules"], "default");
    let p = &s["projects"][0];
    assert_eq!(p["rate_percent"], "90.00");
    assert_eq!(p["execution_score"], "9.00");
    assert_eq!(p["indicators"][1]["score"], "28.33");
    assert_eq!(p["total"], "97.33");
    assert_eq!(p["grade"], "优");
    assert_eq!(
        mismatches(&s),
        [m("indicators.1.typedScore", "29", "28.33")]
    );
}

/// 安徽: 一级 labels carrying their points, the total row all zero while 其中：本年财政拨款
/// carries the money.
#[test]
fn anhui_points_in_level_labels_give_no_errors_or_phantom_levels() {
    let imported = read(&[(
        "应急培训",
        central(["产出指标（50分）", "效益指标(30分)", "满意度指标（10分）"]),
    )]);
    assert_eq!(imported.unit.profile, "central-2020");
    let s = summary(&imported);
    let p = &s["projects"][0];
    let levels: Vec<(&str, &str)> = p["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["name"].as_str().unwrap(), l["score"].as_str().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            ("产出指标", "50.00"),
            ("效益指标", "28.33"),
            ("满意度指标", "10.00")
        ]
    );
    assert_eq!(p["total"], "97.33");
    let errs: Vec<_> = errors(&s)
        .into_iter()
        .filter(|f| f["code"] != "typed_mismatch")
        .collect();
    assert!(errs.is_empty(), "{errs:#?}");

    // The total row printed all zero: a split error, not a guess.
    let mut rows = central(["产出指标（50分）", "效益指标(30分)", "满意度指标（10分）"]);
    rows[5] = vec![
        (1, S("年度资金总额")),
        (2, N(0.0)),
        (3, N(0.0)),
        (4, N(0.0)),
        (5, N(10.0)),
    ];
    rows[6][0] = (1, S("其中：本年财政拨款"));
    let s = summary(&read(&[("应急培训", rows)]));
    assert!(!with_code(&s, "funds_split").is_empty(), "{s:#}");
    assert!(!with_code(&s, "zero_budget").is_empty());
    assert_eq!(s["projects"][0]["execution_score"], "0.00");
}

// ---------------------------------------------------------------------------------
// 四川 2023

#[test]
fn sichuan_2023_is_recognised_read_and_scored() {
    let imported = read(&[("工资性支出", sichuan(28.0))]);
    let unit = &imported.unit;
    assert_eq!(unit.profile, "sichuan-2023");
    assert_eq!(
        Profile::built_in(&unit.profile).unwrap().layout,
        "sichuan-2023"
    );
    let p = &unit.projects[0];
    assert_eq!(p.funds.other.as_ref().unwrap().budget.text(), "20");
    // 评价结论 holding a grade is the grade typed on the form (audited); 存在问题 and
    // 改进措施 go into the project's text, not dropped.
    assert_eq!(p.typed.grade.as_deref(), Some("优"));
    // The 原因 typed on the 总额 row is kept too, first, as the form has it.
    assert_eq!(
        p.deviation,
        "预算执行偏差原因：部分采购延后\n存在问题：宣传覆盖面不足\n改进措施：加强政策宣传"
    );
    let s = summary(&imported);
    let project = &s["projects"][0];
    assert_eq!(project["rate_percent"], "85.00");
    assert_eq!(project["execution_score"], "8.50");
    assert_eq!(project["indicators"][2]["score"], "27.00");
    assert_eq!(project["total"], "95.50");
    assert_eq!(project["grade"], "优");
    // 产出60 / 效益30 and no 满意度: the form's own weights, with a notice.
    assert_eq!(with_code(&s, "level_weights_adjusted").len(), 1);
    assert_eq!(
        mismatches(&s),
        [
            m("funds.total.typedScore", "8.6", "8.50"),
            m("indicators.2.typedScore", "28", "27.00"),
        ]
    );
    assert!(with_code(&s, "funds_split").is_empty(), "{s:#}");

    // A 评价结论 that is not the grade the figures give is a typed figure that disagrees.
    let mut rows = sichuan(28.0);
    for row in &mut rows {
        if matches!(row.first(), Some((0, S("评价结论")))) {
            row[1] = (1, S("良"));
        }
    }
    let s = summary(&read(&[("工资性支出", rows)]));
    assert!(
        mismatches(&s).contains(&m("typed.grade", "良", "优")),
        "{:?}",
        mismatches(&s)
    );
}

// ---------------------------------------------------------------------------------
// 湖北 2020

#[test]
fn hubei_2020_goal_blocks_give_one_error_each_and_execution_weighs_20() {
    let imported = read(&[("培训", hubei())]);
    assert_eq!(imported.unit.profile, "hubei-2020");
    let p = &imported.unit.projects[0];
    assert_eq!(p.indicators.len(), 4);
    assert_eq!(p.indicators[0].level1, "年度绩效目标1（40分）");
    assert_eq!(p.indicators[2].level1, "年度绩效目标2（40分）");
    assert_eq!(p.indicators[2].target, "≥90%");
    assert!(p.indicators.iter().all(|i| i.weight.is_blank()));
    // The execution weight as the block's label gives it.
    assert_eq!(p.execution_weight.text(), "20");
    assert_eq!(
        p.goal.expected,
        "年度绩效目标1（40分）：完成全省培训任务\n年度绩效目标2（40分）：提升服务满意度"
    );
    // No 分值 column: the form's way (weights per block), said at each block.
    assert!(imported.unread.is_empty(), "{:#?}", imported.unread);

    let s = summary(&imported);
    assert_eq!(s["rules"], "hubei-2020");
    let project = &s["projects"][0];
    assert_eq!(project["rate_percent"], "90.00");
    // 20 × 90%.
    assert_eq!(project["execution_score"], "18.00");
    assert!(project["total"].is_null());
    assert!(project["grade"].is_null());
    let blocks = with_code(&s, "block_weights_missing");
    assert_eq!(blocks.len(), 2, "{s:#}");
    assert!(blocks[0]["message"]
        .as_str()
        .unwrap()
        .contains("“年度绩效目标1（40分）”共40分，但其下2个指标均未填写分值"));
    assert_eq!(blocks[0]["row"], 1);
    assert_eq!(blocks[1]["row"], 3);
    for code in [
        "missing_weight",
        "unknown_level",
        "weights_total",
        "level_weight",
    ] {
        assert!(with_code(&s, code).is_empty(), "{code}: {s:#}");
    }
    assert_eq!(mismatches(&s), [m("funds.total.typedScore", "19", "18.00")]);
}

// ---------------------------------------------------------------------------------
// 重庆

#[test]
fn chongqing_flat_list_is_scored_with_truncation() {
    let imported = read(&[("部门整体", chongqing())]);
    let unit = &imported.unit;
    assert_eq!(unit.profile, "chongqing");
    assert_eq!(unit.name, "重庆市某区应急管理局");
    assert_eq!(unit.indicators.len(), 3);
    assert_eq!(unit.indicators[1].level1, "绩效指标");
    assert_eq!(unit.indicators[1].level2, "定量指标");
    // 调整指标值 is the target when filled in.
    assert_eq!(unit.indicators[1].target, "≥90");
    assert_eq!(unit.indicators[1].unit, "%");
    let funds = unit.funds.as_ref().unwrap();
    // The typed score on the 财政拨款 row is the form's execution score.
    assert_eq!(funds.total.typed_score.text(), "9.68");
    assert_eq!(funds.fiscal.as_ref().unwrap().typed_rate.text(), "96.80");
    assert_eq!(unit.typed.total.text(), "98.34");

    let s = summary(&imported);
    assert_eq!(s["rules"], "chongqing");
    let u = &s["unit"];
    assert_eq!(u["budget"], "476.445311");
    assert_eq!(u["rate_percent"], "96.86");
    // 96.855…% × 10 truncated: 9.68 (rounded it would be 9.69).
    assert_eq!(u["execution_score"], "9.68");
    assert_eq!(u["indicators"][1]["score"], "28.66");
    assert_eq!(u["total"], "98.34");
    assert_eq!(u["grade"], "优");
    for code in ["unknown_level", "missing_level", "weights_total"] {
        assert!(with_code(&s, code).is_empty(), "{code}: {s:#}");
    }
    // The rate typed on the 财政拨款 row is audited there; 指标得分 too.
    assert_eq!(
        mismatches(&s),
        [
            m("funds.fiscal.typedRate", "96.8", "96.86"),
            m("indicators.1.typedScore", "28.67", "28.66"),
        ]
    );
    // Amounts in 元 with no unit written: read as 元, and said so.
    assert!(imported.findings.iter().any(|f| f.code == "money_unit"));
}

// ---------------------------------------------------------------------------------
// 湖南

#[test]
fn hunan_splits_in_label_cells_and_its_typed_total() {
    let imported = read(&[("整体", hunan())]);
    let unit = &imported.unit;
    assert_eq!(unit.profile, "hunan");
    assert_eq!(unit.name, "湖南省某厅");
    let funds = unit.funds.as_ref().unwrap();
    assert_eq!(funds.fiscal.as_ref().unwrap().budget.text(), "300");
    assert_eq!(funds.other.as_ref().unwrap().budget.text(), "20");
    assert_eq!(funds.basic.as_ref().unwrap().budget.text(), "200");
    assert_eq!(funds.project.as_ref().unwrap().budget.text(), "100");
    assert_eq!(unit.typed.total.text(), "96");

    let s = summary(&imported);
    let u = &s["unit"];
    assert_eq!(u["rate_percent"], "95.00");
    assert_eq!(u["execution_score"], "9.50");
    assert_eq!(u["total"], "96.50");
    assert_eq!(u["grade"], "优");
    // 收入性质 adds up (300 + 20 = 320); 支出性质 does not (200 + 100).
    let split = with_code(&s, "funds_split");
    assert_eq!(split.len(), 1, "{s:#}");
    assert_eq!(split[0]["typed"], "320");
    assert_eq!(split[0]["computed"], "300");
    assert!(split[0]["message"].as_str().unwrap().contains("按支出性质"));
    assert_eq!(mismatches(&s), [m("typed.total", "96", "96.50")]);

    // An amount that cannot be read is kept and said at its field; a name that is no
    // fund row is said at the sheet. Never a zero.
    let mut rows = hunan();
    rows[5] = vec![(1, S("按收入性质分：财政拨款：约300万元，专项债：20万元"))];
    let imported = read(&[("整体", rows)]);
    let fiscal = imported
        .unit
        .funds
        .as_ref()
        .unwrap()
        .fiscal
        .clone()
        .unwrap();
    assert!(fiscal.budget.is_unreadable());
    assert_eq!(fiscal.budget.text(), "约300");
    let unread_name = imported
        .findings
        .iter()
        .find(|f| f.code == "split_unread")
        .expect("专项债 said");
    assert!(
        unread_name.message.contains("“专项债：20万元”"),
        "{}",
        unread_name.message
    );
    let s = summary(&imported);
    let at = with_code(&s, "unreadable_figure");
    assert_eq!(at.len(), 1, "{s:#}");
    assert_eq!(at[0]["field"], "funds.fiscal.budget");
}

// ---------------------------------------------------------------------------------
// A layout no profile knows, and the user's own profile

#[test]
fn unknown_headers_are_a_record_and_a_user_profile_reads_them() {
    let imported = read(&[("应急培训", unknown_headers())]);
    // The indicators are read; the amounts are not, and that is said.
    assert_eq!(imported.unit.projects.len(), 1);
    assert_eq!(imported.unit.projects[0].indicators.len(), 3);
    let record = &imported.unread[0];
    assert_eq!(record.sheet, "应急培训");
    assert_eq!(record.form, "project");
    assert_eq!(record.profile, "central-2020");
    assert!(record.imported);
    assert_eq!(record.missing[0].field, "fund.budget");
    assert_eq!(record.missing[0].label, "全年预算数");
    assert_eq!(record.missing[0].kind, "column");
    let header = record
        .headers
        .iter()
        .find(|h| h.row == 4)
        .expect("the funds header row");
    assert!(header
        .cells
        .iter()
        .any(|c| c.col == 3 && c.text == "预算安排数"));
    let json = serde_json::to_value(record).unwrap();
    assert_eq!(json["missing"][0]["lookedFor"][0], "全年预算数");
    assert_eq!(json["headers"][0]["cells"][0]["col"], 0);
    let finding = imported
        .findings
        .iter()
        .find(|f| f.code == "sheet_partly_read")
        .unwrap();
    assert!(
        finding
            .message
            .contains("未找到“全年预算数”列（查找的表头：全年预算数、预算数、调整预算数）"),
        "{}",
        finding.message
    );

    // The page's answer: a profile extending the one used, with the texts chosen.
    let base = Profile::built_in(&record.profile).unwrap();
    let chosen = base.with_labels(&[
        // (As the sheet shows it: spaces and half-width brackets are normalised.)
        ("fund.budget".into(), " 预算安排数 ".into()),
        ("fund.executed".into(), "实际支出数".into()),
    ]);
    let again = read_with(&[("应急培训", unknown_headers())], Some(chosen));
    assert!(again.unread.is_empty());
    let s = summary(&again);
    assert_eq!(s["projects"][0]["rate_percent"], "90.00");
    assert_eq!(s["projects"][0]["total"], "97.33");

    // The same as a user's JSON file that extends a built-in profile.
    let mine = Profile::parse(
        r#"{ "name": "我的表样", "extends": "hubei-2020",
             "labels": { "fund.budget": ["预算安排数"], "fund.executed": ["实际支出数*"] } }"#,
    )
    .unwrap();
    let again = read_with(&[("应急培训", unknown_headers())], Some(mine));
    assert!(again.unread.is_empty());
    assert!(again.unit.profile.contains("我的表样"));
    let s = summary(&again);
    // 湖北's rules come with it: execution weighs 20 (the form says 10: its own).
    assert_eq!(s["rules"], "hubei-2020");
    assert_eq!(s["projects"][0]["execution_score"], "9.00");
    assert_eq!(s["projects"][0]["total"], "97.33");
}

#[test]
fn given_rules_win_over_the_profiles() {
    let imported = read(&[("部门整体", chongqing())]);
    let mut unit = imported.unit.clone();
    unit.rules = "default".into();
    let rules = Rulebook::of_unit(&unit).unwrap();
    assert_eq!(rules.name, "default");
    let eval = jixiao::evaluate(&unit, &rules);
    let s = serde_json::to_value(Summary::new(&eval, &rules, &[])).unwrap();
    // Rounded half away from zero, and 绩效指标 is no 一级 of the default rules.
    assert_eq!(s["unit"]["execution_score"], "9.69");
    assert!(!with_code(&s, "unknown_level").is_empty());
}

#[test]
fn the_seed_is_read_by_the_central_profile() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/lanzhou-xinqu-emergency-2022.xlsx"
    ))
    .unwrap();
    let imported = io::load(&bytes, "seed.xlsx").unwrap();
    assert_eq!(imported.unit.profile, "central-2020");
    assert!(imported.unread.is_empty());
    let s = summary(&imported);
    assert_eq!(s["rules"], "default");
    assert_eq!(s["unit"]["rate_percent"], "99.60");
}

/// 项目资金（元）: the amounts are 元, read into 万元.
#[test]
fn amounts_headed_yuan_are_read_as_yuan() {
    let mut rows = central(["产出指标", "效益指标", "满意度指标"]);
    rows[4][0] = (0, S("项目资金（元）"));
    rows[5] = vec![
        (1, S("年度资金总额")),
        (2, N(1_000_000.0)),
        (3, N(1_000_000.0)),
        (4, N(900_000.0)),
        (5, N(10.0)),
        (6, S("90%")),
        (7, N(9.0)),
    ];
    rows[6] = vec![
        (1, S("其中：当年财政拨款")),
        (2, N(1_000_000.0)),
        (3, N(1_000_000.0)),
        (4, N(900_000.0)),
    ];
    let imported = read(&[("应急培训", rows)]);
    assert!(!imported.findings.iter().any(|f| f.code == "money_unit"));
    let s = summary(&imported);
    assert_eq!(s["projects"][0]["budget"], "100");
    assert_eq!(s["projects"][0]["executed"], "90");
    assert_eq!(s["projects"][0]["total"], "97.33");
}

#[test]
fn built_in_profiles_are_listed() {
    let keys: Vec<&str> = Profile::built_ins().iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        [
            "central-2020",
            "sichuan-2023",
            "hubei-2020",
            "chongqing",
            "hunan"
        ]
    );
    for (key, label) in Profile::built_ins() {
        assert!(!label.is_empty(), "{key}");
        let layout = &Profile::built_in(key).unwrap().layout;
        let want = if key == "sichuan-2023" {
            "sichuan-2023"
        } else {
            "central-2020"
        };
        assert_eq!(layout, want);
    }
}

// ---------------------------------------------------------------------------------
// What the provinces' forms hold that an independent reading found lost or misread

/// 重庆's amounts are in 元 (RULES.md §2.1; its profile says so): 80000 元 is 8 万元
/// however small — not 80000 万元 — and the assumption is said; a header that names
/// 万元 wins.
#[test]
fn chongqing_small_amounts_are_yuan_and_said_so() {
    let small = |budget_label: &'static str| {
        let mut rows = chongqing();
        rows[4][0] = (1, S(budget_label));
        rows[5] = vec![(0, S("年度总金额")), (1, N(80000.0)), (2, N(77480.0))];
        rows[6] = vec![
            (0, S("其中：财政拨款")),
            (1, N(80000.0)),
            (2, N(77480.0)),
            (3, S("96.85%")),
            (4, N(10.0)),
            (5, N(9.68)),
        ];
        rows
    };
    let imported = read(&[("部门整体", small("全年（调整）预算数"))]);
    assert_eq!(imported.unit.profile, "chongqing");
    let funds = imported.unit.funds.as_ref().unwrap();
    assert_eq!(funds.total.budget.text(), "8");
    assert_eq!(funds.total.executed.text(), "7.748");
    assert_eq!(funds.fiscal.as_ref().unwrap().budget.text(), "8");
    let said: Vec<_> = imported
        .findings
        .iter()
        .filter(|f| f.code == "money_unit")
        .collect();
    assert_eq!(said.len(), 1, "{:#?}", imported.findings);
    assert_eq!(
        said[0].message,
        "工作表“部门整体”：表中未注明金额单位，所用表样（重庆市部门整体绩效自评表）的金额以元填写，已按“元”读取并换算为万元；如实际以万元填写，请在表头注明“（万元）”后重新导入"
    );
    let s = summary(&imported);
    let u = &s["unit"];
    assert_eq!(u["budget"], "8");
    assert_eq!(u["executed"], "7.748");
    assert_eq!(u["rate_percent"], "96.85");
    // 96.85% × 10 truncated.
    assert_eq!(u["execution_score"], "9.68");
    assert!(
        !mismatches(&s)
            .iter()
            .any(|(f, _, _)| f.starts_with("funds")),
        "{:?}",
        mismatches(&s)
    );

    // The header names 万元: as written, nothing assumed.
    let imported = read(&[("部门整体", small("全年（调整）预算数（万元）"))]);
    assert_eq!(imported.unit.profile, "chongqing");
    let funds = imported.unit.funds.as_ref().unwrap();
    assert_eq!(funds.total.budget.text(), "80000");
    assert!(!imported.findings.iter().any(|f| f.code == "money_unit"));
}

/// A 重庆 项目支出绩效自评表: 项目主管部门 / 项目实施单位, 自评总分 beside 项目名称, a
/// 项目资金 block with no unit written (元), a flat indicator list.
fn chongqing_project(department: bool) -> Rows {
    let mut rows = vec![
        vec![(0, S("2023年度项目支出绩效自评表"))],
        vec![
            (0, S("项目名称")),
            (1, S("全民安全教育培训")),
            (8, S("自评总分")),
            (9, N(99.68)),
        ],
    ];
    if department {
        rows.push(vec![
            (0, S("项目主管部门")),
            (1, S("重庆市某区应急管理局")),
            (6, S("项目实施单位")),
            (7, S("重庆市某区应急救援支队")),
        ]);
    }
    rows.extend([
        vec![
            (0, S("项目资金")),
            (2, S("全年（调整）预算数")),
            (3, S("全年执行数")),
            (4, S("执行率")),
            (5, S("执行率权重")),
            (6, S("执行率得分")),
        ],
        vec![(1, S("年度总金额")), (2, N(50000.0)), (3, N(48425.0))],
        vec![
            (1, S("其中：财政拨款")),
            (2, N(50000.0)),
            (3, N(48425.0)),
            (4, S("96.85%")),
            (5, N(10.0)),
            (6, N(9.68)),
        ],
        vec![
            (0, S("指标名称")),
            (1, S("计量单位")),
            (2, S("指标性质")),
            (3, S("年初指标值")),
            (4, S("调整指标值")),
            (5, S("全年完成值")),
            (6, S("得分系数")),
            (7, S("指标权重")),
            (8, S("指标得分")),
        ],
        vec![
            (0, S("培训人次")),
            (1, S("人次")),
            (2, S("定量")),
            (3, S("≥1000")),
            (5, S("1150")),
            (6, N(1.0)),
            (7, N(90.0)),
            (8, N(90.0)),
        ],
    ]);
    rows
}

/// 重庆 names the project's department 项目主管部门 (and 项目实施单位): read, and the unit
/// named by it; a form that names no unit at all is said so, at its sheet.
#[test]
fn chongqing_project_department_names_the_unit_or_its_absence_is_said() {
    let imported = read(&[("项目", chongqing_project(true))]);
    assert_eq!(imported.unit.profile, "chongqing");
    let p = &imported.unit.projects[0];
    assert_eq!(p.name, "全民安全教育培训");
    assert_eq!(p.department, "重庆市某区应急管理局");
    assert_eq!(p.implementer, "重庆市某区应急救援支队");
    assert_eq!(imported.unit.name, "重庆市某区应急管理局");
    assert!(!imported
        .findings
        .iter()
        .any(|f| f.code == "unit_name_missing"));
    let s = summary(&imported);
    let project = &s["projects"][0];
    assert_eq!(project["budget"], "5");
    assert_eq!(project["executed"], "4.8425");
    assert_eq!(project["execution_score"], "9.68");
    assert_eq!(project["total"], "99.68");
    assert!(mismatches(&s).is_empty(), "{:?}", mismatches(&s));
    assert_eq!(with_code(&s, "money_unit").len(), 1);

    // No 主管部门 and no unit form: the unit has no name, and the user is told where.
    let imported = read(&[("项目", chongqing_project(false))]);
    assert_eq!(imported.unit.name, "");
    let missing: Vec<_> = imported
        .findings
        .iter()
        .filter(|f| f.code == "unit_name_missing")
        .collect();
    assert_eq!(missing.len(), 1, "{:#?}", imported.findings);
    assert_eq!(missing[0].severity, jixiao::finding::Severity::Warning);
    assert_eq!(missing[0].field.as_deref(), Some("name"));
    assert_eq!(
        missing[0].message,
        "工作表“项目”：未找到单位名称（无部门整体表，项目表中也未找到“主管部门”或“项目主管部门”），报告将以“未命名单位”代替；请在单位信息中填写单位名称"
    );

    // The 重庆 unit form with its 项目名称 left blank: named by 项目主管部门 (not by the
    // 自评总分 label beside it).
    let mut rows = chongqing();
    rows[2] = vec![(0, S("项目名称")), (4, S("自评总分")), (5, N(98.34))];
    let imported = read(&[("部门整体", rows)]);
    assert_eq!(imported.unit.name, "重庆市某区人民政府");
    // Neither: said at the unit form.
    let mut rows = chongqing();
    rows[2] = vec![(0, S("项目名称")), (4, S("自评总分")), (5, N(98.34))];
    rows[3] = vec![];
    let imported = read(&[("部门整体", rows)]);
    assert_eq!(imported.unit.name, "");
    let missing = imported
        .findings
        .iter()
        .find(|f| f.code == "unit_name_missing")
        .expect("said");
    assert!(
        missing
            .message
            .starts_with("工作表“部门整体”：未找到单位名称（查找的表头："),
        "{}",
        missing.message
    );
}

/// A deadline written without a year (`年底前`, `年内完成`: RULES.md §4) is the end of
/// the year evaluated; an actual month (`11月`) meets it.
#[test]
fn the_years_end_without_a_year_is_a_deadline_met_by_a_month() {
    for target in ["年底前", "年内完成", "本年底前"] {
        let mut rows = central(["产出指标", "效益指标", "满意度指标"]);
        rows[10] = vec![
            (1, S("产出指标")),
            (2, S("时效指标")),
            (3, S("完成时间")),
            (4, S(target)),
            (5, S("11月")),
            (6, N(50.0)),
            (7, N(50.0)),
        ];
        let s = summary(&read(&[("应急培训", rows)]));
        let p = &s["projects"][0];
        let ind = &p["indicators"][0];
        assert_eq!(ind["method"], "deadline", "{target}");
        assert_eq!(ind["score"], "50.00", "{target}");
        assert_eq!(
            ind["basis"], "11月30日完成，未超过期限 12月31日 = 50.00",
            "{target}"
        );
        assert_eq!(p["total"], "97.33", "{target}");
        assert_eq!(p["grade"], "优");
        for code in ["qualitative_unknown", "unparseable", "missing_actual"] {
            assert!(with_code(&s, code).is_empty(), "{target} {code}: {s:#}");
        }
    }
}

/// 四川's several 其他 rows (财政专户管理资金, 单位资金) are added into one 其他资金: a rate
/// typed on one of them is that row's (right there), not audited against the sum; each
/// row's 原因 is kept in the project's text, named by its row.
#[test]
fn sichuan_other_rows_added_audit_no_rate_against_the_sum_and_keep_their_reasons() {
    let mut rows = sichuan(27.0);
    rows[7] = vec![
        (1, S("财政专户管理资金")),
        (2, N(0.0)),
        (3, N(10.0)),
        (4, N(7.0)),
        (5, S("70%")),
        (8, S("部分资金未到位")),
    ];
    rows[8] = vec![
        (1, S("单位资金")),
        (2, N(0.0)),
        (3, N(10.0)),
        (4, N(5.0)),
        (5, S("50.00%")),
    ];
    let imported = read(&[("工资性支出", rows)]);
    let p = &imported.unit.projects[0];
    let other = p.funds.other.as_ref().unwrap();
    assert_eq!((other.budget.text(), other.executed.text()), ("20", "12"));
    assert!(other.typed_rate.is_blank());
    assert_eq!(
        p.deviation,
        "预算执行偏差原因：部分采购延后\n预算执行偏差原因（财政专户管理资金）：部分资金未到位\n存在问题：宣传覆盖面不足\n改进措施：加强政策宣传"
    );
    let s = summary(&imported);
    assert_eq!(s["projects"][0]["total"], "95.50");
    // 70% is 7 ÷ 10, right for its own row; the sum's would be 60%: nothing said.
    assert_eq!(mismatches(&s), [m("funds.total.typedScore", "8.6", "8.50")]);

    // One 其他 row read: the rate typed on it is the row's, and audited.
    let mut rows = sichuan(27.0);
    rows[7] = vec![
        (1, S("财政专户管理资金")),
        (2, N(0.0)),
        (3, N(20.0)),
        (4, N(12.0)),
        (5, S("70%")),
    ];
    rows.remove(8);
    let s = summary(&read(&[("工资性支出", rows)]));
    assert_eq!(
        mismatches(&s),
        [
            m("funds.other.typedRate", "70", "60.00"),
            m("funds.total.typedScore", "8.6", "8.50"),
        ]
    );
}

/// The 四川 workbook read and written again in its own layout: each closing row holds
/// its own text (not all three under 存在问题, the conclusion not the grade alone) and the
/// 原因 typed on the fund rows is back on them — read from the .xlsx with calamine.
#[test]
fn sichuan_form_read_and_exported_keeps_each_closing_row_and_reason_in_place() {
    use calamine::{Data, Reader, Xlsx};
    let mut rows = sichuan(27.0);
    rows[7] = vec![
        (1, S("财政专户管理资金")),
        (2, N(0.0)),
        (3, N(10.0)),
        (4, N(7.0)),
        (5, S("70%")),
        (8, S("部分资金未到位")),
    ];
    rows[8] = vec![(1, S("单位资金")), (2, N(0.0)), (3, N(10.0)), (4, N(5.0))];
    let last = rows.len() - 3;
    rows[last] = vec![(0, S("评价结论")), (1, S("优。项目执行良好。"))];
    let imported = read(&[("工资性支出", rows)]);
    let unit = &imported.unit;
    assert_eq!(unit.profile, "sichuan-2023");
    let rules = Rulebook::of_unit(unit).unwrap();
    let bytes = io::xlsx_export::write_xlsx(&jixiao::report(unit, &rules)).expect("written");

    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.as_slice())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let find = |label: &str| {
        range
            .cells()
            .find(|(_, _, v)| matches!(v, Data::String(s) if s == label))
            .map(|(r, c, _)| (r as u32, c as u32))
            .unwrap_or_else(|| panic!("no “{label}”"))
    };
    let at = |pos: (u32, u32)| range.get_value(pos).cloned().unwrap_or(Data::Empty);
    let text = |s: &str| Data::String(s.into());
    for (label, want) in [
        ("评价结论", "优。项目执行良好。"),
        ("存在问题", "宣传覆盖面不足"),
        ("改进措施", "加强政策宣传"),
    ] {
        let (r, c) = find(label);
        assert_eq!(at((r, c + 1)), text(want), "{label}");
    }
    let reason = find("原因").1;
    assert_eq!(at((find("总额").0, reason)), text("部分采购延后"));
    assert_eq!(
        at((find("其他资金").0, reason)),
        text("财政专户管理资金：部分资金未到位")
    );
    // The 其他资金 row: 20 万元, 12 executed, its rate 60% computed (70% was its part's).
    let other = find("其他资金").0;
    let budget = find("调整后预算数").1;
    assert_eq!(at((other, budget)), Data::Float(20.0));
    assert_eq!(at((other, budget + 1)), Data::Float(12.0));
    assert_eq!(at((other, budget + 2)), Data::Float(0.6));
}
