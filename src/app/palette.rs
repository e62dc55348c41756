//! Colours of cell states, shared by the table, the text and the legend.

use crate::model::Status;
use eframe::egui::Color32;

pub const ERROR: Color32 = Color32::from_rgb(200, 32, 32);
pub const WARNING: Color32 = Color32::from_rgb(214, 120, 0);
pub const SELECTED: Color32 = Color32::from_rgb(25, 105, 225);

pub const REPAIRED_BG: Color32 = Color32::from_rgb(255, 232, 160);
pub const EDITED_BG: Color32 = Color32::from_rgb(205, 224, 255);
pub const MISSING_BG: Color32 = Color32::from_rgb(222, 222, 222);
pub const UNREADABLE_BG: Color32 = Color32::from_rgb(255, 205, 205);
pub const FAILED_BG: Color32 = Color32::from_rgb(255, 232, 232);
pub const HATCH: Color32 = Color32::from_rgb(178, 178, 178);

/// Background of the source of the selected cell in the raw text, and of the others selected.
pub const SPAN_PRIMARY: Color32 = Color32::from_rgb(255, 200, 60);
pub const SPAN_OTHER: Color32 = Color32::from_rgb(255, 232, 150);

/// Background of the current find match in the raw text, and of the other matches.
pub const FIND_CURRENT: Color32 = Color32::from_rgb(120, 200, 120);
pub const FIND_OTHER: Color32 = Color32::from_rgb(200, 236, 200);

pub const MUTED: Color32 = Color32::from_rgb(120, 120, 120);

/// Background of a cell by status (`None`: the default field colour).
pub(crate) fn status_bg(status: Status) -> Option<Color32> {
    match status {
        Status::Parsed => None,
        Status::Repaired => Some(REPAIRED_BG),
        Status::Edited => Some(EDITED_BG),
        Status::Unreadable => Some(UNREADABLE_BG),
        Status::Missing => Some(MISSING_BG),
    }
}

/// Colour of a number in the raw text that a cell was read from.
pub(crate) fn source_text(status: Status) -> Color32 {
    match status {
        Status::Parsed => Color32::from_rgb(20, 80, 170),
        Status::Repaired => Color32::from_rgb(170, 95, 0),
        Status::Edited => Color32::from_rgb(60, 60, 200),
        Status::Unreadable | Status::Missing => ERROR,
    }
}
