//! Page geometry to text lines: the pure half of `pdf` (no PDF parsing here).
//!
//! Input: the glyphs of one page (position, advance, size, text) and its ruling segments
//! (stroked lines and rectangle edges, thin filled rectangles), all in top-down page
//! coordinates (points, y grows downwards). Output: the page's lines in reading order.
//!
//! Invariants:
//! - Ruling segments that form a grid of at least two cells make a table; every glyph whose
//!   centre lies in a cell belongs to that cell, and a cell's text is ONE field: its lines
//!   joined top to bottom, with a space only between two non-CJK characters. A table one
//!   of whose cells holds prose (>= FRAME_LINES lines and >= FRAME_CHARS characters) is a
//!   frame drawn around text, and its text is read as free text instead.
//! - A table row (a band between two horizontal rulings) is ONE line: the cells that start
//!   in that band, left to right, separated by '\t'. A cell spanning several bands is
//!   written on its first band's line. An empty cell is an empty field (the grid proves
//!   its place); a band position covered by a cell from an earlier band yields no field,
//!   nor does an empty cell spanning several bands (layout, never one value's place); a
//!   band holding a single empty cell is no line (a band of several empty cells is a line
//!   of tabs: the grid proves that many blank fields).
//! - Free text (outside grids) is cut into lines by baseline; between two glyphs a gap
//!   wider than TAB_GAP ems is a '\t', a gap wider than SPACE_GAP ems is a ' ' unless both
//!   sides are CJK (Chinese is joined with nothing), anything smaller is nothing. No field
//!   is ever invented there.
//! - Free text rows whose values sit at the vertical middle of a wrapped label are put
//!   back on one line: label lines just above and below, lying wholly left of the first
//!   value, are joined into the label (see `merge_wrapped_labels`).
//! - Lines are ordered top to bottom (single-column reading order). Nothing here panics
//!   on any input (non-finite coordinates are dropped).
//! - Margins (`drop_margins`): a line in the top or bottom MARGIN of its page that is a
//!   page number (`is_page_number`), or that recurs, digits aside, in the margins of at
//!   least half the pages and at least two, is dropped; a table row never is.

use std::collections::HashMap;

/// One shown character (or ligature) in top-down page coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    /// Left and right edge of the advance box.
    pub x0: f64,
    pub x1: f64,
    /// Baseline.
    pub y: f64,
    /// Font size in page units (the em).
    pub size: f64,
    pub text: String,
}

impl Glyph {
    fn cx(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
    /// Vertical centre of the glyph's body (a CJK glyph sits from about 0.8 em above the
    /// baseline to 0.1 em below it).
    fn cy(&self) -> f64 {
        self.y - 0.35 * self.size
    }
    fn top(&self) -> f64 {
        self.y - 0.8 * self.size
    }
}

/// A straight ruling segment (top-down coordinates).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seg {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// One output line of a page.
#[derive(Clone, Debug, PartialEq)]
pub struct PageLine {
    /// Top of the line (for ordering and for header/footer zones).
    pub top: f64,
    /// Bottom of the line.
    pub bottom: f64,
    pub text: String,
    /// True for a row of a ruled table (never treated as a running header or page number).
    pub in_table: bool,
}

/// Gap (in ems) above which two glyphs on one line are in different columns.
pub const TAB_GAP: f64 = 1.2;
/// Gap (in ems) above which two non-CJK glyphs are separate words.
pub const SPACE_GAP: f64 = 0.15;
/// Rulings closer than this (points) are the same ruling.
const SNAP: f64 = 1.5;
/// A ruling reaching within this distance of another one meets it.
const MEET: f64 = 2.5;
/// Cells smaller than this (points) in either direction hold no text (double borders).
const MIN_CELL: f64 = 4.0;
/// A cell with at least this many text lines and characters holds prose: its table is a
/// layout frame drawn around text, not a data table. (A vertical label, one character a
/// line, is never one.)
const FRAME_LINES: usize = 6;
const FRAME_CHARS: usize = 60;

/// A wide character: CJK ideographs, kana, hangul, CJK and full-width punctuation.
/// No space is ever put between two of them.
pub fn is_wide(c: char) -> bool {
    let u = c as u32;
    u >= 0x2E80 || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·' | '•' | '※' | '■' | '□' | '●' | '○' | '√' | '×')
}

/// A rectangle cell of a ruled table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Cell {
    fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x0 - 0.5 && x <= self.x1 + 0.5 && y >= self.y0 - 0.5 && y <= self.y1 + 0.5
    }
    fn touches(&self, o: &Cell) -> bool {
        self.x0 <= o.x1 + MEET && o.x0 <= self.x1 + MEET && self.y0 <= o.y1 + MEET && o.y0 <= self.y1 + MEET
    }
}

/// A ruled table: its cells (no two overlapping).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub cells: Vec<Cell>,
}

#[derive(Clone, Copy, Debug)]
struct Rule {
    /// The fixed coordinate (y of a horizontal rule, x of a vertical one).
    at: f64,
    /// The extent along the rule.
    a: f64,
    b: f64,
}

/// Merge collinear rules: same `at` within SNAP, overlapping or nearly touching extents.
fn merge_rules(mut rs: Vec<Rule>) -> Vec<Rule> {
    rs.sort_by(|p, q| p.at.total_cmp(&q.at).then(p.a.total_cmp(&q.a)));
    let mut out = Vec::new();
    let mut i = 0;
    while i < rs.len() {
        // A group of rules with nearly the same `at`.
        let mut j = i + 1;
        while j < rs.len() && rs[j].at - rs[j - 1].at <= SNAP && rs[j].at - rs[i].at <= 2.0 * SNAP {
            j += 1;
        }
        let at = rs[i..j].iter().map(|r| r.at).sum::<f64>() / (j - i) as f64;
        let mut group: Vec<Rule> = rs[i..j].to_vec();
        group.sort_by(|p, q| p.a.total_cmp(&q.a));
        let mut cur = Rule { at, a: group[0].a, b: group[0].b };
        for r in &group[1..] {
            if r.a <= cur.b + MEET {
                cur.b = cur.b.max(r.b);
            } else {
                out.push(cur);
                cur = Rule { at, a: r.a, b: r.b };
            }
        }
        out.push(cur);
        i = j;
    }
    out
}

/// Find the ruled tables among the segments of a page.
pub fn find_tables(segs: &[Seg]) -> Vec<Table> {
    let mut hs = Vec::new();
    let mut vs = Vec::new();
    for s in segs {
        if ![s.x0, s.y0, s.x1, s.y1].iter().all(|v| v.is_finite()) {
            continue;
        }
        let (dx, dy) = ((s.x1 - s.x0).abs(), (s.y1 - s.y0).abs());
        if dy <= 1.0 && dx >= MIN_CELL {
            hs.push(Rule { at: (s.y0 + s.y1) / 2.0, a: s.x0.min(s.x1), b: s.x0.max(s.x1) });
        } else if dx <= 1.0 && dy >= MIN_CELL {
            vs.push(Rule { at: (s.x0 + s.x1) / 2.0, a: s.y0.min(s.y1), b: s.y0.max(s.y1) });
        }
    }
    if hs.len() < 2 || vs.len() < 2 || hs.len() * vs.len() > 4_000_000 {
        return Vec::new();
    }
    let hs = merge_rules(hs);
    let vs = merge_rules(vs);
    // Intersections: (h index, v index) -> point.
    let mut on_h: Vec<Vec<(f64, usize)>> = vec![Vec::new(); hs.len()]; // (x, v)
    let mut on_v: Vec<Vec<(f64, usize)>> = vec![Vec::new(); vs.len()]; // (y, h)
    let mut meets: HashMap<(usize, usize), ()> = HashMap::new();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if v.at >= h.a - MEET && v.at <= h.b + MEET && h.at >= v.a - MEET && h.at <= v.b + MEET {
                on_h[i].push((v.at, j));
                on_v[j].push((h.at, i));
                meets.insert((i, j), ());
            }
        }
    }
    for l in on_h.iter_mut().chain(on_v.iter_mut()) {
        l.sort_by(|p, q| p.0.total_cmp(&q.0));
    }
    // Cells: from each intersection, the nearest corner below and to the right that closes a
    // rectangle along rulings (pdfplumber's method; merged cells have no inner rulings).
    let mut cells = Vec::new();
    for (i, h) in hs.iter().enumerate() {
        for &(x, j) in &on_h[i] {
            let downs = on_v[j].iter().filter(|&&(y, _)| y > h.at + 0.5);
            let rights: Vec<&(f64, usize)> = on_h[i].iter().filter(|&&(x2, _)| x2 > x + 0.5).collect();
            'down: for &(y2, k) in downs {
                for &&(x2, m) in &rights {
                    if meets.contains_key(&(k, m)) {
                        if x2 - x >= MIN_CELL && y2 - h.at >= MIN_CELL {
                            cells.push(Cell { x0: x, y0: h.at, x1: x2, y1: y2 });
                        }
                        break 'down;
                    }
                }
            }
        }
    }
    // Tables: groups of touching cells; a lone cell is a frame, not a table.
    let n = cells.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for a in 0..n {
        for b in a + 1..n {
            if cells[a].touches(&cells[b]) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                if ra != rb {
                    parent[ra] = rb;
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<Cell>> = HashMap::new();
    for (i, c) in cells.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(*c);
    }
    let mut tables: Vec<Table> = groups.into_values().filter(|g| g.len() >= 2).map(|cells| Table { cells }).collect();
    tables.sort_by(|a, b| top_of(&a.cells).total_cmp(&top_of(&b.cells)));
    tables
}

fn top_of(cells: &[Cell]) -> f64 {
    cells.iter().map(|c| c.y0).fold(f64::INFINITY, f64::min)
}

/// Which output a gap between two glyphs becomes.
#[derive(Clone, Copy, PartialEq)]
enum Sep {
    None,
    Space,
    Tab,
}

fn gap_sep(a: &Glyph, b: &Glyph, tabs: bool) -> Sep {
    let em = a.size.max(b.size).max(1.0);
    let gap = b.x0 - a.x1;
    if tabs && gap > TAB_GAP * em {
        return Sep::Tab;
    }
    // Two CJK characters are never spaced (justified Chinese has gaps everywhere); any other
    // pair with a visible gap is: a number after a label stays a separate word.
    let both_wide = a.text.chars().last().is_some_and(is_wide) && b.text.chars().next().is_some_and(is_wide);
    if !both_wide && gap > SPACE_GAP * em { Sep::Space } else { Sep::None }
}

/// A visual line: glyphs sharing a baseline, left to right.
#[derive(Clone, Debug)]
struct VLine<'a> {
    glyphs: Vec<&'a Glyph>,
    cy: f64,
    size: f64,
}

impl VLine<'_> {
    fn x1(&self) -> f64 {
        self.glyphs.last().map_or(0.0, |g| g.x1)
    }
    fn top(&self) -> f64 {
        self.glyphs.iter().map(|g| g.top()).fold(f64::INFINITY, f64::min)
    }
    fn bottom(&self) -> f64 {
        self.glyphs.iter().map(|g| g.y + 0.2 * g.size).fold(f64::NEG_INFINITY, f64::max)
    }
    /// The line's text; `tabs`: column gaps become '\t' (else a space or nothing).
    fn text(&self, tabs: bool) -> String {
        let mut s = String::new();
        for (i, g) in self.glyphs.iter().enumerate() {
            if i > 0 {
                match gap_sep(self.glyphs[i - 1], g, tabs) {
                    Sep::Tab => s.push('\t'),
                    Sep::Space => s.push(' '),
                    Sep::None => {}
                }
            }
            s.push_str(&g.text);
        }
        s
    }
    /// Fields split at column gaps, with the x where each starts.
    fn fields(&self) -> Vec<(f64, String)> {
        let mut out: Vec<(f64, String)> = Vec::new();
        for (i, g) in self.glyphs.iter().enumerate() {
            let sep = if i == 0 { Sep::Tab } else { gap_sep(self.glyphs[i - 1], g, true) };
            match sep {
                Sep::Tab => out.push((g.x0, String::new())),
                Sep::Space => out.last_mut().map_or((), |f| f.1.push(' ')),
                Sep::None => {}
            }
            if let Some(f) = out.last_mut() {
                f.1.push_str(&g.text);
            }
        }
        out
    }
}

/// Cut glyphs into visual lines (top to bottom, each left to right). Glyphs drawn twice at
/// (nearly) the same place (fake bold, shadows) are kept once.
fn visual_lines<'a>(mut gs: Vec<&'a Glyph>) -> Vec<VLine<'a>> {
    gs.sort_by(|a, b| a.cy().total_cmp(&b.cy()).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<VLine<'a>> = Vec::new();
    for g in gs {
        match lines.last_mut() {
            Some(l) if (g.cy() - l.cy).abs() <= 0.45 * l.size.min(g.size).max(1.0) => {
                let n = l.glyphs.len() as f64;
                l.cy = (l.cy * n + g.cy()) / (n + 1.0);
                l.size = l.size.max(g.size);
                l.glyphs.push(g);
            }
            _ => lines.push(VLine { glyphs: vec![g], cy: g.cy(), size: g.size }),
        }
    }
    for l in &mut lines {
        l.glyphs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut kept: Vec<&Glyph> = Vec::with_capacity(l.glyphs.len());
        for g in l.glyphs.drain(..) {
            let dup =
                kept.iter().rev().take(3).any(|k| k.text == g.text && (k.x0 - g.x0).abs() < 0.3 * g.size.max(1.0));
            if !dup {
                kept.push(g);
            }
        }
        l.glyphs = kept;
    }
    lines
}

/// The text of one cell: its lines joined, a space only between two ASCII words.
fn cell_text(gs: Vec<&Glyph>) -> String {
    let lines = visual_lines(gs);
    let mut s = String::new();
    for l in &lines {
        let t = l.text(false);
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (s.chars().last(), t.chars().next())
            && !is_wide(a)
            && !is_wide(b)
            && a != ' '
        {
            s.push(' ');
        }
        s.push_str(t);
    }
    s
}

/// True for a field that is a value: a number, a percentage, a dash or slash for "none".
fn is_value(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '—' | '－' | '／'))
        && t.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-' | '/' | '—' | '－' | '／' | ' ' | '．' | '，')
        })
}

/// Lay out one page: ruled tables as rows, everything else as lines, top to bottom.
pub(crate) fn page_lines(glyphs: &[Glyph], segs: &[Seg]) -> Vec<PageLine> {
    let glyphs: Vec<&Glyph> = glyphs
        .iter()
        .filter(|g| [g.x0, g.x1, g.y, g.size].iter().all(|v| v.is_finite()) && !g.text.trim().is_empty())
        .collect();
    let tables = find_tables(segs);
    // Assign glyphs to cells.
    let mut in_cell: Vec<Vec<Vec<&Glyph>>> = tables.iter().map(|t| vec![Vec::new(); t.cells.len()]).collect();
    let mut free: Vec<&Glyph> = Vec::new();
    'g: for g in glyphs {
        let (x, y) = (g.cx(), g.cy());
        for (ti, t) in tables.iter().enumerate() {
            for (ci, c) in t.cells.iter().enumerate() {
                if c.contains(x, y) {
                    in_cell[ti][ci].push(g);
                    continue 'g;
                }
            }
        }
        free.push(g);
    }
    let mut out: Vec<PageLine> = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        let cell_glyphs = std::mem::take(&mut in_cell[ti]);
        // A table with a cell holding a page of text is a frame drawn around prose.
        let frame =
            cell_glyphs.iter().any(|gs| gs.len() >= FRAME_CHARS && visual_lines(gs.clone()).len() >= FRAME_LINES);
        if frame || cell_glyphs.iter().all(|gs| gs.is_empty()) {
            free.extend(cell_glyphs.into_iter().flatten());
            continue;
        }
        // Row bands: the distinct tops and bottoms of the cells.
        let mut ys: Vec<f64> = t.cells.iter().flat_map(|c| [c.y0, c.y1]).collect();
        ys.sort_by(f64::total_cmp);
        ys.dedup_by(|a, b| (*a - *b).abs() <= SNAP * 2.0);
        let band = |y: f64| ys.iter().position(|&v| (v - y).abs() <= SNAP * 2.0).unwrap_or(0);
        let mut rows: Vec<Vec<(f64, String)>> = vec![Vec::new(); ys.len()];
        for (c, gs) in t.cells.iter().zip(cell_glyphs) {
            let text = cell_text(gs);
            // An empty cell spanning several bands is layout (the rest of a group label
            // split by a page break, a merged blank area), never the place of one value.
            if text.is_empty() && band(c.y1) > band(c.y0) + 1 {
                continue;
            }
            rows[band(c.y0)].push((c.x0, text));
        }
        for (bi, mut cells) in rows.into_iter().enumerate() {
            if cells.is_empty() {
                continue;
            }
            if cells.len() == 1 && cells[0].1.is_empty() {
                continue; // nothing to say: no text and no field boundary
            }
            cells.sort_by(|a, b| a.0.total_cmp(&b.0));
            let text = cells.iter().map(|c| c.1.as_str()).collect::<Vec<_>>().join("\t");
            let top = ys[bi];
            let bottom = ys.get(bi + 1).copied().unwrap_or(top);
            out.push(PageLine { top, bottom, text, in_table: true });
        }
    }
    let lines = visual_lines(free);
    out.extend(merge_wrapped_labels(&lines));
    out.sort_by(|a, b| a.top.total_cmp(&b.top));
    out
}

/// Free lines to page lines, putting wrapped labels back on their row. A row here is a
/// line whose fields, from some field on, are all values. A label piece is a line with no
/// column gap that is not a row. A piece lying wholly left of a row's first value, reached
/// from that row through a chain of pieces each close to the next, is part of the row's
/// label (the label cell wraps while the values sit at its vertical middle); a piece that
/// could join the row above or the row below goes to the nearer one.
fn merge_wrapped_labels(lines: &[VLine<'_>]) -> Vec<PageLine> {
    let n = lines.len();
    let value_x: Vec<Option<f64>> = lines
        .iter()
        .map(|l| {
            let f = l.fields();
            let first_value = f.iter().position(|(_, s)| is_value(s))?;
            if f[first_value..].iter().all(|(_, s)| is_value(s)) { Some(f[first_value].0) } else { None }
        })
        .collect();
    let piece: Vec<bool> = (0..n).map(|i| value_x[i].is_none() && !lines[i].text(true).contains('\t')).collect();
    let close = |a: usize, b: usize| (lines[b].cy - lines[a].cy).abs() <= 1.6 * lines[a].size.max(lines[b].size);
    // The row a piece may join, searching in one direction (-1 up, +1 down).
    let reach = |p: usize, up: bool| -> Option<usize> {
        let mut i = p;
        loop {
            let j = if up { i.checked_sub(1)? } else { (i + 1 < n).then_some(i + 1)? };
            if !close(i, j) {
                return None;
            }
            if let Some(vx) = value_x[j] {
                return (lines[p].x1() <= vx - 0.5 * lines[j].size).then_some(j);
            }
            if !piece[j] {
                return None;
            }
            i = j;
        }
    };
    let mut owner: Vec<Option<usize>> = vec![None; n];
    for p in (0..n).filter(|&p| piece[p]) {
        owner[p] = match (reach(p, true), reach(p, false)) {
            (Some(u), Some(d)) => {
                if (lines[d].cy - lines[p].cy).abs() < (lines[p].cy - lines[u].cy).abs() {
                    Some(d)
                } else {
                    Some(u)
                }
            }
            (u, d) => u.or(d),
        };
    }
    let mut out = Vec::new();
    for (r, l) in lines.iter().enumerate() {
        if owner[r].is_some() {
            continue;
        }
        let pieces: Vec<usize> = (0..n).filter(|&i| owner[i] == Some(r)).collect();
        if pieces.is_empty() {
            out.push(PageLine { top: l.top(), bottom: l.bottom(), text: l.text(true), in_table: false });
            continue;
        }
        let f = l.fields();
        let vx = value_x[r].unwrap_or(f64::INFINITY);
        let mut parts: Vec<String> = pieces.iter().filter(|&&i| i < r).map(|&i| lines[i].text(false)).collect();
        parts.extend(f.iter().filter(|(x, _)| *x < vx).map(|(_, s)| s.clone()));
        parts.extend(pieces.iter().filter(|&&i| i > r).map(|&i| lines[i].text(false)));
        let mut label = String::new();
        for p in parts {
            let p = p.trim();
            if let (Some(a), Some(b)) = (label.chars().last(), p.chars().next())
                && !is_wide(a)
                && !is_wide(b)
            {
                label.push(' ');
            }
            label.push_str(p);
        }
        let values = f.iter().filter(|(x, _)| *x >= vx).map(|(_, s)| s.as_str());
        let text = std::iter::once(label.as_str()).chain(values).collect::<Vec<_>>().join("\t");
        let top = pieces.iter().map(|&i| lines[i].top()).fold(l.top(), f64::min);
        let bottom = pieces.iter().map(|&i| lines[i].bottom()).fold(l.bottom(), f64::max);
        out.push(PageLine { top, bottom, text, in_table: false });
    }
    out
}

/// One page's lines and its height (in the frame its lines are in).
pub struct Page {
    pub lines: Vec<PageLine>,
    pub height: f64,
}

/// Margin zone: this fraction of the page height at the top and at the bottom.
const MARGIN: f64 = 0.12;

fn in_margin(l: &PageLine, height: f64) -> bool {
    height > 0.0 && !l.in_table && (l.bottom <= height * MARGIN || l.top >= height * (1.0 - MARGIN))
}

/// A page number: `3`, `- 3 -`, `—3—`, `第3页`, `第 3 页 共 6 页`, `3/6`, `Page 3`.
pub fn is_page_number(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    let t = t.strip_prefix("page").unwrap_or(&t);
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
    let groups = s.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).count();
    digits > 0
        && digits <= 6
        && groups <= 2
        && t.chars().all(|c| c.is_ascii_digit() || "-－—–_·•/／第页共()（）ofpage".contains(c))
        && !t.starts_with('0')
}

/// A margin line with its digits ignored, for spotting running headers and footers.
fn margin_key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).map(|c| if c.is_ascii_digit() { '#' } else { c }).collect()
}

/// Drop page numbers and running headers and footers (see the module invariants).
pub(crate) fn drop_margins(pages: Vec<Page>) -> Vec<Vec<PageLine>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for p in &pages {
        let mut keys: Vec<String> =
            p.lines.iter().filter(|l| in_margin(l, p.height)).map(|l| margin_key(&l.text)).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    let need = pages.len().div_ceil(2).max(2);
    pages
        .into_iter()
        .map(|p| {
            let h = p.height;
            p.lines
                .into_iter()
                .filter(|l| !l.text.trim_matches(' ').is_empty())
                .filter(|l| {
                    !(in_margin(l, h)
                        && (is_page_number(&l.text) || seen.get(&margin_key(&l.text)).is_some_and(|&n| n >= need)))
                })
                .map(|mut l| {
                    l.text = l.text.trim_end_matches(' ').to_string();
                    l
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(x: f64, y: f64, size: f64, s: &str) -> Vec<Glyph> {
        let mut out = Vec::new();
        let mut x = x;
        for c in s.chars() {
            let w = if is_wide(c) { size } else { size * 0.5 };
            out.push(Glyph { x0: x, x1: x + w, y, size, text: c.to_string() });
            x += w;
        }
        out
    }

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<Seg> {
        vec![
            Seg { x0, y0, x1, y1: y0 },
            Seg { x0, y0: y1, x1, y1 },
            Seg { x0, y0, x1: x0, y1 },
            Seg { x0: x1, y0, x1, y1 },
        ]
    }

    #[test]
    fn prose_spaces_only_at_gaps_and_never_between_cjk() {
        let mut g = word(10.0, 20.0, 10.0, "共受理");
        g.extend(word(43.0, 20.0, 10.0, "3119"));
        g.extend(word(66.0, 20.0, 10.0, "件"));
        g.extend(word(80.0, 20.0, 10.0, "ab"));
        g.extend(word(93.0, 20.0, 10.0, "cd"));
        g.extend(word(110.0, 20.0, 10.0, "公开"));
        let lines = page_lines(&g, &[]);
        assert_eq!(lines.len(), 1);
        // 件 → ab has a gap: a space; cd → 公 too; the 4-point gap inside 共受理/公开 is nothing.
        assert_eq!(lines[0].text, "共受理 3119 件 ab cd 公开");
        let spaced = [word(0.0, 5.0, 10.0, "信"), word(14.0, 5.0, 10.0, "息")].concat();
        assert_eq!(page_lines(&spaced, &[])[0].text, "信息");
    }

    #[test]
    fn column_gap_is_a_tab_without_grid() {
        let mut g = word(10.0, 20.0, 10.0, "规章");
        g.extend(word(100.0, 20.0, 10.0, "1"));
        g.extend(word(150.0, 20.0, 10.0, "0"));
        let lines = page_lines(&g, &[]);
        assert_eq!(lines[0].text, "规章\t1\t0");
    }

    #[test]
    fn wrapped_label_joins_its_row_without_grid() {
        // Label wraps over two lines; the values sit between them, at the cell's middle.
        let mut g = word(10.0, 100.0, 10.0, "（二）部分公开");
        g.extend(word(10.0, 112.0, 10.0, "形，不计其他情形）"));
        g.extend(word(150.0, 106.0, 10.0, "447"));
        g.extend(word(200.0, 106.0, 10.0, "7"));
        // The next row, label on one line with its values.
        g.extend(word(10.0, 130.0, 10.0, "1.属于国家秘密"));
        g.extend(word(150.0, 130.0, 10.0, "2"));
        g.extend(word(200.0, 130.0, 10.0, "0"));
        let lines = page_lines(&g, &[]);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["（二）部分公开形，不计其他情形）\t447\t7", "1.属于国家秘密\t2\t0"]);
    }

    #[test]
    fn grid_rows_with_spans_and_empty_cells() {
        // Two columns; the left cell of rows 2-3 spans both; row 3's value cell is empty.
        let mut segs = rect(0.0, 0.0, 200.0, 20.0);
        segs.extend(rect(0.0, 20.0, 100.0, 60.0));
        segs.extend(rect(100.0, 20.0, 200.0, 40.0));
        segs.extend(rect(100.0, 40.0, 200.0, 60.0));
        let mut g = word(5.0, 15.0, 10.0, "标题");
        g.extend(word(5.0, 38.0, 10.0, "合并"));
        g.extend(word(5.0, 50.0, 10.0, "单元格"));
        g.extend(word(110.0, 35.0, 10.0, "12"));
        g.extend(word(300.0, 100.0, 10.0, "表外"));
        let lines = page_lines(&g, &segs);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["标题", "合并单元格\t12", "表外"]);
        assert!(lines[..2].iter().all(|l| l.in_table) && !lines[2].in_table);
        // A row of a label and two empty value cells keeps its two empty fields.
        let mut segs = rect(0.0, 0.0, 100.0, 20.0);
        segs.extend(rect(100.0, 0.0, 150.0, 20.0));
        segs.extend(rect(150.0, 0.0, 200.0, 20.0));
        let lines = page_lines(&word(5.0, 15.0, 10.0, "规章"), &segs);
        assert_eq!(lines[0].text, "规章\t\t");
    }

    #[test]
    fn vertical_label_keeps_the_grid_and_prose_box_does_not() {
        // A tall left cell with a label written one character a line, beside two rows.
        let mut segs = rect(0.0, 0.0, 30.0, 240.0);
        segs.extend(rect(30.0, 0.0, 200.0, 120.0));
        segs.extend(rect(30.0, 120.0, 200.0, 240.0));
        let mut g = Vec::new();
        for (i, c) in "三、本年度办理结果一二三".chars().enumerate() {
            g.extend(word(10.0, 15.0 + 18.0 * i as f64, 10.0, &c.to_string()));
        }
        g.extend(word(40.0, 60.0, 10.0, "甲"));
        g.extend(word(40.0, 180.0, 10.0, "乙"));
        let texts: Vec<String> = page_lines(&g, &segs).into_iter().map(|l| l.text).collect();
        assert_eq!(texts, ["三、本年度办理结果一二三\t甲", "乙"]);
        // The same grid around paragraphs of prose is a frame: its lines stay lines.
        let mut g = Vec::new();
        for i in 0..8 {
            g.extend(word(35.0, 15.0 + 12.0 * i as f64, 10.0, "政府信息公开工作年度报告正文"));
        }
        let lines = page_lines(&g, &segs);
        assert_eq!(lines.len(), 8);
        assert!(lines.iter().all(|l| !l.in_table));
    }

    #[test]
    fn lone_box_is_not_a_table() {
        let segs = rect(0.0, 0.0, 500.0, 800.0);
        let g = word(10.0, 20.0, 10.0, "正文");
        let lines = page_lines(&g, &segs);
        assert_eq!(lines.len(), 1);
        assert!(!lines[0].in_table);
    }

    #[test]
    fn non_finite_input_is_dropped() {
        let g = vec![Glyph { x0: f64::NAN, x1: 1.0, y: 1.0, size: 10.0, text: "x".into() }];
        let segs = [Seg { x0: f64::INFINITY, y0: 0.0, x1: 1.0, y1: 0.0 }];
        assert!(page_lines(&g, &segs).is_empty());
    }

    #[test]
    fn page_numbers() {
        for s in ["3", "- 3 -", "—3—", "－ 12 －", "第3页", "第 3 页 共 6 页", "3/6", "Page 3", "3 of 6"] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["0", "规章\t1", "第二十条", "1.属于国家秘密", "12 13 14", "72\t64\t178"] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    #[test]
    fn running_headers_and_footers_are_dropped() {
        let line = |top: f64, text: &str| PageLine { top, bottom: top + 12.0, text: text.into(), in_table: false };
        let page = |n: usize| Page {
            height: 842.0,
            lines: vec![
                line(30.0, "淮安市人民政府办公室"),
                line(300.0, &format!("正文第{n}段")),
                line(800.0, &format!("第 {n} 页 共 3 页")),
                line(810.0, &format!("- {n} -")),
            ],
        };
        let out = drop_margins(vec![page(1), page(2), page(3)]);
        for (i, p) in out.iter().enumerate() {
            let texts: Vec<&str> = p.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(texts, [format!("正文第{}段", i + 1)]);
        }
        // A margin line on one page only stays; a table row in the margin always stays.
        let mut p = page(1);
        p.lines.push(PageLine { top: 820.0, bottom: 830.0, text: "7".into(), in_table: true });
        let out = drop_margins(vec![p]);
        let texts: Vec<&str> = out[0].iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["淮安市人民政府办公室", "正文第1段", "7"]);
    }
}
