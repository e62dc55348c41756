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
pub fn match_rows(items: &[Item], rows: &[&RowDef]) -> Vec<Option<RowMatch>> {
    // The label stream: keys of the text items, concatenated, with the owner of each byte.
    let mut keys = String::new();
    let mut owner: Vec<u32> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if let ItemKind::Text { key } = &it.kind {
            keys.push_str(key);
            owner.resize(keys.len(), i as u32);
        }
    }
    let mut cands: Vec<Cand> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let before = cands.len();
        for (rank, m) in row.matches.iter().enumerate() {
            for (pos, _) in keys.match_indices(m) {
                if cands[before..].iter().any(|c| c.kstart <= pos && pos + m.len() <= c.kend) {
                    continue; // inside a more specific match of the same row
                }
                cands.push(Cand { row: r, rank, kstart: pos, kend: pos + m.len() });
            }
        }
    }
    // A label right before a number (its run follows it, as in a well-read table) is a strong
    // anchor; a label with text after it (PDF text that put the label far from its numbers)
    // a weak one: a run of strong anchors wins over more weak ones.
    let weight = |c: &Cand| -> usize {
        let last = owner[c.kend - 1] as usize;
        if items.get(last + 1).is_some_and(|it| it.is_cell() || matches!(it.kind, ItemKind::Empty)) { 3 } else { 1 }
    };
    // best[k]: (weight of rows matched, -(sum of ranks), sum of positions) ending with candidate k.
    let score = |s: (usize, i64, i64)| s;
    let mut best: Vec<((usize, i64, i64), Option<usize>)> = Vec::with_capacity(cands.len());
    for k in 0..cands.len() {
        let c = cands[k];
        let own = (weight(&c), -(c.rank as i64), c.kstart as i64);
        let mut b = (own, None);
        for j in 0..k {
            let p = cands[j];
            if p.row < c.row && p.kend <= c.kstart {
                let s = best[j].0;
                let s = (s.0 + own.0, s.1 + own.1, s.2 + own.2);
                if score(s) > score(b.0) {
                    b = (s, Some(j));
                }
            }
        }
        best.push(b);
    }
    let mut out = vec![None; rows.len()];
    let mut k = (0..best.len()).max_by_key(|&k| best[k].0);
    while let Some(i) = k {
        let c = cands[i];
        out[c.row] = Some(RowMatch { first: owner[c.kstart] as usize, last: owner[c.kend - 1] as usize });
        k = best[i].1;
    }
    out
}

/// The cell items of a row: from its label to the next matched label, leaving out a '/' or '-'
/// standing between two words of a header (本年增 / 减, also written one character per line).
pub fn row_cells(items: &[Item], label: RowMatch, to: usize) -> Vec<&Item> {
    let mut out = Vec::new();
    for i in label.first..to {
        let it = &items[i];
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
