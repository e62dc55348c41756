//! What makes one correction likelier than another: the shape of the change (what OCR and
//! typing do to numbers), the cell's status, and the figures the prose states.

use super::system::EPS;
use crate::model::{Figure, Report, Status};

/// Digit pairs OCR confuses.
const CONFUSED: &[(char, char)] = &[('6', '8'), ('3', '8'), ('1', '7'), ('0', '8'), ('5', '6'), ('1', '4')];

/// How a number could have become another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Two digits OCR confuses (6/8, 3/8, 1/7, 0/8, 5/6, 1/4).
    Confused(char, char),
    /// One digit differs.
    Digit,
    /// Two neighbouring digits swapped.
    Swapped,
    /// A digit dropped.
    Dropped,
    /// A digit doubled.
    Doubled,
    /// A digit too many.
    Extra,
    /// Two neighbouring cells read as one number (1 and 2 read as 12, the next cell empty).
    Joined,
    /// One number read as two neighbouring cells (12 read as 1 and 2).
    Split,
    /// The values of two neighbouring cells exchanged.
    Exchanged,
    /// Nothing recognisable.
    Other,
}

impl Shape {
    /// Log-odds the shape adds to a correction.
    pub(crate) fn weight(self) -> f64 {
        match self {
            Shape::Confused(..) => 3.0,
            Shape::Swapped | Shape::Doubled | Shape::Joined | Shape::Split => 2.5,
            Shape::Dropped | Shape::Exchanged => 2.0,
            Shape::Digit | Shape::Extra => 1.5,
            Shape::Other => 0.0,
        }
    }

    /// Why, in Chinese (`current` → `proposed`).
    pub fn describe(self, current: &str, proposed: &str) -> Option<String> {
        let s = match self {
            Shape::Confused(a, b) => {
                format!("“{current}”与“{proposed}”只差一位，{a} 与 {b} 是识别时常混淆的数字")
            }
            Shape::Digit => format!("“{current}”与“{proposed}”只差一位数字"),
            Shape::Swapped => format!("“{current}”是“{proposed}”相邻两位数字颠倒"),
            Shape::Dropped => format!("“{current}”是“{proposed}”漏了一位数字"),
            Shape::Doubled => format!("“{current}”是“{proposed}”多读了一位重复数字"),
            Shape::Extra => format!("“{current}”比“{proposed}”多一位数字"),
            Shape::Joined => format!("原文相邻两格（{proposed}）被连读成一个数（{current}）"),
            Shape::Split => format!("原文一个数被拆成相邻两格（{current}），应为（{proposed}）"),
            Shape::Exchanged => "相邻两格的数值互换了位置".to_string(),
            Shape::Other => return None,
        };
        Some(s)
    }
}

/// Digits of a count.
pub fn digits(v: f64) -> String {
    format!("{}", v.round() as i64)
}

/// The shape of a one-cell change from `current` to `proposed`.
pub fn shape(current: f64, proposed: f64) -> Shape {
    let (c, p) = (digits(current), digits(proposed));
    let (cb, pb) = (c.as_bytes(), p.as_bytes());
    if cb.len() == pb.len() {
        let diff: Vec<usize> = (0..cb.len()).filter(|&k| cb[k] != pb[k]).collect();
        return match diff[..] {
            [k] => {
                let (a, b) = (cb[k] as char, pb[k] as char);
                match CONFUSED.iter().find(|&&(x, y)| (x, y) == (a, b) || (y, x) == (a, b)) {
                    Some(&(x, y)) => Shape::Confused(x, y),
                    None => Shape::Digit,
                }
            }
            [k, l] if l == k + 1 && cb[k] == pb[l] && cb[l] == pb[k] => Shape::Swapped,
            _ => Shape::Other,
        };
    }
    let drop_one =
        |long: &[u8], short: &[u8]| (0..long.len()).find(|&k| long[..k] == short[..k] && long[k + 1..] == short[k..]);
    if pb.len() == cb.len() + 1 && drop_one(pb, cb).is_some() {
        return Shape::Dropped;
    }
    if cb.len() == pb.len() + 1
        && let Some(k) = drop_one(cb, pb)
    {
        let doubled = (k > 0 && cb[k - 1] == cb[k]) || cb.get(k + 1) == Some(&cb[k]);
        return if doubled { Shape::Doubled } else { Shape::Extra };
    }
    Shape::Other
}

/// The shape of a change to two neighbouring cells of a row (`a` before `b`).
pub(crate) fn pair_shape(cur: (f64, f64), prop: (f64, f64)) -> Shape {
    let cat = |x: f64, y: f64| format!("{}{}", digits(x), digits(y));
    let (c0, c1, p0, p1) = (digits(cur.0), digits(cur.1), digits(prop.0), digits(prop.1));
    if (c0 == cat(prop.0, prop.1) && cur.1 == 0.0) || (c1 == cat(prop.0, prop.1) && cur.0 == 0.0) {
        return Shape::Joined;
    }
    if (p0 == cat(cur.0, cur.1) && prop.1 == 0.0) || (p1 == cat(cur.0, cur.1) && prop.0 == 0.0) {
        return Shape::Split;
    }
    if c0 == p1 && c1 == p0 {
        return Shape::Exchanged;
    }
    Shape::Other
}

/// Log-odds from a cell's status: the parser's repairs go wrong more often than clean reads;
/// a person's edit is likelier right.
pub(crate) fn status_weight(s: Status) -> f64 {
    match s {
        Status::Repaired => 1.0,
        Status::Edited => -1.5,
        _ => 0.0,
    }
}

/// Small values are the common ones in these tables (most cells are 0).
pub(crate) fn prior(proposed: f64) -> f64 {
    -0.3 * (1.0 + proposed.abs()).log10()
}

/// Whether a figure agrees with the values (`None` when its cells have no value).
pub fn agrees(fig: &Figure, vals: &[Option<f64>]) -> Option<bool> {
    let sum = |cells: &[usize]| -> Option<f64> { cells.iter().map(|&i| *vals.get(i)?).sum() };
    let main = sum(&fig.cells)?;
    let alt = if fig.alt_cells.is_empty() { None } else { sum(&fig.alt_cells) };
    Some((fig.value - main).abs() < EPS || alt.is_some_and(|a| (fig.value - a).abs() < EPS))
}

/// How the prose judges a change from `before` to `after`: the figures it comes to agree with
/// (supporting) and those it stops agreeing with (against).
pub fn prose<'a>(
    report: &'a Report,
    before: &[Option<f64>],
    after: &[Option<f64>],
) -> (Vec<&'a Figure>, Vec<&'a Figure>) {
    let (mut support, mut against) = (Vec::new(), Vec::new());
    for fig in &report.figures {
        match (agrees(fig, before), agrees(fig, after)) {
            (Some(true), Some(false)) => against.push(fig),
            (Some(false) | None, Some(true)) => support.push(fig),
            _ => {}
        }
    }
    (support, against)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape(42.0, 24.0), Shape::Swapped);
        assert_eq!(shape(18.0, 13.0), Shape::Confused('3', '8'));
        assert_eq!(shape(5.0, 0.0), Shape::Digit);
        assert_eq!(shape(13.0, 123.0), Shape::Dropped);
        assert_eq!(shape(1223.0, 123.0), Shape::Doubled);
        assert_eq!(shape(1293.0, 123.0), Shape::Extra);
        assert_eq!(shape(100.0, 7.0), Shape::Other);
        assert_eq!(pair_shape((12.0, 0.0), (1.0, 2.0)), Shape::Joined);
        assert_eq!(pair_shape((1.0, 2.0), (12.0, 0.0)), Shape::Split);
        assert_eq!(pair_shape((3.0, 5.0), (5.0, 3.0)), Shape::Exchanged);
    }
}
