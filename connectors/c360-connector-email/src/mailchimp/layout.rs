//! Which Mailchimp file a CSV is, from its name and header: an audience
//! export (one status per file, or a `Status` column in the account
//! export's member lists) or a campaign's granular open/click activity.
//! Also the default column mapping of audience exports.

use std::path::Path;

use c360_connector::FieldMapping;
use c360_connector::mapping::header_key;
use c360_model::ActivityKind;

/// What the rows of one file become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// Members: one record per row. `status` comes from the file name
    /// (`subscribed_members_export_….csv`); `None` when the name does not
    /// say (then a `Status` column may).
    Audience { status: Option<&'static str> },
    /// One open or click per row, of one campaign.
    Activity {
        kind: ActivityKind,
        campaign: Campaign,
    },
}

/// The campaign a granular activity file belongs to, from its name
/// `<campaign web id>_<campaign name>.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    /// Part of every activity id: short, stable, id-safe.
    pub id: String,
    pub name: String,
}

/// Member statuses a file name can start with. Longer names first:
/// `unsubscribed_…` and `nonsubscribed_…` also contain `subscribed`.
const STATUS_PREFIXES: [(&str, &str); 9] = [
    ("unsubscribed", "unsubscribed"),
    ("nonsubscribed", "nonsubscribed"),
    ("non_subscribed", "nonsubscribed"),
    ("non-subscribed", "nonsubscribed"),
    ("subscribed", "subscribed"),
    ("cleaned", "cleaned"),
    ("pending", "pending"),
    ("archived", "archived"),
    ("transactional", "transactional"),
];

/// System columns only audience exports have.
const AUDIENCE_COLUMNS: [&str; 6] = [
    "MEMBER_RATING",
    "OPTIN_TIME",
    "LAST_CHANGED",
    "LEID",
    "EUID",
    "Status",
];

/// Candidate columns of the member's address in activity files.
pub const ACTIVITY_EMAIL_COLUMNS: [&str; 3] = ["Email", "Email Address", "E-mail"];

/// The member status a file name announces.
pub fn status_from_file_name(path: &Path) -> Option<&'static str> {
    let stem = path.file_stem()?.to_str()?.to_ascii_lowercase();
    STATUS_PREFIXES.iter().find_map(|(prefix, status)| {
        let rest = stem.strip_prefix(prefix)?;
        (rest.is_empty() || rest.starts_with(['_', '-', ' '])).then_some(*status)
    })
}

/// Classifies a file by its name and header; `Err` says why it is neither.
pub fn classify(path: &Path, headers: &[String]) -> Result<FileKind, String> {
    let keys: Vec<String> = headers.iter().map(|header| header_key(header)).collect();
    let has = |column: &str| keys.contains(&header_key(column));
    let has_email = ACTIVITY_EMAIL_COLUMNS.iter().any(|column| has(column));
    if has("Timestamp") && has_email {
        let lower_path = path.display().to_string().to_ascii_lowercase();
        let kind = if has("Url") || lower_path.contains("click") {
            ActivityKind::EmailClick
        } else {
            ActivityKind::EmailOpen
        };
        return Ok(FileKind::Activity {
            kind,
            campaign: campaign_of(path),
        });
    }
    let status = status_from_file_name(path);
    let audience_columns = AUDIENCE_COLUMNS.iter().any(|column| has(column));
    if has_email && (status.is_some() || audience_columns) {
        return Ok(FileKind::Audience { status });
    }
    Err(format!(
        "not a Mailchimp export: an audience export has `Email Address` and the system \
         columns (MEMBER_RATING, LAST_CHANGED, LEID …) or a file name starting with \
         subscribed_/unsubscribed_/cleaned_; granular activity has `Timestamp` and `Email` \
         (header read: {})",
        headers.join(", ")
    ))
}

/// `12345_Spring sale.csv` → id `12345`, name `Spring sale`; a name without
/// a numeric prefix is both (its id made safe and short).
pub fn campaign_of(path: &Path) -> Campaign {
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some((prefix, rest)) = stem.split_once('_')
        && !prefix.is_empty()
        && prefix.bytes().all(|byte| byte.is_ascii_alphanumeric())
        && prefix.len() <= 32
    {
        let name = if rest.trim().is_empty() { prefix } else { rest };
        return Campaign {
            id: prefix.to_owned(),
            name: name.trim().to_owned(),
        };
    }
    let safe: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let id = if safe.is_empty() || safe.len() > 40 || safe.len() != stem.len() {
        // Spaces, non-ASCII or a long name: a digest keeps the id short and
        // still the same for the same file name.
        crate::hash::md5_hex(&stem)[..12].to_owned()
    } else {
        safe
    };
    Campaign {
        id,
        name: stem.trim().to_owned(),
    }
}

/// Audience export columns → c360 attributes. The member's key (the
/// subscriber hash), status, tags and postal address need code and are set
/// in [`super::audience`].
pub fn default_mapping() -> FieldMapping {
    FieldMapping::from_pairs(&[
        ("email", &["Email Address", "Email"]),
        ("given_name", &["First Name", "FNAME"]),
        ("family_name", &["Last Name", "LNAME"]),
        ("phone", &["Phone Number", "PHONE"]),
        ("company", &["Company", "COMPANY"]),
        ("updated_at", &["LAST_CHANGED"]),
        // MM/DD without a year: not a birth date.
        ("attribute:birthday", &["Birthday", "BIRTHDAY"]),
        ("attribute:member_rating", &["MEMBER_RATING"]),
        ("attribute:optin_time", &["OPTIN_TIME"]),
        ("attribute:confirm_time", &["CONFIRM_TIME"]),
        ("attribute:leid", &["LEID"]),
        ("attribute:euid", &["EUID"]),
        ("attribute:notes", &["NOTES"]),
        ("attribute:timezone", &["TIMEZONE"]),
        // Where the sign-up IP was, not a postal address.
        ("attribute:geo_country", &["CC"]),
        ("attribute:geo_region", &["REGION"]),
        ("attribute:unsub_time", &["UNSUB_TIME"]),
        ("attribute:unsub_campaign_title", &["UNSUB_CAMPAIGN_TITLE"]),
        ("attribute:unsub_campaign_id", &["UNSUB_CAMPAIGN_ID"]),
        ("attribute:unsub_reason", &["UNSUB_REASON"]),
        ("attribute:unsub_reason_other", &["UNSUB_REASON_OTHER"]),
        ("attribute:clean_time", &["CLEAN_TIME"]),
        ("attribute:clean_campaign_title", &["CLEAN_CAMPAIGN_TITLE"]),
        ("attribute:clean_campaign_id", &["CLEAN_CAMPAIGN_ID"]),
    ])
}

/// Columns read by code rather than the mapping.
pub const ADDRESS_COLUMNS: [&str; 2] = ["Address", "ADDRESS"];
pub const TAGS_COLUMNS: [&str; 2] = ["TAGS", "Tags"];
pub const STATUS_COLUMNS: [&str; 1] = ["Status"];

/// Columns never kept: where and from which IP a member signed up.
pub const DROPPED_COLUMNS: [&str; 6] = [
    "OPTIN_IP",
    "CONFIRM_IP",
    "LATITUDE",
    "LONGITUDE",
    "GMTOFF",
    "DSTOFF",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn statuses_come_from_file_names() {
        let status = |name: &str| status_from_file_name(Path::new(name));
        assert_eq!(
            status("x/subscribed_members_export_3f2a.csv"),
            Some("subscribed")
        );
        assert_eq!(
            status("unsubscribed_members_export_3f2a.csv"),
            Some("unsubscribed")
        );
        assert_eq!(
            status("cleaned_email_audience_export_9.csv"),
            Some("cleaned")
        );
        assert_eq!(
            status("nonsubscribed_email_audience_export_9.csv"),
            Some("nonsubscribed")
        );
        assert_eq!(status("subscribers.csv"), None);
        assert_eq!(status("members_47741_econome.csv"), None);
    }

    #[test]
    fn classifies_audiences_and_activity() {
        let audience = headers(&["Email Address", "First Name", "MEMBER_RATING", "LEID"]);
        assert_eq!(
            classify(Path::new("members_1_news.csv"), &audience),
            Ok(FileKind::Audience { status: None })
        );
        assert_eq!(
            classify(
                Path::new("cleaned_members_export_1.csv"),
                &headers(&["Email Address"])
            ),
            Ok(FileKind::Audience {
                status: Some("cleaned")
            })
        );
        let Ok(FileKind::Activity { kind, campaign }) = classify(
            Path::new("granular_activity/opens/81234_Bahar indirimi.csv"),
            &headers(&["Timestamp", "IP", "Email"]),
        ) else {
            panic!("an open file");
        };
        assert_eq!(kind, ActivityKind::EmailOpen);
        assert_eq!(
            (campaign.id.as_str(), campaign.name.as_str()),
            ("81234", "Bahar indirimi")
        );
        let clicks = classify(
            Path::new("81234_x.csv"),
            &headers(&["Timestamp", "Email", "Url"]),
        );
        assert!(matches!(
            clicks,
            Ok(FileKind::Activity {
                kind: ActivityKind::EmailClick,
                ..
            })
        ));
        let error = classify(Path::new("orders.csv"), &headers(&["Order", "Total"]))
            .expect_err("not mailchimp");
        assert!(error.contains("Order, Total"), "{error}");
    }

    #[test]
    fn campaign_ids_are_short_and_stable() {
        let campaign = campaign_of(Path::new("Frühlings Newsletter 2024.csv"));
        assert_eq!(campaign.id.len(), 12);
        assert_eq!(campaign.name, "Frühlings Newsletter 2024");
        assert_eq!(campaign_of(Path::new("spring-sale.csv")).id, "spring-sale");
    }
}
