//! The unit's self-evaluation data, as the user enters or imports it.
//!
//! This is the project's own JSON format (documented in README). Every amount is in
//! 万元. Every figure a person types (amounts, weights, scores, rates) is a [`Figure`]:
//! the text as typed, serialised as a string, read once into a `rust_decimal::Decimal`
//! so that nothing is lost crossing JSON or the wasm boundary, and nothing unreadable
//! is ever counted. Figures that a person typed on
//! an imported form although they are derived (执行率, 得分, 总分, 等级) are kept in the
//! `typed*` fields exactly as typed, only for the audit; scoring never reads them,
//! except the typed score of a qualitative indicator, which *is* the user's choice.

pub use crate::figure::{Figure, Year};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Version of the JSON document written by this build.
pub const SCHEMA_VERSION: u32 = 1;

fn schema_version() -> u32 {
    SCHEMA_VERSION
}

/// A unit (部门/单位) and everything it evaluates for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Unit {
    #[serde(default = "schema_version")]
    pub schema_version: u32,
    /// The document's identity: a random name the page gives a unit document when it is
    /// born (new blank, a workbook opened, a file without one) and that travels with it
    /// in every saved JSON file and HTML copy, so that the page keeps each document's
    /// recovery apart and knows when two tabs hold the same one. Empty until then;
    /// never shown and never scored.
    pub document_id: String,
    /// 单位名称
    pub name: String,
    /// 年度 (the year evaluated, e.g. 2022), as typed
    pub year: Year,
    /// 主送单位 (the finance bureau the report is addressed to)
    pub addressee: String,
    /// 通知名 — the notice the evaluation follows
    pub basis: String,
    /// 文号 of that notice
    pub basis_number: String,
    /// 落款日期, as the user writes it (e.g. 2023年3月17日)
    pub date: String,
    /// The rules it is scored by: a preset key (`tiered`…) or a rulebook as JSON text;
    /// empty for the default rules.
    pub rules: String,
    /// The province profile its forms follow (表样): a built-in key (`central-2020`,
    /// `sichuan-2023`, `hubei-2020`, `chongqing`, `hunan`) or a profile as JSON text;
    /// empty → central 2020. It chooses the labels the importer looks for, the rules
    /// when `rules` is empty, and the layout of the exported forms.
    pub profile: String,
    /// Prose fields of the 自评工作总结
    pub narrative: Narrative,
    /// The unit's own funds block (部门整体 form); `None` → roll up from projects.
    pub funds: Option<Funds>,
    /// 预算执行率's 分值 on the unit's own form; blank → the rulebook's.
    pub execution_weight: Figure,
    /// The indicator block of the unit's own 部门（单位）整体支出绩效自评表, scored like a
    /// project's (RULES.md §2.1); empty when the form has none.
    pub indicators: Vec<Indicator>,
    /// 年度主要任务
    pub tasks: Vec<Task>,
    /// 年度总体目标 of the unit
    pub goal: Goal,
    pub projects: Vec<Project>,
    /// Derived figures typed on the 部门整体 form, for the audit.
    pub typed: UnitTyped,
}

/// The user's prose in the narrative report, by section (RULES.md §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Narrative {
    /// 一、自评工作开展情况
    pub work_done: String,
    /// （二）项目绩效目标完成情况 — the prose around the goals
    pub goals_summary: String,
    /// （三）偏差原因及改进措施
    pub deviation: String,
    /// 三、下一步工作措施
    pub next_steps: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Task {
    /// 任务名称
    pub name: String,
    /// 主要内容
    pub content: String,
    /// 完成情况
    pub completion: String,
}

/// 年度总体目标: 预期目标 and 实际完成情况.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Goal {
    pub expected: String,
    pub actual: String,
}

/// One row of a funds block: 年初预算数 / 全年预算数 / 全年执行数 (万元).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct FundRow {
    pub initial: Figure,
    pub budget: Figure,
    pub executed: Figure,
    /// 执行率 as typed, in percent (99.36 for “99.36%”).
    pub typed_rate: Figure,
    /// 得分 as typed (only meaningful on the 年度资金总额 row).
    pub typed_score: Figure,
}

/// A funds block. `total` is 年度资金总额; the optional rows split it by
/// 收入性质 (fiscal + carryover + other) and, on the unit form, by 支出性质
/// (basic + project). Each group that is present must add up to the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Funds {
    pub total: FundRow,
    /// 当年财政拨款 (also written 本年财政拨款 / 财政拨款)
    pub fiscal: Option<FundRow>,
    /// 上年结转资金
    pub carryover: Option<FundRow>,
    /// 其他资金
    pub other: Option<FundRow>,
    /// 基本支出 (unit form)
    pub basic: Option<FundRow>,
    /// 项目支出 (unit form)
    pub project: Option<FundRow>,
}

/// A project (项目支出) and its 项目支出绩效自评表.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Project {
    /// 项目名称
    pub name: String,
    /// 主管部门
    pub department: String,
    /// 实施单位
    pub implementer: String,
    pub funds: Funds,
    /// 预算执行率's 分值; `None` → the rulebook's.
    pub execution_weight: Figure,
    pub goal: Goal,
    pub indicators: Vec<Indicator>,
    /// （4）偏离绩效目标的原因及下一步改进措施 (narrative prose)
    pub deviation: String,
    /// Derived figures typed on the form, for the audit.
    pub typed: ProjectTyped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ProjectTyped {
    /// 总分 as typed
    pub total: Figure,
    /// 自评等级 as typed
    pub grade: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct UnitTyped {
    /// 自评等级 / 总分 of the unit form, if typed
    pub total: Figure,
    pub grade: Option<String>,
}

/// One row of the indicator tree (三级指标).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct Indicator {
    /// 一级指标 (产出指标 / 效益指标 / 满意度指标)
    pub level1: String,
    /// 二级指标 (数量指标, 社会效益指标, …)
    pub level2: String,
    /// 三级指标
    pub name: String,
    /// 年度指标值, as written (≥50个, 100%, 效果显著 …)
    pub target: String,
    /// 实际完成值, as written
    pub actual: String,
    /// 度量单位, when the form has its own column for it
    pub unit: String,
    /// 分值
    pub weight: Figure,
    /// 得分 typed by the user: the chosen score of a qualitative indicator, or
    /// a typed figure that the audit compares with the computed score.
    pub typed_score: Figure,
    /// The band a qualitative row achieved, chosen by the user (达成 / 部分达成 / 未达成,
    /// or the full labels of RULES.md §3); empty → read from 实际完成值 where it says.
    /// The actual keeps the user's own words as the description.
    pub band: String,
    /// 偏差原因分析及改进措施
    pub reason: String,
    /// 不适用: excluded from the total
    pub not_applicable: bool,
    /// 扣减分数 (manual deduction, e.g. for over-achievement) and its reason
    pub deduction: Figure,
    pub deduction_reason: String,
}

impl Unit {
    /// A blank unit with one blank project, as a user starts one.
    pub fn blank() -> Unit {
        Unit {
            schema_version: SCHEMA_VERSION,
            projects: vec![Project::blank()],
            ..Unit::default()
        }
    }
}

impl Project {
    /// A blank project: the funds rows of the form and one row per 一级指标 with its
    /// default weight, ready to be filled in.
    pub fn blank() -> Project {
        let weights = [
            (crate::glossary::OUTPUT, 50),
            (crate::glossary::BENEFIT, 30),
            (crate::glossary::SATISFACTION, 10),
        ];
        Project {
            funds: Funds {
                fiscal: Some(FundRow::default()),
                carryover: Some(FundRow::default()),
                other: Some(FundRow::default()),
                ..Funds::default()
            },
            indicators: weights
                .iter()
                .map(|(level1, weight)| Indicator {
                    level1: (*level1).to_string(),
                    weight: Decimal::from(*weight).into(),
                    ..Indicator::default()
                })
                .collect(),
            ..Project::default()
        }
    }
}
