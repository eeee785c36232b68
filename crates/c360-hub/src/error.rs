//! Errors of the hub's use cases.

use c360_model::ModelError;
use c360_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum HubError {
    /// The caller sent something unusable; `field` names it.
    #[error("invalid {field}: {reason}")]
    InvalidArgument { field: String, reason: String },
    #[error("{what} not found")]
    NotFound { what: String },
    /// An optimistic-concurrency check failed: `what` changed since the
    /// caller read it (a stale version). Nothing was written.
    #[error("{what} changed since it was read (stale version); reload and retry")]
    Conflict { what: String },
    /// The request is well formed but the state does not allow it (a task
    /// already resolved, a record that is not a member).
    #[error("{reason}")]
    FailedPrecondition { reason: String },
    /// The database cannot be reached right now (pool exhausted, connection lost).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(StoreError),
    /// A broken invariant inside the hub (a bug, not bad input).
    #[error("internal error: {0}")]
    Internal(String),
}

impl HubError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidArgument {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }

    pub fn conflict(what: impl Into<String>) -> Self {
        Self::Conflict { what: what.into() }
    }

    pub fn failed_precondition(reason: impl Into<String>) -> Self {
        Self::FailedPrecondition {
            reason: reason.into(),
        }
    }
}

impl From<c360_match::MatchError> for HubError {
    fn from(error: c360_match::MatchError) -> Self {
        match error {
            c360_match::MatchError::Config { field, reason } => {
                Self::InvalidArgument { field, reason }
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<ModelError> for HubError {
    fn from(error: ModelError) -> Self {
        Self::InvalidArgument {
            field: error.field_name().to_owned(),
            reason: error.reason(),
        }
    }
}

impl From<StoreError> for HubError {
    fn from(error: StoreError) -> Self {
        match &error {
            StoreError::Database(
                sqlx_error @ (c360_store::SqlxError::PoolTimedOut
                | c360_store::SqlxError::PoolClosed
                | c360_store::SqlxError::Io(_)),
            ) => Self::Unavailable(sqlx_error.to_string()),
            _ => Self::Store(error),
        }
    }
}

pub type HubResult<T> = Result<T, HubError>;
