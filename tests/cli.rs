//! The `jixiao` command as a user runs it.

use std::process::Command;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/lanzhou-xinqu-emergency-2022.xlsx"
);

fn jixiao(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .output()
        .expect("the command runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn evaluate_json_has_the_documented_shape() {
    let (code, stdout, stderr) = jixiao(&["evaluate", SEED, "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let unit = &doc["unit"];
    assert_eq!(unit["name"], "兰州新区应急管理局");
    assert_eq!(unit["budget"], "7750.69");
    assert_eq!(unit["executed"], "7719.74");
    assert_eq!(unit["rate_percent"], "99.60");
    assert_eq!(unit["projects"], 9);
    assert_eq!(unit["evaluated"], 9);
    assert_eq!(unit["grades"]["优"], 7);
    assert_eq!(unit["grades"]["良"], 1);
    assert_eq!(unit["grades"]["中"], 1);
    assert_eq!(unit["grades"]["差"], 0);
    let p2 = &doc["projects"][1];
    assert_eq!(p2["name"], "安全生产监督执法专项经费");
    assert_eq!(p2["rate_percent"], "90.43");
    assert_eq!(p2["execution_score"], "9.04");
    assert_eq!(p2["total"], "88.51");
    assert_eq!(p2["grade"], "良");
    let findings = doc["findings"].as_array().unwrap();
    let unit_rate = findings
        .iter()
        .find(|f| f["code"] == "typed_mismatch" && f["project"].is_null())
        .expect("the unit's typed rate is audited");
    assert_eq!(unit_rate["severity"], "error");
    assert_eq!(unit_rate["typed"], "99.36");
    assert_eq!(unit_rate["computed"], "99.60");
    assert_eq!(unit_rate["field"], "funds.total.typedRate");
    assert!(unit_rate["message"].as_str().unwrap().contains("99.36%"));
}

#[test]
fn evaluate_prints_a_chinese_summary() {
    let (code, stdout, _) = jixiao(&["evaluate", SEED]);
    assert_eq!(code, 0);
    assert!(stdout.contains("兰州新区应急管理局 · 2022年度"), "{stdout}");
    assert!(stdout.contains("执行率 99.60%"), "{stdout}");
    assert!(stdout.contains("优7 良1 中1 差0"), "{stdout}");
    assert!(stdout.contains("总分 88.51 良"), "{stdout}");
}

#[test]
fn presets_change_the_scores() {
    let (code, stdout, _) = jixiao(&["evaluate", SEED, "--json", "--rules", "tiered"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    // 江西 tiers: 57.04% is below 60% → 0 points; 90.43% → 7 points.
    assert_eq!(doc["projects"][6]["execution_score"], "0.00");
    assert_eq!(doc["projects"][1]["execution_score"], "7.00");
    assert_eq!(doc["rules"], "tiered");
}

#[test]
fn rules_from_a_json_file() {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rules = dir.join("rules.json");
    std::fs::write(
        &rules,
        r#"{"name":"湖北","executionWeight":"20","levels":[
            {"name":"产出指标","weight":"40"},{"name":"效益指标","weight":"30"},
            {"name":"满意度指标","weight":"10"}]}"#,
    )
    .unwrap();
    let (code, stdout, stderr) = jixiao(&[
        "evaluate",
        SEED,
        "--json",
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["rules"], "湖北");
    // The seed's forms weigh 10 / 50 / 30 / 10, not this rulebook's 20 / 40: still 100,
    // so they are the forms' adjusted weights (RULES.md §3), scored as written, a notice.
    let findings = doc["findings"].as_array().unwrap();
    let adjusted = findings
        .iter()
        .find(|f| f["code"] == "level_weights_adjusted" && f["project"] == "档案整理专项")
        .expect("the adjusted weights noticed");
    assert_eq!(adjusted["severity"], "notice");
    assert_eq!(
        adjusted["message"],
        "项目1“档案整理专项”：一级指标分值按本表调整：预算执行率10（规则为20）、产出指标50（规则为40）、效益指标30（规则为30）、满意度指标10（规则为10），合计100，按表中分值计分"
    );
    assert!(!findings
        .iter()
        .any(|f| f["code"] == "level_weight" || f["code"] == "weights_total"));
    assert_eq!(doc["projects"][0]["total"], "93.93");
}

#[test]
fn unreadable_input_fails_with_a_chinese_message() {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("坏文件.xlsx");
    std::fs::write(&bad, b"PK\x03\x04 this is not a workbook").unwrap();
    let (code, stdout, stderr) = jixiao(&["evaluate", bad.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(stdout.is_empty());
    assert!(stderr.contains("坏文件.xlsx"), "{stderr}");
    let (code, _, stderr) = jixiao(&["evaluate", "/no/such/file.json"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("无法读取文件"), "{stderr}");
    let (code, _, stderr) = jixiao(&["evaluate", SEED, "--rules", "no-such-preset"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("没有名为"), "{stderr}");
}

/// A project form whose fund columns are headed 预算安排数 | 实际支出数 (no profile's).
fn odd_headers_workbook(path: &std::path::Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let text: &[(u32, u16, &str)] = &[
        (0, 0, "项目支出绩效自评表"),
        (1, 0, "（2022年度）"),
        (2, 0, "项目名称"),
        (2, 1, "应急培训"),
        (3, 0, "项目资金（万元）"),
        (3, 2, "年初预算数"),
        (3, 3, "预算安排数"),
        (3, 4, "实际支出数"),
        (3, 5, "分值"),
        (3, 6, "执行率"),
        (3, 7, "得分"),
        (4, 1, "年度资金总额"),
        (5, 0, "绩效指标"),
        (5, 1, "一级指标"),
        (5, 2, "二级指标"),
        (5, 3, "三级指标"),
        (5, 4, "年度指标值"),
        (5, 5, "实际完成值"),
        (5, 6, "分值"),
        (5, 7, "得分"),
        (6, 1, "产出指标"),
        (6, 2, "数量指标"),
        (6, 3, "培训人次"),
        (6, 4, "≥100人次"),
        (6, 5, "120人次"),
        (7, 1, "效益指标"),
        (7, 2, "社会效益指标"),
        (7, 3, "持证上岗率"),
        (7, 4, "≥90%"),
        (7, 5, "85%"),
        (8, 1, "满意度指标"),
        (8, 2, "服务对象满意度指标"),
        (8, 3, "学员满意度"),
        (8, 4, "≥95%"),
        (8, 5, "96%"),
        (9, 0, "总分"),
    ];
    for (r, c, t) in text {
        ws.write_string(*r, *c, *t).unwrap();
    }
    let numbers: &[(u32, u16, f64)] = &[
        (4, 2, 100.0),
        (4, 3, 100.0),
        (4, 4, 90.0),
        (4, 5, 10.0),
        (4, 7, 9.5),
        (6, 6, 50.0),
        (7, 6, 30.0),
        (8, 6, 10.0),
    ];
    for (r, c, x) in numbers {
        ws.write_number(*r, *c, *x).unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn profile_option_reads_a_layout_the_built_ins_do_not() {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let book = dir.join("表.xlsx");
    odd_headers_workbook(&book);
    let book = book.to_str().unwrap();

    // Not found: the message names the labels looked for; the indicators are read.
    let (code, stdout, stderr) = jixiao(&["evaluate", book]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "工作表“Sheet1”像是项目支出绩效自评表，但按表样“central-2020”未找到“全年预算数”列（查找的表头：全年预算数、预算数、调整预算数）；其余部分已导入"
        ),
        "{stdout}"
    );
    // No budget read: no rate, said as a dash (not “—%”).
    assert!(stdout.contains("执行率 —（各项目合计）"), "{stdout}");
    assert!(!stdout.contains("—%"), "{stdout}");

    // The user's profile, extending the central one with this form's headers.
    let profile = dir.join("我的表样.json");
    std::fs::write(
        &profile,
        r#"{ "name": "我的表样", "extends": "central-2020",
             "labels": { "fund.budget": ["预算安排数"], "fund.executed": ["实际支出数"] } }"#,
    )
    .unwrap();
    let (code, stdout, stderr) = jixiao(&[
        "evaluate",
        book,
        "--json",
        "--profile",
        profile.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let p = &doc["projects"][0];
    assert_eq!(p["rate_percent"], "90.00");
    assert_eq!(p["execution_score"], "9.00");
    assert_eq!(p["total"], "97.33");
    assert_eq!(p["grade"], "优");
    let findings = doc["findings"].as_array().unwrap();
    assert!(!findings.iter().any(|f| f["code"] == "sheet_partly_read"));
    let typed = findings
        .iter()
        .find(|f| f["code"] == "typed_mismatch")
        .expect("the typed 得分 9.5 audited");
    assert_eq!(typed["typed"], "9.5");
    assert_eq!(typed["computed"], "9.00");

    // `json` keeps the profile, so that evaluating the JSON uses its rules again.
    let (code, stdout, _) = jixiao(&["json", book, "--profile", profile.to_str().unwrap()]);
    assert_eq!(code, 0);
    let unit: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(unit["profile"].as_str().unwrap().contains("我的表样"));
}

#[test]
fn profile_option_by_key_brings_its_rules() {
    let (code, stdout, stderr) = jixiao(&["evaluate", SEED, "--json", "--profile", "hubei-2020"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["rules"], "hubei-2020");
    // The seed's forms weigh execution 10: their own weights, scored as written.
    assert_eq!(doc["projects"][0]["total"], "93.93");
    assert_eq!(doc["unit"]["rate_percent"], "99.60");
    // --rules wins over the profile's.
    let (_, stdout, _) = jixiao(&[
        "evaluate",
        SEED,
        "--json",
        "--profile",
        "hubei-2020",
        "--rules",
        "default",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["rules"], "default");

    let (code, _, stderr) = jixiao(&["evaluate", SEED, "--profile", "no-such"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("没有名为“no-such”的表样"), "{stderr}");
    let (code, stdout, _) = jixiao(&["profiles"]);
    assert_eq!(code, 0);
    for key in [
        "central-2020",
        "sichuan-2023",
        "hubei-2020",
        "chongqing",
        "hunan",
    ] {
        assert!(stdout.contains(key), "{stdout}");
    }
}
