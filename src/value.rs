//! Targets (年度指标值) and actuals (实际完成值) as people write them (RULES.md §4).
