//! Signing in to the console: a steward token typed once, kept in an
//! HttpOnly, SameSite=Strict cookie (so other sites cannot post forms with
//! it) and checked on every route with the same [`Authenticator`] as the
//! gRPC services. No token → 401 with the sign-in form; a token without the
//! steward role → 403.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::html::{escape, page};
use crate::auth::{Authenticator, Role, Subject};

pub const COOKIE: &str = "c360_console";

/// The token of the console cookie, if any.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The signed-in steward, or the response that refuses the request.
pub fn require_steward(
    authenticator: &Authenticator,
    headers: &HeaderMap,
) -> Result<Subject, Box<Response>> {
    let token = cookie_token(headers);
    let authorization = token.map(|token| format!("Bearer {token}"));
    authenticator
        .authorize_role(Role::Steward, authorization.as_deref())
        .map_err(|status| {
            Box::new(match status.code() {
            tonic::Code::PermissionDenied => (
                StatusCode::FORBIDDEN,
                Html(page(
                    "Permission denied",
                    None,
                    &format!(
                        "<p class=\"error\">{}</p><p><a href=\"/login\">Sign in with a steward token</a></p>",
                        escape(status.message())
                    ),
                )),
            )
                .into_response(),
            _ => (StatusCode::UNAUTHORIZED, Html(login_page(Some(status.message()))))
                .into_response(),
            })
        })
}

pub fn login_page(error: Option<&str>) -> String {
    let error = error
        .map(|message| format!("<p class=\"error\">{}</p>", escape(message)))
        .unwrap_or_default();
    page(
        "Sign in",
        None,
        &format!(
            "{error}<form method=\"post\" action=\"/login\">\
             <label>Steward token <input type=\"password\" name=\"token\" id=\"token\" autocomplete=\"off\"></label> \
             <button type=\"submit\" id=\"sign-in\">Sign in</button></form>"
        ),
    )
}

/// After a successful sign-in: the cookie, and off to the queue.
pub fn signed_in(token: &str) -> Response {
    let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, "/".to_owned()),
        ],
    )
        .into_response()
}

pub fn signed_out() -> Response {
    let cookie = format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, "/login".to_owned()),
        ],
    )
        .into_response()
}

/// Whether a token may sign in (a header-safe steward token).
pub fn token_is_steward(authenticator: &Authenticator, token: &str) -> Result<Subject, String> {
    if token.is_empty() || !token.bytes().all(|byte| byte.is_ascii_graphic()) {
        return Err("enter the steward token you were given".into());
    }
    authenticator
        .authorize_role(Role::Steward, Some(&format!("Bearer {token}")))
        .map_err(|status| status.message().to_owned())
}
