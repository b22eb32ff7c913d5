//! What the proof and the no-login probes run with ([`ProofOptions`]), what they need from
//! the person ([`ProofUi`]), and what they run against ([`ProofTarget`]).

use std::sync::Arc;
use std::time::Duration;

use crate::browser::{BrowserOpener, NoBrowser};
use crate::clock::{Clock, SystemClock};
use crate::error::AppError;
use crate::metadata::EcaSpec;
use crate::net::Http;
use crate::recipe;
use crate::salesforce::hosts::LoginHost;
use crate::setup::{AppSetup, Credentials};

pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(5 * 60);
/// The no-login probes must finish within this unless the caller says otherwise.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);
pub const DEFAULT_RETRY_COMMAND: &str = "sf-webex-setup init";
/// How long a new or edited app may take to reach every Salesforce server, at most, as far
/// as this tool waits (Salesforce says up to 10 minutes).
pub const MAX_PROPAGATION_WAIT: Duration = Duration::from_secs(15 * 60);
/// How often the no-login checks are re-run while waiting.
pub const PROPAGATION_POLL: Duration = Duration::from_secs(30);

/// What the proof needs from the person. The terminal implements it for `init`; tests
/// script it. Calls may block (they read the terminal).
pub trait ProofUi {
    /// The authorize URL, always shown so it can be opened anywhere.
    fn show_url(&mut self, url: &str);
    /// Interactive only: "Press Enter to open the browser". `Err` = cancelled.
    fn wait_for_enter(&mut self) -> Result<(), AppError>;
    /// `--no-browser`: the person opens the URL; said instead of "Press Enter".
    fn open_it_yourself(&mut self) {}
    /// Paste mode: the address the browser ended on, or just the code. `Err` = cancelled.
    fn read_pasted(&mut self) -> Result<String, AppError>;
    /// About once a second while waiting for the browser.
    fn countdown(&mut self, remaining: Duration);
    /// A warning for stderr (custom host, discovery fallback, browser not opened, …).
    fn warn(&mut self, message: &str);
    /// Interactive only: the app looks not yet propagated; wait up to `limit` for it,
    /// re-checking every `poll`? `Err` = cancelled.
    fn offer_wait(&mut self, limit: Duration, poll: Duration) -> Result<bool, AppError> {
        let _ = (limit, poll);
        Ok(false)
    }
    /// About once a second while waiting for the app to propagate.
    fn waiting(&mut self, next_check: Duration, waited: Duration, limit: Duration) {
        let _ = (next_check, waited, limit);
    }
    /// One line of progress (what a re-check saw).
    fn note(&mut self, message: &str) {
        self.warn(message);
    }
}

/// No person at all (`verify --all`, no sign-in): nothing to show, nothing to read.
pub struct NoPerson;

impl ProofUi for NoPerson {
    fn show_url(&mut self, _url: &str) {}
    fn wait_for_enter(&mut self) -> Result<(), AppError> {
        Ok(())
    }
    fn read_pasted(&mut self) -> Result<String, AppError> {
        Err(AppError::cancelled())
    }
    fn countdown(&mut self, _remaining: Duration) {}
    fn warn(&mut self, _message: &str) {}
    fn note(&mut self, _message: &str) {}
}

/// The options of the proof and of the no-login probes (which use the first five).
#[derive(Clone)]
pub struct ProofOptions {
    /// `--allow-custom-host` (or `--demo`): a non-Salesforce host (https, or http on
    /// loopback) may receive the credentials.
    pub allow_custom_host: bool,
    pub http: Http,
    pub clock: Arc<dyn Clock>,
    /// Upper bound on the no-login probes (exit 5 when exceeded).
    pub deadline: Duration,
    /// Named in "retry with …" fixes.
    pub retry_command: String,
    /// `false` (`--no-login`, or non-interactive without `--login`): only the no-login
    /// checks run; the others are reported as skipped.
    pub login: bool,
    /// `--login-timeout`, default 5 minutes.
    pub login_timeout: Duration,
    pub browser: Arc<dyn BrowserOpener>,
    /// `false` with `--no-browser`: the URL is shown and the listener waits for the person
    /// to open it themselves (no "Press Enter", no browser started).
    pub open_browser: bool,
    /// `--paste`: no listener; the admin pastes the address the browser ended on.
    pub paste: bool,
    /// A person is at the terminal (Enter before the browser; paste offered on failure).
    pub interactive: bool,
    /// `--callback-port`: listen on `http://localhost:PORT/OauthRedirect` only.
    pub callback_port: Option<u16>,
    /// `scope=` to request: the recipe's scopes, named as the sf CLI names its own. An
    /// OAuth server without default scopes refuses a request that names none, and
    /// Salesforce answers `invalid_scope` itself when the app lacks one (which the proof
    /// explains). Other servers may need more (oidc-provider: `openid`).
    pub request_scopes: Vec<String>,
    /// `--wait-for-propagation`: without a person, how long to wait for a new or edited app
    /// to reach Salesforce's servers (`None`: do not wait; a person is asked instead).
    pub propagation_wait: Option<Duration>,
    /// How often to re-check while waiting ([`PROPAGATION_POLL`]).
    pub propagation_poll: Duration,
}

impl ProofOptions {
    /// The full proof with a browser.
    pub fn new(http: Http, browser: Arc<dyn BrowserOpener>) -> Self {
        ProofOptions {
            allow_custom_host: false,
            http,
            clock: Arc::new(SystemClock),
            deadline: DEFAULT_DEADLINE,
            retry_command: DEFAULT_RETRY_COMMAND.into(),
            login: true,
            login_timeout: DEFAULT_LOGIN_TIMEOUT,
            browser,
            open_browser: true,
            paste: false,
            interactive: false,
            callback_port: None,
            request_scopes: recipe::required_scopes()
                .map(|s| s.value.to_string())
                .collect(),
            propagation_wait: None,
            propagation_poll: PROPAGATION_POLL,
        }
    }

    /// Only the checks that need no login (and no browser).
    pub fn no_login(http: Http) -> Self {
        ProofOptions {
            login: false,
            ..Self::new(http, Arc::new(NoBrowser))
        }
    }
}

/// What the proof needs of an app: where it lives, its credentials and its callbacks
/// (`init` has an [`AppSetup`]; `verify --login` has only the stored entry).
#[derive(Clone, Copy, Debug)]
pub struct ProofTarget<'a> {
    pub login: &'a LoginHost,
    pub credentials: &'a Credentials,
    pub callback_urls: &'a [String],
    /// What the app should look like, for the read-back of Salesforce's record of it after
    /// the sign-in (`None`: no read-back).
    pub expected: Option<&'a EcaSpec>,
}

impl<'a> From<&'a AppSetup> for ProofTarget<'a> {
    fn from(s: &'a AppSetup) -> Self {
        ProofTarget {
            login: &s.login,
            credentials: &s.credentials,
            callback_urls: &s.callback_urls,
            expected: None,
        }
    }
}
