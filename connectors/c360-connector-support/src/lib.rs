//! c360 support connector: customers and their tickets from **Zendesk Support**.
//!
//! Kind `zendesk` reads JSON files a Zendesk account produces:
//! - API list pages saved to files: `GET /api/v2/users.json`
//!   (`{"users": [...], "next_page": ..., "count": ...}`) and
//!   `GET /api/v2/tickets.json` (`{"tickets": [...]}`), plain arrays of either,
//!   and single-object answers (`{"user": {...}}`);
//!   <https://developer.zendesk.com/api-reference/ticketing/users/users/>,
//!   <https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/>.
//! - Incremental export pages: `/api/v2/incremental/users.json` and
//!   `/api/v2/incremental/tickets.json` (time-based: `end_time`, `next_page`,
//!   `end_of_stream`; cursor-based: `after_cursor`, `after_url`);
//!   <https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/>,
//!   <https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api>.
//! - The account data export in JSON (one object per line; the XML and CSV
//!   exports are not read);
//!   <https://support.zendesk.com/hc/en-us/articles/4408886165402>.
//!
//! What each object yields:
//! - a **user** → one [`SourceRecord`](c360_model::SourceRecord) (see [`user`]):
//!   external id = Zendesk user id; `name`, `email`, `phone` (E.164 with the
//!   source's `default_country`), e-mails and phones of `identities`,
//!   `updated_at`; attributes `role`, `organization_id`, `locale`, `time_zone`,
//!   `tags`, `external_id` (or, with option `external_id_source = "<source>"`,
//!   a cross-reference to that source). Agents and admins are staff, not
//!   customers: they are skipped unless `include_agents = "true"`.
//! - a **ticket** → activities whose `record_external_id` is the
//!   `requester_id` (see [`ticket`]): `ticket_opened`, `ticket_solved`,
//!   `csat_rating` (good → 5, bad → 1).
//! - Deleted users (`active: false`) and deleted tickets (status `deleted`,
//!   as incremental exports keep them) are still read, with attribute
//!   `deleted = "true"`: the hub keeps the history and can show why it stopped.
//!
//! Which object a file holds is taken from the page's list key (`users`,
//! `tickets`), else from the object's shape (`requester_id`/`subject` →
//! ticket, `role`/`email`/`name` → user), or forced with option
//! `object = "users" | "tickets"`.
//!
//! Help Scout (Mailbox API v2) is not read yet.
//!
//! Layout: [`connector`] (the `Connector`), [`options`], [`user`], [`ticket`],
//! [`fields`] (JSON value helpers).

pub mod connector;
pub mod fields;
pub mod options;
pub mod ticket;
pub mod user;

use std::path::Path;

use c360_connector::{Connector, ConnectorResult, SourceConfig, SourceItem};

pub use connector::ZendeskConnector;

/// The `kind`s this crate reads, with one line each (shown by `c360 sync --kinds`).
pub const KINDS: &[(&str, &str)] = &[(
    "zendesk",
    "Zendesk Support users and tickets: API list pages, incremental exports, account JSON exports",
)];

/// Builds the connector for a `[[sources]]` entry whose `kind` is one of [`KINDS`].
pub fn connector(config: &SourceConfig) -> ConnectorResult<Box<dyn Connector>> {
    match config.kind.as_str() {
        "zendesk" => Ok(Box::new(ZendeskConnector::new(config)?)),
        other => Err(c360_connector::ConnectorError::config(
            &config.name,
            format!("kind {other:?} is not one of this crate's kinds (zendesk)"),
        )),
    }
}

/// Reads one file as the source's connector would; a file that cannot be read
/// at all is one error item (used by the fuzz target and tests).
pub fn read_file(config: &SourceConfig, path: &Path) -> Vec<SourceItem> {
    c360_connector::read_one_file(connector(config), path)
}
