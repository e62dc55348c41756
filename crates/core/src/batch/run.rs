//! Reading one file and running many in parallel.
//!
//! [`load_and_check`] is the only way a batch reads a file: [`crate::open::path`] (the size cap,
//! the format, the panic guard; `-` is standard input), then the checks under their own guard.
//! [`run_parallel`] takes the files in windows of [`WINDOW`], so that however many files there
//! are, at most a window's results are held at once.

use super::{Row, Summary};
use crate::checks;
use crate::document::LoadError;
use crate::model::{CheckResult, Report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Files handed to the pool at a time.
pub const WINDOW: usize = 128;

/// Read a file for a batch: refuses folders and files over [`super::MAX_BYTES`] without reading them.
pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    crate::open::read(path)
}

/// Open one file (`-`: standard input) and run every check on it; a panic anywhere inside
/// becomes a load error, so that one bad file does not end a batch or the desk.
pub fn load_and_check(path: &Path) -> Result<(Report, Vec<CheckResult>), LoadError> {
    load_and_check_with(path, &crate::open::ocr::Control::new())
}

/// [`load_and_check`] reporting the progress of OCR (a scanned file) to `control`, and stopping
/// when it is cancelled.
pub fn load_and_check_with(
    path: &Path,
    control: &crate::open::ocr::Control,
) -> Result<(Report, Vec<CheckResult>), LoadError> {
    let report = crate::open::path_with(path, control)?;
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

/// Run `work` over `files` on one thread per core, a window of [`WINDOW`] files at a time;
/// `done(index, result)` is called on the calling thread as each completes (so it needs neither
/// `Send` nor `Sync`): in completion order within a window, every window after the one before.
///
/// The calling thread works too: between files of its own it hands on what the others have
/// finished, so that none of them ever waits for it to wake up (one wake-up per file was a tenth
/// of a folder check's time).
pub fn run_parallel<T: Send>(
    files: &[PathBuf],
    work: impl Fn(usize, &Path) -> T + Sync,
    mut done: impl FnMut(usize, T),
) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let work = &work;
    for (w, window) in files.chunks(WINDOW).enumerate() {
        let base = w * WINDOW;
        let next = AtomicUsize::new(0);
        let next = &next;
        let take = move || {
            let i = next.fetch_add(1, Ordering::Relaxed);
            window.get(i).map(|p| (base + i, p))
        };
        let (tx, rx) = std::sync::mpsc::channel::<(usize, T)>();
        std::thread::scope(|s| {
            for _ in 1..threads.min(window.len()) {
                let tx = tx.clone();
                s.spawn(move || {
                    while let Some((i, p)) = take() {
                        if tx.send((i, work(i, p))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            while let Some((i, p)) = take() {
                let t = work(i, p);
                done(i, t);
                for (j, t) in rx.try_iter() {
                    done(j, t);
                }
            }
            for (j, t) in rx {
                done(j, t);
            }
        });
    }
}

/// Check every file in parallel; `extra(path, report, results)` runs on the worker beside the
/// checks (a summary text, findings: whatever the caller needs of the report before it is
/// dropped; `None` for a file that could not be read). `done(row, extra)` sees each file on the
/// calling thread **in input order**, as soon as it and every file before it are done.
pub fn check_each<T: Send>(
    files: &[PathBuf],
    strict: bool,
    extra: impl Fn(&Path, &Report, &[CheckResult]) -> T + Sync,
    done: impl FnMut(Row, Option<T>),
) {
    check_each_with(files, strict, |_| crate::open::ocr::Control::new(), extra, done)
}

/// [`check_each`] with each file's OCR progress reported to the control `control(path)` gives.
pub fn check_each_with<T: Send>(
    files: &[PathBuf],
    strict: bool,
    control: impl Fn(&Path) -> crate::open::ocr::Control + Sync,
    extra: impl Fn(&Path, &Report, &[CheckResult]) -> T + Sync,
    mut done: impl FnMut(Row, Option<T>),
) {
    let mut pending: BTreeMap<usize, (Row, Option<T>)> = BTreeMap::new();
    let mut next = 0;
    run_parallel(
        files,
        |_, p| match load_and_check_with(p, &control(p)) {
            Ok((report, results)) => {
                let t = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extra(p, &report, &results)));
                match t {
                    Ok(t) => (Row::of(p, &report, &results, strict), Some(t)),
                    Err(_) => (Row::unreadable(p, "输出时发生内部错误（请把这份文件报告给开发者）"), None),
                }
            }
            Err(e) => (Row::unreadable(p, e.0), None),
        },
        |i, r| {
            pending.insert(i, r);
            while let Some((row, t)) = pending.remove(&next) {
                done(row, t);
                next += 1;
            }
        },
    );
}

/// Check every file in parallel. `on_row` sees each row in input order (on the calling
/// thread); the summary holds the rows in input order.
pub fn check_all(files: &[PathBuf], strict: bool, mut on_row: impl FnMut(&Row)) -> Summary {
    let mut rows = Vec::with_capacity(files.len());
    check_each(
        files,
        strict,
        |_, _, _| (),
        |row, _| {
            on_row(&row);
            rows.push(row);
        },
    );
    Summary::from_rows(rows)
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
