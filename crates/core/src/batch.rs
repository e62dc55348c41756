//! Whole folders at once (`nianbao check DIR...`, `nianbao export DIR ...`): collect the
//! inputs, check or export every report in parallel on all cores, and report one row per file.
//!
//! Memory stays flat: each worker reads one file, loads it, checks it, turns it into a small
//! [`Row`] (and, for exports, writes its output) and drops the report before taking the next.
//! Rows and combined-CSV records are handed to the calling thread, which sees them as they
//! complete and writes combined output in input order.
//!
//! One unreadable file (missing, vanished mid-run, binary, a damaged `.ron`, too large, or a
//! panic inside the reader) becomes a row with a one-line Chinese reason; the run goes on.

use crate::checks;
use crate::document::{self, LoadError};
use crate::model::{CheckResult, Report, Severity};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Exit codes of SCHEMA.md.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_UNREADABLE: u8 = 2;

/// Files larger than this are refused rather than read (a report's text is a few hundred KB).
pub const MAX_BYTES: u64 = crate::open::MAX_BYTES;

/// Extensions taken when walking a folder (files named explicitly are always taken).
/// Files a folder walk takes: reports' text and saved reviews, and the PDF/Word files a clerk
/// may have dropped in by mistake (each is then reported with its own message, not skipped).
pub const EXTENSIONS: [&str; 11] = ["txt", "ron", "pdf", "doc", "docx", "wps", "rtf", "html", "htm", "ofd", "xls"];

// ---------------------------------------------------------------------------------------------
// Inputs

/// The files named by `paths`: files as given, folders walked recursively for `.txt` and
/// `.ron` files (hidden files and folders skipped, symbolic links to folders not followed),
/// each folder's files sorted by path; duplicates dropped. Paths that cannot be read are
/// returned with a Chinese reason (they count as unreadable).
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                walk(p, &mut found, &mut errors);
                found.sort();
                files.extend(found);
            }
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push((p.clone(), document::io_reason(&e))),
        }
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.clone()));
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push((dir.to_path_buf(), format!("无法读取文件夹：{}", document::io_reason(&e))));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push((dir.to_path_buf(), format!("无法读取文件夹：{}", document::io_reason(&e))));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, files, errors);
        } else if is_input_name(&path) && (kind.is_file() || std::fs::metadata(&path).is_ok_and(|m| m.is_file())) {
            files.push(path);
        }
    }
}

/// Whether a file found in a folder is taken: `.txt` or `.ron`, any case.
pub fn is_input_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

// ---------------------------------------------------------------------------------------------
// Rows

/// One file of a batch: what the summary CSV and the per-failure lines show.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub file: PathBuf,
    pub organ: Option<String>,
    pub year: Option<i32>,
    /// 2019 or 2021; `None` when the file could not be read.
    pub template: Option<i32>,
    pub encoding: Option<String>,
    /// Failed error-severity and warning-severity check instances.
    pub errors: usize,
    pub warnings: usize,
    /// Ids of the failed checks, each once, errors first, in check order.
    pub failed_ids: Vec<String>,
    /// Why the file could not be read (or its output not written), in Chinese.
    pub error: Option<String>,
    /// Whether the report fails (errors; with `strict` also warnings).
    pub fails: bool,
}

impl Row {
    /// A row for a file that could not be read.
    pub fn unreadable(file: &Path, reason: impl Into<String>) -> Row {
        Row {
            file: file.to_path_buf(),
            organ: None,
            year: None,
            template: None,
            encoding: None,
            errors: 0,
            warnings: 0,
            failed_ids: Vec::new(),
            error: Some(reason.into()),
            fails: false,
        }
    }

    /// The row of a read and checked report.
    pub fn of(file: &Path, report: &Report, results: &[CheckResult], strict: bool) -> Row {
        let (errors, warnings) = checks::count(results);
        let mut failed_ids: Vec<String> = Vec::new();
        for sev in [Severity::Error, Severity::Warning] {
            for r in checks::failed(results).filter(|r| r.severity == sev) {
                if !failed_ids.iter().any(|id| id == r.id) {
                    failed_ids.push(r.id.to_string());
                }
            }
        }
        Row {
            file: file.to_path_buf(),
            organ: report.organ.clone(),
            year: report.year,
            template: Some(report.template.number()),
            encoding: Some(report.encoding.clone()),
            errors,
            warnings,
            failed_ids,
            error: None,
            fails: checks::fails(results, strict),
        }
    }

    pub fn exit_code(&self) -> u8 {
        if self.error.is_some() {
            EXIT_UNREADABLE
        } else if self.fails {
            EXIT_FAILED
        } else {
            EXIT_OK
        }
    }

    /// The one line printed for a file that fails or cannot be read (`None` when it passes):
    /// `a/b.txt  某某区人民政府  2020年  错误 2 警告 1  applications.row_sum;…` or
    /// `a/b.txt  无法读取：文件是空的`.
    pub fn line(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(format!("{}  无法读取：{e}", self.file.display()));
        }
        if !self.fails {
            return None;
        }
        let organ = self.organ.as_deref().unwrap_or("（机关未识别）");
        let year = self.year.map(|y| format!("{y}年")).unwrap_or_else(|| "（年份未识别）".into());
        Some(format!(
            "{}  {organ}  {year}  错误 {} 警告 {}  {}",
            self.file.display(),
            self.errors,
            self.warnings,
            self.failed_ids.join(";")
        ))
    }
}

/// A batch's rows (in input order) and counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub rows: Vec<Row>,
    pub passed: usize,
    pub failed: usize,
    pub unreadable: usize,
}

impl Summary {
    pub fn from_rows(rows: Vec<Row>) -> Summary {
        let n = |c| rows.iter().filter(|r| r.exit_code() == c).count();
        Summary { passed: n(EXIT_OK), failed: n(EXIT_FAILED), unreadable: n(EXIT_UNREADABLE), rows }
    }

    /// SCHEMA.md over a batch: 2 if any file could not be read, else 1 if any report fails, else 0.
    pub fn exit_code(&self) -> u8 {
        self.rows.iter().map(Row::exit_code).max().unwrap_or(EXIT_OK)
    }

    /// `共 12 个文件：通过 9，未通过 2，无法读取 1`.
    pub fn line(&self) -> String {
        format!(
            "共 {} 个文件：通过 {}，未通过 {}，无法读取 {}",
            self.rows.len(),
            self.passed,
            self.failed,
            self.unreadable
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Reading one file

/// Read a file for a batch: refuses folders and files over [`MAX_BYTES`] without reading them.
pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    crate::open::read(path)
}

/// Read, load and check one file; a panic anywhere inside becomes a load error.
pub fn load_and_check(path: &Path) -> Result<(Report, Vec<CheckResult>), LoadError> {
    let bytes = read_file(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let report = crate::open::bytes(&bytes, &name)?;
    drop(bytes);
    let results = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| checks::run(&report)))
        .map_err(|_| LoadError::new("检查时发生内部错误（请把这份文件报告给开发者）"))?;
    Ok((report, results))
}

/// Check one file into its row.
pub fn check_one(path: &Path, strict: bool) -> Row {
    match load_and_check(path) {
        Ok((report, results)) => Row::of(path, &report, &results, strict),
        Err(e) => Row::unreadable(path, e.0),
    }
}

// ---------------------------------------------------------------------------------------------
// Running in parallel

/// Run `work` over `files` on rayon's pool; `done(index, result)` is called on the calling
/// thread as each completes (so it needs neither `Send` nor `Sync`).
pub fn run_parallel<T: Send>(
    files: &[PathBuf],
    work: impl Fn(usize, &Path) -> T + Sync,
    mut done: impl FnMut(usize, T),
) {
    let (tx, rx) = std::sync::mpsc::channel::<(usize, T)>();
    std::thread::scope(|s| {
        let work = &work;
        s.spawn(move || {
            files.par_iter().enumerate().for_each_with(tx, |tx, (i, p)| {
                let _ = tx.send((i, work(i, p)));
            });
        });
        for (i, t) in rx {
            done(i, t);
        }
    });
}

/// Check every file in parallel. `on_row` sees each row as it completes (on the calling
/// thread, in completion order); the summary holds the rows in input order.
pub fn check_all(files: &[PathBuf], strict: bool, mut on_row: impl FnMut(&Row)) -> Summary {
    let mut rows: Vec<Option<Row>> = vec![None; files.len()];
    run_parallel(
        files,
        |_, p| check_one(p, strict),
        |i, row| {
            on_row(&row);
            rows[i] = Some(row);
        },
    );
    Summary::from_rows(rows.into_iter().flatten().collect())
}

/// The rows of paths `collect_inputs` could not read, to put before the checked ones.
pub fn error_rows(errors: &[(PathBuf, String)]) -> Vec<Row> {
    errors.iter().map(|(p, e)| Row::unreadable(p, e.clone())).collect()
}

/// Merge the rows of unreadable arguments into a summary.
pub fn with_errors(errors: &[(PathBuf, String)], summary: Summary) -> Summary {
    let mut rows = error_rows(errors);
    rows.extend(summary.rows);
    Summary::from_rows(rows)
}

// ---------------------------------------------------------------------------------------------
// Summary CSV

pub const SUMMARY_HEADER: [&str; 9] =
    ["file", "organ", "year", "template", "encoding", "errors", "warnings", "failed_checks", "error"];

/// The summary CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting, one line per file; failed check
/// ids joined by `;`.
pub fn summary_csv(rows: &[Row]) -> String {
    let mut out = String::from("\u{feff}");
    record(&mut out, SUMMARY_HEADER.iter().map(|s| s.to_string()));
    for r in rows {
        let opt = |x: Option<String>| x.unwrap_or_default();
        let read = r.error.is_none();
        record(
            &mut out,
            [
                r.file.display().to_string(),
                opt(r.organ.clone()),
                opt(r.year.map(|y| y.to_string())),
                opt(r.template.map(|t| t.to_string())),
                opt(r.encoding.clone()),
                if read { r.errors.to_string() } else { String::new() },
                if read { r.warnings.to_string() } else { String::new() },
                r.failed_ids.join(";"),
                opt(r.error.clone()),
            ],
        );
    }
    out
}

fn record(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        crate::export::csv::push_field(out, &f);
    }
    out.push_str("\r\n");
}

// ---------------------------------------------------------------------------------------------
// Export

/// Where each input's export goes: its path relative to the inputs' deepest common folder,
/// under `out_dir`, with extension `ext` (`a/x/1.txt`, `a/y/1.txt` → `OUT/x/1.json`, `OUT/y/1.json`).
pub fn output_paths(files: &[PathBuf], out_dir: &Path, ext: &str) -> Vec<PathBuf> {
    let parents: Vec<PathBuf> = files.iter().map(|f| f.parent().map(Path::to_path_buf).unwrap_or_default()).collect();
    let mut common: Option<PathBuf> = None;
    for p in &parents {
        common = Some(match common {
            None => p.clone(),
            Some(c) => c.components().zip(p.components()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect(),
        });
    }
    let common = common.unwrap_or_default();
    files
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(&common)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| f.file_name().map(PathBuf::from).unwrap_or_default());
            out_dir.join(rel).with_extension(ext)
        })
        .collect()
}

/// Options of a batch export.
pub struct ExportSpec<'a> {
    pub out_dir: &'a Path,
    /// Extension of each output, e.g. `json`.
    pub ext: &'a str,
    pub strict: bool,
    /// A combined long CSV of every cell of every report (SCHEMA.md CSV), written as the
    /// reports complete, in input order, atomically (temporary file, then rename).
    pub combined: Option<&'a Path>,
}

/// Export every file in parallel: one output per input (written atomically), and optionally
/// the combined CSV. `format` renders one report. A file whose output cannot be written is
/// unreadable (exit 2) with the reason in its row. Writing the combined CSV can fail as a whole
/// (the `Err`); the exports are written nonetheless.
pub fn export_all(
    files: &[PathBuf],
    spec: &ExportSpec,
    format: impl Fn(&Report, &[CheckResult]) -> String + Sync,
    mut on_row: impl FnMut(&Row),
) -> (Summary, std::io::Result<()>) {
    let outputs = output_paths(files, spec.out_dir, spec.ext);
    let want_combined = spec.combined.is_some();
    let work = |i: usize| -> (Row, Option<String>) {
        let path = &files[i];
        let (report, results) = match load_and_check(path) {
            Ok(x) => x,
            Err(e) => return (Row::unreadable(path, e.0), None),
        };
        let mut row = Row::of(path, &report, &results, spec.strict);
        let out = &outputs[i];
        let same = std::fs::canonicalize(path).ok().zip(std::fs::canonicalize(out).ok()).is_some_and(|(a, b)| a == b);
        let written = if same {
            Err("输出文件与输入文件相同，未写入（请换一个输出文件夹）".to_string())
        } else {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| format(&report, &results)))
                .map_err(|_| "导出时发生内部错误（请把这份文件报告给开发者）".to_string())
                .and_then(|text| {
                    out.parent()
                        .map_or(Ok(()), std::fs::create_dir_all)
                        .and_then(|_| document::write_atomic(out, text.as_bytes()))
                        .map_err(|e| format!("无法写入 {}：{}", out.display(), document::io_reason(&e)))
                })
        };
        if let Err(e) = written {
            row.error = Some(e);
        }
        let csv = want_combined.then(|| {
            let mut s = String::new();
            crate::export::csv::write_rows(&mut s, &report, &path.display().to_string());
            s
        });
        (row, csv)
    };

    // The combined CSV: temporary file beside the target, renamed when complete.
    let mut combined = match spec.combined {
        Some(target) => match CombinedCsv::create(target) {
            Ok(c) => Some(c),
            Err(e) => return (Summary::default(), Err(e)),
        },
        None => None,
    };
    let mut combined_err: Option<std::io::Error> = None;
    let mut rows: Vec<Option<Row>> = vec![None; files.len()];
    // Records wait here until every earlier file's have been written.
    let mut pending: BTreeMap<usize, Option<String>> = BTreeMap::new();
    let mut next = 0usize;
    run_parallel(
        files,
        |i, _| work(i),
        |i, (row, csv)| {
            on_row(&row);
            rows[i] = Some(row);
            if let Some(c) = combined.as_mut() {
                pending.insert(i, csv);
                while let Some(csv) = pending.remove(&next) {
                    if let (Some(s), None) = (csv, &combined_err)
                        && let Err(e) = c.out.write_all(s.as_bytes())
                    {
                        combined_err = Some(e);
                    }
                    next += 1;
                }
            }
        },
    );
    let result = match (combined, combined_err) {
        (Some(c), None) => c.finish(),
        (Some(c), Some(e)) => {
            c.abandon();
            Err(e)
        }
        (None, _) => Ok(()),
    };
    (Summary::from_rows(rows.into_iter().flatten().collect()), result)
}

/// A combined CSV being written.
struct CombinedCsv {
    target: PathBuf,
    tmp: PathBuf,
    out: std::io::BufWriter<std::fs::File>,
}

impl CombinedCsv {
    fn create(target: &Path) -> std::io::Result<CombinedCsv> {
        let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&tmp)?);
        let mut head = String::from(crate::export::csv::BOM);
        crate::export::csv::write_header(&mut head);
        if let Err(e) = out.write_all(head.as_bytes()) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        Ok(CombinedCsv { target: target.to_path_buf(), tmp, out })
    }

    fn finish(self) -> std::io::Result<()> {
        let r = self
            .out
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .and_then(|_| std::fs::rename(&self.tmp, &self.target));
        if r.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        r
    }

    fn abandon(self) {
        let tmp = self.tmp.clone();
        drop(self);
        let _ = std::fs::remove_file(tmp);
    }
}

// ---------------------------------------------------------------------------------------------
// Progress

/// Progress on standard error: on a terminal one updating line `已检查 N/M` (redrawn at most
/// ten times a second); otherwise nothing. Lines printed through [`Progress::println`] go to
/// standard output above it.
pub struct Progress {
    total: usize,
    done: AtomicUsize,
    tty: bool,
    last: Mutex<Option<Instant>>,
}

impl Progress {
    /// Shown only when standard error is a terminal.
    pub fn new(total: usize) -> Progress {
        Progress::with_terminal(total, std::io::stderr().is_terminal())
    }

    pub fn with_terminal(total: usize, tty: bool) -> Progress {
        Progress { total, done: AtomicUsize::new(0), tty, last: Mutex::new(None) }
    }

    pub fn is_shown(&self) -> bool {
        self.tty
    }

    /// One more file done.
    pub fn tick(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if !self.tty {
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let due = last.is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if due || n == self.total {
            *last = Some(Instant::now());
            self.draw(n);
        }
    }

    fn draw(&self, n: usize) {
        let mut e = std::io::stderr().lock();
        let _ = write!(e, "\r\x1b[K已检查 {n}/{}", self.total);
        let _ = e.flush();
    }

    /// Print a line to standard output, above the progress line.
    pub fn println(&self, line: &str) {
        self.above(|| {
            let mut o = std::io::stdout().lock();
            let _ = writeln!(o, "{line}");
            let _ = o.flush();
        })
    }

    /// Clear the progress line, run `f` (which prints to a writer of the caller's, e.g. the
    /// CLI's `out`), then redraw the progress line.
    pub fn above<T>(&self, f: impl FnOnce() -> T) -> T {
        if self.tty {
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\r\x1b[K");
            let _ = e.flush();
        }
        let t = f();
        if self.tty {
            self.draw(self.done.load(Ordering::Relaxed));
        }
        t
    }

    /// Clear the progress line.
    pub fn finish(&self) {
        if self.tty {
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\r\x1b[K");
            let _ = e.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../../../tests/fixtures/lieshan-2020.txt");

    #[test]
    fn csv_quotes_and_bom() {
        let mut r = Row::unreadable(Path::new("a,\"b\".txt"), "文件是空的");
        r.organ = Some("某区\n政府".into());
        let s = summary_csv(&[r]);
        assert!(s.starts_with("\u{feff}file,organ,year,template,encoding,errors,warnings,failed_checks,error\r\n"));
        assert!(s.contains("\"a,\"\"b\"\".txt\",\"某区\n政府\",,,,,,,文件是空的\r\n"), "{s}");
    }

    #[test]
    fn exit_codes_over_a_batch() {
        let ok = Row { fails: false, ..Row::unreadable(Path::new("a"), "") };
        let ok = Row { error: None, ..ok };
        let failed = Row { fails: true, ..ok.clone() };
        let bad = Row::unreadable(Path::new("b"), "x");
        assert_eq!(Summary::from_rows(vec![]).exit_code(), 0);
        assert_eq!(Summary::from_rows(vec![ok.clone()]).exit_code(), 0);
        assert_eq!(Summary::from_rows(vec![ok.clone(), failed.clone()]).exit_code(), 1);
        let s = Summary::from_rows(vec![bad, failed, ok]);
        assert_eq!((s.exit_code(), s.passed, s.failed, s.unreadable), (2, 1, 1, 1));
    }

    #[test]
    fn checks_a_folder_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.txt"), SAMPLE).unwrap();
        std::fs::write(dir.path().join("sub/a.TXT"), SAMPLE).unwrap();
        std::fs::write(dir.path().join("empty.txt"), "").unwrap();
        std::fs::write(dir.path().join("skip.md"), SAMPLE).unwrap();
        std::fs::write(dir.path().join(".hidden.txt"), SAMPLE).unwrap();
        let (files, errors) = collect_inputs(&[dir.path().to_path_buf(), dir.path().join("nope")]);
        let names: Vec<_> =
            files.iter().map(|f| f.strip_prefix(dir.path()).unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["b.txt", "empty.txt", "sub/a.TXT"]);
        assert_eq!(errors.len(), 1);
        let mut seen = 0;
        let s = check_all(&files, false, |_| seen += 1);
        assert_eq!(seen, 3);
        assert_eq!(s.rows.iter().map(|r| r.file.clone()).collect::<Vec<_>>(), files);
        assert_eq!(s.rows[1].error.as_deref(), Some("文件是空的"));
        assert_eq!(s.exit_code(), 2);
        assert_eq!(with_errors(&errors, s).rows.len(), 4);
    }

    #[test]
    fn output_paths_mirror_the_folders() {
        let f = [PathBuf::from("in/x/1.txt"), PathBuf::from("in/y/1.txt")];
        assert_eq!(
            output_paths(&f, Path::new("out"), "json"),
            [PathBuf::from("out/x/1.json"), PathBuf::from("out/y/1.json")]
        );
        let f = [PathBuf::from("in/x/1.txt")];
        assert_eq!(output_paths(&f, Path::new("out"), "csv"), [PathBuf::from("out/1.csv")]);
    }
}
