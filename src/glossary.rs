//! One glossary for the domain's Chinese terms. Every label the user reads that names
//! a domain thing comes from here (the screen, the CLI, the report and the importer).

/// 一级指标 names of the central 2020 layout.
pub const OUTPUT: &str = "产出指标";
pub const BENEFIT: &str = "效益指标";
pub const SATISFACTION: &str = "满意度指标";
/// The execution part of the score (预算执行率).
pub const EXECUTION: &str = "预算执行率";

/// 二级指标 names under each 一级指标 (RULES.md §2), old and new forms.
pub const LEVEL2: &[(&str, &[&str])] = &[
    (
        OUTPUT,
        &[
            "数量指标",
            "质量指标",
            "时效指标",
            "成本指标",
            "经济成本指标",
            "社会成本指标",
            "生态环境成本指标",
        ],
    ),
    (
        BENEFIT,
        &[
            "经济效益指标",
            "社会效益指标",
            "生态效益指标",
            "可持续影响指标",
        ],
    ),
    (SATISFACTION, &["服务对象满意度指标"]),
];

/// True for a 一级指标 name of the forms (产出指标, 效益指标, 满意度指标).
pub fn is_level1(name: &str) -> bool {
    LEVEL2.iter().any(|(level, _)| *level == name)
}

/// Grades, best first.
pub const GRADES: [&str; 4] = ["优", "良", "中", "差"];

/// Qualitative bands (RULES.md §3), best first: full label and short label.
pub const BANDS: [(&str, &str); 3] = [
    ("达成年度指标", "达成"),
    ("部分达成年度指标并具有一定效果", "部分达成"),
    ("未达成年度指标且效果较差", "未达成"),
];

/// The band a user chose for a qualitative row (the full or the short label), as an index
/// into [`BANDS`].
pub fn band_index(text: &str) -> Option<usize> {
    let t = text.trim();
    BANDS
        .iter()
        .position(|(full, short)| t == *full || t == *short)
}

/// Form labels.
pub const PROJECT_FORM: &str = "项目支出绩效自评表";
pub const UNIT_FORM: &str = "部门（单位）整体支出绩效自评表";
pub const FUND_TOTAL: &str = "年度资金总额";
pub const FUND_FISCAL: &str = "当年财政拨款";
pub const FUND_CARRYOVER: &str = "上年结转资金";
pub const FUND_OTHER: &str = "其他资金";
pub const FUND_BASIC: &str = "基本支出";
pub const FUND_PROJECT: &str = "项目支出";
/// Row labels of the forms' budget blocks, as the central 2020 layout writes them (the
/// importer reads them back by normalising; a test keeps each ending in its base label).
pub const FUND_FISCAL_ROW: &str = "其中：当年财政拨款";
pub const UNIT_FUND_FISCAL_ROW: &str = "其中：财政拨款";
pub const UNIT_FUND_BASIC_ROW: &str = "按支出性质：基本支出";
/// A fund row's 原因 (四川's column beside 预算执行率 and 得分), as the importer keeps
/// it in the project's deviation text: `预算执行偏差原因：…` for the total row,
/// `预算执行偏差原因（单位资金）：…` for another (see [`crate::report::deviation_parts`]).
pub const FUND_REASON: &str = "预算执行偏差原因";
/// The exported files: `jixiao report` and the page name them `<单位>_<年度>_` and
/// these names.
pub const REPORT_FILE: &str = "自评报告.docx";
pub const FORMS_FILE: &str = "自评表.xlsx";
pub const INITIAL: &str = "年初预算数";
pub const BUDGET: &str = "全年预算数";
pub const EXECUTED: &str = "全年执行数";
pub const RATE: &str = "执行率";
pub const WEIGHT: &str = "分值";
pub const SCORE: &str = "得分";
pub const TOTAL: &str = "总分";
pub const GRADE: &str = "自评等级";
pub const TARGET: &str = "年度指标值";
pub const ACTUAL: &str = "实际完成值";
pub const REASON: &str = "偏差原因分析及改进措施";
/// 指标性质 of a qualitative target, on forms with that column (四川).
pub const QUALITATIVE: &str = "定性";

/// The Chinese names of the fields a profile labels (`fund.budget` → 全年预算数), for
/// the messages and the page's question “which column is 全年预算数?”.
pub const PROFILE_FIELDS: &[(&str, &str)] = &[
    ("fund.initial", INITIAL),
    ("fund.budget", BUDGET),
    ("fund.executed", EXECUTED),
    ("fund.weight", "预算执行率分值"),
    ("fund.rate", RATE),
    ("fund.score", "预算执行率得分"),
    ("fund.reason", FUND_REASON),
    ("row.total", FUND_TOTAL),
    ("row.fiscal", FUND_FISCAL),
    ("row.carryover", FUND_CARRYOVER),
    ("row.other", FUND_OTHER),
    ("row.basic", FUND_BASIC),
    ("row.project", FUND_PROJECT),
    ("ind.name", "三级指标"),
    ("ind.level1", "一级指标"),
    ("ind.level2", "二级指标"),
    ("ind.target", TARGET),
    ("ind.adjusted", "调整指标值"),
    ("ind.actual", ACTUAL),
    ("ind.weight", WEIGHT),
    ("ind.score", SCORE),
    ("ind.reason", REASON),
    ("ind.improve", "改进措施"),
    ("ind.unit", "度量单位"),
    ("ind.operator", "指标性质"),
    ("end.total", TOTAL),
    ("end.conclusion", "评价结论"),
    ("end.problems", "存在问题"),
    ("end.measures", "改进措施"),
    ("split.income", "按收入性质分"),
    ("split.expense", "按支出性质分"),
    ("goal.block", "年度绩效目标"),
    ("ind.core", "是否核心指标"),
    ("unit.name", "部门（单位）名称"),
];

/// The Chinese name of a profile field (`fund.budget` → 全年预算数).
pub fn profile_field(field: &str) -> &str {
    PROFILE_FIELDS
        .iter()
        .find(|(key, _)| *key == field)
        .map_or(field, |(_, name)| name)
}

/// Whether a profile field names a row (年度资金总额) rather than a column.
pub fn is_row_field(field: &str) -> bool {
    field.starts_with("row.") || field.starts_with("end.")
}

/// The Chinese label of a field path used in findings (`funds.fiscal.budget`,
/// `indicators.2.actual`…), for messages and the screen.
pub fn field_label(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let leaf = parts.last().copied().unwrap_or("");
    let row = |name: &str| match name {
        "total" => FUND_TOTAL,
        "fiscal" => FUND_FISCAL,
        "carryover" => FUND_CARRYOVER,
        "other" => FUND_OTHER,
        "basic" => FUND_BASIC,
        "project" => FUND_PROJECT,
        _ => "",
    };
    let name = match leaf {
        "initial" => INITIAL,
        "budget" => BUDGET,
        "executed" => EXECUTED,
        "typedRate" => RATE,
        "typedScore" => SCORE,
        "target" => TARGET,
        "actual" => ACTUAL,
        "weight" => WEIGHT,
        "reason" => REASON,
        "level1" => "一级指标",
        "level2" => "二级指标",
        "name" => "名称",
        "unit" => "度量单位",
        "deduction" => "扣减分数",
        "deductionReason" => "扣减原因",
        "band" => "完成程度",
        "total" => TOTAL,
        "grade" => GRADE,
        "executionWeight" => "预算执行率分值",
        _ => leaf,
    };
    if parts.len() >= 3 && parts[0] == "funds" {
        format!("{}·{}", row(parts[1]), name)
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_row_labels_end_in_their_base_labels() {
        assert!(FUND_FISCAL_ROW.ends_with(FUND_FISCAL));
        assert!(UNIT_FUND_FISCAL_ROW.ends_with("财政拨款"));
        assert!(UNIT_FUND_BASIC_ROW.ends_with(FUND_BASIC));
    }
}
