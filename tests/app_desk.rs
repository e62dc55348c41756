//! The review desk driven headlessly with egui_kittest: the real app state, found by the
//! accessible names a screen reader would use.

use crate::common::{fixture, harness, wait_loaded, wait_written};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::{Action, AfterConfirm, NianbaoApp, Options};
use nianbao::model::Status;
use std::path::{Path, PathBuf};

/// The app with a fixture opened through the real path (background thread, parser).
fn opened(name: &str, recovery: &Path) -> Harness<'static, NianbaoApp> {
    let app = NianbaoApp::new(vec![fixture(name)], Options::headless(Some(recovery.to_path_buf())));
    let mut h = harness(app);
    wait_loaded(&mut h);
    assert!(h.state().error().is_none(), "{:?}", h.state().error());
    h
}

fn cell(h: &Harness<'_, NianbaoApp>, key: &str) -> (usize, String) {
    let desk = h.state().desk().expect("a report is open");
    let i = desk.report().layout().index_of_key(key).expect("key of the template");
    (i, desk.name(i).to_string())
}

/// Type `text` into the cell named `name` and press Enter.
fn type_into(h: &mut Harness<'_, NianbaoApp>, name: &str, text: &str) {
    h.get_by_label(name).focus();
    h.run();
    h.get_by_label(name).set_text_value_accesskit(text);
    h.run();
    h.key_press(Key::Enter);
    h.run();
}

#[test]
fn opens_the_bundled_sample_when_given_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(NianbaoApp::new(vec![], Options::headless(Some(dir.path().to_path_buf()))));
    wait_loaded(&mut h);
    let desk = h.state().desk().expect("the sample is open");
    assert_eq!(desk.report().year, Some(2021));
    assert!(h.state().title().contains("sample-lieshan-2021.txt"));
    // The header names the organ; the tables have their official titles.
    assert!(h.get_by_label("机关名称").value().unwrap_or_default().contains("烈山区人民政府"));
    h.get_by_label("三、收到和处理政府信息公开申请情况");
    h.get_by_label("全部检查通过。");
    // Without a native file dialog, Ctrl+O shows the in-app one, its path field focused.
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    assert!(h.get_by_label("文件路径").is_focused());
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("文件路径").is_none());
}

#[test]
fn an_edit_changes_the_failed_checks_and_undo_restores_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (i, name) = cell(&h, "applications/new_received/natural_person");
    let before = h.state().desk().unwrap().report().cells[i].clone();
    assert!(h.state().desk().unwrap().failed().is_empty());

    type_into(&mut h, &name, "999");
    {
        let desk = h.state().desk().unwrap();
        let c = &desk.report().cells[i];
        assert_eq!((c.value, c.status), (Some(999.0), Status::Edited));
        assert_eq!(c.original.as_ref().unwrap().value, before.value);
        let ids: Vec<&str> = desk.failed().iter().map(|c| c.id).collect();
        assert!(ids.contains(&"applications.row_sum"), "{ids:?}");
        assert!(desk.failed().iter().all(|c| c.severity <= nianbao::Severity::Warning));
        assert!(desk.is_dirty());
    }
    assert!(h.state().title().ends_with(" *"));
    // The list shows the failures; the header counts them.
    let errors = h.state().desk().unwrap().counts().0;
    assert!(h.get_all_by_label(&format!("错误 {errors}")).count() >= 2);
    let first = h.state().desk().unwrap().failed()[0].message.clone();
    h.get_by_label(&first);

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let desk = h.state().desk().unwrap();
    assert_eq!(desk.report().cells[i], before);
    assert!(desk.failed().is_empty());
    assert!(!desk.is_dirty());
    assert_eq!(h.get_by_label(&name).value().as_deref(), Some(desk.display_text(i).as_str()));
    assert!(!h.state().title().ends_with(" *"));

    // Redo brings the edit back, with Ctrl+Y and with Ctrl+Shift+Z.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(h.state().desk().unwrap().report().cells[i].value, Some(999.0));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(h.state().desk().unwrap().report().cells[i].value, Some(999.0));
}

#[test]
fn a_non_number_is_kept_as_text_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (i, name) = cell(&h, "review/reconsideration/upheld");
    type_into(&mut h, &name, "不详");
    let desk = h.state().desk().unwrap();
    let c = &desk.report().cells[i];
    assert_eq!((c.value, c.status, c.text.as_str()), (None, Status::Edited, "不详"));
    assert!(desk.failed().iter().any(|r| r.id == "cell.unreadable" && r.cells.contains(&i)));
    assert_eq!(h.get_by_label(&name).value().as_deref(), Some("不详"));
}

#[test]
fn keyboard_moves_between_cells_and_commits() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (i, name) = cell(&h, "applications/granted/natural_person");
    let (below, below_name) = cell(&h, "applications/partially_granted/natural_person");
    h.get_by_label(&name).focus();
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert!(h.get_by_label(h.state().desk().unwrap().name(i + 1)).is_focused());
    assert_eq!(h.state().desk().unwrap().selection().primary, Some(i + 1));
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.run();
    assert!(h.get_by_label(&name).is_focused());
    // Typing then ↓ commits and moves to the row below.
    h.get_by_label(&name).set_text_value_accesskit("7");
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    assert!(h.get_by_label(&below_name).is_focused());
    assert_eq!(h.state().desk().unwrap().report().cells[i].value, Some(7.0));
    assert_eq!(h.state().desk().unwrap().selection().primary, Some(below));
    // Esc throws away what was typed.
    h.get_by_label(&below_name).set_text_value_accesskit("12345");
    h.run();
    h.key_press(Key::Escape);
    h.run();
    let desk = h.state().desk().unwrap();
    assert_eq!(h.get_by_label(&below_name).value(), Some(desk.display_text(below)));
    assert_eq!(desk.undo_len(), 1);
}

#[test]
fn clicking_a_failed_check_selects_its_cells() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (_, name) = cell(&h, "applications/granted/total");
    type_into(&mut h, &name, "1000");
    let (message, cells) = {
        let c = &h.state().desk().unwrap().failed()[0];
        (c.message.clone(), c.cells.clone())
    };
    h.get_by_label(&message).click();
    h.run();
    let desk = h.state().desk().unwrap();
    assert_eq!(desk.selection().entry, Some(0));
    assert_eq!(desk.selection().cells, cells);
    let primary = desk.selection().primary.unwrap();
    assert!(h.get_by_label(desk.name(primary)).is_focused());
}

#[test]
fn save_and_reopen_gives_the_same_cells() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lishi-2020.txt", dir.path());
    let (i, name) = cell(&h, "applications/carried_forward/total");
    type_into(&mut h, &name, "42");
    let (_, other) = cell(&h, "active/procurement/amount_wan_yuan");
    type_into(&mut h, &other, "abc");
    let saved = dir.path().join("lishi-2020.ron");
    h.state_mut().save_to(&saved).unwrap();
    wait_written(&mut h);
    assert!(!h.state().desk().unwrap().is_dirty());
    assert!(!h.state().title().ends_with(" *"));
    let cells = h.state().desk().unwrap().report().cells.clone();
    assert_eq!(cells[i].value, Some(42.0));

    let mut again = opened(saved.to_str().unwrap(), dir.path());
    wait_loaded(&mut again);
    let desk = again.state().desk().unwrap();
    assert_eq!(desk.report().cells, cells);
    assert_eq!(desk.save_path.as_deref(), Some(saved.as_path()));
    assert_eq!(again.get_by_label(&name).value().as_deref(), Some("42"));
    assert_eq!(again.get_by_label(&other).value().as_deref(), Some("abc"));
    // Ctrl+S writes back to the same .ron.
    let (_, third) = cell(&again, "review/litigation_direct/pending");
    type_into(&mut again, &third, "3");
    again.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_written(&mut again);
    assert!(!again.state().desk().unwrap().is_dirty(), "{}", again.state().status());
    let reread = nianbao::load_path(&saved).unwrap();
    assert_eq!(reread.cells, again.state().desk().unwrap().report().cells);
}

/// Take what the in-app file dialog suggests (Enter in its path field).
fn take_suggestion(h: &mut Harness<'_, NianbaoApp>) -> String {
    let path = h.get_by_label("文件路径").value().expect("the in-app file dialog is shown");
    assert!(h.get_by_label("文件路径").is_focused());
    h.key_press(Key::Enter);
    h.run();
    path
}

#[test]
fn the_first_save_suggests_name_ron_beside_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("yuan-2020.txt");
    std::fs::copy(fixture("yuan-2020.txt"), &input).unwrap();
    let mut h = opened(input.to_str().unwrap(), dir.path());
    let (_, name) = cell(&h, "review/reconsideration/pending");
    type_into(&mut h, &name, "5");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    let suggested = take_suggestion(&mut h);
    assert!(suggested.ends_with("yuan-2020.ron"), "{suggested}");
    wait_written(&mut h);
    let ron = dir.path().join("yuan-2020.ron");
    assert!(ron.exists(), "{}", h.state().status());
    assert!(h.state().status().contains("yuan-2020.ron"));
    assert!(!h.state().desk().unwrap().is_dirty());
}

#[test]
fn opening_another_file_with_unsaved_changes_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (i, name) = cell(&h, "applications/granted/natural_person");
    type_into(&mut h, &name, "9");
    h.state_mut().push(Action::Open(fixture("yuan-2020.txt")));
    h.run();
    assert!(matches!(h.state().asking(), Some(AfterConfirm::Open(_))));
    h.get_by_label("取消").click();
    h.run();
    assert!(h.state().asking().is_none());
    assert_eq!(h.state().desk().unwrap().report().cells[i].value, Some(9.0));

    h.state_mut().push(Action::Open(fixture("yuan-2020.txt")));
    h.run();
    h.get_by_label("不保存").click();
    wait_loaded(&mut h);
    assert_eq!(h.state().desk().unwrap().report().year, Some(2020));
    assert!(!h.state().desk().unwrap().is_dirty());
}

#[test]
fn closing_with_unsaved_changes_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (_, name) = cell(&h, "applications/granted/natural_person");
    type_into(&mut h, &name, "9");
    h.event(egui::Event::Key {
        key: Key::Q,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    });
    h.run();
    assert_eq!(h.state().asking(), Some(&AfterConfirm::Quit));
    h.get_by_label("取消").click();
    h.run();
    assert!(h.state().asking().is_none());
}

#[test]
fn an_edited_review_is_offered_back_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    let mut h = opened("lieshan-2021.txt", &recovery);
    let (i, name) = cell(&h, "applications/new_received/commercial");
    type_into(&mut h, &name, "31");
    h.run();
    h.state_mut().sync_recovery();
    assert!(recovery.join("recovery.ron").exists());
    drop(h); // a crash: nothing saved, nothing cleaned up

    let mut h = harness(NianbaoApp::new(vec![], Options::headless(Some(recovery.clone()))));
    assert!(h.state().recovery_offer().is_some());
    wait_loaded(&mut h); // the sample opens under the question
    h.get_by_label("恢复").click();
    wait_loaded(&mut h);
    let desk = h.state().desk().unwrap();
    assert_eq!(desk.report().cells[i].value, Some(31.0));
    assert_eq!(desk.report().cells[i].status, Status::Edited);
    assert!(desk.is_dirty());
    // It still knows the text it was read from, and that it was never saved as RON.
    assert_eq!(desk.source_path.as_deref(), Some(fixture("lieshan-2021.txt").as_path()));
    assert_eq!(desk.save_path, None);

    // Saving clears the recovery file.
    let out = dir.path().join("saved.ron");
    h.state_mut().save_to(&out).unwrap();
    wait_written(&mut h);
    h.state_mut().sync_recovery();
    assert!(!recovery.join("recovery.ron").exists());
}

#[test]
fn discarding_the_recovery_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (_, name) = cell(&h, "applications/new_received/commercial");
    type_into(&mut h, &name, "31");
    h.state_mut().sync_recovery();
    drop(h);
    let mut h = harness(NianbaoApp::new(vec![], Options::headless(Some(dir.path().to_path_buf()))));
    wait_loaded(&mut h);
    h.get_by_label("丢弃").click();
    wait_loaded(&mut h);
    h.state_mut().sync_recovery();
    assert!(h.state().recovery_offer().is_none());
    assert!(!dir.path().join("recovery.ron").exists());
    assert!(h.state().desk().is_some());
}

#[test]
fn an_unreadable_file_shows_the_reason_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("report.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n").unwrap();
    let mut h = harness(NianbaoApp::new(vec![pdf], Options::headless(Some(dir.path().to_path_buf()))));
    wait_loaded(&mut h);
    let error = h.state().error().expect("an error is shown").to_string();
    assert!(error.contains("report.pdf"), "{error}");
    assert!(error.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{error}");
    h.get_by_label(&error);
    assert!(h.state().desk().is_none());
}

#[test]
fn selecting_a_cell_highlights_its_source_and_clicking_a_number_selects_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (j, name_j) = cell(&h, "applications/new_received/natural_person");
    let (k, name_k) = cell(&h, "applications/new_received/total");
    assert_ne!(j, k);
    h.get_by_label(&name_j).focus();
    h.run();
    assert_eq!(h.state().desk().unwrap().selection().primary, Some(j));
    let source_j = h.state().source_rect().expect("the source of the selected cell is highlighted");
    h.get_by_label(&name_k).focus();
    h.run();
    let source_k = h.state().source_rect().unwrap();
    assert_ne!(source_j, source_k);
    // The text area is left of the tables, and the highlight is where the text says 25.
    assert!(source_j.right() < h.get_by_label(&name_j).rect().left());

    let pos = source_j.center();
    h.event(egui::Event::PointerMoved(pos));
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.step();
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    assert_eq!(h.state().desk().unwrap().selection().primary, Some(j));
    assert!(h.get_by_label(&name_j).is_focused());
}

#[test]
fn exports_from_the_menu_write_csv_and_json_beside_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("lishi-2020.txt");
    std::fs::copy(fixture("lishi-2020.txt"), &input).unwrap();
    let mut h = opened(input.to_str().unwrap(), dir.path());
    // Through the menu: 文件 → 导出 CSV… (no dialog in tests: written beside the input).
    h.get_by_label("文件").click();
    h.run();
    h.get_by_label("导出 CSV…").click();
    h.run();
    take_suggestion(&mut h);
    wait_written(&mut h);
    let csv = std::fs::read_to_string(dir.path().join("lishi-2020.csv")).expect("CSV written");
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.lines().next().unwrap().contains("file,organ,year,template,table,row,col,label,value,status"));
    h.state_mut().push(Action::ExportJson);
    h.run();
    take_suggestion(&mut h);
    wait_written(&mut h);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("lishi-2020.json")).expect("JSON written"))
            .unwrap();
    assert_eq!(json["year"], 2020);
    assert!(h.state().status().contains("lishi-2020.json"));
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_file_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(fixture("yuan-2020.txt"))));
    h.step();
    h.run();
    // With a report open, the app asks whether to compare the two or open the new one.
    assert!(h.state().drop_offer().is_some());
    h.get_by_label("打开").click();
    h.run();
    wait_loaded(&mut h);
    assert!(h.state().drop_offer().is_none());
    assert_eq!(h.state().desk().unwrap().report().year, Some(2020));
    assert!(h.state().title().contains("yuan-2020.txt"));
}

#[test]
fn hovering_a_repaired_cell_shows_the_original_text_and_the_repair() {
    let text = std::fs::read_to_string(fixture("yuan-2020.txt")).unwrap();
    let damaged = text.replacen("(一) 予以公开\t8\t1\t0", "(一) 予以公开\t8\tl\t0", 1);
    assert_ne!(damaged, text);
    let report = nianbao::load_bytes(damaged.as_bytes(), "damaged.txt").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(NianbaoApp::with_report(report, None, Options::headless(Some(dir.path().to_path_buf()))));
    h.run();
    let (i, name) = cell(&h, "applications/granted/commercial");
    let c = &h.state().desk().unwrap().report().cells[i];
    assert_eq!((c.value, c.status), (Some(1.0), Status::Repaired));
    h.get_by_label(&name).hover();
    for _ in 0..8 {
        h.step();
    }
    h.get_by_label("原文：“l”");
    h.get_by_label("读取值：1");
    h.get_by_label("状态：已自动修复");
    assert!(h.query_by_label_contains("自动修复：").is_some());
}

#[test]
fn saving_commits_what_is_being_typed() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("review.ron");
    let mut h = opened("lieshan-2021.txt", dir.path());
    h.state_mut().save_to(&saved).unwrap();
    wait_written(&mut h);
    let (i, name) = cell(&h, "applications/carried_forward/natural_person");
    h.get_by_label(&name).focus();
    h.run();
    h.get_by_label(&name).set_text_value_accesskit("77");
    h.run();
    assert!(!h.state().desk().unwrap().is_dirty(), "nothing committed yet");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    wait_written(&mut h);
    assert_eq!(h.state().desk().unwrap().report().cells[i].value, Some(77.0));
    assert!(!h.state().desk().unwrap().is_dirty());
    assert_eq!(nianbao::load_path(&saved).unwrap().cells[i].value, Some(77.0));
}

/// The app with lieshan-2021 open and saved once to `review.ron` in `dir` (so Ctrl+S and
/// 保存 write there).
fn saved_once(dir: &Path) -> (Harness<'static, NianbaoApp>, PathBuf) {
    let mut h = opened("lieshan-2021.txt", dir);
    let saved = dir.join("review.ron");
    h.state_mut().save_to(&saved).unwrap();
    wait_written(&mut h);
    assert!(!h.state().desk().unwrap().is_dirty(), "{}", h.state().status());
    assert_eq!(h.state().desk().unwrap().save_path.as_deref(), Some(saved.as_path()));
    (h, saved)
}

#[test]
fn an_edit_made_while_saving_keeps_the_review_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, saved) = saved_once(dir.path());
    let (i, name) = cell(&h, "applications/granted/natural_person");
    let (j, other) = cell(&h, "applications/granted/commercial");
    let before_j = h.state().desk().unwrap().report().cells[j].value;
    type_into(&mut h, &name, "11");

    // The writer is held: the save is under way for as long as the test wants.
    h.state_mut().hold_writes(true);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(h.state().is_writing());
    assert!(h.state().status().contains("正在保存"), "{}", h.state().status());
    assert!(h.state().desk().unwrap().is_dirty(), "not saved before the write is done");
    type_into(&mut h, &other, "12");

    h.state_mut().hold_writes(false);
    wait_written(&mut h);
    // The file has the first edit only; the second keeps the review unsaved.
    let file = nianbao::load_path(&saved).unwrap();
    assert_eq!(file.cells[i].value, Some(11.0));
    assert_eq!(file.cells[j].value, before_j);
    assert!(h.state().desk().unwrap().is_dirty());
    assert!(h.state().title().ends_with(" *"), "{}", h.state().title());
    assert!(h.state().status().contains("保存期间又有修改"), "{}", h.state().status());
    // Undoing the second edit goes back to exactly what was written.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(!h.state().desk().unwrap().is_dirty());
    assert!(!h.state().title().ends_with(" *"));
}

#[test]
fn ctrl_s_while_a_save_is_written_saves_again_afterwards() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, saved) = saved_once(dir.path());
    let (i, name) = cell(&h, "applications/granted/natural_person");
    let (j, other) = cell(&h, "applications/granted/commercial");
    type_into(&mut h, &name, "21");
    h.state_mut().hold_writes(true);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    type_into(&mut h, &other, "22");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(h.state().status().contains("完成后会再保存一次"), "{}", h.state().status());
    h.state_mut().hold_writes(false);
    wait_written(&mut h);
    assert!(!h.state().desk().unwrap().is_dirty(), "{}", h.state().status());
    let file = nianbao::load_path(&saved).unwrap();
    assert_eq!((file.cells[i].value, file.cells[j].value), (Some(21.0), Some(22.0)));
}

#[test]
fn a_failed_save_says_why_and_keeps_the_review_unsaved() {
    let dir = tempfile::tempdir().unwrap();
    let recovery = dir.path().join("recovery");
    let mut h = opened("lieshan-2021.txt", &recovery);
    let (_, name) = cell(&h, "applications/granted/natural_person");
    type_into(&mut h, &name, "31");
    h.state_mut().sync_recovery();
    let nowhere = dir.path().join("no-such-folder").join("review.ron");
    h.state_mut().save_to(&nowhere).unwrap();
    wait_written(&mut h);
    let status = h.state().status().to_string();
    assert!(status.contains("保存失败") && status.contains("文件不存在"), "{status}");
    let desk = h.state().desk().unwrap();
    assert!(desk.is_dirty());
    assert_eq!(desk.save_path, None);
    assert!(h.state().title().ends_with(" *"));
    h.state_mut().sync_recovery();
    assert!(recovery.join("recovery.ron").exists(), "the recovery file stays");
}

#[test]
fn save_then_open_another_file_waits_for_the_save() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, saved) = saved_once(dir.path());
    let (i, name) = cell(&h, "applications/granted/natural_person");
    type_into(&mut h, &name, "41");
    h.state_mut().hold_writes(true);
    h.state_mut().push(Action::Open(fixture("yuan-2020.txt")));
    h.run();
    assert!(matches!(h.state().asking(), Some(AfterConfirm::Open(_))));
    h.get_by_label("保存").click();
    h.run();
    // Nothing is opened while the save is being written.
    assert!(h.state().is_writing());
    assert!(!h.state().is_loading());
    assert_eq!(h.state().desk().unwrap().report().year, Some(2021));
    h.state_mut().hold_writes(false);
    wait_written(&mut h);
    wait_loaded(&mut h);
    assert_eq!(h.state().desk().unwrap().report().year, Some(2020));
    assert_eq!(nianbao::load_path(&saved).unwrap().cells[i].value, Some(41.0));
}

#[test]
fn save_then_close_does_not_close_when_the_save_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, saved) = saved_once(dir.path());
    let (_, name) = cell(&h, "applications/granted/natural_person");
    type_into(&mut h, &name, "51");
    // The .ron cannot be replaced: its folder is gone.
    let gone = dir.path().join("gone");
    std::fs::create_dir(&gone).unwrap();
    let ron = gone.join("review.ron");
    h.state_mut().save_to(&ron).unwrap();
    wait_written(&mut h);
    assert!(!h.state().desk().unwrap().is_dirty());
    std::fs::remove_dir_all(&gone).unwrap();
    type_into(&mut h, &name, "52");
    h.state_mut().push(Action::Quit);
    h.run();
    assert_eq!(h.state().asking(), Some(&AfterConfirm::Quit));
    h.get_by_label("保存").click();
    wait_written(&mut h);
    assert!(h.state().status().contains("保存失败"), "{}", h.state().status());
    assert!(h.state().desk().unwrap().is_dirty());
    assert!(h.state().asking().is_none());
    assert!(saved.exists());
}

#[test]
fn opening_a_failing_report_shows_its_first_problem_in_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("yuan-2020.txt")).unwrap().replacen("(七) 总计\t12", "(七) 总计\t13", 1);
    let path = dir.path().join("yuan-changed.txt");
    std::fs::write(&path, text).unwrap();
    let mut h = harness(NianbaoApp::new(vec![path], Options::headless(Some(dir.path().join("rec")))));
    wait_loaded(&mut h);
    let (i, name) = cell(&h, "applications/total/natural_person");
    assert!(h.state().desk().unwrap().selection().cells.contains(&i));
    // The row lies far below the first screen (900 points high): the table scrolled to it.
    let rect = h.get_by_label(&name).rect();
    assert!(rect.top() > 60.0 && rect.bottom() < 880.0, "{name} is not in view: {rect:?}");
}

fn key_event(key: Key, pressed: bool, modifiers: Modifiers) -> egui::Event {
    egui::Event::Key { key, physical_key: None, pressed, repeat: false, modifiers }
}

/// Queue `events` to arrive together in the next frame (kittest's `event` gives each its own).
fn one_frame(h: &mut Harness<'_, NianbaoApp>, events: Vec<egui::Event>) {
    h.input_mut().events.extend(events);
    h.step();
    h.run();
}

fn typed(text: &str) -> Vec<egui::Event> {
    text.chars().map(|c| egui::Event::Text(c.to_string())).collect()
}

fn press(key: Key, modifiers: Modifiers) -> Vec<egui::Event> {
    vec![key_event(key, true, modifiers), key_event(key, false, modifiers)]
}

#[test]
fn digits_and_tab_arriving_in_one_frame_stay_in_their_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (i, name) = cell(&h, "applications/granted/natural_person");
    let (below, _) = cell(&h, "applications/partially_granted/commercial");
    // Tab into the cell (its text selected, so typing replaces it).
    h.get_by_label(h.state().desk().unwrap().name(i - 1)).focus();
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert!(h.get_by_label(&name).is_focused());
    // One frame: 5 3 0 ⇥ 7 ↵ — as a fast typist or a slow frame delivers them.
    let mut events = typed("530");
    events.extend(press(Key::Tab, Modifiers::NONE));
    events.extend(typed("7"));
    events.extend(press(Key::Enter, Modifiers::NONE));
    one_frame(&mut h, events);
    let desk = h.state().desk().unwrap();
    assert_eq!(desk.report().cells[i].value, Some(530.0));
    assert_eq!(desk.report().cells[i + 1].value, Some(7.0));
    assert_eq!(desk.undo_len(), 2);
    assert!(h.get_by_label(desk.name(below)).is_focused());
    assert_eq!(desk.selection().primary, Some(below));
}

#[test]
fn digits_and_a_click_arriving_in_one_frame_stay_in_their_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (i, name) = cell(&h, "applications/granted/natural_person");
    // The clicked cell is drawn before the one typed into.
    let (above, above_name) = cell(&h, "applications/new_received/commercial");
    h.get_by_label(h.state().desk().unwrap().name(i - 1)).focus();
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert!(h.get_by_label(&name).is_focused());
    let pos = h.get_by_label(&above_name).rect().center();
    let mut events = typed("64");
    events.push(egui::Event::PointerMoved(pos));
    for pressed in [true, false] {
        events.push(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    one_frame(&mut h, events);
    let desk = h.state().desk().unwrap();
    assert_eq!(desk.report().cells[i].value, Some(64.0));
    assert_ne!(desk.report().cells[above].status, Status::Edited);
    assert!(h.get_by_label(&above_name).is_focused());
}

#[test]
fn a_file_opened_by_a_relative_path_is_known_by_its_absolute_path() {
    let dir = tempfile::tempdir().unwrap();
    let relative = PathBuf::from("tests/fixtures/lieshan-2021.txt");
    assert!(relative.is_relative() && relative.exists(), "tests run in the package folder");
    let absolute = fixture("lieshan-2021.txt").canonicalize().unwrap();
    let mut h = harness(NianbaoApp::new(vec![relative], Options::headless(Some(dir.path().to_path_buf()))));
    wait_loaded(&mut h);
    assert_eq!(h.state().desk().unwrap().source_path.as_deref(), Some(absolute.as_path()));
    // The status bar shows where the file is.
    assert!(h.query_all_by_label_contains(&absolute.display().to_string()).count() > 0);
    // The recovery file keeps the absolute path, so a restore from elsewhere saves beside it.
    let (_, name) = cell(&h, "applications/granted/natural_person");
    type_into(&mut h, &name, "9");
    h.state_mut().sync_recovery();
    let paths = std::fs::read_to_string(dir.path().join("recovery.path")).unwrap();
    assert_eq!(paths.lines().next(), Some(absolute.display().to_string().as_str()));
}

/// yuan-2020.txt copied into `dir` beside a `yuan-2020.ron` that is another review.
fn beside_another_review(dir: &Path) -> (Harness<'static, NianbaoApp>, PathBuf, String) {
    let input = dir.join("yuan-2020.txt");
    std::fs::copy(fixture("yuan-2020.txt"), &input).unwrap();
    let other = nianbao::load_path(&fixture("lishi-2020.txt")).unwrap();
    let ron = dir.join("yuan-2020.ron");
    std::fs::write(&ron, nianbao::document::to_ron(&other)).unwrap();
    let mut h = opened(input.to_str().unwrap(), &dir.join("rec"));
    // It is offered as this report's saved review; the clerk starts from the text instead.
    assert!(h.state().continue_offer().is_some());
    h.get_by_label("使用原文").click();
    h.run();
    let (_, name) = cell(&h, "review/reconsideration/pending");
    type_into(&mut h, &name, "5");
    (h, ron, name)
}

#[test]
fn saving_over_another_review_of_the_same_name_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, ron, _) = beside_another_review(dir.path());
    h.state_mut().push(Action::Quit);
    h.run();
    h.get_by_label("保存").click();
    h.run();
    // Not written anywhere yet: the question names the file.
    assert!(h.state().overwrite_question().is_some());
    assert!(!dir.path().join("yuan-2020 (2).ron").exists());
    assert!(!h.state().close_sent());
    h.get_by_label("覆盖").click();
    wait_written(&mut h);
    assert!(!dir.path().join("yuan-2020 (2).ron").exists());
    let file = nianbao::load_path(&ron).unwrap();
    assert_eq!(file.year, Some(2020));
    assert_eq!(file.organ, h.state().desk().unwrap().report().organ);
    // The window stays open long enough to say where the review went.
    let status = h.state().status().to_string();
    assert!(status.contains(&ron.display().to_string()), "{status}");
    assert!(!h.state().close_sent(), "closed before the save was shown");
    let start = std::time::Instant::now();
    while !h.state().close_sent() && start.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
    }
    assert!(h.state().close_sent());
}

#[test]
fn saving_beside_another_review_can_take_a_new_name() {
    let dir = tempfile::tempdir().unwrap();
    let (mut h, ron, _) = beside_another_review(dir.path());
    let before = std::fs::read_to_string(&ron).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    // Ctrl+S asks where (the in-app dialog here); taking NAME.ron, which is another review's…
    take_suggestion(&mut h);
    assert!(h.state().overwrite_question().is_some());
    // …asks again; a new name is suggested beside it.
    h.get_by_label("另存为新名称").click();
    h.run();
    let suggested = take_suggestion(&mut h);
    assert!(suggested.ends_with("yuan-2020 (2).ron"), "{suggested}");
    wait_written(&mut h);
    assert_eq!(std::fs::read_to_string(&ron).unwrap(), before, "the other review is untouched");
    let new = dir.path().join("yuan-2020 (2).ron");
    assert!(new.exists(), "{}", h.state().status());
    assert_eq!(h.state().desk().unwrap().save_path.as_deref(), Some(new.as_path()));
}

#[test]
fn an_applied_suggestion_keeps_the_value_as_read_and_says_who_changed_what() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened("lieshan-2021.txt", dir.path());
    let (i, name) = cell(&h, "applications/granted/natural_person");
    let read = h.state().desk().unwrap().report().cells[i].value.unwrap();
    let wrong = read + 1.0;
    type_into(&mut h, &name, &format!("{wrong}"));
    let k = {
        let desk = h.state().desk().unwrap();
        desk.suggestions().find(|(_, s)| s.changes.iter().any(|c| c.cell == i && c.proposed == read)).unwrap().0
    };
    h.state_mut().push(Action::ApplySuggestion(k));
    h.run();
    let c = h.state().desk().unwrap().report().cells[i].clone();
    assert_eq!(c.value, Some(read));
    assert_eq!(c.original.as_ref().unwrap().value, Some(read), "the original is the value as read");
    // Who changed what, in order: the person, then the suggestion.
    let note = c.note.unwrap_or_default();
    let (by_hand, by_suggestion) = (format!("人工修改：{read} → {wrong}"), format!("采纳建议：{wrong} → {read}"));
    let (a, b) = (note.find(&by_hand), note.find(&by_suggestion));
    assert!(a.is_some() && b.is_some() && a < b, "{note}");
}
