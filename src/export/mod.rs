//! Exports: JSON (programs), CSV (spreadsheets), TXT (the cleaned report); RON is in `document`.
