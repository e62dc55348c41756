use super::*;
use crate::model::{Cell, Status};
use crate::template::Template;

fn blank(t: Template) -> Report {
    let zero = Cell { value: Some(0.0), status: Status::Parsed, text: "0".into(), ..Cell::missing() };
    Report {
        source_name: "t.txt".into(),
        organ: None,
        year: Some(2020),
        template: t,
        encoding: "UTF-8".into(),
        text: String::new(),
        cells: vec![zero; t.layout().cells.len()],
        tables: vec![],
        figures: vec![],
        format: "text".into(),
        notes: vec![],
    }
}

fn idx(r: &Report, key: &str) -> usize {
    r.layout().index_of_key(key).unwrap_or_else(|| panic!("{key}"))
}

fn set(r: &mut Report, key: &str, v: f64) {
    let i = idx(r, key);
    r.cells[i].value = Some(v);
    r.cells[i].text = format!("{v}");
}

/// Consistent, with a few non-zero cells.
fn consistent(t: Template) -> Report {
    let mut r = blank(t);
    for (k, v) in [
        ("new_received/natural_person", 20.0),
        ("new_received/commercial", 4.0),
        ("new_received/total", 24.0),
        ("granted/natural_person", 8.0),
        ("granted/total", 8.0),
        ("unavailable.not_held/natural_person", 11.0),
        ("unavailable.not_held/commercial", 4.0),
        ("unavailable.not_held/total", 15.0),
        ("total/natural_person", 19.0),
        ("total/commercial", 4.0),
        ("total/total", 23.0),
        ("carried_forward/natural_person", 1.0),
        ("carried_forward/total", 1.0),
    ] {
        set(&mut r, &format!("applications/{k}"), v);
    }
    set(&mut r, "review/litigation_direct/upheld", 1.0);
    set(&mut r, "review/litigation_direct/total", 1.0);
    r
}

fn run(r: &Report) -> Vec<Suggestion> {
    suggest_report(r)
}

#[test]
fn suggest_nothing_when_nothing_fails() {
    for t in [Template::T2019, Template::T2021] {
        assert!(run(&consistent(t)).is_empty());
    }
}

#[test]
fn suggest_the_one_cell_that_repairs_its_row_and_column() {
    for t in [Template::T2019, Template::T2021] {
        let mut r = consistent(t);
        set(&mut r, "applications/total/total", 32.0);
        let s = run(&r);
        assert_eq!(s.len(), 1, "{s:#?}");
        let i = idx(&r, "applications/total/total");
        assert_eq!(s[0].changes, vec![Change { cell: i, current: Some(32.0), proposed: 23.0 }]);
        assert!(s[0].certain);
        assert!(s[0].confidence > 0.9);
        assert_eq!(s[0].repairs, vec![APPLICATIONS_ROW_SUM_ID, "applications.outcome_sum", "applications.balance"]);
        assert!(s[0].reason.contains("由 32 改为 23"), "{}", s[0].reason);
        assert!(s[0].reason.contains("颠倒"), "{}", s[0].reason);
        let j = s[0].to_json(&r);
        assert_eq!(j["cell"], "applications/total/total");
        assert_eq!(j["current"], json!(32));
        assert_eq!(j["proposed"], json!(23));
        assert_eq!(j["changes"][0]["proposed"], json!(23));
        assert_eq!(j["certain"], json!(true));
        assert_eq!(j["repairs"][0], "applications.row_sum");
        assert!(j["confidence"].as_f64().unwrap() <= 1.0);
        // Applying it is an ordinary edit and repairs everything.
        for (i, c) in s[0].edited_cells(&r) {
            assert_eq!(c.status, Status::Edited);
            assert!(c.note.as_deref().unwrap().starts_with("采纳建议"));
            r.replace_cell(i, c);
        }
        assert!(!crate::checks::fails(&crate::checks::run(&r), false));
    }
}

const APPLICATIONS_ROW_SUM_ID: &str = "applications.row_sum";

#[test]
fn suggest_values_for_cells_without_one() {
    let mut r = consistent(Template::T2019);
    let i = idx(&r, "applications/unavailable.not_held/commercial");
    r.cells[i] = Cell { value: None, status: Status::Unreadable, text: "a".into(), ..Cell::missing() };
    let s = run(&r);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].changes, vec![Change { cell: i, current: None, proposed: 4.0 }]);
    assert!(s[0].certain);
    assert_eq!(s[0].repairs, vec!["cell.unreadable"]);
    assert!(s[0].reason.contains("无法识别（原文“a”）"), "{}", s[0].reason);
    assert!(s[0].to_json(&r)["current"].is_null());
    // A whole row dropped: every cell comes back from its column, confirmed by the row total.
    let mut r = consistent(Template::T2021);
    let row: Vec<usize> = r.layout().row(crate::Table::Applications, "unavailable.not_held").unwrap().collect();
    let want: Vec<f64> = row.iter().map(|&i| r.cells[i].value.unwrap()).collect();
    row.iter().for_each(|&i| r.cells[i] = Cell::missing());
    let s = run(&r);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert!(s[0].certain);
    let got: Vec<f64> = s[0].changes.iter().map(|c| c.proposed).collect();
    assert_eq!(got, want);
}

#[test]
fn suggest_all_equal_explanations_and_none_as_certain() {
    let mut r = consistent(Template::T2019);
    // 表四 has only row sums: 1 0 0 0 1 → 1 0 0 0 7 can be mended in any cell.
    set(&mut r, "review/litigation_direct/total", 7.0);
    let s = run(&r);
    assert!(s.len() >= 2, "{s:#?}");
    assert!(s.iter().all(|x| !x.certain));
    assert!(s[0].reason.contains("种改法同样能使全部核对通过"), "{}", s[0].reason);
    // 7 → 1 is the OCR-like change (1/7).
    assert_eq!(s[0].changes[0].cell, idx(&r, "review/litigation_direct/total"));
    assert_eq!(s[0].changes[0].proposed, 1.0);
    assert!(s.windows(2).all(|w| w[0].confidence >= w[1].confidence));
}

#[test]
fn suggest_ranks_by_the_prose() {
    let mut r = consistent(Template::T2019);
    // 1 0 0 0 1 → 1 0 0 0 3: total 3 → 1, or 结果维持 1 → 3.
    set(&mut r, "review/litigation_direct/total", 3.0);
    let total = idx(&r, "review/litigation_direct/total");
    r.figures = vec![crate::model::Figure {
        cells: vec![total, idx(&r, "review/litigation_after_reconsideration/total")],
        alt_cells: vec![],
        value: 3.0,
        text: "行政诉讼3件".into(),
        span: (0, 0),
    }];
    let s = run(&r);
    assert!(s.iter().all(|x| !x.certain));
    // The prose states the current total: mending the total is last.
    assert_ne!(s[0].changes[0].cell, total, "{s:#?}");
    let last = s.last().unwrap();
    assert_eq!(last.changes[0].cell, total);
    assert!(last.reason.contains("但正文“行政诉讼3件”与原值相符"), "{}", last.reason);
}

#[test]
fn suggest_a_repaired_cell_first() {
    let mut r = consistent(Template::T2019);
    // 1 0 0 0 1 → 2 0 0 0 1: 结果维持 2 → 1 or 总计 1 → 2; the smaller value is the likelier.
    set(&mut r, "review/litigation_direct/upheld", 2.0);
    let up = idx(&r, "review/litigation_direct/upheld");
    let total = idx(&r, "review/litigation_direct/total");
    assert_eq!(run(&r)[0].changes[0].cell, up);
    r.cells[total].status = Status::Repaired;
    r.cells[total].repair = Some("OCR 字符修复：“l”→1".into());
    let s = run(&r);
    assert_eq!(s[0].changes[0].cell, total, "{s:#?}");
    assert!(s[0].reason.contains("自动修复"));
}

#[test]
fn suggest_two_neighbouring_cells_for_a_joined_number() {
    let mut r = consistent(Template::T2019);
    // 11 and 4 read as one number 114, the next cell left 0.
    set(&mut r, "applications/unavailable.not_held/natural_person", 114.0);
    set(&mut r, "applications/unavailable.not_held/commercial", 0.0);
    let s = run(&r);
    assert_eq!(s.len(), 1, "{s:#?}");
    let np = idx(&r, "applications/unavailable.not_held/natural_person");
    assert_eq!(s[0].changes.len(), 2);
    assert_eq!((s[0].changes[0].cell, s[0].changes[0].proposed), (np, 11.0));
    assert_eq!((s[0].changes[1].cell, s[0].changes[1].proposed), (np + 1, 4.0));
    assert!(s[0].certain);
    assert!(s[0].reason.contains("连读"), "{}", s[0].reason);
}

#[test]
fn suggest_two_faults_apart_but_never_as_certain() {
    let mut r = consistent(Template::T2019);
    set(&mut r, "applications/total/total", 32.0);
    set(&mut r, "applications/granted/natural_person", 6.0);
    let s = run(&r);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].changes.len(), 2);
    assert!(!s[0].certain);
    // A third fault: only the parts that explain themselves are offered.
    set(&mut r, "applications/carried_forward/commercial", 3.0);
    let s = run(&r);
    assert!(!s.is_empty());
    assert!(s.iter().all(|x| !x.certain && x.changes.len() == 1), "{s:#?}");
    assert_eq!(s[0].changes[0].proposed, 23.0);
    assert!(s[0].reason.contains("可能不止一处有误"), "{}", s[0].reason);
}

#[test]
fn suggest_is_empty_for_an_active_cell_without_value() {
    let mut r = consistent(Template::T2019);
    let i = idx(&r, "active/regulations/new_made");
    r.cells[i] = Cell::missing();
    assert!(run(&r).is_empty());
}

#[test]
fn suggest_a_fill_and_a_change_together() {
    let mut r = consistent(Template::T2021);
    let row: Vec<usize> = r.layout().row(crate::Table::Applications, "granted").unwrap().collect();
    row.iter().for_each(|&i| r.cells[i] = Cell::missing());
    set(&mut r, "applications/carried_forward/total", 7.0);
    let s = run(&r);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert!(s[0].certain);
    assert_eq!(s[0].changes.len(), 8);
    let cf = idx(&r, "applications/carried_forward/total");
    assert!(s[0].changes.contains(&Change { cell: cf, current: Some(7.0), proposed: 1.0 }));
    assert!(s[0].changes.contains(&Change { cell: row[0], current: None, proposed: 8.0 }));
    assert_eq!(s[0].repairs, vec!["applications.row_sum", "applications.balance", "cell.unreadable"]);
}

#[test]
fn suggest_the_fills_the_sums_pin_down_when_others_stay_open() {
    let mut r = consistent(Template::T2019);
    // Two outcome rows without values: only the columns whose total is 0 are pinned down.
    for row in ["granted", "unavailable.not_held"] {
        let cells: Vec<usize> = r.layout().row(crate::Table::Applications, row).unwrap().collect();
        cells.iter().for_each(|&i| r.cells[i] = Cell::missing());
    }
    let s = run(&r);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert!(!s[0].certain);
    assert!(s[0].changes.iter().all(|c| c.proposed == 0.0 && c.current.is_none()));
    assert_eq!(s[0].changes.len(), 8);
    assert!(s[0].reason.contains("无法由合计唯一确定"), "{}", s[0].reason);
    assert!(s[0].reason.contains("有 4 个格缺失或无法识别，应依次为：科研机构 0"), "{}", s[0].reason);
}

#[test]
fn suggest_repairs_the_prose_figure_it_restores() {
    let mut r = consistent(Template::T2019);
    set(&mut r, "review/litigation_direct/total", 7.0);
    let total = idx(&r, "review/litigation_direct/total");
    r.figures = vec![crate::model::Figure {
        cells: vec![total, idx(&r, "review/litigation_after_reconsideration/total")],
        alt_cells: vec![],
        value: 1.0,
        text: "行政诉讼1件".into(),
        span: (0, 0),
    }];
    let s = run(&r);
    assert_eq!(s[0].changes[0].cell, total, "{s:#?}");
    assert_eq!(s[0].repairs, vec!["review.row_sum", "narrative.matches_table"]);
    assert!(s[0].reason.contains("正文“行政诉讼1件”与改后的表格相符"), "{}", s[0].reason);
    assert!(!s[0].certain);
}
