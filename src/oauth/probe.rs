//! The no-login probes that `init --verify` and non-interactive `init` run: discovery, then
//! — all at once — the key and every callback, PKCE, and the secret. Two round trips deep,
//! bounded in time, no browser.

use std::time::Duration;

use super::checks::{self, title};
use super::http::Http;
use super::messages::Context;
use super::preflight;
use crate::error::{AppError, ExitKind};
use crate::report::{self, Check};
use crate::salesforce::endpoints::{self, Endpoints, Fallback};
use crate::salesforce::hosts::LoginHost;
use crate::setup::Credentials;

/// The whole probe run must finish within this unless the caller says otherwise.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);
/// What the messages tell the admin to run again.
pub const DEFAULT_RETRY_COMMAND: &str = "sf-webex-setup init --verify";

#[derive(Clone, Debug)]
pub struct ProbeOptions {
    /// `--allow-custom-host`: allow a non-Salesforce host (https, or http on loopback).
    pub allow_custom_host: bool,
    pub http: Http,
    /// Upper bound on the whole run (exit 5 when exceeded).
    pub deadline: Duration,
    /// Named in "retry with …" fixes.
    pub retry_command: String,
}

impl ProbeOptions {
    pub fn new(http: Http) -> Self {
        ProbeOptions {
            allow_custom_host: false,
            http,
            deadline: DEFAULT_DEADLINE,
            retry_command: DEFAULT_RETRY_COMMAND.into(),
        }
    }
}

/// The probes' result. `error` is set when the run could not finish (network failure,
/// deadline, refused host); the checks then say which items were not decided.
#[derive(Clone, Debug)]
pub struct ProbeReport {
    pub checks: Vec<Check>,
    /// HTTP requests made.
    pub round_trips: u32,
    /// For stderr: custom host, http, discovery fallback.
    pub warnings: Vec<String>,
    pub error: Option<AppError>,
    /// The endpoints used, when discovery got that far.
    pub endpoints: Option<Endpoints>,
}

impl ProbeReport {
    /// The error the run should exit with: the run's own error (exit 5 network, 2 refused
    /// host), else exit 3 when a check failed, else `None` (exit 0).
    pub fn exit_error(&self) -> Option<AppError> {
        if let Some(e) = &self.error {
            return Some(e.clone());
        }
        rejected(&self.checks)
    }
}

/// Exit 3 naming the failed checks, if any failed.
pub fn rejected(checks: &[Check]) -> Option<AppError> {
    if report::all_passed_or_undecided(checks) {
        return None;
    }
    let failed: Vec<&str> = checks
        .iter()
        .filter(|c| c.status == report::CheckStatus::Fail)
        .map(|c| c.id)
        .collect();
    let first_fix = checks.iter().find_map(|c| {
        (c.status == report::CheckStatus::Fail)
            .then(|| c.fix.clone())
            .flatten()
    });
    let e = AppError::new(
        ExitKind::Rejected,
        "app_rejected",
        format!(
            "The app failed {} check(s): {}.",
            failed.len(),
            failed.join(", ")
        ),
    );
    Some(match first_fix {
        Some(fix) => e.with_fix(fix),
        None => e,
    })
}

/// Runs the no-login checks. `callbacks` are the stored Callback URL lines; the PKCE probe
/// uses the first loopback one (else the first).
pub async fn probe(
    login: &LoginHost,
    credentials: &Credentials,
    callbacks: &[String],
    opts: &ProbeOptions,
) -> ProbeReport {
    let start = opts.http.round_trips();
    let mut report = ProbeReport {
        checks: Vec::new(),
        round_trips: 0,
        warnings: Vec::new(),
        error: None,
        endpoints: None,
    };
    let run = run(login, credentials, callbacks, opts, &mut report);
    if tokio::time::timeout(opts.deadline, run).await.is_err() {
        report.error = Some(
            AppError::new(
                ExitKind::Network,
                "probe_timeout",
                format!(
                    "The checks did not finish within {}.",
                    humantime::format_duration(opts.deadline)
                ),
            )
            .with_fix(format!(
                "check the network to {}, then run `{}` again",
                login.origin(),
                opts.retry_command
            )),
        );
    }
    fill_undecided(
        &mut report.checks,
        report.error.as_ref(),
        &[
            checks::DISCOVERY,
            checks::CLIENT_AND_CALLBACK,
            checks::PKCE_REQUIRED,
            checks::SECRET_ACCEPTED,
        ],
    );
    report.round_trips = opts.http.round_trips().saturating_sub(start);
    report
}

async fn run(
    login: &LoginHost,
    credentials: &Credentials,
    callbacks: &[String],
    opts: &ProbeOptions,
    report: &mut ProbeReport,
) {
    let discovered = match endpoints::discover(&opts.http, login, opts.allow_custom_host).await {
        Ok(d) => d,
        Err(e) => {
            report.error = Some(e);
            return;
        }
    };
    // The caller reports these; a proof later in this run must not say them again.
    endpoints::not_yet_shown(&discovered.warnings);
    report.warnings.extend(discovered.warnings.iter().cloned());
    report
        .checks
        .push(discovery_check(login, discovered.fallback.as_ref()));
    let eps = discovered.endpoints;
    report.endpoints = Some(eps.clone());

    let probe_callback = pick_probe_callback(callbacks);
    let ctx = Context {
        redirect_uri: &probe_callback,
        retry_command: &opts.retry_command,
    };
    let all_callbacks: Vec<String> = if callbacks.is_empty() {
        vec![probe_callback.clone()]
    } else {
        callbacks.to_vec()
    };
    let key = credentials.consumer_key.as_str();
    let (client, pkce, secret) = tokio::join!(
        preflight::client_and_callback(&opts.http, &eps, key, &all_callbacks, &ctx),
        preflight::pkce_required(&opts.http, &eps, key, &probe_callback),
        preflight::secret_accepted(
            &opts.http,
            &eps,
            key,
            &credentials.consumer_secret,
            &probe_callback,
            &ctx
        ),
    );
    for result in [client, pkce, secret] {
        match result {
            Ok(check) => report.checks.push(check),
            Err(e) => {
                report.error.get_or_insert(e);
            }
        }
    }
}

/// The first loopback callback, else the first line, else the default loopback callback.
pub fn pick_probe_callback(callbacks: &[String]) -> String {
    callbacks
        .iter()
        .find(|c| crate::validate::callback::is_loopback_callback(c))
        .or_else(|| callbacks.first())
        .cloned()
        .unwrap_or_else(|| {
            crate::recipe::loopback_callback_url(crate::recipe::DEFAULT_LOOPBACK_PORT)
        })
}

/// `discovery`. Only a definitive wrong answer from a genuine Salesforce host fails: a
/// server error (5xx, 429) says nothing about the org URL or the app, so it is "unknown".
/// (A transport failure never gets here: discovery returns it as an exit-5 error, and the
/// check is filled in as undecided.)
fn discovery_check(login: &LoginHost, fallback: Option<&Fallback>) -> Check {
    let id = checks::DISCOVERY;
    let doc = format!("{}{}", login.origin(), endpoints::DISCOVERY_PATH);
    match fallback {
        None => Check::pass(id, title(id), format!("{doc} is valid; every endpoint it names is on an allowed host.")),
        Some(f) if f.server_error => Check::unknown(
            id,
            title(id),
            format!("{} (a server-side failure, not a verdict on the org URL or the app); the documented paths were used instead.", f.reason),
        )
        .with_fix(format!("if other checks could not be decided, wait a few minutes and run `{DEFAULT_RETRY_COMMAND}` again")),
        Some(f) if login.is_genuine_salesforce() => Check::fail(
            id,
            title(id),
            format!("{}; the documented paths were used instead.", f.reason),
            "check the org URL: use the org's My Domain login URL (Setup → My Domain), e.g. https://NAME.my.salesforce.com",
        ),
        Some(f) => Check::unknown(id, title(id), format!("{} (not a Salesforce host); the documented paths were used instead.", f.reason)),
    }
}

/// Adds an "unknown" line for every expected check the run did not get to, so the report
/// always lists the same items.
pub fn fill_undecided(
    checks: &mut Vec<Check>,
    error: Option<&AppError>,
    expected: &[&'static str],
) {
    let why = error.map_or_else(
        || "not reached".to_string(),
        |e| format!("not decided: {}", e.message),
    );
    for id in expected {
        if !checks.iter().any(|c| c.id == *id) {
            checks.push(Check::unknown(id, title(id), why.clone()));
        }
    }
    checks.sort_by_key(|c| {
        checks::ALL
            .iter()
            .position(|id| *id == c.id)
            .unwrap_or(usize::MAX)
    });
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::report::CheckStatus;
    use crate::salesforce::hosts::HostKind;

    fn genuine() -> LoginHost {
        LoginHost {
            base: url::Url::parse("https://acme.my.salesforce.com/").unwrap(),
            kind: HostKind::MyDomain,
        }
    }

    #[test]
    fn the_probe_and_the_login_pick_loopback_lines_by_the_validators_rule() {
        let lines: Vec<String> = [
            "https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html",
            "http://localhost:1717/OauthRedirect?x=1",
            "http://localhost:1718/OauthRedirect",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(pick_probe_callback(&lines), lines[2]);
        let candidates = crate::oauth::login::candidate_callbacks(&lines, None);
        assert_eq!(candidates.len(), 1, "{candidates:?}");
        assert_eq!(candidates[0].as_str(), lines[2]);
    }

    #[test]
    fn a_server_error_on_discovery_of_a_genuine_host_is_unknown_not_a_rejection() {
        let f = Fallback {
            reason:
                "https://acme.my.salesforce.com/.well-known/openid-configuration answered HTTP 503"
                    .into(),
            server_error: true,
        };
        let c = discovery_check(&genuine(), Some(&f));
        assert_eq!(c.status, CheckStatus::Unknown, "{c:?}");
        assert!(c.detail.contains("HTTP 503"), "{}", c.detail);
    }

    #[tokio::test]
    async fn a_transport_failure_on_discovery_is_unknown_and_exits_5() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let login = LoginHost {
            base: url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap(),
            kind: HostKind::Custom,
        };
        let creds = Credentials {
            consumer_key: "k".into(),
            consumer_secret: SecretString::from("s".to_string()),
        };
        let mut opts = ProbeOptions::new(Http::new().unwrap());
        opts.allow_custom_host = true;
        let r = probe(&login, &creds, &[], &opts).await;
        assert_eq!(r.exit_error().map(|e| e.exit_code()), Some(5));
        let d = r.checks.iter().find(|c| c.id == checks::DISCOVERY).unwrap();
        assert_eq!(d.status, CheckStatus::Unknown, "{d:?}");
    }

    #[test]
    fn a_wrong_answer_on_discovery_of_a_genuine_host_still_fails() {
        let f = Fallback {
            reason: "the discovery document lacks authorization_endpoint or token_endpoint".into(),
            server_error: false,
        };
        let c = discovery_check(&genuine(), Some(&f));
        assert_eq!(c.status, CheckStatus::Fail, "{c:?}");
    }
}
