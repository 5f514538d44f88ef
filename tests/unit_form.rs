//! The unit's own 部门（单位）整体支出绩效自评表 (RULES.md §2.1): when it has an indicator
//! block, the unit is scored like a project (its 预算执行率 × its 分值, plus its
//! indicators), checked and audited at the unit, and 附表2 shows the block and 总分.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jixiao::finding::Finding;
use jixiao::model::{FundRow, Funds, Indicator, Project, Unit};
use jixiao::report::{Block, Form};
use jixiao::rules::Rulebook;
use jixiao::summary::Summary;
use jixiao::{evaluate, io, Evaluation};
use rust_decimal::Decimal;

const SEED: &[u8] = include_bytes!("../examples/lanzhou-xinqu-emergency-2022.xlsx");

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn row(level1: &str, level2: &str, name: &str, target: &str, actual: &str, w: &str) -> Indicator {
    Indicator {
        level1: level1.into(),
        level2: level2.into(),
        name: name.into(),
        target: target.into(),
        actual: actual.into(),
        weight: Some(d(w)).into(),
        reason: "按计划推进".into(),
        ..Indicator::default()
    }
}

fn amounts(budget: &str, executed: &str) -> FundRow {
    FundRow {
        budget: Some(d(budget)).into(),
        executed: Some(d(executed)).into(),
        ..FundRow::default()
    }
}

/// The unit form's block: 产出 45 of 50, 效益 30 (a qualitative row, its score chosen),
/// 满意度 10.
fn block() -> Vec<Indicator> {
    let mut benefit = row(
        "效益指标",
        "社会效益指标",
        "安全生产形势",
        "持续稳定",
        "达成年度指标",
        "30",
    );
    benefit.typed_score = Some(d("30")).into();
    vec![
        row(
            "产出指标",
            "数量指标",
            "监督检查企业数",
            "≥200家",
            "180家",
            "50",
        ),
        benefit,
        row(
            "满意度指标",
            "服务对象满意度指标",
            "企业满意度",
            "≥90%",
            "95%",
            "10",
        ),
    ]
}

/// A unit with its own funds block (执行率 96.00% → 9.60) and its own indicators; one
/// project, scored as before.
fn unit() -> Unit {
    Unit {
        name: "测试局".into(),
        year: Some(2022).into(),
        funds: Some(Funds {
            total: amounts("1000", "960"),
            ..Funds::default()
        }),
        indicators: block(),
        projects: vec![Project {
            name: "项目甲".into(),
            funds: Funds {
                total: amounts("16", "15.14353"),
                ..Funds::default()
            },
            indicators: block(),
            ..Project::default()
        }],
        ..Unit::default()
    }
}

fn run(unit: &Unit) -> (Summary, Evaluation) {
    let rules = Rulebook::default();
    let eval = evaluate(unit, &rules);
    (Summary::new(&eval, &rules, &[]), eval)
}

fn at_unit<'a>(e: &'a Evaluation, code: &str) -> Vec<&'a Finding> {
    e.findings
        .iter()
        .filter(|f| f.code == code && f.project_index.is_none())
        .collect()
}

#[test]
fn the_unit_form_is_scored_like_a_project() {
    let (s, e) = run(&unit());
    let u = &s.unit;
    assert_eq!(u.rate_percent.as_deref(), Some("96.00"));
    assert_eq!(u.execution_score.as_deref(), Some("9.60"));
    assert_eq!(u.execution_basis, "96.00% × 10 = 9.60");
    // 180 ÷ 200 × 50 = 45; 30 chosen; 10 full.
    let levels: Vec<(&str, &str, Option<&str>)> = u
        .levels
        .iter()
        .map(|l| (l.name.as_str(), l.weight.as_str(), l.score.as_deref()))
        .collect();
    assert_eq!(
        levels,
        [
            ("产出指标", "50", Some("45.00")),
            ("效益指标", "30", Some("30.00")),
            ("满意度指标", "10", Some("10.00")),
        ]
    );
    assert_eq!(u.indicators[0].basis, "180 ÷ 200 × 50 = 45.00");
    assert_eq!(u.total.as_deref(), Some("94.60"));
    assert_eq!(u.grade.as_deref(), Some("优"));
    assert_eq!(u.weight_total.as_deref(), Some("100"));
    // The project is scored as before: 94.65% × 10 = 9.46, + 45 + 30 + 10.
    assert_eq!(s.projects[0].total.as_deref(), Some("94.46"));
    assert_eq!(s.projects[0].grade.as_deref(), Some("优"));
    // No finding at the unit on a correct form.
    let unit_findings: Vec<&str> = e
        .findings
        .iter()
        .filter(|f| f.project_index.is_none())
        .map(|f| f.code.as_str())
        .collect();
    assert!(unit_findings.is_empty(), "{unit_findings:?}");
    // The command's JSON and text.
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["unit"]["total"], "94.60");
    assert_eq!(json["unit"]["grade"], "优");
    assert_eq!(json["unit"]["levels"][0]["score"], "45.00");
    assert_eq!(json["unit"]["indicators"][2]["score"], "10.00");
    assert!(s
        .to_text()
        .contains("部门整体 执行得分 9.60 · 产出指标 45.00 · 效益指标 30.00 · 满意度指标 10.00 · 总分 94.60 优"));
}

#[test]
fn without_funds_of_its_own_the_unit_form_takes_the_projects_sum() {
    let mut u = unit();
    u.funds = None;
    u.execution_weight = Some(d("10")).into();
    let (s, e) = run(&u);
    assert_eq!(s.unit.funds_source, "projects");
    assert_eq!(s.unit.rate_percent.as_deref(), Some("94.65"));
    assert_eq!(s.unit.execution_score.as_deref(), Some("9.46"));
    assert_eq!(s.unit.total.as_deref(), Some("94.46"));
    // The sum has no cells of its own to report missing amounts at.
    assert!(at_unit(&e, "missing_amount").is_empty());
}

#[test]
fn a_unit_without_indicators_has_no_total() {
    let mut u = unit();
    u.indicators.clear();
    let (s, _) = run(&u);
    assert_eq!(s.unit.total, None);
    assert_eq!(s.unit.grade, None);
    assert!(s.unit.levels.is_empty());
    // The execution score on the unit form is shown as before.
    assert_eq!(s.unit.execution_score.as_deref(), Some("9.60"));
    assert!(!s.to_text().contains("部门整体 执行得分"));
    // The seed unit: no indicator block of its own, its figures as always.
    let seed = io::load(SEED, "seed.xlsx").unwrap().unit;
    let (s, _) = run(&seed);
    assert_eq!(s.unit.rate_percent.as_deref(), Some("99.60"));
    assert_eq!(s.unit.execution_score.as_deref(), Some("9.96"));
    assert_eq!(s.unit.total, None);
}

#[test]
fn a_wrong_typed_total_and_grade_on_the_unit_form_are_mismatches() {
    let mut u = unit();
    u.typed.total = Some(d("93.6")).into();
    u.typed.grade = Some("良".into());
    let (_, e) = run(&u);
    let found = at_unit(&e, "typed_mismatch");
    let total = found
        .iter()
        .find(|f| f.field.as_deref() == Some("typed.total"))
        .unwrap_or_else(|| panic!("{:#?}", e.findings));
    assert_eq!(total.typed.as_deref(), Some("93.6"));
    assert_eq!(total.computed.as_deref(), Some("94.60"));
    assert_eq!(
        total.message,
        "单位整体：总分填报为93.6分，按规则计算应为94.60分"
    );
    let grade = found
        .iter()
        .find(|f| f.field.as_deref() == Some("typed.grade"))
        .expect("a grade mismatch");
    assert_eq!(grade.typed.as_deref(), Some("良"));
    assert_eq!(grade.computed.as_deref(), Some("优"));
    // Typed as computed (94.6 at one decimal): no mismatch.
    u.typed.total = Some(d("94.6")).into();
    u.typed.grade = Some("优".into());
    let (_, e) = run(&u);
    assert!(at_unit(&e, "typed_mismatch").is_empty());
    // A typed indicator score that disagrees, at its row of the unit form.
    let mut u = unit();
    u.indicators[0].typed_score = Some(d("50")).into();
    let (_, e) = run(&u);
    let f = at_unit(&e, "typed_mismatch");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].field.as_deref(), Some("indicators.0.typedScore"));
    assert_eq!(f[0].row, Some(1));
    assert_eq!(f[0].computed.as_deref(), Some("45.00"));
}

#[test]
fn the_unit_forms_weights_are_checked_at_the_unit() {
    let mut u = unit();
    u.indicators[2].weight = Some(d("15")).into();
    let (s, e) = run(&u);
    let f = at_unit(&e, "weights_total");
    assert_eq!(f.len(), 1, "{:#?}", e.findings);
    assert_eq!(f[0].project, None);
    assert_eq!(f[0].field.as_deref(), Some("indicators"));
    assert_eq!(f[0].computed.as_deref(), Some("105"));
    assert!(f[0].message.starts_with("单位整体："), "{}", f[0].message);
    assert_eq!(s.unit.weight_total.as_deref(), Some("105"));
    // The project's weights are its own: no finding there.
    assert!(e
        .findings
        .iter()
        .all(|f| !(f.code == "weights_total" && f.project_index.is_some())));

    // A row under no 一级指标: located at its row, and the total waits for it.
    let mut u = unit();
    u.indicators[1].level1 = String::new();
    let (s, e) = run(&u);
    let f = at_unit(&e, "missing_level");
    assert!(f
        .iter()
        .any(|f| f.field.as_deref() == Some("indicators.1.level1") && f.row == Some(2)));
    assert_eq!(s.unit.total, None);

    // A figure that cannot be read: at its cell, never counted.
    let mut u = unit();
    u.indicators[0].weight = jixiao::model::Figure::typed("约50");
    let (s, e) = run(&u);
    let f = at_unit(&e, "unreadable_figure");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].field.as_deref(), Some("indicators.0.weight"));
    assert!(f[0].message.starts_with("单位整体 · 产出指标 · 第1行："));
    assert_eq!(s.unit.total, None);

    // A row's explanation is asked for where it lost points.
    let mut u = unit();
    u.indicators[0].reason = String::new();
    let (_, e) = run(&u);
    let f = at_unit(&e, "reason_missing");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].field.as_deref(), Some("indicators.0.reason"));
}

fn cell(form: &Form, row: usize, col: usize) -> String {
    form.cells
        .iter()
        .find(|c| {
            row >= c.row && row < c.row + c.row_span && col >= c.col && col < c.col + c.col_span
        })
        .map(|c| c.text.clone())
        .unwrap_or_default()
}

fn row_of(form: &Form, label: &str) -> Option<usize> {
    form.cells.iter().find(|c| c.text == label).map(|c| c.row)
}

#[test]
fn form_2_shows_the_unit_block_and_its_total() {
    let u = unit();
    let r = jixiao::report(&u, &Rulebook::default());
    let f = r.forms.last().unwrap();
    assert_eq!(f.caption, "附表2");
    let header = row_of(f, "绩效指标").expect("the indicator block");
    assert_eq!(f.header_row, Some(header));
    assert_eq!(cell(f, header, 1), "一级指标");
    assert_eq!(cell(f, header, 8), "偏差原因分析及改进措施");
    assert_eq!(cell(f, header + 1, 3), "监督检查企业数");
    assert_eq!(cell(f, header + 1, 4), "≥200家");
    assert_eq!(cell(f, header + 1, 5), "180家");
    assert_eq!(cell(f, header + 1, 6), "50");
    assert_eq!(cell(f, header + 1, 7), "45.00");
    assert_eq!(cell(f, header + 3, 2), "服务对象满意度指标");
    let total = row_of(f, "总分").expect("a 总分 row");
    assert_eq!(total, header + 4);
    assert_eq!(cell(f, total, 6), "100");
    assert_eq!(cell(f, total, 7), "94.60");
    let grade = row_of(f, "自评等级").expect("a 自评等级 row");
    assert_eq!(cell(f, grade, 1), "优");
    // The funds block's 得分 is the unit form's execution score.
    let funds = row_of(f, "年度资金总额").unwrap();
    assert_eq!(cell(f, funds, 7), "9.60");
    // Computed cells, so that the importer does not take them as typed.
    let computed = r.carry.computed.last().unwrap();
    let listed =
        |row: &str, column: &str| computed.iter().any(|c| c.row == row && c.column == column);
    assert!(listed("总分", "得分"));
    assert!(listed("自评等级", "自评等级"));
    assert!(listed("第1项：监督检查企业数", "得分"));
    // The qualitative score is the user's, typed: not a computed cell.
    assert!(!listed("第2项：安全生产形势", "得分"));
    // The narrative names the unit's score.
    let said = r.narrative.iter().any(
        |b| matches!(b, Block::Paragraph(t) if t.contains("部门整体支出绩效自评得分为94.60分，等级为优。")),
    );
    assert!(said);

    // A unit without its own block: 附表2 as it always was.
    let mut plain = unit();
    plain.indicators.clear();
    let r2 = jixiao::report(&plain, &Rulebook::default());
    let f2 = r2.forms.last().unwrap();
    assert_eq!(row_of(f2, "绩效指标"), None);
    assert_eq!(row_of(f2, "总分"), None);
    assert_eq!(f2.header_row, None);
    assert_eq!(f2.rows + 6, f.rows);
    assert!(!r2
        .narrative
        .iter()
        .any(|b| matches!(b, Block::Paragraph(t) if t.contains("部门整体支出绩效自评得分")),));
}

#[test]
fn the_workbooks_notes_list_the_unit_forms_computed_cells() {
    let u = unit();
    let bytes = io::xlsx_export::write_xlsx(&jixiao::report(&u, &Rulebook::default())).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(&bytes[..])).unwrap();
    let form = book.worksheet_range("部门整体").unwrap();
    let notes = book.worksheet_range("说明").unwrap();
    let text = |d: &Data| match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        other => format!("{other:?}"),
    };
    let lines: Vec<Vec<String>> = notes.rows().map(|r| r.iter().map(text).collect()).collect();
    let total = lines
        .iter()
        .find(|l| l.first().map(String::as_str) == Some("部门整体") && l[2] == "总分")
        .expect("the unit's 总分 is listed as computed");
    assert_eq!(total[3], "得分");
    assert_eq!(total[4], "94.6");
    // The cell named there holds the same figure on the form.
    let pos = &total[1];
    let col = u32::from(pos.as_bytes()[0] - b'A');
    let row: u32 = pos[1..].parse::<u32>().unwrap() - 1;
    assert_eq!(form.get_value((row, col)).map(text), Some("94.6".into()));
    assert!(lines
        .iter()
        .any(|l| l.first().map(String::as_str) == Some("部门整体")
            && l[2] == "第1项：监督检查企业数"));
}
