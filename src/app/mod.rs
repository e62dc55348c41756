//! The review desk (eframe/egui). Thin: all logic lives in the core modules.

/// Start the window, opening `files` (none: the bundled sample report).
pub fn run(files: Vec<std::path::PathBuf>) -> eframe::Result<()> {
    let _ = files;
    Ok(())
}
