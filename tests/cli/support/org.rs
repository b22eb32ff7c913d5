//! The one simulated-org helper: a Webex-ready app on loopback, for in-process tests (on
//! the test's runtime, [`org`]) and for tests of the built binary (on a runtime of its own,
//! [`SimOrg::start`]).

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;

use secrecy::SecretString;
use sf_webex_setup::recipe;
use sf_webex_setup::salesforce::hosts::{parse_login_url, HostPolicy, LoginHost};
use sf_webex_setup::setup::Credentials;
use sf_webex_setup::simulator::{SimConfig, Simulator};

use super::browser::ScriptBrowser;
use super::{KEY, SECRET};

/// A simulated org whose app is configured per the recipe plus a loopback callback on its
/// own port, with [`KEY`] and [`SECRET`] as its credentials (so tests can type them).
pub struct SimOrg {
    pub sim: Simulator,
    pub login: LoginHost,
    /// The app's loopback callback line, and its port.
    pub loopback: String,
    pub port: u16,
    /// Every line of the app's Callback URL box.
    pub callbacks: Vec<String>,
    pub credentials: Credentials,
    /// The in-process browser stand-in (runs tests/support/browser.py).
    pub browser: Arc<ScriptBrowser>,
    /// The runtime that serves it when started from synchronous code; dropped last, which
    /// stops the server.
    _runtime: Option<tokio::runtime::Runtime>,
}

/// A port for a loopback callback that no test in this process has been given, and that is
/// free right now on 127.0.0.1 and ::1. Taken below the kernel's ephemeral range
/// (32768–60999 by default), so an outgoing connection cannot take it in the meantime.
pub fn loopback_port() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let base = 20_000 + (std::process::id() % 400) as u16 * 25;
    loop {
        let port = base + NEXT.fetch_add(1, Ordering::SeqCst) % 10_000;
        let v4 = std::net::TcpListener::bind(("127.0.0.1", port));
        let v6 = std::net::TcpListener::bind(("::1", port));
        if v4.is_ok() && !matches!(&v6, Err(e) if e.kind() == std::io::ErrorKind::AddrInUse) {
            return port;
        }
    }
}

/// What the tool is told about the org's app: fixed before `change` (a misconfiguration must
/// not change the answers the admin gives).
struct Told {
    credentials: Credentials,
    loopback: String,
    port: u16,
    callbacks: Vec<String>,
}

/// The org's configuration after `change`, and what the tool is told.
fn config(change: impl FnOnce(&mut SimConfig)) -> (SimConfig, Told) {
    let port = loopback_port();
    let loopback = recipe::loopback_callback_url(port);
    let mut config = SimConfig::webex_ready(std::slice::from_ref(&loopback));
    config.consumer_key = KEY.into();
    config.consumer_secret = SECRET.into();
    let told = Told {
        credentials: Credentials {
            consumer_key: KEY.into(),
            consumer_secret: SecretString::from(SECRET),
        },
        loopback,
        port,
        callbacks: config.callback_urls.clone(),
    };
    change(&mut config);
    (config, told)
}

impl SimOrg {
    pub fn start() -> Self {
        Self::with(|_| {})
    }

    /// For tests of the built binary: starts it on a runtime of its own after `change`
    /// adjusts the recipe-ready configuration (a misconfiguration).
    pub fn with(change: impl FnOnce(&mut SimConfig)) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let mut org = rt.block_on(org(change));
        org._runtime = Some(rt);
        org
    }

    /// The login URL to give the tool, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        self.sim
            .base_url()
            .as_str()
            .trim_end_matches('/')
            .to_string()
    }

    pub fn secret(&self) -> String {
        use secrecy::ExposeSecret;
        self.credentials.consumer_secret.expose_secret().to_string()
    }

    pub fn browser_opens(&self) -> u32 {
        self.browser.opened.load(Ordering::SeqCst)
    }
}

/// For in-process tests: a simulated org on the test's runtime, changed by `change`.
pub async fn org(change: impl FnOnce(&mut SimConfig)) -> SimOrg {
    let (config, told) = config(change);
    let sim = Simulator::start(config)
        .await
        .expect("start the simulated org");
    let login =
        parse_login_url(sim.base_url().as_str(), HostPolicy::AllowCustom).expect("simulator URL");
    SimOrg {
        sim,
        login,
        loopback: told.loopback,
        port: told.port,
        callbacks: told.callbacks,
        credentials: told.credentials,
        browser: Arc::new(ScriptBrowser::default()),
        _runtime: None,
    }
}
