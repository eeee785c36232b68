//! Model → proto, for the CLI's own gRPC clients (`ingest --server`, `bench`).

use c360_model::{Activity, SourceRecord};
use c360_proto::prost_types::Timestamp;
use c360_proto::v1;
use c360_server::convert::records::{activity_kind_to_proto, postal_address_to_proto};

fn timestamp(at: chrono::DateTime<chrono::Utc>) -> Timestamp {
    Timestamp {
        seconds: at.timestamp(),
        nanos: i32::try_from(at.timestamp_subsec_nanos()).unwrap_or(0),
    }
}

pub fn record(record: &SourceRecord) -> v1::SourceRecord {
    v1::SourceRecord {
        source: record.source.clone(),
        external_id: record.external_id.clone(),
        given_name: record.given_name.clone(),
        family_name: record.family_name.clone(),
        full_name: record.full_name.clone(),
        emails: record.emails.clone(),
        phones: record.phones.clone(),
        addresses: record
            .addresses
            .iter()
            .map(postal_address_to_proto)
            .collect(),
        company: record.company.clone(),
        birth_date: record.birth_date.clone(),
        cross_references: record
            .cross_references
            .iter()
            .map(|key| v1::SourceRef {
                source: key.source.clone(),
                external_id: key.external_id.clone(),
            })
            .collect(),
        updated_at: record.updated_at.map(timestamp),
        attributes: record.attributes.clone().into_iter().collect(),
    }
}

pub fn activity(activity: &Activity) -> v1::Activity {
    v1::Activity {
        source: activity.source.clone(),
        external_id: activity.external_id.clone(),
        record_external_id: activity.record_external_id.clone(),
        kind: activity_kind_to_proto(activity.kind) as i32,
        occurred_at: Some(timestamp(activity.occurred_at)),
        amount: activity.amount.as_ref().map(|money| v1::Money {
            amount_minor: money.amount_minor,
            currency: money.currency.clone(),
        }),
        score: activity.score,
        summary: activity.summary.clone(),
        attributes: activity.attributes.clone().into_iter().collect(),
    }
}
