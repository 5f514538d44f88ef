//! Shared by the native benchmarks (`cargo bench`): a deterministic synthetic unit, the
//! standard-layout workbook written from it, a small timing loop (warm-up, then the
//! median of several runs) and the results file that `tests/e2e/bench.js` reads.
//!
//! Run by `cargo bench` (cargo passes `--bench`), each benchmark times its runs and
//! writes `target/bench/native-<name>.json`. Run by `cargo test --all-targets` (no
//! `--bench`), it only smoke-runs every measured path once on a small unit and writes
//! nothing: timings are never asserted anywhere.
#![allow(dead_code)] // each bench binary uses its own part of this module

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use jixiao::model::{FundRow, Funds, Goal, Indicator, Project, ProjectTyped, Task, Unit};
use jixiao::rules::Rulebook;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook};

/// Where benchmark inputs and results go: `<crate>/target/bench`.
pub fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).expect("create target/bench");
    dir
}

pub fn seed_workbook() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/lanzhou-xinqu-emergency-2022.xlsx");
    std::fs::read(path).expect("read the seed workbook")
}

// ------------------------------------------------------------------ synthetic data --

/// splitmix64: a fixed, dependency-free mix so the unit is the same on every machine.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn pick(project: usize, row: usize, salt: u64, modulo: u64) -> u64 {
    mix(((project as u64) << 20) ^ ((row as u64) << 4) ^ salt) % modulo
}

fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

/// `total` (in hundredths) shared among `n` rows exactly: each gets floor(total/n),
/// the first rows one hundredth more until the sum is exact.
fn split_weight(total_hundredths: i64, n: usize) -> Vec<Decimal> {
    let n = n.max(1) as i64;
    let base = total_hundredths / n;
    let extra = total_hundredths - base * n;
    (0..n)
        .map(|i| dec(base + i64::from(i < extra), 2))
        .collect()
}

const REASON: &str = "受疫情影响部分工作延后实施，下一年度将加强调度，按计划推进。";

/// One indicator of project `p`, row `r`, of level `level1` with weight `w`: a mix of
/// the forms' kinds (≥ counts, percentages, =, ≤ days, qualitative bands), mostly met,
/// some short of target with a reason, so every scoring path is exercised.
fn indicator(p: usize, r: usize, level1: &str, level2: &str, w: Decimal) -> Indicator {
    let short = pick(p, r, 1, 7) == 0; // about one row in seven misses its target
    let mut ind = Indicator {
        level1: level1.to_string(),
        level2: level2.to_string(),
        weight: Some(w).into(),
        ..Indicator::default()
    };
    let kind = if level1 == jixiao::glossary::SATISFACTION {
        1
    } else {
        (r + p) % 5
    };
    match kind {
        0 => {
            let target = 20 + pick(p, r, 2, 480);
            let actual = if short { target * 9 / 10 } else { target };
            ind.name = format!("完成服务事项数量（第{}项）", r + 1);
            ind.target = format!("≥{target}个");
            ind.actual = format!("{actual}个");
        }
        1 => {
            let target = 85 + pick(p, r, 3, 11);
            let actual = if short {
                target - 3
            } else {
                (target + pick(p, r, 4, 4)).min(100)
            };
            ind.name = format!("服务对象满意度（第{}项）", r + 1);
            ind.target = format!("≥{target}%");
            ind.actual = format!("{actual}%");
        }
        2 => {
            ind.name = format!("完成验收的子项目数（第{}项）", r + 1);
            ind.target = "=1项".into();
            ind.actual = if short { "0项" } else { "1项" }.into();
        }
        3 => {
            let target = 30 + pick(p, r, 5, 60);
            let actual = if short {
                target + 5
            } else {
                target - pick(p, r, 6, 5)
            };
            ind.name = format!("平均办理时限（第{}项）", r + 1);
            ind.target = format!("≤{target}天");
            ind.actual = format!("{actual}天");
        }
        _ => {
            ind.name = format!("工作机制运行成效（第{}项）", r + 1);
            ind.target = "效果显著".into();
            if short {
                ind.actual = jixiao::glossary::BANDS[1].0.into();
                ind.typed_score = Some((w * dec(7, 1)).round_dp(2)).into();
            } else {
                ind.actual = jixiao::glossary::BANDS[0].0.into();
                ind.typed_score = Some(w).into();
            }
        }
    }
    if short {
        ind.reason = REASON.into();
    }
    ind
}

fn fund_row(initial: Decimal, budget: Decimal, executed: Decimal) -> FundRow {
    FundRow {
        initial: Some(initial).into(),
        budget: Some(budget).into(),
        executed: Some(executed).into(),
        ..FundRow::default()
    }
}

/// A unit of `projects` projects with `indicators` indicators each (产出 60%, 效益 25%,
/// 满意度 the rest of the rows; weights 50/30/10 shared exactly), deterministic. The
/// typed figures (执行率, 总分, 等级) are filled with the computed ones, so the audit runs
/// on every project; one project in forty has a mistyped total, as real forms do.
pub fn synthetic_unit(projects: usize, indicators: usize) -> Unit {
    use jixiao::glossary::{BENEFIT, OUTPUT, SATISFACTION};
    let indicators = indicators.max(3);
    let n_output = (indicators * 6 / 10).max(1);
    let n_benefit = (indicators / 4).max(1);
    let n_satisfaction = indicators - n_output - n_benefit;
    let levels = [
        (
            OUTPUT,
            ["数量指标", "质量指标", "时效指标", "成本指标"].as_slice(),
            n_output,
            5000,
        ),
        (
            BENEFIT,
            ["社会效益指标", "可持续影响指标"].as_slice(),
            n_benefit,
            3000,
        ),
        (
            SATISFACTION,
            ["服务对象满意度指标"].as_slice(),
            n_satisfaction,
            1000,
        ),
    ];
    let zero = Decimal::ZERO;
    let mut unit = Unit {
        schema_version: jixiao::model::SCHEMA_VERSION,
        name: "基准测试应急管理局".into(),
        year: Some(2022).into(),
        addressee: "基准测试财政局".into(),
        basis: "关于开展2022年度预算执行情况绩效自评工作的通知".into(),
        basis_number: "测财发〔2023〕1号".into(),
        date: "2023年3月17日".into(),
        tasks: (1..=3)
            .map(|i| Task {
                name: format!("年度重点任务{i}"),
                content: format!("按年度计划完成重点任务{i}的各项工作"),
                completion: "已按计划完成".into(),
            })
            .collect(),
        goal: Goal {
            expected: "完成年度各项工作任务，提升应急管理能力".into(),
            actual: "年度各项工作任务基本完成".into(),
        },
        ..Unit::default()
    };
    let (mut sum_budget, mut sum_executed) = (zero, zero);
    for p in 0..projects {
        // Budget 10.00 … 2009.99 万元; a third fully spent, most 90 % … 100 %, one
        // in twenty-five below 90 % (a low-execution warning, explained).
        let budget = dec(1000 + pick(p, 0, 10, 200_000) as i64, 2);
        let rate = match pick(p, 0, 11, 75) {
            0..=24 => Decimal::ONE,
            25..=27 => dec(6000 + pick(p, 0, 12, 3000) as i64, 4),
            _ => dec(9000 + pick(p, 0, 12, 1000) as i64, 4),
        };
        let executed = (budget * rate).round_dp(2);
        sum_budget += budget;
        sum_executed += executed;
        let mut rows = Vec::with_capacity(indicators);
        for (level1, level2s, n, weight) in levels {
            for (i, w) in split_weight(weight, n).into_iter().enumerate() {
                let r = rows.len();
                rows.push(indicator(p, r, level1, level2s[i % level2s.len()], w));
            }
        }
        unit.projects.push(Project {
            name: format!("基准项目{:04}", p + 1),
            department: "基准测试应急管理局".into(),
            implementer: format!("基准测试中心{}", p % 7 + 1),
            funds: Funds {
                total: fund_row(budget, budget, executed),
                fiscal: Some(fund_row(budget, budget, executed)),
                carryover: Some(fund_row(zero, zero, zero)),
                other: Some(fund_row(zero, zero, zero)),
                ..Funds::default()
            },
            execution_weight: Some(Decimal::TEN).into(),
            goal: Goal {
                expected: format!("按计划实施基准项目{:04}，完成年度绩效目标", p + 1),
                actual: "年度绩效目标基本完成".into(),
            },
            indicators: rows,
            deviation: REASON.into(),
            typed: ProjectTyped::default(),
        });
    }
    unit.funds = Some(Funds {
        total: fund_row(sum_budget, sum_budget, sum_executed),
        ..Funds::default()
    });

    // Typed figures as a careful person would have typed them.
    let eval = jixiao::evaluate(&unit, &Rulebook::default());
    for (i, (project, score)) in unit
        .projects
        .iter_mut()
        .zip(&eval.scores.projects)
        .enumerate()
    {
        project.funds.total.typed_rate = score.rate_percent.into();
        project.typed.total = score.total.into();
        project.typed.grade = score.grade.clone();
        if i % 40 == 39 {
            project.typed.total = score.total.map(|t| t - Decimal::ONE).into();
        }
    }
    if let Some(funds) = unit.funds.as_mut() {
        funds.total.typed_rate = eval.scores.unit.rate_percent.into();
    }
    unit
}

// ------------------------------------------------------------------------ workbook --

/// The unit as a workbook in the central 2020 layout that `jixiao::io::load` reads: a
/// 部门（单位）整体支出绩效自评表 sheet and one 项目支出绩效自评表 sheet per project.
/// Written cell by cell here (not by the report exporter), so the import can be
/// measured whatever state the exporters are in.
pub fn workbook(unit: &Unit) -> Vec<u8> {
    let mut book = Workbook::new();
    let pct = Format::new().set_num_format("0.00%");
    let num = |x: &jixiao::model::Figure| {
        x.value()
            .map(|d| d.to_string().parse::<f64>().unwrap_or(0.0))
    };
    let year = unit.year.value().unwrap_or(2022);

    {
        let ws = book.add_worksheet();
        ws.set_name("部门整体").unwrap();
        let total = unit.funds.clone().unwrap_or_default().total;
        let mut r = 0u32;
        ws.write_string(r, 0, "部门（单位）整体支出绩效自评表")
            .unwrap();
        r += 1;
        ws.write_string(r, 0, format!("（{year}年度）")).unwrap();
        r += 1;
        ws.write_string(r, 0, "部门（单位）名称").unwrap();
        ws.write_string(r, 1, &unit.name).unwrap();
        r += 1;
        for (c, label) in [
            "年度预算执行情况（万元）",
            "",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(r, c as u16, *label).unwrap();
        }
        r += 1;
        ws.write_string(r, 1, "年度资金总额").unwrap();
        for (c, v) in [
            (2, &total.initial),
            (3, &total.budget),
            (4, &total.executed),
        ] {
            if let Some(x) = num(v) {
                ws.write_number(r, c, x).unwrap();
            }
        }
        ws.write_number(r, 5, 10.0).unwrap();
        if let Some(x) = num(&total.typed_rate) {
            ws.write_number_with_format(r, 6, x / 100.0, &pct).unwrap();
        }
        r += 1;
        ws.write_string(r, 0, "年度主要任务").unwrap();
        ws.write_string(r, 1, "任务名称").unwrap();
        ws.write_string(r, 3, "主要内容").unwrap();
        ws.write_string(r, 5, "完成情况").unwrap();
        for task in &unit.tasks {
            r += 1;
            ws.write_string(r, 1, &task.name).unwrap();
            ws.write_string(r, 3, &task.content).unwrap();
            ws.write_string(r, 5, &task.completion).unwrap();
        }
        r += 1;
        ws.write_string(r, 0, "年度总体目标").unwrap();
        ws.write_string(r, 1, "预期目标").unwrap();
        ws.write_string(r, 4, "实际完成情况").unwrap();
        r += 1;
        ws.write_string(r, 1, &unit.goal.expected).unwrap();
        ws.write_string(r, 4, &unit.goal.actual).unwrap();
    }

    for (i, p) in unit.projects.iter().enumerate() {
        let ws = book.add_worksheet();
        ws.set_name(format!("{}.{}", i + 1, p.name)).unwrap();
        let mut r = 0u32;
        let s = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, t: &str| {
            if !t.is_empty() {
                ws.write_string(r, c, t).unwrap();
            }
        };
        s(ws, r, 0, "项目支出绩效自评表");
        r += 1;
        s(ws, r, 0, &format!("（{year}年度）"));
        r += 1;
        s(ws, r, 0, "项目名称");
        s(ws, r, 1, &p.name);
        r += 1;
        s(ws, r, 0, "主管部门");
        s(ws, r, 1, &p.department);
        s(ws, r, 4, "实施单位");
        s(ws, r, 5, &p.implementer);
        r += 1;
        for (c, label) in [
            "项目资金（万元）",
            "",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ]
        .iter()
        .enumerate()
        {
            s(ws, r, c as u16, label);
        }
        let rows = [
            ("年度资金总额", Some(&p.funds.total)),
            ("其中：当年财政拨款", p.funds.fiscal.as_ref()),
            ("上年结转资金", p.funds.carryover.as_ref()),
            ("其他资金", p.funds.other.as_ref()),
        ];
        for (k, (label, row)) in rows.iter().enumerate() {
            r += 1;
            s(ws, r, 1, label);
            let Some(row) = row else { continue };
            for (c, v) in [(2, &row.initial), (3, &row.budget), (4, &row.executed)] {
                if let Some(x) = num(v) {
                    ws.write_number(r, c, x).unwrap();
                }
            }
            if k == 0 {
                ws.write_number(r, 5, 10.0).unwrap();
                if let Some(x) = num(&row.typed_rate) {
                    ws.write_number_with_format(r, 6, x / 100.0, &pct).unwrap();
                }
            } else {
                s(ws, r, 5, "—");
                s(ws, r, 7, "—");
            }
        }
        r += 1;
        s(ws, r, 0, "年度总体目标");
        s(ws, r, 1, "预期目标");
        s(ws, r, 5, "实际完成情况");
        r += 1;
        s(ws, r, 1, &p.goal.expected);
        s(ws, r, 5, &p.goal.actual);
        r += 1;
        for (c, label) in [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ]
        .iter()
        .enumerate()
        {
            s(ws, r, c as u16, label);
        }
        for ind in &p.indicators {
            r += 1;
            s(ws, r, 1, &ind.level1);
            s(ws, r, 2, &ind.level2);
            s(ws, r, 3, &ind.name);
            s(ws, r, 4, &ind.target);
            s(ws, r, 5, &ind.actual);
            if let Some(x) = num(&ind.weight) {
                ws.write_number(r, 6, x).unwrap();
            }
            if let Some(x) = num(&ind.typed_score) {
                ws.write_number(r, 7, x).unwrap();
            }
            s(ws, r, 8, &ind.reason);
        }
        r += 1;
        s(ws, r, 0, "总分");
        ws.write_number(r, 6, 100.0).unwrap();
        if let Some(x) = num(&p.typed.total) {
            ws.write_number(r, 7, x).unwrap();
        }
        r += 1;
        s(ws, r, 0, "自评等级");
        s(ws, r, 1, p.typed.grade.as_deref().unwrap_or(""));
    }
    book.save_to_buffer().expect("write the benchmark workbook")
}

// ------------------------------------------------------------------------- timing --

/// One measured (or unavailable) line of the results.
pub struct Entry {
    pub id: String,
    pub label: String,
    pub runs: usize,
    pub median_ms: Option<f64>,
    pub min_ms: Option<f64>,
    pub max_ms: Option<f64>,
    /// `ok`, or why there is no timing (e.g. the exporter still says 尚未实现).
    pub status: String,
    pub note: String,
}

pub struct Bench {
    name: &'static str,
    /// `cargo bench` (timed) rather than `cargo test` (smoke run once).
    pub timed: bool,
    /// `cargo bench --bench NAME -- TEXT`: only the lines whose id contains TEXT are
    /// timed (e.g. for a profiler), and no results file is written.
    filter: Option<String>,
    /// The last line was filtered out (its note is dropped too).
    skipped: bool,
    entries: Vec<Entry>,
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

impl Bench {
    pub fn new(name: &'static str) -> Bench {
        let timed = std::env::args().any(|a| a == "--bench");
        let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
        if timed {
            println!("== native benchmarks: {name} ==");
        }
        Bench {
            name,
            timed,
            filter,
            skipped: false,
            entries: Vec::new(),
        }
    }

    fn selected(&self, id: &str) -> bool {
        self.filter.as_ref().is_none_or(|f| id.contains(f.as_str()))
    }

    /// Size of the synthetic unit: the benchmark's, or a small one for the smoke run.
    pub fn size(&self, projects: usize) -> usize {
        if self.timed {
            projects
        } else {
            3
        }
    }

    /// Runs `f` `warmup` times, then `runs` times timed; records the median.
    pub fn time<T>(
        &mut self,
        id: &str,
        label: &str,
        warmup: usize,
        runs: usize,
        mut f: impl FnMut() -> T,
    ) -> Option<f64> {
        if !self.timed {
            black_box(f());
            return None;
        }
        self.skipped = !self.selected(id);
        if self.skipped {
            return None;
        }
        for _ in 0..warmup {
            black_box(f());
        }
        let mut samples: Vec<f64> = (0..runs.max(1))
            .map(|_| {
                let start = Instant::now();
                black_box(f());
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        samples.sort_by(f64::total_cmp);
        let m = median(&samples);
        println!(
            "{label:<58} median {m:>10.3} ms  (min {:.3}, max {:.3}, {} runs)",
            samples[0],
            samples[samples.len() - 1],
            samples.len()
        );
        self.entries.push(Entry {
            id: id.into(),
            label: label.into(),
            runs: samples.len(),
            median_ms: Some(m),
            min_ms: Some(samples[0]),
            max_ms: Some(samples[samples.len() - 1]),
            status: "ok".into(),
            note: String::new(),
        });
        Some(m)
    }

    /// A line with no timing and why (e.g. the exporter is not there yet).
    pub fn unavailable(&mut self, id: &str, label: &str, status: &str) {
        self.skipped = !self.selected(id);
        if self.skipped {
            return;
        }
        if self.timed {
            println!("{label:<58} 未测：{status}");
        }
        self.entries.push(Entry {
            id: id.into(),
            label: label.into(),
            runs: 0,
            median_ms: None,
            min_ms: None,
            max_ms: None,
            status: status.into(),
            note: String::new(),
        });
    }

    /// A remark on the last line (sizes, counts).
    pub fn note(&mut self, note: &str) {
        if self.skipped {
            return;
        }
        if let Some(last) = self.entries.last_mut() {
            last.note = note.into();
        }
        if self.timed {
            println!("{:<58} {note}", "");
        }
    }

    /// Writes `target/bench/native-<name>.json` (only when timed).
    pub fn finish(self) {
        if !self.timed || self.filter.is_some() {
            return;
        }
        let num = |x: Option<f64>| x.map_or("null".to_string(), |v| format!("{v:.4}"));
        let mut json = String::new();
        let _ = write!(json, "{{\"bench\":{:?},\"entries\":[", self.name);
        for (i, e) in self.entries.iter().enumerate() {
            let _ = write!(
                json,
                "{}\n{{\"id\":{},\"label\":{},\"runs\":{},\"medianMs\":{},\"minMs\":{},\"maxMs\":{},\"status\":{},\"note\":{}}}",
                if i == 0 { "" } else { "," },
                serde_json::to_string(&e.id).unwrap(),
                serde_json::to_string(&e.label).unwrap(),
                e.runs,
                num(e.median_ms),
                num(e.min_ms),
                num(e.max_ms),
                serde_json::to_string(&e.status).unwrap(),
                serde_json::to_string(&e.note).unwrap(),
            );
        }
        json.push_str("\n]}\n");
        let path = out_dir().join(format!("native-{}.json", self.name));
        std::fs::write(&path, json).expect("write the results");
        println!("→ {}", path.display());
    }
}

/// Bytes in a short human form.
pub fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.2} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.0} KB", bytes as f64 / 1024.0)
    }
}
