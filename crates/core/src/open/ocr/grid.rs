//! A page image's ruled tables: binarise, find the ruling lines (long horizontal and vertical
//! runs of dark pixels), and cut the grid into cells with the PDF reader's own grid builder
//! (`pdf::find_tables`), so that a scanned table and a born-digital one are cut the same way.
//!
//! Invariants:
//! - Dark is below a threshold chosen by Otsu's method, kept within [MIN_T, MAX_T] so that a
//!   light grey shading behind a row is paper, not ink.
//! - A rule is a run of dark pixels at least [`MIN_H_RULE`] (horizontal) or [`MIN_V_RULE`]
//!   (vertical) inches long, gaps of a pixel or two bridged, no thicker than [`MAX_THICK`]
//!   inches (a black area or a photograph is no rule). Parallel rules closer than
//!   [`DOUBLE_GAP`] inches that overlap by half are ONE rule (a doubled border).
//! - Coordinates handed to `find_tables` are points (1/72 inch), so its tolerances mean the
//!   same on a scan as on a PDF; cells come back in pixels.
//! - A cell's [`CellImage`] is what lies inside its rules: the rules' width cut off, rows and
//!   columns left almost wholly dark (a rule's remains) whitened, then trimmed to its ink with
//!   a margin of its paper. Ink is [`INK_CONTRAST`] darker than the cell's median; a cell with
//!   fewer ink pixels than [`MIN_INK`] (at 150 dpi) or an ink box lower than a digit is empty.

use super::raster::{Gray, Page};
use crate::open::pdf::{Seg, find_tables};

const MIN_T: u8 = 90;
const MAX_T: u8 = 170;
/// Shortest horizontal rule, inches (a column of the narrowest table is wider).
pub const MIN_H_RULE: f32 = 0.4;
/// Shortest vertical rule, inches (a row of a table is higher; a character is lower).
pub const MIN_V_RULE: f32 = 0.2;
/// Thickest rule, inches (a doubled border with no gap is about this).
pub const MAX_THICK: f32 = 0.07;
/// Two parallel rules closer than this (inches) are one doubled rule.
pub const DOUBLE_GAP: f32 = 0.06;
/// Fewest ink pixels in a cell that is not empty, at 150 dpi (scaled by area).
pub const MIN_INK: f32 = 8.0;
/// Ink is at least this much darker than the cell's paper.
pub const INK_CONTRAST: u8 = 50;

/// A rectangle in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

/// One ruled table of a page: its cells (pixels), as `find_tables` gives them.
#[derive(Clone, Debug)]
pub struct Table {
    pub cells: Vec<Rect>,
}

impl Table {
    pub fn bounds(&self) -> Rect {
        let mut r = Rect { x0: usize::MAX, y0: usize::MAX, x1: 0, y1: 0 };
        for c in &self.cells {
            r.x0 = r.x0.min(c.x0);
            r.y0 = r.y0.min(c.y0);
            r.x1 = r.x1.max(c.x1);
            r.y1 = r.y1.max(c.y1);
        }
        r
    }
}

/// Otsu's threshold of the image, kept within [MIN_T, MAX_T].
pub(crate) fn threshold(img: &Gray) -> u8 {
    let mut hist = [0u64; 256];
    for &p in &img.px {
        hist[p as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return 128;
    }
    let sum: f64 = hist.iter().enumerate().map(|(i, &n)| i as f64 * n as f64).sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0f64, 0f64, -1f64, 128u8);
    for (t, &n) in hist.iter().enumerate() {
        w0 += n as f64;
        sum0 += t as f64 * n as f64;
        let w1 = total as f64 - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let (m0, m1) = (sum0 / w0, (sum - sum0) / w1);
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t.clamp(MIN_T, MAX_T)
}

/// Dark pixels of the image.
pub struct Bits {
    pub w: usize,
    pub h: usize,
    pub dark: Vec<bool>,
}

impl Bits {
    pub fn of(img: &Gray, t: u8) -> Bits {
        Bits { w: img.w, h: img.h, dark: img.px.iter().map(|&p| p < t).collect() }
    }
    fn transpose(&self) -> Bits {
        let mut dark = vec![false; self.w * self.h];
        for y in 0..self.h {
            for x in 0..self.w {
                dark[x * self.h + y] = self.dark[y * self.w + x];
            }
        }
        Bits { w: self.h, h: self.w, dark }
    }
    pub(crate) fn ink(&self) -> usize {
        self.dark.iter().filter(|&&d| d).count()
    }
}

/// A rule found in the image: `at0..=at1` across (rows of a horizontal rule), `a..b` along.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Line {
    at0: usize,
    at1: usize,
    a: usize,
    b: usize,
}

impl Line {
    fn mid(&self) -> f32 {
        (self.at0 + self.at1) as f32 / 2.0
    }
    fn overlap(&self, a: usize, b: usize) -> usize {
        self.b.min(b).saturating_sub(self.a.max(a))
    }
}

/// Horizontal rules of `bits` (call on the transpose for vertical ones).
fn rules(bits: &Bits, min_len: usize, max_gap: usize, max_thick: usize, double_gap: usize) -> Vec<Line> {
    let mut done: Vec<Line> = Vec::new();
    let mut open: Vec<Line> = Vec::new();
    for y in 0..bits.h {
        let row = &bits.dark[y * bits.w..(y + 1) * bits.w];
        // Runs of dark pixels with gaps up to max_gap bridged.
        let mut runs = Vec::new();
        let mut x = 0;
        while x < bits.w {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            let mut end = x; // last dark pixel
            let mut gap = 0;
            x += 1;
            while x < bits.w {
                if row[x] {
                    end = x;
                    gap = 0;
                } else {
                    gap += 1;
                    if gap > max_gap {
                        break;
                    }
                }
                x += 1;
            }
            if end + 1 - start >= min_len {
                runs.push((start, end + 1));
            }
            x = end + 1;
        }
        // Extend the open lines that continue on this row; close the others.
        let mut next_open = Vec::new();
        for (a, b) in runs {
            if let Some(i) = open.iter().position(|l| l.at1 + 1 >= y && l.overlap(a, b) * 2 >= (b - a).min(l.b - l.a)) {
                let mut l = open.swap_remove(i);
                l.at1 = y;
                l.a = l.a.min(a);
                l.b = l.b.max(b);
                next_open.push(l);
            } else {
                next_open.push(Line { at0: y, at1: y, a, b });
            }
        }
        // A line whose rows stopped (allow one row missing, scan noise) is done.
        for l in open {
            if l.at1 + 1 >= y {
                next_open.push(l);
            } else {
                done.push(l);
            }
        }
        open = next_open;
    }
    done.extend(open);
    done.retain(|l| l.at1 - l.at0 < max_thick);
    // Doubled rules: parallel, close, overlapping by half → one.
    done.sort_by(|p, q| p.mid().total_cmp(&q.mid()));
    let mut out: Vec<Line> = Vec::new();
    for l in done {
        if let Some(m) =
            out.iter_mut().rev().take(8).find(|m| {
                l.mid() - m.mid() <= double_gap as f32 && m.overlap(l.a, l.b) * 2 >= (l.b - l.a).min(m.b - m.a)
            })
        {
            m.at0 = m.at0.min(l.at0);
            m.at1 = m.at1.max(l.at1);
            m.a = m.a.min(l.a);
            m.b = m.b.max(l.b);
        } else {
            out.push(l);
        }
    }
    out
}

/// The ruling segments of a page, in points (top-down).
pub(crate) fn segments(page: &Page, bits: &Bits) -> Vec<Seg> {
    let d = page.dpi;
    let px = |inches: f32| ((inches * d).round() as usize).max(1);
    let gap = ((d / 100.0).round() as usize).max(1);
    let k = 72.0 / d as f64;
    let mut segs = Vec::new();
    for l in rules(bits, px(MIN_H_RULE), gap, px(MAX_THICK), px(DOUBLE_GAP)) {
        let y = l.mid() as f64 * k;
        segs.push(Seg { x0: l.a as f64 * k, y0: y, x1: l.b as f64 * k, y1: y });
    }
    for l in rules(&bits.transpose(), px(MIN_V_RULE), gap, px(MAX_THICK), px(DOUBLE_GAP)) {
        let x = l.mid() as f64 * k;
        segs.push(Seg { x0: x, y0: l.a as f64 * k, x1: x, y1: l.b as f64 * k });
    }
    segs
}

/// The ruled tables of a page, cells in pixels.
pub fn tables(page: &Page, bits: &Bits) -> Vec<Table> {
    let segs = segments(page, bits);
    let k = page.dpi as f64 / 72.0;
    let to_px = |v: f64| (v * k).round().max(0.0) as usize;
    find_tables(&segs)
        .into_iter()
        .map(|t| Table {
            cells: t
                .cells
                .iter()
                .map(|c| Rect { x0: to_px(c.x0), y0: to_px(c.y0), x1: to_px(c.x1), y1: to_px(c.y1) })
                .collect(),
        })
        .collect()
}

/// What one cell holds, ready for the OCR engine.
pub struct CellImage {
    /// Trimmed to its ink with a white margin, upscaled to about 300 dpi; `None`: empty.
    pub img: Option<Gray>,
    /// The same made black and white (for reading digits).
    pub bw: Option<Gray>,
    /// Height of the ink in pixels of the page (to tell one line from several).
    pub ink_height: usize,
}

/// Cut cell `r` out of `page`: inside its rules, remains of rules whitened, trimmed to ink.
/// Ink is what is clearly darker than the cell's own paper (its median, so that a shaded
/// cell's grey is paper), which keeps the light thin strokes of a small "1" or "7".
pub(crate) fn cell_image(page: &Page, t: u8, r: Rect) -> CellImage {
    let d = page.dpi;
    let inset = ((0.025 * d).round() as usize).max(2);
    let empty = CellImage { img: None, bw: None, ink_height: 0 };
    if r.x1 <= r.x0 + 2 * inset + 2 || r.y1 <= r.y0 + 2 * inset + 2 {
        return empty;
    }
    let mut c = page.img.crop(r.x0 + inset, r.y0 + inset, r.x1 - inset, r.y1 - inset);
    // Rows and columns almost wholly dark are what is left of a rule (a slightly skewed scan).
    for y in 0..c.h {
        let dark = (0..c.w).filter(|&x| c.at(x, y) < t).count();
        if dark * 10 >= c.w * 6 {
            c.px[y * c.w..(y + 1) * c.w].fill(255);
        }
    }
    for x in 0..c.w {
        let dark = (0..c.h).filter(|&y| c.at(x, y) < t).count();
        if dark * 10 >= c.h * 6 {
            for y in 0..c.h {
                c.px[y * c.w + x] = 255;
            }
        }
    }
    let paper = median(&c.px);
    let ink_t = paper.saturating_sub(INK_CONTRAST);
    let (mut x0, mut y0, mut x1, mut y1, mut n) = (usize::MAX, usize::MAX, 0, 0, 0usize);
    for y in 0..c.h {
        for x in 0..c.w {
            if c.at(x, y) < ink_t {
                n += 1;
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x + 1);
                y1 = y1.max(y + 1);
            }
        }
    }
    let scale = (d / 150.0) * (d / 150.0);
    if (n as f32) < MIN_INK * scale || ((y1 - y0) as f32) < 0.04 * d {
        return empty;
    }
    let pad = ((0.06 * d).round() as usize).max(4);
    let mut out = Gray::new(x1 - x0 + 2 * pad, y1 - y0 + 2 * pad, paper);
    for y in y0..y1 {
        let src = &c.px[y * c.w + x0..y * c.w + x1];
        let dst = (y - y0 + pad) * out.w + pad;
        out.px[dst..dst + (x1 - x0)].copy_from_slice(src);
    }
    let f = ((300.0 / d).round() as usize).clamp(1, 4);
    let img = out.upscale(f);
    // Black and white at three quarters of the paper's brightness: the digits' strokes whole,
    // the blur of the scan gone.
    let bw_t = (paper as u32 * 3 / 4) as u8;
    let bw = Gray { w: img.w, h: img.h, px: img.px.iter().map(|&p| if p < bw_t { 0 } else { 255 }).collect() };
    CellImage { img: Some(img), bw: Some(bw), ink_height: y1 - y0 }
}

fn median(px: &[u8]) -> u8 {
    let mut hist = [0usize; 256];
    for &p in px {
        hist[p as usize] += 1;
    }
    let mut seen = 0;
    for (v, &n) in hist.iter().enumerate() {
        seen += n;
        if seen * 2 >= px.len() {
            return v as u8;
        }
    }
    255
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white page with a table of `rows` × `cols` cells drawn with rules `thick` pixels
    /// wide, the outer border doubled (two rules `gap` pixels apart) when `gap` > 0.
    fn ruled(rows: usize, cols: usize, thick: usize, gap: usize) -> Page {
        let mut img = Gray::new(1000, 800, 250);
        let (x0, y0, cw, rh) = (100, 100, 120, 50);
        let hline = |img: &mut Gray, y: usize, xa: usize, xb: usize| {
            for yy in y..y + thick {
                for x in xa..xb {
                    img.px[yy * 1000 + x] = 20;
                }
            }
        };
        for r in 0..=rows {
            hline(&mut img, y0 + r * rh, x0, x0 + cols * cw + thick);
        }
        if gap > 0 {
            hline(&mut img, y0 - gap - thick, x0 - gap - thick, x0 + cols * cw + gap + 2 * thick);
        }
        for c in 0..=cols {
            for y in y0..y0 + rows * rh + thick {
                for x in x0 + c * cw..x0 + c * cw + thick {
                    img.px[y * 1000 + x] = 20;
                }
            }
        }
        // A character-like blob in the first cell and a light grey shading in the second.
        for y in 115..135 {
            for x in 130..134 {
                img.px[y * 1000 + x] = 0;
            }
        }
        for y in 105..145 {
            for x in 225..335 {
                img.px[y * 1000 + x] = 215;
            }
        }
        Page { img, dpi: 150.0 }
    }

    #[test]
    fn a_ruled_table_gives_its_cells() {
        let page = ruled(3, 4, 2, 0);
        let t = threshold(&page.img);
        let bits = Bits::of(&page.img, t);
        let tables = tables(&page, &bits);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].cells.len(), 12, "{:?}", tables[0].cells);
        let first = tables[0].cells.iter().min_by_key(|c| (c.y0, c.x0)).copied().unwrap();
        assert!(first.x0.abs_diff(101) <= 2 && first.x1.abs_diff(221) <= 2, "{first:?}");
        let c = cell_image(&page, t, first);
        assert!(c.img.is_some() && c.ink_height == 20);
        // The shaded cell holds no ink.
        let second = tables[0].cells.iter().find(|c| c.y0 == first.y0 && c.x0 > first.x0 + 50).copied().unwrap();
        assert!(cell_image(&page, t, second).img.is_none());
    }

    #[test]
    fn a_doubled_border_is_one_rule() {
        let page = ruled(2, 2, 2, 4);
        let bits = Bits::of(&page.img, threshold(&page.img));
        let tables = tables(&page, &bits);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].cells.len(), 4, "{:?}", tables[0].cells);
    }

    #[test]
    fn a_blank_page_and_a_dark_area_have_no_table() {
        let blank = Page { img: Gray::new(500, 700, 255), dpi: 100.0 };
        let bits = Bits::of(&blank.img, threshold(&blank.img));
        assert!(tables(&blank, &bits).is_empty());
        let mut dark = Gray::new(500, 700, 255);
        for y in 100..400 {
            for x in 50..450 {
                dark.px[y * 500 + x] = 10;
            }
        }
        let page = Page { img: dark, dpi: 100.0 };
        let bits = Bits::of(&page.img, threshold(&page.img));
        assert!(tables(&page, &bits).is_empty());
    }
}
