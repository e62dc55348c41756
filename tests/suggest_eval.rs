//! How well suggested corrections restore damaged reports.
//!
//! A seeded generator damages the four samples the way real reports are damaged — one digit
//! changed, neighbouring digits swapped, a digit dropped or doubled, a number split in two,
//! two numbers joined, a cell read as a letter, a row dropped — at two levels:
//! - value level: one cell (or row, or pair of neighbouring cells) of the parsed report changed;
//! - text level: the token in the text changed, then the text parsed again, so the parser's own
//!   handling (its repairs, a row it cannot place) is part of the case.
//!
//! The truth is the parse of the undamaged sample. Per case: the damage changed no value
//! ("no effect", e.g. the parser joined a split number back), it breaks no check
//! ("undetectable", e.g. a cell of table 二, which has no sums — neither is counted in the
//! shares), the top suggestion restores every value, a suggestion shown as certain is wrong,
//! or no suggestion at all. Run with `cargo test --test all suggest_eval:: -- --nocapture`.

use nianbao::checks::{self, CELL_UNREADABLE};
use nianbao::suggest::{self, Suggestion};
use nianbao::{Report, Status, load_bytes};

const SAMPLES: [&str; 4] = ["lieshan-2020", "lieshan-2021", "lishi-2020", "yuan-2020"];
const SEED: u64 = 0x5EED_2024_0005;
const VALUE_CASES: usize = 900;
const TEXT_CASES: usize = 700;

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

const CONFUSED: &[(char, char)] = &[('6', '8'), ('3', '8'), ('1', '7'), ('0', '8'), ('5', '6'), ('1', '4')];

/// Another digit for `d`: an OCR look-alike half the time, else any other digit.
fn other_digit(rng: &mut Rng, d: char) -> char {
    let alike: Vec<char> = CONFUSED
        .iter()
        .filter_map(|&(a, b)| {
            if a == d {
                Some(b)
            } else if b == d {
                Some(a)
            } else {
                None
            }
        })
        .collect();
    if !alike.is_empty() && rng.below(2) == 0 {
        return *rng.pick(&alike);
    }
    loop {
        let c = char::from(b'0' + rng.below(10) as u8);
        if c != d {
            return c;
        }
    }
}

/// Digit damage of a number's digits; `None` when the kind does not apply.
fn damage_digits(rng: &mut Rng, kind: Kind, s: &str) -> Option<String> {
    let mut b: Vec<char> = s.chars().collect();
    let n = b.len();
    match kind {
        Kind::Digit => {
            let k = rng.below(n);
            b[k] = other_digit(rng, b[k]);
        }
        Kind::Swap => {
            let ks: Vec<usize> = (0..n.saturating_sub(1)).filter(|&k| b[k] != b[k + 1]).collect();
            if ks.is_empty() {
                return None;
            }
            let k = ks[rng.below(ks.len())];
            b.swap(k, k + 1);
        }
        Kind::Drop => {
            if n < 2 {
                return None;
            }
            b.remove(rng.below(n));
        }
        Kind::Double => {
            let k = rng.below(n);
            b.insert(k, b[k]);
        }
        _ => return None,
    }
    let out: String = b.into_iter().collect();
    // A leading zero reads as a shorter number: fine, it is what a reader would get.
    (out != s).then_some(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Digit,
    Swap,
    Drop,
    Double,
    Letter,
    RowDrop,
    Split,
    Join,
    /// Two cells anywhere, each with one digit changed (a double fault).
    TwoCells,
}

impl Kind {
    const VALUE: [Kind; 9] = [
        Kind::Digit,
        Kind::Swap,
        Kind::Drop,
        Kind::Double,
        Kind::Letter,
        Kind::RowDrop,
        Kind::Split,
        Kind::Join,
        Kind::TwoCells,
    ];
    const TEXT: [Kind; 7] = [Kind::Digit, Kind::Swap, Kind::Drop, Kind::Letter, Kind::RowDrop, Kind::Split, Kind::Join];
    /// Value-level damage of one cell or one row: the single-fault cases of the target.
    fn single(self) -> bool {
        !matches!(self, Kind::Split | Kind::Join | Kind::TwoCells)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    NoEffect,
    Undetectable,
    Right,
    WrongTop,
    NoSuggestion,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    cases: usize,
    no_effect: usize,
    undetectable: usize,
    right: usize,
    wrong_top: usize,
    none: usize,
    certain_right: usize,
    certain_wrong: usize,
}

impl Tally {
    fn add(&mut self, v: Verdict, certain_right: bool, certain_wrong: bool) {
        self.cases += 1;
        match v {
            Verdict::NoEffect => self.no_effect += 1,
            Verdict::Undetectable => self.undetectable += 1,
            Verdict::Right => self.right += 1,
            Verdict::WrongTop => self.wrong_top += 1,
            Verdict::NoSuggestion => self.none += 1,
        }
        self.certain_right += certain_right as usize;
        self.certain_wrong += certain_wrong as usize;
    }
    fn detectable(&self) -> usize {
        self.right + self.wrong_top + self.none
    }
    fn merge(&mut self, o: &Tally) {
        self.cases += o.cases;
        self.no_effect += o.no_effect;
        self.undetectable += o.undetectable;
        self.right += o.right;
        self.wrong_top += o.wrong_top;
        self.none += o.none;
        self.certain_right += o.certain_right;
        self.certain_wrong += o.certain_wrong;
    }
    fn line(&self, name: &str) -> String {
        let d = self.detectable().max(1) as f64;
        let pct = |x: usize| format!("{:5.1}%", 100.0 * x as f64 / d);
        format!(
            "{name:<22}{:>6}{:>7}{:>7}{:>7}   {}  {}  {}  {}  {}",
            self.cases,
            self.no_effect,
            self.undetectable,
            self.detectable(),
            pct(self.right),
            pct(self.wrong_top),
            pct(self.none),
            pct(self.certain_right),
            pct(self.certain_wrong)
        )
    }
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-6,
        (None, None) => true,
        _ => false,
    }
}

/// A suggestion restores the truth in every cell it changes.
fn restores(s: &Suggestion, truth: &Report) -> bool {
    s.changes.iter().all(|c| same(Some(c.proposed), truth.cells[c.cell].value))
}

/// Judge the suggestions for `damaged` against `truth`: (verdict, a certain one right, a certain one wrong).
fn judge(truth: &Report, damaged: &Report) -> (Verdict, bool, bool) {
    let diff = (0..truth.cells.len()).any(|i| !same(truth.cells[i].value, damaged.cells[i].value));
    if !diff {
        return (Verdict::NoEffect, false, false);
    }
    let res = checks::run(damaged);
    let detectable = res.iter().any(|c| {
        !c.passed
            && (suggest_ids().contains(&c.id) || (c.id == CELL_UNREADABLE && c.scope.iter().any(|s| s.0 == "rule")))
    });
    if !detectable {
        return (Verdict::Undetectable, false, false);
    }
    let s = suggest::suggest(damaged, &res);
    let certain_right = s.iter().any(|x| x.certain && restores(x, truth));
    let certain_wrong = s.iter().any(|x| x.certain && !restores(x, truth));
    let Some(top) = s.first() else {
        return (Verdict::NoSuggestion, false, false);
    };
    let mut vals: Vec<Option<f64>> = damaged.cells.iter().map(|c| c.value).collect();
    for c in &top.changes {
        vals[c.cell] = Some(c.proposed);
    }
    let right = (0..vals.len()).all(|i| same(vals[i], truth.cells[i].value));
    (if right { Verdict::Right } else { Verdict::WrongTop }, certain_right, certain_wrong)
}

fn suggest_ids() -> [&'static str; 4] {
    [
        checks::APPLICATIONS_ROW_SUM,
        checks::APPLICATIONS_OUTCOME_SUM,
        checks::APPLICATIONS_BALANCE,
        checks::REVIEW_ROW_SUM,
    ]
}

fn digits(v: f64) -> String {
    format!("{}", v.round() as i64)
}

/// Cells of tables 三 and 四 and of table 二 with a count value (the damage may hit any table).
fn count_cells(r: &Report) -> Vec<usize> {
    (0..r.cells.len())
        .filter(|&i| {
            r.def(i).kind() == nianbao::template::Kind::Count
                && r.cells[i].value.is_some_and(|v| v >= 0.0 && v.fract() == 0.0)
        })
        .collect()
}

/// The row of cell `i`: its cells.
fn row_of(r: &Report, i: usize) -> Vec<usize> {
    let d = r.def(i);
    r.layout().row(d.table, d.row).unwrap().collect()
}

/// Damage one cell, a row or two neighbours of the parsed report. `None` when the kind does
/// not apply to the cell picked.
fn damage_values(rng: &mut Rng, truth: &Report, kind: Kind) -> Option<Report> {
    let mut r = truth.clone();
    let cells = count_cells(truth);
    let i = *rng.pick(&cells);
    let set = |r: &mut Report, i: usize, v: f64| {
        r.cells[i].value = Some(v);
        r.cells[i].text = digits(v);
    };
    match kind {
        Kind::Letter => {
            r.cells[i].value = None;
            r.cells[i].status = Status::Unreadable;
            r.cells[i].text = "a".into();
        }
        Kind::RowDrop => {
            for j in row_of(truth, i) {
                r.cells[j] = nianbao::Cell::missing();
            }
        }
        Kind::Join | Kind::Split => {
            // Two neighbours (a, b): joined → (ab, 0); a split number (ab, 0) → (a, b).
            let j = i + 1;
            let row = row_of(truth, i);
            if !row.contains(&j) {
                return None;
            }
            let (a, b) = (truth.cells[i].value?, truth.cells[j].value?);
            if kind == Kind::Join {
                set(&mut r, i, format!("{}{}", digits(a), digits(b)).parse().ok()?);
                set(&mut r, j, 0.0);
            } else {
                let s = digits(a);
                if s.len() < 2 || b != 0.0 {
                    return None;
                }
                let k = 1 + rng.below(s.len() - 1);
                set(&mut r, i, s[..k].parse().ok()?);
                set(&mut r, j, s[k..].parse().ok()?);
            }
        }
        Kind::TwoCells => {
            let j = *rng.pick(&cells);
            for k in [i, j] {
                let s = damage_digits(rng, Kind::Digit, &digits(truth.cells[k].value?))?;
                set(&mut r, k, s.parse().ok()?);
            }
            if i == j {
                return None;
            }
        }
        _ => {
            let s = damage_digits(rng, kind, &digits(truth.cells[i].value?))?;
            set(&mut r, i, s.parse().ok()?);
        }
    }
    // Value-level damage always changes a value.
    let changed = (0..r.cells.len()).any(|k| !same(r.cells[k].value, truth.cells[k].value));
    changed.then_some(r)
}

/// Damage the token of one cell (or a row) in the text and parse again.
fn damage_text(rng: &mut Rng, truth: &Report, kind: Kind) -> Option<Report> {
    let text = &truth.text;
    let with_span: Vec<usize> = count_cells(truth).into_iter().filter(|&i| truth.cells[i].span.is_some()).collect();
    let i = *rng.pick(&with_span);
    let (a, b) = truth.cells[i].span?;
    let token = &text[a..b];
    let digit_pos: Vec<usize> = token.char_indices().filter(|c| c.1.is_ascii_digit()).map(|c| c.0).collect();
    if digit_pos.is_empty() {
        return None;
    }
    let (from, to, new): (usize, usize, String) = match kind {
        Kind::Digit | Kind::Swap | Kind::Drop => {
            // The digits of the token are contiguous in the samples ('1086', '减 540').
            let (da, db) = (a + digit_pos[0], a + digit_pos[digit_pos.len() - 1] + 1);
            (da, db, damage_digits(rng, kind, &text[da..db])?)
        }
        Kind::Letter => {
            let p = a + *rng.pick(&digit_pos);
            let letter = *rng.pick(&["a", "e", "口", "B", "O", "l", "S", "?"]);
            (p, p + 1, letter.to_string())
        }
        Kind::Split => {
            if digit_pos.len() < 2 {
                return None;
            }
            let p = a + digit_pos[1 + rng.below(digit_pos.len() - 1)];
            (p, p, " ".to_string())
        }
        Kind::Join => {
            let next = truth.cells.get(i + 1)?.span?;
            if !row_of(truth, i).contains(&(i + 1)) || next.0 < b || !text[b..next.0].chars().all(char::is_whitespace) {
                return None;
            }
            (b, next.0, String::new())
        }
        Kind::RowDrop => {
            let spans: Vec<(usize, usize)> = row_of(truth, i).iter().filter_map(|&j| truth.cells[j].span).collect();
            let lo = spans.iter().map(|s| s.0).min()?;
            let hi = spans.iter().map(|s| s.1).max()?;
            (lo, hi, String::new())
        }
        Kind::Double | Kind::TwoCells => return None,
    };
    let damaged = format!("{}{}{}", &text[..from], new, &text[to..]);
    load_bytes(damaged.as_bytes(), &truth.source_name).ok()
}

fn fixture(name: &str) -> Report {
    let bytes = std::fs::read(format!("{}/tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let r = load_bytes(&bytes, name).unwrap();
    // The truth is the parse of the text the spans point into.
    load_bytes(r.text.as_bytes(), name).unwrap()
}

fn run(
    level: &str,
    kinds: &[Kind],
    n: usize,
    truths: &[Report],
    rng: &mut Rng,
    damage: fn(&mut Rng, &Report, Kind) -> Option<Report>,
) -> Vec<(Kind, Tally)> {
    let mut tallies: Vec<(Kind, Tally)> = kinds.iter().map(|&k| (k, Tally::default())).collect();
    let mut made = 0;
    let mut tries = 0;
    while made < n && tries < n * 50 {
        tries += 1;
        let k = made % kinds.len();
        let truth = &truths[rng.below(truths.len())];
        let Some(damaged) = damage(rng, truth, kinds[k]) else {
            continue;
        };
        let (v, cr, cw) = judge(truth, &damaged);
        if std::env::var("SUGGEST_EVAL_DEBUG").is_ok() && matches!(v, Verdict::WrongTop | Verdict::NoSuggestion) {
            let diff: Vec<String> = (0..truth.cells.len())
                .filter(|&i| !same(truth.cells[i].value, damaged.cells[i].value))
                .map(|i| format!("{} {:?}->{:?}", truth.def(i).key(), truth.cells[i].value, damaged.cells[i].value))
                .collect();
            let s = suggest::suggest_report(&damaged);
            eprintln!(
                "{level} {:?} {v:?} {}: {diff:?}\n  top: {:?}",
                kinds[k],
                truth.source_name,
                s.first().map(|x| (&x.changes, &x.reason))
            );
        }
        if cw {
            eprintln!(
                "CERTAIN WRONG ({level} {:?}) in {}: {:#?}",
                kinds[k],
                truth.source_name,
                suggest::suggest_report(&damaged)
            );
        }
        tallies[k].1.add(v, cr, cw);
        made += 1;
    }
    assert_eq!(made, n, "the generator could not make {n} {level} cases");
    tallies
}

fn print(level: &str, tallies: &[(Kind, Tally)]) -> Tally {
    println!("\n{level} level — shares of the detectable cases");
    println!(
        "{:<22}{:>6}{:>7}{:>7}{:>7}   {:>6}  {:>6}  {:>6}  {:>6}  {:>6}",
        "damage", "cases", "no-eff", "undet", "detect", "top1", "wrong", "none", "cert+", "cert-"
    );
    let mut all = Tally::default();
    for (k, t) in tallies {
        println!("{}", t.line(&format!("{k:?}")));
        all.merge(t);
    }
    println!("{}", all.line("all"));
    all
}

#[test]
fn suggestions_restore_damaged_samples() {
    let truths: Vec<Report> = SAMPLES.iter().map(|s| fixture(s)).collect();
    for t in &truths {
        assert!(!checks::fails(&checks::run(t), false), "{} must be clean", t.source_name);
    }
    let mut rng = Rng(SEED);
    let value = run("value", &Kind::VALUE, VALUE_CASES, &truths, &mut rng, damage_values);
    let text = run("text", &Kind::TEXT, TEXT_CASES, &truths, &mut rng, damage_text);
    let v_all = print("value", &value);
    let t_all = print("text", &text);
    let mut single = Tally::default();
    value.iter().filter(|(k, _)| k.single()).for_each(|(_, t)| single.merge(t));
    println!("\nvalue-level single-fault (one cell or one row): {}", single.line("").trim_start());
    println!(
        "(no-eff: the damage changed no value; undet: it breaks no check, e.g. a cell of table 二, which has no sums — both left out of the shares;\n top1: the top suggestion restores every value; wrong: it does not; none: no suggestion; cert+/cert-: a suggestion shown as certain is right/wrong)"
    );
    let share = single.right as f64 / single.detectable() as f64;
    assert!(share >= 0.9, "top-1 right in {:.1}% of the single-fault value-level cases", 100.0 * share);
    assert_eq!(v_all.certain_wrong + t_all.certain_wrong, 0, "a wrong suggestion shown as certain");
    assert!(v_all.cases + t_all.cases >= 200);
}
