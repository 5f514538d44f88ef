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

/// Where a finding points. Built once per place and reused for its findings.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub project_index: Option<usize>,
    pub project: Option<String>,
    pub row: Option<usize>,
    /// Chinese prefix naming the place: “项目3 档案整理专项 · 产出指标 · 第2行”.
    pub label: String,
}

impl Place {
    pub fn unit() -> Place {
        Place {
            label: "单位整体".to_string(),
            ..Place::default()
        }
    }

    pub fn project(index: usize, name: &str) -> Place {
        let shown = if name.trim().is_empty() {
            format!("项目{}", index + 1)
        } else {
            format!("项目{}“{}”", index + 1, name.trim())
        };
        Place {
            project_index: Some(index),
            project: Some(name.to_string()),
            row: None,
            label: shown,
        }
    }

    /// The place of indicator `row` (0-based) under level-1 name `level1`.
    pub fn indicator(&self, row: usize, level1: &str) -> Place {
        let level = if level1.trim().is_empty() {
            String::new()
        } else {
            format!(" · {}", level1.trim())
        };
        Place {
            row: Some(row + 1),
            label: format!("{}{} · 第{}行", self.label, level, row + 1),
            ..self.clone()
        }
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
            project: self.project.clone(),
            row: self.row,
            field,
            typed: None,
            computed: None,
            message: format!("{}：{}", self.label, message),
        }
    }
}
