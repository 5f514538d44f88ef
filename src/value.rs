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

// Dates and deadlines (value/dates.rs), units (value/units.rs); the tests are in
// value/tests.rs.
mod dates;
mod units;
pub use dates::{against_deadline, calendar_date, AgainstDeadline};
use dates::{parse_date, year_end};
use units::{canonical, is_known_unit, measure};

#[cfg(test)]
mod tests;

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
    if let Some(what) = spreadsheet_leftover(input) {
        return Err(ValueError {
            message: format!("“{}”{what}", shown(input)),
        });
    }
    let text = normalize(input);
    classify(&text, input).map_err(|detail| ValueError::unreadable(input, &detail))
}

/// The error values Excel and WPS show in a cell whose formula failed.
const ERROR_VALUES: [&str; 17] = [
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#UNKNOWN!",
    "#BUSY!",
    "#CONNECT!",
    "#EXTERNAL!",
    "#PYTHON!",
];

/// A spreadsheet's error value where a target or a completion belongs.
const TEXT_ERROR_VALUE: &str = "是错误值（公式出错），请在 Excel 或 WPS 中改正公式，或直接填写";

/// What a spreadsheet left in a 年度指标值 or 实际完成值 cell instead of a value, as a
/// Chinese predicate: an error value (`#DIV/0!`, or `=E6/0（#DIV/0!）` as the import
/// keeps it with its formula), or a formula whose result the file does not hold
/// (`=B1/C1`, `=SUM(…)`, `="1个"`). Never read as a target or a completion (a target
/// `#NAME?` read as words would score a row by them). `=100%` and `=1个` are targets
/// “equal to”, not formulas.
fn spreadsheet_leftover(input: &str) -> Option<&'static str> {
    let t = input.trim();
    let error = if t.starts_with('#') {
        ERROR_VALUES.contains(&t.to_ascii_uppercase().as_str())
    } else {
        t.starts_with('=')
            && t.ends_with('）')
            && ERROR_VALUES.iter().any(|e| t.contains(&format!("（{e}）")))
    };
    if error {
        return Some(TEXT_ERROR_VALUE);
    }
    let body = t.strip_prefix('=')?.trim_start();
    (body.starts_with('"') || has_reference_or_call(body)).then_some(crate::figure::NO_RESULT)
}

/// A cell reference (`B1`, `$AB$12`) or a function call (`SUM(`) in a formula's text;
/// letters after a digit are a unit (`100km`), not a reference.
fn has_reference_or_call(formula: &str) -> bool {
    let chars: Vec<char> = formula.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = chars[i].is_ascii_alphabetic()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'));
        if !starts_word {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_alphabetic() {
            i += 1;
        }
        let after_dollar = if chars.get(i) == Some(&'$') { i + 1 } else { i };
        let reference = i - start <= 3 && chars.get(after_dollar).is_some_and(char::is_ascii_digit);
        if reference || chars.get(i) == Some(&'(') {
            return true;
        }
    }
    false
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

/// Leading words that only stress completion: 已完成, 均已完成, 全部完成.
const DONE_PREFIXES: &[&str] = &["均已", "全部", "已经", "已", "均"];

/// Words that turn an actual negative: 未完成, 部分完成, 无效, 不符合, 效果较差.
const NEGATIONS: &[&str] = &["未", "不", "没", "无", "否", "差", "部分", "尚", "欠", "待"];

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
