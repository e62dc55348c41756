//! The cells' keyboard: moves between cells (Tab, Enter, ↑ ↓, ← → at the edge of the text, Esc)
//! and the typing that comes before a move or a click in the same frame.
//!
//! egui hands over a frame's events together. A fast typist (or a slow frame) can put
//! `5 3 0 ⇥ 7` into one frame, and a text field only sees its events when it is drawn — after
//! the move was decided, so the digits would land in the next cell. Before anything is drawn,
//! the events up to the last move (or up to a click) are therefore played here in order, each
//! into the cell that has the focus at that point; what follows is left to the text field that
//! ends up focused. Frames without a move or a click are left to the text fields entirely.

use super::action::Action;
use super::desk::Desk;
use super::table_view::{CellFocus, Nav, cell_id, target};
use eframe::egui::text::{CCursor, CCursorRange};
use eframe::egui::{self, Event, Key};

/// The text of one cell being edited here, with its selection (character indices).
struct Typing {
    cell: usize,
    text: Vec<char>,
    anchor: usize,
    cursor: usize,
}

enum Step {
    /// The event was played (or means nothing to a cell).
    Done,
    Move(Nav),
    /// Leave this event and the rest to egui (a click, an input method, a shortcut).
    Stop,
}

impl Typing {
    /// Cell `i` as its text field left it (the selection egui keeps for it).
    fn resume(ctx: &egui::Context, i: usize, text: &str) -> Typing {
        let text: Vec<char> = text.chars().collect();
        let n = text.len();
        let range = egui::text_edit::TextEditState::load(ctx, cell_id(i)).and_then(|s| s.cursor.char_range());
        let (anchor, cursor) = range.map_or((n, n), |r| (r.secondary.index.0.min(n), r.primary.index.0.min(n)));
        Typing { cell: i, text, anchor, cursor }
    }

    /// Cell `i` just entered: its whole text selected, so typing replaces it.
    fn enter(i: usize, text: &str) -> Typing {
        let text: Vec<char> = text.chars().collect();
        Typing { cell: i, anchor: 0, cursor: text.len(), text }
    }

    fn string(&self) -> String {
        self.text.iter().collect()
    }

    fn selection(&self) -> (usize, usize) {
        (self.anchor.min(self.cursor), self.anchor.max(self.cursor))
    }

    fn selected(&self) -> String {
        let (a, b) = self.selection();
        self.text[a..b].iter().collect()
    }

    fn delete_selection(&mut self) -> bool {
        let (a, b) = self.selection();
        self.text.drain(a..b);
        self.anchor = a;
        self.cursor = a;
        a < b
    }

    fn insert(&mut self, s: &str) {
        self.delete_selection();
        let chars: Vec<char> = s.chars().filter(|c| *c != '\r').map(|c| if c == '\n' { ' ' } else { c }).collect();
        let n = chars.len();
        self.text.splice(self.cursor..self.cursor, chars);
        self.cursor += n;
        self.anchor = self.cursor;
    }

    fn go(&mut self, to: usize, extend: bool) {
        self.cursor = to.min(self.text.len());
        if !extend {
            self.anchor = self.cursor;
        }
    }

    /// Play one event; a move is returned for the caller to make.
    fn step(&mut self, ctx: &egui::Context, event: &Event) -> Step {
        match event {
            Event::Text(s) => {
                if !s.is_empty() && s != "\n" && s != "\r" {
                    self.insert(s);
                }
                Step::Done
            }
            Event::Paste(s) => {
                self.insert(s);
                Step::Done
            }
            Event::Copy => {
                if self.anchor != self.cursor {
                    ctx.copy_text(self.selected());
                }
                Step::Done
            }
            Event::Cut => {
                if self.anchor != self.cursor {
                    ctx.copy_text(self.selected());
                    self.delete_selection();
                }
                Step::Done
            }
            Event::Key { pressed: false, .. } => Step::Done,
            Event::Key { key, pressed: true, modifiers: m, .. } => {
                let plain = !(m.ctrl || m.alt || m.command || m.mac_cmd);
                if !plain {
                    return match key {
                        Key::A if m.command && !m.alt => {
                            self.anchor = 0;
                            self.cursor = self.text.len();
                            Step::Done
                        }
                        // Copy, cut and paste arrive as their own events too.
                        Key::C | Key::X | Key::V if m.command => Step::Done,
                        _ => Step::Stop,
                    };
                }
                let empty = self.anchor == self.cursor;
                match key {
                    Key::Tab => Step::Move(if m.shift { Nav::Prev } else { Nav::Next }),
                    Key::Enter => Step::Move(if m.shift { Nav::Up } else { Nav::Down }),
                    Key::ArrowUp if !m.shift => Step::Move(Nav::Up),
                    Key::ArrowDown if !m.shift => Step::Move(Nav::Down),
                    Key::Escape => Step::Move(Nav::Escape),
                    Key::ArrowLeft => {
                        if !m.shift && empty && self.cursor == 0 {
                            return Step::Move(Nav::Left);
                        }
                        let to = if !m.shift && !empty { self.selection().0 } else { self.cursor.saturating_sub(1) };
                        self.go(to, m.shift);
                        Step::Done
                    }
                    Key::ArrowRight => {
                        if !m.shift && empty && self.cursor >= self.text.len() {
                            return Step::Move(Nav::Right);
                        }
                        let to = if !m.shift && !empty { self.selection().1 } else { self.cursor + 1 };
                        self.go(to, m.shift);
                        Step::Done
                    }
                    Key::Home => {
                        self.go(0, m.shift);
                        Step::Done
                    }
                    Key::End => {
                        self.go(self.text.len(), m.shift);
                        Step::Done
                    }
                    Key::Backspace => {
                        if !self.delete_selection() && self.cursor > 0 {
                            self.cursor -= 1;
                            self.text.remove(self.cursor);
                            self.anchor = self.cursor;
                        }
                        Step::Done
                    }
                    Key::Delete => {
                        if !self.delete_selection() && self.cursor < self.text.len() {
                            self.text.remove(self.cursor);
                        }
                        Step::Done
                    }
                    Key::ArrowUp | Key::ArrowDown => Step::Stop,
                    // Printable keys come with their text event.
                    _ => Step::Done,
                }
            }
            Event::PointerMoved(_)
            | Event::MouseMoved(_)
            | Event::PointerButton { pressed: false, .. }
            | Event::PointerGone
            | Event::MouseWheel { .. }
            | Event::WindowFocused(true) => Step::Done,
            _ => Step::Stop,
        }
    }

    /// Put the text into the cell's buffer and the selection into its text field's state.
    fn store(&self, ctx: &egui::Context, desk: &mut Desk) {
        desk.buffers[self.cell] = self.string();
        let id = cell_id(self.cell);
        let mut state = egui::text_edit::TextEditState::load(ctx, id).unwrap_or_default();
        state.cursor.set_char_range(Some(CCursorRange::two(CCursor::new(self.anchor), CCursor::new(self.cursor))));
        state.store(ctx, id);
    }
}

/// Whether a frame's event ends a run of typing: a move between cells or a click.
fn ends_typing(event: &Event) -> bool {
    match event {
        Event::PointerButton { pressed: true, .. } => true,
        Event::Key { key, pressed: true, modifiers: m, .. } => {
            !(m.ctrl || m.alt || m.command || m.mac_cmd)
                && matches!(
                    key,
                    Key::Tab
                        | Key::Enter
                        | Key::ArrowUp
                        | Key::ArrowDown
                        | Key::ArrowLeft
                        | Key::ArrowRight
                        | Key::Escape
                )
        }
        _ => false,
    }
}

/// Play this frame's typing and moves of the focused cell (before any panel is drawn). Leaving
/// a cell commits what was typed into it ([`Action::Edit`]); Esc throws the typing away, or,
/// with nothing typed, leaves the cell.
pub fn keyboard(ctx: &egui::Context, desk: &mut Desk, focus: &mut CellFocus, actions: &mut Vec<Action>) {
    let Some(start) = focus.focused.filter(|&i| i < desk.buffers.len() && ctx.memory(|m| m.has_focus(cell_id(i))))
    else {
        return;
    };
    let events = ctx.input(|i| i.events.clone());
    if !events.iter().any(ends_typing) {
        return;
    }
    let layout = desk.report().layout();
    let mut t = Typing::resume(ctx, start, &desk.buffers[start]);
    let mut moved = false;
    let mut played = 0;
    for (k, event) in events.iter().enumerate() {
        match t.step(ctx, event) {
            Step::Done => {}
            Step::Stop => break,
            Step::Move(Nav::Escape) => {
                let i = t.cell;
                desk.buffers[i] = t.string();
                if desk.is_pending(i) {
                    desk.revert_buffer(i);
                    t = Typing::enter(i, &desk.buffers[i]);
                } else {
                    t.store(ctx, desk);
                    ctx.memory_mut(|m| m.surrender_focus(cell_id(i)));
                    ctx.input_mut(|input| {
                        input.events.drain(..=k);
                    });
                    return;
                }
            }
            Step::Move(nav) => {
                let i = t.cell;
                desk.buffers[i] = t.string();
                if desk.is_pending(i) {
                    actions.push(Action::Edit { cell: i, text: desk.buffers[i].clone() });
                }
                if let Some(to) = target(layout, i, nav) {
                    t.store(ctx, desk);
                    t = Typing::enter(to, &desk.buffers[to]);
                    actions.push(Action::SelectCell(to));
                    moved = true;
                }
            }
        }
        played = k + 1;
    }
    t.store(ctx, desk);
    if moved {
        ctx.memory_mut(|m| m.request_focus(cell_id(t.cell)));
        focus.reveal = Some(t.cell);
    }
    ctx.input_mut(|input| {
        input.events.drain(..played.min(input.events.len()));
    });
}
