//! The steward console: server-rendered pages on their own port, served by
//! `c360 serve` next to gRPC. A steward signs in with a steward token, works
//! the review queue, compares records side by side with the match
//! explanation per field, and merges / keeps apart / splits / pins with one
//! click; a customer's audit history is one click away. Every action calls
//! the same hub operations as `StewardService` — there is no second
//! implementation — and needs the same role.
//!
//! - [`session`]: sign-in, the cookie, the role check on every route.
//! - [`html`]: escaping and layout.
//! - [`pages`]: the routes.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use c360_hub::Hub;
use serde::{Deserialize, Serialize};

use crate::auth::Authenticator;
use crate::cache::ProfileCache;

pub mod html;
mod pages;
pub mod session;

/// `[server.console]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleConfig {
    /// Serve the console (`c360 serve`, `c360 demo`).
    pub enabled: bool,
    /// Address of the console's HTTP port.
    pub listen: String,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: "127.0.0.1:50052".into(),
        }
    }
}

/// What every console route holds.
#[derive(Debug, Clone)]
pub struct ConsoleState {
    pub hub: Hub,
    pub authenticator: Arc<Authenticator>,
    /// Profiles changed by a steward action are dropped from the gRPC cache.
    pub cache: ProfileCache,
}

/// Refuses a request without a signed-in steward before anything else
/// runs (a bad form or path must not answer ahead of the 401/403), and
/// hands the pages the steward it found, as an `Extension<Subject>`.
async fn steward_only(
    State(state): State<ConsoleState>,
    mut request: Request,
    next: Next,
) -> Response {
    match session::require_steward(&state.authenticator, request.headers()) {
        Ok(subject) => {
            request.extensions_mut().insert(subject);
            next.run(request).await
        }
        Err(refused) => *refused,
    }
}

pub fn router(state: ConsoleState) -> Router {
    let stewards_only = Router::new()
        .route("/", get(pages::queue))
        .route("/tasks/{id}", get(pages::task))
        .route("/tasks/{id}/resolve", post(pages::resolve))
        .route("/tasks/{id}/assign", post(pages::assign))
        .route("/profiles/{id}", get(pages::profile))
        .route("/profiles/{id}/audit", get(pages::audit))
        .route("/profiles/{id}/pin", post(pages::pin))
        .route("/profiles/{id}/split", post(pages::split))
        .route_layer(middleware::from_fn_with_state(state.clone(), steward_only));
    Router::new()
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .merge(stewards_only)
        .with_state(state)
}
