//! Excel export (SCHEMA.md "Exports", `--format xlsx`).
//!
//! A single report's workbook ([`report_workbook`]): the first sheet holds tables 二, 三 and 四
//! in the official layout (title rows, merged header cells and row labels as the template
//! prints them, numbers as numbers); a cell that fails a check is filled red and carries the
//! failed checks' messages as a note, a repaired cell is yellow, an edited one blue. The sheet
//! 问题清单 has one header row and one row per failed check, warnings included.
//!
//! Several reports ([`batch_workbook`]): one workbook with a sheet 汇总 (one row per report),
//! one sheet per report in the same layout (names unique, at most 31 characters, none of
//! `[]:*?/\`), and a sheet 问题清单 over all of them.
//!
//! [`grid`] is where every label and cell goes; it is pure, so tests can read a workbook back
//! and know what should stand where.

use super::findings::{self, Finding};
use crate::model::{CheckResult, Report, Status};
use crate::template::{APPLICANT_COLS, Kind, REVIEW_COLS, RowDef, Table, Template};
use rust_xlsxwriter::{Color, Format as XFormat, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError};

/// Fill of a cell that fails a check (light red).
pub const FILL_FAILED: u32 = 0xFFC7CE;
/// Fill of a cell the parser repaired (light yellow).
pub const FILL_REPAIRED: u32 = 0xFFEB9C;
/// Fill of a cell a person edited (light blue).
pub const FILL_EDITED: u32 = 0xBDD7EE;

/// The first sheet of a single report's workbook.
pub const REPORT_SHEET: &str = "报告";
pub const FINDINGS_SHEET: &str = "问题清单";
pub const SUMMARY_SHEET: &str = "汇总";
/// The columns of the 汇总 sheet.
pub const SUMMARY_HEADER: [&str; 6] = ["文件", "机关", "年度", "错误", "警告", "状态"];

/// The heading of table 三's label columns, as the template prints it.
const BALANCE_NOTE: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
const OUTCOMES: &str = "三、本年度办理结果";

/// What a label is, for its format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelKind {
    Title,
    Heading,
    Header,
    RowLabel,
}

/// A label on the sheet: the range it covers (one cell when `first == last`) and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub first: (u32, u16),
    pub last: (u32, u16),
    pub text: String,
    pub kind: LabelKind,
}

/// Where everything of one report goes on its sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub labels: Vec<Label>,
    /// Per cell of the layout (in layout order), its (row, col), 0-based.
    pub cells: Vec<(u32, u16)>,
}

impl Grid {
    fn label(&mut self, first: (u32, u16), last: (u32, u16), text: impl Into<String>, kind: LabelKind) {
        self.labels.push(Label { first, last, text: text.into(), kind });
    }
    /// The merged ranges (labels over more than one cell).
    pub fn merges(&self) -> impl Iterator<Item = &Label> {
        self.labels.iter().filter(|l| l.first != l.last)
    }
}

/// The title of a report's sheet: `某某区人民政府2020年政府信息公开工作年度报告（表格）`.
pub fn title(report: &Report) -> String {
    let organ = report.organ.as_deref().unwrap_or("");
    let year = report.year.map(|y| format!("{y}年")).unwrap_or_default();
    format!("{organ}{year}政府信息公开工作年度报告（表格部分，模板{}）", report.template.number())
}

/// The official layout of tables 二, 三 and 四 of `template`, one under the other.
pub fn grid(template: Template, title: &str) -> Grid {
    let layout = template.layout();
    let mut g = Grid { labels: Vec::new(), cells: vec![(0, 0); layout.cells.len()] };
    let review_width = 3 * REVIEW_COLS.len() as u16;
    g.label((0, 0), (0, review_width - 1), title, LabelKind::Title);
    let mut r: u32 = 2;

    // 二: one block per group of rows sharing the article (第二十条第（一）项) and the columns.
    let rows = layout.rows(Table::Active);
    let width = 1 + rows.iter().map(|(d, _)| d.cols.len() as u16).max().unwrap_or(1);
    g.label((r, 0), (r, width - 1), Table::Active.title(), LabelKind::Heading);
    r += 1;
    let mut k = 0;
    while k < rows.len() {
        let (first, _) = &rows[k];
        let same = |d: &RowDef| d.group == first.group && std::ptr::eq(d.cols, first.cols);
        let n = rows[k..].iter().take_while(|(d, _)| same(d)).count();
        let w = first.cols.len() as u16;
        g.label((r, 0), (r, w), first.group.trim(), LabelKind::Header);
        r += 1;
        g.label((r, 0), (r, 0), "信息内容", LabelKind::Header);
        for (j, col) in first.cols.iter().enumerate() {
            g.label((r, 1 + j as u16), (r, 1 + j as u16), col.label, LabelKind::Header);
        }
        r += 1;
        for (def, range) in &rows[k..k + n] {
            g.label((r, 0), (r, 0), def.label, LabelKind::RowLabel);
            for (j, i) in range.clone().enumerate() {
                g.cells[i] = (r, 1 + j as u16);
            }
            r += 1;
        }
        k += n;
    }
    r += 1;

    // 三: three label columns, then the seven applicant columns.
    let ncols = APPLICANT_COLS.len() as u16;
    g.label((r, 0), (r, 2 + ncols), Table::Applications.title(), LabelKind::Heading);
    r += 1;
    g.label((r, 0), (r + 2, 2), BALANCE_NOTE, LabelKind::Header);
    g.label((r, 3), (r, 2 + ncols), "申请人情况", LabelKind::Header);
    g.label((r + 1, 3), (r + 2, 3), APPLICANT_COLS[0].label, LabelKind::Header);
    g.label((r + 1, 4), (r + 1, 2 + ncols - 1), "法人或其他组织", LabelKind::Header);
    for (j, col) in APPLICANT_COLS.iter().enumerate().take(APPLICANT_COLS.len() - 1).skip(1) {
        g.label((r + 2, 3 + j as u16), (r + 2, 3 + j as u16), col.label, LabelKind::Header);
    }
    g.label((r + 1, 2 + ncols), (r + 2, 2 + ncols), APPLICANT_COLS[APPLICANT_COLS.len() - 1].label, LabelKind::Header);
    r += 3;
    let rows = layout.rows(Table::Applications);
    let top = r;
    for (k, (def, range)) in rows.iter().enumerate() {
        let row = top + k as u32;
        for (j, i) in range.clone().enumerate() {
            g.cells[i] = (row, 3 + j as u16);
        }
        if !def.group.starts_with(OUTCOMES) {
            g.label((row, 0), (row, 2), def.label, LabelKind::RowLabel);
        } else if def.group.trim() == OUTCOMES {
            g.label((row, 1), (row, 2), def.label, LabelKind::RowLabel);
        } else {
            g.label((row, 2), (row, 2), def.label, LabelKind::RowLabel);
        }
    }
    // Column 0: 三、本年度办理结果 over its rows; column 1: each sub-group over its rows.
    let runs = |key: &dyn Fn(&RowDef) -> Option<String>| -> Vec<(usize, usize, String)> {
        let mut out: Vec<(usize, usize, String)> = Vec::new();
        for (k, (def, _)) in rows.iter().enumerate() {
            match (key(def), out.last_mut()) {
                (Some(s), Some(last)) if last.1 + 1 == k && last.2 == s => last.1 = k,
                (Some(s), _) => out.push((k, k, s)),
                (None, _) => {}
            }
        }
        out
    };
    for (a, b, s) in runs(&|d: &RowDef| d.group.starts_with(OUTCOMES).then(|| OUTCOMES.to_string())) {
        g.label((top + a as u32, 0), (top + b as u32, 0), s, LabelKind::RowLabel);
    }
    let sub = |d: &RowDef| {
        let rest = d.group.strip_prefix(OUTCOMES)?.trim();
        (!rest.is_empty()).then(|| rest.to_string())
    };
    for (a, b, s) in runs(&sub) {
        g.label((top + a as u32, 1), (top + b as u32, 1), s, LabelKind::RowLabel);
    }
    r = top + rows.len() as u32 + 1;

    // 四: 行政复议 (five columns), 行政诉讼 (未经复议直接起诉, 复议后起诉: five each), one row of numbers.
    let n = REVIEW_COLS.len() as u16;
    g.label((r, 0), (r, review_width - 1), Table::Review.title(), LabelKind::Heading);
    r += 1;
    let rows = layout.rows(Table::Review);
    g.label((r, 0), (r, n - 1), rows[0].0.label, LabelKind::Header);
    g.label((r, n), (r, review_width - 1), "行政诉讼", LabelKind::Header);
    for (j, col) in REVIEW_COLS.iter().enumerate() {
        g.label((r + 1, j as u16), (r + 2, j as u16), col.label, LabelKind::Header);
    }
    for (k, (def, _)) in rows.iter().enumerate().skip(1) {
        let c0 = k as u16 * n;
        g.label((r + 1, c0), (r + 1, c0 + n - 1), def.label, LabelKind::Header);
        for (j, col) in REVIEW_COLS.iter().enumerate() {
            g.label((r + 2, c0 + j as u16), (r + 2, c0 + j as u16), col.label, LabelKind::Header);
        }
    }
    for (k, (_, range)) in rows.iter().enumerate() {
        for (j, i) in range.clone().enumerate() {
            g.cells[i] = (r + 3, k as u16 * n + j as u16);
        }
    }
    g
}

/// The fill a cell gets: failed (red) before edited (blue) before repaired (yellow).
pub fn fill_of(report: &Report, checks: &[CheckResult], i: usize) -> Option<u32> {
    if crate::checks::failed_for_cell(checks, i).next().is_some() {
        Some(FILL_FAILED)
    } else if report.cells[i].status == Status::Edited {
        Some(FILL_EDITED)
    } else if report.cells[i].status == Status::Repaired {
        Some(FILL_REPAIRED)
    } else {
        None
    }
}

fn base() -> XFormat {
    XFormat::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter)
}

fn label_format(kind: LabelKind) -> XFormat {
    match kind {
        LabelKind::Title => XFormat::new().set_bold().set_font_size(14).set_align(FormatAlign::Center),
        LabelKind::Heading => XFormat::new().set_bold().set_font_size(12),
        LabelKind::Header => base().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
        LabelKind::RowLabel => base().set_text_wrap(),
    }
}

/// Write one report's tables on `ws` in the official layout.
fn write_report(ws: &mut Worksheet, report: &Report, checks: &[CheckResult]) -> Result<(), XlsxError> {
    let g = grid(report.template, &title(report));
    for l in &g.labels {
        let f = label_format(l.kind);
        if l.first == l.last {
            ws.write_string_with_format(l.first.0, l.first.1, &l.text, &f)?;
        } else {
            ws.merge_range(l.first.0, l.first.1, l.last.0, l.last.1, &l.text, &f)?;
        }
    }
    let layout = report.layout();
    for (i, (&(r, c), cell)) in g.cells.iter().zip(&report.cells).enumerate() {
        let kind = layout.cells[i].kind();
        let mut f = base().set_align(FormatAlign::Right);
        f = f.set_num_format(if kind == Kind::Money { "0.######" } else { "0" });
        if let Some(rgb) = fill_of(report, checks, i) {
            f = f.set_background_color(Color::RGB(rgb));
        }
        match cell.value {
            Some(v) => ws.write_number_with_format(r, c, v, &f)?,
            None => ws.write_string_with_format(r, c, &cell.text, &f)?,
        };
        let mut note: Vec<String> = crate::checks::failed_for_cell(checks, i)
            .map(|c| format!("[{}] {}", c.severity.label(), c.message))
            .collect();
        if let Some(rep) = &cell.repair {
            note.push(format!("自动修复：{rep}"));
        }
        if cell.status == Status::Edited {
            let before = cell.original.as_ref().map(|o| o.text.as_str()).unwrap_or("");
            note.push(format!("人工修改（原文“{before}”）"));
        }
        if let Some(n) = &cell.note {
            note.push(n.clone());
        }
        if !note.is_empty() {
            ws.insert_note(r, c, &Note::new(note.join("\n")).set_author("nianbao"))?;
        }
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 18)?;
    ws.set_column_width(2, 34)?;
    for c in 3..15 {
        ws.set_column_width(c, 11)?;
    }
    Ok(())
}

fn header_row(ws: &mut Worksheet, header: &[&str]) -> Result<(), XlsxError> {
    let f = XFormat::new().set_bold().set_border(FormatBorder::Thin);
    for (j, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, *h, &f)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_findings(ws: &mut Worksheet, rows: &[Finding]) -> Result<(), XlsxError> {
    header_row(ws, &findings::HEADER)?;
    for (k, f) in rows.iter().enumerate() {
        let r = 1 + k as u32;
        for (j, s) in [f.severity, f.id, &f.message, &f.cells, &f.values].into_iter().enumerate() {
            ws.write_string(r, j as u16, s)?;
        }
    }
    for (c, w) in [(0, 10), (1, 26), (2, 60), (3, 50), (4, 16)] {
        ws.set_column_width(c, w)?;
    }
    Ok(())
}

fn failed(e: XlsxError) -> String {
    format!("无法生成 Excel 文件：{e}")
}

/// A single report's workbook: the report sheet and 问题清单.
pub fn report_workbook(report: &Report, checks: &[CheckResult]) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let mut ws = Worksheet::new();
        ws.set_name(REPORT_SHEET)?;
        write_report(&mut ws, report, checks)?;
        wb.push_worksheet(ws);
        let mut ws = Worksheet::new();
        ws.set_name(FINDINGS_SHEET)?;
        write_findings(&mut ws, &findings::findings(report, checks, &[]))?;
        wb.push_worksheet(ws);
        wb.save_to_buffer()
    };
    build().map_err(failed)
}

/// One input of a batch workbook.
pub struct Entry<'a> {
    /// The file's name as shown (汇总's 文件 column; the sheet is named after its stem).
    pub file: String,
    /// The report and its checks, or why it could not be read.
    pub read: Result<(&'a Report, &'a [CheckResult]), String>,
    /// Whether the report fails (errors; with `--strict` warnings too).
    pub fails: bool,
}

/// Sheet names for `files`: each file's stem without `[]:*?/\` and leading or trailing `'`, at
/// most 31 characters, unique (case-insensitively, and apart from 汇总 and 问题清单).
pub fn sheet_names(files: &[&str]) -> Vec<String> {
    let mut taken: Vec<String> = vec![SUMMARY_SHEET.to_lowercase(), FINDINGS_SHEET.to_lowercase(), "history".into()];
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let name = f.rsplit(['/', '\\']).next().unwrap_or(f);
        let stem = match name.rsplit_once('.') {
            Some((s, _)) if !s.is_empty() => s,
            _ => name,
        };
        let clean: String =
            stem.chars().map(|c| if "[]:*?/\\".contains(c) || c.is_control() { '_' } else { c }).collect();
        let clean = clean.trim_matches('\'').trim().to_string();
        let clean = if clean.is_empty() { "报告".to_string() } else { clean };
        let mut n = 1;
        let name = loop {
            let suffix = if n == 1 { String::new() } else { format!("~{n}") };
            let keep = 31 - suffix.chars().count();
            let base: String = clean.chars().take(keep).collect();
            let base = base.trim_end_matches('\'');
            let candidate = format!("{base}{suffix}");
            if !taken.contains(&candidate.to_lowercase()) {
                break candidate;
            }
            n += 1;
        };
        taken.push(name.to_lowercase());
        out.push(name);
    }
    out
}

/// One workbook for several reports: 汇总, a sheet per readable report, and 问题清单 over all.
pub fn batch_workbook(entries: &[Entry]) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let files: Vec<&str> = entries.iter().map(|e| e.file.as_str()).collect();
        let names = sheet_names(&files);
        let mut ws = Worksheet::new();
        ws.set_name(SUMMARY_SHEET)?;
        header_row(&mut ws, &SUMMARY_HEADER)?;
        for (k, e) in entries.iter().enumerate() {
            let r = 1 + k as u32;
            ws.write_string(r, 0, &e.file)?;
            match &e.read {
                Ok((report, checks)) => {
                    let (errors, warnings) = crate::checks::count(checks);
                    ws.write_string(r, 1, report.organ.as_deref().unwrap_or(""))?;
                    if let Some(y) = report.year {
                        ws.write_number(r, 2, y as f64)?;
                    }
                    ws.write_number(r, 3, errors as f64)?;
                    ws.write_number(r, 4, warnings as f64)?;
                    ws.write_string(r, 5, if e.fails { "未通过" } else { "通过" })?;
                }
                Err(reason) => {
                    ws.write_string(r, 5, format!("无法读取：{reason}"))?;
                }
            }
        }
        for (c, w) in [(0, 40), (1, 30), (2, 8), (3, 8), (4, 8), (5, 30)] {
            ws.set_column_width(c, w)?;
        }
        wb.push_worksheet(ws);
        let mut all = Worksheet::new();
        all.set_name(FINDINGS_SHEET)?;
        header_row(&mut all, &findings::BATCH_HEADER)?;
        let mut next = 1;
        for (e, name) in entries.iter().zip(&names) {
            let Ok((report, checks)) = &e.read else { continue };
            let mut ws = Worksheet::new();
            ws.set_name(name)?;
            write_report(&mut ws, report, checks)?;
            wb.push_worksheet(ws);
            let suggestions = crate::suggest::suggest(report, checks);
            let rf =
                findings::ReportFindings::of(e.file.clone(), report, findings::findings(report, checks, &suggestions));
            for line in rf.lines() {
                for (j, s) in line.iter().enumerate() {
                    all.write_string(next, j as u16, s)?;
                }
                next += 1;
            }
        }
        for (c, w) in [(0, 30), (1, 24), (2, 8), (3, 10), (4, 26), (5, 60), (6, 50), (7, 16), (8, 40)] {
            all.set_column_width(c, w)?;
        }
        wb.push_worksheet(all);
        wb.save_to_buffer()
    };
    build().map_err(failed)
}

/// A workbook of the 问题清单 of several reports (`nianbao check --findings OUT.xlsx`): one
/// sheet, header [`findings::BATCH_HEADER`], one row per failed check per report.
pub fn findings_workbook(reports: &[findings::ReportFindings]) -> Result<Vec<u8>, String> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let mut ws = Worksheet::new();
        ws.set_name(FINDINGS_SHEET)?;
        header_row(&mut ws, &findings::BATCH_HEADER)?;
        for (next, line) in (1..).zip(reports.iter().flat_map(|r| r.lines())) {
            for (j, s) in line.iter().enumerate() {
                ws.write_string(next, j as u16, s)?;
            }
        }
        for (c, w) in [(0, 30), (1, 24), (2, 8), (3, 10), (4, 26), (5, 60), (6, 50), (7, 16), (8, 40)] {
            ws.set_column_width(c, w)?;
        }
        wb.push_worksheet(ws);
        wb.save_to_buffer()
    };
    build().map_err(failed)
}

/// A workbook of one sheet `sheet`: a header row, then `rows` (numbers as numbers), e.g. the
/// summary of `nianbao compare DIR DIR --summary OUT.xlsx`.
pub fn table_workbook(
    sheet: &str,
    header: &[String],
    rows: &[Vec<crate::compare::pairs::Field>],
) -> Result<Vec<u8>, String> {
    use crate::compare::pairs::Field;
    let build = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let mut ws = Worksheet::new();
        ws.set_name(sheet)?;
        let h: Vec<&str> = header.iter().map(|s| s.as_str()).collect();
        header_row(&mut ws, &h)?;
        for (k, row) in rows.iter().enumerate() {
            let r = 1 + k as u32;
            for (j, f) in row.iter().enumerate() {
                match f {
                    Field::Text(s) => ws.write_string(r, j as u16, s)?,
                    Field::Number(v) => ws.write_number(r, j as u16, *v)?,
                    Field::Empty => continue,
                };
            }
        }
        for c in 0..header.len() as u16 {
            ws.set_column_width(
                c,
                if c < 4 {
                    28
                } else if c == 6 {
                    50
                } else {
                    12
                },
            )?;
        }
        wb.push_worksheet(ws);
        wb.save_to_buffer()
    };
    build().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let long = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五.txt";
        let names = sheet_names(&["a/x.txt", "b/x.txt", "X.ron", "c/[a]:b*?.txt", "d/汇总.txt", long, long, "'q'.txt"]);
        assert_eq!(names[0], "x");
        assert_eq!(names[1], "x~2");
        assert_eq!(names[2], "X~3");
        assert_eq!(names[3], "_a__b__");
        assert_eq!(names[4], "汇总~2");
        assert_eq!(names[5].chars().count(), 31);
        assert!(names[6].ends_with("~2") && names[6].chars().count() == 31);
        assert_eq!(names[7], "q");
    }

    #[test]
    fn the_grid_places_every_cell_once() {
        for t in [Template::T2019, Template::T2021] {
            let g = grid(t, "t");
            let mut seen = std::collections::HashSet::new();
            for &p in &g.cells {
                assert!(seen.insert(p), "{t:?}: {p:?} twice");
            }
            for l in &g.labels {
                for &p in &g.cells {
                    let inside = (l.first.0..=l.last.0).contains(&p.0) && (l.first.1..=l.last.1).contains(&p.1);
                    assert!(!inside, "{t:?}: label {:?} covers cell {p:?}", l.text);
                }
            }
        }
    }
}
