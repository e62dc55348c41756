//! The review desk (eframe/egui). Thin: all logic lives in the core modules.
//!
//! Each frame the panels draw from the [`Desk`] and return [`Action`]s; the app applies them
//! in one place afterwards ([`NianbaoApp::apply`]), and every change to the report goes
//! through [`Desk::execute`], which keeps the inverse for undo.

mod action;
mod checks_view;
mod command;
mod desk;
mod dialogs;
mod fonts;
mod header;
mod io;
mod menu;
mod palette;
mod table_view;
mod text_view;

pub use action::{Action, AfterConfirm, Answer};
pub use command::{Command, History};
pub use desk::{CellFlags, Desk, Selection, cell_name, display_text};
pub use fonts::install_fonts;
pub use io::{Found, Options, default_recovery_dir};
pub use table_view::cell_id;

use crate::document::{self, io_reason};
use crate::model::Report;
use eframe::egui;
use io::{Event, Pick, Source};
use std::path::{Path, PathBuf};

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
            Ok(Box::new(NianbaoApp::new(files, Options::default())))
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
    focus: table_view::CellFocus,
    text_view: text_view::TextView,
    confirm: Option<AfterConfirm>,
    close_allowed: bool,
    error: Option<String>,
    status: String,
    title: String,
    queued: Vec<Action>,
}

impl NianbaoApp {
    /// The app opening `files` (only the first; none: the bundled sample) once it runs.
    pub fn new(files: Vec<PathBuf>, options: Options) -> NianbaoApp {
        let mut app = NianbaoApp::empty(options);
        match files.first() {
            Some(p) => app.startup.push(Source::File(p.clone())),
            None => app.startup.push(Source::Sample),
        }
        if files.len() > 1 {
            app.status = format!("一次只打开一个文件，已打开 {}", io::file_name(&files[0]));
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
            focus: Default::default(),
            text_view: Default::default(),
            confirm: None,
            close_allowed: false,
            error: None,
            status: String::new(),
            title: String::new(),
            queued: Vec::new(),
        }
    }

    pub fn desk(&self) -> Option<&Desk> {
        self.desk.as_ref()
    }
    pub fn desk_mut(&mut self) -> Option<&mut Desk> {
        self.desk.as_mut()
    }
    /// Whether a file is being read.
    pub fn is_loading(&self) -> bool {
        self.awaited.is_some() || !self.startup.is_empty()
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
    /// Where the raw text shows the source of the selected cell (screen coordinates).
    pub fn source_rect(&self) -> Option<egui::Rect> {
        self.text_view.primary_rect()
    }
    /// Queue an action as if a panel had returned it (applied in the next frame).
    pub fn push(&mut self, action: Action) {
        self.queued.push(action);
    }
    /// Wait for the recovery writer (tests, and before exit).
    pub fn sync_recovery(&mut self) {
        self.recovery.sync();
    }

    /// Save the review as RON to `path` (atomically); the desk then counts as saved.
    pub fn save_to(&mut self, path: &Path) -> Result<(), String> {
        let desk = self.desk.as_mut().ok_or("没有打开的报告")?;
        document::save_ron_atomic(desk.report(), path)
            .map_err(|e| format!("无法保存到 {}：{}", path.display(), io_reason(&e)))?;
        desk.mark_saved(path.to_path_buf());
        self.recovery.clear();
        self.status = format!("已保存到 {}", path.display());
        Ok(())
    }

    /// Draw one frame and apply what it asked for (eframe calls this; so do the tests).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.started {
            self.start(&ctx);
        }
        for event in self.worker.poll() {
            self.on_event(&ctx, event);
        }
        let mut actions = std::mem::take(&mut self.queued);
        if let Some(p) = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf())) {
            actions.push(Action::Open(p));
        }
        let state = menu::MenuState {
            has_doc: self.desk.is_some(),
            can_undo: self.desk.as_ref().is_some_and(Desk::can_undo),
            can_redo: self.desk.as_ref().is_some_and(Desk::can_redo),
        };
        let modal = self.confirm.is_some() || self.recovery_offer.is_some();
        if !modal {
            menu::shortcuts(&ctx, &state, &mut actions);
        }

        egui::Panel::top("menu").show(ui, |ui| menu::menu_bar(ui, &state, &mut actions));
        if let Some(desk) = &self.desk {
            egui::Panel::top("header").show(ui, |ui| {
                ui.add_space(2.0);
                header::show(ui, desk);
                ui.add_space(2.0);
            });
        }
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        let width = ui.available_width();
        match &mut self.desk {
            Some(desk) => {
                egui::Panel::left("raw-text-panel")
                    .resizable(true)
                    .default_size((width * 0.32).max(260.0))
                    .min_size(200.0)
                    .show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.label(egui::RichText::new("原文").strong());
                            ui.add(
                                egui::Label::new(egui::RichText::new(&desk.report().source_name).color(palette::MUTED))
                                    .truncate(),
                            );
                        });
                        self.text_view.show(ui, desk, &mut actions);
                    });
                egui::Panel::right("checks-panel")
                    .resizable(true)
                    .default_size((width * 0.19).clamp(220.0, 320.0))
                    .min_size(180.0)
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
                        if self.awaited.is_some() || !self.startup.is_empty() {
                            ui.spinner();
                            ui.label("正在读取…");
                        } else {
                            ui.label("按 Ctrl+O 打开一份年度报告（文本或 .ron 审校文件），或把文件拖进窗口。");
                        }
                    });
                });
            }
        }
        if let Some(found) = &self.recovery_offer {
            dialogs::recovery(&ctx, found, &mut actions);
        } else if self.confirm.is_some() {
            let name = self.desk.as_ref().map(doc_name).unwrap_or_default();
            dialogs::unsaved(&ctx, &name, &mut actions);
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
        let title = self.title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        let doc = self.desk.as_ref().map(|d| {
            (d.doc_id(), d.generation(), d.is_dirty(), d.report(), (d.source_path.clone(), d.save_path.clone()))
        });
        if let Some(due) = self.recovery.tick(doc) {
            ctx.request_repaint_after(due);
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
        self.status = format!("正在读取 {}…", source.name());
        self.awaited = Some(self.worker.load(ctx, source));
    }

    fn on_event(&mut self, ctx: &egui::Context, event: Event) {
        match event {
            Event::Loaded { seq, source, result } => {
                if self.awaited != Some(seq) {
                    return; // a later open replaced this one
                }
                self.awaited = None;
                match result {
                    Ok(report) => {
                        let report = *report;
                        let (desk, status) = match source {
                            Source::File(p) => (Desk::new(report, Some(p.clone())), format!("已打开 {}", p.display())),
                            Source::Sample => {
                                (Desk::new(report, None), "已打开内置示例报告（按 Ctrl+O 打开其他文件）".to_string())
                            }
                            Source::Recovery { source_path, save_path, .. } => (
                                Desk::restored(report, source_path, save_path),
                                "已恢复上次未保存的审校（尚未保存）".to_string(),
                            ),
                        };
                        self.focus = Default::default();
                        // Show the first problem at once: its cells in the table, its sources in the text.
                        let mut desk = desk;
                        if !desk.failed().is_empty() {
                            desk.select_check(0);
                            self.focus.reveal = desk.selection().primary;
                        }
                        self.desk = Some(desk);
                        self.error = None;
                        self.status = status;
                    }
                    Err(e) => {
                        self.error = Some(format!("无法打开 {}：{}", source.name(), e));
                        self.status = "打开失败".to_string();
                    }
                }
            }
            Event::Picked { pick, path, unavailable } => self.on_picked(ctx, pick, path, unavailable),
        }
    }

    fn on_picked(&mut self, ctx: &egui::Context, pick: Pick, path: Option<PathBuf>, unavailable: bool) {
        match (pick, path) {
            (Pick::Open, Some(p)) => self.apply(ctx, Action::Open(p)),
            (Pick::Open, None) if unavailable => {
                self.status = "没有可用的文件对话框：请在命令行给出文件（nianbao 文件名），或把文件拖进窗口".into()
            }
            (Pick::SaveAs, Some(mut p)) => {
                if p.extension().is_none() {
                    p.set_extension("ron");
                }
                self.save_reporting(&p, "");
            }
            (Pick::ExportCsv | Pick::ExportJson, Some(p)) => self.export_reporting(pick, &p, ""),
            (_, None) if unavailable => {
                let Some(desk) = &self.desk else { return };
                let ext = match pick {
                    Pick::ExportCsv => "csv",
                    Pick::ExportJson => "json",
                    _ => "ron",
                };
                let p = io::beside(desk.source_path.as_deref(), &desk.report().source_name, ext);
                match pick {
                    Pick::SaveAs => self.save_reporting(&p, "没有可用的文件对话框，"),
                    _ => self.export_reporting(pick, &p, "没有可用的文件对话框，"),
                }
            }
            (_, None) => self.status = "已取消".into(),
        }
    }

    fn save_reporting(&mut self, path: &Path, prefix: &str) {
        match self.save_to(path) {
            Ok(()) => self.status = format!("{prefix}已保存到 {}", path.display()),
            Err(e) => self.error = Some(e),
        }
    }

    fn export_reporting(&mut self, pick: Pick, path: &Path, prefix: &str) {
        let Some(desk) = &self.desk else { return };
        let r = desk.report();
        let (text, what) = match pick {
            Pick::ExportCsv => (crate::export::csv::to_csv(r, &r.source_name), "CSV"),
            _ => (crate::export::json::to_json(r, &crate::checks::run(r), &[]), "JSON"),
        };
        match document::write_atomic(path, text.as_bytes()) {
            Ok(()) => self.status = format!("{prefix}已导出 {what} 到 {}", path.display()),
            Err(e) => self.error = Some(format!("无法导出到 {}：{}", path.display(), io_reason(&e))),
        }
    }

    /// Where Save writes without asking: the known `.ron`, else `NAME.ron` beside the input.
    fn default_save_path(desk: &Desk) -> PathBuf {
        desk.save_path
            .clone()
            .unwrap_or_else(|| io::beside(desk.source_path.as_deref(), &desk.report().source_name, "ron"))
    }

    /// Ask for a file with a native dialog (on its own thread); without dialogs, go on as if
    /// none could be shown (files beside the input).
    fn dialog(&mut self, ctx: &egui::Context, pick: Pick) {
        if self.worker.dialog_open() {
            return; // one at a time
        }
        if !self.options.dialogs {
            self.on_picked(ctx, pick, None, true);
            return;
        }
        let desk = self.desk.as_ref();
        let (ext, title, filter) = match pick {
            Pick::Open => ("txt", "打开年度报告", "年度报告（文本或 .ron 审校文件）"),
            Pick::SaveAs => ("ron", "保存审校", "审校文件 (RON)"),
            Pick::ExportCsv => ("csv", "导出 CSV", "CSV"),
            Pick::ExportJson => ("json", "导出 JSON", "JSON"),
        };
        let mut d = rfd::FileDialog::new().set_title(title);
        match (pick, desk) {
            (Pick::Open, _) => {
                d = d.add_filter(filter, &["txt", "ron"]);
                if let Some(dir) = desk.and_then(|d| d.source_path.as_deref()).and_then(Path::parent) {
                    d = d.set_directory(dir);
                }
            }
            (_, Some(desk)) => {
                let suggested = match (pick, &desk.save_path) {
                    (Pick::SaveAs, Some(p)) => p.clone(),
                    _ => io::beside(desk.source_path.as_deref(), &desk.report().source_name, ext),
                };
                d = d.add_filter(filter, &[ext]).set_file_name(io::file_name(&suggested));
                if let Some(dir) = suggested.parent() {
                    d = d.set_directory(dir);
                }
            }
            (_, None) => return,
        }
        self.worker.pick(ctx, pick, d);
    }

    /// Apply one action: the single place where panels' requests change the state.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        if matches!(
            action,
            Action::Save | Action::SaveAs | Action::ExportCsv | Action::ExportJson | Action::Quit | Action::Open(_)
        ) {
            self.commit_typing();
        }
        let n = self.desk.as_ref().map_or(0, |d| d.report().cells.len());
        match action {
            Action::SelectCell(i) if i < n => self.desk.as_mut().unwrap().select_cell(i),
            Action::ShowCell(i) if i < n => {
                self.desk.as_mut().unwrap().select_cell(i);
                self.focus.request = Some(i);
            }
            Action::SelectCheck(k) => {
                if let Some(desk) = &mut self.desk {
                    desk.select_check(k);
                    self.focus.request = desk.selection().primary;
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
                if let Some(p) = self.desk.as_ref().and_then(|d| d.save_path.clone()) {
                    self.save_reporting(&p, "");
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
                    self.close_allowed = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
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
                let Some(after) = self.confirm.take() else { return };
                match answer {
                    Answer::Cancel => self.status = "已取消".into(),
                    Answer::Save => {
                        let Some(desk) = &self.desk else { return };
                        let path = Self::default_save_path(desk);
                        self.save_reporting(&path, "");
                        if !self.is_dirty() {
                            self.proceed(ctx, after);
                        }
                    }
                    Answer::Discard => {
                        self.recovery.clear();
                        self.recovery.sync();
                        self.proceed(ctx, after);
                    }
                }
            }
            Action::DismissError => self.error = None,
            _ => {}
        }
    }

    /// Commit what is typed into the focused cell (before saving, exporting, closing).
    fn commit_typing(&mut self) {
        if let Some(desk) = &mut self.desk
            && let Some(i) = self.focus.focused.filter(|&i| i < desk.buffers.len() && desk.is_pending(i))
        {
            let text = desk.buffers[i].clone();
            desk.edit(i, &text);
        }
    }

    fn proceed(&mut self, ctx: &egui::Context, after: AfterConfirm) {
        match after {
            AfterConfirm::Open(p) => self.load(ctx, Source::File(p)),
            AfterConfirm::Quit => {
                self.close_allowed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn is_dirty(&self) -> bool {
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
            if let Some(desk) = &self.desk {
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

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.recovery.sync();
    }
}
