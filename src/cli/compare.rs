//! `nianbao compare`: two reports side by side with the cross-year checks, or two folders paired
//! by organ into one summary.

use super::args::CompareOptions;
use super::output::{write_output, write_sheet};
use nianbao_core::batch::{self, EXIT_UNREADABLE, Outcome};
use nianbao_core::export::{Format, xlsx};
use nianbao_core::model::Report;
use std::io::Write;
use std::path::Path;

/// `nianbao compare`: the aligned table and the cross-year checks of two reports.
pub(crate) fn compare(o: &CompareOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if let Some(summary) = &o.summary {
        return compare_folders(o, summary, out, err);
    }
    let mut reports = Vec::with_capacity(2);
    for path in [&o.earlier, &o.later] {
        match nianbao_core::open::path(path) {
            Ok(r) => reports.push(r),
            Err(e) => {
                let _ = writeln!(err, "nianbao: {}: {}", path.display(), e);
                return EXIT_UNREADABLE;
            }
        }
    }
    let (a, b) = (&reports[0], &reports[1]);
    let c = nianbao_core::compare::compare(a, b);
    let text = match o.format.unwrap_or(Format::Json) {
        Format::Csv => nianbao_core::compare::to_csv(&c),
        Format::Json => nianbao_core::compare::to_json(&c, a, b),
        other => {
            let _ = writeln!(err, "nianbao: compare 只支持 --format json 或 csv（不支持 {}）", other.key());
            return EXIT_UNREADABLE;
        }
    };
    if !write_output(o.output.as_deref(), &text, out, err) {
        return EXIT_UNREADABLE;
    }
    let code = nianbao_core::compare::exit_code(&c, o.strict);
    if code != 0 {
        let (e, w) = c.failures();
        let _ = writeln!(err, "nianbao: 对比未通过：错误 {e} 项，警告 {w} 项");
    }
    code
}

/// `nianbao compare DIR_EARLIER DIR_LATER --summary OUT`: every report of each side read and
/// checked, paired by organ, one row per pair. Exit as for a batch: 2 if a file could not be
/// read, else 1 if a cross-year error or a report's error fails, else 0.
fn compare_folders(o: &CompareOptions, summary: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    use nianbao_core::compare::pairs;
    let mut outcomes = Vec::new();
    let mut sides: Vec<Vec<(String, Report)>> = Vec::new();
    for input in [&o.earlier, &o.later] {
        let (files, errors) = batch::collect_inputs(std::slice::from_ref(input));
        for (p, e) in &errors {
            let _ = writeln!(out, "{}  无法读取：{e}", p.display());
            outcomes.push(Outcome::Unreadable);
        }
        let mut slots: Vec<Option<_>> = (0..files.len()).map(|_| None).collect();
        batch::run_parallel(&files, |_, p| batch::load_and_check(p), |i, r| slots[i] = Some((&files[i], r)));
        let loaded: Vec<_> = slots.into_iter().flatten().collect();
        let mut side = Vec::new();
        for (p, r) in loaded {
            match r {
                Ok((report, checks)) => {
                    outcomes.push(Outcome::of(&checks, o.strict));
                    side.push((p.display().to_string(), report));
                }
                Err(e) => {
                    let _ = writeln!(out, "{}  无法读取：{e}", p.display());
                    outcomes.push(Outcome::Unreadable);
                }
            }
        }
        sides.push(side);
    }
    let rows = pairs::rows(&sides[0], &sides[1]);
    // Cross-year errors count as a report's do.
    for (e, l) in pairs::pair(
        &sides[0].iter().map(|(_, r)| r).collect::<Vec<_>>(),
        &sides[1].iter().map(|(_, r)| r).collect::<Vec<_>>(),
    ) {
        if let (Some(e), Some(l)) = (e, l) {
            let c = nianbao_core::compare::compare(&sides[0][e].1, &sides[1][l].1);
            if c.cross_year().any(|x| x.counts(o.strict)) {
                outcomes.push(Outcome::Failed);
            }
        }
    }
    if !write_sheet(
        summary,
        || xlsx::table_workbook("对比汇总", &pairs::header(), &rows),
        || pairs::to_csv(&rows),
        out,
        err,
    ) {
        return EXIT_UNREADABLE;
    }
    let paired = rows.iter().filter(|r| r[0] != pairs::Field::Empty && r[1] != pairs::Field::Empty).count();
    let _ = writeln!(
        out,
        "共 {} 行：配对 {paired}，未配对 {}；已写入 {}",
        rows.len(),
        rows.len() - paired,
        summary.display()
    );
    Outcome::worst(outcomes).code()
}
