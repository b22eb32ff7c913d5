//! What the OAuth proof tests share: a scripted [`ProofUi`], a browser that really runs
//! `tests/support/browser.py` (follows redirects with a cookie jar, fills the login form,
//! GETs the loopback callback), and a simulated org set up for one test.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;
use sf_webex_setup::browser::{BrowserError, BrowserOpener};
use sf_webex_setup::error::AppError;
use sf_webex_setup::net::Http;
use sf_webex_setup::proof::{prove, ProofOptions, ProofTarget, ProofUi};
use sf_webex_setup::recipe;
use sf_webex_setup::report::{Check, CheckId, CheckStatus, Report};
use sf_webex_setup::salesforce::hosts::{parse_login_url, HostPolicy, LoginHost};
use sf_webex_setup::setup::Credentials;
use sf_webex_setup::simulator::{SimConfig, Simulator};

/// The person, scripted: records what the proof showed, answers pastes from a queue.
#[derive(Default)]
pub struct ScriptedUi {
    pub shown: Vec<String>,
    pub warnings: Vec<String>,
    pub countdowns: u32,
    pub enters: u32,
    pub pastes: VecDeque<String>,
}

impl ProofUi for ScriptedUi {
    fn show_url(&mut self, url: &str) {
        self.shown.push(url.to_string());
    }
    fn wait_for_enter(&mut self) -> Result<(), AppError> {
        self.enters += 1;
        Ok(())
    }
    fn read_pasted(&mut self) -> Result<String, AppError> {
        self.pastes.pop_front().ok_or_else(AppError::cancelled)
    }
    fn countdown(&mut self, _remaining: Duration) {
        self.countdowns += 1;
    }
    fn warn(&mut self, message: &str) {
        self.warnings.push(message.to_string());
    }
}

pub fn browser_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/browser.py")
}

/// `python3 tests/support/browser.py URL`, exactly what `$BROWSER` would run. The children
/// are killed when this is dropped (a test that fails early leaves nothing behind).
#[derive(Default)]
pub struct ScriptBrowser {
    pub opened: AtomicU32,
    children: Mutex<Vec<Child>>,
}

impl BrowserOpener for ScriptBrowser {
    fn open(&self, url: &str) -> Result<(), BrowserError> {
        self.opened.fetch_add(1, Ordering::SeqCst);
        let child = Command::new("python3")
            .arg(browser_script())
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| BrowserError::BrowserVar(format!("python3: {e}")))?;
        if let Ok(mut children) = self.children.lock() {
            children.push(child);
        }
        Ok(())
    }
}

impl Drop for ScriptBrowser {
    fn drop(&mut self) {
        if let Ok(children) = self.children.get_mut() {
            for child in children.iter_mut() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// A port nobody listens on right now (the listener needs the exact registered port).
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("local addr").port()
}

/// A simulated org with a Webex-ready app (plus a loopback callback on a free port),
/// changed by `change`, and the pieces a proof needs.
pub struct Org {
    pub sim: Simulator,
    pub login: LoginHost,
    pub port: u16,
    pub callbacks: Vec<String>,
    pub credentials: Credentials,
    pub browser: Arc<ScriptBrowser>,
}

pub async fn org(change: impl FnOnce(&mut SimConfig)) -> Org {
    assert!(
        browser_script().is_file(),
        "missing {}",
        browser_script().display()
    );
    let port = free_port();
    let loopback = recipe::loopback_callback_url(port);
    let mut config = SimConfig::webex_ready(std::slice::from_ref(&loopback));
    let credentials = Credentials {
        consumer_key: config.consumer_key.clone(),
        consumer_secret: SecretString::from(config.consumer_secret.clone()),
    };
    let callbacks = config.callback_urls.clone();
    change(&mut config);
    let sim = Simulator::start(config)
        .await
        .expect("start the simulated org");
    let login =
        parse_login_url(sim.base_url().as_str(), HostPolicy::AllowCustom).expect("simulator URL");
    Org {
        sim,
        login,
        port,
        callbacks,
        credentials,
        browser: Arc::new(ScriptBrowser::default()),
    }
}

impl Org {
    /// Non-interactive, `--allow-custom-host`, the browser script, a short login timeout.
    pub fn options(&self) -> ProofOptions {
        let mut o = ProofOptions::new(Http::new().expect("http client"), self.browser.clone());
        o.allow_custom_host = true;
        o.login_timeout = Duration::from_secs(20);
        o
    }

    pub fn secret(&self) -> String {
        use secrecy::ExposeSecret;
        self.credentials.consumer_secret.expose_secret().to_string()
    }

    pub async fn prove(&self, opts: &ProofOptions) -> (Result<Report, AppError>, ScriptedUi) {
        self.prove_with(&self.credentials, opts).await
    }

    pub async fn prove_with(
        &self,
        credentials: &Credentials,
        opts: &ProofOptions,
    ) -> (Result<Report, AppError>, ScriptedUi) {
        let mut ui = ScriptedUi::default();
        let target = ProofTarget {
            login: &self.login,
            credentials,
            callback_urls: &self.callbacks,
        };
        let result = prove(&target, opts, &mut ui, None).await;
        (result, ui)
    }

    pub fn browser_opens(&self) -> u32 {
        self.browser.opened.load(Ordering::SeqCst)
    }
}

/// The check with `id`; panics with the whole list if absent.
pub fn check(checks: &[Check], id: CheckId) -> &Check {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:#?}"))
}

pub fn status_of(checks: &[Check], id: CheckId) -> CheckStatus {
    check(checks, id).status
}

/// Every check's text (detail and fix) must be free of the secret.
pub fn assert_no_secret(checks: &[Check], secret: &str) {
    let json = serde_json::to_string(checks).expect("checks serialise");
    assert!(!json.contains(secret), "the secret leaked into the checks");
}
