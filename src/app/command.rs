//! Every change to the report is a [`Command`]; applying one returns its inverse, which the
//! [`History`] keeps for undo (and the inverse of that for redo).

use crate::model::{Cell, Report};

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Put `cell` in place of cell `index`.
    SetCell { index: usize, cell: Cell },
    /// Several changes as one step (e.g. a suggestion that touches two cells).
    Batch(Vec<Command>),
}

impl Command {
    /// Apply to `report`; returns the command that undoes it.
    pub fn apply(self, report: &mut Report) -> Command {
        match self {
            Command::SetCell { index, cell } => Command::SetCell { index, cell: report.replace_cell(index, cell) },
            Command::Batch(cmds) => {
                let mut inverse: Vec<Command> = cmds.into_iter().map(|c| c.apply(report)).collect();
                inverse.reverse();
                Command::Batch(inverse)
            }
        }
    }

    /// The cells it changes.
    pub fn cells(&self) -> Vec<usize> {
        match self {
            Command::SetCell { index, .. } => vec![*index],
            Command::Batch(cmds) => cmds.iter().flat_map(Command::cells).collect(),
        }
    }
}

/// Undo and redo stacks, and which depth of the undo stack matches the saved file.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Command>,
    redo: Vec<Command>,
    /// Undo depth of the saved state; `None` when that state can no longer be reached.
    clean: Option<usize>,
    /// While a save is being written: the undo depth of the state it writes (`None` inside
    /// once that state can no longer be reached).
    saving: Option<Option<usize>>,
}

impl History {
    /// A history whose current state is the saved one.
    pub fn new() -> History {
        History { undo: Vec::new(), redo: Vec::new(), clean: Some(0), saving: None }
    }

    /// A history whose current state was never saved (e.g. restored from recovery).
    pub fn unsaved() -> History {
        History { clean: None, ..History::new() }
    }

    /// Apply a new command; returns the cells it changed.
    pub fn execute(&mut self, cmd: Command, report: &mut Report) -> Vec<usize> {
        let cells = cmd.cells();
        if self.clean.is_some_and(|c| c > self.undo.len()) {
            self.clean = None; // the saved state was on the redo stack, now dropped
        }
        if let Some(Some(d)) = self.saving
            && d > self.undo.len()
        {
            self.saving = Some(None); // so was the state being saved
        }
        self.redo.clear();
        self.undo.push(cmd.apply(report));
        cells
    }

    /// Undo the last command; returns the cells it changed, `None` when nothing is left.
    pub fn undo(&mut self, report: &mut Report) -> Option<Vec<usize>> {
        let cmd = self.undo.pop()?;
        let cells = cmd.cells();
        self.redo.push(cmd.apply(report));
        Some(cells)
    }

    /// Redo the last undone command.
    pub fn redo(&mut self, report: &mut Report) -> Option<Vec<usize>> {
        let cmd = self.redo.pop()?;
        let cells = cmd.cells();
        self.undo.push(cmd.apply(report));
        Some(cells)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Whether the report differs from the saved file.
    pub fn is_dirty(&self) -> bool {
        self.clean != Some(self.undo.len())
    }

    /// The current state is now the saved one.
    pub fn mark_clean(&mut self) {
        self.clean = Some(self.undo.len());
        self.saving = None;
    }

    /// A save of the current state has started (its result comes later).
    pub fn begin_save(&mut self) {
        self.saving = Some(Some(self.undo.len()));
    }

    /// The save begun last is done: when written, the state it wrote is the saved one (edits
    /// made meanwhile stay unsaved). False when no save was under way.
    pub fn finish_save(&mut self, written: bool) -> bool {
        let Some(depth) = self.saving.take() else {
            return false;
        };
        if written {
            self.clean = depth;
        }
        true
    }

    /// Whether a save is being written.
    pub fn is_saving(&self) -> bool {
        self.saving.is_some()
    }
}
