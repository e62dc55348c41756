//! The menu bar: each entry is a [`UICommand`] (its text, shortcut and availability come from
//! there, as do the keys: `UICommand::consume_shortcuts`).

use super::action::Action;
use super::ui_command::{CommandState, UICommand};
use eframe::egui::{self, Button, Ui};

/// One menu entry: greyed out when the command is not available now.
fn item(ui: &mut Ui, state: &CommandState, cmd: UICommand, actions: &mut Vec<Action>) {
    let mut button = Button::new(cmd.text());
    if let Some(s) = cmd.shortcut_text(ui.ctx()) {
        button = button.shortcut_text(s);
    }
    if ui.add_enabled(cmd.enabled(state), button).clicked() {
        actions.push(cmd.action());
    }
}

pub(crate) fn menu_bar(ui: &mut Ui, state: &CommandState, actions: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("文件", |ui| {
            item(ui, state, UICommand::Open, actions);
            item(ui, state, UICommand::OpenFolder, actions);
            item(ui, state, UICommand::OpenClipboard, actions);
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
            item(ui, state, UICommand::Compare, actions);
            if state.comparing {
                item(ui, state, UICommand::CloseCompare, actions);
            }
            ui.separator();
            item(ui, state, UICommand::Save, actions);
            item(ui, state, UICommand::SaveAs, actions);
            ui.separator();
            item(ui, state, UICommand::ExportCsv, actions);
            item(ui, state, UICommand::ExportJson, actions);
            if state.folder {
                item(ui, state, UICommand::ExportFindings, actions);
                item(ui, state, UICommand::ExportFolderWorkbook, actions);
            }
            ui.separator();
            item(ui, state, UICommand::Quit, actions);
        });
        ui.menu_button("编辑", |ui| {
            item(ui, state, UICommand::Undo, actions);
            item(ui, state, UICommand::Redo, actions);
            ui.separator();
            item(ui, state, UICommand::Find, actions);
        });
        ui.menu_button("审校", |ui| {
            item(ui, state, UICommand::NextEntry, actions);
            item(ui, state, UICommand::PrevEntry, actions);
            item(ui, state, UICommand::MarkReviewed, actions);
            ui.separator();
            item(ui, state, UICommand::NextReport, actions);
            item(ui, state, UICommand::PrevReport, actions);
        });
        ui.menu_button("视图", |ui| {
            item(ui, state, UICommand::ZoomIn, actions);
            item(ui, state, UICommand::ZoomOut, actions);
            item(ui, state, UICommand::ZoomReset, actions);
            let zoom = ui.ctx().zoom_factor();
            ui.label(egui::RichText::new(format!("当前 {:.0}%", zoom * 100.0)).small());
        });
        ui.menu_button("帮助", |ui| {
            item(ui, state, UICommand::Shortcuts, actions);
            item(ui, state, UICommand::About, actions);
        });
    });
}
