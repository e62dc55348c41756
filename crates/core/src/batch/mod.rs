//! Whole folders at once (`nianbao check DIR...`, `nianbao export DIR ...`, the desk's folder
//! view): collect the inputs, check or export every report in parallel on all cores, and report
//! one row per file. This is the only batch path: the CLI, the desk and the benchmarks use it.
//!
//! Memory stays flat: each worker reads one file, loads it, checks it, turns it into a small
//! [`Row`] (and, for exports, writes its output) and drops the report before taking the next;
//! files are taken in a sliding window of [`WINDOW`], so at most that many results wait to be
//! handed on.
//! Rows and combined-CSV records are handed to the calling thread, which sees them as they
//! complete and writes combined output in input order.
//!
//! One unreadable file (missing, vanished mid-run, binary, a damaged `.ron`, too large, or a
//! panic inside the reader) becomes a row with a one-line Chinese reason; the run goes on.
//!
//! [`Outcome`] and the exit codes of SCHEMA.md live here and nowhere else; whether a report
//! fails is [`crate::checks::fails`].

mod export;
mod inputs;
mod row;
mod run;

pub use export::{ExportSpec, export_all, output_paths};
pub use inputs::{EXTENSIONS, collect_inputs, is_input_name};
pub use row::{Row, SUMMARY_HEADER, Summary, summary_csv};
pub use run::{
    WINDOW, check_all, check_each, check_each_with, check_one, error_rows, load_and_check, load_and_check_with,
    read_file, run_parallel, with_errors,
};

use crate::model::CheckResult;

/// Exit codes of SCHEMA.md: every report passed.
pub const EXIT_OK: u8 = 0;
/// An error-severity check failed (with `--strict`, a warning too).
pub const EXIT_FAILED: u8 = 1;
/// An input could not be read, an output not written, or the command line is wrong.
pub const EXIT_UNREADABLE: u8 = 2;

/// Files larger than this are refused rather than read (a report's text is a few hundred KB).
pub const MAX_BYTES: u64 = crate::open::MAX_BYTES;

/// What became of one report; a batch takes the worst (the order of the variants).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Passed,
    Failed,
    Unreadable,
}

impl Outcome {
    /// A read report's outcome: failed when [`crate::checks::fails`].
    pub fn of(results: &[CheckResult], strict: bool) -> Outcome {
        if crate::checks::fails(results, strict) { Outcome::Failed } else { Outcome::Passed }
    }

    /// The worst of several (a batch): unreadable if any was, else failed if any was, else passed.
    pub fn worst(outcomes: impl IntoIterator<Item = Outcome>) -> Outcome {
        outcomes.into_iter().max().unwrap_or(Outcome::Passed)
    }

    /// The exit code of SCHEMA.md.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Passed => EXIT_OK,
            Outcome::Failed => EXIT_FAILED,
            Outcome::Unreadable => EXIT_UNREADABLE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    const SAMPLE: &str = include_str!("../../../../tests/fixtures/lieshan-2020.txt");

    #[test]
    fn csv_quotes_and_bom() {
        let mut r = Row::unreadable(Path::new("a,\"b\".txt"), "文件是空的");
        r.organ = Some("某区\n政府".into());
        let s = summary_csv(&[r]);
        assert!(s.starts_with("\u{feff}file,organ,year,template,encoding,errors,warnings,failed_checks,error\r\n"));
        assert!(s.contains("\"a,\"\"b\"\".txt\",\"某区\n政府\",,,,,,,文件是空的\r\n"), "{s}");
    }

    #[test]
    fn exit_codes_over_a_batch() {
        let ok = Row { fails: false, ..Row::unreadable(Path::new("a"), "") };
        let ok = Row { error: None, ..ok };
        let failed = Row { fails: true, ..ok.clone() };
        let bad = Row::unreadable(Path::new("b"), "x");
        assert_eq!(Summary::from_rows(vec![]).exit_code(), 0);
        assert_eq!(Summary::from_rows(vec![ok.clone()]).exit_code(), 0);
        assert_eq!(Summary::from_rows(vec![ok.clone(), failed.clone()]).exit_code(), 1);
        let s = Summary::from_rows(vec![bad, failed, ok]);
        assert_eq!((s.exit_code(), s.passed, s.failed, s.unreadable), (2, 1, 1, 1));
    }

    #[test]
    fn checks_a_folder_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.txt"), SAMPLE).unwrap();
        std::fs::write(dir.path().join("sub/a.TXT"), SAMPLE).unwrap();
        std::fs::write(dir.path().join("empty.txt"), "").unwrap();
        std::fs::write(dir.path().join("skip.md"), SAMPLE).unwrap();
        std::fs::write(dir.path().join(".hidden.txt"), SAMPLE).unwrap();
        let (files, errors) = collect_inputs(&[dir.path().to_path_buf(), dir.path().join("nope")]);
        let names: Vec<_> =
            files.iter().map(|f| f.strip_prefix(dir.path()).unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["b.txt", "empty.txt", "sub/a.TXT"]);
        assert_eq!(errors.len(), 1);
        let mut seen = 0;
        let s = check_all(&files, false, |_| seen += 1);
        assert_eq!(seen, 3);
        assert_eq!(s.rows.iter().map(|r| r.file.clone()).collect::<Vec<_>>(), files);
        assert_eq!(s.rows[1].error.as_deref(), Some("文件是空的"));
        assert_eq!(s.exit_code(), 2);
        assert_eq!(with_errors(&errors, s).rows.len(), 4);
    }

    #[test]
    fn runs_every_file_once_in_a_sliding_window_handing_results_to_the_caller() {
        // Three windows and a bit; work slower on some files so that completion order varies.
        let files: Vec<PathBuf> = (0..WINDOW * 3 + 5).map(|i| PathBuf::from(format!("{i}"))).collect();
        let caller = std::thread::current().id();
        let mut seen: Vec<usize> = Vec::new();
        run_parallel(
            &files,
            |i, p| {
                if i % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_micros(200));
                }
                // One file far slower than the others: the window must not slide past it.
                if i == 3 {
                    std::thread::sleep(std::time::Duration::from_millis(30));
                }
                p.to_string_lossy().parse::<usize>().unwrap()
            },
            |i, n| {
                assert_eq!(std::thread::current().id(), caller);
                assert_eq!(i, n);
                seen.push(i);
            },
        );
        let mut sorted = seen.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..files.len()).collect::<Vec<_>>());
        // A file is handed on only after every file a window or more before it.
        let mut handed = vec![false; files.len()];
        for &i in &seen {
            assert!((0..(i + 1).saturating_sub(WINDOW)).all(|j| handed[j]), "{i} before an earlier window");
            handed[i] = true;
        }
        // The slow file held the files a window after it back.
        let at = |i: usize| seen.iter().position(|&x| x == i).unwrap();
        assert!(at(3) < at(3 + WINDOW));
        run_parallel(&[], |_, _| (), |_, _: ()| panic!("no file"));
    }

    #[test]
    fn a_panic_anywhere_reaches_the_caller_without_a_hang() {
        if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
            return;
        }
        let files: Vec<PathBuf> = (0..WINDOW * 3).map(|i| PathBuf::from(format!("{i}"))).collect();
        let caller = std::thread::current().id();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_parallel(
                &files,
                |i, _| {
                    if std::thread::current().id() != caller && i > 2 {
                        panic!("file {i}");
                    }
                    std::thread::sleep(std::time::Duration::from_micros(300));
                },
                |_, _| {},
            )
        }));
        assert!(r.is_err());
        // A panic on the calling thread, in `work` or in `done`, while the others wait for the
        // window to move (the caller's first file is slow, so they run a window ahead): they stop
        // too, and the panic reaches the caller.
        for in_done in [false, true] {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_parallel(
                    &files,
                    |i, _| {
                        if std::thread::current().id() == caller {
                            std::thread::sleep(std::time::Duration::from_millis(100));
                            if !in_done {
                                panic!("file {i}");
                            }
                        }
                    },
                    |i, _| {
                        if in_done {
                            panic!("done {i}");
                        }
                    },
                )
            }));
            assert!(r.is_err());
        }
    }

    #[test]
    fn output_paths_mirror_the_folders() {
        let f = [PathBuf::from("in/x/1.txt"), PathBuf::from("in/y/1.txt")];
        assert_eq!(
            output_paths(&f, Path::new("out"), "json"),
            [PathBuf::from("out/x/1.json"), PathBuf::from("out/y/1.json")]
        );
        let f = [PathBuf::from("in/x/1.txt")];
        assert_eq!(output_paths(&f, Path::new("out"), "csv"), [PathBuf::from("out/1.csv")]);
    }
}
