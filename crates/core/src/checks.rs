//! The single-report checks of SCHEMA.md.
//!
//! [`run`] returns every instance of every rule, passed ones included, in a stable order:
//! `template.year`; `applications.row_sum` per row; `applications.outcome_sum` per column;
//! `applications.balance` per column; `review.row_sum` per row; `active.plausible` per row;
//! `narrative.matches_table` per figure; `report.blank_cells` per table 三 and 四,
//! `report.section5` and `report.section6_fees` (module `content`); then one `cell.unreadable`
//! per cell without a value that is in no equation (the cells of table `active`).
//!
//! An equation that involves a cell without a value (missing, unreadable, or edited to a text
//! that is no number) is not evaluated: in its place comes a failed `cell.unreadable` with the
//! scope of the rule plus `("rule", id)`, whose `cells` list the cells without a value first,
//! then the other cells of the equation. So `cell.unreadable` is only ever emitted failed, and
//! every cell without a value is named at least once.
//!
//! Messages of passed instances are empty; failed ones say what is wrong, with the numbers.

use crate::model::{CheckResult, Report, Severity, Status, format_value};
use crate::template::{Kind, RowDef, Table, Template};
use std::fmt::Write;
use std::ops::Range;
use std::sync::OnceLock;

pub const APPLICATIONS_ROW_SUM: &str = Rule::ApplicationsRowSum.id();
pub const APPLICATIONS_OUTCOME_SUM: &str = Rule::ApplicationsOutcomeSum.id();
pub const APPLICATIONS_BALANCE: &str = Rule::ApplicationsBalance.id();
pub const REVIEW_ROW_SUM: &str = Rule::ReviewRowSum.id();
pub const CELL_UNREADABLE: &str = Rule::CellUnreadable.id();
pub const TEMPLATE_YEAR: &str = Rule::TemplateYear.id();
pub const ACTIVE_PLAUSIBLE: &str = Rule::ActivePlausible.id();
pub const NARRATIVE_MATCHES_TABLE: &str = Rule::NarrativeMatchesTable.id();
pub const REPORT_SEVERAL: &str = Rule::ReportSeveral.id();
pub const TEMPLATE_MIXED: &str = Rule::TemplateMixed.id();
pub const REPORT_META: &str = Rule::ReportMeta.id();
pub const REPORT_BLANK_CELLS: &str = Rule::ReportBlankCells.id();
pub const REPORT_SECTION5: &str = Rule::ReportSection5.id();
pub const REPORT_SECTION6_FEES: &str = Rule::ReportSection6Fees.id();

mod content;
mod rule;
pub use content::{SECTION5_MIN_CHARS, is_blank};
pub use rule::Rule;

/// The severity of a rule id (`None` for an id SCHEMA.md does not know).
pub(crate) fn severity_of(id: &str) -> Option<Severity> {
    Rule::from_id(id).map(Rule::severity)
}

/// Counts compare equal within this tolerance.
const EPS: f64 = 1e-6;

/// Where the cells of the equations sit in one template's layout, computed once.
struct Plan {
    /// Applications rows: key, display name, first cell (7 cells, `total` last).
    app_rows: Vec<(&'static str, String, usize)>,
    /// First cells of the outcome rows （一）to（六）.
    outcome_rows: Vec<usize>,
    new_received: usize,
    carried_over: usize,
    total: usize,
    carried_forward: usize,
    /// Applicant column keys and labels (7, `total` last).
    app_cols: Vec<(&'static str, &'static str)>,
    /// Review rows: key, display name, first cell (5 cells, `total` last).
    review_rows: Vec<(&'static str, String, usize)>,
    /// Active rows: key, display name, cells.
    active_rows: Vec<(&'static RowDef, Range<usize>)>,
    /// Per cell: whether it is in an arithmetic equation.
    in_equation: Vec<bool>,
}

const APP_COLS: usize = 7;
const REVIEW_COLS: usize = 5;

/// Build the check plan of template `t` now (see [`crate::parse::warm_up`]).
pub(crate) fn warm_up(t: Template) {
    plan(t);
}

fn plan(t: Template) -> &'static Plan {
    static P2019: OnceLock<Plan> = OnceLock::new();
    static P2021: OnceLock<Plan> = OnceLock::new();
    match t {
        Template::T2019 => P2019.get_or_init(|| Plan::build(t)),
        Template::T2021 => P2021.get_or_init(|| Plan::build(t)),
    }
}

impl Plan {
    fn build(t: Template) -> Plan {
        let l = t.layout();
        let mut in_equation = vec![false; l.cells.len()];
        let mut app_rows = Vec::new();
        let mut outcome_rows = Vec::new();
        let (mut new_received, mut carried_over, mut total, mut carried_forward) = (0, 0, 0, 0);
        for (row, range) in l.rows(Table::Applications) {
            assert_eq!(range.len(), APP_COLS, "applications rows have seven columns");
            let s = range.start;
            match row.key {
                "new_received" => new_received = s,
                "carried_over" => carried_over = s,
                "total" => total = s,
                "carried_forward" => carried_forward = s,
                _ => outcome_rows.push(s),
            }
            app_rows.push((row.key, row_name(Table::Applications, row), s));
            in_equation[range.clone()].iter_mut().for_each(|b| *b = true);
        }
        let first = &l.rows(Table::Applications)[0];
        let app_cols = first.0.cols.iter().map(|c| (c.key, c.label)).collect();
        let mut review_rows = Vec::new();
        for (row, range) in l.rows(Table::Review) {
            assert_eq!(range.len(), REVIEW_COLS, "review rows have five columns");
            review_rows.push((row.key, row_name(Table::Review, row), range.start));
            in_equation[range.clone()].iter_mut().for_each(|b| *b = true);
        }
        let active_rows = l.rows(Table::Active).to_vec();
        Plan {
            app_rows,
            outcome_rows,
            new_received,
            carried_over,
            total,
            carried_forward,
            app_cols,
            review_rows,
            active_rows,
            in_equation,
        }
    }
}

/// A row's name for messages ([`RowDef::short_name`]).
pub fn row_name(table: Table, row: &RowDef) -> String {
    row.short_name(table)
}

/// A cell's official name in messages ([`crate::template::CellDef::message_name`]).
pub fn cell_name(report: &Report, i: usize) -> String {
    report.def(i).message_name()
}

/// The cells without a value, one phrase per row: a row with several such cells is named once
/// (“二、上年结转…”行 7 格缺失), a single cell by its row and column.
fn missing_message(report: &Report, cells: &[usize]) -> String {
    let mut rows: Vec<(&'static str, Vec<usize>)> = Vec::new();
    for &i in cells {
        let row = report.def(i).row;
        match rows.iter_mut().find(|(r, _)| *r == row) {
            Some((_, v)) => v.push(i),
            None => rows.push((row, vec![i])),
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for (_, v) in &rows {
        let d = report.def(v[0]);
        let same_why = v.iter().all(|&i| report.cells[i].status == report.cells[v[0]].status);
        if v.len() >= 2 && same_why && report.cells[v[0]].status == Status::Missing {
            parts.push(format!("“{}”行 {} 格缺失", d.row_def.full_label(), v.len()));
        } else {
            parts.extend(v.iter().map(|&i| format!("{}{}", cell_name(report, i), why_no_value(report, i))));
        }
    }
    parts.join("；")
}

/// Why a cell has no value, in Chinese.
fn why_no_value(report: &Report, i: usize) -> String {
    let c = &report.cells[i];
    match c.status {
        Status::Missing => "缺失".to_string(),
        Status::Unreadable => format!("无法识别（原文“{}”）", c.text),
        Status::Edited => format!("修改后不是数字（“{}”）", c.text),
        _ if c.text.is_empty() => "无数值".to_string(),
        _ => format!("无数值（原文“{}”）", c.text),
    }
}

fn count_str(v: f64) -> String {
    format_value(v, Kind::Count)
}

fn equal(a: f64, b: f64) -> bool {
    (a - b).abs() < EPS
}

/// One instance of an arithmetic rule: `sum(cells[..n_lhs]) = sum(cells[n_lhs..])`.
struct Equation {
    id: &'static str,
    scope: Vec<(&'static str, String)>,
    cells: Vec<usize>,
    n_lhs: usize,
    /// A value added to the right-hand side (the single （六） row of a mixed template).
    extra: f64,
}

/// Evaluate an equation, or yield `cell.unreadable` when one of its cells has no value.
/// `what` names the equation for that message; `message` builds the failure message from
/// (lhs, rhs).
fn equation(
    report: &Report,
    out: &mut Vec<CheckResult>,
    eq: Equation,
    what: impl FnOnce() -> String,
    message: impl FnOnce(f64, f64) -> String,
) {
    let Equation { id, scope, mut cells, n_lhs, extra } = eq;
    let (mut lhs, mut rhs) = (0.0, extra);
    let mut missing = false;
    for (k, &i) in cells.iter().enumerate() {
        match report.cells[i].value {
            Some(v) if k < n_lhs => lhs += v,
            Some(v) => rhs += v,
            None => missing = true,
        }
    }
    if missing {
        // The cells without a value first, then the rest of the equation.
        cells.sort_by_key(|&i| report.cells[i].value.is_some());
        let without: Vec<usize> = cells.iter().copied().take_while(|&i| report.cells[i].value.is_none()).collect();
        let mut msg = missing_message(report, &without);
        let _ = write!(msg, "，无法核对{}", what());
        let mut scope = scope;
        scope.push(("rule", id.to_string()));
        out.push(CheckResult {
            id: CELL_UNREADABLE,
            severity: Rule::CellUnreadable.severity(),
            passed: false,
            scope,
            cells,
            lhs: None,
            rhs: None,
            message: msg,
        });
        return;
    }
    let passed = equal(lhs, rhs);
    let message = if passed { String::new() } else { message(lhs, rhs) };
    out.push(CheckResult {
        id,
        severity: severity_of(id).unwrap_or(Severity::Error),
        passed,
        scope,
        cells,
        lhs: Some(lhs),
        rhs: Some(rhs),
        message,
    });
}

/// Every instance of every single-report rule, passed ones included, in a stable order.
pub fn run(report: &Report) -> Vec<CheckResult> {
    let mut out = Vec::with_capacity(80);
    let p = plan(report.template);
    debug_assert_eq!(report.cells.len(), report.layout().cells.len());
    notes(report, &mut out);
    template_year(report, &mut out);
    applications(report, p, &mut out);
    review(report, p, &mut out);
    active(report, p, &mut out);
    narrative(report, &mut out);
    content::run(report, &mut out);
    for (i, cell) in report.cells.iter().enumerate() {
        if cell.value.is_none() && !p.in_equation.get(i).copied().unwrap_or(false) {
            out.push(CheckResult {
                id: CELL_UNREADABLE,
                severity: Rule::CellUnreadable.severity(),
                passed: false,
                scope: vec![("cell", report.def(i).key())],
                cells: vec![i],
                lhs: None,
                rhs: None,
                message: format!("{}{}", cell_name(report, i), why_no_value(report, i)),
            });
        }
    }
    out
}

/// What the parser noticed about the whole report (`report.several`, `template.mixed`), and
/// `report.meta` when the organ or the year could not be read.
fn notes(report: &Report, out: &mut Vec<CheckResult>) {
    for n in &report.notes {
        let Some(rule) = Rule::from_id(&n.id).filter(|r| !r.cross_year()) else { continue };
        out.push(CheckResult {
            id: rule.id(),
            severity: rule.severity(),
            passed: false,
            scope: vec![],
            cells: n.cells.iter().copied().filter(|&i| i < report.cells.len()).collect(),
            lhs: None,
            rhs: None,
            message: n.message.clone(),
        });
    }
    let missing: Vec<&str> = [(report.organ.is_none(), "机关名称"), (report.year.is_none(), "年度")]
        .into_iter()
        .filter_map(|(m, what)| m.then_some(what))
        .collect();
    out.push(CheckResult {
        id: REPORT_META,
        severity: Rule::ReportMeta.severity(),
        passed: missing.is_empty(),
        scope: vec![],
        cells: vec![],
        lhs: None,
        rhs: None,
        message: if missing.is_empty() {
            String::new()
        } else {
            format!("未能从报告中读出{}，请在表头处填写", missing.join("和"))
        },
    });
}

fn template_year(report: &Report, out: &mut Vec<CheckResult>) {
    let Some(year) = report.year else { return };
    let used = report.template;
    let expected = Template::expected_for_year(year);
    let passed = used == expected;
    let doc = |t: Template| match t {
        Template::T2019 => "国办公开办函〔2019〕60号",
        Template::T2021 => "国办公开办函〔2021〕30号",
    };
    let message = if passed {
        String::new()
    } else {
        format!(
            "{year} 年度的报告使用了 {} 年版表格（{}），{year} 年度应使用 {} 年版表格（{}）",
            used.number(),
            doc(used),
            expected.number(),
            doc(expected)
        )
    };
    out.push(CheckResult {
        id: TEMPLATE_YEAR,
        severity: Rule::TemplateYear.severity(),
        passed,
        scope: vec![("year", year.to_string()), ("template", used.number().to_string())],
        cells: vec![],
        lhs: Some(year as f64),
        rhs: Some(used.number() as f64),
        message,
    });
}

fn applications(report: &Report, p: &Plan, out: &mut Vec<CheckResult>) {
    let total_col = APP_COLS - 1;
    // A 2021 report with the single 2019 （六）其他处理 row: its three rows are named once by
    // `template.mixed`, and the column sums use the single row's values in their place.
    let mixed = report.notes.iter().find(|n| n.id == TEMPLATE_MIXED && n.values.len() == APP_COLS);
    let mixed_cells: Vec<usize> = mixed.map(|n| n.cells.clone()).unwrap_or_default();
    for (key, name, s) in &p.app_rows {
        let s = *s;
        if mixed_cells.contains(&s) {
            continue;
        }
        let cells: Vec<usize> = std::iter::once(s + total_col).chain(s..s + total_col).collect();
        equation(
            report,
            out,
            Equation { id: APPLICATIONS_ROW_SUM, scope: vec![("row", key.to_string())], cells, n_lhs: 1, extra: 0.0 },
            || format!("“{name}”行的总计"),
            |l, r| format!("“{name}”行：总计 {} ≠ 各类申请人之和 {}", count_str(l), count_str(r)),
        );
    }
    for (c, (col, label)) in p.app_cols.iter().enumerate() {
        let cells: Vec<usize> = std::iter::once(p.total + c)
            .chain(p.outcome_rows.iter().map(|&r| r + c))
            .filter(|i| !mixed_cells.contains(i))
            .collect();
        let extra = mixed.and_then(|n| n.values[c]).unwrap_or(0.0);
        equation(
            report,
            out,
            Equation { id: APPLICATIONS_OUTCOME_SUM, scope: vec![("col", col.to_string())], cells, n_lhs: 1, extra },
            || format!("“{label}”列的（七）总计"),
            |l, r| format!("“{label}”列：（七）总计 {} ≠ 各项办理结果之和 {}", count_str(l), count_str(r)),
        );
    }
    for (c, (col, label)) in p.app_cols.iter().enumerate() {
        let cells = vec![p.new_received + c, p.carried_over + c, p.total + c, p.carried_forward + c];
        let v = |i: usize| report.cells[i].value.unwrap_or(0.0);
        equation(
            report,
            out,
            Equation { id: APPLICATIONS_BALANCE, scope: vec![("col", col.to_string())], cells, n_lhs: 2, extra: 0.0 },
            || format!("“{label}”列的勾稽关系"),
            |l, r| {
                format!(
                    "“{label}”列：本年新收 {} + 上年结转 {} = {} ≠ 办理结果总计 {} + 结转下年度 {} = {}",
                    count_str(v(p.new_received + c)),
                    count_str(v(p.carried_over + c)),
                    count_str(l),
                    count_str(v(p.total + c)),
                    count_str(v(p.carried_forward + c)),
                    count_str(r)
                )
            },
        );
    }
}

fn review(report: &Report, p: &Plan, out: &mut Vec<CheckResult>) {
    let total_col = REVIEW_COLS - 1;
    for (key, name, s) in &p.review_rows {
        let s = *s;
        let cells: Vec<usize> = std::iter::once(s + total_col).chain(s..s + total_col).collect();
        equation(
            report,
            out,
            Equation { id: REVIEW_ROW_SUM, scope: vec![("row", key.to_string())], cells, n_lhs: 1, extra: 0.0 },
            || format!("“{name}”的总计"),
            |l, r| {
                format!("“{name}”：总计 {} ≠ 结果维持、结果纠正、其他结果、尚未审结之和 {}", count_str(l), count_str(r))
            },
        );
    }
}

/// `active.plausible`: per row, the conditions that can be checked on the cells with a value.
fn active(report: &Report, p: &Plan, out: &mut Vec<CheckResult>) {
    for (row, range) in &p.active_rows {
        let find = |col: &str| range.clone().find(|&i| report.def(i).col == col);
        let val = |i: Option<usize>| i.and_then(|i| report.cells[i].value);
        let mut problems: Vec<String> = Vec::new();
        let mut bad: Vec<usize> = Vec::new();
        // A count or money that is negative (本年增/减 may be negative).
        for i in range.clone() {
            let d = report.def(i);
            if d.kind() == Kind::Signed {
                continue;
            }
            if let Some(v) = report.cells[i].value
                && v < -EPS
            {
                problems.push(format!("“{}”为负数 {}", d.col_def.label, format_value(v, d.kind())));
                bad.push(i);
            }
        }
        // 2019: 本年新公开数量 > 对外公开总数量.
        let (np, tp) = (find("new_published"), find("total_published"));
        if let (Some(a), Some(b)) = (val(np), val(tp))
            && a > b + EPS
        {
            problems.push(format!("本年新公开数量 {} 大于对外公开总数量 {}", count_str(a), count_str(b)));
            bad.extend(np.into_iter().chain(tp));
        }
        // 2019: 上一年项目数量 + 本年增/减 < 0.
        let (pi, ch) = (find("prev_items"), find("change"));
        if let (Some(a), Some(b)) = (val(pi), val(ch))
            && a + b < -EPS
        {
            problems.push(format!(
                "上一年项目数量 {} 加本年增/减 {} 后为负数 {}",
                count_str(a),
                count_str(b),
                count_str(a + b)
            ));
            bad.extend(pi.into_iter().chain(ch));
        }
        let passed = problems.is_empty();
        let mut cells: Vec<usize> = range.clone().collect();
        let message = if passed {
            String::new()
        } else {
            // The cells at fault first.
            bad.dedup();
            cells.sort_by_key(|i| !bad.contains(i));
            format!("“{}”行：{}", row_name(Table::Active, row), problems.join("；"))
        };
        out.push(CheckResult {
            id: ACTIVE_PLAUSIBLE,
            severity: Rule::ActivePlausible.severity(),
            passed,
            scope: vec![("row", row.key.to_string())],
            cells,
            lhs: None,
            rhs: None,
            message,
        });
    }
}

/// How a set of cells reads in a message: one cell, a group's rows, or a list.
fn describe_cells(report: &Report, cells: &[usize]) -> String {
    let name = |i: usize| {
        let d = report.def(i);
        let row = row_name(d.table, d.row_def);
        if d.col == "total" { format!("“{row}”总计") } else { format!("“{row}”{}", d.col_def.label) }
    };
    match cells {
        [] => "（无）".to_string(),
        [i] => name(*i),
        [first, rest @ ..] => {
            let g = report.def(*first).row_def.group;
            let group = g.strip_prefix("三、本年度办理结果").unwrap_or(g).trim();
            if !group.is_empty() && rest.iter().all(|&i| report.def(i).row_def.group == g) {
                format!("“{group}”各项总计之和")
            } else {
                let names: Vec<String> = cells.iter().map(|&i| name(i)).collect();
                format!("{}之和", names.join("与"))
            }
        }
    }
}

fn narrative(report: &Report, out: &mut Vec<CheckResult>) {
    let sum = |cells: &[usize]| -> Option<f64> { cells.iter().map(|&i| report.cells.get(i)?.value).sum() };
    for fig in &report.figures {
        let Some(main) = sum(&fig.cells) else {
            continue;
        };
        let alt = if fig.alt_cells.is_empty() { None } else { sum(&fig.alt_cells) };
        let passed = equal(fig.value, main) || alt.is_some_and(|a| equal(fig.value, a));
        let message = if passed {
            String::new()
        } else {
            let mut m =
                format!("正文称“{}”，表中{}为 {}", fig.text, describe_cells(report, &fig.cells), count_str(main));
            if let Some(a) = alt {
                let _ = write!(m, "，{}为 {}", describe_cells(report, &fig.alt_cells), count_str(a));
            }
            m
        };
        out.push(CheckResult {
            id: NARRATIVE_MATCHES_TABLE,
            severity: Rule::NarrativeMatchesTable.severity(),
            passed,
            scope: vec![("figure", fig.text.clone()), ("span", format!("{}-{}", fig.span.0, fig.span.1))],
            cells: fig.cells.clone(),
            lhs: Some(fig.value),
            rhs: Some(main),
            message,
        });
    }
}

/// The failed results.
pub fn failed(results: &[CheckResult]) -> impl Iterator<Item = &CheckResult> {
    results.iter().filter(|r| !r.passed)
}

/// The failed results that name cell `i`.
pub fn failed_for_cell(results: &[CheckResult], i: usize) -> impl Iterator<Item = &CheckResult> {
    failed(results).filter(move |r| r.cells.contains(&i))
}

/// (errors, warnings) among the failed results.
pub fn count(results: &[CheckResult]) -> (usize, usize) {
    failed(results).fold((0, 0), |(e, w), r| match r.severity {
        Severity::Error => (e + 1, w),
        Severity::Warning => (e, w + 1),
    })
}

/// The fail rule, the only one: a failed check makes its report (or a comparison) fail when it
/// is an error, or with `strict` (`--strict`) a warning.
pub(crate) fn counts_against(severity: Severity, passed: bool, strict: bool) -> bool {
    !passed && (severity == Severity::Error || strict)
}

/// Whether a report with these results fails ([`counts_against`] for any of them).
pub fn fails(results: &[CheckResult], strict: bool) -> bool {
    results.iter().any(|r| counts_against(r.severity, r.passed, strict))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;

    fn blank(t: Template) -> Report {
        let n = t.layout().cells.len();
        Report {
            source_name: "test.txt".into(),
            organ: Some("某区人民政府".into()),
            year: Some(if t == Template::T2019 { 2020 } else { 2021 }),
            template: t,
            encoding: "UTF-8".into(),
            text: String::new(),
            cells: vec![
                Cell {
                    value: Some(0.0),
                    status: Status::Parsed,
                    text: "0".into(),
                    span: None,
                    repair: None,
                    original: None,
                    note: None
                };
                n
            ],
            tables: vec![],
            figures: vec![],
            format: "text".into(),
            notes: vec![],
        }
    }

    fn idx(r: &Report, key: &str) -> usize {
        r.layout().index_of_key(key).unwrap_or_else(|| panic!("no cell {key}"))
    }

    fn set(r: &mut Report, key: &str, v: f64) {
        let i = idx(r, key);
        r.cells[i].value = Some(v);
        r.cells[i].text = format!("{v}");
    }

    /// A consistent report with some non-zero values.
    fn consistent(t: Template) -> Report {
        let mut r = blank(t);
        for (k, v) in [
            ("applications/new_received/natural_person", 20.0),
            ("applications/new_received/commercial", 5.0),
            ("applications/new_received/total", 25.0),
            ("applications/granted/natural_person", 8.0),
            ("applications/granted/total", 8.0),
            ("applications/unavailable.not_held/natural_person", 11.0),
            ("applications/unavailable.not_held/commercial", 5.0),
            ("applications/unavailable.not_held/total", 16.0),
            ("applications/total/natural_person", 19.0),
            ("applications/total/commercial", 5.0),
            ("applications/total/total", 24.0),
            ("applications/carried_forward/natural_person", 1.0),
            ("applications/carried_forward/total", 1.0),
            ("review/litigation_direct/upheld", 1.0),
            ("review/litigation_direct/total", 1.0),
            ("active/regulations/in_force", 3.0),
        ] {
            if t == Template::T2019 && k.starts_with("active/") {
                continue;
            }
            set(&mut r, k, v);
        }
        if t == Template::T2019 {
            set(&mut r, "active/normative_documents/new_made", 3.0);
            set(&mut r, "active/normative_documents/new_published", 3.0);
            set(&mut r, "active/normative_documents/total_published", 59.0);
            set(&mut r, "active/other_services/prev_items", 1060.0);
            set(&mut r, "active/other_services/change", -540.0);
            set(&mut r, "active/procurement/amount_wan_yuan", 6439.39);
        }
        r
    }

    fn failures(res: &[CheckResult]) -> Vec<&CheckResult> {
        failed(res).collect()
    }

    #[test]
    fn consistent_reports_pass_everything() {
        for t in [Template::T2019, Template::T2021] {
            let r = consistent(t);
            let res = run(&r);
            assert!(failures(&res).is_empty(), "{t:?}: {:#?}", failures(&res));
            assert_eq!(count(&res), (0, 0));
            let rows = t.layout().rows(Table::Applications).len();
            let n = |id: &str| res.iter().filter(|x| x.id == id).count();
            assert_eq!(n(APPLICATIONS_ROW_SUM), rows);
            assert_eq!(n(APPLICATIONS_OUTCOME_SUM), 7);
            assert_eq!(n(APPLICATIONS_BALANCE), 7);
            assert_eq!(n(REVIEW_ROW_SUM), 3);
            assert_eq!(n(TEMPLATE_YEAR), 1);
            assert_eq!(n(ACTIVE_PLAUSIBLE), t.layout().rows(Table::Active).len());
            assert_eq!(n(CELL_UNREADABLE), 0);
            // Stable order.
            assert_eq!(res, run(&r));
        }
    }

    #[test]
    fn a_wrong_cell_breaks_its_three_equations() {
        for t in [Template::T2019, Template::T2021] {
            let mut r = consistent(t);
            set(&mut r, "applications/total/natural_person", 20.0);
            let cell = idx(&r, "applications/total/natural_person");
            let res = run(&r);
            let f = failures(&res);
            assert_eq!(f.len(), 3, "{f:#?}");
            let row = f.iter().find(|x| x.id == APPLICATIONS_ROW_SUM).unwrap();
            assert_eq!(row.scope, vec![("row", "total".to_string())]);
            assert_eq!((row.lhs, row.rhs), (Some(24.0), Some(25.0)));
            assert_eq!(row.message, "“（七）总计”行：总计 24 ≠ 各类申请人之和 25");
            let out = f.iter().find(|x| x.id == APPLICATIONS_OUTCOME_SUM).unwrap();
            assert_eq!(out.scope, vec![("col", "natural_person".to_string())]);
            assert_eq!((out.lhs, out.rhs), (Some(20.0), Some(19.0)));
            assert!(out.message.contains("“自然人”列"), "{}", out.message);
            let bal = f.iter().find(|x| x.id == APPLICATIONS_BALANCE).unwrap();
            assert_eq!(bal.scope, vec![("col", "natural_person".to_string())]);
            assert_eq!((bal.lhs, bal.rhs), (Some(20.0), Some(21.0)));
            assert_eq!(bal.message, "“自然人”列：本年新收 20 + 上年结转 0 = 20 ≠ 办理结果总计 20 + 结转下年度 1 = 21");
            for x in &f {
                assert!(x.cells.contains(&cell), "{x:?}");
                assert_eq!(x.severity, Severity::Error);
            }
            assert_eq!(count(&res), (3, 0));
            assert_eq!(failed_for_cell(&res, cell).count(), 3);
            assert!(fails(&res, false));
        }
    }

    #[test]
    fn partial_row_names_are_short() {
        let r = consistent(Template::T2019);
        let l = r.layout();
        let rows = l.rows(Table::Applications);
        let name = |k: &str| row_name(Table::Applications, rows.iter().find(|(x, _)| x.key == k).unwrap().0);
        assert_eq!(name("partially_granted"), "（二）部分公开");
        assert_eq!(name("granted"), "（一）予以公开");
        assert_eq!(name("denied.state_secret"), "（三）不予公开 1.属于国家秘密");
        assert_eq!(name("new_received"), "一、本年新收政府信息公开申请数量");
    }

    #[test]
    fn a_missing_cell_is_unreadable_not_an_arithmetic_failure() {
        for t in [Template::T2019, Template::T2021] {
            let mut r = consistent(t);
            let i = idx(&r, "applications/granted/commercial");
            r.cells[i] = Cell::missing();
            let res = run(&r);
            let f = failures(&res);
            // Its row_sum and outcome_sum are replaced; nothing else fails.
            assert_eq!(f.len(), 2, "{f:#?}");
            for x in &f {
                assert_eq!(x.id, CELL_UNREADABLE);
                assert_eq!(x.cells[0], i);
                assert!(x.message.contains("“三、本年度办理结果（一）予以公开”行“商业企业”列缺失"), "{}", x.message);
            }
            assert!(
                f.iter().any(|x| x.scope == vec![("row", "granted".into()), ("rule", APPLICATIONS_ROW_SUM.into())])
            );
            assert!(
                f.iter()
                    .any(|x| x.scope == vec![("col", "commercial".into()), ("rule", APPLICATIONS_OUTCOME_SUM.into())])
            );
            assert!(!res.iter().any(|x| x.id == APPLICATIONS_ROW_SUM && x.scope[0].1 == "granted"));
            // Balance of that column still evaluates (it does not involve the cell).
            assert!(res.iter().any(|x| x.id == APPLICATIONS_BALANCE && x.scope[0].1 == "commercial" && x.passed));

            // An edited cell whose text is no number.
            let mut r = consistent(t);
            let j = idx(&r, "review/reconsideration/pending");
            let c = r.edited_cell(j, "若干", None);
            r.replace_cell(j, c);
            let res = run(&r);
            let f = failures(&res);
            assert_eq!(f.len(), 1, "{f:#?}");
            assert_eq!(f[0].id, CELL_UNREADABLE);
            assert!(f[0].message.contains("修改后不是数字（“若干”）"), "{}", f[0].message);

            // An active cell without a value gets its own result.
            let mut r = consistent(t);
            let key = if t == Template::T2019 { "active/regulations/new_made" } else { "active/regulations/repealed" };
            let k = idx(&r, key);
            r.cells[k] = Cell { value: None, status: Status::Unreadable, text: "—?".into(), ..Cell::missing() };
            let res = run(&r);
            let f = failures(&res);
            assert_eq!(f.len(), 1, "{f:#?}");
            assert_eq!(f[0].id, CELL_UNREADABLE);
            assert_eq!(f[0].cells, vec![k]);
            assert_eq!(f[0].scope[0].0, "cell");
            assert!(f[0].message.contains("无法识别（原文“—?”）"), "{}", f[0].message);
        }
    }

    #[test]
    fn template_year() {
        let mut r = consistent(Template::T2019);
        r.year = Some(2021);
        let res = run(&r);
        let f = failures(&res);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].id, TEMPLATE_YEAR);
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("2019 年版"), "{}", f[0].message);
        assert_eq!(count(&res), (0, 1));
        assert!(!fails(&res, false));
        assert!(fails(&res, true));
        let mut r = consistent(Template::T2021);
        r.year = Some(2020);
        assert_eq!(failures(&run(&r))[0].id, TEMPLATE_YEAR);
        r.year = None;
        assert!(!run(&r).iter().any(|x| x.id == TEMPLATE_YEAR));
        r.year = Some(2023);
        assert!(run(&r).iter().any(|x| x.id == TEMPLATE_YEAR && x.passed));
    }

    #[test]
    fn active_plausible() {
        let mut r = consistent(Template::T2019);
        set(&mut r, "active/normative_documents/new_published", 60.0);
        set(&mut r, "active/licensing/prev_items", 10.0);
        set(&mut r, "active/licensing/change", -12.0);
        set(&mut r, "active/penalty/decisions", -3.0);
        set(&mut r, "active/procurement/amount_wan_yuan", -1.5);
        let res = run(&r);
        let f = failures(&res);
        assert_eq!(f.len(), 4, "{f:#?}");
        assert!(f.iter().all(|x| x.id == ACTIVE_PLAUSIBLE && x.severity == Severity::Warning));
        assert!(f[0].message.contains("本年新公开数量 60 大于对外公开总数量 59"), "{}", f[0].message);
        assert_eq!(f[0].cells[0], idx(&r, "active/normative_documents/new_published"));
        assert!(f[1].message.contains("加本年增/减 -12 后为负数 -2"), "{}", f[1].message);
        assert!(f[2].message.contains("“处理决定数量”为负数 -3"), "{}", f[2].message);
        assert_eq!(f[2].cells[0], idx(&r, "active/penalty/decisions"));
        assert!(f[3].message.contains("为负数 -1.5"), "{}", f[3].message);
        // A negative 本年增/减 alone is fine (other_services: 1060 减 540).
        let mut r = consistent(Template::T2021);
        set(&mut r, "active/regulations/repealed", 9.0);
        assert!(failures(&run(&r)).is_empty());
        set(&mut r, "active/fees/amount_wan_yuan", -2.0);
        let f = run(&r);
        let f = failures(&f);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].scope, vec![("row", "fees".to_string())]);
    }

    #[test]
    fn narrative_matches_table() {
        let t = Template::T2019;
        let mut r = consistent(t);
        r.text = "共收到政府信息公开申请25件，予以公开8件，结转下年度继续办理2件，无法提供16件。".into();
        r.figures = crate::narrative::extract(&r.text, &[], t);
        assert_eq!(r.figures.len(), 4);
        let res = run(&r);
        let f = failures(&res);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].id, NARRATIVE_MATCHES_TABLE);
        assert_eq!(f[0].cells, vec![idx(&r, "applications/carried_forward/total")]);
        assert_eq!(f[0].message, "正文称“结转下年度继续办理2件”，表中“四、结转下年度继续办理”总计为 1");
        assert_eq!(res.iter().filter(|x| x.id == NARRATIVE_MATCHES_TABLE && x.passed).count(), 3);
        // 共收到 counting 上年结转 also agrees.
        set(&mut r, "applications/carried_over/natural_person", 2.0);
        set(&mut r, "applications/carried_over/total", 2.0);
        set(&mut r, "applications/total/natural_person", 21.0);
        set(&mut r, "applications/total/total", 26.0);
        set(&mut r, "applications/granted/natural_person", 10.0);
        set(&mut r, "applications/granted/total", 10.0);
        r.text = "共收到政府信息公开申请27件。予以公开9件。".into();
        r.figures = crate::narrative::extract(&r.text, &[], t);
        let res = run(&r);
        let f = failures(&res);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].message, "正文称“予以公开9件”，表中“（一）予以公开”总计为 10");
        // A figure over an unreadable cell is skipped.
        let i = idx(&r, "applications/granted/total");
        r.cells[i] = Cell::missing();
        let res = run(&r);
        assert!(!res.iter().any(|x| x.id == NARRATIVE_MATCHES_TABLE && x.scope[0].1 == "予以公开9件"));
        // Sums of rows.
        r.text = "不予公开3件".into();
        r.figures = crate::narrative::extract(&r.text, &[], t);
        let res = run(&r);
        let f = failures(&res).into_iter().find(|x| x.id == NARRATIVE_MATCHES_TABLE).unwrap();
        assert_eq!(f.message, "正文称“不予公开3件”，表中“（三）不予公开”各项总计之和为 0");
    }

    /// A report from the hand-checked cells of a fixture, with the figures of its prose.
    fn fixture(name: &str, text: &str) -> Report {
        let path = format!("{}/../../tests/fixtures/expected/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let t = Template::from_number(json["template"].as_i64().unwrap()).unwrap();
        let mut r = blank(t);
        r.year = json["year"].as_i64().map(|y| y as i32);
        r.cells.iter_mut().for_each(|c| *c = Cell::missing());
        for c in json["cells"].as_array().unwrap() {
            let key = format!(
                "{}/{}/{}",
                c["table"].as_str().unwrap(),
                c["row"].as_str().unwrap(),
                c["col"].as_str().unwrap()
            );
            let i = idx(&r, &key);
            r.cells[i].value = c["value"].as_f64();
            r.cells[i].status = if r.cells[i].value.is_some() { Status::Parsed } else { Status::Missing };
        }
        r.text = text.to_string();
        r.figures = crate::narrative::extract(text, &[], t);
        r
    }

    #[test]
    fn samples_agree_with_their_prose() {
        for (name, text, figures) in [
            ("lieshan-2020", include_str!("../../../tests/fixtures/lieshan-2020.txt"), 8),
            ("lieshan-2021", include_str!("../../../tests/fixtures/lieshan-2021.txt"), 5),
            ("lishi-2020", include_str!("../../../tests/fixtures/lishi-2020.txt"), 0),
            ("yuan-2020", include_str!("../../../tests/fixtures/yuan-2020.txt"), 5),
        ] {
            let r = fixture(name, text);
            assert_eq!(r.figures.len(), figures, "{name}");
            let res = run(&r);
            let n = res.iter().filter(|x| x.id == NARRATIVE_MATCHES_TABLE && x.passed).count();
            assert_eq!(n, figures, "{name}: {:#?}", failures(&res));
            let f: Vec<_> = failures(&res).into_iter().filter(|x| x.severity == Severity::Error).collect();
            assert!(f.is_empty(), "{name}: {f:#?}");
        }
    }
}
