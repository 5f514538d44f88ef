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
//! it back: the unit's name, year, funds, tasks and goals; each project's name, 主管部门,
//! 实施单位, every fund row (年初预算数, 全年预算数, 全年执行数: exact up to the 15
//! significant digits a spreadsheet number holds), the execution 分值, the goals, and
//! every indicator (一级/二级/三级指标, 年度指标值, 实际完成值, 分值, 偏差原因分析及改进
//! 措施). The derived figures the forms show (执行率, 得分, 总分, 自评等级) come back as
//! the *typed* figures, equal to the computed ones; for a qualitative indicator the 得分
//! shown is the chosen score, so it survives (to 2 decimals, as every score is shown).
//! A not-applicable indicator is written with 得分 “不适用”, which reads back as not
//! applicable.
//!
//! Not round-tripped, by design (they are not on the forms): the narrative prose and its
//! heading fields (主送单位, 通知名, 文号, 落款日期), the chosen rules, manual deductions
//! and their reasons, and 度量单位 (the central layout has no column for it). A project
//! form always shows the four fund rows of the central layout, so a missing row comes
//! back as an empty one; a project without its own execution 分值 comes back with the
//! rulebook's; a unit without its own funds block is written with the projects' sum,
//! which comes back as the unit's funds. Texts come back trimmed.

use std::collections::HashSet;

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, IgnoreError, Workbook, Worksheet,
    XlsxError,
};

use crate::report::{Align, Cell, Form, Number, Report};

/// Body font of the forms, and the title's.
const FONT: &str = "宋体";
const TITLE_FONT: &str = "黑体";
/// Font charset GB2312, as Excel writes it for Chinese fonts.
const CHARSET_GB2312: u8 = 134;
const FONT_SIZE: f64 = 10.0;
/// Light grey fill of the label cells.
const LABEL_FILL: u32 = 0xF2F2F2;
/// Excel's paper size code for A4.
const PAPER_A4: u8 = 9;

/// Row heights, in points.
const LINE_HEIGHT: f64 = 13.5;
const ROW_PADDING: f64 = 6.0;
const MIN_ROW_HEIGHT: f64 = 20.0;
const MAX_ROW_HEIGHT: f64 = 409.0;

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
    for (i, form) in report.forms.iter().enumerate() {
        let name = sheet_name(&form.sheet, i, &mut taken);
        let sheet = book.add_worksheet();
        sheet
            .set_name(name.as_str())
            .map_err(|e| format!("无法创建工作表“{name}”：{}", describe(&e)))?;
        write_form(sheet, form).map_err(|e| format!("工作表“{name}”{e}"))?;
    }
    book.save_to_buffer()
        .map_err(|e| format!("无法生成 Excel 工作簿：{}", describe(&e)))
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
fn describe(e: &XlsxError) -> String {
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
fn at(row: u32, col: u16, e: &XlsxError) -> String {
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

fn font(format: Format, name: &str, size: f64) -> Format {
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
fn grid_format() -> Format {
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
fn to_f64(d: Decimal) -> Option<f64> {
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

fn write_form(sheet: &mut Worksheet, form: &Form) -> Result<(), String> {
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
    Ok(())
}

fn set_height(sheet: &mut Worksheet, row: u32, height: f64) -> Result<(), String> {
    sheet
        .set_row_height(row, height)
        .map(|_| ())
        .map_err(|e| format!("第{}行：{}", u64::from(row) + 1, describe(&e)))
}

/// Lines a text takes when wrapped in a cell `width` characters wide (a Chinese
/// character is two, as Excel measures widths).
fn text_lines(text: &str, width: f64) -> usize {
    let usable = (width - 1.0).max(1.0);
    text.lines()
        .map(|line| {
            let w: f64 = line
                .chars()
                .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                .sum();
            ((w / usable).ceil() as usize).max(1)
        })
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
