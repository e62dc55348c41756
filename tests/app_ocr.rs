//! The desk reading a scan: OCR's progress is shown while it runs, and 取消 stops it, leaving
//! the desk as it was with a status line saying so (no error). Runs where tesseract with its
//! Chinese is installed; skipped, saying why, where it is not.

use crate::common::{fixture, harness, wait_loaded};
use egui_kittest::kittest::Queryable;
use nianbao::app::{Action, NianbaoApp, Options};
use std::time::{Duration, Instant};

#[test]
fn cancelling_the_ocr_of_a_page_picture_keeps_the_report_open() {
    if let Err(why) = nianbao::open::ocr::available() {
        println!("skipped: tesseract with chi_sim is not installed ({})", why.0);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(NianbaoApp::new(vec![fixture("lieshan-2021.txt")], Options::headless(Some(dir.path().into()))));
    wait_loaded(&mut h);
    let before = h.state().desk().unwrap().report().clone();
    let status_before = h.state().status().to_string();

    h.state_mut().push(Action::Open(fixture("scan/huaian-2024-p4.jpg")));
    h.step();
    assert!(h.state().is_loading(), "{}", h.state().status());
    // The OCR's steps are named while it runs (版面 first, then cells done / all).
    let progress = h.state().load_progress_text().expect("a scan being read shows its progress");
    assert!(progress.starts_with("正在识别"), "{progress}");
    let t = Instant::now();
    while t.elapsed() < Duration::from_millis(1500)
        && h.state().load_progress_text().is_some_and(|p| p.contains("版面"))
    {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.step();
    let shown = h.state().load_progress_text().expect("still reading after 1.5 s");
    println!("shown before 取消: {shown}");
    if shown.contains("版面") {
        h.get_by_label(&shown);
    }
    h.get_by_label("取消").click();
    h.step();
    h.step();

    assert!(!h.state().is_loading(), "still loading after 取消");
    assert!(h.state().load_progress_text().is_none());
    assert!(h.state().error().is_none(), "{:?}", h.state().error());
    assert!(h.state().status().contains("已取消文字识别"), "{}", h.state().status());
    assert_ne!(h.state().status(), status_before);
    let desk = h.state().desk().expect("the report stays open");
    assert_eq!(desk.report().cells, before.cells);
    assert_eq!(desk.report().source_name, before.source_name);
    assert!(h.query_by_label("取消").is_none(), "取消 is gone once the load is");
    // The stopped reading's late answer (its error) changes nothing.
    for _ in 0..20 {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(h.state().error().is_none());
    assert_eq!(h.state().desk().unwrap().report().source_name, before.source_name);
}
