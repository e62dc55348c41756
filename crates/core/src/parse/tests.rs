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

/// The keys of every keyed line, as before only the lines with a marker were keyed.
fn every_key(text: &str, ls: &[Line]) -> Vec<String> {
    ls.iter()
        .map(|l| {
            let line = &text[l.start..l.end];
            if keyed(line) { crate::text::label_key(line) } else { String::new() }
        })
        .collect()
}

#[test]
fn sections_title_and_year_from_the_marker_lines_equal_those_from_every_line() {
    let dir = format!("{}/../../tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "txt") {
            texts.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    let n = texts.len();
    for k in 0..n {
        let t = texts[k].clone();
        // Every character apart; every line broken in two; a table of contents before it (its
        // headings without tables); two reports one after the other.
        texts.push(
            t.lines().map(|l| l.chars().map(String::from).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n"),
        );
        texts.push(
            t.lines()
                .map(|l| {
                    let cut = l.char_indices().nth(l.chars().count() / 2).map_or(l.len(), |(i, _)| i);
                    format!("{}\n{}", &l[..cut], &l[cut..])
                })
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let toc: String =
            t.lines().filter(|l| l.chars().count() < 30 && (l.contains('、'))).map(|l| format!("{l}\n")).collect();
        texts.push(format!("{toc}{t}"));
        texts.push(format!("{t}\n{}", texts[(k + 1) % n]));
    }
    for t in &texts {
        let ls = lines(t);
        let every = every_key(t, &ls);
        let every: Vec<&str> = every.iter().map(String::as_str).collect();
        let (buf, ranges) = line_keys(t, &ls);
        let some: Vec<&str> = ranges.iter().map(|&(a, b)| &buf[a..b]).collect();
        let sec = Sections::find(t, &ls, &every);
        assert_eq!(Sections::find(t, &ls, &some), sec, "{}", &t[..200.min(t.len())]);
        assert_eq!(meta::year(t, &ls, &some), meta::year(t, &ls, &every));
        assert_eq!(meta::organ(t, &ls, &some), meta::organ(t, &ls, &every));
        if let Some(line) = sec.other {
            assert_eq!(meta::is_title(some[line]), meta::is_title(every[line]));
        }
    }
}
