//! Errors of the lifecycle models.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum LifecycleError {
    /// A line of a transaction file could not be read: where and why, so the
    /// file can be fixed by hand.
    #[error("line {line}: {reason}")]
    MalformedLine { line: usize, reason: String },
    /// The transaction source itself failed (not one line of it).
    #[error("failed to read transactions: {0}")]
    Io(#[from] std::io::Error),
    /// An input the models cannot use (negative age, recency after age, a
    /// period of zero days, …): which field and why.
    #[error("invalid `{field}`: {reason}")]
    InvalidInput { field: &'static str, reason: String },
    /// A model was asked to fit without a single usable customer.
    #[error("no customers to fit the {model} model on")]
    NoData { model: &'static str },
    /// The likelihood could not be evaluated anywhere the optimizer looked.
    #[error("failed to fit the {model} model: {reason}")]
    FitFailed { model: &'static str, reason: String },
}

impl LifecycleError {
    pub fn malformed(line: usize, reason: impl Into<String>) -> Self {
        Self::MalformedLine {
            line,
            reason: reason.into(),
        }
    }

    pub fn invalid_input(field: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field,
            reason: reason.into(),
        }
    }
}
