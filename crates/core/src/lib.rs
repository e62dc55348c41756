//! nianbao-core (年报审校的核心): reads the text of a 政府信息公开工作年度报告 in any encoding,
//! finds its three tables, checks them, suggests corrections, compares two years and exports.
//!
//! Invariant: this crate knows nothing of the GUI or the terminal; the `nianbao` crate holds
//! the desk (`app`) and the command line (`cli`). The data contract is `docs/schema.md`.

pub mod batch;
pub mod checks;
pub mod compare;
pub mod decode;
pub mod document;
pub mod export;
pub mod model;
pub mod narrative;
pub mod open;
pub mod parse;
pub mod review_file;
pub mod suggest;
pub mod template;
#[cfg(test)]
mod test_inputs;
pub mod text;
pub mod value;

pub use document::{LoadError, load_bytes, load_path};
pub use model::{Cell, CheckResult, Report, Severity, Status};
pub use template::{Table, Template};
