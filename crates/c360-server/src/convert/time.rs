//! `google.protobuf.Timestamp` ⇄ chrono and unix microseconds.

use chrono::{DateTime, Utc};
use prost_types::Timestamp;

/// Converts a client timestamp; `None` when it is out of range.
pub fn from_proto(timestamp: &Timestamp) -> Option<DateTime<Utc>> {
    let nanos = u32::try_from(timestamp.nanos).ok()?;
    DateTime::<Utc>::from_timestamp(timestamp.seconds, nanos)
}

pub fn from_micros(micros: i64) -> Timestamp {
    Timestamp {
        seconds: micros.div_euclid(1_000_000),
        nanos: i32::try_from(micros.rem_euclid(1_000_000) * 1_000).unwrap_or(0),
    }
}

pub fn to_proto(at: DateTime<Utc>) -> Timestamp {
    from_micros(at.timestamp_micros())
}

/// Unix microseconds of a client timestamp.
pub fn to_micros(timestamp: &Timestamp) -> Option<i64> {
    from_proto(timestamp).map(|at| at.timestamp_micros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micros_round_trip_including_before_1970() {
        for micros in [0, 1_700_000_000_123_456, -1_500_000] {
            assert_eq!(to_micros(&from_micros(micros)), Some(micros));
        }
        assert_eq!(
            from_proto(&Timestamp {
                seconds: 0,
                nanos: -1
            }),
            None
        );
    }
}
