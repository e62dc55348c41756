//! Splitting the text of a table into items: label text, numbers, blanks ('/' '-'),
//! and unreadable number-like text, each with its byte span in the displayed text.

use crate::text::{fold, label_key};
use crate::value::read_digits;

#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// Label or header text; `key` is its label key.
    Text { key: String },
    /// A number. `sign` is -1 for 减/-, `yuan` when written in 元 (not 万元).
    Num { value: f64, repaired: Option<String>, yuan: bool, wan: bool },
    /// A cell written as '/', '-', '—' or '无'.
    Blank,
    /// Number-like text that is not a number (e.g. '1,2', '3..4').
    Bad,
    /// An empty field of a field line (tab-separated or a Markdown table row): a blank cell
    /// when the row's fields line up with the table's columns, else nothing.
    Empty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub kind: ItemKind,
    /// Byte range in the displayed text.
    pub span: (usize, usize),
    /// Index of the line it is on.
    pub line: usize,
    /// Whether a whitespace gap separates it from the previous item on the same line.
    pub spaced: bool,
    /// Its field on a field line (tab-separated, or a Markdown `|` row), counted from 0.
    pub field: Option<u16>,
}

impl Item {
    /// A number, a blank mark or unreadable number-like text (not an empty field).
    pub(crate) fn is_cell(&self) -> bool {
        !matches!(self.kind, ItemKind::Text { .. } | ItemKind::Empty)
    }
}

/// A line of the text: its byte range.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub start: usize,
    pub end: usize,
}

pub fn lines(text: &str) -> Vec<Line> {
    // One pass: room for lines of 32 bytes on average (reports' are longer), grown if need be.
    let mut out = Vec::with_capacity(text.len() / 32 + 1);
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push(Line { start, end: i });
        start = i + 1;
    }
    if start <= text.len() {
        out.push(Line { start, end: text.len() });
    }
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || fold(c) == ' '
}

/// The words of `s`, runs of characters none of which [`is_space`], as byte ranges; by bytes
/// ([`space_len`]).
fn words(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            match space_len(b, i) {
                0 => break,
                n => i += n,
            }
        }
        if i == b.len() {
            return None;
        }
        let start = i;
        while i < b.len() {
            let x = b[i];
            // Ideographs (lead bytes E4 to E9) first: most of a label.
            if (0xE4..=0xE9).contains(&x) {
                i += 3;
                continue;
            }
            if space_len(b, i) > 0 {
                break;
            }
            i += match x {
                0x00..=0x7F => 1,
                0x80..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
        }
        Some((start, i))
    })
}

/// The length in bytes of the character at byte `i` of `b` (valid UTF-8, `i` at a character)
/// when it [`is_space`], else 0: ASCII whitespace, U+0085, U+00A0 (C2 85, C2 A0), U+1680 (E1
/// 9A 80), U+2000 to U+200B, U+2028, U+2029, U+202F (E2 80 xx), U+205F (E2 81 9F), U+3000
/// (E3 80 80), U+FEFF (EF BB BF).
fn space_len(b: &[u8], i: usize) -> usize {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 if matches!(at(1), 0x85 | 0xA0) => 2,
        0xE1 if at(1) == 0x9A && at(2) == 0x80 => 3,
        0xE2 if at(1) == 0x80 && matches!(at(2), 0x80..=0x8B | 0xA8 | 0xA9 | 0xAF) => 3,
        0xE2 if at(1) == 0x81 && at(2) == 0x9F => 3,
        0xE3 if at(1) == 0x80 && at(2) == 0x80 => 3,
        0xEF if at(1) == 0xBB && at(2) == 0xBF => 3,
        _ => 0,
    }
}

fn is_numeric_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | ',' | 'l' | 'I' | '|' | 'O' | 'o' | 'S' | 'Z' | 'B' | 'g' | 'i' | 'D' | 'Q')
}

/// Marks written for a blank cell; a lone `。` or `.` is OCR's reading of a 0 or of a blank
/// cell's speck — a blank too, so only a row's own sum can make it 0. A lone `x`, `X` or `×`
/// is no blank: the contract names empty, '/' and '-' only, and OCR reads a damaged digit as
/// a letter; it is an unreadable cell (see [`word`]).
const PLACEHOLDERS: &[&str] = &["/", "-", "--", "---", "\\", "无", "／", "—", "——", "-/-", "。", "."];

/// Tokenise lines `from..to` of `text` into items.
pub(crate) fn tokenize(text: &str, lines: &[Line], from: usize, to: usize, out: &mut Vec<Item>) {
    // The fields of the current line, in one buffer for every line.
    let mut fields = Vec::new();
    for (li, line) in lines.iter().enumerate().take(to).skip(from) {
        let s = &text[line.start..line.end];
        if is_page_marker(s) {
            continue;
        }
        let from_item = out.len();
        if field_line(s, &mut fields) {
            for (fi, &(a, b)) in fields.iter().enumerate() {
                field(text, line.start + a, line.start + b, li, fi.min(u16::MAX as usize) as u16, out);
            }
            serial_number(text, &mut out[from_item..]);
            continue;
        }
        // A sentence between two rows (a note, a page's running text) holds no cells.
        if crate::text::is_prose(s) {
            continue;
        }
        // Every word stands apart: the first from the line's start, the others from the one before.
        for (a, b) in words(s) {
            word(text, line.start + a, line.start + b, li, true, out);
        }
        serial_number(text, &mut out[from_item..]);
    }
    merge_signs(text, out);
}

/// The fields of a field line, as byte ranges of `line` (untrimmed), put in `out` (emptied
/// first): a line with a tab (a browser, Word or WPS copy) or a Markdown table row
/// (`| a | b |`). False for other lines. A Markdown separator row (`|---|:--:|`) has no
/// fields: true, with `out` empty.
pub(crate) fn field_line(line: &str, out: &mut Vec<(usize, usize)>) -> bool {
    out.clear();
    if memchr::memchr2(b'\t', b'|', line.as_bytes()).is_none() {
        return false;
    }
    let t = line.trim();
    let pipe = t.len() >= 3 && t.starts_with('|') && t.ends_with('|');
    if !pipe && !line.contains('\t') {
        return false;
    }
    if pipe {
        let inner_start = line.find('|').unwrap_or(0) + 1;
        let inner_end = line.rfind('|').unwrap_or(line.len());
        let inner = &line[inner_start..inner_end];
        if inner.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t')) {
            return true;
        }
        let mut a = inner_start;
        for (i, c) in inner.char_indices() {
            if c == '|' {
                out.push((a, inner_start + i));
                a = inner_start + i + 1;
            }
        }
        out.push((a, inner_end));
        return true;
    }
    let mut a = 0;
    for i in memchr::memchr_iter(b'\t', line.as_bytes()) {
        out.push((a, i));
        a = i + 1;
    }
    out.push((a, line.len()));
    true
}

/// A row's 序号: a small whole number first on its line, then the row's label, then its
/// numbers (`3\t三、本年度办理结果…\t5\t0…`, `3 三、本年度…`) is no cell.
fn serial_number(text: &str, line_items: &mut [Item]) {
    if line_items.len() < 3 {
        return;
    }
    let first_is_serial = matches!(line_items[0].kind, ItemKind::Num { value, repaired: None, .. } if (1.0..=99.0).contains(&value) && value.fract() == 0.0);
    let label_next = matches!(&line_items[1].kind, ItemKind::Text { key } if key.chars().any(crate::text::is_cjk));
    let numbers_after = line_items[2..].iter().any(|i| i.is_cell() || matches!(i.kind, ItemKind::Empty));
    if first_is_serial && label_next && numbers_after {
        let (a, b) = line_items[0].span;
        line_items[0].kind = ItemKind::Text { key: label_key(&text[a..b]) };
    }
}

/// Unit and sign words that may stand in a value field beside its number.
const VALUE_WORDS: &[&str] = &["元", "万元", "亿元", "增", "减", "增加", "减少", "件", "个", "项"];

/// Whether a label key is a unit or sign word of a value field ([`VALUE_WORDS`]), or empty.
pub(crate) fn is_value_word(key: &str) -> bool {
    key.is_empty() || VALUE_WORDS.contains(&key)
}

/// One field of a field line: empty, a value (a number with its unit or sign, a blank mark),
/// or label text — a field with words in it is text, so the 1 of `数据1` or `1.属于国家秘密`
/// is never a cell.
fn field(text: &str, start: usize, end: usize, line: usize, idx: u16, out: &mut Vec<Item>) {
    let s = &text[start..end];
    // The field trimmed of spaces runs from its first word's start to its last word's end.
    let mut ws = words(s);
    let Some((a, b)) = ws.next() else {
        out.push(Item { kind: ItemKind::Empty, span: (start, start), line, spaced: true, field: Some(idx) });
        return;
    };
    let second = ws.next();
    // A lone '?' is how OCR marks a value it could not read: an unreadable cell in its field.
    if second.is_none() && matches!(&s[a..b], "?" | "？") {
        out.push(Item { kind: ItemKind::Bad, span: (start + a, start + b), line, spaced: true, field: Some(idx) });
        return;
    }
    let from = out.len();
    let mut last = b;
    for (a, b) in std::iter::once((a, b)).chain(second).chain(ws) {
        word(text, start + a, start + b, line, true, out);
        last = b;
    }
    let (start, end) = (start + a, start + last);
    // A field of marks only (`*`, `…`): text without a key, so that the field is there.
    if out.len() == from {
        out.push(Item {
            kind: ItemKind::Text { key: String::new() },
            span: (start, end),
            line,
            spaced: true,
            field: None,
        });
    }
    let value = out[from..].iter().any(|it| it.is_cell())
        && out[from..].iter().all(|it| match &it.kind {
            ItemKind::Text { key } => is_value_word(key),
            _ => true,
        });
    for it in &mut out[from..] {
        it.field = Some(idx);
        if !value && it.is_cell() {
            it.kind = ItemKind::Text { key: label_key(&text[it.span.0..it.span.1]) };
        }
    }
}

/// A page number printed by PDF text extraction between rows: `- 5 -`, `— 5 —`, `第 5 页`,
/// `第5页 共12页`. Never a cell: a cell holds one number, without dashes around it.
pub(crate) fn is_page_marker(line: &str) -> bool {
    // Every page marker starts with a dash or 第 (after spaces): most lines are told by that.
    match line.chars().map(fold).find(|c| !c.is_whitespace()) {
        Some('-' | '第') => {}
        _ => return false,
    }
    let s: String = line.chars().map(fold).filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() || s.len() > 40 {
        return false;
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if let Some(inner) = s.strip_prefix('-').and_then(|t| t.strip_suffix('-')) {
        return digits(inner.trim_matches('-'));
    }
    if let Some(rest) = s.strip_prefix('第') {
        let (page, tail) = match rest.split_once('页') {
            Some(x) => x,
            None => return false,
        };
        return digits(page)
            && (tail.is_empty() || tail.strip_prefix('共').and_then(|t| t.strip_suffix('页')).is_some_and(digits));
    }
    false
}

/// Split one whitespace-free word into items.
fn word(text: &str, start: usize, end: usize, line: usize, spaced: bool, out: &mut Vec<Item>) {
    let w = &text[start..end];
    let first = w.chars().next().map(fold);
    if w.len() <= 12
        && matches!(first, Some('/' | '-' | '\\' | '无' | '—' | '。' | '.'))
        && PLACEHOLDERS.iter().any(|p| w.chars().map(fold).eq(p.chars()))
    {
        out.push(Item { kind: ItemKind::Blank, span: (start, end), line, spaced, field: None });
        return;
    }
    // A cell written as a lone cross: no number, and no blank either.
    if matches!(w, "x" | "X" | "×" | "ｘ" | "Ｘ") {
        out.push(Item { kind: ItemKind::Bad, span: (start, end), line, spaced, field: None });
        return;
    }
    // Fast paths: a plain label (no number-like character) or a plain number.
    if !has_numeric_char(w) {
        push_text(out, w, (start, end), line, spaced);
        return;
    }
    if let Some(value) = plain_number(w) {
        out.push(Item {
            kind: ItemKind::Num { value, repaired: None, yuan: false, wan: false },
            span: (start, end),
            line,
            spaced,
            field: None,
        });
        return;
    }
    // Segments: runs of numeric and of other characters, one after the other (see `segment`).
    let mut first = true;
    let mut b = 0;
    while b < w.len() {
        let a = b;
        let (end, num) = segment(w, a);
        b = end;
        let seg = &w[a..b];
        let prev = w[..a].chars().next_back().map(fold);
        let next = w[b..].chars().next().map(fold);
        let sp = if first { spaced } else { false };
        first = false;
        let span = (start + a, start + b);
        if !num {
            push_text(out, seg, span, line, sp);
            continue;
        }
        // Numbers separated by full-width commas (0，0，0，5): each its own cell. Not when every
        // group after the first has three digits (3，001 may be one number, as today).
        // Only a plain list: no unit or other word right after it, the first number's minus
        // taken as the old way does.
        // The minus as written may be '-', '－', '−', '–' or '﹣': take its own length.
        let minus_len = if prev == Some('-') { w[..a].chars().next_back().map_or(0, char::len_utf8) } else { 0 };
        if let Some(parts) = comma_list(seg).filter(|_| next.is_none()) {
            for (k, (pa, pb)) in parts.into_iter().enumerate() {
                let digits: String = seg[pa..pb].chars().map(fold).collect();
                let value = digits.parse::<u64>().map_or(0.0, |v| v as f64);
                let negative = k == 0 && minus_len > 0;
                out.push(Item {
                    kind: ItemKind::Num {
                        value: if negative { -value } else { value },
                        repaired: None,
                        yuan: false,
                        wan: false,
                    },
                    span: (span.0 + pa - if negative { minus_len } else { 0 }, span.0 + pb),
                    line,
                    spaced: if k == 0 { sp } else { true },
                    field: None,
                });
            }
            continue;
        }
        // Folding changes no ASCII character: most segments are kept as they are.
        let fs: std::borrow::Cow<str> =
            if seg.is_ascii() { seg.into() } else { seg.chars().map(fold).collect::<String>().into() };
        let has_digit = fs.chars().any(|c| c.is_ascii_digit());
        // Letters only: a number only when the whole word is look-alikes ('O', 'l', 'lO').
        // A segment shorter than its word is one of several.
        if !has_digit && (seg.len() < w.len() || !fs.chars().all(crate::value::ocr_alone)) {
            push_text(out, seg, span, line, sp);
            continue;
        }
        // Enumerators (1. 1、 (1)), years, dates, percentages, 第1项: label text.
        let enumerator = fs.ends_with('.') && has_digit
            || matches!(next, Some('、') | Some(')') | Some('年') | Some('月') | Some('日') | Some('%') | Some('号'))
            || prev == Some('第')
            || prev == Some('(') && next == Some(')');
        if enumerator {
            push_text(out, seg, span, line, sp);
            continue;
        }
        // A number with a Latin letter stuck to it (`108b`, `b108`, `19G`): a digit misread or
        // a mark of unknown meaning; never the number without it.
        let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
        if has_digit && (letter(prev) || letter(next)) {
            out.push(Item { kind: ItemKind::Bad, span, line, spaced: sp, field: None });
            continue;
        }
        let trimmed = fs.trim_matches(',');
        let (yuan, wan) = match next {
            Some('万') => (false, w[b..].chars().nth(1).map(fold) == Some('元')),
            Some('元') => (true, false),
            _ => (false, false),
        };
        // 2.837 亿元 is 28370 万元.
        let yi = next == Some('亿') && w[b..].chars().nth(1).map(fold) == Some('元');
        let wan = wan || yi;
        match read_digits(trimmed) {
            Some(n) => {
                let negative = minus_len > 0;
                let value = if negative { -n.value } else { n.value };
                let value = if yi { crate::value::round6(value * 10000.0) } else { value };
                let span = if negative { (span.0 - minus_len, span.1) } else { span };
                out.push(Item {
                    kind: ItemKind::Num { value, repaired: n.repaired, yuan, wan },
                    span,
                    line,
                    spaced: sp,
                    field: None,
                });
            }
            None if has_digit => out.push(Item { kind: ItemKind::Bad, span, line, spaced: sp, field: None }),
            None => push_text(out, seg, span, line, sp),
        }
    }
}

/// The segment of `w` that starts at byte `a`: where the run of characters that are, folded,
/// [`is_numeric_char`] (or of characters that are not) ends, and whether they are.
fn segment(w: &str, a: usize) -> (usize, bool) {
    let mut chars = w[a..].char_indices();
    let Some((_, c)) = chars.next() else { return (a, false) };
    let num = is_numeric_char(fold(c));
    let end = chars.find(|&(_, c)| is_numeric_char(fold(c)) != num).map_or(w.len(), |(i, _)| a + i);
    (end, num)
}

/// Whether some character of `w`, folded, [`is_numeric_char`]; by bytes: only ASCII and the
/// full-width forms (U+FF01 to U+FF5E: EF BC 81 to EF BD 9E) fold to ASCII.
fn has_numeric_char(w: &str) -> bool {
    let b = w.as_bytes();
    let numeric = |x: u8| is_numeric_char(char::from(x));
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            if numeric(x) {
                return true;
            }
            i += 1;
        } else if x == 0xEF && i + 2 < b.len() {
            let cp = 0xF000 | (u32::from(b[i + 1] & 0x3F) << 6) | u32::from(b[i + 2] & 0x3F);
            if (0xFF01..=0xFF5E).contains(&cp) && numeric((cp - 0xFF01 + 0x21) as u8) {
                return true;
            }
            i += 3;
        } else {
            i += match x {
                0x80..=0xDF => 2,
                0xE0..=0xEF => 3,
                _ => 4,
            };
        }
    }
    false
}

/// A word of digits only, ASCII or full-width (０-９, EF BC 90-99), at most 15 of them: its
/// value, as [`read_digits`] reads it (a clean number), without its copies.
fn plain_number(w: &str) -> Option<f64> {
    let b = w.as_bytes();
    let (mut value, mut digits, mut i) = (0u64, 0, 0);
    while i < b.len() {
        let d = if b[i].is_ascii_digit() {
            i += 1;
            b[i - 1] - b'0'
        } else if b[i] == 0xEF && b.get(i + 1) == Some(&0xBC) && b.get(i + 2).is_some_and(|x| (0x90..=0x99).contains(x))
        {
            i += 3;
            b[i - 1] - 0x90
        } else {
            return None;
        };
        value = value * 10 + u64::from(d);
        digits += 1;
        if digits > 15 {
            return None;
        }
    }
    (digits > 0).then_some(value as f64)
}

/// The byte ranges of the numbers of `seg` when it is whole numbers (ASCII or full-width
/// digits, at most 15) joined by full-width commas '，', and cannot be one number written with
/// thousands separators (some group after the first is not three digits long).
fn comma_list(seg: &str) -> Option<Vec<(usize, usize)>> {
    if !seg.contains('，') {
        return None;
    }
    let mut parts = Vec::new();
    let mut a = 0;
    for (i, _) in seg.match_indices('，').chain(std::iter::once((seg.len(), ""))) {
        let p = &seg[a..i];
        let n = p.chars().count();
        if n == 0 || n > 15 || !p.chars().all(|c| fold(c).is_ascii_digit()) {
            return None;
        }
        parts.push((a, i));
        a = i + '，'.len_utf8();
    }
    let thousands = parts[1..].iter().all(|&(x, y)| seg[x..y].chars().count() == 3);
    (parts.len() >= 2 && !thousands).then_some(parts)
}

fn push_text(out: &mut Vec<Item>, seg: &str, span: (usize, usize), line: usize, spaced: bool) {
    let key = label_key(seg);
    if key.is_empty() && !seg.contains(['/', '-']) {
        return;
    }
    out.push(Item { kind: ItemKind::Text { key }, span, line, spaced, field: None });
}

/// The sign a word gives the number it stands by: 增 +1, 减 −1.
fn sign_of(key: &str) -> Option<f64> {
    match key {
        "增" | "增加" => Some(1.0),
        "减" | "减少" => Some(-1.0),
        _ => None,
    }
}

/// 增 6 / 减 540 / 增6 / 540减 / 540（减）: fold a sign word into its number.
fn merge_signs(text: &str, items: &mut Vec<Item>) {
    let mut i = 0;
    while i + 1 < items.len() {
        // 增/减 written right after the number, stuck to it (`540减`, `540（减）`): its sign.
        if let (ItemKind::Num { value, .. }, ItemKind::Text { key }) = (&items[i].kind, &items[i + 1].kind)
            && !items[i + 1].spaced
            && items[i].line == items[i + 1].line
            && items[i].span.1 == items[i + 1].span.0
            && let Some(s) = sign_of(key)
        {
            let v = *value * s;
            let end = items[i + 1].span.1;
            if let ItemKind::Num { value, .. } = &mut items[i].kind {
                *value = v;
            }
            items[i].span.1 = end;
            items.remove(i + 1);
            i += 1;
            continue;
        }
        let sign = match &items[i].kind {
            ItemKind::Text { key } if matches!(key.as_str(), "增" | "增加" | "新增") => Some(1.0),
            ItemKind::Text { key } if matches!(key.as_str(), "减" | "减少") => Some(-1.0),
            _ => None,
        };
        // 增/减 right before the number, also when a wrapped cell put the number on the next line.
        let adjacent = items[i].line == items[i + 1].line || items[i].line + 1 == items[i + 1].line;
        if let (Some(s), ItemKind::Num { value, .. }) = (sign, &mut items[i + 1].kind)
            && adjacent
        {
            *value *= s;
            let start = items[i].span.0;
            items[i + 1].span.0 = start;
            items[i + 1].spaced = items[i].spaced;
            items.remove(i);
            continue;
        }
        // A decimal broken by PDF text: `6439. 39` is 6439.39, never 39.
        if let (ItemKind::Text { .. }, ItemKind::Num { value, repaired: None, .. }) =
            (&items[i].kind, &items[i + 1].kind)
            && items[i].line == items[i + 1].line
            && items[i].field == items[i + 1].field
        {
            let (a, b) = items[i].span;
            let (c, d) = items[i + 1].span;
            let (c, d) = if b <= c { (c, d) } else { (b, b) };
            let head = &text[a..b];
            let tail = &text[c..d];
            let gap = &text[b..c];
            if head.len() >= 2
                && head.ends_with('.')
                && head[..head.len() - 1].bytes().all(|x| x.is_ascii_digit())
                && !tail.is_empty()
                && tail.bytes().all(|x| x.is_ascii_digit())
                && gap.chars().all(is_space)
                && gap.chars().count() <= 2
                && *value >= 0.0
                && let Ok(v) = format!("{head}{tail}").parse::<f64>()
            {
                let joined = format!("{head}{tail}");
                items[i + 1].kind = ItemKind::Num {
                    value: v,
                    repaired: Some(format!("“{}”中间的空格已去掉，读作 {joined}", &text[a..d])),
                    yuan: false,
                    wan: false,
                };
                items[i + 1].span = (a, d);
                items[i + 1].spaced = items[i].spaced;
                items.remove(i);
                continue;
            }
        }
        // A year or a date written with spaces (a page header: “… 2020 年政府信息公开…”): text.
        if let ItemKind::Text { key } = &items[i + 1].kind
            && items[i].line == items[i + 1].line
            && (key.starts_with('年') || key.starts_with('月') || key.starts_with('日'))
            && matches!(items[i].kind, ItemKind::Num { .. })
        {
            let (a, b) = items[i].span;
            items[i].kind = ItemKind::Text { key: label_key(&text[a..b]) };
            i += 1;
            continue;
        }
        // A unit written as its own word after the number: 6439.39 万元, 31482898.87 元.
        if let ItemKind::Text { key } = &items[i + 1].kind
            && items[i].line == items[i + 1].line
        {
            let unit =
                (key == "元", key == "万元" || key.starts_with("万元"), key == "亿元" || key.starts_with("亿元"));
            if let ItemKind::Num { yuan, wan, value, .. } = &mut items[i].kind
                && (unit.0 || unit.1 || unit.2)
                && !*wan
                && !*yuan
            {
                *yuan |= unit.0;
                *wan |= unit.1 || unit.2;
                if unit.2 {
                    *value = crate::value::round6(*value * 10000.0);
                }
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<String> {
        let ls = lines(s);
        let mut out = Vec::new();
        tokenize(s, &ls, 0, ls.len(), &mut out);
        out.iter()
            .map(|it| match &it.kind {
                ItemKind::Text { key } => format!("T:{key}"),
                ItemKind::Num { value, repaired, yuan, .. } => {
                    format!("N:{value}{}{}", if repaired.is_some() { "r" } else { "" }, if *yuan { "元" } else { "" })
                }
                ItemKind::Blank => "B".into(),
                ItemKind::Bad => format!("X:{}", &s[it.span.0..it.span.1]),
                ItemKind::Empty => "E".into(),
            })
            .collect()
    }

    #[test]
    fn words_by_bytes_split_where_the_characters_say() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf);
            assert_eq!(space_len(s.as_bytes(), 0), if is_space(c) { c.len_utf8() } else { 0 }, "{c:?}");
        }
        // The old way: a word from the first character that is no space to the next space.
        let reference = |s: &str| -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            let mut start: Option<usize> = None;
            for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
                if is_space(c) {
                    if let Some(a) = start.take() {
                        out.push((a, i));
                    }
                } else if start.is_none() {
                    start = Some(i);
                }
            }
            out
        };
        let mut lines = crate::test_inputs::fixture_lines();
        let pool = "a1 \t\u{b}\u{85}\u{A0}\u{1680}\u{2000}\u{200A}\u{200B}\u{2028}\u{202F}\u{205F}\u{3000}\u{3001}\u{FEFF}\u{FF10}\u{FF5E}一它𠀀é—";
        lines.extend(crate::test_inputs::random_strings(pool, 3000, 11, 5));
        for l in &lines {
            assert_eq!(words(l).collect::<Vec<_>>(), reference(l), "{l:?}");
        }
    }

    #[test]
    fn numeric_characters_by_bytes_as_by_characters() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let w = format!("一{c}一");
            assert_eq!(has_numeric_char(&w), is_numeric_char(fold(c)), "{c:?}");
        }
        assert!(has_numeric_char("一１") && has_numeric_char("ｌ") && !has_numeric_char("（一）予以公开"));
    }

    #[test]
    fn plain_numbers_read_as_read_digits_reads_them() {
        let mut seed = 9u64;
        for _ in 0..5000 {
            let mut w = String::new();
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 33) % 15 + 1 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let d = (seed >> 33) % 10;
                let c = if (seed >> 40).is_multiple_of(2) {
                    char::from(b'0' + d as u8)
                } else {
                    char::from_u32(0xFF10 + d as u32).unwrap()
                };
                w.push(c);
            }
            let slow = read_digits(&w).map(|n| (n.value, n.repaired));
            assert_eq!(plain_number(&w).map(|v| (v, None)), slow, "{w}");
        }
        for w in ["", "1a", "１.5", "1,000", "-1", "1234567890123456", "１２３４５６７８９０１２３４５６"]
        {
            assert_eq!(plain_number(w), None, "{w}");
        }
    }

    #[test]
    fn page_numbers_are_no_cells() {
        for p in ["- 5 -", "— 12 —", "－3－", "第 5 页", "第5页 共12页"] {
            assert!(is_page_marker(p), "{p}");
        }
        for c in ["5", "0", "-", "12 3", "5 / 12", "12 / 0 0 0 0 12", "第二十条第（一）项", "-5"] {
            assert!(!is_page_marker(c), "{c}");
        }
        assert_eq!(kinds("0 0\n- 5 -\n0"), ["N:0", "N:0", "N:0"]);
    }

    #[test]
    fn splits_labels_numbers_and_marks() {
        assert_eq!(kinds("规章 0 0 0"), ["T:规章", "N:0", "N:0", "N:0"]);
        assert_eq!(kinds("1. 属于国家秘密\t0\t/"), ["T:1", "T:属于国家秘密", "N:0", "B"]);
        assert_eq!(kinds("1.属于国家秘密"), ["T:1", "T:属于国家秘密"]);
        assert_eq!(kinds("行政许可 193 增 6 减540"), ["T:行政许可", "N:193", "N:6", "N:-540"]);
        assert_eq!(
            kinds("政府集中采购 321 6439.39 万元 31482898.87元"),
            ["T:政府集中采购", "N:321", "N:6439.39", "T:万元", "N:31482898.87元", "T:元"]
        );
        assert_eq!(kinds("l4 O ｌ４ 1,2 11,616"), ["N:14r", "N:0r", "N:14r", "X:1,2", "N:11616"]);
        assert_eq!(
            kinds("第二十条第（一）项 2020年 第1项 32%"),
            ["T:第二十条第一项", "T:2020", "T:年", "T:第", "T:1", "T:项", "T:32"]
        );
        assert_eq!(kinds("4\u{3000}\u{3000}"), ["N:4"]);
        assert_eq!(kinds("本年增/减 OCR"), ["T:本年增减", "T:O", "T:CR"]);
        // Full-width commas between numbers separate them; groups of three may be thousands.
        assert_eq!(kinds("予以公开 12，0，３，5"), ["T:予以公开", "N:12", "N:0", "N:3", "N:5"]);
        assert_eq!(kinds("3，001 1，2 1,2"), ["N:3001", "N:1", "N:2", "X:1,2"]);
        assert_eq!(kinds("193，-8，0 1，2万元"), ["N:193", "T:", "N:-8", "N:0", "X:1，2", "T:万元"]);
    }
}
