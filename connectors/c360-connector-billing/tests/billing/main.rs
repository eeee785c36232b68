//! Integration tests of the billing connector: fixtures read through
//! `connector(&config)` → `units()` → `read()`, as a sync reads them.

mod common;
mod robustness;
mod stripe_api;
mod stripe_csv;
