//! The filled report: the narrative 自评工作总结 (RULES.md §5) and the forms 附表1 (one
//! 项目支出绩效自评表 per project) and 附表2 (部门整体支出绩效自评表).
//!
//! One report model, computed here from the data and the scores, renders the screen
//! preview, the printout, the .docx and the .xlsx, so a number can never differ between
//! them. The forms' layouts are data (`src/layouts/*.json`): labels, merged cells and
//! where each value goes; another province's layout is another description
//! (`sichuan-2023.json`), chosen with the unit's profile ([`layout_key`]).

use crate::glossary;
use crate::model::{Figure, FundRow, Funds, Indicator, Project, Unit};
use crate::scoring::{fmt2, fmt_plain, row_rate, IndicatorScore, Method, ProjectScore, Scores};
use crate::value;
use crate::Evaluation;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The central 2020 layout, built in.
pub const CENTRAL_2020: &str = include_str!("layouts/central-2020.json");
/// The 四川 2023 layout, built in (its project form; the unit form is central's).
pub const SICHUAN_2023: &str = include_str!("layouts/sichuan-2023.json");

/// The built-in layouts, by key.
const BUILT_IN: &[(&str, &str)] = &[
    ("central-2020", CENTRAL_2020),
    ("sichuan-2023", SICHUAN_2023),
];

// ---------------------------------------------------------------------------------
// The report model

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Base of the file names: “兰州新区应急管理局_2022”.
    pub file_stem: String,
    pub narrative: Vec<Block>,
    /// 附表1-1 … 附表1-n, then 附表2.
    pub forms: Vec<Form>,
    /// What the workbook carries besides the forms (not rendered anywhere else).
    #[serde(skip)]
    pub carry: Carry,
}

/// What the .xlsx export carries besides the printed forms, so that it opens back as
/// the same unit (see [`crate::io::xlsx_export`]): the report's fields that no form has
/// a place for, each project's 偏离原因, the indicator fields without a column on the
/// form, and which cells of the forms hold a computed figure rather than a typed one.
#[derive(Debug, Clone, Default)]
pub struct Carry {
    /// (label of [`NOTE_FIELDS`], text), in that order.
    pub fields: Vec<(&'static str, String)>,
    /// One per project form, in form order: (project name, 偏离原因).
    pub projects: Vec<(String, String)>,
    /// The indicators with something the form cannot show, in form order.
    pub indicators: Vec<IndicatorCarry>,
    /// Per form, in form order: its computed cells.
    pub computed: Vec<Vec<Computed>>,
}

/// An indicator's fields that its row on the form has no column for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorCarry {
    /// The project form (index into `forms`) and the indicator's index in it.
    pub form: usize,
    pub index: usize,
    /// 三级指标, to find the row again.
    pub name: String,
    /// 度量单位
    pub unit: String,
    /// 扣减分数 and its reason, as typed.
    pub deduction: String,
    pub deduction_reason: String,
    /// The typed 得分 (the user's choice) when the form's 得分 cell does not hold it
    /// exactly (a qualitative score not counted, or typed to more than 2 decimals, or
    /// the score of a not-applicable row).
    pub typed_score: String,
    /// 一级指标 / 二级指标 left empty (on the form, an empty cell under a named one reads
    /// as the name above).
    pub empty_levels: Vec<&'static str>,
    /// The band chosen for a qualitative row (完成程度).
    pub band: String,
}

/// A cell of a form whose figure the program computed: where it is (index into the
/// form's `cells`) and what it is, as the form labels it (row, column).
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub cell: usize,
    pub row: String,
    pub column: &'static str,
}

/// The unit's fields that the forms have no place for, by the label the workbook shows.
/// (表样, the profile, is written only when the unit has one: a central unit's 说明
/// sheet is as before.)
pub const NOTE_FIELDS: [&str; 10] = [
    "主送单位",
    "通知名",
    "文号",
    "落款日期",
    "评分规则",
    "一、自评工作开展情况",
    "（二）项目绩效目标完成情况",
    "（三）偏差原因及改进措施",
    "三、下一步工作措施",
    "表样",
];

/// The fields of [`NOTE_FIELDS`], in that order.
pub fn note_fields(unit: &mut Unit) -> [&mut String; 10] {
    let n = &mut unit.narrative;
    [
        &mut unit.addressee,
        &mut unit.basis,
        &mut unit.basis_number,
        &mut unit.date,
        &mut unit.rules,
        &mut n.work_done,
        &mut n.goals_summary,
        &mut n.deviation,
        &mut n.next_steps,
        &mut unit.profile,
    ]
}

/// The row label of indicator `index` (0-based) in [`Computed`]: “第3项：名称”.
pub fn indicator_key(index: usize, name: &str) -> String {
    format!("第{}项：{}", index + 1, name.trim())
}

/// A block of the narrative, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "text")]
pub enum Block {
    /// 标题 (2号小标宋): the unit name and the report title.
    Title(String),
    /// 主送单位：
    Salutation(String),
    /// 一、 (黑体)
    Heading1(String),
    /// （一） (楷体)
    Heading2(String),
    /// 1、 and （1） (仿宋, bold)
    Heading3(String),
    /// Body text (仿宋, first line indented two characters).
    Paragraph(String),
    /// The signature block, right-aligned: unit, then date.
    Signature(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Align {
    Center,
    Left,
    Right,
}

/// A number in a cell, for the spreadsheet (the text is what every renderer shows).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "value")]
pub enum Number {
    /// 万元, shown with 2 decimals.
    Amount(Decimal),
    /// A fraction shown as a percentage with 2 decimals.
    Percent(Decimal),
    /// A score with 2 decimals.
    Score(Decimal),
    /// A weight or count, shown as entered.
    Plain(Decimal),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    pub text: String,
    pub number: Option<Number>,
    /// A printed label of the form (bold, shaded) rather than a value.
    pub label: bool,
    pub align: Align,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Form {
    /// Worksheet name (unique, at most 31 characters).
    pub sheet: String,
    /// 附表1-1
    pub caption: String,
    /// 项目支出绩效自评表
    pub title: String,
    /// （2022年度）
    pub subtitle: String,
    /// Column widths, in characters.
    pub widths: Vec<u16>,
    pub rows: usize,
    pub cells: Vec<Cell>,
    /// The header row repeated on every printed page (the indicator header), if any.
    pub header_row: Option<usize>,
}

// ---------------------------------------------------------------------------------
// Layout descriptions

#[derive(Debug, Clone)]
pub struct Layout {
    pub name: String,
    pub label: String,
    /// What the description's author says about it (how the model maps onto it).
    pub note: String,
    pub project: FormLayout,
    pub unit: FormLayout,
}

/// A layout file: its unit form may be left out, and is then central 2020's.
#[derive(Deserialize)]
struct LayoutFile {
    name: String,
    label: String,
    #[serde(default)]
    note: String,
    project: FormLayout,
    #[serde(default)]
    unit: Option<FormLayout>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormLayout {
    pub title: String,
    pub subtitle: String,
    pub caption: String,
    pub widths: Vec<u16>,
    /// The rows of the funds block (`fundRows`), when not the central ones: each a label
    /// and the row of the model it shows.
    #[serde(default)]
    pub fund_rows: Option<Vec<FundRowLayout>>,
    pub rows: Vec<RowLayout>,
}

/// A row of a funds block: its label on the form and the model's row it shows
/// (`total`, `fiscal`, `carryover`, `other`, `basic`, `project`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FundRowLayout {
    pub label: String,
    pub row: String,
    /// Shown only when the row holds an amount other than zero (or one that cannot be
    /// read): a row the form has no place for, shown so that no money goes unshown.
    #[serde(default)]
    pub only_with_amount: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowLayout {
    /// Repeat this row once per item of a list: `fundRows`, `indicators`, `tasks`.
    #[serde(default)]
    pub repeat: Option<String>,
    /// The row to repeat at the top of each printed page.
    #[serde(default)]
    pub header: bool,
    /// Lay the row out only when this list is not empty (`indicators`: the unit form's
    /// indicator block and its 总分, only when the unit has one).
    #[serde(default)]
    pub when: Option<String>,
    pub cells: Vec<CellLayout>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CellLayout {
    /// A fixed label.
    #[serde(default)]
    pub text: Option<String>,
    /// Or a value from the data: `project.name`, `fund.budget`, `indicator.score`…
    #[serde(default)]
    pub bind: Option<String>,
    #[serde(default = "one")]
    pub span: usize,
    /// Rows spanned: a number, or a list length plus a number (`indicators+1`).
    #[serde(default)]
    pub row_span: Option<String>,
    /// In a repeated row, merge with the cell above when the text is the same.
    #[serde(default)]
    pub merge_down: bool,
    #[serde(default)]
    pub align: Option<String>,
}

fn one() -> usize {
    1
}

impl Layout {
    pub fn from_json(text: &str) -> Result<Layout, String> {
        let file: LayoutFile =
            serde_json::from_str(text).map_err(|e| format!("表样描述文件有误：{e}"))?;
        let unit = match file.unit {
            Some(unit) => unit,
            None => Layout::central_2020().unit,
        };
        Ok(Layout {
            name: file.name,
            label: file.label,
            note: file.note,
            project: file.project,
            unit,
        })
    }

    pub fn central_2020() -> Layout {
        // The built-in description is checked by a test; an error here is a bug in it.
        Layout::from_json(CENTRAL_2020).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A built-in layout by key (`central-2020`, `sichuan-2023`).
    pub fn built_in(key: &str) -> Option<Layout> {
        BUILT_IN
            .iter()
            .find(|(k, _)| *k == key)
            // (Built-in text, checked by a test.)
            .and_then(|(_, text)| Layout::from_json(text).ok())
    }

    /// The keys of the built-in layouts.
    pub fn built_in_keys() -> impl Iterator<Item = &'static str> {
        BUILT_IN.iter().map(|(k, _)| *k)
    }

    /// The layout a unit's forms are written in, chosen with its profile: see
    /// [`layout_key`].
    pub fn for_profile(profile: &str) -> Layout {
        Layout::built_in(&layout_key(profile)).unwrap_or_else(Layout::central_2020)
    }
}

/// The key of the built-in layout the forms of a unit with this profile are written in
/// (`Unit.profile`): the layout its profile names (a built-in profile by key, or a
/// profile given as JSON text) when that layout is built in; else the layout whose key
/// is the profile string itself; else central 2020 (also for an empty profile).
pub fn layout_key(profile: &str) -> String {
    let profile = profile.trim();
    let known = |key: &str| Layout::built_in_keys().any(|k| k == key);
    let named = if profile.starts_with('{') {
        crate::profile::Profile::parse(profile)
            .ok()
            .map(|p| p.layout)
    } else {
        crate::profile::Profile::built_in(profile).map(|p| p.layout.clone())
    };
    match named {
        Some(key) if known(key.trim()) => key.trim().to_string(),
        _ if known(profile) => profile.to_string(),
        _ => "central-2020".to_string(),
    }
}

// ---------------------------------------------------------------------------------
// Formatting, the forms' conventions

/// 万元 with 2 decimals.
pub fn money(x: Decimal) -> String {
    fmt2(x)
}

/// A fraction as “99.60%”.
pub fn percent(rate: Decimal) -> String {
    format!("{}%", fmt2(crate::scoring::percent2(rate)))
}

fn opt(x: Option<Decimal>, f: fn(Decimal) -> String) -> String {
    x.map(f).unwrap_or_default()
}

// ---------------------------------------------------------------------------------
// Binding values to cells

/// What a bound cell shows: text, and the number behind it if any.
struct Value {
    text: String,
    number: Option<Number>,
    /// A figure the program computed: its row and column as the form labels them.
    computed: Option<(String, &'static str)>,
}

impl Value {
    fn text(s: impl Into<String>) -> Value {
        Value {
            text: s.into(),
            number: None,
            computed: None,
        }
    }
    fn amount(x: Option<Decimal>) -> Value {
        Value {
            text: opt(x, money),
            number: x.map(Number::Amount),
            computed: None,
        }
    }
    fn percent(x: Option<Decimal>) -> Value {
        Value {
            text: opt(x, percent),
            number: x.map(Number::Percent),
            computed: None,
        }
    }
    fn score(x: Option<Decimal>) -> Value {
        Value {
            text: opt(x, fmt2),
            number: x.map(|s| Number::Score(crate::scoring::round2(s))),
            computed: None,
        }
    }
    fn plain(x: Option<Decimal>) -> Value {
        Value {
            text: opt(x, fmt_plain),
            number: x.map(Number::Plain),
            computed: None,
        }
    }
    /// This value as computed, at `row` × `column` of the form (when there is one).
    fn computed(mut self, row: impl Into<String>, column: &'static str) -> Value {
        if !self.text.is_empty() {
            self.computed = Some((row.into(), column));
        }
        self
    }
    /// A typed figure: its number as `shown` formats it, or — when it cannot be read —
    /// the text as typed, never a number (the findings list it as not counted).
    fn figure(x: Option<&Figure>, shown: fn(Option<Decimal>) -> Value) -> Value {
        match x {
            Some(f) if f.is_unreadable() => Value::text(f.text().trim()),
            _ => shown(x.and_then(Figure::value)),
        }
    }
}

/// One row of a funds block as the form shows it.
struct FundLine<'a> {
    label: &'a str,
    row: Option<&'a FundRow>,
    /// Only the 年度资金总额 row carries 分值 and 得分.
    total: bool,
}

fn project_fund_lines(funds: &Funds) -> Vec<FundLine<'_>> {
    vec![
        FundLine {
            label: glossary::FUND_TOTAL,
            row: Some(&funds.total),
            total: true,
        },
        FundLine {
            label: glossary::FUND_FISCAL_ROW,
            row: funds.fiscal.as_ref(),
            total: false,
        },
        FundLine {
            label: glossary::FUND_CARRYOVER,
            row: funds.carryover.as_ref(),
            total: false,
        },
        FundLine {
            label: glossary::FUND_OTHER,
            row: funds.other.as_ref(),
            total: false,
        },
    ]
}

/// The rows a layout lists for its funds block (`fundRows`).
fn layout_fund_lines<'a>(rows: &'a [FundRowLayout], funds: &'a Funds) -> Vec<FundLine<'a>> {
    rows.iter()
        .filter_map(|spec| {
            let row = match spec.row.as_str() {
                "total" => Some(&funds.total),
                "fiscal" => funds.fiscal.as_ref(),
                "carryover" => funds.carryover.as_ref(),
                "other" => funds.other.as_ref(),
                "basic" => funds.basic.as_ref(),
                "project" => funds.project.as_ref(),
                _ => None,
            };
            if spec.only_with_amount && !row.is_some_and(has_amount) {
                return None;
            }
            Some(FundLine {
                label: &spec.label,
                row,
                total: spec.row == "total",
            })
        })
        .collect()
}

/// Whether a fund row holds an amount other than zero, or one that cannot be read.
fn has_amount(row: &FundRow) -> bool {
    [&row.initial, &row.budget, &row.executed]
        .iter()
        .any(|f| f.is_unreadable() || f.value().is_some_and(|v| !v.is_zero()))
}

/// The funds block of a form: the layout's rows, or the central ones.
fn fund_lines<'a>(
    layout: &'a FormLayout,
    funds: &'a Funds,
    central: fn(&Funds) -> Vec<FundLine<'_>>,
) -> Vec<FundLine<'a>> {
    match &layout.fund_rows {
        Some(rows) => layout_fund_lines(rows, funds),
        None => central(funds),
    }
}

fn unit_fund_lines(funds: &Funds) -> Vec<FundLine<'_>> {
    let mut lines = vec![FundLine {
        label: glossary::FUND_TOTAL,
        row: Some(&funds.total),
        total: true,
    }];
    for (label, row) in [
        (glossary::UNIT_FUND_FISCAL_ROW, &funds.fiscal),
        (glossary::FUND_CARRYOVER, &funds.carryover),
        (glossary::FUND_OTHER, &funds.other),
        (glossary::UNIT_FUND_BASIC_ROW, &funds.basic),
        (glossary::FUND_PROJECT, &funds.project),
    ] {
        if let Some(r) = row {
            lines.push(FundLine {
                label,
                row: Some(r),
                total: false,
            });
        }
    }
    lines
}

/// Everything a form's bindings can refer to.
struct Context<'a> {
    year: String,
    index: usize,
    unit: &'a Unit,
    scores: &'a Scores,
    project: Option<(&'a Project, &'a ProjectScore)>,
    /// The form's indicator block: the project's, or the unit form's own.
    indicators: (&'a [Indicator], &'a [IndicatorScore]),
    funds: Vec<FundLine<'a>>,
    execution: (Option<Decimal>, Option<Decimal>),
    /// The execution 分值 as the form has it typed (blank → the rulebook's).
    execution_typed: Option<&'a Figure>,
    /// The amounts are the projects' sum (a unit without its own funds block).
    rolled_up: bool,
}

impl Context<'_> {
    fn count(&self, list: &str) -> usize {
        match list {
            "fundRows" => self.funds.len(),
            "indicators" => self.indicators.0.len(),
            "tasks" => self.unit.tasks.len(),
            _ => 0,
        }
    }

    /// The value of `bind` for item `item` of the row's list.
    fn value(&self, bind: &str, item: usize) -> Value {
        let (scope, field) = bind.split_once('.').unwrap_or((bind, ""));
        match scope {
            "project" => self.project_value(field),
            "unit" => self.unit_value(field),
            "fund" => self.fund_value(field, item),
            "indicator" => match (self.indicators.0.get(item), self.indicators.1.get(item)) {
                (Some(ind), Some(score)) => indicator_value(field, ind, score, item),
                _ => Value::text(""),
            },
            "task" => match self.unit.tasks.get(item) {
                Some(t) => Value::text(match field {
                    "name" => t.name.as_str(),
                    "content" => t.content.as_str(),
                    "completion" => t.completion.as_str(),
                    _ => "",
                }),
                None => Value::text(""),
            },
            _ => Value::text(""),
        }
    }

    fn project_value(&self, field: &str) -> Value {
        let Some((p, s)) = self.project else {
            return Value::text("");
        };
        match field {
            "name" => Value::text(&p.name),
            "department" => Value::text(&p.department),
            "implementer" => Value::text(&p.implementer),
            "goal.expected" => Value::text(&p.goal.expected),
            "goal.actual" => Value::text(&p.goal.actual),
            "deviation" => Value::text(p.deviation.trim()),
            "total" | "weightTotal" | "totalNote" | "grade" => total_value(
                field,
                s.total,
                Some(s.weight_total),
                [s.total_basis.as_deref(), s.cap.as_deref()],
                s.grade.as_deref(),
            ),
            _ => Value::text(""),
        }
    }

    fn unit_value(&self, field: &str) -> Value {
        let u = &self.scores.unit;
        match field {
            "name" => Value::text(&self.unit.name),
            "goal.expected" => Value::text(&self.unit.goal.expected),
            "goal.actual" => Value::text(&self.unit.goal.actual),
            "projectsSummary" => Value::text(format!(
                "项目{}个，绩效自评项目{}个，覆盖率{}%；自评结果{}",
                u.projects,
                u.evaluated,
                opt(u.coverage_percent, fmt2),
                grade_counts_text(self.scores)
            )),
            // The unit form's own 总分 and 自评等级 (when it has an indicator block).
            "total" | "weightTotal" | "totalNote" | "grade" => total_value(
                field,
                u.total,
                u.weight_total,
                [u.total_basis.as_deref(), u.cap.as_deref()],
                u.grade.as_deref(),
            ),
            _ => Value::text(""),
        }
    }

    fn fund_value(&self, field: &str, item: usize) -> Value {
        let Some(line) = self.funds.get(item) else {
            return Value::text("");
        };
        let dash = || Value::text("—");
        let row = line.row;
        let amount = |figure: fn(&FundRow) -> &Figure, column: &'static str| {
            let mut v = Value::figure(row.map(figure), Value::amount);
            // (Also when blank: the mark says the unit has no funds block of its own.)
            if self.rolled_up {
                v.computed = Some((line.label.to_string(), column));
            }
            v
        };
        match field {
            "label" => Value::text(line.label),
            "initial" => amount(|r| &r.initial, glossary::INITIAL),
            "budget" => amount(|r| &r.budget, glossary::BUDGET),
            "executed" => amount(|r| &r.executed, glossary::EXECUTED),
            // The project's own 分值 as typed; the rulebook's when it has none.
            "weight" if line.total => match self.execution_typed {
                Some(f) if f.is_unreadable() => Value::text(f.text().trim()),
                Some(f) if !f.is_blank() => Value::plain(self.execution.0),
                _ => Value::plain(self.execution.0).computed(line.label, glossary::WEIGHT),
            },
            "score" if line.total => {
                Value::score(self.execution.1).computed(line.label, glossary::SCORE)
            }
            "weight" | "score" => dash(),
            // (The model has no reason per fund row: the column stays for the user.)
            "reason" => Value::text(""),
            "rate" => Value::percent(row.and_then(row_rate)).computed(line.label, glossary::RATE),
            _ => Value::text(""),
        }
    }
}

/// The 总分 row and the 自评等级 of a form (a project's or the unit's).
fn total_value(
    field: &str,
    total: Option<Decimal>,
    weight_total: Option<Decimal>,
    notes: [Option<&str>; 2],
    grade: Option<&str>,
) -> Value {
    match field {
        "total" => Value::score(total).computed(glossary::TOTAL, glossary::SCORE),
        "weightTotal" => Value::plain(weight_total),
        // How the total came about, when not by plain addition.
        "totalNote" => Value::text(notes.into_iter().flatten().collect::<Vec<_>>().join("；")),
        "grade" => {
            Value::text(grade.unwrap_or_default()).computed(glossary::GRADE, glossary::GRADE)
        }
        _ => Value::text(""),
    }
}

/// A score the program computes from the target and the actual (not the user's choice).
fn is_quantitative(method: Method) -> bool {
    matches!(
        method,
        Method::Positive | Method::Equal | Method::Reverse | Method::Range | Method::Deadline
    )
}

/// Whether the form's 得分 cell holds the typed score exactly.
fn shows_typed(ind: &Indicator, score: &crate::scoring::IndicatorScore) -> bool {
    score.method != Method::NotApplicable
        && ind.typed_score.value().is_some()
        && ind.typed_score.value() == score.score
}

fn indicator_value(
    field: &str,
    ind: &Indicator,
    score: &crate::scoring::IndicatorScore,
    item: usize,
) -> Value {
    match field {
        "level1" => Value::text(ind.level1.trim()),
        "level2" => Value::text(ind.level2.trim()),
        "name" => Value::text(ind.name.trim()),
        "target" => Value::text(ind.target.trim()),
        "operator" => Value::text(split_target(ind).operator),
        "targetValue" => Value::text(split_target(ind).value),
        "measure" => Value::text(split_target(ind).measure),
        "actual" => Value::text(ind.actual.trim()),
        "weight" => Value::figure(Some(&ind.weight), Value::plain),
        "score" if score.method == Method::NotApplicable => Value::text("不适用"),
        // A qualitative score is the user's choice: typed, unless it is the band's default.
        "score" if !is_quantitative(score.method) && shows_typed(ind, score) => {
            Value::score(score.score)
        }
        "score" => {
            Value::score(score.score).computed(indicator_key(item, &ind.name), glossary::SCORE)
        }
        "reason" => Value::text(ind.reason.trim()),
        _ => Value::text(""),
    }
}

/// A target as a form with 指标性质, 指标值 and 度量单位 columns shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SplitTarget {
    /// ≥ ≤ = > <, 定性, or blank (a bare value, a range, a date, nothing).
    pub operator: String,
    pub value: String,
    pub measure: String,
}

/// The indicator's target split by the value parser, as written: `≥95%` → ≥ | 95 | %
/// (look-alike operators and words read as the operator: `≧95%`, `不低于95%`); a bare
/// value `100%` → (blank) | 100 | %; the unit is the one written in the target, else
/// the indicator's own 度量单位. A qualitative target is 定性 with its words as the
/// value. A range, a date, a target that cannot be read, or one whose unit differs from
/// the indicator's own 度量单位 stays whole in 指标值 (with that 度量单位), so that
/// read back — 指标性质 then 指标值, with 度量单位 as the unit — it is the same target.
pub fn split_target(ind: &Indicator) -> SplitTarget {
    let written = ind.target.trim();
    let own = ind.unit.trim();
    let whole = |operator: &str| SplitTarget {
        operator: operator.to_string(),
        value: written.to_string(),
        measure: own.to_string(),
    };
    match value::parse(written) {
        Ok(value::Value::Number { op, number, unit }) => {
            let own_canonical = value::canonical_unit(own);
            if !unit.is_empty() && !own_canonical.is_empty() && unit != own_canonical {
                return whole("");
            }
            SplitTarget {
                operator: op.map(value::Op::symbol).unwrap_or_default().to_string(),
                value: number.to_string(),
                measure: if unit.is_empty() {
                    own.to_string()
                } else {
                    unit
                },
            }
        }
        Ok(value::Value::Band(_) | value::Value::Text(_)) => whole(glossary::QUALITATIVE),
        _ => whole(""),
    }
}

fn grade_counts_text(scores: &Scores) -> String {
    scores
        .unit
        .grades
        .pairs()
        .iter()
        .map(|(g, n)| format!("“{g}”{n}个"))
        .collect::<Vec<_>>()
        .join("，")
}

// ---------------------------------------------------------------------------------
// Laying out a form

fn row_span(expr: &Option<String>, ctx: &Context<'_>) -> usize {
    let Some(expr) = expr else { return 1 };
    expr.split('+')
        .map(|term| {
            let term = term.trim();
            term.parse::<usize>().unwrap_or_else(|_| ctx.count(term))
        })
        .sum::<usize>()
        .max(1)
}

fn align(a: &Option<String>) -> Align {
    match a.as_deref() {
        Some("left") => Align::Left,
        Some("right") => Align::Right,
        _ => Align::Center,
    }
}

fn lay_out(layout: &FormLayout, ctx: &Context<'_>, sheet: String) -> (Form, Vec<Computed>) {
    let cols = layout.widths.len();
    // occupied[r][c]: index of the cell covering the position.
    let mut occupied: Vec<Vec<Option<usize>>> = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    let mut merge_down: Vec<bool> = Vec::new();
    let mut header_row = None;
    let mut computed = Vec::new();
    let mut r = 0;
    for row in &layout.rows {
        if row.when.as_ref().is_some_and(|list| ctx.count(list) == 0) {
            continue;
        }
        let items = match &row.repeat {
            Some(list) => ctx.count(list),
            None => 1,
        };
        if row.header {
            header_row = Some(r);
        }
        for item in 0..items {
            occupied.resize(occupied.len().max(r + 1), vec![None; cols]);
            let mut c = 0;
            // A cell merges down only while every merge-down cell left of it did, so a
            // 二级 name repeated under a new 一级 starts a new cell.
            let mut chain = true;
            for spec in &row.cells {
                while c < cols && occupied[r][c].is_some() {
                    c += 1;
                }
                if c >= cols {
                    break;
                }
                let value = match (&spec.text, &spec.bind) {
                    (Some(t), _) => Value::text(t.clone()),
                    (None, Some(b)) => ctx.value(b, item),
                    (None, None) => Value::text(""),
                };
                let span = spec.span.clamp(1, cols - c);
                // Same text as the cell above in a repeated row: extend that cell.
                if spec.merge_down && chain && item > 0 && !value.text.is_empty() {
                    if let Some(above) = occupied[r - 1][c] {
                        let a = &cells[above];
                        if merge_down[above]
                            && a.text == value.text
                            && a.col == c
                            && a.col_span == span
                        {
                            cells[above].row_span += 1;
                            for slot in &mut occupied[r][c..c + span] {
                                *slot = Some(above);
                            }
                            c += span;
                            continue;
                        }
                    }
                }
                if spec.merge_down {
                    chain = false;
                }
                let rows = row_span(&spec.row_span, ctx);
                occupied.resize(occupied.len().max(r + rows), vec![None; cols]);
                let index = cells.len();
                if let Some((row, column)) = value.computed {
                    computed.push(Computed {
                        cell: index,
                        row,
                        column,
                    });
                }
                for line in &mut occupied[r..r + rows] {
                    for slot in &mut line[c..c + span] {
                        *slot = Some(index);
                    }
                }
                cells.push(Cell {
                    row: r,
                    col: c,
                    row_span: rows,
                    col_span: span,
                    text: value.text,
                    number: value.number,
                    label: spec.text.is_some(),
                    align: align(&spec.align),
                });
                merge_down.push(spec.merge_down);
                c += span;
            }
            r += 1;
        }
    }
    let fill = |s: &str| {
        s.replace("{year}", &ctx.year)
            .replace("{index}", &ctx.index.to_string())
    };
    let form = Form {
        sheet,
        caption: fill(&layout.caption),
        title: layout.title.clone(),
        subtitle: fill(&layout.subtitle),
        widths: layout.widths.clone(),
        rows: occupied.len().max(r),
        cells,
        header_row,
    };
    (form, computed)
}

/// A worksheet name: at most 31 characters, none of `[]:*?/\`, unique in `taken`.
fn sheet_name(base: &str, taken: &mut Vec<String>) -> String {
    let clean: String = base
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let mut name: String = clean.chars().take(31).collect();
    let mut n = 2;
    while taken.iter().any(|t| t == &name) {
        let suffix = format!("({n})");
        name = clean
            .chars()
            .take(31 - suffix.chars().count())
            .collect::<String>()
            + &suffix;
        n += 1;
    }
    taken.push(name.clone());
    name
}

// ---------------------------------------------------------------------------------
// The narrative

const CIRCLED: [&str; 10] = ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩"];

fn prose(blocks: &mut Vec<Block>, text: &str, empty: &str) {
    let mut any = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        blocks.push(Block::Paragraph(line.to_string()));
        any = true;
    }
    if !any {
        blocks.push(Block::Paragraph(empty.to_string()));
    }
}

/// `<单位>_<年度>`, the start of every exported file's name.
pub fn file_stem(unit: &Unit) -> String {
    let name = if unit.name.trim().is_empty() {
        "未命名单位"
    } else {
        unit.name.trim()
    };
    format!("{name}_{}", year_text(unit))
}

fn year_text(unit: &Unit) -> String {
    unit.year
        .value()
        .map(|y| y.to_string())
        .unwrap_or_else(|| "____".into())
}

fn narrative(unit: &Unit, scores: &Scores) -> Vec<Block> {
    let mut b = Vec::new();
    let u = &scores.unit;
    let year = year_text(unit);
    b.push(Block::Title(unit.name.clone()));
    b.push(Block::Title(format!(
        "{year}年度部门本级预算绩效自评工作总结"
    )));
    if !unit.addressee.trim().is_empty() {
        b.push(Block::Salutation(format!("{}：", unit.addressee.trim())));
    }
    let basis = match (unit.basis.trim(), unit.basis_number.trim()) {
        ("", _) => "根据预算绩效管理有关要求".to_string(),
        (name, "") => format!("根据《{name}》"),
        (name, number) => format!("根据《{name}》（{number}）"),
    };
    b.push(Block::Paragraph(format!(
        "{basis}，我单位认真组织，根据年初制定的绩效目标，对本单位{year}年度预算支出开展绩效自评，现将自评结果报告如下："
    )));

    b.push(Block::Heading1("一、自评工作开展情况".into()));
    prose(&mut b, &unit.narrative.work_done, "（待填写）");

    b.push(Block::Heading1("二、自评结果概述".into()));
    b.push(Block::Heading2("（一）总体绩效目标完成情况".into()));
    let names: Vec<&str> = unit.projects.iter().map(|p| p.name.trim()).collect();
    b.push(Block::Paragraph(format!(
        "当年财政预算{}万元，全年支出{}万元，执行率{}。全年本级预算项目数{}个，绩效自评项目数{}个，自评覆盖率{}%。开展的具体项目有{}{}个项目，根据自评情况，自评结果{}。",
        opt(u.budget, money),
        opt(u.executed, money),
        opt(u.rate, percent),
        u.projects,
        u.evaluated,
        opt(u.coverage_percent, fmt2),
        names.join("、"),
        names.len(),
        grade_counts_text(scores)
    )));
    // The unit form's own score, when it has an indicator block.
    if let (Some(total), Some(grade)) = (u.total, &u.grade) {
        if let Some(Block::Paragraph(text)) = b.last_mut() {
            text.push_str(&format!(
                "部门整体支出绩效自评得分为{}分，等级为{grade}。",
                fmt2(total)
            ));
        }
    }
    b.push(Block::Heading2("（二）项目绩效目标完成情况".into()));
    if !unit.narrative.goals_summary.trim().is_empty() {
        prose(&mut b, &unit.narrative.goals_summary, "");
    }
    b.push(Block::Heading3("1、年度总体绩效目标".into()));
    prose(&mut b, &unit.goal.expected, "（待填写）");
    b.push(Block::Heading3("2、年度总体绩效目标完成情况".into()));
    prose(&mut b, &unit.goal.actual, "（待填写）");
    b.push(Block::Heading2("（三）偏差原因及改进措施".into()));
    prose(&mut b, &unit.narrative.deviation, "（待填写）");

    b.push(Block::Paragraph(format!(
        "{year}年，本部门本级预算支出项目{}个，当年财政预算{}万元，全年支出{}万元，执行率{}。分项目自评情况分析如下：",
        u.projects,
        opt(u.budget, money),
        opt(u.executed, money),
        opt(u.rate, percent)
    )));
    for (i, (p, s)) in unit.projects.iter().zip(&scores.projects).enumerate() {
        project_narrative(&mut b, i, p, s);
    }

    b.push(Block::Heading1("三、下一步工作措施".into()));
    prose(&mut b, &unit.narrative.next_steps, "（待填写）");
    b.push(Block::Paragraph(format!(
        "附表：1、{}  2、{}",
        "预算项目支出绩效自评表", "部门整体支出绩效自评表"
    )));
    b.push(Block::Signature(unit.name.clone()));
    if !unit.date.trim().is_empty() {
        b.push(Block::Signature(unit.date.trim().to_string()));
    }
    b
}

fn project_narrative(b: &mut Vec<Block>, i: usize, p: &Project, s: &ProjectScore) {
    b.push(Block::Heading3(format!("{}、{}", i + 1, p.name.trim())));
    let fiscal = p
        .funds
        .fiscal
        .as_ref()
        .and_then(|f| f.executed.value())
        .map(|x| format!("财政拨款执行{}万元，", money(x)))
        .unwrap_or_default();
    b.push(Block::Paragraph(format!(
        "（1）项目支出预算执行情况：当年财政预算{}万元，{fiscal}全年执行支出{}万元，预算执行率{}，预算执行得分{}分（分值{}分）。",
        opt(s.budget, money),
        opt(s.executed, money),
        opt(s.rate, percent),
        opt(s.execution_score, fmt2),
        fmt_plain(s.execution_weight)
    )));
    b.push(Block::Paragraph(format!(
        "（2）总体绩效目标完成情况：预期目标：{}实际完成情况：{}",
        with_stop(&p.goal.expected),
        with_stop(&p.goal.actual)
    )));
    b.push(Block::Paragraph("（3）各项指标完成情况分析：".into()));
    for (k, level) in s.levels.iter().filter(|l| !l.weight.is_zero()).enumerate() {
        let mut text = format!(
            "{}{}：分值{}分，得分{}分。",
            CIRCLED.get(k).copied().unwrap_or("·"),
            level.name,
            fmt_plain(level.weight),
            opt(level.score, fmt2)
        );
        for (ind, score) in p.indicators.iter().zip(&s.indicators) {
            if crate::value::level_with_points(&ind.level1).0 != level.name {
                continue;
            }
            if let (Some(sc), Some(w)) = (score.score, score.weight) {
                if sc < w {
                    let reason = ind.reason.trim();
                    text.push_str(&format!(
                        "“{}”年度指标值{}，实际完成值{}，扣{}分{}。",
                        ind.name.trim(),
                        ind.target.trim(),
                        ind.actual.trim(),
                        fmt2(w - sc),
                        if reason.is_empty() {
                            "，原因未说明".to_string()
                        } else {
                            format!("，原因：{}", reason.trim_end_matches('。'))
                        }
                    ));
                }
            }
        }
        b.push(Block::Paragraph(text));
    }
    b.push(Block::Paragraph(
        "（4）偏离绩效目标的原因及下一步改进措施".into(),
    ));
    prose(b, &p.deviation, "无。");
    let result = match (&s.grade, s.total) {
        (Some(g), Some(t)) => match &s.total_basis {
            Some(basis) => format!("项目自评结果为“{g}”（总分{}分；{basis}）。", fmt2(t)),
            None => format!("项目自评结果为“{g}”（总分{}分）。", fmt2(t)),
        },
        _ => "项目尚有未能计分的内容，自评结果待定。".to_string(),
    };
    b.push(Block::Paragraph(result));
}

fn with_stop(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        "（待填写）；".into()
    } else if t.ends_with(['。', '；', '！']) {
        t.to_string()
    } else {
        format!("{t}。")
    }
}

// ---------------------------------------------------------------------------------

/// The whole report of a unit, by a layout.
pub fn build(unit: &Unit, eval: &Evaluation, layout: &Layout) -> Report {
    let scores = &eval.scores;
    let year = year_text(unit);
    let mut taken = Vec::new();
    let mut forms = Vec::new();
    let mut carry = Carry {
        fields: {
            let n = &unit.narrative;
            let texts = [
                &unit.addressee,
                &unit.basis,
                &unit.basis_number,
                &unit.date,
                &unit.rules,
                &n.work_done,
                &n.goals_summary,
                &n.deviation,
                &n.next_steps,
                &unit.profile,
            ];
            NOTE_FIELDS
                .into_iter()
                .zip(texts.map(String::clone))
                .filter(|(label, text)| *label != "表样" || !text.trim().is_empty())
                .collect()
        },
        ..Carry::default()
    };
    for (i, (p, s)) in unit.projects.iter().zip(&scores.projects).enumerate() {
        let ctx = Context {
            year: year.clone(),
            index: i + 1,
            unit,
            scores,
            project: Some((p, s)),
            indicators: (&p.indicators, &s.indicators),
            funds: fund_lines(&layout.project, &p.funds, project_fund_lines),
            execution: (Some(s.execution_weight), s.execution_score),
            execution_typed: Some(&p.execution_weight),
            rolled_up: false,
        };
        let base = if p.name.trim().is_empty() {
            format!("项目{}", i + 1)
        } else {
            format!("{}.{}", i + 1, p.name.trim())
        };
        let (form, computed) = lay_out(&layout.project, &ctx, sheet_name(&base, &mut taken));
        forms.push(form);
        carry.computed.push(computed);
        carry
            .projects
            .push((p.name.trim().to_string(), p.deviation.clone()));
        let measure = shows_measure(&layout.project);
        carry_indicators(&mut carry, i, &p.indicators, &s.indicators, measure);
    }
    // The unit form shows the unit's own funds block, or the projects' sum.
    let rolled_up;
    let funds = match &unit.funds {
        Some(f) => f,
        None => {
            rolled_up = Funds {
                total: FundRow {
                    budget: scores.unit.budget.into(),
                    executed: scores.unit.executed.into(),
                    ..FundRow::default()
                },
                ..Funds::default()
            };
            &rolled_up
        }
    };
    let ctx = Context {
        year: year.clone(),
        index: 0,
        unit,
        scores,
        project: None,
        indicators: (&unit.indicators, &scores.unit.indicators),
        funds: fund_lines(&layout.unit, funds, unit_fund_lines),
        execution: (
            Some(scores.unit.execution_weight),
            scores.unit.execution_score,
        ),
        execution_typed: Some(&unit.execution_weight),
        rolled_up: unit.funds.is_none(),
    };
    let (form, computed) = lay_out(&layout.unit, &ctx, sheet_name("部门整体", &mut taken));
    forms.push(form);
    carry.computed.push(computed);
    carry_indicators(
        &mut carry,
        forms.len() - 1,
        &unit.indicators,
        &scores.unit.indicators,
        shows_measure(&layout.unit),
    );
    Report {
        file_stem: file_stem(unit),
        narrative: narrative(unit, scores),
        forms,
        carry,
    }
}

/// Whether a form has a 度量单位 column (`indicator.measure`).
fn shows_measure(layout: &FormLayout) -> bool {
    layout
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .any(|c| c.bind.as_deref() == Some("indicator.measure"))
}

/// The fields of form `form`'s indicators that its rows have no column for. When the
/// form has a 度量单位 column (`measure`), the unit carried is the one the form shows,
/// read back with the target's 指标值 (see [`split_target`]).
fn carry_indicators(
    carry: &mut Carry,
    form: usize,
    indicators: &[Indicator],
    scores: &[IndicatorScore],
    measure: bool,
) {
    for (index, (ind, score)) in indicators.iter().zip(scores).enumerate() {
        let typed = &ind.typed_score;
        let c = IndicatorCarry {
            form,
            index,
            name: ind.name.trim().to_string(),
            unit: if measure {
                split_target(ind).measure
            } else {
                ind.unit.clone()
            },
            deduction: ind.deduction.text().to_string(),
            deduction_reason: ind.deduction_reason.clone(),
            typed_score: if is_quantitative(score.method) || shows_typed(ind, score) {
                String::new()
            } else {
                typed.text().to_string()
            },
            empty_levels: [("一级指标", &ind.level1), ("二级指标", &ind.level2)]
                .into_iter()
                .filter(|(_, text)| text.trim().is_empty())
                .map(|(label, _)| label)
                .collect(),
            band: ind.band.trim().to_string(),
        };
        let blank = |t: &str| t.trim().is_empty();
        if !((measure || blank(&c.unit))
            && blank(&c.deduction)
            && blank(&c.deduction_reason)
            && blank(&c.typed_score)
            && blank(&c.band)
            && c.empty_levels.is_empty())
        {
            carry.indicators.push(c);
        }
    }
}
