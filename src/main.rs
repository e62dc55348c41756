//! `nianbao`: the review window, or with `export`, `check`, `compare` or `--help` the command line.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

mod alloc;

/// mimalloc instead of the system's allocator: parsing makes many small strings and vectors,
/// and glibc's malloc and free took about a sixth of `nianbao check`'s time on a folder.
#[global_allocator]
static ALLOC: alloc::MiMalloc = alloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    if args.first().is_some_and(|a| nianbao::cli::is_command(a)) {
        return nianbao::cli::run(args);
    }
    let paths: Vec<PathBuf> = args.into_iter().map(PathBuf::from).collect();
    match nianbao::app::run(paths) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nianbao: 无法打开审校窗口：{e}");
            ExitCode::from(nianbao::cli::EXIT_UNREADABLE)
        }
    }
}
