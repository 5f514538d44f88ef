//! The project's JSON import (`io::json::from_json`, and `io::load` as the page and the
//! command call it) on any bytes. A unit that loads is also scored and written back:
//! what the user does next with it. Nothing may panic.
#![no_main]

use jixiao::rules::Rulebook;
use jixiao::{evaluate, io};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let direct = io::json::from_json(text);
        if let Err(e) = &direct {
            assert!(!e.is_empty());
        }
    }
    match io::load(data, "fuzz.json") {
        Ok(imported) => {
            let _ = evaluate(&imported.unit, &Rulebook::default());
            // What was read can be written, and read back.
            let json = io::json::to_json(&imported.unit);
            io::json::from_json(&json).expect("to_json output must load again");
        }
        Err(e) => assert!(e.contains("fuzz.json")),
    }
});
