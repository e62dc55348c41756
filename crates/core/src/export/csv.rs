//! CSV export (SCHEMA.md "CSV (for spreadsheets)"): UTF-8 with BOM, long format, one line per
//! cell, RFC 4180 quoting and CRLF line ends. A batch writes the header once and the rows of
//! every report after it ([`write_header`], [`write_rows`]).

use super::cell_label;
use crate::model::{Report, format_value};

/// The byte order mark spreadsheets need to read UTF-8.
pub const BOM: &str = "\u{feff}";
/// The header line's fields.
pub const HEADER: [&str; 10] = ["file", "organ", "year", "template", "table", "row", "col", "label", "value", "status"];
const EOL: &str = "\r\n";

/// One report as a CSV file: BOM, header, one line per cell.
pub fn to_csv(report: &Report, file_label: &str) -> String {
    let mut out = String::with_capacity(report.cells.len() * 120);
    out.push_str(BOM);
    write_header(&mut out);
    write_rows(&mut out, report, file_label);
    out
}

/// The header line (without BOM).
pub(crate) fn write_header(out: &mut String) {
    write_record(out, HEADER);
}

/// One line per cell of `report`, in layout order; `file_label` fills the `file` column.
pub(crate) fn write_rows(out: &mut String, report: &Report, file_label: &str) {
    let organ = report.organ.as_deref().unwrap_or("");
    let year = report.year.map(|y| y.to_string()).unwrap_or_default();
    let template = report.template.number().to_string();
    for (def, cell) in report.layout().cells.iter().zip(&report.cells) {
        let value = cell.value.map(|v| format_value(v, def.kind())).unwrap_or_default();
        let label = cell_label(def);
        write_record(
            out,
            [file_label, organ, &year, &template, def.table.key(), def.row, def.col, &label, &value, cell.status.key()],
        );
    }
}

/// One record, fields quoted where RFC 4180 needs it.
pub(crate) fn write_record<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, f);
    }
    out.push_str(EOL);
}

/// A field, in double quotes (inner quotes doubled) when it holds a comma, quote or line break.
pub(crate) fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_support::{report, set};
    use crate::model::Status;
    use crate::template::Template;

    /// A minimal RFC 4180 reader for the tests.
    fn parse(s: &str) -> Vec<Vec<String>> {
        let mut rows = vec![];
        let mut row = vec![];
        let mut field = String::new();
        let mut chars = s.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\r') => {}
                (false, '\n') => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => field.push(c),
            }
        }
        assert!(field.is_empty() && row.is_empty(), "the file ends with a line end");
        rows
    }

    #[test]
    fn starts_with_bom_and_header_and_has_one_line_per_cell() {
        let mut r = report(Template::T2019, "");
        set(&mut r, "active/procurement/amount_wan_yuan", Some(3148.289887), Status::Parsed);
        set(&mut r, "active/licensing/change", Some(-540.0), Status::Repaired);
        set(&mut r, "review/reconsideration/pending", None, Status::Missing);
        let s = to_csv(&r, "a,b.txt");
        assert!(s.starts_with("\u{feff}file,organ,year,template,table,row,col,label,value,status\r\n"));
        let rows = parse(s.trim_start_matches(BOM));
        assert_eq!(rows.len(), 1 + Template::T2019.layout().cells.len());
        assert!(rows.iter().all(|r| r.len() == 10));
        let find = |key: &str| rows.iter().find(|r| format!("{}/{}/{}", r[4], r[5], r[6]) == key).cloned();
        let m = find("active/procurement/amount_wan_yuan").unwrap();
        assert_eq!(m[..4], ["a,b.txt", "某某区人民政府", "2020", "2019"]);
        assert_eq!((m[8].as_str(), m[9].as_str()), ("3148.289887", "parsed"));
        let c = find("active/licensing/change").unwrap();
        assert_eq!((c[8].as_str(), c[9].as_str()), ("-540", "repaired"));
        let p = find("review/reconsideration/pending").unwrap();
        assert_eq!((p[8].as_str(), p[9].as_str()), ("", "missing"));
        let t = find("review/reconsideration/total").unwrap();
        assert_eq!(t[7], "行政复议 / 总计");
        let d = find("applications/denied.three_security_one_stability/total").unwrap();
        assert_eq!(d[7], "三、本年度办理结果（三）不予公开 3.危及“三安全一稳定” / 总计");
    }

    #[test]
    fn quotes_commas_quotes_and_line_breaks() {
        let mut out = String::new();
        write_record(&mut out, ["plain", "a,b", "say \"hi\"", "two\nlines", "中文，逗号"]);
        assert_eq!(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",中文，逗号\r\n");
        assert_eq!(parse(&out), vec![vec!["plain", "a,b", "say \"hi\"", "two\nlines", "中文，逗号"]]);
    }

    #[test]
    fn a_batch_writes_the_header_once() {
        let a = report(Template::T2019, "");
        let mut b = report(Template::T2021, "");
        b.year = None;
        b.organ = None;
        let mut out = String::from(BOM);
        write_header(&mut out);
        write_rows(&mut out, &a, "a.txt");
        write_rows(&mut out, &b, "b.txt");
        let rows = parse(out.trim_start_matches(BOM));
        assert_eq!(rows.len(), 1 + 198 + 200);
        assert_eq!(rows.iter().filter(|r| r[0] == "file").count(), 1);
        let last = rows.last().unwrap();
        assert_eq!(last[..4], ["b.txt", "", "", "2021"]);
    }
}
