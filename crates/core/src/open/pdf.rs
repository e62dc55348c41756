//! PDF to text for the report parser: the text of a PDF in reading order, with every row
//! of a ruled table on one line.
//!
//! Invariants:
//! - `pdf_to_text` never panics: the third-party code runs under `catch_unwind` (one page
//!   at a time) and a panic becomes `PdfError::Damaged`. Inputs that would make pdf-extract
//!   recurse without end (a form XObject drawing itself) are cut first, since a stack
//!   overflow aborts the process and no `catch_unwind` can stop it.
//! - Errors: a file that needs a password (or whose encryption cannot be read) is
//!   `Encrypted`; a PDF whose pages hold no text at all (scans) is `Scanned`; anything not a
//!   whole, readable PDF is `Damaged(reason)`: no `%PDF-` header, no `%%EOF` (truncated),
//!   objects unreadable even after rebuilding the cross-reference table, pages the page
//!   tree counts but the file lacks, a page content stream that cannot be parsed to its
//!   end (its text would be lost silently). A file encrypted with an empty user password
//!   (only to forbid copying) is decrypted and read. Partial text is never returned.
//! - Output: pages in order, each page's lines top to bottom, each line ending in '\n'
//!   (no blank lines, no trailing spaces). Prose comes as the visual lines of the page.
//!   A row of a ruled table is ONE line: its cells left to right joined by '\t' (a cell's
//!   wrapped lines joined into one field; an empty cell is an empty field because the grid
//!   proves its place; a cell spanning several rows is written on its first row).
//!   Outside ruled tables a '\t' stands for a clear column gap and no field is invented.
//!   Chinese is joined with nothing; any other visible gap is one space.
//! - Page numbers and running headers/footers in the page margins are dropped; table rows
//!   never are (see `pdf_lines.rs`).
//! - Each page is read with its text upright: coordinates are turned so that most glyphs
//!   advance left to right (a landscape table on a portrait page, /Rotate or not).
//! - Text inside form XObjects is placed like the rest (the form's /Matrix and the CTM at
//!   its `Do` are applied; a form drawn at several places is read at its most common one).
//! - Glyphs come from `pdf-extract` (fonts, encodings, ToUnicode), after repairs of the
//!   loaded document for its known faults (CID /W ranges, missing MediaBox, forms, image
//!   data read as content); ruling lines and the checks above come from this file's own
//!   walk of the content streams with `lopdf` (re-exported by `pdf-extract`: one lopdf).
//!   Geometry (lines, grids, wrapped labels, margins) is in `pdf_lines.rs`, with no PDF
//!   dependency.
//!
//! Limits: single-column reading order (no multi-column prose); a table without ruling
//! lines whose columns are closer than TAB_GAP keeps a space, not a tab, between them.

#[path = "pdf_lines.rs"]
mod lines;

pub use lines::{Glyph, PageLine, Seg, find_tables, is_page_number, is_wide};

use lines::{Page, drop_margins};

use pdf_extract::{Dictionary, Document, MediaBox, Object, ObjectId, OutputDev, OutputError, Transform};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Why a PDF gave no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// Needs a password, or its encryption cannot be undone.
    Encrypted,
    /// Has pages but no text layer at all (scanned images).
    Scanned,
    /// Not a readable PDF: not a PDF, truncated, broken; the reason says which.
    Damaged(String),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Encrypted => {
                write!(f, "PDF 已加密，需要密码才能读取：请在 PDF 阅读器中输入密码后另存一份不加密的 PDF 再打开")
            }
            PdfError::Scanned => write!(
                f,
                "这是扫描件 PDF（没有文字层），无法直接读取文字：请找原始的 PDF、Word 或网页版本，或先做文字识别"
            ),
            PdfError::Damaged(why) => write!(f, "PDF 文件已损坏：{why}"),
        }
    }
}

impl std::error::Error for PdfError {}

/// The PDF's text in reading order: prose as lines, every table row on ONE line: its
/// label, then its cells separated by '\t'.
pub(crate) fn pdf_to_text(bytes: &[u8]) -> Result<String, PdfError> {
    let pages = pdf_pages(bytes)?;
    let mut out = String::new();
    for l in pages.iter().flatten() {
        out.push_str(&l.text);
        out.push('\n');
    }
    Ok(out)
}

/// The lines of each page, headers, footers and page numbers removed.
pub(crate) fn pdf_pages(bytes: &[u8]) -> Result<Vec<Vec<PageLine>>, PdfError> {
    let mut doc = load(bytes)?;
    let page_ids: Vec<(u32, ObjectId)> = guard("page tree", || doc.get_pages().into_iter().collect())?;
    if page_ids.is_empty() {
        return Err(PdfError::Damaged("没有任何页面".into()));
    }
    // Pages the page tree counts but that are not in the file (a cut or rebuilt file).
    let count = guard("page tree", || {
        let pages = doc.catalog().ok()?.get(b"Pages").ok()?.as_reference().ok()?;
        doc.get_dictionary(pages).ok()?.get(b"Count").ok()?.as_i64().ok()
    })?;
    if let Some(n) = count.filter(|&n| n > page_ids.len() as i64) {
        return Err(PdfError::Damaged(format!("页面缺失（应有 {n} 页，只找到 {} 页）", page_ids.len())));
    }
    // Repairs that need no walk: what pdf-extract cannot take.
    guard("repair", || {
        for &(_, id) in &page_ids {
            ensure_media_box(&mut doc, id);
        }
        // Images carry no text; emptying them spares pdf-extract decoding (or misreading) them.
        blank_images(&mut doc);
        fix_cid_widths(&mut doc);
    })?;
    // Ruling lines and a count of text operators, from our own walk of the content.
    let mut walks = Vec::with_capacity(page_ids.len());
    for &(num, id) in &page_ids {
        walks.push(guard(&format!("page {num}"), || walk_page(&doc, id))?);
    }
    if let Some(((num, _), _)) = page_ids.iter().zip(&walks).find(|(_, w)| w.missing > 0) {
        return Err(PdfError::Damaged(format!("第 {num} 页的内容不在文件中")));
    }
    if let Some(((num, _), w)) = page_ids.iter().zip(&walks).find(|(_, w)| w.unread > 0) {
        return Err(PdfError::Damaged(format!("第 {num} 页的内容流无法完整解析（{} 处文字读不到）", w.unread)));
    }
    if walks.iter().all(|w| w.text_ops == 0) {
        return Err(PdfError::Scanned);
    }
    // Repairs that follow from the walk.
    guard("repair", || {
        break_cycles(&mut doc, walks.iter().flat_map(|w| w.cycles.iter()));
        place_forms(&mut doc, walks.iter().flat_map(|w| w.text_forms.iter().copied()));
    })?;
    let mut pages = Vec::with_capacity(page_ids.len());
    for (&(num, _), walk) in page_ids.iter().zip(walks) {
        let mut c = Collector::default();
        match catch_unwind(AssertUnwindSafe(|| pdf_extract::output_doc_page(&doc, &mut c, num))) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(PdfError::Damaged(format!("第 {num} 页无法读取：{}", describe(&e)))),
            Err(p) => return Err(PdfError::Damaged(format!("第 {num} 页无法读取：{}", panic_text(&p)))),
        }
        let frame = Frame::new(&c);
        let glyphs: Vec<Glyph> = c.glyphs.into_iter().map(|g| frame.glyph(g)).collect();
        let segs: Vec<Seg> = walk.segs.iter().map(|s| frame.seg(s)).collect();
        let lines = guard(&format!("page {num} layout"), || lines::page_lines(&glyphs, &segs))?;
        pages.push(Page { lines, height: frame.height });
    }
    if pages.iter().all(|p| p.lines.iter().all(|l| l.text.trim().is_empty())) {
        return Err(PdfError::Scanned);
    }
    Ok(drop_margins(pages))
}

/// Run `f`, turning a panic into `Damaged`.
fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, PdfError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| PdfError::Damaged(format!("{what}: {}", panic_text(&p))))
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    let msg = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned());
    format!("解析器异常（{}）", msg.unwrap_or_else(|| "panic".into()).chars().take(200).collect::<String>())
}

fn describe(e: &OutputError) -> String {
    match e {
        OutputError::PdfError(e) => e.to_string(),
        other => format!("{other:?}"),
    }
}

/// Parse the file; decrypt it when the empty user password opens it.
fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_none() {
        return Err(PdfError::Damaged("不是 PDF 文件（没有 %PDF- 文件头）".into()));
    }
    if rfind(bytes, b"%%EOF").is_none() {
        return Err(PdfError::Damaged("文件不完整（没有 %%EOF 结尾，可能被截断）".into()));
    }
    let encrypted_file = find(bytes, b"/Encrypt").is_some();
    let parse = |b: &[u8]| match catch_unwind(|| Document::load_mem(b)) {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(e)) => Err(format!("无法解析（{e}）")),
        Err(p) => Err(panic_text(&p)),
    };
    let doc = match parse(bytes) {
        Ok(doc) => doc,
        // A whole file whose cross-reference table is off (re-saved, line ends changed):
        // find the objects by scanning, as viewers do, and read it again.
        Err(why) => match rebuild_xref(bytes).map(|b| parse(&b)) {
            Some(Ok(doc)) => doc,
            _ if encrypted_file => return Err(PdfError::Encrypted),
            _ => return Err(PdfError::Damaged(why)),
        },
    };
    // lopdf tries the empty user password while loading and removes /Encrypt when it works;
    // a document still encrypted needs a real password.
    if doc.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    Ok(doc)
}

/// The file with a new cross-reference table and trailer appended, built from the
/// `N G obj` headers found at line starts (the last definition of a number wins, as in an
/// incremental update) and the last /Root, /Info, /Encrypt and /ID seen. `None` when no
/// object or no /Root is found.
fn rebuild_xref(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut offsets: std::collections::BTreeMap<u32, (usize, u16)> = std::collections::BTreeMap::new();
    let digits = |i: usize| bytes[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let spaces = |i: usize| {
        bytes[i..].iter().take_while(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')).count()
    };
    for i in 0..bytes.len() {
        if !(i == 0 || matches!(bytes[i - 1], b'\n' | b'\r')) || !bytes[i].is_ascii_digit() {
            continue;
        }
        let n = digits(i);
        let j = i + n;
        let s1 = spaces(j);
        let g = digits(j + s1);
        let k = j + s1 + g;
        let s2 = spaces(k);
        if n == 0 || n > 10 || s1 == 0 || g == 0 || g > 5 || s2 == 0 || !bytes[k + s2..].starts_with(b"obj") {
            continue;
        }
        let num = std::str::from_utf8(&bytes[i..j]).ok()?.parse::<u32>().ok();
        let gen_ = std::str::from_utf8(&bytes[j + s1..k]).ok()?.parse::<u16>().ok();
        if let (Some(num), Some(gen_)) = (num, gen_)
            && num > 0
            && num < 10_000_000
        {
            offsets.insert(num, (i, gen_));
        }
    }
    // The last `/Key N G R` in the file (trailers and xref-stream dictionaries alike).
    let last_ref = |key: &[u8]| -> Option<String> {
        let mut at = rfind(bytes, key)?;
        loop {
            let rest = &bytes[at + key.len()..];
            let r: String = rest.iter().take(32).map(|&c| c as char).collect();
            let t: Vec<&str> = r.split_whitespace().take(3).collect();
            if t.len() == 3 && t[2].starts_with('R') && t[0].parse::<u32>().is_ok() && t[1].parse::<u16>().is_ok() {
                return Some(format!("{} {} R", t[0], t[1]));
            }
            at = rfind(&bytes[..at], key)?;
        }
    };
    let root = last_ref(b"/Root")?;
    let max = *offsets.keys().next_back()?;
    let mut out = bytes.to_vec();
    out.push(b'\n');
    let xref_at = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f\r\n", max + 1).as_bytes());
    for n in 1..=max {
        let line = match offsets.get(&n) {
            Some(&(off, g)) => format!("{off:010} {g:05} n\r\n"),
            None => "0000000000 65535 f\r\n".to_string(),
        };
        out.extend_from_slice(line.as_bytes());
    }
    let mut trailer = format!("trailer\n<< /Size {} /Root {root}", max + 1);
    for key in ["/Info", "/Encrypt"] {
        if let Some(r) = last_ref(key.as_bytes()) {
            trailer += &format!(" {key} {r}");
        }
    }
    if let Some(at) = rfind(bytes, b"/ID") {
        let rest = &bytes[at + 3..];
        if let (Some(a), Some(b)) = (rest.iter().position(|&c| c == b'['), rest.iter().position(|&c| c == b']'))
            && a < b
            && b < 200
        {
            trailer += &format!(" /ID {}", String::from_utf8_lossy(&rest[a..=b]));
        }
    }
    trailer += &format!(" >>\nstartxref\n{xref_at}\n%%EOF\n");
    out.extend_from_slice(trailer.as_bytes());
    Some(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Remove the `Do`s that close a cycle of forms from the content of the form holding them.
fn break_cycles<'a>(doc: &mut Document, cycles: impl Iterator<Item = &'a (ObjectId, Vec<u8>)>) {
    let mut by_form: HashMap<ObjectId, Vec<&[u8]>> = HashMap::new();
    for (id, name) in cycles {
        by_form.entry(*id).or_default().push(name);
    }
    for (id, names) in by_form {
        let Some(Object::Stream(s)) = doc.objects.get_mut(&id) else { continue };
        let data = s.decompressed_content().unwrap_or_default();
        let content = pdf_extract::content::Content::decode(&data).ok().and_then(|mut c| {
            if c.operations.iter().any(|o| o.operator == "BI") {
                return None; // lopdf cannot write inline images back
            }
            c.operations.retain(|o| {
                !(o.operator == "Do"
                    && o.operands.first().and_then(|n| n.as_name().ok()).is_some_and(|n| names.contains(&n)))
            });
            c.encode().ok()
        });
        s.set_plain_content(content.unwrap_or_default());
    }
}

/// A page without a usable MediaBox (its own or inherited) gets A4, as viewers do;
/// pdf-extract would panic.
fn ensure_media_box(doc: &mut Document, page: ObjectId) {
    let mut d = doc.get_dictionary(page).ok();
    for _ in 0..32 {
        let Some(dict) = d else { break };
        if let Ok(mb) = dict.get(b"MediaBox") {
            let arr = doc.dereference(mb).ok().and_then(|(_, o)| o.as_array().ok());
            if arr.is_some_and(|a| a.len() == 4 && a.iter().all(|o| num(o).is_some())) {
                return;
            }
            break;
        }
        d = dict.get(b"Parent").and_then(|p| p.as_reference()).ok().and_then(|p| doc.get_dictionary(p).ok());
    }
    if let Ok(dict) = doc.get_dictionary_mut(page) {
        let a4 = [0.0f32, 0.0, 595.0, 842.0].iter().map(|&v| Object::Real(v)).collect();
        dict.set("MediaBox", Object::Array(a4));
    }
}

/// Empty every image XObject (pdf-extract would decode its data as a content stream).
fn blank_images(doc: &mut Document) {
    for obj in doc.objects.values_mut() {
        if let Object::Stream(s) = obj {
            let image = s.dict.get(b"Subtype").and_then(|o| o.as_name()).is_ok_and(|n| n == b"Image");
            if image {
                s.dict.remove(b"Filter");
                s.dict.remove(b"DecodeParms");
                s.content.clear();
            }
        }
    }
}

/// pdf-extract runs a form XObject with a fresh graphics state: the CTM at the `Do` and the
/// form's /Matrix are lost, so its text lands at the wrong place. Give each form that holds
/// text its placement as a `cm` at the start of its own content, and an identity /Matrix.
/// A form drawn at several places keeps the placement it has most often.
fn place_forms(doc: &mut Document, uses: impl Iterator<Item = (ObjectId, Matrix)>) {
    let mut by_form: HashMap<ObjectId, Vec<(Matrix, usize)>> = HashMap::new();
    for (id, m) in uses {
        let seen = by_form.entry(id).or_default();
        match seen.iter_mut().find(|(k, _)| k.iter().zip(&m).all(|(a, b)| (a - b).abs() < 1e-3)) {
            Some((_, n)) => *n += 1,
            None => seen.push((m, 1)),
        }
    }
    for (id, seen) in by_form {
        let Some(&(m, _)) = seen.iter().max_by_key(|(_, n)| *n) else { continue };
        if m.iter().zip(&IDENTITY).all(|(a, b)| (a - b).abs() < 1e-9) {
            continue;
        }
        let Some(Object::Stream(s)) = doc.objects.get_mut(&id) else { continue };
        let Ok(data) = s.decompressed_content() else { continue };
        let mut content = format!("{} {} {} {} {} {} cm\n", m[0], m[1], m[2], m[3], m[4], m[5]).into_bytes();
        content.extend_from_slice(&data);
        s.dict.remove(b"Matrix");
        s.set_plain_content(content);
    }
}

/// Rewrite each CIDFont's /W array into the `c [w1 w2 …]` form only. pdf-extract 0.12.1
/// misreads the range form `c_first c_last w` (it takes c_last and w from the wrong slot and
/// leaves those glyphs at /DW), which puts glyphs at wrong x positions; it also panics on a
/// non-integer CID. Ranges longer than 65536 are dropped (their glyphs fall back to /DW).
fn fix_cid_widths(doc: &mut Document) {
    let mut fixes = Vec::new();
    for (&id, obj) in &doc.objects {
        let Ok(d) = obj.as_dict() else { continue };
        let cid =
            d.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|n| n == b"CIDFontType2" || n == b"CIDFontType0");
        let Some(w) = d.get(b"W").ok().filter(|_| cid) else { continue };
        let Some(arr) = doc.dereference(w).ok().and_then(|(_, o)| o.as_array().ok()) else { continue };
        fixes.push((id, Object::Array(expand_widths(doc, arr))));
    }
    for (id, w) in fixes {
        if let Some(Object::Dictionary(d)) = doc.objects.get_mut(&id) {
            d.set("W", w);
        }
    }
}

fn expand_widths(doc: &Document, arr: &[Object]) -> Vec<Object> {
    let val = |o: &Object| doc.dereference(o).ok().and_then(|(_, o)| num(o));
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < arr.len() {
        let Some(first) = val(&arr[i]).filter(|f| *f >= 0.0) else { break };
        let next = doc.dereference(&arr[i + 1]).map(|(_, o)| o);
        if let Ok(Object::Array(ws)) = next {
            let ws: Vec<Object> = ws.iter().map(|w| Object::Real(val(w).unwrap_or(0.0) as f32)).collect();
            out.push(Object::Integer(first as i64));
            out.push(Object::Array(ws));
            i += 2;
        } else {
            let (Some(last), Some(w)) = (val(&arr[i + 1]), arr.get(i + 2).and_then(val)) else { break };
            if last >= first && last - first < 65536.0 {
                out.push(Object::Integer(first as i64));
                out.push(Object::Array(vec![Object::Real(w as f32); (last - first) as usize + 1]));
            }
            i += 3;
        }
    }
    out
}

/// One glyph as pdf-extract placed it, in PDF user space (y up).
struct RawGlyph {
    /// Origin (on the baseline).
    x: f64,
    y: f64,
    /// Advance vector.
    ax: f64,
    ay: f64,
    size: f64,
    text: String,
}

/// Glyphs of one page, from pdf-extract.
#[derive(Default)]
struct Collector {
    glyphs: Vec<RawGlyph>,
    /// MediaBox: llx, lly, urx, ury.
    media: [f64; 4],
}

impl OutputDev for Collector {
    fn begin_page(&mut self, _: u32, mb: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.media = [mb.llx.min(mb.urx), mb.lly.min(mb.ury), mb.llx.max(mb.urx), mb.lly.max(mb.ury)];
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        let text: String = ch.chars().filter(|c| !c.is_control() && *c != '\u{FFFD}').collect();
        if text.trim().is_empty() {
            return Ok(()); // spaces are read from the gaps
        }
        let sx = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let sy = (trm.m21 * trm.m21 + trm.m22 * trm.m22).sqrt();
        let size = (font_size * sy).abs();
        let mut w = (width * font_size).abs();
        if w.is_nan() || w <= 0.0 {
            w = font_size.abs() * if text.chars().any(lines::is_wide) { 1.0 } else { 0.5 };
        }
        // The advance runs along the text matrix's x axis.
        let (ux, uy) = if sx > 0.0 { (trm.m11, trm.m12) } else { (1.0, 0.0) };
        let g = RawGlyph { x: trm.m31, y: trm.m32, ax: ux * w, ay: uy * w, size, text };
        if [g.x, g.y, g.ax, g.ay, g.size].iter().all(|v| v.is_finite()) && g.size > 0.0 {
            self.glyphs.push(g);
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// The page seen with its text upright: top-down coordinates (y grows downwards), turned
/// so that most glyphs advance left to right. A landscape table stored on a portrait page
/// (with /Rotate, or simply drawn sideways) is read like any other page.
struct Frame {
    /// Quarter turns: 0 text runs right, 1 down, 2 left, 3 up (in top-down page space).
    turn: u8,
    media: [f64; 4],
    /// Offset that puts the turned page box at the origin.
    dx: f64,
    dy: f64,
    height: f64,
}

impl Frame {
    fn new(c: &Collector) -> Frame {
        let mut votes = [0usize; 4];
        for g in &c.glyphs {
            let (u, v) = (g.ax, -g.ay); // top-down
            let k = if u.abs() >= v.abs() {
                if u >= 0.0 { 0 } else { 2 }
            } else if v >= 0.0 {
                1
            } else {
                3
            };
            votes[k] += 1;
        }
        let turn = (0..4).max_by_key(|&k| (votes[k], k == 0)).unwrap_or(0) as u8;
        let mut f = Frame { turn, media: c.media, dx: 0.0, dy: 0.0, height: 0.0 };
        let [x0, y0, x1, y1] = c.media;
        let corners = [f.point(x0, y0), f.point(x1, y0), f.point(x0, y1), f.point(x1, y1)];
        let (mx, my) = corners.iter().fold((f64::INFINITY, f64::INFINITY), |(a, b), p| (a.min(p.0), b.min(p.1)));
        let ymax = corners.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        f.dx = -mx;
        f.dy = -my;
        f.height = ymax - my;
        f
    }

    /// A user-space point in the frame.
    fn point(&self, x: f64, y: f64) -> (f64, f64) {
        let (u, v) = (x - self.media[0], self.media[3] - y);
        let (p, q) = match self.turn {
            0 => (u, v),
            1 => (v, -u),
            2 => (-u, -v),
            _ => (-v, u),
        };
        (p + self.dx, q + self.dy)
    }

    fn glyph(&self, g: RawGlyph) -> Glyph {
        let (x, y) = self.point(g.x, g.y);
        let (ex, ey) = self.point(g.x + g.ax, g.y + g.ay);
        if (ex - x).abs() >= (ey - y).abs() {
            Glyph { x0: x.min(ex), x1: x.max(ex), y, size: g.size, text: g.text }
        } else {
            // Across the page's text direction (a rotated header): a box of one em at its place.
            Glyph { x0: x - g.size / 2.0, x1: x + g.size / 2.0, y, size: g.size, text: g.text }
        }
    }

    fn seg(&self, s: &Seg) -> Seg {
        let (x0, y0) = self.point(s.x0, s.y0);
        let (x1, y1) = self.point(s.x1, s.y1);
        Seg { x0, y0, x1, y1 }
    }
}

/// What our own walk of a page's content found.
#[derive(Default)]
struct Walk {
    /// Ruling segments in PDF user space (y up).
    segs: Vec<Seg>,
    /// Text-showing operators (Tj, TJ, ', ").
    text_ops: usize,
    /// Content streams the page names that are not in the file.
    missing: usize,
    /// Tj/TJ tokens in the bytes that the content parser never reached (it stops at the
    /// first token it cannot read, and lopdf keeps what a broken stream inflates to).
    unread: usize,
    /// Each form XObject holding text, with the matrix it is drawn with (its /Matrix times
    /// the CTM at the `Do`, in page space).
    text_forms: Vec<(ObjectId, Matrix)>,
    /// `Do`s that close a cycle of forms (or nest deeper than MAX_FORM_DEPTH): the form whose
    /// content holds the `Do`, and the XObject name. Removed before pdf-extract runs, which
    /// would recurse without end (a stack overflow aborts the process; no `catch_unwind`
    /// can stop it).
    cycles: Vec<(ObjectId, Vec<u8>)>,
    /// Forms entered so far on this page, and the chain being walked.
    forms_walked: usize,
    form_stack: Vec<ObjectId>,
}

/// Form XObjects entered per page at most (a form drawing another many times, nested).
const MAX_FORMS_WALKED: usize = 2000;
/// Forms nested deeper than this are treated as a cycle.
const MAX_FORM_DEPTH: u32 = 16;

/// The bare tokens of content bytes (operators, numbers, keywords), as byte ranges:
/// literal and hex strings, names, dictionaries' brackets and comments are skipped, and an
/// inline image's data (`ID` … `EI`) is one token starting with `ID`.
fn content_tokens(b: &[u8]) -> Vec<(usize, usize)> {
    let delim = |c: u8| c.is_ascii_whitespace() || b"()<>[]{}/%".contains(&c);
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' => {
                let mut depth = 0usize;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' => i += 1 + b[i + 1..].iter().position(|&c| delim(c)).unwrap_or(b.len() - i - 1),
            b'<' if b.get(i + 1) == Some(&b'<') => i += 2,
            b'<' => i += b[i..].iter().position(|&c| c == b'>').map_or(b.len(), |p| p + 1),
            b'%' => i += b[i..].iter().position(|&c| c == b'\n' || c == b'\r').unwrap_or(b.len() - i),
            c if delim(c) => i += 1,
            _ => {
                let mut end = b[i..].iter().position(|&c| delim(c)).map_or(b.len(), |p| i + p);
                if &b[i..end] == b"ID" {
                    // Binary data up to an `EI` standing alone.
                    let mut j = end + 1;
                    while j + 2 <= b.len()
                        && !(&b[j..j + 2] == b"EI" && delim(b[j - 1]) && b.get(j + 2).is_none_or(|&c| delim(c)))
                    {
                        j += 1;
                    }
                    end = (j + 2).min(b.len()).max(end);
                }
                out.push((i, end));
                i = end;
            }
        }
    }
    out
}

/// Count `Tj`/`TJ` operators in raw content bytes.
fn scan_text_ops(b: &[u8]) -> usize {
    content_tokens(b).iter().filter(|&&(s, e)| matches!(&b[s..e], b"Tj" | b"TJ")).count()
}

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

fn nums<const N: usize>(ops: &[Object]) -> Option<[f64; N]> {
    if ops.len() < N {
        return None;
    }
    let mut out = [0.0; N];
    for (o, v) in ops.iter().zip(out.iter_mut()) {
        *v = num(o)?;
    }
    Some(out)
}

/// A dictionary entry, following references.
fn get_dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    let o = d.get(key).ok()?;
    doc.dereference(o).ok()?.1.as_dict().ok()
}

/// The page's resources, inherited from the page tree when the page has none.
fn page_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let mut d = doc.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Some(r) = get_dict(doc, d, b"Resources") {
            return Some(r);
        }
        let parent = d.get(b"Parent").ok()?.as_reference().ok()?;
        d = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn walk_page(doc: &Document, page: ObjectId) -> Walk {
    let missing = doc
        .get_page_contents(page)
        .into_iter()
        .filter(|id| doc.get_object(*id).and_then(|o| o.as_stream()).is_err())
        .count();
    let mut w = Walk { missing, ..Walk::default() };
    let content = doc.get_page_content(page).unwrap_or_default();
    let res = page_resources(doc, page);
    walk_content(doc, &content, res, IDENTITY, 0, &mut w);
    w
}

/// Walk one content stream: path construction and painting (for rulings), text operators
/// (counted) and form XObjects (entered with their matrix).
fn walk_content(doc: &Document, content: &[u8], res: Option<&Dictionary>, ctm0: Matrix, depth: u32, w: &mut Walk) {
    let bytes = content;
    let Ok(content) = pdf_extract::content::Content::decode(bytes) else { return };
    let parsed = content.operations.iter().filter(|o| matches!(o.operator.as_str(), "Tj" | "TJ")).count();
    w.unread += scan_text_ops(bytes).saturating_sub(parsed);
    let mut ctm = ctm0;
    let mut stack: Vec<Matrix> = Vec::new();
    // Subpaths in user space; each (points, closed).
    let mut path: Vec<(Vec<(f64, f64)>, bool)> = Vec::new();
    let mut xobjects: HashMap<Vec<u8>, Option<ObjectId>> = HashMap::new();
    for op in &content.operations {
        let o = &op.operands;
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(ctm0),
            "cm" => {
                if let Some(m) = nums::<6>(o) {
                    ctm = mul(&m, &ctm);
                }
            }
            "m" => {
                if let Some([x, y]) = nums::<2>(o) {
                    path.push((vec![apply(&ctm, x, y)], false));
                }
            }
            "l" => {
                if let Some([x, y]) = nums::<2>(o) {
                    let p = apply(&ctm, x, y);
                    match path.last_mut() {
                        Some((pts, false)) => pts.push(p),
                        _ => path.push((vec![p], false)),
                    }
                }
            }
            "c" | "v" | "y" => {
                // A curve is no ruling: end the subpath at its end point.
                let n = o.len();
                if n >= 2
                    && let (Some(x), Some(y)) = (num(&o[n - 2]), num(&o[n - 1]))
                {
                    path.push((vec![apply(&ctm, x, y)], false));
                }
            }
            "h" => {
                if let Some(last) = path.last_mut() {
                    last.1 = true;
                }
            }
            "re" => {
                if let Some([x, y, wd, ht]) = nums::<4>(o) {
                    let pts = vec![
                        apply(&ctm, x, y),
                        apply(&ctm, x + wd, y),
                        apply(&ctm, x + wd, y + ht),
                        apply(&ctm, x, y + ht),
                    ];
                    path.push((pts, true));
                }
            }
            "S" | "s" | "B" | "B*" | "b" | "b*" => {
                let close_all = matches!(op.operator.as_str(), "s" | "b" | "b*");
                for (pts, closed) in path.drain(..) {
                    stroke_edges(&pts, closed || close_all, &mut w.segs);
                }
            }
            "f" | "F" | "f*" => {
                for (pts, _) in path.drain(..) {
                    thin_fill(&pts, &mut w.segs);
                }
            }
            "n" => path.clear(),
            "Tj" | "TJ" | "'" | "\"" => w.text_ops += 1,
            "Do" => {
                let Some(name) = o.first().and_then(|n| n.as_name().ok()) else { continue };
                let id = *xobjects.entry(name.to_vec()).or_insert_with(|| {
                    let xo = res.and_then(|r| get_dict(doc, r, b"XObject"))?;
                    xo.get(name).ok()?.as_reference().ok()
                });
                let Some(stream) = id.and_then(|id| doc.get_object(id).ok()).and_then(|o| o.as_stream().ok()) else {
                    continue;
                };
                let form = stream.dict.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|n| n == b"Form");
                if let (true, Some(fid)) = (form, id) {
                    if w.form_stack.contains(&fid) || depth >= MAX_FORM_DEPTH {
                        // A cycle (or as good as one); the page itself is never part of one.
                        if let Some(&parent) = w.form_stack.last() {
                            w.cycles.push((parent, name.to_vec()));
                        }
                        continue;
                    }
                    if w.forms_walked >= MAX_FORMS_WALKED {
                        continue; // rulings and counts past the budget are not needed
                    }
                    w.forms_walked += 1;
                    w.form_stack.push(fid);
                    let m = stream
                        .dict
                        .get(b"Matrix")
                        .ok()
                        .and_then(|m| m.as_array().ok())
                        .and_then(|a| nums::<6>(a))
                        .unwrap_or(IDENTITY);
                    let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
                    let fres = get_dict(doc, &stream.dict, b"Resources").or(res);
                    let before = w.text_ops;
                    walk_content(doc, &data, fres, mul(&m, &ctm), depth + 1, w);
                    w.form_stack.pop();
                    if w.text_ops > before {
                        w.text_forms.push((fid, mul(&m, &ctm)));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Axis-aligned edges of a stroked subpath.
fn stroke_edges(pts: &[(f64, f64)], closed: bool, out: &mut Vec<Seg>) {
    let n = pts.len();
    let edges = if closed && n > 2 { n } else { n.saturating_sub(1) };
    for i in 0..edges {
        let (a, b) = (pts[i], pts[(i + 1) % n]);
        if (a.0 - b.0).abs() <= 1.0 || (a.1 - b.1).abs() <= 1.0 {
            out.push(Seg { x0: a.0, y0: a.1, x1: b.0, y1: b.1 });
        }
    }
}

/// A filled subpath thin enough to be a ruling (Word draws borders so) becomes its centre line.
fn thin_fill(pts: &[(f64, f64)], out: &mut Vec<Seg>) {
    if pts.len() < 2 {
        return;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for &(x, y) in pts {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    let (w, h) = (x1 - x0, y1 - y0);
    if h <= 3.0 && w >= 4.0 {
        let y = (y0 + y1) / 2.0;
        out.push(Seg { x0, y0: y, x1, y1: y });
    } else if w <= 3.0 && h >= 4.0 {
        let x = (x0 + x1) / 2.0;
        out.push(Seg { x0: x, y0, x1: x, y1 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixture directory: `$PDF_FIXTURES`, else `fixtures/` beside Cargo.toml.
    fn fixture(name: &str) -> Vec<u8> {
        let dir = std::env::var("PDF_FIXTURES")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/pdf").to_string());
        let path = std::path::Path::new(&dir).join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
    }

    fn text_of(name: &str) -> String {
        pdf_to_text(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
    }

    /// `want` occur as whole lines of `text`, in this order.
    fn assert_lines_in_order(text: &str, want: &[&str]) {
        let lines: Vec<&str> = text.lines().collect();
        let mut from = 0;
        for w in want {
            match lines[from..].iter().position(|l| l == w) {
                Some(i) => from += i + 1,
                None => panic!("line {w:?} not found (in order) in:\n{text}"),
            }
        }
    }

    #[test]
    fn huaian_table_two_rows_are_label_then_values() {
        let t = text_of("huaian-2024.pdf");
        assert_lines_in_order(
            &t,
            &[
                "二、主动公开政府信息情况",
                "第二十条第（一）项",
                "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
                "规章\t1\t0\t11",
                "行政规范性文件\t8\t26\t66",
                "第二十条第（五）项",
                "信息内容\t本年处理决定数量",
                "行政许可\t447228",
                "第二十条第（六）项",
                // page break here (page 3 → 4): the page number "- 3 -" is gone
                "信息内容\t本年处理决定数量",
                "行政处罚\t3985758",
                "行政强制\t88283",
                "第二十条第（八）项",
                "信息内容\t本年收费金额（单位：万元）",
                "行政事业性收费\t96171.6",
            ],
        );
    }

    #[test]
    fn huaian_table_three_every_row_on_one_line() {
        let t = text_of("huaian-2024.pdf");
        // Label, then the 7 values (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计),
        // as in shared/samples/expected/huaian-2024.json. A cell spanning rows (三、本年度办理结果,
        // （三）不予公开 …) is written on the first row it spans; the table crosses pages 4 → 5
        // inside （四）无法提供, whose two halves start their page's first row.
        assert_lines_in_order(
            &t,
            &[
                "三、收到和处理政府信息公开申请情况",
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
                "自然人\t法人或其他组织\t总计",
                "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
                "一、本年新收政府信息公开申请数量\t3001\t53\t0\t0\t61\t4\t3119",
                "二、上年结转政府信息公开申请数量\t34\t0\t0\t0\t0\t0\t34",
                "三、本年度办理结果\t（一）予以公开\t1288\t21\t0\t0\t50\t3\t1362",
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t447\t7\t0\t0\t0\t0\t454",
                "（三）不予公开\t1.属于国家秘密\t2\t0\t0\t0\t0\t0\t2",
                "2.其他法律行政法规禁止公开\t30\t1\t0\t0\t0\t0\t31",
                "3.危及“三安全一稳定”\t5\t0\t0\t0\t0\t0\t5",
                "4.保护第三方合法权益\t6\t0\t0\t0\t0\t0\t6",
                "5.属于三类内部事务信息\t7\t1\t0\t0\t0\t0\t8",
                "6.属于四类过程性信息\t12\t0\t0\t0\t0\t0\t12",
                "7.属于行政执法案卷\t9\t0\t0\t0\t0\t0\t9",
                "8.属于行政查询事项\t105\t0\t0\t0\t0\t0\t105",
                "（四）无\t1.本机关不掌握相关政府信息\t746\t12\t0\t0\t10\t1\t769",
                "法提供\t2.没有现成信息需要另行制作\t11\t0\t0\t0\t0\t0\t11",
                "3.补正后申请内容仍不明确\t1\t0\t0\t0\t0\t0\t1",
                "（五）不予处理\t1.信访举报投诉类申请\t56\t6\t0\t0\t0\t0\t62",
                "2.重复申请\t25\t0\t0\t0\t0\t0\t25",
                "3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0",
                "4.无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0",
                "5.要求行政机关确认或重新出具已获取信息\t1\t0\t0\t0\t0\t0\t1",
                "（六）其他处理\t1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t67\t3\t0\t0\t1\t0\t71",
                "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t6\t0\t0\t0\t0\t0\t6",
                "3、其他\t108\t2\t0\t0\t0\t0\t110",
                "（七）总计\t2932\t53\t0\t0\t61\t4\t3050",
                "四、结转下年度继续办理\t103\t0\t0\t0\t0\t0\t103",
            ],
        );
    }

    #[test]
    fn huaian_table_four_values_left_to_right() {
        let t = text_of("huaian-2024.pdf");
        assert_lines_in_order(
            &t,
            &[
                "四、政府信息公开行政复议、行政诉讼情况",
                "行政复议\t行政诉讼",
                "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉",
                "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
                // 行政复议 (5), then 行政诉讼: 未经复议直接起诉 (5), 复议后起诉 (5).
                "72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20",
                "五、存在的主要问题及改进情况",
            ],
        );
    }

    #[test]
    fn huaian_prose_pages_and_margins() {
        let t = text_of("huaian-2024.pdf");
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[..2], ["淮安市人民政府", "2024 年政府信息公开工作年度报告"]);
        // Prose keeps its visual lines; Chinese is joined with nothing, and the gap WPS leaves
        // between Chinese and a number is a space.
        assert!(lines.contains(&"2024 年，我市坚持以习近平新时代中国特色社会主义思想为"));
        assert!(lines.contains(&"制。报告所列统计期限自 2024 年 1 月 1 日至 2024 年 12 月 31 日。"));
        assert!(lines.contains(&"子邮箱：hazwgkc@163.com）。"));
        // Pages joined in order; the page numbers (- 1 - … - 6 -) are dropped.
        assert!(lines.iter().all(|l| !is_page_number(l)), "a page number is left");
        assert_eq!(lines.last(), Some(&"办法》，全年收取政府信息公开信息处理费 3940 元。"));
        assert!(!t.contains("\n\n") && t.ends_with('\n') && !t.contains(" \n"));
    }

    #[test]
    fn template_grid_gives_empty_fields_only_where_cells_are() {
        // The official blank template, converted by LibreOffice: the grid proves each empty cell.
        let t = text_of("template-2021.pdf");
        assert_lines_in_order(
            &t,
            &[
                "规章\t\t\t",
                "行政规范性文件\t\t\t",
                "行政许可\t",
                "行政事业性收费\t",
                "一、本年新收政府信息公开申请数量\t\t\t\t\t\t\t",
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t\t\t\t\t\t",
                "（四）无法提供\t1.本机关不掌握相关政府信息\t\t\t\t\t\t\t",
                "5.要求行政机关确认或重新出具已获取信息\t\t\t\t\t\t\t",
                "四、结转下年度继续办理\t\t\t\t\t\t\t",
                "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
                &"\t".repeat(14),
                "五、存在的主要问题及改进情况",
            ],
        );
    }

    #[test]
    fn table_without_rulings_keeps_labels_before_their_values() {
        // Table 三 with no ruling lines (LibreOffice, borders removed, huaian's values typed
        // in): rows come from baselines and column gaps. A label wrapped onto two lines with
        // its values beside the first is joined; a label cell whose text runs up to the
        // values' column keeps a space before them. Columns closer than TAB_GAP stay spaced.
        let t = text_of("filled-noborders.pdf");
        assert_lines_in_order(
            &t,
            &[
                "一、本年新收政府信息公开申请数量\t3001 53\t0\t0\t61\t4\t3119",
                "二、上年结转政府信息公开申请数量\t34\t0\t0\t0\t0\t0\t34",
                "1.属于国家秘密\t2\t0\t0\t0\t0\t0\t2",
                "8.属于行政查询事项\t105\t0\t0\t0\t0\t0\t105",
                "1.本机关不掌握相关政府信息\t746\t12\t0\t0\t10\t1\t769",
                "5.要求行政机关确认或重新出具已获取信息\t1\t0\t0\t0\t0\t0\t1",
                "行政机关不再处理其政府信息公开 67\t3\t0\t0\t1\t0",
                "四、结转下年度继续办理\t103\t0\t0\t0\t0\t0\t103",
            ],
        );
    }

    #[test]
    fn pages_are_read_with_their_text_upright() {
        let upright = text_of("template-2021.pdf");
        // /Rotate 90 on untouched content, and content drawn sideways on a landscape page.
        assert_eq!(text_of("rotate90.pdf"), upright);
        assert_eq!(text_of("sideways.pdf"), upright);
    }

    #[test]
    fn text_inside_a_placed_form_is_read_in_place() {
        // Template page 2 drawn through a form XObject shifted onto an A3 page: its text must
        // meet the ruling lines where they are, so the rows come out as on the page itself.
        let pages = pdf_pages(&fixture("template-2021.pdf")).expect("template");
        let want: String = pages[1].iter().map(|l| format!("{}\n", l.text)).collect();
        assert_eq!(text_of("form-text.pdf"), want);
    }

    #[test]
    fn a_form_drawing_itself_and_a_missing_media_box_are_survived() {
        // Plain pdf-extract overflows its stack (the process aborts) on the first, and panics
        // on the second.
        assert_eq!(text_of("form-cycle.pdf"), "Before the form\nInside the form\n");
        assert_eq!(text_of("no-mediabox.pdf"), "No MediaBox here\n");
    }

    #[test]
    fn a_file_with_a_wrong_cross_reference_table_is_read() {
        // 10 bytes inserted after the header put every xref offset 10 bytes off (as a tool that
        // rewrites a file without fixing its table does): lopdf alone refuses it; the objects
        // are found by scanning, as viewers do.
        let mut bytes = fixture("template-2021.pdf");
        let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
        bytes.splice(at..at, b"% padding\n".iter().copied());
        assert!(Document::load_mem(&bytes).is_err());
        assert_eq!(pdf_to_text(&bytes), Ok(text_of("template-2021.pdf")));
        // Truncation is still damage, never a partial text: also for a linearized file, whose
        // first part has a trailer with /Root of its own.
        for name in ["huaian-2024.pdf", "linearized.pdf"] {
            let real = fixture(name);
            for k in 1..8 {
                let mut v = real[..real.len() * k / 8].to_vec();
                v.extend_from_slice(b"\n%%EOF\n");
                assert!(matches!(pdf_to_text(&v), Err(PdfError::Damaged(_))), "{name} cut at {k}/8");
            }
        }
        assert_eq!(text_of("linearized.pdf"), text_of("template-2021.pdf"));
    }

    #[test]
    fn borders_drawn_as_thin_filled_rectangles_make_a_grid() {
        // Word's way: no strokes, thin `re f` / `re f*` / polygon fills. The empty cell is a field.
        assert_eq!(text_of("word-borders.pdf"), "Label1\t12\nLabel2\t\n");
    }

    #[test]
    fn empty_user_password_is_decrypted_and_read() {
        let plain = text_of("template-2021.pdf");
        assert_eq!(text_of("encrypted-nouserpw-aes256.pdf"), plain);
        assert_eq!(text_of("encrypted-nouserpw-rc4.pdf"), plain);
    }

    #[test]
    fn bad_files_give_the_right_error() {
        assert_eq!(pdf_to_text(&fixture("encrypted-userpw.pdf")), Err(PdfError::Encrypted));
        assert_eq!(pdf_to_text(&fixture("scanned.pdf")), Err(PdfError::Scanned));
        for name in ["truncated.pdf", "not-a-pdf.pdf", "empty.pdf", "garbage.pdf"] {
            assert!(matches!(pdf_to_text(&fixture(name)), Err(PdfError::Damaged(_))), "{name}");
        }
        assert!(matches!(pdf_to_text(b"%PDF-1.4\n%%EOF\n"), Err(PdfError::Damaged(_))));
        assert!(PdfError::Damaged("x".into()).to_string().contains('x'));
    }

    #[test]
    fn a_page_whose_content_cannot_be_read_whole_is_damaged() {
        // template-2021.pdf with a bad token put into page 2's content stream: the text after
        // it would be lost silently, so the file is Damaged.
        match pdf_to_text(&fixture("broken-content.pdf")) {
            Err(PdfError::Damaged(why)) => assert!(why.contains("第 2 页"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(scan_text_ops(b"BT (a) Tj [(b)] TJ ET (Tj) Tj"), 3);
        assert_eq!(scan_text_ops(b"/Tj gs /TJ"), 0);
        assert_eq!(scan_text_ops(b"/Tj1 gs (x\\) Tj (y)) Tj <546a> Tj % Tj\n"), 2);
        assert_eq!(scan_text_ops(b"BI /W 1 ID \x00 Tj ) EI (a) Tj"), 1);
    }

    #[test]
    fn inline_images_do_not_stop_the_reading() {
        // lopdf skips an inline image it cannot decode (here: a filter) up to its EI, so the
        // text after it is read; the Tj count skips the image's data.
        let c = b"q BI /W 2 /H 1 /Filter /FlateDecode ID \x00(Tj EI Q BT (a) Tj ET";
        let ops = pdf_extract::content::Content::decode(c).expect("content").operations;
        assert!(ops.iter().any(|o| o.operator == "Tj"));
        assert_eq!(scan_text_ops(c), 1);
    }

    #[test]
    fn text_with_an_image_is_not_a_scan() {
        // The template's first page with a scanned page overlaid through a form XObject.
        let t = text_of("mixed-text-image.pdf");
        assert!(t.starts_with("政府信息公开工作年度报告格式模板\n"), "{t}");
    }

    #[test]
    fn broken_variants_never_panic() {
        let real = fixture("huaian-2024.pdf");
        let n = real.len();
        let mut variants: Vec<Vec<u8>> = Vec::new();
        // Cut anywhere, with an %%EOF put back so the reader goes further.
        for k in 1..8 {
            let mut v = real[..n * k / 8].to_vec();
            v.extend_from_slice(b"\n%%EOF\n");
            variants.push(v);
        }
        // Bytes overwritten in the middle of objects and streams.
        for k in 1..12 {
            let mut v = real.clone();
            let at = n * k / 12;
            for b in &mut v[at..(at + 64).min(n)] {
                *b = b.wrapping_mul(31).wrapping_add(7);
            }
            variants.push(v);
        }
        for v in &variants {
            let _ = pdf_to_text(v); // any result, but no panic and no hang
        }
    }
}
