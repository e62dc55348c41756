//! What the panels ask for. They only read the desk while drawing; the app applies their
//! actions in one place afterwards (so every change goes through the same path).

use crate::compare::Side;
use crate::template::Template;
use std::path::PathBuf;

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Zoom the whole window (视图 menu; the keys are egui's own).
    Zoom(super::ui_command::Zoom),
    /// A cell got focus in the table.
    SelectCell(usize),
    /// Select a cell and bring it into view in the table (clicked in the text).
    ShowCell(usize),
    /// Go to a 待核对 entry (index into the list): select its cells, focus its first cell.
    SelectEntry(usize),
    /// F8 / Shift+F8: the next / previous 待核对 entry.
    NextEntry,
    PrevEntry,
    /// Mark the selected 待核对 entry 已核对 (Ctrl+Enter).
    MarkReviewed,
    /// Take the 已核对 mark off the entry with this key.
    UnmarkReviewed(String),
    /// The organ, year and template typed or chosen in the header.
    SetOrgan(String),
    SetYear(String),
    SetTemplate(Template),
    /// Commit what was typed into a cell.
    Edit {
        cell: usize,
        text: String,
    },
    /// Drop the uncommitted typing in a cell.
    Revert(usize),
    Undo,
    Redo,
    /// Open this file (asks first when there are unsaved changes).
    Open(PathBuf),
    OpenDialog,
    Save,
    SaveAs,
    ExportCsv,
    ExportJson,
    Quit,
    RestoreRecovery,
    DiscardRecovery,
    /// Answer to “save changes?”: save, don't save, or cancel.
    Confirm(Answer),
    DismissError,
    /// Stop reading the file being opened (取消 beside its progress: a scan's OCR).
    CancelLoad,
    /// Choose a second report to compare with the one open (file dialog).
    CompareDialog,
    /// Compare the report open with this file.
    CompareWith(PathBuf),
    /// Open these two files side by side.
    CompareFiles(PathBuf, PathBuf),
    /// Select a listed check of the compare view (index into its list) and its cells.
    CompareSelectCheck(usize),
    /// A value field of the compare view got focus.
    CompareSelectCell(Side, usize),
    /// Commit what was typed into a cell of one side of the compare view.
    CompareEdit {
        side: Side,
        cell: usize,
        text: String,
    },
    /// 只看变化 in the compare view: hide (true) or show the rows whose values did not change.
    CompareOnlyChanged(bool),
    /// Leave the compare view (back to the later report on the single desk).
    CloseCompare,
    /// Apply a suggested correction (index into the desk's suggestions) as one undoable edit.
    ApplySuggestion(usize),
    /// Hide a suggested correction for this review.
    IgnoreSuggestion(usize),
    /// Forget the file dropped on an open report without opening it.
    DismissDrop,
    /// Ctrl+F: find text in the raw text.
    Find,
    /// Show the 关于 dialog.
    About,
    /// Show the list of keyboard shortcuts (帮助 → 快捷键, F1).
    Shortcuts,
    /// The in-app file dialog chose a path for this (`None`: cancelled).
    PathChosen(super::io::Pick, Option<PathBuf>),
    /// Answer to “NAME.ron exists”.
    Overwrite(OverwriteChoice),
    /// Open the list of these reports (a folder, or several files).
    OpenFolder(Vec<PathBuf>),
    /// Choose a folder to open (文件 → 打开文件夹…).
    OpenFolderDialog,
    /// Open row `i` of the folder's list in the desk beside it (asks first when there are
    /// unsaved changes).
    OpenEntry(usize),
    /// Ctrl+PgDn / Ctrl+PgUp: the next / previous report of the folder's list as shown.
    NextReport,
    PrevReport,
    /// Compare rows `a` and `b` of the folder's list (two years of one body).
    ComparePair(usize, usize),
    /// The folder's list sorted by this column (again: the other way).
    FolderSort(super::folder::Column),
    /// Show only the reports that fail (or all).
    FolderOnlyFailed(bool),
    /// Show only the reports whose file or organ contains this text.
    FolderFilter(String),
    /// The folder's 问题清单 (xlsx or csv) and its workbook (汇总 and a sheet per report).
    ExportFindings,
    ExportFolderWorkbook,
    /// 文件 → 从剪贴板打开: ask the system for the clipboard's text (it comes as a paste).
    PasteRequest,
    /// Open this text (pasted) as a report (asks first when there are unsaved changes).
    OpenPasted(String),
    /// Answer to “NAME.ron beside it is its saved review”: continue it (true), or keep the
    /// report as read from its text.
    ContinueReview(bool),
}

/// Saving would replace a file that is not this review's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverwriteChoice {
    Replace,
    NewName,
    Cancel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Save,
    Discard,
    Cancel,
}

/// What waits for the answer to “save changes?”.
#[derive(Clone, Debug, PartialEq)]
pub enum AfterConfirm {
    Open(PathBuf),
    /// Open row `i` of the folder's list.
    OpenEntry(usize),
    OpenFolder(Vec<PathBuf>),
    OpenPasted(String),
    Quit,
}
