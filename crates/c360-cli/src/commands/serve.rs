//! `c360 serve`: run the gRPC server.

use crate::settings::Settings;

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let hub = super::open_hub(&settings).await?;
    let listener = super::bind(&settings).await?;
    super::serve_until_signal(hub, listener, &settings).await
}
