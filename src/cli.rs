//! The command line: `nianbao export`, `nianbao check`, `nianbao compare`.
//!
//! Parsing ([`parse_args`]) and the exit-code rules ([`outcome`], [`batch`]) are pure; each
//! subcommand is one function writing to the given output and error streams.

use crate::document::{self, LoadError};
use crate::export::{Format, csv, findings, json, txt, xlsx};
use crate::model::{CheckResult, Report, Severity, Status};
use rayon::prelude::*;
use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit code: every report passed.
pub const EXIT_OK: u8 = 0;
/// Exit code: an error-severity check failed (with `--strict`, a warning too).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: an input could not be read, an output not written, or the command line is wrong.
pub const EXIT_UNREADABLE: u8 = 2;

const USAGE_EXPORT: &str = "nianbao export 文件 --format json|csv|ron|txt|xlsx [-o 输出文件] [--strict]\n  nianbao export 文件夹或文件… --format 格式 -o 输出文件夹 [--combined 合并.csv]\n  nianbao export 文件夹或文件… --format xlsx -o 全部.xlsx";
const USAGE_CHECK: &str =
    "nianbao check 文件或文件夹… [--strict] [--suggest] [--summary 汇总.csv] [--findings 问题清单.xlsx|.csv]";
const USAGE_COMPARE: &str = "nianbao compare 较早年度的文件 较晚年度的文件 [--format json|csv] [-o 输出文件] [--strict]\n  nianbao compare 较早年度的文件夹 较晚年度的文件夹 --summary 对比汇总.xlsx|.csv";

/// Whether the first argument starts the command line rather than the window.
pub fn is_command(first: &OsStr) -> bool {
    match first.to_str() {
        Some(s) => matches!(s, "export" | "check" | "compare" | "help") || s.starts_with('-'),
        None => false,
    }
}

/// Run the command line (`args` without the program name) and give the exit code.
pub fn run<I, S>(args: I) -> ExitCode
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // A panic in the reader of one file is reported as that file's error (see `load`): keep its
    // message to one line instead of a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info.location().map(|l| format!("（{}:{}）", l.file(), l.line())).unwrap_or_default();
        eprintln!("nianbao: 内部错误：{msg}{at}");
    }));
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let tty = std::io::IsTerminal::is_terminal(&stdout);
    ExitCode::from(run_on(&args, &mut stdout.lock(), &mut stderr.lock(), tty))
}

/// [`run`] with its streams given (for tests); standard output is taken not to be a terminal.
pub fn run_with(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    run_on(args, out, err, false)
}

/// [`run_with`], saying whether `out` is a terminal (a workbook is not written to one).
pub fn run_on(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write, out_is_terminal: bool) -> u8 {
    match parse_args(args) {
        Ok(Command::Help) => {
            let _ = out.write_all(help().as_bytes());
            EXIT_OK
        }
        Ok(Command::Version) => {
            let _ = writeln!(out, "nianbao {}", env!("CARGO_PKG_VERSION"));
            EXIT_OK
        }
        Ok(Command::Export(o)) if o.format == Format::Xlsx => export_xlsx(&o, out, err, out_is_terminal),
        Ok(Command::Export(o)) => export(&o, out, err),
        Ok(Command::ExportWorkbook(o)) => export_workbook(&o, out, err),
        Ok(Command::Check(o)) => check(&o, out, err),
        Ok(Command::Compare(o)) => compare(&o, out, err),
        Ok(Command::ExportBatch(o)) => export_batch(&o, out, err),
        Err(e) => {
            let _ = writeln!(err, "nianbao: {}", e.message);
            let _ = writeln!(err, "用法：{}", e.usage);
            let _ = writeln!(err, "（nianbao --help 查看全部用法）");
            EXIT_UNREADABLE
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Help,
    Version,
    Export(ExportOptions),
    Check(CheckOptions),
    Compare(CompareOptions),
    ExportBatch(ExportBatchOptions),
    /// `nianbao export DIR… --format xlsx -o ALL.xlsx`: one workbook for every report.
    ExportWorkbook(ExportWorkbookOptions),
}

/// `nianbao export DIR_OR_FILES… --format xlsx -o ALL.xlsx`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportWorkbookOptions {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    pub strict: bool,
}

/// `nianbao export DIR_OR_FILES… --format F -o OUT_DIR [--combined OUT.csv]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportBatchOptions {
    pub inputs: Vec<PathBuf>,
    pub format: Format,
    pub out_dir: PathBuf,
    pub combined: Option<PathBuf>,
    pub strict: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// The report (`-` reads standard input).
    pub input: PathBuf,
    pub format: Format,
    /// `None`: standard output.
    pub output: Option<PathBuf>,
    pub strict: bool,
}

/// Options of `nianbao check`; room for `--suggest`, `--summary OUT.csv` and directories.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckOptions {
    /// Files and folders (folders are walked for `.txt`, `.ron`, `.pdf`, `.docx`, `.html`, `.htm`).
    pub inputs: Vec<PathBuf>,
    pub strict: bool,
    /// Print suggested corrections under each failing report.
    pub suggest: bool,
    /// Write a summary CSV (UTF-8 with BOM) of every report.
    pub summary: Option<PathBuf>,
    /// Write the 问题清单 of every report (`.xlsx`, or CSV UTF-8 with BOM otherwise).
    pub findings: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    pub earlier: PathBuf,
    pub later: PathBuf,
    pub format: Option<Format>,
    pub output: Option<PathBuf>,
    pub strict: bool,
    /// Two folders: the summary (`.xlsx`, else CSV) of the reports paired by organ.
    pub summary: Option<PathBuf>,
}

/// A wrong command line: what is wrong and the usage line of the subcommand.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageError {
    pub message: String,
    pub usage: &'static str,
}

/// The arguments of one subcommand, split into options and file names.
#[derive(Default)]
struct Args {
    files: Vec<PathBuf>,
    format: Option<String>,
    output: Option<PathBuf>,
    strict: bool,
    suggest: bool,
    summary: Option<PathBuf>,
    combined: Option<PathBuf>,
    findings: Option<PathBuf>,
}

/// Read the command line (without the program name).
pub fn parse_args(args: &[OsString]) -> Result<Command, UsageError> {
    let Some(first) = args.first() else {
        return Ok(Command::Help);
    };
    let rest = &args[1..];
    let usage = match first.to_str() {
        Some("help" | "--help" | "-h") => return Ok(Command::Help),
        Some("--version" | "-V") => return Ok(Command::Version),
        Some("export") => USAGE_EXPORT,
        Some("check") => USAGE_CHECK,
        Some("compare") => USAGE_COMPARE,
        _ => {
            let usage = "nianbao export|check|compare …";
            return Err(UsageError { message: format!("未知的命令：{}", first.to_string_lossy()), usage });
        }
    };
    let fail = |message: String| UsageError { message, usage };
    if rest.iter().any(|a| matches!(a.to_str(), Some("--help" | "-h"))) {
        return Ok(Command::Help);
    }
    let a = split(rest).map_err(fail)?;
    match first.to_str() {
        Some("export") => {
            if a.files.is_empty() {
                return Err(fail("缺少输入文件".into()));
            }
            let batch = a.files.len() > 1 || a.files[0].is_dir() || a.combined.is_some();
            let xlsx_named =
                a.format.is_none() && a.output.as_deref().and_then(Format::from_path) == Some(Format::Xlsx);
            let xlsx_asked = a.format.as_deref().map(parse_format).transpose().map_err(fail)? == Some(Format::Xlsx);
            if batch && (xlsx_named || xlsx_asked) {
                if a.combined.is_some() {
                    return Err(fail("--combined 只用于 CSV；xlsx 已把全部报告写进一个工作簿".into()));
                }
                let output =
                    a.output.ok_or_else(|| fail("导出为 xlsx 时需要 -o 工作簿文件名（例如 -o 全部.xlsx）".into()))?;
                return Ok(Command::ExportWorkbook(ExportWorkbookOptions {
                    inputs: a.files,
                    output,
                    strict: a.strict,
                }));
            }
            if batch {
                let format =
                    a.format.as_deref().map(parse_format).transpose().map_err(fail)?.ok_or_else(|| {
                        fail("导出文件夹或多个文件时需要 --format（json、csv、ron、txt 或 xlsx）".into())
                    })?;
                let out_dir = a.output.ok_or_else(|| fail("导出文件夹或多个文件时需要 -o 输出文件夹".into()))?;
                return Ok(Command::ExportBatch(ExportBatchOptions {
                    inputs: a.files,
                    format,
                    out_dir,
                    combined: a.combined,
                    strict: a.strict,
                }));
            }
            let input = a.files[0].clone();
            let format = match (&a.format, &a.output) {
                (Some(f), _) => parse_format(f).map_err(fail)?,
                (None, Some(out)) => Format::from_path(out).ok_or_else(|| {
                    fail("缺少 --format（json、csv、ron、txt 或 xlsx），输出文件的扩展名也不能确定格式".into())
                })?,
                (None, None) => return Err(fail("缺少 --format（json、csv、ron、txt 或 xlsx）".into())),
            };
            Ok(Command::Export(ExportOptions { input, format, output: a.output, strict: a.strict }))
        }
        Some("check") => {
            if a.files.is_empty() {
                return Err(fail("缺少输入文件".into()));
            }
            if a.format.is_some() || a.output.is_some() {
                return Err(fail("check 不写文件；导出请用 nianbao export".into()));
            }
            Ok(Command::Check(CheckOptions {
                inputs: a.files,
                strict: a.strict,
                suggest: a.suggest,
                summary: a.summary,
                findings: a.findings,
            }))
        }
        _ => {
            let [earlier, later] =
                <[PathBuf; 2]>::try_from(a.files).map_err(|_| fail("compare 需要两个输入文件".into()))?;
            let format = a.format.as_deref().map(parse_format).transpose().map_err(fail)?;
            if (earlier.is_dir() || later.is_dir()) && a.summary.is_none() {
                return Err(fail("比较两个文件夹时需要 --summary 对比汇总.xlsx（或 .csv）".into()));
            }
            Ok(Command::Compare(CompareOptions {
                earlier,
                later,
                format,
                output: a.output,
                strict: a.strict,
                summary: a.summary,
            }))
        }
    }
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_key(s).ok_or_else(|| format!("不支持的格式：{s}（可选 json、csv、ron、txt、xlsx）"))
}

/// Options (`--format X`, `--format=X`, `-o X`, `--output X`, `--output=X`, `--strict`) and file
/// names; `--` ends the options, `-` alone is a file name (standard input).
fn split(args: &[OsString]) -> Result<Args, String> {
    let mut a = Args::default();
    let mut it = args.iter();
    let mut only_files = false;
    while let Some(arg) = it.next() {
        let s = arg.to_str().unwrap_or("");
        if only_files || s == "-" || !s.starts_with('-') {
            a.files.push(PathBuf::from(arg));
            continue;
        }
        let (name, inline) = match s.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(OsString::from(v))),
            _ => (s, None),
        };
        let mut value = |what: &str| -> Result<OsString, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it.next().cloned().ok_or_else(|| format!("{name} 后面缺少{what}")),
            }
        };
        match name {
            "--" => only_files = true,
            "--strict" if inline.is_none() => a.strict = true,
            "--suggest" if inline.is_none() => a.suggest = true,
            "--summary" => a.summary = Some(PathBuf::from(value("汇总 CSV 文件")?)),
            "--combined" => a.combined = Some(PathBuf::from(value("合并 CSV 文件")?)),
            "--findings" => a.findings = Some(PathBuf::from(value("问题清单文件")?)),
            "--format" | "-f" => {
                let v = value("格式")?;
                if a.format.is_some() {
                    return Err("--format 只能给一次".into());
                }
                a.format = Some(v.to_string_lossy().into_owned());
            }
            "-o" | "--output" => {
                let v = value("输出文件")?;
                if a.output.is_some() {
                    return Err("-o 只能给一次".into());
                }
                if v.is_empty() {
                    return Err("输出文件名为空".into());
                }
                a.output = Some(PathBuf::from(v));
            }
            _ => return Err(format!("未知的选项：{s}")),
        }
    }
    Ok(a)
}

/// `nianbao --help`.
pub fn help() -> String {
    format!(
        "nianbao（年报审校）{version}：政府信息公开工作年度报告的表格解析、审校与导出

用法：
  nianbao [文件…]        打开审校窗口（不带文件时打开示例报告）
  {USAGE_EXPORT}
                         导出：一份报告不带 -o 时写到标准输出；文件夹或多个文件每份写一个文件到 -o 文件夹
  {USAGE_CHECK}
                         检查报告：每份一行摘要，未通过的检查各占一行（文件夹只列未通过的）
  {USAGE_COMPARE}
                         比较两个年度的报告（按年度排序；上年结转等跨年核对）
  nianbao --help | --version

输入：任何编码（UTF-8、UTF-16、GB18030）的报告文本、保存的审校文件（.ron）、
      Word 文档（.docx）、网页（.html/.htm）、有文字层的 PDF；按内容识别，不只看扩展名；
      “-” 表示从标准输入读取。旧版 .doc/.wps、.xls、.ofd 和扫描件 PDF 请先另存为 .docx 或 PDF。

选项：
  --format 格式      json（供程序使用）、csv（供表格软件使用，UTF-8 带 BOM）、
                     ron（审校文件，可重新打开）、txt（整理后的报告）、
                     xlsx（Excel 工作簿：按官方格式排好的表格，有问题的单元格标红并附说明，
                     另有“问题清单”表；须用 -o 指定文件，多个文件写成一个工作簿）；
                     省略时按 -o 的扩展名确定
  -o, --output 文件  写入该文件（先写临时文件再改名，不会留下半个文件）
  --strict           警告也算未通过
  --suggest          （check）在未通过的报告下列出建议的更正（“确定”只在唯一能解释全部错误时标出）
  --summary 文件     （check）把每份报告的结果写成汇总 CSV（UTF-8 带 BOM，可用 Excel/WPS 打开）
  --findings 文件    （check）问题清单：每份报告每项未通过的检查一行（机关、检查项、说明、涉及单元格、
                     数值、建议更正），.xlsx 写成 Excel 工作簿，其他扩展名写成 CSV（UTF-8 带 BOM）

退出码：
  0  通过：没有未通过的错误级检查（警告不影响，除非 --strict）
  1  有错误级检查未通过（--strict 时警告也算）；导出文件照常写出
  2  有文件无法读取或无法写入，或命令行有误
  多个文件时：有无法读取的为 2，否则有未通过的为 1，否则为 0
",
        version = env!("CARGO_PKG_VERSION")
    )
}

// ---------------------------------------------------------------------------------------------
// Exit codes

/// What became of one report; a batch takes the worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Passed,
    Failed,
    Unreadable,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Passed => EXIT_OK,
            Outcome::Failed => EXIT_FAILED,
            Outcome::Unreadable => EXIT_UNREADABLE,
        }
    }
}

/// Whether a failed check makes the report fail: errors always, warnings with `--strict`.
pub fn counts(check: &CheckResult, strict: bool) -> bool {
    !check.passed && (check.severity == Severity::Error || strict)
}

/// A read report's outcome.
pub fn outcome(checks: &[CheckResult], strict: bool) -> Outcome {
    if checks.iter().any(|c| counts(c, strict)) { Outcome::Failed } else { Outcome::Passed }
}

/// A batch's outcome: unreadable if any file was, else failed if any report failed, else passed.
pub fn batch(outcomes: impl IntoIterator<Item = Outcome>) -> Outcome {
    outcomes.into_iter().max().unwrap_or(Outcome::Passed)
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Open a report and run every check on it (`-`: standard input). A panic inside the reader
/// or the checks becomes a load error, so that one bad file does not end a batch.
pub fn load_and_check(path: &Path) -> Result<(Report, Vec<CheckResult>), LoadError> {
    if path.as_os_str() != "-" {
        return crate::batch::load_and_check(path);
    }
    let report = crate::open::path(path)?;
    let checks = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| crate::checks::run(&report)))
        .map_err(|_| LoadError::new("检查时发生内部错误（请把这份文件报告给开发者）"))?;
    Ok((report, checks))
}

// ---------------------------------------------------------------------------------------------
// export

/// The export of a report in `format`.
pub fn render(report: &Report, checks: &[CheckResult], format: Format) -> String {
    match format {
        Format::Json => json::with_suggestions(report, checks),
        Format::Csv => csv::to_csv(report, &report.source_name),
        Format::Ron => document::to_ron(report),
        Format::Txt => txt::to_txt(report),
        // Binary: `export_xlsx` and `export_workbook` write it; parse_args sends it nowhere else.
        Format::Xlsx => unreachable!("xlsx is written by export_xlsx"),
    }
}

/// The message for a workbook that would go to a terminal.
const XLSX_NOT_TO_TERMINAL: &str =
    "xlsx 是二进制文件，不能输出到终端；请用 -o 指定文件名（例如 -o 报告.xlsx），或把输出重定向到文件";

/// `nianbao export FILE --format xlsx [-o OUT.xlsx]`: the report's workbook.
pub fn export_xlsx(o: &ExportOptions, out: &mut dyn Write, err: &mut dyn Write, out_is_terminal: bool) -> u8 {
    if o.output.is_none() && out_is_terminal {
        let _ = writeln!(err, "nianbao: {XLSX_NOT_TO_TERMINAL}");
        return EXIT_UNREADABLE;
    }
    let (report, checks) = match load_and_check(&o.input) {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(err, "nianbao: {}: {}", o.input.display(), e);
            return EXIT_UNREADABLE;
        }
    };
    let bytes = match xlsx::report_workbook(&report, &checks) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(err, "nianbao: {}: {e}", o.input.display());
            return EXIT_UNREADABLE;
        }
    };
    if !write_bytes(o.output.as_deref(), &bytes, out, err) {
        return EXIT_UNREADABLE;
    }
    let result = outcome(&checks, o.strict);
    if result == Outcome::Failed {
        let _ = writeln!(err, "nianbao: {}: {}", o.input.display(), failure_counts(&checks, o.strict));
    }
    result.code()
}

/// `nianbao export DIR… --format xlsx -o ALL.xlsx`: one workbook, 汇总 and a sheet per report.
pub fn export_workbook(o: &ExportWorkbookOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if o.output.is_dir() {
        let _ = writeln!(
            err,
            "nianbao: {}: 是文件夹；xlsx 把全部报告写进一个工作簿，-o 请给文件名（例如 全部.xlsx）",
            o.output.display()
        );
        return EXIT_UNREADABLE;
    }
    let (files, errors) = crate::batch::collect_inputs(&o.inputs);
    type Loaded = (PathBuf, Result<(Report, Vec<CheckResult>), String>);
    let loaded: Vec<Loaded> =
        files.par_iter().map(|p| (p.clone(), load_and_check(p).map_err(|e| e.to_string()))).collect();
    let mut outcomes = Vec::new();
    let mut entries = Vec::new();
    for (p, e) in &errors {
        let _ = writeln!(out, "{}  无法读取：{e}", p.display());
        outcomes.push(Outcome::Unreadable);
        entries.push(xlsx::Entry { file: p.display().to_string(), read: Err(e.clone()), fails: false });
    }
    for (p, r) in &loaded {
        let file = p.display().to_string();
        match r {
            Ok((report, checks)) => {
                let result = outcome(checks, o.strict);
                if result == Outcome::Failed {
                    let _ = writeln!(out, "{file}  {}", failure_counts(checks, o.strict));
                }
                outcomes.push(result);
                entries.push(xlsx::Entry { file, read: Ok((report, checks)), fails: result == Outcome::Failed });
            }
            Err(e) => {
                let _ = writeln!(out, "{file}  无法读取：{e}");
                outcomes.push(Outcome::Unreadable);
                entries.push(xlsx::Entry { file, read: Err(e.clone()), fails: false });
            }
        }
    }
    let bytes = match xlsx::batch_workbook(&entries) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(err, "nianbao: {e}");
            return EXIT_UNREADABLE;
        }
    };
    if !write_bytes(Some(&o.output), &bytes, out, err) {
        return EXIT_UNREADABLE;
    }
    let n = |x| outcomes.iter().filter(|&&o| o == x).count();
    let _ = writeln!(
        out,
        "共 {} 个文件：通过 {}，未通过 {}，无法读取 {}；已写入 {}",
        outcomes.len(),
        n(Outcome::Passed),
        n(Outcome::Failed),
        n(Outcome::Unreadable),
        o.output.display()
    );
    batch(outcomes).code()
}

/// [`write_output`] for bytes.
fn write_bytes(output: Option<&Path>, bytes: &[u8], out: &mut dyn Write, err: &mut dyn Write) -> bool {
    let written = match output {
        Some(path) => document::write_atomic(path, bytes).map_err(|e| (path.display().to_string(), e)),
        None => out.write_all(bytes).and_then(|_| out.flush()).map_err(|e| ("标准输出".to_string(), e)),
    };
    match written {
        Err((what, e)) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(err, "nianbao: {what}: 无法写入：{}", document::io_reason(&e));
            false
        }
        _ => true,
    }
}

/// `nianbao export`.
/// Write `text` to `output` atomically, or to standard output; false (with the reason on `err`)
/// when it cannot be written. A closed pipe (`| head`) is no error.
fn write_output(output: Option<&Path>, text: &str, out: &mut dyn Write, err: &mut dyn Write) -> bool {
    let written = match output {
        Some(path) => document::write_atomic(path, text.as_bytes()).map_err(|e| (path.display().to_string(), e)),
        None => out.write_all(text.as_bytes()).and_then(|_| out.flush()).map_err(|e| ("标准输出".to_string(), e)),
    };
    match written {
        Err((what, e)) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(err, "nianbao: {what}: 无法写入：{}", document::io_reason(&e));
            false
        }
        _ => true,
    }
}

pub fn export(o: &ExportOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (report, checks) = match load_and_check(&o.input) {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(err, "nianbao: {}: {}", o.input.display(), e);
            return EXIT_UNREADABLE;
        }
    };
    let text = render(&report, &checks, o.format);
    if !write_output(o.output.as_deref(), &text, out, err) {
        return EXIT_UNREADABLE;
    }
    let result = outcome(&checks, o.strict);
    if result == Outcome::Failed {
        let _ = writeln!(err, "nianbao: {}: {}", o.input.display(), failure_counts(&checks, o.strict));
    }
    result.code()
}

/// `错误 2 项、警告 1 项未通过` (warnings only with `--strict`).
fn failure_counts(checks: &[CheckResult], strict: bool) -> String {
    let (e, w) = failed(checks);
    if strict && w > 0 {
        format!("错误 {e} 项、警告 {w} 项未通过")
    } else {
        format!("错误 {e} 项未通过")
    }
}

/// Failed errors and failed warnings.
fn failed(checks: &[CheckResult]) -> (usize, usize) {
    let n = |s| checks.iter().filter(|c| !c.passed && c.severity == s).count();
    (n(Severity::Error), n(Severity::Warning))
}

// ---------------------------------------------------------------------------------------------
// check

/// `nianbao check`: a summary per file, then over the batch the worst outcome.
pub fn check(o: &CheckOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (files, errors) = crate::batch::collect_inputs(&o.inputs);
    let mut outcomes = Vec::with_capacity(files.len() + errors.len());
    let mut rows = Vec::new();
    let mut all_findings: Vec<findings::ReportFindings> = Vec::new();
    for (path, reason) in &errors {
        let _ = writeln!(out, "{}  无法读取：{reason}", path.display());
        outcomes.push(Outcome::Unreadable);
        rows.push(crate::batch::Row::unreadable(path, reason.clone()));
    }
    // A folder may hold thousands of reports: then only the ones that fail are printed, with a
    // progress line on a terminal.
    let quiet = o.inputs.iter().any(|p| p.is_dir());
    let progress = crate::batch::Progress::new(files.len());
    // In parallel, in chunks, so that memory stays flat however many files there are.
    for chunk in files.chunks(256) {
        let results: Vec<_> = chunk
            .par_iter()
            .map(|p| {
                load_and_check(p).map(|(report, checks)| {
                    let name = p.display().to_string();
                    let mut text = summary(&name, &report, &checks, o.strict);
                    let suggestions = if o.suggest || o.findings.is_some() {
                        crate::suggest::suggest(&report, &checks)
                    } else {
                        Vec::new()
                    };
                    let found = o.findings.as_ref().map(|_| {
                        let list = findings::findings(&report, &checks, &suggestions);
                        findings::ReportFindings::of(name.clone(), &report, list)
                    });
                    if o.suggest {
                        for s in &suggestions {
                            let tag = if s.certain { "确定" } else { "待核" };
                            let _ = std::fmt::Write::write_fmt(
                                &mut text,
                                format_args!("  [建议·{tag} {:.2}] {}\n", s.confidence, s.reason),
                            );
                        }
                    }
                    let row = o.summary.as_ref().map(|_| crate::batch::Row::of(p, &report, &checks, o.strict));
                    (text, outcome(&checks, o.strict), row, found)
                })
            })
            .collect();
        for (path, result) in chunk.iter().zip(results) {
            match result {
                Ok((text, outcome, row, found)) => {
                    all_findings.extend(found);
                    progress.tick();
                    if !quiet || outcome != Outcome::Passed {
                        progress.above(|| out.write_all(text.as_bytes())).ok();
                    }
                    outcomes.push(outcome);
                    rows.extend(row);
                }
                Err(e) => {
                    progress.tick();
                    progress.above(|| writeln!(out, "{}  无法读取：{e}", path.display())).ok();
                    outcomes.push(Outcome::Unreadable);
                    rows.push(crate::batch::Row::unreadable(path, e.to_string()));
                }
            }
        }
    }
    progress.finish();
    if outcomes.len() > 1 || quiet {
        let n = |x| outcomes.iter().filter(|&&o| o == x).count();
        let _ = writeln!(
            out,
            "共 {} 个文件：通过 {}，未通过 {}，无法读取 {}",
            outcomes.len(),
            n(Outcome::Passed),
            n(Outcome::Failed),
            n(Outcome::Unreadable)
        );
    }
    if let Some(path) = &o.summary
        && let Err(e) = document::write_atomic(path, crate::batch::summary_csv(&rows).as_bytes())
    {
        let _ = writeln!(err, "nianbao: {}: 无法写入：{}", path.display(), document::io_reason(&e));
        return EXIT_UNREADABLE;
    }
    if let Some(path) = &o.findings {
        let bytes = if Format::from_path(path) == Some(Format::Xlsx) {
            match xlsx::findings_workbook(&all_findings) {
                Ok(b) => b,
                Err(e) => {
                    let _ = writeln!(err, "nianbao: {}: {e}", path.display());
                    return EXIT_UNREADABLE;
                }
            }
        } else {
            findings::batch_csv(&all_findings).into_bytes()
        };
        if !write_bytes(Some(path), &bytes, out, err) {
            return EXIT_UNREADABLE;
        }
    }
    batch(outcomes).code()
}

/// How many cell keys a failed check line names before `…`.
const CELLS_SHOWN: usize = 3;

/// One report's summary: a line with organ, year, template, encoding, counts and verdict, then
/// one indented line per failed check (errors first).
pub fn summary(name: &str, report: &Report, checks: &[CheckResult], strict: bool) -> String {
    let (errors, warnings) = failed(checks);
    let organ = report.organ.as_deref().unwrap_or("（机关未识别）");
    let year = report.year.map(|y| format!("{y}年")).unwrap_or_else(|| "（年份未识别）".into());
    let verdict = match outcome(checks, strict) {
        Outcome::Passed => "通过",
        _ => "未通过",
    };
    let edited = report.cells.iter().filter(|c| c.status == Status::Edited).count();
    let edited = if edited > 0 { format!("  人工修改{edited}处") } else { String::new() };
    let mut s = format!(
        "{name}  {organ}  {year}  模板{}  编码{}  错误{errors} 警告{warnings}{edited}  {verdict}\n",
        report.template.number(),
        report.encoding
    );
    let mut bad: Vec<&CheckResult> = checks.iter().filter(|c| !c.passed).collect();
    bad.sort_by_key(|c| c.severity);
    let layout = report.layout();
    for c in bad {
        let mut keys: Vec<String> =
            c.cells.iter().take(CELLS_SHOWN).filter_map(|&i| layout.cells.get(i)).map(|d| d.key()).collect();
        if c.cells.len() > CELLS_SHOWN {
            keys.push("…".into());
        }
        let cells = if keys.is_empty() { String::new() } else { format!("  ({})", keys.join(", ")) };
        s.push_str(&format!("  [{}] {} {}{}\n", c.severity.label(), c.id, c.message, cells));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// compare

/// `nianbao compare`: the aligned table and the cross-year checks of two reports.
/// `nianbao export DIR… --format F -o OUT_DIR`: one output per input, in parallel, plus the
/// combined long CSV with `--combined`.
pub fn export_batch(o: &ExportBatchOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (files, errors) = crate::batch::collect_inputs(&o.inputs);
    for (p, e) in &errors {
        let _ = writeln!(out, "{}  无法读取：{e}", p.display());
    }
    if let Err(e) = std::fs::create_dir_all(&o.out_dir) {
        let _ = writeln!(err, "nianbao: {}: 无法创建输出文件夹：{}", o.out_dir.display(), document::io_reason(&e));
        return EXIT_UNREADABLE;
    }
    let progress = crate::batch::Progress::new(files.len());
    let spec = crate::batch::ExportSpec {
        out_dir: &o.out_dir,
        ext: o.format.key(),
        strict: o.strict,
        combined: o.combined.as_deref(),
    };
    let (summary, combined) = crate::batch::export_all(
        &files,
        &spec,
        |r, c| render(r, c, o.format),
        |row| {
            progress.tick();
            if let Some(line) = row.line() {
                progress.above(|| {
                    let _ = writeln!(out, "{line}");
                });
            }
        },
    );
    progress.finish();
    let summary = crate::batch::with_errors(&errors, summary);
    let mut code = summary.exit_code();
    if let (Err(e), Some(p)) = (combined, &o.combined) {
        let _ = writeln!(err, "nianbao: {}: 无法写入：{}", p.display(), document::io_reason(&e));
        code = EXIT_UNREADABLE;
    }
    let _ = writeln!(out, "{}", summary.line());
    code
}

pub fn compare(o: &CompareOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if let Some(summary) = &o.summary {
        return compare_folders(o, summary, out, err);
    }
    let mut reports = Vec::with_capacity(2);
    for path in [&o.earlier, &o.later] {
        match crate::document::load_path(path) {
            Ok(r) => reports.push(r),
            Err(e) => {
                let _ = writeln!(err, "nianbao: {}: {}", path.display(), e);
                return EXIT_UNREADABLE;
            }
        }
    }
    let (a, b) = (&reports[0], &reports[1]);
    let c = crate::compare::compare(a, b);
    let text = match o.format.unwrap_or(Format::Json) {
        Format::Csv => crate::compare::to_csv(&c),
        Format::Json => crate::compare::to_json(&c, a, b),
        other => {
            let _ = writeln!(err, "nianbao: compare 只支持 --format json 或 csv（不支持 {}）", other.key());
            return EXIT_UNREADABLE;
        }
    };
    if !write_output(o.output.as_deref(), &text, out, err) {
        return EXIT_UNREADABLE;
    }
    let code = crate::compare::exit_code(&c, o.strict);
    if code != 0 {
        let (e, w) = c.failures();
        let _ = writeln!(err, "nianbao: 对比未通过：错误 {e} 项，警告 {w} 项");
    }
    code
}

/// `nianbao compare DIR_EARLIER DIR_LATER --summary OUT`: every report of each side read and
/// checked, paired by organ, one row per pair. Exit as for a batch: 2 if a file could not be
/// read, else 1 if a cross-year error or a report's error fails, else 0.
fn compare_folders(o: &CompareOptions, summary: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    use crate::compare::pairs;
    let mut outcomes = Vec::new();
    let mut sides: Vec<Vec<(String, Report)>> = Vec::new();
    for input in [&o.earlier, &o.later] {
        let (files, errors) = crate::batch::collect_inputs(std::slice::from_ref(input));
        for (p, e) in &errors {
            let _ = writeln!(out, "{}  无法读取：{e}", p.display());
            outcomes.push(Outcome::Unreadable);
        }
        let loaded: Vec<_> = files.par_iter().map(|p| (p, load_and_check(p))).collect();
        let mut side = Vec::new();
        for (p, r) in loaded {
            match r {
                Ok((report, checks)) => {
                    outcomes.push(outcome(&checks, o.strict));
                    side.push((p.display().to_string(), report));
                }
                Err(e) => {
                    let _ = writeln!(out, "{}  无法读取：{e}", p.display());
                    outcomes.push(Outcome::Unreadable);
                }
            }
        }
        sides.push(side);
    }
    let rows = pairs::rows(&sides[0], &sides[1]);
    // Cross-year errors count as a report's do.
    for (e, l) in pairs::pair(
        &sides[0].iter().map(|(_, r)| r).collect::<Vec<_>>(),
        &sides[1].iter().map(|(_, r)| r).collect::<Vec<_>>(),
    ) {
        if let (Some(e), Some(l)) = (e, l) {
            let c = crate::compare::compare(&sides[0][e].1, &sides[1][l].1);
            if c.cross_year().any(|x| x.counts(o.strict)) {
                outcomes.push(Outcome::Failed);
            }
        }
    }
    let bytes = if Format::from_path(summary) == Some(Format::Xlsx) {
        match xlsx::table_workbook("对比汇总", &pairs::header(), &rows) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(err, "nianbao: {}: {e}", summary.display());
                return EXIT_UNREADABLE;
            }
        }
    } else {
        pairs::to_csv(&rows).into_bytes()
    };
    if !write_bytes(Some(summary), &bytes, out, err) {
        return EXIT_UNREADABLE;
    }
    let paired = rows.iter().filter(|r| r[0] != pairs::Field::Empty && r[1] != pairs::Field::Empty).count();
    let _ = writeln!(
        out,
        "共 {} 行：配对 {paired}，未配对 {}；已写入 {}",
        rows.len(),
        rows.len() - paired,
        summary.display()
    );
    batch(outcomes).code()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_support::{idx, report};
    use crate::template::{Table, Template};

    fn args(s: &str) -> Vec<OsString> {
        s.split_whitespace().map(OsString::from).collect()
    }

    fn parse(s: &str) -> Result<Command, UsageError> {
        parse_args(&args(s))
    }

    fn check_result(id: &'static str, severity: Severity, passed: bool, cells: Vec<usize>) -> CheckResult {
        CheckResult {
            id,
            severity,
            passed,
            scope: vec![("row", "total".into())],
            cells,
            lhs: Some(24.0),
            rhs: Some(25.0),
            message: "（七）总计: 总计 24 ≠ 各类申请人之和 25".into(),
        }
    }

    #[test]
    fn parses_export() {
        let want =
            ExportOptions { input: "a.txt".into(), format: Format::Json, output: Some("o.json".into()), strict: false };
        assert_eq!(parse("export a.txt --format json -o o.json"), Ok(Command::Export(want.clone())));
        assert_eq!(parse("export --format=JSON --output=o.json a.txt"), Ok(Command::Export(want.clone())));
        assert_eq!(parse("export -o o.json a.txt"), Ok(Command::Export(want.clone())), "format from the extension");
        assert_eq!(
            parse("export a.txt --format csv --strict"),
            Ok(Command::Export(ExportOptions { format: Format::Csv, output: None, strict: true, ..want.clone() }))
        );
        assert_eq!(
            parse("export --format txt -- -odd.txt"),
            Ok(Command::Export(ExportOptions {
                input: "-odd.txt".into(),
                format: Format::Txt,
                output: None,
                strict: false
            }))
        );
        assert!(matches!(
            parse("export - --format ron"),
            Ok(Command::Export(ExportOptions { format: Format::Ron, .. }))
        ));
    }

    #[test]
    fn rejects_wrong_command_lines() {
        for bad in [
            "export",
            "export a.txt",
            "export a.txt --format xml",
            "export a.txt b.txt --format json",
            "export a.txt --format",
            "export a.txt -o",
            "export a.txt --format json --format csv",
            "export a.txt --frmat json",
            "export a.txt -o out.dat",
            "check",
            "check a.txt -o x.json",
            "compare a.txt",
            "frobnicate",
        ] {
            let e = parse(bad).expect_err(bad);
            assert!(!e.message.is_empty() && e.usage.starts_with("nianbao"), "{bad}: {e:?}");
        }
        let e = parse("export a.txt --format xml").unwrap_err();
        assert!(e.message.contains("xml") && e.usage == USAGE_EXPORT);
    }

    #[test]
    fn parses_a_folder_export() {
        match parse("export reports --format csv -o out --combined all.csv") {
            Ok(Command::ExportBatch(o)) => {
                assert_eq!(o.format, Format::Csv);
                assert_eq!(o.out_dir, PathBuf::from("out"));
                assert_eq!(o.combined, Some(PathBuf::from("all.csv")));
            }
            other => panic!("{other:?}"),
        }
        assert!(parse("export a.txt b.txt -o out").is_err(), "a batch needs --format");
        assert!(parse("export a.txt b.txt --format json").is_err(), "a batch needs -o");
    }

    #[test]
    fn parses_check_compare_help_and_version() {
        assert_eq!(
            parse("check a.txt --strict b.ron"),
            Ok(Command::Check(CheckOptions {
                inputs: vec!["a.txt".into(), "b.ron".into()],
                strict: true,
                suggest: false,
                summary: None,
                findings: None,
            }))
        );
        assert!(matches!(
            parse("compare a.txt b.txt --format json -o c.json"),
            Ok(Command::Compare(CompareOptions { format: Some(Format::Json), .. }))
        ));
        for h in ["", "--help", "-h", "help", "export --help", "check a.txt -h"] {
            assert_eq!(parse(h), Ok(Command::Help), "{h}");
        }
        assert_eq!(parse("--version"), Ok(Command::Version));
        assert!(help().contains("退出码") && help().contains("export") && help().contains("check"));
    }

    #[test]
    fn knows_which_arguments_are_commands() {
        for yes in ["export", "check", "compare", "help", "--help", "-h", "--version", "--bogus"] {
            assert!(is_command(OsStr::new(yes)), "{yes}");
        }
        for no in ["report.txt", "/tmp/a.ron", "exports"] {
            assert!(!is_command(OsStr::new(no)), "{no}");
        }
    }

    #[test]
    fn exit_codes_follow_the_schema() {
        let ok = check_result("applications.row_sum", Severity::Error, true, vec![]);
        let err = check_result("applications.row_sum", Severity::Error, false, vec![]);
        let warn = check_result("template.year", Severity::Warning, false, vec![]);
        assert_eq!(outcome(&[], false), Outcome::Passed);
        assert_eq!(outcome(&[ok.clone(), warn.clone()], false), Outcome::Passed);
        assert_eq!(outcome(&[ok.clone(), warn.clone()], true), Outcome::Failed);
        assert_eq!(outcome(&[ok, err], false), Outcome::Failed);
        assert_eq!(batch([Outcome::Passed, Outcome::Failed]).code(), 1);
        assert_eq!(batch([Outcome::Unreadable, Outcome::Failed, Outcome::Passed]).code(), 2);
        assert_eq!(batch([Outcome::Passed, Outcome::Passed]).code(), 0);
        assert_eq!(batch([]).code(), 0);
    }

    #[test]
    fn summary_names_the_failed_checks() {
        let r = report(Template::T2019, "");
        let cells: Vec<usize> = ["natural_person", "commercial", "research", "total"]
            .iter()
            .map(|c| idx(&r, Table::Applications, "total", c))
            .collect();
        let checks = vec![
            check_result("template.year", Severity::Warning, false, vec![]),
            check_result("applications.row_sum", Severity::Error, false, cells),
            check_result("review.row_sum", Severity::Error, true, vec![]),
        ];
        let s = summary("yuan-2020.txt", &r, &checks, false);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "yuan-2020.txt  某某区人民政府  2020年  模板2019  编码UTF-8  错误1 警告1  未通过");
        assert_eq!(
            lines[1],
            "  [错误] applications.row_sum （七）总计: 总计 24 ≠ 各类申请人之和 25  (applications/total/natural_person, applications/total/commercial, applications/total/research, …)"
        );
        assert!(lines[2].starts_with("  [警告] template.year "));
        assert_eq!(lines.len(), 3);
        let clean = summary("a.txt", &r, &checks[2..], false);
        assert_eq!(clean, "a.txt  某某区人民政府  2020年  模板2019  编码UTF-8  错误0 警告0  通过\n");
        assert!(summary("a.txt", &r, &checks[..1], false).lines().next().unwrap().ends_with("警告1  通过"));
        assert!(summary("a.txt", &r, &checks[..1], true).lines().next().unwrap().ends_with("警告1  未通过"));
    }

    #[test]
    fn unreadable_inputs_exit_2_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.txt");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let a = vec![OsString::from("export"), missing.clone().into(), "--format".into(), "json".into()];
        assert_eq!(run_with(&a, &mut out, &mut err), 2);
        let e = String::from_utf8(err).unwrap();
        assert!(e.starts_with(&format!("nianbao: {}: ", missing.display())) && e.lines().count() == 1, "{e}");
        assert!(out.is_empty());

        let (mut out, mut err) = (Vec::new(), Vec::new());
        let a = vec![OsString::from("check"), missing.clone().into(), dir.path().join("also-missing.txt").into()];
        assert_eq!(run_with(&a, &mut out, &mut err), 2);
        let o = String::from_utf8(out).unwrap();
        assert!(
            o.contains("nope.txt  无法读取") && o.contains("also-missing.txt  无法读取") && o.contains("无法读取 2"),
            "{o}"
        );
    }

    #[test]
    fn usage_errors_exit_2_with_a_usage_line() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(run_with(&args("export a.txt --format xml"), &mut out, &mut err), 2);
        let e = String::from_utf8(err).unwrap();
        assert!(e.contains("不支持的格式：xml") && e.contains(&format!("用法：{USAGE_EXPORT}")), "{e}");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(run_with(&args("--help"), &mut out, &mut err), 0);
        assert!(String::from_utf8(out).unwrap().contains("退出码"));
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
    }

    #[test]
    fn exports_a_fixture_in_every_format() {
        let dir = tempfile::tempdir().unwrap();
        for format in Format::ALL {
            let out_path = dir.path().join(format!("out.{}", format.key()));
            let a =
                vec![OsString::from("export"), fixture("yuan-2020.txt").into(), "-o".into(), out_path.clone().into()];
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let code = run_with(&a, &mut out, &mut err);
            assert_eq!(code, 0, "{format:?}: {}", String::from_utf8_lossy(&err));
            assert!(out.is_empty());
            let text = std::fs::read_to_string(&out_path).unwrap();
            match format {
                Format::Json => {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(v["cells"].as_array().unwrap().len(), Template::T2019.layout().cells.len());
                    assert!(v["checks"].as_array().unwrap().iter().all(|c| c["scope"].is_object()));
                }
                Format::Csv => {
                    assert!(text.starts_with("\u{feff}file,organ,year,template,table,row,col,label,value,status\r\n"))
                }
                Format::Ron => {
                    assert_eq!(crate::document::load_bytes(text.as_bytes(), "out.ron").unwrap().cells.len(), 198)
                }
                Format::Txt => assert!(text.contains("\n三、本年度办理结果（七）总计\t")),
                Format::Xlsx => unreachable!("not in Format::ALL"),
            }
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 4, "no temporary files left: {leftovers:?}");
    }

    #[test]
    fn check_prints_one_summary_line_per_report() {
        let a = vec![OsString::from("check"), fixture("yuan-2020.txt").into(), fixture("lieshan-2021.txt").into()];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_with(&a, &mut out, &mut err);
        let o = String::from_utf8(out).unwrap();
        assert_eq!(code, 0, "{o}");
        assert!(o.contains("yuan-2020.txt  ") && o.contains("2020年  模板2019  编码UTF-8  错误0 警告0  通过"), "{o}");
        assert!(o.ends_with("共 2 个文件：通过 2，未通过 0，无法读取 0\n"), "{o}");
    }
}
