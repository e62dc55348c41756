//! The files a batch reads: files as given, folders walked.

use crate::document;
use std::path::{Path, PathBuf};

/// Extensions taken when walking a folder (files named explicitly are always taken): what
/// opens ([`crate::open::EXTENSIONS`]) and the files a clerk may have dropped in by mistake
/// ([`crate::open::REFUSED_EXTENSIONS`]; each is then reported with its own message, not skipped).
pub const EXTENSIONS: [&[&str]; 2] = [&crate::open::EXTENSIONS, &crate::open::REFUSED_EXTENSIONS];

/// The files named by `paths`: files as given, folders walked recursively for the files of
/// [`EXTENSIONS`] (hidden files and folders skipped, symbolic links to folders not followed),
/// each folder's files sorted by path; duplicates dropped. Paths that cannot be read are
/// returned with a Chinese reason (they count as unreadable). Meanwhile the parser's automata
/// are built on a thread of their own ([`crate::parse::warm_up`]), for the files to come.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    // If no thread can be started, the first report builds them.
    let _ = std::thread::Builder::new().spawn(crate::parse::warm_up);
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            // Standard input: read by `load_and_check`.
            files.push(p.clone());
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut found = Vec::new();
                walk(p, &mut found, &mut errors);
                found.sort();
                files.extend(found);
            }
            Ok(_) => files.push(p.clone()),
            Err(e) => errors.push((p.clone(), document::io_reason(&e))),
        }
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.clone()));
    (files, errors)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push((dir.to_path_buf(), format!("无法读取文件夹：{}", document::io_reason(&e))));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push((dir.to_path_buf(), format!("无法读取文件夹：{}", document::io_reason(&e))));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, files, errors);
        } else if is_input_name(&path) && (kind.is_file() || std::fs::metadata(&path).is_ok_and(|m| m.is_file())) {
            files.push(path);
        }
    }
}

/// Whether a file found in a folder is taken: one of [`EXTENSIONS`], any case.
pub fn is_input_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().flat_map(|l| l.iter()).any(|x| x.eq_ignore_ascii_case(e)))
}
