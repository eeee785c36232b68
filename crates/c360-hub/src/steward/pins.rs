//! Pinned attributes: a steward's value wins survivorship.
//!
//! A pin is stored per (golden record, attribute) and applied every time the
//! golden record is rewritten, after the survivorship rules ran: a
//! single-valued attribute (name, company, birth date) takes the pinned
//! value; a multi-valued one (e-mail, phone, address) gets it as its primary
//! value, the others keeping their order. Lineage shows the pin (rule
//! `steward_pin`, source `steward`, the steward as its id). An expired pin
//! stops applying at the golden record's next rewrite. Pinning the attribute
//! of an attribute-conflict task resolves that task.

use std::collections::{BTreeMap, HashSet};

use c360_model::golden::{GoldenAddress, GoldenName};
use c360_model::{AttributeName, GoldenValue, Lineage, SurvivorshipRule};
use c360_store::repo::golden_records;
use c360_store::repo::steward::{self, PinRow, TaskDecision};
use c360_store::time::{from_micros, now_micros};
use serde_json::json;
use tracing::instrument;

use super::{TaskKind, claim_golden, live_golden};
use crate::error::{HubError, HubResult};
use crate::golden_writer::GoldenChange;
use crate::hub::Hub;
use crate::survivorship::{LineageEntry, Survived};

/// A pin to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinRequest {
    pub golden_id: String,
    pub version: i64,
    pub attribute: String,
    pub value: String,
    pub reason: String,
    /// Unix microseconds; `None`: until unpinned.
    pub expires_at: Option<i64>,
}

fn parse_attribute(attribute: &str) -> HubResult<AttributeName> {
    attribute.trim().parse::<AttributeName>().map_err(|_| {
        HubError::invalid(
            "attribute",
            format!("{attribute:?} is not name, email, phone, address, company or birth_date"),
        )
    })
}

impl Hub {
    /// Pins a value; returns the golden record's id and new version.
    #[instrument(name = "steward.pin", skip(self, request), fields(golden_id = %request.golden_id, attribute = %request.attribute))]
    pub async fn pin_attribute(
        &self,
        request: &PinRequest,
        actor: &str,
    ) -> HubResult<(String, i64)> {
        let attribute = parse_attribute(&request.attribute)?;
        let value = request.value.trim();
        if value.is_empty() {
            return Err(HubError::invalid("value", "is required"));
        }
        if attribute == AttributeName::BirthDate
            && chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err()
        {
            return Err(HubError::invalid(
                "value",
                format!("{value:?} is not a YYYY-MM-DD date"),
            ));
        }
        let now = now_micros();
        if request.expires_at.is_some_and(|at| at <= now) {
            return Err(HubError::invalid("expires_at", "is in the past"));
        }
        let _serialized = self.inner.write_lock.lock().await;
        let mut transaction = self.inner.store.begin_write().await?;
        let live = self.pinnable(&mut transaction, &request.golden_id).await?;
        claim_golden(&mut transaction, &live, request.version).await?;
        if attribute == AttributeName::Address {
            let current = golden_records::get(&mut transaction, &live)
                .await?
                .map(|row| row.attributes.addresses)
                .unwrap_or_default();
            if !current
                .iter()
                .any(|address| address_matches(address, value))
            {
                return Err(HubError::invalid(
                    "value",
                    "an address pin names one of the customer's addresses (its one-line form)",
                ));
            }
        }
        steward::upsert_pin(
            &mut transaction,
            &PinRow {
                golden_id: live.clone(),
                attribute: attribute.as_str().to_owned(),
                value: value.to_owned(),
                reason: request.reason.clone(),
                actor: actor.to_owned(),
                expires_at: request.expires_at,
                created_at: now,
            },
        )
        .await?;
        // The conflict on this attribute is answered.
        let members: Vec<i64> = steward::member_ids(&mut transaction, std::slice::from_ref(&live))
            .await?
            .into_iter()
            .map(|(record, _)| record)
            .collect();
        let answered = TaskDecision {
            status: "resolved",
            decision: "pinned",
            comment: &request.reason,
            actor,
        };
        steward::close_tasks_within(
            &mut transaction,
            &members,
            Some((TaskKind::AttributeConflict.as_str(), attribute.as_str())),
            &answered,
            now,
        )
        .await?;
        let change = GoldenChange {
            action: "attribute_pinned",
            detail: json!({
                "attribute": attribute.as_str(),
                "value": value,
                "reason": request.reason,
                "expires_at": request.expires_at,
            }),
        };
        let version = self
            .rewrite_for_steward(&mut transaction, &live, change, actor, now)
            .await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        self.after_change(std::slice::from_ref(&live)).await;
        Ok((live, version))
    }

    /// Removes a pin; survivorship decides the attribute again.
    #[instrument(name = "steward.unpin", skip(self, reason))]
    pub async fn unpin_attribute(
        &self,
        golden_id: &str,
        version: i64,
        attribute: &str,
        reason: &str,
        actor: &str,
    ) -> HubResult<(String, i64)> {
        let attribute = parse_attribute(attribute)?;
        let _serialized = self.inner.write_lock.lock().await;
        let now = now_micros();
        let mut transaction = self.inner.store.begin_write().await?;
        let live = self.pinnable(&mut transaction, golden_id).await?;
        claim_golden(&mut transaction, &live, version).await?;
        if !steward::delete_pin(&mut transaction, &live, attribute.as_str()).await? {
            return Err(HubError::not_found(format!(
                "pin of {attribute} on golden record {live}"
            )));
        }
        let change = GoldenChange {
            action: "attribute_unpinned",
            detail: json!({ "attribute": attribute.as_str(), "reason": reason }),
        };
        let version = self
            .rewrite_for_steward(&mut transaction, &live, change, actor, now)
            .await?;
        transaction
            .commit()
            .await
            .map_err(c360_store::StoreError::from)?;
        self.after_change(std::slice::from_ref(&live)).await;
        Ok((live, version))
    }

    /// The live id a pin write targets; a redirected id means the steward
    /// saw a record merged away since.
    async fn pinnable(
        &self,
        connection: &mut c360_store::AnyConnection,
        golden_id: &str,
    ) -> HubResult<String> {
        let live = live_golden(connection, "golden_id", golden_id).await?;
        if live != golden_id.trim().to_ascii_lowercase() {
            return Err(HubError::conflict(format!(
                "golden record {golden_id} (merged into {live})"
            )));
        }
        Ok(live)
    }

    /// Rewrites one golden record for a steward change inside the caller's
    /// transaction; returns its new version.
    async fn rewrite_for_steward(
        &self,
        connection: &mut c360_store::AnyConnection,
        golden_id: &str,
        change: GoldenChange,
        actor: &str,
        now: i64,
    ) -> HubResult<i64> {
        self.rewrite_goldens(
            connection,
            BTreeMap::from([(golden_id.to_owned(), change)]),
            Vec::new(),
            actor,
            now,
        )
        .await?;
        let version = golden_records::get(connection, golden_id)
            .await?
            .map(|row| row.version)
            .ok_or_else(|| HubError::Internal(format!("golden {golden_id} vanished")))?;
        self.announce(connection, &[golden_id.to_owned()]).await?;
        Ok(version)
    }
}

fn address_matches(address: &GoldenAddress, value: &str) -> bool {
    address
        .address
        .one_line()
        .trim()
        .eq_ignore_ascii_case(value.trim())
        || address.normalized == value.trim()
}

/// Applies the pins in force to survivorship's result (see the module docs).
pub(crate) fn apply_pins(survived: &mut Survived, pins: &[&PinRow]) {
    for pin in pins {
        let Ok(attribute) = pin.attribute.parse::<AttributeName>() else {
            continue;
        };
        let lineage = Lineage {
            source: "steward".to_owned(),
            external_id: pin.actor.clone(),
            rule: SurvivorshipRule::StewardPin,
            observed_at: Some(from_micros(pin.created_at)),
        };
        let value = pin.value.trim().to_owned();
        let folded = value.to_lowercase();
        let attributes = &mut survived.attributes;
        match attribute {
            AttributeName::Name => {
                let (given, family) = match value.rsplit_once(' ') {
                    Some((given, family)) => (given.trim().to_owned(), family.to_owned()),
                    None => (String::new(), value.clone()),
                };
                attributes.name = Some(GoldenName {
                    display: value.clone(),
                    given,
                    family,
                    lineage,
                });
                set_single(&mut survived.lineage, attribute, &value, &folded);
            }
            AttributeName::Company | AttributeName::BirthDate => {
                let pinned = Some(GoldenValue {
                    value: value.clone(),
                    normalized: folded.clone(),
                    lineage,
                });
                if attribute == AttributeName::Company {
                    attributes.company = pinned;
                } else {
                    attributes.birth_date = pinned;
                }
                set_single(&mut survived.lineage, attribute, &value, &folded);
            }
            AttributeName::Email | AttributeName::Phone => {
                let values = if attribute == AttributeName::Email {
                    &mut attributes.emails
                } else {
                    &mut attributes.phones
                };
                let found = values.iter().position(|existing| {
                    existing.normalized == folded
                        || existing.value.trim().eq_ignore_ascii_case(&value)
                });
                let normalized = match found {
                    Some(index) => values.remove(index).normalized,
                    None => folded.clone(),
                };
                values.insert(
                    0,
                    GoldenValue {
                        value: value.clone(),
                        normalized: normalized.clone(),
                        lineage,
                    },
                );
                promote(&mut survived.lineage, attribute, &value, &normalized);
            }
            AttributeName::Address => {
                // Only one of the customer's own addresses can be pinned: an
                // address is structured, and a steward picks, not types, it.
                let Some(index) = attributes
                    .addresses
                    .iter()
                    .position(|address| address_matches(address, &value))
                else {
                    continue;
                };
                let mut address = attributes.addresses.remove(index);
                address.lineage = lineage;
                let normalized = address.normalized.clone();
                let one_line = address.address.one_line();
                attributes.addresses.insert(0, address);
                promote(&mut survived.lineage, attribute, &one_line, &normalized);
            }
        }
    }
}

/// A single-valued attribute's lineage: the pin alone.
fn set_single(
    lineage: &mut Vec<LineageEntry>,
    attribute: AttributeName,
    value: &str,
    normalized: &str,
) {
    lineage.retain(|entry| entry.attribute != attribute);
    lineage.push(pinned_entry(attribute, 0, value, normalized, 0));
}

/// A multi-valued attribute's lineage: the pinned value first (keeping the
/// record it came from, if a record holds it), the others after it.
fn promote(
    lineage: &mut Vec<LineageEntry>,
    attribute: AttributeName,
    value: &str,
    normalized: &str,
) {
    let mut of_attribute: Vec<LineageEntry> = Vec::new();
    lineage.retain(|entry| {
        if entry.attribute == attribute {
            of_attribute.push(entry.clone());
            false
        } else {
            true
        }
    });
    of_attribute.sort_by_key(|entry| entry.ordinal);
    let record_id = match of_attribute
        .iter()
        .position(|entry| entry.normalized == normalized)
    {
        Some(index) => of_attribute.remove(index).record_id,
        None => 0,
    };
    let mut seen = HashSet::new();
    let ordered = std::iter::once(pinned_entry(attribute, 0, value, normalized, record_id))
        .chain(of_attribute)
        .filter(|entry| seen.insert(entry.normalized.clone()));
    for (ordinal, mut entry) in ordered.enumerate() {
        entry.ordinal = ordinal as i64;
        lineage.push(entry);
    }
}

fn pinned_entry(
    attribute: AttributeName,
    ordinal: i64,
    value: &str,
    normalized: &str,
    record_id: i64,
) -> LineageEntry {
    LineageEntry {
        attribute,
        ordinal,
        value: value.to_owned(),
        normalized: normalized.to_owned(),
        record_id,
        rule: SurvivorshipRule::StewardPin,
    }
}

#[cfg(test)]
mod tests {
    use c360_model::golden::GoldenAttributes;

    use super::*;

    fn pin(attribute: &str, value: &str) -> PinRow {
        PinRow {
            golden_id: "g".into(),
            attribute: attribute.into(),
            value: value.into(),
            reason: "verified by phone".into(),
            actor: "ada".into(),
            expires_at: None,
            created_at: 0,
        }
    }

    fn value(
        text: &str,
        record_id: i64,
        ordinal: i64,
        attribute: AttributeName,
    ) -> (GoldenValue, LineageEntry) {
        let lineage = Lineage {
            source: "crm".into(),
            external_id: record_id.to_string(),
            rule: SurvivorshipRule::MostRecent,
            observed_at: None,
        };
        (
            GoldenValue {
                value: text.into(),
                normalized: text.to_lowercase(),
                lineage,
            },
            LineageEntry {
                attribute,
                ordinal,
                value: text.into(),
                normalized: text.to_lowercase(),
                record_id,
                rule: SurvivorshipRule::MostRecent,
            },
        )
    }

    #[test]
    fn a_pinned_email_becomes_primary_and_keeps_its_record() {
        let (first, first_lineage) = value("a@x.org", 1, 0, AttributeName::Email);
        let (second, second_lineage) = value("b@x.org", 2, 1, AttributeName::Email);
        let mut survived = Survived {
            attributes: GoldenAttributes {
                emails: vec![first, second],
                ..GoldenAttributes::default()
            },
            lineage: vec![first_lineage, second_lineage],
        };
        apply_pins(&mut survived, &[&pin("email", "B@x.org")]);
        assert_eq!(survived.attributes.emails[0].normalized, "b@x.org");
        assert_eq!(
            survived.attributes.emails[0].lineage.rule,
            SurvivorshipRule::StewardPin
        );
        assert_eq!(survived.attributes.emails.len(), 2);
        let primary = survived
            .lineage
            .iter()
            .find(|entry| entry.ordinal == 0)
            .expect("primary lineage");
        assert_eq!(
            (primary.record_id, primary.rule),
            (2, SurvivorshipRule::StewardPin)
        );
        assert_eq!(survived.lineage.len(), 2);
    }

    #[test]
    fn a_pinned_birth_date_replaces_the_survivor() {
        let (date, date_lineage) = value("1985-04-03", 3, 0, AttributeName::BirthDate);
        let mut survived = Survived {
            attributes: GoldenAttributes {
                birth_date: Some(date),
                ..GoldenAttributes::default()
            },
            lineage: vec![date_lineage],
        };
        apply_pins(&mut survived, &[&pin("birth_date", "1985-03-04")]);
        let birth_date = survived.attributes.birth_date.expect("pinned");
        assert_eq!(birth_date.value, "1985-03-04");
        assert_eq!(birth_date.lineage.external_id, "ada");
        assert_eq!(survived.lineage.len(), 1);
        assert_eq!(survived.lineage[0].rule, SurvivorshipRule::StewardPin);
    }
}
