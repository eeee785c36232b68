//! `c360 migrate`: bring the database schema up to date and exit.

use crate::settings::Settings;

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let hub = super::open_hub(&settings).await?;
    println!(
        "database {} is up to date",
        super::redact(&settings.database.url)
    );
    hub.store().close().await;
    Ok(())
}
