//! One message's header section → items: a record for each correspondent
//! not seen before in this file, then the message as an `email_message`
//! activity of its correspondent (the sender of an inbound message, the
//! first recipient of an outbound one).

use std::collections::{BTreeMap, HashSet};

use c360_connector::{Location, RowError, SourceItem};
use c360_model::{Activity, ActivityKind};
use chrono::{DateTime, NaiveDateTime, Utc};
use mail_parser::{Address, HeaderName, MessageParser};

use super::correspondent::{Filters, display_name, normalize_address, record_of};
use super::split::{MAX_HEADER_BYTES, RawMessage};
use crate::hash::md5_hex;

/// Longest Message-ID used as an activity id as is (ids are capped at 256).
const MAX_MESSAGE_ID_LEN: usize = 200;
/// Longest summary kept (a subject is a line, not a document).
const MAX_SUMMARY_CHARS: usize = 1000;
/// Longest raw header text kept with an error.
const MAX_RAW_CHARS: usize = 4000;

/// What reading one file shares between its messages.
pub struct MessageReader {
    pub file: String,
    pub source: String,
    pub filters: Filters,
    /// Correspondents already emitted from this file.
    seen: HashSet<String>,
    parser: MessageParser,
}

/// One address of a message, as read.
struct Party {
    address: String,
    name: Option<String>,
}

impl MessageReader {
    pub fn new(file: &str, source: &str, filters: Filters) -> Self {
        Self {
            file: file.to_owned(),
            source: source.to_owned(),
            filters,
            seen: HashSet::new(),
            parser: MessageParser::new(),
        }
    }

    /// The items of the `ordinal`-th (1-based) message of the file.
    pub fn items(&mut self, raw: &RawMessage, ordinal: u64) -> Vec<SourceItem> {
        let mut location = Location {
            file: self.file.clone(),
            line: raw.envelope.as_ref().map(|_| raw.line),
            object: Some(format!("message-{ordinal}")),
        };
        let raw_text = || {
            String::from_utf8_lossy(&raw.headers)
                .chars()
                .take(MAX_RAW_CHARS)
                .collect::<String>()
        };
        let error = |location: &Location, field: &str, reason: String| {
            SourceItem::error(RowError::new(location.clone(), field, reason, raw_text()))
        };
        if raw.oversized {
            return vec![error(
                &location,
                "headers",
                format!("the header section is longer than {MAX_HEADER_BYTES} bytes"),
            )];
        }
        let parsed = self
            .parser
            .parse_headers(&raw.headers)
            .filter(|message| !message.headers().is_empty());
        let Some(parsed) = parsed else {
            return vec![error(
                &location,
                "message",
                "no RFC 5322 header fields: not an e-mail message".into(),
            )];
        };
        let message_id = parsed
            .message_id()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
        if let Some(id) = &message_id {
            location.object = Some(id.clone());
        }

        let from = parties(parsed.from());
        let reply_to = parties(parsed.reply_to());
        let to = parties(parsed.to());
        let cc = parties(parsed.cc());
        let mut items = Vec::new();
        for party in from.iter().chain(&reply_to).chain(&to).chain(&cc) {
            if self.filters.is_correspondent(&party.address)
                && self.seen.insert(party.address.clone())
            {
                items.push(SourceItem::record(
                    record_of(&self.source, &party.address, party.name.as_deref()),
                    location.clone(),
                ));
            }
        }

        let Some(sender) = from.first() else {
            items.push(error(
                &location,
                "From",
                "the message has no sender address".into(),
            ));
            return items;
        };
        let outbound = self.filters.is_own(&sender.address);
        let counterpart = if outbound {
            to.iter()
                .chain(&cc)
                .find(|party| self.filters.is_correspondent(&party.address))
        } else {
            Some(sender).filter(|party| self.filters.is_correspondent(&party.address))
        };
        // A note to oneself, or a sender the source skips: no customer to
        // attach the message to.
        let Some(counterpart) = counterpart else {
            return items;
        };

        let mut attributes = BTreeMap::from([
            (
                "direction".to_owned(),
                if outbound { "outbound" } else { "inbound" }.to_owned(),
            ),
            ("from".to_owned(), sender.address.clone()),
        ]);
        for (key, list) in [("to", &to), ("cc", &cc)] {
            if !list.is_empty() {
                let joined: Vec<&str> = list.iter().map(|party| party.address.as_str()).collect();
                attributes.insert(key.to_owned(), joined.join(", "));
            }
        }
        let occurred_at = match parsed.date().filter(|date| date.is_valid()) {
            Some(date) => DateTime::from_timestamp(date.to_timestamp(), 0),
            None => None,
        };
        let occurred_at = match occurred_at {
            Some(at) => at,
            None => match raw.envelope.as_deref().and_then(envelope_date) {
                Some(at) => {
                    attributes.insert("date_from".into(), "mbox envelope".into());
                    at
                }
                None => {
                    let reason = match parsed.header_raw(HeaderName::Date) {
                        Some(value) => format!("{:?} is not an RFC 5322 date", value.trim()),
                        None => "the message has no Date header".to_owned(),
                    };
                    items.push(error(&location, "Date", reason));
                    return items;
                }
            },
        };
        let subject = parsed.subject().map(str::trim).unwrap_or_default();
        let external_id = match &message_id {
            Some(id) if id.len() <= MAX_MESSAGE_ID_LEN && !id.chars().any(char::is_control) => {
                id.clone()
            }
            Some(id) => format!("msgid-{}", md5_hex(id)),
            None => format!(
                "msg-{}",
                md5_hex(&format!(
                    "{}\n{}\n{subject}",
                    occurred_at.to_rfc3339(),
                    sender.address
                ))
            ),
        };
        items.push(SourceItem::activity(
            Activity {
                source: self.source.clone(),
                external_id,
                record_external_id: counterpart.address.clone(),
                kind: ActivityKind::EmailMessage,
                occurred_at,
                amount: None,
                score: None,
                summary: subject.chars().take(MAX_SUMMARY_CHARS).collect(),
                attributes,
            },
            location,
        ));
        items
    }
}

/// The usable addresses of one header, in order.
fn parties(header: Option<&Address<'_>>) -> Vec<Party> {
    let Some(header) = header else {
        return Vec::new();
    };
    header
        .iter()
        .filter_map(|addr| {
            let address = normalize_address(addr.address()?)?;
            let name = display_name(addr.name(), &address);
            Some(Party { address, name })
        })
        .collect()
}

/// The date of an mbox separator, `sender Wed Jan  3 01:05:34 1996`
/// (asctime, UTC by convention). The weekday is ignored: writers get it
/// wrong and the date says the same without it.
fn envelope_date(envelope: &str) -> Option<DateTime<Utc>> {
    let mut words = envelope.split_whitespace().skip(1).peekable();
    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    if words.peek().is_some_and(|word| WEEKDAYS.contains(word)) {
        words.next();
    }
    let date = words.collect::<Vec<_>>().join(" ");
    NaiveDateTime::parse_from_str(&date, "%b %d %H:%M:%S %Y")
        .ok()
        .map(|naive| naive.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(headers: &str, envelope: Option<&str>) -> RawMessage {
        let text = match envelope {
            Some(envelope) => format!("From {envelope}\n{headers}\n\nbody\n"),
            None => format!("{headers}\n\nbody\n"),
        };
        super::super::split::MessageSplitter::new(text.as_bytes())
            .next()
            .expect("one message")
            .expect("read")
    }

    fn reader(own: &[&str]) -> MessageReader {
        let own: Vec<String> = own.iter().map(|own| (*own).to_owned()).collect();
        MessageReader::new("inbox.mbox", "mail", Filters::new(&own, true))
    }

    #[test]
    fn inbound_message_with_encoded_names() {
        let mut reader = reader(&["me@shop.example"]);
        let message = raw(
            "From: =?UTF-8?B?QXnFn2UgWcSxbG1heg==?= <Ayse@Mail.example>\nTo: Me <me@shop.example>\nCc: =?ISO-8859-9?Q?=DEule_Demir?= <sule@mail.example>\nSubject: =?UTF-8?Q?Sipari=C5=9F?=\nDate: Tue, 5 Mar 2024 10:11:12 +0300\nMessage-ID: <abc@mail.example>",
            None,
        );
        let items = reader.items(&message, 1);
        assert_eq!(items.len(), 3, "{items:?}");
        let SourceItem::Record(ayse, location) = &items[0] else {
            panic!("a record first");
        };
        assert_eq!(ayse.external_id, "ayse@mail.example");
        assert_eq!(
            (ayse.given_name.as_str(), ayse.family_name.as_str()),
            ("Ayşe", "Yılmaz")
        );
        assert_eq!(location.object.as_deref(), Some("abc@mail.example"));
        let SourceItem::Record(sule, _) = &items[1] else {
            panic!("the cc'd correspondent");
        };
        assert_eq!(sule.given_name, "Şule");
        let SourceItem::Activity(activity, _) = &items[2] else {
            panic!("then the message");
        };
        assert_eq!(activity.external_id, "abc@mail.example");
        assert_eq!(activity.record_external_id, "ayse@mail.example");
        assert_eq!(activity.summary, "Sipariş");
        assert_eq!(
            activity.occurred_at.to_rfc3339(),
            "2024-03-05T07:11:12+00:00"
        );
        assert_eq!(activity.attributes["direction"], "inbound");

        // The same correspondent again: no second record.
        let again = raw(
            "From: ayse@mail.example\nTo: me@shop.example\nDate: Wed, 6 Mar 2024 10:00:00 +0000\nSubject: Re",
            None,
        );
        let items = reader.items(&again, 2);
        assert_eq!(items.len(), 1);
        let SourceItem::Activity(activity, _) = &items[0] else {
            panic!("only the message");
        };
        assert!(activity.external_id.starts_with("msg-"));
    }

    #[test]
    fn outbound_and_skipped_senders() {
        let mut reader = reader(&["me@shop.example"]);
        let sent = raw(
            "From: me@shop.example\nTo: noreply@bank.example, Chen Wei <wei.chen@mail.example>\nDate: Tue, 5 Mar 2024 10:11:12 +0000",
            None,
        );
        let items = reader.items(&sent, 1);
        assert_eq!(items.len(), 2);
        let SourceItem::Activity(activity, _) = &items[1] else {
            panic!("the message");
        };
        assert_eq!(activity.record_external_id, "wei.chen@mail.example");
        assert_eq!(activity.attributes["direction"], "outbound");
        let from_robot = raw(
            "From: noreply@bank.example\nTo: me@shop.example\nDate: Tue, 5 Mar 2024 10:11:12 +0000",
            None,
        );
        assert!(reader.items(&from_robot, 2).is_empty());
    }

    #[test]
    fn dates_fall_back_to_the_envelope_or_fail() {
        assert_eq!(
            envelope_date("x@y.z Jan 3 01:05:34 1996").map(|at| at.to_rfc3339()),
            Some("1996-01-03T01:05:34+00:00".into())
        );
        let mut reader = reader(&[]);
        let message = raw(
            "From: a@mail.example\nDate: sometime soon",
            Some("a@mail.example Sat Jan  3 01:05:34 1996"),
        );
        let items = reader.items(&message, 1);
        let SourceItem::Activity(activity, location) = &items[1] else {
            panic!("the message: {items:?}");
        };
        assert_eq!(
            activity.occurred_at.to_rfc3339(),
            "1996-01-03T01:05:34+00:00"
        );
        assert_eq!(location.line, Some(1));
        let lone = raw("From: b@mail.example\nDate: sometime soon", None);
        let items = reader.items(&lone, 2);
        let SourceItem::Error(error) = &items[1] else {
            panic!("a date error: {items:?}");
        };
        assert_eq!(error.field, "Date");
        assert!(error.reason.contains("sometime soon"), "{}", error.reason);
    }

    #[test]
    fn garbage_is_one_error() {
        let mut reader = reader(&[]);
        let message = raw("\u{1}\u{2}binary garbage without colon", None);
        let items = reader.items(&message, 1);
        assert_eq!(items.len(), 1);
        assert!(matches!(&items[0], SourceItem::Error(_)));
    }
}
