//! Suggested corrections for one report (target: under 10 ms), on damaged copies of the
//! samples: one wrong digit, a dropped row, a dropped row with a wrong digit elsewhere, two
//! faults (the pair search), two dropped rows with three faults elsewhere (the widest search),
//! and the whole of table 三 without values.
use criterion::{Criterion, criterion_group, criterion_main};
use nianbao::{Cell, Report, Table, checks, suggest};
use std::hint::black_box;

fn sample(name: &str) -> Report {
    let bytes = std::fs::read(format!("{}/tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap();
    nianbao::load_bytes(&bytes, name).unwrap()
}

fn set(r: &mut Report, key: &str, v: Option<f64>) {
    let i = r.layout().index_of_key(key).unwrap();
    r.cells[i] = Cell { value: v, ..r.cells[i].clone() };
}

fn drop_row(r: &mut Report, row: &str) {
    for i in r.layout().row(Table::Applications, row).unwrap() {
        r.cells[i] = Cell::missing();
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("suggest");
    for name in ["lieshan-2020", "lieshan-2021", "lishi-2020", "yuan-2020"] {
        let clean = sample(name);
        let v = |r: &Report, key: &str| {
            r.value(Table::Applications, key.split('/').next().unwrap(), key.split('/').nth(1).unwrap()).unwrap()
        };
        let mut digit = clean.clone();
        set(&mut digit, "applications/total/natural_person", Some(v(&clean, "total/natural_person") + 5.0));
        let mut row = clean.clone();
        drop_row(&mut row, "granted");
        let mut row_and_digit = row.clone();
        set(&mut row_and_digit, "applications/carried_forward/total", Some(v(&clean, "carried_forward/total") + 3.0));
        let mut two = clean.clone();
        set(&mut two, "applications/granted/natural_person", Some(v(&clean, "granted/natural_person") + 10.0));
        set(&mut two, "applications/granted/commercial", Some(v(&clean, "granted/commercial") + 1.0));
        let mut worst = clean.clone();
        drop_row(&mut worst, "granted");
        drop_row(&mut worst, "not_processed.duplicate");
        for (k, d) in [("new_received/total", 7.0), ("carried_forward/commercial", 2.0), ("total/research", 1.0)] {
            set(&mut worst, &format!("applications/{k}"), Some(v(&clean, k) + d));
        }
        let mut table = clean.clone();
        let rows: Vec<&str> = table.layout().rows(Table::Applications).iter().map(|(r, _)| r.key).collect();
        rows.iter().for_each(|r| drop_row(&mut table, r));
        for (case, r) in [
            ("digit", digit),
            ("row", row),
            ("row+digit", row_and_digit),
            ("two", two),
            ("worst", worst),
            ("table", table),
        ] {
            let res = checks::run(&r);
            assert!(!suggest::suggest(&r, &res).is_empty() || case == "table", "{name} {case}");
            g.bench_function(format!("{name}/{case}"), |b| {
                b.iter(|| black_box(suggest::suggest(black_box(&r), black_box(&res))))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
