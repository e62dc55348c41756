//! Word 2007+ (`.docx`) to text in the shape of [`super::table_text`].
//!
//! Invariants:
//! - Only the main document part is read (`word/document.xml`, or the part `_rels/.rels`
//!   names as the office document); headers, footers, footnotes and comments are not.
//! - Body paragraphs are lines; inside a paragraph `w:tab` is `'\t'` and `w:br`/`w:cr` end the
//!   line. Tables follow the grid rules of `table_text` (`w:gridSpan` → text then empty fields,
//!   `w:vMerge` continuation and `w:hMerge` continuation → empty field, `w:gridBefore` /
//!   `w:gridAfter` → empty fields, width = `w:tblGrid` or the widest row).
//! - A table holding another table, a one-column table, or a table with a cell of more than
//!   [`LAYOUT_CELL_CHARS`] characters is a layout table: its cells are written as blocks (their
//!   paragraphs as lines, their tables as tables), never squeezed into one line.
//! - Tracked changes show the document as accepted: `w:del`/`w:moveFrom` text and deleted rows
//!   are skipped, `w:ins`/`w:moveTo` kept. Field codes (`w:instrText`) are skipped, field
//!   results kept. Content controls (`w:sdt`) are read like the rest. Hidden runs (`w:vanish`)
//!   are skipped. Of `mc:AlternateContent` only the `mc:Choice` is read (no duplicate text
//!   boxes). Text boxes are read; their paragraphs come before the paragraph that anchors them.
//! - Never panics and never allocates without bound: the document part is capped at
//!   [`MAX_XML_BYTES`] after decompression, tables nested deeper than [`MAX_TABLE_DEPTH`] are
//!   read as plain paragraphs, grids are capped in `table_text`.

use super::table_text::{CellText, ExtractError, Lines, OLE2_REASON, SrcCell, grid_lines};
use quick_xml::NsReader;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use std::io::{Cursor, Read};

/// The decompressed document part may not be larger than this (zip-bomb guard).
pub const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;
/// Tables nested deeper than this are read as paragraphs of the enclosing cell.
pub const MAX_TABLE_DEPTH: usize = 16;
/// A cell longer than this (in characters) makes its table a layout table.
pub const LAYOUT_CELL_CHARS: usize = 300;

const W_NS: &[u8] = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT_NS: &[u8] = b"http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Word .docx → the document's text: paragraphs as lines, each table row as ONE line with its
/// cells separated by `'\t'` (see `table_text` for the exact shape).
pub fn docx_to_text(bytes: &[u8]) -> Result<String, ExtractError> {
    // The code below is written not to panic; this is the belt to those braces.
    std::panic::catch_unwind(|| extract(bytes))
        .unwrap_or_else(|_| Err(ExtractError::Damaged("Word 文件无法读取（内部错误），文件可能已损坏".into())))
}

fn extract(bytes: &[u8]) -> Result<String, ExtractError> {
    if let Some(e) = not_a_zip(bytes) {
        return Err(e);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        ExtractError::Damaged(format!(
            "Word 文件不完整或已损坏（压缩包结构无法读取：{e}），请重新下载或在 Word 中另存为 .docx"
        ))
    })?;
    let Some(index) = main_part(&mut zip) else {
        return Err(ExtractError::NotDocx(what_zip_is(&zip)));
    };
    let xml = read_part(&mut zip, index, MAX_XML_BYTES)?;
    let xml = xml_text(&xml);
    let blocks = parse_document(&xml)?;
    let mut out = Lines::default();
    render(&blocks, &mut out);
    if out.lines.is_empty() {
        return Err(ExtractError::NoText);
    }
    Ok(out.finish())
}

/// Why bytes that do not start like a zip archive are no .docx; `None` if they do.
fn not_a_zip(bytes: &[u8]) -> Option<ExtractError> {
    let not = |s: &str| Some(ExtractError::NotDocx(s.to_string()));
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return not("文件是空的");
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
    {
        let encrypted = utf16_contains(bytes, "EncryptedPackage");
        let extra = if encrypted { "（也可能是加了密码的 Office 文件，请先去掉密码）" } else { "" };
        return Some(ExtractError::NotDocx(format!(
            "{OLE2_REASON}{extra}，不是 .docx：请在 Word 或 WPS 中打开，“另存为” Word 文档（.docx）后再读入"
        )));
    }
    if bytes.starts_with(b"PK\x05\x06") {
        return not("这是一个空的压缩包，不是 Word（.docx）文件");
    }
    if bytes.starts_with(b"%PDF") {
        return not("这是 PDF 文件，不是 Word（.docx）文件");
    }
    if bytes.starts_with(b"{\\rtf") {
        return not("这是 RTF 文件，不是 .docx：请在 Word 或 WPS 中“另存为” Word 文档（.docx）");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    if head.contains("mime-version:") {
        return not("这是 MHT 网页存档（扩展名虽为 .doc），不是 .docx：请在 Word 中“另存为” .docx，或作为网页读入");
    }
    if head.contains("w:worddocument") || head.contains("progid=\"word.document\"") {
        return not("这是 Word 2003 XML 文档，不是 .docx：请在 Word 中“另存为” Word 文档（.docx）");
    }
    if head.contains("<html") || head.contains("<!doctype html") || head.contains("<body") {
        return not("这是网页（HTML）文件（扩展名虽为 .doc/.docx），请作为网页读入，或在 Word 中“另存为” .docx");
    }
    not("不是 Word（.docx）文件")
}

fn utf16_contains(bytes: &[u8], s: &str) -> bool {
    let needle: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

fn norm_name(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).replace('\\', "/").trim_start_matches('/').to_ascii_lowercase()
}

fn find(zip: &zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<usize> {
    zip.file_names_raw().position(|raw| norm_name(raw) == name)
}

/// The index of the main document part.
fn main_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<usize> {
    if let Some(i) = find(zip, "word/document.xml") {
        return Some(i);
    }
    let rels = find(zip, "_rels/.rels")?;
    let rels = read_part(zip, rels, 1024 * 1024).ok()?;
    let rels = xml_text(&rels);
    let target = office_document_target(&rels)?;
    find(zip, &target.replace('\\', "/").trim_start_matches('/').to_ascii_lowercase())
}

/// `Target` of the relationship whose `Type` ends in `/officeDocument`.
fn office_document_target(rels: &str) -> Option<String> {
    let mut r = quick_xml::Reader::from_str(rels);
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let (mut ty, mut target) = (String::new(), String::new());
                for a in e.attributes().flatten() {
                    let v = a.normalized_value(XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default();
                    match a.key.local_name().as_ref() {
                        "Type" => ty = v,
                        "Target" => target = v,
                        _ => {}
                    }
                }
                if ty.ends_with("/officeDocument") && !target.is_empty() {
                    return Some(target);
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// What a zip archive without a Word document part is.
fn what_zip_is(zip: &zip::ZipArchive<Cursor<&[u8]>>) -> String {
    let has = |n: &str| find(zip, n).is_some();
    if has("content.xml") && has("mimetype") {
        "这是 OpenDocument（.odt）文件，不是 .docx：请在 WPS 或 Word 中“另存为” Word 文档（.docx）".into()
    } else if has("xl/workbook.xml") {
        "这是 Excel（.xlsx）表格，不是 Word（.docx）文件".into()
    } else if has("ppt/presentation.xml") {
        "这是 PowerPoint（.pptx）演示文稿，不是 Word（.docx）文件".into()
    } else {
        "这是一个压缩包，其中没有 Word 正文（word/document.xml），不是 Word（.docx）文件".into()
    }
}

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, index: usize, limit: u64) -> Result<Vec<u8>, ExtractError> {
    let damaged =
        |what: String| ExtractError::Damaged(format!("Word 文件已损坏（{what}），请重新下载或在 Word 中另存为 .docx"));
    let file = zip.by_index(index).map_err(|e| damaged(format!("正文无法解压：{e}")))?;
    let too_big = || ExtractError::Damaged(format!("Word 文件的正文解压后超过 {} MB，不予读取", limit / 1024 / 1024));
    if file.size() > limit {
        return Err(too_big());
    }
    let mut buf = Vec::with_capacity(file.size().min(limit) as usize);
    file.take(limit + 1).read_to_end(&mut buf).map_err(|e| damaged(format!("正文解压失败：{e}")))?;
    if buf.len() as u64 > limit {
        return Err(too_big());
    }
    Ok(buf)
}

/// The XML part as text: UTF-8 (BOM dropped) or UTF-16 with a BOM; invalid bytes replaced.
fn xml_text(bytes: &[u8]) -> String {
    let (enc, rest) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, n)) => (enc, &bytes[n..]),
        None => (encoding_rs::UTF_8, bytes),
    };
    enc.decode_without_bom_handling(rest).0.into_owned()
}

// ---------------------------------------------------------------------------------------------
// document.xml → blocks

#[derive(Debug)]
enum Block {
    Para(String),
    Table(Tbl),
}

#[derive(Debug, Default)]
struct Tbl {
    grid: usize,
    rows: Vec<Row>,
}

#[derive(Debug, Default)]
struct Row {
    before: usize,
    after: usize,
    deleted: bool,
    cells: Vec<Cell>,
}

#[derive(Debug)]
struct Cell {
    span: usize,
    /// `w:vMerge` continuation or `w:hMerge` continuation: an empty field.
    covered: bool,
    blocks: Vec<Block>,
}

#[derive(Debug)]
enum Frame {
    Body(Vec<Block>),
    Table(Tbl),
    Row(Row),
    Cell(Cell),
}

/// What the start tag of an open element did, so that its end tag undoes exactly that.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Open {
    Other,
    Skip,
    Para,
    Run,
    RunProps,
    Text,
    Table,
    /// A table nested deeper than [`MAX_TABLE_DEPTH`]: only counted.
    DeepTable,
    Row,
    RowProps,
    Cell,
    CellProps,
    Sdt,
    SdtProps,
}

struct Parser {
    frames: Vec<Frame>,
    paras: Vec<String>,
    open: Vec<Open>,
    /// Depth (in `open`) of the element being skipped, if any.
    skip_from: Option<usize>,
    /// Hidden flag of each open run.
    runs: Vec<bool>,
    table_depth: usize,
    /// For each open content control: whether it shows its placeholder.
    sdts: Vec<bool>,
}

fn attr_val(e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "val")
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn is_off(v: Option<&str>) -> bool {
    matches!(v, Some("0" | "false" | "off"))
}

impl Parser {
    fn new() -> Parser {
        Parser {
            frames: vec![Frame::Body(Vec::new())],
            paras: Vec::new(),
            open: Vec::new(),
            skip_from: None,
            runs: Vec::new(),
            table_depth: 0,
            sdts: Vec::new(),
        }
    }

    fn inside(&self, o: Open) -> bool {
        self.open.last() == Some(&o)
    }

    /// The innermost list of blocks (a cell or the body).
    fn container(&mut self) -> &mut Vec<Block> {
        let i = self.frames.iter().rposition(|f| matches!(f, Frame::Body(_) | Frame::Cell(_))).unwrap_or(0);
        match &mut self.frames[i] {
            Frame::Body(b) => b,
            Frame::Cell(c) => &mut c.blocks,
            // Frame 0 is always the body.
            _ => unreachable!("frame 0 is the body"),
        }
    }

    fn text(&mut self, s: &str) {
        if self.skip_from.is_some() || !self.inside(Open::Text) || self.runs.last() == Some(&true) {
            return;
        }
        if let Some(p) = self.paras.last_mut() {
            p.push_str(s);
        }
    }

    fn push_char(&mut self, c: char) {
        if self.runs.last() == Some(&true) {
            return;
        }
        if let Some(p) = self.paras.last_mut() {
            p.push(c);
        }
    }

    /// A start tag (`empty`: it has no end tag).
    fn start(&mut self, ns: &[u8], name: &[u8], e: &quick_xml::events::BytesStart<'_>, empty: bool) {
        if self.skip_from.is_some() {
            if !empty {
                self.open.push(Open::Other);
            }
            return;
        }
        let w = ns == W_NS || ns == W_STRICT_NS;
        let parent = self.open.last().copied();
        let mut open = Open::Other;
        if ns == MC_NS && name == b"Fallback" {
            open = Open::Skip;
        } else if w {
            match name {
                b"del" | b"moveFrom" if parent == Some(Open::RowProps) => {
                    if let Some(Frame::Row(r)) = self.frames.last_mut() {
                        r.deleted = true;
                    }
                    open = Open::Skip;
                }
                b"del" | b"moveFrom" | b"instrText" | b"delText" | b"delInstrText" | b"pPr" | b"tblPr" | b"sectPr"
                | b"footnoteReference" | b"endnoteReference" | b"commentReference" | b"fldData" | b"rt"
                | b"tblGridChange" | b"tcPrChange" | b"trPrChange" | b"tblPrChange" | b"rPrChange" | b"pPrChange"
                | b"sectPrChange" | b"numberingChange" => open = Open::Skip,
                b"sdt" => {
                    self.sdts.push(false);
                    open = Open::Sdt;
                }
                b"sdtPr" if parent == Some(Open::Sdt) => open = Open::SdtProps,
                b"showingPlcHdr" if parent == Some(Open::SdtProps) => {
                    if !is_off(attr_val(e).as_deref())
                        && let Some(p) = self.sdts.last_mut()
                    {
                        *p = true;
                    }
                }
                // Placeholder text of an unfilled content control (单击或点击此处输入文字) is no content.
                b"sdtContent" if parent == Some(Open::Sdt) && self.sdts.last() == Some(&true) => open = Open::Skip,
                b"sdtPr" | b"sdtEndPr" => open = Open::Skip,
                b"p" => {
                    self.paras.push(String::new());
                    open = Open::Para;
                }
                b"r" => {
                    self.runs.push(false);
                    open = Open::Run;
                }
                b"rPr" if parent == Some(Open::Run) => open = Open::RunProps,
                b"vanish" | b"specVanish" if parent == Some(Open::RunProps) => {
                    if !is_off(attr_val(e).as_deref())
                        && let Some(h) = self.runs.last_mut()
                    {
                        *h = true;
                    }
                }
                b"t" => open = Open::Text,
                b"tab" | b"ptab" if parent == Some(Open::Run) => self.push_char('\t'),
                b"br" | b"cr" if parent == Some(Open::Run) => self.push_char('\n'),
                b"noBreakHyphen" if parent == Some(Open::Run) => self.push_char('-'),
                b"tbl" => {
                    self.table_depth += 1;
                    if self.table_depth <= MAX_TABLE_DEPTH {
                        self.frames.push(Frame::Table(Tbl::default()));
                        open = Open::Table;
                    } else {
                        open = Open::DeepTable;
                    }
                }
                b"gridCol" => {
                    if let Some(Frame::Table(t)) = self.frames.last_mut() {
                        t.grid += 1;
                    }
                }
                b"tr" if self.table_depth <= MAX_TABLE_DEPTH => {
                    self.frames.push(Frame::Row(Row::default()));
                    open = Open::Row;
                }
                b"trPr" if parent == Some(Open::Row) => open = Open::RowProps,
                b"gridBefore" | b"gridAfter" if parent == Some(Open::RowProps) => {
                    let n = attr_val(e).and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(0);
                    if let Some(Frame::Row(r)) = self.frames.last_mut() {
                        if name == b"gridBefore" {
                            r.before = n;
                        } else {
                            r.after = n;
                        }
                    }
                }
                b"tc" if self.table_depth <= MAX_TABLE_DEPTH => {
                    self.frames.push(Frame::Cell(Cell { span: 1, covered: false, blocks: Vec::new() }));
                    open = Open::Cell;
                }
                b"tcPr" if parent == Some(Open::Cell) => open = Open::CellProps,
                b"gridSpan" | b"vMerge" | b"hMerge" if parent == Some(Open::CellProps) => {
                    let v = attr_val(e);
                    if let Some(Frame::Cell(c)) = self.frames.last_mut() {
                        if name == b"gridSpan" {
                            c.span = v.and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(1).max(1);
                        } else if v.as_deref() != Some("restart") {
                            c.covered = true;
                        }
                    }
                }
                _ => {}
            }
        }
        if empty {
            // An empty element opens nothing; `<w:p/>` is an empty paragraph.
            match open {
                Open::Para => {
                    self.paras.pop();
                }
                Open::Run => {
                    self.runs.pop();
                }
                Open::Table => {
                    self.frames.pop();
                    self.table_depth -= 1;
                }
                Open::DeepTable => self.table_depth -= 1,
                Open::Sdt => {
                    self.sdts.pop();
                }
                Open::Row | Open::Cell => {
                    let f = self.frames.pop();
                    if let Some(f) = f {
                        self.close_frame(f);
                    }
                }
                _ => {}
            }
            return;
        }
        if open == Open::Skip {
            self.skip_from = Some(self.open.len());
        }
        self.open.push(open);
    }

    fn end(&mut self) {
        let Some(open) = self.open.pop() else {
            return;
        };
        if let Some(d) = self.skip_from {
            if self.open.len() == d {
                self.skip_from = None;
            }
            return;
        }
        match open {
            Open::Para => {
                if let Some(p) = self.paras.pop() {
                    self.container().push(Block::Para(p));
                }
            }
            Open::Run => {
                self.runs.pop();
            }
            Open::DeepTable => self.table_depth = self.table_depth.saturating_sub(1),
            Open::Sdt => {
                self.sdts.pop();
            }
            Open::Table | Open::Row | Open::Cell => {
                if let Some(f) = self.frames.pop() {
                    self.close_frame(f);
                }
            }
            Open::Other => {}
            _ => {}
        }
    }

    /// Attach a finished table, row or cell to what holds it.
    fn close_frame(&mut self, f: Frame) {
        match f {
            Frame::Table(t) => {
                self.table_depth = self.table_depth.saturating_sub(1);
                self.container().push(Block::Table(t));
            }
            Frame::Row(r) => match self.frames.last_mut() {
                Some(Frame::Table(t)) => t.rows.push(r),
                _ => self.container().push(Block::Table(Tbl { grid: 0, rows: vec![r] })),
            },
            Frame::Cell(c) => match self.frames.last_mut() {
                Some(Frame::Row(r)) => r.cells.push(c),
                Some(Frame::Table(t)) => t.rows.push(Row { cells: vec![c], ..Row::default() }),
                _ => self.container().extend(c.blocks),
            },
            Frame::Body(b) => self.container().extend(b),
        }
    }

    fn finish(mut self) -> Vec<Block> {
        // Close whatever a truncated document left open.
        while let Some(p) = self.paras.pop() {
            self.container().push(Block::Para(p));
        }
        while self.frames.len() > 1 {
            if let Some(f) = self.frames.pop() {
                self.close_frame(f);
            }
        }
        match self.frames.pop() {
            Some(Frame::Body(b)) => b,
            _ => Vec::new(),
        }
    }
}

fn parse_document(xml: &str) -> Result<Vec<Block>, ExtractError> {
    let mut reader = NsReader::from_str(xml);
    let mut p = Parser::new();
    loop {
        let (ns, ev) = match reader.read_resolved_event() {
            Ok(x) => x,
            Err(e) => {
                return Err(ExtractError::Damaged(format!(
                    "Word 文件的正文已损坏（document.xml 第 {} 字节处 XML 出错：{e}），请在 Word 中打开后另存为 .docx",
                    reader.error_position()
                )));
            }
        };
        let ns: &[u8] = match &ns {
            ResolveResult::Bound(n) => n.as_ref().as_bytes(),
            _ => b"",
        };
        match ev {
            Event::Start(e) => {
                let name = e.local_name();
                p.start(ns, name.as_ref().as_bytes(), &e, false);
            }
            Event::Empty(e) => {
                let name = e.local_name();
                p.start(ns, name.as_ref().as_bytes(), &e, true);
            }
            Event::End(_) => p.end(),
            Event::Text(t) => p.text(&t.xml10_content()),
            Event::CData(t) => p.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    let mut b = [0u8; 4];
                    p.text(c.encode_utf8(&mut b));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(p.finish())
}

// ---------------------------------------------------------------------------------------------
// blocks → lines

fn render(blocks: &[Block], out: &mut Lines) {
    for b in blocks {
        match b {
            Block::Para(s) => out.prose(s),
            Block::Table(t) => render_table(t, out),
        }
    }
}

fn cell_text(c: &Cell) -> String {
    let mut t = CellText::new();
    for b in &c.blocks {
        if let Block::Para(s) = b {
            t.push_str(s);
            t.separate();
        }
    }
    t.finish()
}

fn render_table(t: &Tbl, out: &mut Lines) {
    let rows: Vec<&Row> = t.rows.iter().filter(|r| !r.deleted).collect();
    let texts: Vec<Vec<String>> = rows.iter().map(|r| r.cells.iter().map(cell_text).collect()).collect();
    let width = rows
        .iter()
        .map(|r| r.before + r.after + r.cells.iter().map(|c| c.span).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(t.grid);
    let layout = width <= 1
        || rows.iter().any(|r| r.cells.iter().any(|c| c.blocks.iter().any(|b| matches!(b, Block::Table(_)))))
        || texts.iter().flatten().any(|s| s.chars().count() > LAYOUT_CELL_CHARS);
    if layout {
        for r in &rows {
            for c in r.cells.iter().filter(|c| !c.covered) {
                render(&c.blocks, out);
            }
        }
        return;
    }
    let src: Vec<Vec<SrcCell>> = rows
        .iter()
        .zip(texts)
        .map(|(r, texts)| {
            let mut v = Vec::with_capacity(r.cells.len() + 2);
            if r.before > 0 {
                v.push(SrcCell::empty(r.before));
            }
            for (c, text) in r.cells.iter().zip(texts) {
                v.push(SrcCell { text, colspan: c.span, rowspan: 1, covered: c.covered });
            }
            if r.after > 0 {
                v.push(SrcCell::empty(r.after));
            }
            v
        })
        .collect();
    for l in grid_lines(&src, t.grid) {
        out.row(l);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>"#;
    const TAIL: &str = "</w:body></w:document>";

    fn text_of(body: &str) -> String {
        let blocks = parse_document(&format!("{HEAD}{body}{TAIL}")).unwrap();
        let mut out = Lines::default();
        render(&blocks, &mut out);
        out.finish()
    }

    fn p(s: &str) -> String {
        format!("<w:p><w:r><w:t>{s}</w:t></w:r></w:p>")
    }

    #[test]
    fn paragraphs_runs_tabs_breaks() {
        let body = r#"<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">　一、总体情况 </w:t></w:r></w:p><w:p/><w:p><w:r><w:t>规章</w:t><w:tab/><w:t>13</w:t><w:br/><w:t>下一行 &amp; &#x41;</w:t></w:r></w:p>"#;
        assert_eq!(text_of(body), "一、总体情况\n规章\t13\n下一行 & A\n");
    }

    #[test]
    fn revisions_fields_hidden_and_alternate_content() {
        let body = r#"<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删掉</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显示</w:t></w:r></w:p><w:sdt><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>内容控件</w:t></w:r></w:p></w:sdtContent></w:sdt><w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>锚</w:t></w:r></w:p>"#;
        assert_eq!(text_of(body), "保留插入3显示\n内容控件\n文本框\n锚\n");
    }

    #[test]
    fn old_properties_of_revisions_and_placeholders_are_ignored() {
        // A grid/cell/run property change keeps the OLD properties inside *Change: not to be read.
        let grid = "<w:tblGrid><w:gridCol/><w:gridCol/><w:tblGridChange w:id=\"9\"><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid></w:tblGridChange></w:tblGrid>";
        let cell = r#"<w:tc><w:tcPr><w:tcPrChange w:id="3"><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr></w:tcPrChange></w:tcPr><w:p><w:r><w:rPr><w:rPrChange w:id="4"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>7</w:t></w:r></w:p></w:tc>"#;
        let placeholder = r#"<w:tc><w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>单击或点击此处输入文字。</w:t></w:r></w:p></w:sdtContent></w:sdt></w:tc>"#;
        let filled = r#"<w:tc><w:sdt><w:sdtPr><w:alias w:val="数"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>5</w:t></w:r></w:p></w:sdtContent></w:sdt></w:tc>"#;
        let t = format!("<w:tbl>{grid}<w:tr>{cell}{placeholder}</w:tr><w:tr>{cell}{filled}</w:tr></w:tbl>");
        assert_eq!(text_of(&t), "7\t\n7\t5\n");
        let ruby = "<w:p><w:r><w:ruby><w:rt><w:r><w:t>pin</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>拼</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>";
        assert_eq!(text_of(ruby), "拼\n");
    }

    fn tc(pr: &str, text: &str) -> String {
        let runs = if text.is_empty() { String::new() } else { format!("<w:r><w:t>{text}</w:t></w:r>") };
        format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{runs}</w:p></w:tc>")
    }

    #[test]
    fn table_grid_span_vmerge_grid_before() {
        let grid = "<w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>";
        let rows = [
            format!(
                "<w:tr>{}{}</w:tr>",
                tc(r#"<w:vMerge w:val="restart"/>"#, "行政复议"),
                tc(r#"<w:gridSpan w:val="3"/>"#, "头")
            ),
            format!("<w:tr>{}{}{}{}</w:tr>", tc("<w:vMerge/>", "不应出现"), tc("", "a"), tc("", ""), tc("", "c")),
            format!(
                "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/><w:gridAfter w:val=\"1\"/></w:trPr>{}{}</w:tr>",
                tc("", "x"),
                tc("", "y")
            ),
            format!(
                "<w:tr><w:trPr><w:del w:id=\"1\"/></w:trPr>{}</w:tr>",
                tc(r#"<w:gridSpan w:val="4"/>"#, "已删除的行")
            ),
            format!(
                "<w:tr>{}{}{}{}</w:tr>",
                tc("", "1"),
                tc(r#"<w:hMerge w:val="continue"/>"#, ""),
                tc("", "2"),
                tc("", "3")
            ),
        ];
        let body = format!("<w:tbl><w:tblPr/>{grid}{}</w:tbl>", rows.concat());
        assert_eq!(text_of(&body), "行政复议\t头\t\t\n\ta\t\tc\n\tx\ty\t\n1\t\t2\t3\n");
    }

    #[test]
    fn cell_paragraphs_join_and_layout_tables_flatten() {
        let cell = "<w:tc><w:p><w:r><w:t>本年新</w:t></w:r></w:p><w:p><w:r><w:t>制作数量</w:t></w:r></w:p></w:tc>";
        let nums = "<w:tc><w:p><w:r><w:t>6</w:t></w:r></w:p><w:p><w:r><w:t>7</w:t></w:r></w:p></w:tc>";
        let t = format!("<w:tbl><w:tr>{cell}{nums}</w:tr></w:tbl>");
        assert_eq!(text_of(&t), "本年新制作数量\t6 7\n");
        // A one-cell frame around the report: its paragraphs and its table keep their lines.
        let outer = format!("<w:tbl><w:tr><w:tc>{}{t}{}</w:tc></w:tr></w:tbl>", p("标题"), p("正文。"));
        assert_eq!(text_of(&outer), "标题\n本年新制作数量\t6 7\n正文。\n");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let n = 5000;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str("<w:tbl><w:tr><w:tc>");
        }
        s.push_str(&p("深处"));
        for _ in 0..n {
            s.push_str("</w:tc></w:tr></w:tbl>");
        }
        assert_eq!(text_of(&s), "深处\n");
    }

    #[test]
    fn strict_namespace_and_other_prefix() {
        let xml = r#"<x:document xmlns:x="http://purl.oclc.org/ooxml/wordprocessingml/main"><x:body><x:p><x:r><x:t>严格</x:t></x:r></x:p><a:p xmlns:a="urn:other"><a:t>不读</a:t></a:p></x:body></x:document>"#;
        let blocks = parse_document(xml).unwrap();
        let mut out = Lines::default();
        render(&blocks, &mut out);
        assert_eq!(out.finish(), "严格\n");
    }
}
