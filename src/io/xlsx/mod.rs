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

mod blocks;
mod book;
mod forms;
mod notes;
mod numbers;
#[cfg(test)]
mod tests;

use blocks::*;
use book::*;
use forms::*;
use notes::*;
use numbers::*;

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
                let mut warnings = Vec::new();
                let read = read_unit(&grid, &mut unit, &marks, &mut warnings);
                findings.extend(warnings.into_iter().map(|w| {
                    sheet_finding(
                        Severity::Warning,
                        "money_unit",
                        format!("工作表“{name}”：{w}"),
                    )
                }));
                match read {
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
                let mut warnings = Vec::new();
                let read = read_project(&grid, &marks, &mut warnings);
                findings.extend(warnings.into_iter().map(|w| {
                    sheet_finding(
                        Severity::Warning,
                        "money_unit",
                        format!("工作表“{name}”：{w}"),
                    )
                }));
                match read {
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
