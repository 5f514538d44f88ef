//! The `jixiao` command: the scoring core on files, for batch work.

use jixiao::profile::Profile;
use jixiao::{evaluate, io, rules::Rulebook, rules::PRESETS, summary::Summary};
use std::process::ExitCode;

const USAGE: &str = "用法：
  jixiao evaluate 文件 [--rules 预设名|规则.json] [--profile 表样名|表样.json] [--json]
      评分、核对并输出汇总；文件为 .xlsx 工作簿（各省表样按表头自动识别）或绩效自评 JSON 数据文件
  jixiao report 文件 --out 目录 [--rules 预设名|规则.json] [--profile 表样名|表样.json]
      生成自评报告：目录中写入 自评报告.docx 和 自评表.xlsx
  jixiao collect 文件或目录... [--json] [--out 汇总表.xlsx]
      财政局汇总：逐个读取各单位报送的文件（另存的 .html 网页、.json 数据文件或 .xlsx 工作簿；
      目录指其中的这些文件，按文件名排序，不含子目录），按各单位的规则评分、核对，
      每个单位一行并给出合计；同一单位（名称和年度相同）报送多次的只计一次；
      --out 写出汇总表工作簿
  jixiao json 文件 [--profile 表样名|表样.json]
      把工作簿转换为绩效自评 JSON 数据文件（输出到标准输出）
  jixiao rules
      列出规则预设
  jixiao profiles
      列出内置表样（--profile 可用的表样名）

  --rules 未给出时，按数据文件中的规则设置，其次按表样自带的规则（如湖北预算执行率20分），
  否则按默认规则评分。--profile 指定工作簿按哪种表样读取；表样文件为 JSON，可用
  \"extends\" 在内置表样上增加表头文字。";

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
        Some("report") => cmd_report(&args[1..]),
        Some("collect") => cmd_collect(&args[1..]),
        Some("rules") => Ok(PRESETS
            .iter()
            .map(|(key, label)| format!("{key:<14} {label}\n"))
            .collect()),
        Some("profiles") => Ok(Profile::built_ins()
            .iter()
            .map(|(key, label)| format!("{key:<14} {label}\n"))
            .collect()),
        Some("-h" | "--help" | "help") | None => Ok(format!("{USAGE}\n")),
        Some(other) => Err(format!("未知命令“{other}”\n{USAGE}")),
    }
}

/// Read a file the user names, by the profile chosen if any; the error names it.
fn load(path: &str, profile: Option<Profile>) -> Result<io::Imported, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("无法读取文件“{path}”：{e}"))?;
    let name = std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(path.to_string());
    io::load_with(&bytes, &name, &io::LoadOptions { profile })
}

/// `--profile NAME|FILE`: a built-in key, or a profile's JSON file.
fn profile(spec: &str) -> Result<Profile, String> {
    if spec.ends_with(".json") {
        let text =
            std::fs::read_to_string(spec).map_err(|e| format!("无法读取表样文件“{spec}”：{e}"))?;
        return Profile::parse(&text).map_err(|e| format!("“{spec}”{e}"));
    }
    Profile::from_key_or_json(spec)?.ok_or_else(|| "--profile 后应给出表样名或表样文件".to_string())
}

fn cmd_json(args: &[String]) -> Result<String, String> {
    let opts = options(args)?;
    let loaded = load(&opts.file, opts.profile)?;
    for f in &loaded.findings {
        eprintln!("[{}] {}", f.severity.label(), f.message);
    }
    Ok(io::json::to_json(&loaded.unit) + "\n")
}

/// Options shared by the commands that read one file.
struct Options {
    file: String,
    /// `--rules`, if given; otherwise the rules the unit names.
    rules: Option<Rulebook>,
    /// `--profile`, if given; otherwise each sheet's own, recognised.
    profile: Option<Profile>,
    json: bool,
    out: Option<String>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut file = None;
    let mut rules_spec = None;
    let mut json = false;
    let mut out = None;
    let mut profile_spec = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--rules" => {
                rules_spec = Some(it.next().ok_or("--rules 后应给出预设名或规则文件")?.clone())
            }
            "--out" => out = Some(it.next().ok_or("--out 后应给出输出目录")?.clone()),
            "--profile" => {
                profile_spec = Some(
                    it.next()
                        .ok_or("--profile 后应给出表样名或表样文件")?
                        .clone(),
                )
            }
            flag if flag.starts_with("--") => return Err(format!("未知选项“{flag}”\n{USAGE}")),
            path => file = Some(path.to_string()),
        }
    }
    let file = file.ok_or_else(|| format!("缺少要处理的文件\n{USAGE}"))?;
    let rules = match rules_spec {
        None => None,
        Some(spec) if spec.ends_with(".json") => {
            let text = std::fs::read_to_string(&spec)
                .map_err(|e| format!("无法读取规则文件“{spec}”：{e}"))?;
            Some(Rulebook::from_json(&text).map_err(|e| format!("“{spec}”{e}"))?)
        }
        Some(spec) => Some(Rulebook::from_preset_or_json(&spec)?),
    };
    let profile = profile_spec.as_deref().map(profile).transpose()?;
    Ok(Options {
        file,
        rules,
        profile,
        json,
        out,
    })
}

fn rules_of(given: Option<Rulebook>, unit: &jixiao::model::Unit) -> Result<Rulebook, String> {
    match given {
        Some(rules) => Ok(rules),
        None => Rulebook::of_unit(unit).map_err(|e| format!("数据文件中的规则或表样设置有误：{e}")),
    }
}

fn cmd_report(args: &[String]) -> Result<String, String> {
    let opts = options(args)?;
    let dir = opts
        .out
        .ok_or_else(|| format!("report 命令需要 --out 目录\n{USAGE}"))?;
    let loaded = load(&opts.file, opts.profile)?;
    let rules = rules_of(opts.rules, &loaded.unit)?;
    let report = jixiao::report(&loaded.unit, &rules);
    let docx = io::docx_export::write_docx(&report)?;
    let xlsx = io::xlsx_export::write_xlsx(&report)?;
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("无法创建目录“{}”：{e}", dir.display()))?;
    let mut written = String::new();
    for (name, bytes) in [
        (jixiao::glossary::REPORT_FILE, &docx),
        (jixiao::glossary::FORMS_FILE, &xlsx),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("无法写入“{}”：{e}", path.display()))?;
        written.push_str(&format!(
            "已写入 {}（{} 字节）\n",
            path.display(),
            bytes.len()
        ));
    }
    Ok(written)
}

fn cmd_evaluate(args: &[String]) -> Result<String, String> {
    let Options {
        file: path,
        rules,
        profile,
        json: as_json,
        ..
    } = options(args)?;
    let loaded = load(&path, profile)?;
    let rules = rules_of(rules, &loaded.unit)?;
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

/// `collect FILE|DIR... [--json] [--out 汇总表.xlsx]`: the finance bureau's review of
/// the units' files (a directory: its .html/.htm/.json/.xlsx files by name, not
/// recursive). A file that cannot be read is a row of the review, not an error.
fn cmd_collect(args: &[String]) -> Result<String, String> {
    let (mut paths, mut as_json, mut out) = (Vec::new(), false, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--json" => as_json = true,
            "--out" => out = Some(it.next().ok_or("--out 后应给出汇总表文件名")?.clone()),
            flag if flag.starts_with("--") => return Err(format!("未知选项“{flag}”\n{USAGE}")),
            path => paths.push(std::path::PathBuf::from(path)),
        }
    }
    if paths.is_empty() {
        return Err(format!("缺少要汇总的文件或目录\n{USAGE}"));
    }
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(&path)
                .map_err(|e| format!("无法读取目录“{}”：{e}", path.display()))?;
            let mut found: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .filter(|p| {
                    p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                        ["html", "htm", "json", "xlsx"].contains(&x.to_ascii_lowercase().as_str())
                    })
                })
                .collect();
            found.sort();
            // Not the 汇总表 being written (into the same directory).
            let out = out.as_ref().and_then(|o| std::fs::canonicalize(o).ok());
            found.retain(|p| out.is_none() || std::fs::canonicalize(p).ok() != out);
            files.extend(found);
        } else if path.exists() {
            files.push(path);
        } else {
            return Err(format!("找不到文件或目录“{}”", path.display()));
        }
    }
    if files.is_empty() {
        return Err("没有找到可汇总的文件（.html、.htm、.json、.xlsx）".into());
    }
    // Each file by its name; by its path when two have the same name.
    let name = |p: &std::path::Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let shown: Vec<String> = files
        .iter()
        .map(|p| match name(p) {
            Some(n)
                if files
                    .iter()
                    .filter(|q| name(q).as_ref() == Some(&n))
                    .count()
                    == 1 =>
            {
                n
            }
            _ => p.display().to_string(),
        })
        .collect();
    let inputs = files
        .iter()
        .zip(&shown)
        .map(|(path, file)| match std::fs::read(path) {
            Ok(bytes) => jixiao::review::Input::read(file, &bytes),
            Err(e) => jixiao::review::Input::unreadable(file, format!("无法读取文件“{file}”：{e}")),
        })
        .collect();
    let review = jixiao::review::Review::from_inputs(inputs);
    let mut printed = if as_json {
        review.to_json() + "\n"
    } else {
        review.to_text()
    };
    if let Some(out) = out {
        let bytes = io::review_export::write_review_xlsx(&review)?;
        std::fs::write(&out, &bytes).map_err(|e| format!("无法写入“{out}”：{e}"))?;
        let written = format!("已写入 {out}（{} 字节）\n", bytes.len());
        if as_json {
            eprint!("{written}");
        } else {
            printed.push_str(&written);
        }
    }
    Ok(printed)
}
