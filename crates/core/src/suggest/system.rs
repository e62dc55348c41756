//! The arithmetic equations of a template (the same instances as `checks::run` evaluates:
//! `applications.row_sum` per row, `applications.outcome_sum` and `applications.balance` per
//! column, `review.row_sum` per row), as linear forms over the cells, for cheap re-evaluation
//! on a plain array of values.

use crate::checks::{APPLICATIONS_BALANCE, APPLICATIONS_OUTCOME_SUM, APPLICATIONS_ROW_SUM, REVIEW_ROW_SUM};
use crate::template::{Table, Template};
use std::sync::OnceLock;

/// The ids of the arithmetic rules.
pub const ARITHMETIC: &[&str] = &[APPLICATIONS_ROW_SUM, APPLICATIONS_OUTCOME_SUM, APPLICATIONS_BALANCE, REVIEW_ROW_SUM];

/// Counts compare equal within this tolerance (as in `checks`).
pub const EPS: f64 = 1e-6;

/// `Σ coef·value = 0`.
#[derive(Debug)]
pub struct Equation {
    pub id: &'static str,
    pub terms: Vec<(usize, f64)>,
}

/// How an equation stands on a set of values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Pass,
    Fail,
    /// A cell has no value: `checks` reports `cell.unreadable` in its place.
    Unknown,
}

#[derive(Debug)]
pub struct System {
    pub eqs: Vec<Equation>,
    /// For each cell of the layout, the equations it is in.
    pub by_cell: Vec<Vec<usize>>,
}

pub fn system(t: Template) -> &'static System {
    static S2019: OnceLock<System> = OnceLock::new();
    static S2021: OnceLock<System> = OnceLock::new();
    match t {
        Template::T2019 => S2019.get_or_init(|| System::build(t)),
        Template::T2021 => S2021.get_or_init(|| System::build(t)),
    }
}

/// `total` minus the sum of `parts`.
fn sum_eq(id: &'static str, total: usize, parts: impl IntoIterator<Item = usize>) -> Equation {
    let mut terms = vec![(total, 1.0)];
    terms.extend(parts.into_iter().map(|p| (p, -1.0)));
    Equation { id, terms }
}

impl System {
    fn build(t: Template) -> System {
        let l = t.layout();
        let mut eqs = Vec::new();
        let apps = l.rows(Table::Applications);
        let start =
            |key: &str| apps.iter().find(|(r, _)| r.key == key).map(|(_, r)| r.start).expect("applications row");
        let (nr, co, tot, cf) =
            (start("new_received"), start("carried_over"), start("total"), start("carried_forward"));
        let outcome: Vec<usize> =
            apps.iter().map(|(_, r)| r.start).filter(|s| ![nr, co, tot, cf].contains(s)).collect();
        for (_, r) in apps {
            eqs.push(sum_eq(APPLICATIONS_ROW_SUM, r.start + 6, r.start..r.start + 6));
        }
        for c in 0..7 {
            eqs.push(sum_eq(APPLICATIONS_OUTCOME_SUM, tot + c, outcome.iter().map(|s| s + c)));
        }
        for c in 0..7 {
            let terms = vec![(nr + c, 1.0), (co + c, 1.0), (tot + c, -1.0), (cf + c, -1.0)];
            eqs.push(Equation { id: APPLICATIONS_BALANCE, terms });
        }
        for (_, r) in l.rows(Table::Review) {
            eqs.push(sum_eq(REVIEW_ROW_SUM, r.start + 4, r.start..r.start + 4));
        }
        let mut by_cell = vec![Vec::new(); l.cells.len()];
        for (e, eq) in eqs.iter().enumerate() {
            for &(i, _) in &eq.terms {
                by_cell[i].push(e);
            }
        }
        System { eqs, by_cell }
    }

    /// `Σ coef·value`, or `None` when a cell has no value.
    pub(crate) fn residual(&self, e: usize, vals: &[Option<f64>]) -> Option<f64> {
        self.eqs[e].terms.iter().map(|&(i, c)| vals[i].map(|v| c * v)).sum()
    }

    pub fn state(&self, e: usize, vals: &[Option<f64>]) -> State {
        match self.residual(e, vals) {
            None => State::Unknown,
            Some(r) if r.abs() < EPS => State::Pass,
            Some(_) => State::Fail,
        }
    }

    pub fn states(&self, vals: &[Option<f64>]) -> Vec<State> {
        (0..self.eqs.len()).map(|e| self.state(e, vals)).collect()
    }

    /// Whether cell `i` is in any equation.
    pub(crate) fn in_equation(&self, i: usize) -> bool {
        self.by_cell.get(i).is_some_and(|v| !v.is_empty())
    }
}
