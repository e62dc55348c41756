//! Shared by the headless app tests: fixtures, the kittest harness, and waiting for the
//! background threads (loading and writing).
#![allow(dead_code)]

use eframe::egui;
use egui_kittest::Harness;
use nianbao::app::{NianbaoApp, install_fonts};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub fn harness(app: NianbaoApp) -> Harness<'static, NianbaoApp> {
    harness_sized(app, egui::vec2(1400.0, 900.0))
}

/// The harness with a window of `size` points.
pub fn harness_sized(app: NianbaoApp, size: egui::Vec2) -> Harness<'static, NianbaoApp> {
    Harness::builder()
        .with_size(size)
        .with_max_steps(40) // scrolling to a selected cell animates
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut NianbaoApp| app.show(ui), app)
}

/// Step until the background load is done.
pub fn wait_loaded(h: &mut Harness<'_, NianbaoApp>) {
    for _ in 0..800 {
        h.step();
        if !h.state().is_loading() {
            h.run();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the file is still loading after 8 s");
}

/// Step until every save and export is written (the writer thread wakes the window).
pub fn wait_written(h: &mut Harness<'_, NianbaoApp>) {
    for _ in 0..800 {
        h.step();
        if !h.state().is_writing() {
            h.run();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("still writing after 8 s: {}", h.state().status());
}
