//! A [`Plan`]: how the rows of one export file become records and
//! activities, decided once from its header, extra header rows and first
//! responses.
//!
//! The layout's default mapping is completed with the columns found in this
//! file (e-mail and name questions), then the source's `mapping` overrides
//! it. The score and comment columns are chosen here, not by the mapper: the
//! score needs its range check and may be written as choice text, and both
//! may sit under an empty or repeated header (SurveyMonkey).

use c360_connector::mapping::{FieldMapping, FieldSpec, Mapper, OneOrMany};
use c360_connector::{ConnectorError, ConnectorResult, SourceConfig};

use crate::columns::{find_comment, find_emails, find_name, find_score, labels, named};
use crate::layout::Layout;
use crate::metric::Metric;

#[derive(Debug, Clone)]
pub struct Plan {
    pub layout: Layout,
    pub metric: Metric,
    /// Record fields, the date, the response id and activity attributes.
    pub mapper: Mapper,
    /// The score column and its header (named in row errors).
    pub score: (usize, String),
    /// The comment column, unless the source maps `activity_summary` itself.
    pub comment: Option<usize>,
    /// The response id column: the fallback record id for respondents
    /// without an e-mail.
    pub response_id: Option<usize>,
}

impl Plan {
    pub fn new(
        config: &SourceConfig,
        layout: Layout,
        headers: &[String],
        extra_rows: &[Vec<String>],
        samples: &[Vec<String>],
    ) -> ConnectorResult<Self> {
        let metric = Metric::parse(config.option("metric")).ok_or_else(|| {
            ConnectorError::config(&config.name, "metric is neither \"nps\" nor \"csat\"")
        })?;
        let labels = labels(headers, extra_rows);
        let mut mapping = layout.default_mapping();
        add_found_columns(&mut mapping, headers, &labels);
        let mut mapping = mapping.overridden_by(&config.mapping);

        let score_index = match config.option("score_column") {
            Some(name) => Some(named(name, headers, extra_rows).ok_or_else(|| {
                ConnectorError::config(
                    &config.name,
                    format!("score_column {name:?} names no column"),
                )
            })?),
            None => match mapping.0.get("activity_score") {
                Some(spec) => spec_columns(spec)
                    .iter()
                    .find_map(|name| named(name, headers, extra_rows)),
                None => find_score(metric, &labels, samples),
            },
        };
        let score = score_index
            .map(|index| (index, column_name(headers, extra_rows, index)))
            .ok_or_else(|| {
                ConnectorError::config(
                    &config.name,
                    format!(
                        "no {} score column found in the {} export: set options.score_column",
                        metric.kind(),
                        layout.name()
                    ),
                )
            })?;
        let comment = match config.option("comment_column") {
            Some(name) => Some(named(name, headers, extra_rows).ok_or_else(|| {
                ConnectorError::config(
                    &config.name,
                    format!("comment_column {name:?} names no column"),
                )
            })?),
            None if mapping.0.contains_key("activity_summary") => None,
            None => find_comment(&labels, Some(score.0)),
        };
        mapping.0.remove("activity_score");
        if !config.mapping.0.contains_key("updated_at")
            && let Some(at) = mapping.0.get("activity_at").cloned()
        {
            mapping.0.insert("updated_at".into(), at);
        }
        let response_id = mapping.0.get("activity_id").and_then(|spec| {
            spec_columns(spec)
                .iter()
                .find_map(|name| named(name, headers, &[]))
        });
        // The id is read by index: the mapper matches headers by their
        // letters and digits, which `#` has none of.
        mapping.0.remove("activity_id");
        let mapping = mapping.with("activity_kind", FieldSpec::constant(metric.kind().as_str()));

        let mut dated = config.clone();
        dated
            .date_formats
            .extend(Layout::date_formats(config.day_first));
        let mapper = Mapper::new(&dated, &mapping, Some(headers))?;
        Ok(Self {
            layout,
            metric,
            mapper,
            score,
            comment,
            response_id,
        })
    }
}

/// E-mail and name questions of this file join the layout's candidates.
fn add_found_columns(mapping: &mut FieldMapping, headers: &[String], labels: &[String]) {
    let mut emails = mapping.0.get("email").map(spec_columns).unwrap_or_default();
    for index in find_emails(labels) {
        if let Some(header) = headers.get(index).filter(|h| !h.trim().is_empty())
            && !emails.contains(header)
        {
            emails.push(header.clone());
        }
    }
    if !emails.is_empty() {
        mapping.0.insert("email".into(), FieldSpec::Columns(emails));
    }
    let has_name = ["name", "full_name", "given_name", "family_name"]
        .iter()
        .any(|target| mapping.0.contains_key(*target));
    if !has_name && let Some(index) = find_name(headers) {
        mapping
            .0
            .insert("name".into(), FieldSpec::Column(headers[index].clone()));
    }
}

/// The column names a mapping rule reads from.
fn spec_columns(spec: &FieldSpec) -> Vec<String> {
    match spec {
        FieldSpec::Column(column) => vec![column.clone()],
        FieldSpec::Columns(columns) => columns.clone(),
        FieldSpec::Rule(rule) => match &rule.from {
            OneOrMany::One(column) => vec![column.clone()],
            OneOrMany::Many(columns) => columns.clone(),
        },
    }
}

/// A column's name for row errors: its header, else its question text.
fn column_name(headers: &[String], extra_rows: &[Vec<String>], index: usize) -> String {
    headers
        .get(index)
        .filter(|header| !header.trim().is_empty())
        .cloned()
        .or_else(|| {
            extra_rows
                .iter()
                .filter_map(|row| row.get(index))
                .find(|text| !text.trim().is_empty())
                .cloned()
        })
        .unwrap_or_else(|| format!("column {}", index + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    fn config(options: &[(&str, &str)]) -> SourceConfig {
        SourceConfig {
            name: "nps".into(),
            options: options
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..SourceConfig::default()
        }
    }

    #[test]
    fn a_typeform_plan_finds_its_columns() {
        let headers = strings(&[
            "#",
            "How likely are you to recommend Acme?",
            "Why did you choose that score?",
            "What's your email?",
            "What's your name?",
            "Start Date (UTC)",
            "Submit Date (UTC)",
            "Network ID",
        ]);
        let samples = vec![strings(&[
            "x1",
            "9",
            "Great",
            "a@example.com",
            "Ada",
            "",
            "",
            "",
        ])];
        let plan =
            Plan::new(&config(&[]), Layout::Typeform, &headers, &[], &samples).expect("plan");
        assert_eq!(plan.score.0, 1);
        assert_eq!(plan.comment, Some(2));
        assert_eq!(plan.response_id, Some(0));
        assert!(plan.mapper.maps("email") && plan.mapper.maps("name"));
    }

    #[test]
    fn options_choose_columns_and_bad_ones_are_config_errors() {
        let headers = strings(&["Kunde", "E-Mail", "Bewertung", "Datum"]);
        let plan = Plan::new(
            &config(&[("score_column", "bewertung"), ("metric", "csat")]),
            Layout::Generic,
            &headers,
            &[],
            &[],
        )
        .expect("plan");
        assert_eq!((plan.score.0, plan.metric), (2, Metric::Csat));
        assert!(
            Plan::new(
                &config(&[("score_column", "Note")]),
                Layout::Generic,
                &headers,
                &[],
                &[]
            )
            .is_err()
        );
        assert!(Plan::new(&config(&[]), Layout::Generic, &headers, &[], &[]).is_err());
        assert!(
            Plan::new(
                &config(&[("metric", "ces")]),
                Layout::Generic,
                &headers,
                &[],
                &[]
            )
            .is_err()
        );
    }
}
