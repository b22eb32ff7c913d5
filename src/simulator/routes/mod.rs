//! The simulated org's HTTP surface: the route table, the per-request middleware (counting
//! and latency) and the small response helpers every handler shares. Parameters are parsed
//! by hand from the raw query or body so that no malformed request can make an extractor
//! answer with something Salesforce would not say.

mod authorize;
mod metadata;
mod resource;
mod token;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::state::Shared;

/// Every route the simulator serves.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(resource::landing))
        .route("/demo/consumer", get(resource::consumer))
        .route(
            "/.well-known/openid-configuration",
            get(resource::discovery),
        )
        .route("/id/keys", get(resource::jwks))
        .route("/id/{org_id}/{user_id}", get(resource::identity))
        .route("/services/oauth2/authorize", get(authorize::authorize))
        .route(
            "/login",
            get(authorize::login_form).post(authorize::login_submit),
        )
        .route(
            "/setup/secur/RemoteAccessErrorPage.apexp",
            get(resource::remote_access_error),
        )
        .route("/services/oauth2/token", post(token::token))
        .route("/services/oauth2/revoke", post(token::revoke))
        .route("/services/oauth2/introspect", post(token::introspect))
        .route("/services/oauth2/userinfo", get(resource::userinfo))
        .route("/services/data", get(resource::versions))
        .route("/services/data/", get(resource::versions))
        .route("/services/data/{version}", get(resource::version_resources))
        .route(
            "/services/data/{version}/",
            get(resource::version_resources),
        )
        .route("/services/Soap/m/{version}", post(metadata::soap))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(shared.clone(), observe))
        .with_state(shared)
}

/// The stats key for a path: the route pattern, so ids in paths do not multiply keys.
fn route_key(path: &str) -> &'static str {
    const EXACT: &[&str] = &[
        "/",
        "/demo/consumer",
        "/.well-known/openid-configuration",
        "/id/keys",
        "/services/oauth2/authorize",
        "/login",
        "/setup/secur/RemoteAccessErrorPage.apexp",
        "/services/oauth2/token",
        "/services/oauth2/revoke",
        "/services/oauth2/introspect",
        "/services/oauth2/userinfo",
        "/services/data/",
    ];
    if let Some(known) = EXACT.iter().find(|p| **p == path) {
        return known;
    }
    match path {
        "/services/data" => "/services/data/",
        p if p.starts_with("/services/data/") => "/services/data/{version}/",
        p if p.starts_with("/services/Soap/m/") => "/services/Soap/m/{version}",
        p if p.starts_with("/id/") => "/id/{org_id}/{user_id}",
        _ => "other",
    }
}

/// Counts the request, then holds it for the configured latency (the server's own
/// behaviour, as a slow org would show it).
async fn observe(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    shared.count_request(route_key(request.uri().path()));
    let latency = shared.config().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    next.run(request).await
}

async fn not_found() -> Response {
    let body = r#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#;
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        body,
    )
        .into_response()
}

/// Query or form parameters in order; the first occurrence of a name wins.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: &[u8]) -> Params {
        Params(url::form_urlencoded::parse(raw).into_owned().collect())
    }

    pub fn from_query(query: Option<&str>) -> Params {
        Params::parse(query.unwrap_or("").as_bytes())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Salesforce's OAuth error body: HTTP 400, `{"error":…,"error_description":…}`.
pub(crate) fn oauth_error(error: &str, description: &str) -> Response {
    let body = serde_json::json!({ "error": error, "error_description": description });
    no_store(StatusCode::BAD_REQUEST, body)
}

/// JSON with the no-cache headers OAuth responses carry.
pub(crate) fn no_store(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache,must-revalidate,max-age=0,no-store,private"),
    );
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// A 302 (what Salesforce uses for OAuth redirects), or a 400 if the target cannot be a
/// header value (it always can for a serialized `Url`).
pub(crate) fn found(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => {
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::FOUND;
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => (StatusCode::BAD_REQUEST, "invalid redirect target").into_response(),
    }
}

/// An HTML page.
pub(crate) fn html(status: StatusCode, page: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html;charset=UTF-8")],
        page,
    )
        .into_response()
}

/// The access token from `Authorization: Bearer …` (Salesforce also accepts `OAuth …`).
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    let scheme_ok = scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth");
    (scheme_ok && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_keys_collapse_ids_and_unknown_paths() {
        assert_eq!(
            route_key("/services/oauth2/token"),
            "/services/oauth2/token"
        );
        assert_eq!(route_key("/id/00D/005"), "/id/{org_id}/{user_id}");
        assert_eq!(
            route_key("/services/data/v62.0/"),
            "/services/data/{version}/"
        );
        assert_eq!(route_key("/services/data"), "/services/data/");
        assert_eq!(route_key("/favicon.ico"), "other");
    }

    #[test]
    fn params_take_the_first_value_and_decode_plus_as_space() {
        let p = Params::from_query(Some("scope=api+web&a=1&a=2&bad=%ZZ"));
        assert_eq!(p.get("scope"), Some("api web"));
        assert_eq!(p.get("a"), Some("1"));
        assert_eq!(p.get("bad"), Some("%ZZ"));
        assert_eq!(p.get("missing"), None);
    }

    #[test]
    fn bearer_accepts_bearer_and_oauth_schemes_only() {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer abc"),
        );
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("OAuth xyz"));
        assert_eq!(bearer(&h), Some("xyz"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic Zm9v"),
        );
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer(&h), None);
    }
}
