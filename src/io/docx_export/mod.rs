//! The report as a .docx document: the narrative, then the forms as Word tables.
//!
//! Layout after GB/T 9704-2012 (RULES.md §5): the narrative is an A4 portrait section
//! (margins 37/35/28/26 mm, text block 156 × 225 mm, 22 lines × 28 characters of 3号仿宋
//! through a `linesAndChars` document grid), page numbers “— n —” in 4号宋体; the forms
//! (附表) follow in an A4 landscape section, one Word table per form with merged cells,
//! the indicator header row repeated at the top of every printed page.
//!
//! docx-rs writes every part but the forms: their quarter of a million cells (1,000
//! projects), which its model and builder took seconds over, are written directly as
//! XML (`forms::write_forms`) in place of a placeholder paragraph, with `w:tblHeader` on
//! the header rows (docx-rs has no API for it). The title and creator in
//! `docProps/core.xml` (less docx-rs's 1970 dates when the report has no date), which
//! docx-rs has no API for either, are added to its output by one exact, documented
//! edit. The package is then written from the parts (`parts`, `pack`): deflated by the
//! zip writer rust_xlsxwriter already builds (docx-rs's own stores them: the seed's
//! report is 23 KB instead of 324 KB), without the parts a report never refers to,
//! with paragraph ids unique across the package, so that Word, WPS and LibreOffice
//! open it without offering a repair. Everything runs in the browser too: no file
//! system, no clock, the archive is built in memory.

use crate::report::{Align, Block, Form, Report};
use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE,
    InstrText, LineSpacing, LineSpacingType, PageMargin, PageOrientationType, PageSize, Paragraph,
    Run, RunFonts, Section, SpecialIndentType, Style, StyleType,
};
use std::io::Cursor;

mod forms;
mod narrative;
mod package;
mod schema;

use forms::{spacer, write_forms};
use narrative::{grid, narrative, page_number_footer, portrait_margin};
use package::{
    core_properties, declare_fonts, declare_language, document_title, iso_date, pack, parts,
    share_footers,
};
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
/// The narrative's character spacing, in twentieths of a point: a 16 pt character then
/// takes 15.75 pt, and 28 of them fit the 8845-twip (442.25 pt) line, 29 do not. Word,
/// WPS and LibreOffice all apply it; a `linesAndChars` document grid would say the same
/// to Word, but LibreOffice lays such a grid out at 18 characters a line.
const CHAR_SPACING: i32 = -5;
/// The width of one character of the narrative, in twips (16 pt − 0.25 pt).
const CHAR_WIDTH: f64 = 315.0;
/// Two characters, so that a paragraph's first line holds 26.
const INDENT_2: i32 = 630;
/// Half a character, in twips (for the signature's right indents).
const HALF_CHAR: f64 = CHAR_WIDTH / 2.0;

// The landscape forms: 25 mm at the sides, 20 mm at the top and bottom, page numbers
// 10 mm from the bottom edge.
const FORM_MARGIN: u32 = mm(25);
const FORM_TOP: u32 = mm(20);
const FORM_FOOTER: u32 = mm(10);
const FORM_WIDTH: u32 = A4_LONG - 2 * FORM_MARGIN;
const FORM_HEIGHT: u32 = A4_SHORT - 2 * FORM_TOP;
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
const CELL: usize = 18; // 小5号, 9 pt: a project form of the usual size fits a page

// The fonts GB/T 9704 names, as Chinese Windows, WPS and UOS call them; `package`
// declares each with its charset (GB2312) and the names to try when it is missing
// (仿宋_GB2312 → 仿宋 → FangSong, 方正小标宋简体 → 宋体 → SimSun, …).
const FANGSONG: &str = "仿宋_GB2312";
const HEITI: &str = "黑体";
const KAITI: &str = "楷体_GB2312";
const XIAOBIAOSONG: &str = "方正小标宋简体";
const SONGTI: &str = "宋体";

const CREATOR: &str = "绩效自评";
/// A form row's least height (18 pt), in twips.
const ROW_HEIGHT: u32 = 360;
/// The style of the paragraph the forms replace (it never reaches the document).
const FORMS_PLACE: &str = "JixiaoFormsPlace";
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
            .footer(page_number_footer(true))
            .even_footer(page_number_footer(false));
        docx.document = docx.document.doc_grid(grid());
    } else {
        // The narrative is a section of its own (its break starts the forms on a new
        // page); the forms are the document's last, landscape, section.
        let mut section = Section::new()
            .page_size(PageSize::new().size(A4_SHORT, A4_LONG))
            .page_margin(portrait_margin())
            .doc_grid(grid());
        for p in narrative {
            section = section.add_paragraph(p);
        }
        docx = docx
            .add_section(section)
            .page_size(A4_LONG, A4_SHORT)
            .page_orient(PageOrientationType::Landscape)
            .page_margin(
                PageMargin::new()
                    .top(FORM_TOP as i32)
                    .bottom(FORM_TOP as i32)
                    .left(FORM_MARGIN as i32)
                    .right(FORM_MARGIN as i32)
                    .header(FORM_FOOTER as i32)
                    .footer(FORM_FOOTER as i32)
                    .gutter(0),
            )
            .footer(page_number_footer(true))
            .even_footer(page_number_footer(false));
        // The forms are written apart (`forms::write_forms`), in place of this paragraph.
        docx = docx.add_paragraph(Paragraph::new().style(FORMS_PLACE));
        // The body ends with a paragraph, not a table.
        docx = docx.add_paragraph(spacer());
    }

    let mut xml = docx.build();
    if !report.forms.is_empty() {
        xml.document = share_footers(xml.document)?;
    }
    xml.styles = declare_language(xml.styles)?;
    xml.font_table = declare_fonts(xml.font_table)?;
    xml.doc_props.core = core_properties(xml.doc_props.core, &document_title(report))?;
    pack(parts(xml, &report.forms)?).map_err(|e| format!("生成 Word 文档失败：{e}"))
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
    if text.chars().all(xml_char) {
        // Most text: copied whole rather than a character at a time.
        return text.to_string();
    }
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

/// One face for every script; quotes and dashes (whose width depends on the script) in
/// the East Asian face, as Chinese text sets them.
fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .ascii(name)
        .hi_ansi(name)
        .east_asia(name)
        .cs(name)
        .hint("eastAsia")
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
const S_LABEL: &str = "FormLabel";

fn styles() -> Vec<Style> {
    let style = |id: &str, name: &str, base: &str| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on(base)
    };
    let font = |id: &str, name: &str| style(id, name, "Normal").fonts(fonts(name));
    let indent = Some(SpecialIndentType::FirstLine(INDENT_2));
    // 3号 (the document's default size), 28 characters a line.
    let narrow = |mut style: Style| {
        style.run_property = style.run_property.character_spacing(CHAR_SPACING);
        style
    };
    // Justified, indented two characters.
    let text = |id: &str, name: &str, base: &str| {
        narrow(style(id, name, base))
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
        narrow(style(S_PLAIN, "公文无缩进", F_FANGSONG))
            .align(AlignmentType::Both)
            .line_spacing(exact(LINE_PITCH)),
        // Aligned by the footer: odd pages right, even pages left.
        style(S_PAGE_NUMBER, "页码", F_SONGTI)
            .size(PAGE_NUMBER)
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
        // The printed labels of a form: the cell text, bold.
        style(S_LABEL, "表格标签", S_CELL).bold(),
    ]
}

#[cfg(test)]
mod tests {
    use super::package::escape;
    use super::*;

    #[test]
    fn measures() {
        assert_eq!((TOP, BOTTOM, LEFT, RIGHT), (2098, 1984, 1587, 1474));
        assert_eq!(LINE_PITCH, 579);
        // 28 characters of the grid fit on a line, 29 do not.
        let width = f64::from(A4_SHORT - LEFT - RIGHT);
        let pitch = 16.0 * 20.0 + f64::from(CHAR_SPACING);
        assert_eq!(pitch, CHAR_WIDTH);
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
}
