//! `nianbao export --format xlsx` and `nianbao check --findings`, in process, read back with
//! calamine.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use nianbao::cli::{run_on, run_with};
use std::ffi::OsString;
use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};

const FIXTURES: [&str; 4] = ["lieshan-2021.txt", "shanghai-2019.txt", "yuan-2020.txt", "huaian-2024.txt"];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (u8, String, String) {
    let args: Vec<OsString> = args.iter().map(|a| a.as_ref().to_os_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_with(&args, &mut out, &mut err);
    (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8(err).unwrap())
}

fn open(path: &Path) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(fs::read(path).unwrap())).unwrap()
}

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("in/sub")).unwrap();
    for (i, f) in FIXTURES.iter().enumerate() {
        let to = if i % 2 == 0 { dir.path().join("in").join(f) } else { dir.path().join("in/sub").join(f) };
        fs::copy(fixture(f), to).unwrap();
    }
    dir
}

fn failed_checks(name: &str) -> Vec<nianbao::CheckResult> {
    let r = nianbao::load_path(&fixture(name)).unwrap();
    nianbao::checks::run(&r).into_iter().filter(|c| !c.passed).collect()
}

#[test]
fn exports_one_report_as_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.xlsx");
    let (code, stdout, err) = run(&[&"export", &fixture("yuan-2020.txt"), &"--format", &"xlsx", &"-o", &out]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty());
    let mut wb = open(&out);
    assert_eq!(wb.sheet_names(), vec!["报告".to_string(), "问题清单".to_string()]);
    let range = wb.worksheet_range("报告").unwrap();
    assert!(range.used_cells().any(|(_, _, d)| matches!(d, Data::String(s) if s == "（七）总计")));
    assert!(range.used_cells().any(|(_, _, d)| matches!(d, Data::Float(_))), "numbers as numbers");
    // The format from the extension, too; a failing report exits 1 and still writes.
    let out2 = dir.path().join("s.xlsx");
    let (code, _, err) = run(&[&"export", &fixture("shanghai-2019.txt"), &"-o", &out2]);
    assert_eq!(code, 1, "{err}");
    let mut wb = open(&out2);
    let list = wb.worksheet_range("问题清单").unwrap();
    assert_eq!(list.rows().count(), failed_checks("shanghai-2019.txt").len() + 1);
}

#[test]
fn a_workbook_is_not_written_to_a_terminal() {
    let args: Vec<OsString> =
        ["export".into(), fixture("yuan-2020.txt").into_os_string(), "--format".into(), "xlsx".into()].into();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(run_on(&args, &mut out, &mut err, true), 2);
    let e = String::from_utf8(err).unwrap();
    assert!(e.contains("二进制") && e.contains("-o"), "{e}");
    assert!(out.is_empty());
    // Into a pipe or a file it is written.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(run_on(&args, &mut out, &mut err, false), 0);
    assert!(out.starts_with(b"PK"), "a zip");
}

#[test]
fn exports_a_folder_as_one_workbook() {
    let dir = folder();
    let out = dir.path().join("全部.xlsx");
    let (code, stdout, err) = run(&[&"export", &dir.path().join("in"), &"--format", &"xlsx", &"-o", &out]);
    assert_eq!(code, 1, "shanghai fails: {stdout} {err}");
    assert!(stdout.contains("共 4 个文件"), "{stdout}");
    let mut wb = open(&out);
    let names = wb.sheet_names();
    assert_eq!(names.len(), 6, "{names:?}");
    assert_eq!(names[0], "汇总");
    assert_eq!(names[5], "问题清单");
    let mut stems: Vec<&str> = FIXTURES.iter().map(|f| f.trim_end_matches(".txt")).collect();
    stems.sort();
    let mut got: Vec<&str> = names[1..5].iter().map(|s| s.as_str()).collect();
    got.sort();
    assert_eq!(got, stems);
    let summary = wb.worksheet_range("汇总").unwrap();
    assert_eq!(summary.rows().count(), 5);
    let header: Vec<String> = summary.rows().next().unwrap().iter().map(|d| d.to_string()).collect();
    assert_eq!(header, ["文件", "机关", "年度", "错误", "警告", "状态"]);
    // -o naming a folder is refused for xlsx.
    let (code, _, err) = run(&[&"export", &dir.path().join("in"), &"--format", &"xlsx", &"-o", &dir.path()]);
    assert_eq!(code, 2);
    assert!(err.contains("文件夹"), "{err}");
    // Without -o: a usage error.
    let (code, _, err) = run(&[&"export", &dir.path().join("in"), &"--format", &"xlsx"]);
    assert_eq!(code, 2);
    assert!(err.contains("-o"), "{err}");
}

#[test]
fn check_writes_the_findings_one_row_per_failed_check() {
    let dir = folder();
    let want: usize = FIXTURES.iter().map(|f| failed_checks(f).len()).sum();
    assert!(want > 0);
    let csv = dir.path().join("问题清单.csv");
    let (code, _, err) = run(&[&"check", &dir.path().join("in"), &"--findings", &csv]);
    assert_eq!(code, 1, "{err}");
    let text = fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("\u{feff}文件,机关,年度,严重程度,检查项,说明,涉及单元格,数值,建议更正\r\n"), "{text}");
    let xlsx = dir.path().join("问题清单.xlsx");
    let (code, _, err) = run(&[&"check", &dir.path().join("in"), &"--findings", &xlsx]);
    assert_eq!(code, 1, "{err}");
    let mut wb = open(&xlsx);
    let range = wb.worksheet_range("问题清单").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|d| d.to_string()).collect()).collect();
    assert_eq!(rows.len(), want + 1);
    // Each report's rows: its failed checks, in the order of the one-report list.
    for f in FIXTURES {
        let mut failed = failed_checks(f);
        failed.sort_by_key(|c| c.severity);
        let mine: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[0].ends_with(f)).collect();
        assert_eq!(mine.len(), failed.len(), "{f}");
        for (row, c) in mine.iter().zip(&failed) {
            assert_eq!(
                (row[3].as_str(), row[4].as_str(), row[5].as_str()),
                (c.severity.label(), c.id, c.message.as_str())
            );
        }
    }
    // A suggestion where check --suggest has one for the failed arithmetic.
    let r = nianbao::load_path(&fixture("shanghai-2019.txt")).unwrap();
    let c = nianbao::checks::run(&r);
    if !nianbao::suggest::suggest(&r, &c).is_empty() {
        assert!(rows.iter().any(|row| row[0].ends_with("shanghai-2019.txt") && !row[8].is_empty()), "{rows:?}");
    }
}

#[test]
fn compares_two_folders_paired_by_organ() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("2020"), dir.path().join("2021"));
    fs::create_dir_all(&a).unwrap();
    fs::create_dir_all(&b).unwrap();
    for f in ["lieshan-2020.txt", "yuan-2020.txt"] {
        fs::copy(fixture(f), a.join(f)).unwrap();
    }
    for f in ["lieshan-2021.txt", "huaian-2024.txt"] {
        fs::copy(fixture(f), b.join(f)).unwrap();
    }
    let out = dir.path().join("对比.xlsx");
    let (code, stdout, err) = run(&[&"compare", &a, &b, &"--summary", &out]);
    assert!(code <= 1, "{stdout} {err}");
    let mut wb = open(&out);
    let range = wb.worksheet_range("对比汇总").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|d| d.to_string()).collect()).collect();
    assert_eq!(rows[0][0], "文件（较早）");
    let lieshan: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[0].ends_with("lieshan-2020.txt")).collect();
    assert_eq!(lieshan.len(), 1, "{rows:?}");
    assert!(lieshan[0][1].ends_with("lieshan-2021.txt"), "{rows:?}");
    assert!(rows[1..].iter().any(|r| r[0].ends_with("yuan-2020.txt") && r[1].is_empty()), "{rows:?}");
    assert!(rows[1..].iter().any(|r| r[1].ends_with("huaian-2024.txt") && r[0].is_empty()), "{rows:?}");
    // CSV too; and two folders without --summary are refused.
    let csv = dir.path().join("对比.csv");
    let (code, _, _) = run(&[&"compare", &a, &b, &"--summary", &csv]);
    assert!(code <= 1);
    assert!(fs::read_to_string(&csv).unwrap().starts_with("\u{feff}文件（较早）,文件（较晚）"));
    let (code, _, err) = run(&[&"compare", &a, &b]);
    assert_eq!(code, 2);
    assert!(err.contains("--summary"), "{err}");
}
