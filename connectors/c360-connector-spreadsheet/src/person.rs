//! Tidying what hand-kept cells hold after mapping: several e-mails or
//! phones in one cell, titles inside the name ("Dr. Hans Müller"), the German
//! habit of "Vorname" + "Name" (where "Name" is the family name), and the
//! customer id when the list has none.

use c360_connector::transform::international_phone;
use c360_model::SourceRecord;

/// Titles and salutations written before a name; stored as the `title`
/// attribute, not as part of the given name. Compared without case and
/// trailing dot. ("Don" and "M." are left out: names and initials too.)
const TITLES: [&str; 24] = [
    "dr",
    "prof",
    "herr",
    "frau",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sir",
    "dame",
    "bay",
    "bayan",
    "sayın",
    "mme",
    "mlle",
    "sr",
    "sra",
    "srta",
    "dipl.-ing",
    "ing",
    "mag",
    "av",
    "op.dr",
];

/// The attribute a stripped title is kept under.
pub const TITLE_ATTRIBUTE: &str = "title";

/// Splits cells that hold several e-mails or phones, takes titles out of the
/// name and reads a lone "Name" beside a given name as the family name.
pub fn tidy(record: &mut SourceRecord, default_country: &str) {
    record.emails = split_emails(&record.emails);
    let country = if default_country.is_empty() {
        record
            .addresses
            .first()
            .map(|address| address.country.clone())
            .unwrap_or_default()
    } else {
        default_country.to_owned()
    };
    record.phones = split_phones(&record.phones, &country);
    let titles = strip_titles(&mut record.given_name);
    if !titles.is_empty() {
        record
            .attributes
            .entry(TITLE_ATTRIBUTE.to_owned())
            .or_insert(titles);
    }
    split_han_name(record);
    let given = record.given_name.trim().to_lowercase();
    if record.family_name.is_empty()
        && !given.is_empty()
        && !record.full_name.is_empty()
        && !record.full_name.to_lowercase().contains(&given)
    {
        record.family_name = std::mem::take(&mut record.full_name);
    }
}

/// A Chinese name written without a space ("王伟") is family name first:
/// one-character family name, the rest given (two-character family names
/// such as 欧阳 are rare; the hub compares the full name too).
fn split_han_name(record: &mut SourceRecord) {
    let name = record.given_name.trim();
    let count = name.chars().count();
    let han =
        |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c);
    if record.family_name.is_empty() && (2..=4).contains(&count) && name.chars().all(han) {
        let split = name.chars().next().map_or(0, char::len_utf8);
        let (family, given) = name.split_at(split);
        record.family_name = family.to_owned();
        record.given_name = given.to_owned();
    }
}

/// "a@x.de; b@y.com", "a@x.de, b@y.com", "a@x.de b@y.com" → two e-mails.
fn split_emails(cells: &[String]) -> Vec<String> {
    let mut emails: Vec<String> = Vec::new();
    for cell in cells {
        for part in cell.split(|c: char| c == ';' || c == ',' || c.is_whitespace()) {
            let part = part.trim_matches(|c| c == '<' || c == '>');
            let part = part.strip_prefix("mailto:").unwrap_or(part).trim();
            if !part.is_empty() && !emails.iter().any(|seen| seen == part) {
                emails.push(part.to_owned());
            }
        }
    }
    emails
}

/// Phones separated by `;`, `,` or a line break in one cell. (Not `/`:
/// "030/1234567" is one German number.)
fn split_phones(phones: &[String], country: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for phone in phones {
        let parts: Vec<String> = if phone.contains([';', ',', '\n']) {
            phone
                .split([';', ',', '\n'])
                .map(|part| international_phone(part, country))
                .filter(|part| !part.is_empty())
                .collect()
        } else {
            vec![phone.clone()]
        };
        for part in parts {
            if !out.contains(&part) {
                out.push(part);
            }
        }
    }
    out
}

/// Takes leading titles off `given` and returns them ("Prof. Dr.").
fn strip_titles(given: &mut String) -> String {
    let words: Vec<&str> = given.split_whitespace().collect();
    let count = words
        .iter()
        .take_while(|word| {
            let bare = word.trim_end_matches('.').to_lowercase();
            TITLES.contains(&bare.as_str())
        })
        .count();
    if count == 0 {
        return String::new();
    }
    let titles = words[..count].join(" ");
    *given = words[count..].join(" ");
    titles
}

/// The record's id when the list has no id column (or the cell is blank):
/// the first e-mail, lower-cased; else a hash of the name and first phone.
/// A row's position is deliberately not used: inserting a row above would
/// give every customer below a new id. `None` when the row names nobody.
pub fn derived_id(record: &SourceRecord) -> Option<String> {
    if let Some(email) = record.emails.iter().find(|email| email.contains('@')) {
        return Some(email.to_lowercase());
    }
    let name = [&record.given_name, &record.family_name, &record.full_name]
        .iter()
        .flat_map(|part| part.split_whitespace())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    let phone = record
        .phones
        .first()
        .map(String::as_str)
        .unwrap_or_default();
    if name.is_empty() && phone.is_empty() {
        return None;
    }
    Some(format!("hash-{:016x}", fnv1a(&format!("{name}|{phone}"))))
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms (unlike
/// `DefaultHasher`), and an id needs no cryptographic hash.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> SourceRecord {
        SourceRecord {
            source: "sheet".into(),
            ..SourceRecord::default()
        }
    }

    #[test]
    fn splits_emails_and_phones() {
        let mut person = record();
        person.emails = vec!["a@x.de; b@y.com,c@z.org  mailto:a@x.de".into()];
        person.phones = vec![
            "0532 111 22 33; 0212 555 12 34".into(),
            "+902125551234".into(),
        ];
        tidy(&mut person, "TR");
        assert_eq!(person.emails, vec!["a@x.de", "b@y.com", "c@z.org"]);
        assert_eq!(person.phones, vec!["+905321112233", "+902125551234"]);
    }

    #[test]
    fn titles_leave_the_name() {
        let mut person = record();
        person.given_name = "Prof. Dr. Hans".into();
        person.family_name = "Müller".into();
        tidy(&mut person, "");
        assert_eq!(person.given_name, "Hans");
        assert_eq!(
            person.attributes.get("title").map(String::as_str),
            Some("Prof. Dr.")
        );
        let mut turkish = record();
        turkish.given_name = "Sayın Ayşe".into();
        tidy(&mut turkish, "");
        assert_eq!(turkish.given_name, "Ayşe");
    }

    #[test]
    fn han_names_are_family_first() {
        let mut person = record();
        person.given_name = "王伟".into();
        tidy(&mut person, "");
        assert_eq!(
            (person.family_name.as_str(), person.given_name.as_str()),
            ("王", "伟")
        );
        let mut spaced = record();
        spaced.given_name = "Li".into();
        tidy(&mut spaced, "");
        assert_eq!(spaced.given_name, "Li");
    }

    #[test]
    fn a_lone_name_beside_a_given_name_is_the_family_name() {
        let mut person = record();
        person.given_name = "Hans".into();
        person.full_name = "Müller".into();
        tidy(&mut person, "");
        assert_eq!(
            (person.family_name.as_str(), person.full_name.as_str()),
            ("Müller", "")
        );
        let mut whole = record();
        whole.given_name = "Hans".into();
        whole.full_name = "Hans Müller".into();
        tidy(&mut whole, "");
        assert_eq!(whole.full_name, "Hans Müller");
    }

    #[test]
    fn ids_prefer_email_then_name_and_phone() {
        let mut person = record();
        assert_eq!(derived_id(&person), None);
        person.given_name = "Ayşe".into();
        person.family_name = "Yılmaz".into();
        person.phones = vec!["+905321112233".into()];
        let by_name = derived_id(&person).expect("id");
        assert!(
            by_name.starts_with("hash-") && by_name.len() == 21,
            "{by_name}"
        );
        // Spacing and case do not change it.
        person.given_name = " ayşe ".into();
        assert_eq!(derived_id(&person), Some(by_name));
        person.emails = vec!["n/a".into(), "Ayse@Example.com".into()];
        assert_eq!(derived_id(&person).as_deref(), Some("ayse@example.com"));
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
    }
}
