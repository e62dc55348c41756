//! The checks that tie two years together, in this order:
//!
//! | id | severity | rule |
//! |---|---|---|
//! | `years.organ` | warning | the organs agree once suffixes (办公室, 办公厅) and bracketed aliases are removed and 人民政府 is read as 政府 (only when both are known) |
//! | `years.same_year` | warning | the years differ (only when both are known) |
//! | `years.carry` | error | per column: earlier `carried_forward` = later `carried_over` |
//! | `years.in_force` | warning | later template 2021, rows `normative_documents` and `regulations`: earlier stock (2019 `total_published`, 2021 `in_force`) + later `issued` − later `repealed` = later `in_force` |
//! | `years.prev_items` | warning | both templates 2019, rows `licensing`, `other_services`, `penalty`, `coercion`, `fees`: earlier `prev_items` + earlier `change` = later `prev_items` |
//!
//! The continuity checks (`carry`, `in_force`, `prev_items`) run only when the years follow
//! each other (or a year is unknown): across a gap or within one year they mean nothing.
//! As in [`crate::checks`], an equation with a cell without a value is not evaluated: a failed
//! `cell.unreadable` (error) takes its place, with the scope plus `("rule", id)`, naming the
//! cells without a value first.

use super::{Side, SideCheck};
use crate::checks::{CELL_UNREADABLE, Rule, cell_name};
use crate::model::{Report, Severity, format_value};
use crate::template::{Kind, Table, Template};

pub const YEARS_CARRY: &str = Rule::YearsCarry.id();
pub const YEARS_IN_FORCE: &str = Rule::YearsInForce.id();
pub const YEARS_PREV_ITEMS: &str = Rule::YearsPrevItems.id();
pub const YEARS_ORGAN: &str = Rule::YearsOrgan.id();
pub const YEARS_SAME_YEAR: &str = Rule::YearsSameYear.id();

struct Pair<'r> {
    e: &'r Report,
    l: &'r Report,
}

impl Pair<'_> {
    fn get(&self, s: Side) -> &Report {
        match s {
            Side::Earlier => self.e,
            Side::Later => self.l,
        }
    }
    /// `2020年度` or `较早年度`.
    fn name(&self, s: Side) -> String {
        self.get(s).year.map(|y| format!("{y}年度")).unwrap_or_else(|| s.label().to_string())
    }
    fn cell(&self, s: Side, table: Table, row: &str, col: &str) -> Option<(Side, usize)> {
        self.get(s).index(table, row, col).map(|i| (s, i))
    }
}

/// Every cross-year check instance, passed ones included.
pub fn run(e: &Report, l: &Report) -> Vec<SideCheck> {
    let p = Pair { e, l };
    let mut out = Vec::new();
    organ(&p, &mut out);
    same_year(&p, &mut out);
    if matches!((e.year, l.year), (Some(a), Some(b)) if b != a + 1) {
        return out;
    }
    carry(&p, &mut out);
    if l.template == Template::T2021 {
        in_force(&p, &mut out);
    }
    if e.template == Template::T2019 && l.template == Template::T2019 {
        prev_items(&p, &mut out);
    }
    out
}

/// An organ's name as compared: without whitespace, bracketed aliases and the suffixes
/// 办公室 / 办公厅, with 人民政府 read as 政府.
pub fn organ_key(organ: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for ch in organ.chars() {
        match ch {
            '（' | '(' | '〔' | '【' | '[' => depth += 1,
            '）' | ')' | '〕' | '】' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    for suffix in ["办公室", "办公厅"] {
        if let Some(s) = out.strip_suffix(suffix) {
            out.truncate(s.len());
        }
    }
    out.replace("人民政府", "政府")
}

fn warning(id: &'static str, passed: bool, scope: Vec<(&'static str, String)>, message: String) -> SideCheck {
    let message = if passed { String::new() } else { message };
    SideCheck {
        side: None,
        id,
        severity: crate::checks::severity_of(id).unwrap_or(Severity::Warning),
        passed,
        scope,
        cells: vec![],
        lhs: None,
        rhs: None,
        message,
    }
}

fn organ(p: &Pair, out: &mut Vec<SideCheck>) {
    let (Some(a), Some(b)) = (p.e.organ.as_deref(), p.l.organ.as_deref()) else {
        return;
    };
    let passed = organ_key(a) == organ_key(b);
    let scope = vec![("earlier", a.to_string()), ("later", b.to_string())];
    out.push(warning(YEARS_ORGAN, passed, scope, format!("两份报告的机关不同：“{a}”与“{b}”")));
}

fn same_year(p: &Pair, out: &mut Vec<SideCheck>) {
    let (Some(a), Some(b)) = (p.e.year, p.l.year) else {
        return;
    };
    let message = format!("两份报告都是 {a} 年度的报告");
    let mut c = warning(YEARS_SAME_YEAR, a != b, vec![("year", a.to_string())], message);
    (c.lhs, c.rhs) = (Some(a as f64), Some(b as f64));
    out.push(c);
}

/// One cross-year equation: `Σ sign·value` of the terms before `n_lhs` = the same of the rest.
struct Equation {
    id: &'static str,
    severity: Severity,
    scope: Vec<(&'static str, String)>,
    terms: Vec<((Side, usize), f64)>,
    n_lhs: usize,
}

/// Evaluate, or give `cell.unreadable` when a cell has no value. `what` names the equation;
/// `message` gets the values of the terms (unsigned) and builds the failure message.
fn equation(p: &Pair, out: &mut Vec<SideCheck>, eq: Equation, what: &str, message: impl FnOnce(&[f64]) -> String) {
    let Equation { id, severity, mut scope, terms, n_lhs } = eq;
    let value = |(s, i): (Side, usize)| p.get(s).cells.get(i).and_then(|c| c.value);
    let mut cells: Vec<(Side, usize)> = terms.iter().map(|t| t.0).collect();
    let values: Option<Vec<f64>> = cells.iter().map(|&c| value(c)).collect();
    let Some(values) = values else {
        cells.sort_by_key(|&c| value(c).is_some());
        let mut names: Vec<String> = Vec::new();
        for &(s, i) in cells.iter().take_while(|&&c| value(c).is_none()) {
            let r = p.get(s);
            names.push(format!("{}报告{}无数值（{}）", p.name(s), cell_name(r, i), r.cells[i].status.label()));
        }
        scope.push(("rule", id.to_string()));
        let message = format!("{}，无法核对{what}", names.join("；"));
        let (id, severity, passed, lhs, rhs) = (CELL_UNREADABLE, Rule::CellUnreadable.severity(), false, None, None);
        out.push(SideCheck { side: None, id, severity, passed, scope, cells, lhs, rhs, message });
        return;
    };
    let side_sum = |r: std::ops::Range<usize>| r.map(|k| values[k] * terms[k].1).sum::<f64>();
    let (lhs, rhs) = (side_sum(0..n_lhs), side_sum(n_lhs..terms.len()));
    let passed = (lhs - rhs).abs() < 1e-6;
    let message = if passed { String::new() } else { message(&values) };
    out.push(SideCheck { side: None, id, severity, passed, scope, cells, lhs: Some(lhs), rhs: Some(rhs), message });
}

fn n(v: f64) -> String {
    format_value(v, Kind::Count)
}

fn carry(p: &Pair, out: &mut Vec<SideCheck>) {
    let (e, l) = (p.name(Side::Earlier), p.name(Side::Later));
    for col in crate::template::APPLICANT_COLS {
        let cf = p.cell(Side::Earlier, Table::Applications, "carried_forward", col.key);
        let co = p.cell(Side::Later, Table::Applications, "carried_over", col.key);
        let (Some(cf), Some(co)) = (cf, co) else {
            continue;
        };
        let label = col.label;
        let eq = Equation {
            id: YEARS_CARRY,
            severity: Rule::YearsCarry.severity(),
            scope: vec![("col", col.key.to_string())],
            terms: vec![(cf, 1.0), (co, 1.0)],
            n_lhs: 1,
        };
        equation(p, out, eq, &format!("“{label}”列的跨年度结转"), |v| {
            format!("“{label}”列：{e}“结转下年度继续办理” {} ≠ {l}“上年结转” {}", n(v[0]), n(v[1]))
        });
    }
}

fn in_force(p: &Pair, out: &mut Vec<SideCheck>) {
    let (e, l) = (p.name(Side::Earlier), p.name(Side::Later));
    let stock_col = match p.e.template {
        Template::T2019 => "total_published",
        Template::T2021 => "in_force",
    };
    let stock_label = if stock_col == "in_force" { "现行有效件数" } else { "对外公开总数量" };
    for row in ["normative_documents", "regulations"] {
        let stock = p.cell(Side::Earlier, Table::Active, row, stock_col);
        let later = |col| p.cell(Side::Later, Table::Active, row, col);
        let cells = (stock, later("issued"), later("repealed"), later("in_force"));
        let (Some(stock), Some(issued), Some(repealed), Some(now)) = cells else {
            continue;
        };
        let name = p.l.def(now.1).row_def.label;
        let eq = Equation {
            id: YEARS_IN_FORCE,
            severity: Rule::YearsInForce.severity(),
            scope: vec![("row", row.to_string())],
            terms: vec![(stock, 1.0), (issued, 1.0), (repealed, -1.0), (now, 1.0)],
            n_lhs: 3,
        };
        equation(p, out, eq, &format!("{name}的跨年度件数"), |v| {
            format!(
                "{name}：{e}{stock_label} {} + {l}本年制发 {} − 本年废止 {} = {} ≠ {l}现行有效件数 {}",
                n(v[0]),
                n(v[1]),
                n(v[2]),
                n(v[0] + v[1] - v[2]),
                n(v[3])
            )
        });
    }
}

fn prev_items(p: &Pair, out: &mut Vec<SideCheck>) {
    let (e, l) = (p.name(Side::Earlier), p.name(Side::Later));
    for row in ["licensing", "other_services", "penalty", "coercion", "fees"] {
        let prev = p.cell(Side::Earlier, Table::Active, row, "prev_items");
        let change = p.cell(Side::Earlier, Table::Active, row, "change");
        let now = p.cell(Side::Later, Table::Active, row, "prev_items");
        let (Some(prev), Some(change), Some(now)) = (prev, change, now) else {
            continue;
        };
        let name = p.l.def(now.1).row_def.label;
        let eq = Equation {
            id: YEARS_PREV_ITEMS,
            severity: Rule::YearsPrevItems.severity(),
            scope: vec![("row", row.to_string())],
            terms: vec![(prev, 1.0), (change, 1.0), (now, 1.0)],
            n_lhs: 2,
        };
        equation(p, out, eq, &format!("{name}的上一年项目数量衔接"), |v| {
            format!(
                "{name}：{e}上一年项目数量 {} + 本年增/减 {} = {} ≠ {l}上一年项目数量 {}",
                n(v[0]),
                format_value(v[1], Kind::Signed),
                n(v[0] + v[1]),
                n(v[2])
            )
        });
    }
}
