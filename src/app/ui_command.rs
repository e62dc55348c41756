//! Every command a person can give from the menu or the keyboard, in one enum: its Chinese
//! text, its shortcuts and when it is available (modelled on rerun's `re_ui::UICommand`).
//!
//! Invariants: the menu and the key handling both read this table, so a shortcut shown in the
//! menu is the one that works and a command greyed out in the menu does nothing from the
//! keyboard either; shortcuts are taken out of the input (most specific first: Ctrl+Shift+S
//! before Ctrl+S) before any text field sees them. The zoom keys are egui's own (shown here,
//! handled by egui).

use super::action::Action;
use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UICommand {
    Open,
    OpenFolder,
    OpenClipboard,
    Compare,
    CloseCompare,
    Save,
    SaveAs,
    ExportCsv,
    ExportJson,
    ExportFindings,
    ExportFolderWorkbook,
    Quit,
    Undo,
    Redo,
    Find,
    NextEntry,
    PrevEntry,
    MarkReviewed,
    NextReport,
    PrevReport,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    Shortcuts,
    About,
}

/// What decides whether a command is available.
#[derive(Clone, Debug, Default)]
pub struct CommandState {
    /// A report (single, in the folder view, or a compare pair) is open.
    pub has_doc: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    /// A single report is open (it can be compared with another).
    pub can_compare: bool,
    /// The compare view is shown.
    pub comparing: bool,
    /// A folder's list is shown (next / previous report, its exports).
    pub folder: bool,
    /// Files opened lately, newest first (the 最近打开 menu).
    pub recent: Vec<std::path::PathBuf>,
}

const fn sc(m: Modifiers, k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(m, k)
}
const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

impl UICommand {
    /// In the order the keys are tried: a shortcut with more modifiers before the same key
    /// with fewer (a shortcut ignores an extra Shift).
    pub const KEYED: [UICommand; 14] = [
        UICommand::Redo,
        UICommand::Undo,
        UICommand::SaveAs,
        UICommand::Save,
        UICommand::OpenFolder,
        UICommand::Open,
        UICommand::Quit,
        UICommand::PrevEntry,
        UICommand::NextEntry,
        UICommand::MarkReviewed,
        UICommand::Find,
        UICommand::NextReport,
        UICommand::PrevReport,
        UICommand::Shortcuts,
    ];

    /// Every command, in the order the 快捷键 list shows them.
    pub const ALL: [UICommand; 25] = [
        UICommand::Open,
        UICommand::OpenFolder,
        UICommand::OpenClipboard,
        UICommand::Compare,
        UICommand::CloseCompare,
        UICommand::Save,
        UICommand::SaveAs,
        UICommand::ExportCsv,
        UICommand::ExportJson,
        UICommand::ExportFindings,
        UICommand::ExportFolderWorkbook,
        UICommand::Quit,
        UICommand::Undo,
        UICommand::Redo,
        UICommand::Find,
        UICommand::NextEntry,
        UICommand::PrevEntry,
        UICommand::MarkReviewed,
        UICommand::NextReport,
        UICommand::PrevReport,
        UICommand::ZoomIn,
        UICommand::ZoomOut,
        UICommand::ZoomReset,
        UICommand::Shortcuts,
        UICommand::About,
    ];

    /// The menu text.
    pub fn text(self) -> &'static str {
        match self {
            UICommand::Open => "打开…",
            UICommand::OpenFolder => "打开文件夹…",
            UICommand::OpenClipboard => "从剪贴板打开",
            UICommand::ExportFindings => "导出问题清单…",
            UICommand::ExportFolderWorkbook => "导出文件夹工作簿（Excel）…",
            UICommand::NextReport => "下一份报告",
            UICommand::PrevReport => "上一份报告",
            UICommand::Compare => "对比另一年度报告…",
            UICommand::CloseCompare => "关闭对比",
            UICommand::Save => "保存",
            UICommand::SaveAs => "另存为…",
            UICommand::ExportCsv => "导出 CSV…",
            UICommand::ExportJson => "导出 JSON…",
            UICommand::Quit => "退出",
            UICommand::Undo => "撤销",
            UICommand::Redo => "重做",
            UICommand::Find => "在原文中查找…",
            UICommand::NextEntry => "下一个待核对",
            UICommand::PrevEntry => "上一个待核对",
            UICommand::MarkReviewed => "标为已核对",
            UICommand::ZoomIn => "放大",
            UICommand::ZoomOut => "缩小",
            UICommand::ZoomReset => "原始大小",
            UICommand::Shortcuts => "快捷键",
            UICommand::About => "关于年报审校",
        }
    }

    /// The shortcuts, the one shown in the menu first.
    pub(crate) fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const OPEN: [KeyboardShortcut; 1] = [sc(CMD, Key::O)];
        const NONE: [KeyboardShortcut; 0] = [];
        const SAVE: [KeyboardShortcut; 1] = [sc(CMD, Key::S)];
        const SAVE_AS: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::S)];
        const QUIT: [KeyboardShortcut; 1] = [sc(CMD, Key::Q)];
        const UNDO: [KeyboardShortcut; 1] = [sc(CMD, Key::Z)];
        const REDO: [KeyboardShortcut; 2] = [sc(CMD, Key::Y), sc(CMD_SHIFT, Key::Z)];
        const FIND: [KeyboardShortcut; 1] = [sc(CMD, Key::F)];
        const NEXT: [KeyboardShortcut; 1] = [sc(Modifiers::NONE, Key::F8)];
        const PREV: [KeyboardShortcut; 1] = [sc(Modifiers::SHIFT, Key::F8)];
        const REVIEWED: [KeyboardShortcut; 1] = [sc(CMD, Key::Enter)];
        const OPEN_FOLDER: [KeyboardShortcut; 1] = [sc(CMD_SHIFT, Key::O)];
        const NEXT_REPORT: [KeyboardShortcut; 1] = [sc(CMD, Key::PageDown)];
        const PREV_REPORT: [KeyboardShortcut; 1] = [sc(CMD, Key::PageUp)];
        const HELP: [KeyboardShortcut; 1] = [sc(Modifiers::NONE, Key::F1)];
        const ZOOM_IN: [KeyboardShortcut; 1] = [sc(CMD, Key::Equals)];
        const ZOOM_OUT: [KeyboardShortcut; 1] = [sc(CMD, Key::Minus)];
        const ZOOM_RESET: [KeyboardShortcut; 1] = [sc(CMD, Key::Num0)];
        match self {
            UICommand::Open => &OPEN,
            UICommand::OpenFolder => &OPEN_FOLDER,
            UICommand::NextReport => &NEXT_REPORT,
            UICommand::PrevReport => &PREV_REPORT,
            UICommand::Save => &SAVE,
            UICommand::SaveAs => &SAVE_AS,
            UICommand::Quit => &QUIT,
            UICommand::Undo => &UNDO,
            UICommand::Redo => &REDO,
            UICommand::Find => &FIND,
            UICommand::NextEntry => &NEXT,
            UICommand::PrevEntry => &PREV,
            UICommand::MarkReviewed => &REVIEWED,
            UICommand::Shortcuts => &HELP,
            UICommand::ZoomIn => &ZOOM_IN,
            UICommand::ZoomOut => &ZOOM_OUT,
            UICommand::ZoomReset => &ZOOM_RESET,
            _ => &NONE,
        }
    }

    /// The shortcut shown beside the menu text (Ctrl+V for 从剪贴板打开: it comes as a paste
    /// event, taken when nothing is being typed into).
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        if self == UICommand::OpenClipboard {
            return Some(ctx.format_shortcut(&sc(CMD, Key::V)));
        }
        self.shortcuts().first().map(|s| ctx.format_shortcut(s))
    }

    /// Whether the command can be given now.
    pub(crate) fn enabled(self, s: &CommandState) -> bool {
        let single = s.has_doc && !s.comparing;
        match self {
            UICommand::Open | UICommand::OpenFolder | UICommand::OpenClipboard | UICommand::Quit => true,
            UICommand::About | UICommand::Shortcuts => true,
            UICommand::NextReport | UICommand::PrevReport => s.folder,
            UICommand::ExportFindings | UICommand::ExportFolderWorkbook => s.folder,
            UICommand::ZoomIn | UICommand::ZoomOut | UICommand::ZoomReset => true,
            UICommand::Compare => s.can_compare,
            UICommand::CloseCompare => s.comparing,
            UICommand::Save | UICommand::SaveAs | UICommand::ExportCsv | UICommand::ExportJson => s.has_doc,
            UICommand::Undo => s.can_undo,
            UICommand::Redo => s.can_redo,
            UICommand::Find | UICommand::NextEntry | UICommand::PrevEntry | UICommand::MarkReviewed => single,
        }
    }

    /// What the command asks the app to do.
    pub fn action(self) -> Action {
        match self {
            UICommand::Open => Action::OpenDialog,
            UICommand::OpenFolder => Action::OpenFolderDialog,
            UICommand::OpenClipboard => Action::PasteRequest,
            UICommand::NextReport => Action::NextReport,
            UICommand::PrevReport => Action::PrevReport,
            UICommand::ExportFindings => Action::ExportFindings,
            UICommand::ExportFolderWorkbook => Action::ExportFolderWorkbook,
            UICommand::Compare => Action::CompareDialog,
            UICommand::CloseCompare => Action::CloseCompare,
            UICommand::Save => Action::Save,
            UICommand::SaveAs => Action::SaveAs,
            UICommand::ExportCsv => Action::ExportCsv,
            UICommand::ExportJson => Action::ExportJson,
            UICommand::Quit => Action::Quit,
            UICommand::Undo => Action::Undo,
            UICommand::Redo => Action::Redo,
            UICommand::Find => Action::Find,
            UICommand::NextEntry => Action::NextEntry,
            UICommand::PrevEntry => Action::PrevEntry,
            UICommand::MarkReviewed => Action::MarkReviewed,
            UICommand::ZoomIn => Action::Zoom(Zoom::In),
            UICommand::ZoomOut => Action::Zoom(Zoom::Out),
            UICommand::ZoomReset => Action::Zoom(Zoom::Reset),
            UICommand::Shortcuts => Action::Shortcuts,
            UICommand::About => Action::About,
        }
    }

    /// Take the shortcuts of the available commands out of the input, in [`UICommand::KEYED`]
    /// order. Undo and redo are taken even when there is nothing to undo (a text field would
    /// otherwise run its own undo on Ctrl+Z); save's keys are taken without a report too.
    pub(crate) fn consume_shortcuts(ctx: &egui::Context, state: &CommandState, actions: &mut Vec<Action>) {
        ctx.input_mut(|i| {
            for cmd in UICommand::KEYED {
                let enabled = cmd.enabled(state);
                let always_taken =
                    matches!(cmd, UICommand::Undo | UICommand::Redo | UICommand::Save | UICommand::SaveAs);
                if !(enabled || always_taken) {
                    continue;
                }
                // Undo and redo go through even with nothing to undo: while typing, Ctrl+Z
                // throws the typing away.
                if cmd.shortcuts().iter().any(|s| i.consume_shortcut(s))
                    && (enabled || matches!(cmd, UICommand::Undo | UICommand::Redo))
                {
                    actions.push(cmd.action());
                }
            }
        });
    }
}

/// A zoom step (egui's own steps of 10%).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zoom {
    In,
    Out,
    Reset,
}

impl Zoom {
    pub fn apply(self, ctx: &egui::Context) {
        match self {
            Zoom::In => egui::gui_zoom::zoom_in(ctx),
            Zoom::Out => egui::gui_zoom::zoom_out(ctx),
            Zoom::Reset => ctx.set_zoom_factor(1.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_of_all_commands_holds_each_once() {
        // Exhaustive: a new command that is not listed fails to compile here.
        let listed = |c: UICommand| match c {
            UICommand::Open
            | UICommand::OpenFolder
            | UICommand::OpenClipboard
            | UICommand::Compare
            | UICommand::CloseCompare
            | UICommand::Save
            | UICommand::SaveAs
            | UICommand::ExportCsv
            | UICommand::ExportJson
            | UICommand::ExportFindings
            | UICommand::ExportFolderWorkbook
            | UICommand::Quit
            | UICommand::Undo
            | UICommand::Redo
            | UICommand::Find
            | UICommand::NextEntry
            | UICommand::PrevEntry
            | UICommand::MarkReviewed
            | UICommand::NextReport
            | UICommand::PrevReport
            | UICommand::ZoomIn
            | UICommand::ZoomOut
            | UICommand::ZoomReset
            | UICommand::Shortcuts
            | UICommand::About => UICommand::ALL.iter().filter(|&&x| x == c).count(),
        };
        assert!(UICommand::ALL.iter().all(|&c| listed(c) == 1));
        assert_eq!(UICommand::ALL.len(), 25);
    }

    #[test]
    fn a_shortcut_belongs_to_one_command() {
        let mut seen = Vec::new();
        for cmd in UICommand::KEYED {
            for s in cmd.shortcuts() {
                assert!(!seen.contains(s), "{cmd:?} shares {s:?}");
                seen.push(*s);
            }
        }
    }

    #[test]
    fn shifted_shortcuts_are_tried_before_the_plain_key() {
        let pos = |c| UICommand::KEYED.iter().position(|&k| k == c).unwrap();
        assert!(pos(UICommand::Redo) < pos(UICommand::Undo));
        assert!(pos(UICommand::SaveAs) < pos(UICommand::Save));
        assert!(pos(UICommand::PrevEntry) < pos(UICommand::NextEntry));
        assert!(pos(UICommand::OpenFolder) < pos(UICommand::Open));
    }

    #[test]
    fn review_commands_need_a_single_report() {
        let mut s = CommandState { has_doc: true, ..Default::default() };
        assert!(UICommand::NextEntry.enabled(&s));
        s.comparing = true;
        assert!(!UICommand::NextEntry.enabled(&s) && UICommand::CloseCompare.enabled(&s));
        assert!(!UICommand::NextReport.enabled(&s));
        s.folder = true;
        assert!(UICommand::NextReport.enabled(&s));
    }
}
