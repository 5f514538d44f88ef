//! The finance bureau's 汇总表 (a [`Review`] as an .xlsx workbook): sheets 单位汇总 (a row
//! per file, then the region's 合计), 项目明细 (every project with its unit), 核对结果
//! (every finding with its unit and project) and, when a unit was sent twice, 重复文件.
//!
//! Each sheet is a plain table: Chinese headers in a frozen, filtered first row
//! (repeated on every printed page), thin borders, columns as wide as their texts
//! (long texts wrap). Numbers are numbers with the forms' formats — amounts (万元)
//! `0.00`, rates the exact fraction with `0.00%`, scores `0.00`, counts and years
//! `General` — so that the bureau can sort and sum them; a figure a unit lacks is an
//! empty cell. Written in memory, with the helpers of [`super::xlsx_export`], so this
//! runs in the browser too.

use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, DocProperties, Format, FormatAlign, Workbook, Worksheet};

use super::text_width;
use super::xlsx_export::{
    at, describe, grid_format, notes_label, set_height, text_lines, to_f64, without_full_calc,
    LABEL_FILL, LINE_HEIGHT, MAX_ROW_HEIGHT, MIN_ROW_HEIGHT, PAPER_A4, ROW_PADDING,
};
use crate::review::Review;
use crate::scoring::fmt2;

pub const UNITS_SHEET: &str = "单位汇总";
pub const PROJECTS_SHEET: &str = "项目明细";
pub const FINDINGS_SHEET: &str = "核对结果";
pub const DUPLICATES_SHEET: &str = "重复文件";
/// The workbook's title (its document properties): how a 汇总表 sent back to the
/// review is told from a unit's workbook ([`is_review_workbook`]).
pub const REVIEW_TITLE: &str = "绩效自评汇总表";
/// The first cell of the 单位汇总 sheet's totals row.
pub const TOTAL_LABEL: &str = "合计";
/// A finding on the unit's own form, in the 项目 column of 核对结果.
pub const UNIT_PLACE: &str = "单位整体";

/// Column widths (Excel's characters: a Chinese one is two): at least, at most.
const MIN_WIDTH: f64 = 6.0;
const MAX_WIDTH: f64 = 60.0;

/// A cell of a table.
enum Val {
    Text(String),
    /// A short text shown centred (a grade, a severity)
    Tag(String),
    /// 万元, `0.00`
    Amount(Option<Decimal>),
    /// A fraction, `0.00%`
    Rate(Option<Decimal>),
    /// `0.00`
    Score(Option<Decimal>),
    /// A count or a year, `General`
    Count(Option<i64>),
}

impl Val {
    fn text(s: impl Into<String>) -> Val {
        Val::Text(s.into())
    }

    fn count(n: Option<usize>) -> Val {
        Val::Count(n.and_then(|n| i64::try_from(n).ok()))
    }

    /// The text the cell shows, for the column's width.
    fn shown(&self) -> String {
        let d = |x: &Option<Decimal>| x.map(fmt2).unwrap_or_default();
        match self {
            Val::Text(s) | Val::Tag(s) => s.clone(),
            Val::Amount(x) | Val::Score(x) => d(x),
            Val::Rate(x) => x
                .map(|r| fmt2(r * Decimal::ONE_HUNDRED) + "%")
                .unwrap_or_default(),
            Val::Count(n) => n.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

/// A table: its headers, its rows, which rows are bold (合计).
struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<Val>>,
    bold: Vec<bool>,
}

impl Table {
    fn new(headers: &[&'static str]) -> Table {
        Table {
            headers: headers.to_vec(),
            rows: Vec::new(),
            bold: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<Val>, bold: bool) {
        debug_assert_eq!(row.len(), self.headers.len());
        self.rows.push(row);
        self.bold.push(bold);
    }
}

/// The 单位汇总 sheet's columns, (key, header): the page's 汇总 table shows the same
/// columns by these keys and headers.
pub const UNIT_COLUMNS: &[(&str, &str)] = &[
    ("file", "文件"),
    ("name", "单位名称"),
    ("year", "年度"),
    ("date", "落款日期"),
    ("budget", "预算数（万元）"),
    ("executed", "执行数（万元）"),
    ("rate", "执行率"),
    ("projects", "项目数"),
    ("evaluated", "已评项目数"),
    ("coverage", "覆盖率"),
    ("优", "优"),
    ("良", "良"),
    ("中", "中"),
    ("差", "差"),
    ("total", "单位总分"),
    ("grade", "单位等级"),
    ("errors", "错误"),
    ("mismatches", "其中填报数不一致"),
    ("warnings", "提示"),
    ("message", "说明"),
];

const PROJECT_HEADERS: &[&str] = &[
    "单位",
    "项目",
    "预算数（万元）",
    "执行数（万元）",
    "执行率",
    "总分",
    "等级",
];

const FINDING_HEADERS: &[&str] = &["单位", "项目", "类别", "核对结果"];

const DUPLICATE_HEADERS: &[&str] = &["文件", "单位名称", "年度", "落款日期", "采用的文件", "原因"];

/// The 汇总表's bytes. The error is a Chinese message for the user.
pub fn write_review_xlsx(review: &Review) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(REVIEW_TITLE)
            .set_subject("预算绩效自评汇总")
            .set_author("绩效自评"),
    );
    let mut tables = vec![
        (UNITS_SHEET, units_table(review)),
        (PROJECTS_SHEET, projects_table(review)),
        (FINDINGS_SHEET, findings_table(review)),
    ];
    if !review.duplicates.is_empty() {
        tables.push((DUPLICATES_SHEET, duplicates_table(review)));
    }
    for (name, table) in &tables {
        let sheet = book.add_worksheet();
        sheet
            .set_name(*name)
            .map_err(|e| format!("无法创建工作表“{name}”：{}", describe(&e)))?;
        write_table(sheet, table).map_err(|e| format!("工作表“{name}”{e}"))?;
    }
    book.save_to_buffer()
        .map(without_full_calc)
        .map_err(|e| format!("无法生成 Excel 工作簿：{}", describe(&e)))
}

/// Is this a 汇总表 written here (a workbook titled [`REVIEW_TITLE`]), not a unit's
/// workbook? (Read as a unit's, its 单位汇总 sheet would pass for a form.)
pub fn is_review_workbook(bytes: &[u8]) -> bool {
    use std::io::Read;
    if !bytes.starts_with(b"PK") {
        return false;
    }
    let Ok(mut archive) = zip9::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    let Ok(entry) = archive.by_name("docProps/core.xml") else {
        return false;
    };
    let mut xml = String::new();
    if entry.take(64 << 10).read_to_string(&mut xml).is_err() {
        return false;
    }
    xml.contains(&format!("<dc:title>{REVIEW_TITLE}</dc:title>"))
}

fn units_table(review: &Review) -> Table {
    let mut t = Table::new(&UNIT_COLUMNS.iter().map(|(_, h)| *h).collect::<Vec<_>>());
    let grades = |g: Option<&crate::scoring::GradeCounts>| {
        let g = g.cloned();
        [
            g.as_ref().map(|g| g.excellent),
            g.as_ref().map(|g| g.good),
            g.as_ref().map(|g| g.fair),
            g.as_ref().map(|g| g.poor),
        ]
        .map(Val::count)
    };
    for u in &review.units {
        let [a, b, c, d] = grades(u.grades.as_ref());
        t.push(
            vec![
                Val::text(&u.file),
                Val::text(u.name.clone().unwrap_or_default()),
                Val::Count(u.year.map(i64::from)),
                Val::text(u.date.clone().unwrap_or_default()),
                Val::Amount(u.budget),
                Val::Amount(u.executed),
                Val::Rate(u.rate),
                Val::count(u.projects),
                Val::count(u.evaluated),
                Val::Rate(u.coverage_percent.map(|c| c / Decimal::ONE_HUNDRED)),
                a,
                b,
                c,
                d,
                Val::Score(u.total),
                Val::Tag(u.grade.clone().unwrap_or_default()),
                Val::count(u.errors),
                Val::count(u.mismatches),
                Val::count(u.warnings),
                Val::text(u.message.clone().unwrap_or_default()),
            ],
            false,
        );
    }
    let s = &review.totals;
    let mut notes = Vec::new();
    if s.unreadable > 0 {
        notes.push(format!("另有 {} 个文件无法读取，未计入", s.unreadable));
    }
    if s.duplicates > 0 {
        notes.push(format!(
            "{} 个重复文件未计入（见“{DUPLICATES_SHEET}”）",
            s.duplicates
        ));
    }
    let [a, b, c, d] = grades(Some(&s.grades));
    t.push(
        vec![
            Val::text(TOTAL_LABEL),
            Val::text(format!("{} 个单位", s.units)),
            Val::Count(None),
            Val::text(""),
            Val::Amount(s.budget),
            Val::Amount(s.executed),
            Val::Rate(s.rate),
            Val::count(Some(s.projects)),
            Val::count(Some(s.evaluated)),
            Val::Rate(s.coverage_percent.map(|c| c / Decimal::ONE_HUNDRED)),
            a,
            b,
            c,
            d,
            Val::Score(None),
            Val::Tag(String::new()),
            Val::count(Some(s.errors)),
            Val::count(Some(s.mismatches)),
            Val::count(Some(s.warnings)),
            Val::text(notes.join("；")),
        ],
        true,
    );
    t
}

fn projects_table(review: &Review) -> Table {
    let mut t = Table::new(PROJECT_HEADERS);
    for p in &review.projects {
        t.push(
            vec![
                Val::text(&p.unit),
                Val::text(&p.name),
                Val::Amount(p.budget),
                Val::Amount(p.executed),
                Val::Rate(p.rate),
                Val::Score(p.total),
                Val::Tag(p.grade.clone().unwrap_or_default()),
            ],
            false,
        );
    }
    t
}

fn findings_table(review: &Review) -> Table {
    let mut t = Table::new(FINDING_HEADERS);
    for f in &review.findings {
        let place = f.finding.project.as_deref().map_or(UNIT_PLACE, |p| {
            if p.trim().is_empty() {
                "（未填项目名称）"
            } else {
                p
            }
        });
        t.push(
            vec![
                Val::text(&f.unit),
                Val::text(place),
                Val::Tag(f.finding.severity.label().to_string()),
                Val::text(&f.finding.message),
            ],
            false,
        );
    }
    t
}

fn duplicates_table(review: &Review) -> Table {
    let mut t = Table::new(DUPLICATE_HEADERS);
    for d in &review.duplicates {
        t.push(
            vec![
                Val::text(&d.file),
                Val::text(&d.name),
                Val::Count(d.year.map(i64::from)),
                Val::text(d.date.clone().unwrap_or_default()),
                Val::text(&d.duplicate_of),
                Val::text(&d.reason),
            ],
            false,
        );
    }
    t
}

fn cell_format(val: &Val, bold: bool) -> Format {
    let mut f = grid_format();
    f = match val {
        Val::Text(_) => f.set_align(FormatAlign::Left),
        Val::Tag(_) => f.set_align(FormatAlign::Center),
        Val::Amount(_) | Val::Score(_) => f.set_num_format("0.00").set_align(FormatAlign::Right),
        Val::Rate(_) => f.set_num_format("0.00%").set_align(FormatAlign::Right),
        Val::Count(_) => f.set_align(FormatAlign::Right),
    };
    if bold {
        f = f.set_bold().set_background_color(Color::RGB(LABEL_FILL));
    }
    f
}

fn write_table(sheet: &mut Worksheet, table: &Table) -> Result<(), String> {
    let cols = table.headers.len();
    let last_col = u16::try_from(cols.saturating_sub(1)).map_err(|_| "列数过多".to_string())?;
    let rows = u32::try_from(table.rows.len())
        .ok()
        .filter(|&n| n < 1_048_575)
        .ok_or("行数超出 Excel 工作表的上限")?;
    // Widths: the widest text of each column, within bounds.
    let mut widths: Vec<f64> = table
        .headers
        .iter()
        .map(|h| text_width(h) as f64 + 2.0)
        .collect();
    for row in &table.rows {
        for (c, val) in row.iter().enumerate() {
            let w = val
                .shown()
                .lines()
                .map(|line| text_width(line) as f64)
                .fold(0.0, f64::max);
            widths[c] = widths[c].max(w + 2.0);
        }
    }
    for (c, w) in widths.iter_mut().enumerate() {
        *w = w.clamp(MIN_WIDTH, MAX_WIDTH);
        let col = c as u16;
        sheet
            .set_column_width(col, *w)
            .map_err(|e| format!("第{}列：{}", c + 1, describe(&e)))?;
    }
    let header = notes_label();
    let mut height = MIN_ROW_HEIGHT;
    for (c, h) in table.headers.iter().enumerate() {
        let col = c as u16;
        sheet
            .write_string_with_format(0, col, *h, &header)
            .map_err(|e| at(0, col, &e))?;
        height = height.max(text_lines(h, widths[c]) as f64 * LINE_HEIGHT + ROW_PADDING);
    }
    set_height(sheet, 0, height.min(MAX_ROW_HEIGHT))?;
    for (r, (row, &bold)) in table.rows.iter().zip(&table.bold).enumerate() {
        let at_row = r as u32 + 1;
        let mut height = MIN_ROW_HEIGHT;
        for (c, val) in row.iter().enumerate() {
            let col = c as u16;
            let format = cell_format(val, bold);
            let number = match val {
                Val::Amount(x) | Val::Rate(x) | Val::Score(x) => x.and_then(to_f64),
                Val::Count(n) => n.map(|n| n as f64),
                Val::Text(_) | Val::Tag(_) => None,
            };
            let done = match (val, number) {
                (_, Some(x)) => sheet.write_number_with_format(at_row, col, x, &format),
                (Val::Text(s) | Val::Tag(s), _) if !s.is_empty() => {
                    height =
                        height.max(text_lines(s, widths[c]) as f64 * LINE_HEIGHT + ROW_PADDING);
                    sheet.write_string_with_format(at_row, col, s.as_str(), &format)
                }
                _ => sheet.write_blank(at_row, col, &format),
            };
            done.map_err(|e| at(at_row, col, &e))?;
        }
        set_height(sheet, at_row, height.min(MAX_ROW_HEIGHT))?;
    }
    sheet
        .set_freeze_panes(1, 0)
        .map_err(|e| format!("冻结首行：{}", describe(&e)))?;
    sheet
        .autofilter(0, 0, rows, last_col)
        .map_err(|e| format!("筛选：{}", describe(&e)))?;
    sheet
        .set_repeat_rows(0, 0)
        .map_err(|e| format!("打印标题行：{}", describe(&e)))?;
    sheet
        .set_landscape()
        .set_paper_size(PAPER_A4)
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}
