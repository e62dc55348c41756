//! The single-report checks of SCHEMA.md.
