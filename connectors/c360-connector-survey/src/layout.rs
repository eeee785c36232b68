//! The export layouts of the survey tools this connector knows: their
//! header spellings (to find and recognize the header row), extra header
//! rows, and default field mappings.

use c360_connector::mapping::{FieldMapping, header_key};

/// One tool's CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Delighted,
    SurveyMonkey,
    Typeform,
    Qualtrics,
    GoogleForms,
    /// Anything else: the source's `mapping` says where things are.
    Generic,
}

/// Recognition order: the more distinctive headers first.
const DETECTED: [Layout; 5] = [
    Layout::Qualtrics,
    Layout::SurveyMonkey,
    Layout::Typeform,
    Layout::Delighted,
    Layout::GoogleForms,
];

impl Layout {
    /// Reads option `layout`.
    pub fn parse(value: &str) -> Option<Self> {
        match header_key(value).as_str() {
            "delighted" => Some(Self::Delighted),
            "surveymonkey" => Some(Self::SurveyMonkey),
            "typeform" => Some(Self::Typeform),
            "qualtrics" => Some(Self::Qualtrics),
            "googleforms" | "google" => Some(Self::GoogleForms),
            "generic" => Some(Self::Generic),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Delighted => "delighted",
            Self::SurveyMonkey => "surveymonkey",
            Self::Typeform => "typeform",
            Self::Qualtrics => "qualtrics",
            Self::GoogleForms => "google_forms",
            Self::Generic => "generic",
        }
    }

    /// Header cells as the tool writes them (matched exactly, ignoring case):
    /// Qualtrics' second header row spells its fields with spaces, so exact
    /// spellings keep the first row the header.
    pub fn known_headers(self) -> &'static [&'static str] {
        match self {
            Self::Delighted => &[
                "Response ID",
                "Email",
                "Name",
                "Score",
                "Comment",
                "Created At (UTC)",
                "Updated At (UTC)",
                "Permalink",
                "Tags",
                "Notes",
            ],
            Self::SurveyMonkey => &[
                "Respondent ID",
                "Collector ID",
                "Start Date",
                "End Date",
                "IP Address",
                "Email Address",
                "First Name",
                "Last Name",
                "Custom Data 1",
            ],
            Self::Typeform => &[
                "#",
                "Start Date (UTC)",
                "Stage Date (UTC)",
                "Submit Date (UTC)",
                "Network ID",
                "Response Type",
                "Tags",
            ],
            Self::Qualtrics => &[
                "StartDate",
                "EndDate",
                "Status",
                "IPAddress",
                "Progress",
                "Duration (in seconds)",
                "Finished",
                "RecordedDate",
                "ResponseId",
                "RecipientLastName",
                "RecipientFirstName",
                "RecipientEmail",
                "ExternalReference",
                "LocationLatitude",
                "LocationLongitude",
                "DistributionChannel",
                "UserLanguage",
            ],
            Self::GoogleForms => &["Timestamp", "Email Address"],
            Self::Generic => &[],
        }
    }

    /// How many of `cells` are this layout's header spellings.
    pub fn header_matches(self, cells: &[String]) -> usize {
        let known = self.known_headers();
        cells
            .iter()
            .filter(|cell| known.iter().any(|k| k.eq_ignore_ascii_case(cell.trim())))
            .count()
    }

    /// The layout whose telltale columns a header has, else `Generic`.
    pub fn detect(headers: &[String]) -> Self {
        let has = |name: &str| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
        DETECTED
            .into_iter()
            .find(|layout| match layout {
                Self::Qualtrics => has("ResponseId"),
                Self::SurveyMonkey => has("Respondent ID") && has("Collector ID"),
                Self::Typeform => has("Submit Date (UTC)") || has("Network ID"),
                Self::Delighted => {
                    has("Response ID")
                        && has("Score")
                        && (has("Created At (UTC)") || has("Created At"))
                }
                Self::GoogleForms => headers
                    .first()
                    .is_some_and(|first| first.trim().eq_ignore_ascii_case("Timestamp")),
                Self::Generic => false,
            })
            .unwrap_or(Self::Generic)
    }

    /// Extra header rows below the header: SurveyMonkey's answer-option row,
    /// Qualtrics' question-text and ImportId rows.
    pub fn extra_header_rows(self) -> usize {
        match self {
            Self::SurveyMonkey => 1,
            Self::Qualtrics => 2,
            _ => 0,
        }
    }

    /// Whether a row right below the header is one of those extra rows rather
    /// than a response: its id cell is not an id.
    pub fn is_extra_header(self, id_cell: &str) -> bool {
        let id = id_cell.trim();
        match self {
            // Respondent IDs are numbers; the option row leaves the cell empty.
            Self::SurveyMonkey => !id.chars().any(|c| c.is_ascii_digit()),
            // Response ids are `R_…`; the extra rows say `Response ID` and
            // `{"ImportId":"_recordId"}`.
            Self::Qualtrics => !id.starts_with("R_"),
            _ => false,
        }
    }

    /// The column holding each response's id, as the tool names it.
    pub fn response_id_column(self) -> &'static [&'static str] {
        match self {
            Self::Delighted => &["Response ID"],
            Self::SurveyMonkey => &["Respondent ID"],
            Self::Typeform => &["#"],
            Self::Qualtrics => &["ResponseId"],
            Self::GoogleForms => &[],
            Self::Generic => &["Response ID", "ResponseId", "Respondent ID", "ID"],
        }
    }

    /// Target → candidate columns for everything but the score and the
    /// comment (found by [`crate::columns`]). The source's `mapping` overrides.
    pub fn default_mapping(self) -> FieldMapping {
        let date: &[&str] = match self {
            Self::Delighted => &["Created At (UTC)", "Created At"],
            Self::SurveyMonkey => &["End Date", "Start Date"],
            Self::Typeform => &["Submit Date (UTC)", "Start Date (UTC)"],
            Self::Qualtrics => &["RecordedDate", "EndDate", "StartDate"],
            Self::GoogleForms => &["Timestamp"],
            Self::Generic => &[
                "Date",
                "Submitted At",
                "Submitted",
                "Response Date",
                "Timestamp",
                "Created At",
            ],
        };
        let pairs: Vec<(&str, &[&str])> = match self {
            Self::Delighted => vec![("email", &["Email"]), ("name", &["Name"])],
            Self::SurveyMonkey => vec![
                ("email", &["Email Address"]),
                ("given_name", &["First Name"]),
                ("family_name", &["Last Name"]),
                ("activity_attribute:collector_id", &["Collector ID"]),
            ],
            Self::Typeform => vec![("activity_attribute:network_id", &["Network ID"])],
            Self::Qualtrics => vec![
                ("email", &["RecipientEmail"]),
                ("given_name", &["RecipientFirstName"]),
                ("family_name", &["RecipientLastName"]),
                ("attribute:language", &["UserLanguage"]),
                (
                    "activity_attribute:distribution_channel",
                    &["DistributionChannel"],
                ),
            ],
            Self::GoogleForms => vec![("email", &["Email Address"])],
            Self::Generic => vec![
                ("email", &["Email", "E-mail", "Email Address"]),
                ("name", &["Name", "Full name"]),
                ("given_name", &["First Name"]),
                ("family_name", &["Last Name"]),
            ],
        };
        let mut pairs = pairs;
        pairs.push(("activity_at", date));
        pairs.push(("activity_id", self.response_id_column()));
        pairs.retain(|(_, columns)| !columns.is_empty());
        FieldMapping::from_pairs(&pairs)
    }

    /// Date-time forms the tools write beyond ISO 8601: SurveyMonkey's
    /// `03/01/2024 10:22:33 AM`, Google Forms' `3/1/2024 10:22:33` (month or
    /// day first as the source's `day_first` says).
    pub fn date_formats(day_first: bool) -> Vec<String> {
        let date = if day_first { "%d/%m/%Y" } else { "%m/%d/%Y" };
        [" %I:%M:%S %p", " %H:%M:%S", " %H:%M", " %I:%M %p"]
            .iter()
            .map(|time| format!("{date}{time}"))
            .chain(["%d.%m.%Y %H:%M:%S".to_owned(), "%d.%m.%Y %H:%M".to_owned()])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn detects_each_layout() {
        let cases = [
            (
                &[
                    "Response ID",
                    "Email",
                    "Name",
                    "Score",
                    "Comment",
                    "Created At (UTC)",
                ][..],
                Layout::Delighted,
            ),
            (
                &["Respondent ID", "Collector ID", "Start Date", "End Date"][..],
                Layout::SurveyMonkey,
            ),
            (
                &["#", "How likely…?", "Submit Date (UTC)", "Network ID"][..],
                Layout::Typeform,
            ),
            (
                &["StartDate", "EndDate", "ResponseId", "Q1"][..],
                Layout::Qualtrics,
            ),
            (
                &["Timestamp", "Email Address", "How likely…?"][..],
                Layout::GoogleForms,
            ),
            (&["Kunde", "Bewertung"][..], Layout::Generic),
        ];
        for (cells, layout) in cases {
            assert_eq!(Layout::detect(&headers(cells)), layout, "{cells:?}");
        }
    }

    #[test]
    fn the_qualtrics_id_row_outscores_its_text_row() {
        let ids = headers(&[
            "StartDate",
            "EndDate",
            "IPAddress",
            "ResponseId",
            "RecipientEmail",
        ]);
        let text = headers(&[
            "Start Date",
            "End Date",
            "IP Address",
            "Response ID",
            "Recipient Email",
        ]);
        let best = |cells: &[String]| DETECTED.iter().map(|l| l.header_matches(cells)).max();
        assert!(best(&ids) > best(&text));
    }

    #[test]
    fn recognizes_extra_header_rows() {
        assert!(Layout::SurveyMonkey.is_extra_header(""));
        assert!(!Layout::SurveyMonkey.is_extra_header("114691812256"));
        assert!(Layout::Qualtrics.is_extra_header("Response ID"));
        assert!(Layout::Qualtrics.is_extra_header("{\"ImportId\":\"_recordId\"}"));
        assert!(!Layout::Qualtrics.is_extra_header("R_3PtNhbc8vJhQ1Fs"));
        assert_eq!(Layout::parse("Google Forms"), Some(Layout::GoogleForms));
        assert_eq!(Layout::parse("SurveyMonkey"), Some(Layout::SurveyMonkey));
        assert_eq!(Layout::parse("jotform"), None);
    }
}
