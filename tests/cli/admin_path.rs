//! The admin's real path through the built binary, against the real Secret Service: a
//! failed proof keeps the answers and `init --resume` needs only the secret; `verify --all`
//! re-checks every stored profile and names the one that fails; `status` shows each
//! profile's health from its last check and exits non-zero when one failed.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::{
    assert_cmd, browser_command, complete_flags, secret_service_session, Envelope, Sandbox, SimOrg,
    SECRET,
};

fn profile(name: &str) -> String {
    format!("{name}-{}", std::process::id())
}

fn json(out: &Output) -> Value {
    Envelope::parse(&out.stdout).value()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `complete_flags` for a run that signs in through the browser stand-in.
fn login_flags(org: &SimOrg) -> Vec<String> {
    let mut flags = complete_flags(org);
    flags.retain(|f| f != "--no-login");
    flags.push("--login".into());
    flags
}

#[test]
fn a_failed_proof_keeps_the_answers_and_resume_with_only_the_secret_stores_the_profile() {
    if !secret_service_session() {
        return;
    }
    let (sandbox, org) = (Sandbox::new(), SimOrg::start());
    let profile = profile("resume");
    let wrong = "9".repeat(64);
    let failed = assert_cmd(&sandbox)
        .args(login_flags(&org))
        .args(["--json", "--profile", &profile])
        .env("SF_WEBEX_CONSUMER_SECRET", &wrong)
        .env("BROWSER", browser_command())
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(3), "{}", stderr(&failed));
    let fix = json(&failed)["error"]["fix"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        fix.contains("sf-webex-setup init --resume") && fix.contains(&profile),
        "the retry keeps the profile and resumes: {fix}"
    );
    let draft = sandbox
        .config_dir()
        .join("sf-webex-setup/drafts")
        .join(format!("{profile}.json"));
    let text = std::fs::read_to_string(&draft).expect("the answers were kept");
    assert!(
        !text.contains(&wrong) && !text.contains(SECRET),
        "never the secret"
    );
    let status = assert_cmd(&sandbox)
        .args(["status", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        json(&status)["result"]["drafts"][0]["profile"],
        profile.as_str()
    );

    // Only the secret this time (on stdin); every other answer comes from the draft.
    let mut resume = sandbox.command();
    resume
        .args(["init", "--resume", "--login", "--non-interactive", "--json"])
        .args([
            "--allow-custom-host",
            "--consumer-secret-stdin",
            "--profile",
            &profile,
        ])
        .env("BROWSER", browser_command())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = resume.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(SECRET.as_bytes())
        .unwrap();
    let resumed = child.wait_with_output().unwrap();
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    let env = json(&resumed);
    assert_eq!(env["result"]["stored"]["profile"], profile.as_str());
    assert!(stderr(&resumed).contains("Resuming profile"));
    assert!(!draft.exists(), "a successful store removes the draft");
    let out = String::from_utf8_lossy(&resumed.stdout).into_owned() + &stderr(&resumed);
    assert!(!out.contains(SECRET));
    remove(&sandbox, &profile);
}

#[test]
fn resume_without_saved_answers_says_so_and_how_to_start() {
    let sandbox = Sandbox::new();
    let out = assert_cmd(&sandbox)
        .args([
            "init",
            "--resume",
            "--non-interactive",
            "--json",
            "--profile",
            "nothing-saved",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let env = json(&out);
    assert_eq!(env["error"]["code"], "no_draft");
    assert!(
        env["error"]["fix"]
            .as_str()
            .unwrap()
            .contains("sf-webex-setup init --profile nothing-saved"),
        "{env}"
    );
}

/// Stores `profile` for `org` without a sign-in (`--skip-check`).
fn store(sandbox: &Sandbox, org: &SimOrg, profile: &str) {
    let out = assert_cmd(sandbox)
        .args(complete_flags(org))
        .args(["--skip-check", "--json", "--profile", profile])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

fn remove(sandbox: &Sandbox, profile: &str) {
    let _ = assert_cmd(sandbox)
        .args(["remove", "--force", "--profile", profile])
        .output();
}

/// Replaces the stored document's secret with another one (as a reset app would leave it).
fn tamper(profile: &str) {
    let doc = Command::new("secret-tool")
        .args(["lookup", "service", "sf-webex-setup", "username", profile])
        .output()
        .unwrap();
    let mut doc: Value = serde_json::from_slice(&doc.stdout).expect("the stored document");
    doc["consumer_secret"] = Value::String("7".repeat(64));
    let mut child = Command::new("secret-tool")
        .args([
            "store",
            "--label=tampered",
            "service",
            "sf-webex-setup",
            "username",
            profile,
        ])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(doc.to_string().as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn verify_all_rechecks_every_profile_names_the_tampered_one_and_status_shows_it() {
    if !secret_service_session() {
        return;
    }
    let (sandbox, org) = (Sandbox::new(), SimOrg::start());
    let names: Vec<String> = ["all-a", "all-b", "all-c"].map(profile).to_vec();
    for name in &names {
        store(&sandbox, &org, name);
    }
    tamper(&names[1]);
    let out = assert_cmd(&sandbox)
        .args([
            "verify",
            "--all",
            "--jobs",
            "2",
            "--allow-custom-host",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let env = json(&out);
    assert_eq!(env["error"]["code"], "profile_failed");
    assert_eq!(env["result"]["failed"], serde_json::json!([names[1]]));
    let checked: Vec<&str> = env["result"]["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["profile"].as_str())
        .collect();
    assert_eq!(checked.len(), 3, "{env}");
    assert!(env["error"]["message"]
        .as_str()
        .unwrap()
        .contains(&names[1]));

    let human = assert_cmd(&sandbox)
        .args(["verify", "--all", "--allow-custom-host"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains(&format!("✓ {}", names[0])), "{text}");
    assert!(
        text.contains(&format!("✗ {}", names[1])) && text.contains("secret_accepted"),
        "{text}"
    );

    let status = assert_cmd(&sandbox).args(["status"]).output().unwrap();
    assert_eq!(status.status.code(), Some(3), "{}", stderr(&status));
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("✗ FAILED") && text.contains("✓ passed"),
        "{text}"
    );
    assert!(text.contains("3MVG…"), "the key is shown masked: {text}");
    assert!(!text.contains(SECRET));
    for name in &names {
        remove(&sandbox, name);
    }
}

#[test]
fn a_locked_keyring_stops_init_before_the_org_is_contacted_within_the_timeout() {
    if !secret_service_session() {
        return;
    }
    let (sandbox, org) = (Sandbox::new(), SimOrg::start());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/secret-service-env.sh");
    let mut cmd = Command::new(script);
    cmd.arg("--locked").arg(sandbox.command().get_program());
    for (k, v) in sandbox.command().get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let started = std::time::Instant::now();
    let out = cmd
        .args(complete_flags(&org))
        .args(["--skip-check", "--json", "--profile", &profile("locked")])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(
        json(&out)["error"]["code"],
        "store_locked",
        "{}",
        stderr(&out)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    assert_eq!(
        org.sim.stats().requests.values().sum::<u64>(),
        0,
        "settled before the wizard and the proof"
    );
}

#[test]
fn concurrent_runs_keep_every_profile_in_the_index_and_never_set_up_one_profile_twice() {
    if !secret_service_session() {
        return;
    }
    let (sandbox, org) = (Sandbox::new(), SimOrg::start());
    let names: Vec<String> = (0..8).map(|i| profile(&format!("many-{i}"))).collect();
    let runs: Vec<_> = names
        .iter()
        .map(|name| {
            let mut cmd = sandbox.command();
            cmd.args(complete_flags(&org))
                .args(["--skip-check", "--json", "--profile", name])
                .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    for run in runs {
        let out = run.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let status = assert_cmd(&sandbox)
        .args(["status", "--json"])
        .output()
        .unwrap();
    let listed = json(&status)["result"]["profiles"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        listed,
        names.len(),
        "no update of the profile index was lost"
    );
    for name in &names {
        remove(&sandbox, name);
    }

    // Two runs for one profile at once: the second is told another run holds it.
    let slow = SimOrg::with(|c| c.latency = std::time::Duration::from_millis(400));
    let name = profile("twice");
    let mut first = sandbox.command();
    first
        .args(complete_flags(&slow))
        .args(["--skip-check", "--json", "--profile", &name])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let first = first.spawn().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let second = assert_cmd(&sandbox)
        .args(complete_flags(&slow))
        .args(["--skip-check", "--json", "--profile", &name])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(4), "{}", stderr(&second));
    assert_eq!(json(&second)["error"]["code"], "store_busy");
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    remove(&sandbox, &name);
}

#[test]
fn sigterm_during_the_code_exchange_revokes_every_token_prints_the_envelope_and_exits_143() {
    if !secret_service_session() {
        return;
    }
    let (sandbox, org) = (
        Sandbox::new(),
        SimOrg::with(|c| c.latency = std::time::Duration::from_millis(300)),
    );
    let mut cmd = sandbox.command();
    cmd.args(login_flags(&org))
        .args(["--json", "--profile", &profile("sigterm")])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .env("BROWSER", browser_command())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    // The code exchange has been sent: live tokens are about to exist.
    while org
        .sim
        .stats()
        .requests
        .get("/services/oauth2/token")
        .copied()
        .unwrap_or(0)
        == 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the exchange never came"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{}", stderr(&out));
    let env = json(&out);
    assert_eq!(env["error"]["code"], "terminated");
    assert_eq!(env["error"]["exit_code"], 143);
    assert_eq!(
        org.sim.stats().live_refresh_tokens,
        0,
        "the revoke finished before the stop"
    );
    assert!(org
        .sim
        .stats()
        .requests
        .contains_key("/services/oauth2/revoke"));
}
