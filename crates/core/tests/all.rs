//! Every integration test of `nianbao-core`, one module per file beside this one, in one test
//! binary (one link instead of one per file). `cargo test -p nianbao-core --test all xlsx::`
//! runs one file's tests.

mod common;

mod extract_bad_inputs;
mod extract_docx_template;
mod extract_html_page;
mod extract_no_panic;
mod extract_parser_e2e;
mod ocr_scan;
mod xlsx;
