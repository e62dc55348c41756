//! The text shape shared by the Word and web-page readers, and the error they return.
//!
//! Invariants of the text both readers produce (the contract the table parser relies on):
//! - One prose paragraph per line; no line is empty; no line starts or ends with a space, a
//!   full-width space, a no-break space or a zero-width character.
//! - A table is one line per row, cells separated by `'\t'`, in GRID order: every row of one
//!   table has exactly as many fields as the table's grid has columns (so a row line has
//!   width−1 tabs, trailing empty fields included), and a value always sits at its column.
//! - A cell merged across k grid columns (Word `gridSpan`, HTML `colspan`) is written once,
//!   followed by k−1 empty fields. A cell covered by a vertical merge from above (Word
//!   `vMerge` continuation, HTML `rowspan`) is an empty field: the text appears only in the
//!   merge's first row. An empty cell is an empty field.
//! - A cell's text never holds `'\t'`, `'\n'` or `'\r'`: its paragraphs and line breaks are
//!   joined with nothing (Chinese), except that a single space is kept between two ASCII
//!   letters/digits so that two numbers in one cell (`6` and `7`) never fuse into `67`.
//! - Grid width and spans are capped ([`MAX_COLS`], [`MAX_SPAN`]) so that no input can make
//!   the output explode.

use std::fmt;

/// At most this many grid columns in one table; cells past it are dropped.
pub const MAX_COLS: usize = 256;
/// A colspan/gridSpan/rowspan larger than this is read as this.
pub const MAX_SPAN: usize = 1000;

/// Why a file gives no text. Every reason is one line of Chinese, fit to show a clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtractError {
    /// Not a Word 2007+ document (or not a web page): the reason says what it looks like.
    /// For an old binary Word/WPS file (OLE2) the reason starts with [`OLE2_REASON`].
    NotDocx(String),
    /// Looks like the right kind of file but cannot be read: truncated, corrupt, too big.
    Damaged(String),
    /// Read fine, but there is no text in it (e.g. a scan pasted in as pictures).
    NoText,
}

/// The start of the [`ExtractError::NotDocx`] reason for an OLE2 file (old `.doc`, `.wps`,
/// `.xls`…, or an encrypted Office file): the caller can tell the clerk to 另存为 .docx.
pub const OLE2_REASON: &str = "这是旧版 Word（.doc）或 WPS（.wps）格式的文件";

impl ExtractError {
    /// Whether the file is an old binary Word/WPS file that must be saved again as .docx.
    pub fn is_legacy_word(&self) -> bool {
        matches!(self, ExtractError::NotDocx(r) if r.starts_with(OLE2_REASON))
    }
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractError::NotDocx(r) | ExtractError::Damaged(r) => f.write_str(r),
            ExtractError::NoText => f.write_str("文件中没有文字（可能是扫描件或图片）"),
        }
    }
}

impl std::error::Error for ExtractError {}

/// Characters trimmed from the ends of lines and cells: all Unicode white space (including
/// the full-width space U+3000 and NBSP U+00A0) and the zero-width characters.
pub fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// A prose line: ends trimmed of [`is_blank`] characters, nothing else changed.
pub(crate) fn clean_line(s: &str) -> &str {
    s.trim_matches(is_blank)
}

/// Builds one cell's text: line breaks, tabs and paragraph ends become soft separators that
/// join with nothing, or with one space between two ASCII letters/digits.
#[derive(Debug, Default)]
pub struct CellText {
    s: String,
    sep: bool,
}

impl CellText {
    pub fn new() -> CellText {
        CellText::default()
    }

    /// Append text; `'\t'`, `'\n'`, `'\r'` in it are separators.
    pub fn push_str(&mut self, t: &str) {
        for c in t.chars() {
            self.push(c);
        }
    }

    pub fn push(&mut self, c: char) {
        if matches!(c, '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}') {
            self.sep = true;
            return;
        }
        if self.sep {
            self.sep = false;
            let last = self.s.trim_end_matches(is_blank).chars().next_back();
            if last.is_some_and(|l| l.is_ascii_alphanumeric()) && c.is_ascii_alphanumeric() {
                self.s.push(' ');
            }
        }
        self.s.push(c);
    }

    /// A paragraph end or line break.
    pub(crate) fn separate(&mut self) {
        self.sep = true;
    }

    /// The cell's text, ends trimmed.
    pub fn finish(self) -> String {
        let t = clean_line(&self.s);
        if t.len() == self.s.len() { self.s } else { t.to_string() }
    }
}

/// One cell as the source gives it, before it is put on the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrcCell {
    /// Already cleaned (no tab or newline, ends trimmed).
    pub text: String,
    /// Grid columns it spans (≥ 1).
    pub colspan: usize,
    /// Rows it spans (≥ 1); the rows below see empty fields under it.
    pub rowspan: usize,
    /// A continuation of a vertical merge from above (Word `vMerge`): an empty field whatever
    /// its text.
    pub covered: bool,
}

impl SrcCell {
    pub fn new(text: String, colspan: usize, rowspan: usize) -> SrcCell {
        SrcCell { text, colspan, rowspan, covered: false }
    }

    pub fn empty(colspan: usize) -> SrcCell {
        SrcCell { text: String::new(), colspan, rowspan: 1, covered: false }
    }
}

/// Lay rows of cells on their grid (the HTML table algorithm: each cell takes the first
/// column not covered by a rowspan from above) and write one line per row, tab-separated,
/// every row `max(min_width, widest row)` fields wide (at most [`MAX_COLS`]).
pub(crate) fn grid_lines(rows: &[Vec<SrcCell>], min_width: usize) -> Vec<String> {
    let n = rows.len();
    // covered_until[c]: rows up to (excluding) this index are covered in column c.
    let mut covered_until: Vec<usize> = Vec::new();
    let mut grid: Vec<Vec<Option<&str>>> = Vec::with_capacity(n);
    let mut width = min_width.min(MAX_COLS);
    for (r, row) in rows.iter().enumerate() {
        let mut fields: Vec<Option<&str>> = Vec::new();
        let mut col = 0usize;
        for cell in row {
            while col < covered_until.len() && covered_until[col] > r {
                col += 1;
            }
            if col >= MAX_COLS {
                break;
            }
            let span = cell.colspan.clamp(1, MAX_SPAN).min(MAX_COLS - col);
            let rowspan = cell.rowspan.clamp(1, MAX_SPAN).min(n - r);
            if fields.len() < col + span {
                fields.resize(col + span, None);
            }
            fields[col] = Some(if cell.covered { "" } else { cell.text.as_str() });
            if covered_until.len() < col + span {
                covered_until.resize(col + span, 0);
            }
            for cu in &mut covered_until[col..col + span] {
                *cu = (*cu).max(r + rowspan);
            }
            col += span;
        }
        width = width.max(fields.len());
        grid.push(fields);
    }
    // Columns covered from above at the end of a row also count towards the width.
    width = width.max(covered_until.len()).min(MAX_COLS);
    grid.into_iter()
        .map(|fields| {
            let mut line = String::new();
            for c in 0..width {
                if c > 0 {
                    line.push('\t');
                }
                if let Some(Some(t)) = fields.get(c) {
                    line.push_str(t);
                }
            }
            line
        })
        .collect()
}

/// Appends lines, dropping empty ones; the one place where the final text is assembled.
#[derive(Debug, Default)]
pub struct Lines {
    pub lines: Vec<String>,
}

impl Lines {
    /// A prose line (may hold several lines separated by `'\n'`): each is trimmed; empty
    /// lines are dropped.
    pub fn prose(&mut self, s: &str) {
        for l in s.split(['\n', '\r']) {
            let l = clean_line(l);
            if !l.is_empty() {
                self.lines.push(l.to_string());
            }
        }
    }

    /// A table row already laid out by [`grid_lines`]: kept as it is, unless it is a
    /// one-column row with nothing in it.
    pub fn row(&mut self, s: String) {
        if !s.is_empty() {
            self.lines.push(s);
        }
    }

    pub fn finish(self) -> String {
        let mut out = String::new();
        for l in self.lines {
            out.push_str(&l);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(t: &str, cs: usize, rs: usize) -> SrcCell {
        SrcCell::new(t.into(), cs, rs)
    }

    #[test]
    fn grid_expands_colspan_and_rowspan() {
        // The head of table 三: a 3×3 note, 申请人情况 over 7, 自然人/总计 over two rows.
        let rows = vec![
            vec![c("注", 3, 3), c("申请人情况", 7, 1)],
            vec![c("自然人", 1, 2), c("法人或其他组织", 5, 1), c("总计", 1, 2)],
            vec![
                c("商业企业", 1, 1),
                c("科研机构", 1, 1),
                c("社会公益组织", 1, 1),
                c("法律服务机构", 1, 1),
                c("其他", 1, 1),
            ],
            vec![
                c("一、本年新收", 3, 1),
                c("7", 1, 1),
                c("", 1, 1),
                c("", 1, 1),
                c("", 1, 1),
                c("", 1, 1),
                c("", 1, 1),
                c("7", 1, 1),
            ],
        ];
        let lines = grid_lines(&rows, 0);
        assert_eq!(lines[0], "注\t\t\t申请人情况\t\t\t\t\t\t");
        assert_eq!(lines[1], "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计");
        assert_eq!(lines[2], "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t");
        assert_eq!(lines[3], "一、本年新收\t\t\t7\t\t\t\t\t\t7");
        assert!(lines.iter().all(|l| l.matches('\t').count() == 9));
    }

    #[test]
    fn covered_cells_and_min_width() {
        let mut cont = c("ignored", 1, 1);
        cont.covered = true;
        let rows = vec![vec![c("a", 1, 1), c("b", 1, 1)], vec![cont, c("x", 1, 1)]];
        assert_eq!(grid_lines(&rows, 4), vec!["a\tb\t\t", "\tx\t\t"]);
    }

    #[test]
    fn huge_spans_are_capped() {
        let rows = vec![vec![c("a", usize::MAX, usize::MAX)], vec![c("b", 1, 1)]];
        let lines = grid_lines(&rows, 0);
        assert_eq!(lines[0].matches('\t').count(), MAX_COLS - 1);
        assert_eq!(lines[1].matches('\t').count(), MAX_COLS - 1);
        assert!(!lines[1].contains('b'), "b has no free column left in its row");
    }

    #[test]
    fn cell_text_joins() {
        let mut t = CellText::new();
        t.push_str("\u{3000}本年新");
        t.separate();
        t.push_str("制作数量 ");
        assert_eq!(t.finish(), "本年新制作数量");
        let mut t = CellText::new();
        t.push_str("6");
        t.separate();
        t.push_str("7\t8");
        assert_eq!(t.finish(), "6 7 8");
        assert_eq!(clean_line("\u{a0}\u{3000} 规章 \u{200b}"), "规章");
    }
}
