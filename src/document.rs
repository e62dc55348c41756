//! Opening a report (text in any encoding, or a saved `.ron` review) and saving a review.

use crate::model::Report;
use std::fmt;
use std::path::Path;

/// Why a file cannot be opened: one line, in Chinese.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError(pub String);

impl LoadError {
    pub fn new(msg: impl Into<String>) -> LoadError {
        LoadError(msg.into())
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

/// Open a report from its bytes: a saved review (RON) or a report's text.
pub fn load_bytes(bytes: &[u8], name: &str) -> Result<Report, LoadError> {
    let _ = (bytes, name);
    todo!("document::load_bytes")
}

/// Open a report from a file.
pub fn load_path(path: &Path) -> Result<Report, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| LoadError::new(format!("无法读取文件 {}：{}", path.display(), io_reason(&e))))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    load_bytes(&bytes, &name)
}

/// An I/O error in Chinese.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "文件不存在".into(),
        PermissionDenied => "没有读取权限".into(),
        IsADirectory => "这是一个文件夹".into(),
        _ => format!("{e}"),
    }
}
