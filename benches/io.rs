//! Native timing of the file work for 1,000 projects (issue 5 item 5): importing a
//! 1,000-sheet workbook and the JSON data file with `jixiao::io::load`, building the
//! report, and exporting it as .xlsx and .docx. An exporter that still answers with an
//! error (尚未实现) is recorded as unavailable, and timed as soon as it works.
//! Writes `target/bench/unit-1000.xlsx`, which the browser benchmark imports too.
//!
//! `cargo bench --bench io`; results in `target/bench/native-io.json`.

mod common;

use common::Bench;
use jixiao::rules::Rulebook;

type Exporter = fn(&jixiao::report::Report) -> Result<Vec<u8>, String>;

fn main() {
    let mut b = Bench::new("io");
    let rules = Rulebook::default();
    let dir = common::out_dir();
    let projects = b.size(1000);
    let unit = common::synthetic_unit(projects, 20);

    // Importing: the workbook (one sheet per project) and the JSON data file.
    let book = common::workbook(&unit);
    let loaded = jixiao::io::load(&book, "unit-1000.xlsx").expect("the workbook imports");
    assert_eq!(
        loaded.unit.projects.len(),
        projects,
        "{:#?}",
        loaded.findings
    );
    assert!(
        loaded
            .unit
            .projects
            .iter()
            .all(|p| p.indicators.len() == 20),
        "every project imports its 20 indicators"
    );
    if b.timed {
        std::fs::write(dir.join("unit-1000.xlsx"), &book).expect("write unit-1000.xlsx");
    }
    b.time(
        "native.import.xlsx.1000",
        "import · workbook, 1 + 1,000 sheets (io::load)",
        1,
        7,
        || jixiao::io::load(&book, "unit-1000.xlsx"),
    );
    b.note(&format!(
        "{}, {} sheets; {} import findings",
        common::size(book.len()),
        projects + 1,
        loaded.findings.len()
    ));
    let json = jixiao::io::json::to_json(&unit);
    b.time(
        "native.import.json.1000",
        "import · JSON data file, 1,000 projects (io::load)",
        2,
        11,
        || jixiao::io::load(json.as_bytes(), "unit-1000.json"),
    );
    b.note(&common::size(json.len()));

    // Exporting: the report model both exporters write, then each exporter.
    b.time(
        "native.report.1000",
        "report model · 1,000 projects (jixiao::report)",
        2,
        11,
        || jixiao::report(&unit, &rules),
    );
    let exporters: [(&str, &str, &str, Exporter); 2] = [
        (
            "native.exportXlsx.1000",
            "export .xlsx · 1,000 projects (report + write)",
            "xlsx",
            jixiao::io::xlsx_export::write_xlsx,
        ),
        (
            "native.exportDocx.1000",
            "export .docx · 1,000 projects (report + write)",
            "docx",
            jixiao::io::docx_export::write_docx,
        ),
    ];
    for (id, label, ext, write) in exporters {
        match write(&jixiao::report(&unit, &rules)) {
            Err(message) => b.unavailable(id, label, &format!("导出返回错误：{message}")),
            Ok(bytes) => {
                if b.timed {
                    std::fs::write(dir.join(format!("report-1000.{ext}")), &bytes)
                        .expect("write the exported file");
                }
                b.time(id, label, 1, 5, || write(&jixiao::report(&unit, &rules)));
                b.note(&common::size(bytes.len()));
            }
        }
    }
    b.finish();
}
