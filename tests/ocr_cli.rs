//! The command line on scanned reports (issue 14): a picture of a page is read by OCR and
//! exported with its format and no plain `parsed` cell; where tesseract cannot be found the
//! command exits 2 naming the Debian packages to install.

use std::path::PathBuf;
use std::process::Command;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

#[test]
fn without_tesseract_a_scan_exits_2_naming_the_packages() {
    let empty = tempfile::tempdir().unwrap();
    for file in ["scan/huaian-2024-scan.pdf", "scan/huaian-2024-p4.jpg"] {
        let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["check"])
            .arg(fixture(file))
            .env("PATH", empty.path())
            .output()
            .unwrap();
        let all = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {all}");
        assert!(all.contains("tesseract-ocr tesseract-ocr-chi-sim"), "{file}: {all}");
        assert_eq!(all.trim().lines().count(), 1, "{file}: {all}");
    }
}

#[test]
fn a_picture_of_a_page_is_exported_as_image_ocr_with_every_cell_marked() {
    let ok = Command::new("tesseract").arg("--list-langs").output().is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .chain(String::from_utf8_lossy(&o.stderr).lines())
            .any(|l| l.trim() == "chi_sim")
    });
    if !ok {
        eprintln!("skipped: tesseract with chi_sim is not installed here");
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["export"])
        .arg(fixture("scan/huaian-2024-p4.jpg"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "image-ocr");
    let cells = v["cells"].as_array().unwrap();
    let status = |s: &str| cells.iter().filter(|c| c["status"] == s).count();
    assert_eq!(status("parsed"), 0);
    // Page 4 holds table 三's first rows: 3001 自然人 new applications among them.
    let new = cells
        .iter()
        .find(|c| c["table"] == "applications" && c["row"] == "new_received" && c["col"] == "natural_person")
        .unwrap();
    assert_eq!(new["value"], 3001.0);
    assert_eq!(new["status"], "repaired");
    assert!(status("repaired") >= 60, "{} repaired", status("repaired"));
}
