//! Runs of numbers away from their labels (PDF reading order): a table is read as label
//! anchors plus runs of numbers, aligned to the template's fixed sequence of rows.
//!
//! Invariants: a run is placed by order only where the number of values between two anchors
//! is exactly the number of template rows between them times the row width, every run adds
//! up by the row sum, and (checked by the caller) the column equations hold; a row placed by
//! order and not directly after its own label is `repaired`, with a repair saying so. A group
//! is never formed over a label of one of its rows that the text holds but the row matching
//! did not use (rows in another order than the template's: the text names the rows, so their
//! order is not the template's). Anything else is left to the row-by-row reading, which marks
//! what it cannot place.

use super::place::{Sum, field_cell, row_holds, value_of};
use super::rows::{RowMatch, first_row_inside, row_cells};
use super::tokens::{Item, ItemKind};
use crate::model::{Cell, Status};
use crate::template::{Kind, RowDef, Table, Template};
use std::ops::Range;

/// The values after one found label (or before the first one), and the template rows they may
/// hold: the label's own row and the rows after it that were not found.
pub struct Segment<'a> {
    pub rows: Range<usize>,
    pub toks: Vec<&'a Item>,
    /// The last item of the label; `None` for the values before the first label.
    pub label_last: Option<usize>,
    /// The items the segment covers (its label, its values and what stands between).
    pub items: Range<usize>,
}

/// Split a table's items at its found labels.
pub(crate) fn segments<'a>(items: &'a [Item], found: &[Option<RowMatch>], leading: bool) -> Vec<Segment<'a>> {
    let mut segs = Vec::new();
    let first = found.iter().position(Option::is_some);
    if leading {
        let end = first.and_then(|k| found[k]).map_or(items.len(), |m| m.first);
        let nrows = first.unwrap_or(found.len());
        let toks: Vec<&Item> = items[..end].iter().filter(|i| i.is_cell()).collect();
        // Numbers before every label (labels after their numbers) belong to the rows after.
        if nrows > 0 || !toks.is_empty() {
            segs.push(Segment { rows: 0..nrows, toks, label_last: None, items: 0..end });
        }
    }
    for k in 0..found.len() {
        let Some(m) = found[k] else { continue };
        let next_k = (k + 1..found.len()).find(|&j| found[j].is_some());
        let next_item = next_k.and_then(|j| found[j]).map_or(items.len(), |n| n.first);
        let toks = row_cells(items, m, next_item);
        segs.push(Segment {
            rows: k..next_k.unwrap_or(found.len()),
            toks,
            label_last: Some(m.last),
            items: m.first..next_item,
        });
    }
    segs
}

/// Rows placed together by order.
pub struct Group {
    /// Each row (index in the table) with its cells.
    pub rows: Vec<(usize, Vec<Cell>)>,
    /// Rows whose run came right after their own label.
    pub own: Vec<usize>,
    /// The segment after the group.
    pub next: usize,
    pub end: Option<usize>,
}

/// For each item, the row whose label it is where the row matching did not use it (a label
/// standing out of the template's order), by the row's specific matchers (four characters or
/// more: 总计 and 其他 stand in headers too).
pub(crate) fn stray_labels(items: &[Item], found: &[Option<RowMatch>], defs: &[&RowDef]) -> Vec<Option<usize>> {
    let mut used = vec![false; items.len()];
    for m in found.iter().flatten() {
        for u in &mut used[m.first..=m.last] {
            *u = true;
        }
    }
    // The first row, in the order of rows and then of their variants, with a variant of four
    // characters or more inside the label.
    items
        .iter()
        .enumerate()
        .map(|(i, it)| match &it.kind {
            ItemKind::Text { key } if !used[i] && key.chars().count() >= 4 => first_row_inside(key, defs, 4),
            _ => None,
        })
        .collect()
}

/// Segments `i..=j` whose values fill their rows exactly, each run adding up, where more than
/// one row is involved. `None` when no such group starts at `i`, or when a label of one of the
/// group's rows stands unused among its items (`stray`, from [`stray_labels`]).
#[allow(clippy::too_many_arguments)]
pub fn group(
    text: &str,
    items: &[Item],
    segs: &[Segment],
    i: usize,
    width: usize,
    sums: &[Sum],
    stray: &[Option<usize>],
) -> Option<Group> {
    let mut nrows = 0;
    // Room for a few rows of values without growing (a group is some rows of `width` each).
    let mut vals: Vec<&Item> = Vec::with_capacity(8 * width);
    let mut starts: Vec<(usize, usize)> = Vec::with_capacity(segs.len().saturating_sub(i)); // (segment, offset of its first value)
    for (j, seg) in segs.iter().enumerate().skip(i) {
        starts.push((j, vals.len()));
        nrows += seg.rows.len();
        vals.extend(seg.toks.iter().copied().filter(|t| t.is_cell()));
        let need = nrows * width;
        // More values than rows so far: the labels of later rows may come after their numbers.
        if vals.len() != need {
            continue;
        }
        if nrows < 2 || vals.is_empty() {
            return None;
        }
        if vals.iter().any(|t| !matches!(t.kind, ItemKind::Num { .. } | ItemKind::Blank)) {
            return None;
        }
        let rows: Vec<usize> = segs[i..=j].iter().flat_map(|s| s.rows.clone()).collect();
        // Up to the group's last number or last label, whichever is later: a stray copy of a
        // label after both (text left over from a page) says nothing of the runs' order.
        let last_label = segs[i..=j].iter().filter_map(|s| s.label_last).max().map_or(0, |l| l + 1);
        let last_value = items.partition_point(|it| it.span.0 < vals.last().map_or(0, |t| t.span.0)) + 1;
        let span = segs[i].items.start..seg.items.end.min(last_label.max(last_value));
        if stray.get(span).is_some_and(|s| s.iter().flatten().any(|r| rows.contains(r))) {
            return None;
        }
        let mut out = Vec::with_capacity(rows.len());
        let mut own = Vec::new();
        for (c, &r) in rows.iter().enumerate() {
            let run = &vals[c * width..(c + 1) * width];
            let values: Vec<Option<f64>> =
                run.iter().map(|t| if matches!(t.kind, ItemKind::Blank) { Some(0.0) } else { value_of(t) }).collect();
            if !row_holds(&values, sums) {
                return None;
            }
            let own_label = starts
                .iter()
                .any(|&(s, off)| off == c * width && segs[s].label_last.is_some() && segs[s].rows.start == r);
            let mut cells: Vec<Cell> = run.iter().map(|t| field_cell(text, t, Kind::Count, false)).collect();
            if own_label {
                own.push(r);
            } else {
                for cell in &mut cells {
                    if cell.status == Status::Parsed {
                        cell.status = Status::Repaired;
                    }
                    cell.repair = Some(
                        "原文中本行的数字与行标签分离，按表格的行序放置（行合计与列合计相符；相邻两行无法由合计区分，请核对）"
                            .into(),
                    );
                }
            }
            out.push((r, cells));
        }
        let end = vals.last().map(|t| t.span.1);
        return Some(Group { rows: out, own, next: j + 1, end });
    }
    None
}

/// Whether table 三's column equations hold where every cell is known: each column's total
/// row is the sum of the outcome rows, and 新收 + 结转 = 总计 + 结转下年度.
pub(crate) fn columns_hold(template: Template, cells: &[Cell]) -> bool {
    let layout = template.layout();
    let rows = layout.rows(Table::Applications);
    let idx = |key: &str| rows.iter().position(|(r, _)| r.key == key);
    let (Some(granted), Some(total), Some(new), Some(carried), Some(forward)) =
        (idx("granted"), idx("total"), idx("new_received"), idx("carried_over"), idx("carried_forward"))
    else {
        return true;
    };
    let v = |r: usize, c: usize| cells[rows[r].1.start + c].value;
    for c in 0..7 {
        let parts: Option<f64> = (granted..total).map(|r| v(r, c)).sum();
        if let (Some(p), Some(t)) = (parts, v(total, c))
            && (p - t).abs() > 1e-6
        {
            return false;
        }
        if let (Some(a), Some(b), Some(t), Some(f)) = (v(new, c), v(carried, c), v(total, c), v(forward, c))
            && (a + b - t - f).abs() > 1e-6
        {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `stray_labels` computed before the one-pass search: each variant tried in turn.
    fn naive(items: &[Item], defs: &[&RowDef]) -> Vec<Option<usize>> {
        let long: Vec<(usize, &str)> = defs
            .iter()
            .enumerate()
            .flat_map(|(r, d)| d.matches.iter().filter(|m| m.chars().count() >= 4).map(move |m| (r, *m)))
            .collect();
        items
            .iter()
            .map(|it| match &it.kind {
                ItemKind::Text { key } if key.chars().count() >= 4 => {
                    long.iter().find(|(_, m)| key.contains(m)).map(|&(r, _)| r)
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn stray_labels_equal_trying_each_variant() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            // Labels joined two and three at a time as well, as a broken layout may run them together.
            let joined: String = text.lines().collect::<Vec<_>>().chunks(3).map(|c| c.concat() + "\n").collect();
            for t in [text.as_str(), joined.as_str()] {
                let ls = super::super::tokens::lines(t);
                let mut items = Vec::new();
                super::super::tokens::tokenize(t, &ls, 0, ls.len(), &mut items);
                for tpl in [Template::T2019, Template::T2021] {
                    for table in [Table::Active, Table::Applications, Table::Review] {
                        let defs = tpl.layout().row_defs(table);
                        assert_eq!(stray_labels(&items, &[], &defs), naive(&items, &defs), "{:?}", e.path());
                    }
                }
            }
        }
    }
}
