//! The document on the desk: the report, its undo history, the cached check results and what
//! is selected. Checks rerun only when a command changes the report.

use super::command::{Command, History};
use crate::checks;
use crate::model::{CheckResult, Report, Severity, format_value};
use crate::suggest::Suggestion;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// How the failed checks touch one cell.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellFlags {
    /// In a failed error-severity check.
    pub error: bool,
    /// In a failed warning.
    pub warning: bool,
}

/// The cells the clerk is looking at.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selection {
    /// Every selected cell (one, or the cells of the selected check).
    pub cells: Vec<usize>,
    /// The cell to show in the text and to focus in the table.
    pub primary: Option<usize>,
    /// Index into [`Desk::failed`] of the selected check.
    pub check: Option<usize>,
}

static NEXT_DOC: AtomicU64 = AtomicU64::new(1);

pub struct Desk {
    report: Report,
    /// The file it was opened from (text or RON), if any.
    pub source_path: Option<PathBuf>,
    /// Where Ctrl+S writes the review (known once opened from or saved to a `.ron`).
    pub save_path: Option<PathBuf>,
    history: History,
    failed: Vec<CheckResult>,
    flags: Vec<CellFlags>,
    counts: (usize, usize),
    selection: Selection,
    selection_gen: u64,
    /// What each cell's text field holds (the committed text unless the clerk is typing).
    pub buffers: Vec<String>,
    names: Vec<String>,
    doc_id: u64,
    generation: u64,
    /// Suggested corrections of the failed sums, best first (recomputed with the checks).
    suggestions: Vec<Suggestion>,
    /// Keys of the suggestions the clerk chose to ignore in this review.
    ignored: HashSet<String>,
}

impl Desk {
    pub fn new(report: Report, source_path: Option<PathBuf>) -> Desk {
        let save_path = source_path.clone().filter(|p| is_ron(p));
        let names = report.layout().cells.iter().map(cell_name).collect();
        let buffers = (0..report.cells.len()).map(|i| display_text(&report, i)).collect();
        let mut desk = Desk {
            report,
            source_path,
            save_path,
            history: History::new(),
            failed: Vec::new(),
            flags: Vec::new(),
            counts: (0, 0),
            selection: Selection::default(),
            selection_gen: 0,
            buffers,
            names,
            doc_id: NEXT_DOC.fetch_add(1, Ordering::Relaxed),
            generation: 0,
            suggestions: Vec::new(),
            ignored: HashSet::new(),
        };
        desk.rerun_checks();
        desk
    }

    /// A desk restored from the recovery file: unsaved from the start.
    pub fn restored(report: Report, source_path: Option<PathBuf>, save_path: Option<PathBuf>) -> Desk {
        let mut desk = Desk::new(report, source_path);
        desk.save_path = save_path.filter(|p| is_ron(p));
        desk.history = History::unsaved();
        desk
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The failed checks, errors first.
    pub fn failed(&self) -> &[CheckResult] {
        &self.failed
    }

    /// The suggested corrections not ignored, with their index (for [`Desk::apply_suggestion`]).
    pub fn suggestions(&self) -> impl Iterator<Item = (usize, &Suggestion)> {
        self.suggestions.iter().enumerate().filter(|(_, s)| !self.ignored.contains(&s.key(&self.report)))
    }

    /// Apply suggestion `k` as one undoable edit (every cell it changes: status edited, note =
    /// its reason). False when there is no such suggestion.
    pub fn apply_suggestion(&mut self, k: usize) -> bool {
        let Some(s) = self.suggestions.get(k) else { return false };
        let cmds: Vec<Command> = s
            .changes
            .iter()
            .map(|c| {
                let text = format_value(c.proposed, self.report.def(c.cell).kind());
                let cell = self.changed_cell(c.cell, &text, "采纳建议", Some(&s.reason));
                Command::SetCell { index: c.cell, cell }
            })
            .collect();
        if cmds.is_empty() {
            return false;
        }
        self.execute(Command::Batch(cmds));
        true
    }

    /// Hide suggestion `k` for this review.
    pub fn ignore_suggestion(&mut self, k: usize) {
        if let Some(s) = self.suggestions.get(k) {
            self.ignored.insert(s.key(&self.report));
        }
    }

    /// The failed checks that name cell `i`.
    pub fn failed_for_cell(&self, i: usize) -> impl Iterator<Item = &CheckResult> {
        self.failed.iter().filter(move |r| r.cells.contains(&i))
    }

    /// (failed errors, failed warnings).
    pub fn counts(&self) -> (usize, usize) {
        self.counts
    }

    pub fn flags(&self, i: usize) -> CellFlags {
        self.flags.get(i).copied().unwrap_or_default()
    }

    /// The accessible name of cell `i`: its full official row label and its column label.
    pub fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    /// The cell with this accessible name.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// Changes whenever the selection does (views cache what they derive from it).
    pub fn selection_gen(&self) -> u64 {
        self.selection_gen
    }

    /// Unique per opened document (views cache what they derive from its text).
    pub fn doc_id(&self) -> u64 {
        self.doc_id
    }

    /// Changes with every edit, undo and redo.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }
    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }
    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }
    pub fn undo_len(&self) -> usize {
        self.history.undo_len()
    }

    /// The report now matches the file at `path`.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.save_path = Some(path);
        self.history.mark_clean();
    }

    /// A save of the report as it is now has started (written on another thread).
    pub fn begin_save(&mut self) {
        self.history.begin_save();
    }

    /// The save begun last is done. Written: the state it wrote counts as saved to `path` (an
    /// edit made while it was written keeps the review unsaved); not written: nothing changes.
    pub fn finish_save(&mut self, path: PathBuf, written: bool) {
        if self.history.finish_save(written) && written {
            self.save_path = Some(path);
        }
    }

    /// Whether a save of this report is being written.
    pub fn is_saving(&self) -> bool {
        self.history.is_saving()
    }

    /// What cell `i` shows when nobody is typing in it.
    pub fn display_text(&self, i: usize) -> String {
        display_text(&self.report, i)
    }

    /// Whether the clerk has typed something into cell `i` that is not committed yet.
    pub fn is_pending(&self, i: usize) -> bool {
        self.buffers[i].trim() != self.display_text(i).trim()
    }

    /// Throw away what was typed into cell `i`.
    pub fn revert_buffer(&mut self, i: usize) {
        self.buffers[i] = self.display_text(i);
    }

    /// The one path of every change: run `cmd`, keep its inverse, rerun the checks.
    pub fn execute(&mut self, cmd: Command) {
        let cells = self.history.execute(cmd, &mut self.report);
        self.after_change(&cells);
    }

    /// Commit `text` typed into cell `i` (a non-number is kept as text, the value left empty).
    /// Returns false when it changes nothing.
    pub fn edit(&mut self, i: usize, text: &str) -> bool {
        if text.trim() == self.display_text(i).trim() {
            self.revert_buffer(i);
            return false;
        }
        let cell = self.changed_cell(i, text, "人工修改", None);
        self.execute(Command::SetCell { index: i, cell });
        true
    }

    /// Cell `i` after `who` (人工修改, 采纳建议) changed it to `text`, for `why`. Its original
    /// stays the value as read; its note keeps every change in order: who, from what, to what.
    fn changed_cell(&self, i: usize, text: &str, who: &str, why: Option<&str>) -> crate::model::Cell {
        let old = &self.report.cells[i];
        let mut cell = self.report.edited_cell(i, text, None);
        let shown = |t: String| if t.trim().is_empty() { "（空）".to_string() } else { t };
        let from = shown(self.display_text(i));
        let to = shown(match cell.value {
            Some(v) => format_value(v, self.report.def(i).kind()),
            None => cell.text.clone(),
        });
        let entry = match why {
            Some(why) => format!("{who}：{from} → {to}（{why}）"),
            None => format!("{who}：{from} → {to}"),
        };
        cell.note = Some(match &old.note {
            Some(n) if !n.is_empty() => format!("{n}；{entry}"),
            _ => entry,
        });
        cell
    }

    pub fn undo(&mut self) -> bool {
        match self.history.undo(&mut self.report) {
            Some(cells) => {
                self.after_change(&cells);
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.history.redo(&mut self.report) {
            Some(cells) => {
                self.after_change(&cells);
                true
            }
            None => false,
        }
    }

    pub fn select_cell(&mut self, i: usize) {
        self.set_selection(Selection { cells: vec![i], primary: Some(i), check: None });
    }

    /// Select failed check `k`: its cells, the first one with a source first.
    pub fn select_check(&mut self, k: usize) {
        let Some(check) = self.failed.get(k) else {
            return;
        };
        let cells = check.cells.clone();
        let primary = cells.iter().copied().find(|&i| self.report.cells[i].span.is_some()).or(cells.first().copied());
        self.set_selection(Selection { cells, primary, check: Some(k) });
    }

    pub fn clear_selection(&mut self) {
        self.set_selection(Selection::default());
    }

    fn set_selection(&mut self, s: Selection) {
        if s != self.selection {
            self.selection = s;
            self.selection_gen += 1;
        }
    }

    fn after_change(&mut self, cells: &[usize]) {
        for &i in cells {
            self.buffers[i] = display_text(&self.report, i);
        }
        self.generation += 1;
        self.rerun_checks();
    }

    fn rerun_checks(&mut self) {
        let before = self.selection.check.and_then(|k| self.failed.get(k)).map(|c| (c.id, c.scope.clone()));
        let all = checks::run(&self.report);
        self.suggestions = crate::suggest::suggest(&self.report, &all);
        let mut failed: Vec<CheckResult> = all.into_iter().filter(|r| !r.passed).collect();
        failed.sort_by_key(|r| r.severity);
        let mut flags = vec![CellFlags::default(); self.report.cells.len()];
        let (mut errors, mut warnings) = (0, 0);
        for r in &failed {
            match r.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            for &i in &r.cells {
                if let Some(f) = flags.get_mut(i) {
                    match r.severity {
                        Severity::Error => f.error = true,
                        Severity::Warning => f.warning = true,
                    }
                }
            }
        }
        // Keep the selected check selected if it still fails.
        let check = before.and_then(|(id, scope)| failed.iter().position(|c| c.id == id && c.scope == scope));
        self.failed = failed;
        self.flags = flags;
        self.counts = (errors, warnings);
        if check != self.selection.check {
            self.selection.check = check;
            self.selection_gen += 1;
        }
    }
}

/// What cell `i` shows: its value, or the text when there is no value.
pub fn display_text(report: &Report, i: usize) -> String {
    let c = &report.cells[i];
    match c.value {
        Some(v) => format_value(v, report.def(i).kind()),
        None => c.text.clone(),
    }
}

/// The accessible name of a cell, e.g. `三、本年度办理结果（一）予以公开 / 自然人`.
pub fn cell_name(def: &crate::template::CellDef) -> String {
    crate::export::cell_label(def)
}

pub fn is_ron(p: &std::path::Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}
