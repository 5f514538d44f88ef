//! The package: docx-rs's parts, edited where docx-rs has no API, and zipped.

use super::schema::conform;
use super::*;
// ---------------------------------------------------------------------------------
// The package

/// The package's parts by name, in docx-rs's order (`[Content_Types].xml` first), less
/// the parts nothing refers to, with unique paragraph ids.
///
/// docx-rs always writes `comments.xml`, `commentsExtended.xml` (related from the
/// document although no `comments.xml` is), `numbering.xml` and `footnotes.xml`; a
/// report has no comments, lists or footnotes, and Word is reported to offer a repair
/// for a `commentsExtended.xml` without comments. Each such part goes together with
/// its content-type override and its relationship. docx-rs also gives the paragraph
/// that carries a section's properties an id the document's first paragraph has.
/// The `forms` are written in place of the paragraph in the style [`FORMS_PLACE`].
pub(super) fn parts(
    xml: docx_rs::XMLDocx,
    forms: &[Form],
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let text = |bytes: Vec<u8>| {
        String::from_utf8(bytes).map_err(|_| "生成 Word 文档失败：文档编码有误".to_string())
    };
    let mut content_types = text(xml.content_type)?;
    let mut document_rels = text(xml.document_rels)?;
    let mut next_id = 1;
    let document = conform(&text(xml.document)?);
    // Nothing in the forms refers to another part: what docx-rs wrote says what is used.
    let used = |reference: &str| document.contains(reference);
    let optional = [
        ("comments.xml", xml.comments, used("<w:commentReference")),
        ("numbering.xml", xml.numberings, used("<w:numPr")),
        (
            "commentsExtended.xml",
            xml.comments_extended,
            used("<w:commentReference"),
        ),
        ("footnotes.xml", xml.footnotes, used("<w:footnoteReference")),
    ];
    let document = with_forms(&document, forms, &mut next_id);
    let mut parts = vec![
        ("_rels/.rels".to_string(), xml.rels),
        ("docProps/app.xml".into(), xml.doc_props.app),
        ("docProps/core.xml".into(), xml.doc_props.core),
        ("docProps/custom.xml".into(), xml.doc_props.custom),
        ("word/document.xml".into(), document.into_bytes()),
        (
            "word/styles.xml".into(),
            conform(&text(xml.styles)?).into_bytes(),
        ),
        (
            "word/settings.xml".into(),
            conform(&text(xml.settings)?).into_bytes(),
        ),
        ("word/fontTable.xml".into(), xml.font_table),
    ];
    for (name, part, used) in optional {
        if used {
            parts.push((format!("word/{name}"), part));
        } else {
            content_types = without_element(&content_types, &format!("PartName=\"/word/{name}\""));
            document_rels = without_element(&document_rels, &format!("Target=\"{name}\""));
        }
    }
    for (i, header) in xml.headers.into_iter().enumerate() {
        let header = unique_para_ids(conform(&text(header)?), &mut next_id);
        parts.push((format!("word/header{}.xml", i + 1), header.into_bytes()));
        if let Some(rels) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (i, footer) in xml.footers.into_iter().enumerate() {
        let footer = unique_para_ids(conform(&text(footer)?), &mut next_id);
        parts.push((format!("word/footer{}.xml", i + 1), footer.into_bytes()));
        if let Some(rels) = xml.footer_rels.get(i) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels.clone()));
        }
    }
    // (No images, task panes or custom XML: the report has none.)
    parts.insert(
        0,
        ("[Content_Types].xml".into(), content_types.into_bytes()),
    );
    parts.insert(
        5,
        (
            "word/_rels/document.xml.rels".into(),
            document_rels.into_bytes(),
        ),
    );
    Ok(parts)
}

/// The document with paragraph ids unique and in order, and the forms written in place
/// of the paragraph in the style [`FORMS_PLACE`] (if any). Text cannot contain such a
/// paragraph: docx-rs escapes every `<`.
fn with_forms(document: &str, forms: &[Form], next_id: &mut u32) -> String {
    let marker = format!("<w:pStyle w:val=\"{FORMS_PLACE}\" />");
    let place = document.find(&marker).and_then(|at| {
        let start = document[..at].rfind("<w:p ")?;
        let end = at + document[at..].find("</w:p>")? + "</w:p>".len();
        Some((start, end))
    });
    let Some((start, end)) = place else {
        return unique_para_ids(document.to_string(), next_id);
    };
    let head = unique_para_ids(document[..start].to_string(), next_id);
    let mut out = write_forms(head, forms);
    out.push_str(&unique_para_ids(document[end..].to_string(), next_id));
    out
}

/// The XML less the first empty element (`<… />`) holding `marker` in its tag.
pub(super) fn without_element(xml: &str, marker: &str) -> String {
    let Some(at) = xml.find(marker) else {
        return xml.to_string();
    };
    match (xml[..at].rfind('<'), xml[at..].find("/>")) {
        (Some(start), Some(end)) => format!("{}{}", &xml[..start], &xml[at + end + 2..]),
        _ => xml.to_string(),
    }
}

/// Every paragraph's `w14:paraId` renumbered from `next`, in order (ids must be unique
/// across the package and below 0x80000000). Text cannot match: docx-rs escapes `<`.
pub(super) fn unique_para_ids(xml: String, next: &mut u32) -> String {
    const TAG: &str = "<w:p w14:paraId=\"";
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml.as_str();
    while let Some(at) = rest.find(TAG) {
        let value = &rest[at + TAG.len()..];
        let Some(close) = value.find('"') else { break };
        out.push_str(&rest[..at + TAG.len()]);
        out.push_str(&format!("{:08X}", *next & 0x7FFF_FFFF));
        *next += 1;
        rest = &value[close..];
    }
    out.push_str(rest);
    out
}

/// The parts deflated (docx-rs stores every part: the seed's report is 324 KB stored,
/// 23 KB deflated), by the very zip writer rust_xlsxwriter builds (a stream into a
/// `Cursor<&mut Vec<u8>>`): the browser's core carries its code once. Deflate at the
/// default level (6), but a part over [`LARGE_PART`] bytes (the forms of more than
/// about 70 projects) at [`LARGE_PART_LEVEL`]: for 1,000 projects (57 MB of XML) level
/// 6 took 60 % of the export's instructions and level 3 takes 40 % fewer for a file
/// of 2.7 MB instead of 2.0 MB.
pub(super) fn pack(parts: Vec<(String, Vec<u8>)>) -> zip9::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let size: usize = parts.iter().map(|(_, p)| p.len()).sum();
    let mut packed = Vec::with_capacity(size / 8);
    let mut out = zip9::ZipWriter::new_stream(Cursor::new(&mut packed));
    let options = zip9::write::SimpleFileOptions::default()
        .compression_method(zip9::CompressionMethod::Deflated)
        .unix_permissions(0o600)
        .last_modified_time(zip9::DateTime::default());
    for (name, part) in parts {
        let options = if part.len() > LARGE_PART {
            options.compression_level(Some(LARGE_PART_LEVEL))
        } else {
            options
        };
        out.start_file(name.as_str(), options)?;
        out.write_all(&part)?;
    }
    out.finish()?;
    Ok(packed)
}

/// See [`pack`].
const LARGE_PART: usize = 4 << 20;
const LARGE_PART_LEVEL: i64 = 3;

// ---------------------------------------------------------------------------------
// What docx-rs cannot say

/// The narrative's section numbered by the same footers as the forms' (the document's
/// last section): docx-rs keeps only one footer of a section added with `add_section`,
/// and GB/T 9704 wants two, odd and even. Both sections' footers are alike (“— n —”
/// one character in from the margin), so the first section's properties get the last
/// one's footer references. Text cannot contain them: docx-rs escapes every `<`.
pub(super) fn share_footers(document: Vec<u8>) -> Result<Vec<u8>, String> {
    let xml =
        String::from_utf8(document).map_err(|_| "生成 Word 文档失败：正文编码有误".to_string())?;
    const REFERENCE: &str = "<w:footerReference ";
    let Some(last) = xml.rfind("<w:sectPr") else {
        return Ok(xml.into_bytes());
    };
    let mut references = String::new();
    let mut rest = &xml[last..];
    while let Some(at) = rest.find(REFERENCE) {
        let Some(end) = rest[at..].find("/>") else {
            break;
        };
        references.push_str(&rest[at..at + end + 2]);
        rest = &rest[at + end + 2..];
    }
    let Some(first) = xml.find("<w:sectPr") else {
        return Ok(xml.into_bytes());
    };
    if first == last || references.is_empty() || xml[first..last].contains(REFERENCE) {
        return Ok(xml.into_bytes());
    }
    let Some(open) = xml[first..].find('>').map(|e| first + e + 1) else {
        return Ok(xml.into_bytes());
    };
    Ok(format!("{}{}{}", &xml[..open], references, &xml[open..]).into_bytes())
}

/// The language of the text: Chinese (PRC) for East Asian text, so that Word, WPS and
/// LibreOffice choose Chinese fonts, punctuation and line breaking. docx-rs has no
/// w:lang: it goes into the document defaults' run properties (`conform` puts it in
/// the schema's place).
pub(super) fn declare_language(styles: Vec<u8>) -> Result<Vec<u8>, String> {
    let xml =
        String::from_utf8(styles).map_err(|_| "生成 Word 文档失败：样式编码有误".to_string())?;
    const DEFAULTS: &str = "<w:rPrDefault><w:rPr>";
    const LANGUAGE: &str = r#"<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA" />"#;
    Ok(xml
        .replacen(DEFAULTS, &format!("{DEFAULTS}{LANGUAGE}"), 1)
        .into_bytes())
}

/// A font of the font table: its name, the name to try when it is missing, PANOSE,
/// family, pitch and the code pages and Unicode ranges it covers (w:sig), as Chinese
/// Windows declares them.
struct FontEntry {
    name: &'static str,
    alternative: &'static str,
    panose: &'static str,
    family: &'static str,
    pitch: &'static str,
    /// usb0–usb3, csb0, csb1.
    signature: [&'static str; 6],
}

/// GB2312 fonts as Windows describes them (the `_GB2312` faces cover GB2312 alone).
const GB2312_ONLY: [&str; 6] = [
    "00000001", "080E0000", "00000010", "00000000", "00040000", "00000000",
];
const SIMPLIFIED: [&str; 6] = [
    "800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000",
];
const SONG: [&str; 6] = [
    "00000003", "288F0000", "00000016", "00000000", "00040001", "00000000",
];

/// The report's fonts and their substitutes, in the order to try them: 仿宋_GB2312 → 仿宋
/// → FangSong, 楷体_GB2312 → 楷体 → KaiTi, 方正小标宋简体 → 宋体 → SimSun, 黑体 → SimHei.
const FONTS: &[FontEntry] = &[
    FontEntry {
        name: FANGSONG,
        alternative: "仿宋",
        panose: "02010609030101010101",
        family: "modern",
        pitch: "fixed",
        signature: GB2312_ONLY,
    },
    FontEntry {
        name: "仿宋",
        alternative: "FangSong",
        panose: "02010609060101010101",
        family: "modern",
        pitch: "fixed",
        signature: SIMPLIFIED,
    },
    FontEntry {
        name: KAITI,
        alternative: "楷体",
        panose: "02010609030101010101",
        family: "modern",
        pitch: "fixed",
        signature: GB2312_ONLY,
    },
    FontEntry {
        name: "楷体",
        alternative: "KaiTi",
        panose: "02010609060101010101",
        family: "modern",
        pitch: "fixed",
        signature: SIMPLIFIED,
    },
    FontEntry {
        name: XIAOBIAOSONG,
        alternative: SONGTI,
        panose: "02000000000000000000",
        family: "auto",
        pitch: "variable",
        signature: GB2312_ONLY,
    },
    FontEntry {
        name: SONGTI,
        alternative: "SimSun",
        panose: "02010600030101010101",
        family: "auto",
        pitch: "variable",
        signature: SONG,
    },
    FontEntry {
        name: HEITI,
        alternative: "SimHei",
        panose: "02010609060101010101",
        family: "modern",
        pitch: "fixed",
        signature: SIMPLIFIED,
    },
];

/// The font table with the report's fonts, each with the GB2312 charset (86) and its
/// substitute (w:altName), after docx-rs's three Western fonts. docx-rs writes no
/// others and has no API for them.
pub(super) fn declare_fonts(table: Vec<u8>) -> Result<Vec<u8>, String> {
    let xml =
        String::from_utf8(table).map_err(|_| "生成 Word 文档失败：字体表编码有误".to_string())?;
    let mut fonts = String::new();
    for f in FONTS {
        let [usb0, usb1, usb2, usb3, csb0, csb1] = f.signature;
        fonts.push_str(&format!(
            r#"<w:font w:name="{}"><w:altName w:val="{}" /><w:panose1 w:val="{}" /><w:charset w:val="86" /><w:family w:val="{}" /><w:pitch w:val="{}" /><w:sig w:usb0="{usb0}" w:usb1="{usb1}" w:usb2="{usb2}" w:usb3="{usb3}" w:csb0="{csb0}" w:csb1="{csb1}" /></w:font>"#,
            f.name, f.alternative, f.panose, f.family, f.pitch
        ));
    }
    Ok(xml
        .replacen("</w:fonts>", &format!("{fonts}</w:fonts>"), 1)
        .into_bytes())
}

/// The document's title and creator in `docProps/core.xml`, and no dates rather than
/// docx-rs's 1970 when the report has no date (there is no clock in the browser).
pub(super) fn core_properties(core: Vec<u8>, title: &str) -> Result<Vec<u8>, String> {
    let xml =
        String::from_utf8(core).map_err(|_| "生成 Word 文档失败：文档属性编码有误".to_string())?;
    let xml = xml
        .replace(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">1970-01-01T00:00:00Z</dcterms:created>"#,
            "",
        )
        .replace(
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">1970-01-01T00:00:00Z</dcterms:modified>"#,
            "",
        )
        .replace(
            "<dc:creator>unknown</dc:creator>",
            &format!("<dc:creator>{CREATOR}</dc:creator>"),
        )
        .replace(
            "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
            &format!("<cp:lastModifiedBy>{CREATOR}</cp:lastModifiedBy>"),
        );
    let end = "</cp:coreProperties>";
    let xml = match xml.rfind(end) {
        Some(at) if !xml.contains("<dc:title>") => format!(
            "{}<dc:title>{}</dc:title>{}",
            &xml[..at],
            escape(title),
            &xml[at..]
        ),
        _ => xml,
    };
    Ok(xml.into_bytes())
}

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// “兰州新区应急管理局2022年度部门本级预算绩效自评工作总结”: the title lines together.
pub(super) fn document_title(report: &Report) -> String {
    let title: String = report
        .narrative
        .iter()
        .filter_map(|b| match b {
            Block::Title(t) => Some(t.trim()),
            _ => None,
        })
        .collect();
    let title = if title.is_empty() {
        report.file_stem.clone()
    } else {
        title
    };
    // A title is a line, not a page.
    title.chars().take(255).collect()
}

/// “2023年3月15日” (or 2023-03-15, 2023.3.15) as a W3CDTF timestamp.
pub(super) fn iso_date(text: &str) -> Option<String> {
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect::<Option<_>>()?;
    let [y, m, d] = numbers[..] else { return None };
    let valid = (1900..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    valid.then(|| format!("{y:04}-{m:02}-{d:02}T00:00:00Z"))
}
