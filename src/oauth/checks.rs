//! The stable check ids and titles the proof and the probes report. Scripts match on the
//! ids (`--json`), so never rename one; add new ones instead.
//!
//! | id | from | proves |
//! |---|---|---|
//! | `store_entry` | verify | the stored entry loads and parses (the store is named) |
//! | `discovery` | probe | the login host answers and its discovery document is valid |
//! | `client_and_callback` | both | the consumer key is known and the callback(s) registered |
//! | `pkce_required` | both | an authorize request without a PKCE challenge is refused |
//! | `secret_accepted` | probe | a token request with the secret is not refused as `invalid_client` |
//! | `token_exchange` | proof | the code exchange works with the secret and the PKCE verifier |
//! | `secret_signature` | proof | the response `signature` verifies with exactly the stored secret |
//! | `api_scope` | proof | an authenticated REST call on `instance_url` succeeds |
//! | `scopes_granted` | proof | `web` and `refresh_token` were granted and a refresh token issued |
//! | `refresh_requires_secret` | proof | refresh works with the secret and is refused without it |
//! | `identity` | proof | who logged in (userinfo): user, org id, instance |
//! | `tokens_revoked` | proof | every token the proof obtained was revoked |

pub const STORE_ENTRY: &str = "store_entry";
pub const DISCOVERY: &str = "discovery";
pub const CLIENT_AND_CALLBACK: &str = "client_and_callback";
pub const PKCE_REQUIRED: &str = "pkce_required";
pub const SECRET_ACCEPTED: &str = "secret_accepted";
pub const TOKEN_EXCHANGE: &str = "token_exchange";
pub const SECRET_SIGNATURE: &str = "secret_signature";
pub const API_SCOPE: &str = "api_scope";
pub const SCOPES_GRANTED: &str = "scopes_granted";
pub const REFRESH_REQUIRES_SECRET: &str = "refresh_requires_secret";
pub const IDENTITY: &str = "identity";
pub const TOKENS_REVOKED: &str = "tokens_revoked";

/// Every id, in report order (proof order, with the probe-only ones where they run).
pub const ALL: &[&str] = &[
    STORE_ENTRY,
    DISCOVERY,
    CLIENT_AND_CALLBACK,
    TOKEN_EXCHANGE,
    SECRET_ACCEPTED,
    SECRET_SIGNATURE,
    API_SCOPE,
    SCOPES_GRANTED,
    REFRESH_REQUIRES_SECRET,
    PKCE_REQUIRED,
    IDENTITY,
    TOKENS_REVOKED,
];

/// The human title of a check id.
pub fn title(id: &str) -> &'static str {
    match id {
        STORE_ENTRY => "Stored credentials",
        DISCOVERY => "Login host and discovery document",
        CLIENT_AND_CALLBACK => "Consumer key known and callback registered",
        PKCE_REQUIRED => "PKCE required",
        SECRET_ACCEPTED => "Consumer secret accepted",
        TOKEN_EXCHANGE => "Token exchange with secret and PKCE verifier",
        SECRET_SIGNATURE => "Consumer secret exactly right (signature)",
        API_SCOPE => "API access (api scope)",
        SCOPES_GRANTED => "web and refresh_token scopes granted",
        REFRESH_REQUIRES_SECRET => "Refresh works and requires the secret",
        IDENTITY => "Who logged in",
        TOKENS_REVOKED => "Tokens revoked",
        _ => "Check",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_snake_case_and_titled() {
        for (i, id) in ALL.iter().enumerate() {
            assert!(
                id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{id}"
            );
            assert_ne!(title(id), "Check", "{id} has no title");
            assert!(!ALL[i + 1..].contains(id), "{id} twice");
        }
    }
}
