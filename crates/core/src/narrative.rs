//! Figures a report states in its prose (共收到…申请25件, 结转下年度继续办理1件), for the
//! `narrative.matches_table` check.
//!
//! Only wording that names a table cell unambiguously is read: a keyword (新收到, 予以公开,
//! 不予公开, 行政复议 …), then within a short window (at most [`WINDOW`] characters, never
//! crossing 。；;，,、 a table or a paragraph break) a number followed by 件. Numbers before a
//! keyword are never taken (新收到7件 works because the number follows the keyword).
//! A number followed by 年/月/日 is skipped (a date); any other first number that is not
//! followed by 件 (占32%, 18878 条, 13.64%) ends the search for that keyword.
//!
//! The text may be hard-wrapped PDF text: a line break (or a blank line) inside a sentence is
//! ignored, also inside a keyword (无法提\n\n供). A line break counts as a paragraph end only
//! after a heading line or a colon, or before a line that starts like a heading (（二）, 2、, 三、).

use crate::model::{Figure, TableSpan};
use crate::template::{Layout, Table, Template};
use crate::text::fold;
use std::sync::OnceLock;

/// How many characters (spaces and line breaks not counted) may stand between a keyword and its number.
pub const WINDOW: usize = 12;

/// Largest number of digits read as a count.
const MAX_DIGITS: usize = 9;

/// Stands for a table body in the token stream: a hard stop.
const TABLE: char = '\u{1}';

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    NewReceived,
    CarriedOver,
    CarriedForward,
    Granted,
    PartiallyGranted,
    Denied,
    Unavailable,
    NotProcessed,
    Other,
    Reconsideration,
    Litigation,
    /// 2021 template, table 二: normative documents issued, repealed, in force.
    DocsIssued,
    DocsRepealed,
    DocsInForce,
}

/// Every family, in the order declared (`family as usize` indexes it).
const FAMILIES: [Family; 14] = [
    Family::NewReceived,
    Family::CarriedOver,
    Family::CarriedForward,
    Family::Granted,
    Family::PartiallyGranted,
    Family::Denied,
    Family::Unavailable,
    Family::NotProcessed,
    Family::Other,
    Family::Reconsideration,
    Family::Litigation,
    Family::DocsIssued,
    Family::DocsRepealed,
    Family::DocsInForce,
];

/// Keywords, each with its family and whether the sentence must mention 申请.
/// At one position the longest match wins (新收到 over 新收 and 收到).
const KEYWORDS: &[(&str, Family, bool)] = &[
    ("新收到", Family::NewReceived, false),
    ("新收", Family::NewReceived, false),
    ("共收到", Family::NewReceived, false),
    ("共接到", Family::NewReceived, false),
    ("共受理", Family::NewReceived, false),
    ("收到", Family::NewReceived, true),
    ("上年度结转", Family::CarriedOver, false),
    ("上年结转", Family::CarriedOver, false),
    ("结转下一年度", Family::CarriedForward, false),
    ("结转至下年度", Family::CarriedForward, false),
    ("结转到下年度", Family::CarriedForward, false),
    ("结转下年度", Family::CarriedForward, false),
    ("予以公开", Family::Granted, false),
    ("部分公开", Family::PartiallyGranted, false),
    ("不予以公开", Family::Denied, false),
    ("不予公开", Family::Denied, false),
    ("无法提供", Family::Unavailable, false),
    ("不予处理", Family::NotProcessed, false),
    ("其他处理", Family::Other, false),
    ("行政复议", Family::Reconsideration, false),
    ("行政诉讼", Family::Litigation, false),
    ("制发行政规范性文件", Family::DocsIssued, false),
    ("制发规范性文件", Family::DocsIssued, false),
    ("废止行政规范性文件", Family::DocsRepealed, false),
    ("废止规范性文件", Family::DocsRepealed, false),
    ("现行有效行政规范性文件", Family::DocsInForce, false),
    ("现行有效规范性文件", Family::DocsInForce, false),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Soft,
    Hard,
}

/// One non-space character of the prose, folded, with its byte range in the original text and
/// the kind of white space before it.
#[derive(Clone, Copy, Debug)]
struct Tok {
    c: char,
    start: usize,
    end: usize,
    gap: Gap,
}

fn is_stop(c: char) -> bool {
    matches!(c, '。' | '；' | ';' | '，' | ',' | '、' | '!' | '?' | '！' | '？' | TABLE)
}

fn is_cjk_numeral(c: char) -> bool {
    matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
}

/// Whether a line starts like a heading: （二）, (2), 三、, 2、, 2. (followed by no digit).
fn starts_heading(line: &str) -> bool {
    let mut it = line.chars().map(fold).skip_while(|c| c.is_whitespace()).peekable();
    let Some(first) = it.next() else { return false };
    if first == '(' {
        let mut n = 0;
        while it.peek().is_some_and(|&c| is_cjk_numeral(c) || c.is_ascii_digit()) {
            it.next();
            n += 1;
        }
        return n > 0 && n <= 3 && it.next() == Some(')');
    }
    if is_cjk_numeral(first) {
        let mut n = 1;
        while it.peek().is_some_and(|&c| is_cjk_numeral(c)) {
            it.next();
            n += 1;
        }
        return n <= 3 && it.next() == Some('、');
    }
    if first.is_ascii_digit() {
        let mut n = 1;
        while it.peek().is_some_and(|c| c.is_ascii_digit()) {
            it.next();
            n += 1;
        }
        return n <= 2
            && match it.next() {
                Some('、') => true,
                Some('.') => !it.next().is_some_and(|c| c.is_ascii_digit()),
                _ => false,
            };
    }
    false
}

/// A heading line: starts like a heading, is short and has no sentence punctuation.
fn is_heading_line(line: &str) -> bool {
    starts_heading(line)
        && line.chars().count() <= 40
        && !line.chars().map(fold).any(|c| matches!(c, '，' | ',' | '。' | '；' | ';' | ':'))
}

/// The kind of the white space `text[a..b]` (which holds only white space).
fn classify(text: &str, a: usize, b: usize) -> Gap {
    let run = &text[a..b];
    if run.contains('\t') {
        return Gap::Hard;
    }
    if !run.contains(['\n', '\r']) {
        return Gap::Soft;
    }
    // The lines around the run, found by bytes ('\n' and '\r' are never part of a longer
    // UTF-8 sequence).
    let prev_line = &text[memchr::memrchr2(b'\n', b'\r', &text.as_bytes()[..a]).map_or(0, |i| i + 1)..a];
    let next_line = &text[b..memchr::memchr2(b'\n', b'\r', &text.as_bytes()[b..]).map_or(text.len(), |i| b + i)];
    if prev_line.chars().next_back().map(fold) == Some(':') || is_heading_line(prev_line) || starts_heading(next_line) {
        Gap::Hard
    } else {
        Gap::Soft
    }
}

/// The prose as tokens: table bodies become one [`TABLE`] stop each. Unless `every_sentence`
/// (the plain way, kept for the tests), a sentence that states no count (see [`states_count`])
/// becomes one stop too.
fn tokenize(text: &str, tables: &[TableSpan], every_sentence: bool) -> Vec<Tok> {
    let mut bodies: Vec<(usize, usize)> =
        tables.iter().map(|t| t.body).filter(|(a, b)| a < b && *b <= text.len()).collect();
    bodies.sort_unstable();
    // Grown as needed: only sentences with 件 have a token per character (room for one per
    // character of the text would be a fresh, zeroed allocation of a large text's size per report).
    let mut toks = Vec::with_capacity(1024);
    let mut gap = Gap::None;
    let mut ws_start: Option<usize> = None;
    // The prose between the table bodies, each with whether a body precedes it; a body itself is
    // one hard stop and is never walked.
    let mut from = 0;
    let mut pieces: Vec<(usize, usize, bool)> = Vec::with_capacity(bodies.len() + 1);
    let mut after_body = false;
    for &(a, b) in &bodies {
        if a > from {
            pieces.push((from, a, after_body));
        }
        if b > from {
            from = b;
            after_body = true;
        }
    }
    pieces.push((from, text.len(), after_body));
    let jian = memchr::memmem::Finder::new("件");
    for &(a, b, after_body) in &pieces {
        if after_body {
            if toks.last().is_none_or(|t: &Tok| t.c != TABLE) {
                toks.push(Tok { c: TABLE, start: a, end: a, gap: Gap::Hard });
            }
            gap = Gap::Hard;
            ws_start = None;
        }
        let Some(piece) = text.get(a..b) else { continue };
        // Only sentences that contain 件 can state a figure: found from each 件 (memmem), the
        // sentences between them become one stop (a stop ends every window, one or several).
        let mut sa = 0;
        while sa < piece.len() {
            let Some(q) = jian.find(&piece.as_bytes()[sa..]).map(|q| sa + q) else {
                toks.push(Tok { c: '。', start: a + piece.len(), end: a + piece.len(), gap: Gap::Hard });
                gap = Gap::Hard;
                ws_start = None;
                break;
            };
            let start = sa + sentence_start(&piece[sa..q]);
            if start > sa {
                toks.push(Tok { c: '。', start: a + start, end: a + start, gap: Gap::Hard });
                gap = Gap::Hard;
                ws_start = None;
            }
            let se = sentence_end(&piece[start..]).map_or(piece.len(), |e| start + e);
            if every_sentence || states_count(&piece[start..se], q - start, &jian) {
                push_toks(text, a + start, &piece[start..se], &mut toks, &mut gap, &mut ws_start);
            } else {
                // No figure in it (most sentences with 件 are table text or 件 without a count:
                // 文件, 案件): one stop, as between the sentences with 件, unless one (a stop
                // of no width) is there already. The first token after a stop gets Gap::Hard
                // instead of its own gap; no rule reads the gap of a token that follows a stop.
                if toks.last().is_none_or(|t: &Tok| t.start != t.end) {
                    toks.push(Tok { c: '。', start: a + start, end: a + start, gap: Gap::Hard });
                }
                gap = Gap::Hard;
                ws_start = None;
            }
            sa = se;
        }
    }
    toks
}

/// Whether `sentence` (holding a 件 at byte `first`, none before it) states a count: a digit
/// (ASCII or full-width), then white space or nothing, then 件. Every figure needs one (a
/// number is read up to its last digit and must be followed by 件), so a sentence without one
/// gives no figure; nor do its keywords change another sentence's figures, as every window,
/// keyword and negation ends at the sentence's end.
fn states_count(sentence: &str, first: usize, jian: &memchr::memmem::Finder) -> bool {
    let b = sentence.as_bytes();
    std::iter::once(first).chain(jian.find_iter(&b[first + 3..]).map(|q| first + 3 + q)).any(|q| {
        // Nearly always an ASCII digit right before it; else the characters before it, the way
        // push_toks folds and skips them.
        q > 0 && b[q - 1].is_ascii_digit()
            || sentence[..q]
                .trim_end_matches(|c: char| fold(c).is_whitespace())
                .chars()
                .next_back()
                .is_some_and(|c| fold(c).is_ascii_digit())
    })
}

/// The tokens of `sentence`, which starts at byte `at` of `text`: one per character that is no
/// white space, folded, with the kind of white space before it (`gap`, `ws_start` carry it from
/// the sentence before).
fn push_toks(text: &str, at: usize, sentence: &str, toks: &mut Vec<Tok>, gap: &mut Gap, ws_start: &mut Option<usize>) {
    let sb = sentence.as_bytes();
    let mut off = 0;
    while off < sb.len() {
        let pos = at + off;
        let x = sb[off];
        // U+4000 to U+9FFF (lead bytes E4 to E9): folding keeps them, none is white
        // space; decoded from their three bytes.
        let (c, n) = if (0xE4..=0xE9).contains(&x) && off + 2 < sb.len() {
            let cp = (u32::from(x & 0x0F) << 12) | (u32::from(sb[off + 1] & 0x3F) << 6) | u32::from(sb[off + 2] & 0x3F);
            (char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER), 3)
        } else {
            let ch = sentence[off..].chars().next().unwrap_or(' ');
            let c = fold(ch);
            // No white space above U+3000: told without Unicode's table.
            if (c as u32) <= 0x3000 && c.is_whitespace() {
                ws_start.get_or_insert(pos);
                off += ch.len_utf8();
                continue;
            }
            (c, ch.len_utf8())
        };
        if let Some(w) = ws_start.take() {
            *gap = (*gap).max(classify(text, w, pos));
        }
        toks.push(Tok { c, start: pos, end: pos + n, gap: *gap });
        *gap = Gap::None;
        off += n;
    }
}

/// The end (after it) of the first sentence end (。 ； ;) in `s`, found by bytes: memchr for
/// the last byte of each (0x82 of 。 E3 80 82, 0x9B of ； EF BC 9B, ';'), then the whole.
fn sentence_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    memchr::memchr3_iter(b';', 0x82, 0x9B, b).find_map(|i| match b[i] {
        b';' => Some(i + 1),
        _ if i >= 2 && (b[i - 2..=i] == [0xE3, 0x80, 0x82] || b[i - 2..=i] == [0xEF, 0xBC, 0x9B]) => Some(i + 1),
        _ => None,
    })
}

/// The start of the last sentence in `s`: after its last sentence end (。 ； ;), or 0; by
/// bytes as [`sentence_end`].
fn sentence_start(s: &str) -> usize {
    let b = s.as_bytes();
    memchr::memrchr3_iter(b';', 0x82, 0x9B, b)
        .find_map(|i| match b[i] {
            b';' => Some(i + 1),
            _ if i >= 2 && (b[i - 2..=i] == [0xE3, 0x80, 0x82] || b[i - 2..=i] == [0xEF, 0xBC, 0x9B]) => Some(i + 1),
            _ => None,
        })
        .unwrap_or(0)
}

/// The keywords (indices in [`KEYWORDS`], in order) that start with `c`: most tokens start
/// none, and a token that does is compared with those only.
fn keywords_starting(c: char) -> &'static [usize] {
    match c {
        '新' => &[0, 1],
        '共' => &[2, 3, 4],
        '收' => &[5],
        '上' => &[6, 7],
        '结' => &[8, 9, 10, 11],
        '予' => &[12],
        '部' => &[13],
        '不' => &[14, 15, 17],
        '无' => &[16],
        '其' => &[18],
        '行' => &[19, 20],
        '制' => &[21, 22],
        '废' => &[23, 24],
        '现' => &[25, 26],
        _ => &[],
    }
}

/// The keyword matching at token `i` (longest first): its index in [`KEYWORDS`] and token length.
fn keyword_at(toks: &[Tok], i: usize) -> Option<(usize, usize)> {
    let first = toks[i].c;
    let mut best: Option<(usize, usize)> = None;
    for &k in keywords_starting(first) {
        let word = KEYWORDS[k].0;
        let mut j = i + 1;
        let mut ok = true;
        for c in word[first.len_utf8()..].chars() {
            match toks.get(j) {
                Some(t) if t.c == c && t.gap != Gap::Hard => j += 1,
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && best.is_none_or(|(_, n)| j - i > n) {
            best = Some((k, j - i));
        }
    }
    best
}

/// Whether the keyword at token `i` is negated (未收到, 没有收到, 不予以公开 …).
fn negated(toks: &[Tok], i: usize, family: Family) -> bool {
    let prev = |n: usize| if i >= n { Some(toks[i - n].c) } else { None };
    match prev(1) {
        Some('未' | '没' | '无') => true,
        Some('不') => family == Family::Granted || family == Family::NewReceived,
        Some('有') => prev(2) == Some('没'),
        _ => false,
    }
}

fn mentions_application(toks: &[Tok], from: usize, to: usize) -> bool {
    toks[from..to].windows(2).any(|w| w[0].c == '申' && w[1].c == '请')
}

/// Read the integer starting at token `j`: (value, index after the last digit), or `None` when
/// the digits are not one integer (a decimal, too long).
fn read_number(toks: &[Tok], j: usize) -> Option<(u64, usize)> {
    let mut k = j;
    let mut digits = 0usize;
    let mut value = 0u64;
    let mut group = 0usize;
    loop {
        match toks.get(k) {
            Some(t) if t.c.is_ascii_digit() && (k == j || t.gap == Gap::None) => {
                value = value * 10 + t.c.to_digit(10).unwrap_or(0) as u64;
                digits += 1;
                group += 1;
                k += 1;
                if digits > MAX_DIGITS {
                    return None;
                }
            }
            // A thousands separator: exactly three digits follow, then no digit.
            Some(t)
                if t.c == ','
                    && t.gap == Gap::None
                    && group <= 3
                    && (1..=3).all(|d| toks.get(k + d).is_some_and(|x| x.c.is_ascii_digit() && x.gap == Gap::None))
                    && !toks.get(k + 4).is_some_and(|x| x.c.is_ascii_digit() && x.gap == Gap::None) =>
            {
                group = 0;
                k += 1;
            }
            _ => break,
        }
    }
    // A decimal (13.64) is no count.
    if let (Some(dot), Some(next)) = (toks.get(k), toks.get(k + 1))
        && dot.c == '.'
        && dot.gap == Gap::None
        && next.c.is_ascii_digit()
        && next.gap == Gap::None
    {
        return None;
    }
    Some((value, k))
}

/// The cells a figure states and its alternative cells.
type Cells = (Vec<usize>, Vec<usize>);

/// [`cells_of`] in `template`'s layout, worked out once per template (looking the rows up by
/// name for every figure cost more than the rest of reading it).
fn cells_in(template: Template, family: Family) -> &'static Cells {
    static CELLS: [OnceLock<Vec<Cells>>; 2] = [OnceLock::new(), OnceLock::new()];
    let all =
        CELLS[template as usize].get_or_init(|| FAMILIES.iter().map(|&f| cells_of(template.layout(), f)).collect());
    &all[family as usize]
}

/// The cells (and alternative cells) a family states, in `layout`.
fn cells_of(layout: &Layout, family: Family) -> Cells {
    let app = |row: &str| layout.index(Table::Applications, row, "total");
    let app_rows = |pred: &dyn Fn(&str) -> bool| -> Vec<usize> {
        layout
            .rows(Table::Applications)
            .iter()
            .filter(|(r, _)| pred(r.key))
            .filter_map(|(r, _)| layout.index(Table::Applications, r.key, "total"))
            .collect()
    };
    let one = |i: Option<usize>| i.into_iter().collect::<Vec<_>>();
    match family {
        Family::NewReceived => {
            (one(app("new_received")), app("new_received").into_iter().chain(app("carried_over")).collect())
        }
        Family::CarriedOver => (one(app("carried_over")), vec![]),
        Family::CarriedForward => (one(app("carried_forward")), vec![]),
        Family::Granted => (one(app("granted")), vec![]),
        Family::PartiallyGranted => (one(app("partially_granted")), vec![]),
        Family::Denied => (app_rows(&|k| k.starts_with("denied.")), vec![]),
        Family::Unavailable => (app_rows(&|k| k.starts_with("unavailable.")), vec![]),
        Family::NotProcessed => (app_rows(&|k| k.starts_with("not_processed.")), vec![]),
        Family::Other => (app_rows(&|k| k == "other" || k.starts_with("other.")), vec![]),
        Family::Reconsideration => (one(layout.index(Table::Review, "reconsideration", "total")), vec![]),
        Family::Litigation => (
            ["litigation_direct", "litigation_after_reconsideration"]
                .iter()
                .filter_map(|r| layout.index(Table::Review, r, "total"))
                .collect(),
            vec![],
        ),
        Family::DocsIssued => (one(layout.index(Table::Active, "normative_documents", "issued")), vec![]),
        Family::DocsRepealed => (one(layout.index(Table::Active, "normative_documents", "repealed")), vec![]),
        Family::DocsInForce => (one(layout.index(Table::Active, "normative_documents", "in_force")), vec![]),
    }
}

/// The figures the prose of `text` states (outside the table bodies of `tables`), in text order.
/// Spans are byte ranges of `text`, from the keyword to 件; `Figure::text` is that wording
/// without white space.
// Kept out of line (called once per report) so that a profile shows it apart from parse.
#[inline(never)]
pub(crate) fn extract(text: &str, tables: &[TableSpan], template: Template) -> Vec<Figure> {
    extract_with(text, tables, template, false)
}

/// [`extract`], with every sentence tokenized when `every_sentence` (the plain way the tests
/// compare with).
fn extract_with(text: &str, tables: &[TableSpan], template: Template, every_sentence: bool) -> Vec<Figure> {
    let toks = tokenize(text, tables, every_sentence);
    // Every keyword occurrence first, so that a window stops at the next keyword.
    let mut hits: Vec<(usize, usize, usize)> = Vec::new(); // (keyword, first token, token after)
    let mut i = 0;
    while i < toks.len() {
        if let Some((k, n)) = keyword_at(&toks, i) {
            hits.push((k, i, i + n));
            i += n;
        } else {
            i += 1;
        }
    }
    let mut figures = Vec::new();
    for (h, &(k, kw_start, kw_end)) in hits.iter().enumerate() {
        let (_, family, needs_application) = KEYWORDS[k];
        if negated(&toks, kw_start, family) {
            continue;
        }
        let limit = hits.get(h + 1).map_or(toks.len(), |x| x.1);
        let Some((value, jian)) = number_after(&toks, kw_end, limit) else {
            continue;
        };
        if needs_application {
            // 收到…申请 N 件 or 收到 N 件…申请.
            let mut end = jian + 1;
            while end < toks.len() && end - jian <= WINDOW && !is_stop(toks[end].c) && toks[end].gap != Gap::Hard {
                end += 1;
            }
            if !mentions_application(&toks, kw_end, end) {
                continue;
            }
        }
        let (cells, alt_cells) = cells_in(template, family);
        if cells.is_empty() {
            continue;
        }
        // Sized once (collecting the pieces grew it piece by piece).
        let mut words = String::with_capacity(toks[jian].end - toks[kw_start].start);
        for t in &toks[kw_start..=jian] {
            words.push_str(&text[t.start..t.end]);
        }
        figures.push(Figure {
            cells: cells.clone(),
            alt_cells: alt_cells.clone(),
            value: value as f64,
            text: words,
            span: (toks[kw_start].start, toks[jian].end),
        });
    }
    figures
}

/// The count stated after a keyword ending at token `from`: (value, index of the 件 token).
fn number_after(toks: &[Tok], from: usize, limit: usize) -> Option<(u64, usize)> {
    let mut j = from;
    while j < limit && j - from <= WINDOW {
        let t = &toks[j];
        if t.gap == Gap::Hard || is_stop(t.c) {
            return None;
        }
        if t.c.is_ascii_digit() {
            if j > 0 && toks[j - 1].c == '第' {
                return None;
            }
            let (value, after) = read_number(toks, j)?;
            let next = toks.get(after)?;
            if next.gap == Gap::Hard {
                return None;
            }
            match next.c {
                '件' => return Some((value, after)),
                // A date inside the window: skip it.
                '年' | '月' | '日' => {
                    j = after + 1;
                    continue;
                }
                _ => return None,
            }
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIESHAN_2020: &str = include_str!("../../../tests/fixtures/lieshan-2020.txt");
    const LIESHAN_2021: &str = include_str!("../../../tests/fixtures/lieshan-2021.txt");
    const LISHI_2020: &str = include_str!("../../../tests/fixtures/lishi-2020.txt");
    const YUAN_2020: &str = include_str!("../../../tests/fixtures/yuan-2020.txt");

    #[test]
    fn tokens_by_bytes_equal_tokens_by_characters() {
        // The way before: every character decoded and folded.
        fn reference(
            text: &str,
            at: usize,
            sentence: &str,
            toks: &mut Vec<Tok>,
            gap: &mut Gap,
            ws: &mut Option<usize>,
        ) {
            for (off, ch) in sentence.char_indices() {
                let pos = at + off;
                let c = fold(ch);
                if c.is_whitespace() {
                    ws.get_or_insert(pos);
                    continue;
                }
                if let Some(w) = ws.take() {
                    *gap = (*gap).max(classify(text, w, pos));
                }
                toks.push(Tok { c, start: pos, end: pos + ch.len_utf8(), gap: *gap });
                *gap = Gap::None;
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let mut texts: Vec<String> = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "txt") {
                texts.push(std::fs::read_to_string(e.path()).unwrap());
            }
        }
        texts.push("共收到 \u{3000}申请\t12件，\u{A0}其中𠀀予以公开１２件\n\n\u{2003}新收 3 件；它".into());
        for t in &texts {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let (mut ga, mut gb) = (Gap::Hard, Gap::Hard);
            let (mut wa, mut wb) = (None, None);
            push_toks(t, 0, t, &mut a, &mut ga, &mut wa);
            reference(t, 0, t, &mut b, &mut gb, &mut wb);
            let key = |v: &[Tok]| v.iter().map(|x| (x.c, x.start, x.end, x.gap)).collect::<Vec<_>>();
            assert_eq!(key(&a), key(&b));
            assert_eq!((ga, wa), (gb, wb));
        }
    }

    #[test]
    fn sentences_without_a_count_change_no_figure() {
        let fast = |t: &str, tables: &[TableSpan]| {
            for template in [Template::T2019, Template::T2021] {
                assert_eq!(
                    extract_with(t, tables, template, false),
                    extract_with(t, tables, template, true),
                    "{t:?} {tables:?}"
                );
            }
        };
        // Whole reports, also with parts of them as table bodies.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "txt") {
                let t = std::fs::read_to_string(e.path()).unwrap();
                fast(&t, &[]);
                let cut = |f: usize| (0..=f).rev().find(|&i| t.is_char_boundary(i)).unwrap_or(0);
                for n in [3, 7] {
                    let spans: Vec<TableSpan> = (0..n)
                        .map(|k| {
                            let (a, b) =
                                (cut(t.len() * (2 * k + 1) / (2 * n + 1)), cut(t.len() * (2 * k + 2) / (2 * n + 1)));
                            TableSpan { table: Table::Applications, heading: (a, a), body: (a, b) }
                        })
                        .collect();
                    fast(&t, &spans);
                }
            }
        }
        for line in crate::test_inputs::fixture_lines() {
            fast(&line, &[]);
        }
        // Random wording: each letter stands for a piece (keywords cut by white space, digits
        // of both widths, stops, dates, negations, headings).
        let pieces: &[(char, &str)] = &[
            ('a', "新收到"),
            ('b', "收到"),
            ('c', "予以公开"),
            ('d', "不予以公开"),
            ('e', "无法提\n\n供"),
            ('f', "行政复议"),
            ('g', "结转下年度"),
            ('h', "制发规范性文件"),
            ('i', "申请"),
            ('j', "件"),
            ('k', "文件"),
            ('l', "年"),
            ('m', "第"),
            ('n', "未"),
            ('o', "没有"),
            ('p', "（二）"),
            ('q', "三、"),
            ('r', "其中"),
            ('s', "共"),
            ('t', "公开"),
        ];
        let pool = "abcdefghijklmnopqrstabcijjjj0123456789１２,，.。；;、: \n\t\u{3000}\u{A0}\u{200B}";
        for (seed, max) in [(1u64, 24u64), (2, 60), (3, 200)] {
            for s in crate::test_inputs::random_strings(pool, 4000, max, seed) {
                let t: String = s
                    .chars()
                    .map(|c| pieces.iter().find(|p| p.0 == c).map_or(c.to_string(), |p| p.1.to_string()))
                    .collect();
                fast(&t, &[]);
                if let Some(i) = t.char_indices().nth(t.chars().count() / 3).map(|(i, _)| i) {
                    let j = t.char_indices().nth(t.chars().count() / 2).map_or(t.len(), |(j, _)| j);
                    fast(&t, &[TableSpan { table: Table::Applications, heading: (i, i), body: (i, j) }]);
                }
            }
        }
    }

    #[test]
    fn no_white_space_above_the_ideographic_space() {
        assert!((0x3001..=0x10FFFFu32).filter_map(char::from_u32).all(|c| !c.is_whitespace()));
        // and U+4000 to U+9FFF fold to themselves
        assert!((0x4000..=0x9FFFu32).filter_map(char::from_u32).all(|c| fold(c) == c));
    }

    #[test]
    fn sentence_ends_by_bytes_equal_by_characters() {
        let by_chars = |s: &str| s.find(['。', '；', ';']).map(|i| i + s[i..].chars().next().map_or(1, char::len_utf8));
        for s in [LIESHAN_2020, LIESHAN_2021, LISHI_2020, YUAN_2020, "无；", "a;b", "", "它们。", "\u{FF1B}", "。"]
        {
            let mut from = 0;
            while from < s.len() {
                let e = sentence_end(&s[from..]);
                assert_eq!(e, by_chars(&s[from..]), "at {from}");
                from += e.unwrap_or(s.len() - from);
            }
        }
    }

    #[test]
    fn sentence_starts_by_bytes_equal_by_characters() {
        let by_chars =
            |s: &str| s.rfind(['。', '；', ';']).map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
        for s in [LIESHAN_2020, LIESHAN_2021, LISHI_2020, YUAN_2020, "无；", "a;b", "", "它们。", "\u{FF1B}", "。x"]
        {
            let mut to = s.len();
            loop {
                let st = sentence_start(&s[..to]);
                assert_eq!(st, by_chars(&s[..to]), "at {to}");
                if st == 0 {
                    break;
                }
                to = st - 1;
                while !s.is_char_boundary(to) {
                    to -= 1;
                }
            }
        }
    }

    /// Each figure as (the keys of its cells joined by '+', value).
    fn summary(figs: &[Figure], t: Template) -> Vec<(String, i64)> {
        let l = t.layout();
        figs.iter()
            .map(|f| {
                let keys: Vec<String> =
                    f.cells.iter().map(|&i| format!("{}/{}", l.cells[i].row, l.cells[i].col)).collect();
                (keys.join("+"), f.value as i64)
            })
            .collect()
    }

    fn has(s: &[(String, i64)], key: &str, v: i64) -> bool {
        s.iter().any(|(k, x)| k == key && *x == v)
    }

    #[test]
    fn lieshan_2020_hard_wrapped() {
        let t = Template::T2019;
        let figs = extract(LIESHAN_2020, &[], t);
        let s = summary(&figs, t);
        assert!(has(&s, "new_received/total", 25), "{s:?}");
        assert!(has(&s, "granted/total", 8), "{s:?}");
        assert!(has(&s, "partially_granted/total", 2), "{s:?}");
        assert!(
            s.iter()
                .any(|(k, v)| k.starts_with("denied.state_secret/total+") && k.matches('+').count() == 7 && *v == 0),
            "{s:?}"
        );
        assert!(s.iter().any(|(k, v)| k.starts_with("unavailable.not_held/total+") && *v == 14), "{s:?}");
        assert!(s.iter().any(|(k, v)| k.starts_with("not_processed.petition/total+") && *v == 0), "{s:?}");
        assert!(has(&s, "other/total", 0), "{s:?}");
        assert!(has(&s, "carried_forward/total", 1), "{s:?}");
        assert_eq!(s.len(), 8, "{s:?}");
        // alt cells for 共接到.
        let f = &figs[0];
        let l = t.layout();
        assert_eq!(
            f.alt_cells,
            vec![
                l.index_of_key("applications/new_received/total").unwrap(),
                l.index_of_key("applications/carried_over/total").unwrap()
            ]
        );
        assert_eq!(f.text, "共接到依申请公开办件25件");
        assert_eq!(&LIESHAN_2020[f.span.0..f.span.0 + "共接到".len()], "共接到");
        assert!(LIESHAN_2020[f.span.0..f.span.1].ends_with('件'));
        // The keyword broken by a line wrap.
        let un = figs.iter().find(|f| f.value == 14.0).unwrap();
        assert!(un.text.starts_with("无法提供"), "{}", un.text);
    }

    #[test]
    fn lieshan_2021_numbers_before_keywords_are_not_taken() {
        let t = Template::T2021;
        let s = summary(&extract(LIESHAN_2021, &[], t), t);
        // 制发规范性文件4件，废止规范性文件0件，…现行有效规范性文件63件 name table 二 (2021 template).
        let want = [
            ("carried_over/total", 1),
            ("new_received/total", 7),
            ("normative_documents/issued", 4),
            ("normative_documents/repealed", 0),
            ("normative_documents/in_force", 63),
        ];
        assert_eq!(s, want.iter().map(|(k, v)| (k.to_string(), *v)).collect::<Vec<_>>());
        // The same wording means nothing in the 2019 template (it has no such cells).
        let t = Template::T2019;
        assert_eq!(summary(&extract(LIESHAN_2021, &[], t), t).len(), 2);
    }

    #[test]
    fn yuan_2020() {
        let t = Template::T2019;
        let s = summary(&extract(YUAN_2020, &[], t), t);
        assert_eq!(s.len(), 5, "{s:?}");
        assert!(has(&s, "new_received/total", 15));
        assert!(has(&s, "granted/total", 9));
        assert!(has(&s, "partially_granted/total", 2));
        assert!(s.iter().any(|(k, v)| k.starts_with("denied.") && *v == 2));
        assert!(s.iter().any(|(k, v)| k.starts_with("unavailable.") && *v == 2));
    }

    #[test]
    fn lishi_2020_states_nothing() {
        assert!(extract(LISHI_2020, &[], Template::T2019).is_empty());
    }

    #[test]
    fn table_bodies_are_skipped() {
        let text = "共收到申请5件。表格：予以公开 3件 表尾。结转下年度1件。";
        let a = text.find("表格").unwrap();
        let b = text.find("表尾").unwrap();
        let span = TableSpan { table: Table::Applications, heading: (a, a), body: (a, b) };
        let t = Template::T2019;
        let s = summary(&extract(text, &[span], t), t);
        assert_eq!(s, vec![("new_received/total".into(), 5), ("carried_forward/total".into(), 1)]);
        let s = summary(&extract(text, &[], t), t);
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn full_width_digits_and_spans() {
        let text = "本年共收到政府信息公开申请２５件，其中予以公开１２件。";
        let t = Template::T2021;
        let figs = extract(text, &[], t);
        assert_eq!(figs.len(), 2);
        assert_eq!(figs[0].value, 25.0);
        assert_eq!(&text[figs[0].span.0..figs[0].span.1], "共收到政府信息公开申请２５件");
        assert_eq!(figs[1].value, 12.0);
        assert_eq!(figs[1].text, "予以公开１２件");
    }

    #[test]
    fn what_is_not_a_figure() {
        let t = Template::T2019;
        for text in [
            "共收到申请，其中信函申请24件，网络申请1件。",
            "予以公开占32%。",
            "予以公开的信息涉及12个领域。",
            "予以公开13.64件。",
            "未收到政府信息公开申请5件。",
            "收到群众来信5件。",
            "2件予以公开。",
            "予以公开的有第3件。",
            "部分公开300余件。",
            "（五）不予处理\n3件事项。",
        ] {
            let figs = extract(text, &[], t);
            assert!(figs.is_empty(), "{text}: {:?}", summary(&figs, t));
        }
    }

    #[test]
    fn other_forms() {
        let t = Template::T2021;
        let s = summary(
            &extract(
                "截至2021年12月31日共受理2021年度申请30件；行政复议 2 件，行政诉讼1件；其他处理3件。收到申请2,100件。",
                &[],
                t,
            ),
            t,
        );
        assert_eq!(s[0], ("new_received/total".into(), 30));
        assert_eq!(s[1], ("reconsideration/total".into(), 2));
        assert_eq!(s[2], ("litigation_direct/total+litigation_after_reconsideration/total".into(), 1));
        assert_eq!(s[3].0, "other.overdue_correction/total+other.overdue_fee/total+other.other/total");
        assert_eq!(s[4], ("new_received/total".into(), 2100));
        // 不予公开 is not 予以公开; 上年结转 vs 结转下一年度.
        let s = summary(&extract("不予公开4件，上年结转2件，结转下一年度3件，不予以公开1件", &[], t), t);
        assert_eq!(s.len(), 4);
        assert!(s[3].0.starts_with("denied.") && s[3].1 == 1);
        assert!(s[0].0.starts_with("denied."));
        assert_eq!(s[1], ("carried_over/total".into(), 2));
        assert_eq!(s[2], ("carried_forward/total".into(), 3));
    }

    #[test]
    fn families_in_order() {
        for (i, f) in FAMILIES.iter().enumerate() {
            assert_eq!(*f as usize, i, "{f:?}");
        }
        for t in [Template::T2019, Template::T2021] {
            for f in FAMILIES {
                assert_eq!(cells_in(t, f), &cells_of(t.layout(), f), "{t:?} {f:?}");
            }
        }
    }

    #[test]
    fn keywords_by_first_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let want: Vec<usize> = (0..KEYWORDS.len()).filter(|&k| KEYWORDS[k].0.starts_with(c)).collect();
            assert_eq!(keywords_starting(c), &want[..], "{c}");
        }
    }

    #[test]
    fn headings_end_paragraphs() {
        assert!(starts_heading("（二）依申请公开"));
        assert!(starts_heading("(二) 依申请公开"));
        assert!(starts_heading("2、受理情况分析"));
        assert!(starts_heading("三、收到和处理"));
        assert!(!starts_heading("2020 年以来"));
        assert!(!starts_heading("13.64%"));
        assert!(is_heading_line("（二）依申请公开"));
        assert!(!is_heading_line("（二）依申请公开，共收到"));
    }
}
