//! 问题清单: one row per failed check of a report, in words a clerk can send back to the organ
//! that wrote it (severity, check id, message, the cells by their official labels, their values,
//! and the suggested correction when there is one). Written as CSV (UTF-8 with BOM, one header
//! line) or, by [`super::xlsx`], as a sheet of a workbook.

use super::cell_label;
use crate::model::{CheckResult, Report, format_value};
use crate::suggest::Suggestion;

/// The columns of one report's 问题清单 (the workbook's sheet).
pub const HEADER: [&str; 5] = ["严重程度", "检查项", "说明", "涉及单元格", "数值"];
/// The columns of `nianbao check --findings` (every report of a batch).
pub const BATCH_HEADER: [&str; 9] =
    ["文件", "机关", "年度", "严重程度", "检查项", "说明", "涉及单元格", "数值", "建议更正"];

/// One failed check, ready to print.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// 错误 or 警告.
    pub severity: &'static str,
    pub id: &'static str,
    pub message: String,
    /// The cells' official labels, joined by `；`.
    pub cells: String,
    /// The cells' values in the same order (空 for a cell without a value), joined by `；`.
    pub values: String,
    /// The suggested correction that repairs this check, if any.
    pub suggestion: String,
}

/// The failed checks of `report`, errors first, in check order; `suggestions` as from
/// [`crate::suggest::suggest`] (pass `&[]` for none).
pub fn findings(report: &Report, checks: &[CheckResult], suggestions: &[Suggestion]) -> Vec<Finding> {
    let mut bad: Vec<&CheckResult> = checks.iter().filter(|c| !c.passed).collect();
    bad.sort_by_key(|c| c.severity);
    let layout = report.layout();
    bad.into_iter()
        .map(|c| {
            let defs = c.cells.iter().filter(|&&i| i < layout.cells.len());
            let cells: Vec<String> = defs.clone().map(|&i| cell_label(&layout.cells[i])).collect();
            let values: Vec<String> = defs
                .map(|&i| match report.cells[i].value {
                    Some(v) => format_value(v, layout.cells[i].kind()),
                    None if report.cells[i].text.is_empty() => "空".to_string(),
                    None => report.cells[i].text.clone(),
                })
                .collect();
            Finding {
                severity: c.severity.label(),
                id: c.id,
                message: c.message.clone(),
                cells: cells.join("；"),
                values: values.join("；"),
                suggestion: suggestion_for(report, c, suggestions),
            }
        })
        .collect()
}

/// The best suggestion that repairs `check` and touches one of its cells, in words.
fn suggestion_for(report: &Report, check: &CheckResult, suggestions: &[Suggestion]) -> String {
    let layout = report.layout();
    let Some(s) = suggestions
        .iter()
        .find(|s| s.repairs.contains(&check.id) && s.changes.iter().any(|ch| check.cells.contains(&ch.cell)))
    else {
        return String::new();
    };
    let changes: Vec<String> = s
        .changes
        .iter()
        .filter(|ch| ch.cell < layout.cells.len())
        .map(|ch| {
            let kind = layout.cells[ch.cell].kind();
            let cur = ch.current.map(|v| format_value(v, kind)).unwrap_or_else(|| "空".into());
            format!("{}：{} → {}", cell_label(&layout.cells[ch.cell]), cur, format_value(ch.proposed, kind))
        })
        .collect();
    let tag = if s.certain { "确定" } else { "待核" };
    format!("{}（{tag}）", changes.join("；"))
}

/// One report's findings with what identifies it in a batch's 问题清单.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportFindings {
    pub file: String,
    pub organ: Option<String>,
    pub year: Option<i32>,
    pub findings: Vec<Finding>,
}

impl ReportFindings {
    pub fn of(file: impl Into<String>, report: &Report, findings: Vec<Finding>) -> ReportFindings {
        ReportFindings { file: file.into(), organ: report.organ.clone(), year: report.year, findings }
    }

    /// The fields of each line of [`BATCH_HEADER`].
    pub fn lines(&self) -> impl Iterator<Item = [String; 9]> + '_ {
        self.findings.iter().map(|f| {
            [
                self.file.clone(),
                self.organ.clone().unwrap_or_default(),
                self.year.map(|y| y.to_string()).unwrap_or_default(),
                f.severity.to_string(),
                f.id.to_string(),
                f.message.clone(),
                f.cells.clone(),
                f.values.clone(),
                f.suggestion.clone(),
            ]
        })
    }
}

/// The 问题清单 of a batch as CSV: BOM, one header line ([`BATCH_HEADER`]), then one line per
/// failed check of each report.
pub fn batch_csv(reports: &[ReportFindings]) -> String {
    let mut out = String::from(super::csv::BOM);
    record(&mut out, BATCH_HEADER.iter().map(|s| s.to_string()));
    for r in reports {
        for line in r.lines() {
            record(&mut out, line);
        }
    }
    out
}

fn record(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        super::csv::push_field(out, &f);
    }
    out.push_str("\r\n");
}
