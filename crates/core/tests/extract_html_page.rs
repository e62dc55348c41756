//! A web page rendered from a sample's values (the official form with rowspan/colspan, blank
//! cells, site chrome around it), in UTF-8 and in GB18030 with `<meta charset="gb2312">`.
use crate::common::*;
use nianbao_core::open::{docx_to_text, html_to_text};

const TITLE: &str = "淮北市烈山区2021年政府信息公开工作年度报告";

fn blanked() -> Values {
    with_blanks(&expected("lieshan-2021"), |k, v| {
        (k.starts_with("applications/denied.") && v == "0") || k.starts_with("review/litigation_direct/")
    })
}

fn table_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.contains('\t')).collect()
}

fn check_page(text: &str, title: Option<String>, v: &Values) {
    let ls: Vec<&str> = text.lines().collect();
    assert_eq!(ls[0], TITLE, "the heading comes first");
    assert_eq!(title.as_deref(), Some(format!("{TITLE}_淮北市烈山区人民政府").as_str()));
    assert_eq!(ls.iter().filter(|l| **l == TITLE).count(), 1, "heading written once");
    for chrome in [
        "长者模式",
        "无障碍",
        "网站地图",
        "登录",
        "注册",
        "繁体",
        "当前位置",
        "首页",
        "分享",
        "打印",
        "ICP",
        "主办单位",
        "相关年报",
        "2020年政府信息公开",
        "字号",
        "请输入",
        "console",
        "content:",
        "欢迎访问",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} leaked into:\n{text}");
    }
    assert_eq!(
        ls[1],
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由淮北市烈山区人民政府办公室编制。"
    );
    assert!(ls.contains(&"二、主动公开政府信息情况"));
    assert_eq!(ls.last(), Some(&"本年度未收取信息处理费。"));
    // Table 三 exactly as the form says.
    let i = ls.iter().position(|l| l.starts_with("一、本年新收")).unwrap();
    assert_eq!(ls[i..i + 25].to_vec(), expected_application_lines(v));
    assert_eq!(
        ls[i - 3..i].to_vec(),
        vec![
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况\t\t\t\t\t\t",
            "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
            "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
        ]
    );
    // Same table text as the filled Word template with the same values.
    let docx = docx_to_text(&filled_template(v, Some(TITLE))).unwrap();
    assert_eq!(table_lines(text), table_lines(&docx));
}

#[test]
fn utf8_page_reads_back_exactly() {
    let v = blanked();
    let page = page_html(TITLE, &v, "utf-8");
    let (text, title) = html_to_text(page.as_bytes()).unwrap();
    check_page(&text, title, &v);
}

#[test]
fn gb18030_page_with_gb2312_meta_reads_back_exactly() {
    let v = blanked();
    let page = page_html(TITLE, &v, "gb2312");
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&page);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let (text, title) = html_to_text(&bytes).unwrap();
    check_page(&text, title, &v);
}

#[test]
fn gbk_page_without_any_charset_label() {
    let v = distinct_values();
    let page = page_html(TITLE, &v, "x").replace("<meta charset=\"x\">", "");
    let (bytes, _, _) = encoding_rs::GB18030.encode(&page);
    let (text, title) = html_to_text(&bytes).unwrap();
    check_page(&text, title, &v);
}

#[test]
fn utf8_page_with_bom_and_stale_gbk_meta() {
    let v = distinct_values();
    let page = page_html(TITLE, &v, "gbk");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(page.as_bytes());
    check_page(&html_to_text(&bytes).unwrap().0, Some(format!("{TITLE}_淮北市烈山区人民政府")), &v);
    // Without the BOM, valid UTF-8 wins over the stale label.
    let (text, title) = html_to_text(page.as_bytes()).unwrap();
    check_page(&text, title, &v);
}

#[test]
fn page_without_a_table_gives_its_text() {
    let html = "<html><head><title>通知</title></head><body><div class=\"nav\">首页 登录</div>\
        <div class=\"content\"><h2>关于开展年度报告工作的通知</h2><p>各单位：</p><p>请于1月31日前报送。</p></div></body></html>";
    let (text, title) = html_to_text(html.as_bytes()).unwrap();
    assert_eq!(text, "关于开展年度报告工作的通知\n各单位：\n请于1月31日前报送。\n");
    assert_eq!(title.as_deref(), Some("通知"));
}

#[test]
fn heading_from_title_when_page_has_none() {
    let html = format!(
        "<html><head><title>{TITLE} - 烈山区政府</title></head><body><div id=\"zoom\"><p>一、总体情况</p><p>正文。</p></div></body></html>"
    );
    let (text, _) = html_to_text(html.as_bytes()).unwrap();
    assert_eq!(text, format!("{TITLE}\n一、总体情况\n正文。\n"));
}

/// A page shaped like the Shanghai 2019 report (the 2019 form; headers broken with <br>, a
/// value cell with units, blank cells, table 四's two header rows). Compare
/// /work/shared/samples/shanghai-2019.txt, the browser's copy of the real page.
pub fn shanghai_like() -> String {
    r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>2019年上海市人民政府办公厅政府信息公开工作年度报告</title></head>
<body><div class="nav">首页 | 政务公开</div><div class="Article_content" id="ivs_content">
<p>二、主动公开政府信息情况</p>
<table><tbody>
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年新<br>制作数量</td><td>本年新<br>公开数量</td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>13</td><td>13</td><td>524</td></tr>
<tr><td>规范性文件</td><td>60</td><td>60</td><td>368</td></tr>
<tr><td colspan="4">第二十条第（九）项</td></tr>
<tr><td>信息内容</td><td>采购项目数量</td><td colspan="2">采购总金额</td></tr>
<tr><td>政府集中采购</td><td>6</td><td colspan="2">251000元</td></tr>
</tbody></table>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table><tbody>
<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td><td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td></tr>
<tr><td>5</td><td>&nbsp;</td><td></td><td>2</td><td>7</td><td>8</td><td></td><td></td><td>1</td><td>9</td><td></td><td></td><td></td><td></td><td></td></tr>
</tbody></table>
<p>五、政府信息公开工作存在的主要问题及改进情况</p></div></body></html>"#
        .to_string()
}

#[test]
fn shanghai_like_page_is_at_least_as_good_as_a_browser_copy() {
    let (text, _) = html_to_text(shanghai_like().as_bytes()).unwrap();
    let want = "2019年上海市人民政府办公厅政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第（一）项\t\t\t
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t13\t13\t524
规范性文件\t60\t60\t368
第二十条第（九）项\t\t\t
信息内容\t采购项目数量\t采购总金额\t
政府集中采购\t6\t251000元\t
四、政府信息公开行政复议、行政诉讼情况
行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t
结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t
\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计
5\t\t\t2\t7\t8\t\t\t1\t9\t\t\t\t\t
五、政府信息公开工作存在的主要问题及改进情况
";
    assert_eq!(text, want);
    // The browser copy splits 本年新/制作数量 over two lines and drops the row-spanned
    // header's columns; ours keeps one line per row with every field.
    let browser = std::fs::read_to_string(format!("{SAMPLES}/shanghai-2019.txt")).unwrap();
    assert!(browser.contains("信息内容\t本年新\n制作数量"));
    assert!(browser.contains("5\t\t\t2\t7\t8\t\t\t1\t9\t\t\t\t\t"));
}

/// An old-style site: ASP.NET form around everything, layout tables, chrome in table cells,
/// the title in a `td.title`, the report in a `div#zoom` with its own tables.
#[test]
fn old_style_layout_table_site() {
    let v = distinct_values();
    let page = format!(
        r##"<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>烈山区人民政府</title></head>
<body><form id="form1" method="post">
<table width="1000" align="center"><tr><td class="top"><a>长者模式</a> <a>无障碍浏览</a> <a>繁体</a></td></tr>
<tr><td><table width="100%"><tr>
  <td class="leftmenu" width="200"><ul><li><a href="#">机构概况</a></li><li><a href="#">政策文件</a></li><li><a href="#">规划计划</a></li></ul></td>
  <td width="800"><table width="100%"><tr><td class="title">{TITLE}</td></tr>
     <tr><td>发布日期：2022-01-20　浏览次数：<span id="hits">123</span></td></tr>
     <tr><td><div id="zoom"><p>一、总体情况</p><p>烈山区全面推进政务公开。</p>{form}<p>五、存在的主要问题及改进情况</p><p>无。</p></div></td></tr></table></td>
</tr></table></td></tr>
<tr><td class="bottom">版权所有：淮北市烈山区人民政府 皖ICP备05001234号</td></tr></table>
</form></body></html>"##,
        form = form_2021_html(&v)
    );
    let (bytes, _, _) = encoding_rs::GB18030.encode(&page);
    let (text, title) = html_to_text(&bytes).unwrap();
    assert_eq!(title.as_deref(), Some("烈山区人民政府"));
    let ls: Vec<&str> = text.lines().collect();
    assert_eq!(ls[..3], [TITLE, "一、总体情况", "烈山区全面推进政务公开。"]);
    assert_eq!(ls.last(), Some(&"无。"));
    for chrome in ["长者模式", "机构概况", "版权所有", "浏览次数"] {
        assert!(!text.contains(chrome), "{chrome} in\n{text}");
    }
    let i = ls.iter().position(|l| l.starts_with("一、本年新收")).unwrap();
    assert_eq!(ls[i..i + 25].to_vec(), expected_application_lines(&v));
}

/// No container can be told apart (everything in <body>, chrome as plain links): the body is
/// read, and everything before the report's heading is dropped.
#[test]
fn flat_page_drops_what_comes_before_the_heading() {
    let page = format!(
        "<html><body><a>首页</a> <a>政务公开</a> <span>2022年1月20日 星期四</span>\
         <h2>{TITLE}</h2><p>一、总体情况</p><p>正文。</p><a href=\"#\">上一篇：关于某事的通知</a></body></html>"
    );
    let (text, _) = html_to_text(page.as_bytes()).unwrap();
    assert_eq!(text, format!("{TITLE}\n一、总体情况\n正文。\n"));
}

/// Everything in <body>, a long run of chrome lines no rule knows before the heading: dropped.
#[test]
fn long_unknown_chrome_before_the_heading_is_dropped() {
    let mut top = String::new();
    for i in 0..20 {
        top.push_str(&format!("<div>栏目{i}</div>"));
    }
    let page = format!(
        "<html><body>{top}<h1>{TITLE}</h1><p>一、总体情况</p><p>2021年，我区深入贯彻落实《条例》，全面推进政务公开工作，取得了较好成效。</p>{}</body></html>",
        form_2021_html(&distinct_values())
    );
    let (text, _) = html_to_text(page.as_bytes()).unwrap();
    assert!(text.starts_with(&format!("{TITLE}\n一、总体情况\n")), "{text}");
    assert!(!text.contains("栏目"));
}
