//! The workbook import (`io::xlsx::import_workbook`, which `io::load` calls for a zip or
//! OLE file) on any bytes. Nothing may panic: the release build and the browser
//! abort on a panic, so libFuzzer reports one even where `import_workbook` would catch
//! it under `panic = "unwind"`.
#![no_main]

use jixiao::io;
use jixiao::rules::Rulebook;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match io::xlsx::import_workbook(data) {
        Ok(imported) => {
            let _ = jixiao::evaluate(&imported.unit, &Rulebook::default());
        }
        Err(e) => assert!(!e.message.is_empty()),
    }
});
