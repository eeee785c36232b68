//! Bearer-token authentication and role checks, for every RPC (a tower
//! layer in front of all services) and the steward console.
//!
//! Tokens are configured in `[server.auth]`, each with a subject and roles;
//! only their SHA-256 needs to be in the file (`token_sha256`), a plain
//! `token` is accepted for development. Roles:
//!
//! | role | may call |
//! |---|---|
//! | `reader` | ProfileService, MetricsService reads and WatchAlerts |
//! | `ingest` | IngestService (upserts, deletes, syncs, the quarantine) |
//! | `steward` | StewardService and the console, plus everything `reader` may |
//! | `admin` | everything, including RecomputeMetrics |
//!
//! Health checks and reflection stay open (load balancers and tooling call
//! them without credentials; they expose no customer data). A missing or
//! unknown token is `UNAUTHENTICATED`; a known token without the role is
//! `PERMISSION_DENIED`. The authenticated [`Subject`] travels in the request
//! extensions, so audit entries name who did what.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tonic::Status;

/// The `[server.auth]` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// Off: every call is allowed and acts as subject "anonymous" (local
    /// development and the demo). On: every RPC needs a bearer token.
    pub enabled: bool,
    pub tokens: Vec<TokenConfig>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TokenConfig {
    /// Who the token belongs to; recorded in every audit entry.
    pub subject: String,
    pub roles: Vec<String>,
    /// The token in clear (development only).
    pub token: Option<String>,
    /// Hex SHA-256 of the token (`printf %s TOKEN | sha256sum`).
    pub token_sha256: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Reader,
    Ingest,
    Steward,
    Admin,
}

impl Role {
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "reader" => Some(Self::Reader),
            "ingest" => Some(Self::Ingest),
            "steward" => Some(Self::Steward),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reader => "reader",
            Self::Ingest => "ingest",
            Self::Steward => "steward",
            Self::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who is calling: the token's subject and roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub name: String,
    pub roles: BTreeSet<Role>,
}

impl Subject {
    /// Whether the subject may act as `role` (admin may do everything, a
    /// steward may also read).
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&Role::Admin)
            || self.roles.contains(&role)
            || (role == Role::Reader && self.roles.contains(&Role::Steward))
    }

    fn anonymous() -> Self {
        Self {
            name: "anonymous".into(),
            roles: BTreeSet::from([Role::Admin]),
        }
    }
}

/// The subject of a request (set by the auth layer), or "anonymous" where
/// auth is off.
pub fn subject_of<T>(request: &tonic::Request<T>) -> String {
    request
        .extensions()
        .get::<Subject>()
        .map_or_else(|| "anonymous".to_owned(), |subject| subject.name.clone())
}

/// The role an RPC needs; `None`: open (health, reflection).
pub fn required_role(path: &str) -> Option<Role> {
    let (service, method) = path.trim_start_matches('/').split_once('/')?;
    match service {
        "c360.v1.ProfileService" => Some(Role::Reader),
        "c360.v1.MetricsService" if method == "RecomputeMetrics" => Some(Role::Admin),
        "c360.v1.MetricsService" => Some(Role::Reader),
        "c360.v1.IngestService" => Some(Role::Ingest),
        "c360.v1.StewardService" => Some(Role::Steward),
        service
            if service.starts_with("grpc.health.") || service.starts_with("grpc.reflection.") =>
        {
            None
        }
        // Anything else we serve later is closed until it is classified.
        _ => Some(Role::Admin),
    }
}

/// Checks bearer tokens against the configured ones.
#[derive(Debug, Clone)]
pub struct Authenticator {
    enabled: bool,
    by_digest: HashMap<[u8; 32], Subject>,
}

/// Why a config's tokens are unusable: which entry and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid server.auth.tokens[{index}]: {reason}")]
pub struct AuthConfigError {
    pub index: usize,
    pub reason: String,
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn parse_digest(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (index, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(index * 2..index * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Authenticator {
    pub fn new(config: &AuthConfig) -> Result<Self, AuthConfigError> {
        let mut by_digest = HashMap::new();
        for (index, token) in config.tokens.iter().enumerate() {
            let error = |reason: &str| AuthConfigError {
                index,
                reason: reason.to_owned(),
            };
            if token.subject.trim().is_empty() {
                return Err(error("subject must not be empty"));
            }
            let mut roles = BTreeSet::new();
            for name in &token.roles {
                roles.insert(Role::parse(name).ok_or_else(|| {
                    error(&format!(
                        "{name:?} is not a role (reader, ingest, steward, admin)"
                    ))
                })?);
            }
            if roles.is_empty() {
                return Err(error("a token needs at least one role"));
            }
            let key = match (&token.token, &token.token_sha256) {
                (Some(clear), None) if clear.len() >= 16 => digest(clear),
                (Some(_), None) => return Err(error("a token must be at least 16 characters")),
                (None, Some(hex)) => parse_digest(hex)
                    .ok_or_else(|| error("token_sha256 must be 64 hexadecimal digits"))?,
                _ => return Err(error("give exactly one of token and token_sha256")),
            };
            let subject = Subject {
                name: token.subject.trim().to_owned(),
                roles,
            };
            if by_digest.insert(key, subject).is_some() {
                return Err(error("the same token is configured twice"));
            }
        }
        if config.enabled && by_digest.is_empty() {
            return Err(AuthConfigError {
                index: 0,
                reason: "auth is enabled but no token is configured".into(),
            });
        }
        Ok(Self {
            enabled: config.enabled,
            by_digest,
        })
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The subject of a bearer token (`None`: unknown token).
    pub fn subject(&self, token: &str) -> Option<&Subject> {
        // Looked up by digest: the comparison never touches the secret
        // byte by byte, so its timing says nothing about it.
        self.by_digest.get(&digest(token.trim()))
    }

    /// Authorizes a call to `path` with an `authorization` header value.
    pub fn authorize(&self, path: &str, authorization: Option<&str>) -> Result<Subject, Status> {
        let Some(role) = required_role(path) else {
            return Ok(Subject::anonymous());
        };
        if !self.enabled {
            return Ok(Subject::anonymous());
        }
        self.authorize_role(role, authorization)
    }

    /// Authorizes `role` with an `authorization` header value.
    pub fn authorize_role(
        &self,
        role: Role,
        authorization: Option<&str>,
    ) -> Result<Subject, Status> {
        if !self.enabled {
            return Ok(Subject::anonymous());
        }
        let token = authorization
            .and_then(|value| {
                let value = value.trim();
                value
                    .strip_prefix("Bearer ")
                    .or_else(|| value.strip_prefix("bearer "))
            })
            .ok_or_else(|| {
                Status::unauthenticated("a bearer token is required (authorization: Bearer …)")
            })?;
        let subject = self
            .subject(token)
            .ok_or_else(|| Status::unauthenticated("the bearer token is not valid"))?;
        if !subject.has(role) {
            return Err(Status::permission_denied(format!(
                "{} may not do this: it needs the {role} role",
                subject.name
            )));
        }
        Ok(subject.clone())
    }
}

/// The tower layer that authorizes every gRPC call before it reaches a
/// service.
#[derive(Debug, Clone)]
pub struct AuthLayer {
    authenticator: Arc<Authenticator>,
}

impl AuthLayer {
    pub fn new(authenticator: Arc<Authenticator>) -> Self {
        Self { authenticator }
    }
}

impl<S> tower::Layer<S> for AuthLayer {
    type Service = AuthService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AuthService {
            inner,
            authenticator: Arc::clone(&self.authenticator),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AuthService<S> {
    inner: S,
    authenticator: Arc<Authenticator>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

impl<S, B> tower::Service<http::Request<B>> for AuthService<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        let authorization = request
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok());
        match self
            .authenticator
            .authorize(request.uri().path(), authorization)
        {
            Ok(subject) => {
                request.extensions_mut().insert(subject);
                Box::pin(self.inner.call(request))
            }
            Err(status) => {
                let response = status.into_http();
                Box::pin(async move { Ok(response) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> AuthConfig {
        AuthConfig {
            enabled: true,
            tokens: vec![
                TokenConfig {
                    subject: "reader-app".into(),
                    roles: vec!["reader".into()],
                    token: Some("reader-token-0123456789".into()),
                    token_sha256: None,
                },
                TokenConfig {
                    subject: "ada".into(),
                    roles: vec!["steward".into()],
                    token: None,
                    token_sha256: Some(
                        Sha256::digest(b"steward-token-0123456789")
                            .iter()
                            .map(|byte| format!("{byte:02x}"))
                            .collect(),
                    ),
                },
            ],
        }
    }

    #[test]
    fn roles_per_call() {
        let auth = Authenticator::new(&config()).expect("valid");
        let reader = Some("Bearer reader-token-0123456789");
        let steward = Some("Bearer steward-token-0123456789");
        let get = "/c360.v1.ProfileService/GetProfile";
        assert_eq!(
            auth.authorize(get, reader).map(|s| s.name).ok(),
            Some("reader-app".into())
        );
        assert_eq!(
            auth.authorize(get, steward).map(|s| s.name).ok(),
            Some("ada".into())
        );
        let code = |result: Result<Subject, Status>| result.err().map(|status| status.code());
        assert_eq!(
            code(auth.authorize(get, None)),
            Some(tonic::Code::Unauthenticated)
        );
        assert_eq!(
            code(auth.authorize(get, Some("Bearer nope-nope-nope-nope"))),
            Some(tonic::Code::Unauthenticated)
        );
        assert_eq!(
            code(auth.authorize("/c360.v1.IngestService/UpsertSourceRecords", reader)),
            Some(tonic::Code::PermissionDenied)
        );
        assert_eq!(
            code(auth.authorize("/c360.v1.MetricsService/RecomputeMetrics", steward)),
            Some(tonic::Code::PermissionDenied)
        );
        assert!(auth.authorize("/grpc.health.v1.Health/Check", None).is_ok());
    }

    #[test]
    fn bad_configs_name_the_entry() {
        let mut bad = config();
        bad.tokens[1].roles = vec!["superuser".into()];
        let error = Authenticator::new(&bad).expect_err("unknown role");
        assert_eq!(error.index, 1);
        let mut short = config();
        short.tokens[0].token = Some("short".into());
        assert!(Authenticator::new(&short).is_err());
        let empty = AuthConfig {
            enabled: true,
            tokens: Vec::new(),
        };
        assert!(Authenticator::new(&empty).is_err());
    }
}
