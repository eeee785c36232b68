//! Attribute conflicts: the sources of one customer disagree on an
//! attribute survivorship cannot settle safely — two different birth dates,
//! or primary addresses in two different countries. Survivorship still picks
//! a value, but a steward should confirm it: a conflict task is opened while
//! the golden record is rewritten (idempotently: one task per record pair
//! that disagrees, refreshed while open, left alone once decided).
//!
//! The natural answer is to pin the right value (`PinAttribute` on
//! `birth_date`, or on `address` naming the right address), which resolves
//! the task; `DISMISS` accepts the disagreement. A pinned attribute raises no
//! conflict.

use std::collections::HashSet;

use c360_store::repo::matching::{LinkRow, ReviewRow};
use c360_store::repo::source_records::MemberRecord;
use serde_json::json;

use super::TaskKind;

/// Conflict tasks for one golden record's members. `pinned` lists the
/// attributes a steward pinned (no conflict is raised on them).
pub(crate) fn conflict_tasks(
    golden_id: &str,
    members: &[&MemberRecord],
    pinned: &HashSet<&str>,
) -> Vec<ReviewRow> {
    if members.len() < 2 {
        return Vec::new();
    }
    let mut rows = Vec::new();
    if !pinned.contains("birth_date") {
        let values = members.iter().filter_map(|member| {
            let date = member.normalized.birth_date?;
            Some((member.id, date.format("%Y-%m-%d").to_string()))
        });
        rows.extend(disagreement(golden_id, "birth_date", values));
    }
    if !pinned.contains("address") {
        // A record's first address is its primary (billing) one.
        let values = members.iter().filter_map(|member| {
            let country = member
                .normalized
                .addresses
                .first()?
                .raw
                .country
                .trim()
                .to_uppercase();
            (!country.is_empty()).then_some((member.id, country))
        });
        rows.extend(disagreement(golden_id, "address", values));
    }
    rows
}

/// A task between the first two records holding different values, with
/// every record's value in the explanation.
fn disagreement(
    golden_id: &str,
    attribute: &str,
    values: impl Iterator<Item = (i64, String)>,
) -> Option<ReviewRow> {
    let mut values: Vec<(i64, String)> = values.collect();
    values.sort();
    let (first_record, first_value) = values.first()?.clone();
    let (other_record, _) = values
        .iter()
        .find(|(_, value)| *value != first_value)?
        .clone();
    let explanation = json!({
        "attribute": attribute,
        "golden_id": golden_id,
        "values": values
            .iter()
            .map(|(record, value)| json!({ "record": record, "value": value }))
            .collect::<Vec<_>>(),
    });
    Some(ReviewRow {
        kind: TaskKind::AttributeConflict.as_str().to_owned(),
        link: LinkRow {
            left: first_record,
            right: other_record,
            probability: 0.0,
            explanation: explanation.to_string(),
        },
        reason: attribute.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_birth_dates_raise_one_conflict_and_agreement_none() {
        let values = vec![
            (3, "1985-03-04".to_owned()),
            (1, "1985-03-04".to_owned()),
            (2, "1985-04-03".to_owned()),
        ];
        let row = disagreement("g", "birth_date", values.into_iter()).expect("a conflict");
        assert_eq!((row.link.left, row.link.right), (1, 2));
        assert_eq!(row.reason, "birth_date");
        assert_eq!(row.kind, "attribute_conflict");
        let agreeing = vec![(1, "DE".to_owned()), (2, "DE".to_owned())];
        assert!(disagreement("g", "address", agreeing.into_iter()).is_none());
    }
}
