//! Finding the row labels of a table among its text, whatever the layout: labels broken
//! across lines, headers one character per line, numbers in the middle of a label, a page
//! break that repeats the headers. Each label may occur many times (总计, 其他); the rows are
//! matched as the longest run in template order (dynamic programming), so a dropped row
//! stays missing and never pulls later rows out of place.

use super::tokens::{Item, ItemKind};
use crate::template::RowDef;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowMatch {
    /// Index (in the items) of the first text item of the label.
    pub first: usize,
    /// Index of the last text item of the label.
    pub last: usize,
}

#[derive(Clone, Copy)]
struct Cand {
    row: usize,
    rank: usize,
    kstart: usize,
    kend: usize,
}

/// Match each row's label in `items`; `None` for a row not found.
pub(crate) fn match_rows(items: &[Item], rows: &[&RowDef]) -> Vec<Option<RowMatch>> {
    // The label stream: keys of the text items, concatenated, with the owner of each byte.
    let len: usize = items.iter().map(|it| if let ItemKind::Text { key } = &it.kind { key.len() } else { 0 }).sum();
    let mut keys = String::with_capacity(len);
    let mut owner: Vec<u32> = Vec::with_capacity(len);
    for (i, it) in items.iter().enumerate() {
        if let ItemKind::Text { key } = &it.kind {
            keys.push_str(key);
            owner.resize(keys.len(), i as u32);
        }
    }
    let cands = candidates(&keys, rows);
    // A label right before a number (its run follows it, as in a well-read table) is a strong
    // anchor; a label with text after it (PDF text that put the label far from its numbers)
    // a weak one: a run of strong anchors wins over more weak ones.
    let weight = |c: &Cand| -> usize {
        let last = owner[c.kend - 1] as usize;
        if items.get(last + 1).is_some_and(|it| it.is_cell() || matches!(it.kind, ItemKind::Empty)) { 3 } else { 1 }
    };
    let weights: Vec<usize> = cands.iter().map(weight).collect();
    let best = best_chains(&cands, &weights);
    let mut out = vec![None; rows.len()];
    let mut k = (0..best.len()).max_by_key(|&k| best[k].0);
    while let Some(i) = k {
        let c = cands[i];
        out[c.row] = Some(RowMatch { first: owner[c.kstart] as usize, last: owner[c.kend - 1] as usize });
        k = best[i].1;
    }
    out
}

/// Every place where a row's label variant stands in the label stream `keys`, row by row, each
/// row's variants in order (most specific first), each variant's places left to right and not
/// overlapping one another; a place inside a more specific variant's place of the same row is
/// left out. All variants are looked for in one pass ([`Labels`]).
fn candidates(keys: &str, rows: &[&RowDef]) -> Vec<Cand> {
    let Some(labels) = Labels::of(rows) else { return Vec::new() };
    // Each variant's places as `str::match_indices` finds them: leftmost first, then after it.
    // Searched one byte per character; the places are given back as byte ranges of `keys`.
    let mut coded = Vec::with_capacity(keys.len());
    let mut at: Vec<u32> = Vec::with_capacity(keys.len() + 1);
    for (i, c) in keys.char_indices() {
        coded.push(labels.codes.code(c));
        at.push(i as u32);
    }
    at.push(keys.len() as u32);
    let mut hits: Vec<(usize, usize, usize)> = labels
        .ac
        .find_overlapping_iter(&coded)
        .map(|m| (m.pattern().as_usize(), at[m.start()] as usize, at[m.end()] as usize))
        .collect();
    hits.sort_unstable();
    let mut raw: Vec<Cand> = Vec::with_capacity(hits.len());
    let mut last: (usize, usize) = (usize::MAX, 0);
    for (p, start, end) in hits {
        if p != last.0 {
            last = (p, 0);
        }
        if start >= last.1 {
            last.1 = end;
            raw.extend(labels.uses[p].iter().map(|&(row, rank)| Cand { row, rank, kstart: start, kend: end }));
        }
    }
    raw.sort_unstable_by_key(|c| (c.row, c.rank, c.kstart));
    let mut cands: Vec<Cand> = Vec::with_capacity(raw.len());
    let mut row_from = 0;
    for c in raw {
        if cands.last().is_none_or(|l| l.row != c.row) {
            row_from = cands.len();
        }
        if cands[row_from..].iter().any(|p| p.kstart <= c.kstart && c.kend <= p.kend) {
            continue; // inside a more specific match of the same row
        }
        cands.push(c);
    }
    cands
}

/// The first row, in the order of `rows` and then of their variants, that has a variant of at
/// least `min_chars` characters inside `key` (one pass over `key`, [`Labels`]).
pub fn first_row_inside(key: &str, rows: &[&RowDef], min_chars: usize) -> Option<usize> {
    let labels = Labels::of(rows)?;
    let coded: Vec<u8> = key.chars().map(|c| labels.codes.code(c)).collect();
    labels
        .ac
        .find_overlapping_iter(&coded)
        .flat_map(|m| labels.uses[m.pattern().as_usize()].iter().copied())
        .filter(|&(r, rank)| rows[r].matches[rank].chars().count() >= min_chars)
        .min()
        .map(|(r, _)| r)
}

/// The label variants of a table's rows in one Aho-Corasick automaton: each distinct variant
/// once, with the (row, rank) pairs that use it. Built once per table of a template and kept.
///
/// The automaton reads one byte per character, not UTF-8: each character of the variants has
/// its own code ([`CharCodes`]), every other character the code 0, which no variant holds. A
/// variant stands at a place of the coded text exactly where it stands in the text (coding is
/// one to one on the variants' characters), in a third of the steps and a smaller automaton.
struct Labels {
    ac: aho_corasick::AhoCorasick,
    uses: Vec<Vec<(usize, usize)>>,
    codes: CharCodes,
}

/// The characters of a table's label variants numbered from 1 (at most 255 of them; the
/// templates' largest table has about 130), in order of first use; 0 for any other character.
struct CharCodes {
    /// Codes of the characters below U+A000 (ASCII and the common ideographs), by code point.
    low: Vec<u8>,
    /// Codes of the others, sorted by character.
    high: Vec<(char, u8)>,
}

impl CharCodes {
    const LOW: usize = 0xA000;

    fn new() -> CharCodes {
        CharCodes { low: vec![0; Self::LOW], high: Vec::new() }
    }

    fn code(&self, c: char) -> u8 {
        match self.low.get(c as usize) {
            Some(&k) => k,
            None => self.high.binary_search_by_key(&c, |&(h, _)| h).map_or(0, |i| self.high[i].1),
        }
    }

    /// The codes of `s`, numbering its new characters; `None` past 255 characters.
    fn add(&mut self, s: &str, next: &mut u8) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(s.len());
        for c in s.chars() {
            let mut k = self.code(c);
            if k == 0 {
                *next = next.checked_add(1)?;
                k = *next;
                match self.low.get_mut(c as usize) {
                    Some(slot) => *slot = k,
                    None => {
                        let i = self.high.partition_point(|&(h, _)| h < c);
                        self.high.insert(i, (c, k));
                    }
                }
            }
            out.push(k);
        }
        Some(out)
    }
}

/// Build the label automaton of `rows` now (see [`super::warm_up`]).
pub(crate) fn warm_up(rows: &[&RowDef]) {
    Labels::of(rows);
}

impl Labels {
    fn of(rows: &[&RowDef]) -> Option<&'static Labels> {
        use std::sync::{Mutex, OnceLock};
        type Cache = Mutex<Vec<(usize, usize, &'static Labels)>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let first = *rows.first()?;
        let id = (std::ptr::from_ref(first) as usize, rows.len());
        let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
        // Built under the lock: one thread builds each automaton, once (see `parse::warm_up`).
        let mut cache = cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&(_, _, l)) = cache.iter().find(|(a, n, _)| (*a, *n) == id) {
            return Some(l);
        }
        let mut patterns: Vec<&str> = Vec::new();
        let mut uses: Vec<Vec<(usize, usize)>> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (rank, m) in row.matches.iter().enumerate() {
                match patterns.iter().position(|p| p == m) {
                    Some(i) => uses[i].push((r, rank)),
                    None => {
                        patterns.push(m);
                        uses.push(vec![(r, rank)]);
                    }
                }
            }
        }
        let mut codes = CharCodes::new();
        let mut next = 0u8;
        let coded: Vec<Vec<u8>> = patterns.iter().map(|p| codes.add(p, &mut next)).collect::<Option<_>>()?;
        let ac = aho_corasick::AhoCorasick::new(&coded).ok()?;
        let l: &'static Labels = Box::leak(Box::new(Labels { ac, uses, codes }));
        cache.push((id.0, id.1, l));
        Some(l)
    }
}

/// For each candidate k: the best chain of candidates in template order that ends with it,
/// as (weight of rows matched, -(sum of ranks), sum of positions), and the candidate before it —
/// the best of the candidates of earlier rows that end where k starts or before (the earliest
/// of equals). Candidates come row by row, so a row's are looked up in a prefix-maximum tree
/// over the end positions of the rows before it, then added: O(n log n).
fn best_chains(cands: &[Cand], weights: &[usize]) -> Vec<((usize, i64, i64), Option<usize>)> {
    let mut ends: Vec<usize> = cands.iter().map(|c| c.kend).collect();
    ends.sort_unstable();
    ends.dedup();
    let mut tree = PrefixMax::new(ends.len());
    let mut best: Vec<((usize, i64, i64), Option<usize>)> = Vec::with_capacity(cands.len());
    let mut k = 0;
    while k < cands.len() {
        let row_end = k + cands[k..].iter().take_while(|c| c.row == cands[k].row).count();
        for (c, &w) in cands[k..row_end].iter().zip(&weights[k..row_end]) {
            let own = (w, -(c.rank as i64), c.kstart as i64);
            let b = match tree.max(ends.partition_point(|&e| e <= c.kstart)) {
                Some((s, std::cmp::Reverse(j))) => ((s.0 + own.0, s.1 + own.1, s.2 + own.2), Some(j)),
                None => (own, None),
            };
            best.push(b);
        }
        for (j, c) in cands.iter().enumerate().take(row_end).skip(k) {
            tree.add(ends.partition_point(|&e| e < c.kend), (best[j].0, std::cmp::Reverse(j)));
        }
        k = row_end;
    }
    best
}

type Scored = ((usize, i64, i64), std::cmp::Reverse<usize>);

/// A Fenwick tree of maxima: `add` at a position, `max` over the first `n` positions.
struct PrefixMax(Vec<Option<Scored>>);

impl PrefixMax {
    fn new(n: usize) -> Self {
        PrefixMax(vec![None; n + 1])
    }
    fn add(&mut self, pos: usize, v: Scored) {
        let mut i = pos + 1;
        while i < self.0.len() {
            if self.0[i].is_none_or(|o| v > o) {
                self.0[i] = Some(v);
            }
            i += i & i.wrapping_neg();
        }
    }
    fn max(&self, n: usize) -> Option<Scored> {
        let mut i = n;
        let mut m: Option<Scored> = None;
        while i > 0 {
            if let Some(v) = self.0[i]
                && m.is_none_or(|o| v > o)
            {
                m = Some(v);
            }
            i -= i & i.wrapping_neg();
        }
        m
    }
}

/// The cell items of a row: from its label to the next matched label, leaving out a '/' or '-'
/// standing between two words of a header (本年增 / 减, also written one character per line).
///
/// On a field line, a field after the label's that holds words and no number (`未统计`,
/// `1122注`: a field with anything but a number and its unit is text) is given too, as its
/// first item: it may be a value column written in words, which must not let the next field's
/// number slide into its place (see [`super::place::place`]).
pub(crate) fn row_cells(items: &[Item], label: RowMatch, to: usize) -> Vec<&Item> {
    let mut out = Vec::with_capacity(8);
    let own = &items[label.last];
    for i in label.first..to {
        let it = &items[i];
        if i > label.last && it.line == own.line && stray_field(items, i, own) {
            out.push(it);
            continue;
        }
        let empty = matches!(it.kind, ItemKind::Empty);
        if !(it.is_cell() || empty && i > label.last && it.line == items[label.last].line) {
            continue;
        }
        if matches!(it.kind, ItemKind::Blank) {
            // Between two words of a header, on one line (本年增 / 减) or one character per line.
            let text_at = |j: Option<usize>| j.and_then(|j| items.get(j)).is_some_and(|o| !o.is_cell());
            if i > label.last + 1 && text_at(i.checked_sub(1)) && text_at(Some(i + 1)) {
                continue;
            }
        }
        out.push(it);
    }
    out
}

/// Whether item `i` starts a field, after the label's own field on its line, of words that
/// are not only a unit or sign (see [`row_cells`]).
fn stray_field(items: &[Item], i: usize, label: &Item) -> bool {
    let it = &items[i];
    let (Some(f), Some(lf)) = (it.field, label.field) else { return false };
    if f <= lf || !matches!(it.kind, ItemKind::Text { .. }) {
        return false;
    }
    if i > 0 && items[i - 1].line == it.line && items[i - 1].field == Some(f) {
        return false;
    }
    let mut words = false;
    for o in items[i..].iter().take_while(|o| o.line == it.line && o.field == Some(f)) {
        match &o.kind {
            // Marks without a key (`*`, `…`) are no unit either.
            ItemKind::Text { key } => words |= key.is_empty() || !super::tokens::is_value_word(key),
            _ => return false,
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quadratic recurrence `best_chains` replaces.
    fn naive(cands: &[Cand], weights: &[usize]) -> Vec<((usize, i64, i64), Option<usize>)> {
        let mut best: Vec<((usize, i64, i64), Option<usize>)> = Vec::new();
        for k in 0..cands.len() {
            let c = cands[k];
            let own = (weights[k], -(c.rank as i64), c.kstart as i64);
            let mut b = (own, None);
            for j in 0..k {
                let p = cands[j];
                if p.row < c.row && p.kend <= c.kstart {
                    let s = best[j].0;
                    let s = (s.0 + own.0, s.1 + own.1, s.2 + own.2);
                    if s > b.0 {
                        b = (s, Some(j));
                    }
                }
            }
            best.push(b);
        }
        best
    }

    /// The search `candidates` replaces: one `match_indices` per row and variant.
    fn naive_candidates(keys: &str, rows: &[&RowDef]) -> Vec<Cand> {
        let mut cands: Vec<Cand> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            let before = cands.len();
            for (rank, m) in row.matches.iter().enumerate() {
                for (pos, _) in keys.match_indices(m) {
                    if cands[before..].iter().any(|c| c.kstart <= pos && pos + m.len() <= c.kend) {
                        continue;
                    }
                    cands.push(Cand { row: r, rank, kstart: pos, kend: pos + m.len() });
                }
            }
        }
        cands
    }

    #[test]
    fn one_pass_candidates_equal_one_search_per_variant() {
        use crate::template::{Table, Template};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let mut streams: Vec<String> = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "txt") {
                let text = std::fs::read_to_string(e.path()).unwrap();
                let keys: String = text.lines().map(crate::text::label_key).collect();
                // The whole report's keys, and pieces of it (repeats, overlaps, cut labels).
                for k in 0..6 {
                    let cut = keys.char_indices().map(|(i, _)| i).nth(k * 97).unwrap_or(0);
                    streams.push(keys[cut..].to_string());
                }
                streams.push(keys.repeat(2));
                streams.push("其他其他其他总计总计合计其他处理其他处理".into());
            }
        }
        for t in [Template::T2019, Template::T2021] {
            for table in [Table::Active, Table::Applications, Table::Review] {
                let defs = t.layout().row_defs(table);
                for s in &streams {
                    let a: Vec<_> = candidates(s, &defs).iter().map(|c| (c.row, c.rank, c.kstart, c.kend)).collect();
                    let b: Vec<_> =
                        naive_candidates(s, &defs).iter().map(|c| (c.row, c.rank, c.kstart, c.kend)).collect();
                    assert_eq!(a, b);
                }
            }
        }
    }

    #[test]
    fn every_table_has_its_label_automaton() {
        // At most 255 distinct characters per table: else `Labels::of` has none and no row
        // of that table would be found.
        use crate::template::{Table, Template};
        for t in [Template::T2019, Template::T2021] {
            for table in Table::ALL {
                let defs = t.layout().row_defs(table);
                assert!(Labels::of(&defs).is_some(), "{t:?} {table:?}");
            }
        }
    }

    #[test]
    fn coded_search_finds_what_a_search_per_variant_finds() {
        use crate::template::{Table, Template};
        // `first_row_inside` as one `contains` per row and variant.
        let naive = |key: &str, rows: &[&RowDef], min: usize| -> Option<usize> {
            rows.iter().position(|r| r.matches.iter().any(|m| m.chars().count() >= min && key.contains(m)))
        };
        let mut keys: Vec<String> =
            crate::test_inputs::fixture_lines().iter().map(|l| crate::text::label_key(l)).collect();
        // Characters of the variants with others between them, ASCII, four-byte ideographs.
        let pool = "其他总计合计处理予以公开不予部分申请人自然法人本年新收上年结转行政复议诉讼维持纠正1a𠀀\u{F900}它";
        keys.extend(crate::test_inputs::random_strings(pool, 3000, 16, 5));
        for t in [Template::T2019, Template::T2021] {
            for table in Table::ALL {
                let defs = t.layout().row_defs(table);
                // Whole variants of this table, cut and joined, with other characters between.
                let variants: Vec<&str> = defs.iter().flat_map(|r| r.matches.iter().copied()).collect();
                let mut keys = keys.clone();
                for s in crate::test_inputs::random_strings("abcdefghijklmnopqrstuvwxyz", 500, 6, 9) {
                    let mut k = String::new();
                    for c in s.chars() {
                        let v = variants[(c as usize * 31) % variants.len()];
                        match c as u32 % 4 {
                            0 => k.push_str(v),
                            1 => k.extend(v.chars().skip(1)),
                            2 => k.push_str("一a"),
                            _ => k.extend(v.chars().take(3)),
                        }
                    }
                    keys.push(k);
                }
                for key in &keys {
                    for min in [1, 4] {
                        assert_eq!(first_row_inside(key, &defs, min), naive(key, &defs, min), "{key:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn best_chains_equal_the_quadratic_recurrence() {
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) % n) as usize
        };
        for round in 0..500 {
            let rows = 1 + next(30);
            let len = 1 + next(if round % 2 == 0 { 40 } else { 400 });
            let mut cands = Vec::new();
            for row in 0..rows {
                for _ in 0..next(6) {
                    let kstart = next(len as u64);
                    let kend = kstart + 1 + next(8);
                    cands.push(Cand { row, rank: next(3), kstart, kend });
                }
            }
            let weights: Vec<usize> = cands.iter().map(|_| if next(2) == 0 { 1 } else { 3 }).collect();
            assert_eq!(best_chains(&cands, &weights), naive(&cands, &weights), "round {round}");
        }
    }
}
