//! A copy of the page saved with 另存为HTML: the unit is in the data block the template
//! writes (`www/template.js`), before any code:
//!
//! ```html
//! <script type="application/json" id="jixiao-data">{"example":false,"unit":{…}}</script>
//! ```
//!
//! The JSON there has every `<` written as `\u003C` (and U+2028/U+2029 escaped), so
//! that no text closes the script element; a JSON reader takes those escapes back. The
//! fresh app (`dist/jixiao.html`) holds `{"example":true,"packed":true}` instead: its
//! example unit travels packed with the core, and it is no unit's saved copy.

use crate::model::Unit;

/// The attribute that marks the data block.
const DATA_ID: &str = "id=\"jixiao-data\"";

/// Does this text look like an HTML page (not JSON)?
pub fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    t.starts_with('<')
}

/// The JSON text of the data block, as written between its tags.
fn data_block(page: &str) -> Option<&str> {
    let at = page.find(DATA_ID)?;
    let open_end = at + page[at..].find('>')? + 1;
    let body = &page[open_end..];
    let lower = body.to_ascii_lowercase();
    let close = lower.find("</script")?;
    Some(&body[..close])
}

/// The unit of a page saved with 另存为HTML. Errors are Chinese and follow the file's
/// name (“x.html”不是…), as the page's own (www/app/files.js) do.
pub fn from_saved_page(page: &str) -> Result<Unit, String> {
    let block = data_block(page).ok_or("不是绩效自评保存的网页文件，其中没有数据".to_string())?;
    let damaged = |why: &str| format!("中保存的数据已损坏或被改动（{why}）");
    let data: serde_json::Value =
        serde_json::from_str(block).map_err(|_| damaged("数据不是有效的 JSON"))?;
    let Some(data) = data.as_object() else {
        return Err(damaged("数据格式不对"));
    };
    let flag = |key: &str| data.get(key).and_then(|v| v.as_bool()).unwrap_or(false);
    if flag("packed") && flag("example") {
        return Err(
            "是绩效自评程序本身，只带示例数据，没有保存的单位；请打开“另存为HTML”保存的文件".into(),
        );
    }
    let unit = match data.get("unit") {
        Some(unit @ serde_json::Value::Object(_)) => unit,
        _ => return Err(damaged("其中没有单位数据")),
    };
    // The unit as JSON text again, for the data file's reader and its messages. (A
    // number keeps its value: integers exactly, others as the shortest text of their
    // 64-bit float, which the reader then checks as it checks any file's.)
    let text = serde_json::to_string(unit).map_err(|_| damaged("数据格式不对"))?;
    super::json::from_json(&text).map_err(|e| damaged(e.trim_end_matches('。')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(data: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><title>x</title></head>\n<body>\n\
             <div id=\"app\"></div>\n\
             <script type=\"application/json\" id=\"jixiao-data\">{data}</script>\n\
             <script id=\"jixiao-app\">var x = '</div>';</script>\n</body>\n</html>\n"
        )
    }

    #[test]
    fn the_saved_unit_is_read() {
        let data = r#"{"example":false,"unit":{"schemaVersion":1,"name":"某局\u003Cb\u003E","year":2023,
            "date":"2024年3月1日","projects":[{"name":"甲","funds":{"total":{"budget":"10","executed":"9"}}}]}}"#;
        assert!(looks_like_html(&page(data)));
        let unit = from_saved_page(&page(data)).unwrap();
        assert_eq!(unit.name, "某局<b>");
        assert_eq!(unit.year.value(), Some(2023));
        assert_eq!(unit.projects.len(), 1);
    }

    #[test]
    fn what_is_not_a_saved_unit_is_said() {
        let e = from_saved_page("<html><body>hello</body></html>").unwrap_err();
        assert_eq!(e, "不是绩效自评保存的网页文件，其中没有数据");
        let e = from_saved_page(&page(r#"{"example":true,"packed":true}"#)).unwrap_err();
        assert!(e.starts_with("是绩效自评程序本身"), "{e}");
        let e = from_saved_page(&page(r#"{"example":false,"unit":{"#)).unwrap_err();
        assert_eq!(e, "中保存的数据已损坏或被改动（数据不是有效的 JSON）");
        let e = from_saved_page(&page(r#"{"example":false}"#)).unwrap_err();
        assert!(e.contains("其中没有单位数据"), "{e}");
        let e =
            from_saved_page(&page(r#"{"unit":{"schemaVersion":1,"projects":"x"}}"#)).unwrap_err();
        assert!(
            e.starts_with("中保存的数据已损坏或被改动（数据文件内容有误"),
            "{e}"
        );
        assert!(!looks_like_html("{\"schemaVersion\":1}"));
    }
}
