//! Jixiao 绩效自评 — the scoring core.
//!
//! Read top-down: [`model`] (the data) → [`value`] (targets and actuals as written)
//! → [`rules`] (the rulebook) → [`scoring`] → [`audit`] (checks and typed-figure audit)
//! → [`io`] (JSON and workbook import). `wasm.rs` and the `jixiao` command are thin skins.

pub mod finding;
pub mod glossary;
pub mod io;
pub mod model;
pub mod value;
