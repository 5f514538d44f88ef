//! Province profiles: what a province's forms call things, as data.
//!
//! A profile (`src/profiles/*.json`, or a unit's own JSON file of the same shape) names
//! the labels of every header and row the importer looks for — the fund columns and
//! rows, the indicator columns, the rows after the indicators — as patterns matched
//! against a cell's normalised text: `年度资金总额` (the whole text), `全年预算数*` (the
//! text starts with it), `*财政拨款*` (contains it). A profile may `extend` another:
//! its patterns are added to the parent's.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The built-in profiles, by key.
const BUILT_IN: &[(&str, &str)] = &[("central-2020", include_str!("profiles/central-2020.json"))];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Profile {
    pub name: String,
    pub label: String,
    /// The profile whose labels this one adds to.
    pub extends: Option<String>,
    /// The key of the layout its forms are written in.
    pub layout: String,
    /// Label patterns by field (`fund.budget`, `row.total`, `ind.weight`, …).
    pub labels: BTreeMap<String, Vec<String>>,
}

impl Profile {
    /// A built-in profile by key.
    pub fn built_in(key: &str) -> Option<&'static Profile> {
        static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
        let all = PROFILES.get_or_init(|| {
            BUILT_IN
                .iter()
                // Only built-in text, checked by the tests.
                .filter_map(|(_, text)| Profile::parse(text).ok())
                .collect()
        });
        all.iter().find(|p| p.name == key)
    }

    /// The central 2020 profile (the default).
    pub fn central() -> &'static Profile {
        static FALLBACK: OnceLock<Profile> = OnceLock::new();
        Profile::built_in("central-2020").unwrap_or_else(|| FALLBACK.get_or_init(Profile::default))
    }

    /// A profile from its JSON text, with its parent's labels added.
    pub fn parse(text: &str) -> Result<Profile, String> {
        let mut profile: Profile =
            serde_json::from_str(text).map_err(|e| format!("表样文件无法读取：{e}"))?;
        if let Some(parent) = profile.extends.clone() {
            let Some(base) = BUILT_IN
                .iter()
                .find(|(key, _)| *key == parent)
                .and_then(|(_, text)| serde_json::from_str::<Profile>(text).ok())
            else {
                return Err(format!("表样文件所依据的表样“{parent}”不存在"));
            };
            for (field, patterns) in base.labels {
                let own = profile.labels.entry(field).or_default();
                for p in patterns {
                    if !own.contains(&p) {
                        own.push(p);
                    }
                }
            }
        }
        Ok(profile)
    }

    /// Whether `key` (a cell's normalised text) is one of the labels of `field`.
    pub fn is(&self, field: &str, key: &str) -> bool {
        self.labels
            .get(field)
            .is_some_and(|patterns| patterns.iter().any(|p| matches(p, key)))
    }
}

/// `p` against a normalised text: `x` whole, `x*` prefix, `*x*` contained, `*x` suffix.
fn matches(p: &str, key: &str) -> bool {
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
        }
        assert!(Profile::central().is("fund.budget", "调整后预算数"));
        assert!(Profile::central().is("row.total", "年度资金总额"));
        assert!(Profile::central().is("row.fiscal", "其中：当年财政拨款"));
        assert!(!Profile::central().is("fund.budget", "年初预算数"));
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
