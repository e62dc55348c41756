//! The four real samples against their hand-checked cells.
use super::*;
use crate::model::Status;

fn expected(name: &str) -> serde_json::Value {
    let p = format!("{}/../../tests/fixtures/expected/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn sample(name: &str) -> Report {
    let p = format!("{}/../../tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let d = crate::decode::decode(&std::fs::read(p).unwrap()).unwrap();
    parse(d.text, d.encoding, name).unwrap()
}

pub fn diff(name: &str) -> Vec<String> {
    let exp = expected(name);
    let r = sample(name);
    let mut bad = Vec::new();
    assert_eq!(r.template.number() as i64, exp["template"].as_i64().unwrap(), "{name} template");
    assert_eq!(r.year.map(i64::from), exp["year"].as_i64(), "{name} year");
    assert!(
        r.organ.as_deref().unwrap_or("").contains(exp["organ_contains"].as_str().unwrap()),
        "{name} organ {:?}",
        r.organ
    );
    for c in exp["cells"].as_array().unwrap() {
        let key =
            format!("{}/{}/{}", c["table"].as_str().unwrap(), c["row"].as_str().unwrap(), c["col"].as_str().unwrap());
        let i = r.layout().index_of_key(&key).unwrap_or_else(|| panic!("{key} not in layout"));
        let want = c["value"].as_f64().unwrap();
        let cell = &r.cells[i];
        if cell.value.is_none_or(|v| (v - want).abs() > 1e-6) {
            bad.push(format!("{key}: got {:?} ({:?}) want {want}", cell.value, cell.status));
        }
        if let Some((a, b)) = cell.span {
            // The span points at the text the value was read from.
            assert!(!r.text[a..b].trim().is_empty(), "{key} span is empty");
        }
    }
    assert_eq!(exp["cells"].as_array().unwrap().len(), r.cells.len());
    bad
}

#[test]
fn lieshan_2020() {
    assert_eq!(diff("lieshan-2020"), Vec::<String>::new());
}
#[test]
fn lieshan_2021() {
    assert_eq!(diff("lieshan-2021"), Vec::<String>::new());
}
#[test]
fn lishi_2020() {
    assert_eq!(diff("lishi-2020"), Vec::<String>::new());
}
#[test]
fn yuan_2020() {
    assert_eq!(diff("yuan-2020"), Vec::<String>::new());
}

#[test]
fn every_sample_cell_is_read_cleanly_with_a_span() {
    for name in ["lieshan-2020", "lieshan-2021", "lishi-2020", "yuan-2020"] {
        let r = sample(name);
        for (i, c) in r.cells.iter().enumerate() {
            assert_eq!(c.status, Status::Parsed, "{name} {} {:?}", r.def(i).key(), c);
            let (a, b) = c.span.unwrap();
            let shown: String = r.text[a..b].chars().map(crate::text::fold).collect();
            assert!(shown.chars().any(|ch| ch.is_ascii_digit()), "{name} {} span {shown:?}", r.def(i).key());
        }
        assert_eq!(r.tables.len(), 3, "{name}");
    }
}

#[test]
fn refuses_a_text_that_is_no_report() {
    let e = parse("这是一封普通的信。\n我们明天见。\n".into(), "UTF-8", "x.txt").unwrap_err();
    assert!(e.to_string().contains("不是政府信息公开工作年度报告"));
}
