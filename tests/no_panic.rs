//! No input makes the core panic: random bytes and mutated real reports, through decode,
//! parse, checks and the RON round trip. Seeded, and bounded in time.

use std::time::{Duration, Instant};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "0",
    "1",
    "12",
    " ",
    "\t",
    "\n",
    "\r\n",
    "/",
    "-",
    "l",
    "O",
    "增",
    "减",
    "万元",
    "元",
    "总计",
    "其他",
    "1.",
    "（七）总计",
    "三、收到和处理政府信息公开申请情况\n",
    "四、政府信息公开行政复议、行政诉讼情况\n",
    "二、主动公开政府信息情况\n",
    "五、存在的主要问题及改进情况\n",
    "予以公开",
    "。",
    "１２",
    "\u{3000}",
    "9999999999999999999999",
    "1,234",
    "..",
    "2021年",
    "本年制发件数",
    "共收到申请5件",
];

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut b = base.to_vec();
    for _ in 0..1 + rng.below(8) {
        match rng.below(6) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            1 if !b.is_empty() => {
                let i = rng.below(b.len());
                let n = rng.below(200).min(b.len() - i);
                b.drain(i..i + n);
            }
            2 => {
                let i = rng.below(b.len() + 1);
                let p = PIECES[rng.below(PIECES.len())].as_bytes();
                b.splice(i..i, p.iter().copied());
            }
            3 if !b.is_empty() => {
                let i = rng.below(b.len());
                b.truncate(i);
            }
            4 if b.len() > 2 => {
                // Duplicate a chunk (a repeated page or header).
                let i = rng.below(b.len());
                let n = rng.below(400).min(b.len() - i);
                let chunk = b[i..i + n].to_vec();
                let j = rng.below(b.len());
                b.splice(j..j, chunk);
            }
            _ => {
                let s = String::from_utf8_lossy(&b).into_owned();
                let mut lines: Vec<&str> = s.lines().collect();
                if lines.len() > 2 {
                    let i = rng.below(lines.len());
                    let j = rng.below(lines.len());
                    lines.swap(i, j);
                }
                b = lines.join("\n").into_bytes();
            }
        }
    }
    b
}

fn exercise(bytes: &[u8]) {
    if let Ok(r) = nianbao::load_bytes(bytes, "fuzz.txt") {
        let results = nianbao::checks::run(&r);
        assert!(results.iter().all(|c| c.cells.iter().all(|&i| i < r.cells.len())));
        for c in &r.cells {
            if let Some((a, b)) = c.span {
                assert!(r.text.get(a..b).is_some(), "span {a}..{b} not in text");
            }
        }
        let ron = nianbao::document::to_ron(&r);
        let back = nianbao::load_bytes(ron.as_bytes(), "fuzz.ron").expect("a saved review loads back");
        assert_eq!(back, r);
    }
}

#[test]
fn random_and_mutated_inputs_never_panic() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let samples: Vec<Vec<u8>> = ["lieshan-2020", "lieshan-2021", "lishi-2020", "yuan-2020"]
        .iter()
        .map(|n| std::fs::read(format!("{dir}/{n}.txt")).unwrap())
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let deadline = Instant::now() + Duration::from_secs(8);
    let mut runs = 0;
    while Instant::now() < deadline && runs < 3000 {
        let input = if rng.below(5) == 0 {
            (0..rng.below(3000)).map(|_| rng.next() as u8).collect()
        } else {
            let base = &samples[rng.below(samples.len())];
            let m = mutate(&mut rng, base);
            if rng.below(4) == 0 {
                let s = String::from_utf8_lossy(&m).into_owned();
                encoding_rs::GB18030.encode(&s).0.into_owned()
            } else {
                m
            }
        };
        exercise(&input);
        runs += 1;
    }
    assert!(runs >= 100, "only {runs} inputs were tried");
}
