//! Test helpers: the 2021 official form's cell map, filling the real Word template with values,
//! and rendering the same form as a web page (rowspan/colspan header, blank cells, site chrome).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

pub const TEMPLATE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/docx/template-2021.docx");
pub const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");

/// `table/row/col` → value, as in `expected/*.json`.
pub type Values = BTreeMap<String, String>;

pub fn expected(name: &str) -> Values {
    let p = format!("{SAMPLES}/expected/{name}.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    let mut out = Values::new();
    for c in v["cells"].as_array().unwrap() {
        let key =
            format!("{}/{}/{}", c["table"].as_str().unwrap(), c["row"].as_str().unwrap(), c["col"].as_str().unwrap());
        let n = c["value"].as_f64().unwrap();
        let s = if n.fract() == 0.0 { format!("{}", n as i64) } else { format!("{n}") };
        out.insert(key, s);
    }
    out
}

pub const APPLICANT_COLS: [&str; 7] =
    ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"];
pub const REVIEW_COLS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// Rows of table 三 in the 2021 form: (key, label cells written before the values).
pub const APPLICATION_ROWS: [(&str, [&str; 3]); 25] = [
    ("new_received", ["一、本年新收政府信息公开申请数量", "", ""]),
    ("carried_over", ["二、上年结转政府信息公开申请数量", "", ""]),
    ("granted", ["三、本年度办理结果", "（一）予以公开", ""]),
    ("partially_granted", ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""]),
    ("denied.state_secret", ["", "（三）不予公开", "1.属于国家秘密"]),
    ("denied.prohibited_by_law", ["", "", "2.其他法律行政法规禁止公开"]),
    ("denied.three_security_one_stability", ["", "", "3.危及“三安全一稳定”"]),
    ("denied.third_party_rights", ["", "", "4.保护第三方合法权益"]),
    ("denied.internal_affairs", ["", "", "5.属于三类内部事务信息"]),
    ("denied.process_info", ["", "", "6.属于四类过程性信息"]),
    ("denied.enforcement_file", ["", "", "7.属于行政执法案卷"]),
    ("denied.administrative_query", ["", "", "8.属于行政查询事项"]),
    ("unavailable.not_held", ["", "（四）无法提供", "1.本机关不掌握相关政府信息"]),
    ("unavailable.needs_creation", ["", "", "2.没有现成信息需要另行制作"]),
    ("unavailable.unclear_after_correction", ["", "", "3.补正后申请内容仍不明确"]),
    ("not_processed.petition", ["", "（五）不予处理", "1.信访举报投诉类申请"]),
    ("not_processed.duplicate", ["", "", "2.重复申请"]),
    ("not_processed.publication", ["", "", "3.要求提供公开出版物"]),
    ("not_processed.massive_repeated", ["", "", "4.无正当理由大量反复申请"]),
    ("not_processed.confirm_or_reissue", ["", "", "5.要求行政机关确认或重新出具已获取信息"]),
    (
        "other.overdue_correction",
        ["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
    ),
    ("other.overdue_fee", ["", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"]),
    ("other.other", ["", "", "3.其他"]),
    ("total", ["", "（七）总计", ""]),
    ("carried_forward", ["四、结转下年度继续办理", "", ""]),
];

/// Where each key's value sits in the Word template: (table index, row index, grid column).
pub fn template_positions() -> BTreeMap<String, (usize, usize, usize)> {
    let mut m = BTreeMap::new();
    for (row, r) in [("regulations", 2), ("normative_documents", 3)] {
        for (col, c) in [("issued", 1), ("repealed", 2), ("in_force", 3)] {
            m.insert(format!("active/{row}/{col}"), (0, r, c));
        }
    }
    for (row, r) in [("licensing", 6), ("penalty", 9), ("coercion", 10)] {
        m.insert(format!("active/{row}/decisions"), (0, r, 1));
    }
    m.insert("active/fees/amount_wan_yuan".into(), (0, 13, 1));
    for (i, (row, _)) in APPLICATION_ROWS.iter().enumerate() {
        for (j, col) in APPLICANT_COLS.iter().enumerate() {
            m.insert(format!("applications/{row}/{col}"), (1, 3 + i, 3 + j));
        }
    }
    for (g, row) in ["reconsideration", "litigation_direct", "litigation_after_reconsideration"].iter().enumerate() {
        for (j, col) in REVIEW_COLS.iter().enumerate() {
            m.insert(format!("review/{row}/{col}"), (2, 3, g * 5 + j));
        }
    }
    m
}

/// Byte ranges `[start, end)` of `open…close` elements at the top level of `s` (no nesting).
fn elements(s: &str, open: &[&str], close: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let start = open.iter().filter_map(|o| s[i..].find(o).map(|p| i + p)).min();
        let Some(start) = start else { break };
        let end = s[start..].find(close).map(|p| start + p + close.len()).expect("closed element");
        out.push((start, end));
        i = end;
    }
    out
}

/// The template's document.xml with `values` written into their cells (a run appended to the
/// cell's last paragraph, as Word does when one types into an empty cell) and, if given, the
/// first paragraph's title replaced.
pub fn fill_document_xml(xml: &str, values: &Values, title: Option<&str>) -> String {
    let pos = template_positions();
    // (byte offset, text to insert), applied from the end.
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let tables = elements(xml, &["<w:tbl>"], "</w:tbl>");
    assert_eq!(tables.len(), 3, "the template has three tables");
    for (key, v) in values {
        let &(t, r, c) = pos.get(key).unwrap_or_else(|| panic!("{key} has no place in the template"));
        let (ts, te) = tables[t];
        let rows = elements(&xml[ts..te], &["<w:tr>", "<w:tr "], "</w:tr>");
        let (rs, re) = rows[r];
        let (rs, re) = (ts + rs, ts + re);
        let cells = elements(&xml[rs..re], &["<w:tc>"], "</w:tc>");
        let mut col = 0;
        let mut found = None;
        for (cs, ce) in cells {
            let cell = &xml[rs + cs..rs + ce];
            let span = cell
                .find("<w:gridSpan w:val=\"")
                .map(|p| {
                    let rest = &cell[p + 19..];
                    rest[..rest.find('"').unwrap()].parse::<usize>().unwrap()
                })
                .unwrap_or(1);
            if col == c {
                found = Some((rs + cs, rs + ce));
                break;
            }
            col += span;
        }
        let (cs, ce) = found.unwrap_or_else(|| panic!("{key}: no cell starts at grid column {c}"));
        let last_p = xml[cs..ce].rfind("</w:p>").expect("a cell has a paragraph") + cs;
        inserts.push((last_p, format!("<w:r><w:t>{v}</w:t></w:r>")));
    }
    inserts.sort_by_key(|x| std::cmp::Reverse(x.0));
    let mut out = xml.to_string();
    for (p, s) in inserts {
        out.insert_str(p, &s);
    }
    if let Some(title) = title {
        let old = "<w:t>政府信息公开工作年度报告格式模板</w:t>";
        assert!(out.contains(old), "template title");
        out = out.replacen(old, &format!("<w:t>{title}</w:t>"), 1);
    }
    out
}

/// Rewrite a zip archive, replacing one entry's content.
pub fn rezip(zip_bytes: &[u8], name: &str, content: &[u8]) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut zout = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let n = f.name().unwrap().to_string();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        zout.start_file(n.as_str(), opts).unwrap();
        zout.write_all(if n == name { content } else { &buf }).unwrap();
    }
    zout.finish().unwrap().into_inner()
}

pub fn read_entry(zip_bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The real template with `values` typed into its cells.
pub fn filled_template(values: &Values, title: Option<&str>) -> Vec<u8> {
    let bytes = std::fs::read(TEMPLATE).unwrap();
    let xml = read_entry(&bytes, "word/document.xml");
    let filled = fill_document_xml(&xml, values, title);
    rezip(&bytes, "word/document.xml", filled.as_bytes())
}

/// The lines of table 三 that a reader must give for `values` (blank where a key is absent).
pub fn expected_application_lines(values: &Values) -> Vec<String> {
    APPLICATION_ROWS
        .iter()
        .map(|(row, labels)| {
            let mut f: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
            for col in APPLICANT_COLS {
                f.push(values.get(&format!("applications/{row}/{col}")).cloned().unwrap_or_default());
            }
            f.join("\t")
        })
        .collect()
}

/// Distinct values for every cell of the form (so that any shift shows).
pub fn distinct_values() -> Values {
    template_positions().keys().enumerate().map(|(i, k)| (k.clone(), format!("{}", 101 + i))).collect()
}

/// `values` without the keys `drop` says to leave blank.
pub fn with_blanks(values: &Values, drop: impl Fn(&str, &str) -> bool) -> Values {
    values.iter().filter(|(k, v)| !drop(k, v)).map(|(k, v)| (k.clone(), v.clone())).collect()
}

// ---------------------------------------------------------------------------------------------
// the same form as a web page

fn td(attrs: &str, text: &str) -> String {
    if attrs.is_empty() { format!("<td>{text}</td>") } else { format!("<td {attrs}>{text}</td>") }
}

/// A value cell; blanks written three ways web pages write them.
fn vtd(values: &Values, key: &str, n: usize) -> String {
    match values.get(key) {
        Some(v) => format!("<td><p style=\"text-align:center\"><span>{v}</span></p></td>"),
        None => ["<td>&nbsp;</td>", "<td></td>", "<td><p>\u{3000}</p></td>"][n % 3].to_string(),
    }
}

/// The 2021 form's three tables as HTML, the way CMS editors paste them.
pub fn form_2021_html(values: &Values) -> String {
    let mut h = String::new();
    let mut n = 0;
    let mut v = |key: &str| {
        n += 1;
        vtd(values, key, n)
    };
    h.push_str("<p><strong>二、主动公开政府信息情况</strong></p>\n<table border=\"1\" cellspacing=\"0\"><tbody>\n");
    h.push_str(&format!("<tr>{}</tr>\n", td("colspan=\"4\"", "第二十条第（一）项")));
    h.push_str("<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>\n");
    for (row, label) in [("regulations", "规章"), ("normative_documents", "行政规范性文件")] {
        h.push_str(&format!(
            "<tr><td>{label}</td>{}{}{}</tr>\n",
            v(&format!("active/{row}/issued")),
            v(&format!("active/{row}/repealed")),
            v(&format!("active/{row}/in_force"))
        ));
    }
    for (item, head, rows) in [
        ("第二十条第（五）项", "本年处理决定数量", vec![("licensing", "行政许可")]),
        ("第二十条第（六）项", "本年处理决定数量", vec![("penalty", "行政处罚"), ("coercion", "行政强制")]),
        ("第二十条第（八）项", "本年收费金额（单位：万元）", vec![("fees", "行政事业性收费")]),
    ] {
        h.push_str(&format!("<tr>{}</tr>\n", td("colspan=\"4\"", item)));
        h.push_str(&format!("<tr><td>信息内容</td>{}</tr>\n", td("colspan=\"3\"", head)));
        for (row, label) in rows {
            let col = if row == "fees" { "amount_wan_yuan" } else { "decisions" };
            let cell = v(&format!("active/{row}/{col}")).replacen("<td", "<td colspan=\"3\"", 1);
            h.push_str(&format!("<tr><td>{label}</td>{cell}</tr>\n"));
        }
    }
    h.push_str(
        "</tbody></table>\n<p><strong>三、收到和处理政府信息公开申请情况</strong></p>\n<table border=\"1\"><tbody>\n",
    );
    h.push_str(&format!(
        "<tr>{}{}</tr>\n",
        td("rowspan=\"3\" colspan=\"3\"", "（本列数据的勾稽关系为：第一项加第二项之和，<br/>等于第三项加第四项之和）"),
        td("colspan=\"7\"", "申请人情况")
    ));
    h.push_str(&format!(
        "<tr>{}{}{}</tr>\n",
        td("rowspan=\"2\"", "自然人"),
        td("colspan=\"5\"", "法人或其他组织"),
        td("rowspan=\"2\"", "总计")
    ));
    h.push_str(
        "<tr><td>商业<br>企业</td><td>科研<br>机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>\n",
    );
    let rowspans: BTreeMap<&str, &str> = [
        ("denied.state_secret", "8"),
        ("unavailable.not_held", "3"),
        ("not_processed.petition", "5"),
        ("other.overdue_correction", "3"),
    ]
    .into_iter()
    .collect();
    for (row, labels) in APPLICATION_ROWS {
        let mut tr = String::from("<tr>");
        match row {
            "new_received" | "carried_over" | "carried_forward" => tr.push_str(&td("colspan=\"3\"", labels[0])),
            "granted" => {
                tr.push_str(&td("rowspan=\"22\"", labels[0]));
                tr.push_str(&td("colspan=\"2\"", labels[1]));
            }
            "partially_granted" | "total" => tr.push_str(&td("colspan=\"2\"", labels[1])),
            _ => {
                if let Some(rs) = rowspans.get(row) {
                    tr.push_str(&td(&format!("rowspan=\"{rs}\""), labels[1]));
                }
                tr.push_str(&td("", labels[2]));
            }
        }
        for col in APPLICANT_COLS {
            tr.push_str(&v(&format!("applications/{row}/{col}")));
        }
        tr.push_str("</tr>\n");
        h.push_str(&tr);
    }
    h.push_str("</tbody></table>\n<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>\n<table border=\"1\"><tbody>\n");
    h.push_str(&format!("<tr>{}{}</tr>\n", td("colspan=\"5\"", "行政复议"), td("colspan=\"10\"", "行政诉讼")));
    let mut r1 = String::from("<tr>");
    for l in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] {
        r1.push_str(&td("rowspan=\"2\"", l));
    }
    r1.push_str(&td("colspan=\"5\"", "未经复议直接起诉"));
    r1.push_str(&td("colspan=\"5\"", "复议后起诉"));
    h.push_str(&r1);
    h.push_str("</tr>\n<tr>");
    for _ in 0..2 {
        for l in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] {
            h.push_str(&td("", l));
        }
    }
    h.push_str("</tr>\n<tr>");
    for row in ["reconsideration", "litigation_direct", "litigation_after_reconsideration"] {
        for col in REVIEW_COLS {
            h.push_str(&v(&format!("review/{row}/{col}")));
        }
    }
    h.push_str("</tr>\n</tbody></table>\n");
    h
}

/// A whole saved page around the form: top bar, nav, breadcrumb, sidebar, share bar, footer,
/// scripts and styles; `charset` goes into `<meta charset>`.
pub fn page_html(title: &str, values: &Values, charset: &str) -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta name="ArticleTitle" content="{title}">
<title>{title}_淮北市烈山区人民政府</title>
<style>.top-bar {{ color: red }} body::before {{ content: "长者模式" }}</style>
<script>var mode = "长者模式"; document.write("无障碍浏览");</script>
</head>
<body>
<div class="top-bar"><div class="wrap"><span>您好，欢迎访问淮北市烈山区人民政府网站！</span>
  <a href="#">长者模式</a> | <a href="#">无障碍浏览</a> | <a href="#">网站地图</a> <a href="#">登录</a> <a href="#">注册</a> <a href="#">繁体</a></div></div>
<div id="header"><img src="logo.png" alt="烈山区人民政府"><form><input type="text" value="请输入关键字"><button>搜索</button></form></div>
<div class="mainNav"><ul><li><a href="/">首页</a></li><li><a href="#">走进烈山</a></li><li><a href="#">政务公开</a></li><li><a href="#">政务服务</a></li><li><a href="#">互动交流</a></li></ul></div>
<div class="main">
  <div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">政府信息公开年报</a></div>
  <div class="left-col">
    <h3>相关年报</h3>
    <ul><li><a href="#">淮北市烈山区2020年政府信息公开工作年度报告</a></li><li><a href="#">淮北市烈山区2019年政府信息公开工作年度报告</a></li></ul>
  </div>
  <div class="article">
    <h1 class="article-title">{title}</h1>
    <div class="info">发布时间：2022-01-20 10:30 来源：区政府办 <span class="font">字号：<a>大</a> <a>中</a> <a>小</a></span></div>
    <div class="TRS_Editor" id="zoom">
      <p style="text-indent:2em">&nbsp;&nbsp;本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，
      由淮北市烈山区人民政府办公室编制。</p>
      <p><strong>一、总体情况</strong></p>
      <p>2021年，烈山区坚持以人民为中心的发展思想，全面推进政务公开工作。</p>
{form}
      <p><strong>五、存在的主要问题及改进情况</strong></p>
      <p>政策解读形式还不够丰富。</p>
      <p><strong>六、其他需要报告的事项</strong></p>
      <p>本年度未收取信息处理费。</p>
    </div>
    <div class="share-bar">分享到：<a>微信</a> <a>微博</a></div>
    <div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
  </div>
</div>
<div class="footer"><p>主办单位：淮北市烈山区人民政府办公室 地址：烈山区政务中心</p><p>皖ICP备05001234号 网站标识码：3406040001</p></div>
<script>window.onload = function() {{ console.log("登录"); }}</script>
</body>
</html>
"##,
        form = form_2021_html(values)
    )
}
