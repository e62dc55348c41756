//! Reading one file and running many in parallel.
//!
//! [`load_and_check`] is the only way a batch reads a file: [`crate::open::path`] (the size cap,
//! the format, the panic guard; `-` is standard input), then the checks under their own guard.
//! [`run_parallel`] takes the files in a window of [`WINDOW`] that slides, so that however many
//! files there are, at most a window's results are held at once.

use super::{Row, Summary};
use crate::checks;
use crate::document::LoadError;
use crate::model::{CheckResult, Report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// How far ahead of the first file not yet handed on a file may start.
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

/// Run `work` over `files` on one thread per core; `done(index, result)` is called on the
/// calling thread as each completes (so it needs neither `Send` nor `Sync`), in completion order.
///
/// The threads live for the whole run and take files one by one, in a window that slides: file
/// `i` starts only once every file up to `i - WINDOW` has been handed to `done`, so that at most
/// [`WINDOW`] results wait however many files there are (a caller that puts them back in input
/// order holds no more). A window that closed and opened anew made every thread wait for the
/// slowest file of each window, and started threads again for the next.
///
/// The calling thread works too: between files of its own it hands on what the others have
/// finished, so that none of them ever waits for it to wake up (one wake-up per file was a tenth
/// of a folder check's time). A panic in `work` (on any thread) or in `done` stops the others
/// and reaches the caller, as from `std::thread::scope`.
pub fn run_parallel<T: Send>(
    files: &[PathBuf],
    work: impl Fn(usize, &Path) -> T + Sync,
    mut done: impl FnMut(usize, T),
) {
    if files.is_empty() {
        return;
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(files.len());
    let gate = Gate {
        next: AtomicUsize::new(0),
        limit: AtomicUsize::new(WINDOW),
        stop: AtomicBool::new(false),
        ..Gate::default()
    };
    let (gate, work) = (&gate, &work);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, T)>();
    std::thread::scope(|s| {
        for _ in 1..threads {
            let tx = tx.clone();
            s.spawn(move || {
                // Stops the others when `work` panics here: they would wait for this file forever.
                let _stop = StopOnPanic(gate);
                while let Some(i) = gate.take(files.len()) {
                    if tx.send((i, work(i, &files[i]))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // A panic here (in `work` or `done`) stops the others too: the scope waits for them, and
        // they would wait for the window to move.
        let _stop = StopOnPanic(gate);
        // The first file not yet handed on: files before it all are.
        let mut handed = vec![false; files.len()];
        let mut first = 0;
        let mut hand = |i: usize, t: T| {
            done(i, t);
            handed[i] = true;
            while first < handed.len() && handed[first] {
                first += 1;
            }
            first
        };
        loop {
            let i = gate.next.fetch_add(1, Ordering::Relaxed);
            if i >= files.len() || gate.stop.load(Ordering::Acquire) {
                break;
            }
            // Beyond the window: hand on what the others finish until it slides this far.
            while i >= gate.limit.load(Ordering::Acquire) {
                match rx.recv() {
                    Ok((j, t)) => gate.open_to(hand(j, t) + WINDOW),
                    Err(_) => break,
                }
            }
            let t = work(i, &files[i]);
            let mut upto = hand(i, t);
            for (j, t) in rx.try_iter() {
                upto = hand(j, t);
            }
            gate.open_to(upto + WINDOW);
        }
        for (j, t) in rx {
            gate.open_to(hand(j, t) + WINDOW);
        }
    });
}

/// What the threads of [`run_parallel`] share: the next file to take, the first file not yet
/// allowed to start, and a lock and condition to wait on until it is.
#[derive(Default)]
struct Gate {
    next: AtomicUsize,
    limit: AtomicUsize,
    stop: AtomicBool,
    /// How many threads wait for the window to move.
    lock: std::sync::Mutex<usize>,
    moved: std::sync::Condvar,
}

impl Gate {
    /// The next file for a thread other than the caller's, once the window allows it; `None`
    /// when none is left or a thread panicked.
    fn take(&self, n: usize) -> Option<usize> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        if i >= n {
            return None;
        }
        if i >= self.limit.load(Ordering::Acquire) {
            let mut g = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            while i >= self.limit.load(Ordering::Acquire) && !self.stop.load(Ordering::Acquire) {
                *g += 1;
                g = self.moved.wait(g).unwrap_or_else(|e| e.into_inner());
                *g -= 1;
            }
        }
        (!self.stop.load(Ordering::Acquire)).then_some(i)
    }

    /// Let files below `limit` start.
    fn open_to(&self, limit: usize) {
        if limit > self.limit.load(Ordering::Relaxed) {
            self.limit.store(limit, Ordering::Release);
            // Under the lock: a thread between its check and its wait cannot miss the news. Only
            // when one waits: a wake-up is a system call even when nobody sleeps.
            let waiting = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            if *waiting > 0 {
                self.moved.notify_all();
            }
        }
    }
}

/// Dropped while its thread panics: tells the other threads to stop.
struct StopOnPanic<'a>(&'a Gate);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop.store(true, Ordering::Release);
            let _g = self.0.lock.lock().unwrap_or_else(|e| e.into_inner());
            self.0.moved.notify_all();
        }
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
