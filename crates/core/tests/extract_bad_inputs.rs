//! Inputs that are not what they claim: the right error (or text), never a panic.
use crate::common::*;
use nianbao_core::open::{ExtractError, docx_to_text, html_to_text};
use std::io::{Cursor, Write};

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        z.start_file(*name, opts).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn not_docx(r: Result<String, ExtractError>) -> String {
    match r {
        Err(ExtractError::NotDocx(why)) => why,
        other => panic!("expected NotDocx, got {other:?}"),
    }
}

fn damaged(r: Result<String, ExtractError>) -> String {
    match r {
        Err(ExtractError::Damaged(why)) => why,
        other => panic!("expected Damaged, got {other:?}"),
    }
}

#[test]
fn a_zip_that_is_not_a_docx() {
    let z = zip_of(&[("hello.txt", b"hello")]);
    assert!(not_docx(docx_to_text(&z)).contains("没有 Word 正文"));
    let x = zip_of(&[("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")]);
    assert!(not_docx(docx_to_text(&x)).contains("Excel"));
    let o = zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<x/>")]);
    assert!(not_docx(docx_to_text(&o)).contains("OpenDocument"));
    assert!(not_docx(docx_to_text(&zip_of(&[]))).contains("空的压缩包"));
}

#[test]
fn main_part_found_through_rels_when_not_at_the_usual_name() {
    let doc = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>"#.as_bytes();
    let rels = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
    let z = zip_of(&[("_rels/.rels", rels), ("word/document2.xml", doc)]);
    assert_eq!(docx_to_text(&z).unwrap(), "正文\n");
}

#[test]
fn a_truncated_docx() {
    let full = filled_template(&distinct_values(), None);
    let why = damaged(docx_to_text(&full[..full.len() / 2]));
    assert!(why.contains("损坏"), "{why}");
    // Every cut either reads (nothing lost that matters) or says why; none panics.
    for cut in (0..full.len()).step_by(997).chain([1, 2, 3, 4, full.len() - 1, full.len() - 22]) {
        match docx_to_text(&full[..cut]) {
            Ok(_) | Err(ExtractError::Damaged(_) | ExtractError::NotDocx(_) | ExtractError::NoText) => {}
        }
    }
}

#[test]
fn broken_xml_inside_a_good_zip() {
    let doc = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>正文</w:r></w:p>"#.as_bytes();
    let why = damaged(docx_to_text(&zip_of(&[("word/document.xml", doc)])));
    assert!(why.contains("document.xml"), "{why}");
    // Cut mid-document (unclosed elements, no error from the XML reader): what was read is kept.
    let doc = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc>"#.as_bytes();
    assert_eq!(docx_to_text(&zip_of(&[("word/document.xml", doc)])).unwrap(), "正文\na\n");
}

#[test]
fn an_ole2_doc_or_wps() {
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.resize(4096, 0);
    let e = docx_to_text(&doc).unwrap_err();
    assert!(e.is_legacy_word(), "{e:?}");
    assert!(e.to_string().contains("另存为"));
    // An encrypted .docx is an OLE2 file holding an EncryptedPackage stream.
    let mut enc = doc.clone();
    enc.extend("EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
    let e = docx_to_text(&enc).unwrap_err();
    assert!(e.is_legacy_word() && e.to_string().contains("密码"), "{e}");
}

#[test]
fn other_formats_by_their_magic() {
    assert!(not_docx(docx_to_text(b"%PDF-1.7\n...")).contains("PDF"));
    assert!(not_docx(docx_to_text(b"{\\rtf1\\ansi ...}")).contains("RTF"));
    assert!(not_docx(docx_to_text("<html><body><p>年报</p></body></html>".as_bytes())).contains("网页"));
    assert!(not_docx(docx_to_text(b"MIME-Version: 1.0\r\nContent-Type: multipart/related")).contains("MHT"));
    assert!(
        not_docx(docx_to_text(b"<?xml version=\"1.0\"?><?mso-application progid=\"Word.Document\"?><w:wordDocument/>"))
            .contains("2003")
    );
}

#[test]
fn random_bytes_and_empty_files() {
    let mut x: u64 = 0x9E3779B97F4A7C15;
    let junk: Vec<u8> = (0..5000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    assert!(not_docx(docx_to_text(&junk)).contains("不是 Word"));
    assert!(not_docx(docx_to_text(b"")).contains("空"));
    assert!(not_docx(docx_to_text(b"  \n")).contains("空"));
    assert_eq!(html_to_text(b"").unwrap_err(), ExtractError::NoText);
    assert_eq!(html_to_text(b" \r\n ").unwrap_err(), ExtractError::NoText);
    assert!(matches!(html_to_text(&junk), Ok(_) | Err(ExtractError::NotDocx(_) | ExtractError::NoText)));
    assert!(matches!(html_to_text(b"PK\x03\x04rest"), Err(ExtractError::NotDocx(_))));
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0];
    ole.resize(600, 0);
    assert!(matches!(html_to_text(&ole), Err(ExtractError::NotDocx(_))));
}

#[test]
fn a_docx_with_no_text_is_no_text() {
    let doc = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p/><w:p><w:r><w:drawing/></w:r></w:p><w:p><w:r><w:t>  </w:t></w:r></w:p></w:body></w:document>"#;
    assert_eq!(docx_to_text(&zip_of(&[("word/document.xml", doc)])), Err(ExtractError::NoText));
}

#[test]
fn html_without_any_text() {
    let page = "<html><head><title>空</title><script>var a=1</script></head><body><div class=\"nav\"><a>首页</a></div><img src=x></body></html>";
    assert_eq!(html_to_text(page.as_bytes()), Err(ExtractError::NoText));
}

#[test]
fn a_zip_bomb_is_refused() {
    // 65 MB of spaces deflate to ~64 KB.
    let big = vec![b' '; 65 * 1024 * 1024];
    let z = zip_of(&[("word/document.xml", &big)]);
    assert!(z.len() < 1024 * 1024);
    let why = damaged(docx_to_text(&z));
    assert!(why.contains("MB"), "{why}");
}
