//! The JSON Lines ingest format read by `c360 ingest FILE` and the demo.
//!
//! One JSON object per line, tagged by `"type"`:
//!
//! ```text
//! {"type":"record","source":"billing","external_id":"cus_1","given_name":"Ada","emails":["ada@example.com"]}
//! {"type":"activity","source":"billing","external_id":"in_1","record_external_id":"cus_1","kind":"invoice_paid","occurred_at":"2026-01-05T10:00:00Z","amount":{"amount_minor":4900,"currency":"EUR"}}
//! ```
//!
//! Record fields are those of [`SourceRecord`], activity fields those of
//! [`Activity`]. Blank lines and lines starting with `#` are skipped.

use serde::{Deserialize, Serialize};

use crate::activity::Activity;
use crate::record::SourceRecord;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum IngestLine {
    Record(SourceRecord),
    Activity(Activity),
}

/// Parses one line; `Ok(None)` for blank and comment lines.
pub fn parse_ingest_line(line: &str) -> Result<Option<IngestLine>, serde_json::Error> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    serde_json::from_str(trimmed).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records_activities_and_skips_comments() {
        let record = parse_ingest_line(
            r#"{"type":"record","source":"crm","external_id":"7","full_name":"Zoë Ørsted"}"#,
        );
        assert!(matches!(record, Ok(Some(IngestLine::Record(r))) if r.full_name == "Zoë Ørsted"));
        let activity = parse_ingest_line(
            r#"{"type":"activity","source":"crm","external_id":"o1","record_external_id":"7","kind":"order","occurred_at":"2026-01-05T10:00:00Z","amount":{"amount_minor":100,"currency":"EUR"}}"#,
        );
        assert!(matches!(activity, Ok(Some(IngestLine::Activity(_)))));
        assert!(matches!(parse_ingest_line("# comment"), Ok(None)));
        assert!(parse_ingest_line("{\"type\":\"nope\"}").is_err());
    }
}
