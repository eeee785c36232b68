//! What a connector yields: a source record, an activity, or a row it could
//! not read, each with the place in the source it came from.

use std::fmt;

use c360_model::{Activity, SourceRecord};

/// Where an item came from: a file, and a line (CSV/JSON Lines, 1-based) or an
/// object id (JSON documents, mailboxes) or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: Option<u64>,
    pub object: Option<String>,
}

impl Location {
    pub fn line(file: &str, line: u64) -> Self {
        Self {
            file: file.to_owned(),
            line: Some(line),
            object: None,
        }
    }

    pub fn object(file: &str, object: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: None,
            object: Some(object.into()),
        }
    }

    /// The whole file (an empty or unreadable file).
    pub fn file(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            line: None,
            object: None,
        }
    }
}

impl fmt::Display for Location {
    /// `file:line`, `file#object`, `file:line#object` or `file`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(object) = &self.object {
            write!(f, "#{object}")?;
        }
        Ok(())
    }
}

/// A row the connector could not turn into a record or activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub location: Location,
    /// The offending field (`"Email"`, `"birth_date"`, `"row"` for the row as a whole).
    pub field: String,
    pub reason: String,
    /// The row as read, so nothing is lost: the quarantine keeps it.
    pub raw: String,
}

impl RowError {
    pub fn new(
        location: Location,
        field: impl Into<String>,
        reason: impl Into<String>,
        raw: impl Into<String>,
    ) -> Self {
        Self {
            location,
            field: field.into(),
            reason: reason.into(),
            raw: raw.into(),
        }
    }
}

impl RowError {
    /// [`RowError::new`], boxed: row results stay small on the happy path.
    pub fn boxed(
        location: Location,
        field: impl Into<String>,
        reason: impl Into<String>,
        raw: impl Into<String>,
    ) -> Box<Self> {
        Box::new(Self::new(location, field, reason, raw))
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.location, self.field, self.reason)
    }
}

/// A row read, or why it could not be.
pub type RowResult<T> = Result<T, Box<RowError>>;

/// One thing read from a source. Items come in file order; a sync's
/// checkpoint counts them, so a reader must yield the same items in the same
/// order for the same file.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceItem {
    Record(Box<SourceRecord>, Location),
    Activity(Box<Activity>, Location),
    Error(Box<RowError>),
}

impl SourceItem {
    pub fn record(record: SourceRecord, location: Location) -> Self {
        Self::Record(Box::new(record), location)
    }

    pub fn activity(activity: Activity, location: Location) -> Self {
        Self::Activity(Box::new(activity), location)
    }

    pub fn error(error: RowError) -> Self {
        Self::Error(Box::new(error))
    }

    pub fn location(&self) -> &Location {
        match self {
            Self::Record(_, location) | Self::Activity(_, location) => location,
            Self::Error(error) => &error.location,
        }
    }
}
