//! The strip under the menu: organ, year and template (each editable: one undoable edit through
//! the desk's commands, used by the checks and the exports), the input format (and a text's
//! encoding), and the counts of 待核对 and failed checks.

use super::action::Action;
use super::desk::{Desk, MetaField};
use super::palette;
use crate::template::Template;
use eframe::egui::{self, Id, Key, RichText, Stroke, StrokeKind, TextEdit, Ui};

/// The ids of the organ and year fields.
pub(crate) fn field_id(f: MetaField) -> Id {
    match f {
        MetaField::Organ => Id::unique("nianbao-organ"),
        MetaField::Year => Id::unique("nianbao-year"),
    }
}

pub(crate) fn template_label(t: Template) -> &'static str {
    match t {
        Template::T2019 => "2019 版（国办公开办函〔2019〕60号）",
        Template::T2021 => "2021 版（国办公开办函〔2021〕30号）",
    }
}

pub fn show(ui: &mut Ui, desk: &mut Desk, focus: &mut Option<MetaField>, actions: &mut Vec<Action>) {
    if let Some(f) = focus.take() {
        ui.memory_mut(|m| m.request_focus(field_id(f)));
    }
    let r = desk.report();
    let (template, encoding) = (r.template, r.encoding.clone());
    // The input format: text shows its encoding; a pasted report says so.
    let format = match (r.source_name.as_str(), r.format.as_str()) {
        (super::io::CLIPBOARD_NAME, "text" | "") => "剪贴板（文本）".to_string(),
        (_, key) => crate::open::format_label(key).to_string(),
    };
    let text_input = matches!(r.format.as_str(), "text" | "");
    let (organ, year) = (r.organ.clone().unwrap_or_default(), r.year.map(|y| y.to_string()).unwrap_or_default());
    let (errors, warnings) = desk.counts();
    let todo = desk.todo().len();
    ui.horizontal_wrapped(|ui| {
        let name = |ui: &mut Ui, text: &str| {
            ui.label(RichText::new(text).color(palette::MUTED));
        };
        name(ui, "机关");
        field(ui, &mut desk.organ_buf, MetaField::Organ, "机关名称", "（未识别，请填写）", 230.0, &organ, actions);
        ui.add_space(8.0);
        name(ui, "年度");
        field(ui, &mut desk.year_buf, MetaField::Year, "报告年度", "（未识别）", 64.0, &year, actions);
        ui.add_space(8.0);
        name(ui, "模板");
        let mut chosen = template;
        egui::ComboBox::from_id_salt("nianbao-template")
            .selected_text(template_label(template))
            .width(270.0)
            .show_ui(ui, |ui| {
                for t in [Template::T2019, Template::T2021] {
                    ui.selectable_value(&mut chosen, t, template_label(t));
                }
            })
            .response
            .on_hover_text("换用另一版表格：两版都有的格保留原值，其余为缺失（可撤销）");
        if chosen != template {
            actions.push(Action::SetTemplate(chosen));
        }
        ui.add_space(8.0);
        name(ui, "格式");
        ui.label(RichText::new(format).strong());
        if text_input {
            ui.add_space(8.0);
            name(ui, "编码");
            ui.label(RichText::new(encoding).strong());
        }
        ui.add_space(8.0);
        name(ui, "待核对");
        let t = RichText::new(format!("{todo} 项")).strong();
        ui.label(if todo > 0 { t.color(palette::ERROR) } else { t });
        let e = RichText::new(format!("错误 {errors}")).strong();
        ui.label(if errors > 0 { e.color(palette::ERROR) } else { e });
        let w = RichText::new(format!("警告 {warnings}")).strong();
        ui.label(if warnings > 0 { w.color(palette::WARNING) } else { w });
    });
}

/// A header text field: Enter or leaving it commits, Esc throws the typing away. Outlined in
/// orange while the report does not know the value.
#[allow(clippy::too_many_arguments)]
fn field(
    ui: &mut Ui,
    buf: &mut String,
    f: MetaField,
    label: &str,
    hint: &str,
    width: f32,
    current: &str,
    actions: &mut Vec<Action>,
) {
    let response = ui.add(TextEdit::singleline(buf).id(field_id(f)).desired_width(width).hint_text(hint));
    ui.ctx().accesskit_node_builder(response.id, |node| node.set_label(label));
    if current.is_empty() {
        ui.painter().rect_stroke(response.rect, 2.0, Stroke::new(1.5, palette::WARNING), StrokeKind::Inside);
    }
    if response.lost_focus() {
        if ui.input(|i| i.key_pressed(Key::Escape)) {
            *buf = current.to_string();
        } else if buf.trim() != current {
            actions.push(match f {
                MetaField::Organ => Action::SetOrgan(buf.clone()),
                MetaField::Year => Action::SetYear(buf.clone()),
            });
        }
    }
}
