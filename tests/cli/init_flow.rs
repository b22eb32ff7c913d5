//! `init` end to end through the built binary against the simulated org: the no-login
//! probes, the browser-driven proof, storing in the real Secret Service, then `verify`,
//! `status` and `remove` on what was stored; and the exit codes 3, 4 and 5.

use std::process::Output;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{
    assert_cmd, browser_command, complete_flags, run_json, secret_service_session, Envelope,
    Sandbox, SimOrg, SECRET,
};

fn json(out: &Output) -> Value {
    Envelope::parse(&out.stdout).value()
}

fn check<'a>(env: &'a Value, id: &str) -> &'a Value {
    env["result"]["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no check {id} in {env}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A profile name no other test uses (they share one keyring daemon).
fn profile(name: &str) -> String {
    format!("{name}-{}", std::process::id())
}

#[test]
fn without_login_init_runs_the_no_login_probes_and_stores_nothing() {
    let (sandbox, org) = (Sandbox::new(), SimOrg::start());
    let out = run_json(&sandbox, &complete_flags(&org));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let env = json(&out);
    assert_eq!(check(&env, "client_and_callback")["status"], "pass");
    assert_eq!(check(&env, "pkce_required")["status"], "pass");
    assert_eq!(check(&env, "token_exchange")["status"], "skipped");
    assert_eq!(env["result"]["stored"], Value::Null);
    assert!(
        env["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().starts_with("Checked, not stored")),
        "{env}"
    );
}

#[test]
fn a_just_created_app_is_waited_for_with_wait_for_propagation_and_then_passes() {
    let (sandbox, org) = (
        Sandbox::new(),
        SimOrg::with(|c| c.propagates_after = Some(Duration::from_millis(1500))),
    );
    let mut args = complete_flags(&org);
    args.extend(
        [
            "--wait-for-propagation",
            "20s",
            "--propagation-poll",
            "300ms",
        ]
        .map(String::from),
    );
    let out = run_json(&sandbox, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let env = json(&out);
    assert_eq!(check(&env, "client_and_callback")["status"], "pass");
    let err = stderr(&out);
    assert!(
        err.contains("up to 10 minutes") && err.contains("still refused"),
        "{err}"
    );
    assert!(err.contains("reached Salesforce's servers"), "{err}");

    // Without the flag, the same app is refused at once (exit 3), the fix saying why.
    let org = SimOrg::with(|c| c.propagates_after = Some(Duration::from_secs(60)));
    let out = run_json(&sandbox, &complete_flags(&org));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let fix = json(&out)["error"]["fix"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(fix.contains("up to 10 minutes"), "{fix}");
}

#[test]
fn a_wrong_secret_is_exit_3_and_the_envelope_keeps_the_failed_check() {
    let (sandbox, org) = (
        Sandbox::new(),
        SimOrg::with(|c| c.consumer_secret = "0".repeat(64)),
    );
    let out = run_json(&sandbox, &complete_flags(&org));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let env = json(&out);
    assert_eq!(env["status"], "error");
    assert_eq!(env["error"]["exit_code"], 3);
    let failed: Vec<&Value> = env["result"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .collect();
    assert!(!failed.is_empty(), "{env}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains(SECRET));
}

#[test]
fn an_unreachable_org_is_exit_5_in_bounded_time() {
    let (sandbox, org) = (Sandbox::new(), SimOrg::start());
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut flags = complete_flags(&org);
    let at = flags.iter().position(|f| f == "--login-url").unwrap();
    flags[at + 1] = format!("http://127.0.0.1:{closed}");
    let started = Instant::now();
    let out = run_json(&sandbox, &flags);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_eq!(json(&out)["error"]["exit_code"], 5);
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn the_demo_runs_the_whole_proof_without_a_terminal() {
    let sandbox = Sandbox::new();
    let out = assert_cmd(&sandbox)
        .args(["init", "--demo", "--non-interactive", "--login", "--json"])
        .env_remove("BROWSER")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let env = json(&out);
    for c in env["result"]["checks"].as_array().unwrap() {
        assert_eq!(c["status"], "pass", "{c}");
    }
    assert!(env["result"]["proof"]["round_trips"].as_u64().unwrap() > 5);
    assert_eq!(
        env["result"]["stored"],
        Value::Null,
        "the demo stores nothing"
    );
}

#[test]
fn a_missing_session_bus_stops_init_before_the_org_is_contacted() {
    let (sandbox, org) = (Sandbox::new(), SimOrg::start());
    let started = Instant::now();
    let out = assert_cmd(&sandbox)
        .args(complete_flags(&org))
        .args(["--skip-check", "--json", "--profile", &profile("nobus")])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let env = json(&out);
    assert_eq!(env["error"]["exit_code"], 4);
    assert!(
        env["error"]["fix"].as_str().unwrap().contains("keyutils"),
        "{env}"
    );
    assert_eq!(env["error"]["code"], "store_no_session_bus");
    // Settled before the wizard and the proof: nothing was sent to the org.
    assert!(
        org.sim.stats().requests.values().all(|&n| n == 0),
        "{:?}",
        org.sim.stats().requests
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn proved_credentials_are_stored_then_verified_listed_and_removed() {
    if !secret_service_session() {
        return;
    }
    let (sandbox, org) = (Sandbox::new(), SimOrg::start());
    let profile = profile("lifecycle");
    let mut flags = complete_flags(&org);
    flags.retain(|f| f != "--no-login");
    let init = assert_cmd(&sandbox)
        .args(flags)
        .args(["--login", "--json", "--profile", &profile])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .env("BROWSER", browser_command())
        .output()
        .unwrap();
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let env = json(&init);
    for c in env["result"]["checks"].as_array().unwrap() {
        assert_eq!(c["status"], "pass", "{c}");
    }
    assert_eq!(env["result"]["stored"]["store"], "secret-service");
    assert_eq!(
        org.sim.stats().live_refresh_tokens,
        0,
        "the proof revokes what it minted"
    );

    // What was stored is readable by an independent Secret Service client.
    let lookup = std::process::Command::new("secret-tool")
        .args(["lookup", "service", "sf-webex-setup", "username", &profile])
        .output()
        .unwrap();
    let stored: Value =
        serde_json::from_slice(&lookup.stdout).expect("the entry is one JSON document");
    assert_eq!(stored["consumer_secret"], SECRET);
    assert_eq!(stored["checked"], true);

    // Running init again for the same profile, without --force, stops before the org is
    // contacted and keeps the entry.
    let before = org.sim.stats().requests.values().sum::<u64>();
    let again = assert_cmd(&sandbox)
        .args(
            complete_flags(&org)
                .into_iter()
                .filter(|f| f != "--no-login"),
        )
        .args(["--login", "--json", "--profile", &profile])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(4), "{}", stderr(&again));
    assert_eq!(json(&again)["error"]["code"], "store_entry_exists");
    assert_eq!(org.sim.stats().requests.values().sum::<u64>(), before);

    let verify = assert_cmd(&sandbox)
        .args([
            "verify",
            "--json",
            "--allow-custom-host",
            "--profile",
            &profile,
        ])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
    assert!(!String::from_utf8_lossy(&verify.stdout).contains(SECRET));

    let status = assert_cmd(&sandbox)
        .args(["status", "--json"])
        .output()
        .unwrap();
    let listed = json(&status);
    let row = listed["result"]["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["profile"] == profile.as_str())
        .cloned();
    assert_eq!(row.expect("profile listed")["checked"], true);

    let remove = assert_cmd(&sandbox)
        .args(["remove", "--force", "--json", "--profile", &profile])
        .output()
        .unwrap();
    assert_eq!(remove.status.code(), Some(0), "{}", stderr(&remove));
    let gone = std::process::Command::new("secret-tool")
        .args(["lookup", "service", "sf-webex-setup", "username", &profile])
        .output()
        .unwrap();
    assert!(gone.stdout.is_empty(), "the entry is deleted");
    let again = assert_cmd(&sandbox)
        .args(["remove", "--force", "--json", "--profile", &profile])
        .output()
        .unwrap();
    assert_eq!(
        again.status.code(),
        Some(4),
        "removing a missing profile is exit 4"
    );
}

#[test]
fn a_truncated_secret_that_slips_through_the_exchange_is_caught_by_the_signature() {
    // With --login the credentials would be stored, so the store must be reachable first.
    if !secret_service_session() {
        return;
    }
    // An app whose web-server flow does not require the secret, on a server that then
    // ignores a wrong one: the exchange succeeds and only `signature` tells the truth.
    let (sandbox, org) = (
        Sandbox::new(),
        SimOrg::with(|c| {
            c.require_secret_web_server = false;
            c.ignore_secret_when_optional = true;
        }),
    );
    let truncated = &SECRET[..SECRET.len() - 4];
    let mut flags = complete_flags(&org);
    flags.retain(|f| f != "--no-login");
    let out = assert_cmd(&sandbox)
        .args(flags)
        .args(["--login", "--json"])
        .env("SF_WEBEX_CONSUMER_SECRET", truncated)
        .env("BROWSER", browser_command())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let env = json(&out);
    assert_eq!(check(&env, "token_exchange")["status"], "pass");
    let signature = check(&env, "secret_signature");
    assert_eq!(signature["status"], "fail", "{signature}");
    assert!(
        signature["fix"]
            .as_str()
            .unwrap()
            .contains("Consumer Secret"),
        "{signature}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains(truncated));
}

#[test]
fn the_browser_never_inherits_the_secret_from_the_environment() {
    if !secret_service_session() {
        return;
    }
    let (sandbox, org) = (Sandbox::new(), SimOrg::start());
    // A "browser" that records its environment, then signs in like browser.py.
    let dump = sandbox.dir.path().join("browser-env.txt");
    let script = sandbox.dir.path().join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nenv > '{}'\nexec {} \"$1\"\n",
            dump.display(),
            browser_command()
        ),
    )
    .unwrap();
    let mut flags = complete_flags(&org);
    flags.retain(|f| f != "--no-login");
    let out = assert_cmd(&sandbox)
        .args(flags)
        .args(["--login", "--json", "--profile", &profile("browser-env")])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .env("BROWSER", format!("sh {}", script.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let seen = std::fs::read_to_string(&dump).expect("the browser ran");
    assert!(
        seen.contains("PATH="),
        "the dump is the browser's environment"
    );
    assert!(
        !seen.contains(SECRET),
        "the secret reached the browser's environment"
    );
    assert!(!seen.contains("SF_WEBEX_CONSUMER_SECRET"));
}

#[test]
fn clicking_deny_is_its_own_verdict_not_a_key_or_callback_failure() {
    let out = assert_cmd(&Sandbox::new())
        .args(["init", "--demo", "--non-interactive", "--login"])
        .env("BROWSER", browser_command())
        .env("BROWSER_BUTTON", "deny")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{text}{}", stderr(&out));
    assert!(
        text.contains("✓ Consumer key known and callback registered: accepted with both callbacks"),
        "{text}"
    );
    assert!(text.contains("✗ Sign-in allowed: denied"), "{text}");
    assert!(
        text.contains("Try: run `sf-webex-setup init --demo` again and click Allow"),
        "{text}"
    );
    let with_json = assert_cmd(&Sandbox::new())
        .args(["init", "--demo", "--non-interactive", "--login", "--json"])
        .env("BROWSER", browser_command())
        .env("BROWSER_BUTTON", "deny")
        .output()
        .unwrap();
    let env = json(&with_json);
    assert_eq!(check(&env, "client_and_callback")["status"], "pass");
    assert_eq!(check(&env, "sign_in")["status"], "fail");
    assert_eq!(check(&env, "token_exchange")["status"], "skipped");
    assert_eq!(env["error"]["code"], "app_rejected");
}
