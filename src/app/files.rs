//! Saving, exporting and asking for paths: the app's side of the save state machine
//! ([`SaveFlow`](super::saving::SaveFlow)) — it starts the writes on the worker's writer thread,
//! applies their results to the desks, and asks with native or in-app dialogs.

use super::io::{self, Content, Pick};
use super::saving::{Done, NextSave, Overwrite, Resume, SAVE_QUEUED, Write};
use super::{Action, AfterConfirm, CLOSE_DELAY, Desk, NianbaoApp, View, path_dialog};
use crate::compare::Side;
use eframe::egui;
use std::path::{Path, PathBuf};

impl NianbaoApp {
    /// Start writing the desk's review to `path`; queued when a save is being written.
    pub(super) fn start_save(&mut self, path: PathBuf, prefix: &str) {
        let path = io::absolute(&path);
        if self.saves.saving() {
            self.saves.queue(NextSave::To(path, prefix.to_string()));
            self.status = SAVE_QUEUED.into();
            return;
        }
        let Some(desk) = self.view.desk_mut() else { return };
        desk.begin_save();
        let content = Content::Ron(Box::new(desk.report().clone()), desk.reviewed_keys());
        let doc_id = desk.doc_id();
        self.status = format!("正在保存到 {}…", path.display());
        let seq = self.worker.write(self.ctx.as_ref(), path.clone(), content);
        self.saves.started(seq, Write::Save { doc_id, path, prefix: prefix.to_string() });
    }

    /// Ctrl+S: to the review's `.ron`, else ask where (queued behind a save being written). A
    /// report of a folder's list is saved beside it as `NAME.ron` without asking.
    pub(super) fn save(&mut self, ctx: &egui::Context) {
        if matches!(self.view, View::Folder(_)) && !self.saves.saving() {
            self.save_here("");
        } else if self.saves.saving() {
            self.saves.queue(NextSave::Again);
            self.status = SAVE_QUEUED.into();
        } else if let Some(p) = self.view.desk().and_then(|d| d.save_path.clone()) {
            self.start_save(p, "");
        } else {
            self.dialog(ctx, Pick::SaveAs);
        }
    }

    /// A save or export was written (or failed).
    pub(super) fn on_written(&mut self, ctx: &egui::Context, seq: u64, result: Result<(), String>) {
        match self.saves.written(seq, result) {
            None => {}
            Some(Done::Export { status, error }) => {
                self.status = status;
                if error.is_some() {
                    self.error = error;
                }
            }
            Some(Done::Save { doc_id, path, ok, round_over }) => {
                if let Some(desk) = self.view.desk_by_id(doc_id) {
                    desk.finish_save(path.clone(), ok);
                }
                if ok {
                    if self.view.desk().is_some_and(|d| d.doc_id() == doc_id) {
                        self.recovery.clear();
                    }
                    self.remember(&path);
                }
                if round_over {
                    self.end_save_round(ctx);
                }
            }
        }
    }

    /// Every save of the round is done: report it, then start the queued save or do what
    /// waited for it.
    fn end_save_round(&mut self, ctx: &egui::Context) {
        let end = self.saves.end_round(self.is_dirty());
        self.status = end.status;
        if end.error.is_some() {
            self.error = end.error;
            return;
        }
        match end.next {
            Some(NextSave::Again) => self.apply(ctx, Action::Save),
            Some(NextSave::To(p, prefix)) => self.start_save(p, &prefix),
            None => {}
        }
        self.after_save_done(ctx);
    }

    /// When no save is under way any more: go on with what waited for the save, or ask again
    /// if there were edits meanwhile.
    pub(super) fn after_save_done(&mut self, ctx: &egui::Context) {
        let busy = self.worker.dialog_open() || self.path_dialog.is_some();
        match self.saves.resume(busy, self.is_dirty()) {
            None => {}
            Some(Resume::Ask(after)) => self.confirm = Some(after),
            // Close once the clerk could see where the review went.
            Some(Resume::Go(AfterConfirm::Quit)) => {
                self.status.push_str("，窗口即将关闭");
                self.close_at = Some(std::time::Instant::now() + CLOSE_DELAY);
                ctx.request_repaint_after(CLOSE_DELAY);
            }
            Some(Resume::Go(after)) => {
                self.saved_note = Some(self.status.clone());
                self.proceed(ctx, after);
            }
        }
    }

    /// Close the window when the time to show the save is up (unless it was edited meanwhile).
    pub(super) fn close_when_due(&mut self, ctx: &egui::Context) {
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

    pub(super) fn close(&mut self, ctx: &egui::Context) {
        self.close_allowed = true;
        self.close_sent = true;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }

    /// Save without asking where: to the review's `.ron`, else `NAME.ron` beside the input —
    /// unless that file exists (another review): then ask 覆盖 / 另存为新名称 first.
    pub(super) fn save_here(&mut self, prefix: &str) {
        let Some(desk) = self.view.desk() else { return };
        if let Some(p) = desk.save_path.clone() {
            self.start_save(p, prefix);
            return;
        }
        if let Some(p) = self.clipboard_path() {
            self.start_save(p, &format!("{prefix}剪贴板内容"));
            return;
        }
        let path = io::beside(desk.source_path.as_deref(), &desk.report().source_name, "ron");
        if path.exists() {
            self.status = format!("{} 已存在：覆盖，还是另存为新名称？", path.display());
            self.saves.ask_overwrite(Overwrite { path, prefix: prefix.to_string() });
        } else {
            self.start_save(path, prefix);
        }
    }

    /// Start saving every edited side of the compare view to its own `.ron` (queued when a
    /// save is being written).
    pub(super) fn save_compare(&mut self) {
        if self.saves.saving() {
            self.saves.queue(NextSave::Again);
            self.status = SAVE_QUEUED.into();
            return;
        }
        let View::Compare(cd, _) = &mut self.view else { return };
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
            self.saves.started(seq, Write::Save { doc_id, path, prefix: String::new() });
        }
        self.status = format!("正在保存到 {}…", names.join("、"));
    }

    /// Write the folder's 问题清单 (`.csv` by the name, else xlsx) or its workbook to `path`
    /// (every report read again and checked on the writer thread; a report open with unsaved
    /// changes counts as last saved).
    pub(super) fn export_folder(&mut self, pick: Pick, path: &Path) {
        let Some(f) = self.view.folder() else { return };
        let files: Vec<(String, PathBuf)> =
            f.rows.iter().map(|r| (r.file_name().to_string(), r.open_path().to_path_buf())).collect();
        let csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let (content, what) = match pick {
            Pick::ExportFindings => (Content::Findings(files, csv), "问题清单"),
            _ => (Content::FolderWorkbook(files), "文件夹工作簿"),
        };
        self.status = format!("正在导出{what}到 {}…", path.display());
        let seq = self.worker.write(self.ctx.as_ref(), path.to_path_buf(), content);
        self.saves.started(seq, Write::Export { what, path: path.to_path_buf(), prefix: String::new() });
    }

    /// The compare view's CSV or JSON, written beside the later report and named after both
    /// (no dialog: one click, one file).
    pub(super) fn export_compare(&mut self, csv: bool) {
        let View::Compare(cd, _) = &self.view else { return };
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
        let (content, what) =
            if csv { (Content::CompareCsv(pair), "对比 CSV") } else { (Content::CompareJson(pair), "对比 JSON") };
        self.status = format!("正在导出{what}到 {}…", path.display());
        let seq = self.worker.write(self.ctx.as_ref(), path.clone(), content);
        self.saves.started(seq, Write::Export { what, path, prefix: String::new() });
    }

    /// A file dialog answered (`unavailable`: a native one could not be shown at all).
    pub(super) fn on_picked(&mut self, ctx: &egui::Context, pick: Pick, path: Option<PathBuf>, unavailable: bool) {
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
            (Pick::Folder, Some(p)) => self.apply(ctx, Action::OpenFolder(vec![p])),
            (Pick::ExportFindings | Pick::ExportFolderWorkbook, Some(mut p)) => {
                if p.extension().is_none() {
                    p.set_extension("xlsx");
                }
                self.export_folder(pick, &p);
            }
            // No native dialog could be shown (no xdg portal): the in-app one.
            (_, None) if unavailable => self.no_dialog(pick),
            (_, None) => {
                // A cancelled save also cancels what waited for it (closing, opening another file).
                self.saves.cancel();
                self.status = "已取消".into();
            }
        }
    }

    /// The in-app dialog chose `path` for `pick`: as a native one, except that replacing
    /// another review's file is asked here (覆盖 / 另存为新名称).
    pub(super) fn on_path_chosen(&mut self, ctx: &egui::Context, pick: Pick, path: Option<PathBuf>) {
        if let (Pick::SaveAs | Pick::SaveAsNew, Some(p)) = (pick, &path) {
            let mut p = p.clone();
            if p.extension().is_none() {
                p.set_extension("ron");
            }
            let ours = self.view.desk().and_then(|d| d.save_path.as_deref()) == Some(io::absolute(&p).as_path());
            if p.exists() && !ours {
                self.status = format!("{} 已存在：覆盖，还是另存为新名称？", p.display());
                self.saves.ask_overwrite(Overwrite { path: p, prefix: String::new() });
                return;
            }
        }
        self.on_picked(ctx, pick, path, false);
    }

    /// Where a dialog for `pick` starts, its title and the extensions it shows.
    pub(super) fn dialog_setup(
        &self,
        pick: Pick,
    ) -> Option<(PathBuf, &'static str, &'static str, &'static [&'static str])> {
        const OPENABLE: &[&str] = &["txt", "ron", "docx", "html", "htm", "pdf", "png", "jpg", "jpeg", "tif", "tiff"];
        let desk = self.view.desk();
        let (ext, title, filter) = match pick {
            Pick::Open => ("txt", "打开年度报告", "年度报告（文本、Word、网页、PDF、扫描图片或 .ron 审校文件）"),
            Pick::Compare => {
                ("txt", "选择要对比的另一年度报告", "年度报告（文本、Word、网页、PDF、扫描图片或 .ron 审校文件）")
            }
            Pick::SaveAs | Pick::SaveAsNew => ("ron", "保存审校", "审校文件 (RON)"),
            Pick::ExportCsv => ("csv", "导出 CSV", "CSV"),
            Pick::ExportJson => ("json", "导出 JSON", "JSON"),
            Pick::Folder => ("", "打开文件夹", "文件夹"),
            Pick::ExportFindings => ("xlsx", "导出问题清单", "Excel 工作簿或 CSV"),
            Pick::ExportFolderWorkbook => ("xlsx", "导出文件夹工作簿", "Excel 工作簿"),
        };
        let folder = self.view.folder();
        match (pick, desk) {
            (Pick::Open | Pick::Compare | Pick::Folder, _) => {
                let recent = self.recent.first().map(PathBuf::as_path);
                let dir = desk
                    .and_then(|d| d.save_path.as_deref().or(d.source_path.as_deref()))
                    .or(recent)
                    .and_then(Path::parent)
                    .map(Path::to_path_buf)
                    .or_else(|| std::env::current_dir().ok())?;
                Some((dir, title, filter, OPENABLE))
            }
            (Pick::ExportFindings | Pick::ExportFolderWorkbook, _) => {
                let f = folder?;
                let stem = if pick == Pick::ExportFindings { "问题清单".to_string() } else { f.name.clone() };
                let exts: &'static [&'static str] =
                    if pick == Pick::ExportFindings { &["xlsx", "csv"] } else { &["xlsx"] };
                Some((io::unused_path(&f.dir, &stem, "xlsx"), title, filter, exts))
            }
            (_, Some(desk)) => {
                let (source, name) = (desk.source_path.as_deref(), &desk.report().source_name);
                let clipboard = if ext == "ron" { self.clipboard_path() } else { None };
                let suggested = match (pick, &desk.save_path) {
                    (Pick::SaveAs, Some(p)) => p.clone(),
                    (Pick::SaveAs, None) if clipboard.is_some() => clipboard.unwrap_or_default(),
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

    /// A report pasted from the clipboard and never saved: `剪贴板-YYYYMMDD-HHMM.ron` in the
    /// documents folder (`None` for any other report).
    fn clipboard_path(&self) -> Option<PathBuf> {
        let desk = self.view.desk()?;
        if desk.source_path.is_some() || desk.save_path.is_some() || desk.report().source_name != io::CLIPBOARD_NAME {
            return None;
        }
        let dir = self.options.documents_dir.clone().or_else(io::documents_dir)?;
        Some(io::unused_path(&dir, &io::clipboard_stem(), "ron"))
    }

    /// No native dialog can be shown: a pasted report's first save goes to the documents
    /// folder (and says so); anything else asks with the in-app dialog.
    fn no_dialog(&mut self, pick: Pick) {
        if pick == Pick::SaveAs
            && let Some(p) = self.clipboard_path()
        {
            self.start_save(p, "无法显示保存对话框，剪贴板内容");
            return;
        }
        self.open_path_dialog(pick);
    }

    pub(super) fn open_path_dialog(&mut self, pick: Pick) {
        if let Some((start, title, _, exts)) = self.dialog_setup(pick) {
            self.path_dialog = Some(path_dialog::PathDialog::new(pick, start, exts, title));
        }
    }

    /// Start exporting the desk's report to `path` (made and written on the writer thread).
    pub(super) fn export_reporting(&mut self, pick: Pick, path: &Path, prefix: &str) {
        let Some(desk) = self.view.desk() else { return };
        let r = Box::new(desk.report().clone());
        let (content, what) = match pick {
            Pick::ExportCsv => (Content::Csv(r), "CSV"),
            _ => (Content::Json(r), "JSON"),
        };
        self.status = format!("正在导出 {what} 到 {}…", path.display());
        let seq = self.worker.write(self.ctx.as_ref(), path.to_path_buf(), content);
        self.saves.started(seq, Write::Export { what, path: path.to_path_buf(), prefix: prefix.to_string() });
    }

    /// Ask for a file with a native dialog (on its own thread); without dialogs, go on as if
    /// none could be shown (files beside the input).
    pub(super) fn dialog(&mut self, ctx: &egui::Context, pick: Pick) {
        if self.worker.dialog_open() || self.path_dialog.is_some() {
            return; // one at a time
        }
        if !self.options.dialogs {
            self.no_dialog(pick);
            return;
        }
        let Some((start, title, filter, exts)) = self.dialog_setup(pick) else { return };
        let mut d = rfd::FileDialog::new().set_title(title).add_filter(filter, exts);
        if matches!(pick, Pick::Open | Pick::Compare | Pick::Folder) {
            d = d.set_directory(&start);
        } else {
            d = d.set_file_name(io::file_name(&start));
            if let Some(dir) = start.parent() {
                d = d.set_directory(dir);
            }
        }
        self.worker.pick(ctx, pick, d);
    }
}
