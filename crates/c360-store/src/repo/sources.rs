//! `sources`: every system that has sent data.

use sqlx::AnyConnection;

use crate::error::StoreResult;
use crate::sql::{Style, Value, bind_all, get_string, row_placeholders};

/// Registers sources not seen before.
pub async fn ensure(connection: &mut AnyConnection, names: &[&str], now: i64) -> StoreResult<()> {
    if names.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO sources (name, created_at) VALUES {} ON CONFLICT (name) DO NOTHING",
        row_placeholders(Style::of(connection), names.len(), 2, 1)
    );
    let mut values = Vec::with_capacity(names.len() * 2);
    for name in names {
        values.extend([Value::from(*name), Value::from(now)]);
    }
    bind_all(sqlx::query(&sql), values)
        .execute(&mut *connection)
        .await?;
    Ok(())
}

pub async fn list(connection: &mut AnyConnection) -> StoreResult<Vec<String>> {
    let rows = sqlx::query("SELECT name FROM sources ORDER BY name")
        .fetch_all(&mut *connection)
        .await?;
    rows.iter().map(|row| get_string(row, "name")).collect()
}
