//! Targets (年度指标值) and actuals (实际完成值) as people write them (RULES.md §4).
//!
//! [`parse`] reads one cell into a [`Value`]: an operator, a number and a unit (`≥50个`),
//! a range (`90%-100%`), a date (`2022年12月31日前`), a qualitative band (`部分达成`),
//! free text (`效果显著`) or nothing (`—`). The cell is normalised first — full-width
//! forms, look-alike operators, operator words and spaces — so `＞＝９５％`, `不低于95%`
//! and `95%以上` all read as `≥95%`.
//!
//! Numbers are exact [`Decimal`]s. A cell that looks like a quantity but cannot be read
//! exactly (`约100`, `100左右`, `1O0`, `一百个`) is a [`ValueError`] saying what is wrong,
//! never a guess, and no input makes the parser panic.
//!
//! Units are kept as written, only canonicalised (`百分比` → `%`, `个月` → `月`,
//! `公里` → `km`); [`convert`] moves a number between compatible units (`万元` ↔ `元`).

use crate::glossary::BANDS;
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

// ---------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------

/// A comparison operator in front of (or implied around) a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Op {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
}

impl Op {
    /// The symbol shown to users: `≥`, `>`, `≤`, `<`, `=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }

    /// True for the upper-bound operators (≤, <) of reverse indicators: costs, delays.
    pub fn is_reverse(self) -> bool {
        matches!(self, Op::Le | Op::Lt)
    }

    fn bound(self) -> Bound {
        match self {
            Op::Ge | Op::Gt => Bound::Lower,
            Op::Le | Op::Lt => Bound::Upper,
            Op::Eq => Bound::Exact,
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// Which side an operator bounds; used to check that `≥95%以上` agrees with itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Lower,
    Upper,
    Exact,
}

/// A target or actual as read from a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Operator (`None` = a bare value, which means "reach it") + number + canonical
    /// unit (`""` when none).
    Number {
        op: Option<Op>,
        number: Decimal,
        unit: String,
    },
    /// `90%-100%`, `80~90`, `80至90个`: `low <= high`.
    Range {
        low: Decimal,
        high: Decimal,
        unit: String,
    },
    /// A date: `2022年12月31日前` (op `Le`), `2022-12-31`, `2022年12月底前` (last day);
    /// `12月31日前` has no year → `year: None`.
    Date {
        op: Option<Op>,
        year: Option<i32>,
        month: u32,
        day: u32,
    },
    /// Qualitative band, an index into [`crate::glossary::BANDS`]: 0 达成年度指标,
    /// 1 部分达成年度指标并具有一定效果, 2 未达成年度指标且效果较差.
    Band(usize),
    /// Qualitative text (效果显著, 按时完成, free prose …), trimmed, as written.
    Text(String),
    /// Blank, `—`, `-`, `/`, `无`.
    Empty,
}

impl fmt::Display for Value {
    /// The value in the form users write it; [`parse`] reads it back to the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number { op, number, unit } => {
                let op = op.map(Op::symbol).unwrap_or("");
                write!(f, "{op}{number}{unit}")
            }
            Value::Range { low, high, unit } => write!(f, "{low}{unit}-{high}{unit}"),
            Value::Date {
                op,
                year,
                month,
                day,
            } => {
                let (before, after) = match op {
                    None => ("", ""),
                    Some(Op::Le) => ("", "前"),
                    Some(Op::Ge) => ("", "后"),
                    Some(op) => (op.symbol(), ""),
                };
                let year = year.map(|y| format!("{y}年")).unwrap_or_default();
                write!(f, "{before}{year}{month}月{day}日{after}")
            }
            Value::Band(index) => f.write_str(BANDS.get(*index).map_or("", |band| band.0)),
            Value::Text(text) => f.write_str(text),
            Value::Empty => Ok(()),
        }
    }
}

/// Why a cell could not be read. The message is Chinese and names the cell's text and
/// the problem; the caller prefixes the place (project · row · field).
#[derive(Debug, Clone, PartialEq)]
pub struct ValueError {
    pub message: String,
}

impl ValueError {
    /// “<what was written>”无法识别，<detail>
    fn unreadable(input: &str, detail: &str) -> ValueError {
        ValueError {
            message: format!("“{}”无法识别，{}", shown(input), detail),
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValueError {}

/// The cell as quoted in a message: trimmed, and cut short when very long.
fn shown(input: &str) -> String {
    const LIMIT: usize = 40;
    let trimmed = input.trim();
    if trimmed.chars().count() <= LIMIT {
        trimmed.to_string()
    } else {
        let head: String = trimmed.chars().take(LIMIT).collect();
        format!("{head}…")
    }
}

// ---------------------------------------------------------------------------------------
// Public functions
// ---------------------------------------------------------------------------------------

/// Reads a 年度指标值 or 实际完成值 cell.
pub fn parse(input: &str) -> Result<Value, ValueError> {
    let text = normalize(input);
    classify(&text, input).map_err(|detail| ValueError::unreadable(input, &detail))
}

/// FNV-1a: the memos' keys are short texts of the user's own, looked up tens of
/// thousands of times an evaluation; SipHash (the default, resistant to chosen
/// collisions, which a unit's own cells are not an attack by) took a fifth of it.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    /// FNV's own state, multiplied and folded: the table takes its buckets from the low
    /// bits and its tags from the top 7, and FNV's top bits barely differ between texts
    /// that end alike (“404个”, “113个”), which made every look-up compare a dozen keys.
    fn finish(&self) -> u64 {
        let h = self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^ (h >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<V> = HashMap<String, V, std::hash::BuildHasherDefault<Fnv>>;

/// A key of [`MEMO`]: a short text (most cells: “≥95%”, “168个”, “达成年度指标”) held in
/// the table's own slot and compared there as a whole (no call to compare bytes
/// elsewhere: those calls were a fifth of an evaluation of 1,000 projects), a longer
/// one as a string.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Text {
    Short(u8, [u8; SHORT]),
    Long(Box<str>),
}

const SHORT: usize = 22;

impl Text {
    fn new(text: &str) -> Text {
        if text.len() <= SHORT {
            let mut bytes = [0; SHORT];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Text::Short(text.len() as u8, bytes)
        } else {
            Text::Long(text.into())
        }
    }
}

type TextMap<V> = HashMap<Text, V, std::hash::BuildHasherDefault<Fnv>>;

/// The cells read so far, by default unit then text, with what reading them gave.
type Memo = TextMap<TextMap<Result<Value, ValueError>>>;

/// Texts held by the memo before it is emptied (a few MB at most).
const MEMO_LIMIT: usize = 20_000;

thread_local! {
    /// Each cell's text is read once: a unit is evaluated again whenever its year or
    /// rules change, on opening, for its report and in a review, and most cells repeat
    /// a few texts (“≥95%”, “100%”, “达成年度指标”). Reading is a pure function of the
    /// text and the default unit, so a memo gives the same values.
    static MEMO: RefCell<(usize, Memo)> = RefCell::new((0, Memo::default()));
}

thread_local! {
    /// Units found in indicator labels, units in their canonical spelling, and 一级
    /// labels read (see [`MEMO`]).
    static UNIT_MEMO: RefCell<FastMap<Option<String>>> = RefCell::new(FastMap::default());
    static CANON_MEMO: RefCell<FastMap<String>> = RefCell::new(FastMap::default());
    static LEVEL_MEMO: RefCell<FastMap<(String, Option<Decimal>)>> = RefCell::new(FastMap::default());
}

/// `read()` of a label, once per label text (a pure function of it).
fn remembered<T: Clone>(
    memo: &'static std::thread::LocalKey<RefCell<FastMap<T>>>,
    label: &str,
    read: impl FnOnce() -> T,
) -> T {
    memo.with(|memo| {
        if let Some(hit) = memo.borrow().get(label) {
            return hit.clone();
        }
        let value = read();
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(label.to_string(), value.clone());
        value
    })
}

/// [`parse`], but a number or range without a unit takes `default_unit` (the form's
/// 度量单位 column, or a unit found in the indicator's name like “培训人数（人次）”).
/// Each text is read once (see [`MEMO`]).
pub fn parse_with_unit(input: &str, default_unit: &str) -> Result<Value, ValueError> {
    MEMO.with(|memo| {
        let (unit, text) = (Text::new(default_unit), Text::new(input));
        if let Some(hit) = memo.borrow().1.get(&unit).and_then(|m| m.get(&text)) {
            return hit.clone();
        }
        let read = read_with_unit(input, default_unit);
        let mut memo = memo.borrow_mut();
        if memo.0 >= MEMO_LIMIT {
            *memo = (0, Memo::default());
        }
        memo.0 += 1;
        memo.1.entry(unit).or_default().insert(text, read.clone());
        read
    })
}

fn read_with_unit(input: &str, default_unit: &str) -> Result<Value, ValueError> {
    let value = parse(input)?;
    let default = canonical_unit(default_unit);
    if default.is_empty() {
        return Ok(value);
    }
    Ok(match value {
        Value::Number { op, number, unit } if unit.is_empty() => Value::Number {
            op,
            number,
            unit: default,
        },
        Value::Range { low, high, unit } if unit.is_empty() => Value::Range {
            low,
            high,
            unit: default,
        },
        other => other,
    })
}

/// The unit at the end of an indicator label in brackets, when it is a known unit:
/// “培训人数（人次）” → `Some("人次")`, “完成率(%)” → `Some("%")`,
/// “资金（单位：万元）” → `Some("万元")`.
pub fn unit_in_label(label: &str) -> Option<String> {
    remembered(&UNIT_MEMO, label, || read_unit_in_label(label))
}

fn read_unit_in_label(label: &str) -> Option<String> {
    let text = normalize(label);
    let inner = text.strip_suffix(')')?;
    let content = &inner[inner.rfind('(')? + 1..];
    let content = ["单位:", "单位"]
        .iter()
        .find_map(|lead| content.strip_prefix(lead))
        .unwrap_or(content);
    let unit = canonical(content);
    is_known_unit(&unit).then_some(unit)
}

/// A 一级指标 label as forms write it, split into the level's name and the points the
/// label carries (安徽): `产出指标（50分）` → (`产出指标`, Some(50)), `效益指标(30分)`,
/// `满意度指标 （10 分）`, `产出指标50分`. Full/half-width brackets and spaces are
/// tolerated; a short name is completed (`产出` → `产出指标`). A label without points
/// is returned trimmed and without spaces, with `None`.
pub fn level_with_points(label: &str) -> (String, Option<Decimal>) {
    let (name, points) = level_label(label);
    (name.into_owned(), points)
}

/// [`level_with_points`], borrowing the label when it is a level's own name, as written
/// on most rows (scoring and the checks read every row's).
pub fn level_label(label: &str) -> (std::borrow::Cow<'_, str>, Option<Decimal>) {
    if is_level_name(label) {
        return (std::borrow::Cow::Borrowed(label), None);
    }
    let (name, points) = remembered(&LEVEL_MEMO, label, || read_level_with_points(label));
    (std::borrow::Cow::Owned(name), points)
}

/// A level's own name exactly (`产出指标`): no points.
pub fn is_level_name(label: &str) -> bool {
    crate::glossary::LEVEL2
        .iter()
        .any(|(level, _)| *level == label)
}

/// The points a 一级 label carries (`产出指标（50分）` → 50), as [`level_with_points`]
/// reads them; none without a digit in the label.
pub fn level_points(label: &str) -> Option<Decimal> {
    if is_level_name(label) || !label.chars().any(char::is_numeric) {
        return None;
    }
    level_with_points(label).1
}

fn read_level_with_points(label: &str) -> (String, Option<Decimal>) {
    let text = normalize(label);
    let (name, points) = split_points(&text).unwrap_or((&text, None));
    let name = name.trim_end_matches([':', '：']);
    let full = crate::glossary::LEVEL2
        .iter()
        .map(|(level, _)| *level)
        .find(|level| level.strip_suffix("指标") == Some(name))
        .map_or_else(|| name.to_string(), str::to_string);
    (full, points)
}

/// `name(50分)`, `name(50)`, `name50分` → (name, points); `None` when no points.
fn split_points(text: &str) -> Option<(&str, Option<Decimal>)> {
    let (name, inner) = match text.strip_suffix(')') {
        Some(inner) => {
            let open = inner.rfind('(')?;
            (&inner[..open], &inner[open + 1..])
        }
        None => {
            let body = text.strip_suffix('分')?;
            let start = body
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
                .last()?
                .0;
            (&body[..start], &text[start..])
        }
    };
    let inner = inner.strip_prefix("满分").unwrap_or(inner);
    let digits = inner.strip_suffix('分').unwrap_or(inner);
    if name.is_empty()
        || digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        return None;
    }
    let points = digits.parse::<Decimal>().ok()?;
    Some((name, Some(points)))
}

/// Converts `number` from unit `from` into unit `to`.
///
/// Same unit → `Some(number)`. A blank unit on either side → `Some(number)` (a missing
/// unit takes the other's). Units of one kind convert: 元/万元/亿元 (and any count with
/// 万/亿/千 in front: 万人次 → 人次), km/m, ㎡/公顷/km², kg/吨, 分钟/小时/天/周, 月/年,
/// %/‰. Anything else (个 vs %, 人 vs 人次, 天 vs 月) → `None`. A conversion into a larger
/// unit that does not divide exactly (1 分钟 → 小时) is rounded to 28 significant digits.
pub fn convert(number: Decimal, from: &str, to: &str) -> Option<Decimal> {
    let (from, to) = (canonical_unit(from), canonical_unit(to));
    if from == to || from.is_empty() || to.is_empty() {
        return Some(number);
    }
    let (from, to) = (measure(&from)?, measure(&to)?);
    if from.dimension != to.dimension {
        return None;
    }
    number
        .checked_mul(from.factor)?
        .checked_div(to.factor)
        .map(|converted| converted.normalize())
}

/// True when numbers in unit `a` can be compared with numbers in unit `b`
/// (see [`convert`]).
pub fn units_compatible(a: &str, b: &str) -> bool {
    convert(Decimal::ONE, a, b).is_some()
}

/// The canonical spelling of a unit as typed in a cell or a 度量单位 column:
/// `百分比`/`％` → `%`, `个月` → `月`, `日` → `天`, `公里`/`千米` → `km`,
/// `平方米`/`m2` → `㎡`, `h` → `小时`; blank marks (`—`, `/`) → `""`.
pub fn canonical_unit(raw: &str) -> String {
    remembered(&CANON_MEMO, raw, || read_canonical_unit(raw))
}

fn read_canonical_unit(raw: &str) -> String {
    let text = normalize(raw);
    if is_blank(&text) {
        String::new()
    } else {
        canonical(&text)
    }
}

/// True when a free-text actual says the target was met: 完成, 已完成, 全部完成, 按时完成,
/// 达成预期指标, 达到预期, 有效, 是, 符合, 合格, 效果显著 …, or when the actual text
/// equals the target text. Negative wording (未完成, 部分完成, 无效, 不符合) is not.
pub fn text_means_achieved(actual: &str, target: &str) -> bool {
    let actual = normalize(actual);
    if is_blank(&actual) {
        return false;
    }
    let target = normalize(target);
    let core = strip_any_prefix(&actual, DONE_PREFIXES);
    if !is_blank(&target) && (actual == target || core == target) {
        return true;
    }
    if NEGATIONS.iter().any(|word| actual.contains(word)) {
        return false;
    }
    ACHIEVED.contains(&core)
}

// ---------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------

/// Operator symbols (after normalisation) written before a number or a date.
const SYMBOL_OPERATORS: &[(&str, Op)] = &[
    ("≥", Op::Ge),
    ("≤", Op::Le),
    (">", Op::Gt),
    ("<", Op::Lt),
    ("=", Op::Eq),
];

/// Operator words written before a number, longest first where one begins another.
/// `达到` ("reach") and `在` (`在90%-100%之间`) add nothing.
const WORD_OPERATORS: &[(&str, Option<Op>)] = &[
    ("大于或等于", Some(Op::Ge)),
    ("大于等于", Some(Op::Ge)),
    ("不低于", Some(Op::Ge)),
    ("不少于", Some(Op::Ge)),
    ("不小于", Some(Op::Ge)),
    ("至少", Some(Op::Ge)),
    ("最少", Some(Op::Ge)),
    ("小于或等于", Some(Op::Le)),
    ("小于等于", Some(Op::Le)),
    ("不高于", Some(Op::Le)),
    ("不超过", Some(Op::Le)),
    ("不多于", Some(Op::Le)),
    ("不大于", Some(Op::Le)),
    ("至多", Some(Op::Le)),
    ("最多", Some(Op::Le)),
    ("大于", Some(Op::Gt)),
    ("高于", Some(Op::Gt)),
    ("超过", Some(Op::Gt)),
    ("多于", Some(Op::Gt)),
    ("小于", Some(Op::Lt)),
    ("低于", Some(Op::Lt)),
    ("少于", Some(Op::Lt)),
    ("等于", Some(Op::Eq)),
    ("达到", None),
    ("在", None),
];

/// Bound words written after a number: `95%以上`, `10天以内`, `1个月内`.
const SUFFIX_OPERATORS: &[(&str, Op)] = &[
    ("及以上", Op::Ge),
    ("以上", Op::Ge),
    ("及以下", Op::Le),
    ("以下", Op::Le),
    ("以内", Op::Le),
    ("之内", Op::Le),
    ("内", Op::Le),
];

/// "Inclusive" marks that add nothing to a bound: `95%以上（含）`.
const INCLUSIVE_MARKS: &[&str] = &["(含)", "(含本数)"];

/// `90%-100%之间`: allowed after a range only.
const BETWEEN: &str = "之间";

/// Words that make a number approximate; a target must be exact.
const APPROXIMATIONS: &[&str] = &[
    "大约", "大概", "将近", "接近", "约", "近", "左右", "上下", "余", "多",
];

/// Words before a date: `截至2022年12月31日` (by), `于2022年12月31日前`.
const DATE_PREFIX_WORDS: &[(&str, Option<Op>)] = &[
    ("截至到", Some(Op::Le)),
    ("截止到", Some(Op::Le)),
    ("截至", Some(Op::Le)),
    ("截止", Some(Op::Le)),
    ("于", None),
    ("在", None),
];

/// Words after a date: `前` (by), `后` (from).
const DATE_SUFFIX_WORDS: &[(&str, Op)] = &[
    ("之前", Op::Le),
    ("以前", Op::Le),
    ("前", Op::Le),
    ("之后", Op::Ge),
    ("以后", Op::Ge),
    ("后", Op::Ge),
    ("以内", Op::Le),
    ("之内", Op::Le),
    ("内", Op::Le),
];

/// Band spellings besides the full and short labels of [`BANDS`].
const BAND_VARIANTS: &[(&str, usize)] = &[
    ("已达成年度指标", 0),
    ("已达成", 0),
    ("全部达成", 0),
    ("全部达成年度指标", 0),
    ("部分达成年度指标", 1),
    ("未达成年度指标", 2),
];

/// Cells that mean "nothing written".
const EMPTY_WORDS: &[&str] = &["无", "暂无"];

/// Free-text actuals that say the target was met (after [`DONE_PREFIXES`] are removed).
const ACHIEVED: &[&str] = &[
    "完成",
    "提前完成",
    "按时完成",
    "按期完成",
    "如期完成",
    "顺利完成",
    "达成",
    "达成年度指标",
    "达成预期",
    "达成预期指标",
    "达成预期目标",
    "达到预期",
    "达到预期目标",
    "达到预期效果",
    "达到要求",
    "达标",
    "实现",
    "实现预期目标",
    "有效",
    "是",
    "符合",
    "符合要求",
    "符合规定",
    "符合相关规定",
    "符合标准",
    "合格",
    "效果显著",
    "效果明显",
    "显著",
    "明显",
    "良好",
    "较好",
    "满意",
];

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
fn year_end(text: &str) -> Option<Value> {
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

/// Leading words that only stress completion: 已完成, 均已完成, 全部完成.
const DONE_PREFIXES: &[&str] = &["均已", "全部", "已经", "已", "均"];

/// Words that turn an actual negative: 未完成, 部分完成, 无效, 不符合, 效果较差.
const NEGATIONS: &[&str] = &["未", "不", "没", "无", "否", "差", "部分", "尚", "欠", "待"];

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

/// Chinese numerals that carry a digit (一百, 五十, 两); 万 and 亿 alone do not.
const CHINESE_DIGITS: &str = "零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟";

const ARABIC_ADVICE: &str = "数量请用阿拉伯数字填写，如“≥100个”";

// ---------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------

/// Normalises a cell for reading: full-width forms to ASCII, look-alike operators and
/// dashes to one spelling, `>=`/`=>` → `≥` and `<=`/`=<` → `≤`, all whitespace removed,
/// trailing punctuation (`。` `.` `,` `;`) dropped.
fn normalize(input: &str) -> String {
    // Most cells are already in the plain spelling: one scan, one copy.
    if !input.contains('=') && input.chars().all(|c| fold_char(c) == Some(c)) {
        return trim_closing(input).to_string();
    }
    normalize_spelling(input)
}

/// [`normalize`] for a cell with something to fold or respell.
fn normalize_spelling(input: &str) -> String {
    let folded: String = input
        .replace("——", "—")
        .chars()
        .filter_map(fold_char)
        .collect();
    let spelled = [
        (">=", "≥"),
        ("=>", "≥"),
        ("≥=", "≥"),
        ("<=", "≤"),
        ("=<", "≤"),
        ("≤=", "≤"),
        ("==", "="),
    ]
    .iter()
    .fold(folded, |text, (from, to)| text.replace(from, to));
    trim_closing(&spelled).to_string()
}

/// Without the sentence's closing punctuation.
fn trim_closing(text: &str) -> &str {
    text.trim_end_matches(['。', '.', ',', ';', '、', '!'])
}

/// One character of [`normalize`]; `None` drops it (whitespace, zero-width marks).
fn fold_char(c: char) -> Option<char> {
    if c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}') {
        return None;
    }
    Some(match c {
        // Full-width ASCII block: ０-９ ％ ＋ － ． ， ＜ ＞ ＝ （ ） Ａ-Ｚ …
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '≧' | '⩾' => '≥',
        '≦' | '⩽' => '≤',
        '﹥' | '〉' => '>',
        '﹤' | '〈' => '<',
        '﹦' | '═' => '=',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => '-',
        '〜' => '~',
        '﹪' => '%',
        _ => c,
    })
}

/// True for a normalised cell that means "nothing written".
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| matches!(c, '-' | '/' | '\\')) || EMPTY_WORDS.contains(&text)
}

/// Removes the first of `prefixes` that `text` starts with.
fn strip_any_prefix<'a>(text: &'a str, prefixes: &[&str]) -> &'a str {
    prefixes
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .unwrap_or(text)
}

// ---------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------

/// Reads a normalised cell; an error is the detail of a [`ValueError`].
fn classify(text: &str, input: &str) -> Result<Value, String> {
    if is_blank(text) {
        return Ok(Value::Empty);
    }
    if let Some(band) = band_index(text) {
        return Ok(Value::Band(band));
    }
    if !text.contains(|c: char| c.is_ascii_digit()) {
        // 年底前, 年内完成: a deadline, like 2022年底前 (its year the one evaluated).
        if let Some(date) = year_end(text) {
            return Ok(date);
        }
        return read_qualitative(text, input);
    }
    if let Some(date) = parse_date(text)? {
        return Ok(date);
    }
    parse_quantity(text)
}

/// The band a normalised cell names, if any.
fn band_index(text: &str) -> Option<usize> {
    BANDS
        .iter()
        .position(|(full, short)| text == *full || text == *short)
        .or_else(|| {
            BAND_VARIANTS
                .iter()
                .find(|(spelling, _)| *spelling == text)
                .map(|(_, index)| *index)
        })
}

/// A cell without digits: qualitative text, unless it is a quantity in Chinese numerals
/// (`一百个`) or an operator with nothing to compare (`≥效果显著`).
fn read_qualitative(text: &str, input: &str) -> Result<Value, String> {
    if is_chinese_numeral_quantity(text) {
        return Err(ARABIC_ADVICE.to_string());
    }
    if let Some((symbol, _)) = SYMBOL_OPERATORS
        .iter()
        .find(|(symbol, _)| text.starts_with(symbol))
    {
        return Err(format!("“{symbol}”后应为数值，如“{symbol}100个”"));
    }
    Ok(Value::Text(input.trim().to_string()))
}

/// True when the whole cell is a quantity in Chinese numerals: `一百`, `约一百`,
/// `一百个`, `三个月内`, `百分之九十`. Prose that merely contains 一 (`进一步提高`,
/// `具有一定效果`) is not.
fn is_chinese_numeral_quantity(text: &str) -> bool {
    let (_, rest) = split_prefix_operator(text);
    let rest = strip_any_prefix(rest, &["大约", "大概", "将近", "接近", "约", "近"]);
    let (rest, _) = split_suffix(rest);
    let rest = rest.strip_suffix("左右").unwrap_or(rest);
    let rest = rest.strip_prefix("百分之").unwrap_or(rest);
    let numeral_end = rest
        .char_indices()
        .find(|(_, c)| !(CHINESE_DIGITS.contains(*c) || matches!(c, '万' | '亿' | '点')))
        .map_or(rest.len(), |(i, _)| i);
    let (numeral, unit) = rest.split_at(numeral_end);
    let unit = unit.trim_start_matches(['余', '多']);
    numeral.contains(|c| CHINESE_DIGITS.contains(c))
        && (unit.is_empty() || is_known_unit(&canonical(unit)))
}

// ---------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------

/// Splits an operator symbol or word off the front of `text`.
fn split_prefix_operator(text: &str) -> (Option<Op>, &str) {
    for (symbol, op) in SYMBOL_OPERATORS {
        if let Some(rest) = text.strip_prefix(symbol) {
            return (Some(*op), rest);
        }
    }
    for (word, op) in WORD_OPERATORS {
        if let Some(rest) = text.strip_prefix(word) {
            return (*op, rest);
        }
    }
    (None, text)
}

/// What follows a quantity besides its unit.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Suffix {
    /// `以上`, `以下`, `以内`, `内`
    Bound(Op),
    /// `之间`
    Between,
}

/// Splits a bound word (`以上`, `以内` …), `之间` and inclusive marks off the end.
fn split_suffix(text: &str) -> (&str, Option<Suffix>) {
    let text = strip_inclusive(text);
    if let Some(rest) = text.strip_suffix(BETWEEN) {
        return (rest, Some(Suffix::Between));
    }
    for (word, op) in SUFFIX_OPERATORS {
        if let Some(rest) = text.strip_suffix(word) {
            return (strip_inclusive(rest), Some(Suffix::Bound(*op)));
        }
    }
    (text, None)
}

fn strip_inclusive(text: &str) -> &str {
    INCLUSIVE_MARKS
        .iter()
        .find_map(|mark| text.strip_suffix(mark))
        .unwrap_or(text)
}

/// One operator from one written before and one written after (`≥95%以上`): they must
/// bound the same side; the one before wins (`>90%以上` stays `>`).
fn merge_ops(before: Option<Op>, after: Option<Op>) -> Result<Option<Op>, String> {
    match (before, after) {
        (Some(b), Some(a)) if b.bound() != a.bound() || b.bound() == Bound::Exact => Err(format!(
            "前后的运算符相互矛盾（{}与{}）",
            b.symbol(),
            a.symbol()
        )),
        (Some(b), _) => Ok(Some(b)),
        (None, a) => Ok(a),
    }
}

// ---------------------------------------------------------------------------------------
// Numbers and ranges
// ---------------------------------------------------------------------------------------

/// Reads a number or a range with its operator and unit: `≥50个`, `95%以上`,
/// `90-100%`, `80至90个`.
fn parse_quantity(text: &str) -> Result<Value, String> {
    let (before, rest) = split_prefix_operator(text);
    let (body, suffix) = split_suffix(rest);
    if let Some(word) = APPROXIMATIONS.iter().find(|word| body.contains(*word)) {
        return Err(format!(
            "“{word}”表示约数，请写成确定的数值，如“≥100”或“100”"
        ));
    }
    let (low, rest) = read_number(body)?;
    let (low_unit, rest) = read_unit(rest);
    if rest.is_empty() {
        return number_value(before, suffix, low, low_unit);
    }
    match strip_range_separator(rest) {
        Some(high_text) => range_value(before, suffix, low, low_unit, high_text),
        None => Err(stray_between_digits(low_unit)),
    }
}

/// A single number: checks its operators and unit.
fn number_value(
    before: Option<Op>,
    suffix: Option<Suffix>,
    number: Decimal,
    unit: &str,
) -> Result<Value, String> {
    let after = match suffix {
        Some(Suffix::Between) => return Err("“之间”只用于区间，如“90%-100%之间”".to_string()),
        Some(Suffix::Bound(op)) => Some(op),
        None => None,
    };
    Ok(Value::Number {
        op: merge_ops(before, after)?,
        number,
        unit: checked_unit(unit)?,
    })
}

/// A range: `low` with its unit already read, `high_text` after the separator.
fn range_value(
    before: Option<Op>,
    suffix: Option<Suffix>,
    low: Decimal,
    low_unit: &str,
    high_text: &str,
) -> Result<Value, String> {
    let bound = match suffix {
        Some(Suffix::Bound(op)) => Some(op),
        _ => before,
    };
    if let Some(op) = before.or(bound) {
        return Err(format!("区间前后不能再加运算符（{}）", op.symbol()));
    }
    let (high, rest) = read_number(high_text)?;
    let (high_unit, rest) = read_unit(rest);
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(stray_between_digits(high_unit));
    }
    if !rest.is_empty() {
        return Err(format!("区间后多出“{high_unit}{rest}”"));
    }
    let unit = range_unit(low_unit, high_unit)?;
    if low > high {
        return Err(format!("区间下限{low}大于上限{high}"));
    }
    Ok(Value::Range { low, high, unit })
}

/// The unit of a range: `90-100%` and `90%-100` both mean percent for both ends.
fn range_unit(low: &str, high: &str) -> Result<String, String> {
    let (low, high) = (checked_unit(low)?, checked_unit(high)?);
    if low.is_empty() || low == high {
        Ok(high)
    } else if high.is_empty() {
        Ok(low)
    } else {
        Err(format!("区间两端的单位不一致（“{low}”与“{high}”）"))
    }
}

fn stray_between_digits(stray: &str) -> String {
    if is_known_unit(&canonical(stray)) {
        return format!("一格只能写一个数值，“{stray}”后又出现了数字");
    }
    let hint = if stray.contains(['O', 'o', 'l', 'I']) {
        "（是否把字母当成了数字？）"
    } else {
        ""
    };
    format!("数字之间夹有“{stray}”{hint}")
}

/// Reads a decimal number at the start of `s`: optional sign, digits with optional
/// thousands separators (`10,000`), optional fraction. Returns it and the rest of `s`.
fn read_number(s: &str) -> Result<(Decimal, &str), String> {
    let (sign, unsigned) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.strip_prefix('+').unwrap_or(s)),
    };
    let (head, mut rest) = split_digits(unsigned);
    if head.is_empty() {
        return Err(missing_number(s));
    }
    let mut plain = format!("{sign}{head}");
    if head.len() <= 3 {
        while let Some(group) = thousands_group(rest) {
            plain.push_str(group);
            rest = &rest[1 + group.len()..];
        }
    }
    if let Some(after_point) = rest.strip_prefix('.') {
        let (fraction, after) = split_digits(after_point);
        if !fraction.is_empty() {
            plain.push('.');
            plain.push_str(fraction);
            rest = after;
        }
    }
    let number = Decimal::from_str_exact(&plain)
        .map_err(|_| "数值超出可处理的范围（最多28位有效数字）".to_string())?;
    Ok((number, rest))
}

/// `,000` after the leading digits of `10,000`: the three digits.
fn thousands_group(s: &str) -> Option<&str> {
    let (digits, _) = split_digits(s.strip_prefix(',')?);
    (digits.len() == 3).then_some(digits)
}

/// What to say when no number starts `s`.
fn missing_number(s: &str) -> String {
    let lead: String = s.chars().take_while(|c| !c.is_ascii_digit()).collect();
    if lead.is_empty() {
        "缺少数值".to_string()
    } else if lead.len() == s.len() {
        format!("“{lead}”处缺少数值")
    } else {
        format!("数值前多了“{lead}”")
    }
}

/// Splits leading ASCII digits off `s`.
fn split_digits(s: &str) -> (&str, &str) {
    s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()))
}

fn is_range_separator(c: char) -> bool {
    matches!(c, '-' | '~' | '至' | '到')
}

fn strip_range_separator(s: &str) -> Option<&str> {
    let mut chars = s.chars();
    chars
        .next()
        .filter(|c| is_range_separator(*c))
        .map(|_| chars.as_str())
}

/// Splits the unit off the text after a number: everything up to a range separator or
/// the next digit (`m2`/`m3` keep their digit).
fn read_unit(s: &str) -> (&str, &str) {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let power_of_metre = matches!(c, '2' | '3')
            && s[..i].ends_with('m')
            && !s[i + 1..].starts_with(|d: char| d.is_ascii_digit());
        if (c.is_ascii_digit() && !power_of_metre) || is_range_separator(c) {
            break;
        }
        end = i + c.len_utf8();
    }
    s.split_at(end)
}

/// The canonical unit of what followed a number, or why it is not a unit. Known units
/// pass; other short Chinese units (`台套`, `个乡镇`) pass as written; anything else —
/// letters, symbols, prose (`%完成`, `天前`) — is an error.
fn checked_unit(raw: &str) -> Result<String, String> {
    let unit = canonical(raw);
    if unit.is_empty() || is_known_unit(&unit) {
        return Ok(unit);
    }
    let chinese = unit.chars().count() <= 6
        && unit.chars().all(|c| is_cjk(c) || c == '/')
        && !["完成", "达到", "实现", "前", "后", "的", "及"]
            .iter()
            .any(|word| unit.contains(word));
    if chinese {
        Ok(unit)
    } else if unit.contains(['O', 'o', 'l', 'I']) {
        Err(format!(
            "数值后的“{raw}”不是可识别的单位（是否把字母当成了数字？）"
        ))
    } else {
        Err(format!("数值后的“{raw}”不是可识别的单位"))
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

// ---------------------------------------------------------------------------------------
// Units
// ---------------------------------------------------------------------------------------

/// Canonical spelling of a normalised unit (see [`canonical_unit`]).
fn canonical(unit: &str) -> String {
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
fn is_known_unit(unit: &str) -> bool {
    let mut base = unit;
    while let Some((_, rest)) = magnitude_split(base) {
        base = rest;
    }
    COUNT_UNITS.contains(&base)
        || MEASURES.iter().any(|(name, ..)| *name == base)
        || UNIT_ALIASES.iter().any(|(_, canon)| *canon == base)
}

/// A canonical unit as a multiple of its dimension's base unit.
struct Measure {
    dimension: String,
    factor: Decimal,
}

/// The measure of a canonical unit: `万元` → 10000 × 元, `km` → 1000 × m; a unit this
/// module does not know is its own dimension (`人次`, `万人次` = 10000 × 人次).
/// `None` only when the magnitudes overflow.
fn measure(unit: &str) -> Option<Measure> {
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

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

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
fn parse_date(text: &str) -> Result<Option<Value>, String> {
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

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn number(op: Option<Op>, n: &str, unit: &str) -> Value {
        Value::Number {
            op,
            number: dec(n),
            unit: unit.to_string(),
        }
    }

    fn range(low: &str, high: &str, unit: &str) -> Value {
        Value::Range {
            low: dec(low),
            high: dec(high),
            unit: unit.to_string(),
        }
    }

    fn date(op: Option<Op>, year: Option<i32>, month: u32, day: u32) -> Value {
        Value::Date {
            op,
            year,
            month,
            day,
        }
    }

    fn ok(input: &str) -> Value {
        parse(input).unwrap_or_else(|e| panic!("{input}: {e}"))
    }

    fn err(input: &str) -> String {
        match parse(input) {
            Ok(value) => panic!("{input} parsed as {value:?}"),
            Err(e) => e.message,
        }
    }

    #[test]
    fn operator_number_unit() {
        assert_eq!(ok("≥50个"), number(Some(Op::Ge), "50", "个"));
        assert_eq!(ok("≤90万元"), number(Some(Op::Le), "90", "万元"));
        assert_eq!(ok("=100%"), number(Some(Op::Eq), "100", "%"));
        assert_eq!(ok("=1个"), number(Some(Op::Eq), "1", "个"));
        assert_eq!(ok("≤10次"), number(Some(Op::Le), "10", "次"));
        assert_eq!(ok(">=95%"), number(Some(Op::Ge), "95", "%"));
        assert_eq!(ok("=>95%"), number(Some(Op::Ge), "95", "%"));
        assert_eq!(ok("=<3天"), number(Some(Op::Le), "3", "天"));
        assert_eq!(ok(">5件"), number(Some(Op::Gt), "5", "件"));
        assert_eq!(ok("<2起"), number(Some(Op::Lt), "2", "起"));
        assert_eq!(ok("≥100百分比"), number(Some(Op::Ge), "100", "%"));
        assert_eq!(ok("<=1个月"), number(Some(Op::Le), "1", "月"));
        assert_eq!(ok("≤1个月"), number(Some(Op::Le), "1", "月"));
        assert_eq!(ok("≥90分"), number(Some(Op::Ge), "90", "分"));
    }

    #[test]
    fn bare_values_reach_the_number() {
        assert_eq!(ok("100%"), number(None, "100", "%"));
        assert_eq!(ok("1个"), number(None, "1", "个"));
        assert_eq!(ok("1个月"), number(None, "1", "月"));
        assert_eq!(ok("98"), number(None, "98", ""));
        assert_eq!(ok("达到95%"), number(None, "95", "%"));
    }

    #[test]
    fn exact_decimals_keep_their_scale() {
        let Value::Number { number, unit, .. } = ok("15.14353万元") else {
            panic!("not a number")
        };
        assert_eq!(number, dec("15.14353"));
        assert_eq!(number.scale(), 5);
        assert_eq!(unit, "万元");
        assert_eq!(ok("0.1"), number_of("0.1"));
    }

    fn number_of(n: &str) -> Value {
        number(None, n, "")
    }

    #[test]
    fn full_width_and_look_alike_forms() {
        assert_eq!(ok("＞＝９５％"), number(Some(Op::Ge), "95", "%"));
        assert_eq!(ok("≧95%"), number(Some(Op::Ge), "95", "%"));
        assert_eq!(ok("⩾95%"), number(Some(Op::Ge), "95", "%"));
        assert_eq!(ok("≦10天"), number(Some(Op::Le), "10", "天"));
        assert_eq!(ok("⩽10天"), number(Some(Op::Le), "10", "天"));
        assert_eq!(ok("﹥3"), number(Some(Op::Gt), "3", ""));
        assert_eq!(ok("﹤3"), number(Some(Op::Lt), "3", ""));
        assert_eq!(ok("＜3"), number(Some(Op::Lt), "3", ""));
        assert_eq!(ok("＝１００％"), number(Some(Op::Eq), "100", "%"));
        // Word/PDF conversions (RULES.md §4): ═ ﹦ for =, 〉 ＞ for >, 〈 ＜ for <.
        assert_eq!(ok("═100%"), number(Some(Op::Eq), "100", "%"));
        assert_eq!(ok("﹦100%"), number(Some(Op::Eq), "100", "%"));
        assert_eq!(ok("〉3个"), number(Some(Op::Gt), "3", "个"));
        assert_eq!(ok("＞3个"), number(Some(Op::Gt), "3", "个"));
        assert_eq!(ok("〈5天"), number(Some(Op::Lt), "5", "天"));
        assert_eq!(ok("＜5天"), number(Some(Op::Lt), "5", "天"));
        assert_eq!(ok("≧735人次"), number(Some(Op::Ge), "735", "人次"));
        assert_eq!(ok("⩾95%"), number(Some(Op::Ge), "95", "%"));
        assert_eq!(ok("≦10天"), number(Some(Op::Le), "10", "天"));
        assert_eq!(ok("⩽10天"), number(Some(Op::Le), "10", "天"));
        assert_eq!(ok("≥100百分比"), number(Some(Op::Ge), "100", "%"));
        assert_eq!(ok("〉=95%"), number(Some(Op::Ge), "95", "%"));
        assert_eq!(ok("１２．５万元"), number(None, "12.5", "万元"));
        assert_eq!(
            ok("\u{3000}≥ 50\u{a0}个 "),
            number(Some(Op::Ge), "50", "个")
        );
        assert_eq!(ok("> = 95 %"), number(Some(Op::Ge), "95", "%"));
        assert_eq!(ok("95%。"), number(None, "95", "%"));
    }

    #[test]
    fn level_labels_carry_their_points() {
        let points = |s: &str| level_with_points(s);
        let p = |n: &str, x: &str| (n.to_string(), Some(dec(x)));
        assert_eq!(points("产出指标（50分）"), p("产出指标", "50"));
        assert_eq!(points("效益指标(30分)"), p("效益指标", "30"));
        assert_eq!(points("满意度指标（10分）"), p("满意度指标", "10"));
        assert_eq!(points(" 满意度指标 （ 10 分 ） "), p("满意度指标", "10"));
        assert_eq!(points("产出指标(50)"), p("产出指标", "50"));
        assert_eq!(points("产出指标50分"), p("产出指标", "50"));
        assert_eq!(points("产出指标（满分50分）"), p("产出指标", "50"));
        assert_eq!(points("效益指标（２７．５分）"), p("效益指标", "27.5"));
        assert_eq!(points("产出（60分）"), p("产出指标", "60"));
        assert_eq!(points("产出指标"), ("产出指标".to_string(), None));
        assert_eq!(points(" 效益 指标 "), ("效益指标".to_string(), None));
        assert_eq!(points("效益"), ("效益指标".to_string(), None));
        assert_eq!(
            points("产出指标（数量）"),
            ("产出指标(数量)".to_string(), None)
        );
        assert_eq!(points("（50分）"), ("(50分)".to_string(), None));
        assert_eq!(points(""), (String::new(), None));
    }

    #[test]
    fn operator_words() {
        let ge = |s| assert_eq!(ok(s), number(Some(Op::Ge), "95", "%"), "{s}");
        for s in [
            "大于等于95%",
            "不低于95%",
            "不少于95%",
            "不小于95%",
            "至少95%",
            "95%以上",
            "95%及以上",
            "≥95%以上",
            "95%以上(含)",
        ] {
            ge(s);
        }
        let le = |s| assert_eq!(ok(s), number(Some(Op::Le), "10", "天"), "{s}");
        for s in [
            "小于等于10天",
            "不高于10天",
            "不超过10天",
            "不多于10天",
            "不大于10天",
            "至多10天",
            "10天以内",
            "10天以下",
            "10天内",
            "10日以内",
        ] {
            le(s);
        }
        assert_eq!(ok("大于5个"), number(Some(Op::Gt), "5", "个"));
        assert_eq!(ok("高于5个"), number(Some(Op::Gt), "5", "个"));
        assert_eq!(ok("超过5个"), number(Some(Op::Gt), "5", "个"));
        assert_eq!(ok("多于5个"), number(Some(Op::Gt), "5", "个"));
        assert_eq!(ok("小于5个"), number(Some(Op::Lt), "5", "个"));
        assert_eq!(ok("低于5个"), number(Some(Op::Lt), "5", "个"));
        assert_eq!(ok("少于5个"), number(Some(Op::Lt), "5", "个"));
        assert_eq!(ok("等于5个"), number(Some(Op::Eq), "5", "个"));
        assert_eq!(ok("1个月内"), number(Some(Op::Le), "1", "月"));
        assert_eq!(ok(">90%以上"), number(Some(Op::Gt), "90", "%"));
    }

    #[test]
    fn contradictory_operators_are_errors() {
        assert!(err("≥95%以下").contains("矛盾"));
        assert!(err("=95%以上").contains("矛盾"));
    }

    #[test]
    fn thousands_separators_and_signs() {
        assert_eq!(ok("10,000"), number_of("10000"));
        assert_eq!(ok("10，000人次"), number(None, "10000", "人次"));
        assert_eq!(ok("1,234,567.5元"), number(None, "1234567.5", "元"));
        assert_eq!(ok("-5%"), number(None, "-5", "%"));
        assert_eq!(ok("≥-5%"), number(Some(Op::Ge), "-5", "%"));
        assert_eq!(ok("＋5%"), number(None, "5", "%"));
        assert!(err("1,0000").contains("“,”"));
    }

    #[test]
    fn units_are_canonical() {
        assert_eq!(ok("5公里"), number(None, "5", "km"));
        assert_eq!(ok("5千米"), number(None, "5", "km"));
        assert_eq!(ok("5KM"), number(None, "5", "km"));
        assert_eq!(ok("200平方米"), number(None, "200", "㎡"));
        assert_eq!(ok("200m2"), number(None, "200", "㎡"));
        assert_eq!(ok("200m²"), number(None, "200", "㎡"));
        assert_eq!(ok("200㎡"), number(None, "200", "㎡"));
        assert_eq!(ok("≤2h"), number(Some(Op::Le), "2", "小时"));
        assert_eq!(ok("≤2小时"), number(Some(Op::Le), "2", "小时"));
        assert_eq!(ok("3日"), number(None, "3", "天"));
        assert_eq!(ok("3个工作日"), number(None, "3", "工作日"));
        assert_eq!(ok("10万人次"), number(None, "10", "万人次"));
        assert_eq!(ok("2台套"), number(None, "2", "台套"));
        assert_eq!(canonical_unit("％"), "%");
        assert_eq!(canonical_unit(" 个月 "), "月");
        assert_eq!(canonical_unit("—"), "");
    }

    #[test]
    fn ranges() {
        assert_eq!(ok("90%-100%"), range("90", "100", "%"));
        assert_eq!(ok("90-100%"), range("90", "100", "%"));
        assert_eq!(ok("90%-100"), range("90", "100", "%"));
        assert_eq!(ok("80~90"), range("80", "90", ""));
        assert_eq!(ok("80～90"), range("80", "90", ""));
        assert_eq!(ok("80〜90"), range("80", "90", ""));
        assert_eq!(ok("80至90个"), range("80", "90", "个"));
        assert_eq!(ok("80到90"), range("80", "90", ""));
        assert_eq!(ok("90%—100%"), range("90", "100", "%"));
        assert_eq!(ok("90%——100%"), range("90", "100", "%"));
        assert_eq!(ok("90%－100%"), range("90", "100", "%"));
        assert_eq!(ok("90% - 100%之间"), range("90", "100", "%"));
        assert_eq!(ok("在90%-100%之间"), range("90", "100", "%"));
        assert_eq!(ok("-5%-5%"), range("-5", "5", "%"));
        assert_eq!(ok("-5--1"), range("-5", "-1", ""));
        assert_eq!(ok("90%-90%"), range("90", "90", "%"));
    }

    #[test]
    fn bad_ranges_are_errors() {
        assert!(err("100%-90%").contains("下限100大于上限90"));
        assert!(err("1万元-2元").contains("单位不一致"));
        assert!(err("≥90%-100%").contains("区间"));
        assert!(err("90%-").contains("缺少数值"));
        assert!(err("95%之间").contains("之间"));
    }

    #[test]
    fn dates() {
        assert_eq!(
            ok("2022年12月31日前"),
            date(Some(Op::Le), Some(2022), 12, 31)
        );
        assert_eq!(
            ok("2022年12月31日之前"),
            date(Some(Op::Le), Some(2022), 12, 31)
        );
        assert_eq!(
            ok("2022年12月31日以前完成"),
            date(Some(Op::Le), Some(2022), 12, 31)
        );
        assert_eq!(ok("2022年12月底前"), date(Some(Op::Le), Some(2022), 12, 31));
        assert_eq!(ok("2022年11月底前"), date(Some(Op::Le), Some(2022), 11, 30));
        assert_eq!(ok("2024年2月底"), date(None, Some(2024), 2, 29));
        assert_eq!(ok("2022年底前"), date(Some(Op::Le), Some(2022), 12, 31));
        assert_eq!(ok("12月31日前"), date(Some(Op::Le), None, 12, 31));
        assert_eq!(ok("6月30号前"), date(Some(Op::Le), None, 6, 30));
        assert_eq!(ok("2月底前"), date(Some(Op::Le), None, 2, 28));
        assert_eq!(ok("2月29日前"), date(Some(Op::Le), None, 2, 29));
        assert_eq!(ok("2022-12-31"), date(None, Some(2022), 12, 31));
        assert_eq!(ok("2022.12.31"), date(None, Some(2022), 12, 31));
        assert_eq!(ok("2022/12/31"), date(None, Some(2022), 12, 31));
        assert_eq!(ok("2022-6-1"), date(None, Some(2022), 6, 1));
        assert_eq!(ok("≤2022-12-31"), date(Some(Op::Le), Some(2022), 12, 31));
        assert_eq!(
            ok("截至2022年6月30日"),
            date(Some(Op::Le), Some(2022), 6, 30)
        );
        assert_eq!(ok("2022年6月"), date(None, Some(2022), 6, 30));
        assert_eq!(ok("2022年6月后"), date(Some(Op::Ge), Some(2022), 6, 1));
    }

    /// RULES.md §4: dates without a year are in the evaluated year — 年底前 is the
    /// deadline 12月31日 as 2022年底前 is, its year the one evaluated.
    #[test]
    fn the_years_end_without_a_year_is_a_deadline() {
        for s in [
            "年底前",
            "年底前完成",
            "年内",
            "年内完成",
            "本年底前",
            "本年度内",
            "当年内完成",
            "今年底前",
            "于年底前完成",
            "年底之前",
            "年末前",
            " 年底前。",
        ] {
            assert_eq!(ok(s), date(Some(Op::Le), None, 12, 31), "{s}");
        }
        assert_eq!(ok("年底"), date(None, None, 12, 31));
        assert_eq!(ok("年末完成"), date(None, None, 12, 31));
        // As written back, read again the same.
        assert_eq!(ok("年内完成").to_string(), "12月31日前");
        assert_eq!(ok("12月31日前"), ok("年内完成"));
        // Not a deadline: other words about time stay qualitative text.
        for s in [
            "按时完成",
            "年度目标",
            "年内基本完成",
            "全年",
            "年底前后",
            "本年",
        ] {
            assert!(matches!(ok(s), Value::Text(_)), "{s}: {:?}", ok(s));
        }
        // Against it, an actual month is that month's end; a year-end word is the end.
        let month = ok("11月");
        assert_eq!(
            against_deadline("11月", &month, Some(2022)),
            Some(AgainstDeadline::Date { month: 11, day: 30 })
        );
        assert_eq!(
            against_deadline(
                "已于年底前完成",
                &Value::Text("已于年底前完成".into()),
                None
            ),
            Some(AgainstDeadline::Date { month: 12, day: 31 })
        );
        assert_eq!(
            against_deadline("已年内完成", &Value::Text("已年内完成".into()), None),
            Some(AgainstDeadline::Date { month: 12, day: 31 })
        );
    }

    #[test]
    fn calendar_dates() {
        assert_eq!(calendar_date("2023年3月17日"), Some((2023, 3, 17)));
        assert_eq!(calendar_date(" 2023-03-07 "), Some((2023, 3, 7)));
        assert_eq!(
            calendar_date("２０２３年１２月３１日"),
            Some((2023, 12, 31))
        );
        assert_eq!(calendar_date("2023/2/29"), None);
        assert_eq!(calendar_date("3月17日"), None);
        assert_eq!(calendar_date("2023年3月"), None);
        assert_eq!(calendar_date(""), None);
    }

    #[test]
    fn impossible_dates_are_errors() {
        assert!(err("2022年2月30日前").contains("2022年2月没有30日"));
        assert!(err("2023年2月29日").contains("没有29日"));
        assert!(err("2月30日前").contains("2月没有30日"));
        assert!(err("2022-13-01").contains("月份"));
        assert!(err("2022年4月31日").contains("4月没有31日"));
        assert_eq!(ok("2024年2月29日"), date(None, Some(2024), 2, 29));
    }

    #[test]
    fn years_and_months_alone_are_durations() {
        assert_eq!(ok("2022年"), number(None, "2022", "年"));
        assert_eq!(ok("≤12月"), number(Some(Op::Le), "12", "月"));
    }

    #[test]
    fn bands() {
        assert_eq!(ok("达成年度指标"), Value::Band(0));
        assert_eq!(ok("部分达成年度指标并具有一定效果"), Value::Band(1));
        assert_eq!(ok("未达成年度指标且效果较差"), Value::Band(2));
        assert_eq!(ok("达成"), Value::Band(0));
        assert_eq!(ok("部分达成"), Value::Band(1));
        assert_eq!(ok("未达成"), Value::Band(2));
        assert_eq!(ok(" 已达成年度指标。"), Value::Band(0));
        assert_eq!(ok("全部达成"), Value::Band(0));
    }

    #[test]
    fn qualitative_text() {
        for s in [
            "效果显著",
            "效果明显",
            "有效",
            "按时完成",
            "符合相关规定",
            "逐步提高",
            "完成",
            "已完成",
            "达成预期指标",
            "进一步提高",
            "具有一定效果",
            "一般",
            "十分显著",
            "不超过预算",
        ] {
            assert_eq!(ok(s), Value::Text(s.to_string()), "{s}");
        }
        assert_eq!(ok("  效果 显著 "), Value::Text("效果 显著".to_string()));
    }

    #[test]
    fn empty_cells() {
        for s in ["", "   ", "\u{3000}", "—", "——", "-", "/", "／", "无", "－"] {
            assert_eq!(ok(s), Value::Empty, "{s:?}");
        }
    }

    #[test]
    fn chinese_numerals_ask_for_digits() {
        let message = err("约一百");
        assert!(message.contains("约一百"), "{message}");
        assert!(message.contains("阿拉伯数字"), "{message}");
        for s in [
            "一百个",
            "五十",
            "≥五十个",
            "三个月内",
            "百分之九十",
            "两年",
            "一百余人",
        ] {
            assert!(err(s).contains("阿拉伯数字"), "{s}");
        }
    }

    #[test]
    fn unreadable_numbers_say_why() {
        assert!(err("约100").contains("“约”表示约数"));
        assert!(err("100左右").contains("“左右”表示约数"));
        assert!(err("100余人").contains("“余”"));
        assert!(err("近100个").contains("“近”"));
        let letter_o = err("1O0");
        assert!(letter_o.contains("“1O0”无法识别"), "{letter_o}");
        assert!(letter_o.contains("“O”"), "{letter_o}");
        assert!(letter_o.contains("字母"), "{letter_o}");
        assert!(err("10O").contains("字母"));
        assert!(err("完成率100%").contains("数值前多了“完成率”"));
        assert!(err("1年6个月").contains("一格只能写一个数值"));
        assert!(err("100%完成").contains("%完成"));
        assert!(err("95.5.5").contains("“.”"));
        assert!(err("≥").contains("“≥”后应为数值"));
        assert!(err("≥效果显著").contains("“≥”后应为数值"));
        assert!(err("1e5").contains("字母") || err("1e5").contains("“e”"));
        assert!(err("10天前").contains("单位"));
    }

    #[test]
    fn overflow_is_an_error() {
        let huge = "9".repeat(40);
        assert!(err(&huge).contains("超出"));
        let tiny = format!("0.{}1", "0".repeat(40));
        assert!(err(&tiny).contains("超出"));
        assert!(err(&format!("≥{huge}%")).contains("超出"));
    }

    #[test]
    fn error_messages_quote_the_cell_briefly() {
        let long = format!("约{}", "一".repeat(100));
        let message = err(&long);
        assert!(message.starts_with('“'));
        assert!(message.contains('…'));
        assert!(message.chars().count() < 100);
    }

    #[test]
    fn default_unit() {
        assert_eq!(
            parse_with_unit("≥95", "%").unwrap(),
            number(Some(Op::Ge), "95", "%")
        );
        assert_eq!(
            parse_with_unit("≥95", "百分比").unwrap(),
            number(Some(Op::Ge), "95", "%")
        );
        assert_eq!(
            parse_with_unit("90-100", "％").unwrap(),
            range("90", "100", "%")
        );
        assert_eq!(
            parse_with_unit("3个", "%").unwrap(),
            number(None, "3", "个")
        );
        assert_eq!(
            parse_with_unit("≥95", "—").unwrap(),
            number(Some(Op::Ge), "95", "")
        );
        assert_eq!(
            parse_with_unit("效果显著", "%").unwrap(),
            Value::Text("效果显著".into())
        );
        let label_unit = unit_in_label("培训人数（人次）").unwrap();
        assert_eq!(
            parse_with_unit("≥200", &label_unit).unwrap(),
            number(Some(Op::Ge), "200", "人次")
        );
    }

    #[test]
    fn units_in_labels() {
        assert_eq!(unit_in_label("培训人数（人次）").as_deref(), Some("人次"));
        assert_eq!(unit_in_label("完成率(%)").as_deref(), Some("%"));
        assert_eq!(unit_in_label("完成率（％）").as_deref(), Some("%"));
        assert_eq!(unit_in_label("项目资金（万元）").as_deref(), Some("万元"));
        assert_eq!(unit_in_label("资金（单位：万元）").as_deref(), Some("万元"));
        assert_eq!(unit_in_label("排查管道（公里）").as_deref(), Some("km"));
        assert_eq!(unit_in_label("整改时限（个月）").as_deref(), Some("月"));
        assert_eq!(unit_in_label("服务对象（企业）满意度"), None);
        assert_eq!(unit_in_label("服务对象（被诊断企业）"), None);
        assert_eq!(unit_in_label("群众满意度"), None);
        assert_eq!(unit_in_label("满意度（≥90%）"), None);
    }

    #[test]
    fn conversions() {
        assert_eq!(convert(dec("1.5"), "万元", "元"), Some(dec("15000")));
        assert_eq!(convert(dec("15000"), "元", "万元"), Some(dec("1.5")));
        assert_eq!(convert(dec("1"), "亿元", "万元"), Some(dec("10000")));
        assert_eq!(convert(dec("2"), "km", "m"), Some(dec("2000")));
        assert_eq!(convert(dec("1"), "km²", "公顷"), Some(dec("100")));
        assert_eq!(convert(dec("2"), "年", "月"), Some(dec("24")));
        assert_eq!(convert(dec("1"), "天", "小时"), Some(dec("24")));
        assert_eq!(convert(dec("3"), "吨", "kg"), Some(dec("3000")));
        assert_eq!(convert(dec("10"), "万人次", "人次"), Some(dec("100000")));
        assert_eq!(convert(dec("5"), "‰", "%"), Some(dec("0.5")));
        assert_eq!(convert(dec("7"), "个", "个"), Some(dec("7")));
        assert_eq!(convert(dec("7"), "", "%"), Some(dec("7")));
        assert_eq!(convert(dec("7"), "个", ""), Some(dec("7")));
        assert_eq!(convert(dec("1"), "公里", "km"), Some(dec("1")));
        assert_eq!(convert(dec("1"), "个", "%"), None);
        assert_eq!(convert(dec("1"), "人", "人次"), None);
        assert_eq!(convert(dec("1"), "天", "月"), None);
        assert_eq!(convert(dec("1"), "天", "工作日"), None);
        assert!(units_compatible("万元", "元"));
        assert!(!units_compatible("个", "%"));
        assert_eq!(convert(Decimal::MAX, "亿元", "元"), None);
        let absurd = "亿".repeat(50) + "元";
        assert_eq!(convert(Decimal::ONE, &absurd, "元"), None);
    }

    #[test]
    fn achieved_texts() {
        for actual in [
            "完成",
            "已完成",
            "全部完成",
            "均已完成",
            "按时完成",
            "已按时完成",
            "达成预期指标",
            "达到预期",
            "有效",
            "是",
            "符合",
            "符合相关规定",
            "合格",
            "效果显著",
            "效果明显",
            "达成年度指标",
        ] {
            assert!(text_means_achieved(actual, "效果显著"), "{actual}");
        }
        for actual in [
            "未完成",
            "部分完成",
            "无效",
            "不符合",
            "否",
            "效果较差",
            "部分达成年度指标并具有一定效果",
            "",
            "—",
            "还在推进",
        ] {
            assert!(!text_means_achieved(actual, "效果显著"), "{actual}");
        }
        assert!(text_means_achieved("逐步提高", "逐步提高"));
        assert!(text_means_achieved(" 逐步提高。", "逐步提高"));
        assert!(text_means_achieved("已逐步提高", "逐步提高"));
        assert!(text_means_achieved("不超过预算", "不超过预算"));
        assert!(!text_means_achieved("有所提高", "逐步提高"));
    }

    #[test]
    fn display_reads_back() {
        for s in [
            "≥50个",
            "≤1月",
            "100%",
            "15.14353万元",
            "90%-100%",
            "80-90",
            "2022年12月31日前",
            "12月31日后",
            "<2022年6月1日",
            "达成年度指标",
            "效果显著",
        ] {
            assert_eq!(ok(s).to_string(), s);
            assert_eq!(ok(&ok(s).to_string()), ok(s));
        }
        assert_eq!(Value::Empty.to_string(), "");
        assert_eq!(Op::Ge.symbol(), "≥");
        assert_eq!(Op::Gt.symbol(), ">");
        assert_eq!(Op::Le.symbol(), "≤");
        assert_eq!(Op::Lt.symbol(), "<");
        assert_eq!(Op::Eq.symbol(), "=");
    }

    #[test]
    fn seed_report_cells() {
        // Every 年度指标值 / 实际完成值 of the 兰州新区 2022 fixture.
        assert_eq!(ok("≥80%"), number(Some(Op::Ge), "80", "%"));
        assert_eq!(ok("≥90%"), number(Some(Op::Ge), "90", "%"));
        assert_eq!(ok("≥95%"), number(Some(Op::Ge), "95", "%"));
        assert_eq!(ok("≤1个月"), number(Some(Op::Le), "1", "月"));
        assert_eq!(ok("98%"), number(None, "98", "%"));
        assert_eq!(ok("85%"), number(None, "85", "%"));
        assert_eq!(ok("—"), Value::Empty);
        assert_eq!(ok("有效"), Value::Text("有效".into()));
        assert_eq!(ok("按时完成"), Value::Text("按时完成".into()));
    }

    fn any_op() -> impl Strategy<Value = Option<Op>> {
        prop_oneof![
            Just(None),
            Just(Some(Op::Ge)),
            Just(Some(Op::Gt)),
            Just(Some(Op::Le)),
            Just(Some(Op::Lt)),
            Just(Some(Op::Eq)),
        ]
    }

    fn any_decimal() -> impl Strategy<Value = Decimal> {
        (any::<i64>(), 0u32..=12).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
    }

    fn any_unit() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "", "个", "%", "万元", "元", "人次", "月", "天", "年", "km", "㎡", "小时", "台套",
        ])
    }

    /// Characters that matter to the parser, to reach deep paths more often than
    /// arbitrary unicode does.
    fn cell_chars() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(vec![
                "0", "1", "9", "5", ".", ",", "，", "-", "—", "~", "至", "%", "％", "≥", "≤", ">",
                "<", "=", "＞", "＝", "年", "月", "日", "号", "底", "前", "后", "以上", "以内",
                "内", "个", "万", "亿", "元", "约", "一", "百", "O", "m", "2", "(含)", "之间", " ",
                "\u{3000}", "达成", "部分", "未", "完成",
            ]),
            0..24,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The plain-spelling shortcut of `normalize` changes nothing.
        #[test]
        fn normalize_shortcut_agrees(s in cell_chars(), t in "\\PC{0,12}") {
            prop_assert_eq!(normalize(&s), normalize_spelling(&s));
            prop_assert_eq!(normalize(&t), normalize_spelling(&t));
        }

        #[test]
        fn parse_never_panics_on_unicode(s in "\\PC*") {
            let _ = parse(&s);
            let _ = parse_with_unit(&s, &s);
            let _ = unit_in_label(&s);
            let _ = text_means_achieved(&s, &s);
            let _ = convert(Decimal::ONE, &s, "元");
        }

        #[test]
        fn parse_never_panics_on_any_chars(s in any::<String>()) {
            let _ = parse(&s);
        }

        #[test]
        fn parse_never_panics_on_cell_like_text(s in cell_chars()) {
            if let Ok(value) = parse(&s) {
                match value {
                    Value::Range { low, high, .. } => prop_assert!(low <= high),
                    Value::Date { month, day, .. } => {
                        prop_assert!((1..=12).contains(&month));
                        prop_assert!((1..=31).contains(&day));
                    }
                    _ => {}
                }
            }
        }

        #[test]
        fn long_digit_runs_are_errors_not_panics(
            digits in "[0-9]{20,400}",
            fraction in "[0-9]{0,400}",
            op in "(≥|≤|>|<|=|)",
            unit in "(%|个|万元|)",
        ) {
            let cell = format!("{op}{digits}.{fraction}{unit}");
            let _ = parse(&cell);
            let _ = parse(&format!("{digits}-{digits}{unit}"));
            let _ = parse(&format!("{digits},{digits}"));
        }

        #[test]
        fn numbers_read_back(op in any_op(), n in any_decimal(), unit in any_unit()) {
            let value = Value::Number { op, number: n, unit: unit.to_string() };
            prop_assert_eq!(parse(&value.to_string()), Ok(value));
        }

        #[test]
        fn ranges_read_back(a in any_decimal(), b in any_decimal(), unit in any_unit()) {
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            let value = Value::Range { low, high, unit: unit.to_string() };
            prop_assert_eq!(parse(&value.to_string()), Ok(value));
        }

        #[test]
        fn thousands_separators_are_ignored(n in 0u64..=u64::MAX) {
            let plain = n.to_string();
            let mut grouped = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            prop_assert_eq!(
                parse(&format!("≥{grouped}人")),
                Ok(Value::Number { op: Some(Op::Ge), number: Decimal::from(n), unit: "人".into() })
            );
        }

        #[test]
        fn money_converts_both_ways(n in any_decimal()) {
            if let Some(yuan) = convert(n, "万元", "元") {
                prop_assert_eq!(convert(yuan, "元", "万元"), Some(n));
            }
        }
    }
}
