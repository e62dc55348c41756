//! CPU time of one UI frame of the desk, headless (an egui context without a window), with a
//! report loaded, a cell selected and both panes visible; the same report with twenty times its
//! text, to show that nothing per frame grows with the text; and the report with a long 待核对
//! list (many failed sums, repaired cells, an unknown organ); and a folder of 1,000 reports
//! (copies of the samples) opened in the folder view: every frame's time while the list is read
//! in the background, and the process's resident memory before, during and after.
//!
//!     cargo bench --bench frame            (NIANBAO_FOLDER_N=… for another folder size)

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui::{self, Pos2, RawInput, Rect, vec2};
use nianbao::app::{Action, NianbaoApp, Options, install_fonts};
use std::path::Path;

fn input(t: &mut f64) -> RawInput {
    *t += 1.0 / 60.0;
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(1400.0, 900.0))),
        time: Some(*t),
        ..Default::default()
    }
}

fn bench_report(c: &mut Criterion, name: &str, report: nianbao::Report) {
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let select = report.layout().index_of_key("applications/new_received/total").unwrap();
    let mut app = NianbaoApp::with_report(report, None, Options::headless(None));
    let mut t = 0.0;
    for n in 0..20 {
        if n == 5 {
            app.push(Action::ShowCell(select));
        }
        let out = ctx.run_ui(input(&mut t), |ui| app.show(ui));
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    }
    assert_eq!(app.desk().unwrap().selection().primary, Some(select));
    assert!(app.source_rect().is_some(), "the source of the selected cell is shown");
    c.bench_function(&format!("ui_frame/{name}"), |b| b.iter(|| ctx.run_ui(input(&mut t), |ui| app.show(ui))));
    c.bench_function(&format!("ui_frame_and_tessellate/{name}"), |b| {
        b.iter(|| {
            let out = ctx.run_ui(input(&mut t), |ui| app.show(ui));
            ctx.tessellate(out.shapes, out.pixels_per_point)
        })
    });
}

/// Resident memory of this process in MiB (Linux; 0 elsewhere).
fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|k| k.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A folder of `n` copies of the samples opened in the folder view; frames drawn at 60 per
/// second while its list is read, each one timed (layout and tessellation).
fn folder_loading(c: &mut Criterion) {
    let n: usize = std::env::var("NIANBAO_FOLDER_N").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let names =
        ["huaian-2024", "lieshan-2020", "lieshan-2021", "lishi-2020", "shanghai-2019", "shuyang-2025", "yuan-2020"];
    let dir = tempfile::tempdir().unwrap();
    for k in 0..n {
        let name = names[k % names.len()];
        std::fs::copy(fixtures.join(format!("{name}.txt")), dir.path().join(format!("{k:04}-{name}.txt"))).unwrap();
    }
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let mut app = NianbaoApp::new(vec![dir.path().to_path_buf()], Options::headless(None));
    let mut t = 0.0;
    let before = rss_mib();
    let mut frames: Vec<f64> = Vec::new();
    let mut peak = before;
    let start = std::time::Instant::now();
    loop {
        let t0 = std::time::Instant::now();
        let out = ctx.run_ui(input(&mut t), |ui| app.show(ui));
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
        let dt = t0.elapsed();
        frames.push(dt.as_secs_f64() * 1000.0);
        if dt.as_secs_f64() > 0.016 {
            let f = app.folder();
            eprintln!(
                "  frame {} took {:.1} ms ({} of {} rows read)",
                frames.len(),
                dt.as_secs_f64() * 1000.0,
                f.map_or(0, |f| f.rows.iter().filter(|r| r.loaded).count()),
                f.map_or(0, |f| f.rows.len())
            );
        }
        peak = peak.max(rss_mib());
        if !app.is_loading() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_micros(16_667).saturating_sub(dt));
    }
    let loaded = start.elapsed();
    assert_eq!(app.folder().unwrap().rows.len(), n);
    assert!(app.folder().unwrap().rows.iter().all(|r| r.loaded));
    let after = rss_mib();
    let mut sorted = frames.clone();
    sorted.sort_by(f64::total_cmp);
    let pct = |p: f64| sorted[((sorted.len() - 1) as f64 * p) as usize];
    eprintln!(
        "folder of {n}: listed and read in {:.1} s over {} frames; frame ms median {:.2}, p99 {:.2}, max {:.2}, over 16 ms: {}; RSS MiB before {before:.0}, peak {peak:.0}, after {after:.0}",
        loaded.as_secs_f64(),
        frames.len(),
        pct(0.5),
        pct(0.99),
        sorted[sorted.len() - 1],
        frames.iter().filter(|&&f| f > 16.0).count(),
    );
    c.bench_function(&format!("ui_frame/folder-{n}"), |b| b.iter(|| ctx.run_ui(input(&mut t), |ui| app.show(ui))));
}

fn bench(c: &mut Criterion) {
    folder_loading(c);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/yuan-2020.txt");
    let report = nianbao::load_path(&path).unwrap();
    let mut long = report.clone();
    let prose = long.text.clone();
    for _ in 0..19 {
        long.text.push_str(&prose);
    }
    let mut problems = report.clone();
    problems.organ = None;
    for (k, cell) in problems.cells.iter_mut().enumerate() {
        match (k % 5, cell.value) {
            (0, Some(v)) => cell.value = Some(v + 1.0),
            (1, Some(_)) => {
                cell.status = nianbao::Status::Repaired;
                cell.repair = Some("'l' 读作 1".into());
            }
            _ => {}
        }
    }
    let n = {
        let app = NianbaoApp::with_report(problems.clone(), None, Options::headless(None));
        app.desk().unwrap().todo().len()
    };
    assert!(n >= 30, "a long 待核对 list: {n}");
    eprintln!("yuan-2020-todo-long: {n} entries to check");
    bench_report(c, "yuan-2020", report);
    bench_report(c, "yuan-2020-text-x20", long);
    bench_report(c, "yuan-2020-todo-long", problems);
}

criterion_group!(benches, bench);
criterion_main!(benches);
