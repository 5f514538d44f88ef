//! The forms' layouts as data (`src/layouts/*.json`) and laying a form out by one:
//! which value goes in which cell, merged cells, computed cells.

use super::*;

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
pub(super) struct FundLine<'a> {
    label: &'a str,
    /// The model's row it shows (`total`, `fiscal`, `other`…).
    key: &'a str,
    row: Option<&'a FundRow>,
    /// Only the 年度资金总额 row carries 分值 and 得分.
    total: bool,
}

pub(super) fn project_fund_lines(funds: &Funds) -> Vec<FundLine<'_>> {
    vec![
        FundLine {
            label: glossary::FUND_TOTAL,
            key: "total",
            row: Some(&funds.total),
            total: true,
        },
        FundLine {
            label: glossary::FUND_FISCAL_ROW,
            key: "fiscal",
            row: funds.fiscal.as_ref(),
            total: false,
        },
        FundLine {
            label: glossary::FUND_CARRYOVER,
            key: "carryover",
            row: funds.carryover.as_ref(),
            total: false,
        },
        FundLine {
            label: glossary::FUND_OTHER,
            key: "other",
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
                key: &spec.row,
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
pub(super) fn fund_lines<'a>(
    layout: &'a FormLayout,
    funds: &'a Funds,
    central: fn(&Funds) -> Vec<FundLine<'_>>,
) -> Vec<FundLine<'a>> {
    match &layout.fund_rows {
        Some(rows) => layout_fund_lines(rows, funds),
        None => central(funds),
    }
}

pub(super) fn unit_fund_lines(funds: &Funds) -> Vec<FundLine<'_>> {
    let mut lines = vec![FundLine {
        label: glossary::FUND_TOTAL,
        key: "total",
        row: Some(&funds.total),
        total: true,
    }];
    for (label, key, row) in [
        (glossary::UNIT_FUND_FISCAL_ROW, "fiscal", &funds.fiscal),
        (glossary::FUND_CARRYOVER, "carryover", &funds.carryover),
        (glossary::FUND_OTHER, "other", &funds.other),
        (glossary::UNIT_FUND_BASIC_ROW, "basic", &funds.basic),
        (glossary::FUND_PROJECT, "project", &funds.project),
    ] {
        if let Some(r) = row {
            lines.push(FundLine {
                label,
                key,
                row: Some(r),
                total: false,
            });
        }
    }
    lines
}

/// Everything a form's bindings can refer to.
pub(super) struct Context<'a> {
    pub(super) year: String,
    pub(super) index: usize,
    pub(super) unit: &'a Unit,
    pub(super) scores: &'a Scores,
    pub(super) project: Option<(&'a Project, &'a ProjectScore)>,
    /// The form's indicator block: the project's, or the unit form's own.
    pub(super) indicators: (&'a [Indicator], &'a [IndicatorScore]),
    pub(super) funds: Vec<FundLine<'a>>,
    pub(super) execution: (Option<Decimal>, Option<Decimal>),
    /// The execution 分值 as the form has it typed (blank → the rulebook's).
    pub(super) execution_typed: Option<&'a Figure>,
    /// The amounts are the projects' sum (a unit without its own funds block).
    pub(super) rolled_up: bool,
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
            // The closing rows of a form that has them (四川): each its own part.
            "conclusion" => {
                let conclusion = deviation_parts(&p.deviation).conclusion;
                let grade = s.grade.as_deref().unwrap_or_default();
                if conclusion.is_empty() {
                    total_value("grade", s.total, None, [None, None], s.grade.as_deref())
                } else if grade.is_empty()
                    || glossary::GRADES.iter().any(|g| conclusion.starts_with(g))
                {
                    Value::text(conclusion)
                } else {
                    // (The grade the figures give, before the user's words.)
                    Value::text(format!("{grade}。{conclusion}"))
                }
            }
            "problems" => Value::text(deviation_parts(&p.deviation).problems),
            "measures" => Value::text(deviation_parts(&p.deviation).measures),
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
            "reason" => Value::text(self.fund_reason(line)),
            "rate" => Value::percent(row.and_then(row_rate)).computed(line.label, glossary::RATE),
            _ => Value::text(""),
        }
    }
}

impl Context<'_> {
    /// The 原因 of a fund line: the project's deviation lines that name it (see
    /// [`deviation_parts`]); the total row also takes those of a row the form does not
    /// show (上年结转资金 when it holds nothing), each with its name, so that none is lost.
    fn fund_reason(&self, line: &FundLine<'_>) -> String {
        let Some((p, _)) = self.project else {
            return String::new();
        };
        let reasons = deviation_parts(&p.deviation).fund_reasons;
        if reasons.is_empty() {
            return String::new();
        }
        let profile = crate::profile::Profile::from_key_or_json(&self.unit.profile)
            .ok()
            .flatten();
        let profile = profile
            .as_ref()
            .unwrap_or_else(|| crate::profile::Profile::central());
        let row_of = |label: &str| match label {
            "" => Some("total"),
            _ => profile.fund_row(&crate::profile::normalize(label)),
        };
        let shown = |key: &str| self.funds.iter().any(|l| l.key == key);
        let own_label = line.label.strip_prefix("其中：").unwrap_or(line.label);
        reasons
            .iter()
            .filter(|(label, _)| {
                let row = row_of(label);
                row == Some(line.key) || (line.total && !row.is_some_and(shown))
            })
            .map(|(label, text)| {
                if label.is_empty() || label == own_label {
                    text.clone()
                } else {
                    format!("{label}：{text}")
                }
            })
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// A project's deviation text in the parts the importer builds it from (四川's closing
/// rows and fund rows' 原因, see `io::xlsx`), for a form with a place for each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviationParts {
    /// 评价结论
    pub conclusion: String,
    /// 存在问题, and any text not under another part (the user's own 偏离原因).
    pub problems: String,
    /// 改进措施
    pub measures: String,
    /// Each fund row's 原因: (the row's name as the form wrote it, empty for the total
    /// row; the reason).
    pub fund_reasons: Vec<(String, String)>,
}

/// Splits a project's deviation text: a line starting `评价结论：`, `存在问题：` or
/// `改进措施：` begins that part, `预算执行偏差原因：` / `预算执行偏差原因（单位资金）：` a
/// fund row's reason; a line with none continues the part before it (a text typed over
/// several lines), and text before any part is a problem.
pub fn deviation_parts(text: &str) -> DeviationParts {
    #[derive(Clone, Copy)]
    enum Part {
        Conclusion,
        Problems,
        Measures,
        Reason,
    }
    fn after_colon(s: &str) -> Option<&str> {
        s.strip_prefix('：').or_else(|| s.strip_prefix(':'))
    }
    let mut parts = DeviationParts::default();
    let mut current = Part::Problems;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let named = [
            ("评价结论", Part::Conclusion),
            ("存在问题", Part::Problems),
            ("改进措施", Part::Measures),
        ]
        .into_iter()
        .find_map(|(label, part)| {
            line.strip_prefix(label)
                .and_then(after_colon)
                .map(|r| (part, r))
        });
        let (part, rest) = match named {
            Some(found) => found,
            None => match line.strip_prefix(glossary::FUND_REASON) {
                Some(rest) => {
                    let (label, rest) =
                        match rest.strip_prefix('（').and_then(|r| r.split_once('）')) {
                            Some((label, r)) => (label, r),
                            None => ("", rest),
                        };
                    match after_colon(rest) {
                        Some(reason) => {
                            parts
                                .fund_reasons
                                .push((label.trim().to_string(), String::new()));
                            (Part::Reason, reason)
                        }
                        None => (current, line),
                    }
                }
                None => (current, line),
            },
        };
        current = part;
        let slot = match part {
            Part::Conclusion => &mut parts.conclusion,
            Part::Problems => &mut parts.problems,
            Part::Measures => &mut parts.measures,
            Part::Reason => match parts.fund_reasons.last_mut() {
                Some((_, reason)) => reason,
                None => &mut parts.problems,
            },
        };
        let rest = rest.trim();
        if rest.is_empty() {
            continue;
        }
        if !slot.is_empty() {
            slot.push('\n');
        }
        slot.push_str(rest);
    }
    parts
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
pub(super) fn is_quantitative(method: Method) -> bool {
    matches!(
        method,
        Method::Positive | Method::Equal | Method::Reverse | Method::Range | Method::Deadline
    )
}

/// Whether the form's 得分 cell holds the typed score exactly.
pub(super) fn shows_typed(ind: &Indicator, score: &crate::scoring::IndicatorScore) -> bool {
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

pub(super) fn grade_counts_text(scores: &Scores) -> String {
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

pub(super) fn lay_out(
    layout: &FormLayout,
    ctx: &Context<'_>,
    sheet: String,
) -> (Form, Vec<Computed>) {
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
pub(super) fn sheet_name(base: &str, taken: &mut Vec<String>) -> String {
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
