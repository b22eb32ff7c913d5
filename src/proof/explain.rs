//! What each Salesforce OAuth error means for this app and the exact Setup field that fixes
//! it. Every `error` / `error_description` in the reference ("Authorize errors", "Token
//! errors") has an entry; anything else is reported verbatim with a generic fix.

use crate::recipe::{self, location, SecurityOption};
use crate::text::clean_server_text;

/// Which request the error answered (the same code can mean different things).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Authorize,
    TokenExchange,
    Refresh,
}

/// Context for the messages: the callback in use and the command to retry with.
#[derive(Clone, Debug)]
pub struct Context<'a> {
    pub redirect_uri: &'a str,
    pub retry_command: &'a str,
}

/// One explained error: `detail` (what the server said and what it means) and `fix`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    pub detail: String,
    pub fix: String,
}

fn propagation(ctx: &Context<'_>) -> String {
    format!(
        "if you created or changed the app in the last 10 minutes, wait: changes can take up to 10 minutes to reach every Salesforce server; retry with `{}`",
        ctx.retry_command
    )
}

/// What `error` (with `description`) means for this app, and the fix.
pub fn explain(
    stage: Stage,
    error: &str,
    description: Option<&str>,
    ctx: &Context<'_>,
) -> Explained {
    let desc = clean_server_text(description.unwrap_or("").trim());
    let shown_error = clean_server_text(error);
    let said = if desc.is_empty() {
        format!("`{shown_error}`")
    } else {
        format!("`{shown_error}` ({desc})")
    };
    let lower = desc.to_ascii_lowercase();
    let (meaning, fix) =
        grant_error(error, &lower, ctx).unwrap_or_else(|| other_error(stage, error, ctx));
    Explained {
        detail: format!("{} answered {said}: {meaning}.", stage_name(stage)),
        fix,
    }
}

/// The grant and request errors, told apart by their description.
fn grant_error(error: &str, lower: &str, ctx: &Context<'_>) -> Option<(String, String)> {
    Some(match error {
        "invalid_request" if lower.contains("code challenge") || lower.contains("pkce") => (
            "the authorize request was refused for lack of a PKCE challenge".into(),
            format!("nothing to change: {} is on, as Webex needs", SecurityOption::Pkce.label()),
        ),
        "invalid_grant" | "invalid_request" if lower.contains("code verifier") => (
            "the PKCE code verifier did not match the challenge".into(),
            format!("run `{}` again (each run uses a fresh verifier); if it persists, report it", ctx.retry_command),
        ),
        "invalid_grant" if lower.contains("expired authorization code") => (
            "the authorization code was already used or expired (codes are single-use, about 15 minutes)".into(),
            format!("run `{}` again and finish signing in promptly", ctx.retry_command),
        ),
        "invalid_grant" if lower.contains("approved") => (
            "the user has not approved this app, and the app does not let users approve it themselves".into(),
            "in the app's Policies, set Permitted Users to \"All users may self-authorize\", or pre-authorize your profile or permission set".into(),
        ),
        "invalid_grant" if lower.contains("inactive user") => (
            "the user who signed in is inactive".into(),
            "sign in as an active user (Setup → Users)".into(),
        ),
        "invalid_grant" if lower.contains("expired access/refresh token") => (
            "the refresh token was revoked or has expired".into(),
            format!("check the app's Refresh Token Policy (\"valid until revoked\"), then run `{}` again", ctx.retry_command),
        ),
        "invalid_grant" => (
            "Salesforce refused the grant (authentication failure)".into(),
            format!("run `{}` again; if it persists, check the user can sign in to the org", ctx.retry_command),
        ),
        _ => return None,
    })
}

/// Every other error, by its code (and the stage it answered).
fn other_error(stage: Stage, error: &str, ctx: &Context<'_>) -> (String, String) {
    match error {
        "invalid_client_id" => (
            "Salesforce does not know this consumer key (or the app has not reached this server yet)".into(),
            format!(
                "copy the Consumer Key again from {} (the whole value); {}",
                location::CONSUMER_DETAILS,
                propagation(ctx)
            ),
        ),
        "redirect_uri_mismatch" | "invalid_redirect_uri" => (
            format!("the callback {} is not registered on the app", ctx.redirect_uri),
            format!(
                "add {} as its own line in {} and save; {}",
                ctx.redirect_uri,
                location::CALLBACK,
                propagation(ctx)
            ),
        ),
        "invalid_scope" => (
            "the app does not allow a requested scope".into(),
            format!(
                "in {}, select {}",
                location::SCOPES,
                recipe::required_scopes().map(|s| s.label).collect::<Vec<_>>().join(", ")
            ),
        ),
        "access_denied" => (
            "the sign-in was denied (\"Deny\" was clicked, or the org refused the app for this user)".into(),
            format!("run `{}` again and click Allow", ctx.retry_command),
        ),
        "OAUTH_EC_APP_NOT_FOUND" => (
            "the app is not available in the org you signed in to".into(),
            "sign in to the org where the app was created (check the org URL you gave), or install the app there".into(),
        ),
        "OAUTH_APP_BLOCKED" => (
            "an admin has blocked this app in the org".into(),
            "unblock it in Setup → Connected Apps OAuth Usage (the app's row → Unblock)".into(),
        ),
        "OAUTH_APP_ACCESS_DENIED" => (
            "the app's policies refuse this user (permitted users, IP ranges or session policy)".into(),
            "in the app's Policies, set Permitted Users to \"All users may self-authorize\" (or assign your profile or permission set) and relax IP restrictions, then retry".into(),
        ),
        "invalid_client" | "unauthorized_client" if stage == Stage::Refresh => (
            "the refresh was refused: the client credentials were not accepted".into(),
            format!("copy the Consumer Secret again from {} (the whole value); then run `{}`", location::CONSUMER_DETAILS, ctx.retry_command),
        ),
        "invalid_client" | "unauthorized_client" => (
            if stage == Stage::Authorize {
                "the server does not know this client".into()
            } else {
                "the consumer secret is wrong or missing (invalid client credentials)".into()
            },
            format!(
                "copy the Consumer Secret again from {} — the whole value, no spaces — and check the Consumer Key is the matching key; then run `{}`",
                location::CONSUMER_DETAILS,
                ctx.retry_command
            ),
        ),
        "unsupported_grant_type" => (
            "this host does not accept this grant type (often the wrong host)".into(),
            "use your org's login URL (My Domain, e.g. https://NAME.my.salesforce.com)".into(),
        ),
        "LOGIN_RATE_EXCEEDED" => (
            "too many logins for this user (3,600 per hour)".into(),
            "wait an hour, then retry".into(),
        ),
        _ => (
            "the server refused the request".into(),
            format!("see the server's message above; check the app in {}", location::NEW_APP),
        ),
    }
}

fn stage_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Authorize => "Authorize",
        Stage::TokenExchange => "The token endpoint",
        Stage::Refresh => "The refresh request",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTX: Context<'static> = Context {
        redirect_uri: "http://localhost:1717/OauthRedirect",
        retry_command: "sf-webex-setup init --verify",
    };

    #[test]
    fn escape_sequences_in_server_text_never_reach_the_terminal() {
        let hostile = "bad\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\r\nline\u{202e}txt";
        let e = explain(
            Stage::TokenExchange,
            "invalid_grant\u{1b}[1m",
            Some(hostile),
            &CTX,
        );
        for text in [&e.detail, &e.fix] {
            assert!(!text.chars().any(|c| c.is_control()), "{text:?}");
            assert!(!text.contains('\u{202e}'), "{text:?}");
        }
        assert!(
            e.detail.contains("bad]0;pwned[2J31m linetxt"),
            "{}",
            e.detail
        );
        assert_eq!(clean_server_text(&"x".repeat(400)).chars().count(), 301);
    }

    #[test]
    fn a_just_created_app_gets_wait_and_retry_with_the_command() {
        for code in ["invalid_client_id", "redirect_uri_mismatch"] {
            let e = explain(Stage::Authorize, code, None, &CTX);
            assert!(e.fix.contains("up to 10 minutes"), "{code}: {}", e.fix);
            assert!(
                e.fix.contains("retry with `sf-webex-setup init --verify`"),
                "{code}: {}",
                e.fix
            );
        }
    }

    #[test]
    fn every_reference_error_names_a_specific_fix() {
        let cases: &[(Stage, &str, &str, &str)] = &[
            (
                Stage::Authorize,
                "redirect_uri_mismatch",
                "redirect_uri must match configuration",
                location::CALLBACK,
            ),
            (
                Stage::Authorize,
                "invalid_scope",
                "the requested scope is not allowed",
                location::SCOPES,
            ),
            (
                Stage::Authorize,
                "access_denied",
                "end-user denied authorization",
                "Allow",
            ),
            (Stage::Authorize, "OAUTH_EC_APP_NOT_FOUND", "", "org"),
            (Stage::Authorize, "OAUTH_APP_BLOCKED", "", "Unblock"),
            (
                Stage::Authorize,
                "OAUTH_APP_ACCESS_DENIED",
                "",
                "Permitted Users",
            ),
            (
                Stage::TokenExchange,
                "invalid_client",
                "invalid client credentials",
                "Consumer Secret",
            ),
            (
                Stage::TokenExchange,
                "invalid_grant",
                "expired authorization code",
                "again",
            ),
            (
                Stage::TokenExchange,
                "invalid_grant",
                "invalid code verifier",
                "verifier",
            ),
            (
                Stage::TokenExchange,
                "invalid_request",
                "invalid code verifier",
                "verifier",
            ),
            (
                Stage::TokenExchange,
                "invalid_grant",
                "authentication failure",
                "sign in",
            ),
            (
                Stage::TokenExchange,
                "invalid_grant",
                "user hasn't approved this consumer",
                "self-authorize",
            ),
            (
                Stage::Refresh,
                "invalid_grant",
                "expired access/refresh token",
                "Refresh Token Policy",
            ),
            (
                Stage::TokenExchange,
                "invalid_grant",
                "inactive user",
                "active user",
            ),
            (
                Stage::TokenExchange,
                "unsupported_grant_type",
                "grant type not supported",
                "My Domain",
            ),
            (
                Stage::TokenExchange,
                "invalid_client_id",
                "client identifier invalid",
                location::CONSUMER_DETAILS,
            ),
        ];
        for (stage, code, desc, expect) in cases {
            let e = explain(*stage, code, Some(desc), &CTX);
            assert!(
                e.fix.contains(expect) || e.detail.contains(expect),
                "{code} {desc}: {e:?}"
            );
            assert!(e.detail.contains(code), "{code}: {}", e.detail);
        }
    }
}
