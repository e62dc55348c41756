//! decode + parse + check of each real sample, as bytes per second.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode_parse_check");
    for name in ["lieshan-2020", "lieshan-2021", "lishi-2020", "yuan-2020"] {
        let bytes = std::fs::read(format!("{}/tests/fixtures/{name}.txt", env!("CARGO_MANIFEST_DIR"))).unwrap();
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let r = nianbao::load_bytes(black_box(&bytes), name).unwrap();
                black_box(nianbao::checks::run(&r))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
