//! The `jixiao` command: the scoring core on files, for batch work.

use jixiao::{evaluate, io, rules::Rulebook, rules::PRESETS, summary::Summary};
use std::process::ExitCode;

const USAGE: &str = "用法：
  jixiao evaluate 文件 [--rules 预设名|规则.json] [--json]
      评分、核对并输出汇总；文件为标准格式的 .xlsx 工作簿或绩效自评 JSON 数据文件
  jixiao json 文件
      把工作簿转换为绩效自评 JSON 数据文件（输出到标准输出）
  jixiao rules
      列出规则预设";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("jixiao：{message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<String, String> {
    match args.first().map(String::as_str) {
        Some("evaluate") => cmd_evaluate(&args[1..]),
        Some("json") => cmd_json(&args[1..]),
        Some("rules") => Ok(PRESETS
            .iter()
            .map(|(key, label)| format!("{key:<14} {label}\n"))
            .collect()),
        Some("-h" | "--help" | "help") | None => Ok(format!("{USAGE}\n")),
        Some(other) => Err(format!("未知命令“{other}”\n{USAGE}")),
    }
}

/// Read a file the user names; the error names it.
fn load(path: &str) -> Result<io::Imported, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("无法读取文件“{path}”：{e}"))?;
    let name = std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(path.to_string());
    io::load(&bytes, &name)
}

fn cmd_json(args: &[String]) -> Result<String, String> {
    let [path] = args else {
        return Err(format!("json 命令需要一个文件\n{USAGE}"));
    };
    let loaded = load(path)?;
    for f in &loaded.findings {
        eprintln!("[{}] {}", f.severity.label(), f.message);
    }
    Ok(io::json::to_json(&loaded.unit) + "\n")
}

fn cmd_evaluate(args: &[String]) -> Result<String, String> {
    let mut file = None;
    let mut rules_spec = None;
    let mut as_json = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--json" => as_json = true,
            "--rules" => {
                rules_spec = Some(it.next().ok_or("--rules 后应给出预设名或规则文件")?.clone())
            }
            flag if flag.starts_with("--") => return Err(format!("未知选项“{flag}”\n{USAGE}")),
            path => file = Some(path.to_string()),
        }
    }
    let path = file.ok_or_else(|| format!("缺少要评分的文件\n{USAGE}"))?;
    let rules = match rules_spec {
        None => Rulebook::default(),
        Some(spec) if spec.ends_with(".json") => {
            let text = std::fs::read_to_string(&spec)
                .map_err(|e| format!("无法读取规则文件“{spec}”：{e}"))?;
            Rulebook::from_json(&text).map_err(|e| format!("“{spec}”{e}"))?
        }
        Some(spec) => Rulebook::from_preset_or_json(&spec)?,
    };
    let loaded = load(&path)?;
    let eval = evaluate(&loaded.unit, &rules);
    let summary = Summary::new(&eval, &rules, &loaded.findings);
    if as_json {
        serde_json::to_string_pretty(&summary)
            .map(|s| s + "\n")
            .map_err(|e| format!("无法输出 JSON：{e}"))
    } else {
        Ok(summary.to_text())
    }
}
