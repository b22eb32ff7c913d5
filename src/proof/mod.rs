//! The verdicts: protocol results turned into [`Check`]s. [`prove`] runs the
//! authorization-code + PKCE round trip against the org through a real browser and checks,
//! setting by setting, that the app works as Webex needs, then revokes every token it
//! obtained; [`probe::probe`] runs the checks that need no login (`verify`, non-interactive
//! `init`). Both produce the one [`Report`].
//!
//! Order, and why: discovery (the endpoints, each checked against the host rule before the
//! secret goes anywhere) → bind the callback → the no-login probes for the key, every
//! callback and PKCE, concurrently (a wrong key or callback is caught here in one round
//! trip, instead of after a five-minute wait for a callback Salesforce will never send) →
//! the browser → code exchange → signature and scopes (no requests) → API call, userinfo
//! and the refresh pair, concurrently → revoke.

pub mod exchange;
pub mod explain;
pub mod identity;
pub mod login;
pub mod metadata;
pub mod options;
pub mod preflight;
pub mod probe;
mod propagation;
pub mod refresh;
pub mod revoke;
pub mod tokens;
mod with_tokens;

use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, Scope};

use self::explain::{explain, Context, Stage};
use self::login::Receiver;
pub use self::options::{ProofOptions, ProofTarget, ProofUi};
use self::with_tokens::{exchange_and_check, Clients};
use crate::error::{AppError, ErrorCode};
use crate::oauth::callback::CallbackOutcome;
use crate::oauth::client::oauth_client;
use crate::oauth::discovery::{self, Discovered};
use crate::report::{Check, CheckId, CheckStatus, Report};
use crate::salesforce::endpoints::Endpoints;
use crate::text::clean_server_text;

/// The ids the proof always reports.
pub const PROOF_IDS: &[CheckId] = &[
    CheckId::ClientAndCallback,
    CheckId::SignIn,
    CheckId::TokenExchange,
    CheckId::SecretSignature,
    CheckId::ApiScope,
    CheckId::ScopesGranted,
    CheckId::RefreshRequiresSecret,
    CheckId::PkceRequired,
    CheckId::Identity,
    CheckId::TokensRevoked,
];

/// Runs the proof. `known`: endpoints an earlier stage of this run discovered (and whose
/// warnings it reported), so discovery is not repeated. `Err` only when it could not get
/// going or stopped before any token existed: host refused (2), no callback to listen on
/// (2), network (5), login timeout (5), cancelled (130). Everything the server rejected is
/// a failed check in the report.
pub async fn prove(
    target: &ProofTarget<'_>,
    opts: &ProofOptions,
    ui: &mut dyn ProofUi,
    known: Option<Discovered>,
) -> Result<Report, AppError> {
    let start = opts.http.round_trips();
    let discovered = match known {
        Some(d) => d,
        None => {
            let d = discovery::discover(&opts.http, target.login, opts.allow_custom_host).await?;
            d.warnings.iter().for_each(|w| ui.warn(w));
            d
        }
    };
    let mut report = Report {
        warnings: discovered.warnings.clone(),
        ..Report::default()
    };
    let result = run(target, opts, ui, &discovered.endpoints, &mut report).await;
    report.fill(PROOF_IDS, |id| {
        Check::skipped(id, result.why_not()).with_verdict(result.verdict())
    });
    report.round_trips = opts.http.round_trips().saturating_sub(start);
    match result {
        Stopped::Error(e) => Err(e),
        _ => Ok(report),
    }
}

/// How far the proof got; what the checks it did not reach say.
enum Stopped {
    Done,
    NoLogin,
    Refused,
    NoCode,
    ExchangeFailed,
    Error(AppError),
}

impl Stopped {
    /// The short verdict of a check not reached.
    fn verdict(&self) -> &'static str {
        match self {
            Stopped::Done | Stopped::Error(_) => "not reached",
            Stopped::NoLogin => "skipped: needs a sign-in (--login)",
            Stopped::Refused => "skipped: authorize was refused",
            Stopped::NoCode => "skipped: no sign-in",
            Stopped::ExchangeFailed => "skipped: the exchange failed",
        }
    }

    fn why_not(&self) -> String {
        match self {
            Stopped::Done | Stopped::Error(_) => "not reached".into(),
            Stopped::NoLogin => "needs a login: run with --login (or without --no-login)".into(),
            Stopped::Refused => format!(
                "not attempted: the authorize request was refused (see {})",
                CheckId::ClientAndCallback
            ),
            Stopped::NoCode => format!(
                "not attempted: the sign-in did not return a code (see {})",
                CheckId::SignIn
            ),
            Stopped::ExchangeFailed => "not attempted: the code exchange failed".into(),
        }
    }
}

/// What the steps after discovery share.
struct Run<'a> {
    target: &'a ProofTarget<'a>,
    opts: &'a ProofOptions,
    eps: &'a Endpoints,
    ctx: Context<'a>,
}

async fn run(
    target: &ProofTarget<'_>,
    opts: &ProofOptions,
    ui: &mut dyn ProofUi,
    eps: &Endpoints,
    report: &mut Report,
) -> Stopped {
    let candidates = login::candidate_callbacks(target.callback_urls, opts.callback_port);
    let receiver = if opts.login {
        match login::prepare(&candidates, opts.paste).await {
            Ok(r) => Some(r),
            Err(e) => return Stopped::Error(e),
        }
    } else {
        None
    };
    let redirect = match &receiver {
        Some(r) => r.redirect_uri().to_string(),
        None => probe::pick_probe_callback(target.callback_urls),
    };
    let run = Run {
        target,
        opts,
        eps,
        ctx: Context {
            redirect_uri: &redirect,
            retry_command: &opts.retry_command,
        },
    };
    let accepted = match preflight_checks(&run, report).await {
        Ok(Preflight::Propagating) => match propagation::wait_out(&run, ui, report).await {
            Ok(accepted) => accepted,
            Err(e) => return Stopped::Error(e),
        },
        Ok(p) => p == Preflight::Accepted,
        Err(e) => return Stopped::Error(e),
    };
    let Some(receiver) = receiver else {
        let key = target.credentials.consumer_key.as_str();
        let secret = &target.credentials.consumer_secret;
        return match preflight::secret_accepted(&opts.http, eps, key, secret, &redirect, &run.ctx)
            .await
        {
            Ok(check) => {
                report.put(check);
                Stopped::NoLogin
            }
            Err(e) => Stopped::Error(e),
        };
    };
    if !accepted {
        return Stopped::Refused;
    }
    sign_in_and_check(&run, receiver, ui, report).await
}

/// What the no-login probes of the key and callbacks said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Preflight {
    Accepted,
    /// Refused: no sign-in can work.
    Refused,
    /// Refused as a new or edited app is until it has reached every server.
    Propagating,
}

/// The no-login probes of the key with every callback, and of PKCE, all at once.
async fn preflight_checks(run: &Run<'_>, report: &mut Report) -> Result<Preflight, AppError> {
    let (http, eps, key) = (
        &run.opts.http,
        run.eps,
        &run.target.credentials.consumer_key,
    );
    let redirect = run.ctx.redirect_uri;
    let mut all_callbacks = run.target.callback_urls.to_vec();
    if !all_callbacks.iter().any(|c| c == redirect) {
        all_callbacks.push(redirect.to_string());
    }
    let (client, pkce) = tokio::join!(
        preflight::client_and_callback(
            http,
            eps,
            key,
            &all_callbacks,
            &run.ctx,
            preflight::Loopback::Needed
        ),
        preflight::pkce_required(http, eps, key, redirect),
    );
    let client = client?;
    report.put(pkce?);
    let verdict = match (client.check.status, client.may_be_propagating) {
        (CheckStatus::Fail, true) => Preflight::Propagating,
        (CheckStatus::Fail, false) => Preflight::Refused,
        _ => Preflight::Accepted,
    };
    report.put(client.check);
    Ok(verdict)
}

/// The browser step, then — holding live tokens — the exchange, the checks on the tokens
/// and their revocation.
async fn sign_in_and_check(
    run: &Run<'_>,
    receiver: Receiver,
    ui: &mut dyn ProofUi,
    report: &mut Report,
) -> Stopped {
    let credentials = run.target.credentials;
    let redirect_url = receiver.redirect_uri().clone();
    let key = credentials.consumer_key.as_str();
    let client = oauth_client(
        run.eps,
        key,
        Some(&credentials.consumer_secret),
        &redirect_url,
    );
    let bare_client = oauth_client(run.eps, key, None, &redirect_url);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge);
    for s in &run.opts.request_scopes {
        request = request.add_scope(Scope::new(s.clone()));
    }
    let (authorize_url, state) = request.url();
    let outcome = match login::obtain_callback(receiver, &authorize_url, &state, run.opts, ui).await
    {
        Ok(outcome) => outcome,
        Err(e) => return Stopped::Error(e),
    };
    let callback_at = run.opts.clock.now();
    let code = match code_from(outcome, run, report) {
        Ok(code) => code,
        Err(stopped) => return stopped,
    };
    // From the code exchange until every token is revoked, Ctrl-C waits (a killed process
    // would leave live tokens, each taking one of the user's 5 approvals for the app).
    let hold =
        crate::cancel::hold("Cancelled; every token the check had obtained was revoked first.");
    let clients = Clients {
        with_secret: &client,
        without_secret: &bare_client,
    };
    let stopped = exchange_and_check(run, clients, code, verifier, report).await;
    drop(hold);
    report.callback_to_report = run.opts.clock.now().saturating_duration_since(callback_at);
    stopped
}

/// The code the callback carried; a denial or a code from another issuer stops here.
fn code_from(
    outcome: CallbackOutcome,
    run: &Run<'_>,
    report: &mut Report,
) -> Result<AuthorizationCode, Stopped> {
    let issuer = run.eps.issuer.as_deref();
    match outcome {
        CallbackOutcome::Code { iss: Some(iss), .. } if issuer.is_some_and(|i| i != iss) => {
            // RFC 9207: the code came from another server than the one we discovered (a
            // mix-up attack, or a second login in another tab). Never redeem it.
            Err(Stopped::Error(
                AppError::new(
                    ErrorCode::IssuerMismatch,
                    format!(
                        "The callback came from {}, not from {} that this sign-in started at; the code was not used.",
                        clean_server_text(&iss),
                        clean_server_text(issuer.unwrap_or("?"))
                    ),
                )
                .with_fix(format!(
                    "close other sign-in tabs and run `{}` again",
                    run.opts.retry_command
                )),
            ))
        }
        CallbackOutcome::Code { code, .. } => {
            report.put(
                Check::pass(
                    CheckId::SignIn,
                    "The sign-in came back to the callback with an authorization code.",
                )
                .with_verdict("a code came back"),
            );
            Ok(code)
        }
        CallbackOutcome::Denied { error, description } => {
            // The key and the callbacks were accepted (client_and_callback): what refused
            // is the person (Deny) or a policy, so this is the sign-in's own verdict.
            let x = explain(Stage::Authorize, &error, description.as_deref(), &run.ctx);
            let verdict = match error.as_str() {
                "access_denied" => "denied".to_string(),
                other => format!("refused: {}", clean_server_text(other)),
            };
            report.put(Check::fail(CheckId::SignIn, x.detail, x.fix).with_verdict(verdict));
            Err(Stopped::NoCode)
        }
    }
}
