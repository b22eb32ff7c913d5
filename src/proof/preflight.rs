//! The checks that need no login, shared by `init --verify` (through [`super::probe`]) and
//! the full proof: the key and every callback (`client_and_callback`), PKCE
//! (`pkce_required`) and the secret (`secret_accepted`, a token request with a made-up
//! code). Each returns its [`Check`], or an [`AppError`] when the network failed.

use oauth2::basic::BasicErrorResponseType;
use oauth2::{AuthorizationCode, PkceCodeVerifier, RequestTokenError};
use secrecy::SecretString;
use tokio::task::JoinSet;
use url::Url;

use super::explain::{explain, Context, Stage};
use crate::error::{AppError, ErrorCode};
use crate::net::{is_transport_failure, transport_error, Http};
use crate::oauth::authorize::{self, AuthorizeAnswer};
use crate::oauth::client::oauth_client;
use crate::recipe::SecurityOption;
use crate::recipe::{self, location};
use crate::report::CheckId;
use crate::report::{Check, CheckStatus};
use crate::salesforce::endpoints::Endpoints;
use crate::text::clean_server_text;
use crate::validate::callback::is_loopback_callback;

/// What one callback's authorize probe said.
enum CallbackVerdict {
    Registered,
    KeyUnknown(Option<String>),
    NotRegistered,
    Refused {
        error: String,
        description: Option<String>,
    },
    Unclear(String),
}

fn verdict(answer: AuthorizeAnswer) -> CallbackVerdict {
    match answer {
        AuthorizeAnswer::LoginPage { .. }
        | AuthorizeAnswer::CallbackCode
        | AuthorizeAnswer::CallbackError { .. } => CallbackVerdict::Registered,
        AuthorizeAnswer::ErrorPage { error, description } => match error.as_str() {
            "invalid_client_id" | "invalid_client" => CallbackVerdict::KeyUnknown(description),
            "redirect_uri_mismatch" | "invalid_redirect_uri" => CallbackVerdict::NotRegistered,
            _ => CallbackVerdict::Refused { error, description },
        },
        AuthorizeAnswer::Unrecognised { status, hint } => {
            CallbackVerdict::Unclear(format!("HTTP {status}, {hint}"))
        }
    }
}

/// Whether an unregistered loopback line fails `client_and_callback`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loopback {
    /// The sign-in is about to use it: it must be registered.
    Needed,
    /// Only a later `verify --login` would use it (the wizard says it may be removed after
    /// setup): its absence is said, not failed.
    Optional,
}

/// `client_and_callback`, and whether its refusal is one a new or edited app gives until it
/// has reached every Salesforce server (an unknown key, an unregistered callback).
pub struct CallbackCheck {
    pub check: Check,
    pub may_be_propagating: bool,
}

/// `client_and_callback`: one authorize probe per callback (with a PKCE challenge, so only
/// the key and the callback can be refused), all at once.
pub async fn client_and_callback(
    http: &Http,
    endpoints: &Endpoints,
    consumer_key: &str,
    callbacks: &[String],
    ctx: &Context<'_>,
    loopback: Loopback,
) -> Result<CallbackCheck, AppError> {
    let verdicts = probe_callbacks(http, endpoints, consumer_key, callbacks).await?;
    let verdicts: Vec<(&String, CallbackVerdict)> = callbacks.iter().zip(verdicts).collect();
    let (verdicts, gone): (Vec<_>, Vec<_>) = match loopback {
        Loopback::Needed => (verdicts, Vec::new()),
        Loopback::Optional => verdicts.into_iter().partition(|(cb, v)| {
            !(matches!(v, CallbackVerdict::NotRegistered) && is_loopback_callback(cb))
        }),
    };
    let check = judge_callbacks(&verdicts, ctx);
    // The judgement names an unknown key or unregistered callbacks before anything else.
    let may_be_propagating = check.status == CheckStatus::Fail
        && verdicts.iter().any(|(_, v)| {
            matches!(
                v,
                CallbackVerdict::KeyUnknown(_) | CallbackVerdict::NotRegistered
            )
        });
    let check = match gone.first() {
            Some((cb, _)) if check.status == CheckStatus::Pass => Check::pass(
                CheckId::ClientAndCallback,
                format!(
                    "{} The loopback line {cb} is no longer registered: that is fine for Webex and for this check; `verify --login` needs it back in {}.",
                    check.detail,
                    location::CALLBACK
                ),
            ),
        _ => check,
    };
    Ok(CallbackCheck {
        check,
        may_be_propagating,
    })
}

/// One authorize probe per callback, all at once; the verdicts in `callbacks` order.
async fn probe_callbacks(
    http: &Http,
    endpoints: &Endpoints,
    consumer_key: &str,
    callbacks: &[String],
) -> Result<Vec<CallbackVerdict>, AppError> {
    let mut tasks = JoinSet::new();
    for (i, callback) in callbacks.iter().enumerate() {
        let (http, url, key, callback) = (
            http.clone(),
            endpoints.authorize.clone(),
            consumer_key.to_string(),
            callback.clone(),
        );
        tasks.spawn(async move {
            (
                i,
                authorize::probe(&http, &url, &key, &callback, &recipe::scope_request(), true)
                    .await,
            )
        });
    }
    let mut answers: Vec<Option<CallbackVerdict>> = callbacks.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        let (i, answer) =
            joined.map_err(|_| AppError::internal("An authorize probe task failed."))?;
        answers[i] = Some(verdict(answer?));
    }
    Ok(answers.into_iter().flatten().collect())
}

/// `client_and_callback` from the verdicts: an unknown key first, then every unregistered
/// callback, then any other refusal, then anything unclear.
fn judge_callbacks(verdicts: &[(&String, CallbackVerdict)], ctx: &Context<'_>) -> Check {
    let id = CheckId::ClientAndCallback;
    let refused = |callback: &str, error: &str, description: Option<&str>| {
        let at = Context {
            redirect_uri: callback,
            ..ctx.clone()
        };
        let e = explain(Stage::Authorize, error, description, &at);
        let verdict = match error {
            "invalid_client_id" => "the key is unknown".to_string(),
            other => format!("refused: {}", clean_server_text(other)),
        };
        Check::fail(id, e.detail, e.fix).with_verdict(verdict)
    };
    for (cb, v) in verdicts {
        if let CallbackVerdict::KeyUnknown(desc) = v {
            return refused(cb, "invalid_client_id", desc.as_deref());
        }
    }
    let missing: Vec<&str> = verdicts
        .iter()
        .filter(|(_, v)| matches!(v, CallbackVerdict::NotRegistered))
        .map(|(c, _)| c.as_str())
        .collect();
    if !missing.is_empty() {
        return unregistered(&missing, ctx);
    }
    for (cb, v) in verdicts {
        if let CallbackVerdict::Refused { error, description } = v {
            return refused(cb, error, description.as_deref());
        }
    }
    for (cb, v) in verdicts {
        if let CallbackVerdict::Unclear(what) = v {
            let why = format!(
                "Authorize with {cb} gave an answer this tool does not recognise ({what})."
            );
            return Check::unknown(id, why);
        }
    }
    let list: Vec<&str> = verdicts.iter().map(|(c, _)| c.as_str()).collect();
    Check::pass(
        id,
        format!(
            "Authorize accepted the key with each callback ({}) and went on to the login step.",
            list.join(", ")
        ),
    )
    .with_verdict(match list.len() {
        1 => "accepted with its callback".to_string(),
        2 => "accepted with both callbacks".to_string(),
        n => format!("accepted with all {n} callbacks"),
    })
}

/// The key is known but these callbacks are not registered.
fn unregistered(missing: &[&str], ctx: &Context<'_>) -> Check {
    let at = Context {
        redirect_uri: missing[0],
        ..ctx.clone()
    };
    let e = explain(Stage::Authorize, "redirect_uri_mismatch", None, &at);
    let fix = if missing.len() == 1 {
        e.fix
    } else {
        format!(
            "add each of {} as its own line in {}; {}",
            missing.join(", "),
            location::CALLBACK,
            e.fix
        )
    };
    let detail = format!(
        "The key is known, but Salesforce refused these callbacks (redirect_uri_mismatch): {}.",
        missing.join(", ")
    );
    let verdict = match missing.len() {
        1 => "a callback is not registered".to_string(),
        n => format!("{n} callbacks are not registered"),
    };
    Check::fail(CheckId::ClientAndCallback, detail, fix).with_verdict(verdict)
}

/// `pkce_required`: an authorize probe without a challenge must come back to the callback
/// with "missing required code challenge". A login page first means it cannot be decided
/// without a login: "unknown", never a guessed pass.
pub async fn pkce_required(
    http: &Http,
    endpoints: &Endpoints,
    consumer_key: &str,
    callback: &str,
) -> Result<Check, AppError> {
    let id = CheckId::PkceRequired;
    let pkce = SecurityOption::Pkce;
    let answer = authorize::probe(
        http,
        &endpoints.authorize,
        consumer_key,
        callback,
        &recipe::scope_request(),
        false,
    )
    .await?;
    Ok(match answer {
        AuthorizeAnswer::CallbackError { error, description } => {
            let desc = clean_server_text(&description.unwrap_or_default());
            let lower = desc.to_ascii_lowercase();
            let error = clean_server_text(&error);
            if error == "invalid_request" && (lower.contains("code challenge") || lower.contains("code_challenge") || lower.contains("pkce")) {
                Check::pass(id, format!("PKCE is required: Salesforce refused an authorize request that carried no PKCE challenge ({error}: {desc}).")).with_verdict("a request without a challenge is refused")
            } else {
                Check::unknown(id, format!("Authorize without a PKCE challenge came back with {error} ({desc}), which does not say whether PKCE is required."))
            }
        }
        AuthorizeAnswer::CallbackCode => Check::fail(
            id,
            "PKCE is not required: Salesforce issued a code for an authorize request that carried no PKCE challenge.",
            pkce.tick_fix(),
        )
        .with_verdict("not required"),
        AuthorizeAnswer::LoginPage { .. } => Check::unknown(
            id,
            "Without a challenge, the server asked for a login before saying anything about PKCE, so this cannot be decided without signing in.",
        )
        .with_fix(format!("confirm \"{}\" is ticked in {}", pkce.label(), location::SECURITY)),
        AuthorizeAnswer::ErrorPage { error, .. } => Check::unknown(
            id,
            format!("Authorize was refused for another reason first ({}); see {}.", clean_server_text(&error), CheckId::ClientAndCallback),
        ),
        AuthorizeAnswer::Unrecognised { status, hint } => {
            Check::unknown(id, format!("Authorize without a challenge gave an unrecognised answer (HTTP {status}, {hint})."))
        }
    })
}

/// `secret_accepted`: a token request with the secret and a made-up code.
/// `invalid_client` means the secret is wrong (certain); `invalid_grant` means the client
/// authenticated and only the code was refused — with the caveat that Salesforce does not
/// document which it checks first.
pub async fn secret_accepted(
    http: &Http,
    endpoints: &Endpoints,
    consumer_key: &str,
    secret: &SecretString,
    callback: &str,
    ctx: &Context<'_>,
) -> Result<Check, AppError> {
    let id = CheckId::SecretAccepted;
    let redirect = Url::parse(callback).map_err(|_| {
        AppError::new(
            ErrorCode::BadCallback,
            format!("The stored callback {callback} is not a URL."),
        )
    })?;
    let client = oauth_client(endpoints, consumer_key, Some(secret), &redirect);
    let bogus_code = AuthorizationCode::new(format!(
        "sf-webex-setup-probe-{}",
        oauth2::CsrfToken::new_random().secret()
    ));
    let verifier = PkceCodeVerifier::new(oauth2::CsrfToken::new_random().secret().repeat(2));
    let result = client
        .exchange_code(bogus_code)
        .set_pkce_verifier(verifier)
        .request_async(http)
        .await;
    let caveat = "Salesforce does not document whether it checks the client before the code, so this is strong but not certain evidence.";
    Ok(match result {
        Err(RequestTokenError::ServerResponse(e)) => {
            let desc = e.error_description().cloned();
            match e.error() {
                BasicErrorResponseType::InvalidClient => {
                    let x = explain(Stage::TokenExchange, "invalid_client", desc.as_deref(), ctx);
                    Check::fail(id, x.detail, x.fix).with_verdict("refused (invalid_client)")
                }
                BasicErrorResponseType::InvalidGrant => Check::pass(
                    id,
                    format!("A token request with a made-up code was refused as invalid_grant (the code), not invalid_client (the secret). {caveat}"),
                ).with_verdict("accepted (only the made-up code was refused)"),
                other => {
                    let code = other.as_ref().to_string();
                    let x = explain(Stage::TokenExchange, &code, desc.as_deref(), ctx);
                    Check::unknown(id, format!("{} The secret could not be judged.", x.detail)).with_fix(x.fix)
                }
            }
        }
        Err(e) if is_transport_failure(&e) => {
            return Err(http.failure("token request", &endpoints.token, transport_error(&e)))
        }
        Err(_) => Check::unknown(id, "The token endpoint's answer was not an OAuth JSON response, so the secret could not be judged."),
        Ok(_) => Check::unknown(id, "The token endpoint accepted a made-up code, which no OAuth server should; the secret could not be judged."),
    })
}
