//! The same report in other layouts reads the same: each sample's cleaned TXT export (one row
//! per line, tab-separated) re-laid out as PDF text (spaces), one cell per line, labels broken
//! every few characters with the numbers on their own line, and headers one character per line.
//! Layouts come from the samples' own tables, so this tests the parser, not the samples.

use nianbao::{Report, load_bytes};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn values(r: &Report) -> Vec<Option<f64>> {
    r.cells.iter().map(|c| c.value).collect()
}

/// Lines of `txt` that hold a table row (label, tab, values) are changed by `row`; header lines
/// (the first field is 项目 or a group heading) by `header`.
fn relayout(txt: &str, row: impl Fn(&str, &[&str]) -> String, header: impl Fn(&[&str]) -> String) -> String {
    txt.split('\n')
        .map(|line| {
            let parts: Vec<&str> = line.split('\t').collect();
            if parts.len() < 2 {
                line.to_string()
            } else if parts[1..]
                .iter()
                .all(|p| p.is_empty() || p.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-'))
            {
                row(parts[0], &parts[1..])
            } else {
                header(&parts)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn broken(label: &str, n: usize) -> String {
    let chars: Vec<char> = label.chars().collect();
    chars.chunks(n).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_sample_reads_the_same_in_five_layouts() {
    for name in ["lieshan-2020", "lieshan-2021", "lishi-2020", "yuan-2020"] {
        let clean = load_bytes(&fixture(name), name).unwrap();
        let txt = nianbao::export::txt::to_txt(&clean);
        let layouts = [
            ("tabs", txt.clone()),
            ("spaces (PDF text)", txt.replace('\t', " ")),
            ("one cell per line", txt.replace('\t', "\n")),
            (
                "labels broken, numbers on their own line",
                relayout(&txt, |l, v| format!("{}\n{}", broken(l, 5), v.join(" ")), |h| h.join("\t")),
            ),
            (
                "headers one character per line",
                relayout(
                    &txt,
                    |l, v| format!("{l}\t{}", v.join("\t")),
                    |h| h.iter().map(|p| broken(p, 1)).collect::<Vec<_>>().join("\n"),
                ),
            ),
        ];
        for (layout, text) in layouts {
            let r = load_bytes(text.as_bytes(), name).unwrap_or_else(|e| panic!("{name} {layout}: {e}"));
            assert_eq!(r.template, clean.template, "{name} {layout}");
            assert_eq!(values(&r), values(&clean), "{name} {layout}");
            assert!(r.cells.iter().all(|c| c.status == nianbao::Status::Parsed), "{name} {layout}");
        }
    }
}
