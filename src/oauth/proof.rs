//! The OAuth proof: the authorization-code + PKCE round trip against the org, each setting
//! Webex needs checked with evidence, then every token revoked.
//!
//! Order, and why: discovery (the endpoints, each checked against the host rule before the
//! secret goes anywhere) → bind the callback → the no-login probes for the key, every
//! callback and PKCE, concurrently (a wrong key or callback is caught here in one round
//! trip, instead of after a five-minute wait for a callback Salesforce will never send) →
//! the browser → code exchange → signature and scopes (no requests) → API call, userinfo
//! and the refresh pair, concurrently → revoke.

use std::sync::Arc;
use std::time::Duration;

use oauth2::{CsrfToken, PkceCodeChallenge, Scope};
use serde::Serialize;

use super::after;
use super::browser::BrowserOpener;
use super::checks::{self, title};
use super::exchange::{exchange_code, ExchangeRequest, Exchanged};
use super::http::{Clock, Http, SystemClock};
pub use super::identity::Identity;
use super::listener::CallbackOutcome;
use super::login;
use super::messages::{clean_server_text, explain, Context, Stage};
use super::preflight;
use super::probe::{fill_undecided, rejected};
use super::revoke::{self, Minted};
use super::tokens::oauth_client;
use crate::error::{AppError, ExitKind};
use crate::report::{Check, CheckStatus};
use crate::salesforce::endpoints;
use crate::salesforce::hosts::LoginHost;
use crate::setup::{AppSetup, Credentials};

pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(5 * 60);
pub const DEFAULT_RETRY_COMMAND: &str = "sf-webex-setup init";

/// What the proof needs from the person. The terminal implements it for `init`; tests
/// script it. Calls may block (they read the terminal).
pub trait ProofUi {
    /// The authorize URL, always shown so it can be opened anywhere.
    fn show_url(&mut self, url: &str);
    /// Interactive only: "Press Enter to open the browser". `Err` = cancelled.
    fn wait_for_enter(&mut self) -> Result<(), AppError>;
    /// Paste mode: the address the browser ended on, or just the code. `Err` = cancelled.
    fn read_pasted(&mut self) -> Result<String, AppError>;
    /// About once a second while waiting for the browser.
    fn countdown(&mut self, remaining: Duration);
    /// A warning for stderr (custom host, discovery fallback, browser not opened, …).
    fn warn(&mut self, message: &str);
}

#[derive(Clone)]
pub struct ProofOptions {
    /// `--allow-custom-host`.
    pub allow_custom_host: bool,
    /// `false` (`--no-login`, or non-interactive without `--login`): only the no-login
    /// checks run; the others are reported as skipped.
    pub login: bool,
    /// `--login-timeout`, default 5 minutes.
    pub login_timeout: Duration,
    pub browser: Arc<dyn BrowserOpener>,
    /// `--paste`: no listener; the admin pastes the address the browser ended on.
    pub paste: bool,
    /// A person is at the terminal (Enter before the browser; paste offered on failure).
    pub interactive: bool,
    /// `--callback-port`: listen on `http://localhost:PORT/OauthRedirect` only.
    pub callback_port: Option<u16>,
    pub http: Http,
    pub clock: Arc<dyn Clock>,
    /// `scope=` to request; `None` (Salesforce) grants the app's configured scopes, which
    /// is what `scopes_granted` should see. Other servers may need e.g. `openid api web`.
    pub request_scopes: Option<Vec<String>>,
    /// Named in "retry with …" fixes.
    pub retry_command: String,
}

impl ProofOptions {
    pub fn new(http: Http, browser: Arc<dyn BrowserOpener>) -> Self {
        ProofOptions {
            allow_custom_host: false,
            login: true,
            login_timeout: DEFAULT_LOGIN_TIMEOUT,
            browser,
            paste: false,
            interactive: false,
            callback_port: None,
            http,
            clock: Arc::new(SystemClock),
            request_scopes: None,
            retry_command: DEFAULT_RETRY_COMMAND.into(),
        }
    }
}

/// Serialises as the `result` of `init`'s JSON: `checks`, `identity`, `round_trips`,
/// `callback_to_report_ms` (warnings and the error go in the envelope).
#[derive(Clone, Debug, Serialize)]
pub struct ProofReport {
    /// In [`checks::ALL`] order; every proof id is present (skipped/unknown if not reached).
    pub checks: Vec<Check>,
    pub identity: Option<Identity>,
    /// HTTP requests the proof made (the browser's own requests not included).
    pub round_trips: u32,
    /// From the callback's arrival to the finished report (zero without a login).
    #[serde(rename = "callback_to_report_ms", serialize_with = "as_millis")]
    pub callback_to_report: Duration,
    #[serde(skip)]
    pub warnings: Vec<String>,
    /// A failure that stopped part of the proof after tokens were obtained (network);
    /// the tokens were still revoked.
    #[serde(skip)]
    pub error: Option<AppError>,
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl ProofReport {
    /// Exit 5 for a recorded network failure, exit 3 when a check failed, else `None`.
    pub fn exit_error(&self) -> Option<AppError> {
        self.error.clone().or_else(|| rejected(&self.checks))
    }
}

/// The ids the proof always reports.
const PROOF_IDS: &[&str] = &[
    checks::CLIENT_AND_CALLBACK,
    checks::TOKEN_EXCHANGE,
    checks::SECRET_SIGNATURE,
    checks::API_SCOPE,
    checks::SCOPES_GRANTED,
    checks::REFRESH_REQUIRES_SECRET,
    checks::PKCE_REQUIRED,
    checks::IDENTITY,
    checks::TOKENS_REVOKED,
];

/// Runs the proof. `Err` only when it could not get going or stopped before any token
/// existed: host refused (2), no callback to listen on (2), network (5), login timeout (5),
/// cancelled (130). Everything the server rejected is a failed check in the report.
pub async fn prove(
    setup: &AppSetup,
    opts: &ProofOptions,
    ui: &mut dyn ProofUi,
) -> Result<ProofReport, AppError> {
    prove_target(&ProofTarget::from(setup), opts, ui).await
}

/// What the proof needs of an app: where it lives, its credentials and its callbacks
/// (`init` has an [`AppSetup`]; `init --verify --login` has only the stored entry).
#[derive(Clone, Copy, Debug)]
pub struct ProofTarget<'a> {
    pub login: &'a LoginHost,
    pub credentials: &'a Credentials,
    pub callback_urls: &'a [String],
}

impl<'a> From<&'a AppSetup> for ProofTarget<'a> {
    fn from(s: &'a AppSetup) -> Self {
        ProofTarget {
            login: &s.login,
            credentials: &s.credentials,
            callback_urls: &s.callback_urls,
        }
    }
}

/// [`prove`] for a [`ProofTarget`].
pub async fn prove_target(
    setup: &ProofTarget<'_>,
    opts: &ProofOptions,
    ui: &mut dyn ProofUi,
) -> Result<ProofReport, AppError> {
    let http = &opts.http;
    let start = http.round_trips();
    let discovered = endpoints::discover(http, setup.login, opts.allow_custom_host).await?;
    // The probes may have reported these already in this run (`init --verify --login`).
    for w in endpoints::not_yet_shown(&discovered.warnings) {
        ui.warn(&w);
    }
    let eps = discovered.endpoints;
    let mut report = ProofReport {
        checks: Vec::new(),
        identity: None,
        round_trips: 0,
        callback_to_report: Duration::ZERO,
        warnings: discovered.warnings.clone(),
        error: None,
    };
    let key = setup.credentials.consumer_key.as_str();
    let secret = &setup.credentials.consumer_secret;
    let finish = |mut report: ProofReport, why: &str| {
        fill_undecided_with(&mut report.checks, why);
        report.round_trips = http.round_trips().saturating_sub(start);
        report
    };

    let candidates = login::candidate_callbacks(setup.callback_urls, opts.callback_port);
    let receiver = if opts.login {
        Some(login::prepare(&candidates, opts.paste).await?)
    } else {
        None
    };
    let redirect = match &receiver {
        Some(r) => r.redirect_uri().to_string(),
        None => super::probe::pick_probe_callback(setup.callback_urls),
    };
    let ctx = Context {
        redirect_uri: &redirect,
        retry_command: &opts.retry_command,
    };
    let mut all_callbacks = setup.callback_urls.to_vec();
    if !all_callbacks.contains(&redirect) {
        all_callbacks.push(redirect.clone());
    }

    // The no-login probes, all at once.
    let (client, pkce) = tokio::join!(
        preflight::client_and_callback(http, &eps, key, &all_callbacks, &ctx),
        preflight::pkce_required(http, &eps, key, &redirect),
    );
    let client = client?;
    report.checks.push(pkce?);
    let client_ok = client.status != CheckStatus::Fail;
    report.checks.push(client);
    let Some(receiver) = receiver.filter(|_| client_ok) else {
        if !opts.login {
            report
                .checks
                .push(preflight::secret_accepted(http, &eps, key, secret, &redirect, &ctx).await?);
            return Ok(finish(
                report,
                "needs a login: run with --login (or without --no-login)",
            ));
        }
        return Ok(finish(
            report,
            &format!(
                "not attempted: the authorize request was refused (see {})",
                checks::CLIENT_AND_CALLBACK
            ),
        ));
    };

    // The browser step.
    let redirect_url = receiver.redirect_uri().clone();
    let client = oauth_client(&eps, key, Some(secret), &redirect_url);
    let bare_client = oauth_client(&eps, key, None, &redirect_url);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge);
    for s in opts.request_scopes.iter().flatten() {
        request = request.add_scope(Scope::new(s.clone()));
    }
    let (authorize_url, state) = request.url();
    let outcome = login::obtain_callback(receiver, &authorize_url, &state, opts, ui).await?;
    let callback_at = opts.clock.now();
    let code = match outcome {
        CallbackOutcome::Code { iss: Some(iss), .. }
            if eps.issuer.as_deref().is_some_and(|i| i != iss) =>
        {
            // RFC 9207: the code came from another server than the one we discovered (a
            // mix-up attack, or a second login in another tab). Never redeem it.
            return Err(AppError::new(
                ExitKind::Rejected,
                "issuer_mismatch",
                format!("The callback came from {}, not from {} that this sign-in started at; the code was not used.", clean_server_text(&iss), clean_server_text(eps.issuer.as_deref().unwrap_or("?"))),
            )
            .with_fix(format!("close other sign-in tabs and run `{}` again", opts.retry_command)));
        }
        CallbackOutcome::Code { code, .. } => code,
        CallbackOutcome::Denied { error, description } => {
            let x = explain(Stage::Authorize, &error, description.as_deref(), &ctx);
            replace(
                &mut report.checks,
                Check::fail(
                    checks::CLIENT_AND_CALLBACK,
                    title(checks::CLIENT_AND_CALLBACK),
                    x.detail,
                    x.fix,
                ),
            );
            return Ok(finish(
                report,
                "not attempted: the sign-in did not return a code",
            ));
        }
    };

    // From the code exchange until every token is revoked, Ctrl-C waits (a killed process
    // would leave live tokens, each taking one of the user's 5 approvals for the app).
    let hold =
        crate::cancel::hold("Cancelled; every token the check had obtained was revoked first.");
    // The code exchange.
    let request = ExchangeRequest {
        client: &client,
        endpoints: &eps,
        consumer_key: key,
        secret,
        ctx: &ctx,
    };
    let token = match exchange_code(http, &request, code, verifier).await? {
        Exchanged::Tokens(t) => t,
        Exchanged::Failed { checks, error } => {
            report.checks.extend(checks);
            report.error = error;
            let mut done = finish(report, "not attempted: the code exchange failed");
            done.callback_to_report = opts.clock.now().saturating_duration_since(callback_at);
            return Ok(done);
        }
    };
    let mut minted = Minted::default();
    minted.add(&token);
    report.checks.push(Check::pass(
        checks::TOKEN_EXCHANGE,
        title(checks::TOKEN_EXCHANGE),
        "The code was exchanged for tokens with the secret (in the request body) and the PKCE verifier.",
    ));
    report.checks.push(after::signature_check(&token, secret));
    report.checks.push(after::scopes_check(&token));

    // Independent follow-ups, concurrently; the refresh pair is sequential inside.
    let mut refreshed = Minted::default();
    let ((api, api_err), (identity, who, id_err), (refresh, refresh_err)) = tokio::join!(
        after::api_check(http, &token, opts.allow_custom_host),
        super::identity::identity_check(http, &eps, &token),
        super::refresh::refresh_check(http, &client, &bare_client, &token, &ctx, &mut refreshed),
    );
    minted.refresh.extend(refreshed.refresh);
    minted.access.extend(refreshed.access);
    report.checks.extend([api, identity, refresh]);
    report.identity = who;
    report.error = api_err.or(id_err).or(refresh_err);

    let (revoked, revoke_err) = revoke::revoke_all(http, &eps, key, secret, minted).await;
    report.checks.push(revoked);
    drop(hold);
    report.error = report.error.take().or(revoke_err);
    let mut done = finish(report, "not reached");
    done.callback_to_report = opts.clock.now().saturating_duration_since(callback_at);
    Ok(done)
}

fn replace(checks: &mut Vec<Check>, check: Check) {
    checks.retain(|c| c.id != check.id);
    checks.push(check);
}

/// Marks every proof id not yet reported as skipped with `why`, and orders the list.
fn fill_undecided_with(list: &mut Vec<Check>, why: &str) {
    for id in PROOF_IDS {
        if !list.iter().any(|c| c.id == *id) {
            list.push(Check::skipped(id, title(id), why));
        }
    }
    fill_undecided(list, None, &[]);
}
