//! Whole folders: every file gets a row, one bad file never stops the run, exit codes over the
//! batch follow SCHEMA.md, the summary CSV and the exports are complete.

use nianbao::batch::{self, ExportSpec};
use std::fs;
use std::path::{Path, PathBuf};

const FIXTURES: [&str; 4] = ["lieshan-2020.txt", "lieshan-2021.txt", "lishi-2020.txt", "yuan-2020.txt"];

fn fixture(name: &str) -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

/// The four samples, a damaged copy, a binary file, an empty file, in a nested folder.
fn pile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("2020/区县")).unwrap();
    for (i, f) in FIXTURES.iter().enumerate() {
        let to = if i % 2 == 0 { root.join(f) } else { root.join("2020/区县").join(f) };
        fs::write(to, fixture(f)).unwrap();
    }
    let good = String::from_utf8(fixture("lieshan-2021.txt")).unwrap();
    let damaged = good.replacen("（七）总计\n\t8\n", "（七）总计\n\t9\n", 1);
    assert_ne!(good, damaged);
    fs::write(root.join("2020/damaged.txt"), damaged).unwrap();
    let mut binary: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    binary[10] = 0;
    fs::write(root.join("binary.txt"), binary).unwrap();
    fs::write(root.join("empty.txt"), "").unwrap();
    fs::write(root.join("notes.md"), "not taken").unwrap();
    dir
}

fn row<'a>(s: &'a batch::Summary, name: &str) -> &'a batch::Row {
    s.rows.iter().find(|r| r.file.file_name().unwrap() == name).unwrap_or_else(|| panic!("no row for {name}"))
}

#[test]
fn checks_a_whole_folder() {
    let dir = pile();
    let (files, errors) = batch::collect_inputs(&[dir.path().to_path_buf()]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(files.len(), 7, "{files:?}");
    let mut lines = Vec::new();
    let s = batch::check_all(&files, false, |r| lines.extend(r.line()));
    assert_eq!(s.rows.len(), 7);
    assert_eq!(s.exit_code(), 2);
    assert_eq!(s.unreadable, 2);

    let bin = row(&s, "binary.txt");
    let reason = bin.error.as_deref().unwrap();
    assert!(reason.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{reason}");
    assert_eq!(row(&s, "empty.txt").error.as_deref(), Some("文件是空的"));

    let d = row(&s, "damaged.txt");
    assert!(d.error.is_none() && d.fails && d.errors > 0);
    assert!(d.failed_ids.iter().any(|i| i == "applications.row_sum"), "{:?}", d.failed_ids);
    assert!(d.failed_ids.iter().any(|i| i == "applications.outcome_sum"), "{:?}", d.failed_ids);
    assert_eq!(d.template, Some(2021));

    let good = row(&s, "lieshan-2021.txt");
    assert!(good.error.is_none() && !good.failed_ids.iter().any(|i| i == "applications.row_sum"));
    for f in FIXTURES {
        let r = row(&s, f);
        assert!(r.error.is_none(), "{f}: {:?}", r.error);
        assert!(r.organ.is_some() && r.year.is_some() && r.encoding.as_deref() == Some("UTF-8"), "{r:?}");
    }
    // One line per failing or unreadable file, none for those that pass.
    assert_eq!(lines.len(), s.failed + s.unreadable);
    assert!(lines.iter().any(|l| l.contains("damaged.txt") && l.contains("applications.row_sum")), "{lines:?}");

    let csv = batch::summary_csv(&s.rows);
    assert!(csv.starts_with("\u{feff}file,organ,year,template,encoding,errors,warnings,failed_checks,error\r\n"));
    assert_eq!(csv.matches("\r\n").count(), 8);
    let dline = csv.lines().find(|l| l.contains("damaged.txt")).unwrap();
    assert!(dline.contains(",2021,UTF-8,") && dline.contains("applications.row_sum;"), "{dline}");
}

#[test]
fn missing_arguments_are_reported_and_the_run_goes_on() {
    let dir = pile();
    let gone = dir.path().join("gone.txt");
    let (files, errors) = batch::collect_inputs(&[gone.clone(), dir.path().join("lieshan-2020.txt")]);
    assert_eq!(files.len(), 1);
    assert_eq!(errors, vec![(gone, "文件不存在".to_string())]);
    let s = batch::with_errors(&errors, batch::check_all(&files, false, |_| {}));
    assert_eq!((s.rows.len(), s.unreadable, s.exit_code()), (2, 1, 2));
}

#[test]
fn exit_code_one_without_unreadable_files_and_strict_counts_warnings() {
    let dir = pile();
    let files: Vec<PathBuf> = vec![dir.path().join("lieshan-2020.txt"), dir.path().join("2020/damaged.txt")];
    assert_eq!(batch::check_all(&files, false, |_| {}).exit_code(), 1);
    let one = vec![dir.path().join("2020/damaged.txt")];
    let s = batch::check_all(&one, false, |_| {});
    assert_eq!(s.exit_code(), 1);
    let all_ok: Vec<PathBuf> = FIXTURES
        .iter()
        .map(|f| {
            batch::collect_inputs(&[dir.path().to_path_buf()])
                .0
                .into_iter()
                .find(|p| p.file_name().unwrap() == *f)
                .unwrap()
        })
        .collect();
    let lax = batch::check_all(&all_ok, false, |_| {});
    let strict = batch::check_all(&all_ok, true, |_| {});
    assert!(strict.exit_code() >= lax.exit_code());
    if lax.rows.iter().any(|r| r.warnings > 0) {
        assert_eq!(strict.exit_code(), 1);
    }
}

#[test]
fn exports_one_file_per_input_and_a_combined_csv() {
    let dir = pile();
    let out = tempfile::tempdir().unwrap();
    let (files, _) = batch::collect_inputs(&[dir.path().to_path_buf()]);
    let combined = out.path().join("all.csv");
    let spec = ExportSpec { out_dir: &out.path().join("json"), ext: "json", strict: false, combined: Some(&combined) };
    let (s, written) = batch::export_all(&files, &spec, |r, c| nianbao::export::json::to_json(r, c, &[]), |_| {});
    written.unwrap();
    assert_eq!(s.exit_code(), 2);
    assert_eq!(s.unreadable, 2);
    // The tree is mirrored; the unreadable files have no output.
    assert!(out.path().join("json/2020/区县/lieshan-2021.json").is_file());
    assert!(out.path().join("json/2020/damaged.json").is_file());
    assert!(out.path().join("json/lieshan-2020.json").is_file());
    assert!(!out.path().join("json/binary.json").exists());
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(out.path().join("json/2020/区县/yuan-2020.json")).unwrap()).unwrap();
    assert!(v["cells"].as_array().is_some_and(|c| !c.is_empty()));

    // Combined CSV: BOM, one header, every cell of the five readable reports, in input order.
    let csv = fs::read_to_string(&combined).unwrap();
    assert!(csv.starts_with("\u{feff}file,organ,year,template,table,row,col,label,value,status\r\n"));
    assert_eq!(csv.matches("file,organ").count(), 1);
    let mut reports: Vec<String> = Vec::new();
    let mut cells = 0;
    for l in csv.lines().skip(1) {
        let file = l.split(',').next().unwrap().to_string();
        if reports.last() != Some(&file) {
            reports.push(file);
        }
        cells += 1;
    }
    let readable: Vec<String> =
        s.rows.iter().filter(|r| r.error.is_none()).map(|r| r.file.display().to_string()).collect();
    assert_eq!(reports, readable);
    assert!(cells > 5 * 100, "{cells}");
    // No temporary files left behind.
    let leftovers: Vec<_> = fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn an_output_that_cannot_be_written_is_reported_per_file() {
    let dir = pile();
    let out = tempfile::tempdir().unwrap();
    // A file where the output folder should be.
    let blocker = out.path().join("o");
    fs::write(&blocker, "x").unwrap();
    let files = vec![dir.path().join("lieshan-2020.txt")];
    let spec = ExportSpec { out_dir: &blocker, ext: "ron", strict: false, combined: None };
    let (s, written) = batch::export_all(&files, &spec, |r, _| nianbao::document::to_ron(r), |_| {});
    written.unwrap();
    assert_eq!(s.exit_code(), 2);
    assert!(s.rows[0].error.as_deref().unwrap().starts_with("无法写入"), "{:?}", s.rows[0].error);
}

#[test]
fn never_overwrites_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let ron = dir.path().join("a.ron");
    let report = nianbao::load_bytes(&fixture("lishi-2020.txt"), "lishi-2020.txt").unwrap();
    fs::write(&ron, nianbao::document::to_ron(&report)).unwrap();
    let before = fs::read(&ron).unwrap();
    let spec = ExportSpec { out_dir: dir.path(), ext: "ron", strict: false, combined: None };
    let (s, _) = batch::export_all(std::slice::from_ref(&ron), &spec, |_, _| "clobbered".into(), |_| {});
    assert_eq!(s.exit_code(), 2);
    assert_eq!(fs::read(&ron).unwrap(), before);
}

#[test]
fn a_pdf_in_a_folder_is_reported_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(format!("{}/tests/fixtures/yuan-2020.txt", env!("CARGO_MANIFEST_DIR")), dir.path().join("a.txt"))
        .unwrap();
    std::fs::write(dir.path().join("b.pdf"), b"%PDF-1.7\n...").unwrap();
    std::fs::write(dir.path().join("notes.md"), "not a report").unwrap();
    let (files, errors) = nianbao::batch::collect_inputs(&[dir.path().to_path_buf()]);
    assert!(errors.is_empty());
    assert_eq!(files.len(), 2, "{files:?}");
    let s = nianbao::batch::check_all(&files, false, |_| {});
    assert_eq!(s.exit_code(), 2);
    let pdf = s.rows.iter().find(|r| r.file.ends_with("b.pdf")).unwrap();
    assert!(pdf.error.as_deref().unwrap().contains("PDF"), "{:?}", pdf.error);
}
