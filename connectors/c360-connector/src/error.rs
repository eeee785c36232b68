//! Errors that stop a whole source unit (a file that cannot be opened, a
//! mapping that names no column). A bad row is not one of these: it becomes a
//! [`crate::RowError`] item and the run goes on.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    #[error("failed to read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("source {source_name}: {reason}")]
    Config { source_name: String, reason: String },
    #[error("{path}: {reason}")]
    Format { path: PathBuf, reason: String },
}

impl ConnectorError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    pub fn config(source_name: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Config {
            source_name: source_name.into(),
            reason: reason.into(),
        }
    }

    pub fn format(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Self::Format {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

pub type ConnectorResult<T> = Result<T, ConnectorError>;
