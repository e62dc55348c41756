//! A real report's PDF (tests/fixtures/pdf/huaian-2024.pdf, six pages) to checked cells: the
//! text layer extracted and its rows rebuilt, then parse and checks — what `nianbao check
//! FILE.pdf` does per file. `tools/pdf-bench.sh` times the same against `pdftotext` in one run.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("pdf_to_cells");
    g.sample_size(20);
    let name = "huaian-2024.pdf";
    let bytes = std::fs::read(format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function(name, |b| {
        b.iter(|| {
            let r = nianbao::open::bytes(black_box(&bytes), name).unwrap();
            black_box(nianbao::checks::run(&r))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
