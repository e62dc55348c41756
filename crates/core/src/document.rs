//! Opening a report (text in any encoding, or a saved `.ron` review) and saving a review.

use crate::model::{Report, Status};
use crate::review_file;
use serde::{Deserialize, Serialize};
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

/// The saved review: what `.ron` files hold (the file's own layout, version 2 with keyed cells,
/// is [`crate::review_file`]'s; this is what reading either version gives).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedReview {
    pub format: String,
    pub version: u32,
    pub report: Report,
    /// Stable keys of the desk's 待核对 entries a person marked 已核对 (absent in older files,
    /// not written when empty; programs that do not know it ignore it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewed: Vec<String>,
}

const FORMAT: &str = "nianbao-review";

/// Whether bytes are a saved review rather than a report's text.
pub fn looks_like_ron(bytes: &[u8], name: &str) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let head = head.trim_start_matches('\u{FEFF}').trim_start();
    name.to_ascii_lowercase().ends_with(".ron") || head.starts_with("SavedReview(") || head.starts_with("(format:")
}

/// Open a report from its bytes (any input format; see [`crate::open`], the one way in).
pub fn load_bytes(bytes: &[u8], name: &str) -> Result<Report, LoadError> {
    crate::open::bytes(bytes, name)
}

/// The review as RON text.
pub fn to_ron(report: &Report) -> String {
    to_ron_reviewed(report, &[])
}

/// The review as RON text (version [`review_file::VERSION`]: cells with their keys, counts as
/// integers), with the keys of the entries a person marked 已核对.
pub fn to_ron_reviewed(report: &Report, reviewed: &[String]) -> String {
    let doc = review_file::FileV2 {
        format: FORMAT.into(),
        version: review_file::VERSION,
        report: review_file::ReportV2::of(report),
        reviewed: reviewed.to_vec(),
    };
    let cfg = ron::ser::PrettyConfig::new().depth_limit(4).struct_names(true);
    ron::ser::to_string_pretty(&doc, cfg).expect("a report always serialises")
}

/// Read a saved review, refusing anything that does not fit its template.
pub fn from_ron(bytes: &[u8]) -> Result<Report, LoadError> {
    read_review(bytes).map(|doc| doc.report)
}

/// Read a saved review with what is kept beside the report (see [`from_ron`]).
pub fn read_review(bytes: &[u8]) -> Result<SavedReview, LoadError> {
    let s = std::str::from_utf8(bytes).map_err(|_| LoadError::new("RON 文件不是 UTF-8 文本，可能已损坏"))?;
    let s = s.trim_start_matches('\u{FEFF}');
    if s.trim().is_empty() {
        return Err(LoadError::new("文件是空的"));
    }
    let damaged = |e: ron::error::SpannedError| {
        LoadError::new(format!(
            "RON 审校文件已损坏或不完整（第 {} 行第 {} 列：{}）",
            e.span.start.line, e.span.start.col, e.code
        ))
    };
    let options = ron::Options::default().with_recursion_limit(64);
    let head: review_file::Head = options.from_str(s).map_err(damaged)?;
    if head.format != FORMAT {
        return Err(LoadError::new("这不是 nianbao 保存的审校文件"));
    }
    let doc = match head.version {
        1 => options.from_str::<SavedReview>(s).map_err(damaged)?,
        2 => {
            let file: review_file::FileV2 = options.from_str(s).map_err(damaged)?;
            SavedReview {
                format: file.format,
                version: file.version,
                report: file.report.into_report()?,
                reviewed: file.reviewed,
            }
        }
        v => {
            return Err(LoadError::new(format!(
                "审校文件版本 {v} 无法识别（本程序支持版本 1 和 {}；可能来自更新的 nianbao）",
                review_file::VERSION
            )));
        }
    };
    validate(&doc.report)?;
    Ok(doc)
}

fn validate(r: &Report) -> Result<(), LoadError> {
    let bad = |what: &str| Err(LoadError::new(format!("RON 审校文件内容不一致：{what}")));
    if r.cells.len() != r.layout().cells.len() {
        return bad("单元格数量与模板不符");
    }
    let ok_span = |s: (usize, usize)| {
        s.0 <= s.1 && s.1 <= r.text.len() && r.text.is_char_boundary(s.0) && r.text.is_char_boundary(s.1)
    };
    if r.cells.iter().filter_map(|c| c.span).any(|s| !ok_span(s)) {
        return bad("单元格的原文位置超出原文");
    }
    if r.tables.iter().any(|t| !ok_span(t.heading) || !ok_span(t.body)) || r.figures.iter().any(|f| !ok_span(f.span)) {
        return bad("表格位置超出原文");
    }
    let n = r.cells.len();
    if r.figures.iter().any(|f| f.cells.iter().chain(&f.alt_cells).any(|&i| i >= n)) {
        return bad("正文数字指向不存在的单元格");
    }
    if r.cells.iter().any(|c| c.value.is_some_and(|v| !v.is_finite())) {
        return bad("数值不是有限数");
    }
    for (i, c) in r.cells.iter().enumerate() {
        let def = r.def(i);
        let whole = c.value.is_none_or(|v| v.fract() == 0.0) || def.kind() == crate::template::Kind::Money;
        let consistent = match c.status {
            Status::Parsed | Status::Repaired => c.value.is_some(),
            Status::Missing | Status::Unreadable => c.value.is_none(),
            Status::Edited => true,
        };
        if !whole || !consistent {
            return bad(&format!("单元格 {} 的数值与状态不符", def.key()));
        }
    }
    Ok(())
}

/// Write `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Open a report from a file (any input format; see [`crate::open`]).
pub fn load_path(path: &Path) -> Result<Report, LoadError> {
    crate::open::path(path)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviewed_keys_round_trip_and_older_files_open() {
        let report = load_bytes(include_bytes!("../../../assets/sample-lieshan-2021.txt"), "s.txt").unwrap();
        let keys = vec!["report.meta/organ".to_string()];
        let doc = read_review(to_ron_reviewed(&report, &keys).as_bytes()).unwrap();
        assert_eq!((doc.reviewed, doc.report), (keys, report.clone()));
        // Written without the field when nothing is reviewed; such a file opens with none.
        let plain = to_ron(&report);
        assert!(!plain.contains("reviewed"));
        assert!(read_review(plain.as_bytes()).unwrap().reviewed.is_empty());
    }

    #[test]
    fn version_2_keys_cells_writes_integers_and_version_1_still_opens() {
        let report = load_bytes(include_bytes!("../../../assets/sample-lieshan-2021.txt"), "s.txt").unwrap();
        let ron = to_ron(&report);
        assert!(ron.contains("version: 2"), "{}", &ron[..200]);
        assert!(ron.contains("key: \"applications/new_received/natural_person\""));
        let i = report.index(crate::template::Table::Applications, "new_received", "total").unwrap();
        let n = report.cells[i].value.unwrap();
        assert!(ron.contains(&format!("value: Some({n})")) && !ron.contains(&format!("value: Some({n}.0)")));
        assert_eq!(from_ron(ron.as_bytes()).unwrap(), report);
        // Placed by key: two cells swapped in the file read back in place.
        let a = "key: \"applications/new_received/natural_person\"";
        let b = "key: \"applications/new_received/commercial\"";
        let swapped = ron.replacen(a, "@A@", 1).replacen(b, a, 1).replacen("@A@", b, 1);
        let back = from_ron(swapped.as_bytes()).unwrap();
        let (x, y) = (i - 6, i - 5);
        assert_eq!((back.cells[x].value, back.cells[y].value), (report.cells[y].value, report.cells[x].value));
        // An unknown key and a key twice are refused with the key named.
        let e = from_ron(ron.replacen(a, "key: \"applications/nope/total\"", 1).as_bytes()).unwrap_err();
        assert!(e.0.contains("applications/nope/total"), "{e}");
        let e = from_ron(ron.replacen(b, a, 1).as_bytes()).unwrap_err();
        assert!(e.0.contains("两次"), "{e}");
        // Version 1: cells by position, counts as floats.
        let v1 = ron::ser::to_string_pretty(
            &SavedReview { format: FORMAT.into(), version: 1, report: report.clone(), reviewed: vec![] },
            ron::ser::PrettyConfig::new().struct_names(true),
        )
        .unwrap();
        assert!(v1.contains("version: 1") && !v1.contains("key:"));
        assert_eq!(from_ron(v1.as_bytes()).unwrap(), report);
        let e = from_ron(ron.replacen("version: 2", "version: 9", 1).as_bytes()).unwrap_err();
        assert!(e.0.contains("版本 9"), "{e}");
    }
}
