//! `cargo run --release --example check_dir -- DIR_OR_FILES... [--summary OUT.csv] [--strict]`:
//! `nianbao::batch` on its own (what `nianbao check DIR` does), for the corpus benchmark.

use nianbao::batch;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let mut inputs = Vec::new();
    let mut summary: Option<PathBuf> = None;
    let mut strict = false;
    while let Some(a) = args.next() {
        match a.to_str() {
            Some("--summary") => summary = args.next().map(PathBuf::from),
            Some("--strict") => strict = true,
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    let (files, errors) = batch::collect_inputs(&inputs);
    for (p, e) in &errors {
        println!("{}  无法读取：{e}", p.display());
    }
    let progress = batch::Progress::new(files.len());
    let s = batch::check_all(&files, strict, |row| {
        progress.tick();
        if let Some(line) = row.line() {
            progress.println(&line);
        }
    });
    progress.finish();
    let s = batch::with_errors(&errors, s);
    if let Some(path) = summary
        && let Err(e) = nianbao::document::write_atomic(&path, batch::summary_csv(&s.rows).as_bytes())
    {
        eprintln!("nianbao: {}: 无法写入：{}", path.display(), nianbao::document::io_reason(&e));
        return ExitCode::from(batch::EXIT_UNREADABLE);
    }
    println!("{}", s.line());
    ExitCode::from(s.exit_code())
}
