//! Readings that once came out silently wrong (`parsed`, every check passing), made from the
//! real reports in tests/fixtures: each fixture's text is altered, read in-process, and every
//! cell must be either the clean reading's value or visibly marked (`missing`, `unreadable`, or
//! named by a failing check). Each test also states how many cells it must read right, so that
//! the mechanism keeps working.

use nianbao::checks;
use nianbao::{Report, Status, load_bytes};
use std::collections::HashSet;

const SAMPLES: &[&str] =
    &["lieshan-2020", "lieshan-2021", "lishi-2020", "yuan-2020", "huaian-2024", "shanghai-2019", "shuyang-2025"];

fn fixture(name: &str) -> String {
    String::from_utf8(std::fs::read(format!("{}/tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap())
        .unwrap()
}

fn read(text: &str, name: &str) -> Report {
    load_bytes(text.as_bytes(), &format!("{name}.txt")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (right, silently wrong, marked) cells of `got` against `clean`, over the cells whose key
/// starts with `prefix` (all of them for "").
pub(super) fn judge(clean: &Report, got: &Report, prefix: &str) -> (usize, Vec<String>, usize) {
    let flagged: HashSet<usize> = checks::run(got).iter().filter(|c| !c.passed).flat_map(|c| c.cells.clone()).collect();
    let (mut right, mut wrong, mut marked) = (0, Vec::new(), 0);
    for (i, (a, b)) in clean.cells.iter().zip(&got.cells).enumerate() {
        if !got.def(i).key().starts_with(prefix) {
            continue;
        }
        let same = match (a.value, b.value) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-6,
            (None, None) => true,
            _ => false,
        };
        if same && matches!(b.status, Status::Parsed | Status::Repaired) {
            right += 1;
        } else if matches!(b.status, Status::Missing | Status::Unreadable) || flagged.contains(&i) {
            marked += 1;
        } else {
            wrong.push(format!("{} = {:?} ({:?}, want {:?})", got.def(i).key(), b.value, b.status, a.value));
        }
    }
    (right, wrong, marked)
}

// ---------------------------------------------------------------- table 四

const RESULTS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
const GROUPS: [&str; 3] = ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"];

/// Table 四's fifteen values as the clean reading has them (all read), as text.
fn review_values(c: &Report) -> Option<Vec<String>> {
    let v: Vec<String> = (0..c.cells.len())
        .filter(|&i| c.def(i).key().starts_with("review/"))
        .map(|i| c.cells[i].value.map(|x| format!("{x}")))
        .collect::<Option<Vec<_>>>()?;
    (v.len() == 15).then_some(v)
}

/// The fixture with the lines between table 四's heading and part 五 replaced by `table`.
fn with_review(text: &str, table: &[String]) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let h = lines.iter().position(|l| l.starts_with("四、") && l.contains("行政复议") && l.contains("情况"))?;
    let e = (h + 1..lines.len()).find(|&i| lines[i].starts_with("五、"))?;
    let mut out: Vec<String> = lines[..=h].iter().map(|s| s.to_string()).collect();
    out.push(String::new());
    out.extend(table.iter().cloned());
    out.push(String::new());
    out.extend(lines[e..].iter().map(|s| s.to_string()));
    Some(out.join("\n"))
}

fn spaced(s: &str) -> String {
    s.chars().map(|c| c.to_string()).collect::<Vec<_>>().join(" ")
}

/// Table 四 as three rows (one per group) under a header naming the columns in `perm`'s order,
/// in one of several layouts.
fn three_rows(v: &[String], perm: [usize; 5], form: &str) -> Vec<String> {
    let names: Vec<String> = perm.iter().map(|&k| RESULTS[k].to_string()).collect();
    let row = |g: usize| -> Vec<String> { perm.iter().map(|&k| v[g * 5 + k].clone()).collect() };
    match form {
        "tab" => std::iter::once(format!("项目\t{}", names.join("\t")))
            .chain((0..3).map(|g| format!("{}\t{}", GROUPS[g], row(g).join("\t"))))
            .collect(),
        "markdown" => [format!("| 项目 | {} |", names.join(" | ")), "|---|---|---|---|---|---|".to_string()]
            .into_iter()
            .chain((0..3).map(|g| format!("| {} | {} |", GROUPS[g], row(g).join(" | "))))
            .collect(),
        // Space-separated, the header written with its characters spaced out (as lishi-2020's).
        "space" => {
            std::iter::once(format!("项 目  {}", names.iter().map(|n| spaced(n)).collect::<Vec<_>>().join("   ")))
                .chain((0..3).map(|g| format!("{}  {}", GROUPS[g], row(g).join("  "))))
                .collect()
        }
        // The template's shape (lishi-2020's own): one line of fifteen, a header per group.
        "wide" => {
            let hdr = names.iter().map(|n| spaced(n)).collect::<Vec<_>>().join("\t");
            vec![
                "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t".to_string(),
                format!("{hdr}\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t"),
                format!("\t\t\t\t\t{hdr}\t{hdr}"),
                (0..3).flat_map(row).collect::<Vec<_>>().join("\t"),
            ]
        }
        _ => unreachable!(),
    }
}

/// Table 四 the other way round: a line per result, a column per group (in `groups`' order).
fn by_results(v: &[String], groups: [usize; 3], sep: &str) -> Vec<String> {
    std::iter::once(format!("项目{sep}{}", groups.iter().map(|&g| GROUPS[g]).collect::<Vec<_>>().join(sep)))
        .chain((0..5).map(|r| {
            format!("{}{sep}{}", RESULTS[r], groups.iter().map(|&g| v[g * 5 + r].clone()).collect::<Vec<_>>().join(sep))
        }))
        .collect()
}

/// Every sample with table 四 rewritten by `table`: no silent wrong cell of 四; returns the
/// cells of 四 read right and their number.
fn run_review(what: &str, table: impl Fn(&[String]) -> Vec<String>) -> (usize, usize) {
    let (mut right, mut total) = (0, 0);
    for name in SAMPLES {
        let text = fixture(name);
        let clean = read(&text, name);
        let Some(v) = review_values(&clean) else { continue };
        let Some(altered) = with_review(&text, &table(&v)) else { continue };
        let got = read(&altered, name);
        let (r, wrong, _) = judge(&clean, &got, "review/");
        assert!(wrong.is_empty(), "{what} {name}: silently wrong: {wrong:?}");
        right += r;
        total += 15;
    }
    assert!(total >= 60, "{what}: only {total} cells tried");
    (right, total)
}

const PERMS: [[usize; 5]; 5] = [[0, 1, 2, 3, 4], [1, 0, 2, 3, 4], [0, 1, 3, 2, 4], [4, 0, 1, 2, 3], [3, 2, 4, 1, 0]];

#[test]
fn table_four_minimal_reproducer_reads_litigation_direct_upheld() {
    // The adversarial run's file: lishi-2020's table 四 as three tab rows under a header with
    // 结果纠正 before 结果维持; its one case (直接起诉, 结果维持) came out as 结果纠正.
    let text = fixture("lishi-2020");
    let table: Vec<String> = [
        "项目\t结果纠正\t结果维持\t其他结果\t尚未审结\t总计",
        "行政复议\t0\t0\t0\t0\t0",
        "行政诉讼（未经复议直接起诉）\t0\t1\t0\t0\t1",
        "行政诉讼（复议后起诉）\t0\t0\t0\t0\t0",
    ]
    .map(String::from)
    .to_vec();
    let got = read(&with_review(&text, &table).unwrap(), "lishi-2020");
    let cell = |key: &str| {
        let i = (0..got.cells.len()).find(|&i| got.def(i).key() == key).unwrap();
        (got.cells[i].value, got.cells[i].status)
    };
    assert_eq!(cell("review/litigation_direct/upheld"), (Some(1.0), Status::Parsed));
    assert_eq!(cell("review/litigation_direct/corrected"), (Some(0.0), Status::Parsed));
    let (right, wrong, _) = judge(&read(&text, "lishi-2020"), &got, "review/");
    assert!(wrong.is_empty() && right == 15, "{right} {wrong:?}");
}

#[test]
fn table_four_header_in_another_column_order_decides_the_columns() {
    for form in ["tab", "markdown", "space", "wide"] {
        for perm in PERMS {
            let what = format!("{form} {perm:?}");
            let (right, total) = run_review(&what, |v| three_rows(v, perm, form));
            // A header naming every column once is read through, in every layout.
            assert_eq!(right, total, "{what}: {right}/{total}");
        }
    }
}

#[test]
fn table_four_header_naming_a_column_twice_is_not_used_and_nothing_is_silent() {
    // A header that cannot be made out (a column named twice, one not at all) decides nothing:
    // the numbers are read as before, and a wrong order must show (here the sums fail).
    for perm in [[1, 1, 2, 3, 4], [0, 1, 2, 2, 4]] {
        run_review(&format!("tab {perm:?}"), |v| {
            let mut t = three_rows(v, [0, 1, 2, 3, 4], "tab");
            t[0] = format!("项目\t{}", perm.iter().map(|&k| RESULTS[k]).collect::<Vec<_>>().join("\t"));
            t
        });
    }
}

#[test]
fn table_four_a_line_per_result_is_read_by_its_labels() {
    for sep in ["\t", "  "] {
        for groups in [[0, 1, 2], [1, 0, 2], [2, 1, 0]] {
            let what = format!("by results {sep:?} {groups:?}");
            let (right, total) = run_review(&what, |v| by_results(v, groups, sep));
            assert_eq!(right, total, "{what}: {right}/{total}");
        }
    }
    // Lines per result that cannot be made out (a result line missing): nothing silent.
    run_review("by results, a line lost", |v| {
        let mut t = by_results(v, [0, 1, 2], "\t");
        t.remove(2);
        t
    });
}

fn several(r: &Report) -> Vec<String> {
    r.notes.iter().filter(|n| n.id == checks::REPORT_SEVERAL).map(|n| n.message.clone()).collect()
}

// ---------------------------------------------------------------- table 二

/// Lines of the fixture and the range of table 二's body: (lines, heading, part 三's heading).
fn active_span(text: &str) -> Option<(Vec<String>, usize, usize)> {
    let lines: Vec<String> = text.split('\n').map(String::from).collect();
    let s = lines.iter().position(|l| l.starts_with("二、主动公开政府信息情况"))?;
    let e = (s + 1..lines.len()).find(|&i| lines[i].starts_with("三、收到和处理"))?;
    Some((lines, s, e))
}

/// Every run of ASCII digits one more: last year's table, with other numbers.
pub(super) fn bump(l: &str) -> String {
    let mut out = String::new();
    let mut num = String::new();
    for c in l.chars().chain(std::iter::once('\u{0}')) {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        if !num.is_empty() {
            out.push_str(&(num.parse::<u64>().unwrap() + 1).to_string());
            num.clear();
        }
        if c != '\u{0}' {
            out.push(c);
        }
    }
    out
}

#[test]
fn a_second_copy_of_table_two_right_after_it_is_not_read_and_is_named() {
    let mut tried = 0;
    for name in SAMPLES {
        let text = fixture(name);
        let Some((lines, s, e)) = active_span(&text) else { continue };
        // The table's body ends at its last line holding a digit (notes and prose after it
        // stay where they are).
        let Some(last) = (s + 1..e).rev().find(|&i| lines[i].chars().any(|c| c.is_ascii_digit())) else { continue };
        let clean = read(&text, name);
        let body: Vec<String> = lines[s + 1..=last].iter().map(|l| bump(l)).collect();
        let first_body = body.iter().position(|l| !l.trim().is_empty()).unwrap();
        for heading in [true, false] {
            let mut out: Vec<String> = lines[..=last].to_vec();
            out.push(String::new());
            let starts = out.len() + if heading { 0 } else { first_body };
            if heading {
                out.push(lines[s].clone());
            }
            out.extend(body.iter().cloned());
            out.push(String::new());
            out.extend(lines[last + 1..].iter().cloned());
            let got = read(&out.join("\n"), name);
            let what = format!("{name} second copy of 二 (heading {heading})");
            for table in ["active/", "applications/", "review/"] {
                let (right, wrong, _) = judge(&clean, &got, table);
                assert!(wrong.is_empty(), "{what}: silently wrong: {wrong:?}");
                let (want, _, _) = judge(&clean, &clean, table);
                assert_eq!(right, want, "{what}: {table} read right {right}, clean {want}");
            }
            let notes = several(&got);
            let line = format!("第 {} 行", starts + 1);
            assert!(
                notes.iter().any(|m| m.contains(&line) && m.contains("主动公开")),
                "{what}: {notes:?}, want {line}"
            );
            tried += 1;
        }
    }
    assert!(tried >= 10, "{tried}");
}

#[test]
fn table_two_in_pieces_under_a_repeated_heading_is_one_table() {
    // An OCR conversion repeats the heading over each piece of the table: the rest of the
    // table under it (rows not read yet) is no second copy.
    let mut tried = 0;
    for name in SAMPLES {
        let text = fixture(name);
        let Some((lines, s, e)) = active_span(&text) else { continue };
        let Some(cut) = (s + 1..e).find(|&i| lines[i].contains("第二十条第（六）项")) else { continue };
        let clean = read(&text, name);
        let mut out: Vec<String> = lines[..cut].to_vec();
        out.push(String::new());
        out.push(lines[s].clone());
        out.extend(lines[cut..].iter().cloned());
        let got = read(&out.join("\n"), name);
        let (right, wrong, _) = judge(&clean, &got, "active/");
        assert!(wrong.is_empty(), "{name}: silently wrong: {wrong:?}");
        let (want, _, _) = judge(&clean, &clean, "active/");
        assert_eq!(right, want, "{name}: table 二 read right {right}, clean {want}");
        assert!(several(&got).is_empty(), "{name}: {:?}", several(&got));
        tried += 1;
    }
    assert!(tried >= 4, "{tried}");
}
