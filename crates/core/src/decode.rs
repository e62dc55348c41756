//! Bytes to text: detect the encoding (BOM, UTF-8, GB18030), refuse what is not text,
//! and unify line ends. The result is the text the clerk sees; spans point into it.

use crate::document::LoadError;

#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// BOM removed, CRLF and CR turned into LF; everything else as it was.
    pub text: String,
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE` or `GB18030`.
    pub encoding: &'static str,
}

/// Decode a report's bytes, or say in Chinese why they are not a text report.
pub fn decode(bytes: &[u8]) -> Result<Decoded, LoadError> {
    if let Some(kind) = foreign_format(bytes) {
        return Err(LoadError::new(format!("这是{kind}文件，不是纯文本：请先把其中的文字导出为 .txt 再打开")));
    }
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (utf8(rest)?, "UTF-8")
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(rest, encoding_rs::UTF_16LE)?, "UTF-16LE")
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(rest, encoding_rs::UTF_16BE)?, "UTF-16BE")
    } else if let Some(enc) = bom_less_utf16(bytes) {
        let name = if enc == encoding_rs::UTF_16LE { "UTF-16LE" } else { "UTF-16BE" };
        (utf16(bytes, enc)?, name)
    } else {
        if memchr::memchr(0, bytes).is_some() {
            return Err(LoadError::new("不是文本文件（含有二进制的空字节）"));
        }
        // Validated with SIMD (simdutf8): the byte-at-a-time check of std is the slowest part
        // of decoding text in Chinese, where no byte is ASCII.
        match simdutf8::basic::from_utf8(bytes) {
            Ok(s) => (s.to_string(), "UTF-8"),
            Err(_) => {
                let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
                if had_errors {
                    return Err(LoadError::new(
                        "无法识别文件编码（既不是 UTF-8/UTF-16，也不是 GB18030/GBK），可能不是文本文件",
                    ));
                }
                (s.into_owned(), "GB18030")
            }
        }
    };
    check_text(&text)?;
    Ok(Decoded { text: drop_invisible_owned(unify_line_ends_owned(text)), encoding })
}

fn utf8(bytes: &[u8]) -> Result<String, LoadError> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        // Where it breaks: told by std's validator, on this rare path only.
        Err(_) => {
            let at = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
            Err(LoadError::new(format!("文件声明为 UTF-8，但第 {at} 字节处编码损坏")))
        }
    }
}

fn utf16(bytes: &[u8], enc: &'static encoding_rs::Encoding) -> Result<String, LoadError> {
    let (s, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(LoadError::new(format!("文件是 {} 编码，但内容已损坏（可能被截断）", enc.name())));
    }
    Ok(s.into_owned())
}

/// UTF-16 without a BOM: mostly-ASCII or CJK text shows NULs at every other byte.
fn bom_less_utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 8 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let n = bytes.len().min(65536) / 2;
    // UTF-16 text has NULs (every ASCII character, every line end): none, and it is not.
    memchr::memchr(0, &bytes[..n * 2])?;
    let (mut even0, mut odd0) = (0, 0);
    for pair in bytes.chunks_exact(2).take(n) {
        even0 += (pair[0] == 0) as usize;
        odd0 += (pair[1] == 0) as usize;
    }
    // A text in UTF-16 has NULs mostly on one side (ASCII: digits, line ends; the other side
    // only from ideographs such as U+4E00); what it decodes to must be text.
    let enc = if odd0 > 0 && odd0 >= even0 * 4 {
        encoding_rs::UTF_16LE
    } else if even0 > 0 && even0 >= odd0 * 4 {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    let (s, bad) = enc.decode_without_bom_handling(&bytes[..(n * 2)]);
    let plausible = s
        .chars()
        .filter(|&c| {
            c.is_ascii_graphic()
                || c.is_whitespace()
                || crate::text::is_cjk(c)
                || ('\u{3000}'..='\u{303F}').contains(&c)
                || ('\u{FF00}'..='\u{FFEF}').contains(&c)
                || ('\u{2000}'..='\u{206F}').contains(&c)
        })
        .count();
    (!bad && plausible * 100 >= s.chars().count() * 95).then_some(enc)
}

fn foreign_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF") {
        Some(" PDF ")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(" Word（.docx）或其他压缩包")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some(" Word（.doc）或 WPS ")
    } else if bytes.starts_with(b"{\\rtf") {
        Some(" RTF ")
    } else {
        None
    }
}

/// Refuse empty text and text full of control characters.
fn check_text(text: &str) -> Result<(), LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::new("文件是空的"));
    }
    // Control characters other than line breaks and tabs: ASCII ones by byte, C1 ones (U+0080–U+009F,
    // two bytes starting 0xC2 0x80–0x9F) by their lead bytes. Measured against the byte length.
    let bytes = text.as_bytes();
    // Branch-free, so that it runs on vectors: a count of bytes per chunk of 128 (a whole number
    // of vectors, so no byte is left to a loop of one at a time; a u8 cannot overflow), summed.
    let is_control =
        |b: u8| u8::from(((b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0C)) | (b == 0x7F));
    let ascii_control: usize =
        bytes.chunks(128).map(|c| usize::from(c.iter().fold(0u8, |n, &b| n.wrapping_add(is_control(b))))).sum();
    let c1 = memchr::memchr_iter(0xC2, bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(|b| (0x80..=0x9F).contains(b)))
        .count();
    // By memmem: `str::matches` looks for its last byte (0xBD), which half the ideographs have.
    let replacement = memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count();
    if (ascii_control + c1) * 100 > bytes.len() || replacement * 60 > bytes.len() {
        return Err(LoadError::new("不是文本文件（含有大量控制字符）"));
    }
    Ok(())
}

/// Zero-width characters (U+200B–U+200D, U+2060, U+FEFF) that web and Word copies leave
/// inside numbers and labels are dropped: they are invisible to the clerk and would split a
/// number in two.
pub(crate) fn drop_invisible(s: &str) -> String {
    if first_invisible(s).is_none() {
        return s.to_string();
    }
    s.chars().filter(|&c| !is_invisible(c)).collect()
}

/// [`drop_invisible`] keeping the string when it has none (no copy).
pub(crate) fn drop_invisible_owned(s: String) -> String {
    if first_invisible(&s).is_none() {
        return s;
    }
    s.chars().filter(|&c| !is_invisible(c)).collect()
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The byte offset of the first zero-width character: U+200B–U+200D and U+2060 start with 0xE2,
/// found by `memchr` and checked by what follows; U+FEFF (EF BB BF) by `memmem` (0xEF alone
/// starts every full-width form, common in these reports).
fn first_invisible(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let zero_width =
        memchr::memchr_iter(0xE2, b).find(|&i| matches!(b.get(i + 1..i + 3), Some([0x80, 0x8B..=0x8D] | [0x81, 0xA0])));
    let bom = memchr::memmem::find(b, "\u{FEFF}".as_bytes());
    match (zero_width, bom) {
        (Some(a), Some(c)) => Some(a.min(c)),
        (a, c) => a.or(c),
    }
}

/// CRLF and lone CR become LF; nothing else changes.
#[cfg(test)]
pub(crate) fn unify_line_ends(s: &str) -> String {
    unify_line_ends_owned(s.to_string())
}

/// [`unify_line_ends`] keeping the string when it has no CR (no copy).
pub(crate) fn unify_line_ends_owned(s: String) -> String {
    let b = s.as_bytes();
    if memchr::memchr(b'\r', b).is_none() {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    for i in memchr::memchr_iter(b'\r', b) {
        out.push_str(&s[from..i]);
        out.push('\n');
        from = if b.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
    }
    out.push_str(&s[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        let s = "规章 0 0 0\r\n行政许可 27 0 2794\r";
        let d = decode(s.as_bytes()).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-8", "规章 0 0 0\n行政许可 27 0 2794\n"));
        let (gb, _, _) = encoding_rs::GB18030.encode(s);
        assert_eq!(decode(&gb).unwrap().encoding, "GB18030");
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let d = decode(&le).unwrap();
        assert_eq!((d.encoding, d.text.lines().count()), ("UTF-16LE", 2));
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(s.as_bytes());
        assert!(!decode(&bom).unwrap().text.starts_with('\u{FEFF}'));
    }

    #[test]
    fn drops_every_zero_width_character_and_nothing_else() {
        let s = "1\u{200B}2\u{200C}3\u{200D}4\u{2060}5\u{FEFF}6，“（）\u{2014}\u{2061}\u{200A}\u{FEFE}";
        assert_eq!(drop_invisible(s), "123456，“（）\u{2014}\u{2061}\u{200A}\u{FEFE}");
        assert_eq!(drop_invisible_owned(s.to_string()), drop_invisible(s));
        for kept in ["，“（）\u{2014}\u{2061}\u{200A}\u{FEFE}\u{2000}", "规章 0 0 0", ""] {
            assert_eq!(first_invisible(kept), None, "{kept}");
        }
        assert_eq!(first_invisible("a\u{FEFF}"), Some(1));
        // Against the characters, on random strings of what looks alike.
        let pool = "a一，“\u{200A}\u{200B}\u{200C}\u{200D}\u{2060}\u{2061}\u{FEFF}\u{FEFE}\u{FF10}";
        for t in crate::test_inputs::random_strings(pool, 3000, 7, 1) {
            let reference = t.char_indices().find(|&(_, c)| is_invisible(c)).map(|(i, _)| i);
            assert_eq!(first_invisible(&t), reference, "{t:?}");
        }
        assert_eq!(unify_line_ends("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(unify_line_ends("\r\r\n规\r"), "\n\n规\n");
    }

    #[test]
    fn refuses_what_is_not_text() {
        assert!(decode(b"").unwrap_err().to_string().contains("空"));
        assert!(decode(b"  \n \n").unwrap_err().to_string().contains("空"));
        assert!(decode(b"%PDF-1.7 ...").unwrap_err().to_string().contains("PDF"));
        assert!(decode(b"PK\x03\x04....").unwrap_err().to_string().contains("Word"));
        assert!(decode(&[0x00, 0x01, 0x02, 0xFF, 0x13, 0x00, 0x9c]).is_err());
        let junk: Vec<u8> = (0..2000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        assert!(decode(&junk).is_err());
    }
}
