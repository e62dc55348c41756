//! The menu bar and the keyboard shortcuts of its commands.

use super::action::Action;
use eframe::egui::{self, Button, Key, KeyboardShortcut, Modifiers, Ui};

const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
const SAVE_AS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
const REDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
const REDO_SHIFT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
const NEXT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F8);
const PREV: KeyboardShortcut = KeyboardShortcut::new(Modifiers::SHIFT, Key::F8);
const REVIEWED: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
const ZOOM_IN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
const ZOOM_OUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
const ZOOM_RESET: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);

/// What the menu needs to know to grey out its entries.
pub struct MenuState {
    pub has_doc: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    /// A single report is open (it can be compared with another).
    pub can_compare: bool,
    /// The compare view is shown.
    pub comparing: bool,
    /// Files opened lately, newest first.
    pub recent: Vec<std::path::PathBuf>,
}

/// Take the shortcuts out of the input before any text field sees them (a field would
/// otherwise run its own undo on Ctrl+Z).
pub fn shortcuts(ctx: &egui::Context, state: &MenuState, actions: &mut Vec<Action>) {
    ctx.input_mut(|i| {
        // Most specific first: Ctrl+Shift+Z before Ctrl+Z, Ctrl+Shift+S before Ctrl+S.
        if i.consume_shortcut(&REDO_SHIFT) || i.consume_shortcut(&REDO) {
            actions.push(Action::Redo);
        }
        if i.consume_shortcut(&UNDO) {
            actions.push(Action::Undo);
        }
        if i.consume_shortcut(&SAVE_AS) && state.has_doc {
            actions.push(Action::SaveAs);
        }
        if i.consume_shortcut(&SAVE) && state.has_doc {
            actions.push(Action::Save);
        }
        if i.consume_shortcut(&OPEN) {
            actions.push(Action::OpenDialog);
        }
        if i.consume_shortcut(&QUIT) {
            actions.push(Action::Quit);
        }
        if !state.comparing && state.has_doc {
            // Shift+F8 before F8 (a shortcut ignores extra Shift).
            if i.consume_shortcut(&PREV) {
                actions.push(Action::PrevEntry);
            }
            if i.consume_shortcut(&NEXT) {
                actions.push(Action::NextEntry);
            }
            if i.consume_shortcut(&REVIEWED) {
                actions.push(Action::MarkReviewed);
            }
            if i.consume_shortcut(&FIND) {
                actions.push(Action::Find);
            }
        }
    });
}

pub fn menu_bar(ui: &mut Ui, state: &MenuState, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("文件", |ui| {
            let mut clicked = Vec::new();
            let mut item =
                |ui: &mut Ui, text: &str, shortcut: Option<&KeyboardShortcut>, enabled: bool, action: Action| {
                    let mut button = Button::new(text);
                    if let Some(s) = shortcut {
                        button = button.shortcut_text(ui.ctx().format_shortcut(s));
                    }
                    if ui.add_enabled(enabled, button).clicked() {
                        clicked.push(action);
                    }
                };
            item(ui, "打开…", Some(&OPEN), true, Action::OpenDialog);
            ui.menu_button("最近打开", |ui| {
                if state.recent.is_empty() {
                    ui.add_enabled(false, Button::new("（无）"));
                }
                for p in &state.recent {
                    let b = Button::new(super::io::file_name(p));
                    if ui.add(b).on_hover_text(p.display().to_string()).clicked() {
                        actions.push(Action::Open(p.clone()));
                    }
                }
            });
            item(ui, "对比另一年度报告…", None, state.can_compare, Action::CompareDialog);
            if state.comparing {
                item(ui, "关闭对比", None, true, Action::CloseCompare);
            }
            ui.separator();
            item(ui, "保存", Some(&SAVE), state.has_doc, Action::Save);
            item(ui, "另存为…", Some(&SAVE_AS), state.has_doc, Action::SaveAs);
            ui.separator();
            item(ui, "导出 CSV…", None, state.has_doc, Action::ExportCsv);
            item(ui, "导出 JSON…", None, state.has_doc, Action::ExportJson);
            ui.separator();
            item(ui, "退出", Some(&QUIT), true, Action::Quit);
            actions.extend(clicked);
        });
        ui.menu_button("编辑", |ui| {
            let undo = Button::new("撤销").shortcut_text(ui.ctx().format_shortcut(&UNDO));
            if ui.add_enabled(state.can_undo, undo).clicked() {
                actions.push(Action::Undo);
            }
            let redo = Button::new("重做").shortcut_text(ui.ctx().format_shortcut(&REDO));
            if ui.add_enabled(state.can_redo, redo).clicked() {
                actions.push(Action::Redo);
            }
            ui.separator();
            let find = Button::new("在原文中查找…").shortcut_text(ui.ctx().format_shortcut(&FIND));
            if ui.add_enabled(state.has_doc && !state.comparing, find).clicked() {
                actions.push(Action::Find);
            }
        });
        let review = state.has_doc && !state.comparing;
        ui.menu_button("审校", |ui| {
            let mut item = |ui: &mut Ui, text: &str, shortcut: &KeyboardShortcut, action: Action| {
                let b = Button::new(text).shortcut_text(ui.ctx().format_shortcut(shortcut));
                if ui.add_enabled(review, b).clicked() {
                    actions.push(action);
                }
            };
            item(ui, "下一个待核对", &NEXT, Action::NextEntry);
            item(ui, "上一个待核对", &PREV, Action::PrevEntry);
            item(ui, "标为已核对", &REVIEWED, Action::MarkReviewed);
        });
        ui.menu_button("视图", |ui| {
            let ctx = ui.ctx().clone();
            let zoom = |ui: &mut Ui, text: &str, shortcut: &KeyboardShortcut| {
                ui.add(Button::new(text).shortcut_text(ctx.format_shortcut(shortcut))).clicked()
            };
            if zoom(ui, "放大", &ZOOM_IN) {
                egui::gui_zoom::zoom_in(&ctx);
            }
            if zoom(ui, "缩小", &ZOOM_OUT) {
                egui::gui_zoom::zoom_out(&ctx);
            }
            if zoom(ui, "原始大小", &ZOOM_RESET) {
                ctx.set_zoom_factor(1.0);
            }
            ui.label(egui::RichText::new(format!("当前 {:.0}%", ctx.zoom_factor() * 100.0)).small());
        });
        ui.menu_button("帮助", |ui| {
            if ui.button("关于年报审校").clicked() {
                actions.push(Action::About);
            }
        });
    });
}
