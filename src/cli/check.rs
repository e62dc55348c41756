//! `nianbao check`: one summary per report (a folder prints only the reports that fail), the
//! totals line, and on request the summary CSV and the 问题清单. The reports are read and
//! checked by [`batch::check_each`], the one batch path; whether a report fails is
//! [`Outcome::of`].

use super::args::CheckOptions;
use super::output::write_sheet;
use super::progress::Progress;
use nianbao_core::batch::{self, EXIT_UNREADABLE, Outcome};
use nianbao_core::document;
use nianbao_core::export::{findings, xlsx};
use nianbao_core::model::{CheckResult, Report, Status};
use std::fmt::Write as _;
use std::io::Write;

/// `nianbao check`: a summary per file in input order, then over the batch the worst outcome.
pub(crate) fn check(o: &CheckOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let (files, errors) = batch::collect_inputs(&o.inputs);
    // A folder may hold thousands of reports: then only the ones that fail are printed, with a
    // progress line on a terminal. The summary CSV's rows are kept only when it is asked for.
    let quiet = o.inputs.iter().any(|p| p.is_dir());
    let mut rows = batch::error_rows(&errors);
    let mut counts = [0usize; 3];
    for row in &rows {
        let _ = writeln!(out, "{}  无法读取：{}", row.file.display(), row.error.as_deref().unwrap_or_default());
        counts[row.outcome() as usize] += 1;
    }
    let mut all_findings: Vec<findings::ReportFindings> = Vec::new();
    let progress = Progress::new(files.len());
    let want_suggestions = o.suggest || o.findings.is_some();
    batch::check_each_with(
        &files,
        o.strict,
        super::progress::ocr,
        |p, report, checks| {
            let name = p.display().to_string();
            // In a folder only the reports that fail are printed: no text for the others.
            let shown = !quiet || Outcome::of(checks, o.strict) != Outcome::Passed;
            let mut text = if shown { summary(&name, report, checks, o.strict) } else { String::new() };
            let suggestions =
                if want_suggestions { nianbao_core::suggest::suggest(report, checks) } else { Vec::new() };
            if o.suggest && shown {
                for s in &suggestions {
                    let tag = if s.certain { "确定" } else { "待核" };
                    text.push_str(&format!("  [建议·{tag} {:.2}] {}\n", s.confidence, s.reason));
                }
            }
            let found = o
                .findings
                .as_ref()
                .map(|_| findings::ReportFindings::of(name, report, findings::findings(report, checks, &suggestions)));
            (text, found)
        },
        |row, extra| {
            progress.tick();
            let outcome = row.outcome();
            counts[outcome as usize] += 1;
            match extra {
                Some((text, found)) => {
                    all_findings.extend(found);
                    // Empty for a report a folder run does not print (decided above, once).
                    if !text.is_empty() {
                        progress.above(|| out.write_all(text.as_bytes())).ok();
                    }
                }
                None => {
                    let reason = row.error.as_deref().unwrap_or_default();
                    progress.above(|| writeln!(out, "{}  无法读取：{reason}", row.file.display())).ok();
                }
            }
            if o.summary.is_some() {
                rows.push(row);
            }
        },
    );
    progress.finish();
    let total: usize = counts.iter().sum();
    if total > 1 || quiet {
        let [passed, failed, unreadable] = counts;
        let _ = writeln!(out, "共 {total} 个文件：通过 {passed}，未通过 {failed}，无法读取 {unreadable}");
    }
    if let Some(path) = &o.summary
        && let Err(e) = document::write_atomic(path, batch::summary_csv(&rows).as_bytes())
    {
        let _ = writeln!(err, "nianbao: {}: 无法写入：{}", path.display(), document::io_reason(&e));
        return EXIT_UNREADABLE;
    }
    if let Some(path) = &o.findings
        && !write_sheet(
            path,
            || xlsx::findings_workbook(&all_findings),
            || findings::batch_csv(&all_findings),
            out,
            err,
        )
    {
        return EXIT_UNREADABLE;
    }
    let worst = [Outcome::Passed, Outcome::Failed, Outcome::Unreadable].into_iter().filter(|&o| counts[o as usize] > 0);
    Outcome::worst(worst).code()
}

/// How many cell keys a failed check line names before `…`.
const CELLS_SHOWN: usize = 3;

/// One report's summary: a line with organ, year, template, encoding, counts and verdict, then
/// one indented line per failed check (errors first).
pub fn summary(name: &str, report: &Report, checks: &[CheckResult], strict: bool) -> String {
    let (errors, warnings) = nianbao_core::checks::count(checks);
    let organ = report.organ.as_deref().unwrap_or("（机关未识别）");
    let year = report.year.map(|y| format!("{y}年")).unwrap_or_else(|| "（年份未识别）".into());
    let verdict = match Outcome::of(checks, strict) {
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
    // Written into `s` as it goes: a String per key, per list and per line took a report's
    // summary as long as its checks.
    for c in bad {
        let _ = write!(s, "  [{}] {} {}", c.severity.label(), c.id, c.message);
        let shown = c.cells.iter().take(CELLS_SHOWN).filter_map(|&i| layout.cells.get(i));
        let more = c.cells.len() > CELLS_SHOWN;
        let mut n = 0;
        for d in shown {
            s.push_str(if n == 0 { "  (" } else { ", " });
            let _ = write!(s, "{}/{}/{}", d.table.key(), d.row, d.col);
            n += 1;
        }
        if more {
            s.push_str(if n == 0 { "  (…" } else { ", …" });
            n += 1;
        }
        s.push_str(if n > 0 { ")\n" } else { "\n" });
    }
    s
}
