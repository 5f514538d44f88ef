//! The blocks of a form: funds, 年度总体目标, indicators, 总分, 自评等级, 年度主要任务.
use super::*;
use crate::profile::Profile;

// ---------------------------------------------------------------------------------
// Blocks

/// Labels that start a new block of a form: a block's rows end at them.
pub(super) fn is_block_label(key: &str) -> bool {
    const STARTS: &[&str] = &[
        "年度总体目标",
        "总体目标",
        "年度主要任务",
        "主要任务",
        "绩效指标",
        "一级指标",
        "年度预算执行情况",
        "预算执行情况",
        "项目资金",
        g::TOTAL,
        g::GRADE,
        "评价等级",
        "评价结论",
        "自评结论",
        "存在问题",
    ];
    STARTS.iter().any(|s| key.starts_with(s))
}

/// 总分, 总分（100分）.
pub(super) fn is_total_label(p: &Profile, key: &str) -> bool {
    p.is("end.total", key)
}

/// End of the indicator rows.
pub(super) fn is_indicator_end(p: &Profile, key: &str) -> bool {
    is_total_label(p, key)
        || ["end.conclusion", "end.problems", "end.measures"]
            .iter()
            .any(|f| p.is(f, key))
        || matches!(
            key,
            "合计" | "自评等级" | "评价等级" | "评价结论" | "自评结论" | "存在问题" | "改进措施"
        )
}

pub(super) struct FundLayout {
    pub(super) initial: Option<u32>,
    pub(super) budget: u32,
    pub(super) executed: u32,
    pub(super) weight: Option<u32>,
    pub(super) rate: Option<u32>,
    pub(super) score: Option<u32>,
    /// 原因 (四川): why a row's execution fell short, typed per row.
    pub(super) reason: Option<u32>,
    pub(super) yuan: bool,
    /// No label says 元 or 万元, and the amounts were taken as 元 by their size.
    pub(super) guessed: bool,
    /// No label says 元 or 万元, and the amounts were taken as 元 because the built-in
    /// profile says its forms are in 元 (重庆): still an assumption, so it is said.
    pub(super) profile_yuan: bool,
    /// (row, which) of each labelled fund row, in form order.
    pub(super) rows: Vec<(u32, FundKind)>,
    /// The points the block's label gives the execution rate (湖北's
    /// 预算执行情况（万元）（20分）), for a form with no 分值 column.
    pub(super) points: Option<Decimal>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) enum FundKind {
    Total,
    Fiscal,
    Carryover,
    Other,
    Basic,
    Project,
}

pub(super) fn fund_kind(p: &Profile, key: &str) -> Option<FundKind> {
    Some(match p.fund_row(key)? {
        "total" => FundKind::Total,
        "fiscal" => FundKind::Fiscal,
        "carryover" => FundKind::Carryover,
        "other" => FundKind::Other,
        "basic" => FundKind::Basic,
        _ => FundKind::Project,
    })
}

/// A column or row of a form that was not found: its field key (`fund.budget`) and
/// near which row it was looked for.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Missing {
    pub(super) fields: Vec<&'static str>,
    /// The header row the block was found at, if any.
    pub(super) near: Option<u32>,
}

impl Missing {
    fn new(fields: &[&'static str], near: Option<u32>) -> Missing {
        Missing {
            fields: fields.to_vec(),
            near,
        }
    }
}

pub(super) fn find_funds(grid: &Grid) -> Result<FundLayout, Missing> {
    let p = &*grid.profile;
    let Some(budget_pos) = grid.find(|k| p.is("fund.budget", k)) else {
        // The executed column, or the row above 年度资金总额, says where the block is.
        let near = grid
            .find(|k| p.is("fund.executed", k))
            .map(|pos| pos.0)
            .or_else(|| {
                grid.find(|k| fund_kind(p, k) == Some(FundKind::Total))
                    .map(|pos| pos.0.saturating_sub(1))
            });
        return Err(Missing::new(&["fund.budget"], near));
    };
    let header_row = budget_pos.0;
    let budget = budget_pos.1;
    let Some(executed) = grid.col_for(header_row, "fund.executed") else {
        return Err(Missing::new(&["fund.executed"], Some(header_row)));
    };
    let initial = grid.col_for(header_row, "fund.initial");
    let weight = grid.col_for(header_row, "fund.weight");
    let rate = grid.col_for(header_row, "fund.rate");
    let score = grid.col_for(header_row, "fund.score");
    let reason = grid.col_for(header_row, "fund.reason");
    let first_data = [Some(budget), Some(executed), initial]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(budget);

    let mut rows = Vec::new();
    // Texts that may name the unit of the amounts: the header row, the block label.
    let mut label_texts: Vec<String> = grid
        .row(header_row)
        .filter(|(_, c)| !c.key.is_empty())
        .map(|(_, c)| c.key.clone())
        .collect();
    if header_row > 0 {
        label_texts.extend(
            grid.row(header_row - 1)
                .filter(|(col, c)| *col < first_data && !c.key.is_empty())
                .map(|(_, c)| c.key.clone()),
        );
    }
    let last = header_row.saturating_add(16);
    for r in grid.rows_after(header_row) {
        if r > last {
            break;
        }
        let mut kind = None;
        let mut stop = false;
        for (col, cell) in grid.row(r) {
            if cell.key.is_empty() {
                continue;
            }
            if p.is("split.income", &cell.key) || p.is("split.expense", &cell.key) {
                // A split written as text (湖南): read by `read_text_splits`.
                continue;
            }
            if col < first_data {
                if let Some(k) = fund_kind(p, &cell.key) {
                    kind = Some(k);
                } else if is_block_label(&cell.key)
                    && !cell.key.starts_with("项目资金")
                    && !cell.key.contains("预算执行情况")
                {
                    stop = true;
                } else {
                    label_texts.push(cell.key.clone());
                }
            } else if is_block_label(&cell.key) {
                stop = true;
            }
        }
        if stop && kind.is_none() {
            break;
        }
        if let Some(k) = kind {
            // 其他 may come in several rows (四川: 财政专户管理资金, 单位资金, 其他资金):
            // added up in `read_funds`.
            if k == FundKind::Other || !rows.iter().any(|(_, seen)| *seen == k) {
                rows.push((r, k));
            }
        }
    }
    if !rows.iter().any(|(_, k)| *k == FundKind::Total) {
        return Err(Missing::new(&["row.total"], Some(header_row)));
    }
    let points = label_texts
        .iter()
        .filter(|t| t.contains("预算执行"))
        .find_map(|t| crate::value::level_with_points(t).1);
    let said = unit_is_yuan(&label_texts).or_else(|| {
        grid.cells
            .values()
            .filter(|c| !c.key.is_empty() && c.key.chars().count() <= 40)
            .find_map(|c| unit_note(&c.key))
    });
    // Nothing says which: an amount of 100,000 and more in 万元 (10亿元) is not what a
    // unit's form holds, so such amounts are 元 — and the user is told (`guessed`).
    let looks_like_yuan = || {
        rows.iter()
            .filter(|(_, k)| *k == FundKind::Total)
            .flat_map(|&(r, _)| [Some(budget), Some(executed), initial].map(|c| (r, c)))
            .filter_map(|(r, c)| c.and_then(|c| grid.cell((r, c))))
            .any(|cell| match read_number(Some(cell), Kind::Score) {
                Num::Value(v) => v.abs() >= Decimal::from(100_000),
                _ => false,
            })
    };
    // The profile's word where the sheet says none: the user's answer to the guess, or
    // a built-in profile's (重庆's forms are in 元, whatever the size of the amounts —
    // 80000 元 is no 8 亿元), which is still an assumption about this sheet and said.
    let by_profile = said.is_none() && p.amounts_in_yuan().is_some();
    let said = said.or_else(|| p.amounts_in_yuan());
    let guessed = said.is_none() && looks_like_yuan();
    let yuan = said.unwrap_or(guessed);
    // (Not when it is the user's own answer: a profile of theirs that names it.)
    let built_in = Profile::built_in(&p.name).or(p.extends.as_deref().and_then(Profile::built_in));
    let profile_yuan = by_profile && yuan && built_in.is_some_and(|b| b.amounts == p.amounts);
    Ok(FundLayout {
        initial,
        budget,
        executed,
        weight,
        rate,
        score,
        reason,
        yuan,
        guessed,
        profile_yuan,
        rows,
        points,
    })
}

/// Whether labels of an amount block say （元） (true) or （万元） (false).
pub(super) fn unit_is_yuan(texts: &[String]) -> Option<bool> {
    for t in texts {
        if t.contains("万元") {
            return Some(false);
        }
        if t.contains("（元）") || t.contains("单位：元") || t.contains("：元）") {
            return Some(true);
        }
    }
    None
}

/// A sheet-wide note such as “金额单位：元”.
pub(super) fn unit_note(key: &str) -> Option<bool> {
    if key.contains("单位：万元") {
        Some(false)
    } else if key.contains("单位：元") {
        Some(true)
    } else {
        None
    }
}

pub(super) fn read_funds(reading: &mut Reading<'_>, layout: &FundLayout) -> (Funds, Figure) {
    let amount = Kind::Amount { yuan: layout.yuan };
    let mut funds = Funds::default();
    let mut execution_weight = Figure::BLANK;
    for &(r, kind) in &layout.rows {
        let mut row = FundRow::default();
        let role = |column| Role::Fund(kind, column);
        if let Some(c) = layout.initial {
            row.initial = reading.typed((r, c), amount, role(Column::Initial));
        }
        row.budget = reading.typed((r, layout.budget), amount, role(Column::Budget));
        row.executed = reading.typed((r, layout.executed), amount, role(Column::Executed));
        if let Some(c) = layout.rate {
            row.typed_rate = reading.typed((r, c), Kind::Rate, role(Column::Rate));
        }
        if let Some(c) = layout.score {
            row.typed_score = reading.typed((r, c), Kind::Score, role(Column::Score));
        }
        match kind {
            FundKind::Total => {
                if let Some(c) = layout.weight {
                    execution_weight = reading.typed((r, c), Kind::Score, role(Column::Weight));
                }
                funds.total = row;
            }
            FundKind::Fiscal => {
                // 重庆 types the execution score (and its weight) on the 财政拨款 row:
                // with nothing on the total row, they are the form's.
                if funds.total.typed_score.is_blank() && !row.typed_score.is_blank() {
                    funds.total.typed_score = std::mem::take(&mut row.typed_score);
                }
                if execution_weight.is_blank() {
                    if let Some(c) = layout.weight {
                        execution_weight = reading.typed((r, c), Kind::Score, role(Column::Weight));
                    }
                }
                funds.fiscal = Some(row);
            }
            FundKind::Carryover => funds.carryover = Some(row),
            FundKind::Other => {
                funds.other = Some(match funds.other.take() {
                    Some(before) => FundRow {
                        initial: add(&before.initial, &row.initial),
                        budget: add(&before.budget, &row.budget),
                        executed: add(&before.executed, &row.executed),
                        // A rate or score typed on one of several rows is that row's,
                        // not the sum's: not audited against the sum (one that cannot
                        // be read is kept, to be said at its field).
                        typed_rate: unreadable_of(&before.typed_rate, &row.typed_rate),
                        typed_score: unreadable_of(&before.typed_score, &row.typed_score),
                    },
                    None => row,
                })
            }
            FundKind::Basic => funds.basic = Some(row),
            FundKind::Project => funds.project = Some(row),
        }
    }
    if execution_weight.is_blank() && layout.weight.is_none() {
        if let Some(points) = layout.points {
            execution_weight = Figure::from(points);
        }
    }
    (funds, execution_weight)
}

/// The first of two typed figures that cannot be read, else blank.
fn unreadable_of(a: &Figure, b: &Figure) -> Figure {
    [a, b]
        .into_iter()
        .find(|f| f.is_unreadable())
        .cloned()
        .unwrap_or(Figure::BLANK)
}

/// The 原因 typed on the fund rows (四川), as lines of the project's deviation text:
/// `预算执行偏差原因：…` for the total row, `预算执行偏差原因（单位资金）：…` for another,
/// named by its label as the form writes it (without 其中：). Several 其他 rows are
/// added into one, so each keeps its own name here.
pub(super) fn read_fund_reasons(grid: &Grid, layout: &FundLayout) -> Vec<String> {
    let Some(col) = layout.reason else {
        return Vec::new();
    };
    let p = &*grid.profile;
    let mut lines = Vec::new();
    for &(r, kind) in &layout.rows {
        let text = grid.text((r, col));
        if text.is_empty() || is_blank_mark(&text) {
            continue;
        }
        if kind == FundKind::Total {
            lines.push(format!("{}：{text}", g::FUND_REASON));
            continue;
        }
        let label = grid
            .row(r)
            .find(|(c, cell)| *c < col && fund_kind(p, &cell.key) == Some(kind))
            .map(|(_, cell)| cell.key.clone())
            .unwrap_or_default();
        let label = label.strip_prefix("其中：").unwrap_or(&label);
        lines.push(format!("{}（{label}）：{text}", g::FUND_REASON));
    }
    lines
}

/// Two amounts of one group added: blank is nothing, an unreadable one stays (it is
/// reported at its field, never counted).
fn add(a: &Figure, b: &Figure) -> Figure {
    match (a.value(), b.value()) {
        (Some(x), Some(y)) => Figure::from(x.saturating_add(y)),
        _ if a.is_unreadable() => a.clone(),
        _ if b.is_unreadable() => b.clone(),
        _ if a.is_blank() => b.clone(),
        _ => a.clone(),
    }
}

/// 年度总体目标: the texts under 预期目标 and 实际完成情况.
pub(super) fn read_goal(grid: &Grid) -> Goal {
    let Some(label) =
        grid.find(|k| k.starts_with("年度总体目标") || k == "总体目标" || k == "年度目标")
    else {
        return Goal::default();
    };
    let is_expected = |k: &str| k.starts_with("预期目标") || k == "年度目标" || k == "目标";
    let is_actual = |k: &str| k.starts_with("实际完成情况") || k == "完成情况";
    // The labels sit on the label's row, or on the row below it.
    for r in [label.0, label.0.saturating_add(1)] {
        // (Not the block's own label: 四川 heads the block 年度目标.)
        let expected = grid
            .row(r)
            .find(|(col, c)| (r, *col) != label && !c.key.is_empty() && is_expected(&c.key))
            .map(|(col, _)| col);
        let actual = grid.col_in_row(r, is_actual);
        if expected.is_none() && actual.is_none() {
            continue;
        }
        let mut label_cols: Vec<u32> = grid
            .row(r)
            .filter(|(_, c)| !c.key.is_empty())
            .map(|(col, _)| col)
            .collect();
        label_cols.sort_unstable();
        // The value under a label (possibly a merged cell starting to its right,
        // before the next label), else the value to its right — but not the other
        // goal label: an empty goal stays empty.
        let under = |col: Option<u32>| -> String {
            let Some(col) = col else {
                return String::new();
            };
            let next = label_cols.iter().copied().find(|&c| c > col);
            for (c, cell) in grid.row(r.saturating_add(1)) {
                if c < col || next.is_some_and(|n| c >= n) {
                    continue;
                }
                let text = cell_text(cell);
                if !text.is_empty() {
                    return text;
                }
            }
            let right = grid.value_right((r, col));
            let other = [expected, actual].into_iter().flatten().find(|&c| c > col);
            match other {
                Some(other) if right == grid.text((r, other)) => String::new(),
                _ => right,
            }
        };
        return Goal {
            expected: under(expected),
            actual: under(actual),
        };
    }
    Goal {
        expected: grid.value_right(label),
        actual: String::new(),
    }
}

pub(super) struct IndicatorLayout {
    pub(super) header_row: u32,
    pub(super) level1: Option<u32>,
    pub(super) level2: Option<u32>,
    pub(super) name: u32,
    pub(super) target: u32,
    pub(super) actual: u32,
    /// 分值 (湖北's goal blocks have none: weights per block only).
    pub(super) weight: Option<u32>,
    pub(super) score: Option<u32>,
    pub(super) reason: Option<u32>,
    pub(super) improve: Option<u32>,
    pub(super) unit: Option<u32>,
    pub(super) op: Option<u32>,
    /// 调整指标值: the target when it is filled in.
    pub(super) adjusted: Option<u32>,
}

/// The indicator block's header: the first row with a 三级指标 (or 指标名称) label and
/// 年度指标值 and 实际完成值 columns. Without a 分值 column the block is still read
/// (its weights blank), and the column is reported missing.
pub(super) fn find_indicators(grid: &Grid) -> Result<(IndicatorLayout, Option<Missing>), Missing> {
    let p = &*grid.profile;
    let mut from = 0;
    let mut first: Option<(u32, Vec<&'static str>)> = None;
    loop {
        let Some(pos) = grid.find_from(from, |k| p.is("ind.name", k)) else {
            return Err(match first {
                Some((row, fields)) => Missing::new(&fields, Some(row)),
                None => {
                    let near = grid
                        .find(|k| p.is("ind.target", k) || p.is("ind.actual", k))
                        .map(|pos| pos.0);
                    Missing::new(&["ind.name"], near)
                }
            });
        };
        let r = pos.0;
        let col = |field: &str| grid.col_for(r, field);
        if let (Some(target), Some(actual)) = (col("ind.target"), col("ind.actual")) {
            let weight = col("ind.weight");
            let reason = col("ind.reason");
            let improve = col("ind.improve").filter(|c| Some(*c) != reason);
            let missing = weight
                .is_none()
                .then(|| Missing::new(&["ind.weight"], Some(r)));
            return Ok((
                IndicatorLayout {
                    header_row: r,
                    level1: col("ind.level1"),
                    level2: col("ind.level2"),
                    name: pos.1,
                    target,
                    actual,
                    weight,
                    score: col("ind.score"),
                    reason,
                    improve,
                    unit: col("ind.unit"),
                    op: col("ind.operator"),
                    adjusted: col("ind.adjusted"),
                },
                missing,
            ));
        }
        if first.is_none() {
            let mut fields = Vec::new();
            if col("ind.target").is_none() {
                fields.push("ind.target");
            }
            if col("ind.actual").is_none() {
                fields.push("ind.actual");
            }
            first = Some((r, fields));
        }
        if r == u32::MAX {
            return Err(Missing::new(&["ind.name"], None));
        }
        from = r + 1;
    }
}

/// An operator written in a 指标性质 column, normalised.
pub(super) fn operator(text: &str) -> Option<&'static str> {
    match text.trim() {
        "=" | "＝" | "==" => Some("="),
        "≥" | ">=" | "＞＝" | "≧" => Some("≥"),
        "≤" | "<=" | "＜＝" | "≦" => Some("≤"),
        ">" | "＞" => Some(">"),
        "<" | "＜" => Some("<"),
        _ => None,
    }
}

pub(super) fn starts_with_operator(s: &str) -> bool {
    s.starts_with(['=', '≥', '≤', '>', '<', '＝', '＞', '＜', '≧', '≦'])
}

/// Indicator rows, and the row that ends them (总分 …) if any.
pub(super) fn read_indicators(
    reading: &mut Reading<'_>,
    layout: &IndicatorLayout,
    inherited: &mut Vec<[bool; 2]>,
) -> (Vec<Indicator>, Option<u32>) {
    let grid = reading.grid;
    let mut out: Vec<Indicator> = Vec::new();
    let mut end = None;
    let mut level1 = String::new();
    let mut level2 = String::new();
    // The end labels are looked for in the label and level columns only: an indicator
    // may be named “总分…”.
    let levels_left = [layout.level1, layout.level2]
        .into_iter()
        .flatten()
        .any(|c| c < layout.name);
    let p = &*grid.profile;
    // 湖北: indicators in goal blocks (年度绩效目标1（40分）) that carry the weights.
    // (The first block's label stands above the header.)
    let mut block: Option<String> = (0..layout.header_row).rev().take(3).find_map(|r| {
        grid.row(r)
            .find(|(_, c)| !c.key.is_empty() && p.is("goal.block", &c.key))
            .map(|(_, c)| c.key.clone())
    });
    let flat = layout.level1.is_none() && layout.level2.is_none();
    for r in grid.rows_after(layout.header_row) {
        if let Some((_, cell)) = grid
            .row(r)
            .find(|(col, c)| *col <= layout.name && !c.key.is_empty() && p.is("goal.block", &c.key))
        {
            block = Some(cell.key.clone());
            continue;
        }
        // A header repeated under each goal block.
        if grid
            .cell((r, layout.name))
            .is_some_and(|c| p.is("ind.name", &c.key))
            && grid
                .cell((r, layout.target))
                .is_some_and(|c| p.is("ind.target", &c.key))
        {
            continue;
        }
        let ends = grid.row(r).any(|(col, c)| {
            (col < layout.name || (col == layout.name && !levels_left))
                && !c.key.is_empty()
                && is_indicator_end(&grid.profile, &c.key)
        });
        if ends {
            end = Some(r);
            break;
        }
        let text = |c: Option<u32>| c.map_or_else(String::new, |c| grid.text((r, c)));
        let l1 = text(layout.level1);
        let l2 = text(layout.level2);
        let name = text(Some(layout.name));
        let value = |c: Option<u32>| c.map_or_else(String::new, |c| grid.value_text((r, c)));
        let target = Some(value(layout.adjusted))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| value(Some(layout.target)));
        let actual = value(Some(layout.actual));
        let has_numbers = [layout.weight, layout.score]
            .into_iter()
            .flatten()
            .any(|c| {
                grid.cell((r, c))
                    .is_some_and(|cell| cell.data != Data::Empty)
            });
        if name.is_empty() && target.is_empty() && actual.is_empty() && !has_numbers {
            // A blank row, or a row that only carries merged labels.
            if !l1.is_empty() {
                level1 = l1;
                level2 = l2;
            } else if !l2.is_empty() {
                level2 = l2;
            }
            continue;
        }
        // An empty 一级/二级 cell (a merged cell) inherits from the row above.
        inherited.push([l1.is_empty(), l2.is_empty()]);
        if !l1.is_empty() {
            if l1 != level1 {
                level2.clear();
            }
            level1 = l1;
        }
        if !l2.is_empty() {
            level2 = l2;
        }
        let mut target = target;
        if let Some(op) = layout.op.and_then(|c| operator(&grid.text((r, c)))) {
            if !target.is_empty() && !starts_with_operator(&target) {
                target = format!("{op}{target}");
            }
        }
        let mut reason = text(layout.reason);
        let improve = text(layout.improve);
        if !improve.is_empty() {
            if reason.is_empty() {
                reason = improve;
            } else {
                reason = format!("{reason}；{improve}");
            }
        }
        let weight = layout
            .weight
            .map_or(Figure::BLANK, |c| reading.number((r, c), Kind::Score));
        let role = Role::Indicator(out.len());
        let typed_score = layout
            .score
            .map_or(Figure::BLANK, |c| reading.typed((r, c), Kind::Score, role));
        // 得分 “不适用”: excluded from the total (as the report writes it).
        let not_applicable = layout
            .score
            .and_then(|c| grid.cell((r, c)))
            .is_some_and(|cell| cell.key == "不适用");
        let (l1, l2) = match (&block, &p.flat_level) {
            // Weights per block only: the block is the 一级, scored as one.
            (Some(b), _) if layout.weight.is_none() => (
                b.clone(),
                if level2.is_empty() {
                    level1.clone()
                } else {
                    level2.clone()
                },
            ),
            // A flat list (重庆): one level; 指标性质 定量/定性 as the 二级.
            (_, Some(flat_level)) if flat => {
                let nature = text(layout.op);
                let l2 = match nature.as_str() {
                    "定量" | "定性" => format!("{nature}指标"),
                    "" => flat_level.clone(),
                    other => other.to_string(),
                };
                (flat_level.clone(), l2)
            }
            _ => (level1.clone(), level2.clone()),
        };
        out.push(Indicator {
            level1: l1,
            level2: l2,
            name,
            target,
            actual,
            unit: text(layout.unit),
            weight,
            typed_score,
            reason,
            not_applicable,
            ..Indicator::default()
        });
    }
    (out, end)
}

/// The typed 总分: the number in the 得分 column of the 总分 row (or, without a 得分
/// column, the last number of that row); a total label above the indicator header
/// (`header`), or on a form without indicators, has its value to its right.
pub(super) fn read_total(
    reading: &mut Reading<'_>,
    total_row: Option<u32>,
    score_col: Option<u32>,
    header: Option<u32>,
) -> Option<Figure> {
    let grid = reading.grid;
    let p = &*grid.profile;
    let (pos, label) = match total_row {
        Some(r) if grid.row_has(r, |k| is_total_label(p, k) || k == "合计") => (r, None),
        _ => {
            let at = grid.find(|k| is_total_label(p, k))?;
            (at.0, Some(at.1))
        }
    };
    let col = match (score_col, label) {
        // A total written beside its label above the indicators (重庆's 自评总分 in the
        // header): the first value to its right.
        (_, Some(l)) if header.is_none_or(|h| pos < h) => {
            grid.row(pos)
                .find(|(c, cell)| *c > l && cell.data != Data::Empty)?
                .0
        }
        (Some(c), _) => c,
        (None, _) => {
            grid.row(pos)
                .filter(|(_, c)| matches!(c.data, Data::Float(_) | Data::Int(_)))
                .last()?
                .0
        }
    };
    Some(reading.typed((pos, col), Kind::Score, Role::Total))
}

pub(super) fn read_grade(grid: &Grid) -> Option<String> {
    let pos = grid.find(|k| k.starts_with(g::GRADE) || k.starts_with("评价等级"))?;
    let v = grid.value_right(pos);
    let v = v.trim().to_string();
    (!v.is_empty()).then_some(v)
}
