//! Two years side by side (issue 4): the cells of two reports aligned by meaning, with the
//! change between them, and the checks that tie the years together.
//!
//! [`compare`] takes the two reports in the order they were given and puts them in year order
//! (unknown or equal years keep the input order). The [`Comparison`] does not hold the reports:
//! it says which input is earlier ([`Comparison::swapped`]) and refers to cells by their index
//! on each side, so a caller (the app) keeps both reports owned and editable and simply calls
//! [`compare`] again after an edit — it costs about as much as running the checks twice.
//!
//! Alignment: see [`align`]. Cross-year checks: see [`years`]. Exports: [`to_json`], [`to_csv`].

pub mod align;
mod output;
pub mod pairs;
pub mod years;

pub use align::{ONLY_2019, ONLY_2021, OTHER_SUM, STOCK};
pub use output::{CSV_HEADER, to_csv, to_json, to_value};

use crate::model::{CheckResult, Report, Severity};
use crate::template::{Kind, Table, Template};

/// One of the two reports being compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Earlier,
    Later,
}

impl Side {
    /// The prefix of a cell name: `earlier` / `later`.
    pub fn key(self) -> &'static str {
        match self {
            Side::Earlier => "earlier",
            Side::Later => "later",
        }
    }
    /// In Chinese, for the GUI.
    pub fn label(self) -> &'static str {
        match self {
            Side::Earlier => "较早年度",
            Side::Later => "较晚年度",
        }
    }
}

/// One aligned row: a cell (or a sum of cells) of each year with the same meaning.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignedRow {
    pub table: Table,
    /// The later report's row key (see [`align`] for sums and one-sided rows).
    pub row: &'static str,
    pub col: &'static str,
    /// Official full label, `row label / column label`.
    pub label: &'static str,
    /// Short row name, e.g. `（三）不予公开 1.属于国家秘密` (for charts and narrow views).
    pub row_name: &'static str,
    pub kind: Kind,
    /// Cell indices in the earlier report: empty when it has no counterpart, several for a sum.
    pub earlier_cells: &'static [usize],
    /// Cell indices in the later report.
    pub later_cells: &'static [usize],
    /// The value (the sum for several cells); `None` when a cell has no value or no counterpart.
    pub earlier: Option<f64>,
    pub later: Option<f64>,
    /// `later − earlier`, when both are known.
    pub change: Option<f64>,
    /// The change in per cent of the earlier value; `None` when the earlier value is 0 or unknown.
    pub change_pct: Option<f64>,
    /// Why the row is special: [`ONLY_2019`], [`ONLY_2021`], [`STOCK`], [`OTHER_SUM`].
    pub note: Option<&'static str>,
}

impl AlignedRow {
    /// The side that alone has this row (the other has no counterpart).
    pub fn one_sided(&self) -> Option<Side> {
        match (self.earlier_cells.is_empty(), self.later_cells.is_empty()) {
            (false, true) => Some(Side::Earlier),
            (true, false) => Some(Side::Later),
            _ => None,
        }
    }
    /// Both values known and different.
    pub fn changed(&self) -> bool {
        self.change.is_some_and(|c| c.abs() > 1e-9)
    }
    /// The cell indices on `side`.
    pub fn cells(&self, side: Side) -> &'static [usize] {
        match side {
            Side::Earlier => self.earlier_cells,
            Side::Later => self.later_cells,
        }
    }
}

/// A check of the comparison: cross-year (`side` is `None`) or a single-report check of one side.
#[derive(Clone, Debug, PartialEq)]
pub struct SideCheck {
    /// `Some(side)`: a check of that report alone ([`crate::checks::run`]); `None`: cross-year.
    pub side: Option<Side>,
    pub id: &'static str,
    pub severity: Severity,
    pub passed: bool,
    pub scope: Vec<(&'static str, String)>,
    /// Every cell of the equation, with its side.
    pub cells: Vec<(Side, usize)>,
    pub lhs: Option<f64>,
    pub rhs: Option<f64>,
    /// In Chinese.
    pub message: String,
}

impl SideCheck {
    fn from_single(side: Side, c: CheckResult) -> SideCheck {
        SideCheck {
            side: Some(side),
            id: c.id,
            severity: c.severity,
            passed: c.passed,
            scope: c.scope,
            cells: c.cells.into_iter().map(|i| (side, i)).collect(),
            lhs: c.lhs,
            rhs: c.rhs,
            message: c.message,
        }
    }
    /// Whether this check makes the comparison fail: a failed error, or with `strict` any failure.
    pub fn counts(&self, strict: bool) -> bool {
        crate::checks::counts_against(self.severity, self.passed, strict)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The inputs were given later year first; `b` is the earlier report.
    pub swapped: bool,
    pub earlier_template: Template,
    pub later_template: Template,
    /// Table by table (`active`, `applications`, `review`).
    pub rows: Vec<AlignedRow>,
    /// Cross-year checks first ([`years::run`]), then the earlier report's, then the later's.
    pub checks: Vec<SideCheck>,
}

/// Compare two reports given in any order (`a`, `b` as given on the command line or opened).
pub fn compare(a: &Report, b: &Report) -> Comparison {
    let swapped = matches!((a.year, b.year), (Some(x), Some(y)) if y < x);
    let (e, l) = if swapped { (b, a) } else { (a, b) };
    let rows = align::plan(e.template, l.template).iter().map(|k| aligned(k, e, l)).collect();
    let mut checks = years::run(e, l);
    checks.extend(crate::checks::run(e).into_iter().map(|c| SideCheck::from_single(Side::Earlier, c)));
    checks.extend(crate::checks::run(l).into_iter().map(|c| SideCheck::from_single(Side::Later, c)));
    Comparison { swapped, earlier_template: e.template, later_template: l.template, rows, checks }
}

fn sum(r: &Report, cells: &[usize]) -> Option<f64> {
    if cells.is_empty() {
        return None;
    }
    cells.iter().map(|&i| r.cells.get(i).and_then(|c| c.value)).sum()
}

fn aligned(k: &'static align::Link, e: &Report, l: &Report) -> AlignedRow {
    let (earlier, later) = (sum(e, &k.earlier), sum(l, &k.later));
    let change = earlier.zip(later).map(|(a, b)| b - a);
    let change_pct = change.zip(earlier).filter(|(_, a)| *a != 0.0).map(|(c, a)| c / a * 100.0);
    AlignedRow {
        table: k.table,
        row: k.row,
        col: k.col,
        label: &k.label,
        row_name: &k.row_name,
        kind: k.kind,
        earlier_cells: &k.earlier,
        later_cells: &k.later,
        earlier,
        later,
        change,
        change_pct,
        note: k.note,
    }
}

impl Comparison {
    /// The input (`a` or `b`) on `side`.
    pub fn report<'r>(&self, side: Side, a: &'r Report, b: &'r Report) -> &'r Report {
        let a_side = if self.swapped { Side::Later } else { Side::Earlier };
        if side == a_side { a } else { b }
    }
    pub fn earlier<'r>(&self, a: &'r Report, b: &'r Report) -> &'r Report {
        self.report(Side::Earlier, a, b)
    }
    pub fn later<'r>(&self, a: &'r Report, b: &'r Report) -> &'r Report {
        self.report(Side::Later, a, b)
    }
    pub fn template(&self, side: Side) -> Template {
        match side {
            Side::Earlier => self.earlier_template,
            Side::Later => self.later_template,
        }
    }
    /// A cell's name with its side first: `earlier:applications/carried_forward/total`.
    pub fn cell_key(&self, side: Side, i: usize) -> String {
        let key = self.template(side).layout().cells.get(i).map(|d| d.key()).unwrap_or_default();
        format!("{}:{key}", side.key())
    }
    /// The cross-year checks only.
    pub fn cross_year(&self) -> impl Iterator<Item = &SideCheck> {
        self.checks.iter().filter(|c| c.side.is_none())
    }
    /// The rows of one table, in order.
    pub fn table(&self, table: Table) -> impl Iterator<Item = &AlignedRow> {
        self.rows.iter().filter(move |r| r.table == table)
    }
    /// The application outcomes （一）to（六） in the `total` column, for the chart (with the
    /// 2019/2021 （六） rows as aligned: the sum row and, for a 2021 side, its three sub-rows).
    pub fn outcome_totals(&self) -> impl Iterator<Item = &AlignedRow> {
        const NOT_OUTCOMES: [&str; 4] = ["new_received", "carried_over", "total", "carried_forward"];
        self.table(Table::Applications).filter(|r| r.col == "total" && !NOT_OUTCOMES.contains(&r.row))
    }
    /// How many checks fail: (errors, warnings), over both reports and the cross-year checks.
    pub fn failures(&self) -> (usize, usize) {
        let failed = self.checks.iter().filter(|c| !c.passed);
        failed.fold((0, 0), |(e, w), c| if c.severity == Severity::Error { (e + 1, w) } else { (e, w + 1) })
    }
    /// Whether the comparison fails: an error-severity check failed on either side or across
    /// the years (with `strict`, a warning too).
    pub fn failed(&self, strict: bool) -> bool {
        self.checks.iter().any(|c| c.counts(strict))
    }
}

/// The exit code of `nianbao compare` once both reports are read: 1 when [`Comparison::failed`],
/// else 0 (2, for an unreadable input, is the caller's).
pub fn exit_code(c: &Comparison, strict: bool) -> u8 {
    u8::from(c.failed(strict))
}
