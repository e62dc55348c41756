//! The in-app file dialog, for when no native one can be shown (no xdg portal: rfd gives
//! nothing back at once) and in the tests: the path as text (focused, its file name selected;
//! Enter = 确定, Esc = 取消), the folder's listing below it (a folder opens on click, a file is
//! chosen on click and taken on double click), 上一级, 确定 / 取消. Choosing a folder
//! ([`Pick::Folder`]), 确定 takes the folder the path names.

use super::io::Pick;
use eframe::egui::{self, Id, Key, Modal, RichText, ScrollArea};
use std::path::{Path, PathBuf};

pub struct PathDialog {
    pub pick: Pick,
    path: String,
    /// The folder listed, and its folders and files (names), folders first.
    listed: Option<PathBuf>,
    entries: Vec<(String, bool)>,
    /// The extensions of the files listed (lower case, no dot).
    exts: &'static [&'static str],
    title: &'static str,
    focus: bool,
    error: Option<String>,
}

/// What the clerk did with the dialog.
pub enum Outcome {
    Chosen(PathBuf),
    Cancelled,
}

/// The id of the path field.
pub(crate) fn path_id() -> Id {
    Id::unique("nianbao-path-dialog")
}

impl PathDialog {
    /// A dialog for `pick` starting at `start` (a file to suggest, or a folder to list).
    pub fn new(pick: Pick, start: PathBuf, exts: &'static [&'static str], title: &'static str) -> PathDialog {
        PathDialog {
            pick,
            path: start.display().to_string(),
            listed: None,
            entries: Vec::new(),
            exts,
            title,
            focus: true,
            error: None,
        }
    }

    fn saving(&self) -> bool {
        !matches!(self.pick, Pick::Open | Pick::Compare | Pick::Folder)
    }

    /// The folder the path names or lies in.
    fn folder(&self) -> Option<PathBuf> {
        let p = Path::new(self.path.trim());
        if p.is_dir() {
            return Some(p.to_path_buf());
        }
        p.parent().filter(|d| d.is_dir()).map(Path::to_path_buf)
    }

    fn list(&mut self, dir: &Path) {
        let mut entries: Vec<(String, bool)> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        if name.starts_with('.') {
                            return None;
                        }
                        let is_dir = e.path().is_dir();
                        let ext = Path::new(&name).extension().map(|x| x.to_string_lossy().to_ascii_lowercase());
                        (is_dir || ext.is_some_and(|x| self.exts.contains(&x.as_str()))).then_some((name, is_dir))
                    })
                    .collect()
            })
            .unwrap_or_default();
        entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.entries = entries;
        self.listed = Some(dir.to_path_buf());
    }

    /// Go into folder `dir`, keeping the file name typed for a save.
    fn enter(&mut self, dir: &Path) {
        let name = Path::new(self.path.trim())
            .file_name()
            .filter(|_| self.saving() && !Path::new(self.path.trim()).is_dir())
            .map(|n| n.to_os_string());
        self.path = match name {
            Some(n) => dir.join(n).display().to_string(),
            None => format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR),
        };
        self.focus = true;
    }

    /// The path chosen, or why it cannot be (a folder is entered instead).
    fn confirm(&mut self) -> Option<PathBuf> {
        let text = self.path.trim();
        if text.is_empty() {
            self.error = Some("请输入文件路径".into());
            return None;
        }
        let p = PathBuf::from(text);
        if self.pick == Pick::Folder {
            if p.is_dir() {
                return Some(p);
            }
            self.error = Some("请选择一个文件夹".into());
            return None;
        }
        if p.is_dir() {
            self.enter(&p);
            return None;
        }
        if self.saving() {
            match p.parent() {
                Some(d) if d.as_os_str().is_empty() || d.is_dir() => Some(p),
                _ => {
                    self.error = Some("文件夹不存在".into());
                    None
                }
            }
        } else if p.is_file() {
            Some(p)
        } else {
            self.error = Some("文件不存在".into());
            None
        }
    }

    /// Draw the dialog; `Some` once the clerk chose or cancelled.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<Outcome> {
        if let Some(dir) = self.folder()
            && self.listed.as_deref() != Some(dir.as_path())
        {
            self.list(&dir);
        }
        let mut outcome = None;
        let response = Modal::new(Id::unique("nianbao-path-modal")).show(ctx, |ui| {
            ui.set_width(560.0_f32.min(ctx.content_rect().width() - 60.0));
            ui.label(RichText::new(self.title).strong().size(16.0));
            ui.add_space(4.0);
            let edit =
                egui::TextEdit::singleline(&mut self.path).id(path_id()).desired_width(f32::INFINITY).return_key(None);
            let field = ui.add(edit);
            ui.ctx().accesskit_node_builder(field.id, |node| node.set_label("文件路径"));
            if field.changed() {
                self.error = None;
            }
            if std::mem::take(&mut self.focus) {
                field.request_focus();
                // Select the file name, so typing replaces it.
                let chars: Vec<char> = self.path.chars().collect();
                let start = chars.iter().rposition(|&c| c == '/' || c == '\\').map_or(0, |k| k + 1);
                let end = match chars[start..].iter().rposition(|&c| c == '.') {
                    Some(dot) if self.saving() && dot > 0 => start + dot,
                    _ => chars.len(),
                };
                let mut state = egui::text_edit::TextEditState::load(ui.ctx(), path_id()).unwrap_or_default();
                let range = egui::text::CCursorRange::two(
                    egui::text::CCursor::new(start.min(end)),
                    egui::text::CCursor::new(end),
                );
                state.cursor.set_char_range(Some(range));
                state.store(ui.ctx(), path_id());
            }
            if field.has_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                outcome = self.confirm().map(Outcome::Chosen);
            }
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(super::palette::ERROR));
            } else if self.saving() && Path::new(self.path.trim()).is_file() {
                ui.label(RichText::new("文件已存在").color(super::palette::WARNING));
            }
            ui.add_space(4.0);
            let dir = self.listed.clone();
            ui.horizontal(|ui| {
                let parent = dir.as_deref().and_then(Path::parent);
                if ui.add_enabled(parent.is_some(), egui::Button::new("上一级")).clicked()
                    && let Some(p) = parent
                {
                    self.enter(p);
                }
                if let Some(d) = &dir {
                    ui.add(egui::Label::new(RichText::new(d.display().to_string()).small()).truncate());
                }
            });
            let mut go: Option<PathBuf> = None;
            let mut chosen: Option<(PathBuf, bool)> = None;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ScrollArea::vertical().max_height(240.0).auto_shrink([false, true]).show(ui, |ui| {
                    let Some(d) = &dir else {
                        ui.label(RichText::new("（文件夹不存在）").color(super::palette::MUTED));
                        return;
                    };
                    if self.entries.is_empty() {
                        ui.label(RichText::new("（没有可打开的文件）").color(super::palette::MUTED));
                    }
                    for (name, is_dir) in &self.entries {
                        let shown = if *is_dir { format!("{name}/") } else { name.clone() };
                        let r = ui.selectable_label(false, shown);
                        if r.double_clicked() && !is_dir {
                            chosen = Some((d.join(name), true));
                        } else if r.clicked() {
                            if *is_dir {
                                go = Some(d.join(name));
                            } else {
                                chosen = Some((d.join(name), false));
                            }
                        }
                    }
                });
            });
            if let Some(g) = go {
                self.enter(&g);
            }
            if let Some((p, take)) = chosen {
                self.path = p.display().to_string();
                if take {
                    outcome = self.confirm().map(Outcome::Chosen);
                }
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("确定").clicked() {
                    outcome = self.confirm().map(Outcome::Chosen);
                }
                if ui.button("取消").clicked() {
                    outcome = Some(Outcome::Cancelled);
                }
                ui.label(RichText::new("Enter 确定 · Esc 取消").small().color(super::palette::MUTED));
            });
        });
        if outcome.is_none() && response.should_close() {
            outcome = Some(Outcome::Cancelled);
        }
        outcome
    }
}
