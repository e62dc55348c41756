//! Exports: JSON (programs), CSV (spreadsheets), TXT (the cleaned report), Excel workbooks
//! (`xlsx`) and the 问题清单 (`findings`); RON is in `document`.

pub mod csv;
pub mod findings;
pub mod json;
pub mod txt;
pub mod xlsx;

use crate::template::CellDef;

/// The export formats of `nianbao export --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Ron,
    Txt,
    /// An Excel workbook (binary; see [`xlsx`]).
    Xlsx,
}

impl Format {
    /// The text formats (every format but [`Format::Xlsx`]).
    pub const ALL: [Format; 4] = [Format::Json, Format::Csv, Format::Ron, Format::Txt];

    pub fn key(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Ron => "ron",
            Format::Txt => "txt",
            Format::Xlsx => "xlsx",
        }
    }

    /// `json`, `CSV`, … (case-insensitive).
    pub fn from_key(s: &str) -> Option<Format> {
        Format::ALL.into_iter().chain([Format::Xlsx]).find(|f| f.key().eq_ignore_ascii_case(s))
    }

    /// The format a file name's extension names (`out.json` → JSON).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        Format::from_key(path.extension()?.to_str()?)
    }
}

/// The label of one cell as the GUI and exports show it: the official full row label and the
/// column label, e.g. `三、本年度办理结果（一）予以公开 / 自然人`.
pub(crate) fn cell_label(def: &CellDef) -> String {
    def.label()
}

#[doc(hidden)]
pub mod test_support {
    //! Reports built by hand for the export tests.
    use crate::model::{Cell, Report, Status};
    use crate::template::{Table, Template};

    /// A report of `template` whose every cell is parsed as 0, with the given prose and no tables found.
    pub fn report(template: Template, text: &str) -> Report {
        let cells = template
            .layout()
            .cells
            .iter()
            .map(|_| Cell { value: Some(0.0), status: Status::Parsed, text: "0".into(), ..Cell::missing() })
            .collect();
        Report {
            source_name: "test.txt".into(),
            organ: Some("某某区人民政府".into()),
            year: Some(2020),
            template,
            encoding: "UTF-8".into(),
            text: text.into(),
            cells,
            tables: Vec::new(),
            figures: Vec::new(),
            format: "text".into(),
            notes: Vec::new(),
        }
    }

    /// Set a cell's value by its key.
    pub fn set(r: &mut Report, key: &str, value: Option<f64>, status: Status) {
        let i = r.layout().index_of_key(key).unwrap_or_else(|| panic!("no cell {key}"));
        r.cells[i].value = value;
        r.cells[i].status = status;
    }

    pub fn idx(r: &Report, table: Table, row: &str, col: &str) -> usize {
        r.index(table, row, col).unwrap()
    }
}
