//! Which cells of two templates mean the same thing. The plan depends only on the two
//! templates, so it is built once per pair and every comparison only reads values through it.
//!
//! Same template: cell by cell, in layout order. 2019 ↔ 2021 (either direction):
//! - `active`: the rows of the 2019 template in order; per row, the columns of both templates.
//!   `total_published` 对外公开总数量 ↔ `in_force` 现行有效件数 (note [`STOCK`]) and
//!   `decisions` ↔ `decisions` are aligned; every other column (2019 `new_made`,
//!   `new_published`, `prev_items`, `change`, the whole of `other_services` and `procurement`;
//!   2021 `issued`, `repealed`, `fees/amount_wan_yuan`) is one-sided, noted [`ONLY_2019`] or
//!   [`ONLY_2021`].
//! - `applications`: every row with the same key is aligned. The 2019 row `other` （六）其他处理
//!   is aligned with the **sum** of the three 2021 rows `other.*`, as one row per column keyed
//!   `other` (note [`OTHER_SUM`]; the sum side lists three cells). After it come the three 2021
//!   rows `other.*` one by one, one-sided ([`ONLY_2021`]), so their breakdown stays visible.
//! - `review`: identical.
//!
//! An aligned row is keyed by the later report's row and column; a sum row by `other`; a
//! one-sided row by the key of the side that has it.

use crate::checks::row_name;
use crate::export::cell_label;
use crate::template::{CellDef, Kind, Layout, Table, Template};
use std::sync::OnceLock;

/// Note of a row that only the 2019 template has.
pub const ONLY_2019: &str = "仅2019模板有";
/// Note of a row that only the 2021 template has.
pub const ONLY_2021: &str = "仅2021模板有";
/// Note of 对外公开总数量 (2019) aligned with 现行有效件数 (2021).
pub const STOCK: &str = "2019模板“对外公开总数量”对应2021模板“现行有效件数”";
/// Note of the 2019 （六）其他处理 aligned with the sum of the three 2021 sub-rows.
pub const OTHER_SUM: &str = "2021模板（六）其他处理分为1～3项，此处为三项之和";

/// One aligned row of the plan.
#[derive(Debug)]
pub struct Link {
    pub table: Table,
    pub row: &'static str,
    pub col: &'static str,
    /// Official full label: `row label / column label`.
    pub label: String,
    /// Short row name (as in check messages).
    pub row_name: String,
    pub kind: Kind,
    /// Cell indices on each side; empty when the side has no counterpart, several for a sum.
    pub earlier: Vec<usize>,
    pub later: Vec<usize>,
    pub note: Option<&'static str>,
}

/// The plan of a pair of templates (earlier, later).
pub(crate) fn plan(earlier: Template, later: Template) -> &'static [Link] {
    static PLANS: [OnceLock<Vec<Link>>; 4] = [const { OnceLock::new() }; 4];
    let n = |t: Template| usize::from(t == Template::T2021);
    PLANS[n(earlier) * 2 + n(later)].get_or_init(|| build(earlier, later))
}

fn link(def: &CellDef, row: &'static str, earlier: Vec<usize>, later: Vec<usize>, note: Option<&'static str>) -> Link {
    Link {
        table: def.table,
        row,
        col: def.col,
        label: cell_label(def),
        row_name: row_name(def.table, def.row_def),
        kind: def.kind(),
        earlier,
        later,
        note,
    }
}

fn only(t: Template) -> &'static str {
    match t {
        Template::T2019 => ONLY_2019,
        Template::T2021 => ONLY_2021,
    }
}

fn build(e: Template, l: Template) -> Vec<Link> {
    let (el, ll) = (e.layout(), l.layout());
    if e == l {
        return el.cells.iter().enumerate().map(|(i, d)| link(d, d.row, vec![i], vec![i], None)).collect();
    }
    let mut out = Vec::new();
    active(e, l, &mut out);
    applications(e, l, &mut out);
    same_keys(el, ll, Table::Review, &mut out);
    out
}

/// Table `active`, 2019 ↔ 2021: (row, 2019 column, 2021 column) in display order.
const ACTIVE: &[(&str, Option<&str>, Option<&str>)] = &[
    ("regulations", Some("new_made"), None),
    ("regulations", Some("new_published"), None),
    ("regulations", None, Some("issued")),
    ("regulations", None, Some("repealed")),
    ("regulations", Some("total_published"), Some("in_force")),
    ("normative_documents", Some("new_made"), None),
    ("normative_documents", Some("new_published"), None),
    ("normative_documents", None, Some("issued")),
    ("normative_documents", None, Some("repealed")),
    ("normative_documents", Some("total_published"), Some("in_force")),
    ("licensing", Some("prev_items"), None),
    ("licensing", Some("change"), None),
    ("licensing", Some("decisions"), Some("decisions")),
    ("other_services", Some("prev_items"), None),
    ("other_services", Some("change"), None),
    ("other_services", Some("decisions"), None),
    ("penalty", Some("prev_items"), None),
    ("penalty", Some("change"), None),
    ("penalty", Some("decisions"), Some("decisions")),
    ("coercion", Some("prev_items"), None),
    ("coercion", Some("change"), None),
    ("coercion", Some("decisions"), Some("decisions")),
    ("fees", Some("prev_items"), None),
    ("fees", Some("change"), None),
    ("fees", None, Some("amount_wan_yuan")),
    ("procurement", Some("projects"), None),
    ("procurement", Some("amount_wan_yuan"), None),
];

fn active(e: Template, l: Template, out: &mut Vec<Link>) {
    let (el, ll) = (e.layout(), l.layout());
    for &(row, c2019, c2021) in ACTIVE {
        let (ec, lc) = if e == Template::T2019 { (c2019, c2021) } else { (c2021, c2019) };
        let ei = ec.and_then(|c| el.index(Table::Active, row, c));
        let li = lc.and_then(|c| ll.index(Table::Active, row, c));
        let note = match (ei, li) {
            (Some(_), Some(_)) if ec != lc => Some(STOCK),
            (Some(_), Some(_)) => None,
            (Some(_), None) => Some(only(e)),
            _ => Some(only(l)),
        };
        let Some(def) = li.map(|i| &ll.cells[i]).or(ei.map(|i| &el.cells[i])) else {
            continue;
        };
        out.push(link(def, def.row, ei.into_iter().collect(), li.into_iter().collect(), note));
    }
}

/// Table `applications`, 2019 ↔ 2021: same keys, plus `other` ↔ sum of `other.*`.
fn applications(e: Template, l: Template, out: &mut Vec<Link>) {
    let (el, ll) = (e.layout(), l.layout());
    let (l2019, l2021) = if e == Template::T2019 { (el, ll) } else { (ll, el) };
    let subrows: Vec<_> =
        l2021.rows(Table::Applications).iter().filter(|(r, _)| r.key.starts_with("other.")).cloned().collect();
    let other = l2019.row(Table::Applications, "other").expect("the 2019 template has （六）其他处理");
    for (row, _) in l2019.rows(Table::Applications) {
        if row.key != "other" {
            same_row(el, ll, Table::Applications, row.key, out);
            continue;
        }
        // The sum row, one per column, keyed `other` with the 2019 label.
        for (c, i2019) in other.clone().enumerate() {
            let sum: Vec<usize> = subrows.iter().map(|(_, r)| r.start + c).collect();
            let (ev, lv) = if e == Template::T2019 { (vec![i2019], sum) } else { (sum, vec![i2019]) };
            out.push(link(&l2019.cells[i2019], "other", ev, lv, Some(OTHER_SUM)));
        }
        // Then the 2021 sub-rows, one-sided.
        for (_, r) in &subrows {
            for i in r.clone() {
                let one = vec![i];
                let (ev, lv) = if e == Template::T2021 { (one, vec![]) } else { (vec![], one) };
                let def = &l2021.cells[i];
                out.push(link(def, def.row, ev, lv, Some(ONLY_2021)));
            }
        }
    }
}

/// Every row of `table` that both layouts have, cell by cell, in the later layout's order.
fn same_keys(el: &Layout, ll: &Layout, table: Table, out: &mut Vec<Link>) {
    for (row, _) in ll.rows(table) {
        same_row(el, ll, table, row.key, out);
    }
}

fn same_row(el: &Layout, ll: &Layout, table: Table, row: &'static str, out: &mut Vec<Link>) {
    let Some(range) = ll.row(table, row) else {
        return;
    };
    for li in range {
        let def = &ll.cells[li];
        let ei = el.index(table, row, def.col);
        out.push(link(def, row, ei.into_iter().collect(), vec![li], None));
    }
}
