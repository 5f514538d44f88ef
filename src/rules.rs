//! The rulebook: every scoring rule of RULES.md §3 as data, with named presets for the
//! published variants. A unit can describe its own province's rules as a JSON file of
//! this shape (any field left out takes the default).

use crate::glossary;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// How the execution rate turns into the execution score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ExecutionRule {
    /// min(weight, rate × weight) — the central default.
    Proportional,
    /// Tiers by rate (江西): the first tier whose `minRate` (a fraction, 0.8 = 80%)
    /// the rate reaches gives `share` of the weight; below every tier → 0.
    Tiered { tiers: Vec<Tier> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tier {
    pub min_rate: Decimal,
    /// Fraction of the weight (0.7 = 7 of 10 points).
    pub share: Decimal,
}

/// How a reverse indicator (≤, <: costs, delays) loses points above its target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReverseRule {
    /// (1 − (actual − target) ÷ target) × weight, floored at 0 — the default.
    Linear,
    /// target ÷ actual × weight.
    Ratio,
}

/// How a leaf score and the execution score are cut to 2 decimals (RULES.md §3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Rounding {
    /// Half away from zero (9.685 → 9.69) — the default.
    #[default]
    HalfAwayFromZero,
    /// Cut off (重庆: 96.85% × 10 printed 9.68).
    Truncate,
}

/// A 一级指标 and its default weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Level {
    pub name: String,
    pub weight: Decimal,
}

/// A qualitative band: the score lies in [min, max] × weight (max exclusive except for
/// the top band), and `default` × weight is used when no score was typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Band {
    pub label: String,
    pub min: Decimal,
    pub max: Decimal,
    pub default: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Grade {
    pub name: String,
    /// Lowest rounded total that earns this grade.
    pub min: Decimal,
}

/// Local caps of the 一体化平台 manuals (off by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Caps {
    /// A rate below `belowRate` caps the total at `maxTotal`; the lowest matching
    /// band applies.
    pub by_rate: Vec<RateCap>,
    /// An indicator this far above its target (0.3 = 30%) loses `overPenalty` points.
    pub over_ratio: Option<Decimal>,
    pub over_penalty: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateCap {
    pub below_rate: Decimal,
    pub max_total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Rulebook {
    /// Preset key or the user's own name for the rules.
    pub name: String,
    /// Chinese description shown to the user.
    pub label: String,
    pub execution_weight: Decimal,
    pub levels: Vec<Level>,
    pub execution: ExecutionRule,
    pub reverse: ReverseRule,
    /// Flag over-achievement when actual ÷ target exceeds this (1.2).
    pub over_achievement: Decimal,
    /// Warn when the execution rate is below this fraction (0.9).
    pub low_execution: Decimal,
    pub bands: Vec<Band>,
    pub grades: Vec<Grade>,
    pub caps: Option<Caps>,
    /// Rounding of each leaf score and the execution score; level subtotals and the
    /// total are sums of the rounded parts.
    pub rounding: Rounding,
}

fn d(s: &str) -> Decimal {
    // Only called on literals written in this file.
    s.parse().unwrap_or_default()
}

impl Default for Rulebook {
    fn default() -> Self {
        Rulebook {
            name: "default".into(),
            label: "中央部门项目支出绩效自评（财预〔2020〕10号）".into(),
            execution_weight: d("10"),
            levels: vec![
                Level {
                    name: glossary::OUTPUT.into(),
                    weight: d("50"),
                },
                Level {
                    name: glossary::BENEFIT.into(),
                    weight: d("30"),
                },
                Level {
                    name: glossary::SATISFACTION.into(),
                    weight: d("10"),
                },
            ],
            execution: ExecutionRule::Proportional,
            reverse: ReverseRule::Linear,
            over_achievement: d("1.2"),
            low_execution: d("0.9"),
            bands: glossary::BANDS
                .iter()
                .zip([
                    ("0.8", "1", "1"),
                    ("0.6", "0.8", "0.7"),
                    ("0", "0.6", "0.3"),
                ])
                .map(|((label, _), (min, max, default))| Band {
                    label: (*label).into(),
                    min: d(min),
                    max: d(max),
                    default: d(default),
                })
                .collect(),
            grades: glossary::GRADES
                .iter()
                .zip(["90", "80", "60", "0"])
                .map(|(name, min)| Grade {
                    name: (*name).into(),
                    min: d(min),
                })
                .collect(),
            caps: None,
            rounding: Rounding::HalfAwayFromZero,
        }
    }
}

/// The named presets: key, Chinese description.
pub const PRESETS: &[(&str, &str)] = &[
    ("default", "中央部门项目支出绩效自评（默认）"),
    (
        "tiered",
        "执行率分档计分（江西）：100%得满分，80%–100%得7分，60%–80%得5分，60%以下0分",
    ),
    ("ratio-reverse", "反向指标按“指标值÷实际值×分值”计分"),
    (
        "local-caps",
        "一体化平台限分：执行率低于80%限制总分，超目标30%以上扣2分",
    ),
    ("truncate", "得分截尾保留两位小数（重庆）"),
];

impl Rulebook {
    /// A named preset, or `None` when there is no preset of that name.
    pub fn preset(name: &str) -> Option<Rulebook> {
        let mut rules = Rulebook::default();
        let label = PRESETS.iter().find(|(key, _)| *key == name)?.1;
        rules.name = name.into();
        rules.label = label.into();
        match name {
            "tiered" => {
                rules.execution = ExecutionRule::Tiered {
                    tiers: [("1", "1"), ("0.8", "0.7"), ("0.6", "0.5")]
                        .iter()
                        .map(|(min_rate, share)| Tier {
                            min_rate: d(min_rate),
                            share: d(share),
                        })
                        .collect(),
                }
            }
            "ratio-reverse" => rules.reverse = ReverseRule::Ratio,
            "truncate" => rules.rounding = Rounding::Truncate,
            "local-caps" => {
                rules.caps = Some(Caps {
                    by_rate: [("0.5", "59"), ("0.6", "69"), ("0.7", "79"), ("0.8", "89")]
                        .iter()
                        .map(|(below_rate, max_total)| RateCap {
                            below_rate: d(below_rate),
                            max_total: d(max_total),
                        })
                        .collect(),
                    over_ratio: Some(d("0.3")),
                    over_penalty: d("2"),
                })
            }
            _ => {}
        }
        Some(rules)
    }

    /// Rules from a JSON description (fields left out take the defaults).
    pub fn from_json(text: &str) -> Result<Rulebook, String> {
        let rules: Rulebook = serde_json::from_str(text)
            .map_err(|e| format!("规则文件无法读取：{}", json_error_text(&e)))?;
        rules.validate()?;
        Ok(rules)
    }

    /// Rules named by a preset key, or else read as JSON.
    pub fn from_preset_or_json(spec: &str) -> Result<Rulebook, String> {
        if let Some(rules) = Rulebook::preset(spec) {
            return Ok(rules);
        }
        if spec.trim_start().starts_with('{') {
            return Rulebook::from_json(spec);
        }
        let names: Vec<&str> = PRESETS.iter().map(|(key, _)| *key).collect();
        Err(format!(
            "没有名为“{spec}”的规则预设；可用：{}",
            names.join("、")
        ))
    }

    /// The rules a unit names (`Unit::rules`): empty → the default.
    pub fn for_unit(spec: &str) -> Result<Rulebook, String> {
        if spec.trim().is_empty() {
            Ok(Rulebook::default())
        } else {
            Rulebook::from_preset_or_json(spec)
        }
    }

    /// The rules a unit is scored by when none are given: the rules it names
    /// (`Unit::rules`), else those of its profile (`Unit::profile`: 湖北's execution
    /// weight 20, 重庆's truncation), else the default.
    pub fn of_unit(unit: &crate::model::Unit) -> Result<Rulebook, String> {
        if !unit.rules.trim().is_empty() {
            return Rulebook::for_unit(&unit.rules);
        }
        match crate::profile::Profile::from_key_or_json(&unit.profile)? {
            Some(profile) => profile
                .rulebook()
                .unwrap_or_else(|| Ok(Rulebook::default())),
            None => Ok(Rulebook::default()),
        }
    }

    /// Reject rulebooks that would make scoring meaningless.
    pub fn validate(&self) -> Result<(), String> {
        let sum: Decimal =
            self.execution_weight + self.levels.iter().map(|l| l.weight).sum::<Decimal>();
        if sum != Decimal::ONE_HUNDRED {
            return Err(format!(
                "规则文件中预算执行率与各一级指标分值之和为{sum}，应为100"
            ));
        }
        if self.grades.is_empty() {
            return Err("规则文件未定义等级".into());
        }
        if self.bands.len() != glossary::BANDS.len() {
            return Err(format!("规则文件应定义{}个定性档次", glossary::BANDS.len()));
        }
        Ok(())
    }

    /// The default weight of the 一级指标 `name`, if the rulebook knows it.
    pub fn level_weight(&self, name: &str) -> Option<Decimal> {
        self.levels
            .iter()
            .find(|l| l.name == name)
            .map(|l| l.weight)
    }

    /// A leaf score or the execution score to 2 decimals, by [`Rulebook::rounding`].
    pub fn round_score(&self, x: Decimal) -> Decimal {
        let strategy = match self.rounding {
            Rounding::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            Rounding::Truncate => RoundingStrategy::ToZero,
        };
        x.round_dp_with_strategy(2, strategy)
    }

    /// The grade of a rounded total.
    pub fn grade(&self, total: Decimal) -> &str {
        self.grades
            .iter()
            .find(|g| total >= g.min)
            .or(self.grades.last())
            .map(|g| g.name.as_str())
            .unwrap_or("")
    }
}

/// A JSON reader's error said in Chinese, with where (for the rules and profile files;
/// the unit's data file has its own, finer messages in `io::json`).
pub(crate) fn json_error_text(e: &serde_json::Error) -> String {
    let at = format!("第{}行第{}列", e.line(), e.column());
    let raw = e.to_string();
    let quoted = |after: &str| {
        let rest = &raw[raw.find(after)? + after.len()..];
        let rest = rest.strip_prefix('`')?;
        Some(rest[..rest.find('`')?].to_string())
    };
    let what = if e.is_eof() {
        "文件不完整".to_string()
    } else if e.is_syntax() {
        "不是有效的 JSON".to_string()
    } else if let Some(name) = quoted("unknown field ") {
        format!("有不认识的项“{name}”")
    } else if let Some(name) = quoted("missing field ") {
        format!("缺少“{name}”")
    } else if let Some(name) = quoted("unknown variant ") {
        format!("“{name}”不是可用的取值")
    } else if raw.starts_with("invalid type") || raw.starts_with("invalid value") {
        "有一项的类型或取值不对".to_string()
    } else {
        "内容不符合格式".to_string()
    };
    format!("{what}（{at}）")
}
