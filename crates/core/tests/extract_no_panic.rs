//! Mutated, truncated and pathological inputs: every call returns, and nothing panics — a panic
//! hook counts panics even though the readers would catch them.
use crate::common::*;
use nianbao_core::open::{docx_to_text, html_to_text};
use std::io::{Cursor, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

static PANICS: AtomicUsize = AtomicUsize::new(0);
static HOOK: Once = Once::new();

fn count_panics() {
    HOOK.call_once(|| {
        let old = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            old(info);
        }));
    });
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

fn stored_docx(xml: &[u8]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("word/document.xml", opts).unwrap();
    z.write_all(xml).unwrap();
    z.finish().unwrap().into_inner()
}

/// Cut, delete, duplicate or insert at random places.
fn mutate(rng: &mut Rng, base: &[u8], inserts: &[&str]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        let n = v.len();
        match rng.below(5) {
            0 => v.truncate(rng.below(n)),
            1 => {
                let a = rng.below(n);
                let b = (a + rng.below(2000)).min(n);
                v.drain(a..b);
            }
            2 => {
                let a = rng.below(n);
                let b = (a + rng.below(500)).min(n);
                let chunk = v[a..b].to_vec();
                let at = rng.below(n);
                v.splice(at..at, chunk);
            }
            3 => {
                let s = inserts[rng.below(inserts.len())];
                let at = rng.below(n);
                v.splice(at..at, s.bytes());
            }
            _ => {
                for _ in 0..1 + rng.below(8) {
                    if !v.is_empty() {
                        let i = rng.below(v.len());
                        v[i] = rng.next() as u8;
                    }
                }
            }
        }
    }
    v
}

#[test]
fn mutated_docx_archives() {
    count_panics();
    let base = filled_template(&distinct_values(), None);
    let mut rng = Rng(7);
    for _ in 0..150 {
        let v = mutate(&mut rng, &base, &["PK\x03\x04", "PK\x01\x02", "PK\x05\x06"]);
        let _ = docx_to_text(&v);
    }
    assert_eq!(PANICS.load(Ordering::SeqCst), 0);
}

#[test]
fn mutated_document_xml() {
    count_panics();
    let xml = read_entry(&std::fs::read(TEMPLATE).unwrap(), "word/document.xml");
    let inserts = [
        "<w:tbl>",
        "</w:tbl>",
        "<w:tr>",
        "</w:tr>",
        "<w:tc>",
        "</w:tc>",
        "<w:p>",
        "</w:p>",
        "<w:t>",
        "</w:t>",
        "<w:gridSpan w:val=\"99999999999999999999\"/>",
        "<w:gridSpan w:val=\"-3\"/>",
        "<w:gridBefore w:val=\"100000\"/>",
        "<w:vMerge/>",
        "<w:hMerge/>",
        "&#0;",
        "&#xD800;",
        "&bogus;",
        "<mc:Fallback>",
        "<w:del>",
        "<w:tbl/>",
        "<w:tc/>",
        "<w:tr/>",
        "<w:p/>",
        "]]>",
        "<![CDATA[",
        "<!--",
        "\u{0}",
        "<w:rPr><w:vanish/></w:rPr>",
    ];
    let mut rng = Rng(11);
    for _ in 0..300 {
        let v = mutate(&mut rng, xml.as_bytes(), &inserts);
        let _ = docx_to_text(&stored_docx(&v));
    }
    assert_eq!(PANICS.load(Ordering::SeqCst), 0);
}

#[test]
fn mutated_pages() {
    count_panics();
    let page = page_html("淮北市烈山区2021年政府信息公开工作年度报告", &distinct_values(), "utf-8");
    let gb_page = page.replace("utf-8", "gb2312");
    let (gb, _, _) = encoding_rs::GB18030.encode(&gb_page);
    let inserts = [
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td rowspan=0>",
        "<td colspan=99999999999>",
        "<td rowspan=65534>",
        "<th colspan=0>",
        "<tbody>",
        "<thead>",
        "<tfoot>",
        "<caption>",
        "<script>",
        "</script>",
        "<!--",
        "<div class=nav>",
        "<p style='display:none'>",
        "<br>",
        "<pre>",
        "\u{0}",
        "&#0;",
        "&#xD800;",
        "<meta charset=utf-16>",
        "<svg>",
        "<math>",
        "<template>",
        "<frameset>",
        "<select>",
        "<title>",
        "\u{FEFF}",
        "\u{FFFE}",
    ];
    let mut rng = Rng(13);
    for i in 0..300 {
        let base: &[u8] = if i % 3 == 0 { &gb } else { page.as_bytes() };
        let v = mutate(&mut rng, base, &inserts);
        let _ = html_to_text(&v);
    }
    assert_eq!(PANICS.load(Ordering::SeqCst), 0);
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    count_panics();
    let n = 5_000;
    for (open, close) in
        [("<div>", "</div>"), ("<table><tr><td>", "</td></tr></table>"), ("<span>", "</span>"), ("<li>", "")]
    {
        let page = format!("<html><body>{}深处的文字{}</body></html>", open.repeat(n), close.repeat(n));
        let r = html_to_text(page.as_bytes());
        assert!(r.as_ref().is_ok_and(|(t, _)| t.contains("深处的文字")), "{open}: {r:?}");
    }
    let mut x =
        String::from("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
    x.push_str(&"<w:sdt><w:sdtContent>".repeat(n));
    x.push_str("<w:p><w:r><w:t>深处</w:t></w:r></w:p>");
    x.push_str(&"</w:sdtContent></w:sdt>".repeat(n));
    x.push_str("</w:body></w:document>");
    assert_eq!(docx_to_text(&stored_docx(x.as_bytes())).unwrap(), "深处\n");
    assert_eq!(PANICS.load(Ordering::SeqCst), 0);
}
