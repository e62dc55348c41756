//! The command line: `nianbao export`, `nianbao check`, `nianbao compare`, one file per
//! subcommand over the core ([`nianbao_core`]): `args` (the pure parsing and `--help`), `export`,
//! `check`, `compare`, `output` (writing files and standard output), `progress` (the terminal's
//! progress line). Every report is read through [`nianbao_core::batch`] (which uses
//! [`nianbao_core::open`]); the exit codes and the fail rule are the core's ([`Outcome`]).

mod args;
mod check;
mod compare;
mod export;
mod output;
mod progress;
#[cfg(test)]
mod tests;

pub use args::{
    CheckOptions, Command, CompareOptions, ExportBatchOptions, ExportOptions, ExportWorkbookOptions, UsageError, help,
    parse_args,
};
pub use check::summary;
pub use nianbao_core::batch::{EXIT_FAILED, EXIT_OK, EXIT_UNREADABLE, Outcome};

use check::check;
use compare::compare;
use export::{export, export_batch, export_workbook, export_xlsx};
use nianbao_core::export::Format;
use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::process::ExitCode;

/// Whether the first argument starts the command line rather than the window.
pub fn is_command(first: &OsStr) -> bool {
    match first.to_str() {
        Some(s) => matches!(s, "export" | "check" | "compare" | "help") || s.starts_with('-'),
        None => false,
    }
}

/// Run the command line (`args` without the program name) and give the exit code.
pub fn run<I, S>(args: I) -> ExitCode
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // A panic in the reader of one file is reported as that file's error (see `load`): keep its
    // message to one line instead of a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info.location().map(|l| format!("（{}:{}）", l.file(), l.line())).unwrap_or_default();
        eprintln!("nianbao: 内部错误：{msg}{at}");
    }));
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let tty = std::io::IsTerminal::is_terminal(&stdout);
    ExitCode::from(run_on(&args, &mut stdout.lock(), &mut stderr.lock(), tty))
}

/// [`run`] with its streams given (for tests); standard output is taken not to be a terminal.
pub fn run_with(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    run_on(args, out, err, false)
}

/// [`run_with`], saying whether `out` is a terminal (a workbook is not written to one).
pub fn run_on(args: &[OsString], out: &mut dyn Write, err: &mut dyn Write, out_is_terminal: bool) -> u8 {
    match parse_args(args) {
        Ok(Command::Help) => {
            let _ = out.write_all(help().as_bytes());
            EXIT_OK
        }
        Ok(Command::HelpChecks) => {
            let _ = out.write_all(args::help_checks().as_bytes());
            EXIT_OK
        }
        Ok(Command::Version) => {
            let _ = writeln!(out, "nianbao {}", env!("CARGO_PKG_VERSION"));
            EXIT_OK
        }
        Ok(Command::Export(o)) if o.format == Format::Xlsx => export_xlsx(&o, out, err, out_is_terminal),
        Ok(Command::Export(o)) => export(&o, out, err),
        Ok(Command::ExportWorkbook(o)) => export_workbook(&o, out, err),
        Ok(Command::Check(o)) => check(&o, out, err),
        Ok(Command::Compare(o)) => compare(&o, out, err),
        Ok(Command::ExportBatch(o)) => export_batch(&o, out, err),
        Err(e) => {
            let _ = writeln!(err, "nianbao: {}", e.message);
            let _ = writeln!(err, "用法：{}", e.usage);
            let _ = writeln!(err, "（nianbao --help 查看全部用法）");
            EXIT_UNREADABLE
        }
    }
}
