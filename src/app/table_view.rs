//! The tables 二, 三 and 四 with their official labels; every cell an editable field.
//! Keyboard: Tab / Shift+Tab, Enter / Shift+Enter, ↑ ↓, and ← → at the edge of the text move
//! between cells; leaving a cell commits what was typed; Esc throws the typing away.

use super::action::Action;
use super::desk::Desk;
use super::palette;
use crate::model::{Status, format_value};
use crate::template::{ColDef, Layout, RowDef, Table};
use eframe::egui::text::{CCursor, CCursorRange};
use eframe::egui::{self, Align, EventFilter, Id, Label, RichText, Shape, Stroke, StrokeKind, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};
use std::ops::Range;

/// Focus bookkeeping of the cell fields.
#[derive(Debug, Default)]
pub struct CellFocus {
    /// The cell whose field had keyboard focus when last drawn.
    pub focused: Option<usize>,
    /// Give this cell focus (and scroll to it) in the next frame.
    pub request: Option<usize>,
    /// Scroll to this cell in the next frame, leaving the focus where it is.
    pub reveal: Option<usize>,
    /// Give this header field focus in the next frame (a 待核对 entry about the organ or year).
    pub header: Option<super::desk::MetaField>,
    /// A reveal repeated for a few more frames: on the first frames after opening, the scroll
    /// area does not know its content's size yet and ignores the request.
    settle: Option<(usize, u8)>,
}

/// The id of cell `i`'s text field.
pub fn cell_id(i: usize) -> Id {
    Id::unique(("nianbao-cell", i))
}

/// Cells keep Tab and the arrows to themselves; the table moves focus (egui would not know
/// about rows and columns).
const FILTER: EventFilter = EventFilter { tab: true, horizontal_arrows: true, vertical_arrows: true, escape: true };

const ROW_H: f32 = 24.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Nav {
    Next,
    Prev,
    Up,
    Down,
    Left,
    Right,
    Escape,
}

pub fn show(ui: &mut Ui, desk: &mut Desk, focus: &mut CellFocus, actions: &mut Vec<Action>) {
    let request = focus.request.take();
    let mut reveal = focus.reveal.take().or(request);
    match reveal {
        Some(i) => focus.settle = Some((i, 3)),
        None => {
            if let Some((i, n)) = &mut focus.settle
                && *n > 0
            {
                *n -= 1;
                reveal = Some(*i);
                ui.ctx().request_repaint();
            }
        }
    }
    if let Some(i) = request {
        select_all(ui.ctx(), i, &desk.buffers[i]);
        ui.memory_mut(|m| m.request_focus(cell_id(i)));
    }
    focus.focused = None;
    egui::ScrollArea::both().id_salt("tables").auto_shrink(false).show(ui, |ui| {
        for table in Table::ALL {
            table_ui(ui, desk, table, reveal, focus, actions);
            ui.add_space(14.0);
        }
        legend(ui);
    });
}

/// A line of the drawn table: a heading (group and/or column labels) or a row of cells.
enum Line {
    Heading { group: Option<&'static str>, cols: Option<&'static [ColDef]> },
    Cells { row: &'static RowDef, cells: Range<usize>, indent: bool },
}

/// The official layout: a heading whenever the group or the columns change; a group that
/// continues one already shown (三、本年度办理结果（三）不予公开) shows only its new part.
fn lines(rows: &'static [(&'static RowDef, Range<usize>)]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut shown: Vec<&'static str> = Vec::new();
    let mut group: Option<&'static str> = None;
    let mut cols: Option<*const [ColDef]> = None;
    for (row, range) in rows {
        let g = row.group.trim();
        let new_cols = cols != Some(row.cols as *const [ColDef]);
        let mut heading_group = None;
        if group != Some(g) {
            group = Some(g);
            if !g.is_empty() && !shown.contains(&g) {
                let base = shown.iter().filter(|s| g.starts_with(**s)).max_by_key(|s| s.len());
                heading_group = Some(base.map_or(g, |b| g[b.len()..].trim()));
                shown.push(g);
            }
        }
        if heading_group.is_some() || new_cols {
            out.push(Line::Heading { group: heading_group, cols: new_cols.then_some(row.cols) });
        }
        cols = Some(row.cols as *const [ColDef]);
        out.push(Line::Cells { row, cells: range.clone(), indent: !g.is_empty() });
    }
    out
}

/// Width of one ideograph of a row label and the height of one more line of it, in points.
const LABEL_CHAR_W: f32 = 14.0;
const LABEL_LINE_H: f32 = 16.0;

/// The height of a drawn line: headings with column labels are taller; a long official row
/// label wraps onto a second or third line.
fn line_height(line: &Line, label_w: f32) -> f32 {
    match line {
        Line::Heading { cols, .. } => {
            if cols.is_some() {
                36.0
            } else {
                22.0
            }
        }
        Line::Cells { row, indent, .. } => {
            let room = label_w - if *indent { 10.0 } else { 0.0 };
            let text_w = row.label.chars().count() as f32 * LABEL_CHAR_W;
            ROW_H + ((text_w / room).ceil().clamp(1.0, 3.0) - 1.0) * LABEL_LINE_H
        }
    }
}

fn table_ui(
    ui: &mut Ui,
    desk: &mut Desk,
    table: Table,
    reveal: Option<usize>,
    focus: &mut CellFocus,
    actions: &mut Vec<Action>,
) {
    let layout: &'static Layout = desk.report().layout();
    let rows = layout.rows(table);
    let ncols = rows.iter().map(|(r, _)| r.cols.len()).max().unwrap_or(1);
    ui.label(RichText::new(table.title()).strong().size(15.0));
    ui.add_space(2.0);
    let spacing = ui.spacing().item_spacing.x;
    let avail = ui.available_width() - 10.0;
    let label_w = (avail * 0.32).clamp(130.0, 300.0);
    let value_w = ((avail - label_w - spacing * ncols as f32) / ncols as f32).clamp(44.0, 120.0);
    let lines = lines(rows);
    // Rows outside the view are not drawn (egui_extras skips them), so a cell cannot scroll to
    // itself: scroll to where its row will be.
    if let Some(target) = reveal {
        let mut y = ui.cursor().top();
        for line in &lines {
            let h = line_height(line, label_w);
            if matches!(line, Line::Cells { cells, .. } if cells.contains(&target)) {
                let rect = egui::Rect::from_min_size(egui::pos2(ui.min_rect().left(), y), egui::vec2(label_w, h));
                ui.scroll_to_rect(rect, Some(Align::Center));
                break;
            }
            y += h + ui.spacing().item_spacing.y;
        }
    }
    TableBuilder::new(ui)
        .id_salt(table.key())
        .vscroll(false)
        .cell_layout(egui::Layout::left_to_right(Align::Center))
        .column(Column::exact(label_w))
        .columns(Column::exact(value_w), ncols)
        .body(|mut body| {
            for line in &lines {
                match line {
                    Line::Heading { group, cols } => {
                        body.row(line_height(line, label_w), |mut row| {
                            row.col(|ui| {
                                if let Some(g) = group {
                                    ui.add(Label::new(RichText::new(*g).strong()).truncate());
                                }
                            });
                            for k in 0..ncols {
                                row.col(|ui| {
                                    if let Some(c) = cols.and_then(|c| c.get(k)) {
                                        ui.add(Label::new(RichText::new(c.label).small().strong()).wrap());
                                    }
                                });
                            }
                        });
                    }
                    Line::Cells { row: r, cells, indent } => {
                        body.row(line_height(line, label_w), |mut row| {
                            row.col(|ui| {
                                if *indent {
                                    ui.add_space(10.0);
                                }
                                ui.add(Label::new(r.label).wrap()).on_hover_ui(|ui| {
                                    ui.label(r.full_label());
                                });
                            });
                            for k in 0..ncols {
                                row.col(|ui| {
                                    if k < cells.len() {
                                        cell_ui(ui, desk, cells.start + k, reveal, focus, actions);
                                    }
                                });
                            }
                        });
                    }
                }
            }
        });
}

fn cell_ui(
    ui: &mut Ui,
    desk: &mut Desk,
    i: usize,
    reveal: Option<usize>,
    focus: &mut CellFocus,
    actions: &mut Vec<Action>,
) {
    let status = desk.report().cells[i].status;
    let flags = desk.flags(i);
    let selected = desk.selection().cells.contains(&i);
    let primary = desk.selection().primary == Some(i);
    let missing = status == Status::Missing;
    let under = ui.painter().add(Shape::Noop);
    let bg = if missing {
        Some(egui::Color32::TRANSPARENT)
    } else if flags.error && status == Status::Parsed {
        Some(palette::FAILED_BG)
    } else {
        palette::status_bg(status)
    };
    let mut edit = TextEdit::singleline(&mut desk.buffers[i])
        .id(cell_id(i))
        .desired_width(f32::INFINITY)
        .align(egui::Align2::RIGHT_CENTER)
        .return_key(None)
        .event_filter(FILTER)
        .margin(egui::vec2(4.0, 2.0));
    if let Some(bg) = bg {
        edit = edit.background_color(bg).text_color(egui::Color32::from_gray(20));
    }
    if missing {
        edit = edit.hint_text("缺失");
    }
    let response = edit.show(ui).response.response;
    ui.ctx().accesskit_node_builder(response.id, |node| node.set_label(desk.name(i)));

    let rect = response.rect;
    if missing {
        ui.painter().set(under, hatch(rect));
    }
    // The table clips each cell to its column, so every outline is drawn inside the field.
    if selected {
        let w = if primary { 3.0 } else { 2.0 };
        ui.painter().rect_stroke(rect, 2.0, Stroke::new(w, palette::SELECTED), StrokeKind::Inside);
    } else if flags.error {
        ui.painter().rect_stroke(rect, 2.0, Stroke::new(1.5, palette::ERROR), StrokeKind::Inside);
    } else if flags.warning {
        ui.painter().rect_stroke(rect, 2.0, Stroke::new(1.5, palette::WARNING), StrokeKind::Inside);
    }

    if reveal == Some(i) {
        response.scroll_to_me(Some(Align::Center));
    }
    if response.has_focus() {
        focus.focused = Some(i);
    }
    if response.gained_focus() && !selected {
        actions.push(Action::SelectCell(i));
    }
    if response.lost_focus() && desk.is_pending(i) {
        actions.push(Action::Edit { cell: i, text: desk.buffers[i].clone() });
    }
    response.on_hover_ui(|ui| tooltip(ui, desk, i));
}

/// Grey with diagonal lines: nothing was found for this cell.
fn hatch(rect: egui::Rect) -> Shape {
    let mut shapes = vec![Shape::rect_filled(rect, 2.0, palette::MISSING_BG)];
    let stroke = Stroke::new(1.0, palette::HATCH);
    let h = rect.height();
    let mut x = rect.left() - h;
    while x < rect.right() {
        // A line from (x, bottom) to (x + h, top), clipped to the rect.
        let (mut x0, mut y0, mut x1, mut y1) = (x, rect.bottom(), x + h, rect.top());
        if x0 < rect.left() {
            y0 -= rect.left() - x0;
            x0 = rect.left();
        }
        if x1 > rect.right() {
            y1 += x1 - rect.right();
            x1 = rect.right();
        }
        shapes.push(Shape::line_segment([egui::pos2(x0, y0), egui::pos2(x1, y1)], stroke));
        x += 7.0;
    }
    Shape::Vec(shapes)
}

fn tooltip(ui: &mut Ui, desk: &Desk, i: usize) {
    let report = desk.report();
    let cell = &report.cells[i];
    let kind = report.def(i).kind();
    ui.label(RichText::new(desk.name(i)).strong());
    let value = |v: Option<f64>| v.map_or_else(|| "无".to_string(), |v| format_value(v, kind));
    let quoted = |t: &str| {
        if t.is_empty() { "（无）".to_string() } else { format!("“{t}”") }
    };
    match &cell.original {
        Some(o) => {
            ui.label(format!("原文：{}", quoted(&o.text)));
            ui.label(format!("原读取值：{}（{}）", value(o.value), o.status.label()));
            ui.label(format!("人工输入：{}", quoted(&cell.text)));
        }
        None => {
            ui.label(format!("原文：{}", quoted(&cell.text)));
        }
    }
    ui.label(format!("读取值：{}", value(cell.value)));
    ui.label(format!("状态：{}", cell.status.label()));
    if let Some(r) = &cell.repair {
        ui.label(format!("自动修复：{r}"));
    }
    if let Some(n) = &cell.note {
        ui.label(format!("备注：{n}"));
    }
    for c in desk.failed_for_cell(i) {
        let color = match c.severity {
            crate::model::Severity::Error => palette::ERROR,
            crate::model::Severity::Warning => palette::WARNING,
        };
        ui.label(RichText::new(format!("{}：{}", c.severity.label(), c.message)).color(color));
    }
}

fn legend(ui: &mut Ui) {
    ui.horizontal_wrapped(|ui| {
        let swatch = |ui: &mut Ui, fill: egui::Color32, stroke: Option<egui::Color32>, text: &str| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, fill);
            if let Some(s) = stroke {
                ui.painter().rect_stroke(rect, 2.0, Stroke::new(1.5, s), StrokeKind::Inside);
            }
            ui.label(RichText::new(text).small());
            ui.add_space(6.0);
        };
        swatch(ui, palette::FAILED_BG, Some(palette::ERROR), "检查未通过");
        swatch(ui, egui::Color32::WHITE, Some(palette::WARNING), "警告");
        swatch(ui, palette::REPAIRED_BG, None, "自动修复");
        swatch(ui, palette::EDITED_BG, None, "人工修改");
        swatch(ui, palette::UNREADABLE_BG, None, "无法识别");
        swatch(ui, palette::MISSING_BG, None, "缺失");
    });
}

/// The cell a move leads to from cell `i` (rows run on across the three tables).
pub(super) fn target(layout: &Layout, i: usize, nav: Nav) -> Option<usize> {
    let rows: Vec<Range<usize>> =
        layout.tables.iter().flat_map(|(_, rows)| rows.iter().map(|(_, r)| r.clone())).collect();
    let k = rows.iter().position(|r| r.contains(&i))?;
    let pos = i - rows[k].start;
    let at = |r: &Range<usize>| r.start + pos.min(r.len() - 1);
    match nav {
        Nav::Next => (i + 1 < layout.cells.len()).then_some(i + 1),
        Nav::Prev => i.checked_sub(1),
        Nav::Left => (i > rows[k].start).then(|| i - 1),
        Nav::Right => (i + 1 < rows[k].end).then_some(i + 1),
        Nav::Down => rows.get(k + 1).map(at),
        Nav::Up => k.checked_sub(1).map(|k| at(&rows[k])),
        Nav::Escape => None,
    }
}

/// Select the whole text of cell `i`, so typing replaces it.
fn select_all(ctx: &egui::Context, i: usize, text: &str) {
    let id = cell_id(i);
    let mut state = egui::text_edit::TextEditState::load(ctx, id).unwrap_or_default();
    state.cursor.set_char_range(Some(CCursorRange::two(CCursor::new(0), CCursor::new(text.chars().count()))));
    state.store(ctx, id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Template;

    #[test]
    fn moves_run_across_rows_and_tables() {
        let l = Template::T2021.layout();
        let a = l.index_of_key("applications/new_received/total").unwrap();
        let b = l.index_of_key("applications/carried_over/total").unwrap();
        assert_eq!(target(l, a, Nav::Down), Some(b));
        assert_eq!(target(l, b, Nav::Up), Some(a));
        assert_eq!(target(l, a, Nav::Right), None);
        assert_eq!(target(l, a, Nav::Next), Some(a + 1));
        let last_active = l.index_of_key("active/fees/amount_wan_yuan").unwrap();
        let first_app = l.index_of_key("applications/new_received/natural_person").unwrap();
        assert_eq!(target(l, last_active, Nav::Down), Some(first_app));
    }

    #[test]
    fn headings_follow_the_official_groups() {
        let l = Template::T2021.layout();
        let lines = lines(l.rows(Table::Applications));
        let groups: Vec<&str> = lines
            .iter()
            .filter_map(|x| match x {
                Line::Heading { group, .. } => *group,
                _ => None,
            })
            .collect();
        assert_eq!(
            groups,
            ["三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"]
        );
    }
}
