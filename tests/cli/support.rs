//! Shared by the integration tests: the built binary, a throw-away environment for it, and
//! well-formed sample credentials (not real ones).

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use sf_webex_setup::simulator::{SimConfig, Simulator};

pub const BIN: &str = env!("CARGO_BIN_EXE_sf-webex-setup");

/// A consumer key of Salesforce's usual shape ("3MVG" + letters/digits/dots).
pub const KEY: &str =
    "3MVG9A2kN3Bn17huXZp1Kz8xYl0QmSjHqW5bC7eD9fG1hJ3kL5nP7rT9vX1zB3dF5hJ7lN9pR1tV3xZ5b7d9f1h3";
/// A consumer secret of Salesforce's current shape (64 hex characters).
pub const SECRET: &str = "4F1D2C3B4A5968778695A4B3C2D1E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091";
pub const WEBEX_CALLBACK: &str = "https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html";

/// A private HOME / XDG config for one test, removed when dropped.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// The binary with a clean, colourless environment: no SF_WEBEX_* leaking in from the
    /// developer's shell, config under the sandbox.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("SF_WEBEX_") {
                cmd.env_remove(k);
            }
        }
        // Loopback servers only: a proxy from the developer's shell must not intercept them.
        for proxy in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            cmd.env_remove(proxy);
        }
        cmd.env("XDG_CONFIG_HOME", self.config_dir())
            .env("NO_COLOR", "1")
            .env("TERM", "xterm");
        cmd
    }
}

/// Runs the binary with `args`, `--json` and the secret in the environment; the output.
pub fn run_json(sandbox: &Sandbox, args: &[String]) -> std::process::Output {
    assert_cmd(sandbox)
        .args(args)
        .arg("--json")
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .output()
        .expect("run the binary")
}

/// `assert_cmd` over [`Sandbox::command`].
pub fn assert_cmd(sandbox: &Sandbox) -> assert_cmd::Command {
    assert_cmd::Command::from_std(sandbox.command())
}

/// A simulated org on loopback whose app is configured per the recipe, with [`KEY`] and
/// [`SECRET`] as its credentials (so tests can type them). Stopped when dropped.
pub struct SimOrg {
    rt: tokio::runtime::Runtime,
    sim: Option<Simulator>,
    /// The app's loopback callback, on a port free when the org started (tests run in
    /// parallel, so not the shared default 1717).
    pub loopback: String,
}

impl SimOrg {
    pub fn start() -> Self {
        Self::with(|_| {})
    }

    /// Starts it after `change` adjusts the recipe-ready configuration (a misconfiguration).
    pub fn with(change: impl FnOnce(&mut SimConfig)) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let loopback = format!("http://localhost:{port}/OauthRedirect");
        let mut config = SimConfig::webex_ready(std::slice::from_ref(&loopback));
        config.consumer_key = KEY.into();
        config.consumer_secret = SECRET.into();
        change(&mut config);
        let sim = rt
            .block_on(Simulator::start(config))
            .expect("start the simulated org");
        SimOrg {
            rt,
            sim: Some(sim),
            loopback,
        }
    }

    pub fn sim(&self) -> &Simulator {
        self.sim.as_ref().expect("running")
    }

    /// The login URL to give the tool, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        self.sim()
            .base_url()
            .as_str()
            .trim_end_matches('/')
            .to_string()
    }
}

impl Drop for SimOrg {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.rt.block_on(sim.stop());
        }
    }
}

/// The non-interactive flags of a complete, correct Webex app in `org` (no secret: that
/// comes from stdin or the environment).
pub fn complete_flags(org: &SimOrg) -> Vec<String> {
    let url = org.url();
    [
        "init",
        "--non-interactive",
        "--no-login",
        "--allow-custom-host",
        "--login-url",
        url.as_str(),
        "--app-name",
        "Webex Integration",
        "--contact-email",
        "admin@acme.com",
        "--distribution-state",
        "local",
        "--callback-url",
        WEBEX_CALLBACK,
        "--callback-url",
        org.loopback.as_str(),
        "--scope",
        "api",
        "--scope",
        "web",
        "--scope",
        "refresh_token",
        "--security",
        "secret-web-server-flow",
        "--security",
        "secret-refresh-token-flow",
        "--security",
        "pkce",
        "--consumer-key",
        KEY,
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// The `$BROWSER` stand-in: follows redirects with a cookie jar, signs in, reaches the
/// loopback callback (tests/support/browser.py).
pub fn browser_command() -> String {
    format!(
        "python3 {}/tests/support/browser.py",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// True inside the private Secret Service session that scripts/test starts. Outside it a
/// test that needs the daemon says why it is skipped, and fails under CI.
pub fn secret_service_session() -> bool {
    if std::env::var_os("SECRET_SERVICE_ENV").is_some()
        && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
    {
        return true;
    }
    eprintln!("skipped: no private Secret Service session (run the suite with scripts/test)");
    assert!(
        std::env::var_os("CI").is_none_or(|v| v.is_empty()),
        "CI must run this test inside scripts/secret-service-env.sh"
    );
    false
}
