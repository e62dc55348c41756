//! Table 四: fifteen numbers, three rows (复议, 直接起诉, 复议后起诉) of four results and a total.
//!
//! Invariants: cells in fields of tab or Markdown rows that line up with the table (15 fields,
//! or 5 per line) are read by position; fifteen numbers in row order are read as they stand
//! (a sum that fails is then the report's, and the checks name it); when they do not add up
//! in row order, the orders PDF text extraction really produces (each row's five cells in one
//! or two pieces, the pieces interleaved: column blocks, header-interleaved) are tried, and
//! exactly one placement making all three row sums hold is used, `repaired`, its repair naming
//! the order; where several fit, the group headers standing right before a piece decide, and
//! where they do not, every cell is `missing`. Rows are read by their own labels where the text
//! labels each run of five (a group header right before it): rows in another order than the
//! template's are placed by their labels, and a row the text does not hold stays `missing`,
//! never filled from another row's numbers.
//!
//! A table laid out the other way round (a line per result, a column per group) is read by its
//! labels where the five results label lines of three numbers and the header names the three
//! groups once each; where lines labelled by one result hold three numbers but the table cannot
//! be made out so, every cell is `missing`.

use super::place::{Sum, field_cell, place, review_sums, value_of};
use super::tokens::{Item, ItemKind};
use crate::model::{Cell, Status};
use crate::template::{Kind, Table, Template};

/// Read table 四 from its items; returns the end of the last item used. A header naming the
/// results in another order than the template's (`结果纠正 结果维持 …`, the same order in each
/// group) decides the order of each group's five cells.
pub fn read(text: &str, items: &[Item], template: Template, cells: &mut [Cell]) -> Option<usize> {
    let layout = template.layout();
    let first = layout.rows(Table::Review)[0].1.start;
    if let Some(placed) = by_result_rows(text, items) {
        for (c, p) in cells[first..first + 15].iter_mut().zip(placed) {
            *c = p;
        }
        return items.iter().rev().find(|i| i.is_cell()).map(|t| t.span.1);
    }
    let order = result_order(items);
    let mut in_text: Vec<Cell> = std::iter::repeat_with(Cell::missing).take(15).collect();
    let end = read_in_text_order(text, items, order.as_ref(), &mut in_text);
    let out = &mut cells[first..first + 15];
    for (k, c) in in_text.into_iter().enumerate() {
        let (r, p) = (k / 5, k % 5);
        out[r * 5 + order.map_or(p, |o| o[p])] = c;
    }
    end
}

/// The result columns of table 四 in the template's order (总计 also written 合计).
const RESULTS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// The result columns `key` names, left to right.
fn results_in(key: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < key.len() {
        let rest = &key[i..];
        let hit = RESULTS.iter().position(|n| rest.starts_with(n)).or_else(|| rest.starts_with("合计").then_some(4));
        match hit {
            Some(c) => {
                out.push(c);
                i += if c == 4 { "总计".len() } else { RESULTS[c].len() };
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// The groups (0 行政复议, 1 未经复议直接起诉, 2 复议后起诉) `key` names, left to right.
fn groups_in(key: &str) -> Vec<usize> {
    const NAMES: [(&str, usize); 4] = [("复议后起诉", 2), ("未经复议直接起诉", 1), ("直接起诉", 1), ("行政复议", 0)];
    let mut out = Vec::new();
    let mut i = 0;
    while i < key.len() {
        let rest = &key[i..];
        match NAMES.iter().find(|(n, _)| rest.starts_with(n)) {
            Some((n, g)) => {
                out.push(*g);
                i += n.len();
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// Per line of the table, in order: the line, its label keys joined (before its first cell,
/// or all of them on a line without cells), and its cells.
fn line_views(items: &[Item]) -> Vec<(usize, String, Vec<&Item>)> {
    let mut out: Vec<(usize, String, Vec<&Item>)> = Vec::new();
    for it in items {
        if out.last().is_none_or(|(l, _, _)| *l != it.line) {
            out.push((it.line, String::new(), Vec::new()));
        }
        let Some((_, key, cells)) = out.last_mut() else { continue };
        match &it.kind {
            ItemKind::Text { key: k } if cells.is_empty() => key.push_str(k),
            _ if it.is_cell() => cells.push(it),
            _ => {}
        }
    }
    out
}

/// Table 四 laid out the other way round: a line per result (结果维持 … 总计) and a column per
/// group (行政复议, 直接起诉, 复议后起诉). Read where each of the five results labels one line
/// of three numbers and the header names the three groups once each; where lines labelled by a
/// result hold three numbers but the table cannot be made out so, every cell is `missing`.
/// `None` where the table is not laid out so.
fn by_result_rows(text: &str, items: &[Item]) -> Option<Vec<Cell>> {
    let views = line_views(items);
    let first_cells = views.iter().position(|(_, _, c)| !c.is_empty())?;
    let result_lines: Vec<(usize, &Vec<&Item>)> = views
        .iter()
        .filter(|(_, key, cells)| !cells.is_empty() && groups_in(key).is_empty())
        .filter_map(|(_, key, cells)| match results_in(key)[..] {
            [r] => Some((r, cells)),
            _ => None,
        })
        .collect();
    if result_lines.iter().filter(|(_, c)| c.len() == 3).count() < 2 {
        return None;
    }
    let header: String = views[..first_cells].iter().map(|(_, k, _)| k.as_str()).collect();
    let mut groups = groups_in(&header);
    groups.dedup();
    let mut sorted = groups.clone();
    sorted.sort_unstable();
    let mut rows: Vec<usize> = result_lines.iter().map(|(r, _)| *r).collect();
    rows.sort_unstable();
    let cell_lines = views.iter().filter(|(_, _, c)| !c.is_empty()).count();
    let fits = sorted == [0, 1, 2]
        && rows == [0, 1, 2, 3, 4]
        && cell_lines == 5
        && result_lines.iter().all(|(_, c)| c.len() == 3);
    if !fits {
        return Some(
            (0..15)
                .map(|_| {
                    let mut c = Cell::missing();
                    c.repair = Some("表四按结果分行、按复议和诉讼分列排列，无法确定各数所在的格".into());
                    c
                })
                .collect(),
        );
    }
    let mut out: Vec<Cell> = (0..15).map(|_| Cell::missing()).collect();
    for (r, cells) in result_lines {
        for (j, t) in cells.iter().enumerate() {
            out[groups[j] * 5 + r] = field_cell(text, t, Kind::Count, false);
        }
    }
    Some(out)
}

/// The results' order the header names where it is not the template's: `order[p]` is the
/// template column (0 结果维持, 1 结果纠正, 2 其他结果, 3 尚未审结, 4 总计) of the p-th cell of a
/// group in the text. Read from the words before the table's first number (spaced out, `结 果
/// 维 持`, as well): they must name the five once per group, in one order for every group.
fn result_order(items: &[Item]) -> Option<[usize; 5]> {
    let mut words = String::new();
    for it in items.iter().take_while(|i| !i.is_cell()) {
        if let ItemKind::Text { key } = &it.kind {
            words.push_str(key);
        }
    }
    let mut found: Vec<(usize, usize)> =
        RESULTS.iter().enumerate().flat_map(|(c, n)| words.match_indices(n).map(move |(at, _)| (at, c))).collect();
    found.sort_unstable();
    if found.is_empty() || !found.len().is_multiple_of(5) {
        return None;
    }
    let mut order = [0usize; 5];
    for (p, o) in order.iter_mut().enumerate() {
        *o = found[p].1;
    }
    let mut sorted = order;
    sorted.sort_unstable();
    let same = found.chunks(5).all(|ch| ch.iter().map(|f| f.1).eq(order.iter().copied()));
    (sorted == [0, 1, 2, 3, 4] && same && order != [0, 1, 2, 3, 4]).then_some(order)
}

/// The row sums of table 四 with each group's cells in the text's order (`order`).
fn sums_in(order: Option<&[usize; 5]>) -> Vec<Sum> {
    match order {
        None => review_sums(),
        Some(o) => {
            let at = |c: usize| o.iter().position(|&x| x == c).unwrap_or(c);
            (0..3).map(|r| Sum { parts: (0..4).map(|c| r * 5 + at(c)).collect(), total: r * 5 + at(4) }).collect()
        }
    }
}

/// Table 四's fifteen cells with each group's in the text's order of results (`order`, from
/// [`result_order`]; `None`: the template's).
fn read_in_text_order(text: &str, items: &[Item], order: Option<&[usize; 5]>, out: &mut [Cell]) -> Option<usize> {
    let toks: Vec<&Item> = items.iter().filter(|i| i.is_cell()).collect();
    if toks.is_empty() {
        for c in out.iter_mut() {
            c.repair = Some("表四中没有读到数字".into());
        }
        return None;
    }
    let end = toks.last().map(|t| t.span.1);
    if let Some(runs) = labelled_runs(items, &toks)
        && runs.iter().enumerate().any(|(k, (r, _))| *r != k)
    {
        for c in out.iter_mut() {
            *c = Cell::missing();
            c.repair = Some("原文表四中没有这一行".into());
        }
        for (r, run) in runs {
            let placed = place(text, &run, &[Kind::Count; 5], &sums_in(order)[..1], false);
            for (c, p) in out[r * 5..r * 5 + 5].iter_mut().zip(placed) {
                *c = p;
            }
        }
        return end;
    }
    if let Some(placed) = by_fields(text, items) {
        for (c, p) in out.iter_mut().zip(placed) {
            *c = p;
        }
        return end;
    }
    let sums = sums_in(order);
    let values: Vec<Option<f64>> = toks.iter().map(|t| value_of(t)).collect();
    if toks.len() == 15 && !holds_all(&values, &sums) && toks.iter().all(|t| matches!(t.kind, ItemKind::Num { .. })) {
        // Column blocks are tried in the template's order of results only.
        match reorder(items, &toks).filter(|_| order.is_none()) {
            Some((order, how)) => {
                for (col, &t) in order.iter().enumerate() {
                    let mut c = field_cell(text, toks[t], Kind::Count, false);
                    if c.status == Status::Parsed {
                        c.status = Status::Repaired;
                    }
                    c.repair = Some(format!("原文中表四的数字不按行排列（{how}），按三行合计都相符的唯一顺序放置"));
                    out[col] = c;
                }
            }
            None => {
                for c in out.iter_mut() {
                    *c = Cell::missing();
                    c.repair = Some("表四的 15 个数按行排列时合计不符，也找不到唯一使三行合计都相符的顺序".into());
                }
            }
        }
        return end;
    }
    let placed = place(text, &toks, &[Kind::Count; 15], &sums, false);
    for (c, p) in out.iter_mut().zip(placed) {
        *c = p;
    }
    end
}

/// The runs of numbers of table 四 by the group headers that label them: every number after a
/// header naming one group (and before the next) is that group's, and each group named has
/// one run of five numbers (or of five fields, empty ones included, on field lines). `None`
/// where a number has no such label, a group is named twice, or a run is not five long.
fn labelled_runs<'a>(items: &'a [Item], toks: &[&'a Item]) -> Option<Vec<(usize, Vec<&'a Item>)>> {
    let votes = header_votes(items, toks);
    let mut runs: Vec<(usize, Vec<&Item>)> = Vec::new();
    for (t, v) in toks.iter().zip(&votes) {
        match (v, runs.last_mut()) {
            (Some(r), _) => {
                if runs.iter().any(|(q, _)| q == r) {
                    return None;
                }
                runs.push((*r, vec![*t]));
            }
            (None, Some((_, run))) => run.push(*t),
            (None, None) => return None,
        }
    }
    // Field lines: empty fields of a labelled run's lines are its blank cells.
    for (_, run) in &mut runs {
        if run.len() < 5 && run.iter().all(|t| t.field.is_some()) {
            let line = run[0].line;
            if run.iter().all(|t| t.line == line) {
                let label_field = items
                    .iter()
                    .filter(|i| i.line == line && !i.is_cell() && !matches!(i.kind, ItemKind::Empty))
                    .filter_map(|i| i.field)
                    .max();
                let mut all: Vec<&Item> = items
                    .iter()
                    .filter(|i| {
                        i.line == line && (i.is_cell() || matches!(i.kind, ItemKind::Empty)) && i.field > label_field
                    })
                    .collect();
                while all.len() > 5 && all.last().is_some_and(|t| matches!(t.kind, ItemKind::Empty)) {
                    all.pop();
                }
                if all.len() == 5 {
                    *run = all;
                }
            }
        }
    }
    runs.iter().all(|(_, run)| run.len() == 5).then_some(runs)
}

fn holds_all(values: &[Option<f64>], sums: &[Sum]) -> bool {
    sums.iter().all(|s| {
        let parts: Option<f64> = s.parts.iter().map(|&p| values[p]).sum();
        matches!((parts, values[s.total]), (Some(p), Some(t)) if (p - t).abs() < 1e-6)
    })
}

/// Cells by position: the field lines of the table hold 15 fields (less empty fields at the
/// ends of lines), each field one cell.
fn by_fields(text: &str, items: &[Item]) -> Option<Vec<Cell>> {
    let vals: Vec<&Item> = items.iter().filter(|i| i.is_cell() || matches!(i.kind, ItemKind::Empty)).collect();
    if vals.is_empty() || vals.iter().any(|t| t.field.is_none()) {
        return None;
    }
    // Per line: the value fields after the last label field, less trailing empties beyond a
    // multiple of five.
    let mut out: Vec<&Item> = Vec::new();
    let mut k = 0;
    while k < vals.len() {
        let line = vals[k].line;
        let mut j = k;
        while j < vals.len() && vals[j].line == line {
            j += 1;
        }
        let last_text = items
            .iter()
            .filter(|i| i.line == line && !i.is_cell() && !matches!(i.kind, ItemKind::Empty))
            .map(|i| i.field)
            .max()
            .flatten();
        let mut row: Vec<&Item> =
            vals[k..j].iter().copied().filter(|t| last_text.is_none_or(|f| t.field > Some(f))).collect();
        while !row.len().is_multiple_of(5) && row.last().is_some_and(|t| matches!(t.kind, ItemKind::Empty)) {
            row.pop();
        }
        if !row.len().is_multiple_of(5) {
            return None;
        }
        // Only lines with a value: a header line's trailing empty fields are no cells.
        if row.iter().any(|t| t.is_cell()) {
            out.extend(row);
        }
        k = j;
    }
    (out.len() == 15).then(|| out.iter().map(|t| field_cell(text, t, Kind::Count, false)).collect())
}

/// Every way to read 15 numbers as three rows of five, each row's cells in order in one or
/// two pieces, the pieces in any order. Returns, for each cell (row-major), the index of its
/// number, and a description of the order.
fn reorder(items: &[Item], toks: &[&Item]) -> Option<(Vec<usize>, &'static str)> {
    let v: Vec<f64> = toks.iter().map(|t| value_of(t).unwrap_or(f64::NAN)).collect();
    // Pieces: (row, from col, to col). Each row split at s (0 = whole).
    let sols = fewest_pieces(&v);
    if sols.is_empty() {
        return None;
    }
    // Fewest pieces first; among those, distinct placements.
    let fewest = sols.iter().map(|s| s.1).min()?;
    let mut best: Vec<Vec<usize>> = Vec::new();
    for (o, n) in &sols {
        if *n == fewest && !best.iter().any(|b| same_values(b, o, &v)) {
            best.push(o.clone());
        }
    }
    if best.len() == 1 {
        return Some((best.remove(0), if fewest <= 3 { "按列块顺序" } else { "按列块交错顺序" }));
    }
    // Several: the group headers right before each piece decide (行政复议 / 直接起诉 / 复议后起诉).
    let votes = header_votes(items, toks);
    // A header naming a group right before a piece counts ten; the rows' order of first
    // appearance in the text breaks what remains.
    let score = |o: &Vec<usize>| -> (i32, i32) {
        let mut sc = 0;
        for (cell, &t) in o.iter().enumerate() {
            if let Some(r) = votes[t] {
                sc += if r == cell / 5 { 10 } else { -10 };
            }
        }
        let first: Vec<usize> = (0..3).map(|r| (0..5).map(|c| o[r * 5 + c]).min().unwrap_or(0)).collect();
        let inversions =
            (0..3).flat_map(|a| (a + 1..3).map(move |b| (a, b))).filter(|&(a, b)| first[a] > first[b]).count();
        (sc, sc - inversions as i32)
    };
    let top = best.iter().map(|o| score(o).1).max()?;
    let winners: Vec<&Vec<usize>> = best.iter().filter(|o| score(o).1 == top).collect();
    (winners.len() == 1 && score(winners[0]).0 > 0)
        .then(|| (winners[0].clone(), "数字按列块与表头交错，行的归属由表头位置和出现顺序推定，请核对"))
}

/// The placements of the numbers `v` as three rows of five, each row in one or two pieces, the
/// pieces in any order, that make all three rows add up: the ones with the fewest pieces, as
/// (for each cell, the index of its number; the number of pieces).
fn fewest_pieces(v: &[f64]) -> Vec<(Vec<usize>, usize)> {
    let mut sols: Vec<(Vec<usize>, usize)> = Vec::new(); // (order, number of pieces)
    // Only the placements with the fewest pieces are used, and each placement is found first
    // with its fewest (a split whose two pieces stand together gives the placement of the row
    // unsplit, and that split comes before it: [s0, s1, s2] in order). So the splits are tried
    // by their number of pieces, each number's in that order, and no further once a number of
    // pieces has given a placement: the same placements as trying all 125.
    let mut splits: Vec<[usize; 3]> = (0..125).map(|k| [k / 25, k / 5 % 5, k % 5]).collect();
    let split_rows = |s: &[usize; 3]| s.iter().filter(|&&x| x > 0).count();
    splits.sort_by_key(split_rows);
    let mut level = 0;
    for split in splits {
        if split_rows(&split) > level {
            if !sols.is_empty() {
                break;
            }
            level = split_rows(&split);
        }
        permute_pieces(&pieces_of(split), v, &mut sols);
    }
    sols
}

/// The pieces of the three rows split at `split` (0: whole): (row, from column, to column).
fn pieces_of(split: [usize; 3]) -> Vec<(usize, usize, usize)> {
    let mut pieces = Vec::with_capacity(6);
    for (r, s) in split.into_iter().enumerate() {
        if s == 0 {
            pieces.push((r, 0, 5));
        } else {
            pieces.push((r, 0, s));
            pieces.push((r, s, 5));
        }
    }
    pieces
}

fn same_values(a: &[usize], b: &[usize], v: &[f64]) -> bool {
    a.iter().zip(b).all(|(&x, &y)| v[x] == v[y])
}

/// All orders of the pieces that keep each row's pieces in order; record placements whose
/// three row sums hold. A branch stops as soon as a row whose five cells are all placed does
/// not add up (the same solutions, in the same order, as trying every order to the end).
fn permute_pieces(pieces: &[(usize, usize, usize)], v: &[f64], sols: &mut Vec<(Vec<usize>, usize)>) {
    const FREE: usize = usize::MAX;
    struct Search<'a> {
        pieces: &'a [(usize, usize, usize)],
        v: &'a [f64],
        used: Vec<bool>,
        order: [usize; 15],
        filled: [usize; 3],
    }
    impl Search<'_> {
        fn row_holds(&self, r: usize) -> bool {
            let at = |c: usize| {
                let o = self.order[r * 5 + c];
                self.v[if o == FREE { 0 } else { o }]
            };
            let parts: f64 = (0..4).map(at).sum();
            (parts - at(4)).abs() < 1e-6
        }
        /// Whether a row whose first `len` cells are the numbers at `pos..` can add up with its
        /// other `5 - len` cells as a run starting at some later position.
        fn can_complete(&self, pos: usize, len: usize) -> bool {
            let n = self.v.len();
            let rest = 5 - len;
            (pos + len..=n.saturating_sub(rest)).any(|p2| {
                let at = |c: usize| if c < len { self.v[pos + c] } else { self.v[p2 + c - len] };
                let parts: f64 = (0..4).map(at).sum();
                (parts - at(4)).abs() < 1e-6
            })
        }
        fn rec(&mut self, placed: usize, pos: usize, sols: &mut Vec<(Vec<usize>, usize)>) {
            let n = self.pieces.len();
            if placed == n {
                if (0..3).all(|r| self.row_holds(r)) {
                    let order: Vec<usize> = self.order.iter().map(|&o| if o == FREE { 0 } else { o }).collect();
                    if !sols.iter().any(|(o, _)| *o == order) {
                        sols.push((order, n));
                    }
                }
                return;
            }
            for p in 0..n {
                if self.used[p] {
                    continue;
                }
                let (r, a, b) = self.pieces[p];
                // A row's second piece only after its first.
                if a > 0 && !(0..n).any(|q| self.used[q] && self.pieces[q].0 == r) {
                    continue;
                }
                for c in a..b {
                    self.order[r * 5 + c] = pos + (c - a);
                }
                self.filled[r] += b - a;
                let ok = if self.filled[r] == 5 {
                    self.row_holds(r)
                } else {
                    // A row's first piece: only when some place after it for the rest of the row
                    // makes the row add up (the same solutions, sooner).
                    self.can_complete(pos, b - a)
                };
                if ok {
                    self.used[p] = true;
                    self.rec(placed + 1, pos + (b - a), sols);
                    self.used[p] = false;
                }
                self.filled[r] -= b - a;
                for c in a..b {
                    self.order[r * 5 + c] = FREE;
                }
            }
        }
    }
    let mut s = Search { pieces, v, used: vec![false; pieces.len()], order: [FREE; 15], filled: [0; 3] };
    s.rec(0, 0, sols);
}

/// For each number, the row a group header standing between it and the number before names
/// (only when exactly one group is named there).
fn header_votes(items: &[Item], toks: &[&Item]) -> Vec<Option<usize>> {
    let mut out = vec![None; toks.len()];
    let mut named: Vec<usize> = Vec::new();
    let mut t = 0;
    for it in items {
        if t < toks.len() && std::ptr::eq(it, toks[t]) {
            named.sort_unstable();
            named.dedup();
            if named.len() == 1 {
                out[t] = Some(named[0]);
            }
            named.clear();
            t += 1;
            continue;
        }
        if let ItemKind::Text { key } = &it.kind {
            if key.contains("复议后起诉") {
                named.push(2);
            } else if key.contains("直接起诉") || key.contains("未经复议") {
                named.push(1);
            } else if key.contains("行政复议") {
                named.push(0);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The placements of every one of the 125 splits, as `reorder` found them before it stopped
    /// at the fewest pieces.
    fn every_split(v: &[f64]) -> Vec<(Vec<usize>, usize)> {
        let mut sols = Vec::new();
        for s0 in 0..5 {
            for s1 in 0..5 {
                for s2 in 0..5 {
                    permute_pieces(&pieces_of([s0, s1, s2]), v, &mut sols);
                }
            }
        }
        sols
    }

    #[test]
    fn the_fewest_pieces_by_number_of_splits_equal_those_of_every_split() {
        let mut seed = 17u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut tried = 0;
        let mut several = 0;
        for round in 0..400 {
            // Three rows that add up, small numbers (so that other orders add up too), laid
            // out in pieces in a random order: the orders PDF text gives and some it does not.
            let rows: Vec<Vec<f64>> = (0..3)
                .map(|_| {
                    let parts: Vec<f64> = (0..4).map(|_| next(if round % 2 == 0 { 3 } else { 9 }) as f64).collect();
                    let mut r = parts.clone();
                    r.push(parts.iter().sum());
                    r
                })
                .collect();
            let mut pieces: Vec<Vec<f64>> = Vec::new();
            for r in &rows {
                let cut = next(5) as usize;
                if cut == 0 {
                    pieces.push(r.clone());
                } else {
                    pieces.push(r[..cut].to_vec());
                    pieces.push(r[cut..].to_vec());
                }
            }
            for k in (1..pieces.len()).rev() {
                pieces.swap(k, next(k as u64 + 1) as usize);
            }
            let v: Vec<f64> = pieces.concat();
            let all = every_split(&v);
            let fewest = all.iter().map(|s| s.1).min();
            let expected: Vec<&(Vec<usize>, usize)> = all.iter().filter(|s| Some(s.1) == fewest).collect();
            let sols = fewest_pieces(&v);
            let got: Vec<&(Vec<usize>, usize)> = sols.iter().collect();
            assert_eq!(got, expected, "{v:?}");
            tried += 1;
            several += usize::from(expected.len() > 1);
        }
        assert!(tried == 400 && several > 10, "{several}");
    }
}
