//! The real 2021 Word template, filled with values, read back exactly.
use crate::common::*;
use nianbao_core::open::docx_to_text;

const TITLE: &str = "淮北市烈山区2021年政府信息公开工作年度报告";

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

fn after<'a>(ls: &[&'a str], first: &str, n: usize) -> Vec<&'a str> {
    let i = ls.iter().position(|l| l.starts_with(first)).unwrap_or_else(|| panic!("no line starts with {first}"));
    ls[i..i + n].to_vec()
}

fn val(v: &Values, k: &str) -> String {
    v.get(k).cloned().unwrap_or_default()
}

/// Table 二's lines that `v` must give.
fn active_lines(v: &Values) -> Vec<String> {
    let three = |row: &str| {
        ["issued", "repealed", "in_force"]
            .iter()
            .map(|c| val(v, &format!("active/{row}/{c}")))
            .collect::<Vec<_>>()
            .join("\t")
    };
    vec![
        "第二十条第（一）项\t\t\t".into(),
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数".into(),
        format!("规章\t{}", three("regulations")),
        format!("行政规范性文件\t{}", three("normative_documents")),
        "第二十条第（五）项\t\t\t".into(),
        "信息内容\t本年处理决定数量\t\t".into(),
        format!("行政许可\t{}\t\t", val(v, "active/licensing/decisions")),
        "第二十条第（六）项\t\t\t".into(),
        "信息内容\t本年处理决定数量\t\t".into(),
        format!("行政处罚\t{}\t\t", val(v, "active/penalty/decisions")),
        format!("行政强制\t{}\t\t", val(v, "active/coercion/decisions")),
        "第二十条第（八）项\t\t\t".into(),
        "信息内容\t本年收费金额（单位：万元）\t\t".into(),
        format!("行政事业性收费\t{}\t\t", val(v, "active/fees/amount_wan_yuan")),
    ]
}

/// Table 四's value row.
fn review_line(v: &Values) -> String {
    let mut f = Vec::new();
    for row in ["reconsideration", "litigation_direct", "litigation_after_reconsideration"] {
        for col in REVIEW_COLS {
            f.push(val(v, &format!("review/{row}/{col}")));
        }
    }
    f.join("\t")
}

fn check(v: &Values, text: &str) {
    let ls = lines(text);
    assert_eq!(ls[0], TITLE);
    assert_eq!(after(&ls, "第二十条第（一）项", 14), active_lines(v));
    // Table 三: the three header rows, then every row: labels and 7 values at grid columns 3..9.
    assert_eq!(
        after(&ls, "（本列数据的勾稽关系为", 3),
        vec![
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况\t\t\t\t\t\t",
            "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
            "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
        ]
    );
    let got = after(&ls, "一、本年新收", 25);
    assert_eq!(got, expected_application_lines(v));
    for l in &got {
        assert_eq!(l.split('\t').count(), 10, "{l}");
    }
    let rv = after(&ls, "行政复议\t", 4);
    assert_eq!(rv[0], "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t");
    assert_eq!(rv[3], review_line(v));
    assert_eq!(rv[3].split('\t').count(), 15);
    assert!(ls.contains(&"五、存在的主要问题及改进情况"));
}

#[test]
fn lieshan_2021_values_with_blank_cells_read_back_exactly() {
    let all = expected("lieshan-2021");
    // Leave blank what clerks often leave blank: the zeros of 不予公开 and of 未经复议直接起诉.
    let v = with_blanks(&all, |k, val| {
        (k.starts_with("applications/denied.") && val == "0") || k.starts_with("review/litigation_direct/")
    });
    assert!(v.len() < all.len() - 40, "some cells are blank");
    let docx = filled_template(&v, Some(TITLE));
    let text = docx_to_text(&docx).unwrap();
    check(&v, &text);
    // Spot checks written out by hand.
    let ls = lines(&text);
    assert!(ls.contains(&"一、本年新收政府信息公开申请数量\t\t\t7\t0\t0\t0\t0\t0\t7"));
    assert!(ls.contains(&"\t\t4.保护第三方合法权益\t1\t\t\t\t\t\t1"));
    assert!(ls.contains(&"\t\t2.其他法律行政法规禁止公开\t\t\t\t\t\t\t"));
    assert!(ls.contains(&"行政规范性文件\t4\t0\t63"));
    assert!(ls.contains(&"0\t0\t0\t0\t0\t\t\t\t\t\t0\t0\t0\t0\t0"));
}

#[test]
fn distinct_values_land_in_their_own_columns() {
    let v = distinct_values();
    let text = docx_to_text(&filled_template(&v, Some(TITLE))).unwrap();
    check(&v, &text);
}

#[test]
fn every_value_cell_can_be_blank() {
    let v = Values::new();
    let text = docx_to_text(&filled_template(&v, Some(TITLE))).unwrap();
    check(&v, &text);
}

#[test]
fn the_unfilled_template_reads() {
    let text = docx_to_text(&std::fs::read(TEMPLATE).unwrap()).unwrap();
    let ls = lines(&text);
    assert_eq!(ls[0], "政府信息公开工作年度报告格式模板");
    assert!(ls.contains(&"规章\t\t\t"), "full-width spaces in value cells are trimmed");
    assert_eq!(after(&ls, "一、本年新收", 25), expected_application_lines(&Values::new()));
}
