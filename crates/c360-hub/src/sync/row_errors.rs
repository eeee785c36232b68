//! Reading the quarantine: every row a sync or an upsert could not store,
//! newest first, page by page.

use c360_store::repo::row_errors::{self, RowError};

use crate::error::{HubError, HubResult};
use crate::hub::Hub;
use crate::page_token;

/// Largest page a caller may ask for.
const MAX_PAGE: i64 = 1000;
const DEFAULT_PAGE: i64 = 100;

/// One page of quarantined rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowErrorPage {
    pub errors: Vec<RowError>,
    /// Empty on the last page.
    pub next_page_token: String,
    /// Quarantined rows in all (of the source, when one is given).
    pub total: i64,
}

impl Hub {
    /// Quarantined rows, optionally of one source (`""`: all).
    pub async fn list_row_errors(
        &self,
        source: &str,
        page_size: i64,
        page_token: &str,
    ) -> HubResult<RowErrorPage> {
        if page_size < 0 {
            return Err(HubError::invalid("page_size", "must not be negative"));
        }
        let limit = if page_size == 0 {
            DEFAULT_PAGE
        } else {
            page_size.min(MAX_PAGE)
        };
        let before = if page_token.is_empty() {
            None
        } else {
            let parts = page_token::decode(page_token, 1)?;
            Some(parts[0].parse::<i64>().map_err(|_| {
                HubError::invalid("page_token", "not a token returned by a previous page")
            })?)
        };
        let source = Some(source.trim()).filter(|source| !source.is_empty());
        let mut connection = self.read_connection().await?;
        let mut page = row_errors::page(&mut connection, source, before, limit + 1).await?;
        let next_page_token = if page.len() as i64 > limit {
            page.truncate(limit as usize);
            page.last()
                .map(|last| page_token::encode(&[&last.id.to_string()]))
                .unwrap_or_default()
        } else {
            String::new()
        };
        let total = row_errors::count(&mut connection, source).await?;
        Ok(RowErrorPage {
            errors: page.into_iter().map(|stored| stored.error).collect(),
            next_page_token,
            total,
        })
    }
}
