//! TXT export: the cleaned report. The original prose stays; each table's body (its heading
//! stays) is replaced by a clean table, one row per line: the official label, then the values,
//! tab-separated. A table that was not found is appended at the end under its official heading.

use crate::model::{Report, TableSpan, format_value};
use crate::template::{ColDef, Table};

/// The label column's heading in a clean table.
pub const LABEL_HEADING: &str = "项目";

/// The cleaned report (ends with a line end).
pub fn to_txt(report: &Report) -> String {
    let text = report.text.as_str();
    // One usable span per table, last first, so earlier byte ranges stay valid while replacing.
    let mut spans: Vec<&TableSpan> = Vec::new();
    for s in &report.tables {
        if !spans.iter().any(|t| t.table == s.table) {
            spans.push(s);
        }
    }
    spans.sort_by_key(|s| std::cmp::Reverse(s.body));
    let mut out = text.to_string();
    let mut placed: Vec<Table> = Vec::new();
    let mut limit = text.len();
    for s in spans {
        let (a, b) = s.body;
        if !(a <= b && b <= limit && text.is_char_boundary(a) && text.is_char_boundary(b)) {
            continue; // an unusable span: the table is appended instead
        }
        let mut clean = clean_table(report, s.table);
        if a > 0 && !text[..a].ends_with('\n') {
            clean.insert(0, '\n');
        }
        if text[b..].starts_with('\n') {
            clean.pop();
        }
        out.replace_range(a..b, &clean);
        placed.push(s.table);
        limit = a;
    }
    for table in Table::ALL.into_iter().filter(|t| !placed.contains(t)) {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(table.title());
        out.push('\n');
        out.push_str(&clean_table(report, table));
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// One table as clean lines (each ending with `\n`): a header line (label column, then the
/// column labels) before every run of rows with the same columns, then one line per row.
pub(crate) fn clean_table(report: &Report, table: Table) -> String {
    let layout = report.layout();
    let mut out = String::new();
    let mut cols: Option<&[ColDef]> = None;
    for (row, range) in layout.rows(table) {
        if cols.is_none_or(|c| !same_cols(c, row.cols)) {
            out.push_str(LABEL_HEADING);
            for c in row.cols {
                out.push('\t');
                out.push_str(c.label);
            }
            out.push('\n');
            cols = Some(row.cols);
        }
        out.push_str(&row.full_label());
        for i in range.clone() {
            out.push('\t');
            if let Some(v) = report.cells.get(i).and_then(|c| c.value) {
                out.push_str(&format_value(v, layout.cells[i].kind()));
            }
        }
        out.push('\n');
    }
    out
}

fn same_cols(a: &[ColDef], b: &[ColDef]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.key == y.key && x.label == y.label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_support::{report, set};
    use crate::model::Status;
    use crate::template::Template;

    fn span(text: &str, table: Table, heading: &str, body: &str) -> TableSpan {
        let h = text.find(heading).unwrap();
        let b = text.find(body).unwrap();
        TableSpan { table, heading: (h, h + heading.len()), body: (b, b + body.len()) }
    }

    #[test]
    fn keeps_prose_and_puts_one_row_per_line() {
        let active_body = "信息内容 本年新制作数量\n规章 0 0 0\n乱码 表格\n";
        let app_body = "申请人情况 自然人 ... 一大堆\n";
        let review_body = "行政复议 0 0 0 0 0";
        let text = format!(
            "一、总体情况\n本年共收到申请25件。\n二、主动公开政府信息情况\n{active_body}三、收到和处理政府信息公开申请情况\n{app_body}四、政府信息公开行政复议、行政诉讼情况\n{review_body}\n五、存在的主要问题\n正文结束。"
        );
        let mut r = report(Template::T2019, &text);
        r.tables = vec![
            span(&text, Table::Review, "四、政府信息公开行政复议", review_body),
            span(&text, Table::Active, "二、主动公开", active_body),
            span(&text, Table::Applications, "三、收到和处理", app_body),
        ];
        set(&mut r, "applications/new_received/natural_person", Some(25.0), Status::Parsed);
        set(&mut r, "applications/new_received/commercial", None, Status::Missing);
        set(&mut r, "active/licensing/change", Some(-540.0), Status::Parsed);
        set(&mut r, "active/procurement/amount_wan_yuan", Some(3148.289887), Status::Parsed);
        let out = to_txt(&r);
        // The prose and the headings stay; the raw table bodies are gone.
        for keep in [
            "一、总体情况\n本年共收到申请25件。\n二、主动公开政府信息情况\n",
            "三、收到和处理政府信息公开申请情况\n",
            "五、存在的主要问题\n正文结束。\n",
        ] {
            assert!(out.contains(keep), "{keep:?} kept in:\n{out}");
        }
        for gone in ["乱码", "一大堆", "行政复议 0 0"] {
            assert!(!out.contains(gone), "{gone:?} removed from:\n{out}");
        }
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.contains(&"一、本年新收政府信息公开申请数量\t25\t\t0\t0\t0\t0\t0"));
        assert!(lines.contains(&"第二十条第（五）项 行政许可\t0\t-540\t0"));
        assert!(lines.contains(&"第二十条第（九）项 政府集中采购\t0\t3148.289887"));
        assert!(lines.contains(&"项目\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计"));
        assert!(lines.contains(&"项目\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计"));
        assert!(lines.contains(&"行政诉讼 复议后起诉\t0\t0\t0\t0\t0"));
        // The tables stay where they were, in order, and no table is appended.
        let pos = |s: &str| out.find(s).unwrap();
        assert!(pos("规章\t") < pos("三、收到和处理") && pos("（七）总计\t") < pos("四、政府信息公开"));
        assert!(pos("复议后起诉\t") < pos("五、存在的主要问题"));
        assert_eq!(out.matches("四、政府信息公开行政复议、行政诉讼情况").count(), 1);
        // Every data row has as many fields as its header.
        assert_eq!(lines.iter().filter(|l| l.starts_with("项目\t")).count(), 3 + 1 + 1 + 1);
        assert!(!out.contains("\n\n\n"));
    }

    #[test]
    fn a_table_not_found_is_appended_under_its_heading() {
        let mut r = report(Template::T2021, "一、总体情况\n正文。");
        r.tables.clear();
        let out = to_txt(&r);
        assert!(out.starts_with("一、总体情况\n正文。\n\n二、主动公开政府信息情况\n项目\t本年制发件数"));
        let a = out.find("二、主动公开政府信息情况").unwrap();
        let b = out.find("三、收到和处理政府信息公开申请情况").unwrap();
        let c = out.find("四、政府信息公开行政复议、行政诉讼情况").unwrap();
        assert!(a < b && b < c);
        assert!(out.contains("\n三、本年度办理结果（六）其他处理 3.其他\t0\t0\t0\t0\t0\t0\t0\n"));
        assert!(out.ends_with("\t0\n"));
    }

    #[test]
    fn a_bad_span_does_not_panic() {
        let mut r = report(Template::T2019, "中文");
        r.tables = vec![TableSpan { table: Table::Review, heading: (0, 0), body: (1, 99) }];
        let out = to_txt(&r);
        assert!(out.starts_with("中文\n\n二、主动公开政府信息情况"));
    }
}
