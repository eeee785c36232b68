//! Outgoing profiles and listings: model → proto.

use c360_hub::profiles::{FoundProfile, ProfileView, SearchHit};
use c360_model::golden::{GoldenAddress, GoldenName};
use c360_model::{GoldenValue, Lineage, SurvivorshipRule};
use c360_proto::v1;

use super::records::{activity_kind_to_proto, postal_address_to_proto};
use super::time;

pub fn found_profile(found: &FoundProfile) -> v1::GetProfileResponse {
    v1::GetProfileResponse {
        profile: Some(profile(&found.profile)),
        redirected: found.redirected,
        requested_id: found.requested_id.clone(),
    }
}

pub fn profile(view: &ProfileView) -> v1::Profile {
    let golden = &view.golden;
    let attributes = &golden.attributes;
    v1::Profile {
        golden_id: golden.id.clone(),
        version: golden.version,
        created_at: Some(time::from_micros(golden.created_at)),
        updated_at: Some(time::from_micros(golden.updated_at)),
        name: attributes.name.as_ref().map(name_value),
        emails: attributes.emails.iter().map(attribute_value).collect(),
        phones: attributes.phones.iter().map(attribute_value).collect(),
        addresses: attributes.addresses.iter().map(address_value).collect(),
        company: attributes.company.as_ref().map(attribute_value),
        birth_date: attributes.birth_date.as_ref().map(attribute_value),
        crosswalk: view
            .crosswalk
            .iter()
            .map(|row| v1::CrosswalkEntry {
                record: Some(source_ref(&row.key.source, &row.key.external_id)),
                first_seen: Some(time::from_micros(row.first_seen)),
                last_seen: Some(time::from_micros(row.last_seen)),
                linked_by: row.linked_by.clone(),
            })
            .collect(),
        recent_activity: view
            .timeline
            .iter()
            .map(|row| v1::TimelineEntry {
                record: Some(source_ref(&row.source, &row.record_external_id)),
                activity_id: row.external_id.clone(),
                kind: row
                    .kind
                    .parse()
                    .map(activity_kind_to_proto)
                    .unwrap_or(v1::ActivityKind::Unspecified) as i32,
                occurred_at: Some(time::from_micros(row.occurred_at)),
                amount: row.amount_minor.zip(row.currency.clone()).map(
                    |(amount_minor, currency)| v1::Money {
                        amount_minor,
                        currency,
                    },
                ),
                score: row.score.and_then(|score| i32::try_from(score).ok()),
                summary: row.summary.clone(),
            })
            .collect(),
        summary: Some(summary(view)),
        merged_ids: view.merged_ids.clone(),
        lifecycle: view
            .lifecycle
            .as_ref()
            .map(super::metrics::customer_metrics),
    }
}

fn summary(view: &ProfileView) -> v1::ProfileSummary {
    let summary = &view.summary;
    v1::ProfileSummary {
        customer_since: summary.customer_since.map(time::from_micros),
        last_order_at: summary.last_order_at.map(time::from_micros),
        last_order_summary: summary.last_order_summary.clone(),
        order_count: summary.order_count,
        revenue: summary
            .revenue
            .iter()
            .map(|(currency, amount_minor)| v1::Money {
                amount_minor: *amount_minor,
                currency: currency.clone(),
            })
            .collect(),
        last_contact_at: summary.last_contact_at.map(time::from_micros),
        current_plan: summary.current_plan.clone(),
        open_tickets: summary.open_tickets,
    }
}

pub fn golden_summary(golden: &c360_hub::profiles::GoldenRow) -> v1::GoldenRecordSummary {
    v1::GoldenRecordSummary {
        golden_id: golden.id.clone(),
        version: golden.version,
        created_at: Some(time::from_micros(golden.created_at)),
        updated_at: Some(time::from_micros(golden.updated_at)),
        display_name: golden.display_name.clone(),
        primary_email: golden.primary_email.clone(),
        primary_phone: golden.primary_phone.clone(),
        source_record_count: i32::try_from(golden.record_count).unwrap_or(i32::MAX),
    }
}

pub fn search_hit(hit: &SearchHit) -> v1::SearchHit {
    v1::SearchHit {
        record: Some(golden_summary(&hit.golden)),
        score: hit.score,
        matched_field: hit.matched_field.clone(),
    }
}

fn source_ref(source: &str, external_id: &str) -> v1::SourceRef {
    v1::SourceRef {
        source: source.to_owned(),
        external_id: external_id.to_owned(),
    }
}

fn lineage(lineage: &Lineage) -> v1::Lineage {
    v1::Lineage {
        record: Some(source_ref(&lineage.source, &lineage.external_id)),
        rule: rule(lineage.rule) as i32,
        observed_at: lineage.observed_at.map(time::to_proto),
    }
}

fn rule(rule: SurvivorshipRule) -> v1::SurvivorshipRule {
    match rule {
        SurvivorshipRule::Agreed => v1::SurvivorshipRule::Agreed,
        SurvivorshipRule::SourcePriority => v1::SurvivorshipRule::SourcePriority,
        SurvivorshipRule::MostRecent => v1::SurvivorshipRule::MostRecent,
        SurvivorshipRule::MostFrequent => v1::SurvivorshipRule::MostFrequent,
        SurvivorshipRule::Tiebreak => v1::SurvivorshipRule::Tiebreak,
        SurvivorshipRule::MostComplete => v1::SurvivorshipRule::MostComplete,
        SurvivorshipRule::StewardPin => v1::SurvivorshipRule::StewardPin,
    }
}

fn attribute_value(value: &GoldenValue) -> v1::AttributeValue {
    v1::AttributeValue {
        value: value.value.clone(),
        normalized: value.normalized.clone(),
        lineage: Some(lineage(&value.lineage)),
    }
}

fn name_value(name: &GoldenName) -> v1::NameValue {
    v1::NameValue {
        display: name.display.clone(),
        given_name: name.given.clone(),
        family_name: name.family.clone(),
        lineage: Some(lineage(&name.lineage)),
    }
}

fn address_value(address: &GoldenAddress) -> v1::AddressValue {
    v1::AddressValue {
        address: Some(postal_address_to_proto(&address.address)),
        normalized: address.normalized.clone(),
        lineage: Some(lineage(&address.lineage)),
    }
}
