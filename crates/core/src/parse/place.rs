//! Placing a row's numbers into the template's columns, using the row's own sums to confirm
//! blanks and to repair a number split in two. What cannot be placed for certain is missing.

use super::tokens::{Item, ItemKind, Line};
use crate::model::{Cell, Status};
use crate::template::Kind;
use crate::value::round6;

/// `total` = sum of `parts` (column indices within the row group).
#[derive(Debug, Clone)]
pub struct Sum {
    pub parts: Vec<usize>,
    pub total: usize,
}

/// The row shapes of the templates: 6 applicant columns and a total; review: 3 × (4 + total).
pub(crate) fn applicant_sums() -> Vec<Sum> {
    vec![Sum { parts: (0..6).collect(), total: 6 }]
}

pub(crate) fn review_sums() -> Vec<Sum> {
    (0..3).map(|r| Sum { parts: (r * 5..r * 5 + 4).collect(), total: r * 5 + 4 }).collect()
}

fn holds(values: &[Option<f64>], sums: &[Sum]) -> bool {
    sums.iter().all(|s| {
        let total = values[s.total];
        let parts: Option<f64> = s.parts.iter().map(|&p| values[p]).sum();
        matches!((total, parts), (Some(t), Some(p)) if (t - p).abs() < 1e-6)
    })
}

fn num(item: &Item) -> Option<f64> {
    match item.kind {
        ItemKind::Num { value, .. } => Some(value),
        _ => None,
    }
}

/// Convert a token into a cell of the given kind (`yuan_header`: the column header says 元).
fn cell_from(text: &str, item: &Item, kind: Kind, yuan_header: bool) -> Cell {
    let mut cell = Cell::missing();
    cell.text = text[item.span.0..item.span.1].to_string();
    cell.span = Some(item.span);
    match &item.kind {
        ItemKind::Num { value, repaired, yuan, wan } => {
            let mut v = *value;
            if kind == Kind::Money && (*yuan || yuan_header && !*wan) {
                v = round6(v / 10000.0);
                cell.repair = Some("原文以元计，已换算为万元".into());
            }
            cell.value = Some(v);
            cell.status = if repaired.is_some() { Status::Repaired } else { Status::Parsed };
            if let Some(r) = repaired {
                cell.repair = Some(r.clone());
            }
            if kind != Kind::Money && v.fract() != 0.0 {
                // A count with decimals is no count: show it, do not use it.
                cell.value = None;
                cell.status = Status::Unreadable;
                cell.repair = Some("件数不应有小数".into());
            } else if kind == Kind::Count && v < 0.0 {
                // Only 本年增/减 may be negative.
                cell.value = None;
                cell.status = Status::Unreadable;
                cell.repair = Some("件数不能为负数".into());
            }
        }
        ItemKind::Blank => {
            cell.status = Status::Missing;
            cell.repair = Some("原文此格空白或为“/”“-”，未能由行合计确认".into());
        }
        ItemKind::Bad => cell.status = Status::Unreadable,
        // A value field written in words (see `rows::row_cells`): the whole field is its text.
        ItemKind::Text { .. } => {
            let rest = &text[item.span.0..];
            let end = rest.find(['\t', '|', '\n', '\r']).unwrap_or(rest.len());
            let end = item.span.0 + rest[..end].trim_end().len();
            cell.text = text[item.span.0..end].to_string();
            cell.span = Some((item.span.0, end));
            cell.status = Status::Unreadable;
            cell.repair = Some("此格原文为文字，不是数字".into());
        }
        ItemKind::Empty => {}
    }
    cell
}

/// A row whose cells sit in fields of one field line (tab-separated or a Markdown row):
/// when its fields, less empty fields beside the label and at the end of the line, are as
/// many as the row's columns, each field is the cell of its column and an empty, '/' or '-'
/// field is a blank (0, shown blank). `None` when the fields do not line up.
pub(crate) fn place_fields(text: &str, toks: &[&Item], kinds: &[Kind], yuan_header: bool) -> Option<Vec<Cell>> {
    let m = kinds.len();
    let first = toks.first()?;
    if toks.iter().any(|t| t.field.is_none() || t.line != first.line) {
        return None;
    }
    // One item per field: a field holding two numbers is no certain position.
    if toks.windows(2).any(|w| w[0].field == w[1].field) {
        return None;
    }
    let mut vals: &[&Item] = toks;
    while vals.len() > m && matches!(vals[0].kind, ItemKind::Empty) {
        vals = &vals[1..];
    }
    while vals.len() > m && matches!(vals[vals.len() - 1].kind, ItemKind::Empty) {
        vals = &vals[..vals.len() - 1];
    }
    // A row of empty fields only is blank where its fields are all there (a lone trailing tab
    // after a one-column row's label is no evidence).
    if vals.len() != m || m < 2 && !vals.iter().any(|t| t.is_cell()) {
        return None;
    }
    // The fields must be consecutive: nothing else (a label) between them.
    if vals.windows(2).any(|w| w[1].field.zip(w[0].field).is_none_or(|(b, a)| b != a + 1)) {
        return None;
    }
    Some(vals.iter().zip(kinds).map(|(t, &k)| field_cell(text, t, k, yuan_header)).collect())
}

/// A row written one cell per line under its label line, a blank cell as an empty line (Word
/// text copied cell by cell): the `kinds.len()` lines after the label line are its cells, each
/// empty or holding one cell item and nothing else, and no cell of the row comes later.
/// Only when at least one of those lines is empty (else the row reads as it is); `None` when
/// the lines do not have that shape. `end`: the item where the next row's label starts.
///
/// An empty line is not a certain blank: text that puts an empty line between all its lines
/// (PDF text), a line dropped or a note that ends the table early give the same shape with the
/// numbers in other columns, or a row of zeros where its number was lost. So every cell of a
/// row placed this way is `repaired`, its repair saying so: shown for a person to confirm,
/// never a silent `parsed` guess.
pub(crate) fn place_lines(
    text: &str,
    ls: &[Line],
    items: &[Item],
    label_last: usize,
    end: usize,
    kinds: &[Kind],
    yuan_header: bool,
) -> Option<Vec<Cell>> {
    let ll = items.get(label_last)?.line;
    let w = kinds.len();
    let window = ll + 1..ll + 1 + w;
    if window.end > ls.len() {
        return None;
    }
    let after = items.get(label_last + 1..end)?;
    let mut by_line: Vec<Option<&Item>> = vec![None; w];
    for it in after {
        if it.line == ll || window.contains(&it.line) && !it.is_cell() && !matches!(it.kind, ItemKind::Empty) {
            return None;
        }
        if it.is_cell() {
            let slot = by_line.get_mut(it.line.checked_sub(ll + 1)?)?;
            if slot.is_some() {
                return None;
            }
            *slot = Some(it);
        }
    }
    let empty =
        |l: usize| text[ls[l].start..ls[l].end].chars().all(|c| c.is_whitespace() || crate::text::fold(c) == ' ');
    let mut any_empty = false;
    let mut out = Vec::with_capacity(w);
    for (k, (slot, &kind)) in by_line.iter().zip(kinds).enumerate() {
        let l = ll + 1 + k;
        match slot {
            Some(t) => out.push(field_cell(text, t, kind, yuan_header)),
            None if empty(l) => {
                any_empty = true;
                let mut c = Cell::missing();
                c.value = Some(0.0);
                c.span = Some((ls[l].start, ls[l].start));
                out.push(c);
            }
            None => return None,
        }
    }
    if !any_empty {
        return None;
    }
    for c in &mut out {
        if c.value.is_some() {
            c.status = Status::Repaired;
            c.repair = Some(LINES_REPAIR.into());
        }
    }
    Some(out)
}

/// The repair of a cell placed by [`place_lines`].
const LINES_REPAIR: &str = "本行按“一格一行、空行为空白格”读入：空行是否为空白格（0）不确定，各数所在的列请核对";

/// The cell of a field whose column is certain.
pub(crate) fn field_cell(text: &str, t: &Item, kind: Kind, yuan_header: bool) -> Cell {
    match t.kind {
        ItemKind::Empty | ItemKind::Blank => {
            let mut c = Cell::missing();
            c.value = Some(0.0);
            c.status = Status::Parsed;
            c.text = text[t.span.0..t.span.1].to_string();
            c.span = Some(t.span);
            c
        }
        _ => cell_from(text, t, kind, yuan_header),
    }
}

/// Whether `values` (one row's cells) add up by `sums`.
pub(crate) fn row_holds(values: &[Option<f64>], sums: &[Sum]) -> bool {
    holds(values, sums)
}

/// The value of a number item.
pub(crate) fn value_of(item: &Item) -> Option<f64> {
    num(item)
}

fn all_missing(m: usize, why: String) -> Vec<Cell> {
    (0..m)
        .map(|_| {
            let mut c = Cell::missing();
            c.repair = Some(why.clone());
            c
        })
        .collect()
}

/// [`place_fields`] for a row that may hold fields of words after its label (see
/// `rows::row_cells`): first each such field as a cell of its own (unreadable), so that the
/// next field's number never slides into its column; if the fields do not line up so, without
/// them (label text in a field of its own).
pub(crate) fn place_fields_words(text: &str, toks: &[&Item], kinds: &[Kind], yuan_header: bool) -> Option<Vec<Cell>> {
    if let Some(cells) = place_fields(text, toks, kinds, yuan_header) {
        return Some(cells);
    }
    if !toks.iter().any(|t| matches!(t.kind, ItemKind::Text { .. })) {
        return None;
    }
    let values: Vec<&Item> = toks.iter().copied().filter(|t| !matches!(t.kind, ItemKind::Text { .. })).collect();
    place_fields(text, &values, kinds, yuan_header)
}

/// Place `toks` (the row's cell items, in reading order) into `kinds.len()` columns.
pub fn place(text: &str, toks: &[&Item], kinds: &[Kind], sums: &[Sum], yuan_header: bool) -> Vec<Cell> {
    if let Some(cells) = place_fields_words(text, toks, kinds, yuan_header) {
        return cells;
    }
    // Positions are not certain: empty fields and fields of words say nothing.
    let kept: Vec<&Item>;
    let toks = if toks.iter().any(|t| !t.is_cell()) {
        kept = toks.iter().copied().filter(|t| t.is_cell()).collect();
        &kept[..]
    } else {
        toks
    };
    let m = kinds.len();
    let n = toks.len();
    if n == 0 {
        return all_missing(m, "本行没有读到数字".into());
    }
    if n == m {
        let mut cells: Vec<Cell> = toks.iter().zip(kinds).map(|(t, &k)| cell_from(text, t, k, yuan_header)).collect();
        confirm_blanks(&mut cells, toks, sums);
        return cells;
    }
    if sums.is_empty() {
        return all_missing(m, format!("本行读到 {n} 个数，应为 {m} 个，无法确定各数所在的列"));
    }
    if n == m + 1
        && let Some(cells) = join_split_number(text, toks, kinds, sums)
    {
        return cells;
    }
    if n < m
        && let Some(cells) = place_fewer(text, toks, kinds, sums)
    {
        return cells;
    }
    all_missing(m, format!("本行读到 {n} 个数，应为 {m} 个，无法确定各数所在的列"))
}

/// Blanks ('/', '-') are 0 only where the row's own total confirms it (a blank total confirms
/// blank parts where every part written is 0), or, in a row without sums, where each column
/// has its one item (the position is as certain as a number's there).
fn confirm_blanks(cells: &mut [Cell], toks: &[&Item], sums: &[Sum]) {
    let zero = |c: &mut Cell, why: &str| {
        c.value = Some(0.0);
        c.status = Status::Parsed;
        c.repair = Some(why.into());
    };
    if sums.is_empty() {
        for (c, t) in cells.iter_mut().zip(toks) {
            if matches!(t.kind, ItemKind::Blank) {
                zero(c, "原文此格为“/”“-”等空白标记，本行每列一项，读作 0");
            }
        }
        return;
    }
    for s in sums {
        if matches!(toks[s.total].kind, ItemKind::Blank)
            && s.parts.iter().all(|&p| matches!(toks[p].kind, ItemKind::Blank) || num(toks[p]) == Some(0.0))
        {
            for &p in s.parts.iter().chain([&s.total]) {
                if matches!(toks[p].kind, ItemKind::Blank) {
                    zero(&mut cells[p], "原文此格空白或为“/”“-”，本行合计与各格都为空白或 0，读作 0");
                }
            }
            continue;
        }
        let blanks: Vec<usize> = s.parts.iter().copied().filter(|&p| matches!(toks[p].kind, ItemKind::Blank)).collect();
        if blanks.is_empty() {
            continue;
        }
        let total = num(toks[s.total]);
        let known: Option<f64> = s.parts.iter().filter(|p| !blanks.contains(p)).map(|&p| num(toks[p])).sum();
        if let (Some(t), Some(k)) = (total, known)
            && (t - k).abs() < 1e-6
        {
            for b in blanks {
                cells[b].value = Some(0.0);
                cells[b].status = Status::Parsed;
                cells[b].repair = Some("原文此格空白或为“/”“-”，行合计确认为 0".into());
            }
        }
    }
}

/// One token too many: two neighbours that together make the row add up ('1 2' → 12).
fn join_split_number(text: &str, toks: &[&Item], kinds: &[Kind], sums: &[Sum]) -> Option<Vec<Cell>> {
    if toks.iter().any(|t| !matches!(t.kind, ItemKind::Num { repaired: None, .. })) {
        return None;
    }
    let digits = |t: &Item| -> String {
        text[t.span.0..t.span.1].chars().map(crate::text::fold).filter(char::is_ascii_digit).collect()
    };
    let mut found: Option<(usize, Vec<Option<f64>>)> = None;
    let mut ambiguous = false;
    for j in 0..toks.len() - 1 {
        let (a, b) = (toks[j], toks[j + 1]);
        // Only two pieces one space apart on one line ('1 2'), never across a tab or a line
        // break (those separate cells), and never a piece starting with 0 ('0 0' is two zeros).
        let gap = &text[a.span.1..b.span.0];
        if a.line != b.line || !matches!(gap, " " | "\u{3000}" | "\u{a0}") || digits(a).starts_with('0') {
            continue;
        }
        if num(a).is_none_or(|v| v < 0.0 || v.fract() != 0.0) || num(b).is_none_or(|v| v < 0.0 || v.fract() != 0.0) {
            continue;
        }
        let Ok(joined) = format!("{}{}", digits(a), digits(b)).parse::<f64>() else {
            continue;
        };
        let mut values: Vec<Option<f64>> = toks.iter().map(|t| num(t)).collect();
        values[j] = Some(joined);
        values.remove(j + 1);
        if holds(&values, sums) {
            match &found {
                Some((_, v)) if *v == values => {}
                Some(_) => ambiguous = true,
                None => found = Some((j, values)),
            }
        }
    }
    if ambiguous {
        return None;
    }
    let (j, _) = found?;
    let mut cells = Vec::with_capacity(kinds.len());
    for (col, &kind) in kinds.iter().enumerate() {
        let ti = if col <= j { col } else { col + 1 };
        if col == j {
            let (a, b) = (toks[j], toks[j + 1]);
            let span = (a.span.0, b.span.1);
            let mut c = Cell::missing();
            c.text = text[span.0..span.1].to_string();
            c.value = Some(format!("{}{}", digits(a), digits(b)).parse().ok()?);
            c.span = Some(span);
            c.status = Status::Repaired;
            c.repair = Some(format!("“{}”被拆成两个数，合并后本行合计相符", c.text));
            cells.push(c);
        } else {
            cells.push(cell_from(text, toks[ti], kind, false));
        }
    }
    Some(cells)
}

/// Fewer numbers than columns (blank cells): every order-keeping placement with the missing
/// cells read as 0 that makes the sums hold; a column is placed only where all agree.
fn place_fewer(text: &str, toks: &[&Item], kinds: &[Kind], sums: &[Sum]) -> Option<Vec<Cell>> {
    let (n, m) = (toks.len(), kinds.len());
    if toks.iter().any(|t| matches!(t.kind, ItemKind::Bad)) {
        return None;
    }
    // Each placement: for each column, Some(token index) or None (blank).
    let mut valid: Vec<Vec<Option<usize>>> = Vec::new();
    let mut pos: Vec<usize> = (0..n).collect();
    let mut budget = 20_000usize;
    loop {
        let mut assign = vec![None; m];
        for (t, &p) in pos.iter().enumerate() {
            assign[p] = Some(t);
        }
        let values: Vec<Option<f64>> =
            assign.iter().map(|a| Some(a.map_or(0.0, |t| num(toks[t]).unwrap_or(0.0)))).collect();
        if holds(&values, sums) {
            valid.push(assign);
        }
        budget -= 1;
        if budget == 0 || !next_combination(&mut pos, m) {
            break;
        }
    }
    if valid.is_empty() || budget == 0 {
        return None;
    }
    let mut cells = Vec::with_capacity(m);
    for (col, &kind) in kinds.iter().enumerate() {
        let value_of = |a: &Vec<Option<usize>>| a[col].map_or(Some(0.0), |t| num(toks[t]));
        let v0 = value_of(&valid[0]);
        if valid.iter().all(|a| value_of(a) == v0) {
            let same_tok = valid.iter().all(|a| a[col] == valid[0][col]);
            match valid[0][col] {
                Some(t) if same_tok => cells.push(cell_from(text, toks[t], kind, false)),
                _ => {
                    let mut c = Cell::missing();
                    c.value = v0;
                    c.status = Status::Parsed;
                    c.repair = Some("原文本行少数字（空白格），按行合计确定此格为 0".into());
                    cells.push(c);
                }
            }
        } else {
            let mut c = Cell::missing();
            c.repair = Some(format!("本行只读到 {n} 个数（应为 {m} 个），无法确定此格"));
            cells.push(c);
        }
    }
    Some(cells)
}

/// Next increasing combination of `pos` within 0..m; false after the last.
fn next_combination(pos: &mut [usize], m: usize) -> bool {
    let n = pos.len();
    let mut i = n;
    while i > 0 {
        i -= 1;
        if pos[i] < m - n + i {
            pos[i] += 1;
            for j in i + 1..n {
                pos[j] = pos[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::tokens::{lines, tokenize};
    use super::*;

    fn run(row: &str) -> Vec<(Option<f64>, Status)> {
        let ls = lines(row);
        let mut items = Vec::new();
        tokenize(row, &ls, 0, ls.len(), &mut items);
        let toks: Vec<&Item> = items.iter().filter(|i| i.is_cell()).collect();
        place(row, &toks, &[Kind::Count; 7], &applicant_sums(), false)
            .into_iter()
            .map(|c| (c.value, c.status))
            .collect()
    }

    #[test]
    fn exact_row() {
        let r = run("12 3 0 0 0 0 15");
        assert_eq!(r[0], (Some(12.0), Status::Parsed));
        assert_eq!(r[6], (Some(15.0), Status::Parsed));
    }

    #[test]
    fn split_number_is_joined_when_the_row_adds_up() {
        let r = run("1 2 0 0 0 0 0 12");
        assert_eq!(r[0], (Some(12.0), Status::Repaired));
        assert_eq!(r[6], (Some(12.0), Status::Parsed));
        // No join makes it add up: nothing is guessed.
        assert!(run("1 2 0 0 0 0 0 13").iter().all(|c| c.1 == Status::Missing));
    }

    #[test]
    fn blanks_only_when_the_total_confirms() {
        let r = run("12 / 0 0 0 0 12");
        assert_eq!(r[1], (Some(0.0), Status::Parsed));
        let r = run("12 / 0 0 0 0 15");
        assert_eq!(r[1], (None, Status::Missing));
        assert_eq!(r[0], (Some(12.0), Status::Parsed));
        // A row of blanks and zeros, its total blank too: all 0.
        assert!(run("/ / 0 / / / /").iter().all(|c| *c == (Some(0.0), Status::Parsed)));
        // A blank total beside a number is the report's gap: not 0.
        assert_eq!(run("3 - - - - - -")[6], (None, Status::Missing));
    }

    #[test]
    fn fewer_numbers_never_slide() {
        // 12 and 3 could be in any two applicant columns: only the total is certain.
        let r = run("12 3 15");
        assert_eq!(r[6], (Some(15.0), Status::Parsed));
        assert_eq!(r[0], (None, Status::Missing));
        assert_eq!(r[1], (None, Status::Missing));
        // Six zeros: every placement gives zeros.
        assert!(run("0 0 0 0 0 0").iter().all(|c| c.0 == Some(0.0)));
        // A one-number row that cannot add up: all missing.
        assert!(run("5").iter().all(|c| c.1 == Status::Missing));
    }
}
