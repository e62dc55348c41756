//! The raw text with line numbers. Its galley is laid out once per document (and width);
//! the selected cells' sources are rects computed once per selection change. Per frame only
//! the visible line numbers are painted.

use super::action::Action;
use super::desk::Desk;
use super::palette;
use crate::model::Report;
use eframe::egui::text::{CCursor, LayoutJob, TextFormat};
use eframe::egui::text_selection::LabelSelectionState;
use eframe::egui::{self, Align, Align2, FontId, Galley, Rect, Sense, Stroke, TextStyle, Ui, Vec2, pos2, vec2};
use std::sync::Arc;

#[derive(Default)]
pub struct TextView {
    doc_id: u64,
    wrap_width: f32,
    galley: Option<Arc<Galley>>,
    /// Top and bottom (galley coordinates) of the first row of each line.
    line_rows: Vec<(f32, f32)>,
    /// Byte offset of every character of the text.
    char_bytes: Vec<u32>,
    gutter: f32,
    selection_gen: Option<u64>,
    /// Source rects of the selected cells (galley coordinates), and whether each is the primary.
    highlights: Vec<(Rect, bool)>,
    scroll_to: Option<Rect>,
    /// A tiny galley from egui's cache: a new one means egui rebuilt its font atlas (or
    /// reloaded the fonts), which leaves a kept galley pointing at glyphs that are gone.
    probe: Option<Arc<Galley>>,
    /// Where the galley was painted last (screen).
    origin: Option<egui::Pos2>,
}

impl TextView {
    pub fn show(&mut self, ui: &mut Ui, desk: &Desk, actions: &mut Vec<Action>) {
        let font = TextStyle::Monospace.resolve(ui.style());
        let text_color = ui.visuals().text_color();
        egui::ScrollArea::vertical().id_salt("raw-text").auto_shrink(false).show_viewport(ui, |ui, viewport| {
            let width = ui.available_width();
            // egui's galley cache keeps handing out the same probe galley until it throws its
            // galleys away (font atlas cleared, fonts reloaded): then ours is stale too.
            let probe = ui.painter().layout_no_wrap("国0".to_owned(), font.clone(), text_color);
            let atlas_cleared = !self.probe.as_ref().is_some_and(|p| Arc::ptr_eq(p, &probe));
            self.probe = Some(probe);
            if atlas_cleared
                || self.galley.is_none()
                || self.doc_id != desk.doc_id()
                || (width - self.wrap_width).abs() > 0.5
            {
                self.layout(ui, desk.report(), desk.doc_id(), &font, text_color, width);
            }
            if self.selection_gen != Some(desk.selection_gen()) {
                self.select(desk);
            }
            let Some(galley) = self.galley.clone() else {
                return;
            };
            let (rect, _) = ui.allocate_exact_size(vec2(width, galley.size().y + 8.0), Sense::hover());
            let origin = rect.min + vec2(self.gutter, 0.0);
            self.origin = Some(origin);
            let painter = ui.painter();

            // Line numbers of the visible lines.
            let gutter_rect = Rect::from_min_size(rect.min, vec2(self.gutter - 6.0, rect.height()));
            painter.rect_filled(gutter_rect.intersect(ui.clip_rect()), 0.0, ui.visuals().faint_bg_color);
            let number_font = FontId::monospace(font.size * 0.85);
            let first = self.line_rows.partition_point(|&(y, _)| y < viewport.min.y).saturating_sub(1);
            for (n, &(top, bottom)) in self.line_rows.iter().enumerate().skip(first) {
                if top > viewport.max.y {
                    break;
                }
                painter.text(
                    pos2(rect.min.x + self.gutter - 10.0, rect.min.y + (top + bottom) / 2.0),
                    Align2::RIGHT_CENTER,
                    (n + 1).to_string(),
                    number_font.clone(),
                    palette::MUTED,
                );
            }

            for (r, primary) in &self.highlights {
                let color = if *primary { palette::SPAN_PRIMARY } else { palette::SPAN_OTHER };
                painter.rect_filled(r.translate(origin.to_vec2()).expand(1.0), 2.0, color);
            }
            if let Some(target) = self.scroll_to.take() {
                let in_content = target.translate(vec2(self.gutter, 0.0));
                if !viewport.contains_rect(in_content) {
                    ui.scroll_to_rect(target.translate(origin.to_vec2()), Some(Align::Center));
                }
            }

            let text_rect = Rect::from_min_size(origin, galley.size());
            let response = ui.interact(text_rect, ui.scope_id().with("raw-text-body"), Sense::click_and_drag());
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, "原文"));
            LabelSelectionState::label_text_selection(ui, &response, origin, galley.clone(), text_color, Stroke::NONE);

            let cell_under = |pos: egui::Pos2| cell_at(desk.report(), &galley, &self.char_bytes, pos - origin);
            if let Some(pos) = response.hover_pos()
                && let Some(i) = cell_under(pos)
            {
                ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
                response.clone().on_hover_text_at_pointer(format!("{}（点击选中）", desk.name(i)));
            }
            if response.clicked()
                && let Some(pos) = response.interact_pointer_pos()
                && let Some(i) = cell_under(pos)
            {
                actions.push(Action::ShowCell(i));
            }
        });
    }

    /// Where the source of the selected cell was drawn (screen coordinates).
    pub fn primary_rect(&self) -> Option<Rect> {
        let (r, _) = self.highlights.iter().find(|(_, p)| *p)?;
        Some(r.translate(self.origin?.to_vec2()))
    }

    fn layout(&mut self, ui: &Ui, report: &Report, doc_id: u64, font: &FontId, color: egui::Color32, width: f32) {
        let digits = report.text.lines().count().max(1).to_string().len() as f32;
        self.gutter = 16.0 + digits * font.size * 0.62;
        let wrap = (width - self.gutter - 4.0).max(80.0);
        let plain = TextFormat::simple(font.clone(), color);
        let mut job = LayoutJob::default();
        job.wrap.max_width = wrap;
        let text = &report.text;
        let mut spans: Vec<(usize, usize, crate::model::Status)> = report
            .cells
            .iter()
            .filter_map(|c| c.span.map(|(a, b)| (a, b, c.status)))
            .filter(|&(a, b, _)| a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b))
            .collect();
        spans.sort_by_key(|s| (s.0, s.1));
        let mut pos = 0;
        for (a, b, status) in spans {
            if a < pos {
                continue; // overlapping spans: keep the first
            }
            job.append(&text[pos..a], 0.0, plain.clone());
            let color = palette::source_text(status);
            let format = TextFormat { color, underline: Stroke::new(1.0, color.gamma_multiply(0.5)), ..plain.clone() };
            job.append(&text[a..b], 0.0, format);
            pos = b;
        }
        job.append(&text[pos..], 0.0, plain);
        let galley = ui.painter().layout_job(job);

        self.line_rows.clear();
        let mut new_line = true;
        for row in &galley.rows {
            if new_line {
                let r = row.rect();
                self.line_rows.push((r.min.y, r.max.y));
            }
            new_line = row.ends_with_newline;
        }
        self.galley = Some(galley);
        self.char_bytes = text.char_indices().map(|(b, _)| b as u32).collect();
        self.doc_id = doc_id;
        self.wrap_width = width;
        self.selection_gen = None; // rects depend on the layout
    }

    fn select(&mut self, desk: &Desk) {
        self.selection_gen = Some(desk.selection_gen());
        self.highlights.clear();
        let Some(galley) = &self.galley else { return };
        let report = desk.report();
        let sel = desk.selection();
        for &i in &sel.cells {
            let Some((a, b)) = report.cells.get(i).and_then(|c| c.span) else {
                continue;
            };
            let primary = sel.primary == Some(i);
            for r in span_rects(galley, &self.char_bytes, a, b) {
                self.highlights.push((r, primary));
            }
        }
        // Draw the primary on top.
        self.highlights.sort_by_key(|(_, p)| *p);
        let primary_span = sel.primary.and_then(|i| report.cells.get(i)).and_then(|c| c.span);
        self.scroll_to = primary_span.and_then(|(a, b)| span_rects(galley, &self.char_bytes, a, b).into_iter().next());
    }
}

/// Character index of byte `b`, given the byte offset of every character.
fn char_index(char_bytes: &[u32], b: usize) -> usize {
    char_bytes.partition_point(|&x| (x as usize) < b)
}

/// Rects (galley coordinates) covering bytes `a..b` of the text, one per row.
fn span_rects(galley: &Galley, char_bytes: &[u32], a: usize, b: usize) -> Vec<Rect> {
    let (ca, cb) = (char_index(char_bytes, a), char_index(char_bytes, b));
    let start = galley.layout_from_cursor(CCursor::new(ca));
    let end = galley.layout_from_cursor(CCursor::new(cb));
    let x0 = galley.pos_from_cursor(CCursor::new(ca)).min.x;
    let x1 = galley.pos_from_cursor(CCursor::new(cb)).min.x;
    (start.row..=end.row.max(start.row))
        .filter_map(|row| {
            let r = galley.rows.get(row)?.rect();
            let left = if row == start.row { x0 } else { r.min.x };
            let right = if row == end.row { x1 } else { r.max.x };
            (right > left).then(|| Rect::from_x_y_ranges(left..=right, r.y_range()))
        })
        .collect()
}

/// The cell whose source is at `pos` (galley coordinates): under the pointer or just left of it.
fn cell_at(report: &Report, galley: &Galley, char_bytes: &[u32], pos: Vec2) -> Option<usize> {
    if pos.x < 0.0 || pos.y < 0.0 || pos.y > galley.size().y {
        return None;
    }
    let c = galley.cursor_from_pos(pos).index.0;
    let byte = |ci: usize| char_bytes.get(ci).map_or(report.text.len(), |&b| b as usize);
    let at = byte(c);
    report.cell_at(at).or_else(|| c.checked_sub(1).and_then(|p| report.cell_at(byte(p))))
}
