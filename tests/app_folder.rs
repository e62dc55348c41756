//! The supervisor's folder view, driven headlessly with egui_kittest: a folder of the shared
//! samples plus damaged copies listed in the background with the counts `nianbao check` gives,
//! sorting and filtering, opening a report beside the list, next / previous with the unsaved
//! prompt, the state after a save and in a folder reopened, pairs of years, exports, launch
//! paths and a dropped folder.

use crate::common::{fixture, harness, wait_loaded, wait_written};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::{Action, AfterConfirm, Answer, Column, FolderRow, NianbaoApp, Options, RowState};
use nianbao::batch;
use std::path::{Path, PathBuf};

const SAMPLES: &str = "/work/shared/samples";
const NAMES: [&str; 6] = ["huaian-2024", "lieshan-2020", "lieshan-2021", "lishi-2020", "shanghai-2019", "yuan-2020"];

/// The shared samples (or the fixtures of the same names when the shared folder is absent),
/// plus damaged copies: a total changed, an empty file, a PDF cut short.
fn sample_folder(dir: &Path) {
    for n in NAMES {
        let shared = Path::new(SAMPLES).join(format!("{n}.txt"));
        let src = if shared.exists() { shared } else { fixture(&format!("{n}.txt")) };
        std::fs::copy(&src, dir.join(format!("{n}.txt"))).unwrap();
    }
    let text = std::fs::read_to_string(fixture("yuan-2020.txt")).unwrap();
    let damaged = text.replacen("(七) 总计\t12", "(七) 总计\t13", 1);
    assert_ne!(damaged, text);
    std::fs::write(dir.join("yuan-2020-damaged.txt"), damaged).unwrap();
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("cut.pdf"), b"%PDF-1.7\n1 0 obj << /Type /Catalog").unwrap();
}

/// Type `path` into the in-app file dialog and press Enter.
fn choose_path(h: &mut Harness<'_, NianbaoApp>, path: &Path) {
    h.get_by_label("文件路径").focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    for c in path.display().to_string().chars() {
        h.event(egui::Event::Text(c.to_string()));
    }
    h.run();
    h.key_press(Key::Enter);
    h.step();
}

fn folder_harness(paths: Vec<PathBuf>, recovery: &Path) -> Harness<'static, NianbaoApp> {
    let app = NianbaoApp::new(paths, Options::headless(Some(recovery.to_path_buf())));
    let mut h = harness(app);
    wait_loaded(&mut h);
    assert!(h.state().folder().is_some(), "a folder's list is shown");
    h
}

fn row<'a>(h: &'a Harness<'_, NianbaoApp>, name: &str) -> (usize, &'a FolderRow) {
    let f = h.state().folder().expect("a folder's list");
    f.rows.iter().enumerate().find(|(_, r)| r.file_name() == name).unwrap_or_else(|| panic!("{name} listed"))
}

/// The file names in the order the list shows them.
fn shown(h: &mut Harness<'_, NianbaoApp>) -> Vec<String> {
    let order = h.state_mut().folder_order();
    let f = h.state().folder().unwrap();
    order.iter().map(|&i| f.rows[i].file_name().to_string()).collect()
}

/// Open `name` by clicking it in the list and wait for it beside the list.
fn open(h: &mut Harness<'_, NianbaoApp>, name: &str) {
    h.get_by_label(name).click();
    h.step();
    wait_loaded(h);
    let (i, _) = row(h, name);
    assert_eq!(h.state().folder().unwrap().current, Some(i));
    assert!(h.state().desk().is_some_and(|d| d.source_path.as_ref().is_some_and(|p| p.ends_with(name))));
}

/// Change one value of the report open beside the list (through the app's one edit path).
fn edit(h: &mut Harness<'_, NianbaoApp>, key: &str, text: &str) {
    let i = h.state().desk().unwrap().report().layout().index_of_key(key).unwrap();
    h.state_mut().push(Action::Edit { cell: i, text: text.into() });
    h.run();
    assert!(h.state().desk().unwrap().is_dirty());
}

#[test]
fn a_folder_lists_each_report_with_the_counts_of_nianbao_check_sorted_by_errors() {
    let dir = tempfile::tempdir().unwrap();
    sample_folder(dir.path());
    let mut h = folder_harness(vec![dir.path().to_path_buf()], &dir.path().join("rec"));
    let f = h.state().folder().unwrap();
    assert_eq!(f.rows.len(), 9);
    for r in &f.rows {
        let check = batch::check_one(&r.path, false);
        assert!(r.loaded);
        assert_eq!(r.error.is_some(), check.error.is_some(), "{}: {:?} / {:?}", r.file_name(), r.error, check.error);
        assert_eq!((r.errors, r.warnings), (check.errors, check.warnings), "{}", r.file_name());
        assert_eq!((&r.organ, r.year), (&check.organ, check.year), "{}", r.file_name());
        assert_eq!(r.state, RowState::Unseen);
    }
    let (_, damaged) = row(&h, "yuan-2020-damaged.txt");
    assert!(damaged.errors > 0 && damaged.todo > 0 && damaged.fails());
    assert_eq!(row(&h, "huaian-2024.txt").1.format, "text");
    // By errors: the unreadable first, then the most errors; every row drawn has its name.
    let names = shown(&mut h);
    let errors = |h: &Harness<'_, NianbaoApp>, n: &str| row(h, n).1.errors;
    assert!(names[..2].contains(&"empty.txt".to_string()) && names[..2].contains(&"cut.pdf".to_string()));
    assert!(names[2..].windows(2).all(|w| errors(&h, &w[0]) >= errors(&h, &w[1])), "{names:?}");
    assert!(h.query_all_by_label("无法读取").count() >= 2);
    // Sortable by any column: by file name, then the other way.
    h.state_mut().push(Action::FolderSort(Column::File));
    h.run();
    let by_name = shown(&mut h);
    let mut sorted = by_name.clone();
    sorted.sort();
    assert_eq!(by_name, sorted);
    h.get_by_label_contains("文件 ↑").click();
    h.run();
    sorted.reverse();
    assert_eq!(shown(&mut h), sorted);
    // 只看未通过, and a text filter (file or organ).
    h.get_by_label("只看未通过").click();
    h.run();
    let failing = shown(&mut h);
    assert!(failing.contains(&"yuan-2020-damaged.txt".to_string()) && failing.contains(&"empty.txt".to_string()));
    assert!(failing.iter().all(|n| row(&h, n).1.fails()));
    assert!(!failing.contains(&"lieshan-2021.txt".to_string()) || row(&h, "lieshan-2021.txt").1.fails());
    h.state_mut().push(Action::FolderFilter("damaged".into()));
    h.run();
    assert_eq!(shown(&mut h), vec!["yuan-2020-damaged.txt".to_string()]);
}

#[test]
fn next_with_an_unsaved_edit_asks_first_and_the_state_follows_edits_and_saves() {
    let dir = tempfile::tempdir().unwrap();
    sample_folder(dir.path());
    let mut h = folder_harness(vec![dir.path().to_path_buf()], &dir.path().join("rec"));
    h.state_mut().push(Action::FolderSort(Column::File));
    h.run();
    open(&mut h, "lieshan-2020.txt");
    edit(&mut h, "applications/carried_forward/natural_person", "77");
    assert_eq!(row(&h, "lieshan-2020.txt").1.state, RowState::Edited);
    // Ctrl+PgDn: the next report of the list, after “save changes?”.
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.run();
    let (next, _) = row(&h, "lieshan-2021.txt");
    assert_eq!(h.state().asking(), Some(&AfterConfirm::OpenEntry(next)));
    h.state_mut().push(Action::Confirm(Answer::Cancel));
    h.run();
    assert!(h.state().desk().unwrap().is_dirty());
    // Saved: NAME.ron beside the report, no dialog; the row says 已保存.
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    wait_written(&mut h);
    let ron = dir.path().join("lieshan-2020.ron");
    assert!(ron.exists(), "{}", h.state().status());
    let (_, r) = row(&h, "lieshan-2020.txt");
    assert_eq!(r.review.as_deref(), Some(ron.as_path()));
    assert!(matches!(r.state, RowState::Saved | RowState::Reviewed), "{:?}", r.state);
    // An unreadable report is passed over by Ctrl+PgDn: it says why, and the next key goes on.
    let mut fresh = folder_harness(vec![dir.path().to_path_buf()], &dir.path().join("rec3"));
    let first = shown(&mut fresh)[0].clone();
    assert!(row(&fresh, &first).1.error.is_some());
    fresh.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    fresh.step();
    wait_loaded(&mut fresh);
    assert!(fresh.state().error().is_some_and(|e| e.contains(&first)));
    fresh.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    fresh.step();
    wait_loaded(&mut fresh);
    let second = shown(&mut fresh)[1].clone();
    assert_eq!(fresh.state().folder().unwrap().current, Some(row(&fresh, &second).0));
    // Now Ctrl+PgDn goes without asking; Ctrl+PgUp comes back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
    h.step();
    wait_loaded(&mut h);
    assert_eq!(h.state().folder().unwrap().current, Some(next));
    assert!(h.state().asking().is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::PageUp);
    h.step();
    wait_loaded(&mut h);
    let desk = h.state().desk().unwrap();
    assert_eq!(desk.save_path.as_deref(), Some(ron.as_path()), "the saved review is what opens");
    let i = desk.report().layout().index_of_key("applications/carried_forward/natural_person").unwrap();
    assert_eq!(desk.report().cells[i].value, Some(77.0));

    // The folder reopened shows where each report stands; the .ron is not a row of its own.
    let again = folder_harness(vec![dir.path().to_path_buf()], &dir.path().join("rec2"));
    assert_eq!(again.state().folder().unwrap().rows.len(), 9);
    let (_, r) = row(&again, "lieshan-2020.txt");
    assert_eq!(r.review.as_deref(), Some(ron.as_path()));
    assert!(matches!(r.state, RowState::Saved | RowState::Reviewed));
    assert_eq!(row(&again, "lieshan-2021.txt").1.state, RowState::Unseen);
    let _ = again.query_by_label("已保存").or(again.query_by_label("已审完")).expect("the state drawn");
}

#[test]
fn every_entry_marked_makes_a_saved_report_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    sample_folder(dir.path());
    let mut h = folder_harness(vec![dir.path().to_path_buf()], &dir.path().join("rec"));
    open(&mut h, "yuan-2020-damaged.txt");
    let todo = h.state().desk().unwrap().todo().len();
    assert!(todo > 0);
    for _ in 0..todo {
        h.state_mut().push(Action::NextEntry);
        h.run();
        h.state_mut().push(Action::MarkReviewed);
        h.run();
    }
    assert!(h.state().desk().unwrap().todo().is_empty());
    assert_eq!(row(&h, "yuan-2020-damaged.txt").1.todo, 0);
    h.state_mut().push(Action::Save);
    h.run();
    wait_written(&mut h);
    assert_eq!(row(&h, "yuan-2020-damaged.txt").1.state, RowState::Reviewed);
}

#[test]
fn two_years_of_one_body_open_side_by_side_and_back_to_the_list() {
    let dir = tempfile::tempdir().unwrap();
    sample_folder(dir.path());
    let mut h = folder_harness(vec![dir.path().to_path_buf()], &dir.path().join("rec"));
    let (a, _) = row(&h, "lieshan-2020.txt");
    let (b, _) = row(&h, "lieshan-2021.txt");
    let button = h.get_all_by_label("对比 2020").count();
    assert_eq!(button, 1, "the 2021 report offers its 2020 partner");
    h.get_by_label("对比 2020").click();
    h.step();
    wait_loaded(&mut h);
    let cd = h.state().compare().expect("the compare view");
    assert!(cd.desk(nianbao::compare::Side::Earlier).source_path.as_ref().unwrap().ends_with("lieshan-2020.txt"));
    assert!(cd.desk(nianbao::compare::Side::Later).source_path.as_ref().unwrap().ends_with("lieshan-2021.txt"));
    let _ = (a, b);
    h.state_mut().push(Action::CloseCompare);
    h.run();
    assert!(h.state().folder().is_some(), "关闭对比 returns to the list");
}

#[test]
fn the_folders_findings_and_workbook_are_exported_from_the_list() {
    let dir = tempfile::tempdir().unwrap();
    sample_folder(dir.path());
    let mut h = folder_harness(vec![dir.path().to_path_buf()], &dir.path().join("rec"));
    let csv = dir.path().join("out").join("问题清单.csv");
    std::fs::create_dir_all(csv.parent().unwrap()).unwrap();
    h.get_by_label("导出问题清单…").click();
    h.run();
    // No native dialog here: the in-app one, suggesting 问题清单.xlsx in the folder.
    let suggested = h.get_by_label("文件路径").value().unwrap();
    assert!(suggested.ends_with("问题清单.xlsx"), "{suggested}");
    choose_path(&mut h, &csv);
    wait_written(&mut h);
    let text = std::fs::read_to_string(&csv).unwrap();
    let failed: usize =
        h.state().folder().unwrap().rows.iter().filter(|r| r.error.is_none()).map(|r| r.errors + r.warnings).sum();
    assert_eq!(text.lines().count(), 1 + failed, "one header line and one line per failed check");
    assert!(text.contains("yuan-2020-damaged.txt"));
    let xlsx = dir.path().join("out").join("all.xlsx");
    h.state_mut().push(Action::ExportFolderWorkbook);
    h.run();
    choose_path(&mut h, &xlsx);
    wait_written(&mut h);
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[0], "汇总");
    let summary = wb.worksheet_range("汇总").unwrap();
    assert_eq!(summary.height(), 1 + 9, "a header and one row per report");
}

#[test]
fn three_files_or_a_dropped_folder_open_the_list_and_two_still_compare() {
    let dir = tempfile::tempdir().unwrap();
    sample_folder(dir.path());
    let files: Vec<PathBuf> =
        ["lieshan-2020.txt", "lieshan-2021.txt", "yuan-2020.txt"].iter().map(|n| dir.path().join(n)).collect();
    let h = folder_harness(files.clone(), &dir.path().join("rec"));
    assert_eq!(h.state().folder().unwrap().rows.len(), 3);

    let app = NianbaoApp::new(files[..2].to_vec(), Options::headless(Some(dir.path().join("rec2"))));
    let mut two = harness(app);
    wait_loaded(&mut two);
    assert!(two.state().compare().is_some());

    // A folder dropped on an open report.
    let app = NianbaoApp::new(vec![files[2].clone()], Options::headless(Some(dir.path().join("rec3"))));
    let mut one = harness(app);
    wait_loaded(&mut one);
    one.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(dir.path().to_path_buf())));
    one.step();
    wait_loaded(&mut one);
    assert_eq!(one.state().folder().map(|f| f.rows.len()), Some(9));

    // 文件 → 打开文件夹… (Ctrl+Shift+O): the in-app dialog takes the folder typed.
    let app = NianbaoApp::new(vec![files[2].clone()], Options::headless(Some(dir.path().join("rec4"))));
    let mut menu = harness(app);
    wait_loaded(&mut menu);
    menu.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::O);
    menu.run();
    choose_path(&mut menu, dir.path());
    wait_loaded(&mut menu);
    assert_eq!(menu.state().folder().map(|f| f.rows.len()), Some(9));
    // The folder is a recent file; opening it from there (here from the compare view) opens
    // the list again.
    assert_eq!(menu.state().recent().first(), Some(&dir.path().canonicalize().unwrap()));
    two.state_mut().push(Action::Open(dir.path().to_path_buf()));
    two.step();
    wait_loaded(&mut two);
    assert_eq!(two.state().folder().map(|f| f.rows.len()), Some(9));
    assert!(two.state().error().is_none());
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        Err("a folder".into())
    }
}
