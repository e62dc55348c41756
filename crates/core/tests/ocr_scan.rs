//! Scanned reports read by OCR along the tables' grid (issue 14), on a real scan: the
//! published huaian-2024.pdf rasterised at 150 dpi, grey JPEG, one picture per page
//! (tests/fixtures/scan/, made by tools/make-scan.sh). Runs where `tesseract` with `chi_sim`
//! is installed; elsewhere each test prints why it is skipped and passes.

use nianbao_core::model::Status;
use nianbao_core::open::{self, ocr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn fixture(rel: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn ocr_ready(test: &str) -> bool {
    match ocr::available() {
        Ok(()) => true,
        Err(m) => {
            eprintln!("{test}: skipped, OCR is not installed here: {}", m.0);
            false
        }
    }
}

#[test]
fn a_scanned_report_reads_nine_in_ten_cells_and_marks_every_one() {
    if !ocr_ready("a_scanned_report_reads_nine_in_ten_cells_and_marks_every_one") {
        return;
    }
    let start = std::time::Instant::now();
    let r = open::bytes(&fixture("scan/huaian-2024-scan.pdf"), "huaian-2024-scan.pdf").expect("the scan is read");
    eprintln!("OCR of the 6-page scan: {:.1} s", start.elapsed().as_secs_f64());
    if let Some(p) = std::env::var_os("NIANBAO_OCR_DUMP") {
        std::fs::write(p, &r.text).unwrap();
    }
    assert_eq!(r.format, "pdf-ocr");
    assert_eq!(r.template.number(), 2021);
    let want: serde_json::Value = serde_json::from_slice(&fixture("expected/huaian-2024.json")).unwrap();
    let cells = want["cells"].as_array().unwrap();
    let (mut right, mut wrong, mut none) = (0, Vec::new(), Vec::new());
    for c in cells {
        let key =
            format!("{}/{}/{}", c["table"].as_str().unwrap(), c["row"].as_str().unwrap(), c["col"].as_str().unwrap());
        let i = r.layout().index_of_key(&key).unwrap_or_else(|| panic!("{key} not in layout"));
        let got = &r.cells[i];
        let exp = c["value"].as_f64();
        if got.value == exp {
            right += 1;
        } else if got.value.is_some() {
            wrong.push(format!("{key}: {:?} ≠ {exp:?} ({:?}, {:?})", got.value, got.status, got.repair));
        } else {
            none.push(format!("{key}: {:?} {:?}", got.status, got.text));
        }
    }
    // Nothing OCR read is plain `parsed`: a value has a repair naming OCR and its confidence.
    for (i, c) in r.cells.iter().enumerate() {
        assert_ne!(c.status, Status::Parsed, "{} is plain parsed", r.layout().cells[i].key());
        if c.status == Status::Repaired {
            assert!(
                c.repair.as_deref().unwrap_or("").contains("扫描件")
                    || c.repair.as_deref().unwrap_or("").contains("OCR")
            );
        }
    }
    eprintln!(
        "right {right} of {}; wrong (all marked repaired) {}: {wrong:#?}; without value {}: {none:#?}",
        cells.len(),
        wrong.len(),
        none.len()
    );
    assert!(right * 10 >= cells.len() * 9, "only {right} of {} cells right", cells.len());
    assert!(r.organ.as_deref().unwrap_or("").contains("淮安"), "organ {:?}", r.organ);
    assert_eq!(r.year, Some(2024));
}

#[test]
fn progress_grows_to_its_total_and_cancel_stops_the_reading() {
    if !ocr_ready("progress_grows_to_its_total_and_cancel_stops_the_reading") {
        return;
    }
    // Page 5 of the scan holds most of table 三.
    let bytes = fixture("scan/huaian-2024-scan.pdf");
    let pages = ocr::raster_pdf(&bytes).unwrap();
    assert_eq!(pages.len(), 6);
    let calls = Arc::new(AtomicUsize::new(0));
    let last = Arc::new(std::sync::Mutex::new((0, 0)));
    let (c2, l2) = (calls.clone(), last.clone());
    let control = ocr::Control::with_listener(move |done, total| {
        c2.fetch_add(1, Ordering::Relaxed);
        let mut l = l2.lock().unwrap();
        assert!(done >= l.0 && done <= total, "progress went back or past its total: {done}/{total} after {l:?}");
        *l = (done, total);
    });
    let reading = ocr::read_pages(&pages[4..5], &control).unwrap();
    let (done, total) = control.progress();
    assert!(total > 20 && done == total, "{done}/{total}");
    assert!(calls.load(Ordering::Relaxed) >= 3);
    assert_eq!(*last.lock().unwrap(), (total, total));
    assert!(reading.text.lines().any(|l| l.matches('\t').count() >= 7), "rows as tab-separated fields");
    assert!(!reading.reads.is_empty());

    // Cancelled before it starts, and while it runs: the reading stops with the cancel error.
    let c = ocr::Control::new();
    c.cancel();
    assert_eq!(ocr::read_pages(&pages[4..5], &c), Err(ocr::OcrError::Cancelled));
    let cancelled = ocr::Control::new();
    let start = std::time::Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(std::time::Duration::from_millis(300));
            cancelled.cancel();
        });
        assert_eq!(ocr::read_pages(&pages, &cancelled), Err(ocr::OcrError::Cancelled));
    });
    assert!(start.elapsed().as_secs_f64() < 15.0, "cancel took {:?}", start.elapsed());
}

#[test]
fn bad_scans_give_one_clear_line() {
    if !ocr_ready("bad_scans_give_one_clear_line") {
        return;
    }
    for (file, says) in
        [("scan/blank-pages.pdf", "空白"), ("scan/prose-page.jpg", "表格"), ("scan/photo-board.jpg", "")]
    {
        let name = file.rsplit('/').next().unwrap();
        let e = open::bytes(&fixture(file), name).expect_err(file);
        assert!(!e.0.contains('\n') && !e.0.is_empty() && e.0.contains(says), "{file}: {e}");
        eprintln!("{file}: {e}");
    }
}
