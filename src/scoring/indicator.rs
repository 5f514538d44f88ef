//! One indicator scored by its rule (RULES.md §3): its target and actual read, then
//! scored as a quantity (against the target, ratio or reverse), a range, a date or a
//! qualitative band, with the basis of the score and the findings met. Part of
//! [`crate::scoring`], whose forms call [`score_indicator`] for each row.

use super::*;

/// Parse a target or actual, reporting an unreadable one at its place.
fn read_value(
    text: &str,
    default_unit: &str,
    field: &str,
    row: usize,
    place: &Place,
    findings: &mut Vec<Finding>,
) -> Option<Value> {
    match value::parse_with_unit(text, default_unit) {
        Ok(v) => Some(v),
        Err(e) => {
            let label = glossary::field_label(field);
            findings.push(place.finding(
                Severity::Error,
                "unparseable",
                Some(format!("indicators.{row}.{field}")),
                format!("{label}{}", e.message),
            ));
            None
        }
    }
}

pub(super) fn unscored(weight: Option<Decimal>) -> IndicatorScore {
    IndicatorScore {
        method: Method::Unscored,
        weight,
        score: None,
        band: None,
        basis: Basis::default(),
        ratio: None,
    }
}

pub(super) fn score_indicator(
    ind: &Indicator,
    row: usize,
    place: &Place,
    rules: &Rulebook,
    evaluated: Option<i32>,
    findings: &mut Vec<Finding>,
) -> IndicatorScore {
    let field = |name: &str| Some(format!("indicators.{row}.{name}"));
    if ind.not_applicable {
        return IndicatorScore {
            method: Method::NotApplicable,
            weight: ind.weight.value(),
            score: None,
            band: None,
            basis: Basis::new(How::NotApplicable),
            ratio: None,
        };
    }
    let Some(weight) = ind.weight.value() else {
        // An unreadable weight is reported by the audit, at its cell.
        if ind.weight.is_blank() {
            findings.push(place.finding(
                Severity::Error,
                "missing_weight",
                field("weight"),
                format!("{}未填写", glossary::WEIGHT),
            ));
        }
        return unscored(None);
    };
    if weight < Decimal::ZERO {
        findings.push(place.finding(
            Severity::Error,
            "negative_weight",
            field("weight"),
            format!("{}{}不能为负数", glossary::WEIGHT, fmt_plain(weight)),
        ));
        return unscored(Some(weight));
    }
    let default_unit = if ind.unit.trim().is_empty() {
        value::unit_in_label(&ind.name).unwrap_or_default()
    } else {
        ind.unit.trim().to_string()
    };
    let target = read_value(&ind.target, &default_unit, "target", row, place, findings);
    let actual = read_value(&ind.actual, &default_unit, "actual", row, place, findings);
    let (Some(target), Some(actual)) = (target, actual) else {
        return unscored(Some(weight));
    };
    if actual == Value::Empty {
        findings.push(place.finding(
            Severity::Error,
            "missing_actual",
            field("actual"),
            format!("{}未填写", glossary::ACTUAL),
        ));
        return unscored(Some(weight));
    }
    if target == Value::Empty {
        findings.push(place.finding(
            Severity::Error,
            "missing_target",
            field("target"),
            format!("{}未填写", glossary::TARGET),
        ));
        return unscored(Some(weight));
    }

    // Against a deadline: a month of the year (11月), the year's end, or words that say
    // it was met or missed (RULES.md §4).
    let mut actual = actual;
    if let Value::Date {
        year,
        month: tm,
        day: td,
        ..
    } = &target
    {
        if !matches!(actual, Value::Date { .. }) {
            let (tm, td) = (*tm, *td);
            match value::against_deadline(&ind.actual, &actual, year.or(evaluated)) {
                Some(value::AgainstDeadline::Date { month, day }) => {
                    actual = Value::Date {
                        op: None,
                        year: None,
                        month,
                        day,
                    };
                }
                Some(value::AgainstDeadline::Met) => {
                    let Quant::Scored(s) = quant_score(
                        rules,
                        Method::Deadline,
                        weight,
                        weight,
                        How::DeadlineMet {
                            actual: ind.actual.trim().to_string(),
                            month: tm,
                            day: td,
                            weight,
                        },
                        None,
                    ) else {
                        return unscored(Some(weight));
                    };
                    return s;
                }
                Some(value::AgainstDeadline::Missed) => {
                    let Quant::Scored(s) = quant_score(
                        rules,
                        Method::Deadline,
                        weight,
                        Decimal::ZERO,
                        How::DeadlineMissed {
                            actual: ind.actual.trim().to_string(),
                            month: tm,
                            day: td,
                        },
                        None,
                    ) else {
                        return unscored(Some(weight));
                    };
                    return s;
                }
                None => {}
            }
        }
    }
    ambiguous_fraction(&target, &actual, ind, row, place, findings);

    let mut result = match quantitative(&target, &actual, weight, rules, evaluated) {
        Quant::Scored(s) => s,
        Quant::UnitMismatch(t, a) => {
            findings.push(place.finding(
                Severity::Error,
                "unit_mismatch",
                field("actual"),
                format!(
                    "{}的单位“{a}”与{}的单位“{t}”不一致",
                    glossary::ACTUAL,
                    glossary::TARGET
                ),
            ));
            return unscored(Some(weight));
        }
        Quant::NotQuantitative => {
            // The band the user chose in the row; else the one the actual names.
            let band = glossary::band_index(&ind.band).or(match &actual {
                Value::Band(b) => Some(*b),
                Value::Text(text) if value::text_means_achieved(text, &ind.target) => Some(0),
                _ => None,
            });
            match band {
                Some(b) => qualitative(ind, b, weight, rules, place, row, findings),
                None => {
                    // The words stay: they are the description the platform asks for.
                    let choices: Vec<&str> = glossary::BANDS.iter().map(|b| b.1).collect();
                    findings.push(place.finding(
                        Severity::Error,
                        "qualitative_unknown",
                        field("band"),
                        format!(
                            "{}“{}”是完成情况的描述，请在本行选择完成程度（{}），文字保留",
                            glossary::ACTUAL,
                            ind.actual.trim(),
                            choices.join("、")
                        ),
                    ));
                    return unscored(Some(weight));
                }
            }
        }
    };
    if result.score.is_none() {
        return result;
    }

    // Over-achievement: flagged, never deducted automatically (RULES.md §3).
    if let (Some(ratio), Method::Positive | Method::Equal) = (result.ratio, result.method) {
        if ratio > rules.over_achievement && ind.reason.trim().is_empty() {
            findings.push(place.finding(
                Severity::Warning,
                "over_achievement",
                field("reason"),
                format!(
                    "实际完成值为指标值的{}%，超额较多，请说明原因（必要时填写扣减分数）",
                    fmt2(percent2(ratio))
                ),
            ));
        }
        if let Some(caps) = &rules.caps {
            if let Some(over) = caps.over_ratio {
                if ratio >= Decimal::ONE.saturating_add(over) {
                    let s = result.score.unwrap_or_default();
                    let penalised = s.saturating_sub(caps.over_penalty).max(Decimal::ZERO);
                    result.basis.over = Some((over, caps.over_penalty));
                    result.score = Some(penalised);
                }
            }
        }
    }

    // Manual deduction with its reason.
    if let Some(deduction) = ind.deduction.value().filter(|d| !d.is_zero()) {
        if deduction < Decimal::ZERO {
            findings.push(place.finding(
                Severity::Error,
                "negative_deduction",
                field("deduction"),
                format!("扣减分数{}不能为负数", fmt_plain(deduction)),
            ));
        } else {
            let s = result.score.unwrap_or_default();
            result.score = Some(rules.round_score(s.saturating_sub(deduction).max(Decimal::ZERO)));
            result.basis.deduction = Some(deduction);
            if ind.deduction_reason.trim().is_empty() {
                findings.push(place.finding(
                    Severity::Warning,
                    "deduction_reason_missing",
                    field("deductionReason"),
                    format!("扣减了{}分，请填写扣减原因", fmt_plain(deduction)),
                ));
            }
        }
    }
    result
}

/// A bare decimal ≤ 1 against a percentage target (`≥95%` / `0.97`): read as written
/// (0.97 %) and asked about, never guessed silently (RULES.md §4).
fn ambiguous_fraction(
    target: &Value,
    actual: &Value,
    ind: &Indicator,
    row: usize,
    place: &Place,
    findings: &mut Vec<Finding>,
) {
    let (Value::Number { unit: tu, .. }, Value::Number { number, .. }) = (target, actual) else {
        return;
    };
    // Bare as typed (a % from the indicator's name or unit column does not count).
    let bare = !ind.actual.contains(['%', '％']) && !ind.actual.contains("百分");
    if tu != "%" || !bare || *number <= Decimal::ZERO || *number > Decimal::ONE {
        return;
    }
    let meant = fmt_plain(number.saturating_mul(Decimal::ONE_HUNDRED));
    findings.push(place.finding(
        Severity::Warning,
        "ambiguous_fraction",
        Some(format!("indicators.{row}.actual")),
        format!(
            "{}“{}”按{}%计分；是否为{meant}%？如是请填写“{meant}%”",
            glossary::ACTUAL,
            ind.actual.trim(),
            fmt_plain(*number)
        ),
    ));
}

enum Quant {
    Scored(IndicatorScore),
    UnitMismatch(String, String),
    NotQuantitative,
}

fn quant_score(
    rules: &Rulebook,
    method: Method,
    weight: Decimal,
    raw: Decimal,
    how: How,
    ratio: Option<Decimal>,
) -> Quant {
    let score = rules.round_score(raw.max(Decimal::ZERO).min(weight));
    Quant::Scored(IndicatorScore {
        method,
        weight: Some(weight),
        score: Some(score),
        band: None,
        basis: Basis::equals(how, score),
        ratio,
    })
}

/// Score a numeric target against a numeric actual (RULES.md §3).
/// `evaluated`: the year evaluated — a date written without a year is in it (RULES.md §4).
fn quantitative(
    target: &Value,
    actual: &Value,
    weight: Decimal,
    rules: &Rulebook,
    evaluated: Option<i32>,
) -> Quant {
    match (target, actual) {
        (
            Value::Number {
                op,
                number: t,
                unit: tu,
            },
            Value::Number {
                number: a,
                unit: au,
                ..
            },
        ) => {
            let Some(a) = value::convert(*a, au, tu) else {
                return Quant::UnitMismatch(tu.clone(), au.clone());
            };
            let a = a.max(Decimal::ZERO);
            let t = *t;
            let ratio = (!t.is_zero()).then(|| a.checked_div(t)).flatten();
            match op {
                None | Some(Op::Ge) | Some(Op::Gt) | Some(Op::Eq) => {
                    let method = if *op == Some(Op::Eq) {
                        Method::Equal
                    } else {
                        Method::Positive
                    };
                    if method == Method::Equal && t.is_zero() {
                        let full = a <= Decimal::ZERO;
                        let raw = if full { weight } else { Decimal::ZERO };
                        return quant_score(
                            rules,
                            method,
                            weight,
                            raw,
                            How::ZeroTarget { actual: a },
                            None,
                        );
                    }
                    if a >= t || t <= Decimal::ZERO {
                        quant_score(
                            rules,
                            method,
                            weight,
                            weight,
                            How::Reached {
                                actual: a,
                                target: t,
                                weight,
                            },
                            ratio,
                        )
                    } else {
                        let raw = ratio.map(|r| r.saturating_mul(weight)).unwrap_or_default();
                        quant_score(
                            rules,
                            method,
                            weight,
                            raw,
                            How::Share {
                                actual: a,
                                target: t,
                                weight,
                            },
                            ratio,
                        )
                    }
                }
                Some(Op::Le) | Some(Op::Lt) => reverse(t, a, weight, rules, ratio),
            }
        }
        (
            Value::Range {
                low,
                high,
                unit: tu,
            },
            Value::Number {
                number: a,
                unit: au,
                ..
            },
        ) => {
            let Some(a) = value::convert(*a, au, tu) else {
                return Quant::UnitMismatch(tu.clone(), au.clone());
            };
            let a = a.max(Decimal::ZERO);
            if a >= *low && a <= *high {
                quant_score(
                    rules,
                    Method::Range,
                    weight,
                    weight,
                    How::InRange {
                        actual: a,
                        low: *low,
                        high: *high,
                        weight,
                    },
                    None,
                )
            } else if a < *low {
                let raw = a
                    .checked_div(*low)
                    .map(|r| r.saturating_mul(weight))
                    .unwrap_or_default();
                quant_score(
                    rules,
                    Method::Range,
                    weight,
                    raw,
                    How::BelowRange {
                        actual: a,
                        low: *low,
                        weight,
                    },
                    None,
                )
            } else {
                match reverse(*high, a, weight, rules, None) {
                    Quant::Scored(mut s) => {
                        s.method = Method::Range;
                        Quant::Scored(s)
                    }
                    other => other,
                }
            }
        }
        (
            Value::Date {
                year: ty,
                month: tm,
                day: td,
                ..
            },
            Value::Date {
                year: ay,
                month: am,
                day: ad,
                ..
            },
        ) => {
            let year = ty.or(evaluated).or(*ay).unwrap_or_default();
            let t = (year, *tm, *td);
            let a = (ay.or(evaluated).unwrap_or(year), *am, *ad);
            let on_time = a <= t;
            let raw = if on_time { weight } else { Decimal::ZERO };
            // Years are named when the two differ (2023年1月5日 against 12月31日).
            let basis = How::Dates {
                done: a,
                deadline: t,
            };
            quant_score(rules, Method::Deadline, weight, raw, basis, None)
        }
        _ => Quant::NotQuantitative,
    }
}

fn reverse(
    t: Decimal,
    a: Decimal,
    weight: Decimal,
    rules: &Rulebook,
    ratio: Option<Decimal>,
) -> Quant {
    let (actual, target) = (a, t);
    if a <= t {
        return quant_score(
            rules,
            Method::Reverse,
            weight,
            weight,
            How::Within {
                actual,
                target,
                weight,
            },
            ratio,
        );
    }
    if t <= Decimal::ZERO {
        return quant_score(
            rules,
            Method::Reverse,
            weight,
            Decimal::ZERO,
            How::Over { actual, target },
            ratio,
        );
    }
    match rules.reverse {
        ReverseRule::Linear => {
            let over = (a - t).checked_div(t).unwrap_or(Decimal::MAX);
            let raw = (Decimal::ONE.saturating_sub(over)).saturating_mul(weight);
            quant_score(
                rules,
                Method::Reverse,
                weight,
                raw,
                How::ReverseLinear {
                    actual,
                    target,
                    weight,
                },
                ratio,
            )
        }
        ReverseRule::Ratio => {
            let raw = t
                .checked_div(a)
                .map(|r| r.saturating_mul(weight))
                .unwrap_or_default();
            quant_score(
                rules,
                Method::Reverse,
                weight,
                raw,
                How::ReverseRatio {
                    actual,
                    target,
                    weight,
                },
                ratio,
            )
        }
    }
}

/// A qualitative indicator: the user's score inside the band, or the band's default.
fn qualitative(
    ind: &Indicator,
    band: usize,
    weight: Decimal,
    rules: &Rulebook,
    place: &Place,
    row: usize,
    findings: &mut Vec<Finding>,
) -> IndicatorScore {
    let Some(rule) = rules.bands.get(band) else {
        return unscored(Some(weight));
    };
    let (low, high) = (
        round2(rule.min.saturating_mul(weight)),
        round2(rule.max.saturating_mul(weight)),
    );
    let top = band == 0;
    let mut result = IndicatorScore {
        method: Method::Qualitative,
        weight: Some(weight),
        score: None,
        band: Some(band),
        basis: Basis::default(),
        ratio: None,
    };
    match ind.typed_score.value() {
        Some(s) => {
            let inside = s >= low && (s < high || (top && s == high));
            if !inside {
                let range = if top {
                    format!("[{}, {}]", fmt_plain(low), fmt_plain(high))
                } else {
                    format!("[{}, {})", fmt_plain(low), fmt_plain(high))
                };
                let mut f = place.finding(
                    Severity::Error,
                    "score_out_of_band",
                    Some(format!("indicators.{row}.typedScore")),
                    format!(
                        "得分{}不在“{}”的分数区间{range}内",
                        fmt_plain(s),
                        rule.label
                    ),
                );
                f.typed = Some(fmt_plain(s));
                findings.push(f);
                return result;
            }
            result.score = Some(rules.round_score(s));
            result.basis = Basis::new(How::Assessed {
                band: rule.label.clone(),
                score: s,
            });
        }
        None => {
            let s = rules.round_score(rule.default.saturating_mul(weight));
            findings.push(place.finding(
                Severity::Warning,
                "qualitative_unconfirmed",
                Some(format!("indicators.{row}.typedScore")),
                format!(
                    "定性指标“{}”未填写得分，暂按默认{}%计{}分，请确认",
                    rule.label,
                    fmt_plain(percent2(rule.default)),
                    fmt2(s)
                ),
            ));
            result.score = Some(s);
            result.basis = Basis::new(How::BandDefault {
                band: rule.label.clone(),
                share: rule.default,
                weight,
                score: s,
            });
        }
    }
    result
}
