//! Loading and moving between views: the first frame, reading a file or two off the UI
//! thread into the [`View`], the recent files, going to a 待核对 entry, committing typing,
//! closing the window.

use super::io::{self, Event, Source};
use super::{AfterConfirm, CompareDesk, Desk, NianbaoApp, RECENT_MAX, View, doc_name};
use crate::compare::Side;
use crate::document;
use eframe::egui;
use std::path::{Path, PathBuf};

/// The loads of a compare view under way.
pub(super) struct PendingCompare {
    /// The loads, in the order given.
    pub seqs: Vec<u64>,
    pub loaded: Vec<(u64, Desk)>,
    /// The report on the desk is the first of the two.
    pub with_current: bool,
}

impl NianbaoApp {
    /// A window larger than the screen (1400×900 on a 1024×768 or 1366×768 screen) is made to
    /// fit it, so that nothing is out of reach.
    pub(super) fn fit_to_screen(&mut self, ctx: &egui::Context) {
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

    pub(super) fn start(&mut self, ctx: &egui::Context) {
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

    pub(super) fn load(&mut self, ctx: &egui::Context, source: Source) {
        self.awaited_entry = None;
        let source = match source {
            Source::File(p) => Source::File(io::absolute(&p)),
            other => other,
        };
        self.status = format!("正在读取 {}…", source.name());
        // A load replaced by this one stops (its OCR would take the cores for nothing).
        if let Some(old) = self.awaited {
            self.worker.cancel(old);
        }
        self.awaited_name = (source.name(), io::may_be_scan(&source));
        self.awaited = Some(self.worker.load(ctx, source));
    }

    /// 取消 while a file is read: its OCR stops, the view stays as it was, and the status line
    /// says so (no error: the person asked for it).
    pub(super) fn cancel_load(&mut self) {
        let Some(seq) = self.awaited.take() else { return };
        self.worker.cancel(seq);
        self.awaited_entry = None;
        let (name, scan) = &self.awaited_name;
        self.status = if *scan { format!("已取消文字识别：{name}") } else { format!("已取消读取 {name}") };
    }

    /// While a file is read: (what the OCR is doing, the share done) when it may be a scan.
    pub(super) fn load_progress(&self) -> Option<(String, Option<f32>)> {
        let control = self.worker.control(self.awaited?)?;
        if !self.awaited_name.1 {
            return None;
        }
        Some(match control.progress() {
            (_, 0) => ("正在识别版面…".to_string(), None),
            (done, total) => {
                let done = done.min(total);
                (format!("正在识别文字 {done} / {total}"), Some(done as f32 / total as f32))
            }
        })
    }

    pub(super) fn on_event(&mut self, ctx: &egui::Context, event: Event) {
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
                    // Pasted text that gave no table value is no report: the view stays.
                    Ok(opened)
                        if matches!(source, Source::Pasted(_))
                            && opened.report.cells.iter().all(|c| c.value.is_none()) =>
                    {
                        self.error =
                            Some("剪贴板中的文字不像年度报告：没有读出任何表格数值（请复制报告的全文或表格）".into());
                        self.status = "未从剪贴板打开".to_string();
                    }
                    Ok(opened) => {
                        let io::Opened { report, reviewed } = *opened;
                        let (desk, status) = match source {
                            Source::Pasted(_) => {
                                (Desk::new(report, None), "已从剪贴板打开（尚未保存：Ctrl+S 选择保存位置）".to_string())
                            }
                            Source::File(p) => {
                                self.remember(&p);
                                // Its saved review beside it (not in a folder's list, which
                                // opens the review itself): offer to continue it.
                                let ron = p.with_extension("ron");
                                if self.awaited_entry.is_none() && !super::desk::is_ron(&p) && ron.is_file() {
                                    self.continue_offer = Some(ron);
                                }
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
                        let entry = self.awaited_entry.take();
                        match (&mut self.view, entry) {
                            // A report of the folder's list: beside the list.
                            (View::Folder(fv), Some(i)) => {
                                fv.desk = Some(Box::new(desk));
                                fv.folder.set_current(i);
                            }
                            _ => self.view = View::Single(Box::new(desk)),
                        }
                        self.error = None;
                        self.status = match self.saved_note.take() {
                            Some(saved) => format!("{saved}；{status}"),
                            None => status,
                        };
                    }
                    // Cancelled from elsewhere (the control): quietly, like 取消.
                    Err(e) if io::is_cancelled(&e) => {
                        self.awaited = Some(seq);
                        self.cancel_load();
                    }
                    Err(e) => {
                        self.error = Some(format!("无法打开 {}：{}", source.name(), e));
                        self.status = "打开失败".to_string();
                        // A report of the folder's list that cannot be read is where the clerk
                        // is now (Ctrl+PgDn goes on from it); nothing is shown beside the list.
                        if let (View::Folder(fv), Some(i)) = (&mut self.view, self.awaited_entry.take()) {
                            fv.desk = None;
                            fv.folder.set_current(i);
                        }
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

    /// A paste meant as a report: from 文件 → 从剪贴板打开 (asked for within the last
    /// second), or Ctrl+V while nothing is being typed into. Taken out of the input before any
    /// field sees it.
    pub(super) fn take_paste(&mut self, ctx: &egui::Context) -> Option<String> {
        let requested = self.paste_requested.is_some_and(|t| t.elapsed() < std::time::Duration::from_secs(1));
        if !requested && ctx.egui_wants_keyboard_input() {
            return None;
        }
        let text = ctx.input_mut(|i| {
            let k = i.events.iter().position(|e| matches!(e, egui::Event::Paste(_)))?;
            match i.events.remove(k) {
                egui::Event::Paste(t) => Some(t),
                _ => None,
            }
        })?;
        self.paste_requested = None;
        Some(text)
    }

    /// Open row `i` of the folder's list beside it (its saved review when it has one).
    pub(super) fn open_entry(&mut self, ctx: &egui::Context, i: usize) {
        let Some(path) = self.view.folder().and_then(|f| f.rows.get(i)).map(|r| r.open_path().to_path_buf()) else {
            return;
        };
        self.load(ctx, Source::File(path));
        self.awaited_entry = Some(i);
    }

    /// Show the list of the reports `paths` names (a folder, or several files), read in the
    /// background.
    pub(super) fn open_folder(&mut self, paths: Vec<PathBuf>) {
        let paths: Vec<PathBuf> = paths.iter().map(|p| io::absolute(p)).collect();
        let folder = super::Folder::open(&paths, self.ctx.as_ref());
        let opened = format!("正在读取 {}…", folder.name);
        self.status = match self.saved_note.take() {
            Some(saved) => format!("{saved}；{opened}"),
            None => opened,
        };
        if let [p] = paths.as_slice() {
            self.remember(p);
        }
        self.awaited = None;
        self.awaited_entry = None;
        self.error = None;
        self.focus = Default::default();
        self.view = View::Folder(Box::new(super::FolderView { folder, desk: None }));
    }

    /// Start reading the files of a compare view (`with_current`: the desk's report is the first).
    pub(super) fn load_compare(&mut self, ctx: &egui::Context, files: Vec<PathBuf>, with_current: bool) {
        let names: Vec<String> = files.iter().map(|p| io::file_name(p)).collect();
        self.status = format!("正在读取 {}…", names.join("、"));
        self.awaited = None;
        let seqs = files.into_iter().map(|p| self.worker.load(ctx, Source::File(io::absolute(&p)))).collect();
        self.pending = Some(PendingCompare { seqs, loaded: Vec::new(), with_current });
    }

    pub(super) fn on_compare_loaded(
        &mut self,
        seq: u64,
        source: Source,
        result: Result<io::Opened, document::LoadError>,
    ) {
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
            match std::mem::replace(&mut self.view, View::Empty) {
                View::Single(d) => desks.insert(0, *d),
                other => {
                    self.view = other;
                    return;
                }
            }
        }
        let (Some(b), Some(a)) = (desks.pop(), desks.pop()) else {
            return;
        };
        let cd = CompareDesk::new(a, b);
        self.status =
            format!("对比 {} 与 {}（按年度排列）", doc_name(cd.desk(Side::Earlier)), doc_name(cd.desk(Side::Later)));
        // Opened from a folder's list: 关闭对比 goes back to it.
        let back = match std::mem::replace(&mut self.view, View::Empty) {
            View::Folder(fv) => Some(fv),
            _ => None,
        };
        self.view = View::Compare(Box::new(cd), back);
        self.error = None;
    }

    /// Put `p` first in the recent files (at most [`RECENT_MAX`]).
    pub(super) fn remember(&mut self, p: &Path) {
        self.recent.retain(|q| q != p);
        self.recent.insert(0, p.to_path_buf());
        self.recent.truncate(RECENT_MAX);
    }

    /// Select 待核对 entry `k` and go to it: its first cell focused with its text selected (so
    /// typing replaces it), or the header field it is about.
    pub(super) fn go_to_entry(&mut self, k: Option<usize>) {
        let (Some(desk), Some(k)) = (self.view.desk_mut(), k) else { return };
        desk.select_entry(k);
        let field = desk.todo().get(k).and_then(|t| t.field);
        self.focus.header = field;
        self.focus.request = if field.is_some() { None } else { desk.selection().primary };
    }

    /// Commit what is typed into the focused cell (before saving, exporting, closing).
    pub(super) fn commit_typing(&mut self) {
        let Some(desk) = self.view.desk_mut() else { return };
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

    pub(super) fn proceed(&mut self, ctx: &egui::Context, after: AfterConfirm) {
        match after {
            AfterConfirm::Open(p) => self.load(ctx, Source::File(p)),
            AfterConfirm::OpenEntry(i) => self.open_entry(ctx, i),
            AfterConfirm::OpenFolder(paths) => self.open_folder(paths),
            AfterConfirm::OpenPasted(text) => self.load(ctx, Source::Pasted(text)),
            AfterConfirm::Quit => self.close(ctx),
        }
    }

    pub(super) fn is_dirty(&self) -> bool {
        self.view.is_dirty()
    }

    pub(super) fn handle_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        self.commit_typing();
        if self.is_dirty() && !self.close_allowed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(AfterConfirm::Quit);
        }
    }
}
