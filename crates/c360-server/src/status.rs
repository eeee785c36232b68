//! The one place hub errors become gRPC statuses.
//!
//! | hub error | gRPC code | what the client sees |
//! |---|---|---|
//! | `InvalidArgument` | `INVALID_ARGUMENT` | the field and why, also as a google.rpc `BadRequest` |
//! | `NotFound` | `NOT_FOUND` | what was not found |
//! | `Conflict` | `ABORTED` | what changed since it was read (stale version) |
//! | `FailedPrecondition` | `FAILED_PRECONDITION` | why the state does not allow it |
//! | `Unavailable` | `UNAVAILABLE` | retry later |
//! | `Store` | `INTERNAL` | a generic message; the cause is logged here, once |
//! | `Internal` | `INTERNAL` | a generic message; the cause is logged here, once |

use c360_hub::HubError;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

/// A bad request naming `field`.
pub fn invalid_argument(field: &str, reason: &str) -> Status {
    let mut details = ErrorDetails::new();
    details.add_bad_request_violation(field, reason);
    Status::with_error_details(
        Code::InvalidArgument,
        format!("invalid {field}: {reason}"),
        details,
    )
}

pub fn hub_error_to_status(error: HubError) -> Status {
    match error {
        HubError::InvalidArgument { field, reason } => invalid_argument(&field, &reason),
        HubError::NotFound { what } => Status::not_found(format!("{what} not found")),
        conflict @ HubError::Conflict { .. } => Status::aborted(conflict.to_string()),
        HubError::FailedPrecondition { reason } => Status::failed_precondition(reason),
        HubError::Unavailable(cause) => {
            tracing::error!(error = %cause, "database unavailable");
            Status::unavailable("the database is unavailable; retry later")
        }
        HubError::Store(store_error) => {
            tracing::error!(error = %store_error, "storage error");
            Status::internal("an internal storage error occurred")
        }
        HubError::Internal(message) => {
            tracing::error!(error = %message, "internal error");
            Status::internal("an internal error occurred")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_arguments_carry_the_field() {
        let status = hub_error_to_status(HubError::invalid("golden_id", "expected a UUID"));
        assert_eq!(status.code(), Code::InvalidArgument);
        let details = status.get_error_details();
        let violations = details
            .bad_request()
            .map(|bad| bad.field_violations.clone())
            .unwrap_or_default();
        assert_eq!(violations[0].field, "golden_id");
        assert!(status.message().contains("golden_id"));
    }

    #[test]
    fn stale_versions_abort() {
        let status = hub_error_to_status(HubError::conflict("review task 7"));
        assert_eq!(status.code(), Code::Aborted);
        assert!(status.message().contains("review task 7"));
        let status = hub_error_to_status(HubError::not_found("review task 7"));
        assert_eq!(status.code(), Code::NotFound);
    }

    #[test]
    fn internal_errors_do_not_leak() {
        let status = hub_error_to_status(HubError::Internal("secret detail".into()));
        assert_eq!(status.code(), Code::Internal);
        assert!(!status.message().contains("secret"));
    }
}
