//! The report: every cell of its template with value, status, source text and span.

use crate::template::{CellDef, Kind, Table, Template};
use crate::value;
use serde::{Deserialize, Serialize};

/// How a cell's value came to be (SCHEMA.md `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Read cleanly (normalising full-width digits, 元 → 万元 and 增/减 counts as clean).
    Parsed,
    /// Read after an automatic repair ('l4' → 14, '1 2' → 12); `Cell::repair` says which.
    Repaired,
    /// Changed by a person.
    Edited,
    /// Text present but not a number.
    Unreadable,
    /// Nothing found.
    Missing,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Parsed => "parsed",
            Status::Repaired => "repaired",
            Status::Edited => "edited",
            Status::Unreadable => "unreadable",
            Status::Missing => "missing",
        }
    }
    pub fn from_key(s: &str) -> Option<Status> {
        [Status::Parsed, Status::Repaired, Status::Edited, Status::Unreadable, Status::Missing]
            .into_iter()
            .find(|x| x.key() == s)
    }
    /// Chinese name for the GUI.
    pub fn label(self) -> &'static str {
        match self {
            Status::Parsed => "已读取",
            Status::Repaired => "已自动修复",
            Status::Edited => "人工修改",
            Status::Unreadable => "无法识别",
            Status::Missing => "缺失",
        }
    }
}

/// What a cell was before a person first edited it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Original {
    pub value: Option<f64>,
    pub status: Status,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub value: Option<f64>,
    pub status: Status,
    /// What the source said (for an edited cell: what the person typed).
    pub text: String,
    /// Byte range of the source text in [`Report::text`]; `None` when missing.
    pub span: Option<(usize, usize)>,
    /// The automatic repair the parser made, in Chinese (status `Repaired`).
    pub repair: Option<String>,
    /// Before the first edit by a person. Boxed: rare, and without it a cell is over 128
    /// bytes, which the parser's moves of cells then copy by a call to `memcpy`.
    pub original: Option<Box<Original>>,
    /// A person's note (or the suggestion that was applied).
    pub note: Option<String>,
}

impl Cell {
    pub fn missing() -> Cell {
        Cell {
            value: None,
            status: Status::Missing,
            text: String::new(),
            span: None,
            repair: None,
            original: None,
            note: None,
        }
    }
}

/// A figure stated in the prose, e.g. 共收到政府信息公开申请25件.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Cells (indices in the layout) whose sum the figure states.
    pub cells: Vec<usize>,
    /// A second reading that also counts as agreeing (共收到 may include 上年结转).
    pub alt_cells: Vec<usize>,
    pub value: f64,
    /// The words it was read from.
    pub text: String,
    pub span: (usize, usize),
}

/// Where a table sits in the text: its heading line and its body (what TXT export replaces).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableSpan {
    pub table: Table,
    pub heading: (usize, usize),
    pub body: (usize, usize),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// File name it was read from (for CSV's `file` column and the window title).
    pub source_name: String,
    pub organ: Option<String>,
    pub year: Option<i32>,
    pub template: Template,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE` or `GB18030`.
    pub encoding: String,
    /// The text the clerk sees; every span points into it.
    pub text: String,
    /// One cell per cell of `template.layout()`, in layout order.
    pub cells: Vec<Cell>,
    pub tables: Vec<TableSpan>,
    pub figures: Vec<Figure>,
    /// What the file was: `text`, `ron`, `docx`, `html`, `pdf` or `pdf-ocr` (SCHEMA.md).
    #[serde(default = "text_format")]
    pub format: String,
    /// What the parser noticed about the report as a whole (another report in the file, a
    /// mixed template), turned into findings by the checks.
    #[serde(default)]
    pub notes: Vec<ParseNote>,
}

fn text_format() -> String {
    "text".into()
}

/// A finding of the parser about the whole report: a check id of SCHEMA.md, the cells it
/// names (indices) and its message in Chinese.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParseNote {
    pub id: String,
    pub cells: Vec<usize>,
    pub message: String,
    /// `template.mixed`: the single 2019 （六）其他处理 row's values, one per applicant column,
    /// which the column sums use in place of the three 2021 rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Option<f64>>,
}

impl Report {
    pub fn layout(&self) -> &'static crate::template::Layout {
        self.template.layout()
    }
    pub fn def(&self, i: usize) -> &'static CellDef {
        &self.layout().cells[i]
    }
    pub fn index(&self, table: Table, row: &str, col: &str) -> Option<usize> {
        self.layout().index(table, row, col)
    }
    pub fn value(&self, table: Table, row: &str, col: &str) -> Option<f64> {
        self.cells[self.index(table, row, col)?].value
    }
    /// The cell a person would get by typing `text` into cell `i`: a number gives its value;
    /// anything else keeps the text and leaves the value empty, so the cell is flagged.
    pub fn edited_cell(&self, i: usize, text: &str, note: Option<String>) -> Cell {
        let old = &self.cells[i];
        let original = old
            .original
            .clone()
            .or_else(|| Some(Box::new(Original { value: old.value, status: old.status, text: old.text.clone() })));
        let value = value::parse_typed(text, self.def(i).kind());
        Cell {
            value,
            status: Status::Edited,
            text: text.trim().to_string(),
            span: old.span,
            repair: old.repair.clone(),
            original,
            note,
        }
    }

    /// Replace cell `i`, returning what it was (the inverse of the edit, for undo).
    pub fn replace_cell(&mut self, i: usize, cell: Cell) -> Cell {
        std::mem::replace(&mut self.cells[i], cell)
    }

    /// The cell whose source span contains byte `pos` of the text.
    pub fn cell_at(&self, pos: usize) -> Option<usize> {
        self.cells.iter().position(|c| matches!(c.span, Some((a, b)) if a <= pos && pos < b))
    }
}

/// Format a value for display and export: integers without decimals, money up to 6 decimals.
pub fn format_value(v: f64, kind: Kind) -> String {
    match kind {
        Kind::Money => {
            let s = format!("{:.6}", v);
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" { "0".into() } else { s.to_string() }
        }
        _ => format!("{}", v.round() as i64),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// One instance of a check rule (per row or per column), passed or failed.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckResult {
    /// Stable id of SCHEMA.md, e.g. `applications.row_sum`.
    pub id: &'static str,
    pub severity: Severity,
    pub passed: bool,
    /// e.g. `[("row", "granted")]` or `[("col", "total")]`.
    pub scope: Vec<(&'static str, String)>,
    /// Indices of every cell of the equation.
    pub cells: Vec<usize>,
    pub lhs: Option<f64>,
    pub rhs: Option<f64>,
    /// In Chinese.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_moved_by_a_few_vector_stores() {
        // The parser moves cells into place by the thousand; over 128 bytes, each move is a
        // call to `memcpy` (the reason `original` is boxed).
        assert!(std::mem::size_of::<Cell>() <= 128, "{}", std::mem::size_of::<Cell>());
    }
}
