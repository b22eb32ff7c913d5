//! The oauth2 client as Salesforce needs it — client credentials in the request body
//! (client_secret_post; Basic auth was seen to fail on the code exchange) and a token
//! response that keeps Salesforce's extra fields (`instance_url`, `id`, `issued_at`,
//! `signature`) — and the two token requests: the code exchange and a refresh. Tokens stay
//! in oauth2's redacting types.

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AccessToken, AuthType, AuthUrl, AuthorizationCode, Client, ClientId, ClientSecret,
    EndpointNotSet, EndpointSet, ExtraTokenFields, HttpClientError, PkceCodeVerifier, RedirectUrl,
    RefreshToken, RequestTokenError, RevocationUrl, StandardRevocableToken, StandardTokenResponse,
    TokenResponse as _, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use crate::error::AppError;
use crate::net::{is_transport_failure, transport_error, Http, Recording};
use crate::salesforce::endpoints::Endpoints;
use crate::text::clean_server_text;

/// Salesforce's fields beyond RFC 6749. All optional: another OAuth server sends none of
/// them, and that makes the Salesforce-only checks "unknown", not a parse failure.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct SalesforceTokenFields {
    /// Where to call the APIs, e.g. `https://acme.my.salesforce.com`.
    #[serde(default)]
    pub instance_url: Option<String>,
    /// The identity URL `https://login.salesforce.com/id/<orgId>/<userId>`.
    #[serde(default)]
    pub id: Option<String>,
    /// Opaque: documented as seconds, seen as 13-digit milliseconds, sometimes a number.
    #[serde(default, deserialize_with = "string_or_number")]
    pub issued_at: Option<String>,
    /// Base64(HMAC-SHA256(consumer secret, id + issued_at)). Not a secret itself.
    #[serde(default)]
    pub signature: Option<String>,
}

impl ExtraTokenFields for SalesforceTokenFields {}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

pub type TokenResponse = StandardTokenResponse<SalesforceTokenFields, BasicTokenType>;

/// A client with authorize, token and revoke endpoints set.
pub type OAuthClient = Client<
    BasicErrorResponse,
    TokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
    EndpointSet,
>;

/// Builds the client. `secret: None` builds one that authenticates with the key alone,
/// which the proof uses to show that a refresh without the secret is refused.
pub fn oauth_client(
    endpoints: &Endpoints,
    consumer_key: &str,
    secret: Option<&SecretString>,
    redirect: &Url,
) -> OAuthClient {
    let client = Client::new(ClientId::new(consumer_key.to_string()))
        .set_auth_type(AuthType::RequestBody)
        .set_auth_uri(AuthUrl::from_url(endpoints.authorize.clone()))
        .set_token_uri(TokenUrl::from_url(endpoints.token.clone()))
        .set_revocation_url(RevocationUrl::from_url(endpoints.revoke.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect.clone()));
    match secret {
        Some(s) => client.set_client_secret(ClientSecret::new(s.expose_secret().to_string())),
        None => client,
    }
}

/// Tokens the proof obtained and must revoke (their `Debug` is redacted).
#[derive(Debug, Default)]
pub struct Minted {
    pub refresh: Vec<RefreshToken>,
    pub access: Vec<AccessToken>,
}

impl Minted {
    pub fn add(&mut self, token: &TokenResponse) {
        if let Some(rt) = token.refresh_token() {
            if !self.refresh.iter().any(|r| r.secret() == rt.secret()) {
                self.refresh.push(rt.clone());
            }
        }
        self.access.push(token.access_token().clone());
    }
}

impl Minted {
    /// The tokens in a 2xx token response that did not parse as one (a missing
    /// `token_type`, a wrong content type…): read leniently, JSON or form-encoded, so that
    /// nothing the server issued is left alive.
    pub fn from_unparsed(body: &[u8]) -> Minted {
        let field = |name: &str| -> Option<String> {
            let from_json = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v.get(name)?.as_str().map(str::to_owned));
            from_json
                .or_else(|| {
                    url::form_urlencoded::parse(body)
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.into_owned())
                })
                .filter(|t| !t.trim().is_empty())
        };
        Minted {
            refresh: field("refresh_token")
                .map(RefreshToken::new)
                .into_iter()
                .collect(),
            access: field("access_token")
                .map(AccessToken::new)
                .into_iter()
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.refresh.is_empty() && self.access.is_empty()
    }

    /// Takes over `other`'s tokens (a refresh token only once).
    pub fn extend(&mut self, other: Minted) {
        for rt in other.refresh {
            if !self.refresh.iter().any(|r| r.secret() == rt.secret()) {
                self.refresh.push(rt);
            }
        }
        self.access.extend(other.access);
    }
}

/// oauth2's error for a token request sent through [`Http`].
pub type TokenError = RequestTokenError<HttpClientError<reqwest::Error>, BasicErrorResponse>;

/// What a token endpoint answered (the code exchange or a refresh).
#[derive(Debug)]
pub enum TokenAnswer {
    Tokens(Box<TokenResponse>),
    /// An OAuth error response (`error`, `error_description`), as the server sent them.
    Refused {
        error: String,
        description: Option<String>,
    },
    /// Not a token response oauth2 could read. `why` says what was wrong without quoting the
    /// body; `minted` holds any tokens a 2xx answer still carried (they must be revoked).
    Unreadable {
        status: u16,
        why: String,
        minted: Minted,
    },
}

/// Sorts oauth2's result for a request sent through `recording` into a [`TokenAnswer`].
/// `Err` only for a transport failure before any answer (exit 5).
pub fn read_answer(
    result: Result<TokenResponse, TokenError>,
    recording: &Recording<'_>,
    endpoint: &Url,
) -> Result<TokenAnswer, AppError> {
    let err = match result {
        Ok(t) => return Ok(TokenAnswer::Tokens(Box::new(t))),
        Err(e) if is_transport_failure(&e) => {
            return Err(recording
                .http()
                .failure("token request", endpoint, transport_error(&e)))
        }
        Err(RequestTokenError::ServerResponse(e)) => {
            return Ok(TokenAnswer::Refused {
                error: e.error().as_ref().to_string(),
                description: e.error_description().cloned(),
            })
        }
        Err(e) => e,
    };
    // Never the serde message itself: it can quote values from the body.
    let why = match &err {
        RequestTokenError::Parse(e, _) if e.inner().to_string().starts_with("missing field") => {
            let message = e.inner().to_string();
            let field = message.split('`').nth(1).unwrap_or("?").to_owned();
            format!("it lacks the required field `{field}`")
        }
        RequestTokenError::Parse(e, _) if e.path().to_string() != "." => {
            format!("its field `{}` is not as OAuth defines it", e.path())
        }
        RequestTokenError::Other(m) => clean_server_text(m),
        _ => "it is not an OAuth JSON token response".to_string(),
    };
    let (status, body) = recording.take_last().unwrap_or_default();
    let minted = if (200..300).contains(&status) {
        Minted::from_unparsed(&body)
    } else {
        Minted::default()
    };
    Ok(TokenAnswer::Unreadable {
        status,
        why,
        minted,
    })
}

/// Exchanges `code` (with the PKCE verifier; the secret, if the client has one, in the
/// body) for tokens.
pub async fn exchange_code(
    http: &Http,
    client: &OAuthClient,
    code: AuthorizationCode,
    verifier: PkceCodeVerifier,
) -> Result<TokenAnswer, AppError> {
    let recording = http.recording();
    let result = client
        .exchange_code(code)
        .set_pkce_verifier(verifier)
        .request_async(&recording)
        .await;
    read_answer(result, &recording, client.token_uri().url())
}

/// Redeems a refresh token (with the client's secret, if it has one).
pub async fn refresh(
    http: &Http,
    client: &OAuthClient,
    token: &RefreshToken,
) -> Result<TokenAnswer, AppError> {
    let recording = http.recording();
    let result = client
        .exchange_refresh_token(token)
        .request_async(&recording)
        .await;
    read_answer(result, &recording, client.token_uri().url())
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_salesforce_token_response_keeps_its_extra_fields() {
        let body = r#"{"access_token":"00Dx!AQ","refresh_token":"5Aep","signature":"c2ln","scope":"refresh_token web api",
            "instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00Dx/005x",
            "token_type":"Bearer","issued_at":"1700000000000"}"#;
        let t: TokenResponse = serde_json::from_str(body).unwrap();
        assert_eq!(
            t.extra_fields().instance_url.as_deref(),
            Some("https://acme.my.salesforce.com")
        );
        assert_eq!(t.extra_fields().issued_at.as_deref(), Some("1700000000000"));
        assert_eq!(t.extra_fields().signature.as_deref(), Some("c2ln"));
        use oauth2::TokenResponse as _;
        assert!(t.refresh_token().is_some());
        assert!(
            !format!("{t:?}").contains("00Dx!AQ"),
            "the access token is redacted in Debug"
        );
    }

    #[test]
    fn a_numeric_issued_at_and_missing_fields_parse() {
        let t: TokenResponse = serde_json::from_str(
            r#"{"access_token":"a","token_type":"Bearer","issued_at":1700000000}"#,
        )
        .unwrap();
        assert_eq!(t.extra_fields().issued_at.as_deref(), Some("1700000000"));
        assert!(t.extra_fields().signature.is_none());
    }
}
