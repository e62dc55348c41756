//! CPU time of one UI frame of the desk, headless (an egui context without a window), with a
//! report loaded, a cell selected and both panes visible; the same report with twenty times its
//! text, to show that nothing per frame grows with the text; and the report with a long 待核对
//! list (many failed sums, repaired cells, an unknown organ).
//!
//!     cargo bench --bench frame

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

fn bench(c: &mut Criterion) {
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
