//! The raw text with line numbers. Its galley is laid out once per document (and width);
//! the selected cells' sources are rects computed once per selection change. Per frame only
//! the visible line numbers are painted. Ctrl+F opens a find bar above it (matches counted and
//! highlighted, Enter / Shift+Enter or F3 / Shift+F3 for the next / previous, Esc closes).

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
    /// The find bar, while open.
    find: Option<Find>,
    /// Counts the layouts (what the find rects were computed for).
    layout_gen: u32,
}

/// Ctrl+F in the raw text.
#[derive(Default)]
struct Find {
    query: String,
    /// Byte ranges of the matches in the text.
    matches: Vec<(usize, usize)>,
    /// Index into `matches` of the current one.
    current: usize,
    /// (document, layout, query) the matches and rects are for.
    computed: Option<(u64, u32, String)>,
    /// Rects (galley coordinates) of every match, with the index of its match.
    rects: Vec<(Rect, usize)>,
    focus: bool,
    scroll: bool,
}

/// The id of the find field.
pub(crate) fn find_id() -> egui::Id {
    egui::Id::unique("nianbao-find")
}

/// At most this many matches are counted and highlighted.
const MAX_MATCHES: usize = 5000;

impl TextView {
    /// Open the find bar (or focus it again), its text selected.
    pub(crate) fn open_find(&mut self) {
        let f = self.find.get_or_insert_with(Find::default);
        f.focus = true;
    }

    /// (current match, number of matches) while the find bar is open; current is 1-based, 0
    /// when nothing matches.
    pub fn find_state(&self) -> Option<(usize, usize)> {
        let f = self.find.as_ref()?;
        Some((if f.matches.is_empty() { 0 } else { f.current + 1 }, f.matches.len()))
    }

    /// Where the current match was drawn (screen coordinates).
    pub(crate) fn current_match_rect(&self) -> Option<Rect> {
        let f = self.find.as_ref()?;
        let (r, _) = f.rects.iter().find(|(_, k)| *k == f.current)?;
        Some(r.translate(self.origin?.to_vec2()))
    }

    /// The find bar: the query, its count, previous / next, close.
    fn find_bar(&mut self, ui: &mut Ui, text: &str, doc_id: u64) {
        let Some(f) = &mut self.find else { return };
        let mut close = false;
        let mut step: i64 = 0;
        ui.horizontal(|ui| {
            let edit = egui::TextEdit::singleline(&mut f.query)
                .id(find_id())
                .hint_text("在原文中查找")
                .desired_width((ui.available_width() - 210.0).max(80.0))
                .return_key(None);
            let response = ui.add(edit);
            ui.ctx().accesskit_node_builder(response.id, |node| node.set_label("查找"));
            if std::mem::take(&mut f.focus) {
                response.request_focus();
                let mut state = egui::text_edit::TextEditState::load(ui.ctx(), find_id()).unwrap_or_default();
                let n = f.query.chars().count();
                state.cursor.set_char_range(Some(egui::text::CCursorRange::two(CCursor::new(0), CCursor::new(n))));
                state.store(ui.ctx(), find_id());
            }
            let focused = response.has_focus() || response.lost_focus();
            ui.input(|i| {
                if focused && i.key_pressed(egui::Key::Enter) {
                    step = if i.modifiers.shift { -1 } else { 1 };
                }
                if i.key_pressed(egui::Key::F3) {
                    step = if i.modifiers.shift { -1 } else { 1 };
                }
                if focused && i.key_pressed(egui::Key::Escape) {
                    close = true;
                }
            });
            let (cur, n) = (if f.matches.is_empty() { 0 } else { f.current + 1 }, f.matches.len());
            let count = if f.query.is_empty() {
                String::new()
            } else if n >= MAX_MATCHES {
                format!("{cur}/{n}+")
            } else {
                format!("{cur}/{n}")
            };
            let color = if n == 0 && !f.query.is_empty() { palette::ERROR } else { palette::MUTED };
            ui.label(egui::RichText::new(count).color(color));
            if ui.small_button("上一处").on_hover_text("Shift+Enter").clicked() {
                step = -1;
            }
            if ui.small_button("下一处").on_hover_text("Enter").clicked() {
                step = 1;
            }
            if ui.small_button("关闭查找").on_hover_text("Esc").clicked() {
                close = true;
            }
        });
        if close {
            self.find = None;
            return;
        }
        let key = (doc_id, self.layout_gen, f.query.clone());
        if f.computed.as_ref().is_none_or(|(d, _, q)| (*d, q.as_str()) != (doc_id, f.query.as_str())) {
            f.matches = find_all(text, &f.query);
            f.current = 0;
            f.scroll = true;
            f.computed = None;
        }
        if step != 0 && !f.matches.is_empty() {
            let n = f.matches.len() as i64;
            f.current = ((f.current as i64 + step).rem_euclid(n)) as usize;
            f.scroll = true;
        }
        // The rects wait for the galley of this document.
        if f.computed.as_ref() != Some(&key) && self.doc_id == doc_id {
            f.rects.clear();
            if let Some(galley) = &self.galley {
                for (k, &(a, b)) in f.matches.iter().enumerate() {
                    for r in span_rects(galley, &self.char_bytes, a, b) {
                        f.rects.push((r, k));
                    }
                }
            }
            f.computed = Some(key);
        }
    }

    pub fn show(&mut self, ui: &mut Ui, desk: &Desk, actions: &mut Vec<Action>) {
        self.find_bar(ui, &desk.report().text, desk.doc_id());
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
            if let Some(f) = &mut self.find {
                let visible = viewport.translate(vec2(-self.gutter, 0.0)).expand(20.0);
                for (r, k) in &f.rects {
                    if r.intersects(visible) {
                        let current = *k == f.current;
                        let color = if current { palette::FIND_CURRENT } else { palette::FIND_OTHER };
                        painter.rect_filled(r.translate(origin.to_vec2()).expand(1.0), 2.0, color);
                    }
                }
                if std::mem::take(&mut f.scroll)
                    && let Some((r, _)) = f.rects.iter().find(|(_, k)| *k == f.current)
                {
                    ui.scroll_to_rect(r.translate(origin.to_vec2()), Some(Align::Center));
                }
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
    pub(crate) fn primary_rect(&self) -> Option<Rect> {
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
        self.layout_gen = self.layout_gen.wrapping_add(1);
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

/// Byte ranges of `query` in `text` (ASCII letters in any case), at most [`MAX_MATCHES`].
fn find_all(text: &str, query: &str) -> Vec<(usize, usize)> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    // ASCII lowercasing keeps every byte offset.
    let (hay, needle) = (text.to_ascii_lowercase(), query.to_ascii_lowercase());
    hay.match_indices(&needle).take(MAX_MATCHES).map(|(a, m)| (a, a + m.len())).collect()
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
