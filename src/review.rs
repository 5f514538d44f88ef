//! The finance bureau's review (汇总): every spring the 财政局 receives one file per
//! budget unit — a copy of the page saved with 另存为HTML, a JSON data file or a
//! workbook — and checks, totals and publishes them. A [`Review`] is one row per unit,
//! the region's totals, the duplicates set aside, and every project and finding with
//! its unit (for the 汇总表 workbook, [`crate::io::review_export`]).
//!
//! Each file is read as the page or `jixiao evaluate` reads it ([`crate::io::load`]) and
//! scored by the unit's own rules ([`Rulebook::of_unit`]). A file that cannot be read is
//! a row with its `message` and no figures; the others still total.
//!
//! # Totals
//!
//! Sums over the units read: budget, executed (each over the units that have it),
//! projects, evaluated, grades, errors, warnings, mismatches. The region's execution
//! rate is Σexecuted ÷ Σbudget (not an average of the units' rates), its coverage
//! Σevaluated ÷ Σprojects.
//!
//! # Duplicates
//!
//! Two files hold the same unit when they have the same name (trimmed, not empty) and
//! the same year. Of such files one is kept, and each other one is listed in
//! `duplicates` with the file it duplicates; its projects and findings are left out.
//! The file kept is the newer one: when every copy has a readable 落款日期 (the report's
//! date, `date`: `2023年3月17日`, `2023-03-17`…), the one with the latest date (of
//! equal dates, the later file in the order given); otherwise the later file in the
//! order given (for a directory, by file name). The kept row stays at its own place in
//! the order.
//!
//! No file system here: the files come in as names and bytes (or already loaded), so
//! this runs in the browser too. Every decimal is kept as [`Decimal`] and serialised as
//! a string as `jixiao evaluate --json` prints it: amounts as entered (`"7750.69"`),
//! percentages and scores with 2 decimals (`"99.60"`).

use std::collections::HashMap;
use std::fmt::Write;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::finding::{Finding, Severity};
use crate::io::{self, Imported};
use crate::rules::Rulebook;
use crate::scoring::{execution_rate, fmt2, fmt_plain, percent2, GradeCounts};
use crate::summary::FindingSummary;

/// The audit's code for a typed figure that disagrees with the computed one.
pub const MISMATCH_CODE: &str = "typed_mismatch";

fn plain<S: Serializer>(x: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    x.map(fmt_plain).serialize(s)
}

fn two<S: Serializer>(x: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    x.map(fmt2).serialize(s)
}

/// The columns of decimals [`Review::order_by`] sorts by.
pub const ORDER_COLUMNS: [&str; 5] = ["budget", "executed", "rate", "coverage", "total"];

/// A file as the review receives it: its name and what reading it gave.
#[derive(Debug, Clone)]
pub struct Input {
    pub file: String,
    pub loaded: Result<Imported, String>,
}

impl Input {
    /// A file's bytes, read by their content ([`io::load`]: workbook, JSON or saved
    /// page). A 汇总表 written by the review is not a unit's file.
    pub fn read(file: &str, bytes: &[u8]) -> Input {
        let loaded = if io::review_export::is_review_workbook(bytes) {
            Err(format!(
                "“{file}”是绩效自评汇总表，不是单位报送的自评文件，未计入"
            ))
        } else {
            io::load(bytes, file)
        };
        Input {
            file: file.to_string(),
            loaded,
        }
    }

    /// A file that could not even be opened: the message says why.
    pub fn unreadable(file: &str, message: String) -> Input {
        Input {
            file: file.to_string(),
            loaded: Err(message),
        }
    }
}

/// One unit (one file), as the 单位汇总 sheet lists it. A file that could not be read
/// has only `file` and `message`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UnitRow {
    pub file: String,
    pub name: Option<String>,
    pub year: Option<i32>,
    /// 落款日期 as written, when there is one.
    pub date: Option<String>,
    /// 万元, as entered (or the projects' sum when the unit has no funds block).
    #[serde(serialize_with = "plain")]
    pub budget: Option<Decimal>,
    #[serde(serialize_with = "plain")]
    pub executed: Option<Decimal>,
    /// executed ÷ budget, exact (the workbook's `0.00%` cell).
    #[serde(skip)]
    pub rate: Option<Decimal>,
    #[serde(serialize_with = "two")]
    pub rate_percent: Option<Decimal>,
    pub projects: Option<usize>,
    pub evaluated: Option<usize>,
    #[serde(serialize_with = "two")]
    pub coverage_percent: Option<Decimal>,
    pub grades: Option<GradeCounts>,
    /// 总分 and 自评等级 of the unit's own form (部门整体绩效指标), where it has one.
    #[serde(serialize_with = "two")]
    pub total: Option<Decimal>,
    pub grade: Option<String>,
    /// The rulebook's name the unit was scored by.
    pub rules: Option<String>,
    /// Findings by severity (the importer's included); `mismatches` are the errors
    /// that are typed figures disagreeing with the computed ones.
    pub errors: Option<usize>,
    pub warnings: Option<usize>,
    pub mismatches: Option<usize>,
    /// Why the file could not be read (it then has no figures).
    pub message: Option<String>,
}

/// The region's totals over the units read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Units read and totalled (duplicates set aside), files unreadable, duplicates.
    pub units: usize,
    pub unreadable: usize,
    pub duplicates: usize,
    #[serde(serialize_with = "plain")]
    pub budget: Option<Decimal>,
    #[serde(serialize_with = "plain")]
    pub executed: Option<Decimal>,
    /// Σexecuted ÷ Σbudget, exact.
    #[serde(skip)]
    pub rate: Option<Decimal>,
    #[serde(serialize_with = "two")]
    pub rate_percent: Option<Decimal>,
    pub projects: usize,
    pub evaluated: usize,
    #[serde(serialize_with = "two")]
    pub coverage_percent: Option<Decimal>,
    pub grades: GradeCounts,
    pub errors: usize,
    pub warnings: usize,
    pub mismatches: usize,
}

/// A file set aside: the same unit (name and year) as `duplicate_of`, which was kept.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    pub file: String,
    pub name: String,
    pub year: Option<i32>,
    pub date: Option<String>,
    pub duplicate_of: String,
    /// Why the other file was kept (落款日期较晚, or 文件顺序靠后).
    pub reason: String,
}

/// A project with its unit, for the 项目明细 sheet.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectRow {
    pub file: String,
    pub unit: String,
    pub name: String,
    #[serde(serialize_with = "plain")]
    pub budget: Option<Decimal>,
    #[serde(serialize_with = "plain")]
    pub executed: Option<Decimal>,
    #[serde(skip)]
    pub rate: Option<Decimal>,
    #[serde(serialize_with = "two")]
    pub rate_percent: Option<Decimal>,
    #[serde(serialize_with = "two")]
    pub total: Option<Decimal>,
    pub grade: Option<String>,
}

/// A finding with its unit, for the 核对结果 sheet.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub file: String,
    pub unit: String,
    #[serde(flatten)]
    pub finding: FindingSummary,
}

/// The review of a region's files.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Review {
    /// One row per file in the order given, duplicates set aside.
    pub units: Vec<UnitRow>,
    pub totals: Totals,
    pub duplicates: Vec<Duplicate>,
    /// Every project of the units kept, unit by unit.
    pub projects: Vec<ProjectRow>,
    /// Every finding of the units kept (the importer's first), unit by unit.
    pub findings: Vec<FindingRow>,
}

/// `{ units, totals, duplicates }`: what `jixiao collect --json` prints.
#[derive(Serialize)]
struct Overview<'a> {
    units: &'a [UnitRow],
    totals: &'a Totals,
    duplicates: &'a [Duplicate],
}

/// What makes two files the same unit: its name (trimmed) and year.
type UnitKey = (String, Option<i32>);
/// A calendar date (year, month, day), comparable.
type Date = (i32, u32, u32);

/// A file read and scored, before the duplicates are set aside.
#[derive(Clone)]
struct Reviewed {
    row: UnitRow,
    /// Set when the unit is named.
    key: Option<UnitKey>,
    date: Option<Date>,
    projects: Vec<ProjectRow>,
    findings: Vec<FindingRow>,
}

impl Review {
    /// Review files given as (name, bytes), in that order.
    pub fn from_files<N: AsRef<str> + Sync, B: AsRef<[u8]> + Sync>(files: &[(N, B)]) -> Review {
        Review::assemble(map_in_order(files.iter().collect(), |(name, bytes)| {
            review_one(Input::read(name.as_ref(), bytes.as_ref()))
        }))
    }

    /// Review files given as (name, bytes or why they could not be read), in that order.
    pub fn from_read_files(files: Vec<(String, Result<Vec<u8>, String>)>) -> Review {
        Review::assemble(map_in_order(files, |(name, bytes)| {
            review_one(match bytes {
                Ok(bytes) => Input::read(&name, &bytes),
                Err(message) => Input::unreadable(&name, message),
            })
        }))
    }

    /// Review files already read, in that order.
    pub fn from_inputs(inputs: Vec<Input>) -> Review {
        Review::assemble(map_in_order(inputs, review_one))
    }

    /// The order of the rows (indices into `units`) by a column of decimals, smallest
    /// first, rows without the figure last (a column the page sorts by: `budget`,
    /// `executed`, `rate`, `coverage`, `total`); `None` for another name.
    pub fn order_by(&self, column: &str) -> Option<Vec<usize>> {
        let get: fn(&UnitRow) -> Option<Decimal> = match column {
            "budget" => |u| u.budget,
            "executed" => |u| u.executed,
            "rate" => |u| u.rate,
            "coverage" => |u| u.coverage_percent,
            "total" => |u| u.total,
            _ => return None,
        };
        let mut order: Vec<usize> = (0..self.units.len()).collect();
        // Stable: equal figures keep the files' order.
        order.sort_by_key(|&i| {
            let x = get(&self.units[i]);
            (x.is_none(), x)
        });
        Some(order)
    }

    /// The rows of the files reviewed, less the duplicates, and the totals.
    fn assemble(reviewed: Vec<Reviewed>) -> Review {
        let dropped = duplicates(&reviewed);
        let mut review = Review::default();
        for (i, r) in reviewed.into_iter().enumerate() {
            if let Some((kept, reason)) = dropped.get(&i) {
                review.duplicates.push(Duplicate {
                    file: r.row.file,
                    name: r.row.name.unwrap_or_default(),
                    year: r.row.year,
                    date: r.row.date,
                    duplicate_of: kept.clone(),
                    reason: reason.to_string(),
                });
                continue;
            }
            review.units.push(r.row);
            review.projects.extend(r.projects);
            review.findings.extend(r.findings);
        }
        review.totals = totals(&review.units, review.duplicates.len());
        review
    }

    /// `{ "units": [...], "totals": {...}, "duplicates": [...] }`, pretty.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&Overview {
            units: &self.units,
            totals: &self.totals,
            duplicates: &self.duplicates,
        })
        .unwrap_or_default()
    }

    /// A readable Chinese review for the terminal: a line per unit, the totals, the
    /// duplicates.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let t = &self.totals;
        let mut head = format!("汇总 {} 个单位", t.units);
        let files = self.units.len() + self.duplicates.len();
        let _ = write!(head, "（文件 {files} 个");
        if t.unreadable > 0 {
            let _ = write!(head, "，无法读取 {} 个", t.unreadable);
        }
        if t.duplicates > 0 {
            let _ = write!(head, "，重复 {} 个", t.duplicates);
        }
        let _ = writeln!(out, "{head}）");
        for (i, u) in self.units.iter().enumerate() {
            let n = i + 1;
            if let Some(message) = &u.message {
                let _ = writeln!(out, "{n:>2}. {}  无法读取：{message}", u.file);
                continue;
            }
            let name = u.name.as_deref().filter(|s| !s.trim().is_empty());
            let year = u.year.map(|y| format!(" · {y}年度")).unwrap_or_default();
            let own = match (&u.total, &u.grade) {
                (None, None) => String::new(),
                (total, grade) => format!(
                    " · 部门整体 总分 {} {}",
                    total.map_or_else(|| "—".into(), fmt2),
                    grade.as_deref().unwrap_or("—")
                ),
            };
            let _ = writeln!(
                out,
                "{n:>2}. {}{year}  {}{own} · {} · {}",
                name.unwrap_or("（未填单位名称）"),
                figures(
                    u.budget,
                    u.executed,
                    u.rate_percent,
                    u.projects.unwrap_or(0),
                    u.evaluated.unwrap_or(0),
                    u.grades.as_ref(),
                    None,
                ),
                counts(
                    u.errors.unwrap_or(0),
                    u.warnings.unwrap_or(0),
                    u.mismatches.unwrap_or(0)
                ),
                u.file
            );
        }
        let _ = writeln!(
            out,
            "合计  {} · {}",
            figures(
                t.budget,
                t.executed,
                t.rate_percent,
                t.projects,
                t.evaluated,
                Some(&t.grades),
                Some(t.coverage_percent),
            ),
            counts(t.errors, t.warnings, t.mismatches)
        );
        for d in &self.duplicates {
            let year = d.year.map(|y| format!(" · {y}年度")).unwrap_or_default();
            let _ = writeln!(
                out,
                "重复：{} 与 {} 同为 {}{year}，采用 {}（{}）",
                d.file, d.duplicate_of, d.name, d.duplicate_of, d.reason
            );
        }
        out
    }
}

/// A review built one file at a time, as the page reads the files a user picks (saying
/// how far it has got, and taking more files later): the files so far, read and
/// scored; [`ReviewBuilder::review`] sets the duplicates aside and totals, as
/// [`Review::from_inputs`] does for all of them at once.
#[derive(Default, Clone)]
pub struct ReviewBuilder {
    reviewed: Vec<Reviewed>,
}

impl ReviewBuilder {
    /// Read and score one more file; its row (a message when it could not be read).
    pub fn add(&mut self, input: Input) -> &UnitRow {
        self.reviewed.push(review_one(input));
        &self.reviewed[self.reviewed.len() - 1].row
    }

    /// Files added so far.
    pub fn len(&self) -> usize {
        self.reviewed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.reviewed.is_empty()
    }

    /// The review of the files added so far.
    pub fn review(&self) -> Review {
        Review::assemble(self.reviewed.clone())
    }
}

/// “预算 7750.69 万元 执行 7719.74 万元 执行率 99.60% · 项目 9 个 已评 9 个 · 优7 良1 中1 差0”.
fn figures(
    budget: Option<Decimal>,
    executed: Option<Decimal>,
    rate_percent: Option<Decimal>,
    projects: usize,
    evaluated: usize,
    grades: Option<&GradeCounts>,
    coverage: Option<Option<Decimal>>,
) -> String {
    let amount = |x: Option<Decimal>| x.map_or_else(|| "—".into(), fmt_plain);
    let pct = |x: Option<Decimal>| x.map_or_else(|| "—".into(), |x| format!("{}%", fmt2(x)));
    let coverage = coverage
        .map(|c| format!(" 覆盖率 {}", pct(c)))
        .unwrap_or_default();
    let grades: Vec<String> = grades
        .map(|g| g.pairs().iter().map(|(g, n)| format!("{g}{n}")).collect())
        .unwrap_or_default();
    format!(
        "预算 {} 万元 执行 {} 万元 执行率 {} · 项目 {projects} 个 已评 {evaluated} 个{coverage} · {}",
        amount(budget),
        amount(executed),
        pct(rate_percent),
        grades.join(" ")
    )
}

fn counts(errors: usize, warnings: usize, mismatches: usize) -> String {
    format!("错误 {errors} 项（其中填报数不一致 {mismatches} 项） 提示 {warnings} 项")
}

/// Read and score one file.
/// `f` over the items, in order: natively on as many threads as the machine has (each
/// file is read and scored on its own), one after another in the browser.
fn map_in_order<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 && items.len() > 1 {
            let size = items.len().div_ceil(threads);
            let mut chunks = Vec::with_capacity(threads);
            let mut rest = items;
            while rest.len() > size {
                let tail = rest.split_off(size);
                chunks.push(rest);
                rest = tail;
            }
            chunks.push(rest);
            let f = &f;
            return std::thread::scope(|scope| {
                let workers: Vec<_> = chunks
                    .into_iter()
                    .map(|chunk| scope.spawn(move || chunk.into_iter().map(f).collect::<Vec<R>>()))
                    .collect();
                workers
                    .into_iter()
                    .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
        }
    }
    items.into_iter().map(f).collect()
}

fn review_one(input: Input) -> Reviewed {
    let failed = |file: String, message: String| Reviewed {
        row: UnitRow {
            file,
            message: Some(message),
            ..UnitRow::default()
        },
        key: None,
        date: None,
        projects: Vec::new(),
        findings: Vec::new(),
    };
    let file = input.file;
    let loaded = match input.loaded {
        Ok(loaded) => loaded,
        Err(message) => return failed(file, message),
    };
    let unit = &loaded.unit;
    let rules = match Rulebook::of_unit(unit) {
        Ok(rules) => rules,
        Err(e) => {
            let mut r = failed(
                file.clone(),
                format!("“{file}”数据文件中的规则或表样设置有误：{e}"),
            );
            r.row.name = Some(unit.name.clone());
            r.row.year = unit.year.value();
            return r;
        }
    };
    let eval = crate::evaluate(unit, &rules);
    let s = &eval.scores.unit;
    let all: Vec<&Finding> = loaded.findings.iter().chain(&eval.findings).collect();
    let count = |sev: Severity| all.iter().filter(|f| f.severity == sev).count();
    let date = unit.date.trim();
    let row = UnitRow {
        file: file.clone(),
        name: Some(unit.name.clone()),
        year: s.year,
        date: (!date.is_empty()).then(|| date.to_string()),
        budget: s.budget,
        executed: s.executed,
        rate: s.rate,
        rate_percent: s.rate_percent,
        projects: Some(s.projects),
        evaluated: Some(s.evaluated),
        coverage_percent: s.coverage_percent,
        grades: Some(s.grades.clone()),
        total: s.total,
        grade: s.grade.clone(),
        rules: Some(rules.name.clone()),
        errors: Some(count(Severity::Error)),
        warnings: Some(count(Severity::Warning)),
        mismatches: Some(all.iter().filter(|f| f.code == MISMATCH_CODE).count()),
        message: None,
    };
    let name = unit.name.trim().to_string();
    let projects = eval
        .scores
        .projects
        .iter()
        .map(|p| ProjectRow {
            file: file.clone(),
            unit: unit.name.clone(),
            name: p.name.clone(),
            budget: p.budget,
            executed: p.executed,
            rate: p.rate,
            rate_percent: p.rate_percent,
            total: p.total,
            grade: p.grade.clone(),
        })
        .collect();
    let findings = all
        .iter()
        .map(|f| FindingRow {
            file: file.clone(),
            unit: unit.name.clone(),
            finding: FindingSummary::from(*f),
        })
        .collect();
    Reviewed {
        row,
        key: (!name.is_empty()).then_some((name, s.year)),
        date: crate::value::calendar_date(date),
        projects,
        findings,
    }
}

/// The files set aside as duplicates: index → (the file kept, why it was kept).
fn duplicates(reviewed: &[Reviewed]) -> HashMap<usize, (String, &'static str)> {
    let mut groups: Vec<(&UnitKey, Vec<usize>)> = Vec::new();
    for (i, r) in reviewed.iter().enumerate() {
        let Some(key) = &r.key else { continue };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(i),
            None => groups.push((key, vec![i])),
        }
    }
    let mut dropped = HashMap::new();
    for (_, members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        let dated: Option<Vec<(Date, usize)>> = members
            .iter()
            .map(|&i| reviewed[i].date.map(|d| (d, i)))
            .collect();
        let (kept, by_date) = match &dated {
            // Every copy dated: the latest date, then the later file.
            Some(dated) => (dated.iter().max().map_or(0, |&(_, i)| i), true),
            None => (members.iter().copied().max().unwrap_or(0), false),
        };
        let kept_date = reviewed[kept].date;
        for &i in members.iter().filter(|&&i| i != kept) {
            let reason = match by_date {
                true if reviewed[i].date != kept_date => "落款日期较晚",
                true => "落款日期相同，文件顺序靠后",
                false => "文件顺序靠后",
            };
            dropped.insert(i, (reviewed[kept].row.file.clone(), reason));
        }
    }
    dropped
}

/// The region's totals over the rows read.
fn totals(units: &[UnitRow], duplicates: usize) -> Totals {
    let read: Vec<&UnitRow> = units.iter().filter(|u| u.message.is_none()).collect();
    // Over the units that have the figure; none → none; overflow → none.
    let sum = |get: fn(&UnitRow) -> Option<Decimal>| {
        let mut figures = read.iter().filter_map(|u| get(u)).peekable();
        figures.peek()?;
        figures.try_fold(Decimal::ZERO, |acc, x| acc.checked_add(x))
    };
    let budget = sum(|u| u.budget);
    let executed = sum(|u| u.executed);
    let rate = execution_rate(budget, executed);
    let count = |get: fn(&UnitRow) -> Option<usize>| read.iter().filter_map(|u| get(u)).sum();
    let projects: usize = count(|u| u.projects);
    let evaluated: usize = count(|u| u.evaluated);
    let mut grades = GradeCounts::default();
    for g in read.iter().filter_map(|u| u.grades.as_ref()) {
        grades.excellent += g.excellent;
        grades.good += g.good;
        grades.fair += g.fair;
        grades.poor += g.poor;
    }
    Totals {
        units: read.len(),
        unreadable: units.len() - read.len(),
        duplicates,
        budget,
        executed,
        rate,
        rate_percent: rate.map(percent2),
        projects,
        evaluated,
        coverage_percent: (projects > 0)
            .then(|| percent2(Decimal::from(evaluated) / Decimal::from(projects))),
        grades,
        errors: count(|u| u.errors),
        warnings: count(|u| u.warnings),
        mismatches: count(|u| u.mismatches),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit_json(name: &str, year: i32, date: &str, budget: &str, executed: &str) -> String {
        format!(
            r#"{{"schemaVersion":1,"name":"{name}","year":{year},"date":"{date}",
            "funds":{{"total":{{"budget":"{budget}","executed":"{executed}"}}}},
            "projects":[{{"name":"甲","funds":{{"total":{{"budget":"{budget}","executed":"{executed}"}}}}}}]}}"#
        )
    }

    #[test]
    fn totals_are_sums_and_the_rate_is_of_the_sums() {
        let review = Review::from_files(&[
            ("a.json", unit_json("甲局", 2023, "", "100", "100")),
            ("b.json", unit_json("乙局", 2023, "", "300", "150")),
            ("c.json", "约50".to_string()),
        ]);
        assert_eq!(review.units.len(), 3);
        let t = &review.totals;
        assert_eq!(t.units, 2);
        assert_eq!(t.unreadable, 1);
        assert_eq!(t.budget, Some(Decimal::from(400)));
        assert_eq!(t.executed, Some(Decimal::from(250)));
        // 250 ÷ 400 = 62.50%, not (100% + 50%) ÷ 2 = 75%.
        assert_eq!(t.rate_percent.map(fmt2).as_deref(), Some("62.50"));
        assert_eq!(t.projects, 2);
        let c = &review.units[2];
        assert!(c.budget.is_none() && c.projects.is_none());
        assert!(c.message.as_deref().unwrap().starts_with("“c.json”"));
    }

    #[test]
    fn the_newer_copy_is_kept() {
        // Undated: the later file.
        let r = Review::from_files(&[
            ("a.json", unit_json("甲局", 2023, "", "100", "90")),
            ("b.json", unit_json("甲局", 2023, "", "100", "95")),
            ("c.json", unit_json("甲局", 2022, "", "100", "80")),
        ]);
        assert_eq!(r.units.len(), 2);
        assert_eq!(r.units[0].file, "b.json");
        assert_eq!(r.units[1].file, "c.json");
        assert_eq!(r.duplicates.len(), 1);
        assert_eq!(r.duplicates[0].file, "a.json");
        assert_eq!(r.duplicates[0].duplicate_of, "b.json");
        assert_eq!(r.duplicates[0].reason, "文件顺序靠后");
        assert_eq!(r.projects.len(), 2);
        // All dated: the latest date, wherever it is.
        let r = Review::from_files(&[
            (
                "a.json",
                unit_json("甲局", 2023, "2024年3月20日", "100", "90"),
            ),
            (
                "b.json",
                unit_json(" 甲局 ", 2023, "2024-03-17", "100", "95"),
            ),
        ]);
        assert_eq!(r.units.len(), 1);
        assert_eq!(r.units[0].file, "a.json");
        assert_eq!(r.duplicates[0].file, "b.json");
        assert_eq!(r.duplicates[0].reason, "落款日期较晚");
        // One copy undated: the later file.
        let r = Review::from_files(&[
            (
                "a.json",
                unit_json("甲局", 2023, "2024年3月20日", "100", "90"),
            ),
            ("b.json", unit_json("甲局", 2023, "", "100", "95")),
        ]);
        assert_eq!(r.units[0].file, "b.json");
        // Unnamed units are never the same unit.
        let r = Review::from_files(&[
            ("a.json", unit_json("", 2023, "", "100", "90")),
            ("b.json", unit_json("", 2023, "", "100", "95")),
        ]);
        assert_eq!(r.units.len(), 2);
        assert!(r.duplicates.is_empty());
    }

    #[test]
    fn built_one_file_at_a_time_it_is_the_same_review() {
        let files = [
            ("a.json", unit_json("甲局", 2023, "", "100", "90")),
            ("b.json", unit_json("乙局", 2023, "", "300", "150")),
            ("c.json", unit_json("甲局", 2023, "", "100", "95")),
            ("d.json", "不是数据".to_string()),
        ];
        let mut builder = ReviewBuilder::default();
        let first = builder.add(Input::read(files[0].0, files[0].1.as_bytes()));
        assert_eq!(first.name.as_deref(), Some("甲局"));
        for (name, text) in &files[1..] {
            builder.add(Input::read(name, text.as_bytes()));
        }
        assert_eq!(builder.len(), 4);
        let built = builder.review();
        let whole = Review::from_files(&files);
        assert_eq!(built.to_json(), whole.to_json());
        // Rows: 乙局 (50.00%), 甲局 c.json (95.00%), d.json (unreadable).
        assert_eq!(built.units.len(), 3);
        assert_eq!(built.totals.rate_percent, Some(Decimal::new(6125, 2)));
        assert_eq!(built.order_by("rate"), Some(vec![0, 1, 2]));
        assert_eq!(built.order_by("budget"), Some(vec![1, 0, 2]));
        assert_eq!(built.order_by("name"), None);
    }

    #[test]
    fn an_empty_review_totals_nothing() {
        let r = Review::from_inputs(Vec::new());
        assert_eq!(r.totals.units, 0);
        assert_eq!(r.totals.budget, None);
        assert_eq!(r.totals.rate_percent, None);
        assert_eq!(r.totals.coverage_percent, None);
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["totals"]["budget"], serde_json::Value::Null);
        assert!(json.get("projects").is_none());
    }
}
