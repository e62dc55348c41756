//! The command line's arguments: [`parse_args`] turns them into a [`Command`] or a
//! [`UsageError`] (the message and the subcommand's usage line); [`help`] is `--help`. Pure: no
//! file is read here (only `is_dir` decides between one file and a folder).

use nianbao_core::export::Format;
use std::ffi::OsString;
use std::path::PathBuf;

pub(crate) const USAGE_EXPORT: &str = "nianbao export 文件 --format json|csv|ron|txt|xlsx [-o 输出文件] [--strict]\n  nianbao export 文件夹或文件… --format 格式 -o 输出文件夹 [--combined 合并.csv]\n  nianbao export 文件夹或文件… --format xlsx -o 全部.xlsx";
pub(crate) const USAGE_CHECK: &str =
    "nianbao check 文件或文件夹… [--strict] [--suggest] [--summary 汇总.csv] [--findings 问题清单.xlsx|.csv]";
pub(crate) const USAGE_COMPARE: &str = "nianbao compare 较早年度的文件 较晚年度的文件 [--format json|csv] [-o 输出文件] [--strict]\n  nianbao compare 较早年度的文件夹 较晚年度的文件夹 --summary 对比汇总.xlsx|.csv";

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Help,
    /// `nianbao help checks`: every check with its severity and what it checks.
    HelpChecks,
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
    if first.to_str() == Some("help") && rest.first().and_then(|a| a.to_str()) == Some("checks") {
        return Ok(Command::HelpChecks);
    }
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
  nianbao help checks      列出全部检查项（编号、严重程度、说明）
  nianbao --help | --version

输入：任何编码（UTF-8、UTF-16、GB18030）的报告文本、保存的审校文件（.ron）、
      Word 文档（.docx）、网页（.html/.htm）、有文字层的 PDF；按内容识别，不只看扩展名；
      扫描件 PDF 和页面图片（.png/.jpg/.tif）按表格线逐格文字识别（需安装 tesseract-ocr
      tesseract-ocr-chi-sim）；“-” 表示从标准输入读取。旧版 .doc/.wps、.xls、.ofd 请先另存为 .docx 或 PDF。

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

/// `nianbao help checks`: one line per check of [`nianbao_core::checks::Rule`].
pub(crate) fn help_checks() -> String {
    use nianbao_core::checks::Rule;
    let mut s = String::from("检查项（编号  严重程度  说明；对比两个年度时另有跨年核对）：\n");
    for r in Rule::ALL {
        let scope = if r.cross_year() { "（跨年）" } else { "" };
        s.push_str(&format!("  {:<26} {}{scope}  {}\n", r.id(), r.severity().label(), r.description()));
    }
    s
}
