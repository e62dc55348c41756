//! The one way in: a path, bytes or standard input become a report. Everything that reads a
//! report (the command line, folders, the desk, the compare view) comes through here.
//!
//! Invariants: the format is decided by content first (magic bytes, markup), the name only
//! breaks ties; a file over [`MAX_BYTES`] is refused before it is read; a panic anywhere in
//! extracting or parsing becomes a [`LoadError`] (keep `panic = "unwind"` in every profile);
//! every refusal is one line of Chinese saying what to do. The report's `format` says what the
//! file was (`text`, `ron`, `docx`, `html`, `pdf`, and `pdf-ocr` / `image-ocr` for a scan read
//! by OCR), and every cell's span points into the text that was extracted, which is what the
//! desk shows. A PDF without a text layer and an image file (.png, .jpg, .tif) are read by
//! OCR ([`ocr`]) where tesseract is installed; [`bytes_with`] / [`path_with`] take an
//! [`ocr::Control`] for its progress and cancel (the others run without one).

mod docx;
mod html;
pub mod ocr;
pub mod pdf;
mod table_text;

pub use docx::docx_to_text;
pub use html::html_to_text;
pub use table_text::{ExtractError, OLE2_REASON};

use crate::document::{LoadError, from_ron, looks_like_ron};
use crate::model::Report;
use std::io::Read;
use std::path::Path;

/// Files larger than this are refused without reading them (no report is near it).
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// File extensions a folder run picks up.
pub const EXTENSIONS: [&str; 6] = ["txt", "ron", "pdf", "docx", "html", "htm"];

/// Extensions of files a clerk may have dropped among the reports that do not open; a folder
/// run picks them up too, so that each is named with what to do instead of being skipped.
pub const REFUSED_EXTENSIONS: [&str; 5] = ["doc", "wps", "rtf", "ofd", "xls"];

/// What a file is, by its content (and its name where the content cannot tell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Ron,
    Docx,
    Html,
    Pdf,
    /// A picture (PNG, JPEG, TIFF): read by OCR.
    Image,
    /// A file nianbao cannot read directly; the message says what to do.
    Foreign(&'static str),
}

impl Kind {
    /// The JSON `format` of SCHEMA.md.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Text | Kind::Foreign(_) => "text",
            Kind::Ron => "ron",
            Kind::Docx => "docx",
            Kind::Html => "html",
            Kind::Pdf => "pdf",
            Kind::Image => "image-ocr",
        }
    }
}

/// The format as the desk's header shows it.
pub fn format_label(key: &str) -> &'static str {
    match key {
        "ron" => "审校文件",
        "docx" => "Word 文档",
        "html" => "网页",
        "pdf" => "PDF",
        "pdf-ocr" => "扫描件（OCR）",
        "image-ocr" => "扫描图片（OCR）",
        _ => "文本",
    }
}

fn ends(name: &str, ext: &[&str]) -> bool {
    let n = name.to_ascii_lowercase();
    ext.iter().any(|e| n.ends_with(e))
}

/// Decide what `bytes` are.
pub fn detect(bytes: &[u8], name: &str) -> Kind {
    let head = &bytes[..bytes.len().min(1024)];
    if head.starts_with(b"%PDF") || (head.len() > 8 && ends(name, &[".pdf"]) && head.windows(5).any(|w| w == b"%PDF-"))
    {
        return Kind::Pdf;
    }
    if head.starts_with(b"PK\x03\x04") {
        let tail = &bytes[bytes.len().saturating_sub(65536)..];
        let has = |n: &[u8]| head.windows(n.len()).any(|w| w == n) || tail.windows(n.len()).any(|w| w == n);
        if has(b"OFD.xml") {
            return Kind::Foreign("这是 OFD 版式文件：请用 OFD 阅读器把它另存为 PDF（或把文字另存为 .docx）再打开");
        }
        return Kind::Docx;
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        if ends(name, &[".xls", ".et"]) {
            return Kind::Foreign("这是旧版 Excel（.xls）表格：请把报告另存为 Word 文档（.docx）或 PDF 再打开");
        }
        return Kind::Foreign(
            "这是旧版 Word（.doc）或 WPS（.wps）文件：请在 Word 或 WPS 中“另存为” Word 文档（.docx）或 PDF 再打开",
        );
    }
    if head.starts_with(b"{\\rtf") {
        return Kind::Foreign("这是 RTF 文件：请在 Word 或 WPS 中“另存为” Word 文档（.docx）再打开");
    }
    if looks_like_ron(bytes, name) {
        return Kind::Ron;
    }
    if looks_like_html(head) || ends(name, &[".html", ".htm", ".xhtml"]) && head.contains(&b'<') {
        return Kind::Html;
    }
    if [b"\x89PNG".as_slice(), b"\xFF\xD8\xFF", b"II*\x00", b"MM\x00*"].iter().any(|m| head.starts_with(m)) {
        return Kind::Image;
    }
    if head.starts_with(b"GIF8") {
        return Kind::Foreign(
            "这是 GIF 图片：请把扫描页另存为 PNG、JPEG 或 TIFF 再打开（或找报告的 PDF、Word 或网页版本）",
        );
    }
    Kind::Text
}

fn looks_like_html(head: &[u8]) -> bool {
    // Markup starts with '<' after a BOM and spaces: most texts are told by their first byte.
    let start = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    if start.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'<') {
        return false;
    }
    let s = String::from_utf8_lossy(head).to_ascii_lowercase();
    let s = s.trim_start_matches('\u{feff}').trim_start();
    s.starts_with("<!doctype html")
        || s.starts_with("<html")
        || s.starts_with("<?xml") && s.contains("<html")
        || (s.starts_with('<') && (s.contains("<head") || s.contains("<body") || s.contains("<meta")))
}

/// Open a report from its bytes; `name` is the file's name (for CSV and the title).
pub fn bytes(bytes: &[u8], name: &str) -> Result<Report, LoadError> {
    bytes_with(bytes, name, &ocr::Control::new())
}

/// [`bytes`], reporting the progress of OCR (a scan) to `control` and stopping when it is
/// cancelled.
pub fn bytes_with(bytes: &[u8], name: &str, control: &ocr::Control) -> Result<Report, LoadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| open_bytes(bytes, name, control)))
        .unwrap_or_else(|_| Err(LoadError::new("读取时发生内部错误（请把这份文件报告给开发者）")))
}

/// Read a scan's pages by OCR, parse the text, and mark every cell by how it was read.
fn scanned(
    pages: Result<Vec<ocr::Page>, ocr::OcrError>,
    name: &str,
    format: &str,
    control: &ocr::Control,
) -> Result<Report, LoadError> {
    let reading = pages.and_then(|p| ocr::read_pages(&p, control)).map_err(|e| LoadError::new(e.to_string()))?;
    // No invisible characters in OCR text (ocr's invariant): spans stay as read.
    let mut r = crate::parse::parse(reading.text, "UTF-8", name)
        .map_err(|e| LoadError::new(format!("这是扫描件，经文字识别（OCR）后：{e}")))?;
    ocr::mark(&mut r, &reading.reads);
    r.format = format.into();
    Ok(r)
}

fn open_bytes(bytes: &[u8], name: &str, control: &ocr::Control) -> Result<Report, LoadError> {
    let kind = detect(bytes, name);
    let extracted = |text: String, kind: Kind| -> Result<Report, LoadError> {
        let mut r = crate::parse::parse(crate::decode::drop_invisible(&text), "UTF-8", name)?;
        r.format = kind.key().into();
        Ok(r)
    };
    match kind {
        Kind::Foreign(why) => Err(LoadError::new(why)),
        Kind::Ron => from_ron(bytes),
        Kind::Docx => extracted(docx_to_text(bytes).map_err(|e| LoadError::new(e.to_string()))?, kind),
        Kind::Html => extracted(html_to_text(bytes).map_err(|e| LoadError::new(e.to_string()))?.0, kind),
        Kind::Pdf => match pdf::pdf_to_text(bytes) {
            Ok(text) => extracted(text, kind),
            Err(pdf::PdfError::Scanned) => scanned(ocr::raster_pdf(bytes), name, "pdf-ocr", control),
            Err(e) => Err(LoadError::new(e.to_string())),
        },
        Kind::Image => scanned(ocr::raster_image(bytes), name, kind.key(), control),
        Kind::Text => {
            let d = crate::decode::decode(bytes)?;
            crate::parse::parse(d.text, d.encoding, name)
        }
    }
}

/// Read a file, refusing folders and files over [`MAX_BYTES`] without reading them.
pub fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    let io = |e: std::io::Error| LoadError::new(format!("无法读取文件：{}", crate::document::io_reason(&e)));
    let mut f = std::fs::File::open(path).map_err(io)?;
    let meta = f.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(LoadError::new("这是一个文件夹"));
    }
    if meta.len() > MAX_BYTES {
        return Err(too_large(meta.len()));
    }
    // A regular file is read up to the size it has now, as grep does: one read for a report,
    // where `read_to_end` took three (8 KiB, the rest, and one more to see the end).
    if meta.is_file() && meta.len() > 0 {
        let mut bytes = vec![0; meta.len() as usize];
        let mut got = 0;
        while got < bytes.len() {
            match f.read(&mut bytes[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io(e)),
            }
        }
        bytes.truncate(got);
        return Ok(bytes);
    }
    // Anything else (a pipe, a device, a file the system gives no size): to its end, capped.
    let mut bytes = Vec::new();
    (&mut f).take(MAX_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(n: u64) -> LoadError {
    LoadError::new(format!("文件过大（{} MB），超过 {} MB 上限，不像是一份年报", n >> 20, MAX_BYTES >> 20))
}

/// Open a report from a file (`-` is standard input).
pub fn path(path: &Path) -> Result<Report, LoadError> {
    path_with(path, &ocr::Control::new())
}

/// [`path`] with OCR's progress and cancel (see [`bytes_with`]).
pub(crate) fn path_with(path: &Path, control: &ocr::Control) -> Result<Report, LoadError> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| LoadError::new(format!("无法读取标准输入：{}", crate::document::io_reason(&e))))?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        return self::bytes_with(&bytes, "-", control);
    }
    let data = read(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    bytes_with(&data, &name, control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_content() {
        assert_eq!(detect(b"%PDF-1.7\n", "a.txt"), Kind::Pdf);
        assert_eq!(detect(b"PK\x03\x04rest", "a.bin"), Kind::Docx);
        assert!(matches!(detect(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0], "a.doc"), Kind::Foreign(m) if m.contains(".docx")));
        assert!(matches!(detect(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0], "a.xls"), Kind::Foreign(m) if m.contains("Excel")));
        assert_eq!(detect(b"<!DOCTYPE html><html>", "a.txt"), Kind::Html);
        assert_eq!(detect("\u{feff}<html><head>".as_bytes(), "x"), Kind::Html);
        assert_eq!(detect("二、主动公开政府信息情况".as_bytes(), "a.html"), Kind::Text);
        assert_eq!(detect("规章 0 0 0 <1>".as_bytes(), "a.txt"), Kind::Text);
        assert_eq!(detect(b"\x89PNG\r\n", "a.png"), Kind::Image);
        assert_eq!(detect(b"\xFF\xD8\xFF\xE0", "a.jpg"), Kind::Image);
        assert!(matches!(detect(b"GIF89a", "a.gif"), Kind::Foreign(_)));
        assert!(matches!(detect(b"PK\x03\x04....OFD.xml....", "a.ofd"), Kind::Foreign(m) if m.contains("OFD")));
    }

    #[test]
    fn refusals_are_one_line_and_never_panic() {
        for (bytes, name) in [
            (b"PK\x03\x04garbage".to_vec(), "a.docx"),
            (b"%PDF-1.4 truncated".to_vec(), "a.pdf"),
            (vec![0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3], "a.wps"),
            (b"<html><body><p>hello</p></body></html>".to_vec(), "a.html"),
            (Vec::new(), "a.txt"),
        ] {
            let e = self::bytes(&bytes, name).unwrap_err();
            assert!(!e.0.contains('\n') && !e.0.is_empty(), "{name}: {e}");
        }
    }
}
