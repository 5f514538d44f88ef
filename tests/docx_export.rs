//! The .docx export, read back: the package by `zip`, every XML part by `quick-xml`
//! (well-formed, only characters XML allows), the content by docx-rs's own reader.
//! tests/readers/check_docx.py reads the same file with python-docx.

#![cfg(not(target_arch = "wasm32"))]

use docx_rs::{DocumentChild, TableCellContent, TableChild, TableRowChild};
use jixiao::io::docx_export::write_docx;
use jixiao::report::{Align, Block, Cell, Form, Report};
use jixiao::rules::Rulebook;
use jixiao::{io, model::Unit};
use proptest::prelude::*;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

const SEED: &[u8] = include_bytes!("../examples/lanzhou-xinqu-emergency-2022.xlsx");

fn seed_unit() -> Unit {
    io::load(SEED, "seed.xlsx").unwrap().unit
}

fn seed_report() -> Report {
    jixiao::report(&seed_unit(), &Rulebook::default())
}

/// Every part of the package by name, as text.
fn parts(docx: &[u8]) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip archive");
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        if file.is_dir() {
            continue;
        }
        let mut text = String::new();
        file.read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", file.name()));
        parts.insert(file.name().to_string(), text);
    }
    parts
}

fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// The part is one well-formed XML element tree holding only characters XML allows.
fn assert_well_formed(name: &str, xml: &str) {
    if let Some(bad) = xml.chars().find(|&c| !xml_char(c)) {
        panic!(
            "{name}: character U+{:04X} is not allowed in XML",
            bad as u32
        );
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut depth, mut roots) = (0usize, 0usize);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if depth == 0 {
                    roots += 1;
                }
                depth += 1;
                for a in e.attributes() {
                    a.unwrap_or_else(|err| panic!("{name}: bad attribute: {err}"));
                }
            }
            Ok(Event::Empty(e)) => {
                if depth == 0 {
                    roots += 1;
                }
                for a in e.attributes() {
                    a.unwrap_or_else(|err| panic!("{name}: bad attribute: {err}"));
                }
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::GeneralRef(r)) => {
                let entity = r.decode().unwrap().into_owned();
                if r.is_char_ref() {
                    let c = r.resolve_char_ref().unwrap().unwrap();
                    assert!(xml_char(c), "{name}: &{entity}; is not an XML character");
                } else {
                    assert!(
                        ["lt", "gt", "amp", "quot", "apos"].contains(&entity.as_str()),
                        "{name}: undefined entity &{entity};"
                    );
                }
            }
            Ok(Event::Text(t)) => assert!(depth > 0 || t.decode().unwrap().trim().is_empty()),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!(
                "{name}: not well-formed at {}: {e}",
                reader.error_position()
            ),
        }
    }
    assert_eq!((depth, roots), (0, 1), "{name}: unbalanced");
}

/// The package is valid XML throughout, and docx-rs reads it back.
fn assert_valid(docx: &[u8]) -> (BTreeMap<String, String>, docx_rs::Docx) {
    let parts = parts(docx);
    for (name, xml) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert_well_formed(name, xml);
        }
    }
    let read = docx_rs::read_docx(docx).expect("docx-rs reads the document back");
    (parts, read)
}

fn cell_text(cell: &TableRowChild) -> String {
    let TableRowChild::TableCell(cell) = cell;
    cell.children
        .iter()
        .filter_map(|c| match c {
            TableCellContent::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The body as read back: paragraph texts, and each form (by its caption) as rows of
/// cell texts, its tables one after another.
struct Body {
    paragraphs: Vec<String>,
    forms: Vec<(String, Vec<Vec<String>>)>,
}

fn body(docx: &docx_rs::Docx) -> Body {
    let mut body = Body {
        paragraphs: Vec::new(),
        forms: Vec::new(),
    };
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => {
                let text = p.raw_text();
                if text.starts_with("附表") && !text.starts_with("附表：") {
                    body.forms.push((text.clone(), Vec::new()));
                }
                body.paragraphs.push(text);
            }
            DocumentChild::Table(t) => {
                let rows = t.rows.iter().map(|TableChild::TableRow(r)| {
                    r.cells.iter().map(cell_text).collect::<Vec<_>>()
                });
                body.forms
                    .last_mut()
                    .expect("a table after its caption")
                    .1
                    .extend(rows);
            }
            _ => {}
        }
    }
    body
}

/// The cell after the one reading `label` in the first row that has it.
fn after(rows: &[Vec<String>], label: &str) -> String {
    rows.iter()
        .find_map(|r| {
            let i = r.iter().position(|c| c == label)?;
            r.get(i + 1).cloned()
        })
        .unwrap_or_else(|| panic!("no cell “{label}”"))
}

/// The first cell ending in % in the row of `label`.
fn rate_in_row(rows: &[Vec<String>], label: &str) -> String {
    rows.iter()
        .find(|r| r.iter().any(|c| c == label))
        .and_then(|r| r.iter().find(|c| c.ends_with('%')).cloned())
        .unwrap_or_else(|| panic!("no rate in the row of “{label}”"))
}

/// The text of a form's cell at (row, col), also inside a merged cell.
fn model_cell(form: &Form, row: usize, col: usize) -> String {
    form.cells
        .iter()
        .find(|c| {
            (c.row..c.row + c.row_span).contains(&row) && (c.col..c.col + c.col_span).contains(&col)
        })
        .map(|c| c.text.clone())
        .unwrap_or_default()
}

fn model_row(form: &Form, label: &str) -> usize {
    form.cells.iter().find(|c| c.text == label).unwrap().row
}

fn section_properties(document: &str) -> Vec<&str> {
    document
        .match_indices("<w:sectPr>")
        .map(|(at, _)| {
            let end = document[at..].find("</w:sectPr>").unwrap();
            &document[at..at + end]
        })
        .collect()
}

#[test]
fn seed_exports_a_gbt_9704_document() {
    let report = seed_report();
    let docx = write_docx(&report).unwrap();
    // For tests/readers/check_docx.py while the command line cannot write it yet.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(dir.join("自评报告.docx"), &docx).unwrap();

    let (parts, read) = assert_valid(&docx);
    let document = &parts["word/document.xml"];
    let body = body(&read);
    let text = body.paragraphs.join("\n");

    // The narrative's figures.
    assert!(body.paragraphs[0] == "兰州新区应急管理局");
    assert!(body.paragraphs[1] == "2022年度部门本级预算绩效自评工作总结");
    assert!(
        text.contains("当年财政预算7750.69万元，全年支出7719.74万元，执行率99.60%"),
        "{text}"
    );
    assert!(text.contains("自评结果“优”7个，“良”1个，“中”1个，“差”0个"));
    assert!(document.contains("当年财政预算7750.69万元，全年支出7719.74万元，执行率99.60%"));
    assert!(document.contains("“优”7个"));
    assert!(text.contains("预算执行率94.65%"));
    assert!(text.contains("项目自评结果为“良”（总分88.51分）。"));

    // Each project's 执行率 and 总分 in its form, as the report model has them.
    assert_eq!(body.forms.len(), report.forms.len());
    let projects = &report.forms[..report.forms.len() - 1];
    for form in projects {
        let name = model_cell(form, 0, 1);
        let rate = model_cell(form, model_row(form, "年度资金总额"), 6);
        let total = model_cell(form, model_row(form, "总分"), 7);
        let (caption, rows) = body
            .forms
            .iter()
            .find(|(_, rows)| after(rows, "项目名称") == name)
            .unwrap_or_else(|| panic!("no form for “{name}”"));
        assert_eq!(caption, &form.caption);
        assert_eq!(rate_in_row(rows, "年度资金总额"), rate, "{name}");
        assert_eq!(after(rows, "100"), total, "{name}");
    }
    let form = |name: &str| {
        &body
            .forms
            .iter()
            .find(|(_, rows)| after(rows, "项目名称") == name)
            .unwrap()
            .1
    };
    assert_eq!(rate_in_row(form("档案整理专项"), "年度资金总额"), "94.65%");
    assert_eq!(after(form("档案整理专项"), "100"), "93.93");
    let enforcement = form("安全生产监督执法专项经费");
    assert_eq!(rate_in_row(enforcement, "年度资金总额"), "90.43%");
    assert_eq!(after(enforcement, "100"), "88.51");
    assert_eq!(after(enforcement, "自评等级"), "良");
    let unit = &body.forms.last().unwrap().1;
    assert_eq!(after(unit, "部门（单位）名称"), "兰州新区应急管理局");
    assert_eq!(rate_in_row(unit, "年度资金总额"), "99.60%");

    // Sections: the narrative A4 portrait on a grid of 22 lines, then the forms landscape.
    let sections = section_properties(document);
    assert_eq!(sections.len(), 2, "{sections:?}");
    let (portrait, landscape) = (sections[0], sections[1]);
    assert!(
        portrait.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#),
        "{portrait}"
    );
    assert!(
        portrait.contains(r#"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#),
        "{portrait}"
    );
    assert!(
        portrait.contains(r#"<w:docGrid w:type="lines" w:linePitch="579" />"#),
        "{portrait}"
    );
    assert!(
        landscape.contains(r#"w:w="16838" w:h="11906" w:orient="landscape""#),
        "{landscape}"
    );
    assert!(document.contains(r#"w:orient="landscape""#));

    // Page numbers “— n —” with a PAGE field (GB/T 9704): odd pages at the right, even
    // pages at the left, one 4号 character (280 twips) in; the same footers in both
    // sections.
    let references = |section: &str| attribute_values(section, "r:id").join(" ");
    assert_eq!(references(portrait), "rIdFooter1 rIdFooter2");
    assert_eq!(references(portrait), references(landscape));
    for section in [portrait, landscape] {
        assert!(section.contains(r#"<w:footerReference w:type="default" r:id="rIdFooter1" />"#));
        assert!(section.contains(r#"<w:footerReference w:type="even" r:id="rIdFooter2" />"#));
    }
    assert!(parts["word/settings.xml"].contains("<w:evenAndOddHeaders />"));
    let odd = &parts["word/footer1.xml"];
    let even = &parts["word/footer2.xml"];
    assert!(
        odd.contains(r#"<w:jc w:val="right" />"#) && odd.contains(r#"w:right="280""#),
        "{odd}"
    );
    assert!(
        even.contains(r#"<w:jc w:val="left" />"#) && even.contains(r#"w:left="280""#),
        "{even}"
    );
    let footers: Vec<&String> = parts
        .iter()
        .filter(|(name, _)| name.starts_with("word/footer"))
        .map(|(_, xml)| xml)
        .collect();
    assert_eq!(footers.len(), 2);
    for footer in footers {
        assert!(footer.contains(">— <"), "{footer}");
        assert!(footer.contains(">PAGE<"), "{footer}");
        assert!(footer.contains(r#"w:fldCharType="begin""#), "{footer}");
        assert!(
            footer.contains(r#"<w:pStyle w:val="GwPageNumber" />"#),
            "{footer}"
        );
    }

    // Body 3号仿宋 at exactly 579 twips, titles 2号小标宋, headings 黑体 and 楷体,
    // page numbers 4号宋体, forms 5号宋体: paragraph styles, each on its font's style.
    let styles = &parts["word/styles.xml"];
    let style = |id: &str| {
        let at = styles
            .find(&format!(r#"w:styleId="{id}""#))
            .unwrap_or_else(|| panic!("no style {id}"));
        &styles[at..at + styles[at..].find("</w:style>").unwrap()]
    };
    let fonts = |s: &str| {
        let at = s.find(r#"<w:basedOn w:val=""#).unwrap() + 18;
        let base = style(&s[at..at + s[at..].find('"').unwrap()]);
        let at = base.find(r#"w:eastAsia=""#).unwrap() + 12;
        base[at..at + base[at..].find('"').unwrap()].to_string()
    };
    assert!(styles.contains(r#"<w:rPrDefault><w:rPr><w:sz w:val="32" />"#));
    for (id, font, size) in [
        ("GwTitle", "方正小标宋简体", Some(44)),
        ("GwHeading1", "黑体", None),
        ("GwHeading2", "楷体_GB2312", None),
        ("GwHeading3", "仿宋_GB2312", None),
        ("GwBody", "仿宋_GB2312", None),
        ("GwPageNumber", "宋体", Some(28)),
        ("FormCaption", "黑体", Some(28)),
        ("FormTitle", "宋体", Some(36)),
        ("FormCell", "宋体", Some(18)),
    ] {
        let s = style(id);
        assert_eq!(fonts(s), font, "{id}");
        if let Some(size) = size {
            assert!(
                s.contains(&format!(r#"<w:sz w:val="{size}" />"#)),
                "{id}: {s}"
            );
        }
        assert!(
            document.contains(&format!(r#"<w:pStyle w:val="{id}" />"#)) || id == "GwPageNumber"
        );
    }
    // 28 characters a line: 16 pt characters 0.25 pt apart less, indented by two.
    for id in [
        "GwHeading1",
        "GwHeading2",
        "GwHeading3",
        "GwBody",
        "GwPlain",
    ] {
        assert!(style(id).contains(r#"<w:spacing w:val="-5" />"#), "{id}");
    }
    for id in ["GwHeading1", "GwBody"] {
        assert!(style(id).contains(r#"w:firstLine="630""#), "{id}");
        assert!(
            style(id).contains(r#"w:line="579" w:lineRule="exact""#),
            "{id}"
        );
    }
    assert!(style("GwHeading3").contains("<w:b />"));
    // A form's labels are the cell style, bold: one style, not bold on every run.
    let label = style("FormLabel");
    assert!(label.contains(r#"<w:basedOn w:val="FormCell" />"#) && label.contains("<w:b />"));
    assert!(document.contains(r#"<w:pStyle w:val="FormLabel" />"#));
    assert!(!document.contains("<w:rPr><w:b /><w:bCs /></w:rPr><w:t>项目名称"));
    // No run properties hold a font with anything else (see the styles' comment).
    for (name, xml) in &parts {
        for rpr in xml.split("<w:rPr>").skip(1) {
            let rpr = &rpr[..rpr.find("</w:rPr>").unwrap()];
            assert!(
                !rpr.contains("<w:rFonts") || rpr.matches('<').count() == 1,
                "{name}: {rpr}"
            );
        }
    }

    // Fonts that resolve everywhere: Chinese text, and each font with the GB2312
    // charset and its substitute, in order.
    assert!(
        styles.contains(r#"<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA" />"#),
        "{styles}"
    );
    let table = &parts["word/fontTable.xml"];
    for (font, substitute) in [
        ("仿宋_GB2312", "仿宋"),
        ("仿宋", "FangSong"),
        ("楷体_GB2312", "楷体"),
        ("楷体", "KaiTi"),
        ("方正小标宋简体", "宋体"),
        ("宋体", "SimSun"),
        ("黑体", "SimHei"),
    ] {
        let entry = format!(r#"<w:font w:name="{font}"><w:altName w:val="{substitute}" />"#);
        let at = table
            .find(&entry)
            .unwrap_or_else(|| panic!("{font}: {table}"));
        let end = at + table[at..].find("</w:font>").unwrap();
        assert!(
            table[at..end].contains(r#"<w:charset w:val="86" />"#),
            "{font}"
        );
    }
    assert!(styles.contains(r#"w:hint="eastAsia""#));

    // Tables: merged cells both ways, the indicator header row repeated, no row split
    // over two pages.
    assert_eq!(
        document.matches("<w:cantSplit />").count(),
        document.matches("<w:tr>").count()
    );
    assert!(document.contains("<w:gridSpan w:val=\"8\" />"));
    assert!(document.contains(r#"<w:vMerge w:val="restart" />"#));
    assert!(document.contains(r#"<w:vMerge w:val="continue" />"#));
    let headers = document.matches("<w:tblHeader />").count();
    let with_header = report
        .forms
        .iter()
        .filter(|f| f.header_row.is_some())
        .count();
    assert_eq!(with_header, 9);
    assert_eq!(headers, with_header, "one header row a form that has one");
    // The header row is the first row of its table.
    for (at, _) in document.match_indices("<w:tblHeader />") {
        let table = document[..at].rfind("<w:tbl>").unwrap();
        assert_eq!(document[table..at].matches("<w:tr>").count(), 1);
        assert!(document[at..].find("一级指标").unwrap() < document[at..].find("</w:tr>").unwrap());
    }
    assert_eq!(document.matches(r#"w:orient="landscape""#).count(), 1);

    // Document properties.
    let core = &parts["docProps/core.xml"];
    assert!(
        core.contains(
            "<dc:title>兰州新区应急管理局2022年度部门本级预算绩效自评工作总结</dc:title>"
        ),
        "{core}"
    );
    assert!(core.contains("<dc:creator>绩效自评</dc:creator>"), "{core}");
    // The seed has no date: no made-up one either.
    assert!(!core.contains("1970"), "{core}");
}

/// The values of `attribute` in the XML, in order.
fn attribute_values<'a>(xml: &'a str, attribute: &str) -> Vec<&'a str> {
    let key = format!(" {attribute}=\"");
    xml.match_indices(&key)
        .map(|(at, _)| {
            let value = &xml[at + key.len()..];
            &value[..value.find('"').unwrap()]
        })
        .collect()
}

/// What Word checks before it offers a repair: every override names a part, every
/// relationship's target is a part, every part but the content types and the
/// relationships is some relationship's target, and no paragraph id is used twice.
fn assert_consistent_package(parts: &BTreeMap<String, String>) {
    for name in attribute_values(&parts["[Content_Types].xml"], "PartName") {
        assert!(
            parts.contains_key(&name[1..]),
            "override of a missing {name}"
        );
    }
    let mut targets = Vec::new();
    for (name, xml) in parts.iter().filter(|(n, _)| n.ends_with(".rels")) {
        // word/_rels/document.xml.rels relates word/document.xml; _rels/.rels the package.
        let folder = name.split("_rels/").next().unwrap();
        for target in attribute_values(xml, "Target") {
            let path = format!("{folder}{target}");
            assert!(parts.contains_key(&path), "{name} relates a missing {path}");
            targets.push(path);
        }
    }
    for name in parts.keys() {
        if name != "[Content_Types].xml" && !name.ends_with(".rels") {
            assert!(
                targets.contains(name),
                "{name} is not related from anywhere"
            );
        }
    }
    let mut ids = std::collections::HashSet::new();
    for (name, xml) in parts {
        for id in attribute_values(xml, "w14:paraId") {
            let value = u32::from_str_radix(id, 16).unwrap();
            assert!(value > 0 && value < 0x8000_0000, "{name}: paraId {id}");
            assert!(ids.insert(id), "{name}: paraId {id} used twice");
        }
    }
    assert!(ids.len() > 100, "{} paragraph ids", ids.len());
}

/// The package as Word writes it: every part deflated, `[Content_Types].xml` first, no
/// folder entries, no part that nothing refers to (docx-rs writes comments, numbering
/// and footnotes parts for every document); the seed's report is about 29 KB (docx-rs
/// alone stores it, 418 KB).
#[test]
fn the_seed_report_is_deflated_small_and_consistent() {
    let docx = write_docx(&seed_report()).unwrap();
    assert!(docx.len() < 100_000, "{} bytes", docx.len());
    let mut zip = zip::ZipArchive::new(Cursor::new(&docx[..])).unwrap();
    let mut names = Vec::new();
    let mut unpacked = 0;
    for i in 0..zip.len() {
        let file = zip.by_index(i).unwrap();
        assert!(!file.is_dir(), "a folder entry: {}", file.name());
        assert_eq!(
            file.compression(),
            zip::CompressionMethod::Deflated,
            "{}",
            file.name()
        );
        unpacked += file.size();
        names.push(file.name().to_string());
    }
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/app.xml",
            "docProps/core.xml",
            "docProps/custom.xml",
            "word/_rels/document.xml.rels",
            "word/document.xml",
            "word/styles.xml",
            "word/settings.xml",
            "word/fontTable.xml",
            "word/footer1.xml",
            "word/_rels/footer1.xml.rels",
            "word/footer2.xml",
            "word/_rels/footer2.xml.rels",
        ]
    );
    // Deflate packs the XML at least five to one.
    assert!(
        unpacked > 5 * docx.len() as u64,
        "{unpacked} from {}",
        docx.len()
    );
    // It reads back, the same document.
    let (parts, read) = assert_valid(&docx);
    assert_consistent_package(&parts);
    let types = &parts["[Content_Types].xml"];
    for gone in ["comments", "commentsExtended", "numbering", "footnotes"] {
        assert!(!types.contains(&format!("/word/{gone}.xml")), "{types}");
        assert!(!parts["word/_rels/document.xml.rels"].contains(&format!("\"{gone}.xml\"")));
    }
    let text = body(&read).paragraphs.join("\n");
    assert!(text.contains("当年财政预算7750.69万元，全年支出7719.74万元，执行率99.60%"));
}

#[test]
fn the_signature_date_dates_the_document() {
    let mut unit = seed_unit();
    unit.date = "2023年3月15日".into();
    let docx = write_docx(&jixiao::report(&unit, &Rulebook::default())).unwrap();
    let core = &parts(&docx)["docProps/core.xml"];
    assert!(
        core.contains(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">2023-03-15T00:00:00Z</dcterms:created>"#
        ),
        "{core}"
    );
}

#[test]
fn narrative_alone_is_one_portrait_section() {
    let mut report = seed_report();
    report.forms.clear();
    let docx = write_docx(&report).unwrap();
    let (parts, _) = assert_valid(&docx);
    assert_consistent_package(&parts);
    let sections = section_properties(&parts["word/document.xml"]);
    assert_eq!(sections.len(), 1);
    assert!(sections[0].contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#));
    assert!(sections[0].contains("<w:footerReference"));
    assert!(sections[0].contains(r#"<w:docGrid w:type="lines""#));
    assert!(sections[0].contains(r#"<w:footerReference w:type="even""#));
}

const HOSTILE: &str = "<img src=x onerror=alert(1)></w:t></w:r>&amp;&#0;]]>\u{0}\u{1}\u{b}\u{1b}\u{7f}\u{85}\u{fffe}\u{ffff}\"'\r\n\t尾";

#[test]
fn hostile_text_gives_a_valid_document() {
    let mut unit = seed_unit();
    let big: String = "长文本<&>\u{0}".repeat(100 * 1024 / 12);
    assert!(big.len() > 100 * 1024);
    unit.name = format!("{HOSTILE}单位");
    unit.addressee = HOSTILE.into();
    unit.date = format!("\u{0}{HOSTILE}");
    unit.narrative.work_done = big.clone();
    unit.goal.expected = format!("{HOSTILE}\n{HOSTILE}");
    unit.projects[0].name = format!("</w:t>{HOSTILE}");
    unit.projects[0].goal.actual = big.clone();
    unit.projects[1].indicators[0].name = HOSTILE.into();
    unit.projects[1].indicators[0].reason = big;
    let report = jixiao::report(&unit, &Rulebook::default());
    let docx = write_docx(&report).unwrap();
    let (parts, read) = assert_valid(&docx);
    let document = &parts["word/document.xml"];
    assert!(!document.contains("<img"));
    // Escaped once, less the characters XML cannot hold; the line break and the tab
    // are a break and a tab.
    assert!(document.contains(concat!(
        r#"<w:t xml:space="preserve">&lt;img src=x onerror=alert(1)&gt;&lt;/w:t&gt;&lt;/w:r&gt;"#,
        r#"&amp;amp;&amp;#0;]]&gt;&quot;&apos;</w:t><w:br w:type="textWrapping" /><w:tab />"#,
        r#"<w:t xml:space="preserve">尾单位</w:t>"#
    )));
    // (docx-rs's reader unescapes twice — “&amp;amp;” reads “&” — so compare up to there.)
    let body = body(&read);
    assert!(
        body.paragraphs[0].starts_with("<img src=x onerror=alert(1)></w:t></w:r>&"),
        "{:?}",
        body.paragraphs[0]
    );
    assert!(body.paragraphs.iter().any(|p| p.len() > 100 * 1024));
    let core = &parts["docProps/core.xml"];
    assert!(
        core.contains("<dc:title>&lt;img src=x onerror=alert(1)&gt;"),
        "{core}"
    );
    // Same header marks as on the seed: text cannot forge one.
    assert_eq!(document.matches("<w:tblHeader />").count(), 9);
}

fn cell(row: usize, col: usize, row_span: usize, col_span: usize, text: &str) -> Cell {
    Cell {
        row,
        col,
        row_span,
        col_span,
        text: text.into(),
        number: None,
        label: row == 0,
        align: Align::Left,
    }
}

fn form(widths: Vec<u16>, rows: usize, cells: Vec<Cell>, header_row: Option<usize>) -> Form {
    Form {
        sheet: "表".into(),
        caption: "附表9".into(),
        title: "表".into(),
        subtitle: String::new(),
        widths,
        rows,
        cells,
        header_row,
    }
}

#[test]
fn malformed_forms_still_give_valid_tables() {
    let report = Report {
        file_stem: String::new(),
        narrative: vec![
            Block::Signature(String::new()),
            Block::Title(String::new()),
            Block::Paragraph(String::new()),
        ],
        forms: vec![
            // Overlapping cells, spans past the edges, zero spans and widths.
            form(
                vec![0, 5, 0],
                3,
                vec![
                    cell(0, 0, 5, 9, "大"),
                    cell(0, 1, 1, 1, "重叠"),
                    cell(1, 1, 0, 0, "零"),
                    cell(2, 2, 1, 1, "角"),
                    cell(usize::MAX, usize::MAX, usize::MAX, usize::MAX, "远"),
                    cell(7, 0, 1, 1, "行外"),
                ],
                Some(1),
            ),
            // No widths, no rows, a header row beyond the table.
            form(vec![], 0, vec![], Some(usize::MAX)),
            form(vec![], 2, vec![cell(1, 70, 1, 1, "列外")], Some(0)),
            // A merge across the split at the header row.
            form(
                vec![4, 4],
                4,
                vec![cell(0, 0, 4, 1, "跨"), cell(2, 1, 1, 1, "表头")],
                Some(2),
            ),
        ],
        carry: Default::default(),
    };
    let docx = write_docx(&report).unwrap();
    let (parts, read) = assert_valid(&docx);
    let document = &parts["word/document.xml"];
    // Every row of a table covers its whole grid.
    for table in document.split("<w:tbl>").skip(1) {
        let table = &table[..table.find("</w:tbl>").unwrap()];
        let cols = table.matches("<w:gridCol ").count();
        for row in table.split("<w:tr>").skip(1) {
            let spans: usize = row
                .split("<w:tc>")
                .skip(1)
                .map(|tc| {
                    tc.find("<w:gridSpan w:val=\"")
                        .map(|at| {
                            let rest = &tc[at + 19..];
                            rest[..rest.find('"').unwrap()].parse::<usize>().unwrap()
                        })
                        .unwrap_or(1)
                })
                .sum();
            assert_eq!(spans, cols, "{row}");
        }
    }
    assert_eq!(body(&read).forms.len(), 4);
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(HOSTILE.to_string()),
        "[<>&\"'\\\\\n\t ]{0,8}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_text_gives_a_valid_document(
        texts in proptest::collection::vec(text(), 8),
        spans in proptest::collection::vec((0usize..5, 0usize..5, 0usize..4, 0usize..4), 0..12),
        header in proptest::option::of(0usize..5),
    ) {
        let narrative = vec![
            Block::Title(texts[0].clone()),
            Block::Salutation(texts[1].clone()),
            Block::Heading1(texts[2].clone()),
            Block::Heading2(texts[3].clone()),
            Block::Heading3(texts[4].clone()),
            Block::Paragraph(texts[5].clone()),
            Block::Signature(texts[6].clone()),
            Block::Signature(texts[7].clone()),
        ];
        let cells = spans
            .iter()
            .zip(texts.iter().cycle())
            .map(|(&(r, c, rs, cs), t)| cell(r, c, rs, cs, t))
            .collect();
        let report = Report {
            file_stem: texts[0].clone(),
            narrative,
            forms: vec![form(vec![3, 1, 4, 1], 5, cells, header)],
            carry: Default::default(),
        };
        let docx = write_docx(&report).unwrap();
        assert_valid(&docx);
    }
}
