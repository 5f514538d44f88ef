//! How an indicator's score was reached (“90 ÷ 95 × 10 = 9.47”), kept as the figures
//! the rule used and written only when shown: scoring a unit of 20,000 indicators
//! wrote a text for every one of them, and most evaluations (the roll-up, the checks,
//! the audit) never read it.

use crate::scoring::{percent2, round2};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use std::fmt;

/// The basis of an indicator's score: what the rule did, the score it gave, then what
/// was taken off (over the target under local caps; the row's own deduction).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Basis {
    pub how: How,
    /// The score the rule gave, shown as “ = 9.47” after `how` (quantitative rules and
    /// deadlines).
    pub equals: Option<Decimal>,
    /// Over the target by `.0` (a share) or more: `.1` points off (local caps).
    pub over: Option<(Decimal, Decimal)>,
    /// The row's own deduction.
    pub deduction: Option<Decimal>,
}

/// A year, month and day (a deadline or the day it was done).
pub type Day = (i32, u32, u32);

/// What the rule did, with its figures (actual and target after conversion).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum How {
    /// Not scored: no text.
    #[default]
    None,
    /// 不适用.
    NotApplicable,
    /// Words saying the deadline was met (`actual` as typed, trimmed).
    DeadlineMet {
        actual: String,
        month: u32,
        day: u32,
        weight: Decimal,
    },
    /// Words saying the deadline was missed.
    DeadlineMissed {
        actual: String,
        month: u32,
        day: u32,
    },
    /// `= 0` as the target.
    ZeroTarget { actual: Decimal },
    /// The target reached (more is better).
    Reached {
        actual: Decimal,
        target: Decimal,
        weight: Decimal,
    },
    /// actual ÷ target × weight.
    Share {
        actual: Decimal,
        target: Decimal,
        weight: Decimal,
    },
    /// Inside the range.
    InRange {
        actual: Decimal,
        low: Decimal,
        high: Decimal,
        weight: Decimal,
    },
    /// Below the range: actual ÷ low × weight.
    BelowRange {
        actual: Decimal,
        low: Decimal,
        weight: Decimal,
    },
    /// Done on a day against a deadline; years named when they differ.
    Dates { done: Day, deadline: Day },
    /// Less is better, the limit kept.
    Within {
        actual: Decimal,
        target: Decimal,
        weight: Decimal,
    },
    /// Less is better, over a limit of 0 or less.
    Over { actual: Decimal, target: Decimal },
    /// (1 − (actual − target) ÷ target) × weight.
    ReverseLinear {
        actual: Decimal,
        target: Decimal,
        weight: Decimal,
    },
    /// target ÷ actual × weight.
    ReverseRatio {
        actual: Decimal,
        target: Decimal,
        weight: Decimal,
    },
    /// A qualitative band and the score typed in it.
    Assessed { band: String, score: Decimal },
    /// A qualitative band without a typed score: its default share.
    BandDefault {
        band: String,
        share: Decimal,
        weight: Decimal,
        score: Decimal,
    },
}

impl Basis {
    pub fn new(how: How) -> Basis {
        Basis {
            how,
            ..Basis::default()
        }
    }

    /// `how`, then “ = score”.
    pub fn equals(how: How, score: Decimal) -> Basis {
        Basis {
            how,
            equals: Some(score),
            ..Basis::default()
        }
    }
}

/// The shortest plain text of a decimal, as [`crate::scoring::fmt_plain`] writes it.
struct Plain(Decimal);

impl fmt::Display for Plain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

/// Two decimals, as [`crate::scoring::fmt2`] writes them.
struct Two(Decimal);

impl fmt::Display for Two {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", round2(self.0))
    }
}

impl fmt::Display for How {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = |x: &Decimal| Plain(*x);
        match self {
            How::None => Ok(()),
            How::NotApplicable => f.write_str("不适用，不计入总分"),
            How::DeadlineMet {
                actual,
                month,
                day,
                weight,
            } => write!(
                f,
                "“{actual}”：在期限{month}月{day}日前完成，得满分 {}",
                p(weight)
            ),
            How::DeadlineMissed { actual, month, day } => {
                write!(f, "“{actual}”：超过期限{month}月{day}日")
            }
            How::ZeroTarget { actual } => write!(f, "指标值为0，实际{}", p(actual)),
            How::Reached {
                actual,
                target,
                weight,
            } => write!(f, "{} 达到 {}，得满分 {}", p(actual), p(target), p(weight)),
            How::Share {
                actual,
                target,
                weight,
            } => write!(f, "{} ÷ {} × {}", p(actual), p(target), p(weight)),
            How::InRange {
                actual,
                low,
                high,
                weight,
            } => write!(
                f,
                "{} 在 {}–{} 之内，得满分 {}",
                p(actual),
                p(low),
                p(high),
                p(weight)
            ),
            How::BelowRange {
                actual,
                low,
                weight,
            } => write!(f, "{} ÷ {} × {}", p(actual), p(low), p(weight)),
            How::Dates { done, deadline } => {
                let day = |(y, m, d): Day| DayText(y, m, d, done.0 != deadline.0);
                let verb = if done <= deadline {
                    "未超过"
                } else {
                    "超过"
                };
                write!(f, "{}完成，{verb}期限 {}", day(*done), day(*deadline))
            }
            How::Within {
                actual,
                target,
                weight,
            } => write!(
                f,
                "{} 未超过 {}，得满分 {}",
                p(actual),
                p(target),
                p(weight)
            ),
            How::Over { actual, target } => write!(f, "{} 超过 {}", p(actual), p(target)),
            How::ReverseLinear {
                actual,
                target,
                weight,
            } => {
                let (a, t) = (p(actual), p(target));
                write!(f, "(1 − ({a} − {t}) ÷ {t}) × {}", p(weight))
            }
            How::ReverseRatio {
                actual,
                target,
                weight,
            } => write!(f, "{} ÷ {} × {}", p(target), p(actual), p(weight)),
            How::Assessed { band, score } => write!(f, "“{band}”，评定得分 {}", Two(*score)),
            How::BandDefault {
                band,
                share,
                weight,
                score,
            } => write!(
                f,
                "“{band}”，按默认{}% × {} = {}（未确认）",
                Plain(percent2(*share)),
                p(weight),
                Two(*score)
            ),
        }
    }
}

/// `12月31日`, or `2023年1月5日` when the years differ.
struct DayText(i32, u32, u32, bool);

impl fmt::Display for DayText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let DayText(y, m, d, with_year) = *self;
        if with_year {
            write!(f, "{y}年{m}月{d}日")
        } else {
            write!(f, "{m}月{d}日")
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.how)?;
        if let Some(score) = self.equals {
            write!(f, " = {}", Two(score))?;
        }
        if let Some((over, penalty)) = self.over {
            write!(
                f,
                "；超出指标值{}%以上，扣{}分",
                Plain(percent2(over)),
                Plain(penalty)
            )?;
        }
        if let Some(deduction) = self.deduction {
            write!(f, "；扣减{}分", Plain(deduction))?;
        }
        Ok(())
    }
}

/// As its text, as the summary and the JSON show it.
impl Serialize for Basis {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The text it writes (for the tests).
impl PartialEq<&str> for Basis {
    fn eq(&self, other: &&str) -> bool {
        let text: String = self.to_string();
        text == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn written_as_the_rules_say() {
        let b = Basis {
            how: How::Share {
                actual: dec("90.00"),
                target: dec("95"),
                weight: dec("10"),
            },
            equals: Some(dec("9.4736")),
            over: None,
            deduction: Some(dec("1.50")),
        };
        assert_eq!(b.to_string(), "90 ÷ 95 × 10 = 9.47；扣减1.5分");
        let dates = How::Dates {
            done: (2023, 1, 5),
            deadline: (2022, 12, 31),
        };
        assert_eq!(
            dates.to_string(),
            "2023年1月5日完成，超过期限 2022年12月31日"
        );
        assert_eq!(Basis::default().to_string(), "");
    }
}
