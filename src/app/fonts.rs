//! Fonts: egui's own fonts have no CJK glyphs, so a GB2312 subset of Noto Sans SC (SIL OFL,
//! see assets/NOTICE-noto-cjk.txt) is embedded and added as a fallback of both families.
//! eframe's system-font provider stays in place for rarer characters.

use eframe::egui::{self, FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

/// Noto Sans SC Regular, cut down to ASCII, GB2312 and CJK punctuation.
pub const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/NotoSansSC-Regular-gb2312.otf");

/// Register the bundled CJK font as the last fallback of the proportional and monospace fonts.
/// Cheap to call more than once: a font already installed is not installed again.
pub fn install_fonts(ctx: &egui::Context) {
    // The system's own Chinese font first where there is one (Windows: Microsoft YaHei, SimSun;
    // macOS: PingFang, Hiragino Sans GB), so every character is drawn in one face; the bundled
    // subset stays the last fallback.
    if let Some(bytes) = system_cjk_font() {
        ctx.add_font(FontInsert::new(
            "system-cjk",
            FontData::from_owned(bytes),
            vec![
                InsertFontFamily { family: FontFamily::Proportional, priority: FontPriority::Lowest },
                InsertFontFamily { family: FontFamily::Monospace, priority: FontPriority::Lowest },
            ],
        ));
    }
    ctx.add_font(FontInsert::new(
        "noto-sans-sc",
        FontData::from_static(NOTO_SANS_SC),
        vec![
            InsertFontFamily { family: FontFamily::Proportional, priority: FontPriority::Lowest },
            InsertFontFamily { family: FontFamily::Monospace, priority: FontPriority::Lowest },
        ],
    ));
}

/// The first Chinese system font found on Windows or macOS (none is looked for elsewhere: the
/// bundled subset and fontconfig's fallback serve Linux).
fn system_cjk_font() -> Option<Vec<u8>> {
    let candidates: Vec<std::path::PathBuf> = if cfg!(windows) {
        let fonts =
            std::env::var_os("WINDIR").map_or_else(|| "C:\\Windows".into(), std::path::PathBuf::from).join("Fonts");
        ["msyh.ttc", "msyh.ttf", "simsun.ttc"].iter().map(|f| fonts.join(f)).collect()
    } else if cfg!(target_os = "macos") {
        [
            "/System/Library/Fonts/PingFang.ttc",
            "/System/Library/Fonts/Hiragino Sans GB.ttc",
            "/System/Library/Fonts/STHeiti Light.ttc",
        ]
        .iter()
        .map(std::path::PathBuf::from)
        .collect()
    } else {
        Vec::new()
    };
    candidates.iter().find_map(|p| std::fs::read(p).ok())
}
