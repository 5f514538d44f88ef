//! The browser binding: a thin skin over the core. The unit goes in as the project's
//! JSON text (the page's `JSON.stringify` of it: reading a large object field by field
//! through serde-wasm-bindgen took longer than scoring it), and the Summary of every
//! edit comes back as JSON text too; the rest comes back as plain JS objects
//! (serde-wasm-bindgen). Every decimal is a string. Errors become `JsError` with the
//! core's Chinese message.

use crate::model::{Project, Unit};
use crate::profile::Profile;
use crate::rules::{Rulebook, PRESETS};
use crate::session::{Edit, Session};
use crate::summary::Summary;
use crate::{evaluate as evaluate_unit, glossary, io};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("内部错误：{e}")))
}

/// The unit from its JSON text: directly when it is well formed (every edit), else
/// through the data-file reader for a message that names the field.
fn unit_from_text(text: &str) -> Result<Unit, JsError> {
    serde_json::from_str(text)
        .or_else(|_| io::json::from_json(text))
        .map_err(|e| JsError::new(&format!("数据有误：{e}")))
}

/// The rules asked for, else the ones the unit names, else its profile's, else the
/// default ([`crate::session::rules_for`]).
fn rules_for(unit: &Unit, spec: Option<String>) -> Result<Rulebook, JsError> {
    crate::session::rules_for(unit, spec.as_deref()).map_err(|e| JsError::new(&e))
}

/// Score, check and audit a unit: the summary the screen renders (strings only), as
/// JSON text for the page's `JSON.parse` — on every edit, and for 1,000 projects
/// building the objects field by field from here took longer than the scoring.
#[wasm_bindgen]
pub fn evaluate(unit: &str, rules: Option<String>) -> Result<String, JsError> {
    let unit = unit_from_text(unit)?;
    let rules = rules_for(&unit, rules)?;
    let eval = evaluate_unit(&unit, &rules);
    serde_json::to_string(&Summary::new(&eval, &rules, &[]))
        .map_err(|e| JsError::new(&format!("内部错误：{e}")))
}

thread_local! {
    /// The unit the page shows, kept between its edits (see [`crate::session`]).
    static SESSION: std::cell::RefCell<Option<Session>> = const { std::cell::RefCell::new(None) };
}

/// The unit the page shows, kept in the core and scored whole (opening, a new document,
/// a structural edit, undo across one): the Summary as JSON text, as [`evaluate`].
#[wasm_bindgen(js_name = sessionLoad)]
pub fn session_load(unit: &str) -> Result<String, JsError> {
    let session = Session::new(unit_from_text(unit)?, None).map_err(|e| JsError::new(&e))?;
    let text = json_text(&session.summary())?;
    SESSION.with(|s| *s.borrow_mut() = Some(session));
    Ok(text)
}

/// An edit of the unit kept: `unit` its own fields as JSON text (its `projects` are not
/// read) or nothing, `projects` `[[index, project], …]` as JSON text; only what they
/// touch is re-scored. The delta as JSON text ([`crate::session::Delta`]: the unit's
/// figures, the projects sent, every finding when any changed). On an error nothing
/// is changed.
#[wasm_bindgen(js_name = sessionEdit)]
pub fn session_edit(unit: Option<String>, projects: &str) -> Result<String, JsError> {
    let unit = unit.map(|text| unit_from_text(&text)).transpose()?;
    let projects: Vec<(usize, Project)> = serde_json::from_str(projects)
        .map_err(|e| JsError::new(&format!("数据有误（项目）：{e}")))?;
    SESSION.with(|s| {
        let mut kept = s.borrow_mut();
        let session = kept
            .as_mut()
            .ok_or_else(|| JsError::new("内部错误：计算核心中还没有单位"))?;
        let delta = session
            .apply(Edit { unit, projects })
            .map_err(|e| JsError::new(&e))?;
        json_text(&delta)
    })
}

fn json_text<T: Serialize>(value: &T) -> Result<String, JsError> {
    serde_json::to_string(value).map_err(|e| JsError::new(&format!("内部错误：{e}")))
}

/// Open a picked file (workbook or JSON): `{ unit, findings, unread }`, each sheet
/// read by the profile its labels show.
#[wasm_bindgen(js_name = loadFile)]
pub fn load_file(bytes: &[u8], name: &str) -> Result<JsValue, JsError> {
    loaded(io::load(bytes, name).map_err(|e| JsError::new(&e))?)
}

/// Open a picked file read by a profile: a built-in key or a profile's JSON text
/// (one that `extends` the detected profile and adds the header texts the user
/// pointed at); none → as [`load_file`].
#[wasm_bindgen(js_name = loadFileWith)]
pub fn load_file_with(
    bytes: &[u8],
    name: &str,
    profile: Option<String>,
) -> Result<JsValue, JsError> {
    let profile = match profile {
        Some(spec) => Profile::from_key_or_json(&spec).map_err(|e| JsError::new(&e))?,
        None => None,
    };
    let options = io::LoadOptions { profile };
    loaded(io::load_with(bytes, name, &options).map_err(|e| JsError::new(&e))?)
}

/// `{ unit, findings, unread }`: `unread` lists each sheet that looked like a form
/// but whose columns or rows were not all found (see [`io::UnreadSheet`]).
fn loaded(loaded: io::Imported) -> Result<JsValue, JsError> {
    let findings: Vec<_> = loaded
        .findings
        .iter()
        .map(crate::summary::FindingSummary::from)
        .collect();
    #[derive(Serialize)]
    struct Loaded<'a> {
        unit: &'a Unit,
        findings: Vec<crate::summary::FindingSummary>,
        unread: &'a [io::UnreadSheet],
    }
    to_js(&Loaded {
        unit: &loaded.unit,
        findings,
        unread: &loaded.unread,
    })
}

/// A profile's JSON text checked as the importer will read it (its parent, its field
/// names, its rules): the Chinese message of what is wrong, or nothing.
#[wasm_bindgen(js_name = checkProfile)]
pub fn check_profile(text: &str) -> Result<(), JsError> {
    Profile::parse(text)
        .map(|_| ())
        .map_err(|e| JsError::new(&e))
}

/// A profile's own JSON text with the header texts the user chose, as JSON text
/// `[["fund.budget", "预算安排数"], …]`, added ([`Profile::own_json_with_labels`]).
#[wasm_bindgen(js_name = profileWithLabels)]
pub fn profile_with_labels(text: &str, chosen: &str) -> Result<String, JsError> {
    let chosen: Vec<(String, String)> =
        serde_json::from_str(chosen).map_err(|e| JsError::new(&e.to_string()))?;
    Profile::own_json_with_labels(text, &chosen).map_err(|e| JsError::new(&e))
}

/// The built-in profiles: `[[key, label], …]`.
#[wasm_bindgen]
pub fn profiles() -> Result<JsValue, JsError> {
    to_js(&Profile::built_ins())
}

/// A unit as the project's JSON data file (checked, pretty, current schema version).
#[wasm_bindgen(js_name = toJson)]
pub fn to_json(unit: &str) -> Result<String, JsError> {
    Ok(io::json::to_json(&unit_from_text(unit)?))
}

/// The project's JSON text as a unit object.
#[wasm_bindgen(js_name = fromJson)]
pub fn from_json(text: &str) -> Result<JsValue, JsError> {
    to_js(&io::json::from_json(text).map_err(|e| JsError::new(&e))?)
}

/// A blank unit with one empty project, in the current schema.
#[wasm_bindgen(js_name = blankUnit)]
pub fn blank_unit() -> Result<JsValue, JsError> {
    to_js(&Unit::blank())
}

/// Labels for pickers: 一级 → 二级 names, bands, grades, presets; the exported files' names.
#[wasm_bindgen]
pub fn vocabulary() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Vocabulary {
        levels: Vec<(&'static str, Vec<&'static str>)>,
        bands: Vec<&'static str>,
        /// The short labels a qualitative row's 完成程度 is chosen from.
        band_choices: Vec<&'static str>,
        grades: [&'static str; 4],
        presets: Vec<(&'static str, &'static str)>,
        report_file: &'static str,
        forms_file: &'static str,
        /// The 汇总 table's columns, (key, header), as the 汇总表's 单位汇总 sheet.
        review_columns: &'static [(&'static str, &'static str)],
        review_title: &'static str,
        /// The file pickers' `accept`: the types a unit comes in ([`io::FILE_TYPES`]).
        accept: String,
    }
    to_js(&Vocabulary {
        levels: glossary::LEVEL2
            .iter()
            .map(|(l, s)| (*l, s.to_vec()))
            .collect(),
        bands: glossary::BANDS.iter().map(|(full, _)| *full).collect(),
        band_choices: glossary::BANDS.iter().map(|(_, short)| *short).collect(),
        grades: glossary::GRADES,
        presets: PRESETS.to_vec(),
        report_file: glossary::REPORT_FILE,
        forms_file: glossary::FORMS_FILE,
        review_columns: io::review_export::UNIT_COLUMNS,
        review_title: io::review_export::REVIEW_TITLE,
        accept: io::file_types(","),
    })
}

/// The report model (narrative and forms) the preview and the printout render.
#[wasm_bindgen]
pub fn report(unit: &str, rules: Option<String>) -> Result<JsValue, JsError> {
    let unit = unit_from_text(unit)?;
    to_js(&crate::report(&unit, &rules_for(&unit, rules)?))
}

/// `<单位>_<年度>`: how the exported files are named.
#[wasm_bindgen(js_name = fileStem)]
pub fn file_stem(unit: &str) -> Result<String, JsError> {
    Ok(crate::report::file_stem(&unit_from_text(unit)?))
}

/// The forms as an .xlsx workbook.
#[wasm_bindgen(js_name = exportXlsx)]
pub fn export_xlsx(unit: &str, rules: Option<String>) -> Result<Vec<u8>, JsError> {
    let unit = unit_from_text(unit)?;
    let report = crate::report(&unit, &rules_for(&unit, rules)?);
    io::xlsx_export::write_xlsx(&report).map_err(|e| JsError::new(&e))
}

/// The narrative and the forms as a .docx document.
#[wasm_bindgen(js_name = exportDocx)]
pub fn export_docx(unit: &str, rules: Option<String>) -> Result<Vec<u8>, JsError> {
    let unit = unit_from_text(unit)?;
    let report = crate::report(&unit, &rules_for(&unit, rules)?);
    io::docx_export::write_docx(&report).map_err(|e| JsError::new(&e))
}

thread_local! {
    /// The finance bureau's review under way in the page: the files read so far.
    static REVIEW: std::cell::RefCell<crate::review::ReviewBuilder> = Default::default();
}

/// Start a new review (the files read so far are dropped).
#[wasm_bindgen(js_name = reviewClear)]
pub fn review_clear() {
    REVIEW.with(|r| *r.borrow_mut() = Default::default());
}

/// Read and score one more file of the review: its row (`message` when unreadable).
#[wasm_bindgen(js_name = reviewAdd)]
pub fn review_add(name: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
    let input = crate::review::Input::read(name, bytes);
    REVIEW.with(|r| to_js(r.borrow_mut().add(input)))
}

/// The review of the files read so far: `{ units, totals, duplicates, projects,
/// findings, orders }`, `orders` the rows' order by each column of decimals
/// ([`crate::review::Review::order_by`]), so that the page sorts without reading a number.
#[wasm_bindgen(js_name = reviewResult)]
pub fn review_result() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Result<'a> {
        #[serde(flatten)]
        review: &'a crate::review::Review,
        orders: std::collections::BTreeMap<&'static str, Vec<usize>>,
    }
    let review = REVIEW.with(|r| r.borrow().review());
    let orders = crate::review::ORDER_COLUMNS
        .iter()
        .filter_map(|c| Some((*c, review.order_by(c)?)))
        .collect();
    to_js(&Result {
        review: &review,
        orders,
    })
}

/// The review as the 汇总表 workbook (as `jixiao collect --out`).
#[wasm_bindgen(js_name = reviewXlsx)]
pub fn review_xlsx() -> Result<Vec<u8>, JsError> {
    let review = REVIEW.with(|r| r.borrow().review());
    io::review_export::write_review_xlsx(&review).map_err(|e| JsError::new(&e))
}
