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

mod layout;
mod narrative;

pub use layout::*;
pub use narrative::*;

/// The central 2020 layout, built in.
pub const CENTRAL_2020: &str = include_str!("../layouts/central-2020.json");
/// The 四川 2023 layout, built in (its project form; the unit form is central's).
pub const SICHUAN_2023: &str = include_str!("../layouts/sichuan-2023.json");

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
