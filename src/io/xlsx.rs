//! Import of a workbook in the standard layout.
//!
//! A workbook holds one 部门（单位）整体支出绩效自评表 sheet (optional), one
//! 项目支出绩效自评表 sheet per project, and possibly other sheets (notes, lists),
//! which are skipped with a notice. Every cell is found by its label, never by a fixed
//! position, so that the provincial variants of the forms (RULES.md §2) read the same:
//! the funds block by its header row (年初预算数, 全年预算数, 全年执行数, 分值, 执行率,
//! 得分) and its row labels, the indicator block by its header row, 总分 and 自评等级
//! by their labels.
//!
//! Numbers are read as the person typed them: a number cell (an `f64`) is taken through
//! 15 significant digits, Excel's precision, so `0.9043000000000001` is `0.9043`; a text
//! cell holding a number (`16.00`, `１６`) is parsed; `—`, `-`, `/` and blank are no value.
//! An indicator whose 得分 is “不适用” is read as not applicable.
//! A cell that should hold a number but holds something else is an error finding and
//! no value, never zero. Amounts are in 万元 (an amount block headed （元） is divided by
//! 10000); 执行率 is kept in percent.
//!
//! A workbook this program exported carries a 说明 sheet (see
//! [`crate::io::xlsx_export`]): with it, the fields the forms have no place for come back
//! (主送单位, the report's prose, 偏离原因, 度量单位, deductions), and a computed cell
//! that still holds the figure the export wrote is not a typed figure (its `typed*`
//! stays blank); a cell changed since is what the file holds, typed. A workbook without
//! that sheet is read as before: every figure on it was typed.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Cursor;
use std::panic::AssertUnwindSafe;

use calamine::{Data, Reader, SheetType, Sheets, Xlsx, XlsxError};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::figure::read_with;
use crate::finding::{Finding, Severity};
use crate::glossary as g;
use crate::io::xlsx_export as ex;
use crate::model::Figure;
use crate::model::{FundRow, Funds, Goal, Indicator, Project, Task, Unit};

/// A workbook read into the data model, with what the reader has to say about it
/// (skipped sheets, unreadable sheets, cells that are not numbers).
#[derive(Debug, Clone)]
pub struct Imported {
    pub unit: Unit,
    pub findings: Vec<Finding>,
}

/// Why a workbook could not be imported at all (not a workbook, or no form in it).
/// The message is Chinese and meant for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    pub message: String,
}

impl ImportError {
    fn new(message: impl Into<String>) -> ImportError {
        ImportError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImportError {}

/// Import a standard-layout workbook from its bytes (.xlsx; .xls, .xlsb and .ods too).
pub fn import_workbook(bytes: &[u8]) -> Result<Imported, ImportError> {
    // A damaged file is an error, not a crash. calamine 0.38 can panic on some damaged
    // files (an arithmetic overflow on an over-long cell reference, in builds with
    // overflow checks); where panics unwind, that becomes this error.
    std::panic::catch_unwind(|| import(bytes)).unwrap_or_else(|_| {
        Err(ImportError::new(
            "无法读取工作簿：文件已损坏，请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入",
        ))
    })
}

fn import(bytes: &[u8]) -> Result<Imported, ImportError> {
    let mut book = Book::open(bytes)?;
    let sheets = book.sheets();
    if sheets.len() > MAX_SHEETS {
        return Err(too_many_sheets(sheets.len()));
    }
    let mut findings = Vec::new();
    let mut unit = Unit {
        schema_version: crate::model::SCHEMA_VERSION,
        ..Unit::default()
    };
    let mut unit_sheet: Option<String> = None;
    let mut forms = 0usize;
    let mut unreadable_sheets = 0usize;
    let mut year_from_projects: Option<i32> = None;
    let notes = find_notes(&mut book, &sheets);
    let names: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();

    for (name, kind) in sheets {
        if notes.as_ref().is_some_and(|n| n.sheet == name) {
            continue;
        }
        if kind != SheetType::WorkSheet {
            findings.push(sheet_finding(
                Severity::Notice,
                "sheet_skipped",
                format!("工作表“{name}”不是自评表，已跳过"),
            ));
            continue;
        }
        // (A panic inside calamine on a damaged sheet loses that sheet only.)
        let read = std::panic::catch_unwind(AssertUnwindSafe(|| book.read(&name)));
        let Some(grid) = read.ok().flatten() else {
            unreadable_sheets += 1;
            findings.push(sheet_finding(
                Severity::Error,
                "sheet_unreadable",
                format!("工作表“{name}”已损坏，无法读取，已跳过"),
            ));
            continue;
        };
        if grid.cut {
            findings.push(sheet_finding(
                Severity::Warning,
                "sheet_cut",
                format!(
                    "工作表“{name}”的单元格超过 {MAX_CELLS} 个，只读取了前 {MAX_CELLS} 个，其余部分未导入"
                ),
            ));
        }
        match classify(&grid) {
            Form::None => findings.push(sheet_finding(
                Severity::Notice,
                "sheet_skipped",
                format!("工作表“{name}”不是自评表，已跳过"),
            )),
            Form::Unit => {
                forms += 1;
                if let Some(first) = &unit_sheet {
                    findings.push(sheet_finding(
                        Severity::Warning,
                        "sheet_skipped",
                        format!(
                            "工作表“{name}”是第二张{}（已读取“{first}”），已跳过",
                            g::UNIT_FORM
                        ),
                    ));
                    continue;
                }
                let marks = notes.as_ref().map(|n| n.marks(&name)).unwrap_or_default();
                match read_unit(&grid, &mut unit, &marks) {
                    Ok(()) => unit_sheet = Some(name.clone()),
                    Err(missing) => findings.push(unreadable(&name, g::UNIT_FORM, &missing)),
                }
            }
            Form::Project => {
                forms += 1;
                let key = notes
                    .as_ref()
                    .map_or_else(|| name.clone(), |n| n.key(&grid, &names));
                let marks = notes.as_ref().map(|n| n.marks(&key)).unwrap_or_default();
                match read_project(&grid, &marks) {
                    Ok((mut project, inherited)) => {
                        if let Some(n) = &notes {
                            n.apply(&key, &mut project, &inherited);
                        }
                        if year_from_projects.is_none() {
                            year_from_projects = find_year(&grid);
                        }
                        unit.projects.push(project);
                    }
                    Err(missing) => findings.push(unreadable(&name, g::PROJECT_FORM, &missing)),
                }
            }
        }
    }

    if forms == 0 {
        return Err(ImportError::new(if unreadable_sheets > 0 {
            "无法读取工作簿：工作表已损坏，没有读到任何自评表".to_string()
        } else {
            format!(
                "工作簿中没有找到自评表（{}或{}），请检查是否选错了文件",
                g::PROJECT_FORM,
                g::UNIT_FORM
            )
        }));
    }
    if unit.year.value().is_none() {
        unit.year = year_from_projects.into();
    }
    if let Some(n) = &notes {
        for (i, text) in &n.fields {
            if let Some(field) = crate::report::note_fields(&mut unit).into_iter().nth(*i) {
                field.clone_from(text);
            }
        }
    }
    // (An export names its unit on the unit form, also when the name is empty.)
    if unit.name.trim().is_empty() && notes.is_none() {
        if let Some(p) = unit
            .projects
            .iter()
            .find(|p| !p.department.trim().is_empty())
        {
            unit.name = p.department.clone();
        }
    }
    Ok(Imported { unit, findings })
}

fn sheet_finding(severity: Severity, code: &str, message: String) -> Finding {
    Finding {
        severity,
        code: code.to_string(),
        project_index: None,
        project: None,
        row: None,
        field: None,
        typed: None,
        computed: None,
        message,
    }
}

fn unreadable(sheet: &str, form: &str, missing: &[String]) -> Finding {
    sheet_finding(
        Severity::Error,
        "sheet_unreadable",
        format!(
            "工作表“{sheet}”像是{form}，但无法识别：{}；该表未导入",
            missing.join("；")
        ),
    )
}

// ---------------------------------------------------------------------------------
// Opening the workbook and reading sheets into a sparse grid

/// Cells kept per sheet; a form has a few hundred. Beyond this the sheet is cut.
const MAX_CELLS: usize = 100_000;

enum Book<'a> {
    Xlsx(Box<Xlsx<Cursor<&'a [u8]>>>),
    Other(Box<Sheets<Cursor<&'a [u8]>>>),
}

const NOT_EXCEL: &str = "无法读取工作簿：文件不是有效的 Excel 文件（.xlsx）";
const DAMAGED_ZIP: &str = "无法读取工作簿：文件已损坏或不完整（不是有效的 .xlsx 压缩包）";

// Limits on a workbook (a hostile file is refused before anything is inflated). A real
// self-evaluation workbook is well under 1 MB unpacked; the limits leave room for
// hundreds of projects and still keep time and memory bounded.
/// Sheets in a workbook (a benchmark imports 1,000).
pub const MAX_SHEETS: usize = 2_000;
/// Files inside the zip.
const MAX_ENTRIES: usize = 5_000;
/// All parts together, unpacked.
const MAX_UNPACKED: u64 = 64 << 20;
/// One part (a sheet's XML, the shared strings), unpacked.
const MAX_PART: u64 = 32 << 20;
/// A part over `RATIO_FROM` bytes unpacked may be at most this many times its packed
/// size (sheet XML packs about 10–50×; a zip bomb about 1,000×).
const MAX_RATIO: u64 = 200;
const RATIO_FROM: u64 = 1 << 20;

fn mb(n: u64) -> u64 {
    n >> 20
}

/// Checks a zip's directory against the limits, from the sizes it declares (the zip
/// reader then holds every part to its declared size while inflating it, so a part
/// that lies about its size fails to read instead of growing).
fn check_zip(bytes: &[u8]) -> Result<(), ImportError> {
    let Ok(archive) = zip9::ZipArchive::new(Cursor::new(bytes)) else {
        return Err(ImportError::new(DAMAGED_ZIP));
    };
    let too_big = |what: String| {
        ImportError::new(format!(
            "无法读取工作簿：{what}，超出本程序的处理范围（可能是损坏或恶意构造的文件），已拒绝导入"
        ))
    };
    let sheets = archive
        .file_names()
        .filter(|n| {
            n.as_ref()
                .is_ok_and(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
        })
        .count();
    if sheets > MAX_SHEETS {
        return Err(too_many_sheets(sheets));
    }
    if archive.len() > MAX_ENTRIES {
        return Err(too_big(format!(
            "压缩包内有 {} 个文件（上限 {MAX_ENTRIES} 个）",
            archive.len()
        )));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(i) else {
            return Err(ImportError::new(DAMAGED_ZIP));
        };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        if size > MAX_PART {
            return Err(too_big(format!(
                "其中的“{name}”解压后为 {} MB（单个部分上限 {} MB）",
                mb(size),
                mb(MAX_PART)
            )));
        }
        if size > RATIO_FROM && size / packed > MAX_RATIO {
            return Err(too_big(format!(
                "其中的“{name}”压缩比为 {}:1（上限 {MAX_RATIO}:1，疑为“压缩炸弹”）",
                size / packed
            )));
        }
        total = total.saturating_add(size);
        if total > MAX_UNPACKED {
            return Err(too_big(format!("解压后总大小超过 {} MB", mb(MAX_UNPACKED))));
        }
    }
    Ok(())
}

fn too_many_sheets(n: usize) -> ImportError {
    ImportError::new(format!(
        "无法读取工作簿：工作簿有 {n} 张工作表，超过上限 {MAX_SHEETS} 张，已拒绝导入；请把自评表分成几个工作簿"
    ))
}

impl<'a> Book<'a> {
    fn open(bytes: &'a [u8]) -> Result<Book<'a>, ImportError> {
        let is_zip = bytes.starts_with(b"PK");
        let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
        if is_zip {
            check_zip(bytes)?;
            let xlsx: Result<Xlsx<_>, _> = calamine::open_workbook_from_rs(Cursor::new(bytes));
            return match xlsx {
                Ok(x) => Ok(Book::Xlsx(Box::new(x))),
                Err(first) => {
                    // .ods and .xlsb are zips too.
                    if let Ok(other) = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) {
                        return Ok(Book::Other(Box::new(other)));
                    }
                    Err(ImportError::new(match first {
                        XlsxError::Zip(_) | XlsxError::Io(_) => DAMAGED_ZIP,
                        _ => "无法读取工作簿：文件已损坏，或不是 Excel 工作簿（.xlsx）",
                    }))
                }
            };
        }
        if is_ole {
            let encrypted: Result<Xlsx<_>, _> = calamine::open_workbook_from_rs(Cursor::new(bytes));
            if let Err(XlsxError::Password) = encrypted {
                return Err(ImportError::new(
                    "无法读取工作簿：文件设有打开密码，请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再导入",
                ));
            }
            return match calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) {
                Ok(s) => Ok(Book::Other(Box::new(s))),
                Err(_) => Err(ImportError::new(
                    "无法读取工作簿：文件已损坏，或不是 Excel 工作簿（.xls）",
                )),
            };
        }
        Err(ImportError::new(NOT_EXCEL))
    }

    fn sheets(&self) -> Vec<(String, SheetType)> {
        let meta = match self {
            Book::Xlsx(x) => x.sheets_metadata(),
            Book::Other(s) => s.sheets_metadata(),
        };
        meta.iter().map(|s| (s.name.clone(), s.typ)).collect()
    }

    /// Read one sheet: values, the formulas of cells, and percent number formats.
    /// `None` when the sheet is damaged.
    fn read(&mut self, name: &str) -> Option<Grid> {
        let mut cells = BTreeMap::new();
        let mut cut = false;
        match self {
            Book::Xlsx(x) => {
                {
                    // Streamed, so that a stray cell at XFD1048576 costs nothing.
                    let mut reader = x.worksheet_cells_reader(name).ok()?;
                    while let Some(c) = reader.next_cell_with_formula().ok()? {
                        let data = Data::from(c.value);
                        let formula = c.formula.filter(|f| !f.trim().is_empty());
                        if data == Data::Empty && formula.is_none() {
                            continue;
                        }
                        if cells.len() >= MAX_CELLS {
                            cut = true;
                            break;
                        }
                        cells.insert(c.pos, Cell::new(data, formula));
                    }
                }
                let last = cells.keys().next_back().copied();
                // Styles only tell whether a number is shown as a percentage.
                if let Ok(mut reader) = x.worksheet_cells_reader(name) {
                    while let Ok(Some((r, c, id))) = reader.next_style_id() {
                        if last.is_none_or(|last| (r, c) > last) {
                            break;
                        }
                        if let Some(cell) = cells.get_mut(&(r, c)) {
                            if let Some(code) = reader
                                .styles()
                                .get(id)
                                .and_then(|s| s.number_format.as_ref())
                            {
                                cell.percent = percent_format(&code.format_code);
                            }
                        }
                    }
                }
            }
            Book::Other(s) => {
                let range = s.worksheet_range(name).ok()?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    if cells.len() >= MAX_CELLS {
                        cut = true;
                        break;
                    }
                    let pos = (r0.saturating_add(r as u32), c0.saturating_add(c as u32));
                    cells.insert(pos, Cell::new(v.clone(), None));
                }
                if let Ok(formulas) = s.worksheet_formula(name) {
                    let (r0, c0) = formulas.start().unwrap_or((0, 0));
                    for (r, c, f) in formulas.used_cells() {
                        if f.trim().is_empty() {
                            continue;
                        }
                        let pos = (r0.saturating_add(r as u32), c0.saturating_add(c as u32));
                        if let Some(cell) = cells.get_mut(&pos) {
                            cell.formula = Some(f.clone());
                        } else if cells.len() < MAX_CELLS {
                            cells.insert(pos, Cell::new(Data::Empty, Some(f.clone())));
                        }
                    }
                }
            }
        }
        Some(Grid {
            name: name.to_string(),
            cells,
            cut,
        })
    }
}

struct Cell {
    data: Data,
    formula: Option<String>,
    /// `Some(decimals)` when the cell's number format is a percentage.
    percent: Option<Option<u32>>,
    /// The text normalised for matching labels ("" for non-text cells).
    key: String,
}

impl Cell {
    fn new(data: Data, formula: Option<String>) -> Cell {
        let key = match &data {
            Data::String(s) => norm(s),
            _ => String::new(),
        };
        Cell {
            data,
            formula,
            percent: None,
            key,
        }
    }
}

/// One sheet, sparse, in row-major order.
struct Grid {
    name: String,
    cells: BTreeMap<(u32, u32), Cell>,
    /// More than `MAX_CELLS` cells: the rest was not read.
    cut: bool,
}

type Pos = (u32, u32);

impl Grid {
    fn cell(&self, pos: Pos) -> Option<&Cell> {
        self.cells.get(&pos)
    }

    fn row(&self, r: u32) -> impl Iterator<Item = (u32, &Cell)> {
        self.cells
            .range((r, 0)..=(r, u32::MAX))
            .map(|(p, c)| (p.1, c))
    }

    fn rows_from(&self, r: u32) -> impl Iterator<Item = (Pos, &Cell)> {
        self.cells.range((r, 0)..).map(|(p, c)| (*p, c))
    }

    /// The rows after `r` that hold cells, in order.
    fn rows_after(&self, r: u32) -> Vec<u32> {
        let mut rows: Vec<u32> = self
            .rows_from(r.saturating_add(1))
            .map(|(p, _)| p.0)
            .collect();
        rows.dedup();
        rows
    }

    /// First cell (row-major) whose key satisfies `pred`.
    fn find(&self, pred: impl Fn(&str) -> bool) -> Option<Pos> {
        self.find_from(0, pred)
    }

    fn find_from(&self, row: u32, pred: impl Fn(&str) -> bool) -> Option<Pos> {
        self.rows_from(row)
            .find(|(_, c)| !c.key.is_empty() && pred(&c.key))
            .map(|(p, _)| p)
    }

    /// Column of the first cell in row `r` whose key satisfies `pred`.
    fn col_in_row(&self, r: u32, pred: impl Fn(&str) -> bool) -> Option<u32> {
        self.row(r)
            .find(|(_, c)| !c.key.is_empty() && pred(&c.key))
            .map(|(col, _)| col)
    }

    fn row_has(&self, r: u32, pred: impl Fn(&str) -> bool) -> bool {
        self.col_in_row(r, pred).is_some()
    }

    /// The text of a cell as the person sees it.
    fn text(&self, pos: Pos) -> String {
        self.cell(pos).map_or_else(String::new, cell_text)
    }

    /// The value next to a label: the rest of the label cell after a colon
    /// (“项目名称：…”), or the first non-empty cell to its right, stopping at
    /// another label.
    fn value_right(&self, pos: Pos) -> String {
        let own = self.text(pos);
        if let Some(rest) = own
            .split_once(['：', ':'])
            .map(|(_, rest)| rest.trim())
            .filter(|rest| !rest.is_empty())
        {
            return rest.to_string();
        }
        for (col, cell) in self.row(pos.0) {
            if col <= pos.1 {
                continue;
            }
            if is_side_label(&cell.key) {
                return String::new();
            }
            let text = cell_text(cell);
            if !text.is_empty() {
                return text;
            }
        }
        String::new()
    }
}

/// Labels of the heading part of the forms: a value search stops at them.
fn is_side_label(key: &str) -> bool {
    const LABELS: &[&str] = &[
        "项目名称",
        "主管部门",
        "实施单位",
        "项目负责人",
        "联系人",
        "联系电话",
        "部门（单位）名称",
        "单位名称",
        "部门名称",
        "预算单位",
        "填报单位",
        "单位负责人",
        "填表人",
        "填报日期",
        g::TOTAL,
        g::GRADE,
    ];
    LABELS.contains(&key)
}

// ---------------------------------------------------------------------------------
// Text

/// Normalise a label for matching: no whitespace, full-width brackets and colon,
/// ASCII digits, no trailing colon or asterisk.
fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch.is_whitespace() {
            continue;
        }
        out.push(match ch {
            '(' => '（',
            ')' => '）',
            ':' => '：',
            '０'..='９' => char::from_u32(ch as u32 - '０' as u32 + '0' as u32).unwrap_or(ch),
            _ => ch,
        });
    }
    let trimmed = out.trim_matches(|c| c == '：' || c == '*' || c == '＊');
    trimmed.to_string()
}

/// A formula that is only a constant the person typed after “=”: `=1个`, `=100%`.
fn literal_formula(f: &str) -> bool {
    let f = f.trim();
    !f.is_empty()
        && !f
            .chars()
            .any(|c| c.is_ascii_alphabetic() || "!:()$+*/^&,\"'[]{}<>".contains(c) || c == '-')
}

fn cell_text(cell: &Cell) -> String {
    if let Some(f) = &cell.formula {
        let failed = matches!(cell.data, Data::Empty | Data::Error(_));
        if literal_formula(f) || (failed && !f.chars().any(|c| c.is_ascii_alphabetic())) {
            return format!("={}", f.trim());
        }
    }
    match &cell.data {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Float(f) => match dec_from_f64(*f) {
            Some(d) => number_text(d, cell.percent),
            None => f.to_string(),
        },
        Data::Int(i) => number_text(Decimal::from(*i), cell.percent),
        Data::DateTime(dt) => match dec_from_f64(dt.as_f64()) {
            Some(d) => d.to_string(),
            None => String::new(),
        },
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

fn number_text(d: Decimal, percent: Option<Option<u32>>) -> String {
    match percent {
        Some(decimals) => format!("{}%", percent_of(d, decimals)),
        None => d.normalize().to_string(),
    }
}

/// `fraction` × 100, as shown by a percent format with `decimals` places: exact when
/// it has no more decimals than shown, else rounded as shown.
fn percent_of(fraction: Decimal, decimals: Option<u32>) -> Decimal {
    let p = fraction
        .checked_mul(Decimal::ONE_HUNDRED)
        .unwrap_or(fraction)
        .normalize();
    match decimals {
        Some(d) if p.scale() > d => p
            .round_dp_with_strategy(d, RoundingStrategy::MidpointAwayFromZero)
            .normalize(),
        _ => p,
    }
}

/// Whether an Excel number format shows a percentage, and with how many decimals.
fn percent_format(code: &str) -> Option<Option<u32>> {
    // The first section, without quoted text, escapes and [colour]/[condition] parts.
    let mut plain = String::new();
    let mut chars = code.chars();
    let mut in_quote = false;
    let mut in_bracket = false;
    while let Some(ch) = chars.next() {
        match ch {
            '"' => in_quote = !in_quote,
            _ if in_quote => {}
            '[' => in_bracket = true,
            ']' => in_bracket = false,
            _ if in_bracket => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            ';' => break,
            _ => plain.push(ch),
        }
    }
    let at = plain.find('%')?;
    let before = &plain[..at];
    let decimals = match before.rfind('.') {
        Some(dot) => before[dot + 1..]
            .chars()
            .take_while(|c| matches!(c, '0' | '#' | '?'))
            .count(),
        None => 0,
    };
    Some(u32::try_from(decimals).ok())
}

// ---------------------------------------------------------------------------------
// Numbers

/// An `f64` from a cell, through 15 significant digits (Excel's precision).
fn dec_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(Decimal::ZERO);
    }
    let s = format!("{f:.14e}");
    let (mantissa, exp) = s.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut m: i128 = digits.parse().ok()?;
    let mut e = exp - 14;
    while m != 0 && m % 10 == 0 && e < 0 {
        m /= 10;
        e += 1;
    }
    if negative {
        m = -m;
    }
    let d = if e >= 0 {
        let factor = 10i128.checked_pow(u32::try_from(e).ok()?)?;
        Decimal::try_from_i128_with_scale(m.checked_mul(factor)?, 0).ok()?
    } else {
        let mut scale = u32::try_from(-e).ok()?;
        if scale > 28 {
            // Below 1e-28: rounds to what Decimal can hold.
            // (m has 15 digits, so past 10^17 it rounds to zero.)
            let cut = scale - 28;
            m = match 10i128.checked_pow(cut).filter(|_| cut <= 17) {
                Some(div) => {
                    let (q, r) = (m / div, m % div);
                    if r.abs() * 2 >= div {
                        q + m.signum()
                    } else {
                        q
                    }
                }
                None => 0,
            };
            scale = 28;
        }
        Decimal::try_from_i128_with_scale(m, scale).ok()?
    };
    Some(d.normalize())
}

/// What a number cell holds.
#[derive(Debug, PartialEq)]
enum Num {
    Empty,
    Value(Decimal),
    /// Not a number; the text as shown, for the message.
    Bad(String),
    /// Not a usable number, and why: the text as shown and the reason (a Chinese
    /// predicate: “是错误值……”).
    Wrong(String, &'static str),
}

const NO_CACHED_RESULT: &str =
    "是公式，但文件中没有保存它的计算结果；请在 Excel 或 WPS 中打开、保存后再导入";
const ERROR_VALUE: &str = "是错误值（公式出错），不是数字";
const DATE_VALUE: &str = "是日期，不是数字；请把单元格格式改为“数值”后重新填写";
const TOO_LARGE: &str = "超出可计算的范围（数值过大），请检查";
const NOT_FINITE: &str = "不是有效的数字";

/// An Excel date serial as `YYYY-MM-DD` (for messages; 1900 date system).
fn excel_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    // Days from 1970-01-01; Excel's day 25569 is 1970-01-01 (its fictional 1900-02-29
    // only shifts dates before March 1900).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// Cell text that means “no value”.
fn is_blank_mark(s: &str) -> bool {
    let s = s.trim();
    s.is_empty()
        || s.chars().all(|c| "-—－–―_/／\\、.。".contains(c))
        || matches!(s, "无" | "空" | "不适用" | "N/A" | "n/a" | "NA")
}

/// How a number cell is read.
#[derive(Clone, Copy)]
enum Kind {
    /// An amount; `yuan` → divide by 10000 into 万元.
    Amount { yuan: bool },
    /// 分值, 得分, 总分.
    Score,
    /// 执行率, into percent.
    Rate,
}

fn read_number(cell: Option<&Cell>, kind: Kind) -> Num {
    let Some(cell) = cell else {
        return Num::Empty;
    };
    let raw = match &cell.data {
        Data::Empty => {
            // A formula whose result the file does not hold (written by a program
            // that does not calculate): no value, but said so, never a silent zero.
            return match &cell.formula {
                Some(f) => Num::Wrong(format!("={}", f.trim()), NO_CACHED_RESULT),
                None => Num::Empty,
            };
        }
        Data::Float(f) => match dec_from_f64(*f) {
            Some(d) => d,
            None if f.is_finite() => return Num::Wrong(cell_text(cell), TOO_LARGE),
            None => return Num::Wrong(f.to_string(), NOT_FINITE),
        },
        Data::Int(i) => Decimal::from(*i),
        Data::DateTime(dt) => {
            let shown = excel_date(dt.as_f64()).unwrap_or_else(|| cell_text(cell));
            return Num::Wrong(shown, DATE_VALUE);
        }
        Data::DateTimeIso(s) => return Num::Wrong(s.trim().to_string(), DATE_VALUE),
        Data::Error(e) => {
            let shown = match &cell.formula {
                Some(f) => format!("={}（{e}）", f.trim()),
                None => e.to_string(),
            };
            return Num::Wrong(shown, ERROR_VALUE);
        }
        Data::String(s) => {
            if is_blank_mark(s) {
                return Num::Empty;
            }
            return read_text_number(s, kind);
        }
        _ => return Num::Bad(cell_text(cell)),
    };
    match kind {
        Kind::Amount { yuan } => Num::Value(to_wan(raw, yuan)),
        Kind::Score => Num::Value(raw),
        Kind::Rate => Num::Value(match cell.percent {
            Some(decimals) => percent_of(raw, decimals),
            None => plain_rate(raw),
        }),
    }
}

fn read_text_number(s: &str, kind: Kind) -> Num {
    let bad = || {
        // A number too long for a decimal (29 digits and more) is too large, not text.
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let numeric = s
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || ".,-+ ".contains(c));
        if numeric && digits > 28 {
            Num::Wrong(s.trim().to_string(), TOO_LARGE)
        } else {
            Num::Bad(s.trim().to_string())
        }
    };
    match kind {
        Kind::Amount { yuan } => {
            let suffix: &[&str] = if yuan { &["元"] } else { &["万元"] };
            match read_with(s, suffix) {
                Some(d) => Num::Value(to_wan(d, yuan)),
                None => bad(),
            }
        }
        Kind::Score => read_with(s, &["分"]).map_or_else(bad, Num::Value),
        Kind::Rate => {
            let t = s.trim();
            if let Some(number) = t.strip_suffix(['%', '％']) {
                read_with(number, &[]).map_or_else(bad, Num::Value)
            } else {
                read_with(t, &[]).map_or_else(bad, |d| Num::Value(plain_rate(d)))
            }
        }
    }
}

/// A rate written without %: up to 1.5 it is a fraction (0.9936), above it is percent.
fn plain_rate(d: Decimal) -> Decimal {
    if d.abs() <= Decimal::new(15, 1) {
        percent_of(d, None)
    } else {
        d
    }
}

fn to_wan(d: Decimal, yuan: bool) -> Decimal {
    if yuan {
        d.checked_div(Decimal::from(10_000))
            .map_or(d, |v| v.normalize())
    } else {
        d
    }
}

/// Reads the numbers of one form. A cell that is not a number keeps its text, as shown
/// (a formula without its result, an error value, a date, 约50 …): never counted, and
/// reported by the audit at its place on the form (see [`crate::figure::explain`]).
struct Reading<'a> {
    grid: &'a Grid,
    /// The computed cells of this form, when it is this program's export.
    marks: &'a [(Role, Option<Raw>)],
}

impl Reading<'_> {
    fn number(&mut self, pos: Pos, kind: Kind) -> Figure {
        match read_number(self.grid.cell(pos), kind) {
            Num::Empty => Figure::BLANK,
            Num::Value(d) => Figure::from(d),
            Num::Bad(shown) | Num::Wrong(shown, _) => Figure::unread(&shown),
        }
    }

    /// The figure at `pos` as typed: blank when it is a figure this program computed
    /// and exported, still as exported.
    fn typed(&mut self, pos: Pos, kind: Kind, role: Role) -> Figure {
        if self.is_computed(pos, role) {
            Figure::BLANK
        } else {
            self.number(pos, kind)
        }
    }

    fn is_computed(&self, pos: Pos, role: Role) -> bool {
        is_marked(self.marks, role, raw(self.grid.cell(pos)))
    }
}

// ---------------------------------------------------------------------------------
// Recognising the forms

#[derive(Debug, PartialEq)]
enum Form {
    None,
    Unit,
    Project,
}

/// A title: a short cell that contains `title`.
fn is_title(key: &str, title: &str) -> bool {
    key.chars().count() <= 40 && key.contains(title)
}

fn is_unit_name_label(key: &str) -> bool {
    matches!(
        key,
        "部门（单位）名称" | "单位名称" | "部门名称" | "预算单位名称" | "预算部门名称"
    )
}

fn is_project_name_label(key: &str) -> bool {
    key == "项目名称" || (key.starts_with("项目名称：") && key.chars().count() <= 60)
}

fn classify(grid: &Grid) -> Form {
    let has_blocks = || {
        grid.find(is_budget_header).is_some() || grid.find(|k| k.starts_with("三级指标")).is_some()
    };
    // “项目名称：…” in one cell counts when the sheet also has a form's blocks (a
    // 填表说明 sheet may start a line with it).
    let project = grid
        .find(|k| k == "项目名称" || is_title(k, g::PROJECT_FORM))
        .is_some()
        || (grid.find(is_project_name_label).is_some() && has_blocks());
    let unit = grid
        .find(|k| is_unit_name_label(k) || is_title(k, "整体支出绩效自评表"))
        .is_some();
    let has_project_name = grid.find(is_project_name_label).is_some();
    if unit && !has_project_name {
        Form::Unit
    } else if project {
        Form::Project
    } else {
        Form::None
    }
}

/// The year from “（2022年度）” or a title “2022年度…”.
fn find_year(grid: &Grid) -> Option<i32> {
    grid.cells.values().find_map(|c| {
        if c.key.is_empty() || c.key.chars().count() > 60 {
            return None;
        }
        year_in(&c.key)
    })
}

fn year_in(key: &str) -> Option<i32> {
    let chars: Vec<char> = key.chars().collect();
    for i in 4..chars.len() {
        if chars[i] == '年' && chars.get(i + 1) == Some(&'度') {
            let digits: String = chars[i - 4..i].iter().collect();
            if i >= 5 && chars[i - 5].is_ascii_digit() {
                continue;
            }
            if let Ok(y) = digits.parse::<i32>() {
                if (1990..=2100).contains(&y) {
                    return Some(y);
                }
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------
// Blocks

/// Labels that start a new block of a form: a block's rows end at them.
fn is_block_label(key: &str) -> bool {
    const STARTS: &[&str] = &[
        "年度总体目标",
        "总体目标",
        "年度主要任务",
        "主要任务",
        "绩效指标",
        "一级指标",
        "年度预算执行情况",
        "预算执行情况",
        "项目资金",
        g::TOTAL,
        g::GRADE,
        "评价等级",
        "评价结论",
        "自评结论",
        "存在问题",
    ];
    STARTS.iter().any(|s| key.starts_with(s))
}

/// 总分, 总分（100分）.
fn is_total_label(key: &str) -> bool {
    key == g::TOTAL || key.starts_with("总分（")
}

/// End of the indicator rows.
fn is_indicator_end(key: &str) -> bool {
    is_total_label(key)
        || matches!(
            key,
            "合计" | "自评等级" | "评价等级" | "评价结论" | "自评结论" | "存在问题" | "改进措施"
        )
}

struct FundLayout {
    initial: Option<u32>,
    budget: u32,
    executed: u32,
    weight: Option<u32>,
    rate: Option<u32>,
    score: Option<u32>,
    yuan: bool,
    /// (row, which) of each labelled fund row, in form order.
    rows: Vec<(u32, FundKind)>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum FundKind {
    Total,
    Fiscal,
    Carryover,
    Other,
    Basic,
    Project,
}

fn fund_kind(key: &str) -> Option<FundKind> {
    let k = key.trim_start_matches("其中").trim_start_matches('：');
    let k = k.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '、');
    if k.contains(g::FUND_TOTAL) || k == "资金总额" || k == "合计" {
        Some(FundKind::Total)
    } else if k.contains("财政拨款") {
        Some(FundKind::Fiscal)
    } else if k.contains("上年结转") {
        Some(FundKind::Carryover)
    } else if k.contains(g::FUND_OTHER) {
        Some(FundKind::Other)
    } else if k.contains(g::FUND_BASIC) {
        Some(FundKind::Basic)
    } else if k.contains(g::FUND_PROJECT) && !k.contains("自评表") {
        Some(FundKind::Project)
    } else {
        None
    }
}

fn is_budget_header(k: &str) -> bool {
    k.starts_with(g::BUDGET) || k == "预算数" || k.starts_with("预算数（")
}

fn is_executed_header(k: &str) -> bool {
    k.starts_with(g::EXECUTED) || k == "执行数" || k.starts_with("执行数（")
}

fn find_funds(grid: &Grid) -> Result<FundLayout, String> {
    let Some(budget_pos) = grid.find(is_budget_header) else {
        return Err(format!(
            "未找到预算执行情况表（{}、{}）",
            g::BUDGET,
            g::EXECUTED
        ));
    };
    let header_row = budget_pos.0;
    let budget = budget_pos.1;
    let Some(executed) = grid.col_in_row(header_row, is_executed_header) else {
        return Err(format!("预算执行情况表缺少“{}”列", g::EXECUTED));
    };
    let initial = grid.col_in_row(header_row, |k| k.starts_with(g::INITIAL));
    let weight = grid.col_in_row(header_row, |k| k.starts_with(g::WEIGHT));
    let rate = grid.col_in_row(header_row, |k| {
        k.starts_with(g::RATE) || k.starts_with("预算执行率")
    });
    let score = grid.col_in_row(header_row, |k| k.starts_with(g::SCORE));
    let first_data = [Some(budget), Some(executed), initial]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(budget);

    let mut rows = Vec::new();
    // Texts that may name the unit of the amounts: the header row, the block label.
    let mut label_texts: Vec<String> = grid
        .row(header_row)
        .filter(|(_, c)| !c.key.is_empty())
        .map(|(_, c)| c.key.clone())
        .collect();
    if header_row > 0 {
        label_texts.extend(
            grid.row(header_row - 1)
                .filter(|(col, c)| *col < first_data && !c.key.is_empty())
                .map(|(_, c)| c.key.clone()),
        );
    }
    let last = header_row.saturating_add(16);
    for r in grid.rows_after(header_row) {
        if r > last {
            break;
        }
        let mut kind = None;
        let mut stop = false;
        for (col, cell) in grid.row(r) {
            if cell.key.is_empty() {
                continue;
            }
            if col < first_data {
                if let Some(k) = fund_kind(&cell.key) {
                    kind = Some(k);
                } else if is_block_label(&cell.key)
                    && !cell.key.starts_with("项目资金")
                    && !cell.key.contains("预算执行情况")
                {
                    stop = true;
                } else {
                    label_texts.push(cell.key.clone());
                }
            } else if is_block_label(&cell.key) {
                stop = true;
            }
        }
        if stop && kind.is_none() {
            break;
        }
        if let Some(k) = kind {
            if !rows.iter().any(|(_, seen)| *seen == k) {
                rows.push((r, k));
            }
        }
    }
    if !rows.iter().any(|(_, k)| *k == FundKind::Total) {
        return Err(format!("预算执行情况表缺少“{}”行", g::FUND_TOTAL));
    }
    let yuan = unit_is_yuan(&label_texts).unwrap_or_else(|| {
        grid.cells
            .values()
            .filter(|c| !c.key.is_empty() && c.key.chars().count() <= 40)
            .find_map(|c| unit_note(&c.key))
            .unwrap_or(false)
    });
    Ok(FundLayout {
        initial,
        budget,
        executed,
        weight,
        rate,
        score,
        yuan,
        rows,
    })
}

/// Whether labels of an amount block say （元） (true) or （万元） (false).
fn unit_is_yuan(texts: &[String]) -> Option<bool> {
    for t in texts {
        if t.contains("万元") {
            return Some(false);
        }
        if t.contains("（元）") || t.contains("单位：元") || t.contains("：元）") {
            return Some(true);
        }
    }
    None
}

/// A sheet-wide note such as “金额单位：元”.
fn unit_note(key: &str) -> Option<bool> {
    if key.contains("单位：万元") {
        Some(false)
    } else if key.contains("单位：元") {
        Some(true)
    } else {
        None
    }
}

fn read_funds(reading: &mut Reading<'_>, layout: &FundLayout) -> (Funds, Figure) {
    let amount = Kind::Amount { yuan: layout.yuan };
    let mut funds = Funds::default();
    let mut execution_weight = Figure::BLANK;
    for &(r, kind) in &layout.rows {
        let mut row = FundRow::default();
        let role = |column| Role::Fund(kind, column);
        if let Some(c) = layout.initial {
            row.initial = reading.typed((r, c), amount, role(Column::Initial));
        }
        row.budget = reading.typed((r, layout.budget), amount, role(Column::Budget));
        row.executed = reading.typed((r, layout.executed), amount, role(Column::Executed));
        if let Some(c) = layout.rate {
            row.typed_rate = reading.typed((r, c), Kind::Rate, role(Column::Rate));
        }
        if let Some(c) = layout.score {
            row.typed_score = reading.typed((r, c), Kind::Score, role(Column::Score));
        }
        match kind {
            FundKind::Total => {
                if let Some(c) = layout.weight {
                    execution_weight = reading.typed((r, c), Kind::Score, role(Column::Weight));
                }
                funds.total = row;
            }
            FundKind::Fiscal => funds.fiscal = Some(row),
            FundKind::Carryover => funds.carryover = Some(row),
            FundKind::Other => funds.other = Some(row),
            FundKind::Basic => funds.basic = Some(row),
            FundKind::Project => funds.project = Some(row),
        }
    }
    (funds, execution_weight)
}

/// 年度总体目标: the texts under 预期目标 and 实际完成情况.
fn read_goal(grid: &Grid) -> Goal {
    let Some(label) = grid.find(|k| k.starts_with("年度总体目标") || k == "总体目标")
    else {
        return Goal::default();
    };
    let is_expected = |k: &str| k.starts_with("预期目标") || k == "年度目标" || k == "目标";
    let is_actual = |k: &str| k.starts_with("实际完成情况") || k == "完成情况";
    // The labels sit on the label's row, or on the row below it.
    for r in [label.0, label.0.saturating_add(1)] {
        let expected = grid.col_in_row(r, is_expected);
        let actual = grid.col_in_row(r, is_actual);
        if expected.is_none() && actual.is_none() {
            continue;
        }
        let mut label_cols: Vec<u32> = grid
            .row(r)
            .filter(|(_, c)| !c.key.is_empty())
            .map(|(col, _)| col)
            .collect();
        label_cols.sort_unstable();
        // The value under a label (possibly a merged cell starting to its right,
        // before the next label), else the value to its right — but not the other
        // goal label: an empty goal stays empty.
        let under = |col: Option<u32>| -> String {
            let Some(col) = col else {
                return String::new();
            };
            let next = label_cols.iter().copied().find(|&c| c > col);
            for (c, cell) in grid.row(r.saturating_add(1)) {
                if c < col || next.is_some_and(|n| c >= n) {
                    continue;
                }
                let text = cell_text(cell);
                if !text.is_empty() {
                    return text;
                }
            }
            let right = grid.value_right((r, col));
            let other = [expected, actual].into_iter().flatten().find(|&c| c > col);
            match other {
                Some(other) if right == grid.text((r, other)) => String::new(),
                _ => right,
            }
        };
        return Goal {
            expected: under(expected),
            actual: under(actual),
        };
    }
    Goal {
        expected: grid.value_right(label),
        actual: String::new(),
    }
}

struct IndicatorLayout {
    header_row: u32,
    level1: Option<u32>,
    level2: Option<u32>,
    name: u32,
    target: u32,
    actual: u32,
    weight: u32,
    score: Option<u32>,
    reason: Option<u32>,
    improve: Option<u32>,
    unit: Option<u32>,
    op: Option<u32>,
}

fn is_target_header(k: &str) -> bool {
    k.starts_with(g::TARGET)
        || k.starts_with("指标值")
        || k.starts_with("年度目标值")
        || k.starts_with("目标值")
}

fn is_actual_header(k: &str) -> bool {
    k.starts_with(g::ACTUAL)
        || k.starts_with("全年实际完成值")
        || k.starts_with("实际值")
        || k.starts_with("完成值")
}

fn find_indicators(grid: &Grid) -> Result<IndicatorLayout, String> {
    let missing = || {
        format!(
            "未找到绩效指标表头（三级指标、{}、{}、{}）",
            g::TARGET,
            g::ACTUAL,
            g::WEIGHT
        )
    };
    let mut from = 0;
    loop {
        let Some(pos) = grid.find_from(from, |k| k.starts_with("三级指标")) else {
            return Err(missing());
        };
        let r = pos.0;
        let col = |pred: &dyn Fn(&str) -> bool| grid.col_in_row(r, pred);
        if let (Some(target), Some(actual)) = (col(&is_target_header), col(&is_actual_header)) {
            let Some(weight) = col(&|k| k.starts_with(g::WEIGHT) || k.starts_with("权重")) else {
                return Err(format!("绩效指标表头缺少“{}”列", g::WEIGHT));
            };
            let reason = col(&|k| k.starts_with("偏差原因"));
            let improve = col(&|k| k.starts_with("改进措施")).filter(|c| Some(*c) != reason);
            return Ok(IndicatorLayout {
                header_row: r,
                level1: col(&|k| k.starts_with("一级指标")),
                level2: col(&|k| k.starts_with("二级指标")),
                name: pos.1,
                target,
                actual,
                weight,
                score: col(&|k| k.starts_with(g::SCORE) || k.starts_with("自评得分")),
                reason,
                improve,
                unit: col(&|k| k.starts_with("度量单位") || k.starts_with("计量单位")),
                op: col(&|k| k.starts_with("指标性质")),
            });
        }
        if r == u32::MAX {
            return Err(missing());
        }
        from = r + 1;
    }
}

/// An operator written in a 指标性质 column, normalised.
fn operator(text: &str) -> Option<&'static str> {
    match text.trim() {
        "=" | "＝" | "==" => Some("="),
        "≥" | ">=" | "＞＝" | "≧" => Some("≥"),
        "≤" | "<=" | "＜＝" | "≦" => Some("≤"),
        ">" | "＞" => Some(">"),
        "<" | "＜" => Some("<"),
        _ => None,
    }
}

fn starts_with_operator(s: &str) -> bool {
    s.starts_with(['=', '≥', '≤', '>', '<', '＝', '＞', '＜', '≧', '≦'])
}

/// Indicator rows, and the row that ends them (总分 …) if any.
fn read_indicators(
    reading: &mut Reading<'_>,
    layout: &IndicatorLayout,
    inherited: &mut Vec<[bool; 2]>,
) -> (Vec<Indicator>, Option<u32>) {
    let grid = reading.grid;
    let mut out: Vec<Indicator> = Vec::new();
    let mut end = None;
    let mut level1 = String::new();
    let mut level2 = String::new();
    // The end labels are looked for in the label and level columns only: an indicator
    // may be named “总分…”.
    let levels_left = [layout.level1, layout.level2]
        .into_iter()
        .flatten()
        .any(|c| c < layout.name);
    for r in grid.rows_after(layout.header_row) {
        let ends = grid.row(r).any(|(col, c)| {
            (col < layout.name || (col == layout.name && !levels_left))
                && !c.key.is_empty()
                && is_indicator_end(&c.key)
        });
        if ends {
            end = Some(r);
            break;
        }
        let text = |c: Option<u32>| c.map_or_else(String::new, |c| grid.text((r, c)));
        let l1 = text(layout.level1);
        let l2 = text(layout.level2);
        let name = text(Some(layout.name));
        let target = text(Some(layout.target));
        let actual = text(Some(layout.actual));
        let has_numbers = [Some(layout.weight), layout.score]
            .into_iter()
            .flatten()
            .any(|c| {
                grid.cell((r, c))
                    .is_some_and(|cell| cell.data != Data::Empty)
            });
        if name.is_empty() && target.is_empty() && actual.is_empty() && !has_numbers {
            // A blank row, or a row that only carries merged labels.
            if !l1.is_empty() {
                level1 = l1;
                level2 = l2;
            } else if !l2.is_empty() {
                level2 = l2;
            }
            continue;
        }
        // An empty 一级/二级 cell (a merged cell) inherits from the row above.
        inherited.push([l1.is_empty(), l2.is_empty()]);
        if !l1.is_empty() {
            if l1 != level1 {
                level2.clear();
            }
            level1 = l1;
        }
        if !l2.is_empty() {
            level2 = l2;
        }
        let mut target = target;
        if let Some(op) = layout.op.and_then(|c| operator(&grid.text((r, c)))) {
            if !target.is_empty() && !starts_with_operator(&target) {
                target = format!("{op}{target}");
            }
        }
        let mut reason = text(layout.reason);
        let improve = text(layout.improve);
        if !improve.is_empty() {
            if reason.is_empty() {
                reason = improve;
            } else {
                reason = format!("{reason}；{improve}");
            }
        }
        let weight = reading.number((r, layout.weight), Kind::Score);
        let role = Role::Indicator(out.len());
        let typed_score = layout
            .score
            .map_or(Figure::BLANK, |c| reading.typed((r, c), Kind::Score, role));
        // 得分 “不适用”: excluded from the total (as the report writes it).
        let not_applicable = layout
            .score
            .and_then(|c| grid.cell((r, c)))
            .is_some_and(|cell| cell.key == "不适用");
        out.push(Indicator {
            level1: level1.clone(),
            level2: level2.clone(),
            name,
            target,
            actual,
            unit: text(layout.unit),
            weight,
            typed_score,
            reason,
            not_applicable,
            ..Indicator::default()
        });
    }
    (out, end)
}

/// The typed 总分: the number in the 得分 column of the 总分 row (or, without a 得分
/// column, the last number of that row).
fn read_total(
    reading: &mut Reading<'_>,
    total_row: Option<u32>,
    score_col: Option<u32>,
) -> Option<Figure> {
    let grid = reading.grid;
    let pos = match total_row {
        Some(r) if grid.row_has(r, is_total_label) => r,
        _ => grid.find(is_total_label)?.0,
    };
    let col = match score_col {
        Some(c) => c,
        None => {
            grid.row(pos)
                .filter(|(_, c)| matches!(c.data, Data::Float(_) | Data::Int(_)))
                .last()?
                .0
        }
    };
    Some(reading.typed((pos, col), Kind::Score, Role::Total))
}

fn read_grade(grid: &Grid) -> Option<String> {
    let pos = grid.find(|k| k.starts_with(g::GRADE) || k.starts_with("评价等级"))?;
    let v = grid.value_right(pos);
    let v = v.trim().to_string();
    (!v.is_empty()).then_some(v)
}

// ---------------------------------------------------------------------------------
// The two forms

/// 项目名称, or the sheet's name.
fn project_name(grid: &Grid) -> String {
    let name = grid
        .find(is_project_name_label)
        .map(|p| grid.value_right(p))
        .unwrap_or_default();
    if name.is_empty() {
        grid.name.trim().to_string()
    } else {
        name
    }
}

/// A project form; with it, for each indicator, whether its 一级/二级 cells were empty
/// (and the names taken from the row above).
fn read_project(
    grid: &Grid,
    marks: &[(Role, Option<Raw>)],
) -> Result<(Project, Vec<[bool; 2]>), Vec<String>> {
    let funds_layout = find_funds(grid);
    let indicator_layout = find_indicators(grid);
    let (funds_layout, indicator_layout) = match (funds_layout, indicator_layout) {
        (Ok(f), Ok(i)) => (f, i),
        (f, i) => {
            let mut missing = Vec::new();
            if let Err(e) = f {
                missing.push(e);
            }
            if let Err(e) = i {
                missing.push(e);
            }
            return Err(missing);
        }
    };

    let name = project_name(grid);
    let department = grid
        .find(|k| k == "主管部门" || k.starts_with("主管部门："))
        .map(|p| grid.value_right(p))
        .unwrap_or_default();
    let implementer = grid
        .find(|k| k == "实施单位" || k.starts_with("实施单位："))
        .map(|p| grid.value_right(p))
        .unwrap_or_default();

    let mut reading = Reading { grid, marks };
    let (funds, execution_weight) = read_funds(&mut reading, &funds_layout);
    let mut inherited = Vec::new();
    let (indicators, end) = read_indicators(&mut reading, &indicator_layout, &mut inherited);
    let total = read_total(&mut reading, end, indicator_layout.score);
    let grade =
        read_grade(grid).filter(|g| !is_marked(marks, Role::Grade, Some(Raw::Text(g.clone()))));

    let mut project = Project {
        name,
        department,
        implementer,
        funds,
        execution_weight,
        goal: read_goal(grid),
        indicators,
        ..Project::default()
    };
    project.typed.total = total.unwrap_or_default();
    project.typed.grade = grade;
    Ok((project, inherited))
}

fn read_unit(
    grid: &Grid,
    unit: &mut Unit,
    marks: &[(Role, Option<Raw>)],
) -> Result<(), Vec<String>> {
    let name = grid
        .find(|k| {
            is_unit_name_label(k)
                || ["部门（单位）名称：", "单位名称：", "部门名称："]
                    .iter()
                    .any(|l| k.starts_with(l))
        })
        .map(|p| grid.value_right(p))
        .unwrap_or_default();
    let funds_layout = find_funds(grid);
    let tasks = read_tasks(grid);
    let goal = read_goal(grid);
    if name.is_empty() && funds_layout.is_err() && tasks.is_empty() && goal == Goal::default() {
        let mut missing = vec!["未找到部门（单位）名称".to_string()];
        if let Err(e) = funds_layout {
            missing.push(e);
        }
        return Err(missing);
    }

    let mut reading = Reading { grid, marks };
    if let Ok(layout) = &funds_layout {
        // (The unit has no execution weight in the model.)
        let (funds, _weight) = read_funds(&mut reading, layout);
        // The projects' sum, as this program exported it for a unit without its own
        // funds block, and not changed since: still no funds block of its own.
        let rolled_up = marks.iter().any(|(role, _)| {
            matches!(
                role,
                Role::Fund(FundKind::Total, Column::Budget | Column::Executed)
            )
        });
        let blank = |r: &FundRow| {
            [
                &r.initial,
                &r.budget,
                &r.executed,
                &r.typed_rate,
                &r.typed_score,
            ]
            .iter()
            .all(|f| f.is_blank())
        };
        let rows = [
            &funds.fiscal,
            &funds.carryover,
            &funds.other,
            &funds.basic,
            &funds.project,
        ];
        let empty = blank(&funds.total) && rows.iter().all(|r| r.as_ref().is_none_or(blank));
        unit.funds = (!(rolled_up && empty)).then_some(funds);
    }
    // The unit's indicator block is not in the model; only its typed 总分 is kept.
    let score_col = find_indicators(grid).ok().and_then(|l| l.score);
    if grid.find(is_total_label).is_some() {
        unit.typed.total = read_total(&mut reading, None, score_col).unwrap_or_default();
    }
    unit.typed.grade = read_grade(grid);

    unit.name = name;
    unit.year = find_year(grid).into();
    unit.tasks = tasks;
    unit.goal = goal;
    Ok(())
}

/// 年度主要任务: rows under the 任务名称 / 主要内容 / 完成情况 header, until the next block.
fn read_tasks(grid: &Grid) -> Vec<Task> {
    let Some(label) = grid.find(|k| k.starts_with("年度主要任务") || k == "主要任务")
    else {
        return Vec::new();
    };
    let is_name = |k: &str| k.starts_with("任务名称") || k == "任务";
    let Some((header_row, name_col)) = [label.0, label.0.saturating_add(1)]
        .into_iter()
        .find_map(|r| grid.col_in_row(r, is_name).map(|c| (r, c)))
    else {
        return Vec::new();
    };
    let content_col = grid.col_in_row(header_row, |k| {
        k.starts_with("主要内容") || k.starts_with("任务内容")
    });
    let completion_col = grid.col_in_row(header_row, |k| {
        k.starts_with("完成情况") || k.starts_with("实际完成情况") || k.starts_with("完成结果")
    });
    let mut tasks = Vec::new();
    for r in grid.rows_after(header_row) {
        // A text left of the task names is the next block's label.
        let ends = grid.row(r).any(|(col, cell)| {
            !cell.key.is_empty() && (is_block_label(&cell.key) || col < name_col)
        });
        if ends {
            break;
        }
        let text = |c: Option<u32>| c.map_or_else(String::new, |c| grid.text((r, c)));
        let task = Task {
            name: text(Some(name_col)),
            content: text(content_col),
            completion: text(completion_col),
        };
        if task.name.is_empty() && task.content.is_empty() && task.completion.is_empty() {
            continue;
        }
        tasks.push(task);
    }
    tasks
}

// ---------------------------------------------------------------------------------
// A workbook this program exported: its 说明 sheet

/// A cell's value, to tell whether a computed figure is still the one exported.
#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Num(Decimal),
    Text(String),
}

fn raw(cell: Option<&Cell>) -> Option<Raw> {
    match &cell?.data {
        Data::Float(f) => dec_from_f64(*f).map(|d| Raw::Num(d.normalize())),
        Data::Int(i) => Some(Raw::Num(Decimal::from(*i))),
        Data::String(s) if !s.trim().is_empty() => Some(Raw::Text(s.trim().to_string())),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Initial,
    Budget,
    Executed,
    Weight,
    Rate,
    Score,
}

/// What a computed cell is, as the 说明 sheet names it (行 × 栏目).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Fund(FundKind, Column),
    /// 得分 of the indicator at this index (“第3项：…” is index 2).
    Indicator(usize),
    Total,
    Grade,
}

fn role(row: &str, column: &str) -> Option<Role> {
    let row = norm(row);
    if let Some(rest) = row.strip_prefix('第') {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if rest[digits.len()..].starts_with('项') {
            return digits
                .parse::<usize>()
                .ok()?
                .checked_sub(1)
                .map(Role::Indicator);
        }
    }
    if row == g::TOTAL {
        return Some(Role::Total);
    }
    if row == g::GRADE {
        return Some(Role::Grade);
    }
    let column = match norm(column).as_str() {
        g::INITIAL => Column::Initial,
        g::BUDGET => Column::Budget,
        g::EXECUTED => Column::Executed,
        g::WEIGHT => Column::Weight,
        g::RATE => Column::Rate,
        g::SCORE => Column::Score,
        _ => return None,
    };
    fund_kind(&row).map(|kind| Role::Fund(kind, column))
}

/// A computed figure that is still what the export wrote.
fn is_marked(marks: &[(Role, Option<Raw>)], role: Role, value: Option<Raw>) -> bool {
    value.is_some_and(|v| {
        marks
            .iter()
            .any(|(r, m)| *r == role && m.as_ref() == Some(&v))
    })
}

struct NoteProject {
    sheet: String,
    name: String,
    deviation: String,
}

struct NoteIndicator {
    sheet: String,
    index: Option<usize>,
    name: String,
    unit: String,
    deduction: Figure,
    deduction_reason: String,
    typed_score: Figure,
    /// 一级指标, 二级指标 left empty.
    empty: [bool; 2],
    /// 完成程度 chosen for a qualitative row.
    band: String,
}

/// What the 说明 sheet of an export holds.
struct Notes {
    /// The 说明 sheet's name.
    sheet: String,
    /// (index into `report::NOTE_FIELDS`, text)
    fields: Vec<(usize, String)>,
    projects: Vec<NoteProject>,
    indicators: Vec<NoteIndicator>,
    /// (sheet, what, the value exported; `None` when blank)
    computed: Vec<(String, Role, Option<Raw>)>,
}

/// The 说明 sheet of this program's export, if the workbook has one (looked for among
/// the sheets whose name has 说明 in it, before the forms are read).
fn find_notes(book: &mut Book<'_>, sheets: &[(String, SheetType)]) -> Option<Notes> {
    for (name, kind) in sheets {
        if *kind != SheetType::WorkSheet || !name.contains(ex::NOTES_SHEET) {
            continue;
        }
        let read = std::panic::catch_unwind(AssertUnwindSafe(|| book.read(name)));
        if let Some(notes) = read.ok().flatten().as_ref().and_then(read_notes) {
            return Some(notes);
        }
    }
    None
}

/// The rows of a table of the 说明 sheet: the header row holding `H_SHEET` and `other`,
/// the header's columns by label, and the rows right below it up to the first empty one.
fn note_table<'a>(
    grid: &'a Grid,
    other: &str,
) -> Option<(Vec<u32>, impl Fn(&str) -> Option<u32> + 'a)> {
    let header = grid
        .cells
        .iter()
        .find(|((r, _), c)| c.key == ex::H_SHEET && grid.row_has(*r, |k| k == other))
        .map(|(p, _)| p.0)?;
    let mut rows = Vec::new();
    for r in grid.rows_after(header) {
        // (Rows are consecutive: the table ends at the first empty row.)
        if u64::from(r) != u64::from(header) + 1 + rows.len() as u64 {
            break;
        }
        rows.push(r);
    }
    Some((rows, move |label: &str| {
        grid.col_in_row(header, |k| k == label)
    }))
}

fn read_notes(grid: &Grid) -> Option<Notes> {
    let mark = grid.find(|k| k == ex::MARK_LABEL)?;
    if !grid.value_right(mark).starts_with("绩效自评") {
        return None;
    }
    let text = |r: u32, c: Option<u32>| c.map_or_else(String::new, |c| grid.text((r, c)));
    let mut notes = Notes {
        sheet: grid.name.clone(),
        fields: Vec::new(),
        projects: Vec::new(),
        indicators: Vec::new(),
        computed: Vec::new(),
    };
    // A field's text is to the right of its label, continued on the rows below that
    // have no label.
    for (i, label) in crate::report::NOTE_FIELDS.iter().enumerate() {
        let key = norm(label);
        let Some((r, c)) = grid.find(|k| k == key) else {
            continue;
        };
        let mut value = grid.value_right((r, c));
        for next in r.saturating_add(1)..r.saturating_add(100) {
            let more = text(next, Some(c.saturating_add(1)));
            if more.is_empty() || !grid.text((next, c)).is_empty() {
                break;
            }
            value.push_str(&more);
        }
        notes.fields.push((i, value));
    }
    if let Some((rows, col)) = note_table(grid, ex::H_DEVIATION) {
        let (sheet, name, deviation) = (col(ex::H_SHEET), col(ex::H_PROJECT), col(ex::H_DEVIATION));
        for r in rows {
            let more = text(r, deviation);
            match notes.projects.last_mut() {
                Some(p) if text(r, sheet).is_empty() => p.deviation.push_str(&more),
                _ => notes.projects.push(NoteProject {
                    sheet: text(r, sheet),
                    name: text(r, name),
                    deviation: more,
                }),
            }
        }
    }
    let mut reading = Reading { grid, marks: &[] };
    if let Some((rows, col)) = note_table(grid, ex::H_EMPTY) {
        for r in rows {
            let figure = |reading: &mut Reading<'_>, label| {
                col(label).map_or(Figure::BLANK, |c| reading.number((r, c), Kind::Score))
            };
            let empty = text(r, col(ex::H_EMPTY));
            notes.indicators.push(NoteIndicator {
                sheet: text(r, col(ex::H_SHEET)),
                index: text(r, col(ex::H_INDEX))
                    .parse::<usize>()
                    .ok()
                    .and_then(|k| k.checked_sub(1)),
                name: text(r, col(ex::H_NAME)),
                unit: text(r, col(ex::H_UNIT)),
                deduction: figure(&mut reading, ex::H_DEDUCTION),
                deduction_reason: text(r, col(ex::H_DEDUCTION_REASON)),
                typed_score: figure(&mut reading, ex::H_TYPED),
                empty: [empty.contains("一级指标"), empty.contains("二级指标")],
                band: text(r, col(ex::H_BAND)),
            });
        }
    }
    if let Some((rows, col)) = note_table(grid, ex::H_VALUE) {
        for r in rows {
            let what = role(&text(r, col(ex::H_ROW)), &text(r, col(ex::H_COLUMN)));
            let value = col(ex::H_VALUE).and_then(|c| raw(grid.cell((r, c))));
            if let Some(what) = what {
                notes
                    .computed
                    .push((text(r, col(ex::H_SHEET)), what, value));
            }
        }
    }
    Some(notes)
}

impl Notes {
    /// The sheet name the notes know a project form by: its own, or — when it was
    /// renamed — the exported sheet of a project of the same name no longer in the book.
    fn key(&self, grid: &Grid, names: &[String]) -> String {
        let known = |s: &str| {
            self.projects.iter().any(|p| p.sheet == s)
                || self.computed.iter().any(|(sheet, _, _)| sheet == s)
        };
        if known(&grid.name) {
            return grid.name.clone();
        }
        let name = project_name(grid);
        self.projects
            .iter()
            .find(|p| p.name == name && !names.contains(&p.sheet))
            .map_or_else(|| grid.name.clone(), |p| p.sheet.clone())
    }

    fn marks(&self, sheet: &str) -> Vec<(Role, Option<Raw>)> {
        self.computed
            .iter()
            .filter(|(s, _, _)| s == sheet)
            .map(|(_, role, value)| (*role, value.clone()))
            .collect()
    }

    /// The project's fields that the form has no place for.
    fn apply(&self, sheet: &str, project: &mut Project, inherited: &[[bool; 2]]) {
        if let Some(p) = self.projects.iter().find(|p| p.sheet == sheet) {
            project.deviation.clone_from(&p.deviation);
        }
        for note in self.indicators.iter().filter(|n| n.sheet == sheet) {
            let same = |i: usize| project.indicators[i].name.trim() == note.name.trim();
            let at = note
                .index
                .filter(|&i| i < project.indicators.len() && same(i))
                .or_else(|| (0..project.indicators.len()).find(|&i| same(i)));
            let Some(i) = at else { continue };
            let ind = &mut project.indicators[i];
            ind.unit.clone_from(&note.unit);
            ind.deduction = note.deduction.clone();
            ind.deduction_reason.clone_from(&note.deduction_reason);
            ind.band.clone_from(&note.band);
            if ind.typed_score.is_blank() {
                ind.typed_score = note.typed_score.clone();
            }
            let own_empty = inherited.get(i).copied().unwrap_or_default();
            if note.empty[0] && own_empty[0] {
                ind.level1.clear();
            }
            if note.empty[1] && own_empty[1] {
                ind.level2.clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn floats_go_through_fifteen_digits() {
        assert_eq!(dec_from_f64(15.14353).unwrap().to_string(), "15.14353");
        assert_eq!(
            dec_from_f64(0.9043000000000001).unwrap().to_string(),
            "0.9043"
        );
        assert_eq!(
            dec_from_f64(0.9329999999999999).unwrap().to_string(),
            "0.933"
        );
        assert_eq!(dec_from_f64(7750.69).unwrap().to_string(), "7750.69");
        assert_eq!(dec_from_f64(100.0).unwrap().to_string(), "100");
        assert_eq!(dec_from_f64(-2.5).unwrap().to_string(), "-2.5");
        assert_eq!(dec_from_f64(0.1 + 0.2).unwrap().to_string(), "0.3");
        assert_eq!(dec_from_f64(1e-40).unwrap(), Decimal::ZERO);
        assert!(dec_from_f64(1e300).is_none());
        assert!(dec_from_f64(f64::NAN).is_none());
        assert_eq!(dec_from_f64(f64::MIN_POSITIVE), Some(Decimal::ZERO));
    }

    #[test]
    fn text_numbers() {
        assert_eq!(read_with("16", &[]), Some(d("16")));
        assert_eq!(read_with("16.00", &[]).unwrap().to_string(), "16.00");
        assert_eq!(read_with("１６", &[]), Some(d("16")));
        assert_eq!(read_with(" 1,234.5 ", &[]), Some(d("1234.5")));
        assert_eq!(read_with("47分", &["分"]), Some(d("47")));
        assert_eq!(read_with("十万", &[]), None);
        assert_eq!(read_with("1.2.3", &[]), None);
        assert_eq!(read_with("-", &[]), None);
        assert!(is_blank_mark("—"));
        assert!(is_blank_mark(" - "));
        assert!(is_blank_mark(""));
        assert!(!is_blank_mark("0"));
    }

    fn cell(data: Data, percent: Option<Option<u32>>) -> Cell {
        let mut c = Cell::new(data, None);
        c.percent = percent;
        c
    }

    #[test]
    fn rates_are_percent() {
        let rate = |c: Cell| match read_number(Some(&c), Kind::Rate) {
            Num::Value(v) => v,
            other => panic!("{other:?}"),
        };
        let r = rate(cell(Data::Float(0.184), Some(Some(1))));
        assert_eq!((r.to_string().as_str(), r.scale()), ("18.4", 1));
        assert_eq!(
            rate(cell(Data::Float(0.9043000000000001), Some(Some(2)))).to_string(),
            "90.43"
        );
        assert_eq!(
            rate(cell(Data::Float(0.184), Some(Some(2)))).to_string(),
            "18.4"
        );
        assert_eq!(
            rate(cell(Data::Float(0.946470625), Some(Some(2)))).to_string(),
            "94.65"
        );
        assert_eq!(
            rate(cell(Data::Float(1.0), Some(Some(0)))).to_string(),
            "100"
        );
        assert_eq!(rate(cell(Data::Float(0.9936), None)).to_string(), "99.36");
        assert_eq!(rate(cell(Data::Float(99.36), None)).to_string(), "99.36");
        assert_eq!(
            rate(cell(Data::String("99.36%".into()), None)).to_string(),
            "99.36"
        );
        assert_eq!(
            rate(cell(Data::String("９９．３６％".into()), None)).to_string(),
            "99.36"
        );
        assert_eq!(
            rate(cell(Data::String("0.9936".into()), None)).to_string(),
            "99.36"
        );
        assert_eq!(
            read_number(Some(&cell(Data::String("约99%".into()), None)), Kind::Rate),
            Num::Bad("约99%".into())
        );
    }

    #[test]
    fn amounts_in_yuan() {
        let c = cell(Data::Float(155000.0), None);
        assert_eq!(
            read_number(Some(&c), Kind::Amount { yuan: true }),
            Num::Value(d("15.5"))
        );
        let c = cell(Data::String("160000元".into()), None);
        assert_eq!(
            read_number(Some(&c), Kind::Amount { yuan: true }),
            Num::Value(d("16"))
        );
    }

    #[test]
    fn percent_formats() {
        assert_eq!(percent_format("0.00%"), Some(Some(2)));
        assert_eq!(percent_format("0%"), Some(Some(0)));
        assert_eq!(percent_format("0.0%;[Red]-0.0%"), Some(Some(1)));
        assert_eq!(percent_format("General"), None);
        assert_eq!(percent_format("0.00"), None);
        assert_eq!(percent_format("0.00\"%\""), None);
        assert_eq!(percent_format("0.00\\%"), None);
    }

    #[test]
    fn labels_and_places() {
        assert_eq!(norm(" 其中： 当年财政拨款 "), "其中：当年财政拨款");
        assert_eq!(norm("全年预算数(A)"), "全年预算数（A）");
        assert_eq!(norm("项目名称："), "项目名称");
        assert_eq!(fund_kind("其中：当年财政拨款"), Some(FundKind::Fiscal));
        assert_eq!(fund_kind("本年财政拨款"), Some(FundKind::Fiscal));
        assert_eq!(fund_kind("上年结转资金"), Some(FundKind::Carryover));
        assert_eq!(fund_kind("年度资金总额"), Some(FundKind::Total));
        assert_eq!(fund_kind("1.基本支出"), Some(FundKind::Basic));
        assert_eq!(fund_kind("项目支出"), Some(FundKind::Project));
        assert_eq!(year_in("（2022年度）"), Some(2022));
        assert_eq!(year_in("2023年度项目支出绩效自评表"), Some(2023));
        assert_eq!(year_in("12345年度"), None);
        assert_eq!(year_in("年度"), None);
    }

    #[test]
    fn literal_formulas_are_typed_text() {
        assert!(literal_formula("1个"));
        assert!(literal_formula("100%"));
        assert!(!literal_formula("A1"));
        assert!(!literal_formula("SUM(A1:A3)"));
        assert!(!literal_formula("50+30"));
        let c = Cell::new(Data::Empty, Some("1个".into()));
        assert_eq!(cell_text(&c), "=1个");
        let c = Cell::new(Data::Float(0.5), Some("E6/D6".into()));
        assert_eq!(cell_text(&c), "0.5");
        let mut c = Cell::new(Data::Float(0.95), None);
        c.percent = Some(Some(0));
        assert_eq!(cell_text(&c), "95%");
    }

    #[test]
    fn operators() {
        assert_eq!(operator(">="), Some("≥"));
        assert_eq!(operator("≤"), Some("≤"));
        assert_eq!(operator("正向"), None);
    }
}
