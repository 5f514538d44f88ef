//! Shared by the tests: for those that build workbooks in the provinces' layouts, a sheet
//! as rows of (column, value), the workbook, reading it and its summary (the provinces'
//! forms themselves: `provinces`); for those of the command, running it.
#![allow(dead_code)] // each test file uses its own part

pub mod provinces;

use jixiao::io::{self, Imported, LoadOptions};
use jixiao::profile::Profile;
use jixiao::rules::Rulebook;
use jixiao::summary::Summary;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

/// A cell: text, or a number.
pub enum V {
    S(&'static str),
    N(f64),
}
pub use V::{N, S};

pub type Rows = Vec<Vec<(u16, V)>>;

pub fn workbook(sheets: &[(&str, Rows)]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row {
                match v {
                    S(t) => ws.write_string(r as u32, *c, *t).map(|_| ()),
                    N(x) => ws.write_number(r as u32, *c, *x).map(|_| ()),
                }
                .unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

pub fn read_with(sheets: &[(&str, Rows)], profile: Option<Profile>) -> Imported {
    io::load_with(&workbook(sheets), "表.xlsx", &LoadOptions { profile }).expect("imports")
}

pub fn read(sheets: &[(&str, Rows)]) -> Imported {
    read_with(sheets, None)
}

/// The summary by the rules the unit's profile gives (as the command and the page do).
pub fn summary(imported: &Imported) -> Value {
    let rules = Rulebook::of_unit(&imported.unit).expect("the profile's rules");
    let eval = jixiao::evaluate(&imported.unit, &rules);
    serde_json::to_value(Summary::new(&eval, &rules, &imported.findings)).unwrap()
}

pub fn with_code<'a>(s: &'a Value, code: &str) -> Vec<&'a Value> {
    s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

pub fn errors(s: &Value) -> Vec<&Value> {
    s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect()
}

/// (field, typed, computed) of every typed figure that does not agree.
pub fn mismatches(s: &Value) -> Vec<(String, String, String)> {
    with_code(s, "typed_mismatch")
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or("").to_string(),
                f["typed"].as_str().unwrap_or("").to_string(),
                f["computed"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

pub fn m(field: &str, typed: &str, computed: &str) -> (String, String, String) {
    (field.into(), typed.into(), computed.into())
}

/// The `jixiao` command run with `args`: its exit code, standard output and error.
pub fn jixiao(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .output()
        .expect("the command runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
