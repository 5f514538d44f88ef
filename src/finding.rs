//! Findings: what the checks, the audit and the importer tell the user.
//!
//! Every finding has a stable `code`, a place (project, indicator row, field) and a
//! Chinese message that names the place, so that a user can find it on the form.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed: the figures are wrong or cannot be scored.
    Error,
    /// Should be looked at: an explanation is missing, a default was assumed…
    Warning,
    /// For information (e.g. a workbook sheet that was skipped).
    Notice,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "提示",
            Severity::Notice => "说明",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    /// Stable machine code, e.g. `typed_mismatch`, `weights_total`.
    pub code: String,
    /// Project index in `Unit::projects`, or `None` for the unit.
    pub project_index: Option<usize>,
    /// Project name, or `None` for the unit.
    pub project: Option<String>,
    /// 1-based indicator row within the project, when the finding is on a row.
    pub row: Option<usize>,
    /// Machine path of the field, e.g. `indicators.2.actual`, `funds.total.budget`.
    pub field: Option<String>,
    /// The figure as typed, when the finding compares one.
    pub typed: Option<String>,
    /// The computed figure, when the finding compares one.
    pub computed: Option<String>,
    /// Chinese message that says where and what.
    pub message: String,
}

/// Where a finding points: the unit, a project, an indicator row. Built for every row
/// scored and checked, so it borrows its names and writes its Chinese label (“项目3
/// “档案整理专项” · 产出指标 · 第2行”) only when a finding is made there.
#[derive(Debug, Clone, Copy, Default)]
pub struct Place<'a> {
    pub project_index: Option<usize>,
    pub project: Option<&'a str>,
    /// 1-based indicator row.
    pub row: Option<usize>,
    /// The row's 一级 name.
    level1: &'a str,
}

impl<'a> Place<'a> {
    pub fn unit() -> Place<'static> {
        Place::default()
    }

    pub fn project(index: usize, name: &'a str) -> Place<'a> {
        Place {
            project_index: Some(index),
            project: Some(name),
            ..Place::default()
        }
    }

    /// The place of indicator `row` (0-based) under level-1 name `level1`.
    pub fn indicator<'b>(&self, row: usize, level1: &'b str) -> Place<'b>
    where
        'a: 'b,
    {
        Place {
            row: Some(row + 1),
            level1,
            ..*self
        }
    }

    /// The Chinese prefix naming the place.
    pub fn label(&self) -> String {
        let mut label = match (self.project_index, self.project.map(str::trim)) {
            (None, _) => "单位整体".to_string(),
            (Some(i), Some(name)) if !name.is_empty() => format!("项目{}“{}”", i + 1, name),
            (Some(i), _) => format!("项目{}", i + 1),
        };
        if let Some(row) = self.row {
            let level = self.level1.trim();
            if !level.is_empty() {
                label.push_str(" · ");
                label.push_str(level);
            }
            label.push_str(&format!(" · 第{row}行"));
        }
        label
    }

    pub fn finding(
        &self,
        severity: Severity,
        code: &str,
        field: Option<String>,
        message: String,
    ) -> Finding {
        Finding {
            severity,
            code: code.to_string(),
            project_index: self.project_index,
            project: self.project.map(str::to_string),
            row: self.row,
            field,
            typed: None,
            computed: None,
            message: format!("{}：{}", self.label(), message),
        }
    }
}
