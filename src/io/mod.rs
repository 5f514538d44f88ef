//! Reading and writing the unit: the project's JSON format and standard-layout workbooks.

pub mod docx_export;
/// The command line's files. (It compiles for the browser too — the binary is built for
/// wasm32 by the binding's tests — but the page's core never calls it, so none of it
/// reaches the page.)
pub mod files;
pub mod html;
pub mod json;
pub mod review_export;
pub mod xlsx;
pub mod xlsx_export;

/// The width of a text in half-characters, as every export estimates lines and columns
/// (and as Excel measures column widths): a Chinese (non-ASCII) character is two, an
/// ASCII one one.
pub(crate) fn text_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

pub use xlsx::{Imported, LoadOptions, UnreadSheet};

/// The file types a unit comes in, by extension: workbooks (.xlsx and its macro-enabled
/// .xlsm, Excel 97–2003's .xls that WPS users often keep, LibreOffice's .ods), the
/// project's JSON and pages saved with 另存为HTML. [`load`] tells them by their content;
/// these are what the page's file pickers offer and what `jixiao collect` takes from a
/// directory.
pub const FILE_TYPES: [&str; 7] = ["xlsx", "xlsm", "xls", "ods", "json", "html", "htm"];

/// [`FILE_TYPES`] as a file picker's `accept` (“.xlsx,.xlsm,…”) or as a list in a message
/// (“.xlsx、.xlsm、…”), joined by `separator`.
pub fn file_types(separator: &str) -> String {
    FILE_TYPES
        .iter()
        .map(|t| format!(".{t}"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Open a file the user picked, by its content (a zip is a workbook, text starting
/// with `<` a page saved with 另存为HTML ([`html`]), other text JSON). The error is a
/// Chinese message naming the file.
pub fn load(bytes: &[u8], file_name: &str) -> Result<Imported, String> {
    load_with(bytes, file_name, &LoadOptions::default())
}

/// Open a file as [`load`] does, a workbook read by the profile chosen in `options`
/// (each sheet by its own, recognised by its labels, when none is chosen). A JSON
/// data file keeps its own profile unless one is chosen.
pub fn load_with(bytes: &[u8], file_name: &str, options: &LoadOptions) -> Result<Imported, String> {
    let is_zip = bytes.starts_with(b"PK");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if is_zip || is_ole {
        return xlsx::import_workbook_with(bytes, options)
            .map_err(|e| format!("“{file_name}”{}", e.message));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| format!("“{file_name}”既不是 Excel 工作簿，也不是绩效自评 JSON 数据文件"))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut unit = if html::looks_like_html(text) {
        html::from_saved_page(text).map_err(|e| format!("“{file_name}”{e}"))?
    } else if text.trim_start().starts_with('{') {
        json::from_json(text).map_err(|e| format!("“{file_name}”{e}"))?
    } else {
        return Err(format!(
            "“{file_name}”既不是 Excel 工作簿，也不是绩效自评 JSON 数据文件"
        ));
    };
    if let Some(p) = &options.profile {
        unit.profile = match crate::profile::Profile::built_in(&p.name) {
            Some(b) if b == p => p.name.clone(),
            _ => serde_json::to_string(p).unwrap_or_default(),
        };
    }
    Ok(Imported {
        unit,
        findings: Vec::new(),
        unread: Vec::new(),
    })
}
