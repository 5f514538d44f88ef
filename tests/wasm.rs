//! The binding, in a real browser: real JS values cross the boundary both ways.
#![cfg(target_arch = "wasm32")]

use jixiao::wasm;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SEED: &[u8] = include_bytes!("../examples/lanzhou-xinqu-emergency-2022.xlsx");

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |acc, key| {
        let key: JsValue = match key.parse::<u32>() {
            Ok(i) => i.into(),
            Err(_) => key.into(),
        };
        js_sys::Reflect::get(&acc, &key).unwrap()
    })
}

/// A JS value as the page passes a unit to the core: `JSON.stringify` of it.
fn text(v: &JsValue) -> String {
    js_sys::JSON::stringify(v).unwrap().as_string().unwrap()
}

fn seed_unit() -> String {
    let loaded = wasm::load_file(SEED, "seed.xlsx").unwrap();
    text(&get(&loaded, "unit"))
}

#[wasm_bindgen_test]
fn seed_workbook_scores_in_the_browser() {
    let summary = js_sys::JSON::parse(&wasm::evaluate(&seed_unit(), None).unwrap()).unwrap();
    assert_eq!(
        get(&summary, "unit.rate_percent").as_string().unwrap(),
        "99.60"
    );
    assert_eq!(get(&summary, "unit.grades.优").as_f64(), Some(7.0));
    assert_eq!(get(&summary, "unit.grades.中").as_f64(), Some(1.0));
    assert_eq!(
        get(&summary, "projects.1.total").as_string().unwrap(),
        "88.51"
    );
    assert_eq!(get(&summary, "projects.1.grade").as_string().unwrap(), "良");
}

#[wasm_bindgen_test]
fn a_unit_built_in_javascript_round_trips() {
    // A plain JS object, as the page builds it: decimals as strings.
    let unit = js_sys::JSON::parse(
        r#"{"schemaVersion":1,"name":"测试单位","year":2023,"projects":[{"name":"项目甲",
            "funds":{"total":{"budget":"100","executed":"95.5"}},
            "indicators":[
              {"level1":"产出指标","name":"数量","target":"≥10个","actual":"8个","weight":"50"},
              {"level1":"效益指标","name":"效益","target":"效果显著","actual":"达成年度指标","weight":"30","typedScore":"27"},
              {"level1":"满意度指标","name":"满意度","target":"≥90%","actual":"95%","weight":"10"}]}]}"#,
    )
    .unwrap();
    let summary = js_sys::JSON::parse(&wasm::evaluate(&text(&unit), None).unwrap()).unwrap();
    // 9.55 + 8/10×50 = 40 + 27 + 10 = 86.55 → 良
    assert_eq!(
        get(&summary, "projects.0.execution_score")
            .as_string()
            .unwrap(),
        "9.55"
    );
    assert_eq!(
        get(&summary, "projects.0.total").as_string().unwrap(),
        "86.55"
    );
    assert_eq!(get(&summary, "projects.0.grade").as_string().unwrap(), "良");
    assert_eq!(
        get(&summary, "projects.0.indicators.0.basis")
            .as_string()
            .unwrap(),
        "8 ÷ 10 × 50 = 40.00"
    );
    let saved = wasm::to_json(&text(&unit)).unwrap();
    let back = wasm::from_json(&saved).unwrap();
    assert_eq!(
        get(&back, "projects.0.funds.total.executed")
            .as_string()
            .unwrap(),
        "95.5"
    );
    assert_eq!(wasm::to_json(&text(&back)).unwrap(), saved);
}

#[wasm_bindgen_test]
fn bad_input_is_a_chinese_error_not_a_panic() {
    let err = wasm::load_file(b"not a workbook", "坏.xlsx").err().unwrap();
    let msg = JsValue::from(err);
    let text = get(&msg, "message").as_string().unwrap();
    assert!(text.contains("坏.xlsx"), "{text}");
    let err = wasm::evaluate("x", Some("no-such".into())).err();
    assert!(err.is_some());
    // A field of the wrong type is named, as in a data file.
    let unit = r#"{"schemaVersion":1,"projects":[{"indicators":[{"weight":{"a":1}}]}]}"#;
    let err = JsValue::from(wasm::evaluate(unit, None).err().unwrap());
    let text = get(&err, "message").as_string().unwrap();
    assert!(text.starts_with("数据有误："), "{text}");
    assert!(text.contains("projects[0].indicators[0].weight"), "{text}");
}

#[wasm_bindgen_test]
fn a_figure_typed_in_the_page_is_kept_and_never_counted() {
    // What the page sends after “约50” is typed as 分值: the text, as typed.
    let unit = r#"{"schemaVersion":1,"projects":[{"name":"项目","funds":{"total":{"budget":"1,000","executed":"９５０"}},
        "indicators":[{"level1":"产出指标","name":"数量","target":"≥10个","actual":"12个","weight":"约50"}]}]}"#;
    let back = wasm::from_json(unit).unwrap();
    assert_eq!(
        get(&back, "projects.0.indicators.0.weight")
            .as_string()
            .unwrap(),
        "约50"
    );
    assert_eq!(
        get(&back, "projects.0.funds.total.executed")
            .as_string()
            .unwrap(),
        "９５０"
    );
    let summary = js_sys::JSON::parse(&wasm::evaluate(unit, None).unwrap()).unwrap();
    // The amounts are read (95.00%), the weight is not counted: no total, no grade.
    assert_eq!(
        get(&summary, "projects.0.rate_percent")
            .as_string()
            .unwrap(),
        "95.00"
    );
    assert!(get(&summary, "projects.0.total").is_null());
    let findings = js_sys::Array::from(&get(&summary, "findings"));
    let found = findings.iter().any(|f| {
        get(&f, "code").as_string().as_deref() == Some("unreadable_figure")
            && get(&f, "field").as_string().as_deref() == Some("indicators.0.weight")
            && get(&f, "message")
                .as_string()
                .unwrap()
                .contains("分值“约50”不是数字，未计入")
    });
    assert!(found, "{}", text(&get(&summary, "findings")));
}

#[wasm_bindgen_test]
fn a_profile_chosen_reads_the_workbook_and_brings_its_rules() {
    let loaded = wasm::load_file_with(SEED, "seed.xlsx", Some("hubei-2020".into())).unwrap();
    assert_eq!(
        get(&loaded, "unit.profile").as_string().unwrap(),
        "hubei-2020"
    );
    assert_eq!(get(&loaded, "unread.length").as_f64(), Some(0.0));
    let summary =
        js_sys::JSON::parse(&wasm::evaluate(&text(&get(&loaded, "unit")), None).unwrap()).unwrap();
    assert_eq!(get(&summary, "rules").as_string().unwrap(), "hubei-2020");
    assert_eq!(
        get(&summary, "unit.rate_percent").as_string().unwrap(),
        "99.60"
    );
    // Recognised by its labels: the seed is central 2020.
    let plain = wasm::load_file(SEED, "seed.xlsx").unwrap();
    assert_eq!(
        get(&plain, "unit.profile").as_string().unwrap(),
        "central-2020"
    );
    let profiles = wasm::profiles().unwrap();
    assert_eq!(get(&profiles, "length").as_f64(), Some(5.0));
    assert_eq!(get(&profiles, "1.0").as_string().unwrap(), "sichuan-2023");
}

#[wasm_bindgen_test]
fn the_review_reads_files_one_by_one_and_totals_them() {
    wasm::review_clear();
    let row = wasm::review_add("1-应急管理局.xlsx", SEED).unwrap();
    assert_eq!(get(&row, "name").as_string().unwrap(), "兰州新区应急管理局");
    assert_eq!(get(&row, "rate_percent").as_string().unwrap(), "99.60");
    let broken = wasm::review_add("2-损坏.xlsx", b"PK\x03\x04 not a workbook").unwrap();
    assert!(get(&broken, "message")
        .as_string()
        .unwrap()
        .contains("2-损坏.xlsx"));
    wasm::review_add("3-再次报送.xlsx", SEED).unwrap();
    let review = wasm::review_result().unwrap();
    assert_eq!(get(&review, "totals.units").as_f64(), Some(1.0));
    assert_eq!(get(&review, "totals.unreadable").as_f64(), Some(1.0));
    assert_eq!(
        get(&review, "totals.rate_percent").as_string().unwrap(),
        "99.60"
    );
    assert_eq!(
        get(&review, "duplicates.0.duplicate_of")
            .as_string()
            .unwrap(),
        "3-再次报送.xlsx"
    );
    assert_eq!(
        get(&review, "units.1.file").as_string().unwrap(),
        "3-再次报送.xlsx"
    );
    // The order by rate: the unit read first, the unreadable file last.
    assert_eq!(get(&review, "orders.rate.0").as_f64(), Some(1.0));
    assert_eq!(get(&review, "orders.rate.1").as_f64(), Some(0.0));
    assert_eq!(
        get(&review, "projects.0.total").as_string().unwrap(),
        "93.93"
    );
    let xlsx = wasm::review_xlsx().unwrap();
    assert_eq!(&xlsx[..2], b"PK");
    // A new review starts empty.
    wasm::review_clear();
    let empty = wasm::review_result().unwrap();
    assert_eq!(get(&empty, "totals.units").as_f64(), Some(0.0));
}

#[wasm_bindgen_test]
fn the_kept_unit_rescores_one_project_per_edit() {
    let unit = seed_unit();
    let summary = js_sys::JSON::parse(&wasm::session_load(&unit).unwrap()).unwrap();
    assert_eq!(
        get(&summary, "projects.3.total").as_string().unwrap(),
        "75.00"
    );
    // Project 4's executed amount typed as its budget, as the page sends an edit.
    let project = get(&js_sys::JSON::parse(&unit).unwrap(), "projects.3");
    js_sys::Reflect::set(
        &get(&project, "funds.total"),
        &"executed".into(),
        &"49".into(),
    )
    .unwrap();
    let edit = js_sys::Array::of2(&3.into(), &project);
    let projects = text(&js_sys::Array::of1(&edit).into());
    let delta = js_sys::JSON::parse(&wasm::session_edit(None, &projects).unwrap()).unwrap();
    assert_eq!(get(&delta, "projects.0.0").as_f64(), Some(3.0));
    assert_eq!(
        get(&delta, "projects.0.1.rate_percent")
            .as_string()
            .unwrap(),
        "100.00"
    );
    assert_eq!(
        get(&delta, "unit.rate_percent").as_string().unwrap(),
        "99.60"
    );
    // A project that is not there: a Chinese error, nothing changed.
    let bad = text(&js_sys::Array::of1(&js_sys::Array::of2(&12.into(), &project).into()).into());
    let err = wasm::session_edit(None, &bad).unwrap_err();
    let message = js_sys::Reflect::get(&JsValue::from(err), &"message".into()).unwrap();
    assert!(message.as_string().unwrap().contains("第13个项目"));
}
