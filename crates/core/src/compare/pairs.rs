//! Two folders of reports side by side (`nianbao compare DIR_EARLIER DIR_LATER --summary OUT`):
//! the reports paired by organ (names compared as [`super::years::organ_key`] does for
//! `years.organ`), one row per pair with the cross-year checks that failed and the main totals
//! of table 三 in both years with their change. A report without a partner gets a row of its own.

use super::{Comparison, compare, years::organ_key};
use crate::model::Report;
use crate::template::Table;

/// The totals shown (table 三, column 总计): row key and name.
pub const METRICS: [(&str, &str); 4] = [
    ("new_received", "本年新收申请"),
    ("carried_over", "上年结转"),
    ("total", "办理结果总计"),
    ("carried_forward", "结转下年度"),
];

/// One field of a row: text, a number, or nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    Text(String),
    Number(f64),
    Empty,
}

impl Field {
    fn opt(v: Option<f64>) -> Field {
        v.map_or(Field::Empty, Field::Number)
    }
    /// As CSV shows it.
    pub(crate) fn to_text(&self) -> String {
        match self {
            Field::Text(s) => s.clone(),
            Field::Number(v) => crate::model::format_value(*v, crate::template::Kind::Count),
            Field::Empty => String::new(),
        }
    }
}

/// The header of the summary.
pub fn header() -> Vec<String> {
    let mut h: Vec<String> = [
        "文件（较早）",
        "文件（较晚）",
        "机关（较早）",
        "机关（较晚）",
        "年度（较早）",
        "年度（较晚）",
        "跨年核对未通过",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (_, name) in METRICS {
        h.push(format!("{name}（较早）"));
        h.push(format!("{name}（较晚）"));
        h.push(format!("{name}变化"));
    }
    h
}

/// Whether two organ names are one body: the same [`organ_key`], or the same name with and
/// without its parent (烈山区人民政府 and 淮北市烈山区人民政府): one key ends with the other,
/// the part before it ends with a unit of government (省 市 州 盟 县 区 旗), and the shorter
/// key has at least four characters.
pub fn same_body(a: &str, b: &str) -> bool {
    let (a, b) = (organ_key(a), organ_key(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.chars().count() < b.chars().count() { (a, b) } else { (b, a) };
    short.chars().count() >= 4
        && long
            .strip_suffix(short.as_str())
            .and_then(|parent| parent.chars().last())
            .is_some_and(|c| "省市州盟县区旗".contains(c))
}

/// Pair the reports by organ: `(earlier index, later index)`, each report in exactly one pair;
/// the same organ key first, else the same body ([`same_body`]); a report whose organ matches
/// none (or is unknown) is paired with `None`.
pub fn pair(earlier: &[&Report], later: &[&Report]) -> Vec<(Option<usize>, Option<usize>)> {
    let key = |r: &Report| r.organ.as_deref().map(organ_key).filter(|k| !k.is_empty());
    let later_keys: Vec<Option<String>> = later.iter().map(|r| key(r)).collect();
    let mut used = vec![false; later.len()];
    let mut out = Vec::new();
    for (i, e) in earlier.iter().enumerate() {
        let k = key(e);
        let j = k.as_ref().and_then(|k| {
            (0..later.len()).find(|&j| !used[j] && later_keys[j].as_ref() == Some(k)).or_else(|| {
                (0..later.len()).find(|&j| !used[j] && later_keys[j].as_ref().is_some_and(|l| same_body(k, l)))
            })
        });
        if let Some(j) = j {
            used[j] = true;
        }
        out.push((Some(i), j));
    }
    out.extend((0..later.len()).filter(|&j| !used[j]).map(|j| (None, Some(j))));
    out
}

/// One row of the summary for a pair (or a lone report).
pub fn row(earlier: Option<(&str, &Report)>, later: Option<(&str, &Report)>) -> Vec<Field> {
    let text = |s: Option<String>| s.map_or(Field::Empty, Field::Text);
    let c: Option<Comparison> = match (earlier, later) {
        (Some((_, a)), Some((_, b))) => Some(compare(a, b)),
        _ => None,
    };
    // `compare` puts the two in year order; follow it.
    let (e, l) = match (&c, earlier, later) {
        (Some(c), Some(a), Some(b)) if c.swapped => (Some(b), Some(a)),
        _ => (earlier, later),
    };
    let mut out = vec![
        text(e.map(|(f, _)| f.to_string())),
        text(l.map(|(f, _)| f.to_string())),
        text(e.and_then(|(_, r)| r.organ.clone())),
        text(l.and_then(|(_, r)| r.organ.clone())),
        Field::opt(e.and_then(|(_, r)| r.year).map(f64::from)),
        Field::opt(l.and_then(|(_, r)| r.year).map(f64::from)),
    ];
    out.push(match &c {
        Some(c) => {
            let failed: Vec<String> =
                c.cross_year().filter(|x| !x.passed).map(|x| format!("{}：{}", x.id, x.message)).collect();
            Field::Text(failed.join("；"))
        }
        None => Field::Text("（另一年度没有同一机关的报告）".into()),
    });
    for (key, _) in METRICS {
        let v = |side: Option<(&str, &Report)>| side.and_then(|(_, r)| r.value(Table::Applications, key, "total"));
        let (a, b) = (v(e), v(l));
        out.push(Field::opt(a));
        out.push(Field::opt(b));
        out.push(Field::opt(a.zip(b).map(|(a, b)| b - a)));
    }
    out
}

/// Every row: pairs first in the earlier folder's order, then the later reports without a partner.
pub fn rows(earlier: &[(String, Report)], later: &[(String, Report)]) -> Vec<Vec<Field>> {
    let a: Vec<&Report> = earlier.iter().map(|(_, r)| r).collect();
    let b: Vec<&Report> = later.iter().map(|(_, r)| r).collect();
    pair(&a, &b)
        .into_iter()
        .map(|(i, j)| {
            row(i.map(|i| (earlier[i].0.as_str(), &earlier[i].1)), j.map(|j| (later[j].0.as_str(), &later[j].1)))
        })
        .collect()
}

/// The summary as CSV: UTF-8 with BOM, CRLF, one header line.
pub fn to_csv(rows: &[Vec<Field>]) -> String {
    let mut out = String::from(crate::export::csv::BOM);
    let mut record = |fields: Vec<String>| {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            crate::export::csv::push_field(&mut out, f);
        }
        out.push_str("\r\n");
    };
    record(header());
    for r in rows {
        record(r.iter().map(Field::to_text).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_support::report;
    use crate::template::Template;

    #[test]
    fn pairs_by_organ_without_suffixes() {
        let mut a = report(Template::T2019, "");
        a.organ = Some("某某区人民政府办公室".into());
        a.year = Some(2020);
        let mut b = report(Template::T2021, "");
        b.organ = Some("某某区政府".into());
        b.year = Some(2021);
        let mut lone = report(Template::T2021, "");
        lone.organ = Some("另一县人民政府".into());
        let p = pair(&[&a], &[&lone, &b]);
        assert_eq!(p, vec![(Some(0), Some(1)), (None, Some(0))]);
        let i = b.index(Table::Applications, "new_received", "total").unwrap();
        b.cells[i].value = Some(7.0);
        let rows = rows(&[("a.txt".into(), a)], &[("lone.txt".into(), lone), ("b.txt".into(), b)]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][0], Field::Text("a.txt".into()));
        assert_eq!(rows[0][1], Field::Text("b.txt".into()));
        assert_eq!(rows[0].len(), header().len());
        // new_received: 0 → 7, change 7.
        assert_eq!(&rows[0][7..10], &[Field::Number(0.0), Field::Number(7.0), Field::Number(7.0)]);
        assert_eq!(rows[1][0], Field::Empty);
        let csv = to_csv(&rows);
        assert!(csv.starts_with("\u{feff}文件（较早）,文件（较晚）,机关（较早）"));
        assert_eq!(csv.matches("\r\n").count(), 3);
    }

    #[test]
    fn a_name_with_and_without_its_parent_is_one_body() {
        assert!(same_body("烈山区人民政府", "淮北市烈山区人民政府"));
        assert!(same_body("淮北市烈山区人民政府办公室", "烈山区政府"));
        assert!(!same_body("烈山区人民政府", "杜集区人民政府"));
        // Not a unit of government before the shorter name, or too short to be a body.
        assert!(!same_body("山区人民政府", "烈山区人民政府"));
        assert!(!same_body("区政府", "淮北市区政府"));
        let mut a = report(Template::T2021, "");
        a.organ = Some("烈山区人民政府".into());
        let mut b = report(Template::T2021, "");
        b.organ = Some("淮北市烈山区人民政府".into());
        assert_eq!(pair(&[&a], &[&b]), vec![(Some(0), Some(0))]);
    }
}
