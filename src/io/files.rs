//! The command line's files (the command alone uses them): reading what the user names within a limit
//! known before reading, and writing the reports so that no file is ever harmed — never
//! over an input, never through a symbolic link, each output complete or not there at
//! all. Every message is Chinese and names the file (lossily when its name is not UTF-8).

use std::ffi::OsStr;
use std::fs::{File, Metadata, OpenOptions, Permissions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use super::json::MAX_JSON_BYTES;

/// The largest input file read: a workbook's parts may unpack to 64 MB (the importer's
/// limit, `MAX_UNPACKED`), and a packed workbook is not larger than its parts; a JSON
/// data file may be 32 MB.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;
const _: () = assert!(MAX_INPUT_BYTES >= MAX_JSON_BYTES as u64);

/// The largest rules or profile file (`--rules FILE`, `--profile FILE`): a few KB.
pub const MAX_SETTINGS_BYTES: u64 = 1 << 20;

/// The longest file-name stem written, in characters and in bytes (a file name may have
/// 255 bytes; the stem leaves room for `_自评报告.docx`).
const MAX_STEM_CHARS: usize = 80;
const MAX_STEM_BYTES: usize = 200;

/// Which file a path is (device and inode on Unix), so that an output is never written
/// over an input, whatever name (hard link, `..`) leads to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileId(Identity);

#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = Option<PathBuf>;

impl FileId {
    #[cfg(unix)]
    fn of(meta: &Metadata, _path: &Path) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId((meta.dev(), meta.ino()))
    }

    #[cfg(not(unix))]
    fn of(_meta: &Metadata, path: &Path) -> FileId {
        FileId(std::fs::canonicalize(path).ok())
    }
}

/// A file read whole, and which file it was.
#[derive(Debug)]
pub struct Input {
    pub bytes: Vec<u8>,
    pub id: FileId,
}

/// What an operating-system error means, in Chinese (the raw code only when the error
/// has no better name).
pub fn os_error_text(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let text = match e.kind() {
        K::NotFound => "文件或目录不存在",
        K::PermissionDenied => "没有权限",
        K::IsADirectory => "这是一个目录，不是文件",
        K::NotADirectory => "路径中有一项不是目录",
        K::AlreadyExists => "文件已存在",
        K::DirectoryNotEmpty => "目录不为空",
        K::StorageFull => "磁盘已满",
        K::QuotaExceeded => "超出磁盘配额",
        K::ReadOnlyFilesystem => "所在磁盘是只读的",
        K::FileTooLarge => "文件过大",
        K::InvalidFilename => "文件名无效或过长",
        K::ResourceBusy | K::ExecutableFileBusy => "文件正被占用",
        K::CrossesDevices => "不能跨磁盘移动文件",
        K::TooManyLinks => "链接过多",
        K::StaleNetworkFileHandle => "网络文件已失效",
        K::NotSeekable => "文件不支持随机读写",
        K::BrokenPipe => "输出管道已关闭",
        K::Interrupted => "操作被中断",
        K::WouldBlock => "文件暂时无法读写",
        K::TimedOut => "操作超时",
        K::UnexpectedEof => "文件不完整",
        K::WriteZero => "未能写入全部内容",
        K::OutOfMemory => "内存不足",
        K::InvalidData => "内容无效",
        K::InvalidInput => "参数无效",
        K::Unsupported => "不支持此操作",
        _ => match e.raw_os_error() {
            #[cfg(target_os = "linux")]
            Some(40) => "符号链接层数过多（或路径中有不能跟随的符号链接）",
            #[cfg(target_os = "linux")]
            Some(5) => "磁盘读写出错",
            Some(code) => return format!("操作系统错误（错误码 {code}）"),
            None => "未知的读写错误",
        },
    };
    text.to_string()
}

/// A path as shown in a message: lossy when not UTF-8, never failing.
pub fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Why a path that exists is not a regular file, or `None` when it is one.
fn not_regular(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("这是一个目录，不是文件");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("这是一个命名管道（FIFO），不是普通文件");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("这是一个设备，不是普通文件");
        }
        if t.is_socket() {
            return Some("这是一个套接字，不是普通文件");
        }
    }
    Some("不是普通文件")
}

/// `size` is `None` when the file grew past the limit while being read.
fn too_large(size: Option<u64>, limit: u64) -> String {
    let mb = |n: u64| n.div_ceil(1 << 20);
    match size {
        Some(size) => format!(
            "文件过大（{} MB，上限 {} MB），已拒绝读取",
            mb(size),
            mb(limit)
        ),
        None => format!("文件过大（超过上限 {} MB），已拒绝读取", mb(limit)),
    }
}

/// Reads the regular file at `path` whole, if it has at most `limit` bytes. What it is
/// and how big is checked before it is opened (a directory, a FIFO, a device — even
/// /dev/zero — is refused without reading), it is opened without blocking, checked
/// again, and read through a reader that stops after `limit + 1` bytes (a file that
/// grows meanwhile is refused, never held beyond the limit). The error is a Chinese
/// message: `无法读取{what}“…”：…`.
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Input, String> {
    let fail = |why: String| format!("无法读取{what}“{}”：{why}", shown(path));
    let io_fail = |e: io::Error| fail(os_error_text(&e));
    let check = |meta: &Metadata| -> Result<(), String> {
        if let Some(why) = not_regular(meta) {
            return Err(fail(format!("{why}，已拒绝读取")));
        }
        if meta.len() > limit {
            return Err(fail(too_large(Some(meta.len()), limit)));
        }
        Ok(())
    };
    check(&std::fs::metadata(path).map_err(io_fail)?)?;
    let file = open_for_reading(path).map_err(io_fail)?;
    let meta = file.metadata().map_err(io_fail)?;
    check(&meta)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io_fail)?;
    if bytes.len() as u64 > limit {
        return Err(fail(too_large(None, limit)));
    }
    Ok(Input {
        bytes,
        id: FileId::of(&meta, path),
    })
}

/// Opens a file for reading; on Linux with `O_NONBLOCK`, so that a file replaced by a
/// FIFO after it was checked cannot block the open (the flag changes nothing for a
/// regular file).
fn open_for_reading(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        const O_NONBLOCK: i32 = 0o4000;
        options.custom_flags(O_NONBLOCK);
    }
    options.open(path)
}

/// A unit's file-name stem made safe as a file name: characters not allowed in file
/// names on Windows or Unix (`\ / : * ? " < > |`, control characters) become `_`,
/// bidirectional controls (which could make a name look like another kind of file) are
/// dropped, spaces and dots at either end trimmed, and the length kept to 80 characters
/// and 200 bytes. As the page names its downloads (`safeName`, www/app/util.js).
pub fn safe_file_stem(stem: &str) -> String {
    let cleaned: String = stem
        .chars()
        .filter(|c| {
            !matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}')
        })
        .map(|c| {
            if matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c.is_whitespace() || c == '.');
    let mut out = String::new();
    for (i, c) in trimmed.chars().enumerate() {
        if i == MAX_STEM_CHARS || out.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        out.push(c);
    }
    let out = out.trim_end_matches(|c: char| c.is_whitespace() || c == '.');
    if out.is_empty() {
        "未命名单位".to_string()
    } else {
        out.to_string()
    }
}

/// One file written (or replaced) by [`write_outputs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub bytes: usize,
    /// A file of that name was there before and has been replaced.
    pub replaced: bool,
}

/// A target checked and about to be written.
struct Target {
    path: PathBuf,
    /// The permissions of the file replaced, kept.
    replaces: Option<Permissions>,
}

/// Writes each `(file name, bytes)` into `dir` (created if missing), all or none:
///
/// - every target is checked first: a symbolic link is refused (never written through
///   nor replaced), as is a directory or anything but a regular file, and a file that
///   is one of `inputs` (by identity, whatever its name) — nothing is written then;
/// - each output is written to a new temporary file in `dir`, synced to disk; only when
///   all are complete are they renamed over their targets (a rename replaces a name,
///   so a failed write leaves the old file whole and removes the temporary one);
/// - a file replaced keeps its permissions, and is reported as `replaced`.
///
/// The error is a Chinese message; when a rename fails after an earlier one succeeded
/// (a very unlikely case: both are in one directory), it says which file was written
/// and which not.
pub fn write_outputs(
    dir: &Path,
    outputs: &[(&OsStr, &[u8])],
    inputs: &[FileId],
) -> Result<Vec<Written>, String> {
    write_outputs_with(dir, outputs, inputs, |file, bytes, _| file.write_all(bytes))
}

/// [`write_outputs`], with the step that writes an output's bytes to its temporary file
/// given (the tests make it fail as a full disk does).
fn write_outputs_with(
    dir: &Path,
    outputs: &[(&OsStr, &[u8])],
    inputs: &[FileId],
    mut write: impl FnMut(&mut File, &[u8], usize) -> io::Result<()>,
) -> Result<Vec<Written>, String> {
    ensure_dir(dir)?;
    let targets = outputs
        .iter()
        .map(|(name, _)| check_target(&dir.join(name), inputs))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{e}；本次没有写入任何文件"))?;

    // Every output into its temporary file, or none renamed.
    let mut temps: Vec<PathBuf> = Vec::new();
    for (i, ((_, bytes), target)) in outputs.iter().zip(&targets).enumerate() {
        let result = create_temp(dir).and_then(|(path, mut file)| {
            temps.push(path);
            write(&mut file, bytes, i)?;
            if let Some(perms) = &target.replaces {
                file.set_permissions(perms.clone())?;
            }
            file.sync_all()
        });
        if let Err(e) = result {
            remove_all(&temps);
            let kept = if target.replaces.is_some() {
                "原有文件保持不变，"
            } else {
                ""
            };
            return Err(format!(
                "无法写入“{}”：{}；{kept}本次没有写入任何文件",
                shown(&target.path),
                os_error_text(&e)
            ));
        }
    }

    let mut written = Vec::new();
    for (i, (temp, target)) in temps.iter().zip(&targets).enumerate() {
        if let Err(e) = std::fs::rename(temp, &target.path) {
            remove_all(&temps[i..]);
            let done: Vec<String> = written
                .iter()
                .map(|w: &Written| format!("“{}”", shown(&w.path)))
                .collect();
            let not_done: Vec<String> = targets[i..]
                .iter()
                .map(|t| format!("“{}”", shown(&t.path)))
                .collect();
            let done = if done.is_empty() {
                "没有写入任何文件".to_string()
            } else {
                format!("已写入 {}", done.join("、"))
            };
            return Err(format!(
                "无法写入“{}”：{}；{done}，未写入 {}（其原有文件保持不变）",
                shown(&target.path),
                os_error_text(&e),
                not_done.join("、")
            ));
        }
        written.push(Written {
            path: target.path.clone(),
            bytes: outputs[i].1.len(),
            replaced: target.replaces.is_some(),
        });
    }
    sync_dir(dir);
    Ok(written)
}

/// The output directory, created when missing; an existing path must be a directory
/// (a link to one is followed: the user named it).
fn ensure_dir(dir: &Path) -> Result<(), String> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(format!("“{}”不是目录，无法在其中写入", shown(dir))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir_all(dir)
            .map_err(|e| format!("无法创建目录“{}”：{}", shown(dir), os_error_text(&e))),
        Err(e) => Err(format!(
            "无法使用目录“{}”：{}",
            shown(dir),
            os_error_text(&e)
        )),
    }
}

fn check_target(path: &Path, inputs: &[FileId]) -> Result<Target, String> {
    let refuse = |why: &str| Err(format!("不写入“{}”：{why}", shown(path)));
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Target {
            path: path.to_path_buf(),
            replaces: None,
        }),
        Err(e) => Err(format!(
            "无法写入“{}”：{}",
            shown(path),
            os_error_text(&e)
        )),
        Ok(meta) if meta.file_type().is_symlink() => refuse(
            "它是符号链接，本程序不会写入链接指向的文件，也不替换链接；请删除该链接或用 --out 另选目录",
        ),
        Ok(meta) if !meta.is_file() => refuse(&format!(
            "{}；请移走它或用 --out 另选目录",
            not_regular(&meta).unwrap_or("不是普通文件")
        )),
        Ok(meta) if inputs.contains(&FileId::of(&meta, path)) => refuse(
            "它是本次读取的输入文件，不会覆盖它；请用 --out 另选目录",
        ),
        Ok(meta) => Ok(Target {
            path: path.to_path_buf(),
            replaces: Some(meta.permissions()),
        }),
    }
}

/// A new, empty temporary file in `dir` (hidden, never an existing file).
fn create_temp(dir: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".jixiao-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n % 1000 != 999 => continue,
            Err(e) => return Err(e),
        }
    }
}

fn remove_all(paths: &[PathBuf]) {
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
}

/// The directory's entries (the renames) made durable, where the system allows it.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "jixiao-files-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn out<'a>(name: &'a str, bytes: &'a [u8]) -> (&'a OsStr, &'a [u8]) {
        (OsStr::new(name), bytes)
    }

    #[test]
    fn reads_a_regular_file_within_the_limit() {
        let dir = temp_dir("read");
        let path = dir.join("a.json");
        std::fs::write(&path, b"{}").unwrap();
        let input = read_limited(&path, 2, "文件").unwrap();
        assert_eq!(input.bytes, b"{}");
        let err = read_limited(&path, 1, "文件").unwrap_err();
        assert!(
            err.contains("文件过大") && err.contains("上限 1 MB"),
            "{err}"
        );
    }

    /// A file that holds more than its size says (as one that grows while it is read):
    /// read no further than the limit.
    #[cfg(target_os = "linux")]
    #[test]
    fn reads_no_further_than_the_limit() {
        let path = Path::new("/proc/self/maps");
        assert_eq!(std::fs::metadata(path).unwrap().len(), 0);
        let err = read_limited(path, 10, "文件").unwrap_err();
        assert!(
            err.ends_with("文件过大（超过上限 1 MB），已拒绝读取"),
            "{err}"
        );
    }

    #[test]
    fn refuses_what_is_not_a_regular_file_without_reading_it() {
        let dir = temp_dir("odd");
        let err = read_limited(&dir, 10, "文件").unwrap_err();
        assert!(err.contains("这是一个目录"), "{err}");
        assert!(!err.contains("os error"), "{err}");
        #[cfg(unix)]
        {
            let err = read_limited(Path::new("/dev/zero"), 10, "文件").unwrap_err();
            assert!(err.contains("这是一个设备"), "{err}");
        }
        let err = read_limited(&dir.join("none"), 10, "规则文件").unwrap_err();
        assert!(err.starts_with("无法读取规则文件“"), "{err}");
        assert!(err.ends_with("：文件或目录不存在"), "{err}");
    }

    #[test]
    fn os_errors_in_chinese() {
        let e = io::Error::from(io::ErrorKind::StorageFull);
        assert_eq!(os_error_text(&e), "磁盘已满");
        let e = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(os_error_text(&e), "没有权限");
        let e = io::Error::from_raw_os_error(21);
        assert!(!os_error_text(&e).contains("Is a"));
        let e = io::Error::from_raw_os_error(9999);
        assert_eq!(os_error_text(&e), "操作系统错误（错误码 9999）");
    }

    #[test]
    fn stems_are_safe_file_names() {
        assert_eq!(
            safe_file_stem("兰州新区应急管理局_2022"),
            "兰州新区应急管理局_2022"
        );
        assert_eq!(
            safe_file_stem("a/b\\c:d*e?f\"g<h>i|j_2022"),
            "a_b_c_d_e_f_g_h_i_j_2022"
        );
        assert_eq!(
            safe_file_stem(" ..报告\u{202e}xslx\n_2022. "),
            "报告xslx__2022"
        );
        assert_eq!(safe_file_stem("../.."), "_");
        assert_eq!(safe_file_stem(" . . "), "未命名单位");
        let long = safe_file_stem(&"局".repeat(300));
        assert_eq!(long.chars().count(), 66); // 200 bytes of 3-byte characters
        assert_eq!(safe_file_stem(&"a".repeat(300)).len(), 80);
    }

    #[test]
    fn writes_new_files_and_replaces_old_ones() {
        let dir = temp_dir("write").join("out");
        let w = write_outputs(&dir, &[out("a.docx", b"one"), out("b.xlsx", b"two")], &[]).unwrap();
        assert_eq!(w.len(), 2);
        assert!(!w[0].replaced && !w[1].replaced);
        assert_eq!(std::fs::read(dir.join("a.docx")).unwrap(), b"one");
        let w = write_outputs(&dir, &[out("a.docx", b"three")], &[]).unwrap();
        assert!(w[0].replaced);
        assert_eq!(w[0].bytes, 5);
        assert_eq!(std::fs::read(dir.join("a.docx")).unwrap(), b"three");
        assert_eq!(names(&dir), ["a.docx", "b.xlsx"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_files_whole_and_no_temporary_file() {
        let dir = temp_dir("full");
        std::fs::write(dir.join("a.docx"), b"old a").unwrap();
        std::fs::write(dir.join("b.xlsx"), b"old b").unwrap();
        // The second output's disk fills half-way: neither is replaced.
        let err = write_outputs_with(
            &dir,
            &[out("a.docx", b"new a"), out("b.xlsx", b"new b")],
            &[],
            |file, bytes, i| {
                if i == 1 {
                    file.write_all(&bytes[..2])?;
                    return Err(io::Error::from(io::ErrorKind::StorageFull));
                }
                file.write_all(bytes)
            },
        )
        .unwrap_err();
        assert!(err.contains("b.xlsx"), "{err}");
        assert!(err.contains("磁盘已满"), "{err}");
        assert!(
            err.contains("原有文件保持不变") && err.contains("没有写入任何文件"),
            "{err}"
        );
        assert_eq!(std::fs::read(dir.join("a.docx")).unwrap(), b"old a");
        assert_eq!(std::fs::read(dir.join("b.xlsx")).unwrap(), b"old b");
        assert_eq!(names(&dir), ["a.docx", "b.xlsx"]);
    }

    #[test]
    fn an_unwritable_directory_leaves_nothing() {
        // /proc refuses new files even to root.
        #[cfg(target_os = "linux")]
        {
            let err = write_outputs(Path::new("/proc"), &[out("a.docx", b"x")], &[]).unwrap_err();
            assert!(err.starts_with("无法写入“/proc/a.docx”："), "{err}");
            assert!(!err.contains("os error"), "{err}");
        }
        let dir = temp_dir("notdir");
        let file = dir.join("f");
        std::fs::write(&file, b"keep").unwrap();
        let err = write_outputs(&file, &[out("a.docx", b"x")], &[]).unwrap_err();
        assert!(err.contains("不是目录"), "{err}");
        assert_eq!(std::fs::read(&file).unwrap(), b"keep");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_target_is_refused_and_its_file_untouched() {
        let dir = temp_dir("link");
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, b"precious").unwrap();
        std::os::unix::fs::symlink(&victim, dir.join("b.xlsx")).unwrap();
        let err =
            write_outputs(&dir, &[out("a.docx", b"x"), out("b.xlsx", b"y")], &[]).unwrap_err();
        assert!(err.contains("符号链接"), "{err}");
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(std::fs::symlink_metadata(dir.join("b.xlsx"))
            .unwrap()
            .file_type()
            .is_symlink());
        // All or none: the first was not written either.
        assert_eq!(names(&dir), ["b.xlsx", "victim.txt"]);
    }

    #[test]
    fn an_input_is_never_written_over() {
        let dir = temp_dir("input");
        let input = dir.join("a.xlsx");
        std::fs::write(&input, b"the input").unwrap();
        let id = read_limited(&input, 100, "文件").unwrap().id;
        // Also by another name for the same file.
        #[cfg(unix)]
        std::fs::hard_link(&input, dir.join("b.xlsx")).unwrap();
        for name in ["a.xlsx", "b.xlsx"] {
            if !dir.join(name).exists() {
                continue;
            }
            let err = write_outputs(&dir, &[out(name, b"report")], std::slice::from_ref(&id))
                .unwrap_err();
            assert!(err.contains("输入文件"), "{err}");
            assert_eq!(std::fs::read(&input).unwrap(), b"the input");
        }
        assert!(!names(&dir).iter().any(|n| n.ends_with(".tmp")));
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("perm");
        let path = dir.join("a.docx");
        std::fs::write(&path, b"old").unwrap();
        std::fs::set_permissions(&path, Permissions::from_mode(0o600)).unwrap();
        write_outputs(&dir, &[out("a.docx", b"new")], &[]).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
