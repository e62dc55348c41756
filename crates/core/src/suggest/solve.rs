//! Solving the equations for a few cells taken as unknown, every other cell fixed.
//!
//! Linear algebra (Gauss–Jordan over the equations that touch the unknowns) gives the
//! unknowns the equations pin down; the cells are counts, so a value must be a non-negative
//! integer, and parts that must sum to 0 are all 0 (which pins down zeros the linear algebra
//! leaves free).

use super::system::{EPS, System};

#[derive(Debug, Clone, PartialEq)]
pub struct Solved {
    /// (cell, value) for every unknown the equations pin down.
    pub values: Vec<(usize, f64)>,
    /// The unknowns left free.
    pub free: Vec<usize>,
    /// How many equations confirm the solution beyond those needed to find it.
    pub redundancy: usize,
}

/// One equation over the unknowns: coefficients and right-hand side.
type Row = (Vec<f64>, f64);

/// Solve for `unknowns` (their present values ignored). Equations with another cell without a
/// value are left out. `None` when no solution in non-negative integers exists.
pub(crate) fn solve(sys: &System, vals: &[Option<f64>], unknowns: &[usize]) -> Option<Solved> {
    let n = unknowns.len();
    let var = |cell: usize| unknowns.iter().position(|&u| u == cell);
    let mut eqs: Vec<usize> = unknowns.iter().flat_map(|&u| sys.by_cell[u].iter().copied()).collect();
    eqs.sort_unstable();
    eqs.dedup();
    let mut rows: Vec<Row> = Vec::with_capacity(eqs.len());
    'eq: for e in eqs {
        let (mut row, mut rhs) = (vec![0.0; n], 0.0);
        for &(cell, coef) in &sys.eqs[e].terms {
            match (var(cell), vals[cell]) {
                (Some(v), _) => row[v] += coef,
                (None, Some(x)) => rhs -= coef * x,
                (None, None) => continue 'eq,
            }
        }
        rows.push((row, rhs));
    }
    let mut known: Vec<Option<f64>> = vec![None; n];
    let mut first_rank = None;
    let mut uses = 0;
    loop {
        let (determined, rank) = eliminate(&rows, &known)?;
        first_rank.get_or_insert(rank);
        for (v, x) in determined {
            known[v] = Some(count(x)?);
        }
        if !zero_sums(&rows, &mut known, &mut uses)? {
            break;
        }
    }
    let redundancy = rows.len().saturating_sub(first_rank.unwrap_or(0) + uses);
    let values = unknowns.iter().zip(&known).filter_map(|(&c, k)| k.map(|x| (c, x))).collect();
    let free = unknowns.iter().zip(&known).filter(|(_, k)| k.is_none()).map(|(&c, _)| c).collect();
    Some(Solved { values, free, redundancy })
}

/// A value as a count: a non-negative integer, or `None`.
fn count(x: f64) -> Option<f64> {
    let r = x.round();
    ((x - r).abs() < 1e-6 && r > -0.5).then_some(r.abs())
}

/// Gauss–Jordan over the unknowns not yet known. Returns the newly determined (unknown, value)
/// and the rank, or `None` when the equations contradict each other.
fn eliminate(rows: &[Row], known: &[Option<f64>]) -> Option<(Vec<(usize, f64)>, usize)> {
    let vars: Vec<usize> = (0..known.len()).filter(|&v| known[v].is_none()).collect();
    let m = vars.len();
    let mut a: Vec<Vec<f64>> = rows
        .iter()
        .map(|(row, rhs)| {
            let b = rhs - (0..known.len()).filter_map(|v| known[v].map(|x| row[v] * x)).sum::<f64>();
            vars.iter().map(|&v| row[v]).chain([b]).collect()
        })
        .collect();
    let mut pivots: Vec<usize> = Vec::new();
    for col in 0..m {
        let r0 = pivots.len();
        let Some(p) = (r0..a.len()).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs())) else {
            break;
        };
        if a[p][col].abs() < EPS {
            continue;
        }
        a.swap(r0, p);
        let d = a[r0][col];
        a[r0].iter_mut().for_each(|x| *x /= d);
        let pivot = a[r0].clone();
        for (r, row) in a.iter_mut().enumerate() {
            let f = row[col];
            if r != r0 && f != 0.0 {
                row[col..].iter_mut().zip(&pivot[col..]).for_each(|(x, p)| *x -= f * p);
            }
        }
        pivots.push(col);
    }
    let rank = pivots.len();
    if a[rank..].iter().any(|row| row[m].abs() > EPS) {
        return None;
    }
    let determined = pivots
        .iter()
        .enumerate()
        .filter(|&(r, &col)| (0..m).all(|k| k == col || a[r][k].abs() < EPS))
        .map(|(r, &col)| (vars[col], a[r][m]))
        .collect();
    Some((determined, rank))
}

/// Counts are non-negative: in an equation whose unknowns all have the same sign, a zero
/// remainder makes them all 0, and a remainder of the other sign is impossible. Returns whether
/// anything became known, or `None` when impossible.
fn zero_sums(rows: &[Row], known: &mut [Option<f64>], uses: &mut usize) -> Option<bool> {
    let mut progress = false;
    for (row, rhs) in rows {
        let rem = rhs - (0..known.len()).filter_map(|v| known[v].map(|x| row[v] * x)).sum::<f64>();
        let free: Vec<usize> = (0..known.len()).filter(|&v| known[v].is_none() && row[v].abs() > EPS).collect();
        let Some(&f0) = free.first() else { continue };
        let sign = row[f0].signum();
        if free.iter().any(|&v| row[v].signum() != sign) {
            continue;
        }
        if rem.abs() < EPS {
            free.iter().for_each(|&v| known[v] = Some(0.0));
            *uses += 1;
            progress = true;
        } else if rem * sign < 0.0 {
            return None;
        }
    }
    Some(progress)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::system::system;
    use crate::template::Template;

    fn zeros(t: Template) -> Vec<Option<f64>> {
        vec![Some(0.0); t.layout().cells.len()]
    }

    #[test]
    fn a_single_cell_is_pinned_by_its_equations() {
        let t = Template::T2019;
        let l = t.layout();
        let mut v = zeros(t);
        let i = l.index_of_key("applications/granted/natural_person").unwrap();
        v[i] = Some(5.0);
        let s = solve(system(t), &v, &[i]).unwrap();
        assert_eq!(s.values, vec![(i, 0.0)]);
        assert_eq!(s.redundancy, 1);
        // A missing row of zeros is zeros, confirmed by the row's own total.
        let row: Vec<usize> = l.row(crate::template::Table::Applications, "granted").unwrap().collect();
        let mut v = zeros(t);
        row.iter().for_each(|&c| v[c] = None);
        let s = solve(system(t), &v, &row).unwrap();
        assert!(s.free.is_empty());
        assert!(s.values.iter().all(|&(_, x)| x == 0.0));
        assert!(s.redundancy >= 1);
    }

    #[test]
    fn a_review_row_leaves_its_parts_free_unless_the_total_is_zero() {
        let t = Template::T2021;
        let l = t.layout();
        let row: Vec<usize> = l.row(crate::template::Table::Review, "reconsideration").unwrap().collect();
        let mut v = zeros(t);
        v[row[4]] = Some(3.0);
        let s = solve(system(t), &v, &row[..4]).unwrap();
        assert_eq!(s.free.len(), 4);
        v[row[4]] = Some(0.0);
        let s = solve(system(t), &v, &row[..4]).unwrap();
        assert!(s.free.is_empty());
        // A negative total cannot be met by counts.
        v[row[4]] = Some(-2.0);
        assert!(solve(system(t), &v, &row[..4]).is_none());
    }
}
