//! c360's e-mail family: newsletter audiences and mailboxes as customer
//! records and activities.
//!
//! Two kinds (`[[sources]] kind = …`):
//!
//! - **`mailchimp`**: the CSV files of a Mailchimp audience export and of the
//!   account export's per-campaign activity.
//!   - Audience export (Audience → All contacts → Export Audience): a zip
//!     holding one CSV per status, `subscribed_…`, `unsubscribed_…`,
//!     `cleaned_…` (newer exports also `nonsubscribed_…`; both the
//!     `subscribed_members_export_<id>.csv` and the
//!     `subscribed_email_audience_export_<id>.csv` names are known). Unzip it
//!     and point `paths` at the CSVs. Columns: `Email Address`, the audience's
//!     merge fields (`First Name`, `Last Name`, `Address`, `Phone Number`,
//!     `Birthday`, any custom ones), then the system columns `MEMBER_RATING`,
//!     `OPTIN_TIME`, `OPTIN_IP`, `CONFIRM_TIME`, `CONFIRM_IP`, `LATITUDE`,
//!     `LONGITUDE`, `GMTOFF`, `DSTOFF`, `TIMEZONE`, `CC`, `REGION`,
//!     `LAST_CHANGED`, `LEID`, `EUID`, `NOTES`, `TAGS`; unsubscribed files add
//!     `UNSUB_TIME`, `UNSUB_CAMPAIGN_TITLE`, `UNSUB_CAMPAIGN_ID`,
//!     `UNSUB_REASON`, `UNSUB_REASON_OTHER`, cleaned files `CLEAN_TIME`,
//!     `CLEAN_CAMPAIGN_TITLE`, `CLEAN_CAMPAIGN_ID`. The account export's
//!     `lists/members/members_<id>_<name>.csv` has the same columns plus
//!     `Status`. Each row is a [`SourceRecord`](c360_model::SourceRecord).
//!   - Account export granular activity (`granular_activity/opens/` and
//!     `granular_activity/clicks/`, one `<campaign web id>_<name>.csv` per
//!     campaign, columns `Timestamp`, `Email`, and `Url` for clicks): each row
//!     is an `email_open` or `email_click` activity. The per-campaign report
//!     exports of the web app ("Opened", "Clicked" lists) carry no time of
//!     the open or click, so they cannot become activities.
//! - **`mailbox`**: `.mbox` files (RFC 4155 `From ` separated, mboxo and
//!   mboxrd alike) and `.eml` files (one RFC 5322 message each), streamed so
//!   a 1 GB mailbox is never held in memory: only one message's header
//!   section is. Correspondents become records, messages `email_message`
//!   activities.
//!
//! # Keys
//!
//! A Mailchimp member's `external_id` is the *subscriber hash*, the MD5 of
//! the lower-cased e-mail address: the id Mailchimp's own API uses for
//! members, and the only key the activity files (which name the member by
//! address alone) can compute. It is the same in the subscribed, unsubscribed
//! and cleaned files, so a member who unsubscribes stays one record. `LEID`
//! and `EUID` are kept as attributes. A mailbox correspondent's `external_id`
//! is the lower-cased address.
//!
//! # References
//!
//! - Mailchimp, "View unsubscribed and cleaned addresses" (the three
//!   sections of an audience, hence the three files):
//!   <http://kb.mailchimp.com/lists/managing-subscribers/view-unsubscribed-and-cleaned-addresses>
//! - Mailchimp, "Account Exports" (audiences, aggregate and granular
//!   reporting data for sent campaigns):
//!   <https://mailchimp.com/developer/marketing/docs/account-exports/>
//! - Mailchimp Marketing API, list member `id`: "the MD5 hash of the
//!   lowercase version of the list member's email address"; statuses
//!   subscribed, unsubscribed, cleaned, pending, transactional, archived:
//!   <https://mailchimp.com/developer/marketing/api/list-members/get-member-info/>
//! - Notes on the audience export zip (three CSVs by status):
//!   <http://ginkgo.st/~ca/roadmap/mailchimp-and-civicrm-overview/notes-on-mailchimp-data-exports>
//! - RFC 4155, The application/mbox Media Type:
//!   <https://www.rfc-editor.org/rfc/rfc4155>
//! - RFC 5322, Internet Message Format: <https://www.rfc-editor.org/rfc/rfc5322>
//! - RFC 2047, encoded words in headers (decoded by `mail-parser`):
//!   <https://www.rfc-editor.org/rfc/rfc2047>
//!
//! # Layout
//!
//! - [`mailchimp`]: the `mailchimp` connector — file kinds
//!   ([`mailchimp::layout`]), audience rows ([`mailchimp::audience`]), the
//!   address merge field ([`mailchimp::address`]), granular activity rows
//!   ([`mailchimp::activity`]).
//! - [`mailbox`]: the `mailbox` connector — streaming message splitter
//!   ([`mailbox::split`]), correspondents and filters
//!   ([`mailbox::correspondent`]), one message to items ([`mailbox::message`]).
//! - [`hash`]: MD5 hex digests (subscriber hashes, ids of messages without a
//!   `Message-ID`).
//! - [`options`]: reading the kinds' `options`.

pub mod hash;
pub mod mailbox;
pub mod mailchimp;
pub mod options;

use std::path::Path;

use c360_connector::{Connector, ConnectorError, ConnectorResult, SourceConfig, SourceItem};

/// The `kind`s this crate reads, with one line each (shown by `c360 sync --kinds`).
pub const KINDS: &[(&str, &str)] = &[
    (
        "mailchimp",
        "Mailchimp audience export CSVs (subscribed/unsubscribed/cleaned) and granular open/click activity",
    ),
    (
        "mailbox",
        "mbox files and .eml messages: correspondents as records, messages as email_message activities",
    ),
];

/// Builds the connector for a `[[sources]]` entry whose `kind` is one of KINDS.
pub fn connector(config: &SourceConfig) -> ConnectorResult<Box<dyn Connector>> {
    match config.kind.as_str() {
        "mailchimp" => Ok(Box::new(mailchimp::MailchimpConnector::new(config)?)),
        "mailbox" => Ok(Box::new(mailbox::MailboxConnector::new(config)?)),
        other => Err(ConnectorError::config(
            &config.name,
            format!("kind {other:?} is not an e-mail kind (mailchimp, mailbox)"),
        )),
    }
}

/// Reads one file as the connector for `config` would. A file the connector
/// refuses as a whole (unreadable, not the format at all) is one error item.
pub fn read_file(config: &SourceConfig, path: &Path) -> Vec<SourceItem> {
    c360_connector::read_one_file(connector(config), path)
}
