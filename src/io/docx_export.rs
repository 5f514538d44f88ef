//! The report as a .docx document: the narrative, then the forms as Word tables.
//!
//! Layout after GB/T 9704-2012 (RULES.md §5): the narrative is an A4 portrait section
//! (margins 37/35/28/26 mm, text block 156 × 225 mm, 22 lines × 28 characters of 3号仿宋
//! through a `linesAndChars` document grid), page numbers “— n —” in 4号宋体; the forms
//! (附表) follow in an A4 landscape section, one Word table per form with merged cells,
//! the indicator header row repeated at the top of every printed page.
//!
//! docx-rs writes every part. It has no API for two things, so they are added to its
//! output as a last step, each by one exact, documented edit: `w:tblHeader` on the
//! header rows (marked with `w:cantSplit`, which only header rows carry), and the title
//! and creator in `docProps/core.xml` (less docx-rs's 1970 dates when the report has no
//! date). The package is then written from docx-rs's parts (`parts`, `pack`): deflated
//! by the zip writer rust_xlsxwriter already builds (docx-rs's own stores them: the
//! seed's report is 29 KB instead of 418 KB), without the parts a report never refers
//! to, with paragraph ids unique across the package, so that Word, WPS and LibreOffice
//! open it without offering a repair. Everything runs in the browser too: no file
//! system, no clock, the archive is built in memory.

use crate::report::{Align, Block, Form, Report};
use docx_rs::{
    AlignmentType, BorderType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer,
    HeightRule, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin,
    PageOrientationType, PageSize, Paragraph, Run, RunFonts, Section, Shading, ShdType,
    SpecialIndentType, Style, StyleType, Table, TableAlignmentType, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableLayoutType, TableRow, VAlignType,
    VMergeType, WidthType,
};
use std::io::Cursor;

// ---------------------------------------------------------------------------------
// Measures. Lengths are twips (1/20 pt, 1440 an inch); font sizes half-points.

/// Millimetres to twips, rounded to the nearest twip.
const fn mm(x: u32) -> u32 {
    (x * 14400 + 127) / 254
}

const A4_SHORT: u32 = 11906;
const A4_LONG: u32 = 16838;

// The portrait narrative: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const TOP: u32 = mm(37);
const BOTTOM: u32 = mm(35);
const LEFT: u32 = mm(28);
const RIGHT: u32 = mm(26);
/// Page bottom to the footer's bottom: the page number's top sits about 7 mm below the
/// text block, as GB/T 9704 §7.5 asks.
const FOOTER: u32 = mm(22);
/// 225 mm of text height over 22 lines: 579.8, rounded down so 22 lines fit.
const LINE_PITCH: u32 = (A4_LONG - TOP - BOTTOM) / 22;
/// The grid's character pitch relative to the 16 pt default font, in 1/4096 pt:
/// 16 − 842/4096 = 15.794 pt, and 28 of them fill the 8845-twip line (29 do not).
const CHAR_SPACE: isize = -842;
/// Two characters of the grid (2 × 315.89 twips), rounded down so the first line of a
/// paragraph keeps its 26 characters; 640 (two 16 pt characters) would lose one.
const INDENT_2: i32 = 631;
/// Half a grid character, in twips (for the signature's right indents).
const HALF_CHAR: f64 = 315.89 / 2.0;

// The landscape forms: 25 mm all round, page numbers 15 mm from the bottom edge.
const FORM_MARGIN: u32 = mm(25);
const FORM_FOOTER: u32 = mm(15);
const FORM_WIDTH: u32 = A4_LONG - 2 * FORM_MARGIN;
/// Word allows at most 63 columns in a table.
const MAX_COLS: usize = 63;
/// A bound on a form's rows, so a malformed report cannot exhaust memory.
const MAX_ROWS: usize = 20_000;

const BODY: usize = 32; // 3号, 16 pt
const TITLE: usize = 44; // 2号, 22 pt
const PAGE_NUMBER: usize = 28; // 4号, 14 pt
const CAPTION: usize = 28; // 4号
const FORM_TITLE: usize = 36; // 小2号, 18 pt
const FORM_SUBTITLE: usize = 24; // 小4号, 12 pt
const CELL: usize = 21; // 5号, 10.5 pt

const FANGSONG: &str = "仿宋_GB2312";
const HEITI: &str = "黑体";
const KAITI: &str = "楷体_GB2312";
const XIAOBIAOSONG: &str = "方正小标宋简体";
const SONGTI: &str = "宋体";

const CREATOR: &str = "绩效自评";
/// A light grey for the printed labels of a form.
const LABEL_FILL: &str = "F2F2F2";

// ---------------------------------------------------------------------------------

/// The document's bytes.
pub fn write_docx(report: &Report) -> Result<Vec<u8>, String> {
    let narrative = narrative(&report.narrative);
    // The default size is the character grid's reference; the fonts are in the styles.
    let mut docx = Docx::new()
        .default_size(BODY)
        .default_line_spacing(exact(LINE_PITCH));
    for style in styles() {
        docx = docx.add_style(style);
    }
    if let Some(date) = report.narrative.iter().rev().find_map(|b| match b {
        Block::Signature(s) => iso_date(s),
        _ => None,
    }) {
        docx = docx.created_at(&date).updated_at(&date);
    }

    if report.forms.is_empty() {
        // The narrative alone: its section is the document's last one.
        for p in narrative {
            docx = docx.add_paragraph(p);
        }
        docx = docx
            .page_size(A4_SHORT, A4_LONG)
            .page_margin(portrait_margin())
            .footer(page_number_footer());
        docx.document = docx.document.doc_grid(grid());
    } else {
        // The narrative is a section of its own (its break starts the forms on a new
        // page); the forms are the document's last, landscape, section.
        let mut section = Section::new()
            .page_size(PageSize::new().size(A4_SHORT, A4_LONG))
            .page_margin(portrait_margin())
            .doc_grid(grid())
            .footer(page_number_footer());
        for p in narrative {
            section = section.add_paragraph(p);
        }
        docx = docx
            .add_section(section)
            .page_size(A4_LONG, A4_SHORT)
            .page_orient(PageOrientationType::Landscape)
            .page_margin(
                PageMargin::new()
                    .top(FORM_MARGIN as i32)
                    .bottom(FORM_MARGIN as i32)
                    .left(FORM_MARGIN as i32)
                    .right(FORM_MARGIN as i32)
                    .header(FORM_FOOTER as i32)
                    .footer(FORM_FOOTER as i32)
                    .gutter(0),
            )
            .footer(page_number_footer());
        for (i, form) in report.forms.iter().enumerate() {
            docx = add_form(docx, form, i > 0);
        }
        // The body ends with a paragraph, not a table.
        docx = docx.add_paragraph(spacer());
    }

    let mut xml = docx.build();
    xml.document = mark_header_rows(xml.document)?;
    xml.doc_props.core = core_properties(xml.doc_props.core, &document_title(report))?;
    pack(parts(xml)?).map_err(|e| format!("生成 Word 文档失败：{e}"))
}

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
fn parts(xml: docx_rs::XMLDocx) -> Result<Vec<(String, Vec<u8>)>, String> {
    let text = |bytes: Vec<u8>| {
        String::from_utf8(bytes).map_err(|_| "生成 Word 文档失败：文档编码有误".to_string())
    };
    let mut content_types = text(xml.content_type)?;
    let mut document_rels = text(xml.document_rels)?;
    let mut next_id = 1;
    let document = unique_para_ids(text(xml.document)?, &mut next_id);
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
    let mut parts = vec![
        ("_rels/.rels".to_string(), xml.rels),
        ("docProps/app.xml".into(), xml.doc_props.app),
        ("docProps/core.xml".into(), xml.doc_props.core),
        ("docProps/custom.xml".into(), xml.doc_props.custom),
        ("word/document.xml".into(), document.into_bytes()),
        ("word/styles.xml".into(), xml.styles),
        ("word/settings.xml".into(), xml.settings),
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
        let header = unique_para_ids(text(header)?, &mut next_id);
        parts.push((format!("word/header{}.xml", i + 1), header.into_bytes()));
        if let Some(rels) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (i, footer) in xml.footers.into_iter().enumerate() {
        let footer = unique_para_ids(text(footer)?, &mut next_id);
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

/// The XML less the first empty element (`<… />`) holding `marker` in its tag.
fn without_element(xml: &str, marker: &str) -> String {
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
fn unique_para_ids(xml: String, next: &mut u32) -> String {
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

/// The parts deflated (docx-rs stores every part: the seed's report is 418 KB stored,
/// 31 KB deflated), by the very zip writer rust_xlsxwriter builds (a stream into a
/// `Cursor<&mut Vec<u8>>`, deflate at the default level): the browser's core carries
/// its code once.
fn pack(parts: Vec<(String, Vec<u8>)>) -> zip9::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let size: usize = parts.iter().map(|(_, p)| p.len()).sum();
    let mut packed = Vec::with_capacity(size / 8);
    let mut out = zip9::ZipWriter::new_stream(Cursor::new(&mut packed));
    let options = zip9::write::SimpleFileOptions::default()
        .compression_method(zip9::CompressionMethod::Deflated)
        .unix_permissions(0o600)
        .last_modified_time(zip9::DateTime::default());
    for (name, part) in parts {
        out.start_file(name.as_str(), options)?;
        out.write_all(&part)?;
    }
    out.finish()?;
    Ok(packed)
}

// ---------------------------------------------------------------------------------
// Text

/// Whether XML 1.0 allows the character (and it is not a C1 control).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || matches!(c, '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// The text without the characters an XML document cannot hold.
fn clean(text: &str) -> String {
    text.chars().filter(|&c| xml_char(c)).collect()
}

/// A run of `text` (cleaned): line breaks become breaks, tabs tabs.
fn text_run(base: Run, text: &str) -> Run {
    let text = clean(text).replace("\r\n", "\n").replace('\r', "\n");
    let mut run = base;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                run = run.add_tab();
            }
            if !piece.is_empty() {
                run = run.add_text(piece);
            }
        }
    }
    run
}

fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .ascii(name)
        .hi_ansi(name)
        .east_asia(name)
        .cs(name)
}

fn exact(twips: u32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(twips as i32)
        .before(0)
        .after(0)
}

fn single() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240)
        .before(0)
        .after(0)
}

/// A paragraph in `style` of one run of `text`.
fn para(style: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .add_run(text_run(Run::new(), text))
}

// The paragraph styles: a user restyles the whole document by editing one of them.
// Each font is a style of its own that the others are based on, so that no run
// properties element holds a font together with a size or bold: docx-rs writes them
// out of the schema's order, and Word is reported to drop a font written after bold.
const F_FANGSONG: &str = "GwFontFangSong";
const F_HEITI: &str = "GwFontHei";
const F_KAITI: &str = "GwFontKai";
const F_XIAOBIAOSONG: &str = "GwFontXiaoBiaoSong";
const F_SONGTI: &str = "GwFontSong";
const S_TITLE: &str = "GwTitle";
const S_HEADING1: &str = "GwHeading1";
const S_HEADING2: &str = "GwHeading2";
const S_HEADING3: &str = "GwHeading3";
const S_BODY: &str = "GwBody";
const S_PLAIN: &str = "GwPlain";
const S_PAGE_NUMBER: &str = "GwPageNumber";
const S_CAPTION: &str = "FormCaption";
const S_FORM_TITLE: &str = "FormTitle";
const S_FORM_SUBTITLE: &str = "FormSubtitle";
const S_CELL: &str = "FormCell";

fn styles() -> Vec<Style> {
    let style = |id: &str, name: &str, base: &str| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on(base)
    };
    let font = |id: &str, name: &str| style(id, name, "Normal").fonts(fonts(name));
    let indent = Some(SpecialIndentType::FirstLine(INDENT_2));
    // 3号 (the document's default size), justified, indented two characters.
    let text = |id: &str, name: &str, base: &str| {
        style(id, name, base)
            .align(AlignmentType::Both)
            .indent(None, indent, None, None)
            .line_spacing(exact(LINE_PITCH))
    };
    vec![
        font(F_FANGSONG, FANGSONG),
        font(F_HEITI, HEITI),
        font(F_KAITI, KAITI),
        font(F_XIAOBIAOSONG, XIAOBIAOSONG),
        font(F_SONGTI, SONGTI),
        // 2号小标宋, centred, off the character grid (which would set 22 pt
        // characters two cells apart).
        style(S_TITLE, "公文标题", F_XIAOBIAOSONG)
            .size(TITLE)
            .align(AlignmentType::Center)
            .line_spacing(exact(LINE_PITCH))
            .snap_to_grid(false),
        text(S_HEADING1, "一级标题", F_HEITI).outline_lvl(0),
        text(S_HEADING2, "二级标题", F_KAITI).outline_lvl(1),
        text(S_HEADING3, "三级标题", F_FANGSONG)
            .outline_lvl(2)
            .bold(),
        text(S_BODY, "公文正文", F_FANGSONG),
        style(S_PLAIN, "公文无缩进", F_FANGSONG)
            .align(AlignmentType::Both)
            .line_spacing(exact(LINE_PITCH)),
        style(S_PAGE_NUMBER, "页码", F_SONGTI)
            .size(PAGE_NUMBER)
            .align(AlignmentType::Center)
            .line_spacing(single())
            .snap_to_grid(false),
        style(S_CAPTION, "附表编号", F_HEITI)
            .size(CAPTION)
            .align(AlignmentType::Left)
            .line_spacing(single()),
        // Bold on the run (see above).
        style(S_FORM_TITLE, "附表标题", F_SONGTI)
            .size(FORM_TITLE)
            .align(AlignmentType::Center)
            .line_spacing(single().before(120)),
        style(S_FORM_SUBTITLE, "附表副标题", F_SONGTI)
            .size(FORM_SUBTITLE)
            .align(AlignmentType::Center)
            .line_spacing(single().before(60).after(120)),
        style(S_CELL, "表格文字", F_SONGTI)
            .size(CELL)
            .align(AlignmentType::Center)
            .line_spacing(single())
            .snap_to_grid(false),
    ]
}

// ---------------------------------------------------------------------------------
// The narrative

fn portrait_margin() -> PageMargin {
    PageMargin::new()
        .top(TOP as i32)
        .bottom(BOTTOM as i32)
        .left(LEFT as i32)
        .right(RIGHT as i32)
        .header(mm(15) as i32)
        .footer(FOOTER as i32)
        .gutter(0)
}

/// 22 lines of 28 characters.
fn grid() -> DocGrid {
    DocGrid::new()
        .grid_type(DocGridType::LinesAndChars)
        .line_pitch(LINE_PITCH as usize)
        .char_space(CHAR_SPACE)
}

fn narrative(blocks: &[Block]) -> Vec<Paragraph> {
    let signatures = signature_indents(blocks);
    let mut out = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        let p = match block {
            Block::Title(t) => {
                let p = para(S_TITLE, t).keep_next(true);
                // A blank line after the title block.
                if matches!(blocks.get(i + 1), Some(Block::Title(_)) | None) {
                    p
                } else {
                    p.line_spacing(exact(LINE_PITCH).after(LINE_PITCH))
                }
            }
            Block::Salutation(t) => para(S_PLAIN, t),
            Block::Heading1(t) => para(S_HEADING1, t).keep_next(true),
            Block::Heading2(t) => para(S_HEADING2, t).keep_next(true),
            Block::Heading3(t) => para(S_HEADING3, t).keep_next(true),
            Block::Paragraph(t) => para(S_BODY, t),
            Block::Signature(t) => {
                let (right, first) = signatures.get(&i).copied().unwrap_or((0, false));
                let p = para(S_PLAIN, t).align(AlignmentType::Right).indent(
                    None,
                    None,
                    Some(right),
                    None,
                );
                // A blank line between the text and the signature.
                if first {
                    p.line_spacing(exact(LINE_PITCH).before(LINE_PITCH))
                } else {
                    p
                }
            }
        };
        // Chinese official documents keep every page's 22 lines: no widow control.
        out.push(p.widow_control(false));
    }
    out
}

/// Width of a text in half-characters: ASCII is half as wide as Chinese.
fn half_width(text: &str) -> i64 {
    text.trim()
        .chars()
        .map(|c| if c.is_ascii() { 1 } else { 2 })
        .sum()
}

/// The right indent (twips) of each signature line, and whether it opens the block.
///
/// GB/T 9704-2012 §7.3.5.2 (no seal): the unit name two characters from the right,
/// the date below it starting two characters right of the name's first character; a
/// date longer than that keeps two characters from the right and the name moves left.
fn signature_indents(blocks: &[Block]) -> std::collections::HashMap<usize, (i32, bool)> {
    let twips = |half: i64| (half.max(0) as f64 * HALF_CHAR).round() as i32;
    let mut out = std::collections::HashMap::new();
    let mut i = 0;
    while i < blocks.len() {
        if !matches!(blocks[i], Block::Signature(_)) {
            i += 1;
            continue;
        }
        let start = i;
        while i < blocks.len() && matches!(blocks[i], Block::Signature(_)) {
            i += 1;
        }
        let group = &blocks[start..i];
        match group {
            [Block::Signature(name), Block::Signature(date)] => {
                let (wn, wd) = (half_width(name), half_width(date));
                let (name_right, date_right) = if wn - wd >= 4 {
                    (4, wn - wd)
                } else {
                    (8 + wd - wn, 4)
                };
                out.insert(start, (twips(name_right), true));
                out.insert(start + 1, (twips(date_right), false));
            }
            _ => {
                for k in start..i {
                    out.insert(k, (twips(4), k == start));
                }
            }
        }
    }
    out
}

/// “— n —” centred, in 4号宋体, with a PAGE field.
fn page_number_footer() -> Footer {
    let page = Run::new()
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    Footer::new().add_paragraph(
        Paragraph::new()
            .style(S_PAGE_NUMBER)
            .add_run(Run::new().add_text("— "))
            .add_run(page)
            .add_run(Run::new().add_text(" —")),
    )
}

// ---------------------------------------------------------------------------------
// The forms

/// A cell placed on the grid: rows `row..row + rows`, columns `col..col + cols`.
struct Placed<'a> {
    row: usize,
    col: usize,
    rows: usize,
    cols: usize,
    text: &'a str,
    label: bool,
    align: Align,
}

/// The form's cells on a grid of `rows × cols`, each position covered at most once.
/// A well-formed form passes unchanged; cells off the grid are dropped and overlaps
/// shrunk, so a malformed report still gives a valid table.
fn place(form: &Form) -> (usize, usize, Vec<Placed<'_>>, Vec<Vec<Option<usize>>>) {
    let extent = |start: usize, span: usize| start.saturating_add(span.max(1));
    let cols = if form.widths.is_empty() {
        form.cells
            .iter()
            .map(|c| extent(c.col, c.col_span))
            .filter(|&e| e <= MAX_COLS)
            .max()
            .unwrap_or(1)
    } else {
        form.widths.len()
    }
    .clamp(1, MAX_COLS);
    let rows = form
        .cells
        .iter()
        .map(|c| extent(c.row, 1))
        .filter(|&e| e <= MAX_ROWS)
        .chain(std::iter::once(form.rows.min(MAX_ROWS)))
        .max()
        .unwrap_or(0);
    let mut owner: Vec<Vec<Option<usize>>> = vec![vec![None; cols]; rows];
    let mut placed = Vec::new();
    for cell in &form.cells {
        if cell.row >= rows || cell.col >= cols || owner[cell.row][cell.col].is_some() {
            continue;
        }
        let max_rows = cell.row_span.clamp(1, rows - cell.row);
        let mut span = cell.col_span.clamp(1, cols - cell.col);
        // Shrink to the free part of the first row, then to the rows free over it.
        if let Some(k) = (cell.col..cell.col + span).position(|c| owner[cell.row][c].is_some()) {
            span = k.max(1);
        }
        let mut height = 1;
        while height < max_rows
            && owner[cell.row + height][cell.col..cell.col + span]
                .iter()
                .all(Option::is_none)
        {
            height += 1;
        }
        let index = placed.len();
        for line in &mut owner[cell.row..cell.row + height] {
            for slot in &mut line[cell.col..cell.col + span] {
                *slot = Some(index);
            }
        }
        placed.push(Placed {
            row: cell.row,
            col: cell.col,
            rows: height,
            cols: span,
            text: &cell.text,
            label: cell.label,
            align: cell.align,
        });
    }
    (rows, cols, placed, owner)
}

/// Column widths in twips, proportional to the form's, filling the text width.
fn column_widths(form: &Form, cols: usize) -> Vec<usize> {
    let weights: Vec<u64> = (0..cols)
        .map(|i| u64::from(form.widths.get(i).copied().unwrap_or(10).max(1)))
        .collect();
    let sum: u64 = weights.iter().sum();
    let total = u64::from(FORM_WIDTH);
    let mut widths: Vec<usize> = weights
        .iter()
        .map(|w| (total * w / sum.max(1)) as usize)
        .collect();
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += (total as usize).saturating_sub(used);
    }
    widths
}

fn add_form(mut docx: Docx, form: &Form, page_break: bool) -> Docx {
    let caption = para(S_CAPTION, &form.caption)
        .page_break_before(page_break)
        .keep_next(true);
    let title = Paragraph::new()
        .style(S_FORM_TITLE)
        .keep_next(true)
        .add_run(text_run(Run::new().bold(), &form.title));
    let subtitle = para(S_FORM_SUBTITLE, &form.subtitle).keep_next(true);
    docx = docx
        .add_paragraph(caption)
        .add_paragraph(title)
        .add_paragraph(subtitle);

    let (rows, cols, placed, owner) = place(form);
    if rows == 0 {
        return docx;
    }
    let widths = column_widths(form, cols);
    // Word repeats header rows only at the top of a table: a form with a header row
    // inside becomes two tables, the second starting with that row.
    match form.header_row {
        Some(h) if h > 0 && h < rows => {
            // The second table's top border draws the line between them.
            let before = table(&placed, &owner, &widths, 0..h, None).set_border(
                TableBorder::new(TableBorderPosition::Bottom).border_type(BorderType::Nil),
            );
            let after = table(&placed, &owner, &widths, h..rows, Some(h));
            // A paragraph between them keeps Word from joining the two tables.
            docx.add_table(before)
                .add_paragraph(spacer())
                .add_table(after)
        }
        Some(0) => docx.add_table(table(&placed, &owner, &widths, 0..rows, Some(0))),
        _ => docx.add_table(table(&placed, &owner, &widths, 0..rows, None)),
    }
}

/// A 1 pt paragraph: between two tables, and at the end of the document.
fn spacer() -> Paragraph {
    Paragraph::new()
        .size(2)
        .snap_to_grid(false)
        .line_spacing(exact(20))
}

fn borders() -> TableBorders {
    let line = |p| TableBorder::new(p).size(4).color("000000");
    TableBorders::new()
        .set(line(TableBorderPosition::Top))
        .set(line(TableBorderPosition::Left))
        .set(line(TableBorderPosition::Bottom))
        .set(line(TableBorderPosition::Right))
        .set(line(TableBorderPosition::InsideH))
        .set(line(TableBorderPosition::InsideV))
}

/// The rows `range` of a form as a table; `header` marks the row Word repeats.
fn table(
    placed: &[Placed<'_>],
    owner: &[Vec<Option<usize>>],
    widths: &[usize],
    range: std::ops::Range<usize>,
    header: Option<usize>,
) -> Table {
    let mut rows = Vec::with_capacity(range.len());
    for r in range.clone() {
        let mut cells = Vec::new();
        let mut c = 0;
        while c < widths.len() {
            let Some(p) = owner[r][c].and_then(|i| placed.get(i)) else {
                cells.push(form_cell("", false, Align::Center, widths[c], 1));
                c += 1;
                continue;
            };
            let width: usize = widths[p.col..p.col + p.cols].iter().sum();
            // A merge that starts above this table starts again in its first row.
            let top = p.row.max(range.start);
            let bottom = (p.row + p.rows).min(range.end);
            let mut cell = if r == top {
                let cell = form_cell(p.text, p.label, p.align, width, p.cols);
                if bottom - top > 1 {
                    cell.vertical_merge(VMergeType::Restart)
                } else {
                    cell
                }
            } else {
                form_cell("", p.label, p.align, width, p.cols).vertical_merge(VMergeType::Continue)
            };
            if p.label {
                cell = cell.shading(
                    Shading::new()
                        .shd_type(ShdType::Clear)
                        .color("auto")
                        .fill(LABEL_FILL),
                );
            }
            cells.push(cell);
            c = p.col + p.cols;
        }
        let mut row = TableRow::new(cells)
            .row_height(400.0)
            .height_rule(HeightRule::AtLeast);
        if header == Some(r) {
            // Only header rows carry cantSplit: `mark_header_rows` adds tblHeader there.
            row = row.cant_split();
        }
        rows.push(row);
    }
    Table::new(rows)
        .set_grid(widths.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(widths.iter().sum(), WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .set_borders(borders())
}

fn form_cell(text: &str, label: bool, align: Align, width: usize, span: usize) -> TableCell {
    let align = match align {
        Align::Center => AlignmentType::Center,
        Align::Left => AlignmentType::Left,
        Align::Right => AlignmentType::Right,
    };
    let run = if label { Run::new().bold() } else { Run::new() };
    let p = Paragraph::new()
        .style(S_CELL)
        .align(align)
        .add_run(text_run(run, text));
    let mut cell = TableCell::new()
        .add_paragraph(p)
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center);
    if span > 1 {
        cell = cell.grid_span(span);
    }
    cell
}

// ---------------------------------------------------------------------------------
// What docx-rs cannot say

/// Adds `w:tblHeader` to the rows marked with `w:cantSplit` (only header rows are).
/// Text cannot contain the marker: docx-rs escapes every `<` of it.
fn mark_header_rows(document: Vec<u8>) -> Result<Vec<u8>, String> {
    let xml =
        String::from_utf8(document).map_err(|_| "生成 Word 文档失败：正文编码有误".to_string())?;
    Ok(xml
        .replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
        .into_bytes())
}

/// The document's title and creator in `docProps/core.xml`, and no dates rather than
/// docx-rs's 1970 when the report has no date (there is no clock in the browser).
fn core_properties(core: Vec<u8>, title: &str) -> Result<Vec<u8>, String> {
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

fn escape(text: &str) -> String {
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
fn document_title(report: &Report) -> String {
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
fn iso_date(text: &str) -> Option<String> {
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect::<Option<_>>()?;
    let [y, m, d] = numbers[..] else { return None };
    let valid = (1900..=9999).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    valid.then(|| format!("{y:04}-{m:02}-{d:02}T00:00:00Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures() {
        assert_eq!((TOP, BOTTOM, LEFT, RIGHT), (2098, 1984, 1587, 1474));
        assert_eq!(LINE_PITCH, 579);
        // 28 characters of the grid fit on a line, 29 do not.
        let width = f64::from(A4_SHORT - LEFT - RIGHT);
        let pitch = (16.0 + CHAR_SPACE as f64 / 4096.0) * 20.0;
        assert_eq!((width / pitch).floor(), 28.0);
        assert_eq!(((width - f64::from(INDENT_2)) / pitch).floor(), 26.0);
    }

    #[test]
    fn cleaning_and_dates() {
        assert_eq!(clean("a\u{0}b\u{1b}c\u{FFFE}\td\n"), "abc\td\n");
        assert_eq!(escape("<a&'\">"), "&lt;a&amp;&apos;&quot;&gt;");
        assert_eq!(
            iso_date("2023年3月15日").as_deref(),
            Some("2023-03-15T00:00:00Z")
        );
        assert_eq!(iso_date("二〇二三年"), None);
        assert_eq!(iso_date("2023年13月1日"), None);
    }

    #[test]
    fn signature_follows_gbt_9704() {
        let blocks = vec![
            Block::Paragraph("正文".into()),
            Block::Signature("兰州新区应急管理局".into()),
            Block::Signature("2023年3月15日".into()),
        ];
        let s = signature_indents(&blocks);
        // The name (9 characters) is 2 characters from the right; the date (6½
        // characters wide) starts 2 characters right of the name.
        assert_eq!(s[&1], ((4.0 * HALF_CHAR).round() as i32, true));
        assert_eq!(s[&2], ((5.0 * HALF_CHAR).round() as i32, false));
    }
}
