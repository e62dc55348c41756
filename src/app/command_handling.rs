//! Applying actions: the one place where what the panels, menus and keys asked for changes the
//! state. Edits go through the desk's undoable commands; the compare view handles the actions
//! that work differently there first ([`NianbaoApp::apply_compare`]).

use super::io::{Pick, Source};
use super::{Action, AfterConfirm, Answer, Found, NianbaoApp, OverwriteChoice, View, doc_name};
use eframe::egui;

impl NianbaoApp {
    /// Apply one action: the single place where panels' requests change the state.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        // An entry clicked is known by its key: committing the typing may reorder the list.
        let entry_key = match &action {
            Action::SelectEntry(k) => self.view.desk().and_then(|d| d.todo().get(*k)).map(|t| t.key.clone()),
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
                | Action::OpenEntry(_)
                | Action::NextReport
                | Action::PrevReport
                | Action::OpenFolder(_)
                | Action::ComparePair(..)
                | Action::ExportFindings
                | Action::ExportFolderWorkbook
                | Action::OpenPasted(_)
        ) {
            self.commit_typing();
        }
        if matches!(action, Action::Open(_) | Action::CompareWith(_) | Action::CompareFiles(..)) {
            self.drop_offer = None;
            self.continue_offer = None;
        }
        // A folder (from the recent files, say) opens as a folder.
        let action = match action {
            Action::Open(p) if p.is_dir() => Action::OpenFolder(vec![p]),
            other => other,
        };
        if matches!(self.view, View::Compare(..)) && self.apply_compare(ctx, &action) {
            return;
        }
        let n = self.view.desk().map_or(0, |d| d.report().cells.len());
        match action {
            Action::SelectCell(i) if i < n => self.view.desk_mut().unwrap().select_cell(i),
            Action::ShowCell(i) if i < n => {
                self.view.desk_mut().unwrap().select_cell(i);
                self.focus.request = Some(i);
            }
            Action::SelectEntry(_) => {
                let k = entry_key.and_then(|key| self.view.desk()?.todo().iter().position(|t| t.key == key));
                self.go_to_entry(k);
            }
            Action::NextEntry | Action::PrevEntry => {
                let forward = action == Action::NextEntry;
                let k = self.view.desk().and_then(|d| d.next_entry(forward));
                if k.is_none() && self.view.desk().is_some() {
                    self.status = "没有待核对的项".into();
                }
                self.go_to_entry(k);
            }
            Action::MarkReviewed => {
                if let Some(desk) = self.view.desk_mut() {
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
                if let Some(desk) = self.view.desk_mut() {
                    desk.unmark_reviewed(&key);
                    self.status = "已取消“已核对”（可撤销）".into();
                }
            }
            Action::SetOrgan(text) => {
                if let Some(desk) = self.view.desk_mut()
                    && desk.set_organ(&text)
                {
                    self.status = "已修改机关名称（可撤销）".into();
                }
            }
            Action::SetYear(text) => {
                if let Some(desk) = self.view.desk_mut() {
                    match desk.set_year(&text) {
                        Ok(true) => self.status = "已修改年度（可撤销）".into(),
                        Ok(false) => {}
                        Err(e) => self.status = e,
                    }
                }
            }
            Action::SetTemplate(t) => {
                if let Some(desk) = self.view.desk_mut()
                    && desk.set_template(t)
                {
                    self.focus = Default::default();
                    self.status =
                        format!("已改为 {} 年版表格：两版都有的格保留原值，其余为缺失（Ctrl+Z 可撤销）", t.number());
                }
            }
            Action::Edit { cell, text } if cell < n => {
                let desk = self.view.desk_mut().unwrap();
                if desk.edit(cell, &text) {
                    self.status = format!("已修改 {}", desk.name(cell));
                }
            }
            Action::Revert(i) if i < n => self.view.desk_mut().unwrap().revert_buffer(i),
            Action::Undo => {
                if let Some(desk) = self.view.desk_mut() {
                    match self.focus.focused.filter(|&i| i < n && desk.is_pending(i)) {
                        Some(i) => desk.revert_buffer(i),
                        None if desk.undo() => self.status = "已撤销".into(),
                        None => self.status = "没有可撤销的修改".into(),
                    }
                }
            }
            Action::Redo => {
                if let Some(desk) = self.view.desk_mut() {
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
            Action::Save => self.save(ctx),
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
                        if self.view.desk().is_none() {
                            return;
                        }
                        // Close or open the other file only once this save succeeded (and, on
                        // closing, was shown).
                        self.saves.wait_for_save(after);
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
                let Some(o) = self.saves.take_overwrite() else { return };
                match choice {
                    OverwriteChoice::Replace => self.start_save(o.path, &o.prefix),
                    OverwriteChoice::NewName => self.dialog(ctx, Pick::SaveAsNew),
                    OverwriteChoice::Cancel => {
                        self.saves.cancel();
                        self.status = "已取消保存".into();
                    }
                }
                self.after_save_done(ctx);
            }
            Action::About => self.about = true,
            Action::Shortcuts => self.shortcuts = true,
            Action::PathChosen(pick, path) => {
                self.on_path_chosen(ctx, pick, path);
                self.after_save_done(ctx);
            }
            Action::Find => self.text_view.open_find(),
            Action::Zoom(z) => z.apply(ctx),
            Action::OpenFolder(paths) => {
                if self.is_dirty() {
                    self.confirm = Some(AfterConfirm::OpenFolder(paths));
                } else {
                    self.open_folder(paths);
                }
            }
            Action::OpenFolderDialog => self.dialog(ctx, Pick::Folder),
            Action::ContinueReview(yes) => {
                if let Some(ron) = self.continue_offer.take()
                    && yes
                {
                    self.load(ctx, Source::File(ron));
                }
            }
            Action::PasteRequest => {
                self.paste_requested = Some(std::time::Instant::now());
                ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste);
            }
            Action::OpenPasted(text) => {
                if text.trim().is_empty() {
                    self.status = "剪贴板中没有文字".into();
                } else if self.is_dirty() {
                    self.confirm = Some(AfterConfirm::OpenPasted(text));
                } else {
                    self.load(ctx, Source::Pasted(text));
                }
            }
            Action::OpenEntry(i) => self.go_to_report(ctx, Some(i)),
            Action::NextReport | Action::PrevReport => {
                let forward = action == Action::NextReport;
                let k = self.view.folder_mut().and_then(|f| f.neighbour(forward));
                if k.is_none() {
                    self.status = if forward {
                        "已是列表中最后一份报告".into()
                    } else {
                        "已是列表中第一份报告".into()
                    };
                }
                self.go_to_report(ctx, k);
            }
            Action::ComparePair(a, b) => {
                let Some(f) = self.view.folder() else { return };
                let (Some(ra), Some(rb)) = (f.rows.get(a), f.rows.get(b)) else { return };
                let files = vec![ra.open_path().to_path_buf(), rb.open_path().to_path_buf()];
                if self.is_dirty() {
                    self.status = "请先保存（Ctrl+S）或撤销当前报告的修改，再打开对比".into();
                } else {
                    self.load_compare(ctx, files, false);
                }
            }
            Action::FolderSort(col) => {
                if let Some(f) = self.view.folder_mut() {
                    f.sort_by(col);
                }
            }
            Action::FolderOnlyFailed(on) => {
                if let Some(f) = self.view.folder_mut() {
                    f.set_only_failed(on);
                }
            }
            Action::FolderFilter(text) => {
                if let Some(f) = self.view.folder_mut() {
                    f.set_filter(&text);
                }
            }
            Action::ExportFindings if self.view.folder().is_some() => self.dialog(ctx, Pick::ExportFindings),
            Action::ExportFolderWorkbook if self.view.folder().is_some() => {
                self.dialog(ctx, Pick::ExportFolderWorkbook)
            }
            Action::DismissError => self.error = None,
            Action::CancelLoad => self.cancel_load(),
            Action::CompareDialog if self.view.desk().is_some() => self.dialog(ctx, Pick::Compare),
            Action::CompareWith(p) => {
                self.drop_offer = None;
                if self.view.desk().is_some() {
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
                if let Some(desk) = self.view.desk_mut()
                    && desk.apply_suggestion(k)
                {
                    self.status = "已采纳建议的更正（可撤销）".into();
                }
            }
            Action::IgnoreSuggestion(k) => {
                if let Some(desk) = self.view.desk_mut() {
                    desk.ignore_suggestion(k);
                    self.status = "已忽略该建议".into();
                }
            }
            _ => {}
        }
    }

    /// The actions that work differently in the compare view; true when handled.
    fn apply_compare(&mut self, ctx: &egui::Context, action: &Action) -> bool {
        let View::Compare(cd, _) = &mut self.view else {
            return false;
        };
        match action {
            Action::CompareSelectCheck(k) => cd.select_check(*k),
            Action::CompareOnlyChanged(on) => cd.only_changed = *on,
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
            Action::ExportCsv | Action::ExportJson => self.export_compare(matches!(action, Action::ExportCsv)),
            Action::CloseCompare => {
                if cd.is_dirty() {
                    self.status = "请先保存（Ctrl+S）或撤销对比中的修改，再关闭对比".into();
                } else if let View::Compare(cd, back) = std::mem::replace(&mut self.view, View::Empty) {
                    let (_, later) = cd.into_desks();
                    match back {
                        // Back to the folder's list it was opened from.
                        Some(mut fv) => {
                            fv.desk = None;
                            fv.folder.current = None;
                            self.status = format!("已关闭对比，回到 {}", fv.folder.name);
                            self.view = View::Folder(fv);
                        }
                        None => {
                            self.status = format!("已关闭对比，显示 {}", doc_name(&later));
                            self.view = View::Single(Box::new(later));
                        }
                    }
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
                self.saves.wait_for_save(after);
                self.save_compare();
                self.after_save_done(ctx);
            }
            _ => return false,
        }
        true
    }

    /// Open row `k` of the folder's list beside it, asking “save changes?” first when the
    /// report open has unsaved changes.
    fn go_to_report(&mut self, ctx: &egui::Context, k: Option<usize>) {
        let Some(k) = k else { return };
        if self.view.folder().is_some_and(|f| f.current == Some(k)) && self.view.desk().is_some() {
            return;
        }
        if self.is_dirty() {
            self.confirm = Some(AfterConfirm::OpenEntry(k));
        } else {
            self.open_entry(ctx, k);
        }
    }
}
