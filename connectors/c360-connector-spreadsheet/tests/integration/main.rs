//! The spreadsheet connector end to end: fixtures read through
//! `connector(&config)` → `units()` → `read()`. One test binary, one module
//! per concern (helpers in `common`).

mod common;
mod csv_lists;
mod formula_injection;
mod performance;
mod robustness;
mod workbooks;
