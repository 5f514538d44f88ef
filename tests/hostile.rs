//! Hostile files (issue 5): each is refused, or read with located findings, with a
//! Chinese message saying what and where — never a panic, never a hang, never unbounded
//! memory. `io::load` takes bytes and returns a value, so the work already open in the
//! app is untouched whatever it returns.
//!
//! Small hostile files are in tests/hostile/; the big ones (a zip bomb, a sheet of a
//! million rows, 10,000 sheets) are generated here at run time (into the target
//! directory or memory), never committed. No timing is asserted: the bound stated for
//! each case is what a correct importer needs; a broken one would hang, exhaust memory
//! or crash, which fails the run.

use std::fs;
use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::str::FromStr;

use jixiao::finding::Finding;
use jixiao::io::{self, xlsx::import_workbook, Imported};
use jixiao::rules::{Rulebook, PRESETS};
use rust_decimal::Decimal;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const SEED: &[u8] = include_bytes!("../examples/lanzhou-xinqu-emergency-2022.xlsx");

fn corpus(name: &str) -> Vec<u8> {
    fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/hostile")
            .join(name),
    )
    .expect("corpus file")
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn load_err(bytes: &[u8], name: &str) -> String {
    match io::load(bytes, name) {
        Ok(_) => panic!("“{name}” should be refused"),
        Err(e) => e,
    }
}

/// The findings of a unit by the default rules.
fn audit(unit: &jixiao::model::Unit) -> Vec<Finding> {
    jixiao::evaluate(unit, &Rulebook::preset(PRESETS[0].0).unwrap()).findings
}

fn has(findings: &[Finding], needle: &str) -> Finding {
    findings
        .iter()
        .find(|f| f.message.contains(needle))
        .cloned()
        .unwrap_or_else(|| panic!("no finding with “{needle}” in {findings:#?}"))
}

// ---------------------------------------------------------------------------------
// Writing workbooks by hand (XML), so that the files can be what no spreadsheet program
// writes: formulas without results, overlapping merges, NaN, lying sizes.

/// A cell of a hand-written sheet.
#[derive(Clone)]
enum X {
    /// Text (an inline string).
    S(&'static str),
    /// A number cell holding this text as its value (`16`, `1E+30`, `NaN`).
    N(&'static str),
    /// A number formatted as a date (style 1, number format 14).
    Date(&'static str),
    /// A formula, with its cached result if the file holds one.
    F(&'static str, Option<&'static str>),
    /// An error value (`#DIV/0!`), with the formula that gave it.
    Err(&'static str, &'static str),
}

fn col_name(mut c: usize) -> String {
    let mut s = Vec::new();
    c += 1;
    while c > 0 {
        s.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

fn cell_xml(r: usize, c: usize, x: &X) -> String {
    let at = format!("{}{}", col_name(c), r + 1);
    match x {
        X::S(t) => format!(r#"<c r="{at}" t="inlineStr"><is><t>{t}</t></is></c>"#),
        X::N(v) => format!(r#"<c r="{at}"><v>{v}</v></c>"#),
        X::Date(v) => format!(r#"<c r="{at}" s="1"><v>{v}</v></c>"#),
        X::F(f, Some(v)) => format!(r#"<c r="{at}"><f>{f}</f><v>{v}</v></c>"#),
        X::F(f, None) => format!(r#"<c r="{at}"><f>{f}</f></c>"#),
        X::Err(f, e) => format!(r#"<c r="{at}" t="e"><f>{f}</f><v>{e}</v></c>"#),
    }
}

type Grid = Vec<Vec<Option<X>>>;

/// A 项目支出绩效自评表 in the central 2020 layout: the 年度资金总额 row is row 6
/// (C6 年初预算数, D6 全年预算数, E6 全年执行数, F6 分值, G6 执行率, H6 得分); the
/// indicators are rows 13–15 (G 分值, H 得分); 总分 is row 16.
fn project_form(name: &'static str) -> Grid {
    use X::{N, S};
    let row = |cells: Vec<Option<X>>| cells;
    let e = || None;
    vec![
        row(vec![Some(S("项目支出绩效自评表"))]),
        row(vec![Some(S("（2023年度）"))]),
        row(vec![Some(S("项目名称")), Some(S(name))]),
        row(vec![Some(S("主管部门")), Some(S("测试局"))]),
        row(vec![
            Some(S("项目资金（万元）")),
            e(),
            Some(S("年初预算数")),
            Some(S("全年预算数")),
            Some(S("全年执行数")),
            Some(S("分值")),
            Some(S("执行率")),
            Some(S("得分")),
        ]),
        row(vec![
            e(),
            Some(S("年度资金总额")),
            Some(N("16")),
            Some(N("16")),
            Some(N("15.14353")),
            Some(N("10")),
            Some(N("0.9465")),
            Some(N("9.47")),
        ]),
        row(vec![
            e(),
            Some(S("其中：当年财政拨款")),
            Some(N("16")),
            Some(N("16")),
            Some(N("15.14353")),
        ]),
        row(vec![
            e(),
            Some(S("上年结转资金")),
            Some(N("0")),
            Some(N("0")),
            Some(N("0")),
        ]),
        row(vec![
            e(),
            Some(S("其他资金")),
            Some(N("0")),
            Some(N("0")),
            Some(N("0")),
        ]),
        row(vec![
            Some(S("年度总体目标")),
            Some(S("预期目标")),
            e(),
            e(),
            e(),
            Some(S("实际完成情况")),
        ]),
        row(vec![
            e(),
            Some(S("整理档案1000卷")),
            e(),
            e(),
            e(),
            Some(S("已整理档案1000卷")),
        ]),
        row(vec![
            Some(S("绩效指标")),
            Some(S("一级指标")),
            Some(S("二级指标")),
            Some(S("三级指标")),
            Some(S("年度指标值")),
            Some(S("实际完成值")),
            Some(S("分值")),
            Some(S("得分")),
        ]),
        row(vec![
            e(),
            Some(S("产出指标")),
            Some(S("数量指标")),
            Some(S("整理档案数量")),
            Some(S("≥1000卷")),
            Some(S("1000卷")),
            Some(N("50")),
            Some(N("50")),
        ]),
        row(vec![
            e(),
            Some(S("效益指标")),
            Some(S("社会效益指标")),
            Some(S("档案利用效果")),
            Some(S("效果显著")),
            Some(S("达成年度指标")),
            Some(N("30")),
            Some(N("28")),
        ]),
        row(vec![
            e(),
            Some(S("满意度指标")),
            Some(S("服务对象满意度指标")),
            Some(S("满意度")),
            Some(S("≥95%")),
            Some(S("90%")),
            Some(N("10")),
            Some(N("9")),
        ]),
        row(vec![
            Some(S("总分")),
            e(),
            e(),
            e(),
            e(),
            e(),
            Some(N("100")),
            Some(N("96.47")),
        ]),
        row(vec![Some(S("自评等级")), Some(S("优"))]),
    ]
}

fn set(grid: &mut Grid, r: usize, c: usize, x: X) {
    while grid[r].len() <= c {
        grid[r].push(None);
    }
    grid[r][c] = Some(x);
}

fn sheet_data(grid: &Grid) -> String {
    let mut out = String::new();
    for (r, row) in grid.iter().enumerate() {
        out.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, x) in row.iter().enumerate() {
            if let Some(x) = x {
                out.push_str(&cell_xml(r, c, x));
            }
        }
        out.push_str("</row>");
    }
    out
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

fn sheet_xml(grid: &Grid, after_data: &str) -> String {
    format!(
        "{}{}</sheetData>{after_data}</worksheet>",
        SHEET_HEAD,
        sheet_data(grid)
    )
}

/// The parts of a workbook other than its sheets; `names[i]` is xl/worksheets/sheet{i+1}.xml.
fn workbook_parts(names: &[String]) -> Vec<(String, String)> {
    let mut overrides = String::new();
    let mut sheets = String::new();
    let mut rels = String::new();
    for (i, name) in names.iter().enumerate() {
        let n = i + 1;
        overrides.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
        sheets.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
    }
    let styles_rel = names.len() + 1;
    vec![
        (
            "[Content_Types].xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>"#
            ),
        ),
        (
            "_rels/.rels".into(),
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into(),
        ),
        (
            "xl/workbook.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}</sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}<Relationship Id="rId{styles_rel}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/styles.xml".into(),
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#.into(),
        ),
    ]
}

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

/// A workbook of the given sheets (name, whole sheet XML).
fn workbook(sheets: &[(&str, String)]) -> Vec<u8> {
    let names: Vec<String> = sheets.iter().map(|(n, _)| n.to_string()).collect();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (path, text) in workbook_parts(&names) {
        zip.start_file(path, deflated()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    for (i, (_, xml)) in sheets.iter().enumerate() {
        zip.start_file(format!("xl/worksheets/sheet{}.xml", i + 1), deflated())
            .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn import_form(grid: &Grid, after_data: &str) -> Imported {
    let bytes = workbook(&[("1.档案整理专项", sheet_xml(grid, after_data))]);
    import_workbook(&bytes).unwrap_or_else(|e| panic!("imports: {e}"))
}

/// A generated file in the target directory (made once, reused by later runs).
fn generated(name: &str, make: impl FnOnce(&PathBuf)) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    if !path.exists() {
        let partial = dir.join(format!("{name}.partial"));
        make(&partial);
        fs::rename(&partial, &path).unwrap();
    }
    path
}

/// Writes a workbook whose one sheet's XML is `rows` streamed (never held in memory).
fn write_streamed(path: &PathBuf, options: SimpleFileOptions, rows: impl Iterator<Item = String>) {
    let file = fs::File::create(path).unwrap();
    let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
    for (part, text) in workbook_parts(&["Sheet1".to_string()]) {
        zip.start_file(part, deflated()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(SHEET_HEAD.as_bytes()).unwrap();
    for row in rows {
        zip.write_all(row.as_bytes()).unwrap();
    }
    zip.write_all(SHEET_TAIL.as_bytes()).unwrap();
    zip.finish().unwrap().flush().unwrap();
}

// ---------------------------------------------------------------------------------
// Not a workbook, damaged workbooks

// Bound: microseconds (a look at the first bytes).
#[test]
fn not_a_zip_is_refused() {
    let e = load_err(&corpus("not-a-zip.xlsx"), "not-a-zip.xlsx");
    assert_eq!(
        e,
        "“not-a-zip.xlsx”既不是 Excel 工作簿，也不是绩效自评 JSON 数据文件"
    );
    let e = load_err(&[0x89, b'P', b'N', b'G', 0, 0xff, 0xfe], "照片.xlsx");
    assert!(e.contains("“照片.xlsx”既不是 Excel 工作簿"), "{e}");
    let e = load_err(&corpus("pk-garbage.xlsx"), "pk-garbage.xlsx");
    assert!(
        e.starts_with("“pk-garbage.xlsx”无法读取工作簿：文件已损坏或不完整"),
        "{e}"
    );
    let e = load_err(&corpus("ole-garbage.xls"), "ole-garbage.xls");
    assert!(e.contains("无法读取工作簿：文件已损坏"), "{e}");
}

// Bound: milliseconds (the zip directory is missing, nothing is inflated).
#[test]
fn truncated_zip_is_refused() {
    let half = &SEED[..SEED.len() / 2];
    let e = load_err(half, "兰州新区.xlsx");
    assert_eq!(
        e,
        "“兰州新区.xlsx”无法读取工作簿：文件已损坏或不完整（不是有效的 .xlsx 压缩包）"
    );
    // Cut just before the end (the directory's last bytes missing) too.
    let e = load_err(&SEED[..SEED.len() - 10], "兰州新区.xlsx");
    assert!(e.contains("文件已损坏或不完整"), "{e}");
}

// ---------------------------------------------------------------------------------
// Size: zip bombs, too many sheets, too many rows

// Generation: a 256 MiB sheet deflated once into a small file in the target directory
// (seconds, once; later runs reuse the file). Import bound: milliseconds — the zip directory says 1024 MB and the
// file is refused before anything is inflated (a broken importer would inflate 1 GiB
// of XML, or hold it in memory).
#[test]
fn zip_bomb_is_refused_before_inflating() {
    let path = generated("bomb-256mib.xlsx", |p| {
        let row = "<row><c><v>0</v></c></row>".repeat(4096);
        let rows = (1u64 << 28) / row.len() as u64;
        write_streamed(
            p,
            deflated().compression_level(Some(1)),
            (0..rows).map(|_| row.clone()),
        );
    });
    let bytes = fs::read(&path).unwrap();
    assert!(bytes.len() < 8 << 20, "the bomb is small: {}", bytes.len());
    let e = load_err(&bytes, "炸弹.xlsx");
    assert!(
        e.starts_with("“炸弹.xlsx”无法读取工作簿：其中的“xl/worksheets/sheet1.xml”解压后为 25")
            && e.contains(" MB（单个部分上限 32 MB）"),
        "{e}"
    );
    assert!(e.contains("已拒绝导入"), "{e}");
}

// Generation: 16 MB of XML deflated in memory (a second). Import bound: milliseconds —
// refused from the directory by its ratio, under the size limits.
#[test]
fn high_ratio_part_is_refused() {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (part, text) in workbook_parts(&["Sheet1".to_string()]) {
        zip.start_file(part, deflated()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file(
        "xl/worksheets/sheet1.xml",
        deflated().compression_level(Some(9)),
    )
    .unwrap();
    zip.write_all(SHEET_HEAD.as_bytes()).unwrap();
    let row = "<row/>".repeat(1 << 16);
    for _ in 0..(16 << 20) / row.len() {
        zip.write_all(row.as_bytes()).unwrap();
    }
    zip.write_all(SHEET_TAIL.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let e = load_err(&bytes, "bomb.xlsx");
    assert!(
        e.contains("其中的“xl/worksheets/sheet1.xml”压缩比为"),
        "{e}"
    );
    assert!(e.contains("疑为“压缩炸弹”"), "{e}");
}

// Generation: three stored (uncompressed) 22 MB parts, ~66 MB, in the target directory.
// Import bound: milliseconds — refused from the directory by the total.
#[test]
fn total_unpacked_size_is_limited() {
    let path = generated("total-66mb.xlsx", |p| {
        let file = fs::File::create(p).unwrap();
        let mut zip = ZipWriter::new(std::io::BufWriter::new(file));
        for (part, text) in workbook_parts(&["Sheet1".to_string()]) {
            zip.start_file(part, deflated()).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        let chunk = vec![b' '; 1 << 20];
        for i in 0..3 {
            zip.start_file(format!("xl/media/padding{i}.bin"), stored)
                .unwrap();
            for _ in 0..22 {
                zip.write_all(&chunk).unwrap();
            }
        }
        zip.finish().unwrap().flush().unwrap();
    });
    let e = load_err(&fs::read(path).unwrap(), "大文件.xlsx");
    assert!(e.contains("解压后总大小超过 64 MB"), "{e}");
}

// Generation: 10,000 one-cell sheets in memory (a second). Import bound: milliseconds —
// refused from the zip directory's sheet count before calamine parses the workbook.
#[test]
fn ten_thousand_sheets_are_refused() {
    let sheets: Vec<(String, String)> = (0..10_000)
        .map(|i| {
            (
                format!("S{i}"),
                format!("{SHEET_HEAD}<row r=\"1\"><c r=\"A1\"><v>{i}</v></c></row>{SHEET_TAIL}"),
            )
        })
        .collect();
    let refs: Vec<(&str, String)> = sheets
        .iter()
        .map(|(n, x)| (n.as_str(), x.clone()))
        .collect();
    let e = load_err(&workbook(&refs), "一万张表.xlsx");
    assert!(
        e.contains("无法读取工作簿：工作簿有 10000 张工作表，超过上限 2000 张，已拒绝导入"),
        "{e}"
    );
}

// A workbook that lists 3,000 sheets all pointing at one small part (few zip entries):
// refused from calamine's sheet list. Bound: milliseconds.
#[test]
fn many_sheet_names_on_one_part_are_refused() {
    let names: Vec<String> = (0..3_000).map(|i| format!("S{i}")).collect();
    let mut parts = workbook_parts(&names);
    for (path, text) in parts.iter_mut() {
        if path == "xl/_rels/workbook.xml.rels" {
            // Every sheet's relationship targets sheet1.xml.
            let mut t = String::new();
            for piece in text.split("Target=\"worksheets/sheet") {
                if t.is_empty() {
                    t.push_str(piece);
                } else {
                    let rest = piece.split_once(".xml\"").map_or(piece, |(_, r)| r);
                    t.push_str("Target=\"worksheets/sheet1.xml\"");
                    t.push_str(rest);
                }
            }
            *text = t;
        }
    }
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (path, text) in parts {
        zip.start_file(path, deflated()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", deflated())
        .unwrap();
    zip.write_all(sheet_xml(&project_form("档案整理专项"), "").as_bytes())
        .unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let e = load_err(&bytes, "三千张表.xlsx");
    assert!(
        e.contains("工作簿有 3000 张工作表，超过上限 2000 张"),
        "{e}"
    );
}

// 1,000 project sheets (the benchmark's size) still import. Bound: a few seconds in a
// debug build (1,000 sheets of ~100 cells).
#[test]
fn a_thousand_sheets_import() {
    let xml = sheet_xml(&project_form("档案整理专项"), "");
    let names: Vec<String> = (1..=1_000).map(|i| format!("{i}.项目")).collect();
    let sheets: Vec<(&str, String)> = names.iter().map(|n| (n.as_str(), xml.clone())).collect();
    let imported = import_workbook(&workbook(&sheets)).expect("1,000 sheets import");
    assert_eq!(imported.unit.projects.len(), 1_000);
    assert_eq!(
        imported.unit.projects[999].funds.total.budget.value(),
        Some(d("16"))
    );
}

// Generation: a million one-cell rows (~45 MB of XML) deflated into the target
// directory (seconds, once). Import bound: milliseconds — refused by the 32 MB part limit.
#[test]
fn a_million_rows_are_refused() {
    let path = generated("million-rows.xlsx", |p| {
        write_streamed(
            p,
            deflated(),
            (1..=1_000_000u32).map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#)),
        );
    });
    let e = load_err(&fs::read(path).unwrap(), "百万行.xlsx");
    assert!(
        e.contains("其中的“xl/worksheets/sheet1.xml”解压后为") && e.contains("单个部分上限 32 MB"),
        "{e}"
    );
}

// A form followed by 150,000 number cells (~4 MB of XML, within the limits): the first
// 100,000 cells are read, the form imports, and the user is told the sheet was cut.
// Bound: about a second (the reading stops at the cap).
#[test]
fn an_oversized_sheet_is_cut_and_said_so() {
    let mut xml = format!("{SHEET_HEAD}{}", sheet_data(&project_form("档案整理专项")));
    for r in 30..15_030u32 {
        xml.push_str(&format!(r#"<row r="{r}">"#));
        for c in 0..10 {
            xml.push_str(&format!(
                r#"<c r="{}{r}"><v>{}</v></c>"#,
                col_name(c),
                r * 7 + c as u32
            ));
        }
        xml.push_str("</row>");
    }
    xml.push_str(SHEET_TAIL);
    let imported = import_workbook(&workbook(&[("1.档案整理专项", xml)])).expect("imports");
    assert_eq!(imported.unit.projects.len(), 1);
    assert_eq!(
        imported.unit.projects[0].funds.total.budget.value(),
        Some(d("16"))
    );
    has(
        &imported.findings,
        "工作表“1.档案整理专项”的单元格超过 100000 个，只读取了前 100000 个，其余部分未导入",
    );
}

// ---------------------------------------------------------------------------------
// Cells: formulas, merges, huge numbers, errors, dates. Bound: milliseconds each.

#[test]
fn formula_cells_use_the_cached_value_or_say_where() {
    let mut grid = project_form("档案整理专项");
    set(&mut grid, 5, 5, X::F("5*2", Some("10")));
    set(&mut grid, 12, 6, X::F("25*2", None));
    let imported = import_form(&grid, "");
    let p = &imported.unit.projects[0];
    assert_eq!(
        p.execution_weight.value(),
        Some(d("10")),
        "the cached result"
    );
    assert_eq!(p.indicators[0].weight.value(), None, "never a silent zero");
    assert_eq!(p.indicators[0].weight.text(), "=25*2", "kept as it stood");
    let f = has(&audit(&imported.unit), "分值“=25*2”是公式");
    assert!(
        f.message.contains(
            "项目1“档案整理专项” · 产出指标 · 第1行：分值“=25*2”是公式，但文件中没有保存它的计算结果"
        ),
        "{}",
        f.message
    );
    assert_eq!(f.field.as_deref(), Some("indicators.0.weight"));
}

#[test]
fn merged_cell_tangles_do_not_matter() {
    // Overlapping merges, a merge over all the labels, a reversed one, a nonsense one.
    let merges = r#"<mergeCells count="5"><mergeCell ref="A1:H17"/><mergeCell ref="B2:C6"/><mergeCell ref="C3:D4"/><mergeCell ref="XFD1048576:A1"/><mergeCell ref="ZZZZZ99999999999:A1"/></mergeCells>"#;
    let imported = import_form(&project_form("档案整理专项"), merges);
    let p = &imported.unit.projects[0];
    assert_eq!(p.name, "档案整理专项");
    assert_eq!(p.funds.total.budget.value(), Some(d("16")));
    assert_eq!(p.indicators.len(), 3);
    assert_eq!(p.typed.total.value(), Some(d("96.47")));
}

#[test]
fn huge_numbers_are_located_errors_or_scored_without_overflow() {
    let mut grid = project_form("档案整理专项");
    set(&mut grid, 5, 3, X::N("1E+30"));
    set(&mut grid, 5, 4, X::S("1234567890123456789012345678"));
    set(&mut grid, 5, 2, X::S("99999999999999999999999999999999"));
    set(&mut grid, 6, 3, X::S("0.1234567890123456789012345678"));
    let imported = import_form(&grid, "");
    let p = &imported.unit.projects[0];
    assert_eq!(p.funds.total.budget.value(), None, "never a silent zero");
    assert_eq!(p.funds.total.initial.value(), None);
    assert_eq!(
        p.funds.total.executed.value(),
        Some(d("1234567890123456789012345678"))
    );
    let findings = audit(&imported.unit);
    has(
        &findings,
        "项目1“档案整理专项”：年度资金总额·全年预算数“1000000000000000000000000000000”超出可计算的范围",
    );
    has(
        &findings,
        "年度资金总额·年初预算数“99999999999999999999999999999999”超出可计算的范围",
    );
    // Scoring 28-digit amounts neither panics nor overflows silently.
    let rules = Rulebook::preset(PRESETS[0].0).unwrap();
    let eval = jixiao::evaluate(&imported.unit, &rules);
    assert!(!eval.findings.is_empty());
}

#[test]
fn nan_and_error_cells_are_located_errors() {
    let mut grid = project_form("档案整理专项");
    set(&mut grid, 5, 2, X::N("NaN"));
    set(&mut grid, 5, 6, X::Err("E6/0", "#DIV/0!"));
    let imported = import_form(&grid, "");
    let p = &imported.unit.projects[0];
    assert_eq!(p.funds.total.typed_rate.value(), None);
    let findings = audit(&imported.unit);
    has(&findings, "年度资金总额·执行率“=E6/0（#DIV/0!）”是错误值");
    // calamine reads the text NaN in a number cell either as NaN or as text.
    has(&findings, "年度资金总额·年初预算数“NaN”不是数字，未计入");
    assert_eq!(p.funds.total.initial.value(), None);
}

#[test]
fn a_date_where_a_number_belongs_is_a_located_error() {
    let mut grid = project_form("档案整理专项");
    set(&mut grid, 5, 3, X::Date("44682"));
    let imported = import_form(&grid, "");
    assert_eq!(imported.unit.projects[0].funds.total.budget.value(), None);
    has(
        &audit(&imported.unit),
        "项目1“档案整理专项”：年度资金总额·全年预算数“2022-05-01”是日期，不是数字",
    );
}

// ---------------------------------------------------------------------------------
// JSON. Bound: milliseconds each (the 50 MB one: refused by its length before parsing).

#[test]
fn json_future_version() {
    let e = load_err(&corpus("future-version.json"), "新版.json");
    assert_eq!(
        e,
        "“新版.json”数据文件版本为99，高于本程序支持的版本1，请使用新版程序打开"
    );
}

#[test]
fn json_string_where_an_object_belongs() {
    let e = load_err(&corpus("wrong-types.json"), "wrong.json");
    assert!(e.starts_with("“wrong.json”数据文件内容有误（第7行"), "{e}");
    assert!(
        e.contains("字段 projects[0].funds 应为对象 {...}，实为文本 \"全年预算数16万元\""),
        "{e}"
    );
}

#[test]
fn json_number_where_a_string_belongs() {
    let e = load_err(&corpus("number-for-string.json"), "n.json");
    assert!(e.contains("数据文件内容有误（第3行"), "{e}");
    assert!(e.contains("字段 name 应为文本，实为数字 12345"), "{e}");
}

#[test]
fn json_numbers_for_decimals_only_when_exact() {
    let unit = io::load(&corpus("exact-numbers.json"), "ok.json")
        .expect("exact numbers are accepted")
        .unit;
    let p = &unit.projects[0];
    assert_eq!(p.funds.total.initial.value(), Some(d("16")));
    assert_eq!(p.funds.total.budget.value(), Some(d("16.5")));
    assert_eq!(p.funds.total.executed.value(), Some(d("15.14353")));
    assert_eq!(p.indicators[0].typed_score.value(), Some(d("48.5")));

    let e = load_err(&corpus("inexact-number.json"), "inexact.json");
    assert!(
        e.contains("数据文件内容有误：第7行第39列的数字 0.12345678901234567890 有效数字超过15位，无法精确读取"),
        "{e}"
    );
    assert!(e.contains("\"0.12345678901234567890\""), "{e}");

    let e = load_err(&corpus("huge-number.json"), "huge.json");
    assert!(e.contains("第3行第69列的数字 1e30 超出可计算的范围"), "{e}");
}

#[test]
fn json_deep_nesting_is_an_error_not_a_stack_overflow() {
    let e = load_err(&corpus("deep-nesting.json"), "deep.json");
    assert!(
        e.starts_with("“deep.json”不是有效的 JSON 文件（第1行第") && e.contains("嵌套层数过深"),
        "{e}"
    );
    // Deeper still, built here: 1,000,000 levels.
    let deep = format!(
        "{{\"schemaVersion\":1,\"name\":{}{}}}",
        "[".repeat(1_000_000),
        "]".repeat(1_000_000)
    );
    let e = load_err(deep.as_bytes(), "deeper.json");
    assert!(e.contains("嵌套层数过深"), "{e}");
}

#[test]
fn json_fifty_megabyte_string_is_refused() {
    let mut text = String::from("{\"schemaVersion\":1,\"name\":\"");
    text.push_str(&"绩".repeat((50 << 20) / 3));
    text.push_str("\"}");
    let e = load_err(text.as_bytes(), "巨大.json");
    assert_eq!(
        e,
        "“巨大.json”文件过大（50 MB，上限 32 MB），不是正常的绩效自评数据文件，已拒绝导入"
    );
}

#[test]
fn error_values_and_formulas_in_targets_and_actuals_are_located_errors() {
    let mut grid = project_form("档案整理专项");
    // 年度指标值 of the first indicator; 实际完成值 of the second and third.
    set(&mut grid, 12, 4, X::Err("E6/0", "#DIV/0!"));
    set(&mut grid, 13, 5, X::F("B1/C1", None));
    set(&mut grid, 14, 5, X::Err("F1/G1", "#DIV/0!"));
    let imported = import_form(&grid, "");
    let p = &imported.unit.projects[0];
    // Kept as they stand in the file, as figures are — never as empty.
    assert_eq!(p.indicators[0].target, "=E6/0（#DIV/0!）");
    assert_eq!(p.indicators[1].actual, "=B1/C1");
    assert_eq!(p.indicators[2].actual, "=F1/G1（#DIV/0!）");
    let findings = audit(&imported.unit);
    has(
        &findings,
        "项目1“档案整理专项” · 产出指标 · 第1行：年度指标值“=E6/0（#DIV/0!）”是错误值（公式出错），请在 Excel 或 WPS 中改正公式，或直接填写",
    );
    has(
        &findings,
        "项目1“档案整理专项” · 效益指标 · 第2行：实际完成值“=B1/C1”是公式，但文件中没有保存它的计算结果；请在 Excel 或 WPS 中打开、保存后再导入",
    );
    has(
        &findings,
        "项目1“档案整理专项” · 满意度指标 · 第3行：实际完成值“=F1/G1（#DIV/0!）”是错误值",
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.message.contains("未填写") || f.message.contains("无法识别")),
        "{findings:#?}"
    );
    // None of the three rows is scored, so the project has no total.
    let rules = Rulebook::preset(PRESETS[0].0).unwrap();
    let eval = jixiao::evaluate(&imported.unit, &rules);
    assert_eq!(eval.scores.projects[0].total, None);
}
