//! Stripe API responses saved as JSON: list pages (`{"object": "list",
//! "data": [...], "has_more": ..., "url": "/v1/customers"}`), arrays of such
//! pages, single objects, or JSON Lines of objects.
//!
//! Each object says what it is in its `object` field, so one file may mix
//! customers, invoices, charges, refunds and subscriptions. The file is read
//! twice: first to note which customer each charge belongs to (refunds name
//! only their charge), then to yield items in file order.

use std::path::Path;
use std::sync::Arc;

use c360_connector::encoding::configured;
use c360_connector::json::read_json;
use c360_connector::{ConnectorResult, ItemIter, Location, Mapper, SourceItem};
use serde_json::Value;

use crate::charge::{self, ChargeOwners};
use crate::context::Context;
use crate::fields::{Fields, Problem};
use crate::{customer, invoice, subscription};

/// Keys of a saved response that hold its objects.
const LIST_KEYS: [&str; 1] = ["data"];

pub fn read(path: &Path, context: Arc<Context>) -> ConnectorResult<ItemIter> {
    let encoding = configured(&context.config.encoding)?;
    let mut owners = ChargeOwners::new();
    for object in read_json(path, encoding, &LIST_KEYS)?.flatten() {
        note_charges(&object.value, &mut owners);
    }
    let reader = Objects {
        mapper: Mapper::new(&context.config, &context.customer_mapping, None)?,
        context,
        owners,
    };
    let objects = read_json(path, encoding, &LIST_KEYS)?;
    Ok(Box::new(objects.flat_map(move |object| match object {
        Ok(object) => reader.items(&object.location, &object.value),
        Err(error) => vec![SourceItem::Error(error)],
    })))
}

/// Charges anywhere in the object (inside nested list pages too).
fn note_charges(value: &Value, owners: &mut ChargeOwners) {
    match value.get("object").and_then(Value::as_str) {
        Some("charge") => charge::note_owner(owners, value),
        Some("list") => {
            if let Some(Value::Array(items)) = value.get("data") {
                for item in items {
                    note_charges(item, owners);
                }
            }
        }
        _ => {}
    }
}

/// Reads API objects of one file.
struct Objects {
    context: Arc<Context>,
    mapper: Mapper,
    owners: ChargeOwners,
}

impl Objects {
    fn items(&self, location: &Location, value: &Value) -> Vec<SourceItem> {
        let context = &*self.context;
        let fields = Fields::Json {
            value,
            settings: &context.settings,
        };
        let activities = match value.get("object").and_then(Value::as_str) {
            Some("list") => return self.nested(location, value),
            Some("customer") => {
                // A deleted customer is a tombstone with only its id left.
                if value.get("deleted").and_then(Value::as_bool) == Some(true) {
                    return Vec::new();
                }
                let record = customer::record(context, &self.mapper, value, &fields);
                return vec![context.record_item(location, &fields, record)];
            }
            Some("invoice") => invoice::activities(&fields, context),
            Some("charge") => charge::activities(&fields, context),
            Some("refund") => charge::refund_activities(&fields, context, None, &self.owners),
            Some("subscription") => subscription::activities(&fields, context),
            Some(other) => Err(Problem::new(
                "object",
                format!(
                    "a Stripe {other:?} is not read (customer, invoice, charge, refund and subscription are)"
                ),
            )),
            None => Err(Problem::new(
                "object",
                "has no \"object\" field: not a Stripe API object",
            )),
        };
        context.activity_items(location, &fields, activities)
    }

    /// A list page inside the file (a saved array of pages).
    fn nested(&self, location: &Location, page: &Value) -> Vec<SourceItem> {
        let Some(Value::Array(items)) = page.get("data") else {
            return Vec::new();
        };
        let parent = location.object.clone().unwrap_or_default();
        items
            .iter()
            .enumerate()
            .flat_map(|(index, item)| {
                let position = match item.get("id").and_then(Value::as_str) {
                    Some(id) => format!("{parent}.data[{index}]:{id}"),
                    None => format!("{parent}.data[{index}]"),
                };
                let item_location = Location {
                    file: location.file.clone(),
                    line: location.line,
                    object: Some(position),
                };
                self.items(&item_location, item)
            })
            .collect()
    }
}
