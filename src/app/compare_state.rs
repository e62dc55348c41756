//! Two reports side by side (issue 4): a [`Desk`] per side (its own report, history, buffers
//! and save path) and the [`Comparison`] of the two, recomputed only after an edit, undo or redo.
//!
//! Every edit goes through the side's [`Desk::execute`] (the one command path of the desk);
//! the compare desk records which side each step changed, so Ctrl+Z undoes the last step
//! whichever side it was on.

use super::desk::{Desk, is_ron};
use crate::compare::{self, Comparison, Side};
use std::path::PathBuf;

/// The cells selected on both sides and the check that selected them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompareSelection {
    pub cells: Vec<(Side, usize)>,
    /// Index into [`CompareDesk::listed`].
    pub check: Option<usize>,
}

pub struct CompareDesk {
    earlier: Desk,
    later: Desk,
    comparison: Comparison,
    /// The side of each undoable step, oldest first (and of each redoable one).
    undo_sides: Vec<Side>,
    redo_sides: Vec<Side>,
    selection: CompareSelection,
    /// Bumped when the selection changes by a check (the view scrolls to it once).
    pub reveal: bool,
    /// 只看变化: rows whose values did not change are hidden (unless they hold a selected or
    /// failing cell). On by default.
    pub only_changed: bool,
}

/// The accessible name of the value field of `side` in an aligned row labelled `label`,
/// e.g. `较早年度：三、收到和处理政府信息公开申请情况（四）结转下年度继续办理 / 总计`.
pub fn compare_cell_name(side: Side, label: &str) -> String {
    format!("{}：{label}", side.label())
}

impl CompareDesk {
    /// Two desks in any order; they are put in year order.
    pub fn new(a: Desk, b: Desk) -> CompareDesk {
        let c = compare::compare(a.report(), b.report());
        let (earlier, later) = if c.swapped { (b, a) } else { (a, b) };
        let comparison = compare::compare(earlier.report(), later.report());
        CompareDesk {
            earlier,
            later,
            comparison,
            undo_sides: Vec::new(),
            redo_sides: Vec::new(),
            selection: CompareSelection::default(),
            reveal: false,
            only_changed: true,
        }
    }

    pub fn comparison(&self) -> &Comparison {
        &self.comparison
    }
    pub fn desk(&self, side: Side) -> &Desk {
        match side {
            Side::Earlier => &self.earlier,
            Side::Later => &self.later,
        }
    }
    pub(crate) fn desk_mut(&mut self, side: Side) -> &mut Desk {
        match side {
            Side::Earlier => &mut self.earlier,
            Side::Later => &mut self.later,
        }
    }
    /// The year of a side as shown in the column heading (`2020年`, or the side's name).
    pub fn year_label(&self, side: Side) -> String {
        self.desk(side).report().year.map_or_else(|| side.label().to_string(), |y| format!("{y}年"))
    }
    pub fn selection(&self) -> &CompareSelection {
        &self.selection
    }

    /// The checks as listed: every cross-year check (failed first), then each side's failed
    /// single-report checks (errors first). Indices into [`Comparison::checks`].
    pub fn listed(&self) -> Vec<usize> {
        let checks = &self.comparison.checks;
        let mut cross: Vec<usize> = (0..checks.len()).filter(|&k| checks[k].side.is_none()).collect();
        cross.sort_by_key(|&k| (checks[k].passed, checks[k].severity));
        let mut out = cross;
        for side in [Side::Earlier, Side::Later] {
            let mut failed: Vec<usize> =
                (0..checks.len()).filter(|&k| checks[k].side == Some(side) && !checks[k].passed).collect();
            failed.sort_by_key(|&k| checks[k].severity);
            out.extend(failed);
        }
        out
    }

    /// The cross-year warnings that failed (`years.organ`, `years.same_year`): shown on top.
    pub fn warnings(&self) -> impl Iterator<Item = &compare::SideCheck> {
        self.comparison.cross_year().filter(|c| !c.passed && matches!(c.id, "years.organ" | "years.same_year"))
    }

    /// Select the `k`th listed check and its cells on both sides.
    pub(crate) fn select_check(&mut self, k: usize) {
        let listed = self.listed();
        let Some(&idx) = listed.get(k) else { return };
        self.selection = CompareSelection { cells: self.comparison.checks[idx].cells.clone(), check: Some(k) };
        self.reveal = true;
    }

    pub(crate) fn select_cell(&mut self, side: Side, i: usize) {
        let s = CompareSelection { cells: vec![(side, i)], check: None };
        if s != self.selection {
            self.selection = s;
        }
    }

    /// Whether an aligned row is shown: all are, unless 只看变化 hides those whose values did not
    /// change and that hold no selected and no failing cell (a row one template lacks is a
    /// change).
    pub fn shows(&self, r: &compare::AlignedRow) -> bool {
        if !self.only_changed || r.changed() || r.one_sided().is_some() {
            return true;
        }
        [Side::Earlier, Side::Later].into_iter().any(|side| {
            let cells = r.cells(side);
            let d = self.desk(side);
            self.is_selected(side, cells) || cells.iter().any(|&i| d.flags(i).error || d.flags(i).warning)
        })
    }

    /// Rows 只看变化 hides now.
    pub fn hidden_rows(&self) -> usize {
        crate::template::Table::ALL.iter().flat_map(|&t| self.comparison.table(t)).filter(|r| !self.shows(r)).count()
    }

    pub(crate) fn is_selected(&self, side: Side, cells: &[usize]) -> bool {
        self.selection.cells.iter().any(|&(s, i)| s == side && cells.contains(&i))
    }

    /// Commit `text` into cell `i` of `side` (one undoable step). False when nothing changed.
    pub fn edit(&mut self, side: Side, i: usize, text: &str) -> bool {
        if !self.desk_mut(side).edit(i, text) {
            return false;
        }
        self.undo_sides.push(side);
        self.redo_sides.clear();
        self.recompute();
        true
    }

    pub(crate) fn undo(&mut self) -> bool {
        let Some(side) = self.undo_sides.pop() else {
            return false;
        };
        if !self.desk_mut(side).undo() {
            return false;
        }
        self.redo_sides.push(side);
        self.recompute();
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some(side) = self.redo_sides.pop() else {
            return false;
        };
        if !self.desk_mut(side).redo() {
            return false;
        }
        self.undo_sides.push(side);
        self.recompute();
        true
    }

    pub(crate) fn can_undo(&self) -> bool {
        !self.undo_sides.is_empty()
    }
    pub(crate) fn can_redo(&self) -> bool {
        !self.redo_sides.is_empty()
    }
    pub fn is_dirty(&self) -> bool {
        self.earlier.is_dirty() || self.later.is_dirty()
    }

    /// The sides with unsaved changes.
    /// The side whose unsaved review the recovery file keeps: the one edited last (of the
    /// steps not undone) while it has unsaved changes, else the other one if it has.
    pub(crate) fn recovery_side(&self) -> Option<Side> {
        let last = self.undo_sides.last().copied().filter(|&s| self.desk(s).is_dirty());
        last.or_else(|| self.dirty_sides().first().copied())
    }

    pub(crate) fn dirty_sides(&self) -> Vec<Side> {
        [Side::Earlier, Side::Later].into_iter().filter(|&s| self.desk(s).is_dirty()).collect()
    }

    /// Where saving `side` writes: its `.ron`, else `NAME.ron` beside its input.
    pub fn save_path(&self, side: Side) -> PathBuf {
        let d = self.desk(side);
        d.save_path
            .clone()
            .filter(|p| is_ron(p))
            .unwrap_or_else(|| super::io::beside_free(d.source_path.as_deref(), &d.report().source_name, "ron"))
    }

    /// Take the two desks back (earlier, later).
    pub(crate) fn into_desks(self) -> (Desk, Desk) {
        (self.earlier, self.later)
    }

    fn recompute(&mut self) {
        self.comparison = compare::compare(self.earlier.report(), self.later.report());
        // Keep the selected check's cells selected (its index may have moved; keep by id).
        if let Some(k) = self.selection.check
            && self.listed().get(k).is_none()
        {
            self.selection.check = None;
        }
    }
}
