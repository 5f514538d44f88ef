//! The project's own JSON format: a [`Unit`] with `schemaVersion` (see README).
//!
//! A file that is not such a unit is refused with a Chinese message saying where: the
//! line and column, and the field (`projects[0].funds.total.budget`). Numbers are
//! written as strings; a JSON number is accepted for a number field only when it is
//! exact (at most 15 significant digits, or an integer that fits 64 bits), because a
//! longer one has already lost digits when read.

use serde_json::Value;

use crate::model::{Unit, SCHEMA_VERSION};

/// The largest JSON file read: a unit with hundreds of projects is a few MB.
pub const MAX_JSON_BYTES: usize = 32 << 20;

/// Read a unit from the project's JSON. Errors are Chinese and say what is wrong.
pub fn from_json(text: &str) -> Result<Unit, String> {
    if text.len() > MAX_JSON_BYTES {
        return Err(format!(
            "文件过大（{} MB，上限 {} MB），不是正常的绩效自评数据文件，已拒绝导入",
            text.len() >> 20,
            MAX_JSON_BYTES >> 20
        ));
    }
    // (serde_json stops at 128 levels of nesting with an error, not a stack overflow.)
    let raw: Value = serde_json::from_str(text).map_err(|e| {
        let why = if e.to_string().contains("recursion limit") {
            "：嵌套层数过深"
        } else if e.is_eof() {
            "：文件不完整"
        } else {
            ""
        };
        format!(
            "不是有效的 JSON 文件（第{}行第{}列{why}）",
            e.line(),
            e.column()
        )
    })?;
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
    check_numbers(text)?;
    serde_json::from_value::<Unit>(raw.clone()).map_err(|_| type_error(text, &raw))
}

/// Write a unit as pretty JSON in the current schema version.
pub fn to_json(unit: &Unit) -> String {
    let mut unit = unit.clone();
    unit.schema_version = SCHEMA_VERSION;
    serde_json::to_string_pretty(&unit).unwrap_or_default()
}

// ---------------------------------------------------------------------------------
// Exact numbers

/// Refuses a number literal that a 64-bit float cannot hold exactly.
fn check_numbers(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let (mut line, mut line_start) = (1usize, 0usize);
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let token = &text[start..i];
                if let Some(why) = inexact(token) {
                    let column = text[line_start..start].chars().count() + 1;
                    return Err(format!(
                        "数据文件内容有误：第{line}行第{column}列的数字 {token} {why}；请把数字写成文本（加引号），如 \"{}\"",
                        token.trim_start_matches('+')
                    ));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Why a JSON number literal is not exact, if it is not.
fn inexact(token: &str) -> Option<&'static str> {
    let (mantissa, exponent) = match token.find(['e', 'E']) {
        Some(at) => (&token[..at], Some(&token[at + 1..])),
        None => (token, None),
    };
    let integer = exponent.is_none() && !mantissa.contains('.');
    if integer && (token.parse::<i64>().is_ok() || token.parse::<u64>().is_ok()) {
        return None;
    }
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').trim_end_matches('0');
    if significant.len() > 15 {
        return Some("有效数字超过15位，无法精确读取");
    }
    let value: f64 = token.parse().ok()?;
    if !value.is_finite() || value.abs() > 7.9e28 {
        return Some("超出可计算的范围（数值过大）");
    }
    if value == 0.0 && !significant.is_empty() {
        return Some("过小，读取后会变成 0");
    }
    None
}

// ---------------------------------------------------------------------------------
// Where a value has the wrong type

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The document holding only `leaf` at `path` (every other field takes its default).
fn wrap(path: &[Step], leaf: Value) -> Value {
    path.iter().rev().fold(leaf, |inner, step| match step {
        Step::Key(k) => {
            let mut map = serde_json::Map::new();
            map.insert(k.clone(), inner);
            Value::Object(map)
        }
        Step::Index(_) => Value::Array(vec![inner]),
    })
}

fn fails(path: &[Step], leaf: &Value) -> bool {
    serde_json::from_value::<Unit>(wrap(path, leaf.clone())).is_err()
}

/// The message for a document that is JSON but not a unit: the first field whose
/// value has the wrong type, what it should be and what it is, and its line.
fn type_error(text: &str, raw: &Value) -> String {
    let mut path: Vec<Step> = Vec::new();
    let mut node = raw;
    loop {
        let next = match node {
            Value::Object(map) => map.iter().find_map(|(k, v)| {
                let mut p = path.clone();
                p.push(Step::Key(k.clone()));
                fails(&p, v).then_some((Step::Key(k.clone()), v))
            }),
            Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
                let mut p = path.clone();
                p.push(Step::Index(i));
                fails(&p, v).then_some((Step::Index(i), v))
            }),
            _ => None,
        };
        match next {
            Some((step, child)) => {
                path.push(step);
                node = child;
            }
            None => break,
        }
    }
    let detail = serde_json::from_value::<Unit>(wrap(&path, node.clone()))
        .err()
        .map(|e| describe(&e.to_string()))
        .unwrap_or_else(|| "类型不对".to_string());
    let line = serde_json::from_str::<Unit>(text)
        .err()
        .map(|e| format!("（第{}行第{}列）", e.line(), e.column()))
        .unwrap_or_default();
    let mut field = String::new();
    for step in &path {
        match step {
            Step::Key(k) => {
                if !field.is_empty() {
                    field.push('.');
                }
                field.push_str(k);
            }
            Step::Index(i) => field.push_str(&format!("[{i}]")),
        }
    }
    if field.is_empty() {
        format!("数据文件内容有误{line}：{detail}")
    } else {
        format!("数据文件内容有误{line}：字段 {field} {detail}")
    }
}

/// serde's “invalid type: string "x", expected struct Funds” in Chinese.
fn describe(serde_message: &str) -> String {
    let (kind, rest) = if let Some(rest) = serde_message.strip_prefix("invalid type: ") {
        ("type", rest)
    } else if let Some(rest) = serde_message.strip_prefix("invalid value: ") {
        ("value", rest)
    } else {
        return format!("有误（{serde_message}）");
    };
    let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
    let expected = match expected {
        "a Decimal" | "a figure" => "数字（写成文本，如 \"12.5\"）",
        "a year" => "四位年份（如 2022）",
        "a string" => "文本",
        "a sequence" => "数组 [...]",
        "a boolean" => "true 或 false",
        e if e.starts_with("struct ") => "对象 {...}",
        e if e.starts_with('u') || e.starts_with('i') => "整数",
        _ => "其他类型",
    };
    if kind == "value" {
        return format!(
            "的值 {} 无效（超出范围或不是{expected}）",
            found_text(found)
        );
    }
    format!("应为{expected}，实为{}", found_text(found))
}

fn found_text(found: &str) -> String {
    let value = |prefix: &str| found.strip_prefix(prefix).map(|v| v.trim_matches('`'));
    if let Some(v) = value("string ") {
        let v: String = v.chars().take(40).collect();
        return format!("文本 {v}");
    }
    for prefix in ["integer ", "floating point "] {
        if let Some(v) = value(prefix) {
            return format!("数字 {v}");
        }
    }
    if let Some(v) = value("boolean ") {
        return format!("布尔值 {v}");
    }
    match found {
        "map" => "对象 {...}".to_string(),
        "sequence" => "数组 [...]".to_string(),
        "null" => "null".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_numbers() {
        assert_eq!(inexact("12"), None);
        assert_eq!(inexact("-12.5"), None);
        assert_eq!(inexact("0.000001"), None);
        assert_eq!(inexact("18446744073709551615"), None);
        assert!(inexact("0.12345678901234567").is_some());
        assert!(inexact("123456789012345678901").is_some());
        assert!(inexact("1e30").is_some());
        assert!(inexact("1e-400").is_some());
        assert_eq!(inexact("1.5e3"), None);
    }
}
