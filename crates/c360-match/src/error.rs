//! Errors of the matching engine.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum MatchError {
    /// A configuration value is wrong: which one and why.
    #[error("invalid matching configuration `{field}`: {reason}")]
    Config { field: String, reason: String },
    /// A stored model could not be read.
    #[error("match model: {0}")]
    Model(String),
}

impl MatchError {
    pub fn config(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Config {
            field: field.into(),
            reason: reason.into(),
        }
    }
}
