//! The strip under the menu: organ, year, template, encoding and the counts of failed checks.

use super::desk::Desk;
use super::palette;
use crate::template::Template;
use eframe::egui::{RichText, Ui};

pub fn show(ui: &mut Ui, desk: &Desk) {
    let r = desk.report();
    ui.horizontal_wrapped(|ui| {
        let field = |ui: &mut Ui, name: &str, value: &str| {
            ui.label(RichText::new(name).color(palette::MUTED));
            ui.label(RichText::new(value).strong());
            ui.add_space(10.0);
        };
        field(ui, "机关", r.organ.as_deref().unwrap_or("（未识别）"));
        field(ui, "年度", &r.year.map_or_else(|| "（未识别）".to_string(), |y| y.to_string()));
        let template = match r.template {
            Template::T2019 => "2019 版（国办公开办函〔2019〕60号）",
            Template::T2021 => "2021 版（国办公开办函〔2021〕30号）",
        };
        field(ui, "模板", template);
        field(ui, "编码", &r.encoding);
        let (errors, warnings) = desk.counts();
        ui.label(RichText::new("检查").color(palette::MUTED));
        let e = RichText::new(format!("错误 {errors}")).strong();
        ui.label(if errors > 0 { e.color(palette::ERROR) } else { e });
        let w = RichText::new(format!("警告 {warnings}")).strong();
        ui.label(if warnings > 0 { w.color(palette::WARNING) } else { w });
    });
}
