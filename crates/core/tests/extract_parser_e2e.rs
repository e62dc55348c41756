//! End to end: the project's own parser (a snapshot of nianbao-core) reads what these readers
//! write from the filled Word template and the rendered web page, and finds every cell.
use crate::common::*;
use nianbao_core::open::{docx_to_text, html_to_text};
use nianbao_core::parse::parse;

const TITLE: &str = "淮北市烈山区2021年政府信息公开工作年度报告";

/// Differences between what the parser read from `text` and `want` (blank keys: no value).
fn diff(text: &str, want: &Values, all: &Values) -> Vec<String> {
    let r = parse(text.to_string(), "UTF-8", "e2e").expect("parses");
    assert_eq!(r.template.number(), 2021);
    assert_eq!(r.year, Some(2021));
    assert!(r.organ.as_deref().unwrap_or("").contains("烈山区"), "organ {:?}", r.organ);
    let mut bad = Vec::new();
    for key in all.keys() {
        let i = r.layout().index_of_key(key).unwrap_or_else(|| panic!("{key} not in layout"));
        let got = r.cells[i].value;
        let exp = want.get(key).map(|v| v.parse::<f64>().unwrap());
        if got != exp {
            bad.push(format!("{key}: got {got:?} ({:?}) want {exp:?}", r.cells[i].status));
        }
    }
    bad
}

#[test]
fn parser_reads_every_cell_of_the_filled_word_template() {
    let all = expected("lieshan-2021");
    let text = docx_to_text(&filled_template(&all, Some(TITLE))).unwrap();
    assert_eq!(diff(&text, &all, &all), Vec::<String>::new());
    let v = distinct_values();
    let text = docx_to_text(&filled_template(&v, Some(TITLE))).unwrap();
    assert_eq!(diff(&text, &v, &v), Vec::<String>::new());
}

#[test]
fn parser_reads_every_cell_of_the_web_page() {
    let all = expected("lieshan-2021");
    for charset in ["utf-8", "gb2312"] {
        let page = page_html(TITLE, &all, charset);
        let bytes =
            if charset == "utf-8" { page.into_bytes() } else { encoding_rs::GB18030.encode(&page).0.into_owned() };
        let (text, _) = html_to_text(&bytes).unwrap();
        assert_eq!(diff(&text, &all, &all), Vec::<String>::new(), "{charset}");
    }
}

/// Every value typed into a cell is read, also when cells around it are left blank (empty
/// fields of a vertically merged label cell on the next line are no cells of this row).
#[test]
fn values_beside_blank_cells_are_read() {
    let all = expected("lieshan-2021");
    let v = with_blanks(&all, |k, val| {
        (k.starts_with("applications/denied.") && val == "0") || k.starts_with("review/litigation_direct/")
    });
    for text in [
        docx_to_text(&filled_template(&v, Some(TITLE))).unwrap(),
        html_to_text(page_html(TITLE, &v, "utf-8").as_bytes()).unwrap().0,
    ] {
        let r = parse(text, "UTF-8", "e2e").expect("parses");
        let mut bad = Vec::new();
        for (key, want) in &v {
            let i = r.layout().index_of_key(key).unwrap();
            if r.cells[i].value != Some(want.parse::<f64>().unwrap()) {
                bad.push(format!("{key}: got {:?} ({:?}) want {want}", r.cells[i].value, r.cells[i].repair));
            }
        }
        assert_eq!(bad, Vec::<String>::new());
    }
}

/// Each sample in the 2021 template, typed into the real Word template and rendered as a web
/// page, reads back to that sample's hand-checked cells.
#[test]
fn every_2021_sample_reads_back_from_word_and_from_a_web_page() {
    for name in ["lieshan-2021", "huaian-2024", "shuyang-2025"] {
        let all = expected(name);
        let docx = docx_to_text(&filled_template(&all, Some(TITLE))).unwrap();
        assert_eq!(diff(&docx, &all, &all), Vec::<String>::new(), "{name} docx");
        for charset in ["utf-8", "gb2312"] {
            let page = page_html(TITLE, &all, charset);
            let bytes =
                if charset == "utf-8" { page.into_bytes() } else { encoding_rs::GB18030.encode(&page).0.into_owned() };
            let (text, _) = html_to_text(&bytes).unwrap();
            assert_eq!(diff(&text, &all, &all), Vec::<String>::new(), "{name} html {charset}");
        }
    }
}
