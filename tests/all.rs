//! Every integration test of the `nianbao` crate, one module per file beside this one, in
//! one test binary: one link instead of one per file (the largest part of CI's build time).
//! `cargo test --test all layouts::` runs one file's tests.

mod common;

mod alterations;
mod app_clipboard;
mod app_compare;
mod app_desk;
mod app_folder;
mod app_ocr;
mod app_review;
mod batch;
mod compare;
mod damage;
mod formats;
mod layouts;
mod no_panic;
mod ocr_cli;
mod robust;
mod silent_readings;
mod suggest_eval;
mod version;
mod xlsx_cli;
