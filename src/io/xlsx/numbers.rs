//! Reading the numbers of a form: a cell as the person typed it, into a `Figure`.
use super::*;

// ---------------------------------------------------------------------------------
// Numbers

/// An `f64` from a cell, through 15 significant digits (Excel's precision).
pub(super) fn dec_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(Decimal::ZERO);
    }
    let s = format!("{f:.14e}");
    let (mantissa, exp) = s.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut m: i128 = digits.parse().ok()?;
    let mut e = exp - 14;
    while m != 0 && m % 10 == 0 && e < 0 {
        m /= 10;
        e += 1;
    }
    if negative {
        m = -m;
    }
    let d = if e >= 0 {
        let factor = 10i128.checked_pow(u32::try_from(e).ok()?)?;
        Decimal::try_from_i128_with_scale(m.checked_mul(factor)?, 0).ok()?
    } else {
        let mut scale = u32::try_from(-e).ok()?;
        if scale > 28 {
            // Below 1e-28: rounds to what Decimal can hold.
            // (m has 15 digits, so past 10^17 it rounds to zero.)
            let cut = scale - 28;
            m = match 10i128.checked_pow(cut).filter(|_| cut <= 17) {
                Some(div) => {
                    let (q, r) = (m / div, m % div);
                    if r.abs() * 2 >= div {
                        q + m.signum()
                    } else {
                        q
                    }
                }
                None => 0,
            };
            scale = 28;
        }
        Decimal::try_from_i128_with_scale(m, scale).ok()?
    };
    Some(d.normalize())
}

/// What a number cell holds.
#[derive(Debug, PartialEq)]
pub(super) enum Num {
    Empty,
    Value(Decimal),
    /// Not a number; the text as shown, for the message.
    Bad(String),
    /// Not a usable number, and why: the text as shown and the reason (a Chinese
    /// predicate: “是错误值……”).
    Wrong(String, &'static str),
}

pub(super) const NO_CACHED_RESULT: &str = crate::figure::NO_RESULT;
pub(super) const ERROR_VALUE: &str = crate::figure::ERROR_VALUE;
pub(super) const DATE_VALUE: &str = "是日期，不是数字；请把单元格格式改为“数值”后重新填写";
pub(super) const TOO_LARGE: &str = "超出可计算的范围（数值过大），请检查";
pub(super) const NOT_FINITE: &str = "不是有效的数字";

/// An Excel date serial as `YYYY-MM-DD` (for messages; 1900 date system).
pub(super) fn excel_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    // Days from 1970-01-01; Excel's day 25569 is 1970-01-01 (its fictional 1900-02-29
    // only shifts dates before March 1900).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// Cell text that means “no value”.
pub(super) fn is_blank_mark(s: &str) -> bool {
    let s = s.trim();
    s.is_empty()
        || s.chars().all(|c| "-—－–―_/／\\、.。".contains(c))
        || matches!(s, "无" | "空" | "不适用" | "N/A" | "n/a" | "NA")
}

/// How a number cell is read.
#[derive(Clone, Copy)]
pub(super) enum Kind {
    /// An amount; `yuan` → divide by 10000 into 万元.
    Amount { yuan: bool },
    /// 分值, 得分, 总分.
    Score,
    /// 执行率, into percent.
    Rate,
}

pub(super) fn read_number(cell: Option<&Cell>, kind: Kind) -> Num {
    let Some(cell) = cell else {
        return Num::Empty;
    };
    let raw = match &cell.data {
        Data::Empty => {
            // A formula whose result the file does not hold (written by a program
            // that does not calculate): no value, but said so, never a silent zero.
            return match &cell.formula {
                Some(f) => Num::Wrong(format!("={}", f.trim()), NO_CACHED_RESULT),
                None => Num::Empty,
            };
        }
        Data::Float(f) => match dec_from_f64(*f) {
            Some(d) => d,
            None if f.is_finite() => return Num::Wrong(cell_text(cell), TOO_LARGE),
            None => return Num::Wrong(f.to_string(), NOT_FINITE),
        },
        Data::Int(i) => Decimal::from(*i),
        Data::DateTime(dt) => {
            let shown = excel_date(dt.as_f64()).unwrap_or_else(|| cell_text(cell));
            return Num::Wrong(shown, DATE_VALUE);
        }
        Data::DateTimeIso(s) => return Num::Wrong(s.trim().to_string(), DATE_VALUE),
        Data::Error(e) => {
            let shown = match &cell.formula {
                Some(f) => format!("={}（{e}）", f.trim()),
                None => e.to_string(),
            };
            return Num::Wrong(shown, ERROR_VALUE);
        }
        Data::String(s) => {
            if is_blank_mark(s) {
                return Num::Empty;
            }
            return read_text_number(s, kind);
        }
        _ => return Num::Bad(cell_text(cell)),
    };
    match kind {
        Kind::Amount { yuan } => Num::Value(to_wan(raw, yuan)),
        Kind::Score => Num::Value(raw),
        Kind::Rate => Num::Value(match cell.percent {
            Some(decimals) => percent_of(raw, decimals),
            None => plain_rate(raw),
        }),
    }
}

pub(super) fn read_text_number(s: &str, kind: Kind) -> Num {
    let bad = || {
        // A number too long for a decimal (29 digits and more) is too large, not text.
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let numeric = s
            .trim()
            .chars()
            .all(|c| c.is_ascii_digit() || ".,-+ ".contains(c));
        if numeric && digits > 28 {
            Num::Wrong(s.trim().to_string(), TOO_LARGE)
        } else {
            Num::Bad(s.trim().to_string())
        }
    };
    match kind {
        Kind::Amount { yuan } => {
            let suffix: &[&str] = if yuan { &["元"] } else { &["万元"] };
            match read_with(s, suffix) {
                Some(d) => Num::Value(to_wan(d, yuan)),
                None => bad(),
            }
        }
        Kind::Score => read_with(s, &["分"]).map_or_else(bad, Num::Value),
        Kind::Rate => {
            let t = s.trim();
            if let Some(number) = t.strip_suffix(['%', '％']) {
                read_with(number, &[]).map_or_else(bad, Num::Value)
            } else {
                read_with(t, &[]).map_or_else(bad, |d| Num::Value(plain_rate(d)))
            }
        }
    }
}

/// A rate written without %: up to 1.5 it is a fraction (0.9936), above it is percent.
pub(super) fn plain_rate(d: Decimal) -> Decimal {
    if d.abs() <= Decimal::new(15, 1) {
        percent_of(d, None)
    } else {
        d
    }
}

pub(super) fn to_wan(d: Decimal, yuan: bool) -> Decimal {
    if yuan {
        d.checked_div(Decimal::from(10_000))
            .map_or(d, |v| v.normalize())
    } else {
        d
    }
}

/// Reads the numbers of one form. A cell that is not a number keeps its text, as shown
/// (a formula without its result, an error value, a date, 约50 …): never counted, and
/// reported by the audit at its place on the form (see [`crate::figure::explain`]).
pub(super) struct Reading<'a> {
    pub(super) grid: &'a Grid,
    /// The computed cells of this form, when it is this program's export.
    pub(super) marks: &'a [(Role, Option<Raw>)],
}

impl Reading<'_> {
    pub(super) fn number(&mut self, pos: Pos, kind: Kind) -> Figure {
        match read_number(self.grid.cell(pos), kind) {
            Num::Empty => Figure::BLANK,
            Num::Value(d) => Figure::from(d),
            Num::Bad(shown) | Num::Wrong(shown, _) => Figure::unread(&shown),
        }
    }

    /// The figure at `pos` as typed: blank when it is a figure this program computed
    /// and exported, still as exported.
    pub(super) fn typed(&mut self, pos: Pos, kind: Kind, role: Role) -> Figure {
        if self.is_computed(pos, role) {
            Figure::BLANK
        } else {
            self.number(pos, kind)
        }
    }

    pub(super) fn is_computed(&self, pos: Pos, role: Role) -> bool {
        is_marked(self.marks, role, raw(self.grid.cell(pos)))
    }
}
