//! The failed checks, errors first; clicking one selects its cells.

use super::action::Action;
use super::desk::Desk;
use super::palette;
use crate::model::{Severity, format_value};
use eframe::egui::{self, Label, RichText, Sense, Shape, Ui};

pub fn show(ui: &mut Ui, desk: &Desk, actions: &mut Vec<Action>) {
    let (errors, warnings) = desk.counts();
    ui.horizontal(|ui| {
        ui.label(RichText::new("未通过的检查").strong());
        ui.label(RichText::new(format!("错误 {errors}")).color(if errors > 0 {
            palette::ERROR
        } else {
            palette::MUTED
        }));
        ui.label(RichText::new(format!("警告 {warnings}")).color(if warnings > 0 {
            palette::WARNING
        } else {
            palette::MUTED
        }));
    });
    ui.separator();
    if desk.failed().is_empty() {
        ui.label("全部检查通过。");
        return;
    }
    let selected = desk.selection().check;
    egui::ScrollArea::vertical().id_salt("checks").auto_shrink(false).show(ui, |ui| {
        for (k, check) in desk.failed().iter().enumerate() {
            let color = match check.severity {
                Severity::Error => palette::ERROR,
                Severity::Warning => palette::WARNING,
            };
            if check_row(ui, check.severity.label(), color, &check.message, check.id, selected == Some(k)) {
                actions.push(Action::SelectCheck(k));
            }
        }
        suggestions(ui, desk, actions);
    });
}

/// The suggested corrections of the failed sums: what each changes and why, with 应用 (one
/// undoable edit) and 忽略 (hidden for this review).
fn suggestions(ui: &mut Ui, desk: &Desk, actions: &mut Vec<Action>) {
    let list: Vec<_> = desk.suggestions().collect();
    if list.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.separator();
    ui.label(RichText::new("建议的更正").strong());
    let r = desk.report();
    for (k, s) in list {
        egui::Frame::new()
            .stroke(egui::Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color))
            .corner_radius(4.0)
            .inner_margin(6.0)
            .show(ui, |ui| {
                for c in &s.changes {
                    let kind = r.def(c.cell).kind();
                    let current = c.current.map_or("（无数值）".to_string(), |v| format_value(v, kind));
                    let text = format!("{}：{} → {}", desk.name(c.cell), current, format_value(c.proposed, kind));
                    ui.add(Label::new(RichText::new(text).strong()).wrap());
                }
                let conf =
                    if s.certain { "确定".to_string() } else { format!("可信度 {:.0}%", s.confidence * 100.0) };
                ui.add(Label::new(RichText::new(format!("{}（{conf}）", s.reason)).small()).wrap());
                ui.horizontal(|ui| {
                    if ui.button("应用").on_hover_text("作为一次修改应用（可撤销）").clicked() {
                        actions.push(Action::ApplySuggestion(k));
                    }
                    if ui.button("忽略").on_hover_text("本次审校中不再显示").clicked() {
                        actions.push(Action::IgnoreSuggestion(k));
                    }
                });
            });
        ui.add_space(4.0);
    }
}

/// One clickable line of a check list: its tag in its colour and its message, highlighted when
/// selected or hovered, the rule id on hover. True when clicked.
pub fn check_row(ui: &mut Ui, tag: &str, color: egui::Color32, message: &str, id: &str, selected: bool) -> bool {
    let under = ui.painter().add(Shape::Noop);
    let inner = ui.horizontal_top(|ui| {
        ui.label(RichText::new(tag).color(color).strong());
        ui.add(Label::new(message).wrap().sense(Sense::click()))
    });
    let row = egui::Rect::from_x_y_ranges(ui.max_rect().x_range(), inner.response.rect.y_range()).expand(1.0);
    let response = inner.inner;
    if selected {
        ui.painter().set(under, Shape::rect_filled(row, 3.0, ui.visuals().selection.bg_fill.gamma_multiply(0.5)));
    } else if response.hovered() {
        ui.painter().set(under, Shape::rect_filled(row, 3.0, ui.visuals().widgets.hovered.weak_bg_fill));
    }
    let clicked = response.clicked();
    response.on_hover_text(id);
    ui.add_space(2.0);
    clicked
}
