//! Errors starting or running the server.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ServerError {
    #[error("telemetry: {0}")]
    Telemetry(String),
    /// A setting the server cannot run with (which key, and why).
    #[error("{0}")]
    Config(String),
    #[error("failed to build reflection: {0}")]
    Reflection(String),
    #[error("transport error: {0}")]
    Transport(#[from] tonic::transport::Error),
}
