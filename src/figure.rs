//! A figure as the user typed it: an amount (万元), a weight or score, a rate.
//!
//! The text is kept exactly as typed — in the data, the saved files, after a reload —
//! and read once, here, into a decimal. A figure whose text cannot be read has no value:
//! it is never counted (no stale or partial number), and the audit reports it at its
//! cell. The page never reads a number itself; it stores what was typed.
//!
//! In JSON a figure is its text (a string), `null` when blank; a JSON number (written by
//! hand or another program) is taken as its decimal text.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, Default)]
pub struct Figure {
    text: String,
    value: Option<Decimal>,
}

/// Units a typed figure may end with (the forms' columns are in 万元, 分, %).
const SUFFIXES: [&str; 4] = ["万元", "分", "%", "％"];

impl Figure {
    /// A blank figure (nothing typed).
    pub const BLANK: Figure = Figure {
        text: String::new(),
        value: None,
    };

    /// What the user typed, read as a number where it can be.
    pub fn typed(text: &str) -> Figure {
        Figure {
            value: read(text),
            text: text.to_string(),
        }
    }

    /// A cell's text that the importer could not read as a number: kept, never counted.
    pub fn unread(text: &str) -> Figure {
        Figure {
            text: text.to_string(),
            value: None,
        }
    }

    /// The number, or `None` when blank or unreadable.
    pub fn value(&self) -> Option<Decimal> {
        self.value
    }

    /// The text as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Something was typed that is not a number: not counted, reported by the audit.
    pub fn is_unreadable(&self) -> bool {
        self.value.is_none() && !self.is_blank()
    }
}

/// The same figure: the same number (99.6 and 99.60, 7750.69 and “7,750.69”), or, when
/// not a number, the same text.
impl PartialEq for Figure {
    fn eq(&self, other: &Figure) -> bool {
        match (self.value, other.value) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.text.trim() == other.text.trim(),
            _ => false,
        }
    }
}

impl Eq for Figure {}

impl From<Decimal> for Figure {
    fn from(d: Decimal) -> Figure {
        Figure {
            text: d.to_string(),
            value: Some(d),
        }
    }
}

impl From<Option<Decimal>> for Figure {
    fn from(d: Option<Decimal>) -> Figure {
        d.map_or(Figure::BLANK, Figure::from)
    }
}

impl fmt::Debug for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value {
            Some(d) if d.to_string() == self.text => write!(f, "{d}"),
            Some(d) => write!(f, "{:?}={d}", self.text),
            None if self.is_blank() => f.write_str("—"),
            None => write!(f, "{:?}(未读)", self.text),
        }
    }
}

/// Reads typed text: full-width digits and signs as Chinese input methods give them,
/// spaces and thousands separators, one trailing unit among [`SUFFIXES`]. Anything else
/// (约50, 45（调整）, 2022年11月, 1000万) is not a number.
pub fn read(text: &str) -> Option<Decimal> {
    read_with(text, &SUFFIXES)
}

/// [`read`] with the trailing units a caller allows (the importer: 元 in a 元 column).
pub fn read_with(text: &str, suffixes: &[&str]) -> Option<Decimal> {
    let mut t: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(half_width)
        .collect();
    for suffix in suffixes {
        if let Some(stripped) = t.strip_suffix(suffix) {
            t = stripped.to_string();
            break;
        }
    }
    let t = t.replace(',', "");
    let t = t.strip_prefix('+').unwrap_or(&t);
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let shape_ok = t
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && digits > 0
        && t.matches('.').count() <= 1
        && !t[1.min(t.len())..].contains('-');
    if !shape_ok {
        return None;
    }
    // The scale is kept: “99.60” was typed to two places, and the audit compares at them.
    t.parse::<Decimal>().ok()
}

/// Full-width digits and signs as Chinese input methods give them, in ASCII.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' => '.',
        '－' | '−' => '-',
        '＋' => '+',
        '，' => ',',
        _ => c,
    }
}

/// A formula read without its result (a file written by a program that does not
/// calculate), as a Chinese predicate for a finding.
pub const NO_RESULT: &str =
    "是公式，但文件中没有保存它的计算结果；请在 Excel 或 WPS 中打开、保存后再导入";

/// A spreadsheet's error value where a number belongs, as a Chinese predicate.
pub const ERROR_VALUE: &str = "是错误值（公式出错），不是数字";

/// Why a figure's text is not a number, as a Chinese predicate for a finding.
pub fn explain(text: &str) -> &'static str {
    let t = text.trim();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let date = {
        let b = t.as_bytes();
        b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[7] == b'-'
            && b[5..7].iter().chain(&b[8..10]).all(u8::is_ascii_digit)
    };
    if t.starts_with('#') || (t.starts_with('=') && t.contains('#')) {
        ERROR_VALUE
    } else if t.starts_with('=') {
        NO_RESULT
    } else if date {
        "是日期，不是数字；请把单元格格式改为“数值”后重新填写"
    } else if digits > 28 && t.chars().all(|c| c.is_ascii_digit() || ".,-+ ".contains(c)) {
        "超出可计算的范围（数值过大），请检查"
    } else {
        "不是数字"
    }
}

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_blank() {
            s.serialize_none()
        } else {
            s.serialize_str(&self.text)
        }
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Figure, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Figure;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a figure")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Figure, E> {
                Ok(Figure::typed(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Figure, E> {
                Ok(Figure::from(Decimal::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Figure, E> {
                Ok(Figure::from(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Figure, E> {
                // The shortest text that gives the same double (as JSON wrote it).
                Ok(Figure::typed(&v.to_string()))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Figure, E> {
                Ok(Figure::BLANK)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Figure, E> {
                Ok(Figure::BLANK)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Figure, D::Error> {
                d.deserialize_any(Visit)
            }
        }
        d.deserialize_any(Visit)
    }
}

/// The year evaluated, as typed (`2022`, `2022年`, `２０２２年度`): kept as typed, read once
/// into a four-digit year. In JSON a number when it is one as typed, else its text.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Year {
    text: String,
    value: Option<i32>,
}

impl Year {
    pub fn typed(text: &str) -> Year {
        let t: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(half_width)
            .collect();
        let t = t
            .strip_suffix("年度")
            .or_else(|| t.strip_suffix('年'))
            .unwrap_or(&t);
        let value = (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1900..=2200).contains(y));
        Year {
            text: text.to_string(),
            value,
        }
    }

    pub fn value(&self) -> Option<i32> {
        self.value
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_unreadable(&self) -> bool {
        self.value.is_none() && !self.text.trim().is_empty()
    }
}

impl From<i32> for Year {
    fn from(y: i32) -> Year {
        Year {
            text: y.to_string(),
            value: Some(y),
        }
    }
}

impl From<Option<i32>> for Year {
    fn from(y: Option<i32>) -> Year {
        y.map_or_else(Year::default, Year::from)
    }
}

impl fmt::Debug for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value {
            Some(y) => write!(f, "{y}"),
            None => write!(f, "{:?}", self.text),
        }
    }
}

impl Serialize for Year {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Some(y) if y.to_string() == self.text.trim() => s.serialize_i32(y),
            _ if self.text.trim().is_empty() => s.serialize_none(),
            _ => s.serialize_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for Year {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Year, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Year;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a year")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Year, E> {
                Ok(Year::typed(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Year, E> {
                Ok(Year::typed(&v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Year, E> {
                Ok(Year::typed(&v.to_string()))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Year, E> {
                Ok(Year::default())
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Year, E> {
                Ok(Year::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Year, D::Error> {
                d.deserialize_any(Visit)
            }
        }
        d.deserialize_any(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn reads_what_people_type() {
        assert_eq!(read("7,750.69"), Some(d("7750.69")));
        assert_eq!(read(" １２３．５ 万元"), Some(d("123.5")));
        assert_eq!(read("30分"), Some(d("30")));
        assert_eq!(read("95%"), Some(d("95")));
        assert_eq!(read("+5"), Some(d("5")));
        assert_eq!(read("-2.50"), Some(d("-2.5")));
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for text in [
            "约50",
            "45（调整）",
            "2022年11月",
            "1000万",
            "约9",
            "三十",
            "1.2.3",
            "5-3",
            "-",
            ".",
        ] {
            assert_eq!(read(text), None, "{text}");
            assert!(Figure::typed(text).is_unreadable(), "{text}");
        }
        assert!(!Figure::typed("  ").is_unreadable());
    }

    #[test]
    fn years_as_typed() {
        assert_eq!(Year::typed("２０２２年度").value(), Some(2022));
        assert_eq!(Year::typed("2022年").value(), Some(2022));
        assert!(Year::typed("二〇二二").is_unreadable());
        assert_eq!(serde_json::to_string(&Year::from(2022)).unwrap(), "2022");
        assert_eq!(
            serde_json::to_string(&Year::typed("2022年")).unwrap(),
            "\"2022年\""
        );
        let y: Year = serde_json::from_str("2022").unwrap();
        assert_eq!(y.value(), Some(2022));
    }

    #[test]
    fn json_keeps_the_text_as_typed() {
        let f: Figure = serde_json::from_str("\"45（调整）\"").unwrap();
        assert_eq!(f.value(), None);
        assert_eq!(serde_json::to_string(&f).unwrap(), "\"45（调整）\"");
        let f: Figure = serde_json::from_str("\"7,750.69\"").unwrap();
        assert_eq!(f.value(), Some(d("7750.69")));
        assert_eq!(serde_json::to_string(&f).unwrap(), "\"7,750.69\"");
        let f: Figure = serde_json::from_str("12.5").unwrap();
        assert_eq!(f.value(), Some(d("12.5")));
        let f: Option<Figure> = serde_json::from_str("null").unwrap();
        assert_eq!(f, None);
        assert_eq!(serde_json::to_string(&Figure::BLANK).unwrap(), "null");
    }
}
