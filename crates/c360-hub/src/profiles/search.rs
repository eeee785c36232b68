//! Searching golden records by name, e-mail or phone: prefix over the
//! `search_terms` index, or fuzzy (Jaro-Winkler) over names.

use std::collections::HashMap;

use c360_model::normalize::comparison_key;
use c360_store::AnyConnection;
use c360_store::repo::golden_records::{self, GoldenRow};
use c360_store::repo::search_terms;

use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::page_token;

/// How to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMode {
    Prefix,
    Fuzzy,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub golden: GoldenRow,
    pub score: f64,
    pub matched_field: String,
}

/// Most golden records a fuzzy search scores.
const FUZZY_CANDIDATES: i64 = 20_000;
/// Least Jaro-Winkler similarity a fuzzy hit needs.
const FUZZY_THRESHOLD: f64 = 0.80;

impl Hub {
    pub async fn search_profiles(
        &self,
        query: &str,
        mode: SearchMode,
        page_size: i64,
        page_token: &str,
    ) -> HubResult<(Vec<SearchHit>, String)> {
        let folded = search_key(query, &self.inner.config.normalize.text);
        if folded.is_empty() {
            return Err(HubError::invalid("query", "must not be empty"));
        }
        let mut connection = self.read_connection().await?;
        match mode {
            SearchMode::Prefix => {
                self.search_prefix(&mut connection, &folded, page_size, page_token)
                    .await
            }
            SearchMode::Fuzzy => {
                self.search_fuzzy(&mut connection, &folded, page_size, page_token)
                    .await
            }
        }
    }

    async fn search_prefix(
        &self,
        connection: &mut AnyConnection,
        prefix: &str,
        page_size: i64,
        page_token: &str,
    ) -> HubResult<(Vec<SearchHit>, String)> {
        let mut after = if page_token.is_empty() {
            None
        } else {
            let parts = page_token::decode(page_token, 2)?;
            Some((parts[0].clone(), parts[1].clone()))
        };
        let high = format!("{prefix}{}", char::MAX);
        let mut hits: Vec<(String, String)> = Vec::new();
        let wanted = usize::try_from(page_size).unwrap_or(20);
        let mut exhausted = false;
        // A golden record can hold several matching terms: read until the page
        // has `page_size` distinct records.
        while hits.len() < wanted && !exhausted {
            let rows = search_terms::range(connection, prefix, &high, after.clone(), page_size * 2)
                .await?;
            exhausted = rows.len() < usize::try_from(page_size * 2).unwrap_or(0);
            for row in rows {
                after = Some((row.term.clone(), row.golden_id.clone()));
                if !hits.iter().any(|(id, _)| *id == row.golden_id) {
                    hits.push((row.golden_id, row.field));
                    if hits.len() == wanted {
                        break;
                    }
                }
            }
        }
        let ids: Vec<String> = hits.iter().map(|(id, _)| id.clone()).collect();
        let rows: HashMap<String, GoldenRow> = golden_records::get_many(connection, &ids)
            .await?
            .into_iter()
            .map(|row| (row.id.clone(), row))
            .collect();
        let results = hits
            .into_iter()
            .filter_map(|(id, field)| {
                rows.get(&id).map(|golden| SearchHit {
                    golden: golden.clone(),
                    score: 1.0,
                    matched_field: field,
                })
            })
            .collect::<Vec<_>>();
        let next = match (&after, exhausted && results.len() < wanted) {
            (Some((term, id)), false) if results.len() == wanted => page_token::encode(&[term, id]),
            _ => String::new(),
        };
        Ok((results, next))
    }

    async fn search_fuzzy(
        &self,
        connection: &mut AnyConnection,
        query: &str,
        page_size: i64,
        page_token: &str,
    ) -> HubResult<(Vec<SearchHit>, String)> {
        let offset = if page_token.is_empty() {
            0
        } else {
            page_token::decode(page_token, 1)?[0]
                .parse::<usize>()
                .map_err(|_| {
                    HubError::invalid("page_token", "not a token returned by a previous page")
                })?
        };
        // Candidates share the query's first letter: typos rarely hit it, and it
        // keeps the scan bounded by an index range.
        let first: String = query.chars().take(1).collect();
        let high = format!("{first}{}", char::MAX);
        let rows = search_terms::range(connection, &first, &high, None, FUZZY_CANDIDATES).await?;
        let mut best: HashMap<String, (f64, String)> = HashMap::new();
        for row in rows.into_iter().filter(|row| row.field == "name") {
            let score = strsim::jaro_winkler(query, &row.term);
            if score < FUZZY_THRESHOLD {
                continue;
            }
            let entry = best.entry(row.golden_id).or_insert((0.0, row.field));
            entry.0 = entry.0.max(score);
        }
        let mut ranked: Vec<(String, f64, String)> = best
            .into_iter()
            .map(|(id, (score, field))| (id, score, field))
            .collect();
        ranked.sort_by(|left, right| {
            right
                .1
                .total_cmp(&left.1)
                .then_with(|| left.0.cmp(&right.0))
        });
        let size = usize::try_from(page_size).unwrap_or(20);
        let page: Vec<(String, f64, String)> =
            ranked.iter().skip(offset).take(size).cloned().collect();
        let ids: Vec<String> = page.iter().map(|(id, _, _)| id.clone()).collect();
        let rows: HashMap<String, GoldenRow> = golden_records::get_many(connection, &ids)
            .await?
            .into_iter()
            .map(|row| (row.id.clone(), row))
            .collect();
        let hits = page
            .into_iter()
            .filter_map(|(id, score, field)| {
                rows.get(&id).map(|golden| SearchHit {
                    golden: golden.clone(),
                    score,
                    matched_field: field,
                })
            })
            .collect();
        let next = if offset + size < ranked.len() {
            page_token::encode(&[&(offset + size).to_string()])
        } else {
            String::new()
        };
        Ok((hits, next))
    }
}

/// The form a query is compared in: e-mail and phone terms are stored
/// lower-case as they are (`ada.l@x.org`, `+4420…`), names as comparison keys.
fn search_key(query: &str, rules: &c360_model::normalize::TextRules) -> String {
    let trimmed = query.trim();
    let looks_like_identifier =
        !trimmed.contains(char::is_whitespace) && trimmed.contains(['@', '.', '+', '_']);
    if looks_like_identifier {
        return trimmed.to_lowercase();
    }
    let key = comparison_key(trimmed, rules);
    if key.is_empty() {
        trimmed.to_lowercase()
    } else {
        key
    }
}
