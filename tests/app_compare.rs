//! The compare view (issue 4) driven headlessly with egui_kittest: two fixtures opened through
//! the real path, found by their accessible names.

use crate::common::{fixture, harness, wait_loaded, wait_written};
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use nianbao::app::{Action, NianbaoApp, Options, compare_cell_name};
use nianbao::compare::Side;
use nianbao::template::Table;
use std::path::{Path, PathBuf};

/// lieshan-2021 and lieshan-2020, later year first, as `nianbao A B` would open them.
fn opened(recovery: &Path) -> Harness<'static, NianbaoApp> {
    let files = vec![fixture("lieshan-2021.txt"), fixture("lieshan-2020.txt")];
    let mut h = harness(NianbaoApp::new(files, Options::headless(Some(recovery.to_path_buf()))));
    wait_loaded(&mut h);
    assert!(h.state().error().is_none(), "{:?}", h.state().error());
    assert!(h.state().compare().is_some(), "the compare view is shown");
    h
}

/// The aligned row of `table` with the later report's `row`/`col`.
fn row_label(h: &Harness<'_, NianbaoApp>, table: Table, row: &str, col: &str) -> (&'static str, usize, usize) {
    let cd = h.state().compare().unwrap();
    let r = cd.comparison().table(table).find(|r| r.row == row && r.col == col).expect("aligned row");
    (r.label, r.earlier_cells[0], r.later_cells[0])
}

fn carry_failures(h: &Harness<'_, NianbaoApp>) -> usize {
    let cd = h.state().compare().unwrap();
    cd.comparison().cross_year().filter(|c| c.id == "years.carry" && !c.passed).count()
}

#[test]
fn two_files_open_side_by_side_in_year_order() {
    let dir = tempfile::tempdir().unwrap();
    let h = opened(dir.path());
    let cd = h.state().compare().unwrap();
    assert_eq!(cd.desk(Side::Earlier).report().year, Some(2020));
    assert_eq!(cd.desk(Side::Later).report().year, Some(2021));
    assert!(h.state().title().contains("lieshan-2020.txt ↔ lieshan-2021.txt"), "{}", h.state().title());
    // The columns are headed by the years, the earlier first.
    assert!(h.get_all_by_label("2020年").count() >= 1);
    assert!(h.get_all_by_label("2021年").count() >= 1);
    // The cross-year checks are listed, and years.carry passes (结转 1 = 上年结转 1).
    h.get_by_label("跨年度检查");
    let carry: Vec<_> = cd.comparison().cross_year().filter(|c| c.id == "years.carry").collect();
    assert!(!carry.is_empty());
    assert!(carry.iter().all(|c| c.passed), "{carry:?}");
    assert!(cd.comparison().cross_year().all(|c| c.passed));
    assert!(h.query_by_label_contains("跨年度结转（“总计”列）：1 = 1").is_some());
    // No warning about organs or years.
    assert_eq!(cd.warnings().count(), 0);
    // The chart is there (its legend names both years).
    assert!(cd.comparison().outcome_totals().count() > 0);
}

#[test]
fn an_edit_on_the_earlier_side_fails_years_carry_and_undo_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened(dir.path());
    assert_eq!(carry_failures(&h), 0);
    let (label, e, _) = row_label(&h, Table::Applications, "carried_forward", "total");
    let name = compare_cell_name(Side::Earlier, label);
    let before = h.state().compare().unwrap().desk(Side::Earlier).report().cells[e].clone();
    assert_eq!(h.get_by_label(&name).value().as_deref(), Some("1"));

    h.get_by_label(&name).focus();
    h.run();
    h.get_by_label(&name).set_text_value_accesskit("2");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    {
        let cd = h.state().compare().unwrap();
        assert_eq!(cd.desk(Side::Earlier).report().cells[e].value, Some(2.0));
        assert!(cd.desk(Side::Earlier).is_dirty());
        assert!(!cd.desk(Side::Later).is_dirty());
    }
    assert_eq!(carry_failures(&h), 1);
    assert!(h.state().title().ends_with(" *"));
    // The failure is listed first, in Chinese, naming both years' cells; clicking it selects them.
    let check = {
        let cd = h.state().compare().unwrap();
        let listed = cd.listed();
        cd.comparison().checks[listed[0]].clone()
    };
    assert_eq!(check.id, "years.carry");
    assert!(check.message.contains("结转下年度继续办理"), "{}", check.message);
    assert!(check.cells.iter().any(|c| c.0 == Side::Earlier) && check.cells.iter().any(|c| c.0 == Side::Later));
    h.get_by_label(&check.message).click();
    h.run();
    assert_eq!(h.state().compare().unwrap().selection().cells, check.cells);

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let cd = h.state().compare().unwrap();
    assert_eq!(cd.desk(Side::Earlier).report().cells[e], before);
    assert_eq!(carry_failures(&h), 0);
    assert!(!cd.is_dirty());
    assert_eq!(h.get_by_label(&name).value().as_deref(), Some("1"));

    // Redo, then save: only the edited side is written, as its own .ron.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(carry_failures(&h), 1);
}

#[test]
fn saving_writes_the_edited_side_to_its_own_ron() {
    let dir = tempfile::tempdir().unwrap();
    // Copies in a temporary folder, so the .ron lands there.
    for f in ["lieshan-2020.txt", "lieshan-2021.txt"] {
        std::fs::copy(fixture(f), dir.path().join(f)).unwrap();
    }
    let files = vec![dir.path().join("lieshan-2021.txt"), dir.path().join("lieshan-2020.txt")];
    let mut h = harness(NianbaoApp::new(files, Options::headless(Some(dir.path().join("rec")))));
    wait_loaded(&mut h);
    let (label, _, l) = row_label(&h, Table::Applications, "carried_over", "total");
    h.state_mut().push(Action::CompareEdit { side: Side::Later, cell: l, text: "5".into() });
    h.run();
    assert_eq!(carry_failures(&h), 1);
    assert_eq!(h.get_by_label(&compare_cell_name(Side::Later, label)).value().as_deref(), Some("5"));
    h.state_mut().hold_writes(true);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(h.state().is_writing());
    assert!(h.state().compare().unwrap().is_dirty(), "saved only once written");
    h.state_mut().hold_writes(false);
    wait_written(&mut h);
    assert!(dir.path().join("lieshan-2021.ron").exists(), "{}", h.state().status());
    assert!(!dir.path().join("lieshan-2020.ron").exists());
    assert!(!h.state().compare().unwrap().is_dirty());
    let saved = nianbao::document::load_path(&dir.path().join("lieshan-2021.ron")).unwrap();
    assert_eq!(saved.cells[l].value, Some(5.0));
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
fn dropping_a_second_report_offers_to_compare_it_with_the_open_one() {
    let dir = tempfile::tempdir().unwrap();
    let files = vec![fixture("lieshan-2021.txt")];
    let mut h = harness(NianbaoApp::new(files, Options::headless(Some(dir.path().to_path_buf()))));
    wait_loaded(&mut h);
    assert!(h.state().compare().is_none());
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(fixture("lieshan-2020.txt"))));
    h.step();
    h.run();
    h.get_by_label("与当前报告对比").click();
    h.run();
    wait_loaded(&mut h);
    let cd = h.state().compare().expect("the compare view is shown");
    assert_eq!(cd.desk(Side::Earlier).report().year, Some(2020));
    assert_eq!(cd.desk(Side::Later).report().year, Some(2021));
    // Closing the compare view goes back to the later report on the single desk.
    h.state_mut().push(Action::CloseCompare);
    h.run();
    assert!(h.state().compare().is_none());
    assert_eq!(h.state().desk().unwrap().report().year, Some(2021));
}

/// The desk's failed-check list offers the suggested corrections: 应用 is one undoable edit,
/// 忽略 hides the suggestion for this review.
#[test]
fn a_suggestion_is_applied_as_one_undoable_edit_or_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let files = vec![fixture("lieshan-2021.txt")];
    let mut h = harness(NianbaoApp::new(files, Options::headless(Some(dir.path().to_path_buf()))));
    wait_loaded(&mut h);
    let i = h.state().desk().unwrap().report().layout().index_of_key("applications/granted/natural_person").unwrap();
    let before = h.state().desk().unwrap().report().cells[i].clone();
    let wrong = before.value.unwrap() + 50.0;
    h.state_mut().push(Action::Edit { cell: i, text: format!("{wrong}") });
    h.run();
    let (k, reason, proposed) = {
        let desk = h.state().desk().unwrap();
        assert!(!desk.failed().is_empty());
        let (k, s) = desk.suggestions().next().expect("a suggestion for the failed sums");
        assert!(s.changes.iter().any(|c| c.cell == i), "{s:?}");
        (k, s.reason.clone(), s.changes.iter().find(|c| c.cell == i).unwrap().proposed)
    };
    assert_eq!(proposed, before.value.unwrap());
    h.get_by_label("建议的更正");
    let undo_before = h.state().desk().unwrap().undo_len();
    h.get_all_by_label("应用").next().unwrap().click();
    h.run();
    {
        let desk = h.state().desk().unwrap();
        let c = &desk.report().cells[i];
        assert_eq!(c.value, before.value);
        assert_eq!(c.status, nianbao::model::Status::Edited);
        assert!(c.note.as_deref().unwrap_or("").contains(&reason), "{:?}", c.note);
        assert_eq!(desk.undo_len(), undo_before + 1);
        assert!(desk.failed().is_empty());
        assert_eq!(desk.suggestions().count(), 0);
    }
    // Undo takes the whole suggestion back in one step.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().desk().unwrap().report().cells[i].value, Some(wrong));
    assert!(h.state().desk().unwrap().suggestions().any(|(j, _)| j == k));
    // 忽略 hides it (the failure stays).
    let n = h.state().desk().unwrap().suggestions().count();
    h.get_all_by_label("忽略").next().unwrap().click();
    h.run();
    let desk = h.state().desk().unwrap();
    assert_eq!(desk.suggestions().count(), n - 1);
    assert!(!desk.failed().is_empty());
}

#[test]
fn the_comparison_exports_beside_the_later_report() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("lieshan-2021.txt"), dir.path().join("lieshan-2020.txt"));
    std::fs::copy(fixture("lieshan-2021.txt"), &a).unwrap();
    std::fs::copy(fixture("lieshan-2020.txt"), &b).unwrap();
    let mut h = harness(NianbaoApp::new(vec![a, b], Options::headless(Some(dir.path().join("rec")))));
    wait_loaded(&mut h);
    for (action, ext) in [(Action::ExportCsv, "csv"), (Action::ExportJson, "json")] {
        h.state_mut().push(action);
        h.run();
        wait_written(&mut h);
        let out = dir.path().join(format!("对比-lieshan-2020-lieshan-2021.{ext}"));
        let text =
            std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{}: {e}; {}", out.display(), h.state().status()));
        if ext == "csv" {
            assert!(text.starts_with("\u{feff}table,row,col,label,earlier,later,change,change_pct"), "{}", &text[..80]);
        } else {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["earlier"]["year"], 2020);
            assert!(v["checks"].as_array().unwrap().iter().any(|c| c["id"] == "years.carry" && c["passed"] == true));
        }
    }
}

#[test]
fn only_changed_rows_by_default_with_the_count_of_hidden_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened(dir.path());
    let cd = h.state().compare().unwrap();
    assert!(cd.only_changed);
    let hidden = cd.hidden_rows();
    assert!(hidden > 0);
    let unchanged = cd
        .comparison()
        .table(Table::Applications)
        .find(|r| !r.changed() && r.one_sided().is_none() && !cd.shows(r))
        .map(|r| compare_cell_name(Side::Later, r.label))
        .expect("an unchanged row");
    assert!(h.query_by_label(&unchanged).is_none(), "hidden");
    h.get_by_label(&format!("已隐藏 {hidden} 行未变化"));
    h.get_by_label("只看变化").click();
    h.run();
    assert!(!h.state().compare().unwrap().only_changed);
    assert!(h.query_by_label(&unchanged).is_some(), "shown again");
    assert!(h.query_by_label_contains("已隐藏").is_none());
}

#[test]
fn clicking_a_cross_year_check_brings_both_sides_cells_into_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened(dir.path());
    // Break years.carry: 2020's 结转下年度 (end of table 三) against 2021's 上年结转 (its start).
    let (label, e, _) = row_label(&h, Table::Applications, "carried_forward", "total");
    h.state_mut().push(Action::CompareEdit { side: Side::Earlier, cell: e, text: "9".into() });
    h.run();
    let check = {
        let cd = h.state().compare().unwrap();
        cd.comparison().checks[cd.listed()[0]].clone()
    };
    assert_eq!(check.id, "years.carry");
    h.get_by_label(&check.message).click();
    for _ in 0..10 {
        h.step();
    }
    h.run();
    let view = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0));
    let later = h
        .state()
        .compare()
        .unwrap()
        .comparison()
        .table(Table::Applications)
        .find(|r| r.later_cells.iter().any(|&i| check.cells.contains(&(Side::Later, i))))
        .map(|r| compare_cell_name(Side::Later, r.label))
        .unwrap();
    let earlier = compare_cell_name(Side::Earlier, label);
    // The first of its cells in the tables is scrolled into view (both, when they fit)…
    let in_view = |name: &str| {
        let r = h.get_by_label(name).rect();
        view.contains_rect(r) && r.top() > 60.0
    };
    assert!(in_view(&later) || in_view(&earlier));
    // …and both years' cells are named with their values above the tables.
    let cd = h.state().compare().unwrap();
    for &(side, i) in &check.cells {
        let d = cd.desk(side);
        let v = d.report().cells[i].value.unwrap();
        let text = format!("{} {}：{}", cd.year_label(side), d.name(i), v as i64);
        assert!(h.query_by_label(&text).is_some(), "{text}");
    }
}

#[test]
fn a_value_edited_in_the_compare_view_is_kept_in_the_recovery_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = opened(dir.path());
    let (_, e, _) = row_label(&h, Table::Applications, "carried_forward", "total");
    h.state_mut().push(Action::CompareEdit { side: Side::Earlier, cell: e, text: "9".into() });
    h.run();
    h.state_mut().sync_recovery();
    let found = NianbaoApp::new(Vec::new(), Options::headless(Some(dir.path().to_path_buf())));
    let offer = found.recovery_offer().expect("the compare view's edit was written for recovery");
    assert!(offer.source_path.as_ref().is_some_and(|p| p.ends_with("lieshan-2020.txt")), "{offer:?}");
    let saved = nianbao::load_path(&offer.file).unwrap();
    assert_eq!(saved.cells[e].value, Some(9.0));
}
