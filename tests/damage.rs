//! Each kind of damage a real report suffers, made from the real samples in the test itself.

use nianbao::{Report, Status, load_bytes};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn open(bytes: &[u8]) -> Report {
    load_bytes(bytes, "t.txt").unwrap()
}

fn cell<'a>(r: &'a Report, key: &str) -> &'a nianbao::Cell {
    &r.cells[r.layout().index_of_key(key).unwrap_or_else(|| panic!("{key}"))]
}

fn values(r: &Report) -> Vec<Option<f64>> {
    r.cells.iter().map(|c| c.value).collect()
}

/// Replace the `nth` occurrence (0-based) of `from` that starts a line.
fn replace_line_start(text: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done && line.starts_with(from) {
            out.push_str(&line.replacen(from, to, 1));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    assert!(done, "no line starts with {from:?}");
    out
}

#[test]
fn gb18030_bytes_read_the_same() {
    let text = fixture("yuan-2020");
    let clean = open(text.as_bytes());
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let r = open(&gb);
    assert_eq!(r.encoding, "GB18030");
    assert_eq!(values(&r), values(&clean));
    assert_eq!(r.organ, clean.organ);
}

#[test]
fn utf16_with_bom_and_crlf_read_the_same_with_spans_into_the_shown_text() {
    let text = fixture("lishi-2020");
    let clean = open(text.as_bytes());
    let crlf = text.replace('\n', "\r\n");
    for (bom, le) in [([0xFFu8, 0xFE], true), ([0xFE, 0xFF], false)] {
        let mut bytes = bom.to_vec();
        bytes.extend(crlf.encode_utf16().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }));
        let r = open(&bytes);
        assert_eq!(r.encoding, if le { "UTF-16LE" } else { "UTF-16BE" });
        assert_eq!(values(&r), values(&clean));
        let c = cell(&r, "active/licensing/decisions");
        let (a, b) = c.span.unwrap();
        assert_eq!(&r.text[a..b], "11616");
    }
}

#[test]
fn bom_and_full_width_digits_are_clean_and_spans_show_the_original() {
    let text = fixture("yuan-2020");
    let clean = open(text.as_bytes());
    let wide: String = text
        .chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - 0x30 + 0xFF10).unwrap() } else { c })
        .collect();
    let wide = wide.replace('\t', "\u{3000}");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(wide.as_bytes());
    let r = open(&bytes);
    assert_eq!(values(&r), values(&clean));
    assert!(r.cells.iter().all(|c| c.status == Status::Parsed));
    let c = cell(&r, "active/other_services/change");
    assert_eq!(c.value, Some(-540.0));
    let (a, b) = c.span.unwrap();
    assert_eq!(&r.text[a..b], "减 ５４０");
}

#[test]
fn letters_read_as_digits_are_repaired_and_marked() {
    let text = fixture("yuan-2020");
    // 一、本年新收…\t\t12\t3\t0… : 12 → 'l2', a 0 → 'O'.
    let damaged = text.replacen(
        "一、本年新收政府信息公开申请数量\t\t12\t3\t0",
        "一、本年新收政府信息公开申请数量\t\tl2\t3\tO",
        1,
    );
    assert_ne!(damaged, text);
    let r = open(damaged.as_bytes());
    let a = cell(&r, "applications/new_received/natural_person");
    assert_eq!((a.value, a.status), (Some(12.0), Status::Repaired));
    assert!(a.repair.as_deref().unwrap().contains('l'));
    let b = cell(&r, "applications/new_received/research");
    assert_eq!((b.value, b.status), (Some(0.0), Status::Repaired));
    assert_eq!(&r.text[a.span.unwrap().0..a.span.unwrap().1], "l2");
}

#[test]
fn a_number_split_in_two_is_joined_when_the_row_adds_up() {
    let text = fixture("yuan-2020");
    let damaged = text.replacen("(七) 总计\t12\t3", "(七) 总计\t1 2\t3", 1);
    assert_ne!(damaged, text);
    let r = open(damaged.as_bytes());
    let c = cell(&r, "applications/total/natural_person");
    assert_eq!((c.value, c.status), (Some(12.0), Status::Repaired));
    assert_eq!(&r.text[c.span.unwrap().0..c.span.unwrap().1], "1 2");
    assert_eq!(cell(&r, "applications/total/total").value, Some(15.0));
    // A split that no join can explain is not guessed: the row is missing.
    let bad = text.replacen("(七) 总计\t12\t3", "(七) 总计\t1 2\t4", 1);
    let r = open(bad.as_bytes());
    assert_eq!(cell(&r, "applications/total/natural_person").status, Status::Missing);
    assert_eq!(cell(&r, "applications/total/total").status, Status::Missing);
    assert_eq!(cell(&r, "applications/carried_forward/total").value, Some(0.0));
}

#[test]
fn a_dropped_row_is_missing_and_later_rows_stay_in_place() {
    let text = fixture("lieshan-2021");
    let clean = open(text.as_bytes());
    // Drop 4.保护第三方合法权益 and its seven numbers (one cell per line layout).
    let start = text.find("\t4.保护第三方合法权益").unwrap();
    let end = text[start..].find("\t5.属于三类内部事务信息").unwrap() + start;
    let damaged = format!("{}{}", &text[..start], &text[end..]);
    let r = open(damaged.as_bytes());
    let l = r.layout();
    for (i, def) in l.cells.iter().enumerate() {
        if def.row == "denied.third_party_rights" {
            assert_eq!(r.cells[i].status, Status::Missing, "{}", def.key());
        } else {
            assert_eq!(r.cells[i].value, clean.cells[i].value, "{}", def.key());
        }
    }
}

#[test]
fn a_row_with_blanks_never_slides_into_other_columns() {
    let text = fixture("yuan-2020");
    // (一) 予以公开 8 1 0 0 0 0 9 with the zeros left blank: only what the total pins down is placed.
    let damaged = text.replacen("(一) 予以公开\t8\t1\t0\t0\t0\t0\t9", "(一) 予以公开\t8\t1\t9", 1);
    assert_ne!(damaged, text);
    let r = open(damaged.as_bytes());
    assert_eq!(cell(&r, "applications/granted/total").value, Some(9.0));
    for col in ["natural_person", "commercial", "research"] {
        assert_eq!(cell(&r, &format!("applications/granted/{col}")).status, Status::Missing, "{col}");
    }
    // With '/' for the blanks the columns are known and the total confirms the zeros.
    let slashed = text.replacen("(一) 予以公开\t8\t1\t0\t0\t0\t0\t9", "(一) 予以公开\t8\t1\t/\t/\t-\t/\t9", 1);
    let r = open(slashed.as_bytes());
    let c = cell(&r, "applications/granted/research");
    assert_eq!((c.value, c.status), (Some(0.0), Status::Parsed));
    assert_eq!(cell(&r, "applications/granted/commercial").value, Some(1.0));
}

#[test]
fn money_in_yuan_becomes_wan_yuan() {
    let text = fixture("yuan-2020");
    let damaged = replace_line_start(&text, "政府集中采购\t1122\t28370 万元", "政府集中采购\t1122\t31482898.87 元");
    let r = open(damaged.as_bytes());
    let c = cell(&r, "active/procurement/amount_wan_yuan");
    assert_eq!(c.value, Some(3148.289887));
    assert_eq!(c.status, Status::Parsed);
    // The unit in the column header, the number bare.
    let damaged = text.replacen("采购项目数量\t采购总金额\t", "采购项目数量\t采购总金额（元）\t", 1).replacen(
        "政府集中采购\t1122\t28370 万元",
        "政府集中采购\t1122\t283700000",
        1,
    );
    let r = open(damaged.as_bytes());
    assert_eq!(cell(&r, "active/procurement/amount_wan_yuan").value, Some(28370.0));
}

#[test]
fn binary_empty_and_foreign_input_get_a_chinese_reason() {
    for (bytes, want) in [
        (&b""[..], "空"),
        (&b"%PDF-1.4\n..."[..], "PDF"),
        (&[0u8, 159, 146, 150, 0, 1, 2, 3][..], "文本"),
        ("会议纪要\n今天开会。\n".as_bytes(), "不是政府信息公开工作年度报告"),
    ] {
        let e = load_bytes(bytes, "x.txt").unwrap_err();
        assert!(e.to_string().contains(want), "{e}");
    }
}

#[test]
fn a_truncated_report_keeps_what_it_has_and_marks_the_rest_missing() {
    let text = fixture("lieshan-2020");
    let cut = &text[..text.find("1.信访举报").unwrap()];
    let r = open(cut.as_bytes());
    assert_eq!(cell(&r, "applications/granted/total").value, Some(8.0));
    assert_eq!(cell(&r, "applications/total/total").status, Status::Missing);
    assert_eq!(cell(&r, "review/reconsideration/total").status, Status::Missing);
}

#[test]
fn saved_review_loads_back_exactly() {
    let mut r = open(fixture("lieshan-2021").as_bytes());
    let i = r.layout().index_of_key("applications/granted/natural_person").unwrap();
    let edited = r.edited_cell(i, "3", Some("核对原件".into()));
    r.replace_cell(i, edited);
    let j = r.layout().index_of_key("active/fees/amount_wan_yuan").unwrap();
    let edited = r.edited_cell(j, "12.345678", None);
    r.replace_cell(j, edited);
    let ron = nianbao::document::to_ron(&r);
    let back = load_bytes(ron.as_bytes(), "x.ron").unwrap();
    assert_eq!(back, r);
    assert_eq!(back.cells[i].original.as_ref().unwrap().value, Some(2.0));
    // Broken RON is refused with a reason, never a panic.
    for bad in [
        &ron[..ron.len() / 2],
        "SavedReview(format: \"nianbao-review\", version: 1, report: [[[[",
        "(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
    ] {
        assert!(load_bytes(bad.as_bytes(), "x.ron").is_err());
    }
}

#[test]
fn a_changed_total_fails_the_checks_that_name_it_and_the_samples_pass() {
    for name in ["lieshan-2020", "lieshan-2021", "lishi-2020", "yuan-2020"] {
        let r = open(fixture(name).as_bytes());
        let failed: Vec<_> = nianbao::checks::run(&r).into_iter().filter(|c| !c.passed).collect();
        assert!(failed.is_empty(), "{name}: {failed:?}");
    }
    let text = fixture("yuan-2020");
    let damaged = text.replacen("(七) 总计\t12", "(七) 总计\t13", 1);
    let r = open(damaged.as_bytes());
    let i = r.layout().index_of_key("applications/total/natural_person").unwrap();
    let failed: Vec<_> = nianbao::checks::run(&r).into_iter().filter(|c| !c.passed).collect();
    let ids: Vec<&str> = failed.iter().map(|c| c.id).collect();
    assert_eq!(ids, ["applications.row_sum", "applications.outcome_sum", "applications.balance"]);
    assert!(failed.iter().all(|c| c.cells.contains(&i)));
}

#[test]
fn a_page_break_with_a_page_number_and_repeated_headers_changes_nothing() {
    let text = fixture("yuan-2020");
    let clean = open(text.as_bytes());
    let at = text.find("\t\t5. 属于三类内部事务信息").unwrap();
    let line_start = text[..at].rfind('\n').unwrap() + 1;
    let page_break = "\n— 7 —\n\n六安市裕安区人民政府 2020 年政府信息公开工作年度报告\n\t\t申请人情况\t\t\t\t\t\t总计\n\t\t自然人\t法人或其他组织\n\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n";
    let damaged = format!("{}{}{}", &text[..line_start], page_break, &text[line_start..]);
    let r = open(damaged.as_bytes());
    assert_eq!(values(&r), values(&clean));
}

#[test]
fn a_count_with_decimals_is_unreadable_not_rounded() {
    let text = fixture("yuan-2020");
    let damaged = text.replacen("(一) 予以公开\t8\t1", "(一) 予以公开\t8.5\t1", 1);
    let r = open(damaged.as_bytes());
    let c = cell(&r, "applications/granted/natural_person");
    assert_eq!((c.value, c.status), (None, Status::Unreadable));
}

// Regressions from a review with adversarial inputs.

#[test]
fn a_sign_on_the_line_before_its_number_and_unicode_minus_signs() {
    let text = fixture("yuan-2020");
    let wrapped =
        text.replacen("其他对外管理服务事项\t1060\t减 540\t32933", "其他对外管理服务事项\t1060\t减\n540\t32933", 1);
    assert_ne!(wrapped, text);
    assert_eq!(cell(&open(wrapped.as_bytes()), "active/other_services/change").value, Some(-540.0));
    for minus in ["－", "−", "–", "﹣", "-"] {
        let t = text.replacen("减 540", &format!("{minus}540"), 1);
        let r = open(t.as_bytes());
        let c = cell(&r, "active/other_services/change");
        assert_eq!(c.value, Some(-540.0), "{minus}");
        let (a, b) = c.span.unwrap();
        assert_eq!(&r.text[a..b], format!("{minus}540"));
    }
}

#[test]
fn a_negative_count_is_unreadable() {
    let text = fixture("yuan-2020");
    let t = replace_line_start(
        &text,
        "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
        "0\t0\t0\t0\t0\t1\t-1\t0\t0\t0\t0\t0\t0\t0\t0",
    );
    let r = open(t.as_bytes());
    let c = cell(&r, "review/litigation_direct/corrected");
    assert_eq!((c.value, c.status), (None, Status::Unreadable));
    assert!(nianbao::checks::run(&r).iter().any(|x| !x.passed && x.id == "cell.unreadable"));
}

#[test]
fn a_stray_number_on_its_own_line_is_never_joined_into_a_row() {
    let text = fixture("yuan-2020");
    let at = text.find("\t\t8. 属于行政查询事项").unwrap();
    let end = at + text[at..].find('\n').unwrap() + 1;
    let t = format!("{}2\n{}", &text[..end], &text[end..]);
    let r = open(t.as_bytes());
    for col in ["natural_person", "commercial", "other_org", "total"] {
        let c = cell(&r, &format!("applications/denied.administrative_query/{col}"));
        assert_eq!(c.status, Status::Missing, "{col}: {c:?}");
    }
}

#[test]
fn label_variants_and_pipe_tables() {
    let text = fixture("yuan-2020");
    let clean = open(text.as_bytes());
    let t = text.replacen("(六) 其他处理", "(六) 其它处理", 1);
    assert_eq!(values(&open(t.as_bytes())), values(&clean));
    let piped: String = nianbao::export::txt::to_txt(&clean)
        .lines()
        .map(|l| if l.contains('\t') { format!("| {} |\n", l.replace('\t', " | ")) } else { format!("{l}\n") })
        .collect();
    assert_eq!(values(&open(piped.as_bytes())), values(&clean));
}

#[test]
fn a_hand_edited_review_that_contradicts_itself_is_refused() {
    let r = open(fixture("yuan-2020").as_bytes());
    let ron = nianbao::document::to_ron(&r);
    let mut bad = r.clone();
    bad.cells[22].value = Some(12.4);
    assert!(load_bytes(nianbao::document::to_ron(&bad).as_bytes(), "x.ron").is_err(), "a count with decimals");
    let mut bad = r.clone();
    bad.cells[22].status = Status::Missing;
    assert!(load_bytes(nianbao::document::to_ron(&bad).as_bytes(), "x.ron").is_err(), "a value in a missing cell");
    assert_eq!(load_bytes(ron.as_bytes(), "x.ron").unwrap(), r);
}
