//! The comparison as JSON (SCHEMA.md, `nianbao compare --format json`) and as CSV.
//!
//! JSON: `{"schema_version", "earlier": {organ, year, template, file, encoding}, "later": {…},
//! "rows": [{table, row, col, label, earlier, later, change, change_pct, note, cells}],
//! "checks": [{id, severity, passed, side, scope, cells, lhs, rhs, message}]}` — `cells` are
//! named with the side first (`earlier:applications/carried_forward/total`); a check's `side`
//! is `earlier`/`later` for a single-report check and null for a cross-year one. `change_pct`
//! is a percentage (6 decimals), null when the earlier value is 0 or either value is unknown.
//!
//! CSV: UTF-8 with BOM, CRLF, one line per aligned row, [`CSV_HEADER`]; `note` says why a side
//! is empty (no counterpart) or what a sum is; `change_pct` has 2 decimals.

use super::{AlignedRow, Comparison, Side};
use crate::export::csv::{BOM, write_record};
use crate::export::json::Scope;
use crate::export::json::{cell_value, number};
use crate::model::{Report, format_value};
use crate::template::Kind;
use serde::Serialize;
use serde_json::Value;

/// The header of the compare CSV.
pub const CSV_HEADER: [&str; 9] = ["table", "row", "col", "label", "earlier", "later", "change", "change_pct", "note"];

/// The comparison as pretty JSON (ends with a newline); `a`, `b` as given to [`super::compare`].
pub fn to_json(c: &Comparison, a: &Report, b: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&doc(c, a, b)).expect("the compare JSON serialises");
    s.push('\n');
    s
}

/// The same document as a [`Value`].
pub fn to_value(c: &Comparison, a: &Report, b: &Report) -> Value {
    serde_json::to_value(doc(c, a, b)).expect("the compare JSON serialises")
}

/// The comparison as CSV: BOM, header, one line per aligned row.
pub fn to_csv(c: &Comparison) -> String {
    let mut out = String::from(BOM);
    write_record(&mut out, CSV_HEADER);
    let num = |v: Option<f64>, kind| v.map(|v| format_value(v, kind)).unwrap_or_default();
    for r in &c.rows {
        let change_kind = if r.kind == Kind::Money { Kind::Money } else { Kind::Signed };
        let pct = r.change_pct.map(|p| format_value((p * 100.0).round() / 100.0, Kind::Money)).unwrap_or_default();
        let fields = [
            r.table.key(),
            r.row,
            r.col,
            r.label,
            &num(r.earlier, r.kind),
            &num(r.later, r.kind),
            &num(r.change, change_kind),
            &pct,
            r.note.unwrap_or(""),
        ];
        write_record(&mut out, fields);
    }
    out
}

#[derive(Serialize)]
struct Doc<'a> {
    schema_version: u32,
    earlier: SideInfo<'a>,
    later: SideInfo<'a>,
    rows: Vec<JsonRow>,
    checks: Vec<JsonCheck<'a>>,
}

#[derive(Serialize)]
struct SideInfo<'a> {
    organ: Option<&'a str>,
    year: Option<i32>,
    template: i32,
    file: &'a str,
    encoding: &'a str,
}

#[derive(Serialize)]
struct JsonRow {
    table: &'static str,
    row: &'static str,
    col: &'static str,
    label: &'static str,
    earlier: Value,
    later: Value,
    change: Value,
    change_pct: Value,
    note: Option<&'static str>,
    cells: Vec<String>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    id: &'static str,
    severity: &'static str,
    passed: bool,
    side: Option<&'static str>,
    scope: Scope<'a>,
    cells: Vec<String>,
    lhs: Value,
    rhs: Value,
    message: &'a str,
}

fn side_info(r: &Report) -> SideInfo<'_> {
    SideInfo {
        organ: r.organ.as_deref(),
        year: r.year,
        template: r.template.number(),
        file: &r.source_name,
        encoding: &r.encoding,
    }
}

fn row(c: &Comparison, r: &AlignedRow) -> JsonRow {
    let change_kind = if r.kind == Kind::Money { Kind::Money } else { Kind::Signed };
    let cells = [Side::Earlier, Side::Later]
        .into_iter()
        .flat_map(|s| r.cells(s).iter().map(move |&i| c.cell_key(s, i)))
        .collect();
    JsonRow {
        table: r.table.key(),
        row: r.row,
        col: r.col,
        label: r.label,
        earlier: cell_value(r.earlier, r.kind),
        later: cell_value(r.later, r.kind),
        change: cell_value(r.change, change_kind),
        change_pct: r.change_pct.map(number).unwrap_or(Value::Null),
        note: r.note,
        cells,
    }
}

fn doc<'a>(c: &'a Comparison, a: &'a Report, b: &'a Report) -> Doc<'a> {
    let checks = c
        .checks
        .iter()
        .map(|k| JsonCheck {
            id: k.id,
            severity: k.severity.key(),
            passed: k.passed,
            side: k.side.map(Side::key),
            scope: Scope(&k.scope),
            cells: k.cells.iter().map(|&(s, i)| c.cell_key(s, i)).collect(),
            lhs: k.lhs.map(number).unwrap_or(Value::Null),
            rhs: k.rhs.map(number).unwrap_or(Value::Null),
            message: &k.message,
        })
        .collect();
    Doc {
        schema_version: crate::export::json::SCHEMA_VERSION,
        earlier: side_info(c.earlier(a, b)),
        later: side_info(c.later(a, b)),
        rows: c.rows.iter().map(|r| row(c, r)).collect(),
        checks,
    }
}
