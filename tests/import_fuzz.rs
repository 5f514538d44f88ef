//! Fuzzing the import: arbitrary bytes, damaged copies of the seed fixture, damaged
//! sheet XML and random forms — the importer must never panic, and what it reads must
//! be consistent.

mod import_forms;

use std::io::Write;

use import_forms::*;
use jixiao::io::xlsx::import_workbook;
use proptest::prelude::*;
use zip::write::SimpleFileOptions;

/// A minimal .xlsx with stored (uncompressed) zip entries, so that damage to its XML
/// reaches the parsers as it is.
fn stored_xlsx(sheet_xml: &[u8], styles_xml: &[u8]) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let book = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="1.项目" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let book_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/></Relationships>"#
    );
    stored_zip(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", book.as_bytes()),
        ("xl/_rels/workbook.xml.rels", book_rels.as_bytes()),
        ("xl/styles.xml", styles_xml),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ])
}

const STYLES_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#;

fn col_name(c: usize) -> String {
    let mut c = c + 1;
    let mut out = Vec::new();
    while c > 0 {
        out.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

fn sheet_xml(rows: &Rows) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        x.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", col_name(c), r + 1);
            match v {
                V::S(t) => {
                    let t = t
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;");
                    x.push_str(&format!(
                        r#"<c r="{at}" t="inlineStr"><is><t>{t}</t></is></c>"#
                    ));
                }
                V::N(n) => x.push_str(&format!(r#"<c r="{at}"><v>{n}</v></c>"#)),
                V::F(n, fmt) => {
                    let style = if *fmt == "0.0%" { 2 } else { 1 };
                    x.push_str(&format!(r#"<c r="{at}" s="{style}"><v>{n}</v></c>"#));
                }
                V::Blank => {}
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}

/// The parts as a zip archive of stored (uncompressed) entries, written by the zip crate.
fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in files {
        zip.start_file(*name, stored).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn base_sheet_xml() -> Vec<u8> {
    let mut rows = project_rows("手写", "项目资金（万元）");
    set(&mut rows, 5, 6, V::F(0.184, "0.0%"));
    sheet_xml(&rows).into_bytes()
}

#[test]
fn minimal_xlsx_reads() {
    let imported = import_workbook(&stored_xlsx(&base_sheet_xml(), STYLES_XML.as_bytes()))
        .expect("the fuzzing base is a valid workbook");
    assert!(imported.findings.is_empty(), "{:#?}", imported.findings);
    let p = only_project(&imported);
    assert_eq!(p.name, "手写");
    let rate = p.funds.total.typed_rate.value().unwrap();
    assert_eq!((rate.to_string().as_str(), rate.scale()), ("18.4", 1));
    assert_eq!(
        p.funds.fiscal.as_ref().unwrap().typed_rate.value(),
        Some(d("94.65"))
    );
    assert_eq!(p.indicators.len(), 3);
}

/// Any outcome but a panic is fine; an import that succeeds must be consistent.
fn check(bytes: &[u8]) {
    if let Ok(imported) = import_workbook(bytes) {
        for f in &imported.findings {
            assert!(!f.message.is_empty());
            if let Some(i) = f.project_index {
                assert!(i < imported.unit.projects.len());
            }
        }
    }
}

/// Found by `damaged_fixture_never_panics`: calamine overflows on a damaged cell
/// reference (a panic in builds with overflow checks).
#[test]
fn damaged_cell_reference_is_an_error_not_a_panic() {
    let mut bytes = FIXTURE.to_vec();
    bytes[13982] = 2;
    check(&bytes);
    // Where panics unwind, only the damaged sheet is lost.
    if let Ok(imported) = import_workbook(&bytes) {
        assert!(!codes(&imported.findings, "sheet_unreadable").is_empty());
    }
}

fn cell_value() -> impl Strategy<Value = V> {
    let labels = prop::sample::select(vec![
        "项目支出绩效自评表",
        "部门（单位）整体支出绩效自评表",
        "项目名称",
        "项目名称：",
        "主管部门",
        "实施单位",
        "部门（单位）名称",
        "项目资金（万元）",
        "项目资金（元）",
        "年度预算执行情况",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
        "年度资金总额",
        "其中：当年财政拨款",
        "上年结转资金",
        "其他资金",
        "基本支出",
        "项目支出",
        "年度总体目标",
        "预期目标",
        "实际完成情况",
        "年度主要任务",
        "任务名称",
        "主要内容",
        "完成情况",
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "度量单位",
        "年度指标值",
        "实际完成值",
        "偏差原因分析及改进措施",
        "改进措施",
        "总分",
        "自评等级",
        "（2022年度）",
        "≥",
        "—",
        "十万",
        "99.36%",
        "１６",
        "优",
        "",
    ]);
    prop_oneof![
        labels.prop_map(s),
        "\\PC{0,12}".prop_map(V::S),
        any::<f64>().prop_map(V::N),
        (-1.0e6f64..1.0e6).prop_map(V::N),
        (0.0f64..2.0).prop_map(|x| V::F(x, "0.00%")),
        Just(V::Blank),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes);
    }

    #[test]
    fn arbitrary_bytes_behind_magic_never_panic(
        magic in prop::sample::select(vec![
            &b"PK\x03\x04"[..],
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
        ]),
        tail in prop::collection::vec(any::<u8>(), 0..4096),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend(tail);
        check(&bytes);
    }

    #[test]
    fn damaged_fixture_never_panics(
        edits in prop::collection::vec((0..FIXTURE.len(), any::<u8>()), 1..16),
        cut in prop::option::of(0..FIXTURE.len()),
    ) {
        let mut bytes = FIXTURE.to_vec();
        for (at, b) in edits {
            bytes[at] = b;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut);
        }
        check(&bytes);
    }

    #[test]
    fn damaged_sheet_xml_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
        style_edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut sheet = base_sheet_xml();
        for (at, b) in edits {
            let i = at.index(sheet.len());
            sheet[i] = b;
        }
        if let Some(cut) = cut {
            let i = cut.index(sheet.len());
            sheet.truncate(i);
        }
        let mut styles = STYLES_XML.as_bytes().to_vec();
        for (at, b) in style_edits {
            let i = at.index(styles.len());
            styles[i] = b;
        }
        check(&stored_xlsx(&sheet, &styles));
    }

    #[test]
    fn damaged_forms_never_panic(
        edits in prop::collection::vec((0usize..18, 0usize..11, cell_value()), 0..24),
        drop_rows in prop::collection::vec(0usize..18, 0..3),
    ) {
        let mut rows = project_rows("随机", "项目资金（万元）");
        for (r, c, v) in edits {
            set(&mut rows, r, c, v);
        }
        for r in drop_rows {
            if r < rows.len() {
                rows.remove(r);
            }
        }
        let units = unit_rows();
        check(&stored_xlsx(sheet_xml(&rows).as_bytes(), STYLES_XML.as_bytes()));
        check(&workbook(&[("部门整体", &units), ("1", &rows)]));
    }

    #[test]
    fn random_sheets_never_panic(
        cells in prop::collection::vec((0usize..30, 0usize..12, cell_value()), 0..80),
    ) {
        let mut rows: Rows = Vec::new();
        for (r, c, v) in cells {
            set(&mut rows, r, c, v);
        }
        check(&stored_xlsx(sheet_xml(&rows).as_bytes(), STYLES_XML.as_bytes()));
    }
}
