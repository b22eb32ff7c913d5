//! The oauth2 client as Salesforce needs it: client credentials in the request body
//! (client_secret_post; Basic auth was seen to fail on the code exchange) and a token
//! response that keeps Salesforce's extra fields (`instance_url`, `id`, `issued_at`,
//! `signature`). Tokens stay in oauth2's redacting types.

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthType, AuthUrl, Client, ClientId, ClientSecret, EndpointNotSet, EndpointSet,
    ExtraTokenFields, RedirectUrl, RevocationUrl, StandardRevocableToken, StandardTokenResponse,
    TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize};
use url::Url;

use crate::salesforce::endpoints::Endpoints;

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
