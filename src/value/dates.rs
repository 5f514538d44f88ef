//! Dates and deadlines as people write them (RULES.md §4): `2022年12月31日前`,
//! `年底前`, `11月`, and the words that say a deadline was met or missed. Part of
//! [`crate::value`], which reads a cell and calls these for its dates.

use super::*;

/// How an actual that is not a date reads against a deadline (RULES.md §4): a month of
/// the year evaluated (`11月`: its last day), the year's end (`年底前`), or words that
/// say the deadline was met (`提前完成`, `按时完成`) or missed (`延期`, `未按时完成`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AgainstDeadline {
    Date { month: u32, day: u32 },
    Met,
    Missed,
}

/// Words that say a deadline was met, and, first, ones that say it was missed.
const DEADLINE_MISSED: &[&str] = &[
    "延期",
    "逾期",
    "推迟",
    "滞后",
    "超期",
    "未按时",
    "未按期",
    "未完成",
];
const DEADLINE_MET: &[&str] = &[
    "提前完成",
    "按时完成",
    "按期完成",
    "如期完成",
    "已完成",
    "完成",
    "提前",
    "按时",
    "按期",
    "如期",
];
/// A deadline at the end of the year evaluated, written without a year (RULES.md §4:
/// dates without a year are in the evaluated year): the words after an optional 本/当/今
/// (`本年底前`, `当年内`) and before an optional 完成 (`年内完成`), with the operator
/// they carry (`前`, `内`: by then); `于`/`在` before them add nothing (`于年底前完成`).
const YEAR_END: &[(&str, Option<Op>)] = &[
    ("年底前", Some(Op::Le)),
    ("年底之前", Some(Op::Le)),
    ("年底以前", Some(Op::Le)),
    ("年末前", Some(Op::Le)),
    ("年末之前", Some(Op::Le)),
    ("年内", Some(Op::Le)),
    ("年度内", Some(Op::Le)),
    ("年底", None),
    ("年末", None),
];

/// The year's end as a date (12月31日, no year: the year evaluated), when the cell is
/// one of the [`YEAR_END`] words.
pub(super) fn year_end(text: &str) -> Option<Value> {
    let core = text.strip_suffix("完成").unwrap_or(text);
    let core = strip_any_prefix(core, &["于", "在"]);
    let core = strip_any_prefix(core, &["本", "当", "今"]);
    let (_, op) = YEAR_END.iter().find(|(word, _)| *word == core)?;
    Some(Value::Date {
        op: *op,
        year: None,
        month: 12,
        day: 31,
    })
}

pub fn against_deadline(
    actual: &str,
    parsed: &Value,
    year: Option<i32>,
) -> Option<AgainstDeadline> {
    let text = normalize(actual);
    let core = strip_any_prefix(&text, DONE_PREFIXES);
    if let Value::Number { number, unit, .. } = parsed {
        let month = u32::try_from(number.trunc().mantissa())
            .ok()
            .filter(|_| number.fract().is_zero());
        if let (Some(month @ 1..=12), "月") = (month, unit.as_str()) {
            let day = days_in_month(year.unwrap_or(2001), month);
            return Some(AgainstDeadline::Date { month, day });
        }
    }
    if year_end(core).is_some() {
        return Some(AgainstDeadline::Date { month: 12, day: 31 });
    }
    if DEADLINE_MISSED.iter().any(|w| core.contains(w)) {
        return Some(AgainstDeadline::Missed);
    }
    DEADLINE_MET.contains(&core).then_some(AgainstDeadline::Met)
}

/// The day of a date as written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Day {
    Exact(u32),
    /// `月底`, `月末`, `年底`
    EndOfMonth,
    /// `2022年12月`: the last day, or the first after `后`/`≥`
    Unwritten,
}

/// A date's shape before its values are checked.
#[derive(Debug, Clone, Copy, PartialEq)]
struct DateParts {
    year: Option<i32>,
    month: u32,
    day: Day,
}

/// A year for month lengths when none is written: `2月底` is the 28th.
const COMMON_YEAR: i32 = 2023;

/// A whole calendar date as a report's 落款日期 is written (`2023年3月17日`,
/// `2023-03-17`, `2023/3/17`, `2023.3.17`; full-width digits and spaces allowed):
/// (year, month, day), `None` for anything else (no year, no day, no such day).
pub fn calendar_date(text: &str) -> Option<(i32, u32, u32)> {
    let text = normalize(text);
    let parts = date_parts(&text)?;
    let (Some(year), Day::Exact(day)) = (parts.year, parts.day) else {
        return None;
    };
    parts.resolve_day(None).ok()?;
    Some((year, parts.month, day))
}

/// Reads a date, `Ok(None)` when the cell is not shaped like one. A date-shaped cell
/// with a day that does not exist (`2月30日`) is an error.
pub(super) fn parse_date(text: &str) -> Result<Option<Value>, String> {
    let (before, rest) = split_date_prefix(text);
    let rest = rest.strip_suffix("完成").unwrap_or(rest);
    let (body, after) = split_date_suffix(rest);
    let Some(parts) = date_parts(body) else {
        return Ok(None);
    };
    let op = merge_ops(before, after)?;
    let day = parts.resolve_day(op)?;
    Ok(Some(Value::Date {
        op,
        year: parts.year,
        month: parts.month,
        day,
    }))
}

fn split_date_prefix(text: &str) -> (Option<Op>, &str) {
    for (symbol, op) in SYMBOL_OPERATORS {
        if let Some(rest) = text.strip_prefix(symbol) {
            return (Some(*op), rest);
        }
    }
    for (word, op) in DATE_PREFIX_WORDS {
        if let Some(rest) = text.strip_prefix(word) {
            return (*op, rest);
        }
    }
    (None, text)
}

fn split_date_suffix(text: &str) -> (&str, Option<Op>) {
    DATE_SUFFIX_WORDS
        .iter()
        .find_map(|(word, op)| text.strip_suffix(word).map(|rest| (rest, Some(*op))))
        .unwrap_or((text, None))
}

/// `2022-12-31` / `2022.12.31` / `2022/12/31`, or `2022年12月31日`, `2022年12月底`,
/// `12月31日`, `12月底`, `2022年12月`, `2022年底`.
fn date_parts(body: &str) -> Option<DateParts> {
    numeric_date(body).or_else(|| chinese_date(body))
}

fn numeric_date(body: &str) -> Option<DateParts> {
    let (year, rest) = split_year(body)?;
    let separator = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '.' | '/'))?;
    let (month, rest) = split_small_number(&rest[1..])?;
    let (day, rest) = split_small_number(rest.strip_prefix(separator)?)?;
    rest.is_empty().then_some(DateParts {
        year: Some(year),
        month,
        day: Day::Exact(day),
    })
}

fn chinese_date(body: &str) -> Option<DateParts> {
    let (year, rest) = match split_year(body) {
        Some((year, rest)) if rest.starts_with('年') => (Some(year), &rest['年'.len_utf8()..]),
        _ => (None, body),
    };
    if year.is_some() && matches!(rest, "底" | "末") {
        return Some(DateParts {
            year,
            month: 12,
            day: Day::EndOfMonth,
        });
    }
    let (month, rest) = split_small_number(rest)?;
    let rest = rest.strip_prefix('月')?;
    let day = match rest {
        "" if year.is_some() => Day::Unwritten,
        "底" | "末" => Day::EndOfMonth,
        _ => {
            let (day, unit) = split_small_number(rest)?;
            if !matches!(unit, "日" | "号") {
                return None;
            }
            Day::Exact(day)
        }
    };
    Some(DateParts { year, month, day })
}

/// A four-digit year at the start of `s` (not starting with 0).
fn split_year(s: &str) -> Option<(i32, &str)> {
    let (digits, rest) = split_digits(s);
    if digits.len() != 4 || digits.starts_with('0') {
        return None;
    }
    Some((digits.parse().ok()?, rest))
}

/// A one- or two-digit number at the start of `s`.
fn split_small_number(s: &str) -> Option<(u32, &str)> {
    let (digits, rest) = split_digits(s);
    if !(1..=2).contains(&digits.len()) {
        return None;
    }
    Some((digits.parse().ok()?, rest))
}

impl DateParts {
    /// The day of month, checked against the calendar.
    fn resolve_day(&self, op: Option<Op>) -> Result<u32, String> {
        let month = self.month;
        if !(1..=12).contains(&month) {
            return Err(format!("月份应为1至12，不是{month}"));
        }
        let end_of_month = days_in_month(self.year.unwrap_or(COMMON_YEAR), month);
        match self.day {
            Day::Exact(day) => {
                // Without a year, 2月29日 may exist.
                let longest = match self.year {
                    Some(year) => days_in_month(year, month),
                    None => days_in_month(2024, month),
                };
                if (1..=longest).contains(&day) {
                    Ok(day)
                } else {
                    let year = self.year.map(|y| format!("{y}年")).unwrap_or_default();
                    Err(format!("{year}{month}月没有{day}日"))
                }
            }
            Day::EndOfMonth => Ok(end_of_month),
            Day::Unwritten if op.is_some_and(|op| op.bound() == Bound::Lower) => Ok(1),
            Day::Unwritten => Ok(end_of_month),
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}
