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
//! Which labels are looked for is the sheet's province profile ([`crate::profile`]):
//! the one the user chose ([`LoadOptions`]), else the built-in profile whose distinctive
//! labels (`marks`) the sheet holds most of, else central 2020; the unit's `profile` is
//! the key used (the unit form's, else the first project form's). A form is read when
//! it has amounts or indicators; each column or row not found is a finding naming the
//! labels looked for and a record in [`Imported::unread`] with the sheet's header rows,
//! for the user to point at the right ones. Some provinces' forms hold more than the
//! central form (`provinces.rs`): splits written in a label cell, closing rows.
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
use crate::profile::Profile;
use std::sync::Arc;

mod blocks;
mod book;
mod forms;
mod notes;
mod numbers;
mod provinces;
#[cfg(test)]
mod tests;
mod unread;

use blocks::*;
use book::*;
use forms::*;
use notes::*;
use numbers::*;
use provinces::*;
use unread::*;
pub use unread::{HeaderCell, HeaderRow, MissingField, UnreadSheet};

/// A workbook read into the data model, with what the reader has to say about it
/// (skipped sheets, unreadable sheets, cells that are not numbers).
#[derive(Debug, Clone)]
pub struct Imported {
    pub unit: Unit,
    pub findings: Vec<Finding>,
    /// Each sheet that looks like a form but whose columns or rows were not all found:
    /// what is missing and the sheet's header rows, for the user to point at them.
    pub unread: Vec<UnreadSheet>,
}

/// How a workbook is read.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The profile every sheet is read by; `None` → each sheet's own, recognised by
    /// its labels.
    pub profile: Option<Profile>,
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

/// Import a standard-layout workbook from its bytes (.xlsx; .xls, .xlsb and .ods too),
/// each sheet read by the profile its labels show.
pub fn import_workbook(bytes: &[u8]) -> Result<Imported, ImportError> {
    import_workbook_with(bytes, &LoadOptions::default())
}

/// Import a workbook, read by the profile chosen in `options` if any.
pub fn import_workbook_with(bytes: &[u8], options: &LoadOptions) -> Result<Imported, ImportError> {
    // A damaged file is an error, not a crash. calamine 0.38 can panic on some damaged
    // files (an arithmetic overflow on an over-long cell reference, in builds with
    // overflow checks); where panics unwind, that becomes this error.
    std::panic::catch_unwind(AssertUnwindSafe(|| import(bytes, options))).unwrap_or_else(|_| {
        Err(ImportError::new(
            "无法读取工作簿：文件已损坏，请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入",
        ))
    })
}

fn import(bytes: &[u8], options: &LoadOptions) -> Result<Imported, ImportError> {
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
    // The first project form read: where a unit name missing from every form is said.
    let mut first_project_sheet: Option<String> = None;
    let mut forms = 0usize;
    let mut unreadable_sheets = 0usize;
    let mut year_from_projects: Option<i32> = None;
    let notes = find_notes(&mut book, &sheets);
    let names: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();
    let mut unread = Vec::new();
    // The profiles a sheet may be read by: the user's, or each built-in one.
    let chosen = options.profile.clone().map(Arc::new);
    let built_in: Vec<Arc<Profile>> = Profile::all().iter().cloned().map(Arc::new).collect();
    // The profile of the unit form, else of the first project form read.
    let mut unit_profile: Option<String> = None;
    let mut project_profile: Option<String> = None;

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
        let Some(mut grid) = read.ok().flatten() else {
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
        grid.profile = match &chosen {
            Some(p) => p.clone(),
            None => recognise(&grid, &built_in),
        };
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
                let mut warnings = Vec::new();
                let mut own = Vec::new();
                let read = read_unit(&grid, &mut unit, &marks, &mut warnings, &mut own);
                findings.extend(warnings.into_iter().map(|w| {
                    sheet_finding(
                        Severity::Warning,
                        "money_unit",
                        format!("工作表“{name}”：{w}"),
                    )
                }));
                findings.extend(own);
                let (missing, imported) = match read {
                    Ok(missing) => {
                        unit_sheet = Some(name.clone());
                        unit_profile = Some(grid.profile.name.clone());
                        (missing, true)
                    }
                    Err(missing) => (missing, false),
                };
                if !missing.is_empty() {
                    let record = unread_sheet(&grid, "unit", &missing, imported);
                    findings.push(unreadable(&record));
                    unread.push(record);
                }
            }
            Form::Project => {
                forms += 1;
                let key = notes
                    .as_ref()
                    .map_or_else(|| name.clone(), |n| n.key(&grid, &names));
                let marks = notes.as_ref().map(|n| n.marks(&key)).unwrap_or_default();
                let mut warnings = Vec::new();
                let read = read_project(&grid, &marks, &mut warnings);
                findings.extend(warnings.into_iter().map(|w| {
                    sheet_finding(
                        Severity::Warning,
                        "money_unit",
                        format!("工作表“{name}”：{w}"),
                    )
                }));
                let (missing, imported) = match read {
                    Ok(read) => {
                        let ProjectRead {
                            mut project,
                            inherited,
                            missing,
                            findings: own,
                        } = read;
                        if let Some(n) = &notes {
                            n.apply(&key, &mut project, &inherited);
                        }
                        if year_from_projects.is_none() {
                            year_from_projects = find_year(&grid);
                        }
                        findings.extend(own.into_iter().map(|mut f| {
                            f.project_index = Some(unit.projects.len());
                            f.project = Some(project.name.clone());
                            f
                        }));
                        project_profile.get_or_insert_with(|| grid.profile.name.clone());
                        first_project_sheet.get_or_insert_with(|| name.clone());
                        unit.projects.push(project);
                        (missing, true)
                    }
                    Err(missing) => (missing, false),
                };
                if !missing.is_empty() {
                    let record = unread_sheet(&grid, "project", &missing, imported);
                    findings.push(unreadable(&record));
                    unread.push(record);
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
    // No form names the unit: said at the form it was looked for on (the unit form,
    // else the first project's 主管部门), never left for the report's 未命名单位.
    if unit.name.trim().is_empty() {
        if let Some(sheet) = unit_sheet.as_ref().or(first_project_sheet.as_ref()) {
            let mut f = sheet_finding(
                Severity::Warning,
                "unit_name_missing",
                format!(
                    "工作表“{sheet}”：未找到单位名称（{}），报告将以“未命名单位”代替；请在单位信息中填写单位名称",
                    if unit_sheet.is_some() {
                        "查找的表头：部门（单位）名称、单位名称、部门名称、项目名称、项目主管部门"
                    } else {
                        "无部门整体表，项目表中也未找到“主管部门”或“项目主管部门”"
                    }
                ),
            );
            f.field = Some("name".into());
            findings.push(f);
        }
    }
    unit.profile = match &options.profile {
        // A built-in profile by its key; the user's own as its JSON text.
        Some(p) if Profile::built_in(&p.name) == Some(p) => p.name.clone(),
        Some(p) => serde_json::to_string(p).unwrap_or_default(),
        // An export names its profile on its 说明 sheet (its unit form may be central's).
        None if !unit.profile.is_empty() => std::mem::take(&mut unit.profile),
        None => unit_profile.or(project_profile).unwrap_or_default(),
    };
    Ok(Imported {
        unit,
        findings,
        unread,
    })
}

/// The built-in profile whose marks the sheet holds most of (central 2020 when none).
fn recognise(grid: &Grid, profiles: &[Arc<Profile>]) -> Arc<Profile> {
    let keys = || {
        grid.cells
            .values()
            .map(|c| c.key.as_str())
            .filter(|k| !k.is_empty() && k.chars().count() <= 60)
    };
    let mut best: Option<(usize, &Arc<Profile>)> = None;
    for p in profiles {
        let n = p.mark_count(keys());
        if n > 0 && best.is_none_or(|(m, _)| n > m) {
            best = Some((n, p));
        }
    }
    match best {
        Some((_, p)) => p.clone(),
        None => profiles
            .iter()
            .find(|p| p.name == crate::profile::CENTRAL)
            .cloned()
            .unwrap_or_else(|| Arc::new(Profile::central().clone())),
    }
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

fn unreadable(record: &UnreadSheet) -> Finding {
    sheet_finding(
        Severity::Error,
        if record.imported {
            "sheet_partly_read"
        } else {
            "sheet_unreadable"
        },
        record.message(),
    )
}
