//! Character folding for parsing: full-width forms to ASCII, every kind of space to ' ',
//! and label keys (only the characters that carry meaning) for matching labels.

/// Fold one character for parsing. Full-width ASCII (！ to ～) becomes ASCII, the
/// ideographic space, NBSP and other Unicode spaces become ' ', dashes become '-'.
pub fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2000}'..='\u{200B}' | '\u{202F}' | '\u{205F}' | '\u{FEFF}' => ' ',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => '-',
        '\u{3001}' => '、',
        '\u{FF64}' => '、',
        _ => c,
    }
}

/// True for characters of CJK ideographs (the ones labels are made of).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Whether `c` is kept in a label key: ideographs and ASCII letters and digits.
#[cfg(test)]
pub(crate) fn is_key_char(c: char) -> bool {
    is_cjk(c) || c.is_ascii_alphanumeric()
}

/// The key of a label: folded, with spaces, punctuation and quotes removed.
/// `（二）部分公开（区分处理的…）` → `二部分公开区分处理的…`; `3. 其他` → `3其他`.
pub(crate) fn label_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_label_key(s, &mut out);
    out
}

/// [`label_key`] appended to `out` (many keys in one buffer, without a String each).
pub(crate) fn push_label_key(s: &str, out: &mut String) {
    // 其它 is as common as 其他 in real reports.
    // By bytes, copying runs of kept bytes whole: ASCII letters and digits, and three-byte
    // ideographs other than 它 (folding never changes an ideograph, nor makes one). Of the
    // other characters only these give something: 它 becomes 他, a full-width letter or digit
    // (ＡＢ１２) its ASCII one, a four-byte ideograph itself; a two-byte character never does
    // (folding makes none of them a letter or digit).
    let b = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    // The kept bytes before `i` not yet copied (none after a dropped one: no empty copies).
    let flush = |out: &mut String, run: usize, i: usize| {
        if run < i {
            out.push_str(&s[run..i]);
        }
    };
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            if !x.is_ascii_alphanumeric() {
                flush(out, run, i);
                run = i + 1;
            }
            i += 1;
            continue;
        }
        if (0xE0..0xF0).contains(&x) && i + 2 < b.len() {
            // U+5000 to U+9FFF (lead bytes E5 to E9) are ideographs all; 它 is E5 AE 83.
            let keep = if (0xE5..=0xE9).contains(&x) {
                !(x == 0xE5 && b[i + 1] == 0xAE && b[i + 2] == 0x83)
            } else {
                let cp = (u32::from(x & 0x0F) << 12) | (u32::from(b[i + 1] & 0x3F) << 6) | u32::from(b[i + 2] & 0x3F);
                matches!(cp, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
            };
            if !keep {
                flush(out, run, i);
                let cp = (u32::from(x & 0x0F) << 12) | (u32::from(b[i + 1] & 0x3F) << 6) | u32::from(b[i + 2] & 0x3F);
                if cp == '它' as u32 {
                    out.push('他');
                } else if matches!(cp, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A) {
                    out.push(char::from((cp - 0xFF01 + 0x21) as u8));
                }
                run = i + 3;
            }
            i += 3;
            continue;
        }
        let n = if x < 0xE0 { 2 } else { 4 };
        flush(out, run, i);
        if n == 4
            && let Some(c) = s[i..].chars().next()
            && is_cjk(c)
        {
            out.push(c);
        }
        run = i + n;
        i += n;
    }
    out.push_str(&s[run..]);
}

/// Whether a character ends a sentence of prose (tables never contain one): what
/// [`is_prose`] finds by bytes.
#[cfg(test)]
fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '；' | ';')
}

/// Whether a line is prose: it holds a sentence end that is not a word of its own (OCR reads
/// a table's 0 as a lone `。`: `（一）予以公开 2 。 。 2` is a row, not a sentence).
pub(crate) fn is_prose(s: &str) -> bool {
    let space = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || fold(c) == ' ');
    // The sentence ends found by bytes: memchr for ';' and the last bytes of 。 (E3 80 82) and
    // ； (EF BC 9B), then the whole character checked.
    let b = s.as_bytes();
    memchr::memchr3_iter(b';', 0x82, 0x9B, b).any(|i| {
        let full = |x: [u8; 3]| i >= 2 && b[i - 2..=i] == x;
        if b[i] == b';' || full([0xEF, 0xBC, 0x9B]) {
            true
        } else if full([0xE3, 0x80, 0x82]) {
            !(space(s[..i - 2].chars().next_back()) && space(s[i + 1..].chars().next()))
        } else {
            false
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_and_spaces() {
        let s: String = "１２（三）\u{3000}ｌ４\u{00A0}．".chars().map(fold).collect();
        assert_eq!(s, "12(三) l4 .");
        assert_eq!(label_key("（二）部分公开（区分处理的，只计这一情形）"), "二部分公开区分处理的只计这一情形");
        assert_eq!(label_key("3. 其他"), "3其他");
        assert_eq!(label_key("危及“三安全一稳定”"), "危及三安全一稳定");
        assert_eq!(label_key("其它ＡＢ１２\u{3000}ａ、𠀀\u{F900}·—x"), "其他AB12a𠀀\u{F900}x");
    }

    #[test]
    fn label_key_by_bytes_equals_the_folded_characters() {
        let reference = |s: &str| -> String {
            s.chars().map(fold).filter(|&c| is_key_char(c)).map(|c| if c == '它' { '他' } else { c }).collect()
        };
        let mut lines = crate::test_inputs::fixture_lines();
        // Every kind of character: ASCII, Latin-1, punctuation, ideographs of each range, full
        // width forms, four-byte characters, at the ends and in the middle.
        let pool = "aZ09 .,-（）：；“”·\u{A0}\u{3000}\u{3001}\u{3400}\u{4DBF}\u{4E00}\u{9FFF}\u{F900}\u{FAFF}\u{FF10}\u{FF21}\u{FF41}\u{FF5E}\u{2014}\u{20000}\u{1F600}它他é";
        lines.extend(crate::test_inputs::random_strings(pool, 2000, 13, 11));
        for l in &lines {
            assert_eq!(label_key(l), reference(l), "{l:?}");
        }
        // Every character, alone and between two kept ones.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let l = format!("{c}一{c}a{c}");
            assert_eq!(label_key(&l), reference(&l), "{c:?}");
        }
    }

    #[test]
    fn prose_by_bytes_equals_prose_by_characters() {
        let reference = |s: &str| -> bool {
            let space = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || fold(c) == ' ');
            s.char_indices().any(|(k, c)| {
                is_sentence_end(c)
                    && !(c == '。' && space(s[..k].chars().next_back()) && space(s[k + c.len_utf8()..].chars().next()))
            })
        };
        let mut lines = crate::test_inputs::fixture_lines();
        let pool = "a; 。；\u{3000}\u{A0}\u{2082}\u{FF1B}\u{FF1A}\u{3002}一\u{E082}\u{E09B}\u{F09B}";
        lines.extend(crate::test_inputs::random_strings(pool, 3000, 9, 3));
        for l in &lines {
            assert_eq!(is_prose(l), reference(l), "{l:?}");
        }
    }

    #[test]
    fn a_lone_full_stop_is_no_sentence() {
        assert!(!is_prose("（一）予以公开 2 。 。 。 。 。 2"));
        assert!(!is_prose("。\t3"));
        assert!(is_prose("本年共收到申请3件。"));
        assert!(is_prose("共 3 件 。其中"));
    }
}
