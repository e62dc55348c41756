//! Reading one number: digits with OCR damage, 增/减 signs, 元 and 万元.

use crate::template::Kind;
use crate::text::fold;

/// Characters OCR gives for digits, and the digit each stands for.
pub(crate) fn ocr_digit(c: char) -> Option<char> {
    match c {
        'l' | 'I' | '|' | 'i' | '!' => Some('1'),
        'O' | 'o' | 'D' | 'Q' => Some('0'),
        'S' | 's' => Some('5'),
        'Z' | 'z' => Some('2'),
        'B' => Some('8'),
        'g' => Some('9'),
        _ => None,
    }
}

/// Letters accepted as digits only inside a run that has a real digit, or standing alone.
/// ('S', 'Z', 'B', 'g', 'i', 'D', 'Q' only beside real digits: alone they are too often letters.)
pub(crate) fn ocr_alone(c: char) -> bool {
    matches!(c, 'l' | 'I' | 'O' | 'o')
}

/// A number read from a token of digits (and OCR look-alikes).
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    pub value: f64,
    /// Set when a look-alike letter was read as a digit: what was read as what.
    pub repaired: Option<String>,
}

/// Read a run such as `1086`, `6439.39`, `11,616`, `l4`, `O`. Returns `None` when it is no number.
pub(crate) fn read_digits(run: &str) -> Option<Num> {
    let run: String = run.chars().map(fold).collect();
    if run.is_empty() {
        return None;
    }
    let has_digit = run.chars().any(|c| c.is_ascii_digit());
    let mut out = String::new();
    let mut fixes = Vec::new();
    for c in run.chars() {
        if c.is_ascii_digit() || c == '.' {
            out.push(c);
        } else if c == ',' {
            continue;
        } else if let Some(d) = ocr_digit(c) {
            if !has_digit && !ocr_alone(c) {
                return None;
            }
            fixes.push(format!("“{c}”→{d}"));
            out.push(d);
        } else {
            return None;
        }
    }
    // Thousands separators must group by three; anything else is not one number.
    if run.contains(',') {
        let int_part = run.split('.').next().unwrap_or("");
        let groups: Vec<&str> = int_part.split(',').collect();
        if groups.len() < 2 || groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    if out.is_empty() || out.starts_with('.') || out.ends_with('.') || out.matches('.').count() > 1 {
        return None;
    }
    let value: f64 = out.parse().ok()?;
    let repaired = if fixes.is_empty() { None } else { Some(format!("OCR 字符修复：{}", fixes.join("，"))) };
    Some(Num { value, repaired })
}

/// Parse what a person typed into a cell: digits (full-width too), 增/减/+/-, 元/万元.
/// Returns `None` for anything that is not a number; the caller keeps the text.
pub(crate) fn parse_typed(text: &str, kind: Kind) -> Option<f64> {
    let s: String = text.chars().map(fold).filter(|c| !c.is_whitespace()).collect();
    let mut s = s.as_str();
    let mut sign = 1.0;
    for (p, m) in [("增加", 1.0), ("减少", -1.0), ("增", 1.0), ("减", -1.0), ("+", 1.0), ("-", -1.0)] {
        if let Some(rest) = s.strip_prefix(p) {
            sign = m;
            s = rest;
            break;
        }
    }
    let mut scale = 1.0;
    if let Some(rest) = s.strip_suffix("万元") {
        s = rest;
    } else if let Some(rest) = s.strip_suffix('元') {
        s = rest;
        if kind == Kind::Money {
            scale = 1.0 / 10000.0;
        }
    } else if let Some(rest) = s.strip_suffix('件').or_else(|| s.strip_suffix('项')).or_else(|| s.strip_suffix('个'))
    {
        s = rest;
    }
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return None;
    }
    let n = read_digits(s)?;
    if kind == Kind::Count && n.value.fract() != 0.0 {
        return None;
    }
    if sign < 0.0 && kind == Kind::Count {
        return None; // only 本年增/减 may be negative: the text is kept and the cell flagged
    }
    Some(round6(sign * n.value * scale))
}

/// Round to 6 decimals (money in 万元 is exact to the 分 at 6 decimals).
pub(crate) fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_and_ocr_damage() {
        assert_eq!(read_digits("1086").unwrap().value, 1086.0);
        assert_eq!(read_digits("６４３９.３９").unwrap().value, 6439.39);
        assert_eq!(read_digits("11,616").unwrap().value, 11616.0);
        assert!(read_digits("1,2").is_none());
        let n = read_digits("l4").unwrap();
        assert_eq!(n.value, 14.0);
        assert!(n.repaired.is_some());
        assert_eq!(read_digits("O").unwrap().value, 0.0);
        assert!(read_digits("S").is_none());
        assert_eq!(read_digits("1S").unwrap().value, 15.0);
        assert!(read_digits("abc").is_none());
        assert!(read_digits("1.").is_none());
    }

    #[test]
    fn parses_typed_values() {
        assert_eq!(parse_typed("增 6", Kind::Signed), Some(6.0));
        assert_eq!(parse_typed("减540", Kind::Signed), Some(-540.0));
        assert_eq!(parse_typed("31482898.87 元", Kind::Money), Some(3148.289887));
        assert_eq!(parse_typed("6439.39万元", Kind::Money), Some(6439.39));
        assert_eq!(parse_typed("２４", Kind::Count), Some(24.0));
        assert_eq!(parse_typed("二十", Kind::Count), None);
        assert_eq!(parse_typed("2.5", Kind::Count), None);
        assert_eq!(parse_typed("", Kind::Count), None);
    }
}
