//! The folder's list: a bar (progress while reading, 只看未通过, a text filter, the counts and
//! the exports) over a table of the reports, one row each, sortable by a click on a column's
//! title. Only the rows in view are laid out, so a thousand reports cost what thirty do.
//! Clicking a report's name opens it in the desk beside the list; 对比 opens two years of one
//! body side by side. Draws and returns actions only.

use super::action::Action;
use super::folder::{Column, Folder, FolderRow};
use super::palette;
use eframe::egui::{self, RichText};
use egui_extras::{Column as Width, TableBuilder};

/// The height of a row of the list.
const ROW_HEIGHT: f32 = 22.0;

/// The columns beside a report open in the desk (template and format left out).
const COMPACT: [Column; 7] =
    [Column::File, Column::Organ, Column::Year, Column::Errors, Column::Warnings, Column::Todo, Column::State];

/// The list; `compact` beside a report open in the desk (fewer, narrower columns).
pub fn show(ui: &mut egui::Ui, folder: &mut Folder, compact: bool, actions: &mut Vec<Action>) {
    // In a small window the list beside the desk keeps only what ranks the reports.
    let narrow = compact && ui.ctx().content_rect().width() < 1300.0;
    let cols: Vec<Column> = if narrow {
        vec![Column::File, Column::Errors, Column::Todo, Column::State]
    } else if compact {
        COMPACT.to_vec()
    } else {
        Column::ALL.to_vec()
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("文件夹 {}", folder.name)).strong());
        let (failing, all) = folder.counts();
        match folder.progress() {
            Some(_) if folder.is_listing() => {
                ui.spinner();
                ui.label("正在查找报告…");
            }
            Some((done, total)) => {
                let bar = egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                    .desired_width(160.0)
                    .text(format!("正在读取 {done} / {total}"));
                ui.add(bar);
            }
            None => {
                ui.label(format!("共 {all} 份，未通过 {failing} 份"));
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        let mut only = folder.only_failed;
        if ui.checkbox(&mut only, "只看未通过").changed() {
            actions.push(Action::FolderOnlyFailed(only));
        }
        let mut text = folder.filter.clone();
        let field = egui::TextEdit::singleline(&mut text).hint_text("按文件名或机关筛选").desired_width(150.0);
        if ui.add(field).labelled_by(ui.label("筛选").id).changed() {
            actions.push(Action::FolderFilter(text));
        }
        if ui.button("导出问题清单…").clicked() {
            actions.push(Action::ExportFindings);
        }
        if ui.button("导出工作簿…").clicked() {
            actions.push(Action::ExportFolderWorkbook);
        }
    });
    for (p, e) in &folder.errors {
        ui.label(RichText::new(format!("{}：{e}", p.display())).color(palette::ERROR).small());
    }
    ui.separator();

    let order = folder.order().to_vec();
    let current = folder.current;
    let partners: Vec<Option<usize>> = order.iter().map(|&i| folder.partner(i)).collect();
    let (sort, descending) = (folder.sort, folder.descending);
    let scroll_to = current.and_then(|c| order.iter().position(|&i| i == c));
    ui.style_mut().interaction.selectable_labels = false;
    let mut table = TableBuilder::new(ui)
        .id_salt(("folder-list", cols.len()))
        .striped(true)
        .sense(egui::Sense::click())
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for col in &cols {
        table = table.column(match col {
            Column::File => {
                Width::initial(if compact { 120.0 } else { 170.0 }).at_least(80.0).clip(true).resizable(true)
            }
            Column::Organ => {
                Width::initial(if compact { 100.0 } else { 150.0 }).at_least(60.0).clip(true).resizable(true)
            }
            _ => Width::auto().at_least(30.0),
        });
    }
    table = table.column(Width::remainder().at_least(66.0));
    if folder.take_scroll_request()
        && let Some(p) = scroll_to
    {
        table = table.scroll_to_row(p, None);
    }
    table
        .header(ROW_HEIGHT, |mut header| {
            for &col in &cols {
                header.col(|ui| {
                    let arrow = match (sort == col, descending) {
                        (true, true) => " ↓",
                        (true, false) => " ↑",
                        _ => "",
                    };
                    let title = RichText::new(format!("{}{arrow}", col.title())).strong();
                    if ui.add(egui::Button::new(title).frame(false)).on_hover_text("点击排序").clicked() {
                        actions.push(Action::FolderSort(col));
                    }
                });
            }
            header.col(|ui| {
                ui.label(RichText::new("对比").strong());
            });
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, order.len(), |mut row| {
                let k = row.index();
                let i = order[k];
                let r = &folder.rows[i];
                row.set_selected(current == Some(i));
                for &col in &cols {
                    row.col(|ui| cell(ui, col, r, current == Some(i), i, actions));
                }
                row.col(|ui| {
                    if let Some(j) = partners[k] {
                        let other = folder.rows[j].year.map(|y| format!("对比 {y}")).unwrap_or_default();
                        let hover = format!("与 {} 并排对比", folder.rows[j].file_name());
                        if ui.small_button(other).on_hover_text(hover).clicked() {
                            actions.push(Action::ComparePair(i, j));
                        }
                    }
                });
                if row.response().clicked() {
                    actions.push(Action::OpenEntry(i));
                }
            });
        });
}

/// One cell of the list.
fn cell(ui: &mut egui::Ui, col: Column, r: &FolderRow, current: bool, i: usize, actions: &mut Vec<Action>) {
    let count = |n: usize| if r.loaded && r.error.is_none() { n.to_string() } else { String::new() };
    match col {
        Column::File => {
            let b = ui.add(egui::Button::selectable(current, r.file_name()).truncate());
            if b.on_hover_text(r.path.display().to_string()).clicked() {
                actions.push(Action::OpenEntry(i));
            }
        }
        Column::Organ => {
            match &r.organ {
                Some(o) => ui.add(egui::Label::new(o).truncate()).on_hover_text(o),
                None if r.loaded => ui.label(RichText::new("（未识别）").color(palette::MUTED)),
                None => ui.label(""),
            };
        }
        Column::Year => {
            ui.label(r.year.map(|y| y.to_string()).unwrap_or_default());
        }
        Column::Template => {
            ui.label(r.template.map(|t| t.to_string()).unwrap_or_default());
        }
        Column::Format => {
            ui.label(if r.format.is_empty() { "" } else { crate::open::format_label(&r.format) });
        }
        Column::Errors => {
            if !r.loaded {
                ui.spinner();
            } else if let Some(e) = &r.error {
                ui.label(RichText::new("无法读取").color(palette::ERROR)).on_hover_text(e);
            } else if r.errors > 0 {
                ui.label(RichText::new(r.errors.to_string()).color(palette::ERROR).strong());
            } else {
                ui.label("0");
            }
        }
        Column::Warnings => {
            let t = RichText::new(count(r.warnings));
            ui.label(if r.warnings > 0 { t.color(palette::WARNING) } else { t });
        }
        Column::Todo => {
            ui.label(count(r.todo));
        }
        Column::State => {
            if r.loaded && r.error.is_none() {
                ui.label(r.state.label());
            }
        }
    }
}
