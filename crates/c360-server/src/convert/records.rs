//! Incoming source records and activities: proto → model.

use c360_model::{Activity, ActivityKind, Money, PostalAddress, SourceKey, SourceRecord};
use c360_proto::v1;

use super::time;

/// A record as sent; an out-of-range `updated_at` is an error on that field.
pub fn source_record(record: v1::SourceRecord) -> Result<SourceRecord, (String, String)> {
    let updated_at = match &record.updated_at {
        Some(timestamp) => Some(
            time::from_proto(timestamp)
                .ok_or_else(|| ("updated_at".to_owned(), "timestamp out of range".to_owned()))?,
        ),
        None => None,
    };
    Ok(SourceRecord {
        source: record.source,
        external_id: record.external_id,
        given_name: record.given_name,
        family_name: record.family_name,
        full_name: record.full_name,
        emails: record.emails,
        phones: record.phones,
        addresses: record.addresses.into_iter().map(postal_address).collect(),
        company: record.company,
        birth_date: record.birth_date,
        cross_references: record
            .cross_references
            .into_iter()
            .map(source_key)
            .collect(),
        updated_at,
        attributes: record.attributes.into_iter().collect(),
    })
}

pub fn postal_address(address: v1::PostalAddress) -> PostalAddress {
    PostalAddress {
        line1: address.line1,
        line2: address.line2,
        city: address.city,
        region: address.region,
        postal_code: address.postal_code,
        country: address.country,
    }
}

pub fn source_key(reference: v1::SourceRef) -> SourceKey {
    SourceKey::new(reference.source, reference.external_id)
}

pub fn activity_kind(kind: i32) -> Option<ActivityKind> {
    use v1::ActivityKind as Proto;
    Some(match Proto::try_from(kind).ok()? {
        Proto::Unspecified => return None,
        Proto::Order => ActivityKind::Order,
        Proto::InvoicePaid => ActivityKind::InvoicePaid,
        Proto::Refund => ActivityKind::Refund,
        Proto::SubscriptionStarted => ActivityKind::SubscriptionStarted,
        Proto::SubscriptionCancelled => ActivityKind::SubscriptionCancelled,
        Proto::TicketOpened => ActivityKind::TicketOpened,
        Proto::TicketSolved => ActivityKind::TicketSolved,
        Proto::CsatRating => ActivityKind::CsatRating,
        Proto::NpsResponse => ActivityKind::NpsResponse,
        Proto::EmailOpen => ActivityKind::EmailOpen,
        Proto::EmailClick => ActivityKind::EmailClick,
        Proto::EmailMessage => ActivityKind::EmailMessage,
    })
}

pub fn activity_kind_to_proto(kind: ActivityKind) -> v1::ActivityKind {
    use v1::ActivityKind as Proto;
    match kind {
        ActivityKind::Order => Proto::Order,
        ActivityKind::InvoicePaid => Proto::InvoicePaid,
        ActivityKind::Refund => Proto::Refund,
        ActivityKind::SubscriptionStarted => Proto::SubscriptionStarted,
        ActivityKind::SubscriptionCancelled => Proto::SubscriptionCancelled,
        ActivityKind::TicketOpened => Proto::TicketOpened,
        ActivityKind::TicketSolved => Proto::TicketSolved,
        ActivityKind::CsatRating => Proto::CsatRating,
        ActivityKind::NpsResponse => Proto::NpsResponse,
        ActivityKind::EmailOpen => Proto::EmailOpen,
        ActivityKind::EmailClick => Proto::EmailClick,
        ActivityKind::EmailMessage => Proto::EmailMessage,
    }
}

/// An activity as sent; errors name the field.
pub fn activity(activity: v1::Activity) -> Result<Activity, (String, String)> {
    let kind = activity_kind(activity.kind).ok_or_else(|| {
        (
            "kind".to_owned(),
            format!("{} is not a known activity kind", activity.kind),
        )
    })?;
    let occurred_at = activity
        .occurred_at
        .as_ref()
        .ok_or_else(|| ("occurred_at".to_owned(), "is required".to_owned()))
        .and_then(|timestamp| {
            time::from_proto(timestamp).ok_or_else(|| {
                (
                    "occurred_at".to_owned(),
                    "timestamp out of range".to_owned(),
                )
            })
        })?;
    let amount = match activity.amount {
        Some(money) => Some(
            Money::parse(money.amount_minor, &money.currency)
                .map_err(|error| ("amount.currency".to_owned(), error.to_string()))?,
        ),
        None => None,
    };
    Ok(Activity {
        source: activity.source,
        external_id: activity.external_id,
        record_external_id: activity.record_external_id,
        kind,
        occurred_at,
        amount,
        score: activity.score,
        summary: activity.summary,
        attributes: activity.attributes.into_iter().collect(),
    })
}

pub fn postal_address_to_proto(address: &PostalAddress) -> v1::PostalAddress {
    v1::PostalAddress {
        line1: address.line1.clone(),
        line2: address.line2.clone(),
        city: address.city.clone(),
        region: address.region.clone(),
        postal_code: address.postal_code.clone(),
        country: address.country.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_proto_kind_but_unspecified_maps() {
        for kind in ActivityKind::ALL {
            let proto = activity_kind_to_proto(kind) as i32;
            assert_eq!(activity_kind(proto), Some(kind));
        }
        assert_eq!(activity_kind(0), None);
        assert_eq!(activity_kind(99), None);
    }
}
