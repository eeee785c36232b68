//! The e-mail connectors read through their public API, as the hub does:
//! `connector(&config)` → `units()` → `read()`, on the fixtures under
//! `tests/fixtures/` (described in their README).

mod common;
mod mailbox;
mod mailchimp;
mod robustness;
