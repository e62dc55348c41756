//! Writing what a subcommand produces: to a file atomically or to standard output, a closed pipe
//! being no error; and the one phrase that says how many checks failed.

use nianbao_core::checks;
use nianbao_core::document;
use nianbao_core::model::CheckResult;
use std::io::Write;
use std::path::Path;

/// [`write_output`] for bytes.
pub(crate) fn write_bytes(output: Option<&Path>, bytes: &[u8], out: &mut dyn Write, err: &mut dyn Write) -> bool {
    let written = match output {
        Some(path) => document::write_atomic(path, bytes).map_err(|e| (path.display().to_string(), e)),
        None => out.write_all(bytes).and_then(|_| out.flush()).map_err(|e| ("标准输出".to_string(), e)),
    };
    match written {
        Err((what, e)) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(err, "nianbao: {what}: 无法写入：{}", document::io_reason(&e));
            false
        }
        _ => true,
    }
}

/// Write `text` to `output` atomically, or to standard output; false (with the reason on `err`)
/// when it cannot be written. A closed pipe (`| head`) is no error.
pub(crate) fn write_output(output: Option<&Path>, text: &str, out: &mut dyn Write, err: &mut dyn Write) -> bool {
    let written = match output {
        Some(path) => document::write_atomic(path, text.as_bytes()).map_err(|e| (path.display().to_string(), e)),
        None => out.write_all(text.as_bytes()).and_then(|_| out.flush()).map_err(|e| ("标准输出".to_string(), e)),
    };
    match written {
        Err((what, e)) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(err, "nianbao: {what}: 无法写入：{}", document::io_reason(&e));
            false
        }
        _ => true,
    }
}

/// `错误 2 项、警告 1 项未通过` (warnings only with `--strict`).
pub(crate) fn failure_counts(checks: &[CheckResult], strict: bool) -> String {
    let (e, w) = checks::count(checks);
    if strict && w > 0 {
        format!("错误 {e} 项、警告 {w} 项未通过")
    } else {
        format!("错误 {e} 项未通过")
    }
}

/// Write a table to `path` as a workbook when its name ends in `.xlsx`, else as CSV; false (with
/// the reason on `err`) when it cannot be built or written.
pub(crate) fn write_sheet<E: std::fmt::Display>(
    path: &Path,
    workbook: impl FnOnce() -> Result<Vec<u8>, E>,
    csv: impl FnOnce() -> String,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> bool {
    let bytes = if nianbao_core::export::Format::from_path(path) == Some(nianbao_core::export::Format::Xlsx) {
        match workbook() {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(err, "nianbao: {}: {e}", path.display());
                return false;
            }
        }
    } else {
        csv().into_bytes()
    };
    write_bytes(Some(path), &bytes, out, err)
}
