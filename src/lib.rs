//! nianbao (年报审校): the desk (`app`) and the command line (`cli`) over `nianbao_core`,
//! which reads, checks and exports reports and knows nothing of either. The core's modules are
//! re-exported here so that `nianbao::parse` and `crate::parse` name the same thing.

pub mod app;
pub mod cli;

pub use nianbao_core::*;
