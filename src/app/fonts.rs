//! Fonts: egui's own fonts have no CJK glyphs, so a GB2312 subset of Noto Sans SC (SIL OFL,
//! see assets/NOTICE-noto-cjk.txt) is embedded and added as a fallback of both families.
//! eframe's system-font provider stays in place for rarer characters.

use eframe::egui::{self, FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

/// Noto Sans SC Regular, cut down to ASCII, GB2312 and CJK punctuation.
pub const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/NotoSansSC-Regular-gb2312.otf");

/// Register the bundled CJK font as the last fallback of the proportional and monospace fonts.
/// Cheap to call more than once: a font already installed is not installed again.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        "noto-sans-sc",
        FontData::from_static(NOTO_SANS_SC),
        vec![
            InsertFontFamily { family: FontFamily::Proportional, priority: FontPriority::Lowest },
            InsertFontFamily { family: FontFamily::Monospace, priority: FontPriority::Lowest },
        ],
    ));
}
