//! The finance bureau's review (`jixiao collect`, `jixiao::review`, the 汇总表): the
//! seed unit, a second unit made from the seed's JSON with another name and amounts, a
//! damaged file and the seed sent twice — rows, totals, the duplicate, the message, the
//! command's JSON and text, and the workbook read back with calamine.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::jixiao;

use calamine::{Data, Reader, Xlsx};
use jixiao::io;
use jixiao::review::{Input, Review};
use jixiao::scoring::{fmt2, fmt_plain};
use rust_decimal::Decimal;
use serde_json::Value;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/lanzhou-xinqu-emergency-2022.xlsx"
);
const SEED_NAME: &str = "兰州新区应急管理局";
const TRANSPORT_NAME: &str = "兰州新区交通运输局";

fn seed() -> Vec<u8> {
    std::fs::read(SEED).expect("the seed workbook")
}

/// The seed as its JSON data file (what `jixiao json` prints), as a value to edit.
fn seed_json() -> Value {
    let unit = io::load(&seed(), "seed.xlsx").expect("the seed").unit;
    serde_json::from_str(&io::json::to_json(&unit)).unwrap()
}

/// The second unit: the seed's JSON renamed, with the unit's funds 1000 / 850.5 万元
/// (typed rate 85.05, right) and the first project's executed 8 of 16 (its typed rate
/// 94.65, 总分 94 and 等级 优 now wrong: 50.00%, 89.47, 良).
fn transport() -> Value {
    let mut v = seed_json();
    v["name"] = TRANSPORT_NAME.into();
    v["funds"]["total"]["budget"] = "1000".into();
    v["funds"]["total"]["executed"] = "850.5".into();
    v["funds"]["total"]["typedRate"] = "85.05".into();
    let p = &mut v["projects"][0];
    assert_eq!(p["name"], "档案整理专项");
    p["funds"]["total"]["executed"] = "8".into();
    p["funds"]["fiscal"]["executed"] = "8".into();
    v
}

/// Bytes that are no file of any kind (a fixed pseudo-random sequence).
fn damaged() -> Vec<u8> {
    let mut x: u32 = 0x2545_f491;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    assert!(!bytes.starts_with(b"PK") && !matches!(bytes[0], b'{' | b'<'));
    bytes
}

/// The region as sent: the seed, the second unit, a damaged file, the seed again.
fn region() -> Vec<(String, Vec<u8>)> {
    vec![
        ("应急管理局.xlsx".into(), seed()),
        (
            "交通运输局.json".into(),
            serde_json::to_string_pretty(&transport()).unwrap().into(),
        ),
        ("损坏.xlsx".into(), damaged()),
        ("应急管理局-再次报送.xlsx".into(), seed()),
    ]
}

fn s(x: Option<Decimal>) -> String {
    x.map(fmt_plain).unwrap_or_default()
}

fn pct(x: Option<Decimal>) -> String {
    x.map(fmt2).unwrap_or_default()
}

#[test]
fn the_seed_alone() {
    let r = Review::from_files(&[("seed.xlsx", seed())]);
    assert_eq!(r.units.len(), 1);
    let u = &r.units[0];
    assert_eq!(u.file, "seed.xlsx");
    assert_eq!(u.name.as_deref(), Some(SEED_NAME));
    assert_eq!(u.year, Some(2022));
    assert_eq!(s(u.budget), "7750.69");
    assert_eq!(s(u.executed), "7719.74");
    assert_eq!(pct(u.rate_percent), "99.60");
    assert_eq!(u.projects, Some(9));
    assert_eq!(u.evaluated, Some(9));
    assert_eq!(pct(u.coverage_percent), "100.00");
    let g = u.grades.as_ref().unwrap();
    assert_eq!((g.excellent, g.good, g.fair, g.poor), (7, 1, 1, 0));
    // No 部门整体 indicator block: no total of its own.
    assert_eq!((u.total, u.grade.as_deref()), (None, None));
    // Eight typed figures disagree (the unit's 99.36%, …), every one an error.
    assert_eq!(u.mismatches, Some(8));
    assert_eq!(u.errors, Some(8));
    assert_eq!(u.warnings, Some(15));
    assert_eq!(u.message, None);
    // The totals of one unit are its figures.
    let t = &r.totals;
    assert_eq!((s(t.budget), s(t.executed)), (s(u.budget), s(u.executed)));
    assert_eq!(pct(t.rate_percent), "99.60");
    assert_eq!(r.projects.len(), 9);
    assert_eq!(r.projects[0].unit, SEED_NAME);
    assert_eq!(r.projects[0].name, "档案整理专项");
    assert_eq!(s(r.projects[0].executed), "15.14353");
    assert_eq!(pct(r.projects[0].total), "93.93");
    // The importer's notice (the 说明 sheet skipped) is among the unit's findings.
    assert_eq!(r.findings.len(), 8 + 15 + 1);
    assert!(r.findings.iter().all(|f| f.unit == SEED_NAME));
}

#[test]
fn a_region_is_totalled_from_its_sums() {
    let r = Review::from_files(&region());
    // The seed sent first is set aside for the later copy: three rows.
    let files: Vec<&str> = r.units.iter().map(|u| u.file.as_str()).collect();
    assert_eq!(
        files,
        ["交通运输局.json", "损坏.xlsx", "应急管理局-再次报送.xlsx"]
    );

    let t = &r.units[0];
    assert_eq!(t.name.as_deref(), Some(TRANSPORT_NAME));
    assert_eq!(t.year, Some(2022));
    assert_eq!(s(t.budget), "1000");
    assert_eq!(s(t.executed), "850.5");
    assert_eq!(pct(t.rate_percent), "85.05");
    assert_eq!((t.projects, t.evaluated), (Some(9), Some(9)));
    let g = t.grades.as_ref().unwrap();
    assert_eq!((g.excellent, g.good, g.fair, g.poor), (6, 2, 1, 0));
    // The seed's eight but the unit's rate (85.05 is right), and four on 档案整理专项:
    // 执行率 twice, 总分, 等级.
    assert_eq!(t.mismatches, Some(11));
    assert_eq!(t.errors, Some(11));

    let bad = &r.units[1];
    let message = bad.message.as_deref().expect("a message");
    assert_eq!(
        message,
        "“损坏.xlsx”既不是 Excel 工作簿，也不是绩效自评 JSON 数据文件"
    );
    assert_eq!(bad.name, None);
    assert_eq!((bad.budget, bad.projects, bad.errors), (None, None, None));

    let e = &r.units[2];
    assert_eq!(e.name.as_deref(), Some(SEED_NAME));
    assert_eq!(s(e.budget), "7750.69");

    let tot = &r.totals;
    assert_eq!((tot.units, tot.unreadable, tot.duplicates), (2, 1, 1));
    assert_eq!(s(tot.budget), "8750.69");
    assert_eq!(s(tot.executed), "8570.24");
    // 8570.24 ÷ 8750.69 = 97.94%, not the mean of 85.05% and 99.60% (92.33%).
    assert_eq!(pct(tot.rate_percent), "97.94");
    assert_eq!(
        tot.rate.map(|r| r.round_dp(6).to_string()).unwrap(),
        "0.979379"
    );
    assert_eq!((tot.projects, tot.evaluated), (18, 18));
    assert_eq!(pct(tot.coverage_percent), "100.00");
    let g = &tot.grades;
    assert_eq!((g.excellent, g.good, g.fair, g.poor), (13, 3, 2, 0));
    assert_eq!((tot.errors, tot.mismatches, tot.warnings), (19, 19, 32));

    assert_eq!(r.duplicates.len(), 1);
    let d = &r.duplicates[0];
    assert_eq!(d.file, "应急管理局.xlsx");
    assert_eq!(d.duplicate_of, "应急管理局-再次报送.xlsx");
    assert_eq!((d.name.as_str(), d.year), (SEED_NAME, Some(2022)));
    assert_eq!(d.reason, "文件顺序靠后");

    // Projects and findings of the units kept, each with its unit.
    assert_eq!(r.projects.len(), 18);
    assert_eq!(r.projects[0].unit, TRANSPORT_NAME);
    assert_eq!(pct(r.projects[0].rate_percent), "50.00");
    assert_eq!(pct(r.projects[0].total), "89.47");
    assert_eq!(r.projects[0].grade.as_deref(), Some("良"));
    assert_eq!(r.projects[9].unit, SEED_NAME);
    assert!(r.projects[9].file == "应急管理局-再次报送.xlsx");
    let grade = r
        .findings
        .iter()
        .find(|f| f.unit == TRANSPORT_NAME && f.finding.field.as_deref() == Some("typed.grade"))
        .expect("the typed grade audited");
    assert_eq!(grade.finding.project.as_deref(), Some("档案整理专项"));
    assert_eq!(
        r.findings.iter().filter(|f| f.unit == SEED_NAME).count(),
        8 + 15 + 1
    );
}

#[test]
fn the_copy_with_the_later_report_date_is_kept() {
    let dated = |date: &str, executed: &str| {
        let mut v = seed_json();
        v["date"] = date.into();
        v["funds"]["total"]["executed"] = executed.into();
        serde_json::to_vec(&v).unwrap()
    };
    // The later date comes first in the list: it is kept all the same.
    let r = Review::from_files(&[
        ("改正后.json", dated("2023年3月20日", "7700")),
        ("初报.json", dated("2023年3月17日", "7719.74")),
    ]);
    assert_eq!(r.units.len(), 1);
    assert_eq!(r.units[0].file, "改正后.json");
    assert_eq!(r.units[0].date.as_deref(), Some("2023年3月20日"));
    assert_eq!(s(r.totals.executed), "7700");
    assert_eq!(r.duplicates[0].file, "初报.json");
    assert_eq!(r.duplicates[0].date.as_deref(), Some("2023年3月17日"));
    assert_eq!(r.duplicates[0].reason, "落款日期较晚");
    // The same unit of another year is another row.
    let mut other = seed_json();
    other["year"] = 2023.into();
    let r = Review::from_files(&[
        ("2022.json", serde_json::to_vec(&seed_json()).unwrap()),
        ("2023.json", serde_json::to_vec(&other).unwrap()),
    ]);
    assert_eq!(r.units.len(), 2);
    assert!(r.duplicates.is_empty());
}

#[test]
fn the_units_own_total_and_grade_are_shown() {
    let mut v = seed_json();
    let row = |level1: &str, level2: &str, name: &str, target: &str, actual: &str, w: &str| {
        serde_json::json!({ "level1": level1, "level2": level2, "name": name, "target": target,
                            "actual": actual, "weight": w, "reason": "按计划推进" })
    };
    v["indicators"] = serde_json::json!([
        row(
            "产出指标",
            "数量指标",
            "监督检查企业数",
            "≥200家",
            "180家",
            "50"
        ),
        row(
            "效益指标",
            "社会效益指标",
            "较大以上事故起数",
            "=0起",
            "0起",
            "30"
        ),
        row(
            "满意度指标",
            "服务对象满意度指标",
            "企业满意度",
            "≥90%",
            "95%",
            "10"
        ),
    ]);
    let r = Review::from_files(&[("部门整体.json", serde_json::to_vec(&v).unwrap())]);
    let u = &r.units[0];
    // 99.60% × 10 = 9.96, 180 ÷ 200 × 50 = 45, 30, 10: 94.96.
    assert_eq!(pct(u.total), "94.96");
    assert_eq!(u.grade.as_deref(), Some("优"));
    let json = serde_json::to_value(u).unwrap();
    assert_eq!(json["total"], "94.96");
    assert_eq!(json["grade"], "优");
}

#[test]
fn files_already_loaded_are_reviewed_alike() {
    let inputs = vec![
        Input {
            file: "a.xlsx".into(),
            loaded: io::load(&seed(), "a.xlsx"),
        },
        Input::unreadable("b.json", "无法读取文件“b.json”：权限不足".into()),
    ];
    let r = Review::from_inputs(inputs);
    assert_eq!(s(r.units[0].budget), "7750.69");
    assert_eq!(
        r.units[1].message.as_deref(),
        Some("无法读取文件“b.json”：权限不足")
    );
    assert_eq!(r.totals.units, 1);
}

// ---------------------------------------------------------------------------------
// The command

/// A fresh directory under the target's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("review-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The region's files in a directory (named so that they sort as sent), and a file
/// that is none of the kinds read.
fn region_dir(name: &str) -> PathBuf {
    let dir = scratch(name);
    for (i, (file, bytes)) in region().iter().enumerate() {
        std::fs::write(dir.join(format!("{}-{file}", i + 1)), bytes).unwrap();
    }
    std::fs::write(dir.join("说明.txt"), "不是报送的文件").unwrap();
    dir
}

#[test]
fn collect_json_has_the_documented_shape() {
    let dir = region_dir("json");
    let out = dir.join("汇总表.xlsx");
    let (code, stdout, stderr) = jixiao(&[
        "collect",
        dir.to_str().unwrap(),
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("已写入"), "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["duplicates", "totals", "units"]); // (sorted by serde_json)
    assert!(stdout.starts_with("{\n  \"units\": ["), "{stdout:.100}");
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units.len(), 3, "{stdout}");
    let u = &units[2];
    for field in [
        "file",
        "name",
        "year",
        "budget",
        "executed",
        "rate_percent",
        "projects",
        "evaluated",
        "coverage_percent",
        "grades",
        "total",
        "grade",
        "errors",
        "warnings",
        "mismatches",
        "message",
    ] {
        assert!(u.get(field).is_some(), "no {field} in {u}");
    }
    assert_eq!(u["file"], "4-应急管理局-再次报送.xlsx");
    assert_eq!(u["name"], SEED_NAME);
    assert_eq!(u["year"], 2022);
    assert_eq!(u["budget"], "7750.69");
    assert_eq!(u["executed"], "7719.74");
    assert_eq!(u["rate_percent"], "99.60");
    assert_eq!(u["projects"], 9);
    assert_eq!(u["evaluated"], 9);
    assert_eq!(u["coverage_percent"], "100.00");
    assert_eq!(u["grades"]["优"], 7);
    assert_eq!(u["grades"]["良"], 1);
    assert_eq!(u["grades"]["中"], 1);
    assert_eq!(u["grades"]["差"], 0);
    assert!(u["total"].is_null() && u["grade"].is_null());
    assert_eq!(u["mismatches"], 8);
    assert!(u["message"].is_null());
    assert_eq!(units[0]["name"], TRANSPORT_NAME);
    assert_eq!(units[0]["rate_percent"], "85.05");
    let bad = &units[1];
    assert_eq!(bad["file"], "3-损坏.xlsx");
    assert!(bad["budget"].is_null() && bad["projects"].is_null());
    assert!(
        bad["message"]
            .as_str()
            .unwrap()
            .contains("既不是 Excel 工作簿"),
        "{bad}"
    );
    let t = &doc["totals"];
    assert_eq!(t["budget"], "8750.69");
    assert_eq!(t["executed"], "8570.24");
    assert_eq!(t["rate_percent"], "97.94");
    assert_eq!(t["projects"], 18);
    assert_eq!(t["evaluated"], 18);
    assert_eq!(t["grades"]["优"], 13);
    assert_eq!(t["grades"]["良"], 3);
    assert_eq!(t["grades"]["中"], 2);
    assert_eq!(t["grades"]["差"], 0);
    let dups = doc["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0]["file"], "1-应急管理局.xlsx");
    assert_eq!(dups[0]["duplicate_of"], "4-应急管理局-再次报送.xlsx");

    // The 汇总表 written into the directory is not read as a unit the next time.
    assert!(out.exists());
    let (code, stdout, _) = jixiao(&["collect", dir.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    let again: Value = serde_json::from_str(&stdout).unwrap();
    let last = &again["units"][3];
    assert_eq!(last["file"], "汇总表.xlsx");
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .contains("是绩效自评汇总表"),
        "{last}"
    );
    assert_eq!(again["totals"]["budget"], "8750.69");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn collect_prints_a_line_per_unit_and_the_totals() {
    let dir = region_dir("text");
    let a = dir.join("2-交通运输局.json");
    let (code, stdout, stderr) = jixiao(&["collect", SEED, a.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "汇总 2 个单位（文件 2 个）", "{stdout}");
    assert!(
        lines[1].starts_with(
            " 1. 兰州新区应急管理局 · 2022年度  预算 7750.69 万元 执行 7719.74 万元 执行率 99.60% · 项目 9 个 已评 9 个 · 优7 良1 中1 差0 · 错误 8 项"
        ),
        "{stdout}"
    );
    assert!(
        lines[1].ends_with("lanzhou-xinqu-emergency-2022.xlsx"),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with(
            " 2. 兰州新区交通运输局 · 2022年度  预算 1000 万元 执行 850.5 万元 执行率 85.05%"
        ),
        "{stdout}"
    );
    assert!(
        lines[3].starts_with(
            "合计  预算 8750.69 万元 执行 8570.24 万元 执行率 97.94% · 项目 18 个 已评 18 个 覆盖率 100.00% · 优13 良3 中2 差0"
        ),
        "{stdout}"
    );
    assert_eq!(lines.len(), 4, "{stdout}");

    // The whole directory: the damaged file and the duplicate are said.
    let (code, stdout, _) = jixiao(&["collect", dir.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("汇总 2 个单位（文件 4 个，无法读取 1 个，重复 1 个）"),
        "{stdout}"
    );
    assert!(
        stdout.contains(" 2. 3-损坏.xlsx  无法读取：“3-损坏.xlsx”既不是 Excel 工作簿"),
        "{stdout}"
    );
    assert!(stdout.contains("重复：1-应急管理局.xlsx 与 4-应急管理局-再次报送.xlsx 同为 兰州新区应急管理局 · 2022年度，采用 4-应急管理局-再次报送.xlsx（文件顺序靠后）"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A directory of what units send besides .xlsx: Excel 97–2003 (.xls, as WPS users keep
/// their forms), LibreOffice's .ods and a macro-enabled .xlsm are read, not skipped (a
/// region's totals without them would be short); a report (.docx) is no unit.
#[test]
fn collect_reads_xls_ods_and_xlsm_from_a_directory() {
    let dir = scratch("formats");
    let formats = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/formats/");
    std::fs::copy(
        format!("{formats}lanzhou-xinqu-emergency-2022.xls"),
        dir.join("1-应急管理局.xls"),
    )
    .unwrap();
    std::fs::write(dir.join("2-交通运输局.xlsm"), seed()).unwrap();
    std::fs::copy(
        format!("{formats}lanzhou-xinqu-emergency-2022.ods"),
        dir.join("3-应急管理局.ods"),
    )
    .unwrap();
    std::fs::write(dir.join("4-自评报告.docx"), b"PK\x03\x04 a report").unwrap();
    let (code, stdout, stderr) = jixiao(&["collect", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    // The .xlsm is the seed again, the .ods the .xls again: duplicates, said.
    assert!(
        stdout.starts_with("汇总 1 个单位（文件 3 个，重复 2 个）"),
        "{stdout}"
    );
    assert!(!stdout.contains("自评报告.docx"), "{stdout}");
    assert!(stdout.contains("1-应急管理局.xls"), "{stdout}");
    assert!(stdout.contains("3-应急管理局.ods"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn collect_refuses_bad_arguments() {
    let (code, _, stderr) = jixiao(&["collect"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("缺少要汇总的文件或目录"), "{stderr}");
    let (code, _, stderr) = jixiao(&["collect", "没有这个文件.json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("无法读取“没有这个文件.json”：文件或目录不存在"),
        "{stderr}"
    );
    let empty = scratch("empty");
    std::fs::write(empty.join("readme.txt"), "x").unwrap();
    let (code, _, stderr) = jixiao(&["collect", empty.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("没有找到可汇总的文件（.xlsx、.xlsm、.xls、.ods、.json、.html、.htm）"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&empty);
    let (code, _, stderr) = jixiao(&["collect", SEED, "--rules", "tiered"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("collect 命令不接受选项“--rules”"),
        "{stderr}"
    );
    let (code, _, stderr) = jixiao(&["collect", SEED, "--pages"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("未知选项“--pages”"), "{stderr}");
    let (code, _, stderr) = jixiao(&["collect", SEED, "--out"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--out 后应给出"), "{stderr}");
}

// ---------------------------------------------------------------------------------
// The 汇总表

struct Sheet {
    values: calamine::Range<Data>,
    styles: calamine::StyleRange,
}

impl Sheet {
    fn read(bytes: &[u8], name: &str) -> Sheet {
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        Sheet {
            values: book.worksheet_range(name).expect("sheet"),
            styles: book.worksheet_style(name).expect("styles"),
        }
    }

    fn get(&self, row: u32, col: u32) -> Data {
        self.values
            .get_value((row, col))
            .cloned()
            .unwrap_or(Data::Empty)
    }

    fn text(&self, row: u32, col: u32) -> String {
        match self.get(row, col) {
            Data::String(s) => s,
            Data::Empty => String::new(),
            other => panic!("({row}, {col}) is {other:?}, not text"),
        }
    }

    fn number(&self, row: u32, col: u32) -> f64 {
        match self.get(row, col) {
            Data::Float(x) => x,
            Data::Int(x) => x as f64,
            other => panic!("({row}, {col}) is {other:?}, not a number"),
        }
    }

    fn format(&self, row: u32, col: u32) -> String {
        self.styles
            .get((row, col))
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    }

    fn row(&self, row: u32) -> Vec<String> {
        let width = self.values.end().map_or(0, |(_, c)| c + 1);
        (0..width)
            .map(|c| match self.get(row, c) {
                Data::String(s) => s,
                Data::Empty => String::new(),
                other => other.to_string(),
            })
            .collect()
    }

    fn rows(&self) -> u32 {
        self.values.end().map_or(0, |(r, _)| r + 1)
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// A part of the package, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_workbook_reads_back() {
    let r = Review::from_files(&region());
    let bytes = io::review_export::write_review_xlsx(&r).unwrap();
    let book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.as_slice())).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["单位汇总", "项目明细", "核对结果", "重复文件"]
    );

    let units = Sheet::read(&bytes, "单位汇总");
    assert_eq!(
        units.row(0),
        [
            "文件",
            "单位名称",
            "年度",
            "落款日期",
            "预算数（万元）",
            "执行数（万元）",
            "执行率",
            "项目数",
            "已评项目数",
            "覆盖率",
            "优",
            "良",
            "中",
            "差",
            "单位总分",
            "单位等级",
            "错误",
            "其中填报数不一致",
            "提示",
            "说明"
        ]
    );
    assert_eq!(units.rows(), 5); // header, three files, 合计
                                 // The second unit.
    assert_eq!(units.text(1, 0), "交通运输局.json");
    assert_eq!(units.text(1, 1), TRANSPORT_NAME);
    assert!(close(units.number(1, 2), 2022.0));
    assert!(close(units.number(1, 4), 1000.0));
    assert!(close(units.number(1, 5), 850.5));
    assert!(close(units.number(1, 6), 0.8505));
    assert!(close(units.number(1, 9), 1.0));
    assert_eq!(
        (1..=4).map(|c| units.number(1, 9 + c)).collect::<Vec<_>>(),
        [6.0, 2.0, 1.0, 0.0]
    );
    assert!(close(units.number(1, 17), 11.0));
    // The damaged file: its message, no figures.
    assert_eq!(units.text(2, 0), "损坏.xlsx");
    assert_eq!(units.get(2, 4), Data::Empty);
    assert_eq!(units.get(2, 7), Data::Empty);
    assert_eq!(
        units.text(2, 19),
        "“损坏.xlsx”既不是 Excel 工作簿，也不是绩效自评 JSON 数据文件"
    );
    // The seed (its later copy).
    assert_eq!(units.text(3, 0), "应急管理局-再次报送.xlsx");
    assert_eq!(units.text(3, 1), SEED_NAME);
    assert!(close(units.number(3, 4), 7750.69));
    assert!(close(units.number(3, 5), 7719.74));
    assert!(close(units.number(3, 6), 7719.74 / 7750.69));
    assert!(close(units.number(3, 7), 9.0));
    assert_eq!(
        (1..=4).map(|c| units.number(3, 9 + c)).collect::<Vec<_>>(),
        [7.0, 1.0, 1.0, 0.0]
    );
    // 合计.
    assert_eq!(units.text(4, 0), "合计");
    assert_eq!(units.text(4, 1), "2 个单位");
    assert!(close(units.number(4, 4), 8750.69));
    assert!(close(units.number(4, 5), 8570.24));
    assert!(close(units.number(4, 6), 8570.24 / 8750.69));
    assert!(close(units.number(4, 7), 18.0));
    assert!(close(units.number(4, 8), 18.0));
    assert_eq!(
        (1..=4).map(|c| units.number(4, 9 + c)).collect::<Vec<_>>(),
        [13.0, 3.0, 2.0, 0.0]
    );
    assert!(units.text(4, 19).contains("1 个文件无法读取"));
    assert!(units.text(4, 19).contains("1 个重复文件未计入"));
    // Number formats: amounts 0.00, rates 0.00%.
    for row in [1, 3, 4] {
        assert_eq!(units.format(row, 4), "0.00");
        assert_eq!(units.format(row, 5), "0.00");
        assert_eq!(units.format(row, 6), "0.00%");
        assert_eq!(units.format(row, 9), "0.00%");
    }

    let projects = Sheet::read(&bytes, "项目明细");
    assert_eq!(
        projects.row(0),
        [
            "单位",
            "项目",
            "预算数（万元）",
            "执行数（万元）",
            "执行率",
            "总分",
            "等级"
        ]
    );
    assert_eq!(projects.rows(), 1 + 18);
    assert_eq!(projects.text(1, 0), TRANSPORT_NAME);
    assert_eq!(projects.text(1, 1), "档案整理专项");
    assert!(close(projects.number(1, 2), 16.0));
    assert!(close(projects.number(1, 3), 8.0));
    assert!(close(projects.number(1, 4), 0.5));
    assert!(close(projects.number(1, 5), 89.47));
    assert_eq!(projects.text(1, 6), "良");
    assert_eq!(projects.text(10, 0), SEED_NAME);
    assert!(close(projects.number(10, 3), 15.14353));
    assert_eq!(projects.format(10, 3), "0.00");
    assert_eq!(projects.format(10, 4), "0.00%");
    assert_eq!(projects.format(10, 5), "0.00");

    let findings = Sheet::read(&bytes, "核对结果");
    assert_eq!(findings.row(0), ["单位", "项目", "类别", "核对结果"]);
    assert_eq!(findings.rows() as usize, 1 + r.findings.len());
    let unit_rate = (1..findings.rows())
        .find(|&row| findings.text(row, 0) == SEED_NAME && findings.text(row, 3).contains("99.36%"))
        .expect("the seed's typed unit rate");
    assert_eq!(findings.text(unit_rate, 1), "单位整体");
    assert_eq!(findings.text(unit_rate, 2), "错误");
    assert!(
        (1..findings.rows()).any(|row| findings.text(row, 0) == TRANSPORT_NAME
            && findings.text(row, 1) == "档案整理专项"
            && findings.text(row, 3).contains("自评等级填报为“优”"))
    );

    let dups = Sheet::read(&bytes, "重复文件");
    assert_eq!(
        dups.row(0),
        ["文件", "单位名称", "年度", "落款日期", "采用的文件", "原因"]
    );
    assert_eq!(dups.text(1, 0), "应急管理局.xlsx");
    assert_eq!(dups.text(1, 1), SEED_NAME);
    assert_eq!(dups.text(1, 4), "应急管理局-再次报送.xlsx");
    assert_eq!(dups.text(1, 5), "文件顺序靠后");

    // Every sheet: the header row frozen, widths set, the widest text column wide.
    for n in 1..=4 {
        let xml = part(&bytes, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(
            xml.contains(
                r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            ),
            "sheet{n}: {xml:.600}"
        );
        assert!(xml.contains("<cols>"), "sheet{n}");
        assert!(xml.contains("<autoFilter "), "sheet{n}");
    }
    let xml = part(&bytes, "xl/worksheets/sheet2.xml");
    // 项目: “兰州新区危险化学品产业转移安全设计诊断项目”, 21 characters wide twice.
    assert!(
        xml.contains(r#"<col min="2" max="2" width="44.7109375" customWidth="1"/>"#),
        "{xml:.900}"
    );
    // No 重复文件 sheet without duplicates.
    let one = Review::from_files(&[("seed.xlsx", seed())]);
    let bytes = io::review_export::write_review_xlsx(&one).unwrap();
    let book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.as_slice())).unwrap();
    assert_eq!(book.sheet_names(), ["单位汇总", "项目明细", "核对结果"]);
    // Not a unit's workbook.
    assert!(io::review_export::is_review_workbook(&bytes));
    assert!(!io::review_export::is_review_workbook(&seed()));
}

// ---------------------------------------------------------------------------------
// A page saved with 另存为HTML

/// The second unit saved as the page saves it: `www/template.js` renders the file with
/// the unit in its data block (the page's scripts left out: only the data is read).
/// `None` without Node.js.
fn saved_page(unit: &Value) -> Option<Vec<u8>> {
    let template = concat!(env!("CARGO_MANIFEST_DIR"), "/www/template.js");
    let script = r#"
        const fs = require('fs');
        const t = require(process.argv[1]);
        const unit = JSON.parse(fs.readFileSync(0, 'utf8'));
        process.stdout.write(t.render({
          title: unit.name + ' · 绩效自评', csp: "default-src 'none'", css: 'body{}',
          data: JSON.stringify({ example: false, unit: unit }),
          check: '', unpack: '', wasm: '', wasmLength: 0, wasmSize: 0, glue: '',
          template: fs.readFileSync(process.argv[1], 'utf8'), app: ''
        }));"#;
    use std::io::Write;
    let mut child = Command::new("node")
        .args(["-e", script, template])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(unit.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node rendered the page");
    Some(out.stdout)
}

#[test]
fn a_saved_page_is_reviewed_as_its_unit() {
    let mut unit = transport();
    // A name that would end the script element if it were not escaped.
    unit["name"] = "兰州新区交通运输局</script><b>".into();
    let Some(page) = saved_page(&unit) else {
        eprintln!("note: Node.js not found, the saved-page case is skipped");
        return;
    };
    let text = String::from_utf8(page.clone()).unwrap();
    assert!(text.contains(r#"<script type="application/json" id="jixiao-data">"#));
    assert!(text.contains(r"\u003C/script>\u003Cb>"));
    let r = Review::from_files(&[
        ("交通运输局_2022_绩效自评.html", page),
        ("交通运输局.json", serde_json::to_vec(&transport()).unwrap()),
    ]);
    let u = &r.units[0];
    assert_eq!(u.message, None);
    assert_eq!(u.name.as_deref(), Some("兰州新区交通运输局</script><b>"));
    assert_eq!(s(u.budget), "1000");
    assert_eq!(pct(u.rate_percent), "85.05");
    assert_eq!(u.projects, Some(9));
    // The same figures as the data file's.
    let json = serde_json::to_value(&r.units[1]).unwrap();
    let page = serde_json::to_value(u).unwrap();
    for field in [
        "budget",
        "executed",
        "rate_percent",
        "grades",
        "errors",
        "mismatches",
    ] {
        assert_eq!(page[field], json[field], "{field}");
    }
    // The fresh app is not a unit's saved copy.
    let fresh = text.replacen(
        &text[text.find("id=\"jixiao-data\">").unwrap()..text.find("</script>").unwrap()],
        "id=\"jixiao-data\">{\"example\":true,\"packed\":true}",
        1,
    );
    let r = Review::from_files(&[("jixiao.html", fresh)]);
    assert!(
        r.units[0]
            .message
            .as_deref()
            .unwrap()
            .starts_with("“jixiao.html”是绩效自评程序本身"),
        "{:?}",
        r.units[0].message
    );
}
