//! The desk's 待核对 list, the editable header, find and zoom, 关于, recent files: driven
//! headlessly with egui_kittest, mostly from the keyboard.

use crate::common::{fixture, harness, wait_loaded, wait_written};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::{Action, Desk, NianbaoApp, Options, TodoKind};
use nianbao::model::Status;
use nianbao::template::Template;
use std::path::{Path, PathBuf};

fn opened(path: &Path, recovery: &Path) -> Harness<'static, NianbaoApp> {
    let app = NianbaoApp::new(vec![path.to_path_buf()], Options::headless(Some(recovery.to_path_buf())));
    let mut h = harness(app);
    wait_loaded(&mut h);
    assert!(h.state().error().is_none(), "{:?}", h.state().error());
    h
}

fn desk<'a>(h: &'a Harness<'_, NianbaoApp>) -> &'a Desk {
    h.state().desk().expect("a report is open")
}

fn index(h: &Harness<'_, NianbaoApp>, key: &str) -> usize {
    desk(h).report().layout().index_of_key(key).expect("key of the template")
}

/// The cell whose text field has the keyboard focus.
fn focused_cell(h: &Harness<'_, NianbaoApp>) -> Option<usize> {
    let d = desk(h);
    (0..d.report().cells.len()).find(|&i| h.query_by_label(d.name(i)).is_some_and(|n| n.is_focused()))
}

/// yuan-2020 with two problems: 三's (七)总计 of 自然人 written 13 (for 12), and 四's 行政复议
/// 结果维持 written 2 with its 总计 0.
fn two_problems(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(fixture("yuan-2020.txt")).unwrap();
    let changed = text.replacen("(七) 总计\t12", "(七) 总计\t13", 1).replacen(
        "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
        "2\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
        1,
    );
    assert_ne!(changed, text);
    let path = dir.join("yuan-two.txt");
    std::fs::write(&path, changed).unwrap();
    path
}

fn type_keys(h: &mut Harness<'_, NianbaoApp>, text: &str) {
    for c in text.chars() {
        h.event(egui::Event::Text(c.to_string()));
    }
    h.run();
}

#[test]
fn keyboard_only_open_go_to_a_problem_fix_it_go_on_and_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = two_problems(dir.path());
    let mut h = opened(&path, &dir.path().join("rec"));
    assert!(desk(&h).counts().0 >= 2, "{:?}", desk(&h).failed());
    let wrong_total = index(&h, "applications/total/natural_person");
    // On opening, the first problem is selected (not yet focused); F8 goes to it.
    assert_eq!(desk(&h).selection().entry, Some(0));
    h.key_press(Key::F8);
    h.run();
    assert_eq!(desk(&h).selection().entry, Some(0));
    // It lands on the cell the suggestion would change, its text selected: typing replaces it.
    assert_eq!(focused_cell(&h), Some(wrong_total));
    type_keys(&mut h, "12");
    // F8 commits the fix and goes on to what is left.
    h.key_press(Key::F8);
    h.run();
    assert_eq!(desk(&h).report().cells[wrong_total].value, Some(12.0));
    assert_eq!(desk(&h).report().cells[wrong_total].status, Status::Edited);
    let entry = desk(&h).selection().entry.expect("the next problem is selected");
    let todo = &desk(&h).todo()[entry];
    assert!(todo.id == "review.row_sum", "{todo:?}");
    let cell = focused_cell(&h).expect("a cell of the next problem has the focus");
    let upheld = index(&h, "review/reconsideration/upheld");
    type_keys(&mut h, if cell == upheld { "0" } else { "2" });
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(desk(&h).counts().0, 0, "{:?}", desk(&h).failed());
    // Save from the keyboard: the in-app dialog suggests NAME.ron beside the input; Enter.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(h.get_by_label("文件路径").is_focused());
    h.key_press(Key::Enter);
    wait_written(&mut h);
    let saved = nianbao::load_path(&dir.path().join("yuan-two.ron")).expect("saved beside the input");
    assert_eq!(saved.cells[wrong_total].value, Some(12.0));
    assert!(!desk(&h).is_dirty());
}

#[test]
fn the_list_holds_what_needs_a_look_and_all_pass_only_when_it_is_empty() {
    let text = std::fs::read_to_string(fixture("yuan-2020.txt")).unwrap();
    let damaged = text.replacen("(一) 予以公开\t8\t1\t0", "(一) 予以公开\t8\tl\t0", 1);
    let mut report = nianbao::load_bytes(damaged.as_bytes(), "damaged.txt").unwrap();
    report.organ = None;
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(NianbaoApp::with_report(report, None, Options::headless(Some(dir.path().to_path_buf()))));
    h.run();
    let repaired = index(&h, "applications/granted/commercial");
    let kinds: Vec<TodoKind> = desk(&h).todo().iter().map(|t| t.kind).collect();
    assert!(kinds.contains(&TodoKind::Repaired), "{kinds:?}");
    assert!(kinds.contains(&TodoKind::Meta), "{kinds:?}");
    assert!(desk(&h).todo().iter().any(|t| t.cells == [repaired]));
    // Nothing fails as an error, yet the desk does not say all is well.
    assert_eq!(desk(&h).counts().0, 0);
    assert!(h.query_by_label("全部检查通过。").is_none());
    let n = desk(&h).todo().len();
    assert!(h.query_all_by_label(&format!("{n} 项")).count() >= 2, "the header and the list count them");

    // The unknown organ: its entry goes to the header field; typing it there fixes it.
    let k = desk(&h).todo().iter().position(|t| t.kind == TodoKind::Meta).unwrap();
    h.state_mut().push(Action::SelectEntry(k));
    h.run();
    assert!(h.get_by_label("机关名称").is_focused());
    type_keys(&mut h, "裕安区人民政府");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(desk(&h).report().organ.as_deref(), Some("裕安区人民政府"));
    assert!(!desk(&h).todo().iter().any(|t| t.kind == TodoKind::Meta));

    // The repaired cell, looked at and accepted, leaves the list.
    let k = desk(&h).todo().iter().position(|t| t.cells == [repaired]).unwrap();
    h.state_mut().push(Action::SelectEntry(k));
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert_eq!(desk(&h).done().len(), 1);
    assert!(!desk(&h).todo().iter().any(|t| t.cells == [repaired]));
    // Undo puts it back; redo takes it off again.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(desk(&h).todo().iter().any(|t| t.cells == [repaired]));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert!(!desk(&h).todo().iter().any(|t| t.cells == [repaired]));
    // Every check passes and the repair was looked at: now, and only now, all is well.
    assert_eq!(desk(&h).todo().len(), 0, "{:?}", desk(&h).todo());
    h.get_by_label("全部检查通过。");
}

#[test]
fn f8_and_shift_f8_walk_the_list_and_marks_are_saved_in_the_review() {
    let dir = tempfile::tempdir().unwrap();
    let path = two_problems(dir.path());
    let mut h = opened(&path, &dir.path().join("rec"));
    let n = desk(&h).todo().len();
    assert!(n >= 2);
    h.key_press(Key::F8);
    h.run();
    assert_eq!(desk(&h).selection().entry, Some(0));
    h.key_press(Key::F8);
    h.run();
    assert_eq!(desk(&h).selection().entry, Some(1));
    h.key_press_modifiers(Modifiers::SHIFT, Key::F8);
    h.run();
    assert_eq!(desk(&h).selection().entry, Some(0));
    h.key_press_modifiers(Modifiers::SHIFT, Key::F8);
    h.run();
    assert_eq!(desk(&h).selection().entry, Some(n - 1), "wraps around");
    // Its cells are selected in the table and focused.
    let cells = desk(&h).todo()[n - 1].cells.clone();
    assert_eq!(desk(&h).selection().cells, cells);
    // Mark the first one 已核对, save, open again: it stays off the list.
    h.state_mut().push(Action::SelectEntry(0));
    h.run();
    let key = desk(&h).todo()[0].key.clone();
    h.state_mut().push(Action::MarkReviewed);
    h.run();
    assert_eq!(desk(&h).todo().len(), n - 1);
    assert!(desk(&h).is_dirty(), "a mark is a change to save");
    let ron = dir.path().join("marked.ron");
    h.state_mut().save_to(&ron).unwrap();
    wait_written(&mut h);
    let again = opened(&ron, &dir.path().join("rec2"));
    assert_eq!(desk(&again).todo().len(), n - 1);
    assert_eq!(desk(&again).done().len(), 1);
    assert_eq!(desk(&again).done()[0].key, key);
    assert!(!desk(&again).is_dirty());
    // A failed check marked 已核对 is no passed check.
    assert!(again.query_by_label("全部检查通过。").is_none());
}

#[test]
fn organ_year_and_template_are_edited_in_the_header_as_undoable_steps() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("lieshan-2021.txt");
    std::fs::copy(fixture("lieshan-2021.txt"), &input).unwrap();
    let mut h = opened(&input, &dir.path().join("rec"));
    let before = desk(&h).report().clone();
    // The organ, from the keyboard.
    h.get_by_label("机关名称").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    type_keys(&mut h, "某某区人民政府");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(desk(&h).report().organ.as_deref(), Some("某某区人民政府"));
    assert_eq!(desk(&h).undo_len(), 1);
    // The year: 2020 with the 2021 template is a finding of the checks.
    h.get_by_label("报告年度").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    type_keys(&mut h, "2020");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(desk(&h).report().year, Some(2020));
    assert!(desk(&h).todo().iter().any(|t| t.id == "template.year"), "{:?}", desk(&h).todo());
    // A year that is not one is refused and said so.
    h.state_mut().push(Action::SetYear("二〇二〇x".into()));
    h.run();
    assert_eq!(desk(&h).report().year, Some(2020));
    assert!(h.state().status().contains("不是年度"), "{}", h.state().status());
    // The template: cells move by key; every cell is named by the new template.
    h.state_mut().push(Action::SetTemplate(Template::T2019));
    h.run();
    assert_eq!(desk(&h).report().template, Template::T2019);
    assert_eq!(desk(&h).report().cells.len(), Template::T2019.layout().cells.len());
    let k = index(&h, "applications/granted/natural_person");
    h.get_by_label(desk(&h).name(k));
    assert!(!desk(&h).todo().iter().any(|t| t.id == "template.year"));
    // Exports and the saved review carry what was typed.
    h.state_mut().push(Action::ExportJson);
    h.run();
    h.key_press(Key::Enter);
    wait_written(&mut h);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("lieshan-2021.json")).unwrap()).unwrap();
    assert_eq!(
        (json["organ"].as_str(), json["year"].as_i64(), json["template"].as_i64()),
        (Some("某某区人民政府"), Some(2020), Some(2019))
    );
    // Three undos give back the report as read.
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run();
    }
    assert_eq!(desk(&h).report(), &before);
    assert!(!desk(&h).is_dirty());
}

#[test]
fn ctrl_f_finds_text_in_the_raw_pane() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened(&fixture("yuan-2020.txt"), dir.path());
    let text = desk(&h).report().text.clone();
    let n = text.matches("申请").count();
    assert!(n > 2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run();
    assert!(h.get_by_label("查找").is_focused());
    type_keys(&mut h, "申请");
    assert_eq!(h.state().find_state(), Some((1, n)));
    h.get_by_label(&format!("1/{n}"));
    let first = h.state().find_rect().expect("the match is highlighted");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().find_state(), Some((2, n)));
    assert_ne!(h.state().find_rect(), Some(first));
    h.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    h.run();
    h.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    h.run();
    assert_eq!(h.state().find_state(), Some((n, n)), "wraps around");
    // The current match is in view.
    let r = h.state().find_rect().unwrap();
    assert!(r.top() >= 0.0 && r.bottom() <= 900.0, "{r:?}");
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(h.state().find_state(), None);
}

#[test]
fn zoom_from_the_keyboard_and_the_view_menu() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened(&fixture("lieshan-2021.txt"), dir.path());
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    h.run();
    assert!((h.ctx.zoom_factor() - 1.1).abs() < 1e-4, "{}", h.ctx.zoom_factor());
    h.get_by_label("视图").click();
    h.run();
    h.get_by_label_contains("缩小").click();
    h.run();
    assert!((h.ctx.zoom_factor() - 1.0).abs() < 1e-4, "{}", h.ctx.zoom_factor());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.run();
    assert!((h.ctx.zoom_factor() - 0.9).abs() < 1e-4);
}

#[test]
fn the_about_dialog_names_version_and_licences() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened(&fixture("lieshan-2021.txt"), dir.path());
    h.get_by_label("帮助").click();
    h.run();
    h.get_by_label("关于年报审校").click();
    h.run();
    assert!(h.state().about_open());
    h.get_by_label(&format!("版本 {}", env!("CARGO_PKG_VERSION")));
    assert!(h.query_by_label_contains("MIT OR Apache-2.0").is_some());
    assert!(h.query_by_label_contains("SIL Open Font License").is_some());
    h.get_by_label("关闭").click();
    h.run();
    assert!(!h.state().about_open());
}

/// The width a cell's text needs in the body font.
fn text_width(h: &Harness<'_, NianbaoApp>, text: &str) -> f32 {
    let font = egui::FontId::proportional(14.0);
    h.ctx.fonts_mut(|f| f.layout_no_wrap(text.to_string(), font, egui::Color32::BLACK).size().x)
}

#[test]
fn a_small_window_keeps_row_labels_in_view_and_numbers_whole() {
    let dir = tempfile::tempdir().unwrap();
    let app = NianbaoApp::new(vec![fixture("huaian-2024.txt")], Options::headless(Some(dir.path().to_path_buf())));
    let mut h = crate::common::harness_sized(app, egui::vec2(1024.0, 700.0));
    wait_loaded(&mut h);
    // Its rows of cells placed by the table's order are one 待核对 entry each, not one per cell.
    let repaired: Vec<&nianbao::app::Todo> = desk(&h).todo().iter().filter(|t| t.kind == TodoKind::Repaired).collect();
    let cells: usize = repaired.iter().map(|t| t.cells.len()).sum();
    assert!(repaired.len() < cells, "{} entries for {cells} repaired cells", repaired.len());
    // The right edge of the tables: where the 待核对 list begins.
    let right = h.get_all_by_label("待核对").map(|n| n.rect().left()).fold(0.0, f32::max);
    assert!(right > 600.0, "{right}");
    let first = index(&h, "applications/new_received/natural_person");
    let total = index(&h, "applications/new_received/total");
    let label = "一、本年新收政府信息公开申请数量";
    h.get_by_label(desk(&h).name(first)).focus();
    h.run();
    let label_at = h.get_by_label(label).rect();
    // Tab along the row to 总计, the seventh column: it scrolls into view, the label stays.
    for _ in first..total {
        h.key_press(Key::Tab);
        h.run();
    }
    assert_eq!(focused_cell(&h), Some(total));
    let cell = h.get_by_label(desk(&h).name(total)).rect();
    assert!(cell.right() <= right + 1.0 && cell.left() > label_at.right() - 1.0, "{cell:?} beside {label_at:?}");
    assert_eq!(h.get_by_label(label).rect().x_range(), label_at.x_range(), "the row label does not scroll sideways");
    // Every value of every table fits its field: nothing is clipped.
    let d = desk(&h);
    for i in 0..d.report().cells.len() {
        let Some(node) = h.query_by_label(d.name(i)) else { continue };
        let need = text_width(&h, &d.display_text(i)) + 8.0;
        assert!(
            node.rect().width() >= need,
            "{} is {} wide for “{}”",
            d.name(i),
            node.rect().width(),
            d.display_text(i)
        );
    }
}

#[test]
fn the_in_app_dialog_opens_a_file_by_its_path_and_the_file_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened(&fixture("lieshan-2021.txt"), dir.path());
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    // It lists the folder of the open report; typing a path and Enter opens it.
    h.get_by_label("yuan-2020.txt");
    h.get_by_label("文件路径").focus();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    type_keys(&mut h, &fixture("yuan-2020.txt").display().to_string());
    h.key_press(Key::Enter);
    wait_loaded(&mut h);
    assert_eq!(desk(&h).report().year, Some(2020));
    let recent: Vec<PathBuf> = h.state().recent().to_vec();
    assert_eq!(recent.first(), Some(&fixture("yuan-2020.txt").canonicalize().unwrap()));
    assert!(recent.contains(&fixture("lieshan-2021.txt").canonicalize().unwrap()));
    // A folder typed is entered, not opened; a missing file is said so.
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    h.get_by_label("文件路径").focus();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    type_keys(&mut h, &dir.path().join("nothing.txt").display().to_string());
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label("文件不存在");
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("文件路径").is_none());
}

#[test]
fn the_empty_screen_offers_open_and_the_recent_files() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("report.pdf");
    std::fs::write(&bad, b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n").unwrap();
    let mut app = NianbaoApp::new(vec![bad], Options::headless(Some(dir.path().to_path_buf())));
    let yuan = fixture("yuan-2020.txt").canonicalize().unwrap();
    app.set_recent(vec![yuan.clone(), dir.path().join("gone.txt")]);
    assert_eq!(app.recent(), std::slice::from_ref(&yuan), "files that are gone are left out");
    let mut h = harness(app);
    wait_loaded(&mut h);
    assert!(h.state().desk().is_none() && h.state().error().is_some());
    // The hint says what works: Ctrl+O (the in-app dialog here), dropping, the recent files.
    assert!(h.query_by_label_contains("按 Ctrl+O 打开").is_some());
    h.get_by_label("最近打开");
    h.get_by_label("yuan-2020.txt").click();
    wait_loaded(&mut h);
    assert_eq!(desk(&h).report().year, Some(2020));
}

#[test]
fn saving_commits_an_organ_being_typed_in_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened(&fixture("lieshan-2021.txt"), &dir.path().join("rec"));
    h.get_by_label("机关名称").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    type_keys(&mut h, "另一个机关");
    let ron = dir.path().join("organ.ron");
    // Ctrl+S commits it before asking where (here: cancelled, then saved to a path).
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_eq!(desk(&h).report().organ.as_deref(), Some("另一个机关"));
    h.key_press(Key::Escape);
    h.run();
    h.state_mut().save_to(&ron).unwrap();
    wait_written(&mut h);
    assert_eq!(nianbao::load_path(&ron).unwrap().organ.as_deref(), Some("另一个机关"));
}

#[test]
fn opening_a_text_whose_saved_review_is_beside_it_offers_to_continue_that_review() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("yuan-2020.txt");
    std::fs::copy(fixture("yuan-2020.txt"), &txt).unwrap();
    let ron = dir.path().join("yuan-2020.ron");
    let mut h = opened(&txt, &dir.path().join("rec"));
    assert!(h.state().continue_offer().is_none(), "no review beside it yet");
    let i = index(&h, "applications/new_received/total");
    h.state_mut().push(Action::Edit { cell: i, text: "4321".into() });
    h.run();
    h.state_mut().save_to(&ron).unwrap();
    wait_written(&mut h);

    let mut again = opened(&txt, &dir.path().join("rec2"));
    assert_eq!(again.state().continue_offer(), Some(ron.canonicalize().unwrap().as_path()));
    again.get_by_label("继续已保存的审校").click();
    again.run();
    wait_loaded(&mut again);
    assert!(again.state().continue_offer().is_none());
    assert_eq!(desk(&again).save_path.as_deref(), Some(ron.canonicalize().unwrap().as_path()));
    assert_eq!(desk(&again).report().cells[i].value, Some(4321.0));

    let mut fresh = opened(&txt, &dir.path().join("rec3"));
    fresh.get_by_label("使用原文").click();
    fresh.run();
    assert!(fresh.state().continue_offer().is_none());
    assert_ne!(desk(&fresh).report().cells[i].value, Some(4321.0), "the text as read");
    assert!(desk(&fresh).save_path.is_none());
}

#[test]
fn f1_lists_every_command_with_the_shortcut_the_keys_use() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened(&fixture("lieshan-2021.txt"), dir.path());
    h.key_press(Key::F1);
    h.run();
    assert!(h.state().shortcuts_open());
    let ctx = h.ctx.clone();
    for cmd in nianbao::app::UICommand::ALL {
        if let Some(keys) = cmd.shortcut_text(&ctx) {
            assert!(h.query_all_by_label(cmd.text().trim_end_matches('…')).count() >= 1, "{cmd:?}");
            assert!(h.query_all_by_label_contains(&keys).count() >= 1, "{keys}");
        }
    }
    h.get_by_label("下一份报告");
    h.get_by_label("关闭").click();
    h.run();
    assert!(!h.state().shortcuts_open());
}
