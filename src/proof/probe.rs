//! The no-login probes that `verify` and non-interactive `init` run: discovery, then — all
//! at once — the key and every callback, PKCE, and the secret. Two round trips deep,
//! bounded in time, no browser.

use super::explain::Context;
use super::options::{ProofOptions, ProofTarget};
use super::preflight;
use crate::error::{AppError, ErrorCode};
use crate::oauth::discovery::{self, Discovered, Fallback};
use crate::recipe;
use crate::report::{Check, CheckId, Report};
use crate::salesforce::endpoints::DISCOVERY_PATH;
use crate::salesforce::hosts::LoginHost;
use crate::validate::callback::is_loopback_callback;

/// The ids the probes always report.
const PROBE_IDS: &[CheckId] = &[
    CheckId::Discovery,
    CheckId::ClientAndCallback,
    CheckId::PkceRequired,
    CheckId::SecretAccepted,
];

/// What the probes found, and the endpoints they used (so a proof later in the same run
/// need not discover them again), when discovery got that far.
pub struct Probed {
    pub report: Report,
    pub discovered: Option<Discovered>,
}

/// Runs the no-login checks against `target` within `opts.deadline`. `known`: the login
/// host's endpoints, already discovered in this run (`verify --all`: once per host). A run
/// that could not finish (network, deadline, refused host) has `report.error` set, and its
/// checks say what was not decided.
pub async fn probe(
    target: &ProofTarget<'_>,
    opts: &ProofOptions,
    known: Option<Discovered>,
) -> Probed {
    let start = opts.http.round_trips();
    let mut report = Report::default();
    let mut discovered = None;
    let run = run(target, opts, &mut report, &mut discovered, known);
    if tokio::time::timeout(opts.deadline, run).await.is_err() {
        report.error = Some(
            AppError::new(
                ErrorCode::ProbeTimeout,
                format!(
                    "The checks did not finish within {}.",
                    humantime::format_duration(opts.deadline)
                ),
            )
            .with_fix(format!(
                "check the network to {}, then run `{}` again",
                target.login.origin(),
                opts.retry_command
            )),
        );
    }
    let why = report.error.as_ref().map_or_else(
        || "not reached".to_string(),
        |e| format!("not decided: {}", e.message),
    );
    report.fill(PROBE_IDS, |id| Check::unknown(id, why.clone()));
    report.round_trips = opts.http.round_trips().saturating_sub(start);
    Probed { report, discovered }
}

async fn run(
    target: &ProofTarget<'_>,
    opts: &ProofOptions,
    report: &mut Report,
    found: &mut Option<Discovered>,
    known: Option<Discovered>,
) {
    let login = target.login;
    let discovered = match known {
        Some(d) => d,
        None => match discovery::discover(&opts.http, login, opts.allow_custom_host).await {
            Ok(d) => d,
            Err(e) => {
                report.error = Some(e);
                return;
            }
        },
    };
    discovered
        .warnings
        .iter()
        .for_each(|w| report.warn(w.clone()));
    report.put(discovery_check(
        login,
        discovered.fallback.as_ref(),
        &opts.retry_command,
    ));
    let eps = &found.insert(discovered).endpoints;

    let callbacks = target.callback_urls;
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
    let key = target.credentials.consumer_key.as_str();
    let secret = &target.credentials.consumer_secret;
    let http = &opts.http;
    let (client, pkce, secret) = tokio::join!(
        preflight::client_and_callback(
            http,
            eps,
            key,
            &all_callbacks,
            &ctx,
            preflight::Loopback::Optional
        ),
        preflight::pkce_required(http, eps, key, &probe_callback),
        preflight::secret_accepted(http, eps, key, secret, &probe_callback, &ctx),
    );
    for result in [client.map(|c| c.check), pkce, secret] {
        match result {
            Ok(check) => report.put(check),
            Err(e) => {
                report.error.get_or_insert(e);
            }
        }
    }
}

/// The callback the no-login probes name: the Webex one (the app must keep it, while the
/// loopback line may be removed after setup), else the first loopback one (another OAuth
/// server), else the first line, else the default loopback callback. No request ever
/// reaches it: the probes read where the server would redirect.
pub fn pick_probe_callback(callbacks: &[String]) -> String {
    callbacks
        .iter()
        .find(|c| *c == recipe::WEBEX_CALLBACK_URL)
        .or_else(|| callbacks.iter().find(|c| is_loopback_callback(c)))
        .or_else(|| callbacks.first())
        .cloned()
        .unwrap_or_else(|| recipe::loopback_callback_url(recipe::DEFAULT_LOOPBACK_PORT))
}

/// `discovery`. Only a definitive wrong answer from a genuine Salesforce host fails: a
/// server error (5xx, 429) says nothing about the org URL or the app, so it is "unknown".
/// (A transport failure never gets here: discovery returns it as an exit-5 error, and the
/// check is filled in as undecided.)
fn discovery_check(login: &LoginHost, fallback: Option<&Fallback>, retry: &str) -> Check {
    let id = CheckId::Discovery;
    let doc = format!("{}{}", login.origin(), DISCOVERY_PATH);
    match fallback {
        None => Check::pass(id, format!("{doc} is valid; every endpoint it names is on an allowed host.")).with_verdict("every endpoint on an allowed host"),
        Some(f) if f.server_error() => Check::unknown(
            id,
            format!("{f} (a server-side failure, not a verdict on the org URL or the app); the documented paths were used instead."),
        )
        .with_fix(format!("if other checks could not be decided, wait a few minutes and run `{retry}` again")),
        Some(f) if login.is_genuine_salesforce() => Check::fail(
            id,
            format!("{f}; the documented paths were used instead."),
            "check the org URL: use the org's My Domain login URL (Setup → My Domain), e.g. https://NAME.my.salesforce.com",
        ),
        Some(f) => Check::unknown(id, format!("{f} (not a Salesforce host); the documented paths were used instead.")),
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::report::CheckStatus;
    use crate::salesforce::hosts::HostKind;
    use crate::setup::Credentials;

    fn genuine() -> LoginHost {
        LoginHost {
            base: url::Url::parse("https://acme.my.salesforce.com/").unwrap(),
            kind: HostKind::MyDomain,
        }
    }

    #[test]
    fn the_probes_name_the_webex_callback_and_the_login_picks_loopback_lines_by_the_validators_rule(
    ) {
        let lines: Vec<String> = [
            "https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html",
            "http://localhost:1717/OauthRedirect?x=1",
            "http://localhost:1718/OauthRedirect",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(pick_probe_callback(&lines), lines[0]);
        assert_eq!(pick_probe_callback(&lines[1..]), lines[2]);
        let candidates = crate::proof::login::candidate_callbacks(&lines, None);
        assert_eq!(candidates.len(), 1, "{candidates:?}");
        assert_eq!(candidates[0].as_str(), lines[2]);
    }

    #[test]
    fn a_server_error_on_discovery_of_a_genuine_host_is_unknown_not_a_rejection() {
        let f = Fallback::Status {
            url: "https://acme.my.salesforce.com/.well-known/openid-configuration".into(),
            status: 503,
        };
        let c = discovery_check(&genuine(), Some(&f), "sf-webex-setup verify");
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
        let mut opts = ProofOptions::no_login(crate::net::Http::new().unwrap());
        opts.allow_custom_host = true;
        let target = ProofTarget {
            login: &login,
            credentials: &creds,
            callback_urls: &[],
            expected: None,
        };
        let r = probe(&target, &opts, None).await.report;
        assert_eq!(r.exit_error().map(|e| e.exit_code()), Some(5));
        let d = r.get(CheckId::Discovery).unwrap();
        assert_eq!(d.status, CheckStatus::Unknown, "{d:?}");
    }

    #[test]
    fn a_wrong_answer_on_discovery_of_a_genuine_host_still_fails() {
        let c = discovery_check(
            &genuine(),
            Some(&Fallback::Incomplete),
            "sf-webex-setup verify",
        );
        assert_eq!(c.status, CheckStatus::Fail, "{c:?}");
    }
}
