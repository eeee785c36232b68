//! c360 survey connector: NPS (and CSAT) answers from survey tools' CSV
//! exports, each response a respondent record plus a scored activity.
//!
//! Kind `survey` reads these layouts, recognized from the header or chosen
//! with option `layout` (see [`layout`]):
//! - **Delighted** response export (`Response ID, Email, Name, Score, Comment,
//!   Created At (UTC), …`); fields as in the survey-response API,
//!   <http://delightedapp.com/docs/api/listing-survey-responses>
//!   (the CSV export's own column list was not available to check).
//! - **SurveyMonkey** "All responses data" CSV: two header rows (question
//!   text, then `Response` / `Open-Ended Response` / option labels);
//!   `Respondent ID, Collector ID, Start Date, End Date, IP Address, Email
//!   Address, First Name, Last Name, …`, dates like `03/01/2024 10:22:33 AM`;
//!   <https://help.surveymonkey.com/en/surveymonkey/analyze/exporting-all-responses/>
//!   (help page cited from memory: it could not be retrieved to check).
//! - **Typeform** responses download: `#`, one column per question, `Start
//!   Date (UTC)`, `Submit Date (UTC)`, `Network ID`;
//!   help page <https://www.typeform.com/help/a/download-your-results-360029256511/>
//!   (cited from memory, not retrievable to check); the same fields as
//!   <https://www.typeform.com/developers/responses/reference/retrieve-responses/>.
//! - **Qualtrics** CSV/TSV data export: three header rows (field ids, question
//!   text, `{"ImportId": …}`); `StartDate, EndDate, …, ResponseId,
//!   RecipientLastName, RecipientFirstName, RecipientEmail, …, Q1_NPS_GROUP,
//!   Q1, …`; <https://www.qualtrics.com/support/survey-platform/data-and-analysis-module/data/download-data/understanding-your-dataset/>.
//! - **Google Forms** responses CSV (`Timestamp, Email Address, <question
//!   text>, …`); fields as in <https://developers.google.com/workspace/forms/api/reference/rest/v1/forms.responses>.
//! - **generic**: any other CSV, described by the source's `mapping`
//!   (`email`, `name`, `activity_at`, `activity_id`, `activity_score`,
//!   `activity_summary`, …) over sensible defaults (`Email`, `Name`, `Date`).
//!
//! The score question is option `score_column` (a header or a question
//! text), else the mapping's `activity_score`, else the column whose header or
//! question text mentions recommend / likely / NPS (strongly) or score /
//! rating (weakly) and whose first answers are scores in range (see
//! [`columns`]). The comment is option `comment_column`, else the mapping's
//! `activity_summary`, else the next column asking "why" / "reason" /
//! "comment". Option `metric = "csat"` reads 1–5 scores as `csat_rating`
//! instead of 0–10 `nps_response`.
//!
//! Each response row yields a record and, when scored, an activity; see
//! [`response`] for ids, skipped questions and the row errors.
//!
//! Layout: [`connector`] (the `Connector`), [`layout`] (per-tool headers and
//! default mappings), [`columns`] (score/comment/e-mail/name columns),
//! [`plan`] (one file's reading plan), [`response`] (row → items),
//! [`metric`] (NPS or CSAT, score parsing).

pub mod columns;
pub mod connector;
pub mod layout;
pub mod metric;
pub mod plan;
pub mod response;

use std::path::Path;

use c360_connector::{Connector, ConnectorError, ConnectorResult, SourceConfig, SourceItem};

pub use connector::SurveyConnector;

/// The `kind`s this crate reads, with one line each (shown by `c360 sync --kinds`).
pub const KINDS: &[(&str, &str)] = &[(
    "survey",
    "NPS/CSAT survey exports: Delighted, SurveyMonkey, Typeform, Qualtrics, Google Forms, or any CSV by mapping",
)];

/// Builds the connector for a `[[sources]]` entry whose `kind` is one of [`KINDS`].
pub fn connector(config: &SourceConfig) -> ConnectorResult<Box<dyn Connector>> {
    match config.kind.as_str() {
        "survey" => Ok(Box::new(SurveyConnector::new(config)?)),
        other => Err(ConnectorError::config(
            &config.name,
            format!("kind {other:?} is not one of this crate's kinds (survey)"),
        )),
    }
}

/// Reads one file as the source's connector would; a file that cannot be read
/// at all is one error item (used by the fuzz target and tests).
pub fn read_file(config: &SourceConfig, path: &Path) -> Vec<SourceItem> {
    c360_connector::read_one_file(connector(config), path)
}
