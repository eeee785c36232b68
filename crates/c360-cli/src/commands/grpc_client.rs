//! Clients of a running server (`--server URL`): the bearer token, when the
//! server wants one, comes from the `C360_TOKEN` environment variable (never
//! a flag: flags end up in shell history and process lists).

use anyhow::Context;
use c360_proto::v1::ingest_service_client::IngestServiceClient;
use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;

/// Adds `authorization: Bearer $C360_TOKEN` to every call when set.
#[derive(Debug, Clone)]
pub struct EnvBearer(Option<MetadataValue<Ascii>>);

impl EnvBearer {
    pub fn from_env() -> anyhow::Result<Self> {
        match std::env::var("C360_TOKEN") {
            Ok(token) if !token.trim().is_empty() => {
                let value = MetadataValue::try_from(format!("Bearer {}", token.trim()))
                    .context("C360_TOKEN holds characters a header cannot carry")?;
                Ok(Self(Some(value)))
            }
            _ => Ok(Self(None)),
        }
    }
}

impl Interceptor for EnvBearer {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(value) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    }
}

pub type IngestClient = IngestServiceClient<InterceptedService<Channel, EnvBearer>>;

/// An IngestService client of `server`, authenticated from `C360_TOKEN`.
pub async fn ingest_client(server: &str) -> anyhow::Result<IngestClient> {
    let channel = Channel::from_shared(server.to_owned())
        .with_context(|| format!("{server} is not a server URL"))?
        .connect()
        .await
        .with_context(|| format!("failed to connect to {server}"))?;
    Ok(IngestServiceClient::with_interceptor(
        channel,
        EnvBearer::from_env()?,
    ))
}
