//! Figures a report states in its prose (stub until the real one lands).
use crate::model::{Figure, TableSpan};
use crate::template::Template;
pub fn extract(_text: &str, _tables: &[TableSpan], _template: Template) -> Vec<Figure> { Vec::new() }
