//! `nianbao export`: one report in a text format or as a workbook, a folder into one file per
//! report (and the combined CSV), or a folder into one workbook. Every file is read through
//! [`nianbao_core::batch`].

use super::args::{ExportBatchOptions, ExportOptions, ExportWorkbookOptions};
use super::output::{failure_counts, write_bytes, write_output};
use super::progress::Progress;
use nianbao_core::batch::{self, EXIT_UNREADABLE, Outcome};
use nianbao_core::document;
use nianbao_core::export::{Format, csv, json, txt, xlsx};
use nianbao_core::model::{CheckResult, Report};
use std::io::Write;
use std::path::PathBuf;

/// The export of a report in `format`.
pub(crate) fn render(report: &Report, checks: &[CheckResult], format: Format) -> String {
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
pub(crate) fn export_xlsx(o: &ExportOptions, out: &mut dyn Write, err: &mut dyn Write, out_is_terminal: bool) -> u8 {
    if o.output.is_none() && out_is_terminal {
        let _ = writeln!(err, "nianbao: {XLSX_NOT_TO_TERMINAL}");
        return EXIT_UNREADABLE;
    }
    let (report, checks) = match batch::load_and_check_with(&o.input, &super::progress::ocr(&o.input)) {
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
    let result = Outcome::of(&checks, o.strict);
    if result == Outcome::Failed {
        let _ = writeln!(err, "nianbao: {}: {}", o.input.display(), failure_counts(&checks, o.strict));
    }
    result.code()
}

/// `nianbao export DIR… --format xlsx -o ALL.xlsx`: one workbook, 汇总 and a sheet per report.
pub(crate) fn export_workbook(o: &ExportWorkbookOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if o.output.is_dir() {
        let _ = writeln!(
            err,
            "nianbao: {}: 是文件夹；xlsx 把全部报告写进一个工作簿，-o 请给文件名（例如 全部.xlsx）",
            o.output.display()
        );
        return EXIT_UNREADABLE;
    }
    let (files, errors) = batch::collect_inputs(&o.inputs);
    type Loaded = (PathBuf, Result<(Report, Vec<CheckResult>), String>);
    let mut slots: Vec<Option<Loaded>> = (0..files.len()).map(|_| None).collect();
    batch::run_parallel(
        &files,
        |_, p| batch::load_and_check(p).map_err(|e| e.to_string()),
        |i, r| slots[i] = Some((files[i].clone(), r)),
    );
    let loaded: Vec<Loaded> = slots.into_iter().flatten().collect();
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
                let result = Outcome::of(checks, o.strict);
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
    Outcome::worst(outcomes).code()
}

/// `nianbao export FILE --format F [-o OUT]`: one report in one text format.
pub(crate) fn export(o: &ExportOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (report, checks) = match batch::load_and_check_with(&o.input, &super::progress::ocr(&o.input)) {
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
    let result = Outcome::of(&checks, o.strict);
    if result == Outcome::Failed {
        let _ = writeln!(err, "nianbao: {}: {}", o.input.display(), failure_counts(&checks, o.strict));
    }
    result.code()
}

/// `nianbao export DIR… --format F -o OUT_DIR`: one output per input, in parallel, plus the
/// combined long CSV with `--combined`.
pub(crate) fn export_batch(o: &ExportBatchOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (files, errors) = batch::collect_inputs(&o.inputs);
    for (p, e) in &errors {
        let _ = writeln!(out, "{}  无法读取：{e}", p.display());
    }
    if let Err(e) = std::fs::create_dir_all(&o.out_dir) {
        let _ = writeln!(err, "nianbao: {}: 无法创建输出文件夹：{}", o.out_dir.display(), document::io_reason(&e));
        return EXIT_UNREADABLE;
    }
    let progress = Progress::new(files.len());
    let spec = batch::ExportSpec {
        out_dir: &o.out_dir,
        ext: o.format.key(),
        strict: o.strict,
        combined: o.combined.as_deref(),
    };
    let (summary, combined) = batch::export_all(
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
    let summary = batch::with_errors(&errors, summary);
    let mut code = summary.exit_code();
    if let (Err(e), Some(p)) = (combined, &o.combined) {
        let _ = writeln!(err, "nianbao: {}: 无法写入：{}", p.display(), document::io_reason(&e));
        code = EXIT_UNREADABLE;
    }
    let _ = writeln!(out, "{}", summary.line());
    code
}
