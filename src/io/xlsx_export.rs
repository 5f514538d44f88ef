//! The report's forms as an .xlsx workbook: one sheet per form, in the report's order
//! (附表1-1 … 附表1-n, one per project, then 部门整体).
//!
//! Each sheet is the printed form: the caption (附表1-1) in the first row, the title
//! merged across all columns, the subtitle （2022年度）, then the form's grid — merged
//! ranges for spans, thin borders on every cell, wrapped and vertically centred text,
//! labels bold on a light grey fill. Numbers are real numbers with the forms' formats:
//! amounts (万元) `0.00`, rates the fraction with `0.00%`, scores `0.00`, weights and
//! counts `General`; the exact value is stored, only the display rounds. Pages are A4
//! landscape, one page wide, centred, with the indicator header repeated on every page.
//!
//! Everything is written in memory (`save_to_buffer`), so this runs in the browser too.
//!
//! # Round trip
//!
//! The workbook is in the standard layout, so [`crate::io::xlsx::import_workbook`] reads
//! it back as the same unit. The forms carry the unit's name, year, funds, tasks and
//! goals; each project's name, 主管部门, 实施单位, every fund row (exact up to the 15
//! significant digits a spreadsheet number holds), its own execution 分值, the goals,
//! and every indicator (一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 偏差原因分析及
//! 改进措施; “不适用” as 得分 for a not-applicable one).
//!
//! A last sheet, 说明, carries the rest, where the user sees it and may edit it: the
//! report's fields that no form has a place for (主送单位, 通知名, 文号, 落款日期, the
//! rules, the four prose sections), each project's 偏离原因, and the indicator fields
//! without a column (度量单位, 扣减分数 and its reason, an empty 一级/二级, a chosen
//! score the 得分 cell cannot show exactly). Its 导出程序 row marks the workbook as this
//! program's export, and its 计算结果 table lists every computed cell — 执行率, the
//! execution 得分, the 分值 taken from the rulebook, the 得分 of indicators scored from
//! their values and of qualitative ones at the band's default, 总分, 自评等级, and the
//! unit's amounts when they are the projects' sum — by sheet, cell, row and column
//! label, with the value written. On import, a computed cell still holding that value
//! is not a typed figure; one changed in Excel or WPS is the user's. Cells and sheets
//! survive any re-saving (a document property or a defined name may not); the importer
//! finds the rows by their labels, not their positions.
//!
//! Not carried: the document's identity (an opened workbook is a new document) and the
//! typed derived figures of an imported form (the export shows the computed ones). A
//! project form always shows the four fund rows of the central layout, so a missing
//! row comes back as an empty one. Texts come back trimmed. An indicator row left
//! entirely blank but for its 一级/二级 names is not a row of the form.
//!
//! The forms are in the layout chosen with the unit's profile
//! ([`crate::report::layout_key`]); the 说明 sheet then names the profile (表样), so the
//! workbook opens back with it. A 四川 2023 form reads back as the same unit but for
//! what its layout writes differently: a target split into 指标性质 | 指标值 | 度量单位
//! comes back as 指标性质 then 指标值, with the 度量单位 as the indicator's unit (`≥95%`
//! returns as `≥95` with unit `%`, `≤1个月` as `≤1` with `月`: the same target, scored
//! the same; see [`crate::report::split_target`]); the fund rows are 总额, 其中：财政资金
//! and 其他资金 (a missing one comes back empty), with 上年结转资金 only when it holds
//! an amount other than zero (a row of zeros comes back as none). Its 评价结论 and the
//! 存在问题 / 改进措施 cell are not read back as typed: the grade is computed, and the
//! project's 偏离原因 comes from the 说明 sheet.

use std::collections::HashSet;
use std::io::Cursor;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, IgnoreError, Workbook, Worksheet,
    XlsxError,
};

use super::text_width;
use crate::report::{Align, Cell, Form, Number, Report};

/// Body font of the forms, and the title's.
pub(crate) const FONT: &str = "宋体";
const TITLE_FONT: &str = "黑体";
/// Font charset GB2312, as Excel writes it for Chinese fonts.
const CHARSET_GB2312: u8 = 134;
pub(crate) const FONT_SIZE: f64 = 10.0;
/// Light grey fill of the label cells.
pub(crate) const LABEL_FILL: u32 = 0xF2F2F2;
/// Excel's paper size code for A4.
pub(crate) const PAPER_A4: u8 = 9;

/// Row heights, in points. A wrapped line of the 10-point body text: Excel and WPS set
/// 宋体 at about 13.5 points a line, but LibreOffice without 宋体 falls back on Noto
/// Sans CJK, 14.5 points a line (measured in its PDF), and cut the last of 15 lines at
/// 13.5 (tests/xlsx_export.rs).
pub(crate) const LINE_HEIGHT: f64 = 14.5;
pub(crate) const ROW_PADDING: f64 = 6.0;
pub(crate) const MIN_ROW_HEIGHT: f64 = 20.0;
pub(crate) const MAX_ROW_HEIGHT: f64 = 409.0;

/// Excel's worksheet limits.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLS: usize = 16_384;

/// The workbook's bytes. The error is a Chinese message for the user.
pub fn write_xlsx(report: &Report) -> Result<Vec<u8>, String> {
    if report.forms.is_empty() {
        return Err("报告中没有自评表，无法导出 Excel 工作簿".into());
    }
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(document_title(report))
            .set_subject("预算绩效自评表")
            .set_author("绩效自评"),
    );
    let mut taken = HashSet::new();
    let mut places = Vec::new();
    for (i, form) in report.forms.iter().enumerate() {
        let name = sheet_name(&form.sheet, i, &mut taken);
        let sheet = book.add_worksheet();
        sheet
            .set_name(name.as_str())
            .map_err(|e| format!("无法创建工作表“{name}”：{}", describe(&e)))?;
        let top = write_form(sheet, form).map_err(|e| format!("工作表“{name}”{e}"))?;
        places.push((name, top));
    }
    let name = sheet_name(NOTES_SHEET, report.forms.len(), &mut taken);
    let sheet = book.add_worksheet();
    sheet
        .set_name(name.as_str())
        .map_err(|e| format!("无法创建工作表“{name}”：{}", describe(&e)))?;
    write_notes(sheet, report, &places).map_err(|e| format!("工作表“{name}”{e}"))?;
    book.save_to_buffer()
        .map(without_full_calc)
        .map_err(|e| format!("无法生成 Excel 工作簿：{}", describe(&e)))
}

/// The calculation properties rust_xlsxwriter 0.102 writes (its automatic mode), and
/// those written instead. `fullCalcOnLoad` has Excel and WPS recalculate the workbook
/// on opening, which then counts as a change: they ask to save an unchanged file. The
/// workbook holds no formula. rust_xlsxwriter's only other mode, manual, would switch
/// Excel to manual calculation for every workbook open beside this one. `calcId` is
/// the calculation engine that last calculated the file; Excel fully recalculates a
/// file of an older engine than its own (and asks to save it), so it is that of Excel
/// 2016 to 365, 191029, not rust_xlsxwriter's 124519 (Excel 2010).
const FULL_CALC: &str = r#"<calcPr calcId="124519" fullCalcOnLoad="1"/>"#;
const NO_FULL_CALC: &str = r#"<calcPr calcId="191029"/>"#;
const WORKBOOK_PART: &str = "xl/workbook.xml";

/// The package with [`FULL_CALC`] replaced by [`NO_FULL_CALC`] in `xl/workbook.xml`,
/// the one edit; every entry is written again by the zip crate with its own name,
/// method, attributes and modified time (nothing here reads a clock or a file: this
/// runs in the browser too). Copying the others as packed (`raw_copy_file`) would be
/// faster but brings 25 KB more code into the page's core than inflating and deflating
/// them again, which the core does anyway. Left as
/// it is when that element is not there (another rust_xlsxwriter) or the package
/// cannot be rewritten: the flag only costs a prompt.
pub(crate) fn without_full_calc(book: Vec<u8>) -> Vec<u8> {
    match replace_calc(&book) {
        Ok(Some(edited)) => edited,
        _ => book,
    }
}

fn replace_calc(book: &[u8]) -> zip9::result::ZipResult<Option<Vec<u8>>> {
    use std::io::{Read, Write};
    let mut archive = zip9::ZipArchive::new(Cursor::new(book))?;
    let mut xml = String::new();
    archive.by_name(WORKBOOK_PART)?.read_to_string(&mut xml)?;
    if !xml.contains(FULL_CALC) {
        return Ok(None);
    }
    let xml = xml.replacen(FULL_CALC, NO_FULL_CALC, 1);
    let mut edited = Vec::with_capacity(book.len());
    let mut out = zip9::ZipWriter::new_stream(Cursor::new(&mut edited));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name()?.into_owned();
        out.start_file(name.as_str(), entry.options())?;
        if name == WORKBOOK_PART {
            out.write_all(xml.as_bytes())?;
        } else {
            std::io::copy(&mut entry, &mut out)?;
        }
    }
    out.finish()?;
    Ok(Some(edited))
}

/// `<单位><年度>年度绩效自评表`, from the report's file stem (“兰州新区应急管理局_2022”).
fn document_title(report: &Report) -> String {
    let stem = report.file_stem.trim();
    // (An unknown year is “____”.)
    let (unit, year) = if let Some(unit) = stem.strip_suffix("_____") {
        (unit, None)
    } else {
        match stem.rsplit_once('_') {
            Some((unit, year)) if !year.is_empty() && year.chars().all(|c| c.is_ascii_digit()) => {
                (unit, Some(year))
            }
            _ => (stem, None),
        }
    };
    match year {
        Some(y) => format!("{unit}{y}年度绩效自评表"),
        None => format!("{unit}绩效自评表"),
    }
}

/// A worksheet name Excel accepts: none of `[]:*?/\`, no apostrophe at either end,
/// 1 to 31 characters, unique regardless of case. The report's names already are; this
/// only guards.
fn sheet_name(wanted: &str, index: usize, taken: &mut HashSet<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_matches('\'').trim();
    let base = if clean.is_empty() || clean.eq_ignore_ascii_case("history") {
        format!("表{}", index + 1)
    } else {
        clean.to_string()
    };
    let mut name: String = base.chars().take(31).collect();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!("({n})");
        name = base
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

/// A Chinese description of a writer error.
pub(crate) fn describe(e: &XlsxError) -> String {
    match e {
        XlsxError::RowColumnLimitError => "超出 Excel 工作表的行列上限".into(),
        XlsxError::RowColumnOrderError => "单元格区域的起止位置有误".into(),
        XlsxError::MaxStringLengthExceeded => {
            "单元格文字超过 Excel 的上限（32767 个字符），请缩短后再导出".into()
        }
        XlsxError::MergeRangeSingleCell => "合并区域只有一个单元格".into(),
        XlsxError::MergeRangeOverlaps(a, b) => format!("合并区域 {a} 与 {b} 重叠"),
        XlsxError::SheetnameCannotBeBlank(_) => "工作表名称不能为空".into(),
        XlsxError::SheetnameLengthExceeded(_) => "工作表名称超过 31 个字符".into(),
        XlsxError::SheetnameReused(n) => format!("工作表名称“{n}”重复"),
        XlsxError::SheetnameContainsInvalidCharacter(n) => {
            format!("工作表名称“{n}”含有不允许的字符")
        }
        XlsxError::SheetnameStartsOrEndsWithApostrophe(n) => {
            format!("工作表名称“{n}”不能以单引号开头或结尾")
        }
        other => format!("写入失败（{other}）"),
    }
}

/// Where an error happened: “D6：…”.
pub(crate) fn at(row: u32, col: u16, e: &XlsxError) -> String {
    format!("{}：{}", cell_ref(row, col), describe(e))
}

fn cell_ref(row: u32, col: u16) -> String {
    let mut c = u32::from(col) + 1;
    let mut letters = Vec::new();
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

// ---------------------------------------------------------------------------------
// Formats

pub(crate) fn font(format: Format, name: &str, size: f64) -> Format {
    format
        .set_font_name(name)
        .set_font_charset(CHARSET_GB2312)
        .set_font_size(size)
}

fn caption_format() -> Format {
    font(Format::new(), TITLE_FONT, 12.0)
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter)
}

fn title_format() -> Format {
    font(Format::new(), TITLE_FONT, 16.0)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

fn subtitle_format() -> Format {
    font(Format::new(), FONT, 12.0)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// A grid cell without content of its own: borders, wrap, centred.
pub(crate) fn grid_format() -> Format {
    font(Format::new(), FONT, FONT_SIZE)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

fn cell_format(cell: &Cell) -> Format {
    let mut f = grid_format().set_align(match cell.align {
        Align::Center => FormatAlign::Center,
        Align::Left => FormatAlign::Left,
        Align::Right => FormatAlign::Right,
    });
    if cell.label {
        f = f.set_bold().set_background_color(Color::RGB(LABEL_FILL));
    }
    if let Some(number) = &cell.number {
        f = f.set_num_format(match number {
            Number::Amount(_) | Number::Score(_) => "0.00",
            Number::Percent(_) => "0.00%",
            Number::Plain(_) => "General",
        });
    }
    f
}

/// The exact decimal as the nearest `f64` (through its text, which rounds correctly).
pub(crate) fn to_f64(d: Decimal) -> Option<f64> {
    d.to_string().parse::<f64>().ok().filter(|f| f.is_finite())
}

fn number_value(n: &Number) -> Decimal {
    match *n {
        Number::Amount(d) | Number::Percent(d) | Number::Score(d) | Number::Plain(d) => d,
    }
}

// ---------------------------------------------------------------------------------
// A form

fn row_num(r: usize) -> Result<u32, String> {
    u32::try_from(r).map_err(|_| "表格行数超出 Excel 工作表的上限".to_string())
}

fn col_num(c: usize) -> Result<u16, String> {
    u16::try_from(c).map_err(|_| "表格列数超出 Excel 工作表的上限".to_string())
}

/// Write a title row: one cell merged across all columns (one column: no merge).
fn heading(
    sheet: &mut Worksheet,
    row: u32,
    last_col: u16,
    text: &str,
    format: &Format,
) -> Result<(), String> {
    let done = if last_col > 0 {
        sheet.merge_range(row, 0, row, last_col, text, format)
    } else {
        sheet.write_string_with_format(row, 0, text, format)
    };
    done.map(|_| ()).map_err(|e| at(row, 0, &e))
}

/// Writes a form; returns the sheet row of the form's first grid row.
fn write_form(sheet: &mut Worksheet, form: &Form) -> Result<u32, String> {
    let end = |start: usize, span: usize| start.saturating_add(span.max(1));
    let cols = form
        .widths
        .len()
        .max(
            form.cells
                .iter()
                .map(|c| end(c.col, c.col_span))
                .max()
                .unwrap_or(0),
        )
        .max(1);
    let rows = form.rows.max(
        form.cells
            .iter()
            .map(|c| end(c.row, c.row_span))
            .max()
            .unwrap_or(0),
    );
    // (Within these, no position below overflows.)
    if cols > MAX_COLS {
        return Err("表格列数超出 Excel 工作表的上限".into());
    }
    if rows > MAX_ROWS - 3 {
        return Err("表格行数超出 Excel 工作表的上限".into());
    }
    let last_col = col_num(cols - 1)?;

    for (c, w) in form.widths.iter().enumerate() {
        sheet
            .set_column_width(col_num(c)?, f64::from(*w))
            .map_err(|e| format!("第{}列：{}", c + 1, describe(&e)))?;
    }

    // The caption above the title (when there is one), the title, the subtitle.
    let mut offset = 0u32;
    if !form.caption.trim().is_empty() {
        sheet
            .write_string_with_format(0, 0, form.caption.trim(), &caption_format())
            .map_err(|e| at(0, 0, &e))?;
        set_height(sheet, 0, 20.0)?;
        offset = 1;
    }
    heading(sheet, offset, last_col, &form.title, &title_format())?;
    set_height(sheet, offset, 32.0)?;
    heading(
        sheet,
        offset + 1,
        last_col,
        &form.subtitle,
        &subtitle_format(),
    )?;
    set_height(sheet, offset + 1, 22.0)?;
    let top = offset + 2;

    // The grid.
    let mut covered = vec![vec![false; cols]; rows];
    let mut heights = vec![MIN_ROW_HEIGHT; rows];
    for cell in &form.cells {
        let (row_span, col_span) = (cell.row_span.max(1), cell.col_span.max(1));
        let r0 = top + row_num(cell.row)?;
        let r1 = top + row_num(cell.row + row_span - 1)?;
        let c0 = col_num(cell.col)?;
        let c1 = col_num(cell.col + col_span - 1)?;
        let format = cell_format(cell);
        if r1 > r0 || c1 > c0 {
            sheet
                .merge_range(r0, c0, r1, c1, "", &format)
                .map_err(|e| at(r0, c0, &e))?;
        }
        let number = cell.number.as_ref().and_then(|n| to_f64(number_value(n)));
        let written = match number {
            Some(x) => sheet.write_number_with_format(r0, c0, x, &format),
            None if cell.text.is_empty() => sheet.write_blank(r0, c0, &format),
            None => sheet.write_string_with_format(r0, c0, cell.text.as_str(), &format),
        };
        written.map_err(|e| at(r0, c0, &e))?;

        for line in covered.iter_mut().skip(cell.row).take(row_span) {
            for slot in line.iter_mut().skip(cell.col).take(col_span) {
                *slot = true;
            }
        }
        // Room for the wrapped text, shared by the rows the cell spans.
        let width: f64 = (cell.col..cell.col + col_span)
            .map(|c| form.widths.get(c).map_or(8.0, |w| f64::from(*w)))
            .sum();
        let needed = text_lines(&cell.text, width) as f64 * LINE_HEIGHT + ROW_PADDING;
        let share = needed / row_span as f64;
        for h in heights.iter_mut().skip(cell.row).take(row_span) {
            *h = h.max(share);
        }
    }
    // Borders on the positions no cell covers.
    let blank = grid_format();
    for (r, line) in covered.iter().enumerate() {
        for (c, done) in line.iter().enumerate() {
            if !done {
                let (r, c) = (top + row_num(r)?, col_num(c)?);
                sheet.write_blank(r, c, &blank).map_err(|e| at(r, c, &e))?;
            }
        }
    }
    for (r, h) in heights.iter().enumerate() {
        set_height(sheet, top + row_num(r)?, h.min(MAX_ROW_HEIGHT))?;
    }
    // Texts such as a 年度指标值 “100” are text on purpose: no “number stored as text”
    // marks on the form.
    if rows > 0 {
        let last_row = top + row_num(rows - 1)?;
        sheet
            .ignore_error_range(top, 0, last_row, last_col, IgnoreError::NumberStoredAsText)
            .map_err(|e| at(top, 0, &e))?;
    }

    // Page setup: A4 landscape, one page wide, the indicator header on every page.
    sheet
        .set_paper_size(PAPER_A4)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_print_gridlines(false)
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&C第 &P 页，共 &N 页");
    if let Some(h) = form.header_row {
        let r = top + row_num(h)?;
        sheet
            .set_repeat_rows(r, r)
            .map_err(|e| format!("打印标题行：{}", describe(&e)))?;
    }
    Ok(top)
}

// ---------------------------------------------------------------------------------
// The 说明 sheet: what the forms have no place for, and the mark of the export

/// The last sheet of the workbook.
pub const NOTES_SHEET: &str = "说明";
/// Its row that marks the workbook as this program's export (the importer looks for it).
pub const MARK_LABEL: &str = "导出程序";
pub const MARK: &str = "绩效自评（自评表导出格式 1）";
/// Section titles and table headers of the 说明 sheet, shared with the importer.
pub const FIELDS_TITLE: &str = "自评报告的内容（自评表上没有的栏目）";
pub const PROJECTS_TITLE: &str = "各项目偏离绩效目标的原因及下一步改进措施";
pub const INDICATORS_TITLE: &str = "绩效指标的补充栏目（自评表上没有的栏目）";
pub const COMPUTED_TITLE: &str = "计算结果（导出时由程序计算，不是手工填报）";
pub const H_SHEET: &str = "工作表";
pub const H_PROJECT: &str = "项目";
pub const H_DEVIATION: &str = "偏离绩效目标的原因及下一步改进措施";
pub const H_INDEX: &str = "序号";
pub const H_NAME: &str = "三级指标";
pub const H_UNIT: &str = "度量单位";
pub const H_DEDUCTION: &str = "扣减分数";
pub const H_DEDUCTION_REASON: &str = "扣减原因";
pub const H_TYPED: &str = "填报得分";
pub const H_EMPTY: &str = "未填栏目";
pub const H_BAND: &str = "完成程度";
pub const H_CELL: &str = "单元格";
pub const H_ROW: &str = "行";
pub const H_COLUMN: &str = "栏目";
pub const H_VALUE: &str = "导出值";

const NOTES_INTRO: &str = "本工作簿由“绩效自评”导出，各自评表可直接打印、报送。本表记下自评表上没有位置的内容（主送单位、自评报告各部分的文字、各项目的偏离原因、度量单位、扣减分数等），以及各表中由程序计算的数值（执行率、得分、总分、自评等级等）。用“绩效自评”再次打开本工作簿时，这些内容照原样读回；计算结果未改动的，按程序计算处理，不作为手工填报数核对；在 Excel 或 WPS 中改动过的，按手工填报数核对。可以在本表中修改上述文字；请勿删除本表，也不要修改“导出程序”一行。";

const NOTES_WIDTHS: [u16; 9] = [24, 8, 26, 10, 10, 24, 10, 14, 12];
const NOTES_LAST: u16 = 8;
/// Longest text in one cell (Excel's limit is 32,767 characters); longer texts
/// continue on the rows below.
const CHUNK: usize = 30_000;

fn chunks(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    chars.chunks(CHUNK).map(|c| c.iter().collect()).collect()
}

struct Notes<'a> {
    sheet: &'a mut Worksheet,
    row: u32,
}

impl Notes<'_> {
    /// A cell spanning columns `c0..=c1` of the current row.
    fn put(&mut self, c0: u16, c1: u16, text: &str, format: &Format) -> Result<f64, String> {
        let r = self.row;
        let done = if c1 > c0 {
            self.sheet.merge_range(r, c0, r, c1, text, format)
        } else if text.is_empty() {
            self.sheet.write_blank(r, c0, format)
        } else {
            self.sheet.write_string_with_format(r, c0, text, format)
        };
        done.map_err(|e| at(r, c0, &e))?;
        let width: f64 = (c0..=c1)
            .map(|c| f64::from(NOTES_WIDTHS[usize::from(c)]))
            .sum();
        Ok(text_lines(text, width) as f64 * LINE_HEIGHT + ROW_PADDING)
    }

    /// A row of cells, each (first column, last column, text, is a label); the row is
    /// as high as its tallest cell.
    fn line(&mut self, cells: &[(u16, u16, &str, bool)]) -> Result<(), String> {
        let mut height = MIN_ROW_HEIGHT;
        for &(c0, c1, text, label) in cells {
            let format = if label { notes_label() } else { notes_cell() };
            height = height.max(self.put(c0, c1, text, &format)?);
        }
        set_height(self.sheet, self.row, height.min(MAX_ROW_HEIGHT))?;
        self.row += 1;
        Ok(())
    }

    fn section(&mut self, title: &str) -> Result<(), String> {
        self.row += 1;
        let format = font(Format::new(), TITLE_FONT, 12.0).set_align(FormatAlign::VerticalCenter);
        self.put(0, NOTES_LAST, title, &format)?;
        set_height(self.sheet, self.row, 24.0)?;
        self.row += 1;
        Ok(())
    }

    fn header(&mut self, cells: &[(u16, u16, &str)]) -> Result<(), String> {
        let cells: Vec<_> = cells.iter().map(|&(a, b, t)| (a, b, t, true)).collect();
        self.line(&cells)
    }
}

fn notes_cell() -> Format {
    grid_format().set_align(FormatAlign::Left)
}

pub(crate) fn notes_label() -> Format {
    grid_format()
        .set_align(FormatAlign::Center)
        .set_bold()
        .set_background_color(Color::RGB(LABEL_FILL))
}

/// The 说明 sheet. `places` are the forms' sheet names and the sheet row of each form's
/// first grid row, in form order.
fn write_notes(
    sheet: &mut Worksheet,
    report: &Report,
    places: &[(String, u32)],
) -> Result<(), String> {
    for (c, w) in NOTES_WIDTHS.iter().enumerate() {
        sheet
            .set_column_width(col_num(c)?, f64::from(*w))
            .map_err(|e| format!("第{}列：{}", c + 1, describe(&e)))?;
    }
    let carry = &report.carry;
    let mut n = Notes { sheet, row: 0 };
    n.put(0, NOTES_LAST, NOTES_SHEET, &title_format())?;
    set_height(n.sheet, 0, 32.0)?;
    n.row = 1;
    let intro = font(Format::new(), FONT, FONT_SIZE)
        .set_text_wrap()
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::Top);
    let height = n.put(0, NOTES_LAST, NOTES_INTRO, &intro)?;
    set_height(n.sheet, 1, height)?;
    n.row = 2;
    n.line(&[(0, 0, MARK_LABEL, true), (1, NOTES_LAST, MARK, false)])?;

    n.section(FIELDS_TITLE)?;
    for (label, text) in &carry.fields {
        for (k, chunk) in chunks(text).iter().enumerate() {
            let label = if k == 0 { label } else { "" };
            n.line(&[(0, 0, label, true), (1, NOTES_LAST, chunk, false)])?;
        }
    }

    n.section(PROJECTS_TITLE)?;
    n.header(&[
        (0, 0, H_SHEET),
        (1, 2, H_PROJECT),
        (3, NOTES_LAST, H_DEVIATION),
    ])?;
    for (i, (name, deviation)) in carry.projects.iter().enumerate() {
        let sheet = places.get(i).map_or("", |p| p.0.as_str());
        for (k, chunk) in chunks(deviation).iter().enumerate() {
            let (sheet, name) = if k == 0 {
                (sheet, name.as_str())
            } else {
                ("", "")
            };
            n.line(&[
                (0, 0, sheet, false),
                (1, 2, name, false),
                (3, NOTES_LAST, chunk, false),
            ])?;
        }
    }

    n.section(INDICATORS_TITLE)?;
    n.header(&[
        (0, 0, H_SHEET),
        (1, 1, H_INDEX),
        (2, 2, H_NAME),
        (3, 3, H_UNIT),
        (4, 4, H_DEDUCTION),
        (5, 5, H_DEDUCTION_REASON),
        (6, 6, H_TYPED),
        (7, 7, H_EMPTY),
        (8, 8, H_BAND),
    ])?;
    for ind in &carry.indicators {
        let sheet = places.get(ind.form).map_or("", |p| p.0.as_str());
        let index = (ind.index + 1).to_string();
        let empty = ind.empty_levels.join("、");
        n.line(&[
            (0, 0, sheet, false),
            (1, 1, &index, false),
            (2, 2, &ind.name, false),
            (3, 3, &ind.unit, false),
            (4, 4, &ind.deduction, false),
            (5, 5, &ind.deduction_reason, false),
            (6, 6, &ind.typed_score, false),
            (7, 7, &empty, false),
            (8, 8, &ind.band, false),
        ])?;
    }

    n.section(COMPUTED_TITLE)?;
    n.header(&[
        (0, 0, H_SHEET),
        (1, 1, H_CELL),
        (2, 2, H_ROW),
        (3, 3, H_COLUMN),
        (4, 4, H_VALUE),
    ])?;
    for (f, computed) in carry.computed.iter().enumerate() {
        let (Some(form), Some((sheet, top))) = (report.forms.get(f), places.get(f)) else {
            continue;
        };
        for c in computed {
            let Some(cell) = form.cells.get(c.cell) else {
                continue;
            };
            let pos = cell_ref(top + row_num(cell.row)?, col_num(cell.col)?);
            n.line(&[
                (0, 0, sheet, false),
                (1, 1, &pos, false),
                (2, 2, &c.row, false),
                (3, 3, c.column, false),
            ])?;
            // The value as the form holds it: the same number in the same format.
            let r = n.row - 1;
            let format = cell_format(cell).set_align(FormatAlign::Right);
            let written = match cell.number.as_ref().and_then(|x| to_f64(number_value(x))) {
                Some(x) => n.sheet.write_number_with_format(r, 4, x, &format),
                None if cell.text.is_empty() => n.sheet.write_blank(r, 4, &format),
                None => n
                    .sheet
                    .write_string_with_format(r, 4, cell.text.as_str(), &format),
            };
            written.map_err(|e| at(r, 4, &e))?;
        }
    }
    n.sheet
        .set_paper_size(PAPER_A4)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

pub(crate) fn set_height(sheet: &mut Worksheet, row: u32, height: f64) -> Result<(), String> {
    sheet
        .set_row_height(row, height)
        .map(|_| ())
        .map_err(|e| format!("第{}行：{}", u64::from(row) + 1, describe(&e)))
}

/// Lines a text takes when wrapped in a cell `width` characters wide (a Chinese
/// character is two, as Excel measures widths).
pub(crate) fn text_lines(text: &str, width: f64) -> usize {
    let usable = (width - 1.0).max(1.0);
    text.lines()
        .map(|line| ((text_width(line) as f64 / usable).ceil() as usize).max(1))
        .sum::<usize>()
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_guarded() {
        let mut taken = HashSet::new();
        assert_eq!(sheet_name("部门整体", 0, &mut taken), "部门整体");
        assert_eq!(sheet_name("部门整体", 1, &mut taken), "部门整体(2)");
        assert_eq!(sheet_name("a/b:c", 2, &mut taken), "a_b_c");
        assert_eq!(sheet_name("A_B_C", 3, &mut taken), "A_B_C(2)");
        assert_eq!(sheet_name("''", 4, &mut taken), "表5");
        assert_eq!(sheet_name("History", 5, &mut taken), "表6");
        let long = "很".repeat(40);
        assert_eq!(sheet_name(&long, 6, &mut taken).chars().count(), 31);
        assert_eq!(sheet_name(&long, 7, &mut taken), "很".repeat(28) + "(2)");
    }

    #[test]
    fn document_titles() {
        let report = |stem: &str| Report {
            file_stem: stem.into(),
            narrative: Vec::new(),
            forms: Vec::new(),
            carry: Default::default(),
        };
        assert_eq!(
            document_title(&report("兰州新区应急管理局_2022")),
            "兰州新区应急管理局2022年度绩效自评表"
        );
        assert_eq!(
            document_title(&report("某_局_2023")),
            "某_局2023年度绩效自评表"
        );
        assert_eq!(document_title(&report("某局_____")), "某局绩效自评表");
        assert_eq!(document_title(&report("某局")), "某局绩效自评表");
        assert!(write_xlsx(&report("某局_2022")).is_err());
    }

    fn form(cells: Vec<Cell>) -> Report {
        Report {
            file_stem: "某局_2022".into(),
            narrative: Vec::new(),
            forms: vec![Form {
                sheet: "表".into(),
                caption: String::new(),
                title: "标题".into(),
                subtitle: String::new(),
                widths: vec![10, 10],
                rows: 2,
                cells,
                header_row: Some(0),
            }],
            carry: Default::default(),
        }
    }

    fn cell(row: usize, col: usize, row_span: usize, col_span: usize, text: &str) -> Cell {
        Cell {
            row,
            col,
            row_span,
            col_span,
            text: text.into(),
            number: None,
            label: false,
            align: Align::Left,
        }
    }

    #[test]
    fn bad_forms_are_errors_not_panics() {
        assert!(write_xlsx(&form(vec![cell(0, 0, 0, 0, "a"), cell(1, 1, 1, 1, "")])).is_ok());
        let e = write_xlsx(&form(vec![cell(0, 0, 2, 2, "a"), cell(1, 0, 1, 2, "b")])).unwrap_err();
        assert!(e.contains("重叠"), "{e}");
        let e = write_xlsx(&form(vec![cell(usize::MAX, 0, 2, 1, "a")])).unwrap_err();
        assert!(e.contains("上限"), "{e}");
        let e = write_xlsx(&form(vec![cell(0, usize::MAX - 1, 1, 5, "a")])).unwrap_err();
        assert!(e.contains("上限"), "{e}");
        let e = write_xlsx(&form(vec![cell(0, 0, 1, 1, &"长".repeat(40_000))])).unwrap_err();
        assert!(e.contains("32767"), "{e}");
        assert!(e.starts_with("工作表“表”A3："), "{e}");
    }

    /// The pinned rust_xlsxwriter writes [`FULL_CALC`]; the export replaces it, and
    /// changes nothing else in the package.
    #[test]
    fn full_calculation_on_load_is_replaced_and_nothing_else() {
        use std::io::Read;
        let mut book = Workbook::new();
        book.add_worksheet().write_string(0, 0, "绩效").unwrap();
        let plain = book.save_to_buffer().unwrap();
        let edited = without_full_calc(plain.clone());
        let open = |b: &[u8]| zip9::ZipArchive::new(Cursor::new(b.to_vec())).unwrap();
        let (mut before, mut after) = (open(&plain), open(&edited));
        assert_eq!(before.len(), after.len());
        let mut seen = false;
        for i in 0..before.len() {
            let mut a = before.by_index(i).unwrap();
            let mut b = after.by_index(i).unwrap();
            let name = a.name().unwrap().into_owned();
            assert_eq!(b.name().unwrap(), name);
            assert_eq!(a.last_modified(), b.last_modified(), "{name}");
            assert_eq!(a.compression(), b.compression(), "{name}");
            assert_eq!(a.unix_mode(), b.unix_mode(), "{name}");
            let (mut x, mut y) = (Vec::new(), Vec::new());
            a.read_to_end(&mut x).unwrap();
            b.read_to_end(&mut y).unwrap();
            if name == WORKBOOK_PART {
                let (x, y) = (String::from_utf8(x).unwrap(), String::from_utf8(y).unwrap());
                assert!(x.contains(FULL_CALC), "{x}");
                assert_eq!(y, x.replacen(FULL_CALC, NO_FULL_CALC, 1));
                assert!(!y.contains("fullCalcOnLoad"), "{y}");
                seen = true;
            } else {
                assert_eq!(x, y, "{name}");
                assert_eq!(a.crc32(), b.crc32(), "{name}");
            }
        }
        assert!(seen);
        // Without the element (edited already, or not a package): as it is.
        assert_eq!(without_full_calc(edited.clone()), edited);
        assert_eq!(without_full_calc(b"PK".to_vec()), b"PK");
    }

    #[test]
    fn refs_and_lines() {
        assert_eq!(cell_ref(5, 3), "D6");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(text_lines("", 10.0), 1);
        assert_eq!(text_lines("项目名称", 12.0), 1);
        assert_eq!(text_lines("项目资金（万元）", 12.0), 2);
        assert_eq!(text_lines("a\nb", 12.0), 2);
        assert_eq!(to_f64("15.14353".parse().unwrap()), Some(15.14353));
    }
}
