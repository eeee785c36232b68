//! Activities: what a customer did in a source system (orders, tickets, NPS …).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::record::{MAX_ID_LEN, MAX_VALUE_LEN};

/// An amount in integer minor units (cents) and its ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub amount_minor: i64,
    pub currency: String,
}

impl Money {
    /// Checks the currency is three ASCII letters and upper-cases it.
    pub fn parse(amount_minor: i64, currency: &str) -> Result<Self, ModelError> {
        let code = currency.trim().to_ascii_uppercase();
        if code.len() != 3 || !code.bytes().all(|byte| byte.is_ascii_uppercase()) {
            return Err(ModelError::field(
                "currency",
                format!("{currency:?} is not an ISO 4217 code"),
            ));
        }
        Ok(Self {
            amount_minor,
            currency: code,
        })
    }
}

/// Digits after the decimal point of an ISO 4217 currency (0 for JPY, 3 for
/// KWD, 2 for most).
pub fn currency_exponent(currency: &str) -> u32 {
    match currency.to_ascii_uppercase().as_str() {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// The kinds of activity c360 understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Order,
    InvoicePaid,
    Refund,
    SubscriptionStarted,
    SubscriptionCancelled,
    TicketOpened,
    TicketSolved,
    CsatRating,
    NpsResponse,
    EmailOpen,
    EmailClick,
    EmailMessage,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 12] = [
        Self::Order,
        Self::InvoicePaid,
        Self::Refund,
        Self::SubscriptionStarted,
        Self::SubscriptionCancelled,
        Self::TicketOpened,
        Self::TicketSolved,
        Self::CsatRating,
        Self::NpsResponse,
        Self::EmailOpen,
        Self::EmailClick,
        Self::EmailMessage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Order => "order",
            Self::InvoicePaid => "invoice_paid",
            Self::Refund => "refund",
            Self::SubscriptionStarted => "subscription_started",
            Self::SubscriptionCancelled => "subscription_cancelled",
            Self::TicketOpened => "ticket_opened",
            Self::TicketSolved => "ticket_solved",
            Self::CsatRating => "csat_rating",
            Self::NpsResponse => "nps_response",
            Self::EmailOpen => "email_open",
            Self::EmailClick => "email_click",
            Self::EmailMessage => "email_message",
        }
    }

    /// Kinds that carry money must have an amount.
    pub fn needs_amount(self) -> bool {
        matches!(self, Self::Order | Self::InvoicePaid | Self::Refund)
    }

    /// The valid score range for kinds that carry a score.
    pub fn score_range(self) -> Option<(i32, i32)> {
        match self {
            Self::NpsResponse => Some((0, 10)),
            // CSAT as the support desks send it: 1 = bad/unsatisfied … 5 = good.
            Self::CsatRating => Some((1, 5)),
            _ => None,
        }
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ActivityKind {
    type Err = ModelError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
            .ok_or_else(|| ModelError::field("kind", format!("unknown activity kind {value:?}")))
    }
}

/// One thing a customer did, as recorded by a source system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub source: String,
    /// The activity's id in its source (order number, ticket id …): the
    /// idempotency key together with `source`.
    pub external_id: String,
    /// The source record (same source) of the customer it belongs to.
    pub record_external_id: String,
    pub kind: ActivityKind,
    pub occurred_at: DateTime<Utc>,
    #[serde(default)]
    pub amount: Option<Money>,
    /// NPS 0–10 or CSAT 1–5.
    #[serde(default)]
    pub score: Option<i32>,
    /// A short human line: "Order #1042", a ticket subject.
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

impl Activity {
    pub fn validate(&self) -> Result<(), ModelError> {
        for (field, value) in [
            ("source", &self.source),
            ("external_id", &self.external_id),
            ("record_external_id", &self.record_external_id),
        ] {
            if value.trim().is_empty() {
                return Err(ModelError::field(field, "must not be empty"));
            }
            if value.len() > MAX_ID_LEN {
                return Err(ModelError::field(
                    field,
                    format!("longer than {MAX_ID_LEN} bytes"),
                ));
            }
        }
        if self.summary.len() > MAX_VALUE_LEN {
            return Err(ModelError::field(
                "summary",
                format!("longer than {MAX_VALUE_LEN} bytes"),
            ));
        }
        if self.kind.needs_amount() && self.amount.is_none() {
            return Err(ModelError::field(
                "amount",
                format!("a {} needs an amount", self.kind),
            ));
        }
        match (self.kind.score_range(), self.score) {
            (Some((low, high)), Some(score)) if score < low || score > high => {
                return Err(ModelError::field(
                    "score",
                    format!("{score} is outside {low}..={high} for a {}", self.kind),
                ));
            }
            (Some(_), None) => {
                return Err(ModelError::field(
                    "score",
                    format!("a {} needs a score", self.kind),
                ));
            }
            (None, Some(_)) => {
                return Err(ModelError::field(
                    "score",
                    format!("a {} carries no score", self.kind),
                ));
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nps(score: Option<i32>) -> Activity {
        Activity {
            source: "survey".into(),
            external_id: "r1".into(),
            record_external_id: "p1".into(),
            kind: ActivityKind::NpsResponse,
            occurred_at: DateTime::<Utc>::UNIX_EPOCH,
            amount: None,
            score,
            summary: String::new(),
            attributes: BTreeMap::new(),
        }
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in ActivityKind::ALL {
            assert_eq!(kind.as_str().parse::<ActivityKind>(), Ok(kind));
        }
        assert!("purchase".parse::<ActivityKind>().is_err());
    }

    #[test]
    fn nps_scores_are_bounded() {
        assert_eq!(nps(Some(10)).validate(), Ok(()));
        assert_eq!(
            nps(Some(11))
                .validate()
                .expect_err("out of range")
                .field_name(),
            "score"
        );
        assert_eq!(
            nps(None).validate().expect_err("missing").field_name(),
            "score"
        );
    }

    #[test]
    fn money_wants_iso_currency() {
        assert_eq!(
            Money::parse(1999, "eur").map(|m| m.currency),
            Ok("EUR".to_owned())
        );
        assert!(Money::parse(1999, "euro").is_err());
    }
}
