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
