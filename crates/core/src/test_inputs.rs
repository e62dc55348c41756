//! Inputs for the unit tests that check a fast way against the plain way it replaced: every
//! line of the fixture reports, and seeded random strings drawn from a pool of characters.

/// Every line of `tests/fixtures/*.txt`.
pub(crate) fn fixture_lines() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut lines = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "txt") {
            lines.extend(std::fs::read_to_string(e.path()).unwrap().lines().map(str::to_string));
        }
    }
    lines
}

/// `count` strings of characters from `pool`, each shorter than `max_len`, the same for the
/// same `seed` (a linear congruential generator: no crate needed, the same on every machine).
pub(crate) fn random_strings(pool: &str, count: usize, max_len: u64, seed: u64) -> Vec<String> {
    let pool: Vec<char> = pool.chars().collect();
    let mut seed = seed;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let mut s = String::new();
        for _ in 0..(seed % max_len) {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            s.push(pool[(seed >> 33) as usize % pool.len()]);
        }
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        out.push(s);
    }
    out
}
