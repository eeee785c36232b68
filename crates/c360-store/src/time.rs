//! Timestamps are stored as unix microseconds (UTC): one integer type that
//! both backends and sqlx's `Any` driver carry without conversion.

use chrono::{DateTime, Utc};

pub fn to_micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

pub fn from_micros(micros: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_micros(micros).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

pub fn now_micros() -> i64 {
    to_micros(Utc::now())
}
