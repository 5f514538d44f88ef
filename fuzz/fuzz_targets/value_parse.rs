//! The target/actual parser (`src/value.rs`) on any text.
//!
//! The input is split at its first newline: the first line is the cell (年度指标值 or
//! 实际完成值), the rest a 度量单位 / indicator label. Nothing may panic.
#![no_main]

use jixiao::value;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (cell, unit) = text.split_once('\n').unwrap_or((text, ""));

    if let Err(e) = value::parse(cell) {
        // A refusal is a Chinese message, never empty.
        assert!(!e.to_string().is_empty());
    }
    let _ = value::parse_with_unit(cell, unit);
    let _ = value::unit_in_label(unit);
    let canonical = value::canonical_unit(unit);
    let _ = value::units_compatible(&canonical, cell);
    let _ = value::text_means_achieved(cell, unit);
});
