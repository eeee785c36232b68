//! c360 billing connector: what a billing system knows about customers
//! (who they are) and their money (what they paid, got back, subscribed to).
//!
//! Kind `stripe` reads two shapes of Stripe data, by file extension:
//!
//! - **Dashboard CSV exports** (`.csv`, `.tsv`, `.txt`): customers, invoices,
//!   payments (`unified_payments.csv`, older `payments.csv`) and
//!   subscriptions, told apart by their header row (the Dashboard lets the
//!   user pick columns; see [`dashboard_csv`]). Amounts are decimal major
//!   units (`12.50`), read with the currency's exponent; dates are UTC
//!   `YYYY-MM-DD HH:MM[:SS]`; metadata columns are `key (metadata)`.
//! - **API responses saved as JSON** (`.json`, `.jsonl`, `.ndjson`): list
//!   pages `{"object": "list", "data": [...], "has_more": ..., "url": ...}`,
//!   arrays of pages, single objects, or JSON Lines. Each object is read by
//!   its `object` field: `customer`, `invoice`, `charge`, `refund`,
//!   `subscription`. Amounts are integer minor units, times unix seconds.
//!
//! What each yields (within one source only customers are records, so an
//! invoice naming a customer's e-mail never overwrites the customer):
//!
//! | Stripe object / export | yields |
//! |---|---|
//! | customer | a record: `id`, name (split into given/family; mapping target `name`), e-mail, phone (E.164 with the address country or `default_country`), billing address, `metadata.*` and `created`, `currency`, `delinquent`… as attributes, cross-references from option `cross_reference_metadata` |
//! | invoice, status `paid` | `invoice_paid` of `amount_paid` at `status_transitions.paid_at` (id: the invoice id) |
//! | charge / payment, succeeded and captured | `order` of `amount` (id: the charge id) unless it paid an invoice; `refund` of `amount_refunded` (`<charge>-refund`) or of each embedded refund (`re_…`) |
//! | refund | `refund` of `amount` (id: the refund id), customer through its charge |
//! | subscription | `subscription_started` at `start_date` (`<sub>-started`), `subscription_cancelled` at `canceled_at` (`<sub>-cancelled`) |
//!
//! `created` is never `updated_at`: it says when the customer was created,
//! not when it last changed. Refund amounts are positive; the kind says the
//! money went back. Rows that cannot be read (no id, an amount or date that
//! does not parse, a payment of no customer, a wrong column count) become
//! row errors; the rest of the file is read.
//!
//! Options (`[sources.options]`):
//! - `cross_reference_metadata = "crm_id=crm-sheet"`: metadata `crm_id`
//!   holds the customer's id in source `crm-sheet` (several: comma-separated).
//! - `invoice_charges_as_orders = true`: payments that settled an invoice are
//!   orders too (only for sources whose invoices are not exported).
//!
//! Stripe's documentation of these formats:
//! - API objects: <https://docs.stripe.com/api/customers/object>,
//!   <https://docs.stripe.com/api/invoices/object>,
//!   <https://docs.stripe.com/api/charges/object>,
//!   <https://docs.stripe.com/api/refunds/object>,
//!   <https://docs.stripe.com/api/subscriptions/object>,
//!   list pages <https://docs.stripe.com/api/pagination>,
//!   metadata <https://docs.stripe.com/api/metadata>.
//! - Minor units and zero-decimal currencies: <https://docs.stripe.com/currencies>.
//! - Dashboard exports: invoices <https://docs.stripe.com/invoicing/dashboard/manage-invoices>
//!   ("Export invoices"), refunds and payments
//!   <https://support.stripe.com/questions/exporting-refund-reports>,
//!   customer/payment export columns (`ID`, `Created (UTC)`, metadata
//!   columns) as described in <https://docs.cello.so/guides/attribution/stripe-reports>.
//!
//! Layout:
//! - [`connector`]: the [`Connector`] (files of a source, dispatch by extension).
//! - [`dashboard_csv`], [`api_json`]: the two file shapes.
//! - [`customer`], [`invoice`], [`charge`], [`subscription`]: one Stripe
//!   object each, read from either shape through [`fields::Fields`].
//! - [`context`]: config, options and mapping shared by one source's readers.
//! - [`money`]: Stripe API amounts in ISO minor units.
//! - [`options`]: the `[sources.options]` this reader understands.

pub mod api_json;
pub mod charge;
pub mod connector;
pub mod context;
pub mod customer;
pub mod dashboard_csv;
pub mod fields;
pub mod invoice;
pub mod money;
pub mod options;
pub mod subscription;

use std::path::Path;

use c360_connector::{Connector, ConnectorError, ConnectorResult, SourceConfig, SourceItem};

pub use connector::StripeConnector;

/// The `kind`s this crate reads, with one line each (shown by `c360 sync --kinds`).
pub const KINDS: &[(&str, &str)] = &[(
    "stripe",
    "Stripe Dashboard CSV exports (customers, invoices, payments, subscriptions) and API list pages saved as JSON",
)];

/// Builds the connector for a `[[sources]]` entry whose `kind` is one of KINDS.
pub fn connector(config: &SourceConfig) -> ConnectorResult<Box<dyn Connector>> {
    match config.kind.trim() {
        "stripe" => Ok(Box::new(StripeConnector::new(config)?)),
        other => Err(ConnectorError::config(
            &config.name,
            format!("the billing connector does not read kind {other:?}"),
        )),
    }
}

/// Reads one file as the source's connector would; a connector that cannot
/// be built, or a file that cannot be read at all, is one error item.
pub fn read_file(config: &SourceConfig, path: &Path) -> Vec<SourceItem> {
    c360_connector::read_one_file(connector(config), path)
}
