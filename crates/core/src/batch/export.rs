//! Exporting every file of a batch: one output per input, and the combined long CSV.

use super::{Row, Summary, load_and_check, run_parallel};
use crate::document;
use crate::model::{CheckResult, Report};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where each input's export goes: its path relative to the inputs' deepest common folder,
/// under `out_dir`, with extension `ext` (`a/x/1.txt`, `a/y/1.txt` → `OUT/x/1.json`, `OUT/y/1.json`).
pub fn output_paths(files: &[PathBuf], out_dir: &Path, ext: &str) -> Vec<PathBuf> {
    let parents: Vec<PathBuf> = files.iter().map(|f| f.parent().map(Path::to_path_buf).unwrap_or_default()).collect();
    let mut common: Option<PathBuf> = None;
    for p in &parents {
        common = Some(match common {
            None => p.clone(),
            Some(c) => c.components().zip(p.components()).take_while(|(a, b)| a == b).map(|(a, _)| a).collect(),
        });
    }
    let common = common.unwrap_or_default();
    files
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(&common)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| f.file_name().map(PathBuf::from).unwrap_or_default());
            out_dir.join(rel).with_extension(ext)
        })
        .collect()
}

/// Options of a batch export.
pub struct ExportSpec<'a> {
    pub out_dir: &'a Path,
    /// Extension of each output, e.g. `json`.
    pub ext: &'a str,
    pub strict: bool,
    /// A combined long CSV of every cell of every report (SCHEMA.md CSV), written as the
    /// reports complete, in input order, atomically (temporary file, then rename).
    pub combined: Option<&'a Path>,
}

/// Export every file in parallel: one output per input (written atomically), and optionally
/// the combined CSV. `format` renders one report. A file whose output cannot be written is
/// unreadable (exit 2) with the reason in its row. Writing the combined CSV can fail as a whole
/// (the `Err`); the exports are written nonetheless.
pub fn export_all(
    files: &[PathBuf],
    spec: &ExportSpec,
    format: impl Fn(&Report, &[CheckResult]) -> String + Sync,
    mut on_row: impl FnMut(&Row),
) -> (Summary, std::io::Result<()>) {
    let outputs = output_paths(files, spec.out_dir, spec.ext);
    let want_combined = spec.combined.is_some();
    let work = |i: usize| -> (Row, Option<String>) {
        let path = &files[i];
        let (report, results) = match load_and_check(path) {
            Ok(x) => x,
            Err(e) => return (Row::unreadable(path, e.0), None),
        };
        let mut row = Row::of(path, &report, &results, spec.strict);
        let out = &outputs[i];
        let same = std::fs::canonicalize(path).ok().zip(std::fs::canonicalize(out).ok()).is_some_and(|(a, b)| a == b);
        let written = if same {
            Err("输出文件与输入文件相同，未写入（请换一个输出文件夹）".to_string())
        } else {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| format(&report, &results)))
                .map_err(|_| "导出时发生内部错误（请把这份文件报告给开发者）".to_string())
                .and_then(|text| {
                    out.parent()
                        .map_or(Ok(()), std::fs::create_dir_all)
                        .and_then(|_| document::write_atomic(out, text.as_bytes()))
                        .map_err(|e| format!("无法写入 {}：{}", out.display(), document::io_reason(&e)))
                })
        };
        if let Err(e) = written {
            row.error = Some(e);
        }
        let csv = want_combined.then(|| {
            let mut s = String::new();
            crate::export::csv::write_rows(&mut s, &report, &path.display().to_string());
            s
        });
        (row, csv)
    };

    // The combined CSV: temporary file beside the target, renamed when complete.
    let mut combined = match spec.combined {
        Some(target) => match CombinedCsv::create(target) {
            Ok(c) => Some(c),
            Err(e) => return (Summary::default(), Err(e)),
        },
        None => None,
    };
    let mut combined_err: Option<std::io::Error> = None;
    let mut rows: Vec<Option<Row>> = vec![None; files.len()];
    // Records wait here until every earlier file's have been written.
    let mut pending: BTreeMap<usize, Option<String>> = BTreeMap::new();
    let mut next = 0usize;
    run_parallel(
        files,
        |i, _| work(i),
        |i, (row, csv)| {
            on_row(&row);
            rows[i] = Some(row);
            if let Some(c) = combined.as_mut() {
                pending.insert(i, csv);
                while let Some(csv) = pending.remove(&next) {
                    if let (Some(s), None) = (csv, &combined_err)
                        && let Err(e) = c.out.write_all(s.as_bytes())
                    {
                        combined_err = Some(e);
                    }
                    next += 1;
                }
            }
        },
    );
    let result = match (combined, combined_err) {
        (Some(c), None) => c.finish(),
        (Some(c), Some(e)) => {
            c.abandon();
            Err(e)
        }
        (None, _) => Ok(()),
    };
    (Summary::from_rows(rows.into_iter().flatten().collect()), result)
}

/// A combined CSV being written.
struct CombinedCsv {
    target: PathBuf,
    tmp: PathBuf,
    out: std::io::BufWriter<std::fs::File>,
}

impl CombinedCsv {
    fn create(target: &Path) -> std::io::Result<CombinedCsv> {
        let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&tmp)?);
        let mut head = String::from(crate::export::csv::BOM);
        crate::export::csv::write_header(&mut head);
        if let Err(e) = out.write_all(head.as_bytes()) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        Ok(CombinedCsv { target: target.to_path_buf(), tmp, out })
    }

    fn finish(self) -> std::io::Result<()> {
        let r = self
            .out
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .and_then(|_| std::fs::rename(&self.tmp, &self.target));
        if r.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        r
    }

    fn abandon(self) {
        let tmp = self.tmp.clone();
        drop(self);
        let _ = std::fs::remove_file(tmp);
    }
}
