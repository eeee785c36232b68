//! Small helpers to write one SQL text for both SQLite and PostgreSQL.
//!
//! Queries use `$1, $2, …` placeholders, which both backends accept as long as
//! they first appear in order, and only the types sqlx's `Any` driver carries
//! across both (i64, f64, text). Multi-row statements are built here and split
//! into chunks that stay under both backends' bound-parameter limits.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};

use crate::error::{StoreError, StoreResult};

/// Most parameters one statement binds (SQLite allows 32,766, PostgreSQL 65,535).
pub const MAX_PARAMS: usize = 30_000;

/// A value to bind.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    NullableInt(Option<i64>),
    Text(String),
    NullableText(Option<String>),
    Float(f64),
}

impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Self::Float(value)
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Self::Int(value)
    }
}
impl From<Option<i64>> for Value {
    fn from(value: Option<i64>) -> Self {
        Self::NullableInt(value)
    }
}
impl From<String> for Value {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}
impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}
impl From<Option<String>> for Value {
    fn from(value: Option<String>) -> Self {
        Self::NullableText(value)
    }
}

/// PostgreSQL's text type cannot hold U+0000 (SQLite can); a source that
/// sends one (a damaged export, a binary attachment header) must not fail the
/// batch, so both backends store it as U+2400 SYMBOL FOR NULL, visibly.
fn without_nul(text: String) -> String {
    if text.contains('\0') {
        text.replace('\0', "\u{2400}")
    } else {
        text
    }
}

/// Binds `values` in order.
pub fn bind_all<'q>(
    mut query: Query<'q, Any, AnyArguments<'q>>,
    values: Vec<Value>,
) -> Query<'q, Any, AnyArguments<'q>> {
    for value in values {
        query = match value {
            Value::Int(int) => query.bind(int),
            Value::NullableInt(int) => query.bind(int),
            Value::Text(text) => query.bind(without_nul(text)),
            Value::NullableText(text) => query.bind(text.map(without_nul)),
            Value::Float(float) => query.bind(float),
        };
    }
    query
}

/// Rows of `{head} ({placeholders}){tail}` for every id, in chunks small
/// enough for either backend's parameter limit (ids bound in order).
pub async fn fetch_for_ids<T>(
    connection: &mut sqlx::AnyConnection,
    head: &str,
    tail: &str,
    ids: &[T],
) -> StoreResult<Vec<AnyRow>>
where
    T: Clone,
    Value: From<T>,
{
    let mut rows = Vec::new();
    for chunk in ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "{head} ({}){tail}",
            list_placeholders(Style::of(connection), chunk.len(), 1)
        );
        let values = chunk.iter().cloned().map(Value::from).collect();
        rows.extend(
            bind_all(sqlx::query(&sql), values)
                .fetch_all(&mut *connection)
                .await?,
        );
    }
    Ok(rows)
}

/// How a statement names its parameters.
///
/// SQLite gets anonymous `?`: sqlx looks every parameter's name up, and SQLite
/// finds a named parameter's name by a linear scan, so a bulk statement with
/// thousands of `$N` takes quadratic time to bind. sqlx numbers anonymous
/// parameters on its own, so a statement must not mix the two forms: bulk
/// statements use [`Style::of`] for every parameter. PostgreSQL gets `$N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Numbered,
    Anonymous,
}

impl Style {
    pub fn of(connection: &sqlx::AnyConnection) -> Self {
        if connection.backend_name().eq_ignore_ascii_case("sqlite") {
            Self::Anonymous
        } else {
            Self::Numbered
        }
    }

    /// The placeholder of parameter number `index` (1-based).
    pub fn one(self, index: usize) -> String {
        match self {
            Self::Numbered => format!("${index}"),
            Self::Anonymous => "?".to_owned(),
        }
    }
}

/// `($1, $2), ($3, $4)` for `rows` rows of `columns` values, numbering from `first`.
pub fn row_placeholders(style: Style, rows: usize, columns: usize, first: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    let mut next = first;
    for row in 0..rows {
        if row > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for column in 0..columns {
            if column > 0 {
                out.push_str(", ");
            }
            out.push_str(&style.one(next));
            next += 1;
        }
        out.push(')');
    }
    out
}

/// `$first, $first+1, …` for an `IN (…)` list of `count` values.
pub fn list_placeholders(style: Style, count: usize, first: usize) -> String {
    (first..first + count)
        .map(|index| style.one(index))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many rows of `columns` values fit in one statement.
pub fn rows_per_statement(columns: usize) -> usize {
    (MAX_PARAMS / columns.max(1)).max(1)
}

pub fn get_i64(row: &AnyRow, column: &str) -> StoreResult<i64> {
    row.try_get::<i64, _>(column).map_err(StoreError::from)
}

pub fn get_opt_i64(row: &AnyRow, column: &str) -> StoreResult<Option<i64>> {
    row.try_get::<Option<i64>, _>(column)
        .map_err(StoreError::from)
}

pub fn get_f64(row: &AnyRow, column: &str) -> StoreResult<f64> {
    Ok(row.try_get::<f64, _>(column)?)
}

pub fn get_string(row: &AnyRow, column: &str) -> StoreResult<String> {
    row.try_get::<String, _>(column).map_err(StoreError::from)
}

pub fn get_opt_string(row: &AnyRow, column: &str) -> StoreResult<Option<String>> {
    row.try_get::<Option<String>, _>(column)
        .map_err(StoreError::from)
}

/// Parses a JSON column into `T`, naming the column if it does not parse.
pub fn get_json<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> StoreResult<T> {
    let text = get_string(row, column)?;
    serde_json::from_str(&text).map_err(|error| StoreError::corrupt(column, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_rows_in_order() {
        assert_eq!(
            row_placeholders(Style::Numbered, 2, 2, 3),
            "($3, $4), ($5, $6)"
        );
        assert_eq!(list_placeholders(Style::Numbered, 3, 2), "$2, $3, $4");
        assert_eq!(row_placeholders(Style::Anonymous, 1, 2, 3), "(?, ?)");
        assert_eq!(rows_per_statement(3), 10_000);
    }
}
