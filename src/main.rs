//! The `jixiao` command: the scoring core on files, for batch work. This file reads the
//! arguments and dispatches; files are read and written by `jixiao::io::files` (within
//! limits, atomically, never over an input or through a link).

use jixiao::io::files::{self, shown, FileId};
use jixiao::profile::Profile;
use jixiao::{evaluate, glossary, io, rules::Rulebook, rules::PRESETS, summary::Summary};
use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

const USAGE: &str = "用法：
  jixiao evaluate 文件 [--rules 预设名|规则.json] [--profile 表样名|表样.json] [--json]
      评分、核对并输出汇总；文件为 .xlsx 工作簿（各省表样按表头自动识别）或绩效自评 JSON 数据文件
  jixiao report 文件 --out 目录 [--rules 预设名|规则.json] [--profile 表样名|表样.json]
      生成自评报告：在目录中写入 <单位>_<年度>_自评报告.docx 和 <单位>_<年度>_自评表.xlsx
      （目录不存在时创建；同名文件被替换并注明“已替换”；不覆盖输入文件，不写入符号链接）
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
  \"extends\" 在内置表样上增加表头文字。文件名以“-”开头时写作 ./-文件名，或放在 -- 之后。
  完成时退出码为 0；无法完成时在标准错误输出说明原因，退出码为 2。";

fn main() -> ExitCode {
    quiet_panics();
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let result = std::panic::catch_unwind(|| run(&args)).unwrap_or_else(|_| {
        let at = PANIC_AT.lock().ok().and_then(|at| at.clone());
        Err(format!(
            "程序内部错误{}，未能完成；请把所用文件和命令报告给开发者",
            at.map(|at| format!("（{at}）")).unwrap_or_default()
        ))
    });
    match result {
        Ok(out) => emit(out.as_bytes()),
        Err(message) => {
            say(&message);
            ExitCode::from(2)
        }
    }
}

/// Where the last panic happened (a bug: said in Chinese, exit 2, no backtrace unless
/// `RUST_BACKTRACE` is set). A panic the workbook reader catches stays silent.
static PANIC_AT: Mutex<Option<String>> = Mutex::new(None);

fn quiet_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            default(info);
        }
        if let (Some(l), Ok(mut at)) = (info.location(), PANIC_AT.lock()) {
            *at = Some(format!("{}:{}", l.file(), l.line()));
        }
    }));
}

/// The result to standard output. A reader that stops early (`| head`) ends the command
/// quietly with 0, as other tools do; any other failure (`> /dev/full`) is said, exit 2.
fn emit(text: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("无法输出结果：{}", files::os_error_text(&e)));
            ExitCode::from(2)
        }
    }
}

/// A line to standard error, never failing.
fn say(message: &str) {
    let _ = writeln!(std::io::stderr(), "jixiao：{message}");
}

fn usage_error(message: &str) -> String {
    format!("{message}\n{USAGE}")
}

fn run(args: &[OsString]) -> Result<String, String> {
    let Some(command) = args.first() else {
        return Ok(format!("{USAGE}\n"));
    };
    let rest = &args[1..];
    let command = command.to_string_lossy();
    let listing = |items: &[(&str, &str)]| -> Result<String, String> {
        match rest.first() {
            Some(extra) => Err(usage_error(&format!(
                "{command} 命令不接受参数“{}”",
                extra.to_string_lossy()
            ))),
            None => Ok(items
                .iter()
                .map(|(key, label)| format!("{key:<14} {label}\n"))
                .collect()),
        }
    };
    match command.as_ref() {
        "evaluate" => cmd_evaluate(parse(
            "evaluate",
            rest,
            &["--json", "--rules", "--profile"],
        )?),
        "report" => cmd_report(parse("report", rest, &["--out", "--rules", "--profile"])?),
        "json" => cmd_json(parse("json", rest, &["--profile"])?),
        "collect" => cmd_collect(rest),
        "rules" => listing(PRESETS),
        "profiles" => listing(&Profile::built_ins()),
        "-h" | "--help" | "help" if rest.is_empty() => Ok(format!("{USAGE}\n")),
        "-h" | "--help" | "help" => Err(usage_error(&format!(
            "{command} 不接受参数“{}”",
            rest[0].to_string_lossy()
        ))),
        other => Err(usage_error(&format!("未知命令“{other}”"))),
    }
}

/// A command's arguments: one file and the options it accepts.
#[derive(Default)]
struct Args {
    file: PathBuf,
    /// `--rules`, if given; otherwise the rules the unit names.
    rules: Option<OsString>,
    /// `--profile`, if given; otherwise each sheet's own, recognised.
    profile: Option<OsString>,
    out: Option<OsString>,
    json: bool,
}

const OPTIONS: [&str; 4] = ["--json", "--rules", "--profile", "--out"];

fn parse(command: &str, args: &[OsString], accepts: &[&str]) -> Result<Args, String> {
    let mut a = Args::default();
    let mut file = None;
    let mut it = args.iter();
    let mut options_done = false;
    while let Some(arg) = it.next() {
        let bytes = arg.as_encoded_bytes();
        if options_done || !bytes.starts_with(b"-") || bytes == b"-" {
            if file.is_some() {
                return Err(usage_error(&format!(
                    "多余的参数“{}”：{command} 命令只处理一个文件",
                    arg.to_string_lossy()
                )));
            }
            file = Some(PathBuf::from(arg));
            continue;
        }
        let flag = arg.to_str().unwrap_or_default();
        if flag == "--" {
            options_done = true;
            continue;
        }
        if !OPTIONS.contains(&flag) {
            return Err(usage_error(&format!("未知选项“{}”", arg.to_string_lossy())));
        }
        if !accepts.contains(&flag) {
            return Err(usage_error(&format!("{command} 命令不接受选项“{flag}”")));
        }
        let slot = match flag {
            "--json" => {
                if a.json {
                    return Err(usage_error("选项“--json”重复"));
                }
                a.json = true;
                continue;
            }
            "--rules" => &mut a.rules,
            "--profile" => &mut a.profile,
            _ => &mut a.out,
        };
        if slot.is_some() {
            return Err(usage_error(&format!("选项“{flag}”重复")));
        }
        let value = it
            .next()
            .filter(|v| !v.as_encoded_bytes().starts_with(b"--"))
            .ok_or_else(|| {
                usage_error(match flag {
                    "--rules" => "--rules 后应给出预设名或规则文件",
                    "--profile" => "--profile 后应给出表样名或表样文件",
                    _ => "--out 后应给出输出目录",
                })
            })?;
        *slot = Some(value.clone());
    }
    a.file = file.ok_or_else(|| usage_error("缺少要处理的文件"))?;
    Ok(a)
}

/// The files read, so that no output is written over one of them.
type Inputs = Vec<FileId>;

/// Read a file the user names, by the profile chosen if any; the error names it.
fn load(
    path: &Path,
    profile: Option<Profile>,
    inputs: &mut Inputs,
) -> Result<io::Imported, String> {
    let input = files::read_limited(path, files::MAX_INPUT_BYTES, "文件")?;
    inputs.push(input.id);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown(path));
    io::load_with(&input.bytes, &name, &io::LoadOptions { profile })
}

/// A rules or profile file's text.
fn settings_text(path: &Path, what: &str, inputs: &mut Inputs) -> Result<String, String> {
    let input = files::read_limited(path, files::MAX_SETTINGS_BYTES, what)?;
    inputs.push(input.id);
    let text = String::from_utf8(input.bytes)
        .map_err(|_| format!("{what}“{}”不是 UTF-8 编码的文本", shown(path)))?;
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

fn names_a_json_file(spec: &OsStr) -> bool {
    spec.as_encoded_bytes().ends_with(b".json")
}

/// `--rules PRESET|FILE`.
fn rules(spec: Option<&OsStr>, inputs: &mut Inputs) -> Result<Option<Rulebook>, String> {
    let Some(spec) = spec else {
        return Ok(None);
    };
    if names_a_json_file(spec) {
        let path = Path::new(spec);
        let text = settings_text(path, "规则文件", inputs)?;
        return Rulebook::from_json(&text)
            .map(Some)
            .map_err(|e| format!("“{}”{e}", shown(path)));
    }
    Rulebook::from_preset_or_json(&spec.to_string_lossy()).map(Some)
}

/// `--profile NAME|FILE`: a built-in key, or a profile's JSON file.
fn profile(spec: Option<&OsStr>, inputs: &mut Inputs) -> Result<Option<Profile>, String> {
    let Some(spec) = spec else {
        return Ok(None);
    };
    if names_a_json_file(spec) {
        let path = Path::new(spec);
        let text = settings_text(path, "表样文件", inputs)?;
        return Profile::parse(&text)
            .map(Some)
            .map_err(|e| format!("“{}”{e}", shown(path)));
    }
    Profile::from_key_or_json(&spec.to_string_lossy())?
        .ok_or_else(|| "--profile 后应给出表样名或表样文件".to_string())
        .map(Some)
}

fn rules_of(given: Option<Rulebook>, unit: &jixiao::model::Unit) -> Result<Rulebook, String> {
    match given {
        Some(rules) => Ok(rules),
        None => Rulebook::of_unit(unit).map_err(|e| format!("数据文件中的规则或表样设置有误：{e}")),
    }
}

fn cmd_json(args: Args) -> Result<String, String> {
    let mut inputs = Inputs::new();
    let profile = profile(args.profile.as_deref(), &mut inputs)?;
    let loaded = load(&args.file, profile, &mut inputs)?;
    let mut err = std::io::stderr().lock();
    for f in &loaded.findings {
        let _ = writeln!(err, "[{}] {}", f.severity.label(), f.message);
    }
    Ok(io::json::to_json(&loaded.unit) + "\n")
}

fn cmd_report(args: Args) -> Result<String, String> {
    let dir = args
        .out
        .map(PathBuf::from)
        .ok_or_else(|| usage_error("report 命令需要 --out 目录"))?;
    let mut inputs = Inputs::new();
    let given_rules = rules(args.rules.as_deref(), &mut inputs)?;
    let profile = profile(args.profile.as_deref(), &mut inputs)?;
    let loaded = load(&args.file, profile, &mut inputs)?;
    let rules = rules_of(given_rules, &loaded.unit)?;
    let report = jixiao::report(&loaded.unit, &rules);
    let docx = io::docx_export::write_docx(&report)?;
    let xlsx = io::xlsx_export::write_xlsx(&report)?;
    let stem = files::safe_file_stem(&report.file_stem);
    let docx_name = OsString::from(format!("{stem}_{}", glossary::REPORT_FILE));
    let xlsx_name = OsString::from(format!("{stem}_{}", glossary::FORMS_FILE));
    let written = files::write_outputs(
        &dir,
        &[
            (docx_name.as_os_str(), docx.as_slice()),
            (xlsx_name.as_os_str(), xlsx.as_slice()),
        ],
        &inputs,
    )?;
    Ok(written
        .iter()
        .map(|w| {
            let done = if w.replaced { "已替换" } else { "已写入" };
            format!("{done} {}（{} 字节）\n", shown(&w.path), w.bytes)
        })
        .collect())
}

fn cmd_evaluate(args: Args) -> Result<String, String> {
    let mut inputs = Inputs::new();
    let given_rules = rules(args.rules.as_deref(), &mut inputs)?;
    let profile = profile(args.profile.as_deref(), &mut inputs)?;
    let loaded = load(&args.file, profile, &mut inputs)?;
    let rules = rules_of(given_rules, &loaded.unit)?;
    let eval = evaluate(&loaded.unit, &rules);
    let summary = Summary::new(&eval, &rules, &loaded.findings);
    if args.json {
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
fn cmd_collect(args: &[OsString]) -> Result<String, String> {
    let (mut paths, mut as_json, mut out) = (Vec::new(), false, None::<PathBuf>);
    let mut it = args.iter();
    let mut options_done = false;
    while let Some(arg) = it.next() {
        let bytes = arg.as_encoded_bytes();
        if options_done || !bytes.starts_with(b"-") || bytes == b"-" {
            paths.push(PathBuf::from(arg));
            continue;
        }
        match arg.to_str().unwrap_or_default() {
            "--" => options_done = true,
            "--json" if !as_json => as_json = true,
            "--out" if out.is_none() => {
                let value = it
                    .next()
                    .filter(|v| !v.as_encoded_bytes().starts_with(b"--"))
                    .ok_or_else(|| usage_error("--out 后应给出汇总表文件名"))?;
                out = Some(PathBuf::from(value));
            }
            "--json" | "--out" => {
                return Err(usage_error(&format!("选项“{}”重复", arg.to_string_lossy())))
            }
            "--rules" | "--profile" => {
                return Err(usage_error(&format!(
                    "collect 命令不接受选项“{}”：各单位按其自己的规则和表样评分",
                    arg.to_string_lossy()
                )))
            }
            _ => return Err(usage_error(&format!("未知选项“{}”", arg.to_string_lossy()))),
        }
    }
    if paths.is_empty() {
        return Err(usage_error("缺少要汇总的文件或目录"));
    }
    let out_target = out.as_ref().map(|o| {
        (
            o.parent().map(Path::to_path_buf),
            o.file_name().map(OsStr::to_os_string),
        )
    });
    let out_abs = out.as_ref().and_then(|o| std::fs::canonicalize(o).ok());
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(&path)
            .map_err(|e| format!("无法读取“{}”：{}", shown(&path), files::os_error_text(&e)))?;
        if meta.is_dir() {
            let entries = std::fs::read_dir(&path).map_err(|e| {
                format!(
                    "无法读取目录“{}”：{}",
                    shown(&path),
                    files::os_error_text(&e)
                )
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension()
                        .and_then(|x| x.to_str())
                        .is_some_and(|x| io::FILE_TYPES.contains(&x.to_ascii_lowercase().as_str()))
                })
                .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
                .collect();
            found.sort();
            // Not the 汇总表 being written (into the same directory).
            found.retain(|p| out_abs.is_none() || std::fs::canonicalize(p).ok() != out_abs);
            files.extend(found);
        } else {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(format!("没有找到可汇总的文件（{}）", io::file_types("、")));
    }
    // Each file by its name; by its path when two have the same name.
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let mut inputs = Inputs::new();
    let mut read = Vec::with_capacity(files.len());
    for path in &files {
        let same_name = files.iter().filter(|q| name(q) == name(path)).count();
        let file = match name(path) {
            Some(n) if same_name == 1 => n,
            _ => shown(path),
        };
        let bytes = files::read_limited(path, files::MAX_INPUT_BYTES, "文件").map(|input| {
            inputs.push(input.id);
            input.bytes
        });
        read.push((file, bytes));
    }
    let review = jixiao::review::Review::from_read_files(read);
    let mut printed = if as_json {
        review.to_json() + "\n"
    } else {
        review.to_text()
    };
    if let Some((dir, Some(file_name))) = out_target {
        let bytes = io::review_export::write_review_xlsx(&review)?;
        let dir = dir
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        let written = files::write_outputs(&dir, &[(file_name.as_os_str(), &bytes)], &inputs)?;
        let said: String = written
            .iter()
            .map(|w| {
                let done = if w.replaced { "已替换" } else { "已写入" };
                format!("{done} {}（{} 字节）\n", shown(&w.path), w.bytes)
            })
            .collect();
        if as_json {
            say(said.trim_end());
        } else {
            printed.push_str(&said);
        }
    } else if out.is_some() {
        return Err(usage_error("--out 后应给出汇总表文件名"));
    }
    Ok(printed)
}
