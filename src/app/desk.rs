//! The document on the desk: the report, its undo history, the cached check results, the
//! 待核对 list and what is selected. Checks rerun only when a command changes the review.

use super::command::{Changed, Command, History, Reshape};
use crate::checks;
use crate::model::{CheckResult, Report, Severity, Status, format_value};
use crate::suggest::Suggestion;
use crate::template::Template;
use std::collections::{BTreeSet, HashSet};
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
    /// Every selected cell (one, or the cells of the selected entry).
    pub cells: Vec<usize>,
    /// The cell to show in the text and to focus in the table.
    pub primary: Option<usize>,
    /// Index into [`Desk::todo`] of the selected entry.
    pub entry: Option<usize>,
}

/// What kind of thing a 待核对 entry is; entries are listed in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TodoKind {
    /// A failed error-severity check.
    Error,
    /// A cell without a value that no failed check names.
    NoValue,
    /// The organ or the year not known.
    Meta,
    /// A failed warning.
    Warning,
    /// A cell the parser read after repairing it.
    Repaired,
}

/// A header field (the organ or the year) a 待核对 entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaField {
    Organ,
    Year,
}

/// One thing a person should look at.
#[derive(Clone, Debug, PartialEq)]
pub struct Todo {
    pub kind: TodoKind,
    /// Stable across saving and opening (what 已核对 keeps).
    pub key: String,
    /// The short tag shown before the message (错误, 警告, 自动修复 …).
    pub tag: &'static str,
    pub message: String,
    /// The rule id or what the entry is about (shown on hover).
    pub id: String,
    pub cells: Vec<usize>,
    /// The header field to go to, for the organ or the year.
    pub field: Option<MetaField>,
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
    /// Keys of the 待核对 entries marked 已核对 (saved with the review).
    reviewed: BTreeSet<String>,
    /// The 待核对 entries not marked 已核对, and those marked.
    todo: Vec<Todo>,
    done: Vec<Todo>,
    /// Where in [`Desk::todo`] the clerk was last (F8 goes on from there when the entry there
    /// was fixed and left the list).
    todo_pos: Option<usize>,
    /// The entry was selected on opening, not by the clerk (F8 then goes to it first).
    auto_selected: bool,
    /// What the header's organ and year fields hold.
    pub organ_buf: String,
    pub year_buf: String,
}

impl Desk {
    pub fn new(report: Report, source_path: Option<PathBuf>) -> Desk {
        Desk::with_reviewed(report, source_path, Vec::new())
    }

    /// A desk whose review has these 待核对 entries marked 已核对 (read from its `.ron`).
    pub(crate) fn with_reviewed(report: Report, source_path: Option<PathBuf>, reviewed: Vec<String>) -> Desk {
        let save_path = source_path.clone().filter(|p| is_ron(p));
        let names = report.layout().cells.iter().map(cell_name).collect();
        let buffers = (0..report.cells.len()).map(|i| display_text(&report, i)).collect();
        let (organ_buf, year_buf) = meta_text(&report);
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
            reviewed: reviewed.into_iter().collect(),
            todo: Vec::new(),
            done: Vec::new(),
            todo_pos: None,
            auto_selected: false,
            organ_buf,
            year_buf,
        };
        desk.rerun_checks();
        desk
    }

    /// A desk restored from the recovery file: unsaved from the start.
    pub(crate) fn restored(
        report: Report,
        reviewed: Vec<String>,
        source_path: Option<PathBuf>,
        save_path: Option<PathBuf>,
    ) -> Desk {
        let mut desk = Desk::with_reviewed(report, source_path, reviewed);
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

    /// 待核对: everything a person should look at and has not marked 已核对, in the order of
    /// [`TodoKind`].
    pub fn todo(&self) -> &[Todo] {
        &self.todo
    }

    /// The entries marked 已核对 that are still there.
    pub fn done(&self) -> &[Todo] {
        &self.done
    }

    /// The keys of the entries marked 已核对.
    pub(crate) fn reviewed(&self) -> &BTreeSet<String> {
        &self.reviewed
    }

    /// The keys of the entries marked 已核对 (what the `.ron` keeps).
    pub(crate) fn reviewed_keys(&self) -> Vec<String> {
        self.reviewed.iter().cloned().collect()
    }

    /// Mark entry `k` of [`Desk::todo`] 已核对 (one undoable step); the entry that takes its
    /// place is selected. False when there is no such entry.
    pub(crate) fn mark_reviewed(&mut self, k: usize) -> bool {
        let Some(key) = self.todo.get(k).map(|t| t.key.clone()) else { return false };
        self.execute(Command::Reviewed { key, on: true });
        if !self.todo.is_empty() {
            self.select_entry(k.min(self.todo.len() - 1));
        } else {
            self.clear_selection();
        }
        true
    }

    /// Take the 已核对 mark off the entry with this key (one undoable step).
    pub(crate) fn unmark_reviewed(&mut self, key: &str) {
        if self.reviewed.contains(key) {
            self.execute(Command::Reviewed { key: key.to_string(), on: false });
        }
    }

    /// The entry F8 (`forward`) or Shift+F8 goes to from here, if the list is not empty.
    pub(crate) fn next_entry(&self, forward: bool) -> Option<usize> {
        let n = self.todo.len();
        if n == 0 {
            return None;
        }
        let k = match (self.selection.entry, self.todo_pos) {
            (Some(k), _) if self.auto_selected => k,
            (Some(k), _) if forward => (k + 1) % n,
            (Some(k), _) => (k + n - 1) % n,
            // The entry last visited left the list: the one now in its place is next.
            (None, Some(p)) if forward => p.min(n - 1),
            (None, Some(p)) => (p.min(n) + n - 1) % n,
            (None, None) if forward => 0,
            (None, None) => n - 1,
        };
        Some(k)
    }

    /// The organ as typed in the header (empty: not known), as one undoable step. False when
    /// nothing changes.
    pub(crate) fn set_organ(&mut self, organ: &str) -> bool {
        let organ = Some(organ.trim().to_string()).filter(|o| !o.is_empty());
        if organ == self.report.organ {
            self.organ_buf = meta_text(&self.report).0;
            return false;
        }
        self.execute(Command::SetOrgan(organ));
        true
    }

    /// The year as typed in the header: four digits, or empty for not known. Err: why not.
    pub(crate) fn set_year(&mut self, text: &str) -> Result<bool, String> {
        let t = text.trim().trim_end_matches('年').trim();
        let year = if t.is_empty() {
            None
        } else {
            let digits: String = t.chars().map(crate::text::fold).collect();
            match digits.parse::<i32>() {
                Ok(y) if (1990..=2100).contains(&y) => Some(y),
                _ => {
                    self.year_buf = meta_text(&self.report).1;
                    return Err(format!("“{text}”不是年度（应为四位数字，如 2024）"));
                }
            }
        };
        if year == self.report.year {
            self.year_buf = meta_text(&self.report).1;
            return Ok(false);
        }
        self.execute(Command::SetYear(year));
        Ok(true)
    }

    /// Put the report in `template` (cells moved by key; see [`Reshape::of`]) as one undoable
    /// step. False when it is that template already.
    pub(crate) fn set_template(&mut self, template: Template) -> bool {
        if template == self.report.template {
            return false;
        }
        let shape = Reshape::of(&self.report, template);
        self.execute(Command::SetTemplate(Box::new(shape)));
        true
    }

    /// The suggested corrections not ignored, with their index (for [`Desk::apply_suggestion`]).
    pub fn suggestions(&self) -> impl Iterator<Item = (usize, &Suggestion)> {
        self.suggestions.iter().enumerate().filter(|(_, s)| !self.ignored.contains(&s.key(&self.report)))
    }

    /// Apply suggestion `k` as one undoable edit (every cell it changes: status edited, note =
    /// its reason). False when there is no such suggestion.
    pub(crate) fn apply_suggestion(&mut self, k: usize) -> bool {
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
    pub(crate) fn ignore_suggestion(&mut self, k: usize) {
        if let Some(s) = self.suggestions.get(k) {
            self.ignored.insert(s.key(&self.report));
        }
    }

    /// The failed checks that name cell `i`.
    pub(crate) fn failed_for_cell(&self, i: usize) -> impl Iterator<Item = &CheckResult> {
        self.failed.iter().filter(move |r| r.cells.contains(&i))
    }

    /// (failed errors, failed warnings).
    pub fn counts(&self) -> (usize, usize) {
        self.counts
    }

    pub(crate) fn flags(&self, i: usize) -> CellFlags {
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
    pub(crate) fn selection_gen(&self) -> u64 {
        self.selection_gen
    }

    /// Unique per opened document (views cache what they derive from its text).
    pub(crate) fn doc_id(&self) -> u64 {
        self.doc_id
    }

    /// Changes with every edit, undo and redo.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }
    pub(crate) fn can_undo(&self) -> bool {
        self.history.can_undo()
    }
    pub(crate) fn can_redo(&self) -> bool {
        self.history.can_redo()
    }
    pub fn undo_len(&self) -> usize {
        self.history.undo_len()
    }

    /// A save of the report as it is now has started (written on another thread).
    pub(crate) fn begin_save(&mut self) {
        self.history.begin_save();
    }

    /// The save begun last is done. Written: the state it wrote counts as saved to `path` (an
    /// edit made while it was written keeps the review unsaved); not written: nothing changes.
    pub(crate) fn finish_save(&mut self, path: PathBuf, written: bool) {
        if self.history.finish_save(written) && written {
            self.save_path = Some(path);
        }
    }

    /// What cell `i` shows when nobody is typing in it.
    pub fn display_text(&self, i: usize) -> String {
        display_text(&self.report, i)
    }

    /// Whether the clerk has typed something into cell `i` that is not committed yet.
    pub(crate) fn is_pending(&self, i: usize) -> bool {
        self.buffers[i].trim() != self.display_text(i).trim()
    }

    /// Throw away what was typed into cell `i`.
    pub(crate) fn revert_buffer(&mut self, i: usize) {
        self.buffers[i] = self.display_text(i);
    }

    /// The one path of every change: run `cmd`, keep its inverse, rerun the checks.
    pub(crate) fn execute(&mut self, cmd: Command) {
        let changed = self.history.execute(cmd, &mut self.report, &mut self.reviewed);
        self.after_change(&changed);
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

    pub(crate) fn undo(&mut self) -> bool {
        match self.history.undo(&mut self.report, &mut self.reviewed) {
            Some(changed) => {
                self.after_change(&changed);
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.history.redo(&mut self.report, &mut self.reviewed) {
            Some(changed) => {
                self.after_change(&changed);
                true
            }
            None => false,
        }
    }

    pub(crate) fn select_cell(&mut self, i: usize) {
        self.set_selection(Selection { cells: vec![i], primary: Some(i), entry: None });
    }

    /// Select entry `k` of [`Desk::todo`]: its cells; the one to go to is the cell the best
    /// suggestion would change, else the first with a source.
    pub(crate) fn select_entry(&mut self, k: usize) {
        let Some(entry) = self.todo.get(k) else {
            return;
        };
        let cells = entry.cells.clone();
        let suggested =
            self.suggestions().flat_map(|(_, s)| s.changes.iter().map(|c| c.cell)).find(|i| cells.contains(i));
        let primary = suggested
            .or_else(|| cells.iter().copied().find(|&i| self.report.cells[i].span.is_some()))
            .or(cells.first().copied());
        self.set_selection(Selection { cells, primary, entry: Some(k) });
        self.todo_pos = Some(k);
    }

    /// Select the first entry on opening (F8 then goes to it rather than past it).
    pub(crate) fn select_first_entry(&mut self) {
        self.select_entry(0);
        self.auto_selected = !self.todo.is_empty();
    }

    pub(crate) fn clear_selection(&mut self) {
        self.set_selection(Selection::default());
    }

    fn set_selection(&mut self, s: Selection) {
        self.auto_selected = false;
        if s != self.selection {
            self.selection = s;
            self.selection_gen += 1;
        }
    }

    fn after_change(&mut self, changed: &Changed) {
        if changed.reshaped {
            // Another template: every cell is new.
            self.names = self.report.layout().cells.iter().map(cell_name).collect();
            self.buffers = (0..self.report.cells.len()).map(|i| display_text(&self.report, i)).collect();
            self.selection = Selection::default();
            self.selection_gen += 1;
            self.todo_pos = None;
        }
        for &i in &changed.cells {
            self.buffers[i] = display_text(&self.report, i);
        }
        (self.organ_buf, self.year_buf) = meta_text(&self.report);
        self.generation += 1;
        self.rerun_checks();
    }

    fn rerun_checks(&mut self) {
        let before = self.selection.entry.and_then(|k| self.todo.get(k)).map(|t| t.key.clone());
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
        self.failed = failed;
        self.flags = flags;
        self.counts = (errors, warnings);
        let (todo, done) =
            todo_list(&self.report, &self.failed).into_iter().partition(|t| !self.reviewed.contains(&t.key));
        self.todo = todo;
        self.done = done;
        // Keep the selected entry selected while it is listed.
        let entry = before.and_then(|key| self.todo.iter().position(|t| t.key == key));
        if entry != self.selection.entry {
            self.selection.entry = entry;
            self.selection_gen += 1;
        }
        if let Some(k) = entry {
            self.todo_pos = Some(k);
        }
    }
}

/// The 待核对 list of a report with these failed checks (errors first): failed errors, cells
/// without a value that no failed check names, an unknown organ or year, failed warnings,
/// repaired cells.
pub(crate) fn todo_list(report: &Report, failed: &[CheckResult]) -> Vec<Todo> {
    let mut out = Vec::new();
    let named: HashSet<usize> = failed.iter().flat_map(|c| c.cells.iter().copied()).collect();
    for c in failed {
        let (kind, tag) = match c.severity {
            Severity::Error => (TodoKind::Error, "错误"),
            Severity::Warning => (TodoKind::Warning, "警告"),
        };
        let field = (c.id == checks::REPORT_META)
            .then(|| if report.organ.is_none() { MetaField::Organ } else { MetaField::Year });
        let kind = if field.is_some() { TodoKind::Meta } else { kind };
        out.push(Todo {
            kind,
            key: check_key(c),
            tag,
            message: c.message.clone(),
            id: c.id.to_string(),
            cells: c.cells.clone(),
            field,
        });
    }
    if !failed.iter().any(|c| c.id == checks::REPORT_META) {
        for (unknown, field, what) in
            [(report.organ.is_none(), MetaField::Organ, "机关名称"), (report.year.is_none(), MetaField::Year, "年度")]
        {
            if unknown {
                out.push(Todo {
                    kind: TodoKind::Meta,
                    key: format!("meta|{what}"),
                    tag: "未识别",
                    message: format!("未能识别{what}，请在上方填写"),
                    id: checks::REPORT_META.to_string(),
                    cells: Vec::new(),
                    field: Some(field),
                });
            }
        }
    }
    // (table, row, repair) and the cells of that row repaired that way.
    type RowRepair<'a> = (crate::template::Table, &'a str, Option<String>);
    let mut repaired: Vec<(RowRepair, Vec<usize>)> = Vec::new();
    for (i, cell) in report.cells.iter().enumerate() {
        let key = report.def(i).key();
        let name = checks::cell_name(report, i);
        match cell.status {
            Status::Unreadable | Status::Missing if !named.contains(&i) => {
                let (tag, why) = match cell.status {
                    Status::Missing => ("缺失", "缺失".to_string()),
                    _ => ("无法识别", format!("无法识别（原文“{}”）", cell.text)),
                };
                out.push(Todo {
                    kind: TodoKind::NoValue,
                    key: format!("{}|{key}", cell.status.key()),
                    tag,
                    message: format!("{name}{why}"),
                    id: key,
                    cells: vec![i],
                    field: None,
                });
            }
            Status::Repaired => {
                // The cells of one row repaired the same way are one entry.
                let row = (report.def(i).table, report.def(i).row, cell.repair.clone());
                match repaired.last_mut() {
                    Some((r, cells)) if *r == row => cells.push(i),
                    _ => repaired.push((row, vec![i])),
                }
            }
            _ => {}
        }
    }
    for ((_, _, repair), cells) in repaired {
        let value = |i: usize| report.cells[i].value.map(|v| format_value(v, report.def(i).kind())).unwrap_or_default();
        let how = repair.as_deref().map(|r| format!("：{r}")).unwrap_or_default();
        // What was read: the value, and the text when it says something else.
        let read: Vec<String> = cells
            .iter()
            .map(|&i| match report.cells[i].text.trim() {
                t if t == value(i) => value(i),
                t => format!("“{t}”读作 {}", value(i)),
            })
            .collect();
        let message = match cells.as_slice() {
            [i] if read[0].starts_with('“') => format!("{}原文{}{how}", checks::cell_name(report, *i), read[0]),
            [i] => format!("{}读作 {}{how}", checks::cell_name(report, *i), read[0]),
            _ => {
                let d = report.def(cells[0]);
                format!("“{}”行 {} 格（{}）{how}", d.row_def.full_label(), cells.len(), read.join("、"))
            }
        };
        let keys: Vec<String> = cells.iter().zip(&read).map(|(&i, r)| format!("{}{r}", report.def(i).key())).collect();
        out.push(Todo {
            kind: TodoKind::Repaired,
            key: format!("repaired|{}|{}", keys.join(","), repair.unwrap_or_default()),
            tag: "自动修复",
            message,
            id: report.def(cells[0]).key(),
            cells,
            field: None,
        });
    }
    out.sort_by_key(|t| t.kind);
    out
}

/// A failed check's stable key: its rule, scope and values (a sum that fails with other values
/// is another entry).
fn check_key(c: &CheckResult) -> String {
    let scope: Vec<String> = c.scope.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let v = |x: Option<f64>| x.map(|x| format!("{x}")).unwrap_or_default();
    if scope.is_empty() {
        // What the parser noticed about the whole report: told apart by what it says.
        return format!("check|{}|{}", c.id, c.message);
    }
    format!("check|{}|{}|{}|{}", c.id, scope.join(","), v(c.lhs), v(c.rhs))
}

/// What the header's organ and year fields show.
fn meta_text(report: &Report) -> (String, String) {
    (report.organ.clone().unwrap_or_default(), report.year.map(|y| y.to_string()).unwrap_or_default())
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
    def.label()
}

pub(crate) fn is_ron(p: &std::path::Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}
