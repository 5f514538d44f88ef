//! Opening a workbook (with limits checked before anything is inflated) and reading
//! its sheets into sparse grids of cells; how a cell reads as text.
use super::*;
use crate::profile::Profile;

// ---------------------------------------------------------------------------------
// Opening the workbook and reading sheets into a sparse grid

/// Cells kept per sheet; a form has a few hundred. Beyond this the sheet is cut.
pub(super) const MAX_CELLS: usize = 100_000;

pub(super) enum Book<'a> {
    Xlsx(Box<Xlsx<Cursor<&'a [u8]>>>),
    Other(Box<Sheets<Cursor<&'a [u8]>>>),
}

pub(super) const NOT_EXCEL: &str = "无法读取工作簿：文件不是有效的 Excel 文件（.xlsx）";
pub(super) const DAMAGED_ZIP: &str =
    "无法读取工作簿：文件已损坏或不完整（不是有效的 .xlsx 压缩包）";

// Limits on a workbook (a hostile file is refused before anything is inflated). A real
// self-evaluation workbook is well under 1 MB unpacked; the limits leave room for
// hundreds of projects and still keep time and memory bounded.
/// Sheets in a workbook (a benchmark imports 1,000).
pub const MAX_SHEETS: usize = 2_000;
/// Files inside the zip.
pub(super) const MAX_ENTRIES: usize = 5_000;
/// All parts together, unpacked.
pub(super) const MAX_UNPACKED: u64 = 64 << 20;
/// One part (a sheet's XML, the shared strings), unpacked.
pub(super) const MAX_PART: u64 = 32 << 20;
/// A part over `RATIO_FROM` bytes unpacked may be at most this many times its packed
/// size (sheet XML packs about 10–50×; a zip bomb about 1,000×).
pub(super) const MAX_RATIO: u64 = 200;
pub(super) const RATIO_FROM: u64 = 1 << 20;

pub(super) fn mb(n: u64) -> u64 {
    n >> 20
}

/// Checks a zip's directory against the limits, from the sizes it declares (the zip
/// reader then holds every part to its declared size while inflating it, so a part
/// that lies about its size fails to read instead of growing).
pub(super) fn check_zip(bytes: &[u8]) -> Result<(), ImportError> {
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

pub(super) fn too_many_sheets(n: usize) -> ImportError {
    ImportError::new(format!(
        "无法读取工作簿：工作簿有 {n} 张工作表，超过上限 {MAX_SHEETS} 张，已拒绝导入；请把自评表分成几个工作簿"
    ))
}

impl<'a> Book<'a> {
    pub(super) fn open(bytes: &'a [u8]) -> Result<Book<'a>, ImportError> {
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

    pub(super) fn sheets(&self) -> Vec<(String, SheetType)> {
        let meta = match self {
            Book::Xlsx(x) => x.sheets_metadata(),
            Book::Other(s) => s.sheets_metadata(),
        };
        meta.iter().map(|s| (s.name.clone(), s.typ)).collect()
    }

    /// Read one sheet: values, the formulas of cells, and percent number formats.
    /// `None` when the sheet is damaged.
    pub(super) fn read(&mut self, name: &str) -> Option<Grid> {
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
            profile: std::sync::Arc::new(Profile::central().clone()),
        })
    }
}

pub(super) struct Cell {
    pub(super) data: Data,
    pub(super) formula: Option<String>,
    /// `Some(decimals)` when the cell's number format is a percentage.
    pub(super) percent: Option<Option<u32>>,
    /// The text normalised for matching labels ("" for non-text cells).
    pub(super) key: String,
}

impl Cell {
    pub(super) fn new(data: Data, formula: Option<String>) -> Cell {
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
pub(super) struct Grid {
    pub(super) name: String,
    pub(super) cells: BTreeMap<(u32, u32), Cell>,
    /// More than `MAX_CELLS` cells: the rest was not read.
    pub(super) cut: bool,
    /// The profile the sheet is read by: its labels are the ones looked for.
    pub(super) profile: std::sync::Arc<Profile>,
}

pub(super) type Pos = (u32, u32);

impl Grid {
    pub(super) fn cell(&self, pos: Pos) -> Option<&Cell> {
        self.cells.get(&pos)
    }

    pub(super) fn row(&self, r: u32) -> impl Iterator<Item = (u32, &Cell)> {
        self.cells
            .range((r, 0)..=(r, u32::MAX))
            .map(|(p, c)| (p.1, c))
    }

    pub(super) fn rows_from(&self, r: u32) -> impl Iterator<Item = (Pos, &Cell)> {
        self.cells.range((r, 0)..).map(|(p, c)| (*p, c))
    }

    /// The rows after `r` that hold cells, in order.
    pub(super) fn rows_after(&self, r: u32) -> Vec<u32> {
        let mut rows: Vec<u32> = self
            .rows_from(r.saturating_add(1))
            .map(|(p, _)| p.0)
            .collect();
        rows.dedup();
        rows
    }

    /// First cell (row-major) whose key satisfies `pred`.
    pub(super) fn find(&self, pred: impl Fn(&str) -> bool) -> Option<Pos> {
        self.find_from(0, pred)
    }

    pub(super) fn find_from(&self, row: u32, pred: impl Fn(&str) -> bool) -> Option<Pos> {
        self.rows_from(row)
            .find(|(_, c)| !c.key.is_empty() && pred(&c.key))
            .map(|(p, _)| p)
    }

    /// Column of the first cell in row `r` whose key satisfies `pred`.
    pub(super) fn col_in_row(&self, r: u32, pred: impl Fn(&str) -> bool) -> Option<u32> {
        self.row(r)
            .find(|(_, c)| !c.key.is_empty() && pred(&c.key))
            .map(|(col, _)| col)
    }

    /// Column of the cell in row `r` labelled as `field`: the first of the profile's
    /// patterns that matches a cell wins (its own before those it inherits).
    pub(super) fn col_for(&self, r: u32, field: &str) -> Option<u32> {
        self.profile.patterns(field).iter().find_map(|p| {
            self.row(r)
                .find(|(_, c)| !c.key.is_empty() && crate::profile::matches(p, &c.key))
                .map(|(col, _)| col)
        })
    }

    pub(super) fn row_has(&self, r: u32, pred: impl Fn(&str) -> bool) -> bool {
        self.col_in_row(r, pred).is_some()
    }

    /// The text of a cell as the person sees it.
    pub(super) fn text(&self, pos: Pos) -> String {
        self.cell(pos).map_or_else(String::new, cell_text)
    }

    /// The text of a value cell (a 年度指标值, a 实际完成值) as it stands in the file: as
    /// [`Grid::text`], but a formula whose result the file does not hold keeps its
    /// formula (`=B1/C1`) and an error value the formula that gave it (`=E6/0（#DIV/0!）`),
    /// as figures do ([`super::numbers::read_number`]): never read as empty, never as a
    /// target or a completion (the scoring says what it is, [`crate::value::parse`]).
    pub(super) fn value_text(&self, pos: Pos) -> String {
        let Some(cell) = self.cell(pos) else {
            return String::new();
        };
        match (&cell.data, &cell.formula) {
            (Data::Empty, Some(f)) => format!("={}", f.trim()),
            (Data::Error(e), Some(f)) => format!("={}（{e}）", f.trim()),
            _ => cell_text(cell),
        }
    }

    /// The value next to a label: the rest of the label cell after a colon
    /// (“项目名称：…”), or the first non-empty cell to its right, stopping at
    /// another label.
    pub(super) fn value_right(&self, pos: Pos) -> String {
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
pub(super) fn is_side_label(key: &str) -> bool {
    const LABELS: &[&str] = &[
        "项目名称",
        "主管部门",
        "实施单位",
        "项目主管部门",
        "项目实施单位",
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
        // (重庆 writes its 自评总分 beside 项目名称, 湖南 its 自评得分 beside the unit.)
        "自评总分",
        "自评得分",
        g::TOTAL,
        g::GRADE,
    ];
    LABELS.contains(&key)
}

// ---------------------------------------------------------------------------------
// Text

/// Normalise a label for matching (see [`crate::profile::normalize`]).
pub(super) fn norm(s: &str) -> String {
    crate::profile::normalize(s)
}

/// A formula that is only a constant the person typed after “=”: `=1个`, `=100%`.
pub(super) fn literal_formula(f: &str) -> bool {
    let f = f.trim();
    !f.is_empty()
        && !f
            .chars()
            .any(|c| c.is_ascii_alphabetic() || "!:()$+*/^&,\"'[]{}<>".contains(c) || c == '-')
}

pub(super) fn cell_text(cell: &Cell) -> String {
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

pub(super) fn number_text(d: Decimal, percent: Option<Option<u32>>) -> String {
    match percent {
        Some(decimals) => format!("{}%", percent_of(d, decimals)),
        None => d.normalize().to_string(),
    }
}

/// `fraction` × 100, as shown by a percent format with `decimals` places: exact when
/// it has no more decimals than shown, else rounded as shown.
pub(super) fn percent_of(fraction: Decimal, decimals: Option<u32>) -> Decimal {
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
pub(super) fn percent_format(code: &str) -> Option<Option<u32>> {
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
