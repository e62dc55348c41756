//! The review desk (eframe/egui). Thin: all logic lives in the core modules.
//!
//! Each frame the panels draw from the [`View`] and return [`Action`]s; the app applies them
//! in one place afterwards (`command_handling.rs`), and every change to a report goes through
//! [`Desk::execute`], which keeps the inverse for undo. `impl NianbaoApp` is split by job:
//! this file holds the state and what tests and eframe call, `ui.rs` lays out the frame,
//! `logic.rs` loads files and moves between views, `files.rs` saves, exports and asks for
//! paths (its state machine is `saving.rs`), `command_handling.rs` applies actions.
//!
//! Invariants: one [`View`] at a time (no report, one report, two years side by side); menus
//! and keys give the same [`UICommand`]s; nothing changes a report outside `apply`.

mod action;
mod checks_view;
mod command;
mod command_handling;
mod compare_state;
mod compare_view;
mod desk;
mod dialogs;
mod files;
mod folder;
mod folder_view;
mod fonts;
mod header;
mod io;
mod logic;
mod menu;
mod palette;
mod path_dialog;
mod saving;
mod table_view;
mod text_view;
mod typing;
mod ui;
mod ui_command;

pub use action::{Action, AfterConfirm, Answer, OverwriteChoice};
pub use command::{Command, History};
pub use compare_state::{CompareDesk, CompareSelection, compare_cell_name};
pub use compare_view::compare_cell_id;
pub use desk::{CellFlags, Desk, MetaField, Selection, Todo, TodoKind, cell_name, display_text};
pub use folder::{Column, Folder, FolderRow, RowState};
pub use fonts::install_fonts;
pub use io::{CLIPBOARD_NAME, Found, Options, default_recovery_dir};
pub use table_view::cell_id;
pub use ui_command::{CommandState, UICommand, Zoom};

use crate::compare::Side;
use crate::model::Report;
use eframe::egui;
use io::Source;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Start the window, opening `files` (none: the bundled sample report).
pub fn run(files: Vec<PathBuf>) -> eframe::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("年报审校")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true)
            .with_app_id("nianbao"),
        ..Default::default()
    };
    eframe::run_native(
        "nianbao",
        options,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            let mut app = NianbaoApp::new(files, Options::default());
            // What eframe kept from the last run: the recent files and the zoom.
            if let Some(storage) = cc.storage {
                if let Some(recent) = eframe::get_value::<Vec<PathBuf>>(storage, STORE_RECENT) {
                    app.set_recent(recent);
                }
                if let Some(zoom) = eframe::get_value::<f32>(storage, STORE_ZOOM).filter(|z| (0.5..=3.0).contains(z)) {
                    cc.egui_ctx.set_zoom_factor(zoom);
                }
            }
            Ok(Box::new(app))
        }),
    )
}

/// What the window shows.
pub enum View {
    /// No report (before the first one is read, or when it could not be).
    Empty,
    Single(Box<Desk>),
    /// Two years of one body side by side (opened from a folder's list: that list, shown
    /// again when the comparison is closed).
    Compare(Box<CompareDesk>, Option<Box<FolderView>>),
    /// A folder's reports listed, one of them open in the desk beside the list.
    Folder(Box<FolderView>),
}

/// A folder's list and the report open beside it.
pub struct FolderView {
    pub folder: Folder,
    pub desk: Option<Box<Desk>>,
}

impl View {
    /// The report on the desk (alone, or beside a folder's list).
    pub fn desk(&self) -> Option<&Desk> {
        match self {
            View::Single(d) => Some(d),
            View::Folder(f) => f.desk.as_deref(),
            _ => None,
        }
    }
    pub(crate) fn desk_mut(&mut self) -> Option<&mut Desk> {
        match self {
            View::Single(d) => Some(d),
            View::Folder(f) => f.desk.as_deref_mut(),
            _ => None,
        }
    }
    pub fn compare(&self) -> Option<&CompareDesk> {
        match self {
            View::Compare(cd, _) => Some(cd),
            _ => None,
        }
    }
    /// The folder's list, while shown.
    pub fn folder(&self) -> Option<&Folder> {
        match self {
            View::Folder(f) => Some(&f.folder),
            _ => None,
        }
    }
    pub(crate) fn folder_mut(&mut self) -> Option<&mut Folder> {
        match self {
            View::Folder(f) => Some(&mut f.folder),
            _ => None,
        }
    }
    /// Whether a report shown has unsaved changes.
    pub fn is_dirty(&self) -> bool {
        match self {
            View::Empty => false,
            View::Compare(cd, _) => cd.is_dirty(),
            _ => self.desk().is_some_and(Desk::is_dirty),
        }
    }
    /// The desk (single, or a side of the compare view) of document `doc_id`.
    fn desk_by_id(&mut self, doc_id: u64) -> Option<&mut Desk> {
        match self {
            View::Compare(cd, _) => [Side::Earlier, Side::Later]
                .into_iter()
                .find(|&s| cd.desk(s).doc_id() == doc_id)
                .map(move |s| cd.desk_mut(s)),
            other => other.desk_mut().filter(|d| d.doc_id() == doc_id),
        }
    }
}

pub struct NianbaoApp {
    options: Options,
    view: View,
    worker: io::Worker,
    /// Number of the load whose result is awaited.
    awaited: Option<u64>,
    /// The folder's row that load is (it opens beside the list).
    awaited_entry: Option<usize>,
    /// The name of what that load reads, and whether it may be a scan read by OCR.
    awaited_name: (String, bool),
    recovery: io::Recovery,
    recovery_offer: Option<Found>,
    /// Loads to start in the first frame (no context before).
    startup: Vec<Source>,
    started: bool,
    /// The window was fitted to the screen (once, when the screen's size is first known).
    fitted: bool,
    focus: table_view::CellFocus,
    text_view: text_view::TextView,
    /// “Save changes?” is asked; what waits for the answer.
    confirm: Option<AfterConfirm>,
    close_allowed: bool,
    /// The window was told to close.
    close_sent: bool,
    /// Close the window then (after a save asked for by “save changes?”, once it was shown).
    close_at: Option<std::time::Instant>,
    /// Saves and exports under way, the save queued, what waits for a save, 覆盖?.
    saves: saving::SaveFlow,
    /// Said after a save that waited for opening another file, when that file is open.
    saved_note: Option<String>,
    /// Files opened lately, newest first (kept in eframe's storage between runs).
    recent: Vec<PathBuf>,
    /// The 关于 dialog is shown.
    about: bool,
    /// The list of shortcuts is shown.
    shortcuts: bool,
    /// The in-app file dialog, while shown.
    path_dialog: Option<path_dialog::PathDialog>,
    error: Option<String>,
    status: String,
    title: String,
    queued: Vec<Action>,
    /// Loads whose results make a compare view.
    pending: Option<logic::PendingCompare>,
    /// A file dropped on an open report: open it, or compare the two?
    drop_offer: Option<PathBuf>,
    /// The report just opened from its text has a saved review beside it: continue that?
    continue_offer: Option<PathBuf>,
    /// 从剪贴板打开 asked for the clipboard's text then (it arrives as a paste).
    paste_requested: Option<std::time::Instant>,
    /// For the writer thread to wake the window when a write is done.
    ctx: Option<egui::Context>,
}

/// How many recent files are kept.
const RECENT_MAX: usize = 10;

/// Keys of what eframe's storage keeps between runs.
const STORE_RECENT: &str = "nianbao-recent";
const STORE_ZOOM: &str = "nianbao-zoom";

/// How long the window stays open after the save asked for on closing, so it can be seen.
const CLOSE_DELAY: Duration = Duration::from_millis(1500);

impl NianbaoApp {
    /// The app opening `files` once it runs: none, the bundled sample; one file, on the desk;
    /// a folder or three or more files, their list; two files, side by side.
    pub fn new(files: Vec<PathBuf>, options: Options) -> NianbaoApp {
        let mut app = NianbaoApp::empty(options);
        match files.as_slice() {
            [] => app.startup.push(Source::Sample),
            [p] if p.is_dir() => app.queued.push(Action::OpenFolder(files)),
            [p] => app.startup.push(Source::File(p.clone())),
            [a, b] => app.queued.push(Action::CompareFiles(a.clone(), b.clone())),
            _ => app.queued.push(Action::OpenFolder(files)),
        }
        app
    }

    /// The app with `report` already on the desk (read from `path`, if any).
    pub fn with_report(report: Report, path: Option<PathBuf>, options: Options) -> NianbaoApp {
        let mut app = NianbaoApp::empty(options);
        app.view = View::Single(Box::new(Desk::new(report, path)));
        app
    }

    fn empty(options: Options) -> NianbaoApp {
        let recovery = io::Recovery::new(options.recovery_dir.clone(), options.recovery_interval);
        let recovery_offer = recovery.find();
        NianbaoApp {
            options,
            view: View::Empty,
            worker: io::Worker::default(),
            awaited: None,
            awaited_entry: None,
            awaited_name: (String::new(), false),
            recovery,
            recovery_offer,
            startup: Vec::new(),
            started: false,
            fitted: false,
            focus: Default::default(),
            text_view: Default::default(),
            confirm: None,
            close_allowed: false,
            close_sent: false,
            close_at: None,
            saves: Default::default(),
            saved_note: None,
            recent: Vec::new(),
            about: false,
            shortcuts: false,
            path_dialog: None,
            error: None,
            status: String::new(),
            title: String::new(),
            queued: Vec::new(),
            pending: None,
            drop_offer: None,
            continue_offer: None,
            paste_requested: None,
            ctx: None,
        }
    }

    /// What the window shows.
    pub fn view(&self) -> &View {
        &self.view
    }
    /// The report on the single desk.
    pub fn desk(&self) -> Option<&Desk> {
        self.view.desk()
    }
    /// The compare view's state, while it is shown.
    pub fn compare(&self) -> Option<&CompareDesk> {
        self.view.compare()
    }
    /// The saved review beside the report just opened, while the app offers to continue it.
    pub fn continue_offer(&self) -> Option<&Path> {
        self.continue_offer.as_deref()
    }
    /// The file dropped on the open report, while the app asks what to do with it.
    pub fn drop_offer(&self) -> Option<&Path> {
        self.drop_offer.as_deref()
    }
    /// The folder's list, while shown.
    pub fn folder(&self) -> Option<&Folder> {
        self.view.folder()
    }
    /// The rows of the folder's list in the order shown (sorted and filtered).
    pub fn folder_order(&mut self) -> Vec<usize> {
        self.view.folder_mut().map(|f| f.order().to_vec()).unwrap_or_default()
    }
    /// Whether a file (or a folder's list) is being read.
    pub fn is_loading(&self) -> bool {
        self.awaited.is_some()
            || self.view.folder().is_some_and(Folder::is_loading)
            || !self.startup.is_empty()
            || self.pending.is_some()
            || self.queued.iter().any(|a| matches!(a, Action::CompareFiles(..) | Action::OpenFolder(_)))
    }
    /// The error shown in the window (e.g. why a file cannot be opened).
    /// While a file that may be a scan is read: what its OCR is doing (正在识别版面…,
    /// 正在识别文字 3 / 40).
    pub fn load_progress_text(&self) -> Option<String> {
        self.load_progress().map(|(text, _)| text)
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
    /// The message in the status bar.
    pub fn status(&self) -> &str {
        &self.status
    }
    /// The window title.
    pub fn title(&self) -> String {
        let dirty = |d: &Desk| if d.is_dirty() { " *" } else { "" };
        match &self.view {
            View::Compare(cd, _) => {
                let name = |s: Side| doc_name(cd.desk(s));
                let dirty = if cd.is_dirty() { " *" } else { "" };
                format!("年报审校 — 对比 {} ↔ {}{dirty}", name(Side::Earlier), name(Side::Later))
            }
            View::Single(d) => format!("年报审校 — {}{}", doc_name(d), dirty(d)),
            View::Folder(f) => match &f.desk {
                Some(d) => format!("年报审校 — {} — {}{}", f.folder.name, doc_name(d), dirty(d)),
                None => format!("年报审校 — {}", f.folder.name),
            },
            View::Empty => "年报审校".to_string(),
        }
    }
    /// The recovery file offered for restoring, while the question is open.
    pub fn recovery_offer(&self) -> Option<&Found> {
        self.recovery_offer.as_ref()
    }
    /// What waits for the answer to “save changes?”, while that question is open.
    pub fn asking(&self) -> Option<&AfterConfirm> {
        self.confirm.as_ref()
    }
    /// The file a save would replace, while the app asks 覆盖 / 另存为新名称.
    pub fn overwrite_question(&self) -> Option<&Path> {
        self.saves.overwrite().map(|o| o.path.as_path())
    }
    /// Whether the window was told to close.
    pub fn close_sent(&self) -> bool {
        self.close_sent
    }
    /// Where the raw text shows the source of the selected cell (screen coordinates).
    pub fn source_rect(&self) -> Option<egui::Rect> {
        self.text_view.primary_rect()
    }
    /// The find bar's (current match, number of matches) while it is open (current 1-based).
    pub fn find_state(&self) -> Option<(usize, usize)> {
        self.text_view.find_state()
    }
    /// Where the raw text shows the current find match (screen coordinates).
    pub fn find_rect(&self) -> Option<egui::Rect> {
        self.text_view.current_match_rect()
    }
    /// Files opened lately, newest first.
    pub fn recent(&self) -> &[PathBuf] {
        &self.recent
    }
    /// The recent files kept from an earlier run (those that no longer exist are left out).
    pub fn set_recent(&mut self, recent: Vec<PathBuf>) {
        self.recent = recent.into_iter().filter(|p| p.is_absolute() && p.exists()).take(RECENT_MAX).collect();
    }
    /// Whether the 关于 dialog is shown.
    pub fn about_open(&self) -> bool {
        self.about
    }
    /// Whether the list of shortcuts is shown.
    pub fn shortcuts_open(&self) -> bool {
        self.shortcuts
    }
    /// Queue an action as if a panel had returned it (applied in the next frame).
    pub fn push(&mut self, action: Action) {
        self.queued.push(action);
    }
    /// Wait for the recovery writer (tests, and before exit).
    pub fn sync_recovery(&mut self) {
        self.recovery.sync();
    }

    /// Start saving the review as RON to `path` (atomically, on the writer thread). Once the
    /// write succeeded (see [`NianbaoApp::is_writing`]) the state written counts as saved; if
    /// another save is being written, this one is queued behind it.
    pub fn save_to(&mut self, path: &Path) -> Result<(), String> {
        if self.view.desk().is_none() {
            return Err("没有打开的报告".into());
        }
        self.start_save(path.to_path_buf(), "");
        Ok(())
    }

    /// Whether a save or export is being written (or queued); its result shows in a later frame.
    pub fn is_writing(&self) -> bool {
        self.saves.is_writing()
    }

    /// Test hook: hold every save and export before it is written until released.
    #[doc(hidden)]
    pub fn hold_writes(&mut self, hold: bool) {
        self.worker.hold_writes(hold);
    }
}

/// The file name shown in the title and the questions.
fn doc_name(d: &Desk) -> String {
    d.save_path
        .as_deref()
        .or(d.source_path.as_deref())
        .map(io::file_name)
        .unwrap_or_else(|| d.report().source_name.clone())
}

impl eframe::App for NianbaoApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    /// Kept between runs: the recent files and the zoom (not egui's memory: focus and text
    /// field states belong to one run).
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORE_RECENT, &self.recent);
        if let Some(ctx) = &self.ctx {
            eframe::set_value(storage, STORE_ZOOM, &ctx.zoom_factor());
        }
    }

    fn persist_egui_memory(&self) -> bool {
        false
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.worker.wait_writes(Duration::from_secs(10));
        self.recovery.sync();
    }
}
