//! Units as written (RULES.md §4): their spellings, the ones that convert (`万元` ↔
//! `元`, `公里` → `km`) and the magnitudes before them. Part of [`crate::value`].

use super::*;

/// Unit spellings → canonical unit. Keys of ASCII units are lower case (matched
/// case-insensitively).
const UNIT_ALIASES: &[(&str, &str)] = &[
    ("百分比", "%"),
    ("个百分点", "百分点"),
    ("个月", "月"),
    ("月份", "月"),
    ("日", "天"),
    ("个工作日", "工作日"),
    ("个小时", "小时"),
    ("h", "小时"),
    ("hr", "小时"),
    ("min", "分钟"),
    ("星期", "周"),
    ("个星期", "周"),
    ("公里", "km"),
    ("千米", "km"),
    ("㎞", "km"),
    ("km", "km"),
    ("米", "m"),
    ("m", "m"),
    ("厘米", "cm"),
    ("cm", "cm"),
    ("毫米", "mm"),
    ("mm", "mm"),
    ("平方米", "㎡"),
    ("平米", "㎡"),
    ("m²", "㎡"),
    ("m2", "㎡"),
    ("平方公里", "km²"),
    ("平方千米", "km²"),
    ("km2", "km²"),
    ("㎢", "km²"),
    ("立方米", "m³"),
    ("m3", "m³"),
    ("公斤", "kg"),
    ("千克", "kg"),
    ("kg", "kg"),
    ("克", "g"),
    ("g", "g"),
    ("t", "吨"),
    ("人/次", "人次"),
];

/// Known units besides those of [`UNIT_ALIASES`] and [`MEASURES`]; only used to tell
/// a unit from other text (labels, 一百个).
const COUNT_UNITS: &[&str] = &[
    "个",
    "次",
    "人",
    "人次",
    "件",
    "卷",
    "页",
    "场",
    "户",
    "份",
    "家",
    "期",
    "项",
    "台",
    "套",
    "座",
    "处",
    "条",
    "所",
    "辆",
    "批",
    "篇",
    "册",
    "本",
    "张",
    "台次",
    "台套",
    "课时",
    "学时",
    "名",
    "位",
    "间",
    "栋",
    "株",
    "棵",
    "只",
    "头",
    "起",
    "例",
    "宗",
    "类",
    "节",
    "门",
    "支",
    "部",
    "组",
    "队",
    "分",
    "百分点",
    "工作日",
    "亩",
    "元/人",
    "人/年",
];

/// Units that convert: (canonical unit, dimension, factor as mantissa and scale) where
/// the factor expresses the unit in the dimension's base unit.
const MEASURES: &[(&str, &str, i64, u32)] = &[
    ("元", "元", 1, 0),
    ("m", "m", 1, 0),
    ("km", "m", 1000, 0),
    ("cm", "m", 1, 2),
    ("mm", "m", 1, 3),
    ("㎡", "㎡", 1, 0),
    ("公顷", "㎡", 10_000, 0),
    ("km²", "㎡", 1_000_000, 0),
    ("m³", "m³", 1, 0),
    ("kg", "kg", 1, 0),
    ("吨", "kg", 1000, 0),
    ("g", "kg", 1, 3),
    ("分钟", "分钟", 1, 0),
    ("小时", "分钟", 60, 0),
    ("天", "分钟", 1440, 0),
    ("周", "分钟", 10_080, 0),
    ("月", "月", 1, 0),
    ("年", "月", 12, 0),
    ("%", "%", 1, 0),
    ("‰", "%", 1, 1),
];

/// Magnitude prefixes of units (万元, 亿元, 万人次), longest first.
const MAGNITUDES: &[(&str, i64)] = &[
    ("千万", 10_000_000),
    ("百万", 1_000_000),
    ("亿", 100_000_000),
    ("万", 10_000),
    ("千", 1_000),
];

/// Canonical spelling of a normalised unit (see [`canonical_unit`]).
pub(super) fn canonical(unit: &str) -> String {
    if let Some(canon) = alias(unit) {
        return canon.to_string();
    }
    for (prefix, _) in MAGNITUDES {
        if let Some(canon) = unit.strip_prefix(prefix).and_then(alias) {
            return format!("{prefix}{canon}");
        }
    }
    unit.to_string()
}

fn alias(unit: &str) -> Option<&'static str> {
    let key = unit.to_ascii_lowercase();
    UNIT_ALIASES
        .iter()
        .find(|(spelling, _)| *spelling == key)
        .map(|(_, canon)| *canon)
}

/// Splits a magnitude prefix off a unit: `万元` → (10000, `元`). The base is never empty.
fn magnitude_split(unit: &str) -> Option<(Decimal, &str)> {
    MAGNITUDES.iter().find_map(|(prefix, factor)| {
        unit.strip_prefix(prefix)
            .filter(|base| !base.is_empty())
            .map(|base| (Decimal::from(*factor), base))
    })
}

/// True for a canonical unit this module knows (with or without a magnitude prefix).
pub(super) fn is_known_unit(unit: &str) -> bool {
    let mut base = unit;
    while let Some((_, rest)) = magnitude_split(base) {
        base = rest;
    }
    COUNT_UNITS.contains(&base)
        || MEASURES.iter().any(|(name, ..)| *name == base)
        || UNIT_ALIASES.iter().any(|(_, canon)| *canon == base)
}

/// A canonical unit as a multiple of its dimension's base unit.
pub(super) struct Measure {
    pub(super) dimension: String,
    pub(super) factor: Decimal,
}

/// The measure of a canonical unit: `万元` → 10000 × 元, `km` → 1000 × m; a unit this
/// module does not know is its own dimension (`人次`, `万人次` = 10000 × 人次).
/// `None` only when the magnitudes overflow.
pub(super) fn measure(unit: &str) -> Option<Measure> {
    let mut factor = Decimal::ONE;
    let mut rest = unit;
    loop {
        if let Some((_, dimension, mantissa, scale)) = MEASURES.iter().find(|m| m.0 == rest) {
            return Some(Measure {
                dimension: dimension.to_string(),
                factor: factor.checked_mul(Decimal::new(*mantissa, *scale))?,
            });
        }
        match magnitude_split(rest) {
            Some((magnitude, base)) => {
                factor = factor.checked_mul(magnitude)?;
                rest = base;
            }
            None => {
                return Some(Measure {
                    dimension: rest.to_string(),
                    factor,
                })
            }
        }
    }
}
