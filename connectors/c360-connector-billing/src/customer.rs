//! Stripe customers → c360 source records, from the Dashboard's customers
//! export or the API's `customer` objects.
//!
//! The declarative part (id, name, e-mail, phone, address, plain attributes)
//! is a default [`FieldMapping`] the source's `mapping` may override; each
//! target lists the export's column and the API's JSON path, which never
//! collide. What needs logic is here: metadata, cross-references from a
//! metadata key, and `created`, which is kept as an attribute only — it is
//! when the customer was created, not when it last changed, so it must not
//! drive "most recent value wins".

use c360_connector::mapping::Row;
use c360_connector::{FieldMapping, Mapper};
use c360_model::{SourceKey, SourceRecord};

use crate::context::Context;
use crate::fields::{Fields, Problem};

/// The customer's creation time: API `created`, export `Created (UTC)`.
const CREATED: [&str; 2] = ["created", "Created (UTC)"];

/// Target → (API path, export column) candidates.
pub fn default_mapping() -> FieldMapping {
    FieldMapping::from_pairs(&[
        ("external_id", &["id"]),
        // Stripe keeps one name field ("the customer's full name or business name").
        ("name", &["name", "Name"]),
        ("company", &["business_name", "Business Name"]),
        ("email", &["email", "Email"]),
        ("phone", &["phone", "Phone"]),
        ("address_line1", &["address.line1", "Address Line1"]),
        ("address_line2", &["address.line2", "Address Line2"]),
        ("city", &["address.city", "Address City"]),
        ("region", &["address.state", "Address State"]),
        ("postal_code", &["address.postal_code", "Address Zip"]),
        ("country", &["address.country", "Address Country"]),
        ("attribute:description", &["description", "Description"]),
        ("attribute:currency", &["currency", "Currency"]),
        ("attribute:delinquent", &["delinquent", "Delinquent"]),
        ("attribute:tax_exempt", &["tax_exempt", "Tax Exempt"]),
        (
            "attribute:preferred_locale",
            &["preferred_locales.0", "Preferred Locales"],
        ),
        // Customers-export columns summarizing the customer's subscription and spend.
        ("attribute:plan", &["Plan"]),
        ("attribute:subscription_status", &["Status"]),
        ("attribute:total_spend", &["Total Spend"]),
        ("attribute:payment_count", &["Payment Count"]),
    ])
}

/// One customer as a record.
pub fn record(
    context: &Context,
    mapper: &Mapper,
    row: &dyn Row,
    fields: &Fields,
) -> Result<SourceRecord, Problem> {
    let mut record = mapper
        .record(row)
        .map_err(|error| Problem::new(error.field, error.reason))?;
    if record.external_id.trim().is_empty() {
        return Err(Problem::new("id", "no customer id"));
    }
    if let Some(created) = fields.text(&CREATED) {
        // A creation date that does not parse is still worth keeping as written.
        let value = fields
            .time(&created)
            .map_or(created.value, |at| at.to_rfc3339());
        record.attributes.insert("created".into(), value);
    }
    for (key, value) in fields.metadata() {
        for reference in &context.options.cross_references {
            if reference.key == key {
                record
                    .cross_references
                    .push(SourceKey::new(reference.source.clone(), value.clone()));
            }
        }
        record.attributes.insert(format!("metadata.{key}"), value);
    }
    Ok(record)
}

#[cfg(test)]
mod tests {
    use c360_connector::SourceConfig;

    use super::*;
    use crate::fields::Header;

    fn context() -> Context {
        let config = SourceConfig {
            name: "billing".into(),
            kind: "stripe".into(),
            options: [("cross_reference_metadata".into(), "crm_id=crm-sheet".into())].into(),
            ..SourceConfig::default()
        };
        Context::new(&config, default_mapping()).expect("context")
    }

    #[test]
    fn api_customer_with_metadata_and_cross_reference() {
        let context = context();
        let value = serde_json::json!({
            "id": "cus_1", "object": "customer", "name": "Ayşe Yılmaz",
            "email": "ayse@example.com", "phone": "0532 111 22 33",
            "address": {"line1": "Bağdat Cd. 5", "city": "İstanbul", "country": "TR",
                         "postal_code": "34710", "state": null, "line2": null},
            "created": 1709633472, "delinquent": false, "currency": "try",
            "metadata": {"crm_id": "C-7", "tier": "gold"}
        });
        let mapper = Mapper::new(&context.config, &context.customer_mapping, None).expect("mapper");
        let fields = Fields::Json {
            value: &value,
            settings: &context.settings,
        };
        let record = record(&context, &mapper, &value, &fields).expect("record");
        assert_eq!(record.external_id, "cus_1");
        assert_eq!(
            (record.given_name.as_str(), record.family_name.as_str()),
            ("Ayşe", "Yılmaz")
        );
        assert_eq!(record.phones, vec!["+905321112233"]);
        assert_eq!(record.addresses[0].city, "İstanbul");
        assert_eq!(
            record.cross_references,
            vec![SourceKey::new("crm-sheet", "C-7")]
        );
        assert_eq!(record.attributes["created"], "2024-03-05T10:11:12+00:00");
        assert_eq!(record.attributes["metadata.tier"], "gold");
        assert_eq!(record.attributes["delinquent"], "false");
        assert_eq!(record.updated_at, None);
    }

    #[test]
    fn export_row_keeps_an_unreadable_creation_date_verbatim() {
        let context = context();
        let header = Header::new(
            ["id", "Email", "Name", "Created (UTC)", "crm_id (metadata)"]
                .map(String::from)
                .to_vec(),
        );
        let cells = csv::StringRecord::from(vec!["cus_2", "a@example.com", "Ada", "yesterday", ""]);
        let mapper = Mapper::new(
            &context.config,
            &context.customer_mapping,
            Some(&header.names),
        )
        .expect("mapper");
        let fields = Fields::Csv {
            header: &header,
            cells: &cells,
            delimiter: b',',
            settings: &context.settings,
        };
        let record = record(&context, &mapper, &cells, &fields).expect("record");
        assert_eq!(record.attributes["created"], "yesterday");
        assert!(record.cross_references.is_empty());

        let cells = csv::StringRecord::from(vec!["", "a@example.com", "Ada", "", ""]);
        let fields = Fields::Csv {
            header: &header,
            cells: &cells,
            delimiter: b',',
            settings: &context.settings,
        };
        assert_eq!(record_error(&context, &mapper, &cells, &fields), "id");
    }

    fn record_error(context: &Context, mapper: &Mapper, row: &dyn Row, fields: &Fields) -> String {
        record(context, mapper, row, fields)
            .expect_err("no id")
            .field
    }
}
