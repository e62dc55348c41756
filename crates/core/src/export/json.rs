//! JSON export (SCHEMA.md "JSON (for programs)"): UTF-8 without BOM, keys in a fixed order.

use super::cell_label;
use crate::model::{Cell, CheckResult, Report};
use crate::template::Kind;
use crate::value::round6;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::Value;

/// The version of the JSON shape; bump when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole report, every cell and every check instance, as pretty-printed JSON (ends with a newline).
/// `suggestions` are the suggested corrections, best first (`[]` when none).
/// The JSON export of a report as the command line and the app write it: every check instance
/// and the suggested corrections.
pub fn report_json(report: &Report) -> String {
    with_suggestions(report, &crate::checks::run(report))
}

/// The JSON export with `checks` already run and the suggested corrections computed from them.
pub fn with_suggestions(report: &Report, checks: &[CheckResult]) -> String {
    let suggestions = crate::suggest::suggest(report, checks);
    to_json(report, checks, &crate::suggest::to_json_all(report, &suggestions))
}

pub fn to_json(report: &Report, checks: &[CheckResult], suggestions: &[Value]) -> String {
    let mut s = serde_json::to_string_pretty(&doc(report, checks, suggestions)).expect("the JSON export serialises");
    s.push('\n');
    s
}

/// The same document as a [`Value`] (for tests and for programs that embed it).
pub fn to_value(report: &Report, checks: &[CheckResult], suggestions: &[Value]) -> Value {
    serde_json::to_value(doc(report, checks, suggestions)).expect("the JSON export serialises")
}

/// A number as JSON: an integer when it is whole, otherwise rounded to 6 decimals.
pub fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 { Value::from(v as i64) } else { Value::from(round6(v)) }
}

/// A cell value as JSON: an integer for counts and 增/减, money in 万元 rounded to 6 decimals.
pub(crate) fn cell_value(v: Option<f64>, kind: Kind) -> Value {
    match (v, kind) {
        (None, _) => Value::Null,
        (Some(v), Kind::Money) => Value::from(round6(v)),
        (Some(v), _) => Value::from(v.round() as i64),
    }
}

fn doc<'a>(report: &'a Report, checks: &'a [CheckResult], suggestions: &'a [Value]) -> JsonReport<'a> {
    let layout = report.layout();
    let cells = layout
        .cells
        .iter()
        .zip(&report.cells)
        .map(|(def, cell)| {
            let kind = def.kind();
            JsonCell {
                table: def.table.key(),
                row: def.row,
                col: def.col,
                label: cell_label(def),
                value: cell_value(cell.value, kind),
                status: cell.status.key(),
                text: &cell.text,
                span: cell.span.map(|(a, b)| [a, b]),
                repair: cell.repair.as_deref(),
                original: original(cell, kind),
                note: cell.note.as_deref(),
            }
        })
        .collect();
    let checks = checks
        .iter()
        .map(|c| JsonCheck {
            id: c.id,
            severity: c.severity.key(),
            passed: c.passed,
            scope: Scope(&c.scope),
            cells: c.cells.iter().map(|&i| layout.cells.get(i).map(|d| d.key()).unwrap_or_default()).collect(),
            lhs: c.lhs.map(number).unwrap_or(Value::Null),
            rhs: c.rhs.map(number).unwrap_or(Value::Null),
            message: &c.message,
        })
        .collect();
    JsonReport {
        schema_version: SCHEMA_VERSION,
        file: &report.source_name,
        organ: report.organ.as_deref(),
        year: report.year,
        template: report.template.number(),
        encoding: &report.encoding,
        format: &report.format,
        cells,
        checks,
        suggestions,
    }
}

fn original(cell: &Cell, kind: Kind) -> Option<JsonOriginal<'_>> {
    cell.original.as_ref().map(|o| JsonOriginal {
        value: cell_value(o.value, kind),
        status: o.status.key(),
        text: &o.text,
    })
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    file: &'a str,
    organ: Option<&'a str>,
    year: Option<i32>,
    template: i32,
    encoding: &'a str,
    /// What the file was: `text`, `ron`, `docx`, `html`, `pdf` or `pdf-ocr`.
    format: &'a str,
    cells: Vec<JsonCell<'a>>,
    checks: Vec<JsonCheck<'a>>,
    suggestions: &'a [Value],
}

#[derive(Serialize)]
struct JsonCell<'a> {
    table: &'static str,
    row: &'static str,
    col: &'static str,
    label: String,
    value: Value,
    status: &'static str,
    text: &'a str,
    span: Option<[usize; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repair: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original: Option<JsonOriginal<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonOriginal<'a> {
    value: Value,
    status: &'static str,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    id: &'static str,
    severity: &'static str,
    passed: bool,
    scope: Scope<'a>,
    cells: Vec<String>,
    lhs: Value,
    rhs: Value,
    message: &'a str,
}

/// `[("row", "granted")]` as the object `{"row": "granted"}`, in its own order.
pub struct Scope<'a>(pub &'a [(&'static str, String)]);

impl Serialize for Scope<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_support::{idx, report, set};
    use crate::model::{Original, Severity, Status};
    use crate::template::{Table, Template};

    fn failing_check(r: &Report) -> CheckResult {
        CheckResult {
            id: "applications.row_sum",
            severity: Severity::Error,
            passed: false,
            scope: vec![("row", "total".into())],
            cells: vec![
                idx(r, Table::Applications, "total", "total"),
                idx(r, Table::Applications, "total", "natural_person"),
            ],
            lhs: Some(24.0),
            rhs: Some(25.0),
            message: "（七）总计: 总计 24 ≠ 各类申请人之和 25".into(),
        }
    }

    #[test]
    fn has_the_schema_shape() {
        let mut r = report(Template::T2019, "正文");
        set(&mut r, "applications/new_received/natural_person", Some(25.0), Status::Parsed);
        set(&mut r, "active/procurement/amount_wan_yuan", Some(3148.2898871), Status::Parsed);
        set(&mut r, "active/licensing/change", Some(-540.0), Status::Parsed);
        set(&mut r, "review/reconsideration/upheld", None, Status::Missing);
        let i = idx(&r, Table::Applications, "granted", "total");
        r.cells[i].span = Some((3, 6));
        r.cells[i].repair = Some("“l”→1".into());
        let check = failing_check(&r);
        let v = to_value(&r, std::slice::from_ref(&check), &[]);

        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["file"], "test.txt");
        assert_eq!(v["organ"], "某某区人民政府");
        assert_eq!(v["year"], 2020);
        assert_eq!(v["template"], 2019);
        assert_eq!(v["encoding"], "UTF-8");
        assert_eq!(v["suggestions"], serde_json::json!([]));

        let cells = v["cells"].as_array().unwrap();
        assert_eq!(cells.len(), Template::T2019.layout().cells.len());
        let find = |key: &str| {
            cells
                .iter()
                .find(|c| {
                    format!(
                        "{}/{}/{}",
                        c["table"].as_str().unwrap(),
                        c["row"].as_str().unwrap(),
                        c["col"].as_str().unwrap()
                    ) == key
                })
                .unwrap()
        };
        let c = find("applications/new_received/natural_person");
        assert_eq!(c["value"], serde_json::json!(25));
        assert!(c["value"].is_i64());
        assert_eq!(c["status"], "parsed");
        assert_eq!(c["label"], "一、本年新收政府信息公开申请数量 / 自然人");
        assert!(c["span"].is_null());
        assert!(c.get("repair").is_none() && c.get("original").is_none());
        assert_eq!(find("active/procurement/amount_wan_yuan")["value"].as_f64(), Some(3148.289887));
        assert_eq!(find("active/licensing/change")["value"], serde_json::json!(-540));
        let m = find("review/reconsideration/upheld");
        assert!(m["value"].is_null());
        assert_eq!(m["status"], "missing");
        let g = find("applications/granted/total");
        assert_eq!(g["span"], serde_json::json!([3, 6]));
        assert_eq!(g["repair"], "“l”→1");

        let checks = v["checks"].as_array().unwrap();
        assert_eq!(checks.len(), 1);
        let k = &checks[0];
        assert_eq!(k["id"], "applications.row_sum");
        assert_eq!(k["severity"], "error");
        assert_eq!(k["passed"], false);
        assert_eq!(k["scope"], serde_json::json!({"row": "total"}));
        assert_eq!(k["cells"], serde_json::json!(["applications/total/total", "applications/total/natural_person"]));
        assert_eq!((k["lhs"].as_i64(), k["rhs"].as_i64()), (Some(24), Some(25)));
        assert!(k["message"].as_str().unwrap().contains('≠'));
    }

    #[test]
    fn edited_cells_keep_their_original_and_note() {
        let mut r = report(Template::T2021, "");
        let i = idx(&r, Table::Applications, "total", "natural_person");
        r.cells[i] = Cell { value: Some(42.0), status: Status::Parsed, text: "42".into(), ..Cell::missing() };
        let edited = r.edited_cell(i, "24", Some("按合计更正".into()));
        r.replace_cell(i, edited);
        let v = to_value(&r, &[], &[serde_json::json!({"cell": "x"})]);
        assert_eq!(v["template"], 2021);
        let c = &v["cells"][i];
        assert_eq!(c["status"], "edited");
        assert_eq!(c["value"], 24);
        assert_eq!(c["original"], serde_json::json!({"value": 42, "status": "parsed", "text": "42"}));
        assert_eq!(c["note"], "按合计更正");
        assert_eq!(v["suggestions"][0]["cell"], "x");
        assert_eq!(v["checks"], serde_json::json!([]));
        // A original that was missing has a null value.
        r.cells[0].original = Some(Box::new(Original { value: None, status: Status::Missing, text: String::new() }));
        assert!(to_value(&r, &[], &[])["cells"][0]["original"]["value"].is_null());
    }

    #[test]
    fn text_is_plain_utf8_and_keys_keep_their_order() {
        let r = report(Template::T2019, "");
        let s = to_json(&r, &[], &[]);
        assert!(s.starts_with("{\n  \"schema_version\": 1,\n  \"file\""));
        assert!(!s.starts_with('\u{feff}'));
        assert!(s.contains("某某区人民政府"), "Chinese is written as UTF-8, not escaped");
        assert!(s.ends_with("}\n"));
        let v: Value = serde_json::from_str(&s).unwrap();
        assert!(v["year"].is_i64());
        let mut none = report(Template::T2019, "");
        none.organ = None;
        none.year = None;
        let v = to_value(&none, &[], &[]);
        assert!(v["organ"].is_null() && v["year"].is_null());
    }

    #[test]
    fn numbers_are_integers_when_whole() {
        assert!(number(24.0).is_i64());
        assert_eq!(number(-3.0), serde_json::json!(-3));
        assert_eq!(number(1.23456789).as_f64(), Some(1.234568));
        assert_eq!(cell_value(Some(2.6), Kind::Count), serde_json::json!(3));
    }
}
