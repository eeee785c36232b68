//! Stripe Dashboard CSV exports: which export a file is (from its header
//! row), then each row as a record or activities, streamed.
//!
//! The Dashboard lets the user pick columns, so detection looks for the
//! columns that tell the exports apart rather than a fixed header:
//! - subscriptions (`subscriptions.csv`): `Start (UTC)` or `Current Period Start (UTC)`;
//! - invoices (`invoices.csv`): `Amount Due` or `Amount Paid`;
//! - payments (`unified_payments.csv`, older `payments.csv`): `Amount Refunded`,
//!   or `Amount` with `Customer ID` or `Captured`;
//! - customers (`customers.csv`): `id` with `Email`, `Name` or `Description`.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::Arc;

use c360_connector::encoding::configured;
use c360_connector::mapping::header_key;
use c360_connector::tabular::{TableOptions, TableReader, TableRow};
use c360_connector::{ConnectorError, ConnectorResult, ItemIter, Location, Mapper, SourceItem};

use crate::context::Context;
use crate::fields::{Fields, Header};
use crate::{charge, customer, invoice, subscription};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Customers,
    Invoices,
    Payments,
    Subscriptions,
}

/// Column names of the four exports, used to find the header row.
const KNOWN_COLUMNS: [&str; 24] = [
    "id",
    "Description",
    "Email",
    "Name",
    "Phone",
    "Created (UTC)",
    "Created date (UTC)",
    "Delinquent",
    "Currency",
    "Address Line1",
    "Address Country",
    "Amount",
    "Amount Due",
    "Amount Paid",
    "Amount Refunded",
    "Customer",
    "Customer ID",
    "Customer Email",
    "Date (UTC)",
    "Status",
    "Captured",
    "Invoice ID",
    "Start (UTC)",
    "Canceled At (UTC)",
];

/// Which export a header row is, if any.
pub fn detect(header: &Header) -> Option<Export> {
    let has = |name: &str| header.has(name);
    // Subscriptions first: their export may carry `Amount` and `Customer ID` too.
    if has("Start (UTC)") || has("Current Period Start (UTC)") {
        Some(Export::Subscriptions)
    } else if has("Amount Due") || has("Amount Paid") {
        Some(Export::Invoices)
    } else if has("Amount Refunded") || (has("Amount") && (has("Customer ID") || has("Captured"))) {
        Some(Export::Payments)
    } else if has("id") && (has("Email") || has("Name") || has("Description")) {
        Some(Export::Customers)
    } else {
        None
    }
}

/// Opens a Dashboard export. A file with no rows at all reads as nothing; a
/// file that is none of the exports fails (it is not what the source says).
pub fn read(path: &Path, context: Arc<Context>) -> ConnectorResult<ItemIter> {
    let known: Vec<String> = KNOWN_COLUMNS.iter().map(|name| header_key(name)).collect();
    let score = move |cells: &[String]| {
        cells
            .iter()
            .filter(|cell| known.contains(&header_key(cell)))
            .count()
    };
    let options = TableOptions {
        delimiter: TableOptions::delimiter_from(&context.config.delimiter)?,
        encoding: configured(&context.config.encoding)?,
    };
    let table = TableReader::open(path, options, &score)?;
    if table.headers.is_empty() {
        return Ok(Box::new(std::iter::empty()));
    }
    let header = Header::new(table.headers.clone());
    let export = detect(&header).ok_or_else(|| {
        ConnectorError::format(
            path,
            format!(
                "not a Stripe customers, invoices, payments or subscriptions export (columns: {})",
                header.names.join(", ")
            ),
        )
    })?;
    let reader = match export {
        Export::Customers => RowReader::Customers(Mapper::new(
            &context.config,
            &context.customer_mapping,
            Some(&header.names),
        )?),
        Export::Invoices => RowReader::Invoices,
        Export::Payments => RowReader::Payments,
        Export::Subscriptions => RowReader::Subscriptions,
    };
    Ok(Box::new(Rows {
        delimiter: table.delimiter,
        table,
        reader,
        header,
        context,
        pending: VecDeque::new(),
    }))
}

/// How one export's rows are read: customers through the mapping resolved
/// against this file's header, the others by the activity readers.
enum RowReader {
    Customers(Mapper),
    Invoices,
    Payments,
    Subscriptions,
}

/// The rows of one export as items; a row may be several activities.
struct Rows {
    table: TableReader,
    reader: RowReader,
    header: Header,
    context: Arc<Context>,
    delimiter: u8,
    pending: VecDeque<SourceItem>,
}

impl Rows {
    fn items(&self, row: &TableRow) -> Vec<SourceItem> {
        let context = &*self.context;
        let location = Location::line(self.table.file(), row.line);
        let fields = Fields::Csv {
            header: &self.header,
            cells: &row.cells,
            delimiter: self.delimiter,
            settings: &context.settings,
        };
        let activities = match &self.reader {
            RowReader::Customers(mapper) => {
                let record = customer::record(context, mapper, &row.cells, &fields);
                return vec![context.record_item(&location, &fields, record)];
            }
            RowReader::Invoices => invoice::activities(&fields, context),
            RowReader::Payments => charge::activities(&fields, context),
            RowReader::Subscriptions => subscription::activities(&fields, context),
        };
        context.activity_items(&location, &fields, activities)
    }
}

impl Iterator for Rows {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            match self.table.next()? {
                Ok(row) => {
                    let items = self.items(&row);
                    self.pending.extend(items);
                }
                Err(error) => return Some(SourceItem::Error(error)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &str) -> Header {
        Header::new(names.split(',').map(str::to_owned).collect())
    }

    #[test]
    fn tells_the_exports_apart() {
        assert_eq!(
            detect(&header(
                "id,Description,Email,Name,Created (UTC),Delinquent,Plan,Status,Cancel At Period End"
            )),
            Some(Export::Customers)
        );
        assert_eq!(
            detect(&header(
                "id,Amount Due,Billing,Closed,Currency,Customer,Date (UTC),Paid,Status"
            )),
            Some(Export::Invoices)
        );
        assert_eq!(
            detect(&header(
                "id,Description,Created (UTC),Amount,Amount Refunded,Currency,Status,Customer ID"
            )),
            Some(Export::Payments)
        );
        assert_eq!(
            detect(&header(
                "id,Customer ID,Amount,Status,Created (UTC),Start (UTC),Canceled At (UTC)"
            )),
            Some(Export::Subscriptions)
        );
        assert_eq!(detect(&header("Order,Total,Buyer")), None);
    }
}
