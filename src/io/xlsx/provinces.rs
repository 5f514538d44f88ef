//! What some provinces write where the central form has a cell of its own: a fund
//! split written as text in a label cell (湖南), the rows after the indicators
//! (四川's 评价结论 / 存在问题 / 改进措施).
use super::*;
use crate::profile::Profile;

/// Splits written inside a label cell (湖南: `按收入性质分：财政拨款：100万元，其他资金：
/// 20万元`, `按支出性质分：基本支出：…；项目支出：…`): each amount is read into the
/// 全年预算数 of its fund row (a row the form also has in cells keeps those). An amount
/// that cannot be read is kept as typed and reported at its field; a name that is no
/// fund row is reported at the sheet. Whether the split adds up is the audit's
/// `funds_split`.
pub(super) fn read_text_splits(
    grid: &Grid,
    layout: &FundLayout,
    funds: &mut Funds,
    findings: &mut Vec<Finding>,
) {
    let p = &*grid.profile;
    for cell in grid.cells.values() {
        if cell.key.is_empty()
            || !(p.is("split.income", &cell.key) || p.is("split.expense", &cell.key))
        {
            continue;
        }
        let Some((_, rest)) = cell.key.split_once('：') else {
            continue;
        };
        for part in rest.split(['，', ',', '；', ';', '。']) {
            if part.is_empty() {
                continue;
            }
            let (name, amount) = part.split_once('：').unwrap_or((part, ""));
            let Some(kind) = fund_kind(p, name) else {
                findings.push(sheet_finding(
                    Severity::Warning,
                    "split_unread",
                    format!(
                        "工作表“{}”：“{}”中的“{part}”不是资金来源或支出性质的一项，未读取",
                        grid.name,
                        cell_text(cell)
                    ),
                ));
                continue;
            };
            // Each amount may name its own unit (300万元, 3000000元).
            let (amount, yuan) = if let Some(a) = amount.strip_suffix("万元") {
                (a, false)
            } else if let Some(a) = amount.strip_suffix('元') {
                (a, true)
            } else {
                (amount, layout.yuan)
            };
            let figure = match read_text_number(amount, Kind::Amount { yuan }) {
                Num::Value(d) => Figure::from(d),
                Num::Empty => Figure::BLANK,
                Num::Bad(shown) | Num::Wrong(shown, _) => Figure::unread(&shown),
            };
            let row = match kind {
                FundKind::Total => {
                    if funds.total.budget.is_blank() {
                        funds.total.budget = figure;
                    }
                    continue;
                }
                FundKind::Fiscal => &mut funds.fiscal,
                FundKind::Carryover => &mut funds.carryover,
                FundKind::Other => &mut funds.other,
                FundKind::Basic => &mut funds.basic,
                FundKind::Project => &mut funds.project,
            };
            let row = row.get_or_insert_with(FundRow::default);
            if row.budget.is_blank() {
                row.budget = figure;
            }
        }
    }
}

/// The rows after the indicators: 评价结论, 存在问题, 改进措施 (四川).
#[derive(Debug, Default)]
pub(super) struct Closing {
    pub(super) conclusion: String,
    pub(super) problems: String,
    pub(super) measures: String,
}

impl Closing {
    /// The project's 偏离原因及改进措施 text from them.
    pub(super) fn deviation(&self) -> String {
        let mut parts = Vec::new();
        if !self.conclusion.is_empty() {
            parts.push(format!("评价结论：{}", self.conclusion));
        }
        if !self.problems.is_empty() {
            parts.push(format!("存在问题：{}", self.problems));
        }
        if !self.measures.is_empty() {
            parts.push(format!("改进措施：{}", self.measures));
        }
        parts.join("\n")
    }
}

/// Reads the closing rows at or after `end` (the row that ends the indicators); none
/// when the indicators were not found.
pub(super) fn read_closing(grid: &Grid, end: Option<u32>) -> Closing {
    let mut closing = Closing::default();
    let Some(end) = end else {
        return closing;
    };
    let p: &Profile = &grid.profile;
    for ((r, c), cell) in grid.rows_from(end) {
        if cell.key.is_empty() || cell.key.chars().count() > 12 {
            continue;
        }
        let slot = if p.is("end.conclusion", &cell.key) {
            &mut closing.conclusion
        } else if p.is("end.problems", &cell.key) {
            &mut closing.problems
        } else if p.is("end.measures", &cell.key) {
            &mut closing.measures
        } else {
            continue;
        };
        if slot.is_empty() {
            *slot = grid.value_right((r, c));
        }
    }
    closing
}

/// 湖北's goals, one per block (`年度绩效目标1（40分）` and the goal beside it), as the
/// 预期目标 of a form that has no 年度总体目标 block.
pub(super) fn goal_blocks(grid: &Grid) -> String {
    let p: &Profile = &grid.profile;
    grid.cells
        .iter()
        .filter(|(_, c)| !c.key.is_empty() && p.is("goal.block", &c.key))
        .map(|(&pos, c)| {
            let goal = grid.value_right(pos);
            let label = cell_text(c);
            if goal.is_empty() {
                label
            } else {
                format!("{label}：{goal}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
