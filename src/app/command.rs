//! Every change to the review is a [`Command`]; applying one returns its inverse, which the
//! [`History`] keeps for undo (and the inverse of that for redo).

use crate::model::{Cell, Figure, ParseNote, Report};
use crate::template::Template;
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Put `cell` in place of cell `index`.
    SetCell {
        index: usize,
        cell: Cell,
    },
    /// The organ as a person typed it (`None`: not known).
    SetOrgan(Option<String>),
    SetYear(Option<i32>),
    /// The report in another template: its cells, figures and notes, which are indexed by the
    /// template's layout (see [`Reshape::of`]).
    SetTemplate(Box<Reshape>),
    /// Mark a 待核对 entry (by its key) 已核对, or take the mark away.
    Reviewed {
        key: String,
        on: bool,
    },
    /// Several changes as one step (e.g. a suggestion that touches two cells).
    Batch(Vec<Command>),
}

/// What a command changed, for the views to refresh.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changed {
    pub cells: Vec<usize>,
    /// The template changed: every cell, name and buffer is new.
    pub reshaped: bool,
}

/// A report's template and what is indexed by that template's layout.
#[derive(Clone, Debug, PartialEq)]
pub struct Reshape {
    pub template: Template,
    pub cells: Vec<Cell>,
    pub figures: Vec<Figure>,
    pub notes: Vec<ParseNote>,
}

impl Reshape {
    /// `report` moved to `template`: each cell to the cell of the same key (`table/row/col`),
    /// missing where the other template has none; figures and notes follow their cells (a figure
    /// that names a cell the template lacks is dropped).
    pub fn of(report: &Report, template: Template) -> Reshape {
        let from = report.layout();
        let to = template.layout();
        let map: Vec<Option<usize>> = from.cells.iter().map(|d| to.index_of_key(&d.key())).collect();
        let mut cells: Vec<Cell> = vec![Cell::missing(); to.cells.len()];
        for (i, c) in report.cells.iter().enumerate() {
            if let Some(j) = map[i] {
                cells[j] = c.clone();
            }
        }
        let moved = |v: &[usize]| -> Option<Vec<usize>> { v.iter().map(|&i| map.get(i).copied().flatten()).collect() };
        let figures = report
            .figures
            .iter()
            .filter_map(|f| {
                let mut f = f.clone();
                f.cells = moved(&f.cells)?;
                f.alt_cells = moved(&f.alt_cells).unwrap_or_default();
                Some(f)
            })
            .collect();
        let notes = report
            .notes
            .iter()
            .map(|n| {
                let mut n = n.clone();
                n.cells = n.cells.iter().filter_map(|&i| map.get(i).copied().flatten()).collect();
                n
            })
            .collect();
        Reshape { template, cells, figures, notes }
    }
}

impl Command {
    /// Apply to the review (its report and its 已核对 keys); returns the command that undoes it.
    pub fn apply(self, report: &mut Report, reviewed: &mut BTreeSet<String>) -> Command {
        match self {
            Command::SetCell { index, cell } => Command::SetCell { index, cell: report.replace_cell(index, cell) },
            Command::SetOrgan(organ) => Command::SetOrgan(std::mem::replace(&mut report.organ, organ)),
            Command::SetYear(year) => Command::SetYear(std::mem::replace(&mut report.year, year)),
            Command::SetTemplate(shape) => {
                let Reshape { template, cells, figures, notes } = *shape;
                Command::SetTemplate(Box::new(Reshape {
                    template: std::mem::replace(&mut report.template, template),
                    cells: std::mem::replace(&mut report.cells, cells),
                    figures: std::mem::replace(&mut report.figures, figures),
                    notes: std::mem::replace(&mut report.notes, notes),
                }))
            }
            Command::Reviewed { key, on } => {
                let was = if on { !reviewed.insert(key.clone()) } else { reviewed.remove(&key) };
                Command::Reviewed { key, on: was }
            }
            Command::Batch(cmds) => {
                let mut inverse: Vec<Command> = cmds.into_iter().map(|c| c.apply(report, reviewed)).collect();
                inverse.reverse();
                Command::Batch(inverse)
            }
        }
    }

    /// What it changes.
    pub fn changes(&self) -> Changed {
        let mut out = Changed::default();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut Changed) {
        match self {
            Command::SetCell { index, .. } => out.cells.push(*index),
            Command::SetTemplate(_) => out.reshaped = true,
            Command::SetOrgan(_) | Command::SetYear(_) | Command::Reviewed { .. } => {}
            Command::Batch(cmds) => cmds.iter().for_each(|c| c.collect(out)),
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

    /// Apply a new command; returns what it changed.
    pub(crate) fn execute(&mut self, cmd: Command, report: &mut Report, reviewed: &mut BTreeSet<String>) -> Changed {
        let changed = cmd.changes();
        if self.clean.is_some_and(|c| c > self.undo.len()) {
            self.clean = None; // the saved state was on the redo stack, now dropped
        }
        if let Some(Some(d)) = self.saving
            && d > self.undo.len()
        {
            self.saving = Some(None); // so was the state being saved
        }
        self.redo.clear();
        self.undo.push(cmd.apply(report, reviewed));
        changed
    }

    /// Undo the last command; returns what it changed, `None` when nothing is left.
    pub(crate) fn undo(&mut self, report: &mut Report, reviewed: &mut BTreeSet<String>) -> Option<Changed> {
        let cmd = self.undo.pop()?;
        let changed = cmd.changes();
        self.redo.push(cmd.apply(report, reviewed));
        Some(changed)
    }

    /// Redo the last undone command.
    pub fn redo(&mut self, report: &mut Report, reviewed: &mut BTreeSet<String>) -> Option<Changed> {
        let cmd = self.redo.pop()?;
        let changed = cmd.changes();
        self.undo.push(cmd.apply(report, reviewed));
        Some(changed)
    }

    pub(crate) fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub(crate) fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// Whether the report differs from the saved file.
    pub fn is_dirty(&self) -> bool {
        self.clean != Some(self.undo.len())
    }

    /// A save of the current state has started (its result comes later).
    pub(crate) fn begin_save(&mut self) {
        self.saving = Some(Some(self.undo.len()));
    }

    /// The save begun last is done: when written, the state it wrote is the saved one (edits
    /// made meanwhile stay unsaved). False when no save was under way.
    pub(crate) fn finish_save(&mut self, written: bool) -> bool {
        let Some(depth) = self.saving.take() else {
            return false;
        };
        if written {
            self.clean = depth;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_change_moves_cells_by_key_and_undoes_exactly() {
        let report = crate::load_bytes(include_bytes!("../../assets/sample-lieshan-2021.txt"), "s.txt").unwrap();
        let mut r = report.clone();
        let mut reviewed = BTreeSet::new();
        let inverse = Command::SetTemplate(Box::new(Reshape::of(&r, Template::T2019))).apply(&mut r, &mut reviewed);
        assert_eq!(r.template, Template::T2019);
        assert_eq!(r.cells.len(), Template::T2019.layout().cells.len());
        let key = "applications/granted/natural_person";
        let (a, b) = (report.layout().index_of_key(key).unwrap(), r.layout().index_of_key(key).unwrap());
        assert_eq!(r.cells[b], report.cells[a]);
        inverse.apply(&mut r, &mut reviewed);
        assert_eq!(r, report);
    }

    #[test]
    fn marking_reviewed_is_undone_by_its_inverse() {
        let mut r = crate::load_bytes(include_bytes!("../../assets/sample-lieshan-2021.txt"), "s.txt").unwrap();
        let mut reviewed = BTreeSet::new();
        let inverse = Command::Reviewed { key: "k".into(), on: true }.apply(&mut r, &mut reviewed);
        assert!(reviewed.contains("k"));
        inverse.apply(&mut r, &mut reviewed);
        assert!(reviewed.is_empty());
    }
}
