//! The forms as an .xlsx workbook: real numbers with the forms' formats, one sheet per
//! form, and a workbook the importer reads back to the same data.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};
use jixiao::io::xlsx_export::write_xlsx;
use jixiao::io::{self, xlsx::import_workbook};
use jixiao::model::{Figure, FundRow, Funds, Goal, Narrative, Unit, UnitTyped};
use jixiao::rules::Rulebook;
use jixiao::scoring::{percent2, round2, row_rate};
use jixiao::summary::Summary;
use jixiao::{evaluate, Evaluation};
use rust_decimal::Decimal;

const SEED: &[u8] = include_bytes!("../examples/lanzhou-xinqu-emergency-2022.xlsx");

fn seed_unit() -> Unit {
    io::load(SEED, "seed.xlsx").expect("the seed imports").unit
}

fn export(unit: &Unit) -> Vec<u8> {
    write_xlsx(&jixiao::report(unit, &Rulebook::default())).expect("exports")
}

// ---------------------------------------------------------------------------------
// Reading the workbook with calamine

struct Sheet {
    values: Range<Data>,
    styles: calamine::StyleRange,
    merged: Vec<calamine::Dimensions>,
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<&[u8]>> {
    calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("a valid .xlsx")
}

fn sheet(book: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Sheet {
    Sheet {
        values: book.worksheet_range(name).expect("sheet"),
        styles: book.worksheet_style(name).expect("styles"),
        merged: book.merge_cells_by_sheet_name(name).expect("merged cells"),
    }
}

impl Sheet {
    fn get(&self, pos: (u32, u32)) -> Data {
        self.values.get_value(pos).cloned().unwrap_or(Data::Empty)
    }

    /// Position of the first cell whose text is `label`.
    fn find(&self, label: &str) -> (u32, u32) {
        self.values
            .cells()
            .find(|(_, _, v)| matches!(v, Data::String(s) if s == label))
            .map(|(r, c, _)| {
                let (r0, c0) = self.values.start().unwrap_or((0, 0));
                (r0 + r as u32, c0 + c as u32)
            })
            .unwrap_or_else(|| panic!("no cell “{label}”"))
    }

    /// The number in the row of `row_label` under the column headed `col_label`
    /// (the header row of the funds block, or the label's own column).
    fn number(&self, row: u32, col: u32) -> f64 {
        match self.get((row, col)) {
            Data::Float(f) => f,
            Data::Int(i) => i as f64,
            other => panic!("({row}, {col}) is not a number: {other:?}"),
        }
    }

    fn format(&self, pos: (u32, u32)) -> String {
        self.styles
            .get(pos)
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    }

    fn is_merged(&self, start: (u32, u32), end: (u32, u32)) -> bool {
        self.merged.iter().any(|d| d.start == start && d.end == end)
    }
}

#[test]
fn seed_exports_real_numbers() {
    let unit = seed_unit();
    let report = jixiao::report(&unit, &Rulebook::default());
    let bytes = write_xlsx(&report).expect("exports");
    // For the independent reader (tests/readers/check_xlsx.py).
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(dir.join("自评表.xlsx"), &bytes).expect("written");

    let mut book = open(&bytes);
    let names: Vec<String> = report.forms.iter().map(|f| f.sheet.clone()).collect();
    assert_eq!(book.sheet_names(), names);
    assert_eq!(names.len(), 10);
    assert_eq!(names[0], "1.档案整理专项");
    assert_eq!(names[9], "部门整体");

    let s = sheet(&mut book, "部门整体");
    assert_eq!(s.get((0, 0)), Data::String("附表2".into()));
    assert_eq!(
        s.get((1, 0)),
        Data::String("部门（单位）整体支出绩效自评表".into())
    );
    assert!(s.is_merged((1, 0), (1, 8)), "{:?}", s.merged);
    assert_eq!(s.get((2, 0)), Data::String("（2022年度）".into()));
    assert!(s.is_merged((2, 0), (2, 8)));
    let total = s.find("年度资金总额").0;
    let budget = s.find("全年预算数").1;
    let executed = s.find("全年执行数").1;
    let rate = s.find("执行率").1;
    assert_eq!(s.get((total, budget)), Data::Float(7750.69));
    assert_eq!(s.get((total, executed)), Data::Float(7719.74));
    assert_eq!(s.format((total, budget)), "0.00");
    let r = s.number(total, rate);
    assert!((r - 7719.74 / 7750.69).abs() < 1e-12, "{r}");
    assert!(r.to_string().starts_with("0.996006"), "{r}");
    assert_eq!(s.format((total, rate)), "0.00%");
    // Labels are text, bold; the unit's name is a value.
    let label = s.find("部门（单位）名称");
    assert_eq!(
        s.get((label.0, label.1 + 1)),
        Data::String("兰州新区应急管理局".into())
    );
    let font = s.styles.get(label).and_then(|st| st.font.clone()).unwrap();
    assert!(font.is_bold());
    assert_eq!(font.name.as_deref(), Some("宋体"));

    let s = sheet(&mut book, "2.安全生产监督执法专项经费");
    assert_eq!(s.get((0, 0)), Data::String("附表1-2".into()));
    assert_eq!(s.get((1, 0)), Data::String("项目支出绩效自评表".into()));
    let total = s.find("年度资金总额").0;
    let rate = s.find("执行率").1;
    assert_eq!(s.get((total, rate)), Data::Float(0.9043));
    assert_eq!(s.format((total, rate)), "0.00%");
    let sum = s.find("总分");
    let score = s.find("得分").1;
    // 总分 spans the label columns; its score is under 得分.
    assert!(s.is_merged(sum, (sum.0, sum.1 + 5)));
    assert_eq!(s.get((sum.0, score)), Data::Float(88.51));
    assert_eq!(s.format((sum.0, score)), "0.00");
    // Indicator weights are plain numbers, targets are text as written.
    let header = s.find("三级指标").0;
    let weight = s.find("偏差原因分析及改进措施").1 - 2;
    assert!(matches!(s.get((header + 1, weight)), Data::Float(_)));
    assert_eq!(s.format((header + 1, weight)), "General");
}

// ---------------------------------------------------------------------------------
// Round trip

/// A unit's inputs as the exported forms can carry them (see the module comment of
/// `xlsx_export`): the typed figures are the computed ones, the narrative prose and the
/// deductions are not on the forms, a missing project fund row is an empty one, texts
/// are trimmed.
fn as_exported(unit: &Unit, eval: &Evaluation) -> Unit {
    let scores = &eval.scores;
    let mut u = unit.clone();
    u.name = u.name.trim().to_string();
    u.addressee.clear();
    u.basis.clear();
    u.basis_number.clear();
    u.date.clear();
    u.rules.clear();
    u.narrative = Narrative::default();
    u.typed = UnitTyped::default();
    let trim_goal = |g: &Goal| Goal {
        expected: g.expected.trim().to_string(),
        actual: g.actual.trim().to_string(),
    };
    u.goal = trim_goal(&u.goal);
    for t in &mut u.tasks {
        t.name = t.name.trim().to_string();
        t.content = t.content.trim().to_string();
        t.completion = t.completion.trim().to_string();
    }
    u.tasks
        .retain(|t| !(t.name.is_empty() && t.content.is_empty() && t.completion.is_empty()));
    // A figure read back from a cell holds the number, as the cell does (99.6, not 99.60).
    let n = |x: Option<Decimal>| -> Figure { x.map(|d| d.normalize()).into() };
    let typed = |row: &mut FundRow, score: Option<Option<Decimal>>| {
        row.typed_rate = n(row_rate(row).map(percent2));
        row.typed_score = n(score.flatten());
    };
    let mut funds = u.funds.take().unwrap_or_else(|| Funds {
        total: FundRow {
            budget: scores.unit.budget.into(),
            executed: scores.unit.executed.into(),
            ..FundRow::default()
        },
        ..Funds::default()
    });
    typed(
        &mut funds.total,
        Some(scores.unit.execution_score.map(round2)),
    );
    for row in [
        &mut funds.fiscal,
        &mut funds.carryover,
        &mut funds.other,
        &mut funds.basic,
        &mut funds.project,
    ]
    .into_iter()
    .flatten()
    {
        typed(row, None);
    }
    u.funds = Some(funds);
    for (p, s) in u.projects.iter_mut().zip(&scores.projects) {
        p.name = p.name.trim().to_string();
        p.department = p.department.trim().to_string();
        p.implementer = p.implementer.trim().to_string();
        p.goal = trim_goal(&p.goal);
        p.deviation.clear();
        p.execution_weight = n(Some(s.execution_weight));
        typed(&mut p.funds.total, Some(s.execution_score.map(round2)));
        for row in [
            &mut p.funds.fiscal,
            &mut p.funds.carryover,
            &mut p.funds.other,
        ] {
            let mut r = row.take().unwrap_or_default();
            typed(&mut r, None);
            *row = Some(r);
        }
        p.typed.total = n(s.total.map(round2));
        p.typed.grade = s.grade.clone();
        for (ind, is) in p.indicators.iter_mut().zip(&s.indicators) {
            for text in [
                &mut ind.level1,
                &mut ind.level2,
                &mut ind.name,
                &mut ind.target,
                &mut ind.actual,
                &mut ind.reason,
            ] {
                *text = text.trim().to_string();
            }
            ind.unit.clear();
            ind.typed_score = n(is.score);
            ind.deduction = Figure::BLANK;
            ind.deduction_reason.clear();
        }
    }
    u
}

fn round_trip(unit: &Unit) -> io::Imported {
    import_workbook(&export(unit)).expect("the export imports")
}

/// The summary without the findings and the indicators' explanations: the audit of
/// typed figures differs by design (the exported typed figures are the computed ones),
/// and a qualitative score shown at its default is, read back, a confirmed score.
fn figures(unit: &Unit) -> serde_json::Value {
    let rules = Rulebook::default();
    let eval = evaluate(unit, &rules);
    let s = Summary::new(&eval, &rules, &[]);
    let mut v = serde_json::json!({ "unit": s.unit, "projects": s.projects });
    for p in v["projects"].as_array_mut().into_iter().flatten() {
        for i in p["indicators"].as_array_mut().into_iter().flatten() {
            i["basis"] = serde_json::Value::Null;
        }
    }
    v
}

#[test]
fn seed_round_trips() {
    let unit = seed_unit();
    let eval = evaluate(&unit, &Rulebook::default());
    let back = round_trip(&unit);
    assert!(back.findings.is_empty(), "{:#?}", back.findings);
    let expected = as_exported(&unit, &eval);
    // Field by field first, for a readable failure.
    assert_eq!(back.unit.name, expected.name);
    assert_eq!(back.unit.year, Some(2022));
    assert_eq!(back.unit.tasks, expected.tasks);
    assert_eq!(back.unit.goal, expected.goal);
    assert_eq!(back.unit.funds, expected.funds);
    assert_eq!(back.unit.projects.len(), 9);
    for (got, want) in back.unit.projects.iter().zip(&expected.projects) {
        assert_eq!(got.name, want.name);
        assert_eq!(got.department, want.department);
        assert_eq!(got.implementer, want.implementer);
        assert_eq!(got.funds, want.funds, "{}", want.name);
        assert_eq!(got.execution_weight, want.execution_weight);
        assert_eq!(got.goal, want.goal);
        assert_eq!(got.indicators.len(), want.indicators.len(), "{}", want.name);
        for (g, w) in got.indicators.iter().zip(&want.indicators) {
            assert_eq!(g, w, "{}", want.name);
        }
        assert_eq!(got.typed, want.typed);
    }
    assert_eq!(back.unit, expected);
    // The same scores, totals and grades.
    assert_eq!(figures(&back.unit), figures(&unit));
    let s = figures(&back.unit);
    assert_eq!(s["unit"]["rate_percent"], "99.60");
    assert_eq!(s["projects"][1]["total"], "88.51");
    assert_eq!(s["projects"][1]["grade"], "良");
}

#[test]
fn not_applicable_is_read_back() {
    let mut unit = seed_unit();
    unit.projects[0].indicators[1].not_applicable = true;
    let back = round_trip(&unit);
    let ind = &back.unit.projects[0].indicators[1];
    assert!(ind.not_applicable);
    assert_eq!(ind.typed_score.value(), None);
    assert_eq!(figures(&back.unit), figures(&unit));
}

#[test]
fn empty_goals_stay_empty() {
    let mut unit = seed_unit();
    unit.goal.expected.clear();
    unit.projects[0].goal = Goal::default();
    unit.projects[1].goal.actual.clear();
    let back = round_trip(&unit);
    assert_eq!(back.unit.goal.expected, "");
    assert_eq!(back.unit.projects[0].goal, Goal::default());
    assert_eq!(back.unit.projects[1].goal.actual, "");
    assert_eq!(
        back.unit.projects[1].goal.expected,
        unit.projects[1].goal.expected
    );
}

// ---------------------------------------------------------------------------------
// Generated units

mod generated {
    use super::*;
    use jixiao::glossary;
    use jixiao::model::{Indicator, Project, Task};
    use proptest::prelude::*;

    /// Names: Chinese, ASCII and the characters XML escapes. (No 年度, which would
    /// read as a year, and no label of the forms.)
    const NAME: &str = "[兰州新区应急管理局安全生产监督执法专经费档案整理气象灾害预警试点 <>&\"'a-zA-Z0-9（）]{1,24}";

    fn name() -> impl Strategy<Value = String> {
        NAME.prop_filter("not blank", |s| !s.trim().is_empty())
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            name(),
            (name(), name()).prop_map(|(a, b)| format!("{a}\n{b}")),
        ]
    }

    /// Up to 5 decimals, below 10⁹ 万元 (so that the unit's roll-up of four projects
    /// keeps within the 15 significant digits a spreadsheet number holds).
    fn amount() -> impl Strategy<Value = Decimal> {
        (0u32..=5).prop_flat_map(|scale| {
            (-(10i64.pow(scale + 1))..10i64.pow(scale + 9))
                .prop_map(move |m| Decimal::new(m, scale))
        })
    }

    fn row() -> impl Strategy<Value = FundRow> {
        (
            proptest::option::weighted(0.8, amount()),
            proptest::option::weighted(0.9, amount()),
            proptest::option::weighted(0.9, amount()),
            proptest::option::of(amount()),
        )
            .prop_map(|(initial, budget, executed, typed)| FundRow {
                initial: initial.into(),
                budget: budget.into(),
                executed: executed.into(),
                typed_rate: typed.into(),
                typed_score: None.into(),
            })
    }

    fn funds(unit_form: bool) -> impl Strategy<Value = Funds> {
        let split = move || {
            if unit_form {
                proptest::option::of(row()).boxed()
            } else {
                Just(None).boxed()
            }
        };
        (
            row(),
            proptest::option::of(row()),
            proptest::option::of(row()),
            proptest::option::of(row()),
            split(),
            split(),
        )
            .prop_map(|(total, fiscal, carryover, other, basic, project)| Funds {
                total,
                fiscal,
                carryover,
                other,
                basic,
                project,
            })
    }

    /// 年度指标值 / 实际完成值 pairs, and the qualitative band of the actual if any.
    const VALUES: &[(&str, &str, Option<usize>)] = &[
        ("≥50个", "52个", None),
        ("≥95%", "90%", None),
        ("100%", "100%", None),
        ("≤30天", "25天", None),
        ("=1项", "1项", None),
        ("≤100万元", "120万元", None),
        ("效果显著", "达成年度指标", Some(0)),
        ("有效提升", "部分达成年度指标并具有一定效果", Some(1)),
        ("持续改善", "未达成年度指标且效果较差", Some(2)),
        ("≥90%", "", None),
        ("", "5个", None),
    ];

    /// Typed scores inside each band, as a share of the weight.
    const SHARES: [&[&str]; 3] = [&["1", "0.9", "0.85"], &["0.7", "0.65"], &["0.5", "0.3"]];

    fn indicator() -> impl Strategy<Value = Indicator> {
        (
            0..glossary::LEVEL2.len(),
            0usize..8,
            name(),
            0..VALUES.len(),
            proptest::option::weighted(
                0.9,
                prop_oneof![Just("5"), Just("10"), Just("15"), Just("20"), Just("2.5")],
            ),
            proptest::option::of(0usize..3),
            prop::bool::weighted(0.1),
            text(),
        )
            .prop_map(|(l1, l2, name, v, weight, share, na, reason)| {
                let (level1, level2s) = glossary::LEVEL2[l1];
                let (target, actual, band) = VALUES[v];
                let weight: Option<Decimal> = weight.and_then(|w| w.parse().ok());
                // A qualitative score inside its band; any typed figure otherwise.
                let typed_score = match (band, weight, share) {
                    (Some(b), Some(w), Some(k)) => {
                        let shares = SHARES[b];
                        let f: Decimal = shares[k % shares.len()].parse().unwrap();
                        Some(round2(w * f))
                    }
                    (None, _, Some(k)) => Some(Decimal::from(k as i64 * 3)),
                    _ => None,
                };
                Indicator {
                    level1: level1.into(),
                    level2: level2s[l2 % level2s.len()].into(),
                    name,
                    target: target.into(),
                    actual: actual.into(),
                    weight: weight.into(),
                    typed_score: typed_score.into(),
                    reason,
                    not_applicable: na,
                    ..Indicator::default()
                }
            })
    }

    fn project() -> impl Strategy<Value = Project> {
        (
            name(),
            prop_oneof![Just(String::new()), name()],
            prop_oneof![Just(String::new()), name()],
            funds(false),
            proptest::option::of(prop_oneof![Just(10i64), Just(20), Just(5)]),
            (text(), text()),
            proptest::collection::vec(indicator(), 1..=6),
            text(),
        )
            .prop_map(
                |(name, department, implementer, funds, weight, goal, indicators, deviation)| {
                    Project {
                        name,
                        department,
                        implementer,
                        funds,
                        execution_weight: weight.map(Decimal::from).into(),
                        goal: Goal {
                            expected: goal.0,
                            actual: goal.1,
                        },
                        indicators,
                        deviation,
                        ..Project::default()
                    }
                },
            )
    }

    fn task() -> impl Strategy<Value = Task> {
        (name(), text(), text()).prop_map(|(name, content, completion)| Task {
            name,
            content,
            completion,
        })
    }

    fn unit() -> impl Strategy<Value = Unit> {
        (
            name(),
            proptest::option::weighted(0.8, 2015i32..2031),
            proptest::option::weighted(0.7, funds(true)),
            proptest::collection::vec(task(), 0..=3),
            (text(), text()),
            proptest::collection::vec(project(), 0..=4),
            text(),
        )
            .prop_map(|(name, year, funds, tasks, goal, projects, prose)| Unit {
                schema_version: jixiao::model::SCHEMA_VERSION,
                name,
                year,
                addressee: prose.clone(),
                narrative: Narrative {
                    work_done: prose,
                    ..Narrative::default()
                },
                funds,
                tasks,
                goal: Goal {
                    expected: goal.0,
                    actual: goal.1,
                },
                projects,
                ..Unit::default()
            })
    }

    /// What scoring makes of a unit, to compare (numbers compared as numbers).
    fn scores(unit: &Unit) -> Vec<String> {
        let eval = evaluate(unit, &Rulebook::default());
        let n = |d: Option<Decimal>| d.map(|d| d.normalize().to_string());
        let u = &eval.scores.unit;
        let mut out = vec![format!(
            "{:?} {:?} {:?}",
            n(u.budget),
            n(u.executed),
            n(u.rate)
        )];
        for p in &eval.scores.projects {
            out.push(format!(
                "{} {:?} {:?} {:?} {:?}",
                p.name.trim(),
                n(p.execution_score),
                n(p.total),
                p.grade,
                p.indicators
                    .iter()
                    .map(|i| (i.method, n(i.score)))
                    .collect::<Vec<_>>()
            ));
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn export_then_import_gives_the_same_inputs(unit in unit()) {
            let eval = evaluate(&unit, &Rulebook::default());
            let back = round_trip(&unit);
            prop_assert!(back.findings.is_empty(), "{:#?}", back.findings);
            prop_assert_eq!(&back.unit, &as_exported(&unit, &eval));
            prop_assert_eq!(scores(&back.unit), scores(&unit));
        }
    }
}
