//! Files as clerks have them, through the one way in (`nianbao_core::open`): the real PDF of a
//! report reads to its hand-checked cells; bad files of every kind exit 2 with one line of
//! Chinese and never panic.

use nianbao::{Status, load_path};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn expected(name: &str) -> Vec<(String, serde_json::Value)> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture(&format!("expected/{name}.json"))).unwrap()).unwrap();
    v["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!(
                    "{}/{}/{}",
                    c["table"].as_str().unwrap(),
                    c["row"].as_str().unwrap(),
                    c["col"].as_str().unwrap()
                ),
                c["value"].clone(),
            )
        })
        .collect()
}

#[test]
fn the_real_pdf_reads_every_cell_with_no_failing_error() {
    let r = load_path(&fixture("pdf/huaian-2024.pdf")).unwrap();
    assert_eq!(r.format, "pdf");
    assert_eq!(r.year, Some(2024));
    assert!(r.organ.as_deref().unwrap_or("").contains("淮安市"), "{:?}", r.organ);
    let mut wrong = Vec::new();
    for (key, want) in expected("huaian-2024") {
        let i = r.layout().index_of_key(&key).unwrap();
        let c = &r.cells[i];
        if c.value != want.as_f64() || c.status != Status::Parsed {
            wrong.push(format!("{key}: {:?} {:?} want {want}", c.value, c.status));
        }
        // Every span points into the text the desk shows.
        let (a, b) = c.span.expect("a span");
        assert!(r.text.is_char_boundary(a) && r.text.is_char_boundary(b) && a <= b);
    }
    assert_eq!(wrong, Vec::<String>::new());
    let failing: Vec<_> =
        nianbao::checks::run(&r).into_iter().filter(|c| !c.passed && c.severity == nianbao::Severity::Error).collect();
    assert!(failing.is_empty(), "{failing:?}");
}

#[test]
fn bad_files_of_every_kind_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = std::fs::read(fixture("pdf/huaian-2024.pdf")).unwrap();
    let docx = std::fs::read(fixture("docx/template-2021.docx")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated.pdf", pdf[..pdf.len() / 3].to_vec(), "PDF"),
        ("encrypted.pdf", std::fs::read(fixture("pdf/encrypted-userpw.pdf")).unwrap(), "加密"),
        ("scanned.pdf", std::fs::read(fixture("pdf/scanned.pdf")).unwrap(), "扫描件"),
        ("not-word.docx", b"PK\x03\x04this is not a word file at all".to_vec(), ""),
        ("truncated.docx", docx[..docx.len() / 2].to_vec(), ""),
        ("old.doc", vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0], ".docx"),
        ("old.wps", vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0], ".docx"),
        ("sheet.xls", vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0], "Excel"),
        ("page.html", b"<html><head><title>x</title></head><body><p>no table here</p></body></html>".to_vec(), ""),
        ("empty.txt", Vec::new(), "空"),
        ("doc.ofd", b"PK\x03\x04\x14\x00\x00\x00OFD.xml".to_vec(), "OFD"),
    ];
    for (name, bytes, says) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_nianbao")).arg("check").arg(&path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn a_folder_run_reads_pdf_word_and_web_pages() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("pdf/huaian-2024.pdf"), dir.path().join("a.pdf")).unwrap();
    std::fs::copy(fixture("yuan-2020.txt"), dir.path().join("b.txt")).unwrap();
    std::fs::copy(fixture("docx/template-2021.docx"), dir.path().join("c.docx")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .arg("check")
        .arg(dir.path())
        .arg("--summary")
        .arg(dir.path().join("s.csv"))
        .output()
        .unwrap();
    let summary = std::fs::read_to_string(dir.path().join("s.csv")).unwrap();
    assert!(summary.contains("a.pdf") && summary.contains("b.txt") && summary.contains("c.docx"), "{summary}");
    // The blank template has no values: it fails, but it was read.
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn json_says_what_the_file_was() {
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["export", "--format", "json"])
        .arg(fixture("pdf/huaian-2024.pdf"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["export", "--format", "json"])
        .arg(fixture("yuan-2020.txt"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "text");
}
