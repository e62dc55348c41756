//! Work off the UI thread: reading and parsing files, native file dialogs, saving and
//! exporting, and the recovery file an edited review is written to every few seconds.

use crate::document::{self, LoadError};
use crate::model::Report;
use crate::open::ocr::Control;
use eframe::egui;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// The sample report opened when the program starts without a file.
pub const SAMPLE: &[u8] = include_bytes!("../../assets/sample-lieshan-2021.txt");
pub const SAMPLE_NAME: &str = "sample-lieshan-2021.txt";

/// How the app is set up (tests point the recovery file at a temporary folder).
#[derive(Clone, Debug)]
pub struct Options {
    /// Folder of the recovery file; `None` turns recovery off.
    pub recovery_dir: Option<PathBuf>,
    /// How often an edited review is written to the recovery file.
    pub recovery_interval: Duration,
    /// Whether native file dialogs may be opened (off in tests).
    pub dialogs: bool,
    /// Where a report pasted from the clipboard is saved when no dialog can be shown; `None`:
    /// the user's documents folder.
    pub documents_dir: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            recovery_dir: default_recovery_dir(),
            recovery_interval: Duration::from_secs(3),
            dialogs: true,
            documents_dir: None,
        }
    }
}

impl Options {
    /// No dialogs; recovery in `dir`, written at every change.
    pub fn headless(recovery_dir: Option<PathBuf>) -> Options {
        Options { recovery_dir, recovery_interval: Duration::ZERO, dialogs: false, documents_dir: None }
    }
}

/// `$NIANBAO_RECOVERY_DIR`, else the system's place for application data: `%APPDATA%\nianbao`
/// on Windows, `~/Library/Application Support/nianbao` on macOS, `$XDG_DATA_HOME/nianbao` or
/// `~/.local/share/nianbao` elsewhere.
pub fn default_recovery_dir() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = var("NIANBAO_RECOVERY_DIR") {
        return Some(d);
    }
    let base = if cfg!(windows) {
        var("APPDATA").or_else(|| var("USERPROFILE").map(|h| h.join("AppData").join("Roaming")))?
    } else if cfg!(target_os = "macos") {
        var("HOME")?.join("Library").join("Application Support")
    } else {
        var("XDG_DATA_HOME").or_else(|| var("HOME").map(|h| h.join(".local").join("share")))?
    };
    Some(base.join("nianbao"))
}

/// The name a report pasted from the clipboard goes by (its `source_name`).
pub const CLIPBOARD_NAME: &str = "剪贴板";

/// The user's documents folder: `$XDG_DOCUMENTS_DIR` (also from `~/.config/user-dirs.dirs`),
/// else `~/Documents` or `~/文档` where it exists (`%USERPROFILE%\Documents` on Windows),
/// else the home folder.
pub fn documents_dir() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let home = var("HOME").or_else(|| var("USERPROFILE"))?;
    if let Some(d) = var("XDG_DOCUMENTS_DIR") {
        return Some(d);
    }
    let dirs = std::fs::read_to_string(home.join(".config/user-dirs.dirs")).unwrap_or_default();
    for line in dirs.lines() {
        if let Some(v) = line.strip_prefix("XDG_DOCUMENTS_DIR=") {
            let v = v.trim().trim_matches('"').replace("$HOME", &home.display().to_string());
            if Path::new(&v).is_dir() {
                return Some(PathBuf::from(v));
            }
        }
    }
    ["Documents", "文档"].iter().map(|d| home.join(d)).find(|d| d.is_dir()).or(Some(home))
}

/// `剪贴板-YYYYMMDD-HHMM` for now, in local time where the system's `date` can tell it
/// (else UTC).
pub(crate) fn clipboard_stem() -> String {
    let local = std::process::Command::new("date")
        .arg("+%Y%m%d-%H%M")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| s.len() == 13 && s.chars().all(|c| c.is_ascii_digit() || c == '-'));
    let stamp = local.unwrap_or_else(|| {
        let secs = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs()) as i64;
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        format!("{y:04}{m:02}{d:02}-{:02}{:02}", rem / 3600, rem % 3600 / 60)
    });
    format!("{CLIPBOARD_NAME}-{stamp}")
}

/// What to read.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    File(PathBuf),
    Sample,
    /// Text pasted from the clipboard.
    Pasted(String),
    /// The recovery file, the file its review was read from and where it was saved.
    Recovery {
        file: PathBuf,
        source_path: Option<PathBuf>,
        save_path: Option<PathBuf>,
    },
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::File(p) => file_name(p),
            Source::Sample => SAMPLE_NAME.to_string(),
            Source::Pasted(_) => CLIPBOARD_NAME.to_string(),
            Source::Recovery { .. } => "恢复文件".to_string(),
        }
    }
}

/// What a native file dialog was opened for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    Open,
    /// A second report to compare with the one open.
    Compare,
    SaveAs,
    /// Save under another name than `NAME.ron`, which is another review's.
    SaveAsNew,
    ExportCsv,
    ExportJson,
    /// A folder of reports to open.
    Folder,
    /// The folder's 问题清单 and workbook.
    ExportFindings,
    ExportFolderWorkbook,
}

pub enum Event {
    /// `seq`: the number [`Worker::load`] returned (only the latest load counts).
    Loaded { seq: u64, source: Source, result: Result<Box<Opened>, LoadError> },
    /// `unavailable`: the dialog could not be shown at all (no portal), rather than cancelled.
    Picked { pick: Pick, path: Option<PathBuf>, unavailable: bool },
    /// `seq`: the number [`Worker::write`] returned; the error is the reason in Chinese.
    Written { seq: u64, result: Result<(), String> },
}

/// A report read, with the 待核对 entries its `.ron` marks 已核对.
pub struct Opened {
    pub report: Report,
    pub reviewed: Vec<String>,
}

/// Read a file through `nianbao_core::open` (size cap, format by content, panic guard): a
/// saved review with what it keeps beside the report, anything else as a report.
pub(crate) fn open_path(p: &Path) -> Result<Opened, LoadError> {
    open_path_with(p, &Control::new())
}

/// [`open_path`], a scan's OCR reporting its progress to `control` and stopping when cancelled.
pub(crate) fn open_path_with(p: &Path, control: &Control) -> Result<Opened, LoadError> {
    let name = file_name(p);
    let bytes = crate::open::read(p)?;
    if document::looks_like_ron(&bytes[..bytes.len().min(200)], &name) {
        let doc = document::read_review(&bytes)?;
        return Ok(Opened { report: doc.report, reviewed: doc.reviewed });
    }
    Ok(Opened { report: crate::open::bytes_with(&bytes, &name, control)?, reviewed: Vec::new() })
}

/// Whether reading `source` may need OCR (a picture of pages, or a PDF that may be a scan):
/// then the window names the OCR's steps while it waits.
pub(crate) fn may_be_scan(source: &Source) -> bool {
    let (Source::File(p) | Source::Recovery { file: p, .. }) = source else { return false };
    let ext = p.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    matches!(ext.as_str(), "pdf" | "png" | "jpg" | "jpeg" | "tif" | "tiff")
}

/// Whether `e` is the error of an OCR the person cancelled (not a failure to show).
pub(crate) fn is_cancelled(e: &LoadError) -> bool {
    e.0 == crate::open::ocr::OcrError::Cancelled.to_string()
}

/// What a write puts in its file (made from the report on the writer thread).
pub enum Content {
    /// The review as RON (a save), with the keys of the entries marked 已核对.
    Ron(Box<Report>, Vec<String>),
    Csv(Box<Report>),
    Json(Box<Report>),
    /// Two years compared (earlier or later in either order): the aligned table and checks.
    CompareCsv(Box<(Report, Report)>),
    CompareJson(Box<(Report, Report)>),
    /// A folder's 问题清单 (`csv`: CSV, else xlsx): (file name shown, file to read) per report.
    Findings(Vec<(String, PathBuf)>, bool),
    /// A folder's workbook: 汇总, a sheet per report, 问题清单.
    FolderWorkbook(Vec<(String, PathBuf)>),
}

/// A report read and checked, or why it could not be.
type Checked = Result<(Report, Vec<crate::CheckResult>), String>;

/// Read and check each report of a folder export (on the writer thread).
fn read_all(files: &[(String, PathBuf)]) -> Vec<(String, Checked)> {
    files
        .iter()
        .map(|(name, p)| {
            let read = open_path(p).map(|o| {
                let checks = crate::checks::run(&o.report);
                (o.report, checks)
            });
            (name.clone(), read.map_err(|e| e.0))
        })
        .collect()
}

impl Content {
    fn render(&self) -> Result<Vec<u8>, String> {
        use crate::export::{findings, xlsx};
        Ok(match self {
            Content::Ron(r, reviewed) => document::to_ron_reviewed(r, reviewed).into_bytes(),
            Content::Csv(r) => crate::export::csv::to_csv(r, &r.source_name).into_bytes(),
            Content::Json(r) => crate::export::json::report_json(r).into_bytes(),
            Content::CompareCsv(ab) => crate::compare::to_csv(&crate::compare::compare(&ab.0, &ab.1)).into_bytes(),
            Content::CompareJson(ab) => {
                let (a, b) = (&ab.0, &ab.1);
                crate::compare::to_json(&crate::compare::compare(a, b), a, b).into_bytes()
            }
            Content::Findings(files, csv) => {
                let all: Vec<findings::ReportFindings> = read_all(files)
                    .into_iter()
                    .filter_map(|(name, read)| {
                        let (report, checks) = read.ok()?;
                        let suggestions = crate::suggest::suggest(&report, &checks);
                        let found = findings::findings(&report, &checks, &suggestions);
                        Some(findings::ReportFindings::of(name, &report, found))
                    })
                    .collect();
                if *csv { findings::batch_csv(&all).into_bytes() } else { xlsx::findings_workbook(&all)? }
            }
            Content::FolderWorkbook(files) => {
                let read = read_all(files);
                let entries: Vec<xlsx::Entry> = read
                    .iter()
                    .map(|(name, r)| xlsx::Entry {
                        file: name.clone(),
                        read: r.as_ref().map(|(rep, c)| (rep, c.as_slice())).map_err(Clone::clone),
                        fails: r.as_ref().is_ok_and(|(_, c)| crate::checks::fails(c, false)),
                    })
                    .collect();
                xlsx::batch_workbook(&entries)?
            }
        })
    }
}

enum WriteMsg {
    Write { seq: u64, path: PathBuf, content: Content, ctx: Option<egui::Context> },
    Sync(Sender<()>),
}

/// Holds the writer before each write while set (tests: a save still under way).
#[derive(Default)]
struct Gate {
    held: Mutex<bool>,
    cv: Condvar,
}

impl Gate {
    fn set(&self, hold: bool) {
        *self.held.lock().unwrap_or_else(|e| e.into_inner()) = hold;
        self.cv.notify_all();
    }
    fn wait(&self) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        while *held {
            held = self.cv.wait(held).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Runs loads and dialogs on their own threads; results come back through a channel.
pub struct Worker {
    tx: Sender<Event>,
    rx: Receiver<Event>,
    loads: usize,
    dialogs: usize,
    writes: usize,
    seq: u64,
    /// The progress and cancel of each load under way (a scan's OCR), by its number.
    controls: HashMap<u64, Arc<Control>>,
    /// The writer thread (saves and exports, one after another, in order).
    writer: Option<Sender<WriteMsg>>,
    gate: Arc<Gate>,
}

impl Default for Worker {
    fn default() -> Self {
        let (tx, rx) = channel();
        Worker {
            tx,
            rx,
            loads: 0,
            dialogs: 0,
            writes: 0,
            seq: 0,
            controls: HashMap::new(),
            writer: None,
            gate: Arc::default(),
        }
    }
}

/// A window closed while a scan is read stops its OCR.
impl Drop for Worker {
    fn drop(&mut self) {
        for c in self.controls.values() {
            c.cancel();
        }
    }
}

impl Worker {
    /// Read and parse `source` on its own thread; returns the number of this load.
    pub fn load(&mut self, ctx: &egui::Context, source: Source) -> u64 {
        self.loads += 1;
        self.seq += 1;
        let seq = self.seq;
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        let control = Arc::new(Control::new());
        self.controls.insert(seq, control.clone());
        std::thread::spawn(move || {
            let s = source.clone();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &s {
                Source::File(p) => open_path_with(p, &control),
                Source::Sample => {
                    crate::open::bytes(SAMPLE, SAMPLE_NAME).map(|report| Opened { report, reviewed: Vec::new() })
                }
                Source::Recovery { file, .. } => open_path_with(file, &control),
                Source::Pasted(text) => crate::open::bytes(text.as_bytes(), CLIPBOARD_NAME)
                    .map(|report| Opened { report, reviewed: Vec::new() }),
            }))
            .unwrap_or_else(|_| Err(LoadError::new("读取这个文件时程序出错（已记录），请把文件发给维护者")));
            let _ = tx.send(Event::Loaded { seq, source, result: result.map(Box::new) });
            ctx.request_repaint();
        });
        seq
    }

    /// The progress and cancel of load `seq` while it runs.
    pub(crate) fn control(&self, seq: u64) -> Option<&Arc<Control>> {
        self.controls.get(&seq)
    }

    /// Stop load `seq` (a scan's OCR ends between two calls of tesseract; its result, an
    /// error, still comes back and is to be ignored).
    pub(crate) fn cancel(&self, seq: u64) {
        if let Some(c) = self.controls.get(&seq) {
            c.cancel();
        }
    }

    /// Show a native dialog on its own thread (the window keeps painting meanwhile).
    pub fn pick(&mut self, ctx: &egui::Context, pick: Pick, dialog: rfd::FileDialog) {
        self.dialogs += 1;
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let t = Instant::now();
            let unavailable_hint = !dialog_likely_available();
            let path = if unavailable_hint {
                None
            } else {
                match pick {
                    Pick::Open | Pick::Compare => dialog.pick_file(),
                    Pick::Folder => dialog.pick_folder(),
                    _ => dialog.save_file(),
                }
            };
            // A person takes longer than this to cancel a dialog; a missing portal does not.
            let unavailable = path.is_none() && (unavailable_hint || t.elapsed() < Duration::from_millis(250));
            let _ = tx.send(Event::Picked { pick, path, unavailable });
            ctx.request_repaint();
        });
    }

    /// Write `content` to `path` (atomically) on the writer thread; returns the number of this
    /// write. Writes are done in the order asked for; the result comes back as [`Event::Written`].
    pub fn write(&mut self, ctx: Option<&egui::Context>, path: PathBuf, content: Content) -> u64 {
        self.writes += 1;
        self.seq += 1;
        let seq = self.seq;
        let msg = WriteMsg::Write { seq, path, content, ctx: ctx.cloned() };
        if let Err(e) = self.writer().send(msg) {
            // The writer thread is gone (it never panics, but be safe): report the failure.
            self.writer = None;
            if let WriteMsg::Write { seq, .. } = e.0 {
                let _ = self.tx.send(Event::Written { seq, result: Err("写入线程已停止".into()) });
            }
        }
        seq
    }

    fn writer(&mut self) -> &Sender<WriteMsg> {
        let tx = self.tx.clone();
        let gate = self.gate.clone();
        self.writer.get_or_insert_with(|| {
            let (wtx, wrx) = channel::<WriteMsg>();
            std::thread::spawn(move || {
                for msg in wrx {
                    match msg {
                        WriteMsg::Write { seq, path, content, ctx } => {
                            gate.wait();
                            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                let bytes = content.render()?;
                                document::write_atomic(&path, &bytes).map_err(|e| document::io_reason(&e))
                            }))
                            .unwrap_or_else(|_| Err("写入时程序出错".into()));
                            let _ = tx.send(Event::Written { seq, result });
                            if let Some(ctx) = ctx {
                                ctx.request_repaint();
                            }
                        }
                        WriteMsg::Sync(done) => {
                            let _ = done.send(());
                        }
                    }
                }
            });
            wtx
        })
    }

    /// Hold every write until released (tests: an edit made while a save is under way).
    pub fn hold_writes(&self, hold: bool) {
        self.gate.set(hold);
    }

    /// Wait (at most `timeout`) until every write asked for so far is done (before exit).
    pub(crate) fn wait_writes(&mut self, timeout: Duration) {
        if self.writes == 0 {
            return;
        }
        self.gate.set(false);
        let (tx, rx) = channel();
        if self.writer().send(WriteMsg::Sync(tx)).is_ok() {
            let _ = rx.recv_timeout(timeout);
        }
    }

    pub(crate) fn poll(&mut self) -> Vec<Event> {
        let events: Vec<Event> = self.rx.try_iter().collect();
        for e in &events {
            match e {
                Event::Loaded { seq, .. } => {
                    self.loads -= 1;
                    self.controls.remove(seq);
                }
                Event::Picked { .. } => self.dialogs -= 1,
                Event::Written { .. } => self.writes -= 1,
            }
        }
        events
    }

    pub(crate) fn dialog_open(&self) -> bool {
        self.dialogs > 0
    }
}

/// The xdg portal needs a session bus; without one no dialog can appear.
fn dialog_likely_available() -> bool {
    if cfg!(target_os = "linux") || cfg!(target_os = "freebsd") {
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
    } else {
        true
    }
}

pub fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| p.display().to_string())
}

/// `dir/stem.ext`, or `dir/stem (2).ext`… when that exists.
pub(crate) fn unused_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let first = dir.join(format!("{stem}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2..).map(|n| dir.join(format!("{stem} ({n}).{ext}"))).find(|p| !p.exists()).expect("some name is free")
}

/// Where the review of a report read from `source` (or named `name`) goes by default:
/// `NAME.ext` beside the input (the current folder for the bundled sample), whether or not it
/// exists.
pub fn beside(source: Option<&Path>, name: &str, ext: &str) -> PathBuf {
    let (dir, stem) = beside_parts(source, name);
    dir.join(format!("{stem}.{ext}"))
}

/// [`beside`], or `NAME (2).ext`… when that exists.
pub(crate) fn beside_free(source: Option<&Path>, name: &str, ext: &str) -> PathBuf {
    let (dir, stem) = beside_parts(source, name);
    unused_path(&dir, &stem, ext)
}

fn beside_parts(source: Option<&Path>, name: &str) -> (PathBuf, String) {
    let dir = source
        .and_then(|p| p.parent())
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let base = source.map(file_name).unwrap_or_else(|| name.to_string());
    let stem = Path::new(&base).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or(base);
    (absolute(&dir), stem)
}

/// `p` as an absolute path (symbolic links resolved where it exists), so that what is shown,
/// kept for recovery and saved beside does not depend on the folder the program runs in.
pub fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(p) {
        return c;
    }
    // A file still to be written: its folder resolved, its name kept.
    if let (Some(dir), Some(name)) = (p.parent().filter(|d| !d.as_os_str().is_empty()), p.file_name())
        && let Ok(dir) = std::fs::canonicalize(dir)
    {
        return dir.join(name);
    }
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// A recovery file found at start.
#[derive(Clone, Debug)]
pub struct Found {
    pub file: PathBuf,
    /// The file the review was read from.
    pub source_path: Option<PathBuf>,
    /// The `.ron` it was saved to before, if any.
    pub save_path: Option<PathBuf>,
    pub modified: Option<SystemTime>,
}

/// (source path, save path) of the review in the recovery file.
pub type Paths = (Option<PathBuf>, Option<PathBuf>);

/// The review on the desk, as the recovery writer sees it each frame.
pub struct RecoveryDoc<'a> {
    pub doc_id: u64,
    pub generation: u64,
    pub dirty: bool,
    pub report: &'a Report,
    pub reviewed: &'a std::collections::BTreeSet<String>,
    pub paths: Paths,
}

enum RecoveryMsg {
    Write(Box<Report>, Vec<String>, Paths),
    Clear,
    Sync(Sender<()>),
}

/// Writes an edited review to `recovery.ron` (and its source and save paths, one a line, to
/// `recovery.path`) on a
/// writer thread, in order, so a clear after a save is never overtaken by an older write.
pub struct Recovery {
    dir: Option<PathBuf>,
    interval: Duration,
    tx: Option<Sender<RecoveryMsg>>,
    /// (document, generation) last written.
    written: Option<(u64, u64)>,
    last_write: Option<Instant>,
}

impl Recovery {
    pub fn new(dir: Option<PathBuf>, interval: Duration) -> Recovery {
        Recovery { dir, interval, tx: None, written: None, last_write: None }
    }

    fn path_file(dir: &Path) -> PathBuf {
        dir.join("recovery.path")
    }

    /// A recovery file left by a session that did not end cleanly.
    pub fn find(&self) -> Option<Found> {
        let dir = self.dir.as_ref()?;
        let file = dir.join("recovery.ron");
        let meta = std::fs::metadata(&file).ok()?;
        let paths = std::fs::read_to_string(Self::path_file(dir)).unwrap_or_default();
        // A relative path (written by an older version) would depend on the folder the program
        // runs in now: such a path is not trusted (saving then asks where).
        let mut lines = paths
            .lines()
            .map(|l| Some(l.trim()).filter(|l| !l.is_empty()).map(PathBuf::from).filter(|p| p.is_absolute()));
        let source_path = lines.next().flatten();
        let save_path = lines.next().flatten();
        Some(Found { file, source_path, save_path, modified: meta.modified().ok() })
    }

    /// Called every frame: write the review when it changed and is not saved; forget the
    /// file once it is saved. Returns how long until the next write is due.
    pub(crate) fn tick(&mut self, doc: Option<RecoveryDoc>) -> Option<Duration> {
        self.dir.as_ref()?;
        match doc {
            Some(RecoveryDoc { doc_id, generation, dirty: true, report, reviewed, paths }) => {
                if self.written == Some((doc_id, generation)) {
                    return None;
                }
                let due = self.last_write.map_or(Duration::ZERO, |t| self.interval.saturating_sub(t.elapsed()));
                if due > Duration::ZERO {
                    return Some(due);
                }
                self.send(RecoveryMsg::Write(Box::new(report.clone()), reviewed.iter().cloned().collect(), paths));
                self.written = Some((doc_id, generation));
                self.last_write = Some(Instant::now());
                None
            }
            _ => {
                if self.written.is_some() {
                    self.clear();
                }
                None
            }
        }
    }

    /// Remove the recovery file (after a save, or when the clerk discards it).
    pub fn clear(&mut self) {
        self.written = None;
        if self.dir.is_some() {
            self.send(RecoveryMsg::Clear);
        }
    }

    /// Wait until every write and clear sent so far is done.
    pub fn sync(&mut self) {
        if self.tx.is_none() {
            return;
        }
        let (tx, rx) = channel();
        self.send(RecoveryMsg::Sync(tx));
        let _ = rx.recv_timeout(Duration::from_secs(10));
    }

    fn send(&mut self, msg: RecoveryMsg) {
        let Some(dir) = self.dir.clone() else { return };
        let tx = self.tx.get_or_insert_with(|| {
            let (tx, rx) = channel::<RecoveryMsg>();
            std::thread::spawn(move || {
                for msg in rx {
                    match msg {
                        RecoveryMsg::Write(report, reviewed, (source, save)) => {
                            let _ = std::fs::create_dir_all(&dir);
                            let line = |p: Option<PathBuf>| p.map(|p| p.display().to_string()).unwrap_or_default();
                            let path_text = format!("{}\n{}\n", line(source), line(save));
                            let _ = document::write_atomic(&Self::path_file(&dir), path_text.as_bytes());
                            let ron = document::to_ron_reviewed(&report, &reviewed);
                            let _ = document::write_atomic(&dir.join("recovery.ron"), ron.as_bytes());
                        }
                        RecoveryMsg::Clear => {
                            let _ = std::fs::remove_file(dir.join("recovery.ron"));
                            let _ = std::fs::remove_file(Self::path_file(&dir));
                        }
                        RecoveryMsg::Sync(done) => {
                            let _ = done.send(());
                        }
                    }
                }
            });
            tx
        });
        let _ = tx.send(msg);
    }
}
