//! nianbao (年报审校): reads the text of a 政府信息公开工作年度报告 in any encoding, finds its
//! three tables, checks them and exports them. The core knows nothing of the GUI (`app`).

pub mod app;
pub mod batch;
pub mod checks;
pub mod cli;
pub mod compare;
pub mod decode;
pub mod document;
pub mod export;
pub mod model;
pub mod narrative;
pub mod parse;
pub mod suggest;
pub mod template;
pub mod text;
pub mod value;

pub use document::{LoadError, load_bytes, load_path};
pub use model::{Cell, CheckResult, Report, Severity, Status};
pub use template::{Table, Template};
