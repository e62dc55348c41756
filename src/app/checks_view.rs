//! 待核对: every thing a person should look at (failed checks, cells without a value, an
//! unknown organ or year, repaired cells), errors first; clicking one (or F8 / Shift+F8) goes
//! to its cells. An entry marked 已核对 leaves the list (and is kept in the `.ron`).

use super::action::Action;
use super::desk::{Desk, TodoKind};
use super::palette;
use crate::model::format_value;
use eframe::egui::{self, Label, RichText, Sense, Shape, Ui};

/// The colour of an entry's tag.
fn color(kind: TodoKind) -> egui::Color32 {
    match kind {
        TodoKind::Error | TodoKind::NoValue => palette::ERROR,
        TodoKind::Meta | TodoKind::Warning => palette::WARNING,
        TodoKind::Repaired => palette::source_text(crate::model::Status::Repaired),
    }
}

pub fn show(ui: &mut Ui, desk: &Desk, actions: &mut Vec<Action>) {
    let (errors, warnings) = desk.counts();
    let n = desk.todo().len();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("待核对").strong());
        let count = RichText::new(format!("{n} 项")).strong();
        ui.label(if n > 0 { count.color(palette::ERROR) } else { count.color(palette::MUTED) });
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
    let selected = desk.selection().entry;
    ui.horizontal_wrapped(|ui| {
        let ctx = ui.ctx().clone();
        let key = |k: egui::Key, m: egui::Modifiers| ctx.format_shortcut(&egui::KeyboardShortcut::new(m, k));
        let prev = ui.add_enabled(n > 0, egui::Button::new("上一个").small());
        if prev.on_hover_text(key(egui::Key::F8, egui::Modifiers::SHIFT)).clicked() {
            actions.push(Action::PrevEntry);
        }
        let next = ui.add_enabled(n > 0, egui::Button::new("下一个").small());
        if next.on_hover_text(key(egui::Key::F8, egui::Modifiers::NONE)).clicked() {
            actions.push(Action::NextEntry);
        }
        let done = ui.add_enabled(selected.is_some(), egui::Button::new("标为已核对").small());
        let tip = format!(
            "看过、确认无需修改：移出待核对（保存在审校文件中，可撤销）  {}",
            key(egui::Key::Enter, egui::Modifiers::COMMAND)
        );
        if done.on_hover_text(tip).clicked() {
            actions.push(Action::MarkReviewed);
        }
    });
    ui.separator();
    if n == 0 {
        if desk.failed().is_empty() {
            ui.label("全部检查通过。");
        } else {
            ui.label(format!("没有待核对的项（{} 项已核对）。", desk.done().len()));
        }
    }
    egui::ScrollArea::vertical().id_salt("checks").auto_shrink(false).show(ui, |ui| {
        for (k, t) in desk.todo().iter().enumerate() {
            if check_row(ui, t.tag, color(t.kind), &t.message, &t.id, selected == Some(k)) {
                actions.push(Action::SelectEntry(k));
            }
        }
        suggestions(ui, desk, actions);
        reviewed(ui, desk, actions);
    });
}

/// The entries marked 已核对, folded away; each can be put back.
fn reviewed(ui: &mut Ui, desk: &Desk, actions: &mut Vec<Action>) {
    if desk.done().is_empty() {
        return;
    }
    ui.add_space(6.0);
    egui::CollapsingHeader::new(format!("已核对 {} 项", desk.done().len())).id_salt("reviewed").show(ui, |ui| {
        for t in desk.done() {
            ui.horizontal_top(|ui| {
                if ui.small_button("撤销").on_hover_text("放回待核对").clicked() {
                    actions.push(Action::UnmarkReviewed(t.key.clone()));
                }
                ui.label(RichText::new(t.tag).color(palette::MUTED));
                ui.add(Label::new(RichText::new(&t.message).color(palette::MUTED)).wrap());
            });
        }
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
pub(crate) fn check_row(ui: &mut Ui, tag: &str, color: egui::Color32, message: &str, id: &str, selected: bool) -> bool {
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
