//! CPU time of one UI frame of the desk, headless (an egui context without a window), with a
//! report loaded and both panes visible. A measurement, so ignored by default:
//!
//!     cargo test --release --test app_frame -- --ignored --nocapture

use eframe::egui::{self, Pos2, RawInput, Rect, vec2};
use nianbao::app::{Action, NianbaoApp, Options, install_fonts};
use std::path::Path;
use std::time::{Duration, Instant};

struct Timing {
    ui: Duration,
    with_tessellation: Duration,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Median frame times over `frames` frames after a warm-up, with cell `select` selected.
fn measure(report: nianbao::Report, frames: usize) -> Timing {
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let select = report.layout().index_of_key("applications/new_received/total").unwrap();
    let mut app = NianbaoApp::with_report(report, None, Options::headless(None));
    let mut t = 0.0;
    let mut input = || {
        t += 1.0 / 60.0;
        RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1400.0, 900.0))),
            time: Some(t),
            ..Default::default()
        }
    };
    for n in 0..20 {
        if n == 5 {
            app.push(Action::ShowCell(select));
        }
        let out = ctx.run_ui(input(), |ui| app.show(ui));
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    }
    assert_eq!(app.desk().unwrap().selection().primary, Some(select));
    assert!(app.source_rect().is_some(), "the source of the selected cell is shown");
    let (mut ui, mut all) = (Vec::new(), Vec::new());
    for _ in 0..frames {
        let start = Instant::now();
        let out = ctx.run_ui(input(), |ui| app.show(ui));
        ui.push(start.elapsed());
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
        all.push(start.elapsed());
    }
    Timing { ui: median(ui), with_tessellation: median(all) }
}

#[test]
#[ignore = "a measurement; run with --release --ignored --nocapture"]
fn one_frame_with_a_report_loaded() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/yuan-2020.txt");
    let report = nianbao::load_path(&path).unwrap();
    let normal = measure(report.clone(), 300);

    // The same report with twenty times the text after it: per-frame work must not grow.
    let mut long = report;
    let prose = long.text.clone();
    for _ in 0..19 {
        long.text.push_str(&prose);
    }
    let longer = measure(long, 300);

    println!(
        "median UI frame: {:.3} ms ({:.3} ms with tessellation); with 20× the text: {:.3} ms ({:.3} ms)",
        normal.ui.as_secs_f64() * 1e3,
        normal.with_tessellation.as_secs_f64() * 1e3,
        longer.ui.as_secs_f64() * 1e3,
        longer.with_tessellation.as_secs_f64() * 1e3,
    );
    if !cfg!(debug_assertions) {
        assert!(normal.ui < Duration::from_millis(2), "{:?}", normal.ui);
        assert!(longer.ui < normal.ui * 2, "per-frame work grows with the text: {:?} vs {:?}", longer.ui, normal.ui);
    }
}
