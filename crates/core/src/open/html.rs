//! A saved web page (.html/.htm) to text in the shape of [`super::table_text`], and its title.
//!
//! Invariants:
//! - Charset: a BOM wins; then bytes that are valid UTF-8 are UTF-8 (a page re-saved as UTF-8
//!   often keeps its old `gb2312` meta); then the `<meta charset>` / `http-equiv` /
//!   `<?xml encoding?>` label found in the first 4 KB (GBK/GB2312 read as GB18030); else
//!   GB18030. Undecodable bytes become U+FFFD; decoding never fails.
//! - Never in the output: `script`, `style`, `noscript`, `template`, form controls, `iframe`,
//!   `svg`, `nav`, `header`, `footer`, `aside`, hidden elements (`hidden`, `display:none`,
//!   `visibility:hidden`); site chrome: elements whose id/class contains nav, menu, header,
//!   footer, breadcrumb, toolbar, share (and a few more, see [`chrome_class`]), and short
//!   elements made only of chrome words (长者模式, 无障碍浏览, 网站地图, 登录, 注册, 繁体, 打印 …).
//!   An element holding a data table or ≥ 30 % of the page's text is never treated as chrome.
//! - The article container: starting at `<body>`, go down into the child that holds every data
//!   table of the current element and ≥ 85 % of its non-link text, never into a data table;
//!   only that container is written.
//! - The FIRST line is the report's heading when one is found: the best heading-like element
//!   (h1–h6, a `*title*` class/id, `<meta name="ArticleTitle">`, else the `<title>`'s part)
//!   containing 年度报告/年报 (preferring 政府信息公开…年度报告). Lines of the container up to and
//!   including that heading's own line (within the first 12 lines) are dropped, so the heading
//!   is never written twice and nothing from the page top comes before it.
//! - Block elements (p, div, h1–h6, li, br, tr, …) end lines; other white space collapses to one
//!   space, and a line break between two CJK characters to nothing (CSS segment-break rule).
//! - Tables: `colspan`/`rowspan` laid on the grid as in `table_text` (rowspan=0 and overlong
//!   rowspans end at their row group; thead first, tfoot last). A table holding a table, a
//!   one-column table or one with a cell of more than [`LAYOUT_CELL_CHARS`] characters is a
//!   layout table: its cells are written as blocks.
//! - Never panics; recursion is bounded ([`MAX_DEPTH`]): deeper content is read as plain text.

use super::table_text::{CellText, ExtractError, Lines, SrcCell, clean_line, grid_lines, is_blank};
use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node};
use std::collections::{HashMap, HashSet};

type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

/// A cell longer than this (in characters) makes its table a layout table.
pub const LAYOUT_CELL_CHARS: usize = 300;
/// Elements nested deeper than this below the container are read as plain text.
pub const MAX_DEPTH: usize = 200;
/// Only this much of the page's start is searched for a charset label.
const SNIFF_BYTES: usize = 4096;

/// A saved web page → (text in the `table_text` shape, the page's `<title>` if any).
pub fn html_to_text(bytes: &[u8]) -> Result<(String, Option<String>), ExtractError> {
    std::panic::catch_unwind(|| extract(bytes))
        .unwrap_or_else(|_| Err(ExtractError::Damaged("网页无法读取（内部错误），文件可能已损坏".into())))
}

fn extract(bytes: &[u8]) -> Result<(String, Option<String>), ExtractError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::NoText);
    }
    if let Some(reason) = not_a_page(bytes) {
        return Err(ExtractError::NotDocx(reason.into()));
    }
    let text = decode(bytes);
    if !text.contains('<') {
        // Plain text saved with an .html name: keep its lines.
        let mut out = Lines::default();
        out.prose(&text);
        return if out.lines.is_empty() { Err(ExtractError::NoText) } else { Ok((out.finish(), None)) };
    }
    let doc = Html::parse_document(&text);
    let page = Page::new(&doc);
    let title = page.title();
    let lines = page.render();
    if lines.is_empty() {
        return Err(ExtractError::NoText);
    }
    let mut out = String::new();
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    Ok((out, title))
}

/// Why bytes are no web page at all (a binary format), if they are not.
fn not_a_page(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some("这是 Word（.docx）或其他压缩包文件，不是网页")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("这是旧版 Word（.doc）或 WPS 文件，不是网页")
    } else if bytes.starts_with(b"%PDF") {
        Some("这是 PDF 文件，不是网页")
    } else if encoding_rs::Encoding::for_bom(bytes).is_none_or(|(e, _)| e == encoding_rs::UTF_8) && {
        let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
        head.iter().filter(|&&b| b == 0).count() * 20 > head.len()
    } {
        Some("不是网页（二进制文件）")
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// charset

fn decode(bytes: &[u8]) -> String {
    if let Some((enc, n)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_without_bom_handling(&bytes[n..]).0.into_owned();
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let enc = match declared_charset(&bytes[..bytes.len().min(SNIFF_BYTES)]) {
        Some(e) if e == encoding_rs::GBK || e == encoding_rs::UTF_8 || !e.is_ascii_compatible() => encoding_rs::GB18030,
        Some(e) => e,
        None => encoding_rs::GB18030,
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The charset a page's start declares: `<meta charset=…>`, `<meta http-equiv content="…;
/// charset=…">` or `<?xml … encoding="…"?>`.
fn declared_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut i = 0;
    while let Some(off) = find(&lower[i..], b"<meta").or_else(|| find(&lower[i..], b"<?xml")) {
        let start = i + off;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        let key: &[u8] = if tag.starts_with(b"<?xml") { b"encoding" } else { b"charset" };
        if let Some(k) = find(tag, key) {
            let mut v = &tag[k + key.len()..];
            v = v.trim_ascii_start();
            if let Some(rest) = v.strip_prefix(b"=") {
                let rest = rest.trim_ascii_start();
                let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|&b| {
                        matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>' | b'?') || b.is_ascii_whitespace()
                    })
                    .unwrap_or(rest.len());
                if let Some(e) = encoding_rs::Encoding::for_label(&rest[..label_end]) {
                    return Some(e);
                }
            }
        }
        i = end.max(start + 1);
        if i >= lower.len() {
            break;
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// classification of elements

/// Elements never read, with all they hold.
fn dropped_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "iframe"
            | "frame"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "canvas"
            | "select"
            | "option"
            | "optgroup"
            | "datalist"
            | "button"
            | "input"
            | "textarea"
            | "map"
            | "area"
            | "audio"
            | "video"
            | "dialog"
    )
}

/// Tags of site chrome (dropped unless they hold the report).
fn chrome_tag(name: &str) -> bool {
    matches!(name, "nav" | "header" | "footer" | "aside" | "menu")
}

/// Elements that end a line before and after them.
fn block_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "address"
            | "center"
            | "form"
            | "fieldset"
            | "legend"
            | "figure"
            | "figcaption"
            | "hr"
            | "caption"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "details"
            | "summary"
            | "body"
            | "html"
            | "hgroup"
            | "marquee"
    )
}

fn hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() || e.attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    e.name() == "input" && e.attr("type").is_some_and(|t| t.eq_ignore_ascii_case("hidden"))
}

/// Whether an id/class names site chrome: it contains nav, menu, header, footer, breadcrumb,
/// toolbar, share, sidebar, copyright, crumb; or one of its words is top, dh (导航), foot,
/// bottom, wza (无障碍), weizhi/position/location (当前位置), login, search, elder.
pub(crate) fn chrome_class(s: &str) -> bool {
    const CONTAINS: &[&str] = &[
        "nav",
        "menu",
        "header",
        "footer",
        "breadcrumb",
        "crumb",
        "toolbar",
        "share",
        "sidebar",
        "copyright",
        "daohang",
    ];
    const WORDS: &[&str] = &[
        "top", "topbar", "dh", "foot", "bottom", "wza", "weizhi", "position", "location", "login", "search", "elder",
        "skip", "tools", "fxan",
    ];
    let lower = s.to_ascii_lowercase();
    if CONTAINS.iter().any(|k| lower.contains(k)) {
        return true;
    }
    // Words: split on non-alphanumerics and at camelCase humps.
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words.iter().any(|w| WORDS.contains(&w.as_str()))
}

/// Words that make up site chrome when an element holds nothing else.
const CHROME_WORDS: &[&str] = &[
    "长者模式",
    "长者版",
    "关怀模式",
    "关怀版",
    "老年模式",
    "适老化",
    "无障碍",
    "无障碍浏览",
    "无障碍阅读",
    "无障碍模式",
    "网站无障碍",
    "读屏",
    "读屏模式",
    "网站地图",
    "登录",
    "注册",
    "退出",
    "个人中心",
    "用户中心",
    "繁体",
    "繁體",
    "简体",
    "繁体版",
    "简体版",
    "繁體版",
    "English",
    "ENGLISH",
    "english",
    "EN",
    "手机版",
    "移动版",
    "微信",
    "微博",
    "搜索",
    "首页",
    "返回首页",
    "网站首页",
    "设为首页",
    "加入收藏",
    "收藏本站",
    "收藏",
    "打印",
    "打印本页",
    "【打印】",
    "关闭",
    "关闭窗口",
    "关闭本页",
    "分享",
    "分享到",
    "字号",
    "字体",
    "大",
    "中",
    "小",
    "默认",
    "我要纠错",
    "纠错",
    "扫一扫",
    "在手机打开",
    "返回顶部",
    "顶部",
    "智能问答",
    "政务服务",
    "欢迎访问",
    "您好",
    "今天是",
];

/// Lines of site chrome known by how they start (navigation between articles, breadcrumbs).
const CHROME_STARTS: &[&str] = &[
    "上一篇",
    "下一篇",
    "当前位置",
    "您当前位置",
    "您的位置",
    "您现在的位置",
    "您当前所在位置",
    "当前的位置",
    "分享到",
];

/// Whether a short text is made only of chrome words (and separators), or starts like chrome.
fn chrome_text(text: &str) -> bool {
    let t = clean_line(text);
    if CHROME_STARTS.iter().any(|s| t.starts_with(s)) {
        return true;
    }
    let mut any = false;
    for w in text.split(|c: char| {
        is_blank(c)
            || matches!(
                c,
                '|' | '｜'
                    | '/'
                    | '、'
                    | '·'
                    | '•'
                    | '【'
                    | '】'
                    | '['
                    | ']'
                    | '('
                    | ')'
                    | '（'
                    | '）'
                    | ':'
                    | '：'
                    | '-'
            )
    }) {
        if w.is_empty() {
            continue;
        }
        if !CHROME_WORDS.contains(&w) {
            return false;
        }
        any = true;
    }
    any
}

// ---------------------------------------------------------------------------------------------
// the page: statistics, chrome, container, heading

#[derive(Debug, Default, Clone, Copy)]
struct Stats {
    /// Non-blank characters of text below (dropped and hidden parts not counted).
    text: usize,
    /// Of them, inside links.
    link: usize,
    /// Data tables below (or this one).
    data_tables: usize,
    /// Table elements below (not counting this one).
    tables_below: usize,
    /// Elements in the subtree, this one included.
    nodes: usize,
}

struct Page<'a> {
    doc: &'a Html,
    body: NodeRef<'a>,
    /// Chrome elements, dropped from the output.
    chrome: HashSet<NodeId>,
    /// Statistics with chrome dropped.
    stats: HashMap<NodeId, Stats>,
    data_tables: HashSet<NodeId>,
}

fn elem<'a>(n: &NodeRef<'a>) -> Option<&'a scraper::node::Element> {
    n.value().as_element()
}

fn is_tag(n: &NodeRef<'_>, name: &str) -> bool {
    elem(n).is_some_and(|e| e.name() == name)
}

fn non_blank_chars(s: &str) -> usize {
    s.chars().filter(|&c| !is_blank(c)).count()
}

/// The rows of a table in display order (thead, bodies and direct rows, tfoot), each with the
/// index of the row group it belongs to.
fn table_rows<'a>(table: NodeRef<'a>) -> Vec<(NodeRef<'a>, usize)> {
    let (mut head, mut body, mut foot) = (Vec::new(), Vec::new(), Vec::new());
    let mut group = 0usize;
    let mut loose_group: Option<usize> = None;
    for c in table.children() {
        let Some(e) = elem(&c) else { continue };
        if hidden(e) {
            continue;
        }
        match e.name() {
            "tr" => {
                let g = *loose_group.get_or_insert_with(|| {
                    group += 1;
                    group
                });
                body.push((c, g));
            }
            "thead" | "tbody" | "tfoot" => {
                group += 1;
                loose_group = None;
                let dest = match e.name() {
                    "thead" => &mut head,
                    "tfoot" => &mut foot,
                    _ => &mut body,
                };
                for r in c.children() {
                    if elem(&r).is_some_and(|e| e.name() == "tr" && !hidden(e)) {
                        dest.push((r, group));
                    }
                }
            }
            _ => {}
        }
    }
    head.extend(body);
    head.extend(foot);
    head
}

fn row_cells<'a>(tr: NodeRef<'a>) -> impl Iterator<Item = NodeRef<'a>> {
    tr.children().filter(|c| elem(c).is_some_and(|e| matches!(e.name(), "td" | "th") && !hidden(e)))
}

fn span_attr(e: &scraper::node::Element, name: &str) -> Option<usize> {
    let v = e.attr(name)?;
    let digits: String = v.trim().chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse::<usize>().ok().or(Some(usize::MAX).filter(|_| !digits.is_empty()))
}

impl<'a> Page<'a> {
    fn new(doc: &'a Html) -> Page<'a> {
        let root = doc.tree.root();
        let body = root
            .descendants()
            .find(|n| is_tag(n, "body"))
            .or_else(|| root.descendants().find(|n| is_tag(n, "html")))
            .unwrap_or(root);
        let empty = HashSet::new();
        let (raw, raw_tables) = compute_stats(body, &empty);
        let total = raw.get(&body.id()).map_or(0, |s| s.text);
        let mut chrome = HashSet::new();
        let mut skip_until: Option<NodeId> = None;
        // Open data tables around the element: their cells' words are never chrome words.
        let mut in_data = 0usize;
        for edge in body.traverse() {
            match edge {
                Edge::Open(n) => {
                    if raw_tables.contains(&n.id()) {
                        in_data += 1;
                    }
                    if skip_until.is_some() {
                        continue;
                    }
                    let Some(e) = elem(&n) else { continue };
                    if n.id() == body.id() || dropped_tag(e.name()) {
                        continue;
                    }
                    let st = raw.get(&n.id()).copied().unwrap_or_default();
                    // Made only of chrome words: chrome wherever it is.
                    let by_text = in_data == 0
                        && st.text > 0
                        && st.text <= 80
                        && st.data_tables == 0
                        && st.nodes <= 64
                        && !matches!(e.name(), "td" | "th" | "tr")
                        && chrome_text(&plain_text(n));
                    // Chrome by its tag or name, unless it holds the report.
                    let holds_report = st.data_tables > 0 || (total > 0 && st.text * 10 >= total * 3);
                    let by_name = !holds_report
                        && (chrome_tag(e.name())
                            || e.id().is_some_and(chrome_class)
                            || e.attr("class").is_some_and(chrome_class));
                    if by_text || by_name {
                        chrome.insert(n.id());
                        skip_until = Some(n.id());
                    }
                }
                Edge::Close(n) => {
                    if raw_tables.contains(&n.id()) {
                        in_data -= 1;
                    }
                    if skip_until == Some(n.id()) {
                        skip_until = None;
                    }
                }
            }
        }
        let (stats, data_tables) = compute_stats(body, &chrome);
        Page { doc, body, chrome, stats, data_tables }
    }

    fn st(&self, n: &NodeRef<'_>) -> Stats {
        self.stats.get(&n.id()).copied().unwrap_or_default()
    }

    /// Go down from the body into the child holding every data table and ≥ 85 % of the
    /// non-link text, while there is one.
    fn container(&self) -> NodeRef<'a> {
        let mut cur = self.body;
        loop {
            if self.data_tables.contains(&cur.id()) {
                return cur;
            }
            let s = self.st(&cur);
            let prose = s.text.saturating_sub(s.link);
            if prose == 0 && s.data_tables == 0 {
                return cur;
            }
            let next = cur.children().find(|c| {
                if elem(c).is_none() || self.chrome.contains(&c.id()) {
                    return false;
                }
                let cs = self.st(c);
                let cp = cs.text.saturating_sub(cs.link);
                cs.data_tables == s.data_tables && cp * 100 >= prose * 85 && cs.text > 0
            });
            match next {
                Some(c) if !self.data_tables.contains(&c.id()) => cur = c,
                _ => return cur,
            }
        }
    }

    fn title(&self) -> Option<String> {
        let t = self.doc.tree.root().descendants().find(|n| is_tag(n, "title"))?;
        let s = collapse(&plain_text_all(t));
        (!s.is_empty()).then_some(s)
    }

    /// The report's heading: (text, the element it comes from if it is one in the body).
    fn heading(&self, container: NodeRef<'a>) -> Option<(String, Option<NodeId>)> {
        let in_container: HashSet<NodeId> = container.descendants().map(|n| n.id()).collect();
        // (score, order, text, id)
        let mut best: Option<(i32, usize, String, Option<NodeId>)> = None;
        let mut consider = |score: i32, order: usize, text: String, id: Option<NodeId>| {
            if score <= 0 {
                return;
            }
            if best.as_ref().is_none_or(|b| score > b.0 || (score == b.0 && order < b.1)) {
                best = Some((score, order, text, id));
            }
        };
        let keyword = |t: &str| -> i32 {
            let k: String = t.chars().filter(|c| !is_blank(*c)).collect();
            let n = k.chars().count();
            if !(6..=100).contains(&n) {
                return 0;
            }
            match (k.contains("政府信息公开"), k.contains("年度报告") || k.contains("年报")) {
                (true, true) => 100,
                (false, true) => 60,
                _ => 0,
            }
        };
        let mut order = 0usize;
        let mut inside_link = 0usize;
        let mut skip_until: Option<NodeId> = None;
        for edge in self.doc.tree.root().traverse() {
            match edge {
                Edge::Open(n) => {
                    order += 1;
                    let Some(e) = elem(&n) else { continue };
                    if e.name() == "a" {
                        inside_link += 1;
                    }
                    if skip_until.is_some() {
                        continue;
                    }
                    if e.name() == "meta" {
                        let name = e.attr("name").unwrap_or("").to_ascii_lowercase();
                        if matches!(name.as_str(), "articletitle" | "title" | "og:title")
                            && let Some(c) = e.attr("content")
                        {
                            let c = collapse(c);
                            consider(keyword(&c) + 10, order, c, None);
                        }
                        continue;
                    }
                    if e.name() == "title" {
                        let t = collapse(&plain_text_all(n));
                        if let Some(part) = title_part(&t) {
                            consider(keyword(&part) + 5, order, part, None);
                        }
                        continue;
                    }
                    if (dropped_tag(e.name()) && e.name() != "head") || hidden(e) {
                        skip_until = Some(n.id());
                        continue;
                    }
                    let tag_score = match e.name() {
                        "h1" => 40,
                        "h2" => 35,
                        "h3" => 30,
                        "h4" | "h5" | "h6" => 20,
                        _ if e.id().is_some_and(|s| s.to_ascii_lowercase().contains("title"))
                            || e.attr("class").is_some_and(|s| s.to_ascii_lowercase().contains("title")) =>
                        {
                            25
                        }
                        _ => continue,
                    };
                    if inside_link > 0 || self.chrome.contains(&n.id()) {
                        continue;
                    }
                    let t = collapse(&plain_text(n));
                    let k = keyword(&t);
                    if k > 0 {
                        let near = if in_container.contains(&n.id()) { 5 } else { 0 };
                        consider(k + tag_score + near, order, t, Some(n.id()));
                    }
                }
                Edge::Close(n) => {
                    if is_tag(&n, "a") {
                        inside_link = inside_link.saturating_sub(1);
                    }
                    if skip_until == Some(n.id()) {
                        skip_until = None;
                    }
                }
            }
        }
        best.map(|(_, _, t, id)| (t, id))
    }

    fn render(&self) -> Vec<String> {
        let container = self.container();
        let heading = self.heading(container);
        let mut w = Walker::new(self, false);
        w.mark = heading.as_ref().and_then(|h| h.1);
        w.walk(container, 0);
        w.flush();
        let mark_at = w.mark_at;
        let mut lines = w.out.lines;
        if let Some((heading, _)) = heading {
            // What the container shows before the heading element is page top (a breadcrumb, a
            // date bar), unless it holds a table row or much of the text.
            if let Some(m) = mark_at.filter(|&m| m > 0 && m <= lines.len()) {
                let chars = |ls: &[String]| ls.iter().map(|l| l.chars().count()).sum::<usize>();
                let before = &lines[..m];
                if !before.iter().any(|l| l.contains('\t')) && chars(before) * 10 < chars(&lines) * 3 {
                    lines.drain(..m);
                }
            }
            let key = |s: &str| s.chars().filter(|c| !is_blank(*c)).collect::<String>();
            let hk = key(&heading);
            if let Some(i) = lines.iter().take(12).position(|l| key(l) == hk) {
                lines.drain(..=i);
            }
            lines.insert(0, heading);
        }
        lines
    }
}

/// The part of a `<title>` that names the report (titles are often `报告名_网站名`).
fn title_part(t: &str) -> Option<String> {
    t.split(['_', '|', '｜', '—'])
        .flat_map(|p| p.split(" - "))
        .flat_map(|p| p.split("－"))
        .map(|p| clean_line(p).to_string())
        .find(|p| p.contains("年度报告") || p.contains("年报"))
}

/// Collapse white space runs to one space and trim.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut ws = false;
    for c in s.chars() {
        if is_blank(c) {
            ws = true;
        } else {
            if ws && !out.is_empty() {
                out.push(' ');
            }
            ws = false;
            out.push(c);
        }
    }
    out
}

/// All text below `n` (iteratively), dropped tags and hidden elements skipped.
fn plain_text(n: NodeRef<'_>) -> String {
    let mut s = String::new();
    let mut skip_until: Option<NodeId> = None;
    for edge in n.traverse() {
        match edge {
            Edge::Open(c) => {
                if skip_until.is_some() {
                    continue;
                }
                match c.value() {
                    Node::Text(t) => s.push_str(t),
                    Node::Element(e) if c.id() != n.id() && (dropped_tag(e.name()) || hidden(e)) => {
                        skip_until = Some(c.id())
                    }
                    Node::Element(e) if block_tag(e.name()) || e.name() == "br" => s.push(' '),
                    _ => {}
                }
            }
            Edge::Close(c) => {
                if skip_until == Some(c.id()) {
                    skip_until = None;
                }
            }
        }
    }
    s
}

/// All text below `n`, nothing skipped (for `<title>`).
fn plain_text_all(n: NodeRef<'_>) -> String {
    n.descendants().filter_map(|c| c.value().as_text().map(|t| t.to_string())).collect()
}

/// Statistics of every element below `top` (iteratively, post-order), skipping dropped tags,
/// hidden elements and the `skip` set; and the set of data tables.
fn compute_stats(top: NodeRef<'_>, skip: &HashSet<NodeId>) -> (HashMap<NodeId, Stats>, HashSet<NodeId>) {
    let mut map: HashMap<NodeId, Stats> = HashMap::new();
    let mut data_tables = HashSet::new();
    let mut stack: Vec<Stats> = vec![Stats::default()];
    let mut links = 0usize;
    let mut skip_until: Option<NodeId> = None;
    for edge in top.traverse() {
        match edge {
            Edge::Open(n) => {
                if skip_until.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Text(t) => {
                        let k = non_blank_chars(t);
                        if let Some(s) = stack.last_mut() {
                            s.text += k;
                            if links > 0 {
                                s.link += k;
                            }
                        }
                    }
                    Node::Element(e) => {
                        if n.id() != top.id() && (dropped_tag(e.name()) || hidden(e) || skip.contains(&n.id())) {
                            skip_until = Some(n.id());
                            continue;
                        }
                        if e.name() == "a" {
                            links += 1;
                        }
                        stack.push(Stats::default());
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip_until.is_some() {
                    if skip_until == Some(n.id()) {
                        skip_until = None;
                    }
                    continue;
                }
                let Some(e) = elem(&n) else { continue };
                if e.name() == "a" {
                    links = links.saturating_sub(1);
                }
                let Some(mut s) = stack.pop() else { continue };
                s.nodes += 1;
                if e.name() == "table" && is_data_table(n, &map) {
                    s.data_tables += 1;
                    data_tables.insert(n.id());
                }
                map.insert(n.id(), s);
                if let Some(p) = stack.last_mut() {
                    p.text += s.text;
                    p.link += s.link;
                    p.data_tables += s.data_tables;
                    p.tables_below += s.tables_below + usize::from(e.name() == "table");
                    p.nodes += s.nodes;
                }
            }
        }
    }
    (map, data_tables)
}

/// A table of data (not layout): ≥ 2 rows, a row of ≥ 2 cells, no table inside a cell, no cell
/// longer than [`LAYOUT_CELL_CHARS`].
fn is_data_table(t: NodeRef<'_>, map: &HashMap<NodeId, Stats>) -> bool {
    let rows = table_rows(t);
    if rows.len() < 2 {
        return false;
    }
    let mut wide = false;
    for (r, _) in &rows {
        let mut n = 0;
        for c in row_cells(*r) {
            n += 1;
            let s = map.get(&c.id()).copied().unwrap_or_default();
            if s.tables_below > 0 || s.text > LAYOUT_CELL_CHARS {
                return false;
            }
        }
        wide |= n >= 2;
    }
    wide
}

// ---------------------------------------------------------------------------------------------
// rendering

/// Collects inline text with HTML white-space rules.
#[derive(Default)]
struct Inline {
    s: String,
    ws: bool,
    nl: bool,
}

fn cjk_like(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FFFF}' | '\u{2018}'..='\u{201D}')
}

impl Inline {
    fn text(&mut self, t: &str, pre: bool) {
        for c in t.chars() {
            if !pre && matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0C}') {
                self.ws = true;
                self.nl |= matches!(c, '\n' | '\r');
                continue;
            }
            if self.ws && !self.s.is_empty() {
                let last = self.s.chars().next_back();
                if !(self.nl && last.is_some_and(cjk_like) && cjk_like(c)) {
                    self.s.push(' ');
                }
            }
            self.ws = false;
            self.nl = false;
            self.s.push(if c == '\u{00A0}' { ' ' } else { c });
        }
    }

    fn take(&mut self) -> String {
        self.ws = false;
        self.nl = false;
        std::mem::take(&mut self.s)
    }
}

struct Walker<'p, 'a> {
    page: &'p Page<'a>,
    out: Lines,
    cur: Inline,
    /// In a table cell: breaks are soft separators in `cell`, not lines.
    cell: Option<CellText>,
    pre: usize,
    /// The heading element, and the index of the first line written at or after it.
    mark: Option<NodeId>,
    mark_at: Option<usize>,
}

impl<'p, 'a> Walker<'p, 'a> {
    fn new(page: &'p Page<'a>, in_cell: bool) -> Walker<'p, 'a> {
        Walker {
            page,
            out: Lines::default(),
            cur: Inline::default(),
            cell: in_cell.then(CellText::new),
            pre: 0,
            mark: None,
            mark_at: None,
        }
    }

    fn flush(&mut self) {
        let s = self.cur.take();
        match &mut self.cell {
            Some(c) => {
                c.push_str(&s);
                c.separate();
            }
            None => self.out.prose(&s),
        }
    }

    fn skip(&self, n: &NodeRef<'_>, e: &scraper::node::Element) -> bool {
        dropped_tag(e.name()) || hidden(e) || self.page.chrome.contains(&n.id())
    }

    fn walk(&mut self, n: NodeRef<'a>, depth: usize) {
        match n.value() {
            Node::Text(t) => {
                if self.pre > 0 {
                    let mut first = true;
                    for part in t.split('\n') {
                        if !first {
                            self.flush();
                        }
                        first = false;
                        self.cur.text(part, true);
                    }
                } else {
                    self.cur.text(t, false);
                }
            }
            Node::Element(e) => {
                if self.skip(&n, e) {
                    return;
                }
                if self.mark == Some(n.id()) && self.mark_at.is_none() {
                    self.flush();
                    self.mark_at = Some(self.out.lines.len());
                }
                if depth > MAX_DEPTH {
                    self.cur.text(&plain_text(n), false);
                    return;
                }
                let name = e.name();
                match name {
                    "br" => self.flush(),
                    "img" => {}
                    "table" if self.cell.is_none() => {
                        self.flush();
                        self.table(n, depth);
                        self.flush();
                    }
                    _ => {
                        let block = block_tag(name);
                        if block {
                            self.flush();
                        }
                        if name == "pre" || name == "listing" || name == "plaintext" {
                            self.pre += 1;
                        }
                        for c in n.children() {
                            self.walk(c, depth + 1);
                        }
                        if name == "pre" || name == "listing" || name == "plaintext" {
                            self.pre -= 1;
                        }
                        if block {
                            self.flush();
                        }
                    }
                }
            }
            Node::Document | Node::Fragment => {
                for c in n.children() {
                    self.walk(c, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn cell_text(&self, cell: NodeRef<'a>, depth: usize) -> String {
        let mut w = Walker::new(self.page, true);
        for c in cell.children() {
            w.walk(c, depth + 1);
        }
        w.flush();
        w.cell.map(CellText::finish).unwrap_or_default()
    }

    fn table(&mut self, t: NodeRef<'a>, depth: usize) {
        for c in t.children() {
            if is_tag(&c, "caption") {
                self.walk(c, depth + 1);
                self.flush();
            }
        }
        let rows = table_rows(t);
        if !self.page.data_tables.contains(&t.id()) && is_layout(&rows, &self.page.stats) {
            for (r, _) in &rows {
                for c in row_cells(*r) {
                    self.flush();
                    for cc in c.children() {
                        self.walk(cc, depth + 2);
                    }
                    self.flush();
                }
            }
            return;
        }
        // The last row index of each group, for rowspan=0 and overlong rowspans.
        let mut group_end: HashMap<usize, usize> = HashMap::new();
        for (i, (_, g)) in rows.iter().enumerate() {
            group_end.insert(*g, i + 1);
        }
        let src: Vec<Vec<SrcCell>> = rows
            .iter()
            .enumerate()
            .map(|(i, (r, g))| {
                let end = group_end.get(g).copied().unwrap_or(rows.len());
                row_cells(*r)
                    .map(|c| {
                        let e = elem(&c);
                        let colspan = e.and_then(|e| span_attr(e, "colspan")).unwrap_or(1).max(1);
                        let rowspan = match e.and_then(|e| span_attr(e, "rowspan")) {
                            Some(0) => end - i,
                            Some(n) => n.min(end - i),
                            None => 1,
                        };
                        SrcCell::new(self.cell_text(c, depth + 2), colspan, rowspan.max(1))
                    })
                    .collect()
            })
            .collect();
        for l in grid_lines(&src, 0) {
            self.out.row(l);
        }
    }
}

/// A table that only lays out the page: a table in a cell, one column, or a very long cell.
fn is_layout(rows: &[(NodeRef<'_>, usize)], stats: &HashMap<NodeId, Stats>) -> bool {
    let mut widest = 0usize;
    for (r, _) in rows {
        let mut w = 0usize;
        for c in row_cells(*r) {
            let s = stats.get(&c.id()).copied().unwrap_or_default();
            if s.tables_below > 0 || s.text > LAYOUT_CELL_CHARS {
                return true;
            }
            w += elem(&c).and_then(|e| span_attr(e, "colspan")).unwrap_or(1).clamp(1, 1000);
        }
        widest = widest.max(w);
    }
    widest <= 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(html: &str) -> (String, Option<String>) {
        html_to_text(html.as_bytes()).unwrap()
    }

    #[test]
    fn charset_sniffing() {
        assert_eq!(declared_charset(b"<meta charset=\"gb2312\">"), Some(encoding_rs::GBK));
        assert_eq!(
            declared_charset(b"<META http-equiv=Content-Type content='text/html; charset=GBK'>"),
            Some(encoding_rs::GBK)
        );
        assert_eq!(declared_charset(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>"), Some(encoding_rs::UTF_8));
        assert_eq!(declared_charset(b"<meta name=x><p>charset=gbk"), None);
        let (gb, _, _) = encoding_rs::GB18030.encode("<meta charset=\"utf-8\"><p>规章</p>");
        // Declared UTF-8 but not UTF-8: GB18030.
        assert!(decode(&gb).contains("规章"));
    }

    #[test]
    fn chrome_classes() {
        for c in [
            "nav",
            "main-nav",
            "topNav",
            "menu_list",
            "site-header",
            "footer",
            "breadcrumb",
            "share-box",
            "top",
            "wza",
            "dh",
        ] {
            assert!(chrome_class(c), "{c}");
        }
        for c in ["content", "article", "TRS_Editor", "zoom", "main", "desktop", "stop-words", "con_text", "canvas"] {
            assert!(!chrome_class(c), "{c}");
        }
        assert!(chrome_text("长者模式 | 无障碍浏览"));
        assert!(chrome_text("【大 中 小】"));
        assert!(!chrome_text("无。"));
        assert!(chrome_text("上一篇：关于某事的通知"));
        assert!(chrome_text("您当前位置：首页 > 政务公开"));
    }

    #[test]
    fn whitespace_and_blocks() {
        let (t, title) = run(
            "<html><head><title> 标题 </title></head><body><p>本年度\n报告 <b>根据</b>\n the law</p><div>a<br>b</div><ul><li>一</li><li>二</li></ul></body></html>",
        );
        assert_eq!(t, "本年度报告 根据 the law\na\nb\n一\n二\n");
        assert_eq!(title.as_deref(), Some("标题"));
    }

    #[test]
    fn words_in_data_table_cells_are_never_chrome() {
        let (t, _) = run(
            "<body><div class=\"top\"><a>首页</a></div><table><tr><td>规模</td><td><span>大</span></td><td><span>中</span></td></tr>\
            <tr><td>数量</td><td>1</td><td>2</td></tr></table><p><a>打印</a> <a>关闭</a></p></body>",
        );
        assert_eq!(t, "规模\t大\t中\n数量\t1\t2\n");
    }

    #[test]
    fn plain_text_page_and_empty() {
        assert_eq!(run("规章\n0\n").0, "规章\n0\n");
        assert_eq!(html_to_text(b"").unwrap_err(), ExtractError::NoText);
        assert_eq!(html_to_text(b"<html><body><script>x</script></body></html>").unwrap_err(), ExtractError::NoText);
    }
}
