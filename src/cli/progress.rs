//! Progress of a long run on standard error: the terminal's business, so it lives in the CLI and
//! never in the core (the desk shows its own).

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Progress on standard error: on a terminal one updating line `已检查 N/M` (redrawn at most
/// ten times a second); otherwise nothing. [`Progress::above`] prints
/// above it.
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

    pub(crate) fn with_terminal(total: usize, tty: bool) -> Progress {
        Progress { total, done: AtomicUsize::new(0), tty, last: Mutex::new(None) }
    }

    /// One more file done.
    pub(crate) fn tick(&self) {
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

/// The progress of reading a scan by OCR, as one updating line on standard error when it is a
/// terminal (`文字识别 NAME：done/total`, redrawn at most ten times a second, cleared at the
/// end); a control that shows nothing otherwise.
pub fn ocr(path: &std::path::Path) -> nianbao_core::open::ocr::Control {
    // Asked of the terminal once per run, not once per file.
    static TERMINAL: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*TERMINAL.get_or_init(|| std::io::stderr().is_terminal()) {
        return nianbao_core::open::ocr::Control::new();
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let last = Mutex::new(None::<Instant>);
    nianbao_core::open::ocr::Control::with_listener(move |done, total| {
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        if done < total && last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        let mut e = std::io::stderr().lock();
        if done >= total {
            let _ = write!(e, "\r\x1b[K");
        } else {
            let _ = write!(e, "\r\x1b[K文字识别 {name}：{done}/{total}");
        }
        let _ = e.flush();
    })
}
