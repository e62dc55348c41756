//! Two years side by side, on the real samples.

use nianbao::compare::{self, AlignedRow, Comparison, ONLY_2019, ONLY_2021, OTHER_SUM, STOCK, Side, SideCheck};
use nianbao::{Report, Severity, Table, Template, load_bytes};

fn text(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn open(name: &str) -> Report {
    load_bytes(text(name).as_bytes(), &format!("{name}.txt")).unwrap()
}

fn row<'c>(c: &'c Comparison, table: Table, row: &str, col: &str) -> &'c AlignedRow {
    c.rows
        .iter()
        .find(|r| r.table == table && r.row == row && r.col == col)
        .unwrap_or_else(|| panic!("no row {row}/{col}"))
}

fn cross<'c>(c: &'c Comparison, id: &str, scope: (&str, &str)) -> &'c SideCheck {
    c.cross_year()
        .find(|k| k.id == id && k.scope.iter().any(|(a, b)| *a == scope.0 && b == scope.1))
        .unwrap_or_else(|| panic!("no {id} {scope:?}"))
}

fn names(c: &Comparison, k: &SideCheck) -> Vec<String> {
    k.cells.iter().map(|&(s, i)| c.cell_key(s, i)).collect()
}

#[test]
fn lieshan_2020_and_2021_agree_across_the_years() {
    let (a, b) = (open("lieshan-2020"), open("lieshan-2021"));
    let c = compare::compare(&a, &b);
    assert!(!c.swapped);
    assert_eq!((c.earlier_template, c.later_template), (Template::T2019, Template::T2021));

    let carry = cross(&c, "years.carry", ("col", "total"));
    assert!(carry.passed, "{carry:?}");
    assert_eq!((carry.lhs, carry.rhs), (Some(1.0), Some(1.0)));
    assert_eq!(
        names(&c, carry),
        ["earlier:applications/carried_forward/total", "later:applications/carried_over/total"]
    );
    assert!(c.cross_year().filter(|k| k.id == "years.carry").all(|k| k.passed));
    assert_eq!(c.cross_year().filter(|k| k.id == "years.carry").count(), 7);

    let docs = cross(&c, "years.in_force", ("row", "normative_documents"));
    assert!(docs.passed, "{docs:?}");
    assert_eq!((docs.lhs, docs.rhs), (Some(63.0), Some(63.0)), "59 + 4 − 0 = 63");
    assert_eq!(docs.severity, Severity::Warning);
    assert_eq!(
        names(&c, docs),
        [
            "earlier:active/normative_documents/total_published",
            "later:active/normative_documents/issued",
            "later:active/normative_documents/repealed",
            "later:active/normative_documents/in_force"
        ]
    );
    // Same organ, consecutive years; no 2019→2019 continuity across templates.
    assert!(cross(&c, "years.organ", ("earlier", a.organ.as_deref().unwrap())).passed);
    assert!(c.cross_year().any(|k| k.id == "years.same_year" && k.passed));
    assert!(!c.cross_year().any(|k| k.id == "years.prev_items"));
    assert!(!c.cross_year().any(|k| !k.passed), "{:?}", c.cross_year().filter(|k| !k.passed).collect::<Vec<_>>());

    // The single-report checks of each side come along, prefixed.
    assert!(c.checks.iter().any(|k| k.side == Some(Side::Earlier) && k.id == "applications.balance"));
    assert!(c.checks.iter().any(|k| k.side == Some(Side::Later) && k.id == "applications.balance"));
    assert_eq!(compare::exit_code(&c, false), 0);
}

#[test]
fn reports_given_in_reverse_are_put_in_year_order() {
    let (a, b) = (open("lieshan-2021"), open("lieshan-2020"));
    let c = compare::compare(&a, &b);
    assert!(c.swapped);
    assert_eq!(c.earlier(&a, &b).year, Some(2020));
    assert_eq!(c.later(&a, &b).year, Some(2021));
    assert_eq!(c.earlier_template, Template::T2019);
    assert!(cross(&c, "years.carry", ("col", "total")).passed);
    let v = compare::to_value(&c, &a, &b);
    assert_eq!(v["earlier"]["year"], 2020);
    assert_eq!(v["later"]["year"], 2021);
    assert_eq!(v["earlier"]["file"], "lieshan-2020.txt");
    assert_eq!(v["earlier"]["template"], 2019);
    // The same comparison as given in order.
    let d = compare::compare(&b, &a);
    assert_eq!(c.rows, d.rows);
    assert_eq!(c.checks, d.checks);
}

#[test]
fn a_changed_carry_fails_and_names_both_cells() {
    let t = text("lieshan-2020");
    let from = "四、结转下年度继续办理 1 0 0 0 0 0 1";
    assert!(t.contains(from));
    let changed = t.replace(from, "四、结转下年度继续办理 2 0 0 0 0 0 2");
    let a = load_bytes(changed.as_bytes(), "changed.txt").unwrap();
    let b = open("lieshan-2021");
    let c = compare::compare(&a, &b);
    let carry = cross(&c, "years.carry", ("col", "total"));
    assert!(!carry.passed);
    assert_eq!(carry.severity, Severity::Error);
    assert_eq!((carry.lhs, carry.rhs), (Some(2.0), Some(1.0)));
    assert_eq!(
        names(&c, carry),
        ["earlier:applications/carried_forward/total", "later:applications/carried_over/total"]
    );
    assert!(carry.message.contains("2020年度") && carry.message.contains('≠'), "{}", carry.message);
    assert_eq!(compare::exit_code(&c, false), 1);

    let v = compare::to_value(&c, &a, &b);
    let failed: Vec<_> =
        v["checks"].as_array().unwrap().iter().filter(|k| k["id"] == "years.carry" && k["passed"] == false).collect();
    assert_eq!(failed.len(), 2, "natural_person and total");
    let total = failed.iter().find(|k| k["scope"]["col"] == "total").unwrap();
    assert_eq!(
        total["cells"],
        serde_json::json!(["earlier:applications/carried_forward/total", "later:applications/carried_over/total"])
    );
    assert!(total["side"].is_null());
    assert_eq!(total["severity"], "error");
}

#[test]
fn two_2019_reports_align_row_by_row() {
    let (a, b) = (open("lishi-2020"), open("yuan-2020"));
    let c = compare::compare(&a, &b);
    assert!(!c.swapped, "same year: input order kept");
    let layout = Template::T2019.layout();
    assert_eq!(c.rows.len(), layout.cells.len());
    for (i, (r, d)) in c.rows.iter().zip(&layout.cells).enumerate() {
        assert_eq!((r.table, r.row, r.col), (d.table, d.row, d.col));
        assert_eq!((r.earlier_cells, r.later_cells), (&[i][..], &[i][..]));
        assert!(r.earlier.is_some() && r.later.is_some(), "{} present on both sides", d.key());
        assert_eq!(r.note, None);
    }
    let lic = row(&c, Table::Active, "licensing", "decisions");
    assert_eq!((lic.earlier, lic.later, lic.change), (Some(11616.0), Some(9188.0), Some(9188.0 - 11616.0)));
    let pct = lic.change_pct.unwrap();
    assert!((pct - (9188.0 - 11616.0) / 11616.0 * 100.0).abs() < 1e-9);
    // Earlier value 0: no percentage.
    assert_eq!(row(&c, Table::Active, "regulations", "total_published").change_pct, None);

    let organ = c.cross_year().find(|k| k.id == "years.organ").unwrap();
    assert!(!organ.passed && organ.severity == Severity::Warning, "{organ:?}");
    let same = c.cross_year().find(|k| k.id == "years.same_year").unwrap();
    assert!(!same.passed && same.severity == Severity::Warning);
    // Within one year the continuity checks do not apply.
    assert!(!c.cross_year().any(|k| ["years.carry", "years.prev_items", "years.in_force"].contains(&k.id)));
    assert!(!c.failed(false) || c.checks.iter().any(|k| k.side.is_some() && k.counts(false)));
    assert!(c.failed(true), "warnings count with --strict");
}

#[test]
fn other_of_2019_is_aligned_with_the_sum_of_2021() {
    let (a, b) = (open("lieshan-2020"), open("lieshan-2021"));
    let c = compare::compare(&a, &b);
    let sum = row(&c, Table::Applications, "other", "total");
    assert_eq!(sum.note, Some(OTHER_SUM));
    assert_eq!(sum.earlier_cells.len(), 1);
    assert_eq!(sum.later_cells.len(), 3);
    let later_keys: Vec<String> = sum.later_cells.iter().map(|&i| c.cell_key(Side::Later, i)).collect();
    assert_eq!(
        later_keys,
        [
            "later:applications/other.overdue_correction/total",
            "later:applications/other.overdue_fee/total",
            "later:applications/other.other/total"
        ]
    );
    assert_eq!((sum.earlier, sum.later), (Some(0.0), Some(0.0)));
    for sub in ["other.overdue_correction", "other.overdue_fee", "other.other"] {
        let r = row(&c, Table::Applications, sub, "total");
        assert_eq!((r.earlier, r.one_sided(), r.note), (None, Some(Side::Later), Some(ONLY_2021)));
    }
    // Every cell of both reports appears in some row, exactly once on its own side.
    for side in [Side::Earlier, Side::Later] {
        let n = c.template(side).layout().cells.len();
        let mut seen = vec![0; n];
        for r in &c.rows {
            for &i in r.cells(side) {
                seen[i] += 1;
            }
        }
        let other_total = c.rows.iter().filter(|r| r.note == Some(OTHER_SUM)).count();
        assert_eq!(other_total, 7);
        // The 2021 sub-rows are counted twice (in the sum and on their own), the rest once.
        for (i, k) in seen.iter().enumerate() {
            let key = c.cell_key(side, i);
            let expect = if side == Side::Later && key.contains("/other.") { 2 } else { 1 };
            assert_eq!(*k, expect, "{key}");
        }
    }
    // The rows in sum order: （五）5, the sum row, the three sub-rows, （七）总计.
    let rows: Vec<&str> = c.table(Table::Applications).filter(|r| r.col == "total").map(|r| r.row).collect();
    let at = rows.iter().position(|r| *r == "other").unwrap();
    assert_eq!(
        rows[at - 1..at + 5],
        [
            "not_processed.confirm_or_reissue",
            "other",
            "other.overdue_correction",
            "other.overdue_fee",
            "other.other",
            "total"
        ]
    );
    // Outcomes for the chart: （一）…（五）, the sum and the sub-rows.
    assert_eq!(c.outcome_totals().count(), 2 + 8 + 3 + 5 + 1 + 3);
}

#[test]
fn active_2019_and_2021_are_aligned_by_meaning() {
    let (a, b) = (open("lieshan-2020"), open("lieshan-2021"));
    let c = compare::compare(&a, &b);
    let stock = row(&c, Table::Active, "normative_documents", "in_force");
    assert_eq!((stock.earlier, stock.later, stock.change), (Some(59.0), Some(63.0), Some(4.0)));
    assert_eq!(stock.note, Some(STOCK));
    assert_eq!(c.cell_key(Side::Earlier, stock.earlier_cells[0]), "earlier:active/normative_documents/total_published");
    let lic = row(&c, Table::Active, "licensing", "decisions");
    assert_eq!((lic.earlier, lic.later, lic.note), (Some(2794.0), Some(0.0), None));
    assert_eq!(lic.change_pct, Some(-100.0));
    for (r, col) in
        [("procurement", "projects"), ("other_services", "decisions"), ("fees", "prev_items"), ("licensing", "change")]
    {
        let x = row(&c, Table::Active, r, col);
        assert_eq!((x.one_sided(), x.later, x.note), (Some(Side::Earlier), None, Some(ONLY_2019)), "{r}/{col}");
    }
    for (r, col) in [("fees", "amount_wan_yuan"), ("regulations", "issued"), ("normative_documents", "repealed")] {
        let x = row(&c, Table::Active, r, col);
        assert_eq!((x.one_sided(), x.earlier, x.note), (Some(Side::Later), None, Some(ONLY_2021)), "{r}/{col}");
    }
    // Review: identical.
    assert_eq!(c.table(Table::Review).count(), 15);
    assert!(c.table(Table::Review).all(|r| r.note.is_none() && r.earlier.is_some() && r.later.is_some()));
}

#[test]
fn continuity_of_items_between_two_2019_years() {
    let mut later = open("lishi-2020");
    let mut earlier = later.clone();
    earlier.year = Some(2019);
    later.year = Some(2020);
    // 2019: licensing 44 − 4 = 40 items carried into 2020's 上一年项目数量.
    let set = |r: &mut Report, key: &str, v: f64| {
        let i = r.layout().index_of_key(key).unwrap();
        r.cells[i].value = Some(v);
    };
    set(&mut earlier, "active/licensing/prev_items", 44.0);
    set(&mut earlier, "active/licensing/change", -4.0);
    set(&mut later, "active/licensing/prev_items", 40.0);
    let c = compare::compare(&later, &earlier);
    assert!(c.swapped);
    let lic = cross(&c, "years.prev_items", ("row", "licensing"));
    assert!(lic.passed, "{lic:?}");
    assert_eq!(lic.severity, Severity::Warning);
    set(&mut later, "active/licensing/prev_items", 41.0);
    let c = compare::compare(&earlier, &later);
    let lic = cross(&c, "years.prev_items", ("row", "licensing"));
    assert!(!lic.passed);
    assert_eq!(
        names(&c, lic),
        ["earlier:active/licensing/prev_items", "earlier:active/licensing/change", "later:active/licensing/prev_items"]
    );
    assert!(lic.message.contains("2019年度") && lic.message.contains("41"), "{}", lic.message);
    // No counterpart across templates, so no years.in_force between two 2019 reports.
    assert!(!c.cross_year().any(|k| k.id == "years.in_force"));
}

#[test]
fn a_missing_cell_fails_as_unreadable_naming_the_cell() {
    let (a, mut b) = (open("lieshan-2020"), open("lieshan-2021"));
    let i = b.layout().index_of_key("applications/carried_over/total").unwrap();
    b.cells[i].value = None;
    b.cells[i].status = nianbao::Status::Missing;
    let c = compare::compare(&a, &b);
    let k = c
        .cross_year()
        .find(|k| k.id == "cell.unreadable" && k.scope.contains(&("rule", "years.carry".to_string())))
        .unwrap();
    assert_eq!(names(&c, k)[0], "later:applications/carried_over/total");
    assert_eq!(k.severity, Severity::Error);
    assert_eq!(compare::exit_code(&c, false), 1);
}

#[test]
fn organ_names_compare_without_suffixes_and_aliases() {
    use nianbao::compare::years::organ_key;
    assert_eq!(organ_key("淮北市烈山区人民政府办公室"), organ_key("淮北市烈山区人民政府"));
    assert_eq!(organ_key("某某市发展和改革委员会（市粮食和物资储备局）"), organ_key("某某市发展和改革委员会"));
    assert_eq!(organ_key("某某区政府"), organ_key("某某区人民政府"));
    assert_ne!(organ_key("离石区人民政府"), organ_key("裕安区人民政府"));
}

#[test]
fn json_and_csv_have_the_schema_shape() {
    let (a, b) = (open("lieshan-2020"), open("lieshan-2021"));
    let c = compare::compare(&a, &b);
    let s = compare::to_json(&c, &a, &b);
    assert!(!s.starts_with('\u{feff}') && s.ends_with("}\n"));
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    for side in ["earlier", "later"] {
        for key in ["organ", "year", "template", "file"] {
            assert!(v[side].get(key).is_some(), "{side}.{key}");
        }
    }
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), c.rows.len());
    let stock = rows.iter().find(|r| r["row"] == "normative_documents" && r["col"] == "in_force").unwrap();
    assert_eq!(
        (stock["earlier"].as_i64(), stock["later"].as_i64(), stock["change"].as_i64()),
        (Some(59), Some(63), Some(4))
    );
    assert!((stock["change_pct"].as_f64().unwrap() - 4.0 / 59.0 * 100.0).abs() < 1e-5);
    assert_eq!(stock["table"], "active");
    assert!(stock["label"].as_str().unwrap().contains("现行有效件数"));
    let zero = rows.iter().find(|r| r["row"] == "regulations" && r["col"] == "in_force").unwrap();
    assert!(zero["change_pct"].is_null());
    let only = rows.iter().find(|r| r["row"] == "procurement" && r["col"] == "projects").unwrap();
    assert!(only["later"].is_null() && only["change"].is_null());
    assert_eq!(only["note"], ONLY_2019);
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len(), c.checks.len());
    let single = checks.iter().find(|k| k["side"] == "later" && k["id"] == "applications.balance").unwrap();
    assert!(single["cells"][0].as_str().unwrap().starts_with("later:"));

    let csv = compare::to_csv(&c);
    assert!(csv.starts_with("\u{feff}table,row,col,label,earlier,later,change,change_pct,note\r\n"));
    assert_eq!(csv.lines().count(), 1 + c.rows.len());
    assert!(csv.contains("\r\nactive,normative_documents,in_force,"), "{csv}");
    let line = csv.lines().find(|l| l.starts_with("active,normative_documents,in_force,")).unwrap();
    assert!(line.contains(",59,63,4,6.78,"), "{line}");
}

#[test]
fn a_2021_template_before_a_2019_template_is_aligned_the_other_way() {
    let (mut a, mut b) = (open("lieshan-2021"), open("lieshan-2020"));
    a.year = Some(2022);
    b.year = Some(2023);
    let c = compare::compare(&a, &b);
    assert!(!c.swapped);
    assert_eq!((c.earlier_template, c.later_template), (Template::T2021, Template::T2019));
    let sum = row(&c, Table::Applications, "other", "total");
    assert_eq!((sum.earlier_cells.len(), sum.later_cells.len(), sum.note), (3, 1, Some(OTHER_SUM)));
    let stock = row(&c, Table::Active, "normative_documents", "total_published");
    assert_eq!((stock.earlier, stock.later, stock.note), (Some(63.0), Some(59.0), Some(STOCK)));
    let sub = row(&c, Table::Applications, "other.other", "total");
    assert_eq!((sub.one_sided(), sub.note), (Some(Side::Earlier), Some(ONLY_2021)));
    // 2021 → 2019: no 现行有效件数 in the later report, so no years.in_force.
    assert!(!c.cross_year().any(|k| k.id == "years.in_force"));
    assert_eq!(c.cross_year().filter(|k| k.id == "years.carry").count(), 7);
}
