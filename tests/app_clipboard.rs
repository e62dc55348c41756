//! Opening what a clerk copied (文件 → 从剪贴板打开, Ctrl+V while nothing is being typed into),
//! its first save where no dialog can be shown, and the input format in the desk's header.

use crate::common::{fixture, harness, wait_loaded, wait_written};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::{CLIPBOARD_NAME, NianbaoApp, Options};
use std::path::Path;

fn app(files: Vec<std::path::PathBuf>, dir: &Path) -> Harness<'static, NianbaoApp> {
    let mut options = Options::headless(Some(dir.join("rec")));
    options.documents_dir = Some(dir.join("docs"));
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    let mut h = harness(NianbaoApp::new(files, options));
    wait_loaded(&mut h);
    h
}

/// The text a browser or Word copy gives: tab-separated rows (the fixture is one).
fn copied() -> String {
    std::fs::read_to_string(fixture("yuan-2020.txt")).unwrap()
}

#[test]
fn ctrl_v_with_nothing_being_typed_opens_the_pasted_text_as_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(vec![fixture("lieshan-2021.txt")], dir.path());
    h.event(egui::Event::Paste(copied()));
    h.step();
    wait_loaded(&mut h);
    let desk = h.state().desk().unwrap();
    assert_eq!(desk.report().source_name, CLIPBOARD_NAME);
    assert_eq!(desk.report().year, Some(2020));
    assert!(desk.source_path.is_none() && desk.save_path.is_none());
    assert!(h.query_by_label("剪贴板（文本）").is_some(), "the header names the input");
    assert!(h.state().title().contains(CLIPBOARD_NAME));
}

#[test]
fn a_paste_into_a_cell_being_edited_stays_in_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(vec![fixture("lieshan-2021.txt")], dir.path());
    let desk = h.state().desk().unwrap();
    let i = desk.report().layout().index_of_key("applications/new_received/total").unwrap();
    let name = desk.name(i).to_string();
    h.get_by_label(&name).focus();
    h.run();
    h.event(egui::Event::Paste("12".into()));
    h.run();
    assert!(!h.state().is_loading());
    let desk = h.state().desk().unwrap();
    assert!(desk.report().source_name.starts_with("lieshan-2021"), "no report opened");
    assert!(desk.buffers[i].contains("12"), "{}", desk.buffers[i]);
}

#[test]
fn the_menu_opens_the_clipboard_even_with_a_cell_focused_and_text_that_is_no_report_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(vec![fixture("lieshan-2021.txt")], dir.path());
    let desk = h.state().desk().unwrap();
    let name = desk.name(0).to_string();
    h.get_by_label(&name).focus();
    h.run();
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label_contains("从剪贴板打开").click();
    h.run();
    // The system answers the request with a paste event.
    h.event(egui::Event::Paste("会议纪要：今天讨论了工作安排。".into()));
    h.step();
    wait_loaded(&mut h);
    assert!(h.state().error().is_some_and(|e| e.contains("剪贴板")), "{:?}", h.state().error());
    assert!(h.state().desk().unwrap().report().source_name.starts_with("lieshan-2021"), "the report stays");
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label_contains("从剪贴板打开").click();
    h.run();
    h.event(egui::Event::Paste(copied()));
    h.step();
    wait_loaded(&mut h);
    assert_eq!(h.state().desk().unwrap().report().source_name, CLIPBOARD_NAME);
}

#[test]
fn the_first_save_of_a_paste_without_a_dialog_goes_to_the_documents_folder_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app(vec![fixture("lieshan-2021.txt")], dir.path());
    h.event(egui::Event::Paste(copied()));
    h.step();
    wait_loaded(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    wait_written(&mut h);
    let saved: Vec<_> = std::fs::read_dir(dir.path().join("docs")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let name = saved[0].file_name().unwrap().to_string_lossy().into_owned();
    // 剪贴板-YYYYMMDD-HHMM.ron
    let stamp = name.strip_prefix("剪贴板-").and_then(|s| s.strip_suffix(".ron")).expect(&name);
    assert!(
        stamp.len() == 13 && stamp.as_bytes()[8] == b'-' && stamp.replace('-', "").bytes().all(|b| b.is_ascii_digit())
    );
    let status = h.state().status().to_string();
    assert!(status.contains("无法显示保存对话框") && status.contains(&name), "{status}");
    assert_eq!(h.state().desk().unwrap().save_path.as_deref(), Some(saved[0].as_path()));
    assert_eq!(nianbao::load_path(&saved[0]).unwrap().year, Some(2020));
}

#[test]
fn the_header_shows_the_input_format() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = std::fs::read_dir(fixture("pdf"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf") && nianbao::open::path(p).is_ok());
    if let Some(pdf) = pdf {
        let h = app(vec![pdf], dir.path());
        assert!(h.query_by_label("PDF").is_some());
        assert!(h.query_by_label("编码").is_none(), "no encoding for a PDF");
    }
    let mut report = nianbao::load_path(&fixture("yuan-2020.txt")).unwrap();
    report.format = "pdf-ocr".into();
    let mut h = harness(NianbaoApp::with_report(report, None, Options::headless(None)));
    h.run();
    assert!(h.query_by_label("扫描件（OCR）").is_some());
    let h = app(vec![fixture("yuan-2020.txt")], dir.path());
    assert!(h.query_by_label("文本").is_some() && h.query_by_label("编码").is_some());
}
