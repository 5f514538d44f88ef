//! A sheet that looks like a form but whose columns or rows were not all found: what
//! is missing, by field, and the sheet's header rows as text, so that the page can ask
//! “which column is 全年预算数?” and read the workbook again with a profile that
//! `extends` the one used and adds the header texts chosen (see
//! [`crate::profile::Profile::with_labels`]).
use super::*;
use serde::Serialize;

/// One sheet not (fully) read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnreadSheet {
    /// The sheet's name.
    pub sheet: String,
    /// `project` or `unit`.
    pub form: String,
    /// The form's Chinese name (项目支出绩效自评表 …).
    pub form_name: String,
    /// The key of the profile the sheet was read by (or the user's profile's name).
    pub profile: String,
    /// Whether the rest of the sheet was imported (false: the sheet was left out).
    pub imported: bool,
    /// The fields not found.
    pub missing: Vec<MissingField>,
    /// The sheet's header rows: the rows around where the blocks were looked for.
    pub headers: Vec<HeaderRow>,
}

/// A column or row not found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingField {
    /// The profile field (`fund.budget`, `row.total`, `ind.weight` …).
    pub field: String,
    /// Its Chinese name (全年预算数).
    pub label: String,
    /// `column`, `row`, or `cell` (a label with its value beside it: 部门（单位）名称).
    pub kind: String,
    /// The labels the profile looked for.
    pub looked_for: Vec<String>,
}

/// A row of the sheet as text: each non-empty cell with its column index (0-based).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeaderRow {
    /// The row index (0-based; Excel's row number is one more).
    pub row: u32,
    pub cells: Vec<HeaderCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeaderCell {
    pub col: u32,
    pub text: String,
}

/// Rows shown around a block's header.
const AROUND: u32 = 2;
/// Rows shown when no block was found at all.
const FIRST_ROWS: usize = 15;

/// The record of a sheet with missing fields.
pub(super) fn unread_sheet(
    grid: &Grid,
    form: &str,
    missing: &[Missing],
    imported: bool,
) -> UnreadSheet {
    let (form_key, form_name) = match form {
        "unit" => ("unit", g::UNIT_FORM),
        _ => ("project", g::PROJECT_FORM),
    };
    let mut fields: Vec<MissingField> = Vec::new();
    for m in missing {
        for field in &m.fields {
            if fields.iter().any(|f| f.field == *field) {
                continue;
            }
            fields.push(MissingField {
                field: (*field).to_string(),
                label: g::profile_field(field).to_string(),
                kind: if g::is_row_field(field) {
                    "row"
                } else if field.starts_with("unit.") {
                    "cell"
                } else {
                    "column"
                }
                .to_string(),
                looked_for: grid.profile.label_texts(field),
            });
        }
    }
    let mut rows: Vec<u32> = Vec::new();
    for m in missing {
        if let Some(r) = m.near {
            for row in r.saturating_sub(AROUND)..=r.saturating_add(AROUND) {
                if !rows.contains(&row) {
                    rows.push(row);
                }
            }
        }
    }
    if rows.is_empty() {
        // No block found: the first rows with at least two labels.
        let mut seen: Vec<u32> = grid.cells.keys().map(|p| p.0).collect();
        seen.dedup();
        rows = seen
            .into_iter()
            .filter(|&r| grid.row(r).filter(|(_, c)| !c.key.is_empty()).count() >= 2)
            .take(FIRST_ROWS)
            .collect();
    }
    rows.sort_unstable();
    let headers = rows
        .into_iter()
        .filter_map(|r| {
            let cells: Vec<HeaderCell> = grid
                .row(r)
                .map(|(col, cell)| HeaderCell {
                    col,
                    text: cell_text(cell),
                })
                .filter(|c| !c.text.is_empty() && c.text.chars().count() <= 80)
                .collect();
            (!cells.is_empty()).then_some(HeaderRow { row: r, cells })
        })
        .collect();
    UnreadSheet {
        sheet: grid.name.clone(),
        form: form_key.to_string(),
        form_name: form_name.to_string(),
        profile: grid.profile.name.clone(),
        imported,
        missing: fields,
        headers,
    }
}

impl UnreadSheet {
    /// The message of the finding: what was not found, and the labels looked for.
    pub fn message(&self) -> String {
        let parts: Vec<String> = self
            .missing
            .iter()
            .map(|m| {
                let what = match m.kind.as_str() {
                    "row" => "行",
                    "column" => "列",
                    _ => "",
                };
                let looked = if m.looked_for.is_empty() {
                    String::new()
                } else {
                    format!("（查找的表头：{}）", m.looked_for.join("、"))
                };
                format!("未找到“{}”{what}{looked}", m.label)
            })
            .collect();
        let outcome = if self.imported {
            "其余部分已导入"
        } else {
            "该表未导入"
        };
        let profile = if self.profile.is_empty() {
            String::new()
        } else {
            format!("按表样“{}”", self.profile)
        };
        format!(
            "工作表“{}”像是{}，但{profile}{}；{outcome}。可另选表样，或在表样中为该项加上本表的表头文字",
            self.sheet,
            self.form_name,
            parts.join("；")
        )
    }
}
