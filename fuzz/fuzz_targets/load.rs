//! open (every input format: text, `.ron`, PDF, Word, web page — detected by content) + parse +
//! check + RON round trip, on arbitrary bytes under each kind of name. Nothing may panic; a review that loads must save and load back
//! into the same report.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["report.txt", "review.ron", "report.pdf", "report.docx", "report.html"] {
        if let Ok(report) = nianbao::load_bytes(data, name) {
            let checks = nianbao::checks::run(&report);
            let _ = nianbao::checks::count(&checks);
            let ron = nianbao::document::to_ron(&report);
            let back =
                nianbao::document::from_ron(ron.as_bytes()).expect("a saved review loads back");
            assert_eq!(back, report, "RON round trip changed the report");
        }
    }
});
