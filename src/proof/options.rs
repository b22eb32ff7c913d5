//! What the proof and the no-login probes run with ([`ProofOptions`]), what they need from
//! the person ([`ProofUi`]), and what they run against ([`ProofTarget`]).

use std::sync::Arc;
use std::time::Duration;

use crate::browser::{BrowserOpener, NoBrowser};
use crate::clock::{Clock, SystemClock};
use crate::error::AppError;
use crate::net::Http;
use crate::salesforce::hosts::LoginHost;
use crate::setup::{AppSetup, Credentials};

pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(5 * 60);
/// The no-login probes must finish within this unless the caller says otherwise.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);
pub const DEFAULT_RETRY_COMMAND: &str = "sf-webex-setup init";

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
    /// `scope=` to request; `None` (Salesforce) grants the app's configured scopes, which
    /// is what `scopes_granted` should see. Other servers may need e.g. `openid api web`.
    pub request_scopes: Option<Vec<String>>,
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
            request_scopes: None,
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
