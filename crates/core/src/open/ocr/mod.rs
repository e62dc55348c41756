//! Scanned reports (a PDF of page pictures, or image files) read by OCR along each table's
//! grid: the ruling lines give the cells, and every cell is read on its own, so that every
//! value's position is certain (reading a whole page merges the digits of neighbouring cells).
//!
//! Pipeline: page images (`raster`) → binarised, rules → cells (`grid`) → each non-empty cell
//! read as text, and each cell that is not Chinese read again as digits (`tesseract`, many
//! cells per call, calls in parallel on all cores) → the text outside the tables read as a
//! page → the text the clerk sees, built top to bottom per page: prose lines, and each table
//! row on ONE line, its cells tab-separated (the same shape as a PDF with a text layer).
//!
//! Invariants:
//! - [`Reading::reads`] names the span of every value field written into the text, with how
//!   it was read; [`mark`] applies them to the parsed report: a value OCR read is `repaired`
//!   with a repair giving tesseract's confidence; a cell with ink OCR could not read as a
//!   number is `unreadable` (its text kept); a cell without ink is a blank, `repaired` with a
//!   repair saying so. No cell of an OCR report is ever plain `parsed`.
//! - The text holds no control or zero-width characters (so `decode::drop_invisible` would not
//!   move any span) and ends every line with '\n'.
//! - [`Control`] is the one handle for progress and cancel: `done`/`total` only grow (total
//!   is fixed once the grids are found), cancel is seen between calls of tesseract, and a
//!   cancelled reading gives [`OcrError::Cancelled`], never a partial report.
//! - Errors are one line of Chinese: tesseract or its Chinese missing (with the Debian
//!   packages to install), pages all blank, no ruled table on any page, an undecodable image.
//!   Nothing is cached on disk (see `raster` for pdftoppm's temporary copy).
//!
//! For a window: open on a worker thread with `open::path_with(path, &control)` (or
//! `open::bytes_with`), the `Arc<Control>` shared with the frame, which shows
//! `control.progress()` (`done / total` steps; total 0 while the pages are being cut) and
//! calls `control.cancel()` to stop; the report's `format` is `pdf-ocr` or `image-ocr`, and
//! `open::format_label` gives 扫描件（OCR） / 扫描图片（OCR）.

mod grid;
mod raster;
mod tesseract;

pub use raster::{Gray, Page};
pub use tesseract::available;

use crate::model::{Report, Status};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The words tesseract read in one image.
type Words = Vec<tesseract::Word>;
/// A field of the text and how it was read (`None`: a label).
type Field = (String, Option<Read>);

/// Cells read in one call of tesseract (one page of a multi-page TIFF each).
const BATCH: usize = 12;
/// A reading of digits below this confidence is read again in the other language.
const SURE: f32 = 60.0;
/// A page with fewer dark pixels than this share is blank (dust, JPEG noise).
const BLANK_INK: f32 = 0.0004;

/// Why a scan cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OcrError {
    /// tesseract or its Chinese language is not installed: what to install.
    Missing(String),
    /// The person cancelled.
    Cancelled,
    /// Every page is blank.
    Blank,
    /// No page holds a ruled table.
    NoTables,
    /// The pictures cannot be decoded.
    Image(String),
    /// tesseract failed.
    Engine(String),
}

impl std::fmt::Display for OcrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OcrError::Missing(m) | OcrError::Engine(m) => f.write_str(m),
            OcrError::Cancelled => f.write_str("已取消文字识别"),
            OcrError::Blank => f.write_str("这是扫描件，但每一页都是空白，没有可以识别的内容"),
            OcrError::NoTables => f.write_str(
                "这是扫描件（图片），但其中找不到带表格线的表格，不像年报的扫描页：请找原始的 PDF、Word 或网页版本",
            ),
            OcrError::Image(m) => write!(f, "扫描件无法读取：{m}"),
        }
    }
}

impl std::error::Error for OcrError {}

/// Progress and cancel of one reading, shared with whoever shows it (the desk polls it from
/// its frame; the command line gives a listener).
#[derive(Default)]
pub struct Control {
    cancel: AtomicBool,
    done: AtomicUsize,
    total: AtomicUsize,
    listener: Option<Box<dyn Fn(usize, usize) + Send + Sync>>,
}

impl Control {
    pub fn new() -> Control {
        Control::default()
    }
    /// A control that calls `f(done, total)` (from any thread) as the work advances.
    pub fn with_listener(f: impl Fn(usize, usize) + Send + Sync + 'static) -> Control {
        Control { listener: Some(Box::new(f)), ..Control::default() }
    }
    /// Ask the reading to stop; it ends with [`OcrError::Cancelled`].
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
    /// (steps done, steps in all); `total` is 0 until the grids are found.
    pub fn progress(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }
    fn start(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.notify();
    }
    fn step(&self, n: usize) {
        self.done.fetch_add(n, Ordering::Relaxed);
        self.notify();
    }
    fn notify(&self) {
        if let Some(f) = &self.listener {
            let (d, t) = self.progress();
            f(d.min(t), t);
        }
    }
    fn check(&self) -> Result<(), OcrError> {
        if self.is_cancelled() { Err(OcrError::Cancelled) } else { Ok(()) }
    }
}

/// How a value field of the text was read.
#[derive(Clone, Debug, PartialEq)]
pub enum Read {
    /// Read as a number (or a blank mark) with tesseract's confidence (0–100); `other`: what
    /// the text reading said when it differs.
    Value { conf: f32, other: Option<String> },
    /// The cell holds no ink.
    Blank,
    /// Ink that could not be read as a number.
    Unread,
}

/// The text of a scan and how each value field in it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub text: String,
    /// Byte ranges of value fields in `text`, in order.
    pub reads: Vec<((usize, usize), Read)>,
}

/// The pages of a PDF without a text layer.
pub fn raster_pdf(bytes: &[u8]) -> Result<Vec<Page>, OcrError> {
    tesseract::available().map_err(|m| OcrError::Missing(m.0))?;
    raster::from_pdf(bytes)
}

/// The pages of an image file.
pub(crate) fn raster_image(bytes: &[u8]) -> Result<Vec<Page>, OcrError> {
    tesseract::available().map_err(|m| OcrError::Missing(m.0))?;
    raster::from_image(bytes)
}

/// Read the pages of a scan.
pub fn read_pages(pages: &[Page], control: &Control) -> Result<Reading, OcrError> {
    tesseract::available().map_err(|m| OcrError::Missing(m.0))?;
    control.check()?;
    // Grids, page by page in parallel.
    let found: Vec<(u8, bool, Vec<grid::Table>)> = pages
        .par_iter()
        .map(|p| {
            let t = grid::threshold(&p.img);
            let bits = grid::Bits::of(&p.img, t);
            let blank = (bits.ink() as f32) < BLANK_INK * p.img.px.len() as f32;
            let tables = if blank { Vec::new() } else { grid::tables(p, &bits) };
            (t, blank, tables)
        })
        .collect();
    if found.iter().all(|f| f.1) {
        return Err(OcrError::Blank);
    }
    if found.iter().all(|f| f.2.is_empty()) {
        return Err(OcrError::NoTables);
    }
    // Every cell's image.
    let mut jobs: Vec<Job> = Vec::new();
    for (pi, (p, (t, _, tables))) in pages.iter().zip(&found).enumerate() {
        for (ti, table) in tables.iter().enumerate() {
            for (ci, &r) in table.cells.iter().enumerate() {
                let c = grid::cell_image(p, *t, r);
                let multi = c.ink_height as f32 > 0.22 * p.dpi;
                jobs.push(Job { page: pi, table: ti, cell: ci, img: c.img, bw: c.bw, multi, ..Job::default() });
            }
        }
    }
    let inked = jobs.iter().filter(|j| j.img.is_some()).count();
    control.start(pages.len() + 3 * inked);
    let dpi = |j: &Job| ((300.0 / pages[j.page].dpi).round().clamp(1.0, 4.0) * pages[j.page].dpi) as u32;
    // Stage A: the text outside tables, page by page; every inked cell as text.
    let prose: Vec<Result<Words, OcrError>> = pages
        .par_iter()
        .zip(&found)
        .map(|(p, (_, blank, tables))| {
            control.check()?;
            if *blank {
                control.step(1);
                return Ok(Vec::new());
            }
            let img = without_tables(&p.img, tables, p.dpi);
            let words = tesseract::read(&[&img], tesseract::Mode::Page, p.dpi.round() as u32, tesseract::LANG)
                .map_err(OcrError::Engine)?
                .pop()
                .unwrap_or_default();
            control.step(1);
            Ok(words)
        })
        .collect();
    let prose = prose.into_iter().collect::<Result<Vec<_>, _>>()?;
    let text_batches = batches(&jobs, |j| j.img.is_some(), |j| (j.page, j.multi));
    let texts = run(&jobs, &text_batches, control, false, |j| {
        (if j.multi { tesseract::Mode::Block } else { tesseract::Mode::Line }, dpi(j), tesseract::LANG)
    })?;
    for (i, words) in texts {
        jobs[i].text = Some(words);
    }
    // Stage B: every cell that is not a label again as digits, black and white, in the
    // digits' language; stage C: those it could not read, in Chinese.
    let is_value = |j: &Job| j.text.as_ref().is_some_and(|w| !is_label(&joined(w)));
    let labels = jobs.iter().filter(|j| j.img.is_some() && !is_value(j)).count();
    control.step(2 * labels);
    let lang = tesseract::digits_lang();
    let digit_batches = batches(&jobs, is_value, |j| (j.page, false));
    let digits = run(&jobs, &digit_batches, control, true, |j| (tesseract::Mode::Digits, dpi(j), lang))?;
    for (i, words) in digits {
        jobs[i].digits = Some(words);
    }
    // Read again: what English could not read as a number, or read unsure.
    let again = |j: &Job| j.digits.as_ref().is_some_and(|w| as_number(&joined(w)).is_none() || min_conf(w) < SURE);
    if lang != tesseract::LANG {
        control.step(jobs.iter().filter(|j| j.digits.is_some() && !again(j)).count());
        let batches2 = batches(&jobs, again, |j| (j.page, false));
        let digits2 = run(&jobs, &batches2, control, true, |j| (tesseract::Mode::Digits, dpi(j), tesseract::LANG))?;
        for (i, words) in digits2 {
            jobs[i].digits2 = Some(words);
        }
    } else {
        control.step(jobs.iter().filter(|j| j.digits.is_some()).count());
    }
    // Stage D: a cell no reading could read at all, once more as a raw line (tesseract's line
    // finding sometimes drops a short line whole).
    let lost = |j: &Job| {
        j.text.as_ref().is_some_and(|w| joined(w).trim().is_empty())
            && [&j.digits, &j.digits2].into_iter().flatten().all(|w| as_number(&joined(w)).is_none())
    };
    let batches3 = batches(&jobs, lost, |j| (j.page, false));
    let raw = run(&jobs, &batches3, control, false, |j| (tesseract::Mode::Raw, dpi(j), tesseract::LANG))?;
    for (i, words) in raw {
        jobs[i].raw = Some(words);
    }
    control.check()?;
    Ok(compose(pages, &found, &jobs, &prose))
}

/// One cell to read.
#[derive(Default)]
struct Job {
    page: usize,
    table: usize,
    cell: usize,
    /// Grey, and black and white; `None` when the cell holds no ink.
    img: Option<Gray>,
    bw: Option<Gray>,
    /// Its ink is higher than one line.
    multi: bool,
    /// Read as text (Chinese), as digits, and as digits again in Chinese.
    text: Option<Words>,
    digits: Option<Words>,
    digits2: Option<Words>,
    /// Read as a raw line, when nothing else read it.
    raw: Option<Words>,
}

/// Indices of the jobs `keep` selects, in batches of up to BATCH sharing `key`.
fn batches<K: PartialEq>(jobs: &[Job], keep: impl Fn(&Job) -> bool, key: impl Fn(&Job) -> K) -> Vec<Vec<usize>> {
    let mut out: Vec<(K, Vec<usize>)> = Vec::new();
    for (i, j) in jobs.iter().enumerate() {
        if !keep(j) {
            continue;
        }
        let k = key(j);
        match out.iter_mut().rev().find(|(kk, b)| *kk == k && b.len() < BATCH) {
            Some((_, b)) => b.push(i),
            None => out.push((k, vec![i])),
        }
    }
    out.into_iter().map(|(_, b)| b).collect()
}

/// Run the batches in parallel; each job's words.
fn run(
    jobs: &[Job],
    batches: &[Vec<usize>],
    control: &Control,
    bw: bool,
    how: impl Fn(&Job) -> (tesseract::Mode, u32, &'static str) + Sync,
) -> Result<Vec<(usize, Words)>, OcrError> {
    let results: Vec<Result<Vec<(usize, Words)>, OcrError>> = batches
        .par_iter()
        .map(|b| {
            control.check()?;
            let imgs: Vec<&Gray> =
                b.iter().filter_map(|&i| if bw { jobs[i].bw.as_ref() } else { jobs[i].img.as_ref() }).collect();
            let (mode, dpi, lang) = how(&jobs[b[0]]);
            let words = tesseract::read(&imgs, mode, dpi, lang).map_err(OcrError::Engine)?;
            if mode != tesseract::Mode::Raw {
                control.step(b.len());
            }
            Ok(b.iter().copied().zip(words).collect())
        })
        .collect();
    Ok(results.into_iter().collect::<Result<Vec<_>, _>>()?.into_iter().flatten().collect())
}

/// The page with its tables painted white (what is left is prose).
fn without_tables(img: &Gray, tables: &[grid::Table], dpi: f32) -> Gray {
    let mut out = img.clone();
    let m = (0.03 * dpi).round() as usize;
    for t in tables {
        let b = t.bounds();
        for y in b.y0.saturating_sub(m)..(b.y1 + m).min(out.h) {
            out.px[y * out.w + b.x0.saturating_sub(m)..y * out.w + (b.x1 + m).min(out.w)].fill(255);
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9fff}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c)
}

/// A label's reading: two Chinese characters or more, or one among other characters
/// ("（四）无"). A lone character is a digit misread ("日" for 6) or a blank mark ("无").
fn is_label(s: &str) -> bool {
    let cjk = s.chars().filter(|&c| is_cjk(c)).count();
    cjk >= 2 || cjk == 1 && s.chars().filter(|c| !c.is_whitespace()).count() >= 3
}

fn is_wide(c: char) -> bool {
    crate::open::pdf::is_wide(c)
}

/// Characters kept from tesseract's words: no control or zero-width characters, no tabs.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{00ad}'))
        .collect()
}

/// Words of one line joined: nothing between two wide characters, else a space.
fn join_words<'a>(words: impl Iterator<Item = &'a tesseract::Word>) -> String {
    let mut s = String::new();
    for w in words {
        let t = clean(&w.text);
        if t.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (s.chars().last(), t.chars().next())
            && !(is_wide(a) || is_wide(b))
        {
            s.push(' ');
        }
        s.push_str(&t);
    }
    s
}

/// A cell's words as one field: its lines joined.
fn joined(words: &[tesseract::Word]) -> String {
    join_words(words.iter())
}

const PLACEHOLDERS: &[&str] = &["/", "-", "—", "－", "／", "无", "——", "--"];

/// A clean number as the value reading gives it ("1288", "96171.6", "-3").
fn as_number(s: &str) -> Option<String> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let body = t.strip_prefix('-').unwrap_or(&t);
    let ok = !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().next().is_some_and(|c| c.is_ascii_digit())
        && body.chars().last().is_some_and(|c| c.is_ascii_digit())
        && body.matches('.').count() <= 1;
    ok.then_some(t)
}

fn min_conf(words: &[tesseract::Word]) -> f32 {
    words.iter().map(|w| w.conf).fold(100.0, f32::min)
}

/// What a cell's field says and how it was read.
fn field(j: &Job) -> Field {
    let Some(text_words) = &j.text else {
        return (String::new(), if j.img.is_some() { None } else { Some(Read::Blank) });
    };
    let text = joined(text_words);
    let Some(digit_words) = &j.digits else {
        return (text, None); // a label
    };
    let digits = joined(digit_words);
    if let Some(raw) = &j.raw {
        let t = joined(raw);
        if is_label(&t) {
            return (t, None);
        }
        if let Some(n) = as_number(&t) {
            return (n, Some(Read::Value { conf: min_conf(raw), other: None }));
        }
    }
    if PLACEHOLDERS.contains(&text.trim()) && digits.chars().filter(|c| c.is_ascii_digit()).count() <= 1 {
        return (text.trim().to_string(), Some(Read::Value { conf: min_conf(text_words), other: None }));
    }
    // The numbers the digit readings give; when they differ, the one the text reading agrees
    // with, else the surer one.
    let mut found: Vec<(String, f32)> = [Some(digit_words), j.digits2.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|w| as_number(&joined(w)).map(|n| (n, min_conf(w))))
        .collect();
    let as_text = as_number(&text);
    found.sort_by(|a, b| {
        (Some(&b.0) == as_text.as_ref()).cmp(&(Some(&a.0) == as_text.as_ref())).then(b.1.total_cmp(&a.1))
    });
    match found.first() {
        Some((n, conf)) => {
            // Another reading that gave another number is worth the clerk's eye.
            let other = found.iter().map(|f| &f.0).chain(as_text.as_ref()).find(|o| *o != n).cloned();
            (n.clone(), Some(Read::Value { conf: *conf, other }))
        }
        None => (String::from("?"), Some(Read::Unread)),
    }
}

/// A line of a page: its top (pixels) and fields (a table row) or text.
struct Out {
    top: usize,
    fields: Vec<Field>,
}

/// The text: each page's lines top to bottom.
fn compose(pages: &[Page], found: &[(u8, bool, Vec<grid::Table>)], jobs: &[Job], prose: &[Words]) -> Reading {
    let mut text = String::new();
    let mut reads = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        let mut lines: Vec<Out> = Vec::new();
        // Prose: tesseract's lines.
        let mut by_line: Vec<Vec<&tesseract::Word>> = Vec::new();
        for w in &prose[pi] {
            match by_line.iter_mut().find(|v| v[0].line == w.line) {
                Some(v) => v.push(w),
                None => by_line.push(vec![w]),
            }
        }
        for ws in by_line {
            let s = join_words(ws.iter().copied());
            if !s.trim().is_empty() {
                let top = ws.iter().map(|w| w.top as usize).min().unwrap_or(0);
                lines.push(Out { top, fields: vec![(s, None)] });
            }
        }
        // Table rows: a band between two rules is one line; a cell spanning several bands is
        // written on its first; an empty cell spanning several bands is layout, no field.
        let snap = (0.03 * page.dpi).round() as usize;
        for (ti, table) in found[pi].2.iter().enumerate() {
            let mut ys: Vec<usize> = table.cells.iter().flat_map(|c| [c.y0, c.y1]).collect();
            ys.sort_unstable();
            ys.dedup_by(|a, b| a.abs_diff(*b) <= snap);
            let band = |y: usize| ys.iter().position(|&v| v.abs_diff(y) <= snap).unwrap_or(0);
            let mut rows: Vec<Vec<(usize, Field)>> = vec![Vec::new(); ys.len()];
            for j in jobs.iter().filter(|j| j.page == pi && j.table == ti) {
                let c = table.cells[j.cell];
                let f = field(j);
                if f.0.is_empty() && band(c.y1) > band(c.y0) + 1 {
                    continue;
                }
                rows[band(c.y0)].push((c.x0, f));
            }
            for (bi, mut cells) in rows.into_iter().enumerate() {
                if cells.is_empty() || cells.len() == 1 && cells[0].1.0.is_empty() {
                    continue;
                }
                cells.sort_by_key(|c| c.0);
                lines.push(Out { top: ys[bi], fields: cells.into_iter().map(|c| c.1).collect() });
            }
        }
        lines.sort_by_key(|l| l.top);
        for l in lines {
            for (k, (s, read)) in l.fields.into_iter().enumerate() {
                if k > 0 {
                    text.push('\t');
                }
                let a = text.len();
                text.push_str(&s);
                if let Some(r) = read {
                    reads.push(((a, text.len()), r));
                }
            }
            text.push('\n');
        }
    }
    Reading { text, reads }
}

/// Mark the cells of a report parsed from [`Reading::text`] by how OCR read them: never
/// plain `parsed` (see the module's invariants).
pub fn mark(report: &mut Report, reads: &[((usize, usize), Read)]) {
    let find = |(a, b): (usize, usize)| {
        let i = reads.partition_point(|((ra, _), _)| *ra <= a);
        reads[..i].iter().rev().take(2).find(|((ra, rb), _)| *ra <= a && b <= *rb).map(|(_, r)| r)
    };
    for c in &mut report.cells {
        let read = c.span.and_then(find);
        let add = |c: &mut crate::model::Cell, what: String| {
            c.repair = Some(match c.repair.take() {
                Some(r) if !r.is_empty() => format!("{what}；{r}"),
                _ => what,
            });
        };
        match (c.status, read) {
            (Status::Parsed | Status::Repaired, Some(Read::Value { conf, other })) => {
                c.status = Status::Repaired;
                let mut what = format!("文字识别（OCR）读出，置信度 {:.0}%", conf);
                if let Some(o) = other {
                    what.push_str(&format!("（另一次识别为“{o}”）"));
                }
                add(c, what);
            }
            (Status::Parsed | Status::Repaired, Some(Read::Blank)) => {
                c.status = Status::Repaired;
                add(c, "扫描件此格空白（没有字迹），读作 0".into());
            }
            (Status::Parsed | Status::Repaired | Status::Unreadable, Some(Read::Unread)) => {
                c.value = None;
                c.status = Status::Unreadable;
                add(c, "文字识别（OCR）未能读出此格的数字".into());
            }
            (Status::Parsed | Status::Repaired, None) => {
                c.status = Status::Repaired;
                add(c, "文字识别（OCR）读出".into());
            }
            (Status::Unreadable, _) if c.repair.is_none() => {
                add(c, "文字识别（OCR）读出的不是数字".into());
            }
            _ => {}
        }
    }
}
