//! The project's own JSON format: a [`Unit`] with `schemaVersion` (see README).

use crate::model::{Unit, SCHEMA_VERSION};

/// Read a unit from the project's JSON. Errors are Chinese and say what is wrong.
pub fn from_json(text: &str) -> Result<Unit, String> {
    let raw: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("不是有效的 JSON 文件（第{}行第{}列）", e.line(), e.column()))?;
    let version = raw.get("schemaVersion").and_then(|v| v.as_u64());
    match version {
        None => return Err("JSON 中没有 schemaVersion，不是绩效自评数据文件".into()),
        Some(v) if v > u64::from(SCHEMA_VERSION) => {
            return Err(format!(
                "数据文件版本为{v}，高于本程序支持的版本{SCHEMA_VERSION}，请使用新版程序打开"
            ))
        }
        Some(_) => {}
    }
    serde_json::from_value(raw).map_err(|e| format!("数据文件内容有误：{e}"))
}

/// Write a unit as pretty JSON in the current schema version.
pub fn to_json(unit: &Unit) -> String {
    let mut unit = unit.clone();
    unit.schema_version = SCHEMA_VERSION;
    serde_json::to_string_pretty(&unit).unwrap_or_default()
}
