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
use std::ops::Range;

/// Focus bookkeeping of the cell fields.
#[derive(Default)]
pub struct CellFocus {
    /// The cell whose field had keyboard focus when last drawn.
    pub focused: Option<usize>,
    /// Give this cell focus (and scroll to it) in the next frame.
    pub request: Option<usize>,
    /// Scroll to this cell in the next frame, leaving the focus where it is.
    pub reveal: Option<usize>,
    /// Give this header field focus in the next frame (a 待核对 entry about the organ or year).
    pub header: Option<super::desk::MetaField>,
    /// The cell that had focus in the frame before.
    focused_last: Option<usize>,
    /// Column widths and line heights of the tables.
    geometry: Geometry,
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
    focus.focused_last = focus.focused.take();
    egui::ScrollArea::vertical().id_salt("tables").auto_shrink(false).show(ui, |ui| {
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

/// The shape of a drawn table: the width of each value column and the height of each line,
/// measured from the texts (so that no number is clipped) and kept until they change.
#[derive(Default)]
pub struct Geometry {
    key: Option<(u64, u64, u32, u32)>,
    tables: Vec<(Vec<f32>, Vec<f32>)>,
}

/// Narrowest value column, and the room a cell's text field needs beside its text.
const MIN_COL_W: f32 = 46.0;
const FIELD_PAD: f32 = 18.0;
const LABEL_INDENT: f32 = 10.0;

impl Geometry {
    /// (column widths, line heights) of each table, recomputed when the review, the label
    /// column's width or the zoom changed.
    fn get(&mut self, ui: &Ui, desk: &Desk, label_w: f32) -> &[(Vec<f32>, Vec<f32>)] {
        let key = (desk.doc_id(), desk.generation(), label_w.to_bits(), ui.ctx().pixels_per_point().to_bits());
        if self.key != Some(key) {
            self.tables = Table::ALL.iter().map(|&t| measure(ui, desk, t, label_w)).collect();
            self.key = Some(key);
        }
        &self.tables
    }
}

fn text_width(ui: &Ui, text: &str, font: &egui::FontId) -> f32 {
    ui.fonts_mut(|f| f.layout_no_wrap(text.to_string(), font.clone(), egui::Color32::BLACK).size().x)
}

fn wrapped_height(ui: &Ui, text: &str, font: &egui::FontId, width: f32) -> f32 {
    ui.fonts_mut(|f| f.layout(text.to_string(), font.clone(), egui::Color32::BLACK, width.max(10.0)).size().y)
}

fn body_font(ui: &Ui) -> egui::FontId {
    egui::TextStyle::Body.resolve(ui.style())
}

fn heading_font(ui: &Ui) -> egui::FontId {
    egui::TextStyle::Small.resolve(ui.style())
}

/// Column widths (every value of the column fits, and the widest word of its heading) and line
/// heights (a long official label wraps) of one table.
fn measure(ui: &Ui, desk: &Desk, table: Table, label_w: f32) -> (Vec<f32>, Vec<f32>) {
    let rows = desk.report().layout().rows(table);
    let ncols = rows.iter().map(|(r, _)| r.cols.len()).max().unwrap_or(1);
    let (body, small) = (body_font(ui), heading_font(ui));
    let mut cols = vec![MIN_COL_W; ncols];
    for (_, range) in rows {
        for (k, i) in range.clone().enumerate() {
            let w = text_width(ui, &desk.buffers[i], &body) + FIELD_PAD;
            cols[k] = cols[k].max(w);
        }
    }
    // A heading wraps between characters; a column is at least as wide as three of them, and
    // as wide as an ASCII word (万元) of it.
    let ideograph = text_width(ui, "国", &small);
    for (row, _) in rows {
        for (k, c) in row.cols.iter().enumerate() {
            let words = c.label.split(|ch: char| !ch.is_ascii_alphanumeric()).map(|w| text_width(ui, w, &small));
            let need = words.fold(ideograph * 3.0, f32::max) + 8.0;
            cols[k] = cols[k].max(need.min(120.0));
        }
    }
    let heights = lines(rows)
        .iter()
        .map(|line| match line {
            Line::Heading { group, cols: c } => {
                let g = group.map_or(0.0, |g| wrapped_height(ui, g, &body, label_w));
                let h = c.map_or(0.0, |c| {
                    c.iter()
                        .enumerate()
                        .map(|(k, col)| wrapped_height(ui, col.label, &small, cols[k] - 6.0))
                        .fold(0.0, f32::max)
                });
                g.max(h) + 8.0
            }
            Line::Cells { row, indent, .. } => {
                let room = label_w - if *indent { LABEL_INDENT } else { 0.0 };
                (wrapped_height(ui, row.label, &body, room) + 8.0).max(ROW_H)
            }
        })
        .collect();
    (cols, heights)
}

/// One table: its row labels in a column of their own that does not scroll sideways, its values
/// in columns sized to their contents, in a sideways scroll area of their own when the window is
/// narrow.
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
    ui.label(RichText::new(table.title()).strong().size(15.0));
    ui.add_space(2.0);
    let avail = ui.available_width();
    let label_w = (avail * 0.36).clamp(120.0, 300.0);
    let t = Table::ALL.iter().position(|&x| x == table).unwrap_or(0);
    let (mut cols, heights) = focus.geometry.get(ui, desk, label_w)[t].clone();
    // What is being typed widens its column at once.
    if let Some(i) = focus.focused_last.filter(|i| rows.iter().any(|(_, r)| r.contains(i))) {
        let k = rows.iter().find(|(_, r)| r.contains(&i)).map_or(0, |(_, r)| i - r.start);
        let w = text_width(ui, &desk.buffers[i], &body_font(ui)) + FIELD_PAD;
        if let Some(c) = cols.get_mut(k) {
            *c = c.max(w);
        }
    }
    let gap = 2.0;
    let xs: Vec<f32> = cols
        .iter()
        .scan(0.0, |x, w| {
            let at = *x;
            *x += w + gap;
            Some(at)
        })
        .collect();
    let values_w = cols.iter().sum::<f32>() + gap * cols.len() as f32;
    let lines = lines(rows);
    let spacing = 1.0;
    ui.horizontal_top(|ui| {
        ui.spacing_mut().item_spacing = egui::vec2(6.0, spacing);
        // The row labels: not scrolled sideways.
        ui.vertical(|ui| {
            ui.set_width(label_w);
            for (line, &h) in lines.iter().zip(&heights) {
                let (rect, _) = ui.allocate_exact_size(egui::vec2(label_w, h), egui::Sense::hover());
                // Up and down is the outer scroll area's: asked for from here, outside the
                // sideways one (which would take the request for itself).
                if let (Line::Cells { cells, .. }, Some(target)) = (line, reveal)
                    && cells.contains(&target)
                {
                    ui.scroll_to_rect(rect, Some(Align::Center));
                }
                let mut child = ui.new_child(
                    egui::UiBuilder::new().max_rect(rect).layout(egui::Layout::left_to_right(Align::Center)),
                );
                match line {
                    Line::Heading { group: Some(g), .. } => {
                        child.add(Label::new(RichText::new(*g).strong()).wrap());
                    }
                    Line::Heading { .. } => {}
                    Line::Cells { row: r, indent, .. } => {
                        if *indent {
                            child.add_space(LABEL_INDENT);
                        }
                        child.add(Label::new(r.label).wrap()).on_hover_ui(|ui| {
                            ui.label(r.full_label());
                        });
                    }
                }
            }
        });
        // The values: their own sideways scroll when the window is narrow.
        egui::ScrollArea::horizontal().id_salt(("values", table.key())).auto_shrink([false, true]).show(ui, |ui| {
            ui.spacing_mut().item_spacing = egui::vec2(0.0, spacing);
            ui.vertical(|ui| {
                for (line, &h) in lines.iter().zip(&heights) {
                    let (rect, _) = ui.allocate_exact_size(egui::vec2(values_w, h), egui::Sense::hover());
                    let cell_rect = |k: usize| {
                        egui::Rect::from_min_size(egui::pos2(rect.left() + xs[k], rect.top()), egui::vec2(cols[k], h))
                    };
                    if let (Line::Cells { cells, .. }, Some(target)) = (line, reveal)
                        && cells.contains(&target)
                    {
                        ui.scroll_to_rect(cell_rect(target - cells.start), None);
                    }
                    // Every row is drawn (a screen reader finds every cell, and a focused cell
                    // keeps its focus while scrolled away).
                    match line {
                        Line::Heading { cols: Some(c), .. } => {
                            for (k, col) in c.iter().enumerate() {
                                let mut child = ui.new_child(
                                    egui::UiBuilder::new()
                                        .max_rect(cell_rect(k).shrink2(egui::vec2(3.0, 2.0)))
                                        .layout(egui::Layout::top_down(Align::Center)),
                                );
                                child.add(Label::new(RichText::new(col.label).small().strong()).wrap());
                            }
                        }
                        Line::Heading { .. } => {}
                        Line::Cells { cells, .. } => {
                            for (k, i) in cells.clone().enumerate() {
                                let mut child = ui.new_child(
                                    egui::UiBuilder::new()
                                        .max_rect(cell_rect(k))
                                        .layout(egui::Layout::left_to_right(Align::Center)),
                                );
                                cell_ui(&mut child, desk, i, focus, actions);
                            }
                        }
                    }
                }
            });
        });
    });
}

fn cell_ui(ui: &mut Ui, desk: &mut Desk, i: usize, focus: &mut CellFocus, actions: &mut Vec<Action>) {
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
