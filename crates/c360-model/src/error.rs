//! Errors raised while parsing or normalizing domain values.

use thiserror::Error;

/// What was wrong with a value handed to the model.
///
/// Every variant names the offending field so that callers can turn it into
/// a field violation (gRPC) or a quarantined row (ingest) without guessing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ModelError {
    #[error("{field}: {reason}")]
    InvalidField { field: String, reason: String },
    #[error("invalid e-mail address {value:?}: {reason}")]
    InvalidEmail { value: String, reason: String },
    #[error("invalid phone number {value:?}: {reason}")]
    InvalidPhone { value: String, reason: String },
    #[error("invalid golden id {0:?}: expected a UUID")]
    InvalidGoldenId(String),
}

impl ModelError {
    /// Shorthand for an [`ModelError::InvalidField`].
    pub fn field(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidField {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// Why the value was refused, without the field name.
    pub fn reason(&self) -> String {
        match self {
            Self::InvalidField { reason, .. } => reason.clone(),
            other => other.to_string(),
        }
    }

    /// The field this error is about, as a dotted path.
    pub fn field_name(&self) -> &str {
        match self {
            Self::InvalidField { field, .. } => field,
            Self::InvalidEmail { .. } => "emails",
            Self::InvalidPhone { .. } => "phones",
            Self::InvalidGoldenId(_) => "golden_id",
        }
    }
}
