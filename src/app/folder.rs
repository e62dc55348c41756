//! A folder of reports for a supervisor: one row per report (organ, year, template, format,
//! errors, warnings, 待核对, state), read in the background, sorted and filtered, with the
//! pairs of years of one body. No egui here except the repaint handle; the list is drawn by
//! `folder_view.rs`.
//!
//! Invariants: a report's review is the `.ron` beside it with the same name (`NAME.ron` beside
//! `NAME.txt`), so a folder reopened shows where each report stands; such a `.ron` is not a
//! row of its own. Rows are read off the UI thread, by all cores but one, and only their
//! summary is kept (memory does not grow with the reports' size); the UI takes what arrived
//! each frame. Everything is read through `nianbao_core::open` (via the app's `io::open_path`)
//! and checked by `checks::run`, so the counts are those of `nianbao check`.

use super::desk::todo_list;
use super::io;
use crate::batch;
use crate::checks;
use crate::compare::pairs::same_body;
use crate::open::ocr::Control;
use eframe::egui;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};

/// Where a report stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowState {
    /// No review saved, not edited.
    Unseen,
    /// Edited, not saved.
    Edited,
    /// A review is saved; 待核对 entries are left.
    Saved,
    /// A review is saved and nothing is left to check (every entry fixed or 已核对).
    Reviewed,
}

impl RowState {
    pub fn label(self) -> &'static str {
        match self {
            RowState::Unseen => "未看",
            RowState::Edited => "已修改",
            RowState::Saved => "已保存",
            RowState::Reviewed => "已审完",
        }
    }
}

/// One report of the folder.
#[derive(Clone, Debug, PartialEq)]
pub struct FolderRow {
    /// The report as found in the folder.
    pub path: PathBuf,
    /// Its file name (kept: the list sorts and filters by it).
    name: String,
    /// Its saved review (`NAME.ron` beside it; the file itself for a lone `.ron`).
    pub review: Option<PathBuf>,
    pub organ: Option<String>,
    pub year: Option<i32>,
    pub template: Option<i32>,
    /// The input format's key (`text`, `pdf`, …).
    pub format: String,
    pub errors: usize,
    pub warnings: usize,
    /// 待核对 entries not marked 已核对.
    pub todo: usize,
    /// Why it could not be read.
    pub error: Option<String>,
    pub state: RowState,
    /// Read yet.
    pub loaded: bool,
}

impl FolderRow {
    fn unread(path: PathBuf, review: Option<PathBuf>) -> FolderRow {
        FolderRow {
            name: io::file_name(&path),
            path,
            review,
            organ: None,
            year: None,
            template: None,
            format: String::new(),
            errors: 0,
            warnings: 0,
            todo: 0,
            error: None,
            state: RowState::Unseen,
            loaded: false,
        }
    }

    /// The file to open: the saved review when there is one.
    pub(crate) fn open_path(&self) -> &Path {
        self.review.as_deref().unwrap_or(&self.path)
    }

    /// Fails: unreadable, or an error-severity check fails (as `nianbao check` counts).
    pub fn fails(&self) -> bool {
        self.error.is_some() || self.errors > 0
    }

    pub fn file_name(&self) -> &str {
        &self.name
    }

    /// Saved state from the review and what is left to check.
    fn saved_state(&self) -> RowState {
        match (&self.review, self.todo) {
            (None, _) => RowState::Unseen,
            (Some(_), 0) => RowState::Reviewed,
            (Some(_), _) => RowState::Saved,
        }
    }
}

/// Read one report into its row (its review if it has one; a scan's OCR stops once `control`
/// is cancelled).
fn read_row(path: PathBuf, review: Option<PathBuf>, control: &Control) -> FolderRow {
    let mut row = FolderRow::unread(path, review);
    row.loaded = true;
    let opened =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| io::open_path_with(row.open_path(), control)))
            .unwrap_or_else(|_| Err(crate::LoadError::new("读取这个文件时程序出错")));
    match opened {
        Ok(o) => {
            let results = checks::run(&o.report);
            let (errors, warnings) = checks::count(&results);
            let failed: Vec<_> = results.into_iter().filter(|r| !r.passed).collect();
            row.organ = o.report.organ.clone();
            row.year = o.report.year;
            row.template = Some(o.report.template.number());
            row.format = o.report.format.clone();
            row.errors = errors;
            row.warnings = warnings;
            row.todo = todo_list(&o.report, &failed).iter().filter(|t| !o.reviewed.contains(&t.key)).count();
            row.state = row.saved_state();
        }
        Err(e) => row.error = Some(e.0),
    }
    row
}

/// The reports named by `paths` (folders walked as `nianbao check` walks them): each report
/// once, with the `.ron` beside it as its review.
pub fn list(paths: &[PathBuf]) -> (Vec<FolderRow>, Vec<(PathBuf, String)>) {
    let (files, errors) = batch::collect_inputs(paths);
    let is_ron = |p: &Path| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    let reports: std::collections::HashSet<PathBuf> =
        files.iter().filter(|p| !is_ron(p)).map(|p| p.with_extension("")).collect();
    let mut rows = Vec::new();
    for p in files {
        if is_ron(&p) {
            // The review of a report listed beside it is that report's, not a row.
            if !reports.contains(&p.with_extension("")) {
                rows.push(FolderRow::unread(p.clone(), Some(p)));
            }
        } else {
            let ron = p.with_extension("ron");
            let review = ron.is_file().then_some(ron);
            rows.push(FolderRow::unread(p, review));
        }
    }
    (rows, errors)
}

/// A column of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    File,
    Organ,
    Year,
    Template,
    Format,
    Errors,
    Warnings,
    Todo,
    State,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::File,
        Column::Organ,
        Column::Year,
        Column::Template,
        Column::Format,
        Column::Errors,
        Column::Warnings,
        Column::Todo,
        Column::State,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::File => "文件",
            Column::Organ => "机关",
            Column::Year => "年度",
            Column::Template => "模板",
            Column::Format => "格式",
            Column::Errors => "错误",
            Column::Warnings => "警告",
            Column::Todo => "待核对",
            Column::State => "状态",
        }
    }

    /// Numbers are sorted largest first when first clicked.
    fn descending_first(self) -> bool {
        matches!(self, Column::Errors | Column::Warnings | Column::Todo)
    }

    fn compare(self, a: &FolderRow, b: &FolderRow) -> std::cmp::Ordering {
        // Unreadable reports count as the worst (more than any number of errors).
        let errors = |r: &FolderRow| if r.error.is_some() { usize::MAX } else { r.errors };
        match self {
            Column::File => a.file_name().cmp(b.file_name()),
            Column::Organ => a.organ.cmp(&b.organ),
            Column::Year => a.year.cmp(&b.year),
            Column::Template => a.template.cmp(&b.template),
            Column::Format => a.format.cmp(&b.format),
            Column::Errors => errors(a).cmp(&errors(b)).then(a.warnings.cmp(&b.warnings)),
            Column::Warnings => a.warnings.cmp(&b.warnings),
            Column::Todo => a.todo.cmp(&b.todo),
            Column::State => a.state.cmp(&b.state),
        }
    }
}

/// What the background threads send.
enum Msg {
    /// The folder was walked: its reports (not read yet) and the paths that could not be listed.
    Listed(Vec<FolderRow>, Vec<(PathBuf, String)>),
    /// Row `i` was read.
    Row(usize, FolderRow),
}

/// Lists the folder, then reads the rows, on background threads (all cores but one, so the
/// window keeps its own). Dropped (the folder closed): no row is started any more, and the
/// scans being read stop their OCR (one [`Control`] for all; only its cancel is used).
struct Loader {
    rx: Receiver<Msg>,
    cancel: Arc<AtomicBool>,
    ocr: Arc<Control>,
}

impl Drop for Loader {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        self.ocr.cancel();
    }
}

impl Loader {
    fn start(ctx: Option<&egui::Context>, paths: Vec<PathBuf>) -> Loader {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let ocr = Arc::new(Control::new());
        let (stop, ctx, control) = (cancel.clone(), ctx.cloned(), ocr.clone());
        std::thread::spawn(move || {
            let wake = |ctx: &Option<egui::Context>| {
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
            };
            let (rows, errors) = list(&paths);
            let jobs: Arc<Vec<(PathBuf, Option<PathBuf>)>> =
                Arc::new(rows.iter().map(|r| (r.path.clone(), r.review.clone())).collect());
            if tx.send(Msg::Listed(rows, errors)).is_err() {
                return;
            }
            wake(&ctx);
            let next = Arc::new(AtomicUsize::new(0));
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1));
            for _ in 0..threads.min(jobs.len()) {
                let (tx, stop, jobs, next, ctx) = (tx.clone(), stop.clone(), jobs.clone(), next.clone(), ctx.clone());
                let control = control.clone();
                std::thread::spawn(move || {
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        if stop.load(Ordering::Relaxed) || k >= jobs.len() {
                            break;
                        }
                        let (path, review) = jobs[k].clone();
                        if tx.send(Msg::Row(k, read_row(path, review, &control))).is_err() {
                            break;
                        }
                        wake(&ctx);
                    }
                });
            }
        });
        Loader { rx, cancel, ocr }
    }
}

/// The folder's list and how it is shown.
pub struct Folder {
    /// What was opened (a folder, or the first of several files).
    pub name: String,
    /// The folder where exports go by default.
    pub dir: PathBuf,
    pub rows: Vec<FolderRow>,
    /// Paths that could not be listed.
    pub errors: Vec<(PathBuf, String)>,
    loaded: usize,
    /// The folder was walked (the rows are known, if not read yet).
    listed: bool,
    loader: Option<Loader>,
    pub sort: Column,
    pub descending: bool,
    pub only_failed: bool,
    pub filter: String,
    /// Rows shown, in order (sorted and filtered); recomputed when something changed.
    order: Vec<usize>,
    order_dirty: bool,
    /// Each row's partner of another year of the same body (the nearest year).
    partners: Vec<Option<usize>>,
    pairs_dirty: bool,
    /// The row open in the desk beside the list.
    pub current: Option<usize>,
    /// Scroll the list to the current row (it changed by the keyboard).
    scroll: bool,
}

impl Folder {
    /// The folder (or files) `paths` (absolute), listed and read in the background from now on.
    pub fn open(paths: &[PathBuf], ctx: Option<&egui::Context>) -> Folder {
        let first = paths.first().cloned().unwrap_or_default();
        let dir =
            if first.is_dir() { first.clone() } else { first.parent().map(Path::to_path_buf).unwrap_or_default() };
        let name = if paths.len() == 1 { io::file_name(&first) } else { format!("{} 个文件", paths.len()) };
        Folder::with(name, dir, Some(Loader::start(ctx, paths.to_vec())))
    }

    /// A list with nothing read yet, sorted by errors, every filter off.
    fn with(name: String, dir: PathBuf, loader: Option<Loader>) -> Folder {
        Folder {
            name,
            dir,
            rows: Vec::new(),
            errors: Vec::new(),
            loaded: 0,
            listed: false,
            loader,
            sort: Column::Errors,
            descending: true,
            only_failed: false,
            filter: String::new(),
            order: Vec::new(),
            order_dirty: true,
            partners: Vec::new(),
            pairs_dirty: true,
            current: None,
            scroll: false,
        }
    }

    /// Row `i` is open in the desk now (the list scrolls to it).
    pub(crate) fn set_current(&mut self, i: usize) {
        self.current = Some(i);
        self.scroll = true;
    }

    /// Whether the list should scroll to the current row (once).
    pub(crate) fn take_scroll_request(&mut self) -> bool {
        std::mem::take(&mut self.scroll)
    }

    /// Take the rows read since the last frame; true when any arrived.
    pub(crate) fn poll(&mut self) -> bool {
        let Some(loader) = &self.loader else { return false };
        let mut any = false;
        for msg in loader.rx.try_iter() {
            match msg {
                Msg::Listed(rows, errors) => {
                    self.partners = vec![None; rows.len()];
                    self.rows = rows;
                    self.errors = errors;
                    self.listed = true;
                }
                // A row open in the desk meanwhile keeps what the desk says.
                Msg::Row(i, row) => {
                    if self.current != Some(i) {
                        self.rows[i] = row;
                    }
                    self.loaded += 1;
                }
            }
            any = true;
        }
        if self.listed && self.loaded >= self.rows.len() {
            self.loader = None;
            self.pairs_dirty = true;
        }
        if any {
            self.order_dirty = true;
        }
        any
    }

    /// Whether the folder is still being walked.
    pub(crate) fn is_listing(&self) -> bool {
        !self.listed
    }

    /// (rows read, rows) while reading.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.loader.as_ref().map(|_| (self.loaded, self.rows.len()))
    }

    pub fn is_loading(&self) -> bool {
        self.loader.is_some()
    }

    /// Sort by `col` (again: the other way).
    pub fn sort_by(&mut self, col: Column) {
        if self.sort == col {
            self.descending = !self.descending;
        } else {
            self.sort = col;
            self.descending = col.descending_first();
        }
        self.order_dirty = true;
    }

    pub(crate) fn set_only_failed(&mut self, on: bool) {
        self.only_failed = on;
        self.order_dirty = true;
    }

    pub(crate) fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
        self.order_dirty = true;
    }

    /// The rows shown, in order.
    pub fn order(&mut self) -> &[usize] {
        if self.order_dirty {
            self.order_dirty = false;
            let needle = self.filter.trim().to_lowercase();
            let mut order: Vec<usize> = (0..self.rows.len())
                .filter(|&i| {
                    let r = &self.rows[i];
                    (!self.only_failed || r.fails() || !r.loaded)
                        && (needle.is_empty()
                            || r.file_name().to_lowercase().contains(&needle)
                            || r.organ.as_deref().is_some_and(|o| o.to_lowercase().contains(&needle)))
                })
                .collect();
            let (col, desc) = (self.sort, self.descending);
            let rows = &self.rows;
            order.sort_by(|&a, &b| {
                let o = col.compare(&rows[a], &rows[b]);
                let o = if desc { o.reverse() } else { o };
                o.then_with(|| rows[a].file_name().cmp(rows[b].file_name()))
            });
            self.order = order;
        }
        &self.order
    }

    /// The row after (or before) the current one in the list as shown (the first when none).
    pub(crate) fn neighbour(&mut self, forward: bool) -> Option<usize> {
        let current = self.current;
        let order = self.order();
        let pos = current.and_then(|c| order.iter().position(|&i| i == c));
        match (pos, forward) {
            (None, _) => order.first().copied(),
            (Some(p), true) => order.get(p + 1).copied(),
            (Some(p), false) => p.checked_sub(1).and_then(|p| order.get(p)).copied(),
        }
    }

    /// Row `i`'s partner of another year of the same body (recomputed when organs or years
    /// changed).
    pub fn partner(&mut self, i: usize) -> Option<usize> {
        if self.pairs_dirty {
            self.pairs_dirty = false;
            self.partners = partners(&self.rows);
        }
        self.partners.get(i).copied().flatten()
    }

    /// What the desk says of the open row: its counts, organ, year and state.
    pub(crate) fn update_current(&mut self, update: RowUpdate) {
        let Some(i) = self.current else { return };
        let Some(row) = self.rows.get_mut(i) else { return };
        let before = row.clone();
        row.organ = update.organ;
        row.year = update.year;
        row.template = Some(update.template);
        row.errors = update.errors;
        row.warnings = update.warnings;
        row.todo = update.todo;
        row.error = None;
        row.loaded = true;
        if let Some(p) = update.saved_to {
            row.review = Some(p);
        }
        row.state = if update.dirty { RowState::Edited } else { row.saved_state() };
        if *row != before {
            self.order_dirty = true;
            if row.organ != before.organ || row.year != before.year {
                self.pairs_dirty = true;
            }
        }
    }

    /// Failing rows and rows in all (read so far).
    pub fn counts(&self) -> (usize, usize) {
        (self.rows.iter().filter(|r| r.loaded && r.fails()).count(), self.rows.len())
    }
}

/// What the desk knows of the row open in it.
pub struct RowUpdate {
    pub organ: Option<String>,
    pub year: Option<i32>,
    pub template: i32,
    pub errors: usize,
    pub warnings: usize,
    pub todo: usize,
    pub dirty: bool,
    /// The review's `.ron`, once saved.
    pub saved_to: Option<PathBuf>,
}

/// Each row's partner: the row of the same body ([`same_body`]) with the nearest other year
/// (the earlier one on a tie). Names are compared once per pair of distinct organ keys, and
/// only within keys that end alike (a parent-name variant ends like the name it contains), so
/// a folder of a thousand reports is paired in well under a frame.
fn partners(rows: &[FolderRow]) -> Vec<Option<usize>> {
    // Rows by organ key (rows without an organ or a year have no partner).
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let key = r.organ.as_deref().map(crate::compare::years::organ_key).filter(|k| !k.is_empty());
        if let (Some(k), Some(_)) = (key, r.year) {
            by_key.entry(k).or_default().push(i);
        }
    }
    let keys: Vec<&String> = by_key.keys().collect();
    let tail = |k: &str| k.chars().rev().take(3).collect::<String>();
    let mut by_tail: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, key) in keys.iter().enumerate() {
        by_tail.entry(tail(key)).or_default().push(k);
    }
    let mut out = vec![None; rows.len()];
    for members in by_tail.values() {
        for &a in members {
            // The rows of every key that names the same body as key `a` (itself included).
            let body: Vec<usize> = members
                .iter()
                .filter(|&&b| a == b || same_body(keys[a], keys[b]))
                .flat_map(|&b| by_key[keys[b]].iter().copied())
                .collect();
            for &i in &by_key[keys[a]] {
                let yi = rows[i].year.unwrap_or_default();
                out[i] = body.iter().copied().filter(|&j| rows[j].year.is_some_and(|y| y != yi)).min_by_key(|&j| {
                    let yj = rows[j].year.unwrap_or_default();
                    ((yj - yi).abs(), yj > yi, j)
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(organ: &str, year: i32) -> FolderRow {
        let mut r = FolderRow::unread(PathBuf::from(format!("/{organ}-{year}.txt")), None);
        r.organ = Some(organ.into());
        r.year = Some(year);
        r.loaded = true;
        r
    }

    #[test]
    fn years_of_one_body_are_partners_with_and_without_the_parent_name() {
        let rows = vec![
            row("淮北市烈山区人民政府", 2021),
            row("烈山区人民政府", 2020),
            row("上海市人民政府", 2019),
            row("杜集区人民政府", 2021),
        ];
        let p = partners(&rows);
        assert_eq!(p, vec![Some(1), Some(0), None, None]);
    }

    #[test]
    fn sorted_by_errors_first_and_filtered() {
        let (mut a, mut b, mut c) = (row("甲", 2020), row("乙", 2020), row("丙", 2020));
        a.errors = 1;
        b.errors = 5;
        c.error = Some("无法读取".into());
        let mut f = Folder::with(String::new(), PathBuf::new(), None);
        f.rows = vec![a, b, c, row("丁", 2020)];
        f.loaded = 4;
        f.listed = true;
        assert_eq!(f.order(), &[2, 1, 0, 3]);
        f.set_only_failed(true);
        assert_eq!(f.order(), &[2, 1, 0]);
        f.set_filter("乙");
        assert_eq!(f.order(), &[1]);
        f.set_filter("");
        f.set_only_failed(false);
        f.sort_by(Column::Errors);
        assert_eq!(f.order(), &[3, 0, 1, 2]);
        f.current = Some(0);
        assert_eq!(f.neighbour(true), Some(1));
        assert_eq!(f.neighbour(false), Some(3));
    }
}
