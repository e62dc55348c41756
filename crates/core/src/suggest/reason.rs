//! A ranked hypothesis as a [`Suggestion`]: its changes, the checks it repairs and why, in Chinese.

use super::system::State;
use super::{Change, Ctx, Ranked, Suggestion};
use crate::checks::{
    APPLICATIONS_BALANCE, APPLICATIONS_OUTCOME_SUM, APPLICATIONS_ROW_SUM, CELL_UNREADABLE, NARRATIVE_MATCHES_TABLE,
    REVIEW_ROW_SUM, row_name,
};
use crate::model::{Report, Status, format_value};

/// The order of `repairs`.
const ORDER: &[&str] = &[
    APPLICATIONS_ROW_SUM,
    APPLICATIONS_OUTCOME_SUM,
    APPLICATIONS_BALANCE,
    REVIEW_ROW_SUM,
    CELL_UNREADABLE,
    NARRATIVE_MATCHES_TABLE,
];

/// How many equations are named before “等 N 项”.
const NAMED: usize = 4;

pub(super) fn suggestion(ctx: &Ctx, r: Ranked, n: usize, full: bool, certain: bool, confidence: f64) -> Suggestion {
    let report = ctx.report;
    let c = &r.cand;
    let mut repairs: Vec<&'static str> = c
        .fixed
        .iter()
        .map(|&e| if ctx.states[e] == State::Unknown { CELL_UNREADABLE } else { ctx.sys.eqs[e].id })
        .collect();
    if r.narrative_fixed {
        repairs.push(NARRATIVE_MATCHES_TABLE);
    }
    repairs.sort_by_key(|id| ORDER.iter().position(|o| o == id));
    repairs.dedup();

    let mut parts = vec![what(ctx, &c.changes)];
    let names: Vec<String> = c.fixed.iter().take(NAMED).map(|&e| equation_name(ctx, e)).collect();
    let more = if c.fixed.len() > NAMED { format!("等 {} 项核对", c.fixed.len()) } else { String::new() };
    if full {
        parts.push(format!("可使{}{}全部通过", names.join("、"), more));
    } else if c.level == 0 {
        let open = format!("其余缺失的格无法由合计唯一确定，仍有 {} 项核对无法进行", c.remaining);
        parts.push(format!("可使{}{}通过；{open}", names.join("、"), more));
    } else {
        parts.push(format!(
            "可使{}{}通过，但仍有 {} 项核对不通过，可能不止一处有误",
            names.join("、"),
            more,
            c.remaining
        ));
    }
    let known: Vec<(usize, f64, f64)> = c.changes.iter().filter_map(|&(i, x)| ctx.vals[i].map(|v| (i, v, x))).collect();
    if let Some(shape) = r.shape {
        let fmt = |v: Vec<f64>| v.iter().map(|x| super::evidence::digits(*x)).collect::<Vec<_>>().join("、");
        let cur = fmt(known.iter().map(|k| k.1).collect());
        let prop = fmt(known.iter().map(|k| k.2).collect());
        parts.extend(shape.describe(&cur, &prop));
    }
    for &(i, _, _) in &known {
        let cell = &report.cells[i];
        match cell.status {
            Status::Repaired => {
                let how = cell.repair.as_deref().map(|s| format!("（{s}）")).unwrap_or_default();
                parts.push(format!("该格是解析时自动修复的结果{how}，较易出错"));
            }
            Status::Edited => parts.push("该格已由人工修改过".into()),
            _ => {}
        }
    }
    parts.extend(r.support.iter().map(|t| format!("正文“{t}”与改后的表格相符")));
    parts.extend(r.against.iter().map(|t| format!("但正文“{t}”与原值相符，改后反而不符")));
    if certain {
        parts.push("这是唯一能使全部核对通过的改法，且有另外的合计印证".into());
    } else if full && n == 1 {
        let why = if !r.against.is_empty() {
            "但与正文不符"
        } else if c.redundancy == 0 {
            "但没有另外的合计可以印证"
        } else {
            "但涉及两格"
        };
        parts.push(format!("这是唯一能使全部核对通过的改法，{why}，请核对原件"));
    } else if full {
        parts.push(format!(
            "共有 {n} 种改法同样能使全部核对通过（按识别错误的常见程度排序），无法确定是哪一格有误，请核对原件"
        ));
    }
    let changes =
        c.changes.iter().map(|&(cell, proposed)| Change { cell, current: ctx.vals[cell], proposed }).collect();
    Suggestion { changes, confidence, repairs, reason: format!("{}。", parts.join("；")), certain }
}

/// The changes to one row: the changed cells as phrases, the filled ones as (column, why, value).
struct RowChanges {
    row: String,
    changed: Vec<String>,
    filled: Vec<(&'static str, String, String)>,
}

/// The changes, grouped by row: “（七）总计”行“自然人”列由 42 改为 24.
fn what(ctx: &Ctx, changes: &[(usize, f64)]) -> String {
    let report = ctx.report;
    let mut groups: Vec<RowChanges> = Vec::new();
    for &(i, x) in changes {
        let d = report.def(i);
        let row = format!("“{}”行", d.row_def.full_label());
        let v = |x: f64| format_value(x, d.kind());
        let k = match groups.iter().position(|g| g.row == row) {
            Some(k) => k,
            None => {
                groups.push(RowChanges { row, changed: Vec::new(), filled: Vec::new() });
                groups.len() - 1
            }
        };
        match ctx.vals[i] {
            Some(cur) => groups[k].changed.push(format!("“{}”列由 {} 改为 {}", d.col_def.label, v(cur), v(x))),
            None => groups[k].filled.push((d.col_def.label, why_no_value(report, i), v(x))),
        }
    }
    let mut out = Vec::new();
    for RowChanges { row, changed, filled } in groups {
        let mut items = changed;
        match &filled[..] {
            [] => {}
            [(col, why, v)] => items.push(format!("“{col}”列{why}，应为 {v}")),
            _ => {
                let values: Vec<String> = filled.iter().map(|(col, _, v)| format!("{col} {v}")).collect();
                items.push(format!("有 {} 个格缺失或无法识别，应依次为：{}", filled.len(), values.join("、")));
            }
        }
        out.push(format!("{row}{}", items.join("，")));
    }
    out.join("；")
}

fn why_no_value(report: &Report, i: usize) -> String {
    let c = &report.cells[i];
    match c.status {
        Status::Unreadable => format!("无法识别（原文“{}”）", c.text),
        Status::Edited => format!("修改后不是数字（“{}”）", c.text),
        _ => "缺失".into(),
    }
}

/// An equation's name: “（七）总计”行合计, “自然人”列办理结果合计, “自然人”列勾稽关系, 表四“行政复议”合计.
fn equation_name(ctx: &Ctx, e: usize) -> String {
    let eq = &ctx.sys.eqs[e];
    let d = ctx.report.def(eq.terms[0].0);
    match eq.id {
        APPLICATIONS_ROW_SUM => format!("“{}”行合计", row_name(d.table, d.row_def)),
        APPLICATIONS_OUTCOME_SUM => format!("“{}”列办理结果合计", d.col_def.label),
        APPLICATIONS_BALANCE => format!("“{}”列勾稽关系", d.col_def.label),
        _ => format!("表四“{}”合计", row_name(d.table, d.row_def)),
    }
}
