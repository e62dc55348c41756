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

/// What the menu needs to know to grey out its entries.
pub struct MenuState {
    pub has_doc: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    /// A single report is open (it can be compared with another).
    pub can_compare: bool,
    /// The compare view is shown.
    pub comparing: bool,
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
    });
}

pub fn menu_bar(ui: &mut Ui, state: &MenuState, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("文件", |ui| {
            let mut item =
                |ui: &mut Ui, text: &str, shortcut: Option<&KeyboardShortcut>, enabled: bool, action: Action| {
                    let mut button = Button::new(text);
                    if let Some(s) = shortcut {
                        button = button.shortcut_text(ui.ctx().format_shortcut(s));
                    }
                    if ui.add_enabled(enabled, button).clicked() {
                        actions.push(action);
                    }
                };
            item(ui, "打开…", Some(&OPEN), true, Action::OpenDialog);
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
        });
    });
}
