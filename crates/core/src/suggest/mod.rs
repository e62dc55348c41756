//! Suggested corrections: when the sums of a report fail, the changes that make them hold,
//! best first (SCHEMA.md `suggestions`).
//!
//! Hypotheses, from the smallest: fill the cells without a value (missing, unreadable) with
//! what the equations pin down; that and one known cell changed; two known cells changed
//! (only when nothing smaller explains the failures). A hypothesis explains the failures when
//! every arithmetic equation holds afterwards — the failed ones repaired, none of the passed
//! ones broken. Among the hypotheses of the smallest size that explain everything, the rank
//! comes from the evidence: the shape of the change (what OCR does to digits, a joined or split
//! number), the cell's status (the parser's repairs go wrong more often) and the figures the
//! prose states. A suggestion is `certain` only when it is the one hypothesis of its size that
//! explains everything, some equation beyond those that found it confirms it, and the prose
//! does not contradict it. When nothing explains everything, the changes that explain part of
//! the failures without breaking anything are offered, never as certain.

mod evidence;
mod reason;
mod solve;
mod system;

use crate::checks::CELL_UNREADABLE;
use crate::model::{CheckResult, Report, format_value};
use crate::template::Kind;
use evidence::Shape;
use serde_json::{Value, json};
use system::{State, System, system};

/// One cell's change.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Index in the layout.
    pub cell: usize,
    pub current: Option<f64>,
    pub proposed: f64,
}

/// A suggested correction.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// One change, or several (a joined or split number, a row without values).
    pub changes: Vec<Change>,
    /// 0–1.
    pub confidence: f64,
    /// The ids of the failed checks it repairs.
    pub repairs: Vec<&'static str>,
    /// Why, in Chinese.
    pub reason: String,
    /// The one correction that explains every failure.
    pub certain: bool,
}

/// At most this many suggestions are offered.
pub const MAX_SUGGESTIONS: usize = 6;

/// Above this many cells without a value, no further cell is changed along with them.
const MAX_UNKNOWN: usize = 16;

/// Above this many failed equations, no pair of cells can repair them all (a cell is in at
/// most three equations).
const MAX_PAIR_FAILS: usize = 6;

/// The suggestions for `report`, best first; empty when no arithmetic check fails.
/// `checks` is what `checks::run(report)` returned.
pub fn suggest(report: &Report, checks: &[CheckResult]) -> Vec<Suggestion> {
    if !checks.iter().any(|c| !c.passed && (system::ARITHMETIC.contains(&c.id) || c.id == CELL_UNREADABLE)) {
        return Vec::new();
    }
    if report.cells.len() != report.layout().cells.len() {
        return Vec::new();
    }
    let ctx = Ctx::new(report);
    if ctx.failing == 0 {
        return Vec::new();
    }
    let cands = hypotheses(&ctx);
    select(&ctx, cands)
}

/// `suggest` with the checks run here.
pub fn suggest_report(report: &Report) -> Vec<Suggestion> {
    suggest(report, &crate::checks::run(report))
}

/// The JSON array of the export's `suggestions`.
pub(crate) fn to_json_all(report: &Report, suggestions: &[Suggestion]) -> Vec<Value> {
    suggestions.iter().map(|s| s.to_json(report)).collect()
}

/// A value as JSON: an integer for counts, money rounded to 6 decimals.
fn json_value(v: Option<f64>, kind: Kind) -> Value {
    match (v, kind) {
        (None, _) => Value::Null,
        (Some(x), Kind::Money) => json!((x * 1e6).round() / 1e6),
        (Some(x), _) => json!(x.round() as i64),
    }
}

impl Suggestion {
    /// SCHEMA.md's shape: `cell`, `current`, `proposed` of the first change, then `changes`,
    /// `confidence`, `repairs`, `reason`, `certain`.
    pub fn to_json(&self, report: &Report) -> Value {
        let change = |c: &Change| {
            let kind = report.def(c.cell).kind();
            json!({
                "cell": report.def(c.cell).key(),
                "current": json_value(c.current, kind),
                "proposed": json_value(Some(c.proposed), kind),
            })
        };
        let changes: Vec<Value> = self.changes.iter().map(change).collect();
        let first = changes.first().cloned().unwrap_or_else(|| json!({}));
        json!({
            "cell": first["cell"],
            "current": first["current"],
            "proposed": first["proposed"],
            "changes": changes,
            "confidence": (self.confidence * 100.0).round() / 100.0,
            "repairs": self.repairs,
            "reason": self.reason,
            "certain": self.certain,
        })
    }

    /// A stable key (its cells and proposed values), e.g. for hiding a rejected suggestion.
    pub fn key(&self, report: &Report) -> String {
        let parts: Vec<String> = self
            .changes
            .iter()
            .map(|c| format!("{}={}", report.def(c.cell).key(), format_value(c.proposed, report.def(c.cell).kind())))
            .collect();
        parts.join(";")
    }

    /// The cells a person applying the suggestion gets: ordinary edits (status `edited`) with
    /// the suggestion's reason as the note. Replace each with `Report::replace_cell` (keep what
    /// it returns for undo).
    #[cfg(test)]
    pub(crate) fn edited_cells(&self, report: &Report) -> Vec<(usize, crate::model::Cell)> {
        let note = format!("采纳建议：{}", self.reason);
        self.changes
            .iter()
            .map(|c| {
                (
                    c.cell,
                    report.edited_cell(
                        c.cell,
                        &format_value(c.proposed, report.def(c.cell).kind()),
                        Some(note.clone()),
                    ),
                )
            })
            .collect()
    }

    /// Whether it changes a cell of `check` (to list it under that failed check).
    pub fn touches(&self, check: &CheckResult) -> bool {
        self.changes.iter().any(|c| check.cells.contains(&c.cell))
    }
}

/// The report's values and how its equations stand.
struct Ctx<'a> {
    report: &'a Report,
    sys: &'static System,
    vals: Vec<Option<f64>>,
    states: Vec<State>,
    /// Equations that fail or cannot be evaluated.
    failing: usize,
    /// Cells in an equation without a value.
    unknown: Vec<usize>,
}

impl<'a> Ctx<'a> {
    fn new(report: &'a Report) -> Ctx<'a> {
        let sys = system(report.template);
        let vals: Vec<Option<f64>> = report.cells.iter().map(|c| c.value).collect();
        let states = sys.states(&vals);
        let failing = states.iter().filter(|s| **s != State::Pass).count();
        let unknown = (0..vals.len()).filter(|&i| vals[i].is_none() && sys.in_equation(i)).collect();
        Ctx { report, sys, vals, states, failing, unknown }
    }

    /// The failed equations that can be evaluated.
    fn failed(&self) -> Vec<usize> {
        (0..self.states.len()).filter(|&e| self.states[e] == State::Fail).collect()
    }

    /// The cells of equations `eqs`, without duplicates, in layout order.
    fn cells_of(&self, eqs: impl IntoIterator<Item = usize>) -> Vec<usize> {
        let mut cells: Vec<usize> = eqs.into_iter().flat_map(|e| self.sys.eqs[e].terms.iter().map(|t| t.0)).collect();
        cells.sort_unstable();
        cells.dedup();
        cells
    }
}

/// A hypothesis and what it does.
struct Cand {
    /// (cell, proposed value); the cells without a value first.
    changes: Vec<(usize, f64)>,
    /// Known cells changed (0: only cells without a value are filled).
    level: usize,
    /// Equations beyond those needed that confirm it.
    redundancy: usize,
    /// Every arithmetic equation holds afterwards.
    full: bool,
    /// Equations that failed (or could not be evaluated) and hold afterwards.
    fixed: Vec<usize>,
    /// Equations that held and fail afterwards.
    broken: usize,
    /// Equations still failing or not evaluable afterwards.
    remaining: usize,
}

fn evaluate(ctx: &Ctx, changes: Vec<(usize, f64)>, level: usize, redundancy: usize) -> Cand {
    let mut after = ctx.vals.clone();
    for &(c, x) in &changes {
        after[c] = Some(x);
    }
    let (mut fixed, mut broken, mut remaining) = (Vec::new(), 0, 0);
    for (e, &before) in ctx.states.iter().enumerate() {
        match (before, ctx.sys.state(e, &after)) {
            (State::Pass, State::Pass) => {}
            (State::Pass, _) => broken += 1,
            (_, State::Pass) => fixed.push(e),
            _ => remaining += 1,
        }
    }
    let full = broken == 0 && remaining == 0;
    Cand { changes, level, redundancy, full, fixed, broken, remaining }
}

/// Solve for `unknowns` and evaluate, keeping only the cells whose value changes; `must`
/// are cells that must be determined and changed.
fn attempt(ctx: &Ctx, unknowns: &[usize], must: &[usize]) -> Option<Cand> {
    from_solution(ctx, solve::solve(ctx.sys, &ctx.vals, unknowns)?, must)
}

fn from_solution(ctx: &Ctx, s: solve::Solved, must: &[usize]) -> Option<Cand> {
    let changed = |&(c, x): &(usize, f64)| ctx.vals[c].is_none_or(|v| (v - x).abs() > system::EPS);
    if must.iter().any(|m| !s.values.iter().any(|v| v.0 == *m && changed(v))) {
        return None;
    }
    let changes: Vec<(usize, f64)> = s.values.into_iter().filter(changed).collect();
    if changes.is_empty() {
        return None;
    }
    Some(evaluate(ctx, changes, must.len(), s.redundancy))
}

/// Every hypothesis worth ranking, from the smallest size until one explains everything.
fn hypotheses(ctx: &Ctx) -> Vec<Cand> {
    let u = &ctx.unknown;
    let mut out = Vec::new();
    let mut fill_consistent = true;
    if !u.is_empty() {
        match solve::solve(ctx.sys, &ctx.vals, u) {
            Some(s) => out.extend(from_solution(ctx, s, &[])),
            None => fill_consistent = false,
        }
        if out.iter().any(|c| c.full) || u.len() > MAX_UNKNOWN {
            return out;
        }
    }
    // One known cell changed (with the cells without a value filled).
    let failed = ctx.failed();
    let mut pool = ctx.cells_of(failed.iter().copied());
    if !fill_consistent {
        pool = ctx.cells_of(failed.iter().copied().chain(u.iter().flat_map(|&c| ctx.sys.by_cell[c].iter().copied())));
    }
    pool.retain(|c| !u.contains(c));
    for &c in &pool {
        let mut s = u.clone();
        s.push(c);
        out.extend(attempt(ctx, &s, &[c]));
    }
    if out.iter().any(|c| c.full) || !u.is_empty() || failed.len() > MAX_PAIR_FAILS {
        return out;
    }
    pairs(ctx, &failed, &pool, &mut out);
    out
}

/// Two known cells changed that together explain every failure.
fn pairs(ctx: &Ctx, failed: &[usize], pool: &[usize], out: &mut Vec<Cand>) {
    let eqs = |c: usize| &ctx.sys.by_cell[c];
    let covers = |cells: &[usize]| failed.iter().all(|e| cells.iter().any(|&c| eqs(c).contains(e)));
    for &c in pool {
        // A partner outside the failed equations can only repair what `c` breaks.
        let partners = if covers(&[c]) {
            ctx.cells_of(eqs(c).iter().copied().chain(failed.iter().copied()))
        } else {
            pool.to_vec()
        };
        for d in partners {
            if d == c || (pool.contains(&d) && d < c) || !covers(&[c, d]) {
                continue;
            }
            if let Some(cand) = attempt(ctx, &[c, d], &[c, d]).filter(|x| x.full) {
                out.push(cand);
            }
        }
    }
}

/// A hypothesis scored, with the evidence for the reason.
struct Ranked {
    cand: Cand,
    score: f64,
    shape: Option<Shape>,
    support: Vec<String>,
    against: Vec<String>,
    /// A failed `narrative.matches_table` comes to agree.
    narrative_fixed: bool,
}

/// Whether two cells are neighbours in a row.
fn neighbours(report: &Report, a: usize, b: usize) -> bool {
    let (da, db) = (report.def(a), report.def(b));
    a.abs_diff(b) == 1 && da.table == db.table && da.row == db.row
}

fn rank(ctx: &Ctx, cand: Cand) -> Ranked {
    let r = ctx.report;
    let known: Vec<(usize, f64, f64)> =
        cand.changes.iter().filter_map(|&(c, x)| ctx.vals[c].map(|v| (c, v, x))).collect();
    let shape = match known[..] {
        [(_, v, x)] => Some(evidence::shape(v, x)),
        [(a, va, xa), (b, vb, xb)] if neighbours(r, a, b) => Some(evidence::pair_shape((va, vb), (xa, xb))),
        _ => None,
    };
    let mut score = shape.map_or(0.0, Shape::weight);
    if known.len() == 2 && shape.is_none_or(|s| s == Shape::Other) {
        // Two unrelated faults are less likely than one of a known kind.
        score += known.iter().map(|&(_, v, x)| evidence::shape(v, x).weight()).sum::<f64>() - 2.0;
    }
    score +=
        known.iter().map(|&(c, _, x)| evidence::status_weight(r.cells[c].status) + evidence::prior(x)).sum::<f64>();
    let mut after = ctx.vals.clone();
    for &(c, x) in &cand.changes {
        after[c] = Some(x);
    }
    let (support, against) = evidence::prose(r, &ctx.vals, &after);
    score += 2.5 * support.len() as f64 - 4.0 * against.len() as f64;
    let narrative_fixed = support.iter().any(|f| evidence::agrees(f, &ctx.vals) == Some(false));
    let support = support.iter().map(|f| f.text.clone()).collect();
    let against = against.iter().map(|f| f.text.clone()).collect();
    Ranked { cand, score, shape, support, against, narrative_fixed }
}

fn select(ctx: &Ctx, cands: Vec<Cand>) -> Vec<Suggestion> {
    let min_full = cands.iter().filter(|c| c.full).map(|c| c.level).min();
    let chosen: Vec<Cand> = match min_full {
        Some(l) => cands.into_iter().filter(|c| c.full && c.level == l).collect(),
        None => cands
            .into_iter()
            .filter(|c| c.broken == 0 && (c.fixed.len() >= 2 || (c.level == 0 && !c.fixed.is_empty())))
            .collect(),
    };
    let full = min_full.is_some();
    let mut ranked: Vec<Ranked> = chosen.into_iter().map(|c| rank(ctx, c)).collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.cand.changes.len().cmp(&b.cand.changes.len()))
            .then(a.cand.changes.iter().map(|c| c.0).cmp(b.cand.changes.iter().map(|c| c.0)))
    });
    if !full {
        // More repaired first.
        ranked.sort_by_key(|r| std::cmp::Reverse(r.cand.fixed.len()));
    }
    let n = ranked.len();
    let top = ranked.first().map_or(0.0, |r| r.score);
    let total: f64 = ranked.iter().map(|r| (r.score - top).exp()).sum();
    // A report whose table mixes the templates has cells the equations cannot see: no
    // suggestion on it is certain.
    let mixed = ctx.report.notes.iter().any(|n| n.id == crate::checks::TEMPLATE_MIXED);
    ranked
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|r| {
            let p = (r.score - top).exp() / total;
            let certain = full
                && !mixed
                && n == 1
                && r.cand.redundancy >= 1
                && r.against.is_empty()
                && (r.cand.level < 2 || matches!(r.shape, Some(Shape::Joined | Shape::Split | Shape::Exchanged)));
            let confidence = if certain {
                (0.9 + 0.03 * r.cand.redundancy.min(2) as f64 + if r.support.is_empty() { 0.0 } else { 0.03 }).min(0.99)
            } else if full {
                0.85 * p
            } else {
                0.5 * p
            };
            reason::suggestion(ctx, r, n, full, certain, confidence)
        })
        .collect()
}

#[cfg(test)]
mod tests;
