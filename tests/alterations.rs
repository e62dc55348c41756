//! Altered texts, made from the samples the way real PDF, Word and web copies differ: each
//! sample is read, its cleaned TXT export (one row per line, tab-separated) is altered, and the
//! altered text must never give a silently wrong number: every cell is either the sample's
//! value or marked (`missing`, `unreadable`, or named by a failing check). Each alteration also
//! states how many cells it must read right at least, so a mechanism that stops working fails.

use nianbao::checks;
use nianbao::{Report, Status, load_bytes};
use std::collections::HashSet;

const SAMPLES: &[&str] =
    &["lieshan-2020", "lieshan-2021", "lishi-2020", "yuan-2020", "huaian-2024", "shanghai-2019", "shuyang-2025"];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// (right, silently wrong, marked) cells of `got` against `clean`.
fn judge(clean: &Report, got: &Report) -> (usize, Vec<String>, usize) {
    super::silent_readings::judge(clean, got, "")
}

/// Some(()) when no error check fails on the sample: only then can the sums place runs by order.
fn consistent(r: &Report) -> Option<()> {
    (!checks::run(r).iter().any(|c| !c.passed && c.severity == nianbao::Severity::Error)).then_some(())
}

fn clean(name: &str) -> Report {
    load_bytes(&fixture(name), &format!("{name}.txt")).unwrap()
}

fn txt(r: &Report) -> String {
    nianbao::export::txt::to_txt(r)
}

/// Lines of a table: (index, label, values) for lines with a label and tab-separated values.
fn rows_of(t: &str) -> Vec<(usize, String, Vec<String>)> {
    t.split('\n')
        .enumerate()
        .filter_map(|(i, l)| {
            let p: Vec<&str> = l.split('\t').collect();
            (p.len() >= 2
                && p[1..].iter().all(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || ".-".contains(c))))
            .then(|| (i, p[0].to_string(), p[1..].iter().map(|s| s.to_string()).collect()))
        })
        .collect()
}

fn map_rows(t: &str, f: impl Fn(&str, &[String]) -> String) -> String {
    t.split('\n')
        .map(|l| {
            let p: Vec<&str> = l.split('\t').collect();
            if p.len() >= 2
                && p[1..].iter().all(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || ".-".contains(c)))
            {
                f(p[0], &p[1..].iter().map(|s| s.to_string()).collect::<Vec<_>>())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Run one alteration over every sample; returns (right, total) and fails on a silent wrong number.
fn run(what: &str, alter: impl Fn(&Report, &str) -> Option<String>) -> (usize, usize) {
    let (mut right, mut total) = (0, 0);
    for name in SAMPLES {
        let c = clean(name);
        let Some(t) = alter(&c, &txt(&c)) else { continue };
        let got = match load_bytes(t.as_bytes(), &format!("{name}.txt")) {
            Ok(r) => r,
            Err(e) => panic!("{what} {name}: {e}"),
        };
        let (r, wrong, _) = judge(&c, &got);
        if std::env::var("ALT_DEBUG").is_ok() {
            eprintln!("  {what} {name}: {r}/{}", c.cells.len());
        }
        assert!(wrong.is_empty(), "{what} {name}: silently wrong: {wrong:?}");
        right += r;
        total += c.cells.len();
    }
    eprintln!("{what}: {right}/{total}");
    (right, total)
}

fn at_least(what: &str, got: (usize, usize), share: f64) {
    assert!(
        got.0 as f64 >= share * got.1 as f64,
        "{what}: {}/{} cells right, want {:.0}%",
        got.0,
        got.1,
        share * 100.0
    );
}

#[test]
fn table_three_with_labels_after_all_numbers() {
    // Table 三's labels all come after all its numbers (a PDF read column by column).
    let got = run("labels after numbers", |c, t| {
        consistent(c)?;
        let rows: Vec<_> = rows_of(t).into_iter().filter(|(_, _, v)| v.len() == 7).collect();
        let first = rows.first()?.0;
        let last = rows.last()?.0;
        let lines: Vec<&str> = t.split('\n').collect();
        let mut out: Vec<String> = lines[..first].iter().map(|s| s.to_string()).collect();
        out.extend(rows.iter().map(|(_, _, v)| v.join(" ")));
        out.extend(rows.iter().map(|(_, l, _)| l.clone()));
        out.extend(lines[last + 1..].iter().map(|s| s.to_string()));
        Some(out.join("\n"))
    });
    at_least("labels after numbers", got, 0.95);
}

#[test]
fn table_three_without_labels() {
    let got = run("no labels", |c, t| {
        consistent(c)?;
        let rows: Vec<_> = rows_of(t).into_iter().filter(|(_, _, v)| v.len() == 7).collect();
        let skip: HashSet<usize> = rows.iter().map(|r| r.0).collect();
        Some(
            t.split('\n')
                .enumerate()
                .map(
                    |(i, l)| {
                        if skip.contains(&i) { l.split('\t').skip(1).collect::<Vec<_>>().join(" ") } else { l.into() }
                    },
                )
                .collect::<Vec<_>>()
                .join("\n"),
        )
    });
    at_least("no labels", got, 0.95);
}

#[test]
fn table_four_in_column_blocks() {
    // 行政复议's four results, then the others' four results, then the totals.
    run("table 四 in column blocks", |_, t| {
        let rows: Vec<_> = rows_of(t).into_iter().filter(|(_, _, v)| v.len() == 5).collect();
        if rows.len() != 3 {
            return None;
        }
        let lines: Vec<&str> = t.split('\n').collect();
        let mut nums: Vec<String> = Vec::new();
        for r in &rows {
            nums.extend(r.2[..4].iter().cloned());
        }
        for r in &rows {
            nums.push(r.2[4].clone());
        }
        let mut out: Vec<String> = lines[..rows[0].0].iter().map(|s| s.to_string()).collect();
        out.push("行政复议 行政诉讼 未经复议直接起诉 复议后起诉".into());
        out.push(nums.join("\n"));
        out.extend(lines[rows[2].0 + 1..].iter().map(|s| s.to_string()));
        Some(out.join("\n"))
    });
}

#[test]
fn markdown_tables() {
    let got = run("markdown", |_, t| {
        Some(
            t.split('\n')
                .map(|l| if l.contains('\t') { format!("| {} |", l.replace('\t', " | ")) } else { l.to_string() })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    });
    at_least("markdown", got, 0.99);
}

#[test]
fn tab_rows_with_blank_cells_as_empty_fields() {
    // A browser copy: zeros of table 三 written as empty fields (the positions are certain).
    let got = run("empty fields", |_, t| {
        Some(map_rows(t, |l, v| {
            if v.len() == 7 {
                format!(
                    "{l}\t{}",
                    v.iter().map(|x| if x == "0" { "" } else { x.as_str() }).collect::<Vec<_>>().join("\t")
                )
            } else {
                format!("{l}\t{}", v.join("\t"))
            }
        }))
    });
    at_least("empty fields", got, 0.99);
}

#[test]
fn dashes_for_zero_in_pdf_text() {
    let got = run("dashes in PDF text", |_, t| {
        Some(map_rows(t, |l, v| {
            format!("{l} {}", v.iter().map(|x| if x == "0" { "-" } else { x.as_str() }).collect::<Vec<_>>().join(" "))
        }))
    });
    at_least("dashes in PDF text", got, 0.95);
}

#[test]
fn an_extra_serial_number_column() {
    let got = run("序号 column", |_, t| {
        let mut k = 0;
        Some(
            t.split('\n')
                .map(|l| {
                    if l.starts_with("项目\t") {
                        format!("序号\t{l}")
                    } else if rows_of(l).len() == 1 {
                        k += 1;
                        format!("{k}\t{l}")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    });
    at_least("序号 column", got, 0.9);
}

#[test]
fn thousands_separators_and_separating_commas() {
    run("thousands separators", |_, t| {
        Some(map_rows(t, |l, v| {
            let f = |x: &String| match x.parse::<u64>() {
                Ok(n) if n >= 1000 => format!("{},{:03}", n / 1000, n % 1000),
                _ => x.clone(),
            };
            format!("{l}\t{}", v.iter().map(f).collect::<Vec<_>>().join("\t"))
        }))
    });
    run("thousands with a space", |_, t| {
        Some(map_rows(t, |l, v| {
            let f = |x: &String| match x.parse::<u64>() {
                Ok(n) if n >= 1000 => format!("{} {:03}", n / 1000, n % 1000),
                _ => x.clone(),
            };
            format!("{l} {}", v.iter().map(f).collect::<Vec<_>>().join(" "))
        }))
    });
    let got = run("numbers separated by commas", |_, t| Some(map_rows(t, |l, v| format!("{l} {}", v.join("，")))));
    at_least("numbers separated by commas", got, 0.98);
}

#[test]
fn zero_width_characters_and_ocr_dots_for_zero() {
    let got = run("zero-width characters", |_, t| {
        Some(map_rows(t, |l, v| {
            let f = |x: &String| if x.len() > 1 { format!("{}\u{200B}{}", &x[..1], &x[1..]) } else { x.clone() };
            format!("{l}\t{}", v.iter().map(f).collect::<Vec<_>>().join("\t"))
        }))
    });
    at_least("zero-width characters", got, 0.99);
    let got = run("OCR dot for zero", |_, t| {
        Some(map_rows(t, |l, v| {
            format!("{l} {}", v.iter().map(|x| if x == "0" { "。" } else { x.as_str() }).collect::<Vec<_>>().join(" "))
        }))
    });
    at_least("OCR dot for zero", got, 0.95);
}

#[test]
fn prose_page_numbers_and_repeated_rows_between_rows() {
    let got = run("prose between rows", |_, t| {
        let rows = rows_of(t);
        let at = rows.get(rows.len() / 2)?.0;
        let mut lines: Vec<String> = t.split('\n').map(String::from).collect();
        lines.insert(at, "（注：本表数据截至12月31日，共3项。）".into());
        Some(lines.join("\n"))
    });
    at_least("prose between rows", got, 0.97);
    let got = run("bare page number between rows", |_, t| {
        let rows = rows_of(t);
        let at = rows.get(rows.len() / 2)?.0;
        let mut lines: Vec<String> = t.split('\n').map(String::from).collect();
        lines.insert(at, "7".into());
        Some(lines.join("\n"))
    });
    at_least("bare page number between rows", got, 0.9);
    run("row repeated after a page break", |_, t| {
        let rows = rows_of(t);
        let (at, l, v) = rows.get(rows.len() / 2)?.clone();
        let mut lines: Vec<String> = t.split('\n').map(String::from).collect();
        lines.insert(at + 1, format!("- 3 -\n{l}\t{}", v.join("\t")));
        Some(lines.join("\n"))
    });
}

#[test]
fn blank_cells_as_empty_lines_one_cell_per_line() {
    let got = run("one cell per line with empty lines", |_, t| {
        Some(map_rows(t, |l, v| {
            format!("{l}\n{}", v.iter().map(|x| if x == "0" { "" } else { x.as_str() }).collect::<Vec<_>>().join("\n"))
        }))
    });
    at_least("one cell per line with empty lines", got, 0.9);
}

#[test]
fn table_three_without_its_total_column() {
    // The header names six columns: each value field is its column; 总计 is missing (the report
    // states none; its repair gives the row's sum).
    let got = run("no 总计 column", |_, t| {
        Some(
            t.split('\n')
                .map(|l| {
                    let p: Vec<&str> = l.split('\t').collect();
                    if p.len() == 8 { p[..7].join("\t") } else { l.to_string() }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    });
    at_least("no 总计 column", got, 0.85);
}

#[test]
fn money_in_yi_yuan_and_broken_decimals() {
    run("亿元", |c, t| {
        let i = c.index(nianbao::Table::Active, "procurement", "amount_wan_yuan")?;
        let v = c.cells[i].value?;
        if v == 0.0 {
            return None;
        }
        Some(map_rows(t, |l, vals| {
            if l.contains("政府集中采购") {
                format!("{l}\t{}\t{} 亿元", vals[0], v / 10000.0)
            } else {
                format!("{l}\t{}", vals.join("\t"))
            }
        }))
    });
    run("broken decimal", |_, t| {
        Some(map_rows(t, |l, vals| {
            let f = |x: &String| if let Some((a, b)) = x.split_once('.') { format!("{a}. {b}") } else { x.clone() };
            format!("{l} {}", vals.iter().map(f).collect::<Vec<_>>().join(" "))
        }))
    });
}

#[test]
fn utf16_without_a_bom() {
    for name in SAMPLES {
        let c = clean(name);
        let t = txt(&c);
        let le: Vec<u8> = t.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = t.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        for (enc, bytes) in [("UTF-16LE", le), ("UTF-16BE", be)] {
            let r = load_bytes(&bytes, "x.txt").unwrap_or_else(|e| panic!("{name} {enc}: {e}"));
            assert_eq!(r.encoding, enc, "{name}");
            let (_, wrong, _) = judge(&c, &r);
            assert!(wrong.is_empty(), "{name} {enc}: {wrong:?}");
        }
    }
}

#[test]
fn two_reports_in_one_file_are_never_mixed() {
    let a = clean("yuan-2020");
    let b = clean("lieshan-2020");
    let text = format!("{}\n\n{}", a.text, b.text);
    let r = load_bytes(text.as_bytes(), "x.txt").unwrap();
    assert_eq!(r.organ, a.organ);
    let (_, wrong, _) = judge(&a, &r);
    assert!(wrong.is_empty(), "{wrong:?}");
    let several: Vec<_> = checks::run(&r).into_iter().filter(|c| c.id == "report.several" && !c.passed).collect();
    assert_eq!(several.len(), 1, "report.several");
    assert!(several[0].cells.is_empty());
}

#[test]
fn last_years_table_appended_after_part_six() {
    let a = clean("lieshan-2021");
    let b = clean("huaian-2024");
    let t3 = b.tables.iter().find(|t| t.table == nianbao::Table::Applications).unwrap();
    let appended = &b.text[t3.heading.0..t3.body.1];
    let text = format!("{}\n附件：上年度情况\n{}\n", a.text, appended);
    let r = load_bytes(text.as_bytes(), "x.txt").unwrap();
    let (right, wrong, _) = judge(&a, &r);
    assert!(wrong.is_empty(), "{wrong:?}");
    assert_eq!(right, a.cells.len());
    assert!(checks::run(&r).iter().any(|c| c.id == "report.several" && !c.passed));
}

#[test]
fn a_2021_report_with_the_single_2019_other_row() {
    for name in ["lieshan-2021", "huaian-2024", "shuyang-2025"] {
        let c = clean(name);
        let t = txt(&c);
        // The three （六） rows become one row with their sums.
        let rows: Vec<_> = rows_of(&t).into_iter().filter(|(_, l, _)| l.contains("（六）其他处理")).collect();
        assert_eq!(rows.len(), 3, "{name}");
        let sums: Vec<String> = (0..7)
            .map(|k| rows.iter().map(|(_, _, v)| v[k].parse::<u64>().unwrap()).sum::<u64>().to_string())
            .collect();
        let mut lines: Vec<String> = t.split('\n').map(String::from).collect();
        lines[rows[0].0] = format!("三、本年度办理结果（六）其他处理\t{}", sums.join("\t"));
        lines.remove(rows[2].0);
        lines.remove(rows[1].0);
        let r = load_bytes(lines.join("\n").as_bytes(), "x.txt").unwrap();
        let results = checks::run(&r);
        let mixed: Vec<_> = results.iter().filter(|x| x.id == "template.mixed" && !x.passed).collect();
        assert_eq!(mixed.len(), 1, "{name}");
        assert_eq!(mixed[0].cells.len(), 21, "{name}");
        assert!(mixed[0].message.contains(&sums.join("、")), "{name}: {}", mixed[0].message);
        // The column sums hold with the single row in place of the three; nothing else fails.
        let errors: Vec<_> = results.iter().filter(|x| !x.passed && x.severity == nianbao::Severity::Error).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        for i in &mixed[0].cells {
            assert_eq!(r.cells[*i].status, Status::Missing);
        }
        let (_, wrong, _) = judge(&c, &r);
        assert!(wrong.is_empty(), "{name}: {wrong:?}");
        // Never a certain suggestion on such a report, even with a changed total.
        let i = r.index(nianbao::Table::Applications, "total", "total").unwrap();
        let mut bad = r.clone();
        bad.cells[i].value = bad.cells[i].value.map(|v| v + 3.0);
        assert!(nianbao::suggest::suggest_report(&bad).iter().all(|s| !s.certain), "{name}");
    }
}

#[test]
fn a_missing_row_is_one_phrase_not_seven_cell_names() {
    let c = clean("huaian-2024");
    let t = txt(&c).replacen("二、上年结转政府信息公开申请数量", "二、（本行已删去）", 1);
    let t: String = t.split('\n').filter(|l| !l.starts_with("二、（本行已删去）")).collect::<Vec<_>>().join("\n");
    let r = load_bytes(t.as_bytes(), "x.txt").unwrap();
    let row_sum = checks::run(&r)
        .into_iter()
        .find(|x| !x.passed && x.scope.iter().any(|(k, v)| *k == "row" && v == "carried_over"))
        .expect("the dropped row is named");
    assert!(row_sum.message.contains("行 7 格缺失"), "{}", row_sum.message);
    assert!(row_sum.message.matches("列缺失").count() == 0, "{}", row_sum.message);
}

#[test]
fn a_header_with_the_columns_in_another_order_decides_the_order() {
    // 总计 first and 商业企业 before 自然人, in the header and in every row.
    let order = [6usize, 1, 0, 2, 3, 4, 5];
    let got = run("columns reordered with their header", |_, t| {
        Some(
            t.split('\n')
                .map(|l| {
                    let p: Vec<&str> = l.split('\t').collect();
                    if p.len() == 8 {
                        let mut out = vec![p[0].to_string()];
                        out.extend(order.iter().map(|&c| p[1 + c].to_string()));
                        out.join("\t")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    });
    at_least("columns reordered with their header", got, 0.99);
    // The same with the numbers separated by spaces: rows with seven numbers are placed by the
    // header; nothing is placed by the template's order.
    run("columns reordered, rows space-separated", |_, t| {
        Some(
            t.split('\n')
                .map(|l| {
                    let p: Vec<&str> = l.split('\t').collect();
                    if p.len() == 8 {
                        let vals: Vec<String> = order.iter().map(|&c| p[1 + c].to_string()).collect();
                        if p[0] == "项目" {
                            format!("{}\t{}", p[0], vals.join("\t"))
                        } else {
                            format!("{} {}", p[0], vals.join(" "))
                        }
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    });
    // The header's words apart too (PDF text): it still decides.
    let got = run("columns reordered, header and rows space-separated", |_, t| {
        Some(
            t.split('\n')
                .map(|l| {
                    let p: Vec<&str> = l.split('\t').collect();
                    if p.len() == 8 {
                        let vals: Vec<String> = order.iter().map(|&c| p[1 + c].to_string()).collect();
                        format!("{} {}", p[0], vals.join(" "))
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
    });
    at_least("columns reordered, header and rows space-separated", got, 0.95);
}

/// The tab-separated row lines of `t`, each changed by `f` (label, values) into any text.
fn rows_as(t: &str, f: impl Fn(&str, &[String]) -> String) -> String {
    map_rows(t, f)
}

/// Two lines of `t` (by index) swapped, every row line written with `sep` between its fields.
fn swapped(t: &str, a: usize, b: usize, sep: &str) -> String {
    let rows: HashSet<usize> = rows_of(t).into_iter().map(|r| r.0).collect();
    let mut lines: Vec<String> = t
        .split('\n')
        .enumerate()
        .map(|(i, l)| if rows.contains(&i) { l.replace('\t', sep) } else { l.into() })
        .collect();
    lines.swap(a, b);
    lines.join("\n")
}

#[test]
fn table_two_with_each_label_after_its_numbers() {
    // PDF text that puts a row's label after its numbers, on the same line or the next: table
    // 二 has no sums, so its rows are read only where the whole table agrees (found by an
    // adversarial review: each row got the next row's numbers, all `parsed`).
    let got = run("label after its numbers, same line", |_, t| Some(rows_as(t, |l, v| format!("{} {l}", v.join(" ")))));
    at_least("label after its numbers, same line", got, 0.95);
    let got =
        run("label after its numbers, next line", |_, t| Some(rows_as(t, |l, v| format!("{}\n{l}", v.join(" ")))));
    at_least("label after its numbers, next line", got, 0.95);
    // A label broken over two lines with the row's numbers between its halves.
    let got = run("label split around its numbers", |_, t| {
        Some(rows_as(t, |l, v| {
            let ch: Vec<char> = l.chars().collect();
            if ch.len() < 6 {
                return format!("{l}\t{}", v.join("\t"));
            }
            let (a, b): (String, String) = (ch[..ch.len() / 2].iter().collect(), ch[ch.len() / 2..].iter().collect());
            format!("{a}\n{}\n{b}", v.join(" "))
        }))
    });
    at_least("label split around its numbers", got, 0.75);
}

#[test]
fn rows_in_another_order_than_the_templates() {
    // Rows swapped keep their labels: never placed by the template's order (an adversarial
    // review found 一、本年新收 and 二、上年结转 swapped read as each other, `repaired`, the
    // column equations holding either way).
    for sep in ["\t", " "] {
        let got = run(&format!("table 三 rows 一 and 二 swapped ({sep:?})"), |_, t| {
            let r: Vec<usize> = rows_of(t).into_iter().filter(|(_, _, v)| v.len() == 7).map(|r| r.0).collect();
            Some(swapped(t, r[0], r[1], sep))
        });
        at_least("table 三 rows swapped", got, 0.96);
        run(&format!("table 三 outcome rows swapped ({sep:?})"), |_, t| {
            let r: Vec<usize> = rows_of(t).into_iter().filter(|(_, _, v)| v.len() == 7).map(|r| r.0).collect();
            Some(swapped(t, r[2], r[3], sep))
        });
        let got = run(&format!("table 二 rows swapped ({sep:?})"), |_, t| {
            let r = rows_of(t);
            Some(swapped(t, r[0].0, r[1].0, sep))
        });
        at_least("table 二 rows swapped", got, 0.97);
        let got = run(&format!("table 四 rows swapped ({sep:?})"), |_, t| {
            let r: Vec<usize> = rows_of(t).into_iter().filter(|(_, _, v)| v.len() == 5).map(|r| r.0).collect();
            Some(swapped(t, r[0], r[1], sep))
        });
        at_least("table 四 rows swapped", got, 0.99);
        // 行政复议's row left out: the other two rows by their labels, 复议 missing.
        run(&format!("table 四 without its 行政复议 row ({sep:?})"), |_, t| {
            let r: Vec<usize> = rows_of(t).into_iter().filter(|(_, _, v)| v.len() == 5).map(|r| r.0).collect();
            let rows: HashSet<usize> = rows_of(t).into_iter().map(|r| r.0).collect();
            Some(
                t.split('\n')
                    .enumerate()
                    .filter(|(i, _)| *i != r[0])
                    .map(|(i, l)| if rows.contains(&i) { l.replace('\t', sep) } else { l.into() })
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        });
    }
}

#[test]
fn an_extra_subtotal_column_is_skipped() {
    for sep in ["\t", " "] {
        let got = run(&format!("小计 column ({sep:?})"), |_, t| {
            Some(
                t.split('\n')
                    .map(|l| {
                        let p: Vec<&str> = l.split('\t').collect();
                        if p.len() != 8 {
                            return l.to_string();
                        }
                        let mut out: Vec<String> = p[..7].iter().map(|s| s.to_string()).collect();
                        out.push(if p[0] == "项目" {
                            "小计".into()
                        } else {
                            p[2..7].iter().map(|x| x.parse::<u64>().unwrap_or(0)).sum::<u64>().to_string()
                        });
                        out.push(p[7].to_string());
                        out.join(if p[0] == "项目" { "\t" } else { sep })
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        });
        at_least("小计 column", got, 0.99);
    }
}

#[test]
fn full_width_digits_and_repeated_headers() {
    let fw = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap() } else { c })
            .collect()
    };
    let got = run("full-width digits", |_, t| Some(rows_as(t, |l, v| format!("{l} {}", fw(&v.join(" "))))));
    at_least("full-width digits", got, 0.99);
    // A page break that repeats the column header in the middle of a table.
    let got = run("header repeated mid-table", |_, t| {
        let mut out = Vec::new();
        let mut header: Option<&str> = None;
        for (k, l) in t.split('\n').enumerate() {
            if l.starts_with("项目\t") {
                header = Some(l);
            }
            if k % 9 == 0
                && rows_of(l).len() == 1
                && let Some(h) = header
            {
                out.push(h.replace('\t', " "));
            }
            out.push(l.replace('\t', " "));
        }
        Some(out.join("\n"))
    });
    at_least("header repeated mid-table", got, 0.99);
}

#[test]
fn empty_lines_are_no_certain_blanks() {
    // huaian-2024's text puts an empty line between all its lines (PDF text): there a number
    // lost, or a note that ends the table early, gives the shape of a row written one cell per
    // line with blanks as empty lines. Its cells are then `repaired` (or missing), never zeros
    // or shifted numbers with status `parsed`.
    let text = String::from_utf8(fixture("huaian-2024")).unwrap();
    let c = clean("huaian-2024");
    let lost = text.replacen("行政许可\n\n447228\n", "行政许可\n\n", 1);
    let noted = text.replacen("规章\n\n1\n", "规章\n\n1\n注：本表数据由各部门汇总。\n", 1);
    for (what, t) in [("lost number", lost), ("note line", noted)] {
        assert_ne!(t, text, "{what}: the fixture changed");
        let got = load_bytes(t.as_bytes(), "huaian-2024.txt").unwrap();
        let flagged: HashSet<usize> =
            checks::run(&got).iter().filter(|r| !r.passed).flat_map(|r| r.cells.clone()).collect();
        let wrong: Vec<String> = (0..got.cells.len())
            .filter(|&i| got.cells[i].status == Status::Parsed && got.cells[i].value != c.cells[i].value)
            .filter(|i| !flagged.contains(i))
            .map(|i| format!("{} = {:?}, want {:?}", got.def(i).key(), got.cells[i].value, c.cells[i].value))
            .collect();
        assert!(wrong.is_empty(), "{what}: parsed and wrong: {wrong:?}");
        // The row read by its lines says so.
        if what == "lost number" {
            let i = got.layout().index(nianbao::Table::Active, "licensing", "decisions").unwrap();
            assert!(got.cells[i].repair.as_deref().is_some_and(|r| r.contains("一格一行")), "{:?}", got.cells[i]);
        }
    }
}

/// The value fields of a table row on one line of the raw text: the line split by tabs (or by
/// spaces when `spaces`), its label first, then one to three values (a number, with its unit
/// or sign), then nothing but empty fields. `None` for other lines.
fn value_fields(line: &str, spaces: bool) -> Option<Vec<String>> {
    if spaces && (line.contains('\t') || line.contains('|')) {
        return None;
    }
    let parts: Vec<&str> = if spaces { line.split_whitespace().collect() } else { line.split('\t').collect() };
    let label = parts.first()?;
    if !label.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        return None;
    }
    let mut vals: Vec<&str> = parts[1..].to_vec();
    while vals.last() == Some(&"") {
        vals.pop();
    }
    let number = |v: &str| {
        let v = v.trim_start_matches(['增', '减', ' ']).trim_end_matches("万元").trim_end_matches('元').trim_end();
        !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    ((1..=3).contains(&vals.len()) && vals.iter().all(|v| number(v)))
        .then(|| vals.iter().map(|s| s.to_string()).collect())
}

/// Every variant of the samples' raw texts that `alter` makes of one line (`None`: none).
fn line_variants(spaces: bool, alter: impl Fn(&str, &[String]) -> Vec<String>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for name in SAMPLES {
        let text = String::from_utf8(fixture(name)).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        for (i, l) in lines.iter().enumerate() {
            let Some(vals) = value_fields(l, spaces) else { continue };
            for new in alter(l, &vals) {
                let mut t = lines.clone();
                t[i] = &new;
                out.push((*name, t.join("\n")));
            }
        }
    }
    out
}

/// Each variant read: no cell silently wrong; returns how many variants there were.
fn no_silent(what: &str, variants: &[(&str, String)]) -> usize {
    for (name, t) in variants {
        let c = clean(name);
        let got = load_bytes(t.as_bytes(), &format!("{name}.txt")).unwrap();
        let (_, wrong, _) = judge(&c, &got);
        assert!(wrong.is_empty(), "{what} {name}: silently wrong: {wrong:?}");
    }
    variants.len()
}

#[test]
fn words_or_marks_in_a_value_field_never_let_the_next_number_slide() {
    // A tab row whose value field holds words, a mark or a number with something stuck to it
    // (`未统计`, `1122注`, `19G`, `566.`, `*`, `…`, `x`): that field is unreadable, and the
    // number of the next field stays in its own column (it used to slide into this one, and
    // the last column became a blank 0, all `parsed`; table 二 has no sums to catch it).
    let variants = line_variants(false, |line, vals| {
        let mut out = Vec::new();
        for (k, v) in vals.iter().enumerate() {
            let digits: String = v.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
            for junk in [
                "未统计".to_string(),
                format!("{digits}注"),
                format!("{digits}G"),
                format!("{digits}."),
                "*".into(),
                "…".into(),
                "x".into(),
                "×".into(),
            ] {
                let mut f: Vec<String> = line.split('\t').map(str::to_string).collect();
                f[k + 1] = junk;
                out.push(f.join("\t"));
            }
        }
        out
    });
    // yuan-2020, lishi-2020 and shanghai-2019 have such rows (tables 二 and 四).
    assert!(no_silent("junk in a value field", &variants) > 100, "{}", variants.len());
    // The field itself says what it holds.
    let text =
        String::from_utf8(fixture("yuan-2020")).unwrap().replacen("政府集中采购\t1122\t", "政府集中采购\t未统计\t", 1);
    let got = load_bytes(text.as_bytes(), "yuan-2020.txt").unwrap();
    let at = |col| got.layout().index(nianbao::Table::Active, "procurement", col).unwrap();
    assert_eq!(got.cells[at("projects")].status, Status::Unreadable);
    assert_eq!(got.cells[at("projects")].text, "未统计");
    assert_eq!(got.cells[at("amount_wan_yuan")].value, Some(28370.0));
}

#[test]
fn a_letter_stuck_to_a_number_or_a_lone_cross_is_unreadable() {
    // Space-separated rows (PDF and OCR text): `108b` is no 108, `x` no blank 0.
    let variants = line_variants(true, |line, vals| {
        let mut out = Vec::new();
        for v in vals {
            for junk in [format!("{v}b"), format!("b{v}"), "x".into()] {
                out.push(line.replacen(&format!(" {v}"), &format!(" {junk}"), 1));
            }
        }
        out
    });
    assert!(no_silent("letters in space rows", &variants) > 20, "{}", variants.len());
}

#[test]
fn two_cells_glued_in_a_grid_of_tab_rows() {
    // A browser copy pads short rows to the grid with empty fields (`行政事业性收费\t53\t0\t`);
    // a lost tab (`530\t`) leaves the row one field short. That padding is no blank cell.
    let variants = line_variants(false, |line, vals| {
        let fields = line.split('\t').count();
        if vals.len() < 2 || fields == vals.len() + 1 {
            return Vec::new();
        }
        let f: Vec<&str> = line.split('\t').collect();
        let glued = format!("{}{}", f[1], f[2]);
        vec![[&[f[0], glued.as_str()][..], &f[3..]].concat().join("\t")]
    });
    assert!(no_silent("two cells glued", &variants) >= 4, "{}", variants.len());
}

#[test]
fn a_sign_word_after_its_number() {
    // 减 540 may be written 540减 or 540（减）: the number is negative either way.
    let text = String::from_utf8(fixture("yuan-2020")).unwrap();
    let c = clean("yuan-2020");
    for form in ["{}减", "{}（减）", "{}(减)"] {
        let t = ["540", "8", "24"]
            .iter()
            .fold(text.clone(), |t, v| t.replacen(&format!("减 {v}\t"), &format!("{}\t", form.replace("{}", v)), 1));
        assert_ne!(t, text);
        let got = load_bytes(t.as_bytes(), "yuan-2020.txt").unwrap();
        let (right, wrong, _) = judge(&c, &got);
        assert!(wrong.is_empty(), "{form}: {wrong:?}");
        assert_eq!(right, c.cells.len(), "{form}");
    }
}

/// The samples' raw texts with the columns of table 二 reversed under each header line that
/// names them (`信息内容\t本年新制作数量\t…`), in the header and in the rows under it.
fn table_two_reversed() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for name in SAMPLES {
        let text = String::from_utf8(fixture(name)).unwrap();
        let mut n = 0;
        let mut changed = false;
        let lines: Vec<String> = text
            .split('\n')
            .map(|l| {
                let spaces = !l.contains('\t');
                let parts: Vec<&str> = if spaces { l.split_whitespace().collect() } else { l.split('\t').collect() };
                let sep = if spaces { " " } else { "\t" };
                // Table 二 ends where table 三 begins.
                if l.trim_start().starts_with("三、") {
                    n = 0;
                }
                if parts.first() == Some(&"信息内容") {
                    let cols: Vec<&str> = parts[1..].iter().copied().filter(|p| !p.is_empty()).collect();
                    n = if cols.len() >= 2 { cols.len() } else { 0 };
                    if n == 0 {
                        return l.to_string();
                    }
                    changed = true;
                    let pad = &parts[1 + n..];
                    return [&[parts[0]][..], &cols.iter().rev().copied().collect::<Vec<_>>(), pad].concat().join(sep);
                }
                match value_fields(l, spaces) {
                    Some(vals) if n > 0 && vals.len() == n && !(spaces && vals.iter().any(|v| v.contains(' '))) => {
                        let rest = &parts[1 + n..];
                        let rev: Vec<&str> = vals.iter().rev().map(String::as_str).collect();
                        [&[parts[0]][..], &rev, rest].concat().join(sep)
                    }
                    // The numbers of a row whose label wrapped onto lines of its own.
                    _ if n > 0
                        && parts.len() == n
                        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit() || c == '.')) =>
                    {
                        parts.iter().rev().copied().collect::<Vec<_>>().join(sep)
                    }
                    _ => l.to_string(),
                }
            })
            .collect();
        if changed {
            out.push((*name, lines.join("\n")));
        }
    }
    out
}

#[test]
fn table_two_under_a_header_in_another_order() {
    // A header naming table 二's columns in another order decides their order, on tab lines
    // and on lines of words apart, its own wording of a column included (lishi-2020: 本年数量).
    let variants = table_two_reversed();
    assert!(variants.len() >= 4, "{}", variants.len());
    for (name, t) in &variants {
        let c = clean(name);
        let got = load_bytes(t.as_bytes(), &format!("{name}.txt")).unwrap();
        let (right, wrong, _) = judge(&c, &got);
        assert!(wrong.is_empty(), "{name}: silently wrong: {wrong:?}");
        assert_eq!(right, c.cells.len(), "{name}");
    }
}

/// The lines of table 二 in a sample's raw text: (its heading line, the line where 三 starts).
fn table_two_lines(lines: &[&str]) -> Option<(usize, usize)> {
    let h = lines.iter().position(|l| l.trim_start_matches(['#', ' ']).starts_with("二、主动公开"))?;
    let e = (h + 1..lines.len()).find(|&i| lines[i].trim_start_matches(['#', ' ']).starts_with("三、收到和处理"))?;
    Some((h, e))
}

#[test]
fn a_second_table_two_after_the_reports_own() {
    // Last year's table 二 pasted right after this year's, under the same heading or none: the
    // report's own table is read and `report.several` says where the other starts. A table
    // split in two under a repeated heading (OCR) is one table: no finding, every cell read.
    let several = |r: &Report| checks::run(r).iter().any(|c| !c.passed && c.id == checks::REPORT_SEVERAL);
    let mut tried = 0;
    for name in SAMPLES {
        let text = String::from_utf8(fixture(name)).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        let Some((h, e)) = table_two_lines(&lines) else { continue };
        let c = clean(name);
        assert!(!several(&c), "{name}");
        // Keep the copy's 第二十条 group lines as they are (bumped they would be other groups).
        let copy: Vec<String> = lines[h + 1..e]
            .iter()
            .map(|l| if l.contains("第二十条") { l.to_string() } else { super::silent_readings::bump(l) })
            .collect();
        for with_heading in [true, false] {
            let mut t: Vec<String> = lines[..e].iter().map(|l| l.to_string()).collect();
            t.push(String::new());
            if with_heading {
                t.push(lines[h].to_string());
            }
            t.extend(copy.iter().cloned());
            t.extend(lines[e..].iter().map(|l| l.to_string()));
            let got = load_bytes(t.join("\n").as_bytes(), &format!("{name}.txt")).unwrap();
            let (right, wrong, _) = judge(&c, &got);
            assert!(wrong.is_empty(), "{name} (heading {with_heading}): silently wrong: {wrong:?}");
            assert_eq!(right, c.cells.len(), "{name} (heading {with_heading})");
            assert!(several(&got), "{name} (heading {with_heading}): no report.several");
            tried += 1;
        }
        // The table split before its second group heading, the heading 二 repeated there.
        if let Some(g) = (h + 2..e).find(|&i| lines[i].contains("第二十条") && lines[i].contains("五")) {
            let mut t: Vec<&str> = lines.clone();
            t.insert(g, lines[h]);
            let got = load_bytes(t.join("\n").as_bytes(), &format!("{name}.txt")).unwrap();
            let (right, wrong, _) = judge(&c, &got);
            assert!(wrong.is_empty() && right == c.cells.len(), "{name} split: {right} right, {wrong:?}");
            assert!(!several(&got), "{name} split: report.several");
        }
    }
    assert!(tried >= 10, "{tried}");
}

#[test]
fn table_four_under_a_header_in_another_order() {
    // The results named in another order (总计 first, 结果纠正 before 结果维持) in the header and
    // in each group's row, by tabs or by spaces: the header decides; a template-order reading
    // would keep every row sum and be silently wrong.
    let order = [4usize, 1, 0, 3, 2];
    for sep in ["\t", " "] {
        let got = run(&format!("table 四 reordered ({sep:?})"), |_, t| {
            let lines: Vec<&str> = t.split('\n').collect();
            let h = lines.iter().position(|l| l.starts_with("项目\t结果维持"))?;
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            for l in out.iter_mut().skip(h).take(4) {
                let p: Vec<&str> = l.split('\t').collect();
                if p.len() != 6 {
                    return None;
                }
                let vals: Vec<&str> = order.iter().map(|&c| p[1 + c]).collect();
                *l = format!("{}{sep}{}", p[0], vals.join(sep));
            }
            Some(out.join("\n"))
        });
        at_least(&format!("table 四 reordered ({sep:?})"), got, 0.99);
    }
}
