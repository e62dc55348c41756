//! The review desk (eframe/egui). Thin: all logic lives in the core modules.
//!
//! Each frame the panels draw from the [`Desk`] and return [`Action`]s; the app applies them
//! in one place afterwards ([`NianbaoApp::apply`]), and every change to the report goes
//! through [`Desk::execute`], which keeps the inverse for undo.

mod action;
mod checks_view;
mod command;
mod compare_state;
mod compare_view;
mod desk;
mod dialogs;
mod fonts;
mod header;
mod io;
mod menu;
mod palette;
mod path_dialog;
mod table_view;
mod text_view;
mod typing;

pub use action::{Action, AfterConfirm, Answer, OverwriteChoice};
pub use command::{Command, History};
pub use compare_state::{CompareDesk, CompareSelection, compare_cell_name};
pub use compare_view::compare_cell_id;
pub use desk::{CellFlags, Desk, MetaField, Selection, Todo, TodoKind, cell_name, display_text};
pub use fonts::install_fonts;
pub use io::{Found, Options, default_recovery_dir};
pub use table_view::cell_id;

use crate::compare::Side;
use crate::document;
use crate::model::Report;
use eframe::egui;
use io::{Content, Event, Pick, Source};
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

pub struct NianbaoApp {
    options: Options,
    desk: Option<Desk>,
    worker: io::Worker,
    /// Number of the load whose result is awaited.
    awaited: Option<u64>,
    recovery: io::Recovery,
    recovery_offer: Option<Found>,
    /// Loads to start in the first frame (no context before).
    startup: Vec<Source>,
    started: bool,
    /// The window was fitted to the screen (once, when the screen's size is first known).
    fitted: bool,
    focus: table_view::CellFocus,
    text_view: text_view::TextView,
    confirm: Option<AfterConfirm>,
    close_allowed: bool,
    /// The window was told to close.
    close_sent: bool,
    /// Close the window then (after a save asked for by “save changes?”, once it was shown).
    close_at: Option<std::time::Instant>,
    /// Saving would replace this file, which is not this review's: 覆盖 / 另存为新名称 / 取消.
    overwrite: Option<Overwrite>,
    /// Said after a save that waited for opening another file, when that file is open.
    saved_note: Option<String>,
    /// Files opened lately, newest first (kept in eframe's storage between runs).
    recent: Vec<PathBuf>,
    /// The 关于 dialog is shown.
    about: bool,
    /// The in-app file dialog, while shown.
    path_dialog: Option<path_dialog::PathDialog>,
    error: Option<String>,
    status: String,
    title: String,
    queued: Vec<Action>,
    /// Two reports side by side (replaces the single desk while shown).
    compare: Option<CompareDesk>,
    /// Loads whose results make a compare view.
    pending: Option<PendingCompare>,
    /// A file dropped on an open report: open it, or compare the two?
    drop_offer: Option<PathBuf>,
    /// Saves and exports being written on the worker's writer thread, by their number.
    writes: Vec<(u64, Write)>,
    /// A save asked for while another one was being written: started once that one is done.
    next_save: Option<NextSave>,
    /// What waits for the save chosen in “save changes?” (close, open another file): done
    /// only once that save succeeded.
    after_save: Option<AfterConfirm>,
    /// The saves of the current round (both sides of the compare view): (prefix, path) written,
    /// and the reasons of those that failed.
    round_saved: Vec<(String, String)>,
    round_failed: Vec<String>,
    /// For the writer thread to wake the window when a write is done.
    ctx: Option<egui::Context>,
}

/// A write under way.
enum Write {
    /// The review of the document `doc_id` saved as RON.
    Save {
        doc_id: u64,
        path: PathBuf,
        prefix: String,
    },
    Export {
        what: &'static str,
        path: PathBuf,
        prefix: String,
    },
}

/// A save that would replace another review's file.
struct Overwrite {
    path: PathBuf,
    /// Said before “已保存到” (e.g. that no file dialog could be shown).
    prefix: String,
}

/// How many recent files are kept.
const RECENT_MAX: usize = 10;

/// Keys of what eframe's storage keeps between runs.
const STORE_RECENT: &str = "nianbao-recent";
const STORE_ZOOM: &str = "nianbao-zoom";

/// How long the window stays open after the save asked for on closing, so it can be seen.
const CLOSE_DELAY: Duration = Duration::from_millis(1500);

/// A save queued behind the one being written.
enum NextSave {
    /// Ctrl+S again (with the path known then).
    Again,
    To(PathBuf, String),
}

/// The status while a second save waits for the first.
const SAVE_QUEUED: &str = "上一次保存尚未完成：完成后会再保存一次（包括此后的修改）";

/// The loads of a compare view under way.
struct PendingCompare {
    /// The loads, in the order given.
    seqs: Vec<u64>,
    loaded: Vec<(u64, Desk)>,
    /// The report on the desk is the first of the two.
    with_current: bool,
}

impl NianbaoApp {
    /// The app opening `files` (only the first; none: the bundled sample) once it runs.
    pub fn new(files: Vec<PathBuf>, options: Options) -> NianbaoApp {
        let mut app = NianbaoApp::empty(options);
        match files.as_slice() {
            [] => app.startup.push(Source::Sample),
            [p] => app.startup.push(Source::File(p.clone())),
            [a, b, rest @ ..] => {
                app.queued.push(Action::CompareFiles(a.clone(), b.clone()));
                if !rest.is_empty() {
                    app.status = format!("一次最多对比两个文件，已打开 {} 与 {}", io::file_name(a), io::file_name(b));
                }
            }
        }
        app
    }

    /// The app with `report` already on the desk (read from `path`, if any).
    pub fn with_report(report: Report, path: Option<PathBuf>, options: Options) -> NianbaoApp {
        let mut app = NianbaoApp::empty(options);
        app.desk = Some(Desk::new(report, path));
        app
    }

    fn empty(options: Options) -> NianbaoApp {
        let recovery = io::Recovery::new(options.recovery_dir.clone(), options.recovery_interval);
        let recovery_offer = recovery.find();
        NianbaoApp {
            options,
            desk: None,
            worker: io::Worker::default(),
            awaited: None,
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
            overwrite: None,
            saved_note: None,
            recent: Vec::new(),
            about: false,
            path_dialog: None,
            error: None,
            status: String::new(),
            title: String::new(),
            queued: Vec::new(),
            compare: None,
            pending: None,
            drop_offer: None,
            writes: Vec::new(),
            next_save: None,
            after_save: None,
            round_saved: Vec::new(),
            round_failed: Vec::new(),
            ctx: None,
        }
    }

    pub fn desk(&self) -> Option<&Desk> {
        self.desk.as_ref()
    }
    pub fn desk_mut(&mut self) -> Option<&mut Desk> {
        self.desk.as_mut()
    }
    /// The compare view's state, while it is shown.
    pub fn compare(&self) -> Option<&CompareDesk> {
        self.compare.as_ref()
    }
    pub fn compare_mut(&mut self) -> Option<&mut CompareDesk> {
        self.compare.as_mut()
    }
    /// The file dropped on the open report, while the app asks what to do with it.
    pub fn drop_offer(&self) -> Option<&Path> {
        self.drop_offer.as_deref()
    }
    /// Whether a file is being read.
    pub fn is_loading(&self) -> bool {
        self.awaited.is_some()
            || !self.startup.is_empty()
            || self.pending.is_some()
            || self.queued.iter().any(|a| matches!(a, Action::CompareFiles(..)))
    }
    /// The error shown in the window (e.g. why a file cannot be opened).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }
    /// The message in the status bar.
    pub fn status(&self) -> &str {
        &self.status
    }
    /// The window title.
    pub fn title(&self) -> String {
        if let Some(cd) = &self.compare {
            let name = |s: Side| doc_name(cd.desk(s));
            let dirty = if cd.is_dirty() { " *" } else { "" };
            return format!("年报审校 — 对比 {} ↔ {}{dirty}", name(Side::Earlier), name(Side::Later));
        }
        match &self.desk {
            Some(d) => format!("年报审校 — {}{}", doc_name(d), if d.is_dirty() { " *" } else { "" }),
            None => "年报审校".to_string(),
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
        self.overwrite.as_ref().map(|o| o.path.as_path())
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
        if self.desk.is_none() {
            return Err("没有打开的报告".into());
        }
        self.start_save(path.to_path_buf(), "");
        Ok(())
    }

    /// Whether a save or export is being written (or queued); its result shows in a later frame.
    pub fn is_writing(&self) -> bool {
        !self.writes.is_empty() || self.next_save.is_some()
    }

    /// Test hook: hold every save and export before it is written until released.
    #[doc(hidden)]
    pub fn hold_writes(&mut self, hold: bool) {
        self.worker.hold_writes(hold);
    }

    /// Draw one frame and apply what it asked for (eframe calls this; so do the tests).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        if !self.started {
            self.start(&ctx);
        }
        if !self.fitted {
            self.fit_to_screen(&ctx);
        }
        for event in self.worker.poll() {
            self.on_event(&ctx, event);
        }
        let mut actions = std::mem::take(&mut self.queued);
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        match dropped.as_slice() {
            [] => {}
            [p] if self.desk.is_some() && self.compare.is_none() => self.drop_offer = Some(p.clone()),
            [p] => actions.push(Action::Open(p.clone())),
            [a, b, ..] => actions.push(Action::CompareFiles(a.clone(), b.clone())),
        }
        let state = match &self.compare {
            Some(cd) => menu::MenuState {
                has_doc: true,
                can_undo: cd.can_undo(),
                can_redo: cd.can_redo(),
                can_compare: false,
                comparing: true,
                recent: self.recent.clone(),
            },
            None => menu::MenuState {
                has_doc: self.desk.is_some(),
                can_undo: self.desk.as_ref().is_some_and(Desk::can_undo),
                can_redo: self.desk.as_ref().is_some_and(Desk::can_redo),
                can_compare: self.desk.is_some(),
                comparing: false,
                recent: self.recent.clone(),
            },
        };
        let modal = self.confirm.is_some()
            || self.recovery_offer.is_some()
            || self.drop_offer.is_some()
            || self.overwrite.is_some()
            || self.path_dialog.is_some()
            || self.about;
        if !modal {
            menu::shortcuts(&ctx, &state, &mut actions);
            if let (Some(desk), None) = (&mut self.desk, &self.compare) {
                typing::keyboard(&ctx, desk, &mut self.focus, &mut actions);
            }
        }

        egui::Panel::top("menu").show(ui, |ui| menu::menu_bar(ui, &state, &mut actions));
        if let Some(cd) = &mut self.compare {
            egui::Panel::top("compare-header").show(ui, |ui| {
                ui.add_space(2.0);
                compare_view::header(ui, cd);
                ui.add_space(2.0);
            });
            egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
            let width = ui.available_width();
            let cd = self.compare.as_mut().unwrap();
            egui::Panel::right("compare-side")
                .resizable(true)
                .default_size((width * 0.3).clamp(300.0, 460.0))
                .min_size(240.0)
                .show(ui, |ui| {
                    egui::Panel::bottom("compare-chart")
                        .resizable(true)
                        .default_size(300.0)
                        .show(ui, |ui| compare_view::chart(ui, cd));
                    compare_view::checks(ui, cd, &mut actions);
                });
            egui::CentralPanel::default().show(ui, |ui| {
                error_banner(ui, self.error.as_deref(), &mut actions);
                compare_view::tables(ui, cd, &mut actions);
            });
        } else if let Some(desk) = &mut self.desk {
            egui::Panel::top("header").show(ui, |ui| {
                ui.add_space(2.0);
                header::show(ui, desk, &mut self.focus.header, &mut actions);
                ui.add_space(2.0);
            });
        }
        if self.compare.is_none() {
            egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
            let width = ui.available_width();
            match &mut self.desk {
                Some(desk) => {
                    // Narrow windows give the tables the room (1024 points: 7 columns of 三 in view).
                    let text_share = if width < 1200.0 { 0.26 } else { 0.32 };
                    egui::Panel::left("raw-text-panel")
                        .resizable(true)
                        .default_size((width * text_share).max(220.0))
                        .min_size(160.0)
                        .show(ui, |ui| {
                            ui.horizontal(|ui| {
                                ui.label(egui::RichText::new("原文").strong());
                                let name = ui.add(
                                    egui::Label::new(
                                        egui::RichText::new(&desk.report().source_name).color(palette::MUTED),
                                    )
                                    .truncate(),
                                );
                                if let Some(p) = desk.save_path.as_ref().or(desk.source_path.as_ref()) {
                                    name.on_hover_text(p.display().to_string());
                                }
                            });
                            self.text_view.show(ui, desk, &mut actions);
                        });
                    egui::Panel::right("checks-panel")
                        .resizable(true)
                        .default_size((width * 0.2).clamp(200.0, 320.0))
                        .min_size(160.0)
                        .show(ui, |ui| checks_view::show(ui, desk, &mut actions));
                    egui::CentralPanel::default().show(ui, |ui| {
                        error_banner(ui, self.error.as_deref(), &mut actions);
                        table_view::show(ui, desk, &mut self.focus, &mut actions);
                    });
                }
                None => {
                    egui::CentralPanel::default().show(ui, |ui| {
                        error_banner(ui, self.error.as_deref(), &mut actions);
                        ui.vertical_centered(|ui| {
                            ui.add_space(ui.available_height() * 0.3);
                            if self.awaited.is_some() || !self.startup.is_empty() || self.pending.is_some() {
                                ui.spinner();
                                ui.label("正在读取…");
                            } else {
                                ui.label(
                                    "按 Ctrl+O 打开一份年度报告（文本、Word、网页、PDF 或 .ron 审校文件），或把文件拖进窗口。",
                                );
                                if ui.button("打开…").clicked() {
                                    actions.push(Action::OpenDialog);
                                }
                                if !self.recent.is_empty() {
                                    ui.add_space(12.0);
                                    ui.label(egui::RichText::new("最近打开").strong());
                                    for p in &self.recent {
                                        let b = ui.button(io::file_name(p)).on_hover_text(p.display().to_string());
                                        if b.clicked() {
                                            actions.push(Action::Open(p.clone()));
                                        }
                                    }
                                }
                            }
                        });
                    });
                }
            }
        }
        if let Some(p) = &self.drop_offer {
            dialogs::drop_offer(&ctx, p, &mut actions);
        }
        if let Some(found) = &self.recovery_offer {
            dialogs::recovery(&ctx, found, &mut actions);
        } else if let Some(o) = &self.overwrite {
            dialogs::overwrite(&ctx, &o.path, &mut actions);
        } else if self.confirm.is_some() {
            let name = match &self.compare {
                Some(cd) => cd.dirty_sides().iter().map(|&s| doc_name(cd.desk(s))).collect::<Vec<_>>().join("、"),
                None => self.desk.as_ref().map(doc_name).unwrap_or_default(),
            };
            dialogs::unsaved(&ctx, &name, &mut actions);
        }
        if self.about && dialogs::about(&ctx) {
            self.about = false;
        }
        if let Some(d) = &mut self.path_dialog
            && let Some(outcome) = d.show(&ctx)
        {
            let pick = d.pick;
            self.path_dialog = None;
            actions.push(Action::PathChosen(
                pick,
                match outcome {
                    path_dialog::Outcome::Chosen(p) => Some(p),
                    path_dialog::Outcome::Cancelled => None,
                },
            ));
        }
        drop_overlay(&ctx);

        let changed = !actions.is_empty();
        for action in actions {
            self.apply(&ctx, action);
        }
        if changed {
            ctx.request_repaint();
        }
        self.handle_close(&ctx);
        self.close_when_due(&ctx);
        let title = self.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        let doc = self.desk.as_ref().filter(|_| self.compare.is_none()).map(|d| io::RecoveryDoc {
            doc_id: d.doc_id(),
            generation: d.generation(),
            dirty: d.is_dirty(),
            report: d.report(),
            reviewed: d.reviewed(),
            paths: (d.source_path.clone(), d.save_path.clone()),
        });
        if let Some(due) = self.recovery.tick(doc) {
            ctx.request_repaint_after(due);
        }
    }

    /// A window larger than the screen (1400×900 on a 1024×768 or 1366×768 screen) is made to
    /// fit it, so that nothing is out of reach.
    fn fit_to_screen(&mut self, ctx: &egui::Context) {
        let (monitor, outer) = ctx.input(|i| (i.viewport().monitor_size, i.viewport().outer_rect));
        let (Some(m), Some(outer)) = (monitor, outer) else { return };
        self.fitted = true;
        let inner = ctx.content_rect().size();
        let frame = outer.size() - inner;
        let room = m - frame - egui::vec2(0.0, 32.0).min(m * 0.05);
        if outer.width() > m.x || outer.height() > m.y {
            ctx.send_viewport_cmd(egui::ViewportCommand::InnerSize(inner.min(room).max(egui::vec2(800.0, 500.0))));
            ctx.send_viewport_cmd(egui::ViewportCommand::OuterPosition(egui::Pos2::ZERO));
        }
    }

    fn start(&mut self, ctx: &egui::Context) {
        self.started = true;
        ctx.set_theme(egui::Theme::Light);
        ctx.all_styles_mut(|s| {
            use egui::{FontFamily, FontId, TextStyle};
            s.text_styles.insert(TextStyle::Body, FontId::new(14.0, FontFamily::Proportional));
            s.text_styles.insert(TextStyle::Button, FontId::new(14.0, FontFamily::Proportional));
            s.text_styles.insert(TextStyle::Monospace, FontId::new(13.0, FontFamily::Monospace));
            s.text_styles.insert(TextStyle::Small, FontId::new(11.5, FontFamily::Proportional));
            s.text_styles.insert(TextStyle::Heading, FontId::new(18.0, FontFamily::Proportional));
        });
        for source in std::mem::take(&mut self.startup) {
            self.load(ctx, source);
        }
    }

    fn load(&mut self, ctx: &egui::Context, source: Source) {
        let source = match source {
            Source::File(p) => Source::File(io::absolute(&p)),
            other => other,
        };
        self.status = format!("正在读取 {}…", source.name());
        self.awaited = Some(self.worker.load(ctx, source));
    }

    fn on_event(&mut self, ctx: &egui::Context, event: Event) {
        match event {
            Event::Loaded { seq, source, result } if self.pending.as_ref().is_some_and(|p| p.seqs.contains(&seq)) => {
                self.on_compare_loaded(seq, source, result.map(|r| *r));
            }
            Event::Loaded { seq, source, result } => {
                if self.awaited != Some(seq) {
                    return; // a later open replaced this one
                }
                self.awaited = None;
                match result {
                    Ok(opened) => {
                        let io::Opened { report, reviewed } = *opened;
                        let (desk, status) = match source {
                            Source::File(p) => {
                                self.remember(&p);
                                (
                                    Desk::with_reviewed(report, Some(p.clone()), reviewed),
                                    format!("已打开 {}", p.display()),
                                )
                            }
                            Source::Sample => {
                                (Desk::new(report, None), "已打开内置示例报告（按 Ctrl+O 打开其他文件）".to_string())
                            }
                            Source::Recovery { source_path, save_path, .. } => (
                                Desk::restored(report, reviewed, source_path, save_path),
                                "已恢复上次未保存的审校（尚未保存）".to_string(),
                            ),
                        };
                        self.focus = Default::default();
                        // Show the first problem at once: its cells in the table, its sources in the text.
                        let mut desk = desk;
                        desk.select_first_entry();
                        self.focus.reveal = desk.selection().primary;
                        self.desk = Some(desk);
                        self.compare = None;
                        self.error = None;
                        self.status = match self.saved_note.take() {
                            Some(saved) => format!("{saved}；{status}"),
                            None => status,
                        };
                    }
                    Err(e) => {
                        self.error = Some(format!("无法打开 {}：{}", source.name(), e));
                        self.status = "打开失败".to_string();
                    }
                }
            }
            Event::Picked { pick, path, unavailable } => {
                self.on_picked(ctx, pick, path, unavailable);
                self.after_save_done(ctx);
            }
            Event::Written { seq, result } => self.on_written(ctx, seq, result),
        }
    }

    /// Whether a save is being written.
    fn saving(&self) -> bool {
        self.writes.iter().any(|(_, w)| matches!(w, Write::Save { .. }))
    }

    /// Start writing the desk's review to `path`; queued when a save is being written.
    fn start_save(&mut self, path: PathBuf, prefix: &str) {
        let path = io::absolute(&path);
        if self.saving() {
            self.next_save = Some(NextSave::To(path, prefix.to_string()));
            self.status = SAVE_QUEUED.into();
            return;
        }
        let Some(desk) = &mut self.desk else { return };
        desk.begin_save();
        let content = Content::Ron(Box::new(desk.report().clone()), desk.reviewed_keys());
        let doc_id = desk.doc_id();
        self.status = format!("正在保存到 {}…", path.display());
        let seq = self.worker.write(self.ctx.as_ref(), path.clone(), content);
        self.writes.push((seq, Write::Save { doc_id, path, prefix: prefix.to_string() }));
    }

    /// The desk (single, or a side of the compare view) of document `doc_id`, if still open.
    fn desk_by_id(&mut self, doc_id: u64) -> Option<&mut Desk> {
        if let Some(d) = self.desk.as_mut().filter(|d| d.doc_id() == doc_id) {
            return Some(d);
        }
        let cd = self.compare.as_mut()?;
        [Side::Earlier, Side::Later].into_iter().find(|&s| cd.desk(s).doc_id() == doc_id).map(move |s| cd.desk_mut(s))
    }

    /// A save or export was written (or failed).
    fn on_written(&mut self, ctx: &egui::Context, seq: u64, result: Result<(), String>) {
        let Some(k) = self.writes.iter().position(|(s, _)| *s == seq) else {
            return;
        };
        let (_, write) = self.writes.remove(k);
        match write {
            Write::Export { what, path, prefix } => match result {
                Ok(()) => self.status = format!("{prefix}已导出 {what} 到 {}", path.display()),
                Err(e) => {
                    let msg = format!("无法导出到 {}：{e}", path.display());
                    self.status = format!("导出失败：{msg}");
                    self.error = Some(msg);
                }
            },
            Write::Save { doc_id, path, prefix } => {
                if let Some(desk) = self.desk_by_id(doc_id) {
                    desk.finish_save(path.clone(), result.is_ok());
                }
                match result {
                    Ok(()) => {
                        if self.desk.as_ref().is_some_and(|d| d.doc_id() == doc_id) {
                            self.recovery.clear();
                        }
                        self.remember(&path);
                        self.round_saved.push((prefix, path.display().to_string()));
                    }
                    Err(e) => self.round_failed.push(format!("无法保存到 {}：{e}", path.display())),
                }
                if !self.saving() {
                    self.end_save_round(ctx);
                }
            }
        }
    }

    /// Every save of the round is done: report it, then start the queued save or do what
    /// waited for it.
    fn end_save_round(&mut self, ctx: &egui::Context) {
        let saved = std::mem::take(&mut self.round_saved);
        let failed = std::mem::take(&mut self.round_failed);
        if !failed.is_empty() {
            let msg = failed.join("；");
            let dropped = self.after_save.take().is_some() | self.next_save.take().is_some();
            self.status = format!("保存失败：{msg}{}", if dropped { "（后续操作已取消）" } else { "" });
            self.error = Some(msg);
            return;
        }
        let prefix = saved.first().map(|(p, _)| p.clone()).unwrap_or_default();
        let paths: Vec<String> = saved.into_iter().map(|(_, p)| p).collect();
        self.status = format!("{prefix}已保存到 {}", paths.join("、"));
        if self.is_dirty() {
            self.status.push_str("（保存期间又有修改，尚未保存）");
        }
        match self.next_save.take() {
            Some(NextSave::Again) => self.apply(ctx, Action::Save),
            Some(NextSave::To(p, prefix)) => self.start_save(p, &prefix),
            None => {}
        }
        self.after_save_done(ctx);
    }

    /// When no save is under way any more: go on with what waited for the save, or ask again
    /// if there were edits meanwhile.
    fn after_save_done(&mut self, ctx: &egui::Context) {
        if self.saving()
            || self.next_save.is_some()
            || self.overwrite.is_some()
            || self.worker.dialog_open()
            || self.path_dialog.is_some()
        {
            return;
        }
        if let Some(after) = self.after_save.take() {
            if self.is_dirty() {
                self.confirm = Some(after);
                return;
            }
            match after {
                // Close once the clerk could see where the review went.
                AfterConfirm::Quit => {
                    self.status.push_str("，窗口即将关闭");
                    self.close_at = Some(std::time::Instant::now() + CLOSE_DELAY);
                    ctx.request_repaint_after(CLOSE_DELAY);
                }
                AfterConfirm::Open(p) => {
                    self.saved_note = Some(self.status.clone());
                    self.load(ctx, Source::File(p));
                }
            }
        }
    }

    /// Close the window when the time to show the save is up (unless it was edited meanwhile).
    fn close_when_due(&mut self, ctx: &egui::Context) {
        let Some(t) = self.close_at else { return };
        let now = std::time::Instant::now();
        if now < t {
            ctx.request_repaint_after(t - now);
            return;
        }
        self.close_at = None;
        if self.is_dirty() {
            self.confirm = Some(AfterConfirm::Quit);
        } else {
            self.close(ctx);
        }
    }

    fn close(&mut self, ctx: &egui::Context) {
        self.close_allowed = true;
        self.close_sent = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    /// Save without asking where: to the review's `.ron`, else `NAME.ron` beside the input —
    /// unless that file exists (another review): then ask 覆盖 / 另存为新名称 first.
    fn save_here(&mut self, prefix: &str) {
        let Some(desk) = &self.desk else { return };
        if let Some(p) = desk.save_path.clone() {
            self.start_save(p, prefix);
            return;
        }
        let path = io::beside(desk.source_path.as_deref(), &desk.report().source_name, "ron");
        if path.exists() {
            self.status = format!("{} 已存在：覆盖，还是另存为新名称？", path.display());
            self.overwrite = Some(Overwrite { path, prefix: prefix.to_string() });
        } else {
            self.start_save(path, prefix);
        }
    }

    /// Start reading the files of a compare view (`with_current`: the desk's report is the first).
    fn load_compare(&mut self, ctx: &egui::Context, files: Vec<PathBuf>, with_current: bool) {
        let names: Vec<String> = files.iter().map(|p| io::file_name(p)).collect();
        self.status = format!("正在读取 {}…", names.join("、"));
        self.awaited = None;
        let seqs = files.into_iter().map(|p| self.worker.load(ctx, Source::File(io::absolute(&p)))).collect();
        self.pending = Some(PendingCompare { seqs, loaded: Vec::new(), with_current });
    }

    fn on_compare_loaded(&mut self, seq: u64, source: Source, result: Result<io::Opened, document::LoadError>) {
        let Some(pending) = &mut self.pending else {
            return;
        };
        let path = match &source {
            Source::File(p) => Some(p.clone()),
            _ => None,
        };
        match result {
            Ok(o) => pending.loaded.push((seq, Desk::with_reviewed(o.report, path, o.reviewed))),
            Err(e) => {
                self.pending = None;
                self.error = Some(format!("无法打开 {}：{}", source.name(), e));
                self.status = "对比失败".to_string();
                return;
            }
        }
        if pending.loaded.len() < pending.seqs.len() {
            return;
        }
        let Some(mut pending) = self.pending.take() else {
            return;
        };
        let order = pending.seqs.clone();
        pending.loaded.sort_by_key(|(s, _)| order.iter().position(|x| x == s));
        let mut desks: Vec<Desk> = pending.loaded.into_iter().map(|(_, d)| d).collect();
        if pending.with_current {
            match self.desk.take() {
                Some(d) => desks.insert(0, d),
                None => return,
            }
        }
        let (Some(b), Some(a)) = (desks.pop(), desks.pop()) else {
            return;
        };
        let cd = CompareDesk::new(a, b);
        self.status =
            format!("对比 {} 与 {}（按年度排列）", doc_name(cd.desk(Side::Earlier)), doc_name(cd.desk(Side::Later)));
        self.desk = None;
        self.compare = Some(cd);
        self.error = None;
    }

    /// Start saving every edited side of the compare view to its own `.ron` (queued when a
    /// save is being written).
    fn save_compare(&mut self) {
        if self.saving() {
            self.next_save = Some(NextSave::Again);
            self.status = SAVE_QUEUED.into();
            return;
        }
        let Some(cd) = &mut self.compare else { return };
        let sides = cd.dirty_sides();
        if sides.is_empty() {
            self.status = "两份报告都没有未保存的修改".into();
            return;
        }
        let mut names = Vec::new();
        for side in sides {
            let path = cd.save_path(side);
            let desk = cd.desk_mut(side);
            desk.begin_save();
            let content = Content::Ron(Box::new(desk.report().clone()), desk.reviewed_keys());
            let doc_id = desk.doc_id();
            let seq = self.worker.write(self.ctx.as_ref(), path.clone(), content);
            names.push(path.display().to_string());
            self.writes.push((seq, Write::Save { doc_id, path, prefix: String::new() }));
        }
        self.status = format!("正在保存到 {}…", names.join("、"));
    }

    /// A file dialog answered (`unavailable`: a native one could not be shown at all).
    fn on_picked(&mut self, ctx: &egui::Context, pick: Pick, path: Option<PathBuf>, unavailable: bool) {
        match (pick, path) {
            (Pick::Compare, Some(p)) => self.apply(ctx, Action::CompareWith(p)),
            (Pick::Open, Some(p)) => self.apply(ctx, Action::Open(p)),
            (Pick::SaveAs | Pick::SaveAsNew, Some(mut p)) => {
                if p.extension().is_none() {
                    p.set_extension("ron");
                }
                self.start_save(p, "");
            }
            (Pick::ExportCsv | Pick::ExportJson, Some(mut p)) => {
                if p.extension().is_none() {
                    p.set_extension(if pick == Pick::ExportCsv { "csv" } else { "json" });
                }
                self.export_reporting(pick, &p, "")
            }
            // No native dialog could be shown (no xdg portal): the in-app one.
            (_, None) if unavailable => self.open_path_dialog(pick),
            (_, None) => {
                // A cancelled save also cancels what waited for it (closing, opening another file).
                self.after_save = None;
                self.status = "已取消".into();
            }
        }
    }

    /// The in-app dialog chose `path` for `pick`: as a native one, except that replacing
    /// another review's file is asked here (覆盖 / 另存为新名称).
    fn on_path_chosen(&mut self, ctx: &egui::Context, pick: Pick, path: Option<PathBuf>) {
        if let (Pick::SaveAs | Pick::SaveAsNew, Some(p)) = (pick, &path) {
            let mut p = p.clone();
            if p.extension().is_none() {
                p.set_extension("ron");
            }
            let ours = self.desk.as_ref().and_then(|d| d.save_path.as_deref()) == Some(io::absolute(&p).as_path());
            if p.exists() && !ours {
                self.status = format!("{} 已存在：覆盖，还是另存为新名称？", p.display());
                self.overwrite = Some(Overwrite { path: p, prefix: String::new() });
                return;
            }
        }
        self.on_picked(ctx, pick, path, false);
    }

    /// Where a dialog for `pick` starts, its title and the extensions it shows.
    fn dialog_setup(&self, pick: Pick) -> Option<(PathBuf, &'static str, &'static str, &'static [&'static str])> {
        const OPENABLE: &[&str] = &["txt", "ron", "docx", "html", "htm", "pdf"];
        let desk = self.desk.as_ref();
        let (ext, title, filter) = match pick {
            Pick::Open => ("txt", "打开年度报告", "年度报告（文本、Word、网页、PDF 或 .ron 审校文件）"),
            Pick::Compare => ("txt", "选择要对比的另一年度报告", "年度报告（文本、Word、网页、PDF 或 .ron 审校文件）"),
            Pick::SaveAs | Pick::SaveAsNew => ("ron", "保存审校", "审校文件 (RON)"),
            Pick::ExportCsv => ("csv", "导出 CSV", "CSV"),
            Pick::ExportJson => ("json", "导出 JSON", "JSON"),
        };
        match (pick, desk) {
            (Pick::Open | Pick::Compare, _) => {
                let recent = self.recent.first().map(PathBuf::as_path);
                let dir = desk
                    .and_then(|d| d.save_path.as_deref().or(d.source_path.as_deref()))
                    .or(recent)
                    .and_then(Path::parent)
                    .map(Path::to_path_buf)
                    .or_else(|| std::env::current_dir().ok())?;
                Some((dir, title, filter, OPENABLE))
            }
            (_, Some(desk)) => {
                let (source, name) = (desk.source_path.as_deref(), &desk.report().source_name);
                let suggested = match (pick, &desk.save_path) {
                    (Pick::SaveAs, Some(p)) => p.clone(),
                    (Pick::SaveAsNew, _) => io::beside_free(source, name, ext),
                    _ => io::beside(source, name, ext),
                };
                let exts: &'static [&'static str] = match ext {
                    "ron" => &["ron"],
                    "csv" => &["csv"],
                    _ => &["json"],
                };
                Some((suggested, title, filter, exts))
            }
            (_, None) => None,
        }
    }

    fn open_path_dialog(&mut self, pick: Pick) {
        if let Some((start, title, _, exts)) = self.dialog_setup(pick) {
            self.path_dialog = Some(path_dialog::PathDialog::new(pick, start, exts, title));
        }
    }

    /// Start exporting the desk's report to `path` (made and written on the writer thread).
    fn export_reporting(&mut self, pick: Pick, path: &Path, prefix: &str) {
        let Some(desk) = &self.desk else { return };
        let r = Box::new(desk.report().clone());
        let (content, what) = match pick {
            Pick::ExportCsv => (Content::Csv(r), "CSV"),
            _ => (Content::Json(r), "JSON"),
        };
        self.status = format!("正在导出 {what} 到 {}…", path.display());
        let seq = self.worker.write(self.ctx.as_ref(), path.to_path_buf(), content);
        self.writes.push((seq, Write::Export { what, path: path.to_path_buf(), prefix: prefix.to_string() }));
    }

    /// Ask for a file with a native dialog (on its own thread); without dialogs, go on as if
    /// none could be shown (files beside the input).
    fn dialog(&mut self, ctx: &egui::Context, pick: Pick) {
        if self.worker.dialog_open() || self.path_dialog.is_some() {
            return; // one at a time
        }
        if !self.options.dialogs {
            self.open_path_dialog(pick);
            return;
        }
        let Some((start, title, filter, exts)) = self.dialog_setup(pick) else { return };
        let mut d = rfd::FileDialog::new().set_title(title).add_filter(filter, exts);
        if matches!(pick, Pick::Open | Pick::Compare) {
            d = d.set_directory(&start);
        } else {
            d = d.set_file_name(io::file_name(&start));
            if let Some(dir) = start.parent() {
                d = d.set_directory(dir);
            }
        }
        self.worker.pick(ctx, pick, d);
    }

    /// Apply one action: the single place where panels' requests change the state.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        // An entry clicked is known by its key: committing the typing may reorder the list.
        let entry_key = match &action {
            Action::SelectEntry(k) => self.desk.as_ref().and_then(|d| d.todo().get(*k)).map(|t| t.key.clone()),
            _ => None,
        };
        if matches!(
            action,
            Action::Save
                | Action::SaveAs
                | Action::ExportCsv
                | Action::ExportJson
                | Action::Quit
                | Action::Open(_)
                | Action::SelectEntry(_)
                | Action::NextEntry
                | Action::PrevEntry
                | Action::MarkReviewed
        ) {
            self.commit_typing();
        }
        if matches!(action, Action::Open(_) | Action::CompareWith(_) | Action::CompareFiles(..)) {
            self.drop_offer = None;
        }
        if self.compare.is_some() && self.apply_compare(ctx, &action) {
            return;
        }
        let n = self.desk.as_ref().map_or(0, |d| d.report().cells.len());
        match action {
            Action::SelectCell(i) if i < n => self.desk.as_mut().unwrap().select_cell(i),
            Action::ShowCell(i) if i < n => {
                self.desk.as_mut().unwrap().select_cell(i);
                self.focus.request = Some(i);
            }
            Action::SelectEntry(_) => {
                let k = entry_key.and_then(|key| self.desk.as_ref()?.todo().iter().position(|t| t.key == key));
                self.go_to_entry(k);
            }
            Action::NextEntry | Action::PrevEntry => {
                let forward = action == Action::NextEntry;
                let k = self.desk.as_ref().and_then(|d| d.next_entry(forward));
                if k.is_none() && self.desk.is_some() {
                    self.status = "没有待核对的项".into();
                }
                self.go_to_entry(k);
            }
            Action::MarkReviewed => {
                if let Some(desk) = &mut self.desk {
                    match desk.selection().entry {
                        Some(k) => {
                            desk.mark_reviewed(k);
                            self.status = format!("已标为已核对（可撤销），还有 {} 项待核对", desk.todo().len());
                            self.focus.request = desk.selection().primary;
                            self.focus.header = desk.selection().entry.and_then(|k| desk.todo()[k].field);
                        }
                        None => self.status = "先在待核对中选中一项（F8）".into(),
                    }
                }
            }
            Action::UnmarkReviewed(key) => {
                if let Some(desk) = &mut self.desk {
                    desk.unmark_reviewed(&key);
                    self.status = "已取消“已核对”（可撤销）".into();
                }
            }
            Action::SetOrgan(text) => {
                if let Some(desk) = &mut self.desk
                    && desk.set_organ(&text)
                {
                    self.status = "已修改机关名称（可撤销）".into();
                }
            }
            Action::SetYear(text) => {
                if let Some(desk) = &mut self.desk {
                    match desk.set_year(&text) {
                        Ok(true) => self.status = "已修改年度（可撤销）".into(),
                        Ok(false) => {}
                        Err(e) => self.status = e,
                    }
                }
            }
            Action::SetTemplate(t) => {
                if let Some(desk) = &mut self.desk
                    && desk.set_template(t)
                {
                    self.focus = Default::default();
                    self.status =
                        format!("已改为 {} 年版表格：两版都有的格保留原值，其余为缺失（Ctrl+Z 可撤销）", t.number());
                }
            }
            Action::Edit { cell, text } if cell < n => {
                let desk = self.desk.as_mut().unwrap();
                if desk.edit(cell, &text) {
                    self.status = format!("已修改 {}", desk.name(cell));
                }
            }
            Action::Revert(i) if i < n => self.desk.as_mut().unwrap().revert_buffer(i),
            Action::Undo => {
                if let Some(desk) = &mut self.desk {
                    match self.focus.focused.filter(|&i| i < n && desk.is_pending(i)) {
                        Some(i) => desk.revert_buffer(i),
                        None if desk.undo() => self.status = "已撤销".into(),
                        None => self.status = "没有可撤销的修改".into(),
                    }
                }
            }
            Action::Redo => {
                if let Some(desk) = &mut self.desk {
                    self.status = if desk.redo() { "已重做".into() } else { "没有可重做的修改".into() };
                }
            }
            Action::Open(p) => {
                if self.is_dirty() {
                    self.confirm = Some(AfterConfirm::Open(p));
                } else {
                    self.load(ctx, Source::File(p));
                }
            }
            Action::OpenDialog => self.dialog(ctx, Pick::Open),
            Action::Save => {
                if self.saving() {
                    self.next_save = Some(NextSave::Again);
                    self.status = SAVE_QUEUED.into();
                } else if let Some(p) = self.desk.as_ref().and_then(|d| d.save_path.clone()) {
                    self.start_save(p, "");
                } else {
                    self.dialog(ctx, Pick::SaveAs);
                }
            }
            Action::SaveAs => self.dialog(ctx, Pick::SaveAs),
            Action::ExportCsv => self.dialog(ctx, Pick::ExportCsv),
            Action::ExportJson => self.dialog(ctx, Pick::ExportJson),
            Action::Quit => {
                if self.is_dirty() && !self.close_allowed {
                    self.confirm = Some(AfterConfirm::Quit);
                } else {
                    self.close(ctx);
                }
            }
            Action::RestoreRecovery => {
                if let Some(found) = self.recovery_offer.take() {
                    let Found { file, source_path, save_path, .. } = found;
                    self.load(ctx, Source::Recovery { file, source_path, save_path });
                }
            }
            Action::DiscardRecovery => {
                self.recovery_offer = None;
                self.recovery.clear();
            }
            Action::Confirm(answer) => {
                let Some(after) = self.confirm.take() else {
                    return;
                };
                match answer {
                    Answer::Cancel => self.status = "已取消".into(),
                    Answer::Save => {
                        if self.desk.is_none() {
                            return;
                        }
                        // Close or open the other file only once this save succeeded (and, on
                        // closing, was shown).
                        self.after_save = Some(after);
                        self.save_here("");
                        self.after_save_done(ctx);
                    }
                    Answer::Discard => {
                        // The writer removes it in order; on exit the app waits for it.
                        self.recovery.clear();
                        self.proceed(ctx, after);
                    }
                }
            }
            Action::Overwrite(choice) => {
                let Some(o) = self.overwrite.take() else { return };
                match choice {
                    OverwriteChoice::Replace => self.start_save(o.path, &o.prefix),
                    OverwriteChoice::NewName => self.dialog(ctx, Pick::SaveAsNew),
                    OverwriteChoice::Cancel => {
                        self.after_save = None;
                        self.status = "已取消保存".into();
                    }
                }
                self.after_save_done(ctx);
            }
            Action::About => self.about = true,
            Action::PathChosen(pick, path) => {
                self.on_path_chosen(ctx, pick, path);
                self.after_save_done(ctx);
            }
            Action::Find => self.text_view.open_find(),
            Action::DismissError => self.error = None,
            Action::CompareDialog if self.desk.is_some() => self.dialog(ctx, Pick::Compare),
            Action::CompareWith(p) => {
                self.drop_offer = None;
                if self.desk.is_some() {
                    self.load_compare(ctx, vec![p], true);
                }
            }
            Action::CompareFiles(a, b) => {
                if self.is_dirty() {
                    self.status = "请先保存或撤销当前的修改，再打开对比".into();
                } else {
                    self.load_compare(ctx, vec![a, b], false);
                }
            }
            Action::DismissDrop => self.drop_offer = None,
            Action::ApplySuggestion(k) => {
                if let Some(desk) = &mut self.desk
                    && desk.apply_suggestion(k)
                {
                    self.status = "已采纳建议的更正（可撤销）".into();
                }
            }
            Action::IgnoreSuggestion(k) => {
                if let Some(desk) = &mut self.desk {
                    desk.ignore_suggestion(k);
                    self.status = "已忽略该建议".into();
                }
            }
            _ => {}
        }
    }

    /// The actions that work differently in the compare view; true when handled.
    fn apply_compare(&mut self, ctx: &egui::Context, action: &Action) -> bool {
        let Some(cd) = &mut self.compare else {
            return false;
        };
        match action {
            Action::CompareSelectCheck(k) => cd.select_check(*k),
            Action::CompareSelectCell(side, i) => cd.select_cell(*side, *i),
            Action::CompareEdit { side, cell, text } => {
                if *cell < cd.desk(*side).report().cells.len() && cd.edit(*side, *cell, text) {
                    self.status = format!("已修改 {} {}", cd.year_label(*side), cd.desk(*side).name(*cell));
                }
            }
            Action::Undo => {
                self.status = if cd.undo() { "已撤销".into() } else { "没有可撤销的修改".into() }
            }
            Action::Redo => {
                self.status = if cd.redo() { "已重做".into() } else { "没有可重做的修改".into() }
            }
            Action::Save | Action::SaveAs => self.save_compare(),
            Action::ExportCsv | Action::ExportJson => {
                // Written beside the later report, named after both (no dialog: one click, one file).
                let csv = matches!(action, Action::ExportCsv);
                let (e, l) = (cd.desk(Side::Earlier), cd.desk(Side::Later));
                let stem = |d: &Desk| {
                    let n = d.report().source_name.clone();
                    Path::new(&n).file_stem().map_or(n.clone(), |s| s.to_string_lossy().into_owned())
                };
                let name = format!("对比-{}-{}", stem(e), stem(l));
                let dir = l.source_path.as_deref().and_then(Path::parent).filter(|d| !d.as_os_str().is_empty());
                let ext = if csv { "csv" } else { "json" };
                let path = io::unused_path(dir.unwrap_or(Path::new(".")), &name, ext);
                let pair = Box::new((e.report().clone(), l.report().clone()));
                let (content, what) = if csv {
                    (Content::CompareCsv(pair), "对比 CSV")
                } else {
                    (Content::CompareJson(pair), "对比 JSON")
                };
                self.status = format!("正在导出{what}到 {}…", path.display());
                let seq = self.worker.write(self.ctx.as_ref(), path.clone(), content);
                self.writes.push((seq, Write::Export { what, path, prefix: String::new() }));
            }
            Action::CloseCompare => {
                if cd.is_dirty() {
                    self.status = "请先保存（Ctrl+S）或撤销对比中的修改，再关闭对比".into();
                } else if let Some(cd) = self.compare.take() {
                    let (_, later) = cd.into_desks();
                    self.status = format!("已关闭对比，显示 {}", doc_name(&later));
                    self.desk = Some(later);
                }
            }
            Action::Open(p) => {
                if cd.is_dirty() {
                    self.confirm = Some(AfterConfirm::Open(p.clone()));
                } else {
                    self.load(ctx, Source::File(p.clone()));
                }
            }
            Action::Confirm(Answer::Save) => {
                let Some(after) = self.confirm.take() else {
                    return true;
                };
                self.after_save = Some(after);
                self.save_compare();
                self.after_save_done(ctx);
            }
            _ => return false,
        }
        true
    }

    /// Put `p` first in the recent files (at most [`RECENT_MAX`]).
    fn remember(&mut self, p: &Path) {
        self.recent.retain(|q| q != p);
        self.recent.insert(0, p.to_path_buf());
        self.recent.truncate(RECENT_MAX);
    }

    /// Select 待核对 entry `k` and go to it: its first cell focused with its text selected (so
    /// typing replaces it), or the header field it is about.
    fn go_to_entry(&mut self, k: Option<usize>) {
        let (Some(desk), Some(k)) = (&mut self.desk, k) else { return };
        desk.select_entry(k);
        let field = desk.todo().get(k).and_then(|t| t.field);
        self.focus.header = field;
        self.focus.request = if field.is_some() { None } else { desk.selection().primary };
    }

    /// Commit what is typed into the focused cell (before saving, exporting, closing).
    fn commit_typing(&mut self) {
        let Some(desk) = &mut self.desk else { return };
        if let Some(i) = self.focus.focused.filter(|&i| i < desk.buffers.len() && desk.is_pending(i)) {
            let text = desk.buffers[i].clone();
            if desk.edit(i, &text) {
                self.status = format!("已修改 {}", desk.name(i));
            }
        }
        // The organ or year being typed in the header (only when typed: a value read with
        // spaces around it is no change).
        let r = desk.report();
        let (organ, year) = (desk.organ_buf.clone(), desk.year_buf.clone());
        let organ_typed = organ != r.organ.clone().unwrap_or_default();
        let year_typed = year != r.year.map(|y| y.to_string()).unwrap_or_default();
        if organ_typed && desk.set_organ(&organ) {
            self.status = "已修改机关名称（可撤销）".into();
        }
        if year_typed {
            match desk.set_year(&year) {
                Ok(true) => self.status = "已修改年度（可撤销）".into(),
                Ok(false) => {}
                Err(e) => self.status = e,
            }
        }
    }

    fn proceed(&mut self, ctx: &egui::Context, after: AfterConfirm) {
        match after {
            AfterConfirm::Open(p) => self.load(ctx, Source::File(p)),
            AfterConfirm::Quit => self.close(ctx),
        }
    }

    fn is_dirty(&self) -> bool {
        if let Some(cd) = &self.compare {
            return cd.is_dirty();
        }
        self.desk.as_ref().is_some_and(Desk::is_dirty)
    }

    fn handle_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        self.commit_typing();
        if self.is_dirty() && !self.close_allowed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(AfterConfirm::Quit);
        }
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if self.awaited.is_some() {
                ui.spinner();
            }
            ui.add(egui::Label::new(&self.status).truncate());
            if let Some(cd) = &self.compare {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if cd.is_dirty() {
                        ui.label(egui::RichText::new("未保存").color(palette::WARNING));
                    }
                    ui.label(
                        egui::RichText::new("Ctrl+S 保存修改过的一方（各自的 .ron）").small().color(palette::MUTED),
                    );
                });
            } else if let Some(desk) = &self.desk {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if desk.is_dirty() {
                        ui.label(egui::RichText::new("未保存").color(palette::WARNING));
                    }
                    if let Some(p) = desk.save_path.as_ref().or(desk.source_path.as_ref()) {
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(p.display().to_string()).small().color(palette::MUTED),
                            )
                            .truncate(),
                        );
                    }
                });
            }
        });
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

fn error_banner(ui: &mut egui::Ui, error: Option<&str>, actions: &mut Vec<Action>) {
    let Some(e) = error else { return };
    egui::Frame::new()
        .fill(egui::Color32::from_rgb(253, 226, 226))
        .stroke(egui::Stroke::new(1.0, palette::ERROR))
        .corner_radius(4.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.add(egui::Label::new(egui::RichText::new(e).color(palette::ERROR)).wrap());
                if ui.button("关闭").clicked() {
                    actions.push(Action::DismissError);
                }
            });
        });
    ui.add_space(6.0);
}

/// “Drop to open” while a file is dragged over the window.
fn drop_overlay(ctx: &egui::Context) {
    if ctx.input(|i| i.raw.hovered_files.is_empty()) {
        return;
    }
    let painter = ctx.layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("drop-overlay")));
    let rect = ctx.content_rect();
    painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(140));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        "松开鼠标以打开文件",
        egui::FontId::proportional(24.0),
        egui::Color32::WHITE,
    );
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
