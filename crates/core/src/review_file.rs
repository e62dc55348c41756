//! The saved review's file (`.ron`), version 2, and reading version 1.
//!
//! Version 2 writes each cell with its key `table/row/col` (SCHEMA.md) and writes counts as
//! integers (`value: Some(26)`; money keeps its decimals, `Some(6439.39)`). `cells` stays one
//! list in the template's order, so the file reads top to bottom like the report. Reading
//! places each cell by its key, not by its position: a file whose cells come in another order
//! (a template whose row order changed, a hand edit) reads the same; a key the template does
//! not know, a key twice, or a cell of the template with no entry is refused with its key
//! named. Version 1 files (cells by position, counts as `26.0`) still open.
//!
//! Invariant: `read(write(r)) == r` for every report `r` (tested on the samples).

use crate::document::LoadError;
use crate::model::{Cell, Figure, Original, ParseNote, Report, Status, TableSpan};
use crate::template::Template;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The version this program writes.
pub const VERSION: u32 = 2;

/// The file as version 2 writes it.
#[derive(Serialize, Deserialize)]
#[serde(rename = "SavedReview")]
pub(crate) struct FileV2 {
    pub format: String,
    pub version: u32,
    pub report: ReportV2,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewed: Vec<String>,
}

/// [`Report`] with keyed cells.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Report")]
pub(crate) struct ReportV2 {
    source_name: String,
    organ: Option<String>,
    year: Option<i32>,
    template: Template,
    encoding: String,
    text: String,
    cells: Vec<KeyedCell>,
    tables: Vec<TableSpan>,
    figures: Vec<Figure>,
    #[serde(default = "text_format")]
    format: String,
    #[serde(default)]
    notes: Vec<ParseNote>,
}

fn text_format() -> String {
    "text".into()
}

/// [`Cell`] with its key; counts as integers.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Cell")]
struct KeyedCell {
    key: String,
    #[serde(with = "count")]
    value: Option<f64>,
    status: Status,
    text: String,
    span: Option<(usize, usize)>,
    repair: Option<String>,
    original: Option<KeyedOriginal>,
    note: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "Original")]
struct KeyedOriginal {
    #[serde(with = "count")]
    value: Option<f64>,
    status: Status,
    text: String,
}

/// The version of a saved review, read before the rest.
#[derive(Deserialize)]
#[serde(rename = "SavedReview")]
pub(crate) struct Head {
    pub format: String,
    pub version: u32,
}

impl ReportV2 {
    pub(crate) fn of(r: &Report) -> ReportV2 {
        let layout = r.layout();
        let cells = r
            .cells
            .iter()
            .zip(&layout.cells)
            .map(|(c, def)| KeyedCell {
                key: def.key(),
                value: c.value,
                status: c.status,
                text: c.text.clone(),
                span: c.span,
                repair: c.repair.clone(),
                original: c.original.as_ref().map(|o| KeyedOriginal {
                    value: o.value,
                    status: o.status,
                    text: o.text.clone(),
                }),
                note: c.note.clone(),
            })
            .collect();
        ReportV2 {
            source_name: r.source_name.clone(),
            organ: r.organ.clone(),
            year: r.year,
            template: r.template,
            encoding: r.encoding.clone(),
            text: r.text.clone(),
            cells,
            tables: r.tables.clone(),
            figures: r.figures.clone(),
            format: r.format.clone(),
            notes: r.notes.clone(),
        }
    }

    /// The report, each cell placed by its key.
    pub(crate) fn into_report(self) -> Result<Report, LoadError> {
        let layout = self.template.layout();
        let mut cells: Vec<Option<Cell>> = vec![None; layout.cells.len()];
        for k in self.cells {
            let i = layout
                .cells
                .iter()
                .position(|d| d.key() == k.key)
                .ok_or_else(|| LoadError::new(format!("RON 审校文件内容不一致：模板中没有单元格 {}", k.key)))?;
            if cells[i].is_some() {
                return Err(LoadError::new(format!("RON 审校文件内容不一致：单元格 {} 出现两次", k.key)));
            }
            cells[i] = Some(Cell {
                value: k.value,
                status: k.status,
                text: k.text,
                span: k.span,
                repair: k.repair,
                original: k.original.map(|o| Box::new(Original { value: o.value, status: o.status, text: o.text })),
                note: k.note,
            });
        }
        let cells = cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                c.ok_or_else(|| LoadError::new(format!("RON 审校文件内容不一致：缺少单元格 {}", layout.cells[i].key())))
            })
            .collect::<Result<Vec<Cell>, LoadError>>()?;
        Ok(Report {
            source_name: self.source_name,
            organ: self.organ,
            year: self.year,
            template: self.template,
            encoding: self.encoding,
            text: self.text,
            cells,
            tables: self.tables,
            figures: self.figures,
            format: self.format,
            notes: self.notes,
        })
    }
}

/// `Option<f64>` written as an integer when it is one (counts), as a float otherwise (money);
/// read from either.
mod count {
    use super::*;

    /// Whole numbers this large or larger are written as floats (no count is near it).
    const LIMIT: f64 = 1e15;

    pub(crate) fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(x) if x.fract() == 0.0 && x.abs() < LIMIT => s.serialize_some(&(*x as i64)),
            Some(x) => s.serialize_some(x),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(Option::<Number>::deserialize(d)?.map(|n| n.0))
    }

    struct Number(f64);

    impl<'de> Deserialize<'de> for Number {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Number, D::Error> {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Number;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a number")
                }
                fn visit_i64<E>(self, v: i64) -> Result<Number, E> {
                    Ok(Number(v as f64))
                }
                fn visit_u64<E>(self, v: u64) -> Result<Number, E> {
                    Ok(Number(v as f64))
                }
                fn visit_f64<E>(self, v: f64) -> Result<Number, E> {
                    Ok(Number(v))
                }
            }
            d.deserialize_any(V)
        }
    }
}
