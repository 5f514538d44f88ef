//! The forms as an .xlsx workbook: real numbers with the forms' formats, one sheet per
//! form, and a workbook the importer reads back to the same data.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};
use jixiao::io::xlsx_export::write_xlsx;
use jixiao::io::{self, xlsx::import_workbook};
use jixiao::model::{Figure, FundRow, Goal, Narrative, ProjectTyped, Unit, UnitTyped};
use jixiao::rules::Rulebook;
use jixiao::scoring::{round2, Method};
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
    let mut names: Vec<String> = report.forms.iter().map(|f| f.sheet.clone()).collect();
    names.push("说明".into());
    assert_eq!(book.sheet_names(), names);
    assert_eq!(names.len(), 11);
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

    // The 说明 sheet marks the export and lists each computed cell with its value.
    let notes = sheet(&mut book, "说明");
    let mark = notes.find("导出程序");
    assert_eq!(
        notes.get((mark.0, mark.1 + 1)),
        Data::String("绩效自评（自评表导出格式 1）".into())
    );
    let header = notes.find("导出值");
    let rows: Vec<Vec<Data>> = (header.0 + 1..)
        .map(|r| (0..5).map(|c| notes.get((r, c))).collect::<Vec<_>>())
        .take_while(|row| row[0] != Data::Empty)
        .collect();
    let of = |sheet: &str, row: &str, col: &str| {
        rows.iter()
            .find(|r| {
                r[0] == Data::String(sheet.into())
                    && r[2] == Data::String(row.into())
                    && r[3] == Data::String(col.into())
            })
            .unwrap_or_else(|| panic!("no {sheet} {row} {col}"))
            .clone()
    };
    let p2 = "2.安全生产监督执法专项经费";
    let total = of(p2, "总分", "得分");
    assert_eq!(total[4], Data::Float(88.51));
    let at = s.find("总分").0;
    assert_eq!(
        total[1],
        Data::String(format!("{}{}", char::from(b'A' + score as u8), at + 1))
    );
    assert_eq!(of(p2, "年度资金总额", "执行率")[4], Data::Float(0.9043));
    assert_eq!(of(p2, "自评等级", "自评等级")[4], Data::String("良".into()));
    assert_eq!(
        of("部门整体", "年度资金总额", "执行率")[4],
        s_unit_rate(&bytes)
    );
    // Every listed cell holds the listed value.
    for row in &rows {
        let (Data::String(sheet_name), Data::String(cell)) = (&row[0], &row[1]) else {
            panic!("{row:?}");
        };
        let form = sheet(&mut book, sheet_name);
        let col = u32::from(cell.as_bytes()[0] - b'A');
        let r: u32 = cell[1..].parse().unwrap();
        assert_eq!(form.get((r - 1, col)), row[4], "{sheet_name} {cell}");
    }
}

fn s_unit_rate(bytes: &[u8]) -> Data {
    let mut book = open(bytes);
    let s = sheet(&mut book, "部门整体");
    s.get((s.find("年度资金总额").0, s.find("执行率").1))
}

// ---------------------------------------------------------------------------------
// Round trip

/// A unit's inputs as the export carries them back (see the module comment of
/// `xlsx_export`): every input and every text field returns, trimmed; the typed derived
/// figures of an export are the computed ones, so they come back blank — all but a score
/// the user chose (a qualitative one); a missing project fund row is an empty one; the
/// document's identity is not carried (an opened workbook is a new document).
fn as_exported(unit: &Unit, eval: &Evaluation) -> Unit {
    let scores = &eval.scores;
    let mut u = unit.clone();
    u.document_id.clear();
    for text in [
        &mut u.name,
        &mut u.addressee,
        &mut u.basis,
        &mut u.basis_number,
        &mut u.date,
        &mut u.rules,
        &mut u.narrative.work_done,
        &mut u.narrative.goals_summary,
        &mut u.narrative.deviation,
        &mut u.narrative.next_steps,
    ] {
        *text = text.trim().to_string();
    }
    u.typed = UnitTyped::default();
    // The export is in the central 2020 layout, and read back by that profile.
    u.profile = "central-2020".to_string();
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
    let untyped = |row: &mut FundRow| {
        row.typed_rate = Figure::BLANK;
        row.typed_score = Figure::BLANK;
    };
    if let Some(funds) = &mut u.funds {
        untyped(&mut funds.total);
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
            untyped(row);
        }
    }
    for (p, s) in u.projects.iter_mut().zip(&scores.projects) {
        p.name = p.name.trim().to_string();
        p.department = p.department.trim().to_string();
        p.implementer = p.implementer.trim().to_string();
        p.goal = trim_goal(&p.goal);
        p.deviation = p.deviation.trim().to_string();
        untyped(&mut p.funds.total);
        for row in [
            &mut p.funds.fiscal,
            &mut p.funds.carryover,
            &mut p.funds.other,
        ] {
            let mut r = row.take().unwrap_or_default();
            untyped(&mut r);
            *row = Some(r);
        }
        p.typed = ProjectTyped::default();
        for (ind, is) in p.indicators.iter_mut().zip(&s.indicators) {
            for text in [
                &mut ind.level1,
                &mut ind.level2,
                &mut ind.name,
                &mut ind.target,
                &mut ind.actual,
                &mut ind.reason,
                &mut ind.unit,
                &mut ind.deduction_reason,
            ] {
                *text = text.trim().to_string();
            }
            if computed_score(is.method) {
                ind.typed_score = Figure::BLANK;
            }
        }
    }
    u
}

/// A score the program computes from the target and the actual.
fn computed_score(method: Method) -> bool {
    matches!(
        method,
        Method::Positive | Method::Equal | Method::Reverse | Method::Range | Method::Deadline
    )
}

fn round_trip(unit: &Unit) -> io::Imported {
    import_workbook(&export(unit)).expect("the export imports")
}

/// The summary without the findings: the same scores, totals and grades.
fn figures(unit: &Unit) -> serde_json::Value {
    let rules = Rulebook::default();
    let eval = evaluate(unit, &rules);
    let s = Summary::new(&eval, &rules, &[]);
    serde_json::json!({ "unit": s.unit, "projects": s.projects })
}

/// The typed_mismatch findings of a unit, by where they are.
fn mismatches(unit: &Unit) -> Vec<(Option<usize>, Option<usize>, Option<String>)> {
    evaluate(unit, &Rulebook::default())
        .findings
        .into_iter()
        .filter(|f| f.code == "typed_mismatch")
        .map(|f| (f.project_index, f.row, f.field))
        .collect()
}

/// The seed with every text field of the model filled in (the workbook itself has only
/// the forms' fields), and a deduction, a 度量单位 and an empty 二级指标.
fn seed_with_every_field() -> Unit {
    let mut unit = seed_unit();
    unit.addressee = "兰州新区财政局".into();
    unit.basis = "关于开展2022年度预算绩效自评工作的通知".into();
    unit.basis_number = "新财发〔2023〕12号".into();
    unit.date = "2023年3月17日".into();
    unit.rules = "tiered".into();
    unit.narrative = Narrative {
        work_done: "成立自评工作小组。\n逐项核对资金和指标。".into(),
        goals_summary: "全年目标基本完成。".into(),
        deviation: "个别项目执行进度偏慢。".into(),
        next_steps: "加强预算执行监控。".into(),
    };
    for (i, p) in unit.projects.iter_mut().enumerate() {
        p.deviation = format!("项目{}：资金拨付晚于计划，下一步提前谋划。", i + 1);
    }
    let ind = &mut unit.projects[1].indicators[0];
    ind.unit = "次".into();
    ind.deduction = Figure::typed("0.5");
    ind.deduction_reason = "超额完成，适度调减".into();
    unit.projects[2].indicators[1].level2.clear();
    // A qualitative row in the user's own words, its band chosen in the row.
    let own = &mut unit.projects[3].indicators[0];
    own.actual = "有所提升".into();
    own.band = "部分达成".into();
    unit
}

/// Every text field of a unit, named, for a readable comparison.
fn texts(u: &Unit) -> Vec<(String, String)> {
    let mut out = vec![
        ("name".into(), u.name.clone()),
        ("addressee".into(), u.addressee.clone()),
        ("basis".into(), u.basis.clone()),
        ("basisNumber".into(), u.basis_number.clone()),
        ("date".into(), u.date.clone()),
        ("rules".into(), u.rules.clone()),
        ("narrative.workDone".into(), u.narrative.work_done.clone()),
        (
            "narrative.goalsSummary".into(),
            u.narrative.goals_summary.clone(),
        ),
        ("narrative.deviation".into(), u.narrative.deviation.clone()),
        ("narrative.nextSteps".into(), u.narrative.next_steps.clone()),
        ("goal.expected".into(), u.goal.expected.clone()),
        ("goal.actual".into(), u.goal.actual.clone()),
    ];
    for (i, t) in u.tasks.iter().enumerate() {
        out.push((format!("tasks.{i}.name"), t.name.clone()));
        out.push((format!("tasks.{i}.content"), t.content.clone()));
        out.push((format!("tasks.{i}.completion"), t.completion.clone()));
    }
    for (i, p) in u.projects.iter().enumerate() {
        let at = |f: &str| format!("projects.{i}.{f}");
        for (f, v) in [
            ("name", &p.name),
            ("department", &p.department),
            ("implementer", &p.implementer),
            ("goal.expected", &p.goal.expected),
            ("goal.actual", &p.goal.actual),
            ("deviation", &p.deviation),
        ] {
            out.push((at(f), v.clone()));
        }
        for (k, ind) in p.indicators.iter().enumerate() {
            for (f, v) in [
                ("level1", &ind.level1),
                ("level2", &ind.level2),
                ("name", &ind.name),
                ("target", &ind.target),
                ("actual", &ind.actual),
                ("unit", &ind.unit),
                ("reason", &ind.reason),
                ("deductionReason", &ind.deduction_reason),
                ("band", &ind.band),
            ] {
                out.push((at(&format!("indicators.{k}.{f}")), v.clone()));
            }
            out.push((
                at(&format!("indicators.{k}.deduction")),
                ind.deduction.text().to_string(),
            ));
            out.push((
                at(&format!("indicators.{k}.notApplicable")),
                ind.not_applicable.to_string(),
            ));
        }
    }
    out
}

#[test]
fn seed_round_trips() {
    let unit = seed_with_every_field();
    let eval = evaluate(&unit, &Rulebook::default());
    let back = round_trip(&unit);
    assert!(back.findings.is_empty(), "{:#?}", back.findings);
    // Every text field returns as it was.
    let (got, want) = (texts(&back.unit), texts(&unit));
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
    assert_eq!(back.unit.addressee, "兰州新区财政局");
    assert_eq!(
        back.unit.narrative.work_done,
        "成立自评工作小组。\n逐项核对资金和指标。"
    );
    assert_eq!(back.unit.projects[1].indicators[0].deduction.text(), "0.5");
    assert_eq!(back.unit.projects[2].indicators[1].level2, "");
    let expected = as_exported(&unit, &eval);
    // Field by field first, for a readable failure.
    assert_eq!(back.unit.name, expected.name);
    assert_eq!(back.unit.year, Some(2022).into());
    assert_eq!(back.unit.tasks, expected.tasks);
    assert_eq!(back.unit.goal, expected.goal);
    assert_eq!(back.unit.funds, expected.funds);
    assert_eq!(back.unit.projects.len(), 9);
    for (got, want) in back.unit.projects.iter().zip(&expected.projects) {
        assert_eq!(got.name, want.name);
        assert_eq!(got.funds, want.funds, "{}", want.name);
        assert_eq!(got.execution_weight, want.execution_weight);
        assert_eq!(got.indicators.len(), want.indicators.len(), "{}", want.name);
        for (g, w) in got.indicators.iter().zip(&want.indicators) {
            assert_eq!(g, w, "{}", want.name);
        }
        assert_eq!(got, want);
    }
    assert_eq!(back.unit, expected);
    // The same scores, totals and grades.
    assert_eq!(figures(&back.unit), figures(&unit));
    let s = figures(&back.unit);
    assert_eq!(s["unit"]["rate_percent"], "99.60");
    assert_eq!(s["projects"][1]["total"], "88.01");
    assert_eq!(s["projects"][1]["grade"], "良");
}

#[test]
fn computed_figures_are_not_read_as_typed() {
    let unit = seed_unit();
    // The seed's own figures were typed by hand, and some disagree.
    let before = mismatches(&unit);
    assert!(!before.is_empty());
    let back = round_trip(&unit).unit;
    assert_eq!(mismatches(&back), vec![]);
    for p in &back.projects {
        assert_eq!(p.typed, ProjectTyped::default(), "{}", p.name);
        assert!(p.funds.total.typed_rate.is_blank(), "{}", p.name);
        assert!(p.funds.total.typed_score.is_blank(), "{}", p.name);
    }
    let typed: Vec<_> = back.projects[0]
        .indicators
        .iter()
        .map(|i| i.typed_score.text().to_string())
        .collect();
    let rules = Rulebook::default();
    let eval = evaluate(&unit, &rules);
    // Only the qualitative rows keep a score: the one the user chose.
    for ((ind, s), t) in unit.projects[0]
        .indicators
        .iter()
        .zip(&eval.scores.projects[0].indicators)
        .zip(&typed)
    {
        if computed_score(s.method) {
            assert_eq!(t, "", "{}", ind.name);
        } else {
            assert_eq!(Figure::typed(t), ind.typed_score, "{}", ind.name);
        }
    }
    assert!(
        unit.projects
            .iter()
            .zip(&eval.scores.projects)
            .flat_map(|(p, s)| p.indicators.iter().zip(&s.indicators))
            .any(|(i, s)| s.method == Method::Qualitative && i.typed_score.value().is_some()),
        "the seed has a chosen qualitative score"
    );
}

#[test]
fn an_edited_unit_audits_only_what_was_typed() {
    // Edited on the page after the seed was opened: its hand-typed 执行率, 得分 and 总分
    // now disagree with the inputs.
    let mut unit = seed_unit();
    unit.projects[1].funds.total.executed = Figure::typed("30");
    unit.projects[3].indicators[0].actual = "1个".into();
    let before = mismatches(&unit);
    assert!(before.len() > mismatches(&seed_unit()).len(), "{before:?}");
    let back = round_trip(&unit).unit;
    let after = mismatches(&back);
    assert!(after.iter().all(|m| before.contains(m)), "{after:?}");
    assert_eq!(after, vec![]);
    assert_eq!(figures(&back), figures(&unit));
}

/// Sets a number cell of a sheet of an .xlsx to `value`, as a user editing it in Excel.
fn edit_number(xlsx: &[u8], sheet: usize, cell: &str, value: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).expect("a zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let target = format!("xl/worksheets/sheet{}.xml", sheet + 1);
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("an entry");
        let name = file.name().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("read");
        if name == target {
            let xml = String::from_utf8(data).expect("utf-8");
            let at = xml
                .find(&format!("<c r=\"{cell}\""))
                .unwrap_or_else(|| panic!("no cell {cell}"));
            let v0 = at + xml[at..].find("<v>").expect("a value") + 3;
            let v1 = v0 + xml[v0..].find("</v>").expect("a value");
            data = format!("{}{value}{}", &xml[..v0], &xml[v1..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// Where a label's value cell is on an exported sheet, as an “F6” reference.
fn cell_of(bytes: &[u8], sheet: &str, row_label: &str, col_label: &str) -> String {
    let mut book = open(bytes);
    let s = self::sheet(&mut book, sheet);
    let row = s.find(row_label).0;
    let col = s.find(col_label).1;
    format!("{}{}", char::from(b'A' + col as u8), row + 1)
}

#[test]
fn a_cell_edited_in_excel_is_what_the_file_holds() {
    let unit = seed_unit();
    let bytes = export(&unit);
    let sheet = "2.安全生产监督执法专项经费";
    // An input changed: the computed cells keep their old figures and are still
    // computed (no mismatch); the new amount counts.
    let executed = cell_of(&bytes, sheet, "年度资金总额", "全年执行数");
    let edited = edit_number(&bytes, 1, &executed, "40");
    let back = import_workbook(&edited).expect("imports").unit;
    assert_eq!(back.projects[1].funds.total.executed, Figure::typed("40"));
    assert_eq!(mismatches(&back), vec![]);
    // A computed cell overwritten: the user's figure, audited.
    let mut book = open(&bytes);
    let s = self::sheet(&mut book, sheet);
    let total = s.find("总分").0;
    let score = s.find("得分").1;
    let total = format!("{}{}", char::from(b'A' + score as u8), total + 1);
    let edited = edit_number(&edited, 1, &total, "95");
    let back = import_workbook(&edited).expect("imports").unit;
    assert_eq!(back.projects[1].typed.total, Figure::typed("95"));
    let found = mismatches(&back);
    assert_eq!(found, vec![(Some(1), None, Some("typed.total".into()))]);
}

#[test]
fn a_plain_workbook_keeps_its_typed_figures() {
    // The same forms without the 说明 sheet: every figure on them was typed.
    let unit = seed_unit();
    let bytes = export(&unit);
    let mut report = jixiao::report(&unit, &Rulebook::default());
    report.carry = Default::default();
    let plain = write_xlsx(&report).expect("exports");
    let back = import_workbook(&plain).expect("imports").unit;
    assert_eq!(back.projects[1].typed.total, Figure::typed("88.51"));
    assert!(!back.projects[1].funds.total.typed_rate.is_blank());
    let marked = import_workbook(&bytes).expect("imports").unit;
    assert!(marked.projects[1].typed.total.is_blank());
}

#[test]
fn a_unit_without_funds_of_its_own_stays_so() {
    let mut unit = seed_unit();
    unit.funds = None;
    let back = round_trip(&unit).unit;
    assert_eq!(back.funds, None);
    assert_eq!(figures(&back), figures(&unit));
    // No project has a budget: the sum is blank, and still the projects' sum.
    let mut unit = seed_unit();
    unit.funds = None;
    for p in &mut unit.projects {
        p.funds.total.budget = Figure::BLANK;
    }
    assert_eq!(round_trip(&unit).unit.funds, None);
}

#[test]
fn not_applicable_is_read_back() {
    let mut unit = seed_unit();
    unit.projects[0].indicators[1].not_applicable = true;
    let back = round_trip(&unit);
    let ind = &back.unit.projects[0].indicators[1];
    assert!(ind.not_applicable);
    // The score typed on the row before it was excluded stays in the data.
    assert_eq!(ind.typed_score, unit.projects[0].indicators[1].typed_score);
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
    use jixiao::model::{Funds, Indicator, Project, Task};
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
            (
                prop_oneof![Just(""), Just("个"), Just("%"), Just("万元")],
                prop_oneof![4 => Just(""), 1 => Just("0.5"), 1 => Just("2"), 1 => Just("约1")],
                text(),
                prop_oneof![8 => Just(""), 1 => Just("约9"), 1 => Just("8.555")],
                prop::bool::weighted(0.1),
            ),
        )
            .prop_map(|(l1, l2, name, v, weight, share, na, reason, more)| {
                let (unit, deduction, deduction_reason, odd_score, no_level2) = more;
                let (level1, level2s) = glossary::LEVEL2[l1];
                let (target, actual, band) = VALUES[v];
                let weight: Option<Decimal> = weight.and_then(|w| w.parse().ok());
                // A qualitative score inside its band; any typed figure otherwise.
                let typed_score: Figure = match (band, weight, share) {
                    _ if !odd_score.is_empty() => Figure::typed(odd_score),
                    (Some(b), Some(w), Some(k)) => {
                        let shares = SHARES[b];
                        let f: Decimal = shares[k % shares.len()].parse().unwrap();
                        round2(w * f).into()
                    }
                    (None, _, Some(k)) => Decimal::from(k as i64 * 3).into(),
                    _ => Figure::BLANK,
                };
                Indicator {
                    level1: level1.into(),
                    level2: if no_level2 {
                        String::new()
                    } else {
                        level2s[l2 % level2s.len()].into()
                    },
                    name,
                    target: target.into(),
                    actual: actual.into(),
                    unit: unit.into(),
                    weight: weight.into(),
                    typed_score,
                    reason,
                    not_applicable: na,
                    deduction: Figure::typed(deduction),
                    deduction_reason,
                    band: String::new(),
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
            (text(), text(), text(), text(), text()),
            (name(), name(), prop_oneof![Just(""), Just("tiered")]),
        )
            .prop_map(
                |(name, year, funds, tasks, goal, projects, prose, heads)| Unit {
                    schema_version: jixiao::model::SCHEMA_VERSION,
                    name,
                    year: year.into(),
                    addressee: prose.0,
                    basis: heads.0,
                    basis_number: heads.1,
                    date: prose.1,
                    rules: heads.2.into(),
                    narrative: Narrative {
                        work_done: prose.2,
                        goals_summary: prose.3,
                        deviation: prose.4,
                        next_steps: String::new(),
                    },
                    funds,
                    tasks,
                    goal: Goal {
                        expected: goal.0,
                        actual: goal.1,
                    },
                    projects,
                    ..Unit::default()
                },
            )
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
            prop_assert_eq!(texts(&back.unit), texts(&as_exported(&unit, &eval)));
            prop_assert_eq!(scores(&back.unit), scores(&unit));
            // The audit of the export is the audit of what the user typed: no
            // mismatch that the unit did not have.
            let before = mismatches(&unit);
            prop_assert!(mismatches(&back.unit).iter().all(|m| before.contains(m)));
        }
    }
}

/// The text of a part of the workbook.
fn part(xlsx: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).expect("a zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("no {name}"))
        .read_to_string(&mut text)
        .expect("utf-8");
    text
}

/// The value of `attribute` in the first element that starts with `tag`.
fn attribute(xml: &str, tag: &str, attribute: &str) -> Option<f64> {
    let at = xml.find(tag)?;
    let element = &xml[at..at + xml[at..].find('>')?];
    let key = format!(" {attribute}=\"");
    let value = &element[element.find(&key)? + key.len()..];
    value[..value.find('"')?].parse().ok()
}

/// A 主要内容 of 200 characters wraps in its merged cell (columns D–F): its row is as
/// tall as the wrapped lines, a short one's stays low.
#[test]
fn a_long_main_content_gets_a_taller_row() {
    let mut unit = seed_unit();
    let long = "深入开展安全生产指导协调、监督检查、巡查考核工作。".repeat(8);
    assert_eq!(long.chars().count(), 200);
    unit.tasks[0].content = long.clone();
    unit.tasks[2].content = "监管".into();
    let bytes = export(&unit);
    let mut book = open(&bytes);
    let s = sheet(&mut book, "部门整体");
    let (row, col) = s.find(&long);
    let short = s.find("监管").0;
    assert!(s.is_merged((row, col), (row, col + 2)), "{:?}", s.merged);
    let xml = part(&bytes, "xl/worksheets/sheet10.xml");
    let height = |r: u32| attribute(&xml, &format!("<row r=\"{}\"", r + 1), "ht").unwrap();
    // The merged columns' widths, in Excel's characters (a Chinese character is two).
    let width: f64 = (col + 1..=col + 3)
        .map(|c| {
            let at = xml
                .match_indices("<col ")
                .map(|(at, _)| &xml[at..])
                .find(|e| {
                    let (min, max) = (attribute(e, "<col", "min"), attribute(e, "<col", "max"));
                    min.unwrap() <= f64::from(c) && f64::from(c) <= max.unwrap()
                })
                .expect("a column width");
            attribute(at, "<col", "width").unwrap()
        })
        .sum();
    assert!(width > 30.0 && width < 40.0, "{width}");
    let lines = (400.0 / (width - 2.0)).ceil();
    assert!(
        height(row) >= lines * 13.5,
        "{} pt for {lines} lines",
        height(row)
    );
    assert!(height(row) <= 409.0);
    assert!(height(short) < 40.0, "{}", height(short));
    assert!(height(row) > 3.0 * height(short));
}

/// A text of many short lines takes a full line each: 15 of them in 主要内容 and 12 in
/// 实际完成情况 (where the line count, not the width, sets the height). At 13.5 points
/// a line, LibreOffice (Noto Sans CJK for 宋体, 14.5 points a line in its PDF) cut the
/// last line of both.
#[test]
fn many_short_lines_get_a_full_line_each() {
    let mut unit = seed_unit();
    let content: Vec<String> = (1..=15).map(|i| format!("{i}.开展安全生产检查")).collect();
    let actual: Vec<String> = (1..=12)
        .map(|i| format!("（{i}）完成风险普查任务"))
        .collect();
    unit.tasks[2].content = content.join("\n");
    unit.goal.actual = actual.join("\n");
    let bytes = export(&unit);
    let mut book = open(&bytes);
    let s = sheet(&mut book, "部门整体");
    let xml = part(&bytes, "xl/worksheets/sheet10.xml");
    let height = |r: u32| attribute(&xml, &format!("<row r=\"{}\"", r + 1), "ht").unwrap();
    for (text, lines) in [(&content, 15.0), (&actual, 12.0)] {
        let row = s.find(&text.join("\n")).0;
        assert!(
            height(row) >= lines * 14.5,
            "{} pt for {lines} lines",
            height(row)
        );
        assert!(height(row) <= lines * 14.5 + 10.0, "{}", height(row));
    }
}

/// rust_xlsxwriter asks for a full recalculation on load (`<calcPr calcId="124519"
/// fullCalcOnLoad="1"/>`), after which Excel and WPS ask to save an unchanged file, and
/// has no API to leave it out but manual calculation, which Excel would then apply to
/// every workbook opened beside this one. The export rewrites the element: automatic
/// calculation, no recalculation on load, and the engine of Excel 2016 to 365 (Excel
/// recalculates a file last calculated by an older one). The workbook holds no formula.
#[test]
fn the_workbook_holds_no_formula_and_is_not_recalculated_on_load() {
    let bytes = export(&seed_unit());
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(
        workbook.contains("<calcPr calcId=\"191029\"/>"),
        "{workbook}"
    );
    assert!(!workbook.contains("fullCalcOnLoad"), "{workbook}");
    assert!(!workbook.contains("calcMode="), "{workbook}");
    for i in 1..=11 {
        let sheet = part(&bytes, &format!("xl/worksheets/sheet{i}.xml"));
        assert!(sheet.contains("<sheetData>"), "sheet{i}");
        assert!(!sheet.contains("<f>") && !sheet.contains("<f "), "sheet{i}");
    }
}
