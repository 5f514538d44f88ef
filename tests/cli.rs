//! The `jixiao` command as a user runs it.

mod common;

use common::jixiao;
use std::process::Command;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/lanzhou-xinqu-emergency-2022.xlsx"
);

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

/// A rules or profile file that is not what it should be: what and where, in Chinese
/// (not the JSON reader's English).
#[test]
fn bad_rules_and_profile_files_are_said_in_chinese() {
    let dir = scratch("bad-settings");
    let cases = [
        (
            "--rules",
            "cut.json",
            r#"{"name": "湖北""#,
            "规则文件无法读取：文件不完整（第1行第",
        ),
        (
            "--rules",
            "kind.json",
            r#"{"execution": {"kind": "nope"}}"#,
            "规则文件无法读取：“nope”不是可用的取值（第1行第",
        ),
        (
            "--rules",
            "type.json",
            r#"{"execution": "x"}"#,
            "规则文件无法读取：有一项的类型或取值不对（第1行第17列）",
        ),
        (
            "--profile",
            "cut-profile.json",
            "{",
            "表样文件无法读取：文件不完整（第1行第",
        ),
    ];
    for (option, name, text, said) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let (code, _, stderr) = jixiao(&["evaluate", SEED, option, path.to_str().unwrap()]);
        assert_eq!(code, 2, "{name}");
        assert!(stderr.contains(said), "{name}: {stderr}");
        for english in ["EOF", "invalid", "expected", "variant", "line "] {
            assert!(!stderr.contains(english), "{name}: {stderr}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
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

// ---------------------------------------------------------------------------------
// A command line that never harms a file (issue 13 item 5)

const REPORT: &str = "兰州新区应急管理局_2022_自评报告.docx";
const FORMS: &str = "兰州新区应急管理局_2022_自评表.xlsx";

/// A new empty directory for one test.
fn scratch(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The command with arguments that need not be UTF-8, killed (and the test failed)
/// if it has not ended within 10 seconds.
fn jixiao_os(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("jixiao {args:?} did not end within 10 seconds");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn os(path: &std::path::Path) -> &std::ffi::OsStr {
    path.as_os_str()
}

/// No English from the system and no panic in what the command said.
fn assert_chinese_only(stderr: &str) {
    for english in [
        "os error",
        "panicked",
        "backtrace",
        "No such",
        "Is a directory",
        "Broken pipe",
    ] {
        assert!(!stderr.contains(english), "{stderr}");
    }
}

#[test]
fn report_names_its_files_after_the_unit_and_never_writes_over_its_input() {
    let dir = scratch("input");
    // `jixiao report 自评表.xlsx --out .`: the input stays as it was.
    let input = dir.join("自评表.xlsx");
    std::fs::copy(SEED, &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let (code, stdout, stderr) =
        jixiao_os(&["report".as_ref(), os(&input), "--out".as_ref(), os(&dir)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert_eq!(listing(&dir), [REPORT, FORMS, "自评表.xlsx"]);
    assert!(
        stdout.contains(&format!("已写入 {}", dir.join(REPORT).display())),
        "{stdout}"
    );

    // An input under the very name of an output: refused, nothing written.
    let dir = scratch("input-same");
    let input = dir.join(FORMS);
    std::fs::copy(SEED, &input).unwrap();
    let (code, stdout, stderr) =
        jixiao_os(&["report".as_ref(), os(&input), "--out".as_ref(), os(&dir)]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("它是本次读取的输入文件，不会覆盖它"),
        "{stderr}"
    );
    assert!(stderr.contains("本次没有写入任何文件"), "{stderr}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert_eq!(listing(&dir), [FORMS]);
}

#[test]
fn report_says_when_it_replaces_a_file() {
    let dir = scratch("twice");
    let out = dir.to_str().unwrap();
    let (code, stdout, stderr) = jixiao(&["report", SEED, "--out", out]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.matches("已写入").count(), 2, "{stdout}");
    let (code, stdout, stderr) = jixiao(&["report", SEED, "--out", out]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.matches("已替换").count(), 2, "{stdout}");
    assert!(
        stdout.contains(REPORT) && stdout.contains(FORMS),
        "{stdout}"
    );
    // No temporary file left behind.
    assert_eq!(listing(&dir), [REPORT, FORMS]);
}

#[test]
fn two_units_share_an_out_directory() {
    let dir = scratch("two-units");
    let (code, json, _) = jixiao(&["json", SEED]);
    assert_eq!(code, 0);
    let mut unit: serde_json::Value = serde_json::from_str(&json).unwrap();
    // A name with characters a file name cannot have.
    unit["name"] = "某县/应急管理局".into();
    let other = dir.join("other.json");
    std::fs::write(&other, unit.to_string()).unwrap();
    let out = dir.join("out");
    for file in [std::path::Path::new(SEED), &other] {
        let (code, _, stderr) =
            jixiao_os(&["report".as_ref(), os(file), "--out".as_ref(), os(&out)]);
        assert_eq!(code, 0, "{stderr}");
    }
    assert_eq!(
        listing(&out),
        [
            REPORT,
            FORMS,
            "某县_应急管理局_2022_自评报告.docx",
            "某县_应急管理局_2022_自评表.xlsx"
        ]
    );
}

#[cfg(unix)]
#[test]
fn report_does_not_follow_a_symlink_at_its_target() {
    let dir = scratch("symlink");
    let precious = dir.join("precious.txt");
    std::fs::write(&precious, "不能被改写").unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(&precious, out.join(FORMS)).unwrap();
    let (code, stdout, stderr) =
        jixiao_os(&["report".as_ref(), SEED.as_ref(), "--out".as_ref(), os(&out)]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("它是符号链接"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "不能被改写");
    assert!(std::fs::symlink_metadata(out.join(FORMS))
        .unwrap()
        .file_type()
        .is_symlink());
    // All or none: the report was not written either.
    assert_eq!(listing(&out), [FORMS]);
}

#[cfg(unix)]
#[test]
fn a_fifo_a_device_or_a_directory_is_refused_at_once() {
    let dir = scratch("fifo");
    let fifo = dir.join("管道.json");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let (code, stdout, stderr) = jixiao_os(&["evaluate".as_ref(), os(&fifo)]);
        assert_eq!(code, 2, "{stdout}");
        assert!(stderr.contains("命名管道"), "{stderr}");
        assert_chinese_only(&stderr);
        // Also as a rules file.
        let rules = dir.join("rules.json");
        Command::new("mkfifo").arg(&rules).status().unwrap();
        let (code, _, stderr) = jixiao_os(&[
            "evaluate".as_ref(),
            SEED.as_ref(),
            "--rules".as_ref(),
            os(&rules),
        ]);
        assert_eq!(code, 2);
        assert!(
            stderr.contains("无法读取规则文件") && stderr.contains("命名管道"),
            "{stderr}"
        );
    }
    let (code, _, stderr) = jixiao_os(&["evaluate".as_ref(), "/dev/zero".as_ref()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("这是一个设备，不是普通文件"), "{stderr}");
    let (code, _, stderr) = jixiao_os(&["json".as_ref(), os(&dir)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("这是一个目录"), "{stderr}");
    assert_chinese_only(&stderr);
    let (code, _, stderr) = jixiao_os(&["evaluate".as_ref(), os(&dir.join("无此文件.json"))]);
    assert_eq!(code, 2);
    assert!(stderr.contains("文件或目录不存在"), "{stderr}");
    assert_chinese_only(&stderr);
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let dir = scratch("big");
    let big = dir.join("big.json");
    // A sparse 1.5 GB file: refused by its size, in no time and no memory.
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(1536 << 20).unwrap();
    let (code, _, stderr) = jixiao_os(&["evaluate".as_ref(), os(&big)]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("文件过大（1536 MB，上限 64 MB）"),
        "{stderr}"
    );
    let _ = std::fs::remove_file(&big);
}

#[test]
fn unexpected_arguments_are_refused_with_the_usage() {
    let cases: &[(&[&str], &str)] = &[
        (&["evaluate", "/nonexist.json", SEED], "多余的参数"),
        (&["evaluate", SEED, "--bogus"], "未知选项“--bogus”"),
        (&["evaluate", SEED, "-x"], "未知选项“-x”"),
        (
            &["evaluate", SEED, "--out", "x"],
            "evaluate 命令不接受选项“--out”",
        ),
        (
            &["report", SEED, "--json", "--out", "x"],
            "report 命令不接受选项“--json”",
        ),
        (
            &["json", SEED, "--rules", "default"],
            "json 命令不接受选项“--rules”",
        ),
        (
            &["evaluate", SEED, "--rules", "default", "--rules", "tiered"],
            "选项“--rules”重复",
        ),
        (&["evaluate", SEED, "--rules"], "--rules 后应给出"),
        (
            &["report", SEED, "--out", "--rules", "default"],
            "--out 后应给出输出目录",
        ),
        (&["report", SEED], "report 命令需要 --out 目录"),
        (&["rules", "extra"], "rules 命令不接受参数“extra”"),
        (&["evaluate"], "缺少要处理的文件"),
        (&["frobnicate"], "未知命令“frobnicate”"),
    ];
    for (args, said) in cases {
        let (code, stdout, stderr) = jixiao(args);
        assert_eq!(code, 2, "{args:?}: {stdout}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
        assert!(stderr.contains("用法："), "{args:?}: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_read() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("non-utf8");
    // What unzipping a Windows archive gives: GBK bytes (自评 = D7 D4 C6 C0).
    let name = std::ffi::OsStr::from_bytes(b"\xd7\xd4\xc6\xc0.xlsx");
    let input = dir.join(name);
    std::fs::copy(SEED, &input).unwrap();
    let (code, stdout, stderr) = jixiao_os(&["evaluate".as_ref(), os(&input)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("兰州新区应急管理局"), "{stdout}");
    let out = dir.join(std::ffi::OsStr::from_bytes(b"\xb1\xa8\xb8\xe6"));
    let (code, stdout, stderr) =
        jixiao_os(&["report".as_ref(), os(&input), "--out".as_ref(), os(&out)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains('\u{fffd}'),
        "the name shown lossily: {stdout}"
    );
    assert_eq!(listing(&out), [REPORT, FORMS]);
    // Unreadable, it is said with the name shown lossily.
    let bad = dir.join(std::ffi::OsStr::from_bytes(b"\xff.json"));
    std::fs::write(&bad, "{").unwrap();
    let (code, _, stderr) = jixiao_os(&["evaluate".as_ref(), os(&bad)]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("“\u{fffd}.json”不是有效的 JSON 文件"),
        "{stderr}"
    );
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["json", SEED])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `jixiao json seed.xlsx | true`: the reader is gone before the output is written.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_chinese_only(&stderr);
    assert!(!stderr.contains("无法输出"), "{stderr}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_standard_output_is_said() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["json", SEED])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("jixiao：无法输出结果：磁盘已满"),
        "{stderr}"
    );
    assert_chinese_only(&stderr);
}
