//! The frame: which panels the [`View`] shows, the dialogs over them, and the status bar.
//! Panels only read while drawing and return [`Action`]s; they are applied after the frame.

use super::folder::RowUpdate;
use super::io;
use super::ui_command::{CommandState, UICommand};
use super::{
    Action, NianbaoApp, View, checks_view, compare_view, dialogs, doc_name, folder_view, header, menu, palette,
    path_dialog, table_view, typing,
};
use eframe::egui;
use std::path::PathBuf;

impl NianbaoApp {
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
            [p] if p.is_dir() => actions.push(Action::OpenFolder(dropped.clone())),
            [p] if matches!(self.view, View::Single(_)) => self.drop_offer = Some(p.clone()),
            [p] => actions.push(Action::Open(p.clone())),
            [a, b] => actions.push(Action::CompareFiles(a.clone(), b.clone())),
            _ => actions.push(Action::OpenFolder(dropped.clone())),
        }
        self.sync_folder();
        let state = self.command_state();
        let modal = self.confirm.is_some()
            || self.recovery_offer.is_some()
            || self.drop_offer.is_some()
            || self.continue_offer.is_some()
            || self.saves.overwrite().is_some()
            || self.path_dialog.is_some()
            || self.about
            || self.shortcuts;
        if !modal {
            if let Some(text) = self.take_paste(&ctx) {
                actions.push(Action::OpenPasted(text));
            }
            UICommand::consume_shortcuts(&ctx, &state, &mut actions);
            if let Some(desk) = self.view.desk_mut() {
                typing::keyboard(&ctx, desk, &mut self.focus, &mut actions);
            }
        }

        egui::Panel::top("menu").show(ui, |ui| menu::menu_bar(ui, &state, &mut actions));
        match &self.view {
            View::Compare(..) => self.compare_panels(ui, &mut actions),
            View::Single(_) => self.desk_panels(ui, &mut actions),
            View::Folder(_) => self.folder_panels(ui, &mut actions),
            View::Empty => self.empty_screen(ui, &mut actions),
        }
        self.dialogs(&ctx, &mut actions);
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
        self.tick_recovery(&ctx);
    }

    /// What the menu and the keys may do now.
    fn command_state(&self) -> CommandState {
        let recent = self.recent.clone();
        match &self.view {
            View::Compare(cd, _) => CommandState {
                has_doc: true,
                can_undo: cd.can_undo(),
                can_redo: cd.can_redo(),
                can_compare: false,
                comparing: true,
                folder: false,
                recent,
            },
            View::Single(d) => CommandState {
                has_doc: true,
                can_undo: d.can_undo(),
                can_redo: d.can_redo(),
                can_compare: true,
                comparing: false,
                folder: false,
                recent,
            },
            View::Folder(f) => CommandState {
                has_doc: f.desk.is_some(),
                can_undo: f.desk.as_ref().is_some_and(|d| d.can_undo()),
                can_redo: f.desk.as_ref().is_some_and(|d| d.can_redo()),
                can_compare: false,
                comparing: false,
                folder: true,
                recent,
            },
            View::Empty => CommandState { recent, ..Default::default() },
        }
    }

    /// Two years side by side: header, tables, the checks and the chart at the right.
    fn compare_panels(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let View::Compare(cd, _) = &mut self.view else { return };
        egui::Panel::top("compare-header").show(ui, |ui| {
            ui.add_space(2.0);
            compare_view::header(ui, cd);
            ui.add_space(2.0);
        });
        let load = self.load_line();
        egui::Panel::bottom("status").show(ui, |ui| status_bar(ui, &self.status, load, &self.view, actions));
        let width = ui.available_width();
        let View::Compare(cd, _) = &mut self.view else { return };
        egui::Panel::right("compare-side")
            .resizable(true)
            .default_size((width * 0.3).clamp(300.0, 460.0))
            .min_size(240.0)
            .show(ui, |ui| {
                egui::Panel::bottom("compare-chart")
                    .resizable(true)
                    .default_size(300.0)
                    .show(ui, |ui| compare_view::chart(ui, cd));
                compare_view::checks(ui, cd, actions);
            });
        egui::CentralPanel::default().show(ui, |ui| {
            error_banner(ui, self.error.as_deref(), actions);
            compare_view::tables(ui, cd, actions);
        });
    }

    /// A folder's list; with a report open, the list at the left and the desk beside it.
    fn folder_panels(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let View::Folder(fv) = &mut self.view else { return };
        if fv.desk.is_none() {
            let load = self.load_line();
            egui::Panel::bottom("status").show(ui, |ui| status_bar(ui, &self.status, load, &self.view, actions));
            let View::Folder(fv) = &mut self.view else { return };
            egui::CentralPanel::default().show(ui, |ui| {
                error_banner(ui, self.error.as_deref(), actions);
                folder_view::show(ui, &mut fv.folder, false, actions);
            });
            return;
        }
        let width = ui.available_width();
        egui::Panel::left("folder-list")
            .resizable(true)
            .default_size((width * 0.34).clamp(260.0, 520.0))
            .min_size(200.0)
            .show(ui, |ui| folder_view::show(ui, &mut fv.folder, true, actions));
        self.desk_panels(ui, actions);
    }

    /// The folder's row of the report open beside it follows the desk (counts, organ, year,
    /// state), and the rows read in the background arrive.
    fn sync_folder(&mut self) {
        let View::Folder(fv) = &mut self.view else { return };
        let was_loading = fv.folder.is_loading();
        fv.folder.poll();
        if was_loading && !fv.folder.is_loading() {
            let (failing, all) = fv.folder.counts();
            let done = format!("已读取 {}：{all} 份报告，未通过 {failing} 份", fv.folder.name);
            // What the clerk did meanwhile (opened a report) keeps the status line.
            if self.status.starts_with("正在读取") {
                self.status = done;
            }
        }
        if let Some(d) = &fv.desk {
            let r = d.report();
            let (errors, warnings) = d.counts();
            fv.folder.update_current(RowUpdate {
                organ: r.organ.clone(),
                year: r.year,
                template: r.template.number(),
                errors,
                warnings,
                todo: d.todo().len(),
                dirty: d.is_dirty(),
                saved_to: d.save_path.clone(),
            });
        }
    }

    /// One report: header, the raw text at the left, 待核对 at the right, the tables between.
    fn desk_panels(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let Some(desk) = self.view.desk_mut() else { return };
        egui::Panel::top("header").show(ui, |ui| {
            ui.add_space(2.0);
            header::show(ui, desk, &mut self.focus.header, actions);
            ui.add_space(2.0);
        });
        let load = self.load_line();
        egui::Panel::bottom("status").show(ui, |ui| status_bar(ui, &self.status, load, &self.view, actions));
        let width = ui.available_width();
        let in_folder = matches!(self.view, View::Folder(_));
        let Some(desk) = self.view.desk_mut() else { return };
        // Narrow windows give the tables the room (1024 points: 7 columns of 三 in view).
        let text_share = if width < 1200.0 { 0.26 } else { 0.32 };
        // Beside a folder's list, the raw text gives way to the tables unless there is room.
        let show_text = width >= if in_folder { 1150.0 } else { 900.0 };
        egui::Panel::left("raw-text-panel")
            .resizable(true)
            .default_size((width * text_share).max(220.0))
            .min_size(160.0)
            .show_collapsible(ui, &mut { show_text }, |ui| {
                ui.horizontal(|ui| {
                    ui.label(egui::RichText::new("原文").strong());
                    let name = ui.add(
                        egui::Label::new(egui::RichText::new(&desk.report().source_name).color(palette::MUTED))
                            .truncate(),
                    );
                    if let Some(p) = desk.save_path.as_ref().or(desk.source_path.as_ref()) {
                        name.on_hover_text(p.display().to_string());
                    }
                });
                self.text_view.show(ui, desk, actions);
            });
        egui::Panel::right("checks-panel")
            .resizable(true)
            .default_size((width * 0.2).clamp(200.0, 320.0))
            .min_size(160.0)
            .show(ui, |ui| checks_view::show(ui, desk, actions));
        egui::CentralPanel::default().show(ui, |ui| {
            error_banner(ui, self.error.as_deref(), actions);
            table_view::show(ui, desk, &mut self.focus, actions);
        });
    }

    /// No report: reading, or 打开… and the recent files beside a hint that says what works.
    fn empty_screen(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let load = self.load_line();
        egui::Panel::bottom("status").show(ui, |ui| status_bar(ui, &self.status, load, &self.view, actions));
        egui::CentralPanel::default().show(ui, |ui| {
            error_banner(ui, self.error.as_deref(), actions);
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() * 0.3);
                if self.awaited.is_some() || !self.startup.is_empty() || self.pending.is_some() {
                    ui.spinner();
                    ui.label("正在读取…");
                    return;
                }
                ui.label(
                    "按 Ctrl+O 打开一份年度报告（文本、Word、网页、PDF、扫描件或 .ron 审校文件），或把文件拖进窗口。",
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
            });
        });
    }

    /// The questions and dialogs over the panels (one question at a time).
    fn dialogs(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if let Some(p) = &self.drop_offer {
            dialogs::drop_offer(ctx, p, actions);
        }
        if let Some(ron) = &self.continue_offer {
            dialogs::continue_review(ctx, ron, actions);
        } else if let Some(found) = &self.recovery_offer {
            dialogs::recovery(ctx, found, actions);
        } else if let Some(o) = self.saves.overwrite() {
            dialogs::overwrite(ctx, &o.path, actions);
        } else if self.confirm.is_some() {
            let name = match &self.view {
                View::Compare(cd, _) => {
                    cd.dirty_sides().iter().map(|&s| doc_name(cd.desk(s))).collect::<Vec<_>>().join("、")
                }
                other => other.desk().map(doc_name).unwrap_or_default(),
            };
            dialogs::unsaved(ctx, &name, actions);
        }
        if self.about && dialogs::about(ctx) {
            self.about = false;
        }
        if self.shortcuts && dialogs::shortcuts(ctx) {
            self.shortcuts = false;
        }
        if let Some(d) = &mut self.path_dialog
            && let Some(outcome) = d.show(ctx)
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
    }

    /// Hand the edited review to the recovery writer (it decides whether to write): the desk's,
    /// or in the compare view the side edited last.
    fn tick_recovery(&mut self, ctx: &egui::Context) {
        let desk = match &self.view {
            View::Compare(cd, _) => Some(cd.desk(cd.recovery_side().unwrap_or(crate::compare::Side::Later))),
            other => other.desk(),
        };
        let doc = desk.map(|d| io::RecoveryDoc {
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
}

/// While a file is read: what its OCR is doing and the share done, when it may be a scan.
type LoadLine = Option<(String, Option<f32>)>;

impl NianbaoApp {
    /// `Some` while a file is read (see [`LoadLine`]).
    fn load_line(&self) -> Option<LoadLine> {
        self.awaited.map(|_| self.load_progress())
    }
}

/// The status line (while a file is read: its OCR's progress and 取消), and at the right
/// whether the view has unsaved changes and where it is.
fn status_bar(ui: &mut egui::Ui, status: &str, load: Option<LoadLine>, view: &View, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        if let Some(line) = load {
            ui.spinner();
            match line {
                Some((text, Some(share))) => {
                    ui.add(egui::ProgressBar::new(share).desired_width(220.0).text(text));
                }
                Some((text, None)) => {
                    ui.label(text);
                }
                None => {}
            }
            if ui.button("取消").on_hover_text("停止读取这个文件（扫描件的文字识别随即停止）").clicked()
            {
                actions.push(Action::CancelLoad);
            }
        }
        ui.add(egui::Label::new(status).truncate());
        match view {
            View::Compare(cd, _) => {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if cd.is_dirty() {
                        ui.label(egui::RichText::new("未保存").color(palette::WARNING));
                    }
                    ui.label(
                        egui::RichText::new("Ctrl+S 保存修改过的一方（各自的 .ron）").small().color(palette::MUTED),
                    );
                });
            }
            View::Single(_) | View::Folder(_) => {
                let Some(desk) = view.desk() else { return };
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
            View::Empty => {}
        }
    });
}

pub(super) fn error_banner(ui: &mut egui::Ui, error: Option<&str>, actions: &mut Vec<Action>) {
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
