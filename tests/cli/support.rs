//! Shared by the integration tests: the built binary, a throw-away environment for it,
//! well-formed sample credentials (not real ones), the one simulated-org helper
//! ([`SimOrg`]), the browser stand-ins and the `--json` envelope as a typed struct.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

mod browser;
mod envelope;
mod org;

pub use browser::{browser_command, browser_script, NoBrowser, ScriptBrowser, SilentBrowser};
pub use envelope::Envelope;
pub use org::{loopback_port, org, SimOrg};

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

/// The non-interactive flags of a complete, correct Webex app in `org` (no secret: that
/// comes from stdin or the environment).
pub fn complete_flags(org: &SimOrg) -> Vec<String> {
    complete_flags_for(&org.url(), &org.loopback)
}

/// [`complete_flags`] for an org at `url` whose app has the loopback callback `loopback`.
pub fn complete_flags_for(url: &str, loopback: &str) -> Vec<String> {
    [
        "init",
        "--non-interactive",
        "--no-login",
        "--allow-custom-host",
        "--login-url",
        url,
        "--app-name",
        "Webex Integration",
        "--contact-email",
        "admin@acme.com",
        "--distribution-state",
        "local",
        "--callback-url",
        WEBEX_CALLBACK,
        "--callback-url",
        loopback,
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
