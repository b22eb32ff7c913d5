//! The child-process harness of the credential-store tests (tests/cli/store.rs): runs this
//! test binary's ignored `store::probe::probe_child` in another process, under a wrapper
//! (`scripts/secret-service-env.sh --locked`, `keyctl session -`) or with a broken
//! environment (no bus, a silent bus), and collects one `PROBE-RESULT` JSON line per step.
//!
//! Children are needed because the D-Bus address and the session keyring are per-process:
//! changing them inside the test process would race with the other tests.

#![allow(dead_code)]

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sf_webex_setup::error::AppError;
use sf_webex_setup::store::{
    open_store, retry_while_locked, save_and_index, Overwrite, ProfileIndex, StoreKind, StoredApp,
    STORED_APP_VERSION,
};

use crate::support::{KEY, SECRET, WEBEX_CALLBACK};

pub const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/secret-service-env.sh");
/// Every failure must be reported well within this (the store timeout in children is 2 s).
pub const BOUND: Duration = Duration::from_secs(8);
/// The arguments that make this test binary run only the probe child.
pub const CHILD_ARGS: [&str; 5] = [
    "store::probe::probe_child",
    "--exact",
    "--ignored",
    "--nocapture",
    "--test-threads=1",
];

/// What a keyring-dependent test does in this environment.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Run,
    /// Print the line ("skipped: …") and pass.
    Skip(String),
    /// Panic with the line: CI must not skip.
    Fail(String),
}

/// The one skip rule of every keyring-dependent test (the rule of the suite's
/// `support::secret_service_session`): inside the private session of
/// scripts/secret-service-env.sh (`SECRET_SERVICE_ENV` set, with its bus) the test runs and
/// anything missing there is a failure; outside it the test is skipped with a line saying
/// why, unless `CI` is set to anything non-empty, where a skip is a failure.
pub fn verdict(in_session: bool, ci: Option<&std::ffi::OsStr>, why: &str) -> Verdict {
    if in_session {
        return Verdict::Run;
    }
    let line = format!("skipped: {why}");
    if ci.is_some_and(|v| !v.is_empty()) {
        Verdict::Fail(format!(
            "{line} (CI must run this inside scripts/secret-service-env.sh)"
        ))
    } else {
        Verdict::Skip(line)
    }
}

/// True inside the private session; otherwise prints "skipped: why" (libtest shows it only
/// when the test fails) and returns false, or panics under CI ([`verdict`]). Inside, the
/// tools the store tests use must be installed: a missing one fails the test.
pub fn keyring_session() -> bool {
    let in_session = std::env::var_os("SECRET_SERVICE_ENV").is_some()
        && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    let why = "no private Secret Service session and session keyring (run the suite with \
               scripts/test, or under `scripts/secret-service-env.sh keyctl session - cargo test`)";
    match verdict(in_session, std::env::var_os("CI").as_deref(), why) {
        Verdict::Run => {}
        Verdict::Skip(line) => {
            eprintln!("{line}");
            return false;
        }
        Verdict::Fail(line) => panic!("{line}"),
    }
    for tool in [
        "dbus-run-session",
        "dbus-send",
        "gnome-keyring-daemon",
        "secret-tool",
        "keyctl",
    ] {
        assert!(
            have(tool),
            "`{tool}` is missing inside the private session: run scripts/install-test-deps-keyring.sh"
        );
    }
    true
}

pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

pub fn unique_profile(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn sample(secret: &str) -> StoredApp {
    sample_with(KEY, secret)
}

/// [`sample`] with its own consumer key too (to tell two documents apart wholly).
pub fn sample_with(key: &str, secret: &str) -> StoredApp {
    StoredApp {
        consumer_key: key.to_string(),
        consumer_secret: SecretString::from(secret.to_string()),
        login_url: "https://acme.my.salesforce.com".to_string(),
        callback_urls: vec![WEBEX_CALLBACK.to_string()],
        api_name: "Webex_Meetings".to_string(),
        stored_at: "2026-11-28T12:00:00Z".to_string(),
        last_verified: None,
        checked: true,
        version: STORED_APP_VERSION,
    }
}

/// The i-th document the `save-loop` probe writes: consumer key `3MVGloop{i}` with secret
/// `loop-secret-{i}`.
pub fn loop_document(i: u32) -> StoredApp {
    sample_with(&format!("3MVGloop{i}"), &format!("loop-secret-{i}"))
}

/// One step's outcome as the child reports it.
#[derive(Debug, Deserialize)]
pub struct Step {
    pub step: String,
    pub ok: bool,
    pub code: Option<String>,
    pub exit: Option<u8>,
    pub message: Option<String>,
    pub fix: Option<String>,
    pub elapsed_ms: u64,
}

pub struct Probe {
    pub steps: Vec<Step>,
    pub elapsed: Duration,
    pub output: String,
}

/// A probe child that is still running; its output goes to `log`.
pub struct Running {
    pub child: std::process::Child,
    pub log: PathBuf,
    pub started: Instant,
    steps: String,
}

/// Starts `prefix… <this test binary> probe_child` with `SFWS_PROBE=steps`, a private
/// config dir and `envs`, in its own process group.
pub fn spawn_probe(prefix: &[&str], steps: &str, envs: &[(&str, &str)], config: &Path) -> Running {
    let exe = std::env::current_exe().unwrap();
    let mut argv: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
    argv.push(exe.display().to_string());
    argv.extend(CHILD_ARGS.map(String::from));
    // Output goes to a file, not a pipe: daemons started inside the child inherit its
    // stderr and may outlive it, which would hold a pipe open (and a full pipe would block
    // the child).
    let log_path = config.with_extension("probe.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .env("SFWS_PROBE", steps)
        .env("XDG_CONFIG_HOME", config)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        // Its own process group, so a hung probe can be stopped with everything it started.
        .process_group(0);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    Running {
        started: Instant::now(),
        child: cmd.spawn().unwrap(),
        log: log_path,
        steps: steps.to_string(),
    }
}

impl Running {
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits for the child to exit; kills its process group (and fails) after `limit`.
    pub fn finish(mut self, limit: Duration) -> Probe {
        let deadline = self.started + limit;
        while self.child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                // TERM first so secret-service-env.sh can end its daemons and remove its
                // folder; KILL whatever is left.
                self.signal_group("TERM");
                let grace = Instant::now() + Duration::from_secs(2);
                while self.child.try_wait().unwrap().is_none() && Instant::now() < grace {
                    std::thread::sleep(Duration::from_millis(20));
                }
                self.signal_group("KILL");
                let _ = self.child.wait();
                panic!(
                    "the probe `{}` hung for more than {limit:?}:\n{}",
                    self.steps,
                    self.output()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let elapsed = self.started.elapsed();
        let output = self.output();
        Probe {
            steps: parse_steps(&output),
            elapsed,
            output,
        }
    }

    /// Sends `signal` (e.g. "INT") to the child's whole process group.
    pub fn signal_group(&self, signal: &str) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args([&format!("-{signal}"), "--", &group])
            .status();
    }
}

/// Runs a probe to completion (bounded: [`BOUND`] × 3).
pub fn run_probe(prefix: &[&str], steps: &str, envs: &[(&str, &str)], config: &Path) -> Probe {
    spawn_probe(prefix, steps, envs, config).finish(BOUND * 3)
}

/// The `PROBE-RESULT` lines of a child's output.
pub fn parse_steps(output: &str) -> Vec<Step> {
    output
        .lines()
        .filter_map(|l| l.split_once("PROBE-RESULT ").map(|(_, json)| json))
        .map(|j| serde_json::from_str(j).unwrap())
        .collect()
}

/// Asserts a single failed step: `code`, exit 4, bounded, `store` named, a fix.
pub fn assert_fails_clearly(
    probe: &Probe,
    store: &str,
    code: &str,
    fix_mentions: &[&str],
) -> String {
    let step = probe
        .steps
        .first()
        .unwrap_or_else(|| panic!("no result from the probe:\n{}", probe.output));
    assert!(!step.ok, "expected a failure: {step:?}");
    assert_eq!(
        step.code.as_deref(),
        Some(code),
        "{step:?}\n{}",
        probe.output
    );
    assert_eq!(step.exit, Some(4), "{step:?}");
    assert!(
        Duration::from_millis(step.elapsed_ms) < BOUND,
        "took {} ms",
        step.elapsed_ms
    );
    eprintln!(
        "figure: {code} ({store}) reported in {} ms",
        step.elapsed_ms
    );
    let message = step.message.clone().unwrap();
    assert!(
        message.contains(store),
        "the message must name the store: {message}"
    );
    let fix = step.fix.clone().unwrap();
    for m in fix_mentions {
        assert!(fix.contains(m), "fix lacks {m:?}: {fix}");
    }
    assert!(
        !probe.output.contains(SECRET),
        "the secret leaked into output"
    );
    message
}

/// Nothing may have been written: no profile index was created.
pub fn assert_nothing_indexed(config: &Path) {
    assert!(
        !config.join("sf-webex-setup/profiles.json").exists(),
        "the profile index was written"
    );
}

#[test]
fn outside_the_session_a_test_skips_with_why_and_fails_when_ci_is_set_to_anything() {
    let ci = |v: &str| Some(std::ffi::OsString::from(v));
    assert_eq!(verdict(true, ci("true").as_deref(), "x"), Verdict::Run);
    assert_eq!(
        verdict(false, None, "x"),
        Verdict::Skip("skipped: x".into())
    );
    assert_eq!(
        verdict(false, ci("").as_deref(), "x"),
        Verdict::Skip("skipped: x".into())
    );
    for set in ["true", "1", "yes"] {
        assert_eq!(
            verdict(false, ci(set).as_deref(), "x"),
            Verdict::Fail(
                "skipped: x (CI must run this inside scripts/secret-service-env.sh)".into()
            ),
            "CI={set}"
        );
    }
}

/// The child side of the probes above; does nothing unless `SFWS_PROBE` is set.
#[test]
#[ignore = "helper: run in a child process by the store failure-mode tests"]
pub fn probe_child() {
    let Ok(steps) = std::env::var("SFWS_PROBE") else {
        return;
    };
    let kind = match std::env::var("SFWS_PROBE_STORE").as_deref() {
        Ok("keyutils") => StoreKind::Keyutils,
        _ => StoreKind::SecretService,
    };
    let profile = std::env::var("SFWS_PROBE_PROFILE").unwrap_or_else(|_| unique_profile("probe"));
    let index = ProfileIndex::default_path().unwrap();
    let timeout = Duration::from_secs(2);
    let open = || open_store(kind, timeout);
    for step in steps.split(',') {
        let started = Instant::now();
        let result: Result<(), sf_webex_setup::store::StoreError> = match step {
            "save" => open().and_then(|s| {
                save_and_index(&*s, &index, &profile, &sample(SECRET), Overwrite::Refuse).map(drop)
            }),
            "save-retry" => retry_while_locked(
                Duration::from_secs(6),
                Duration::from_millis(50),
                |_| unlock_daemon(),
                || {
                    open().and_then(|s| {
                        save_and_index(&*s, &index, &profile, &sample(SECRET), Overwrite::Refuse)
                            .map(drop)
                    })
                },
            ),
            // Replaces the entry over and over until killed (at most ~2000 times), after
            // announcing that the first replacement is done. Document i holds key and secret
            // number i ([`loop_document`]), so a mix of two documents shows.
            "save-loop" => open().map(|s| {
                for i in 0..2000 {
                    let app = loop_document(i);
                    if s.save(&profile, &app).is_ok() && i == 0 {
                        println!(
                            "\nPROBE-RESULT {}",
                            serde_json::json!({"step": "save-loop", "ok": true, "elapsed_ms": 0})
                        );
                    }
                }
            }),
            "load" => open()
                .and_then(|s| s.load(&profile))
                .map(|app| assert_eq!(app.consumer_secret.expose_secret(), SECRET)),
            "delete" => open().and_then(|s| s.delete(&profile)),
            "unlock" => {
                unlock_daemon();
                Ok(())
            }
            other => panic!("unknown probe step {other}"),
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let line = match result {
            Ok(()) => serde_json::json!({"step": step, "ok": true, "elapsed_ms": elapsed_ms}),
            Err(e) => {
                let e = AppError::from(e);
                serde_json::json!({"step": step, "ok": false, "code": e.code, "exit": e.exit_code(),
                    "message": e.message, "fix": e.fix, "elapsed_ms": elapsed_ms})
            }
        };
        // Own line: the test harness prints "test … " before a test's output.
        println!("\nPROBE-RESULT {line}");
    }
}

/// What a user does at an unlock prompt, done the headless way: give the daemon of this
/// session the keyring password (scripts/secret-service-env.sh exports it).
pub fn unlock_daemon() {
    let password = std::env::var("SECRET_SERVICE_ENV_PASSWORD").unwrap_or_default();
    let status = Command::new("sh")
        .args(["-c", r#"printf %s "$0" | gnome-keyring-daemon --replace --unlock --components=secrets >/dev/null"#, &password])
        .status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "gnome-keyring-daemon --unlock failed"
    );
}
