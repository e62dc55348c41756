//! The Excel export read back with calamine (values, merged ranges, the 问题清单) and from the
//! workbook's XML (fills, notes), for every sample in tests/fixtures.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use nianbao_core::checks;
use nianbao_core::export::findings;
use nianbao_core::export::xlsx::{self, Entry};
use nianbao_core::model::{CheckResult, Report, Status};
use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};
use std::path::PathBuf;

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    assert!(v.len() >= 7, "{v:?}");
    v
}

fn load(p: &std::path::Path) -> (Report, Vec<CheckResult>) {
    let r = nianbao_core::load_path(p).unwrap();
    let c = checks::run(&r);
    (r, c)
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap()
}

fn zip_text(bytes: &[u8], name: &str) -> Option<String> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = z.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    Some(s)
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(tag[at..].split('"').next()?.to_string())
}

/// The solid fill (RGB) of every styled cell of worksheet `n` (1-based), by cell reference.
fn fills(bytes: &[u8], n: usize) -> HashMap<String, u32> {
    let styles = zip_text(bytes, "xl/styles.xml").unwrap();
    let section = |open: &str, close: &str| -> String {
        let a = styles.find(open).unwrap();
        let b = styles[a..].find(close).unwrap() + a;
        styles[a..b].to_string()
    };
    let fills: Vec<Option<u32>> = section("<fills", "</fills>")
        .split("<fill>")
        .skip(1)
        .map(|f| attr(f, "rgb").map(|rgb| u32::from_str_radix(&rgb[rgb.len() - 6..], 16).unwrap()))
        .collect();
    let xfs: Vec<Option<u32>> = section("<cellXfs", "</cellXfs>")
        .split("<xf ")
        .skip(1)
        .map(|x| {
            let id: usize = attr(x, "fillId").map_or(0, |s| s.parse().unwrap());
            fills.get(id).copied().flatten()
        })
        .collect();
    let sheet = zip_text(bytes, &format!("xl/worksheets/sheet{n}.xml")).unwrap();
    let mut out = HashMap::new();
    for c in sheet.split("<c ").skip(1) {
        let tag = &c[..c.find('>').unwrap()];
        let (Some(r), Some(s)) = (attr(&format!(" {tag}"), "r"), attr(&format!(" {tag}"), "s")) else { continue };
        if let Some(rgb) = xfs[s.parse::<usize>().unwrap()] {
            out.insert(r, rgb);
        }
    }
    out
}

fn cell_ref((row, col): (u32, u16)) -> String {
    let mut c = col as u32 + 1;
    let mut letters = String::new();
    while c > 0 {
        letters.insert(0, (b'A' + ((c - 1) % 26) as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[test]
fn every_fixture_reads_back_in_the_official_layout() {
    for path in fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let (report, checks) = load(&path);
        let bytes = xlsx::report_workbook(&report, &checks).unwrap();
        let mut wb = open(&bytes);
        assert_eq!(wb.sheet_names(), vec![xlsx::REPORT_SHEET.to_string(), xlsx::FINDINGS_SHEET.to_string()]);
        let grid = xlsx::grid(report.template, &xlsx::title(&report));

        // Values: numbers as numbers, a cell without a value as its text.
        let range = wb.worksheet_range(xlsx::REPORT_SHEET).unwrap();
        for (i, &(r, c)) in grid.cells.iter().enumerate() {
            let got = range.get_value((r, c as u32));
            match report.cells[i].value {
                Some(v) => match got {
                    Some(Data::Float(x)) => assert!((x - v).abs() < 1e-9, "{name} {}: {x} ≠ {v}", report.def(i).key()),
                    Some(Data::Int(x)) => assert_eq!(*x as f64, v, "{name}"),
                    other => panic!("{name} {}: {other:?}, want {v}", report.def(i).key()),
                },
                None => assert_eq!(text(got), report.cells[i].text, "{name} {}", report.def(i).key()),
            }
        }
        // Labels as the template prints them.
        for l in &grid.labels {
            assert_eq!(text(range.get_value((l.first.0, l.first.1 as u32))), l.text, "{name}");
        }
        let all: Vec<String> = grid.labels.iter().map(|l| l.text.clone()).collect();
        for want in [
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "申请人情况",
            "法人或其他组织",
            "三、本年度办理结果",
            "（三）不予公开",
            "（七）总计",
            "四、结转下年度继续办理",
            "行政诉讼",
            "未经复议直接起诉",
        ] {
            assert!(all.iter().any(|t| t == want), "{name}: no label {want}");
        }

        // Merged ranges: exactly the grid's.
        let merged: BTreeSet<((u32, u32), (u32, u32))> =
            wb.merge_cells_by_sheet_name(xlsx::REPORT_SHEET).unwrap().iter().map(|d| (d.start, d.end)).collect();
        let want: BTreeSet<((u32, u32), (u32, u32))> =
            grid.merges().map(|l| ((l.first.0, l.first.1 as u32), (l.last.0, l.last.1 as u32))).collect();
        assert_eq!(merged, want, "{name}");
        assert!(merged.len() > 20, "{name}");

        // Fills: red where a check fails, yellow repaired, blue edited, none elsewhere.
        let fills = fills(&bytes, 1);
        for (i, &pos) in grid.cells.iter().enumerate() {
            assert_eq!(
                fills.get(&cell_ref(pos)).copied(),
                xlsx::fill_of(&report, &checks, i),
                "{name} {}",
                cell_ref(pos)
            );
        }
        // Notes carry the failed checks' messages.
        let failing: Vec<&CheckResult> = checks.iter().filter(|c| !c.passed && !c.cells.is_empty()).collect();
        if let Some(c) = failing.first() {
            let notes = zip_text(&bytes, "xl/comments1.xml").expect("a failed check gives notes");
            assert!(notes.contains(&escape(&c.message)), "{name}: {}", c.message);
        }

        // 问题清单: a header row, then one row per failed check, errors first.
        let list = wb.worksheet_range(xlsx::FINDINGS_SHEET).unwrap();
        let rows: Vec<Vec<String>> = list.rows().map(|r| r.iter().map(|d| text(Some(d))).collect()).collect();
        assert_eq!(rows[0], findings::HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{name}");
        let mut failed: Vec<&CheckResult> = checks.iter().filter(|c| !c.passed).collect();
        failed.sort_by_key(|c| c.severity);
        assert_eq!(rows.len() - 1, failed.len(), "{name}");
        for (row, c) in rows[1..].iter().zip(&failed) {
            assert_eq!(row[0], c.severity.label(), "{name}");
            assert_eq!(row[1], c.id, "{name}");
            assert_eq!(row[2], c.message, "{name}");
        }
    }
}

#[test]
fn shanghai_shows_its_problems_in_red_and_repairs_in_yellow() {
    let path = fixtures().into_iter().find(|p| p.ends_with("shanghai-2019.txt")).unwrap();
    let (report, checks) = load(&path);
    let bytes = xlsx::report_workbook(&report, &checks).unwrap();
    let fills = fills(&bytes, 1);
    assert!(fills.values().any(|&f| f == xlsx::FILL_FAILED), "shanghai leaves totals blank: red cells");
    // An edited cell turns blue; a repaired one yellow.
    let mut edited = report.clone();
    let i = edited
        .index(
            nianbao_core::Table::Active,
            "regulations",
            edited.layout().rows(nianbao_core::Table::Active)[0].0.cols[0].key,
        )
        .unwrap();
    let cell = edited.edited_cell(i, "3", None);
    edited.replace_cell(i, cell);
    let j = i + 1;
    edited.cells[j].status = Status::Repaired;
    edited.cells[j].repair = Some("l4 → 14".into());
    let c = checks::run(&edited);
    let bytes = xlsx::report_workbook(&edited, &c).unwrap();
    let fills = self::fills(&bytes, 1);
    let grid = xlsx::grid(edited.template, &xlsx::title(&edited));
    let want = |k: usize| xlsx::fill_of(&edited, &c, k);
    assert_eq!(fills.get(&cell_ref(grid.cells[i])).copied(), want(i));
    assert_eq!(fills.get(&cell_ref(grid.cells[j])).copied(), want(j));
    if checks::failed_for_cell(&c, i).next().is_none() {
        assert_eq!(want(i), Some(xlsx::FILL_EDITED));
    }
    if checks::failed_for_cell(&c, j).next().is_none() {
        assert_eq!(want(j), Some(xlsx::FILL_REPAIRED));
    }
}

#[test]
fn a_batch_is_one_workbook_with_a_summary_and_a_sheet_per_report() {
    let loaded: Vec<(PathBuf, (Report, Vec<CheckResult>))> =
        fixtures().into_iter().map(|p| (p.clone(), load(&p))).collect();
    let mut entries: Vec<Entry> = loaded
        .iter()
        .map(|(p, (r, c))| Entry {
            file: p.file_name().unwrap().to_string_lossy().to_string(),
            read: Ok((r, c.as_slice())),
            fails: checks::fails(c, false),
        })
        .collect();
    entries.push(Entry { file: "bad/坏文件.txt".into(), read: Err("文件是空的".into()), fails: false });
    let bytes = xlsx::batch_workbook(&entries).unwrap();
    let mut wb = open(&bytes);
    let names = wb.sheet_names();
    assert_eq!(names.len(), loaded.len() + 2);
    assert_eq!(names[0], xlsx::SUMMARY_SHEET);
    assert_eq!(names.last().unwrap(), xlsx::FINDINGS_SHEET);
    for (n, (p, _)) in names[1..].iter().zip(&loaded) {
        assert_eq!(n, p.file_stem().unwrap().to_str().unwrap());
    }
    let summary = wb.worksheet_range(xlsx::SUMMARY_SHEET).unwrap();
    let rows: Vec<Vec<String>> = summary.rows().map(|r| r.iter().map(|d| text(Some(d))).collect()).collect();
    assert_eq!(rows[0], xlsx::SUMMARY_HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(rows.len(), entries.len() + 1);
    for (row, (p, (r, c))) in rows[1..].iter().zip(&loaded) {
        let (e, w) = checks::count(c);
        assert_eq!(row[0], p.file_name().unwrap().to_string_lossy());
        assert_eq!(row[1], r.organ.clone().unwrap_or_default());
        assert_eq!(row[2], r.year.map(|y| y.to_string()).unwrap_or_default());
        assert_eq!((row[3].as_str(), row[4].as_str()), (e.to_string().as_str(), w.to_string().as_str()));
        assert_eq!(row[5], if checks::fails(c, false) { "未通过" } else { "通过" });
    }
    assert_eq!(rows.last().unwrap()[5], "无法读取：文件是空的");
    // Each report's sheet holds its values where the grid says.
    for (n, (_, (r, _))) in names[1..].iter().zip(&loaded) {
        let range = wb.worksheet_range(n).unwrap();
        let grid = xlsx::grid(r.template, &xlsx::title(r));
        for (i, &(row, col)) in grid.cells.iter().enumerate() {
            if let Some(v) = r.cells[i].value {
                assert_eq!(range.get_value((row, col as u32)), Some(&Data::Float(v)), "{n}");
            }
        }
    }
    let all = wb.worksheet_range(xlsx::FINDINGS_SHEET).unwrap();
    let failed: usize = loaded.iter().map(|(_, (_, c))| c.iter().filter(|c| !c.passed).count()).sum();
    assert_eq!(all.rows().count(), failed + 1);
}

#[test]
fn the_findings_csv_has_one_line_per_failed_check() {
    let mut reports = Vec::new();
    let mut failed = 0;
    for p in fixtures() {
        let (r, c) = load(&p);
        let s = nianbao_core::suggest::suggest(&r, &c);
        let f = findings::findings(&r, &c, &s);
        failed += c.iter().filter(|c| !c.passed).count();
        assert_eq!(f.len(), c.iter().filter(|c| !c.passed).count());
        reports.push(findings::ReportFindings::of(p.file_name().unwrap().to_string_lossy(), &r, f));
    }
    let csv = findings::batch_csv(&reports);
    assert!(csv.starts_with("\u{feff}文件,机关,年度,严重程度,检查项,说明,涉及单元格,数值,建议更正\r\n"));
    let lines = csv.matches("\r\n").count();
    assert!(lines > failed, "quoted fields may hold line breaks");
    let bytes = xlsx::findings_workbook(&reports).unwrap();
    let mut wb = open(&bytes);
    let range = wb.worksheet_range(xlsx::FINDINGS_SHEET).unwrap();
    assert_eq!(range.rows().count(), failed + 1);
}
