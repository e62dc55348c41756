//! One row per file of a batch, the batch's summary, and the summary CSV.

use super::Outcome;
use crate::checks;
use crate::model::{CheckResult, Report, Severity};
use std::path::{Path, PathBuf};

/// One file of a batch: what the summary CSV and the per-failure lines show.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub file: PathBuf,
    pub organ: Option<String>,
    pub year: Option<i32>,
    /// 2019 or 2021; `None` when the file could not be read.
    pub template: Option<i32>,
    pub encoding: Option<String>,
    /// Failed error-severity and warning-severity check instances.
    pub errors: usize,
    pub warnings: usize,
    /// Ids of the failed checks, each once, errors first, in check order.
    pub failed_ids: Vec<String>,
    /// Why the file could not be read (or its output not written), in Chinese.
    pub error: Option<String>,
    /// Whether the report fails (errors; with `strict` also warnings).
    pub fails: bool,
}

impl Row {
    /// A row for a file that could not be read.
    pub fn unreadable(file: &Path, reason: impl Into<String>) -> Row {
        Row {
            file: file.to_path_buf(),
            organ: None,
            year: None,
            template: None,
            encoding: None,
            errors: 0,
            warnings: 0,
            failed_ids: Vec::new(),
            error: Some(reason.into()),
            fails: false,
        }
    }

    /// The row of a read and checked report.
    pub fn of(file: &Path, report: &Report, results: &[CheckResult], strict: bool) -> Row {
        let (errors, warnings) = checks::count(results);
        let mut failed_ids: Vec<String> = Vec::new();
        for sev in [Severity::Error, Severity::Warning] {
            for r in checks::failed(results).filter(|r| r.severity == sev) {
                if !failed_ids.iter().any(|id| id == r.id) {
                    failed_ids.push(r.id.to_string());
                }
            }
        }
        Row {
            file: file.to_path_buf(),
            organ: report.organ.clone(),
            year: report.year,
            template: Some(report.template.number()),
            encoding: Some(report.encoding.clone()),
            errors,
            warnings,
            failed_ids,
            error: None,
            fails: checks::fails(results, strict),
        }
    }

    pub fn outcome(&self) -> Outcome {
        if self.error.is_some() {
            Outcome::Unreadable
        } else if self.fails {
            Outcome::Failed
        } else {
            Outcome::Passed
        }
    }

    pub fn exit_code(&self) -> u8 {
        self.outcome().code()
    }

    /// The one line printed for a file that fails or cannot be read (`None` when it passes):
    /// `a/b.txt  某某区人民政府  2020年  错误 2 警告 1  applications.row_sum;…` or
    /// `a/b.txt  无法读取：文件是空的`.
    pub fn line(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(format!("{}  无法读取：{e}", self.file.display()));
        }
        if !self.fails {
            return None;
        }
        let organ = self.organ.as_deref().unwrap_or("（机关未识别）");
        let year = self.year.map(|y| format!("{y}年")).unwrap_or_else(|| "（年份未识别）".into());
        Some(format!(
            "{}  {organ}  {year}  错误 {} 警告 {}  {}",
            self.file.display(),
            self.errors,
            self.warnings,
            self.failed_ids.join(";")
        ))
    }
}

/// A batch's rows (in input order) and counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub rows: Vec<Row>,
    pub passed: usize,
    pub failed: usize,
    pub unreadable: usize,
}

impl Summary {
    pub(crate) fn from_rows(rows: Vec<Row>) -> Summary {
        let n = |o| rows.iter().filter(|r| r.outcome() == o).count();
        Summary { passed: n(Outcome::Passed), failed: n(Outcome::Failed), unreadable: n(Outcome::Unreadable), rows }
    }

    /// SCHEMA.md over a batch: 2 if any file could not be read, else 1 if any report fails, else 0.
    pub fn exit_code(&self) -> u8 {
        Outcome::worst(self.rows.iter().map(Row::outcome)).code()
    }

    /// `共 12 个文件：通过 9，未通过 2，无法读取 1`.
    pub fn line(&self) -> String {
        format!(
            "共 {} 个文件：通过 {}，未通过 {}，无法读取 {}",
            self.rows.len(),
            self.passed,
            self.failed,
            self.unreadable
        )
    }
}

pub const SUMMARY_HEADER: [&str; 9] =
    ["file", "organ", "year", "template", "encoding", "errors", "warnings", "failed_checks", "error"];

/// The summary CSV: UTF-8 with BOM, CRLF, RFC 4180 quoting, one line per file; failed check
/// ids joined by `;`.
pub fn summary_csv(rows: &[Row]) -> String {
    let mut out = String::from("\u{feff}");
    record(&mut out, SUMMARY_HEADER.iter().map(|s| s.to_string()));
    for r in rows {
        let opt = |x: Option<String>| x.unwrap_or_default();
        let read = r.error.is_none();
        record(
            &mut out,
            [
                r.file.display().to_string(),
                opt(r.organ.clone()),
                opt(r.year.map(|y| y.to_string())),
                opt(r.template.map(|t| t.to_string())),
                opt(r.encoding.clone()),
                if read { r.errors.to_string() } else { String::new() },
                if read { r.warnings.to_string() } else { String::new() },
                r.failed_ids.join(";"),
                opt(r.error.clone()),
            ],
        );
    }
    out
}

fn record(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        crate::export::csv::push_field(out, &f);
    }
    out.push_str("\r\n");
}
