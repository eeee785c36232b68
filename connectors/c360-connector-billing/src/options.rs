//! The billing reader's `options` (a `[[sources]]` entry's `[sources.options]`
//! table), parsed once when the connector is built so a typo fails the sync
//! before any file is read.

use c360_connector::{ConnectorError, ConnectorResult, SourceConfig};

/// Options the billing reader understands.
const KNOWN: [&str; 2] = ["cross_reference_metadata", "invoice_charges_as_orders"];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillingOptions {
    /// Metadata keys that hold another system's id for the customer, with
    /// that system's source name: `crm_id=crm-sheet` turns `metadata.crm_id`
    /// into a cross-reference to the `crm-sheet` source (a strong link).
    pub cross_references: Vec<MetadataReference>,
    /// Whether a payment that settled an invoice is also an `order`. Off by
    /// default: the invoice's `invoice_paid` already counts that money, and
    /// counting it twice would double the customer's revenue.
    pub invoice_charges_as_orders: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataReference {
    /// The metadata key as the billing system stores it (`crm_id`).
    pub key: String,
    /// The c360 source that key's values are ids of (`crm-sheet`).
    pub source: String,
}

impl BillingOptions {
    pub fn parse(config: &SourceConfig) -> ConnectorResult<Self> {
        let error = |reason: String| ConnectorError::config(&config.name, reason);
        if let Some(unknown) = config
            .options
            .keys()
            .find(|key| !KNOWN.contains(&key.as_str()))
        {
            return Err(error(format!(
                "unknown option {unknown:?} (known: {})",
                KNOWN.join(", ")
            )));
        }
        let mut options = Self::default();
        if let Some(value) = config.option("cross_reference_metadata") {
            // Several pairs may be given: "crm_id=crm-sheet, erp_no=erp".
            for pair in value.split(',').filter(|pair| !pair.trim().is_empty()) {
                let Some((key, source)) = pair.split_once('=') else {
                    return Err(error(format!(
                        "cross_reference_metadata {pair:?} is not `metadata_key=source_name`"
                    )));
                };
                let (key, source) = (key.trim(), source.trim());
                if key.is_empty() || source.is_empty() {
                    return Err(error(format!(
                        "cross_reference_metadata {pair:?} needs both a metadata key and a source name"
                    )));
                }
                options.cross_references.push(MetadataReference {
                    key: key.to_owned(),
                    source: source.to_owned(),
                });
            }
        }
        if let Some(value) = config.option("invoice_charges_as_orders") {
            options.invoice_charges_as_orders = match value.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" => true,
                "false" | "no" | "0" => false,
                other => {
                    return Err(error(format!(
                        "invoice_charges_as_orders {other:?} is neither true nor false"
                    )));
                }
            };
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(options: &[(&str, &str)]) -> SourceConfig {
        SourceConfig {
            name: "billing".into(),
            kind: "stripe".into(),
            options: options
                .iter()
                .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
                .collect(),
            ..SourceConfig::default()
        }
    }

    #[test]
    fn reads_cross_references_and_flags() {
        let options = BillingOptions::parse(&config(&[
            ("cross_reference_metadata", "crm_id=crm-sheet, erp_no = erp"),
            ("invoice_charges_as_orders", "Yes"),
        ]))
        .expect("valid options");
        assert_eq!(
            options.cross_references,
            vec![
                MetadataReference {
                    key: "crm_id".into(),
                    source: "crm-sheet".into()
                },
                MetadataReference {
                    key: "erp_no".into(),
                    source: "erp".into()
                },
            ]
        );
        assert!(options.invoice_charges_as_orders);
        assert_eq!(
            BillingOptions::parse(&config(&[])).expect("no options"),
            BillingOptions::default()
        );
    }

    #[test]
    fn refuses_typos_and_malformed_values() {
        for options in [
            vec![("cross_reference_metdata", "crm_id=crm")],
            vec![("cross_reference_metadata", "crm_id")],
            vec![("cross_reference_metadata", "=crm")],
            vec![("invoice_charges_as_orders", "maybe")],
        ] {
            assert!(
                BillingOptions::parse(&config(&options)).is_err(),
                "{options:?}"
            );
        }
    }
}
