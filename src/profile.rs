//! Province profiles: what a province's forms call things, as data.
//!
//! A profile (`src/profiles/*.json`, or a user's own JSON file of the same shape) names
//! the labels of every header and row the importer looks for — the fund columns and
//! rows, the indicator columns, the rows after the indicators — as patterns matched
//! against a cell's normalised text: `年度资金总额` (the whole text), `全年预算数*` (the
//! text starts with it), `*财政拨款*` (contains it), `*资金` (ends with it). Where a
//! header row holds several cells of one field, the first pattern that matches a cell
//! wins, so that a profile's own patterns (`指标得分*`) go before those it inherits
//! (`得分*`, which would also take 得分系数).
//!
//! A profile may `extends` another (a built-in key): its patterns come first, the
//! parent's after them; fields it leaves out are the parent's. It also carries the
//! labels that tell its forms apart (`marks`, used to recognise a sheet's profile), the
//! titles of its forms, a partial rulebook (`rules`: any fields of
//! [`crate::rules::Rulebook`]), the export layout its forms are written in (`layout`),
//! and, for a form whose indicators have no 一级/二级 columns, the 一级 name those rows
//! get (`flatLevel`).

use crate::rules::Rulebook;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The built-in profiles, by key, central 2020 first.
const BUILT_IN: &[(&str, &str)] = &[
    ("central-2020", include_str!("profiles/central-2020.json")),
    ("sichuan-2023", include_str!("profiles/sichuan-2023.json")),
    ("hubei-2020", include_str!("profiles/hubei-2020.json")),
    ("chongqing", include_str!("profiles/chongqing.json")),
    ("hunan", include_str!("profiles/hunan.json")),
];

/// The key of the default profile.
pub const CENTRAL: &str = "central-2020";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Profile {
    /// Its key (`sichuan-2023`), or the user's own name for it.
    pub name: String,
    /// Chinese description shown to the user.
    pub label: String,
    /// The built-in profile whose labels this one adds to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// The key of the layout its forms are exported in.
    pub layout: String,
    /// Form titles and their variants: `project` / `unit` → patterns.
    pub titles: BTreeMap<String, Vec<String>>,
    /// Labels found only on this province's forms: a sheet is read by the profile
    /// whose marks it holds most of.
    pub marks: Vec<String>,
    /// Label patterns by field (`fund.budget`, `row.total`, `ind.weight`, …).
    pub labels: BTreeMap<String, Vec<String>>,
    /// A partial rulebook (fields of `Rulebook`, e.g. `{"executionWeight": "20", …}`),
    /// applied when the unit names no rules of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<serde_json::Value>,
    /// The 一级指标 given to rows of a flat indicator list (no 一级/二级 columns).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flat_level: Option<String>,
    /// The unit of the amounts (`元` or `万元`) where a sheet's labels say none: the
    /// user's answer when the importer would otherwise guess it by their size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amounts: Option<String>,
}

fn all_built_in() -> &'static [Profile] {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        BUILT_IN
            .iter()
            // Only built-in text, checked by the tests.
            .filter_map(|(_, text)| Profile::parse(text).ok())
            .collect()
    })
}

impl Profile {
    /// A built-in profile by key.
    pub fn built_in(key: &str) -> Option<&'static Profile> {
        all_built_in().iter().find(|p| p.name == key)
    }

    /// Every built-in profile, central 2020 first.
    pub fn all() -> &'static [Profile] {
        all_built_in()
    }

    /// The built-in profiles as (key, Chinese label), for the page and the command.
    pub fn built_ins() -> Vec<(&'static str, &'static str)> {
        all_built_in()
            .iter()
            .map(|p| (p.name.as_str(), p.label.as_str()))
            .collect()
    }

    /// The central 2020 profile (the default).
    pub fn central() -> &'static Profile {
        static FALLBACK: OnceLock<Profile> = OnceLock::new();
        Profile::built_in(CENTRAL).unwrap_or_else(|| FALLBACK.get_or_init(Profile::default))
    }

    /// A profile from its JSON text, with its parent's labels added after its own.
    pub fn parse(text: &str) -> Result<Profile, String> {
        let profile: Profile = serde_json::from_str(text)
            .map_err(|e| format!("表样文件无法读取：{}", crate::rules::json_error_text(&e)))?;
        let unknown: Vec<&str> = profile
            .labels
            .keys()
            .map(String::as_str)
            .filter(|f| !crate::glossary::PROFILE_FIELDS.iter().any(|(k, _)| k == f))
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "表样文件中的“{}”不是可识别的表头项；可用：{}",
                unknown.join("、"),
                crate::glossary::PROFILE_FIELDS
                    .iter()
                    .map(|(k, name)| format!("{k}（{name}）"))
                    .collect::<Vec<_>>()
                    .join("、")
            ));
        }
        let mut profile = profile.resolved(0)?;
        // Patterns as the cells are matched: `预算数 (A)` is `预算数（A）`.
        for patterns in profile
            .labels
            .values_mut()
            .chain(profile.titles.values_mut())
            .chain(std::iter::once(&mut profile.marks))
        {
            for p in patterns.iter_mut() {
                *p = normalize_pattern(p);
            }
        }
        if let Some(rules) = profile.rulebook() {
            rules?;
        }
        if let Some(a) = &profile.amounts {
            if a != "元" && a != "万元" {
                return Err(format!("表样文件中的金额单位“{a}”应为“元”或“万元”"));
            }
        }
        Ok(profile)
    }

    /// A profile named by a built-in key or given as JSON text (`Unit::profile`);
    /// empty → `None`.
    pub fn from_key_or_json(spec: &str) -> Result<Option<Profile>, String> {
        let spec = spec.trim();
        if spec.is_empty() {
            return Ok(None);
        }
        if spec.starts_with('{') {
            return Profile::parse(spec).map(Some);
        }
        Profile::built_in(spec).cloned().map(Some).ok_or_else(|| {
            let keys: Vec<&str> = Profile::built_ins().iter().map(|(k, _)| *k).collect();
            format!("没有名为“{spec}”的表样；可用：{}", keys.join("、"))
        })
    }

    /// This profile with its parent's labels and fields merged in.
    fn resolved(mut self, depth: usize) -> Result<Profile, String> {
        let Some(parent) = self.extends.clone() else {
            return Ok(self);
        };
        let Some(text) = BUILT_IN
            .iter()
            .find(|(key, _)| *key == parent)
            .map(|(_, text)| *text)
        else {
            return Err(format!("表样文件所依据的表样“{parent}”不存在"));
        };
        if depth > BUILT_IN.len() {
            return Err(format!("表样“{parent}”的依据关系成环"));
        }
        let base: Profile =
            serde_json::from_str(text).map_err(|e| format!("表样“{parent}”无法读取：{e}"))?;
        let base = base.resolved(depth + 1)?;
        add_after(&mut self.labels, base.labels);
        add_after(&mut self.titles, base.titles);
        if self.layout.is_empty() {
            self.layout = base.layout;
        }
        if self.label.is_empty() {
            self.label = base.label;
        }
        self.rules = merge_rules(base.rules, self.rules);
        if self.flat_level.is_none() {
            self.flat_level = base.flat_level;
        }
        if self.amounts.is_none() {
            self.amounts = base.amounts;
        }
        // (Marks are a profile's own: a user's profile is chosen, not recognised.)
        Ok(self)
    }

    /// Whether `key` (a cell's normalised text) is one of the labels of `field`.
    pub fn is(&self, field: &str, key: &str) -> bool {
        self.patterns(field).iter().any(|p| matches(p, key))
    }

    /// The patterns of `field`, in order.
    pub fn patterns(&self, field: &str) -> &[String] {
        self.labels.get(field).map_or(&[], Vec::as_slice)
    }

    /// The fund row of the model (`total`, `fiscal`, `carryover`, `other`, `basic`,
    /// `project`) a row label names (a cell's normalised text), by this profile's
    /// `row.*` patterns: `其中：` and a leading number (`1.`, `2、`) are not part of the
    /// name; 项目支出绩效自评表 is a title, not the 项目支出 row.
    pub fn fund_row(&self, key: &str) -> Option<&'static str> {
        let k = key.trim_start_matches("其中").trim_start_matches('：');
        let k = k.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '、');
        [
            ("row.total", "total"),
            ("row.fiscal", "fiscal"),
            ("row.carryover", "carryover"),
            ("row.other", "other"),
            ("row.basic", "basic"),
            ("row.project", "project"),
        ]
        .into_iter()
        .find(|(field, row)| self.is(field, k) && !(*row == "project" && k.contains("自评表")))
        .map(|(_, row)| row)
    }

    /// Whether `key` is a title of the `form` (`project`, `unit`): a short cell that
    /// contains one.
    pub fn is_title(&self, form: &str, key: &str) -> bool {
        key.chars().count() <= 40
            && self
                .titles
                .get(form)
                .is_some_and(|titles| titles.iter().any(|t| matches(t, key)))
    }

    /// How many of its marks occur among `keys` (each counted once).
    pub fn mark_count<'a>(&self, keys: impl Iterator<Item = &'a str> + Clone) -> usize {
        self.marks
            .iter()
            .filter(|m| keys.clone().any(|k| matches(m, k)))
            .count()
    }

    /// Whether the profile says the amounts are in 元 (true) or 万元 (false), for a
    /// sheet whose labels do not say.
    pub fn amounts_in_yuan(&self) -> Option<bool> {
        match self.amounts.as_deref() {
            Some("元") => Some(true),
            Some("万元") => Some(false),
            _ => None,
        }
    }

    /// The labels of `field` as a person reads them (patterns without their `*`).
    pub fn label_texts(&self, field: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in self.patterns(field) {
            let t = p.trim_matches('*').trim_end_matches('（').to_string();
            if !t.is_empty() && !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// The rulebook of this profile: the default with its `rules` over it; `None` when
    /// it has none.
    pub fn rulebook(&self) -> Option<Result<Rulebook, String>> {
        let rules = self.rules.as_ref()?;
        let mut book = serde_json::from_value::<Rulebook>(rules.clone())
            .map_err(|e| format!("表样“{}”的规则无法读取：{e}", self.name));
        if let Ok(b) = &mut book {
            if b.name.is_empty() || b.name == Rulebook::default().name {
                b.name.clone_from(&self.name);
            }
        }
        Some(book.and_then(|b| {
            b.validate()
                .map_err(|e| format!("表样“{}”的规则有误：{e}", self.name))?;
            Ok(b)
        }))
    }

    /// The same profile extended by patterns the user chose for some fields: each
    /// header text (as the sheet shows it, e.g. a [`crate::io::xlsx::HeaderCell`]'s)
    /// becomes a whole-text pattern of its field, ahead of the others.
    pub fn with_labels(&self, chosen: &[(String, String)]) -> Profile {
        let mut p = self.clone();
        for (field, text) in chosen {
            let pattern = normalize(text);
            if pattern.is_empty() {
                continue;
            }
            let own = p.labels.entry(field.clone()).or_default();
            own.retain(|q| *q != pattern);
            own.insert(0, pattern);
        }
        p
    }

    /// A profile's own JSON text (its `extends` kept, the parent's labels not merged in)
    /// with the header texts the user chose added, as [`Profile::with_labels`] does: the
    /// profile file the page re-imports by and offers to save.
    pub fn own_json_with_labels(text: &str, chosen: &[(String, String)]) -> Result<String, String> {
        let own: Profile = serde_json::from_str(text)
            .map_err(|e| format!("表样文件无法读取：{}", crate::rules::json_error_text(&e)))?;
        serde_json::to_string(&own.with_labels(chosen)).map_err(|e| e.to_string())
    }
}

/// The parent's patterns after a profile's own, each once.
fn add_after(own: &mut BTreeMap<String, Vec<String>>, parent: BTreeMap<String, Vec<String>>) {
    for (key, patterns) in parent {
        let list = own.entry(key).or_default();
        for p in patterns {
            if !list.contains(&p) {
                list.push(p);
            }
        }
    }
}

/// A cell's text as labels are matched against it: no whitespace, full-width brackets
/// and colon, ASCII digits, no trailing colon or asterisk.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch.is_whitespace() {
            continue;
        }
        out.push(match ch {
            '(' => '（',
            ')' => '）',
            ':' => '：',
            '０'..='９' => char::from_u32(ch as u32 - '０' as u32 + '0' as u32).unwrap_or(ch),
            _ => ch,
        });
    }
    let trimmed = out.trim_matches(|c| c == '：' || c == '*' || c == '＊');
    trimmed.to_string()
}

/// A pattern normalised as cells are, its `*` kept.
fn normalize_pattern(p: &str) -> String {
    let starts = p.starts_with('*');
    let ends = p.len() > 1 && p.ends_with('*');
    let text = normalize(p.trim_matches('*'));
    format!(
        "{}{text}{}",
        if starts { "*" } else { "" },
        if ends { "*" } else { "" }
    )
}

/// A parent's partial rulebook with the child's fields over it.
fn merge_rules(
    base: Option<serde_json::Value>,
    own: Option<serde_json::Value>,
) -> Option<serde_json::Value> {
    match (base, own) {
        (Some(serde_json::Value::Object(mut b)), Some(serde_json::Value::Object(o))) => {
            b.extend(o);
            Some(serde_json::Value::Object(b))
        }
        (b, None) => b,
        (_, o) => o,
    }
}

/// `p` against a normalised text: `x` whole, `x*` prefix, `*x*` contained, `*x` suffix.
pub fn matches(p: &str, key: &str) -> bool {
    match (p.strip_prefix('*'), p.strip_suffix('*')) {
        (Some(rest), _) if rest.ends_with('*') => key.contains(&rest[..rest.len() - 1]),
        (Some(rest), None) => key.ends_with(rest),
        (None, Some(start)) => key.starts_with(start),
        _ => key == p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_profiles_parse() {
        for (key, text) in BUILT_IN {
            let p = Profile::parse(text).unwrap();
            assert_eq!(&p.name, key);
            assert!(!p.label.is_empty(), "{key}");
            assert!(!p.layout.is_empty(), "{key}");
            if let Some(rules) = p.rulebook() {
                rules.unwrap();
            }
        }
        assert_eq!(Profile::all().len(), BUILT_IN.len());
        assert!(Profile::central().is("row.total", "年度资金总额"));
        assert!(Profile::central().is("row.fiscal", "其中：当年财政拨款"));
        assert!(!Profile::central().is("fund.budget", "年初预算数"));
        let sichuan = Profile::built_in("sichuan-2023").unwrap();
        assert!(sichuan.is("fund.budget", "调整后预算数"));
        assert!(sichuan.is("fund.budget", "全年预算数"));
        assert_eq!(sichuan.layout, "sichuan-2023");
        let hubei = Profile::built_in("hubei-2020").unwrap();
        assert_eq!(
            hubei.rulebook().unwrap().unwrap().execution_weight,
            rust_decimal::Decimal::from(20)
        );
    }

    #[test]
    fn own_patterns_come_first() {
        let p = Profile::parse(
            r#"{"name":"mine","extends":"chongqing","labels":{"fund.budget":["预算合计"]}}"#,
        )
        .unwrap();
        assert_eq!(p.patterns("fund.budget")[0], "预算合计");
        assert!(p.is("fund.budget", "全年预算数"));
        assert_eq!(p.layout, "central-2020");
        assert!(p.rulebook().is_some());
        let typed = Profile::parse(
            r#"{"name":"mine","labels":{"fund.budget":["预算数 (A)*"],"row.fiscal":["*财政 拨款*"]}}"#,
        )
        .unwrap();
        assert_eq!(typed.patterns("fund.budget"), ["预算数（A）*"]);
        assert!(typed.is("row.fiscal", "其中：财政拨款"));
        let e = Profile::parse(r#"{"name":"x","extends":"nowhere"}"#).unwrap_err();
        assert!(e.contains("nowhere"), "{e}");
        let e = Profile::parse(r#"{"name":"x","labels":{"fund.budgt":["预算"]}}"#).unwrap_err();
        assert!(e.contains("“fund.budgt”不是可识别的表头项"), "{e}");
        let e = Profile::parse(r#"{"name":"x","rules":{"executionWeight":"20"}}"#).unwrap_err();
        assert!(e.contains("应为100"), "{e}");
        let wan = Profile::parse(r#"{"name":"x","extends":"hunan","amounts":"万元"}"#).unwrap();
        assert_eq!(wan.amounts_in_yuan(), Some(false));
        assert_eq!(Profile::central().amounts_in_yuan(), None);
        let e = Profile::parse(r#"{"name":"x","amounts":"千元"}"#).unwrap_err();
        assert!(e.contains("“千元”"), "{e}");
    }

    #[test]
    fn patterns() {
        assert!(matches("总分", "总分"));
        assert!(!matches("总分", "总分（100分）"));
        assert!(matches("总分（*", "总分（100分）"));
        assert!(matches("*财政拨款*", "其中：财政拨款"));
        assert!(matches("*资金", "其他资金"));
    }
}
