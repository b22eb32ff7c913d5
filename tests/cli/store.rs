//! Credential storage against REAL stores: a gnome-keyring Secret Service in a private
//! D-Bus session (run the tests under `scripts/secret-service-env.sh`), the kernel keyutils
//! store under a private session keyring (`keyctl session -`), and the real failure modes
//! (no bus, a bus that never answers, no provider, a locked keyring), each in a child
//! process with its own environment (harness: tests/support/store_probe.rs). The `status`
//! and `remove` commands are driven through the built binary. Anything that cannot run
//! prints "skipped: why" and fails when CI=true.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use secrecy::ExposeSecret;
use sf_webex_setup::error::AppError;
use sf_webex_setup::store::{
    open_store, save_and_index, save_guarded, CredentialStore, Overwrite, ProfileIndex,
    ProfileRecord, SaveOutcome, StoreKind,
};

use crate::support::{Sandbox, BIN, KEY, SECRET, WEBEX_CALLBACK};

#[path = "../support/store_probe.rs"]
mod probe;
use probe::*;

/// The unlocked Secret Service of `scripts/secret-service-env.sh`, or a skip.
fn secret_service() -> Option<Box<dyn CredentialStore>> {
    if std::env::var("SECRET_SERVICE_ENV").as_deref() != Ok("unlocked") {
        skip("not inside scripts/secret-service-env.sh (no private, unlocked Secret Service)");
        return None;
    }
    match open_store(StoreKind::SecretService, Duration::from_secs(10)) {
        Ok(store) => Some(store),
        Err(e) => {
            skip(&format!("the private Secret Service did not open: {e}"));
            None
        }
    }
}

fn secret_tool(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new("secret-tool")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("secret-tool runs (package libsecret-tools)");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_document_saved_in_the_secret_service_loads_back_identically_and_fast() {
    let Some(store) = secret_service() else {
        return;
    };
    let profile = unique_profile("roundtrip");
    let app = sample(SECRET);
    let mut timings = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        store.save(&profile, &app).unwrap();
        let back = store.load(&profile).unwrap();
        timings.push(started.elapsed());
        assert_eq!(back.consumer_secret.expose_secret(), SECRET);
        assert_eq!(back.consumer_key, KEY);
        assert_eq!(back.callback_urls, [WEBEX_CALLBACK]);
        assert!(back.checked);
    }
    timings.sort();
    eprintln!(
        "figure: Secret Service save (write + read-back) + load, 10 runs: median {:.1} ms, max {:.1} ms",
        timings[5].as_secs_f64() * 1e3,
        timings[9].as_secs_f64() * 1e3
    );
    store.delete(&profile).unwrap();
    assert_eq!(
        store.load(&profile).unwrap_err().code(),
        "store_entry_not_found"
    );
}

#[test]
fn secret_tool_reads_the_one_json_document_we_store() {
    let Some(store) = secret_service() else {
        return;
    };
    let profile = unique_profile("st-read");
    store.save(&profile, &sample(SECRET)).unwrap();
    let out = secret_tool(
        &["lookup", "service", "sf-webex-setup", "username", &profile],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["consumer_key"], KEY);
    assert_eq!(doc["consumer_secret"], SECRET);
    assert_eq!(doc["login_url"], "https://acme.my.salesforce.com");
    assert_eq!(doc["version"], 1);
    store.delete(&profile).unwrap();
}

#[test]
fn an_entry_stored_by_secret_tool_loads() {
    let Some(store) = secret_service() else {
        return;
    };
    let profile = unique_profile("st-write");
    let doc = format!(
        r#"{{"version":1,"consumer_key":"{KEY}","consumer_secret":"{SECRET}","login_url":"https://test.salesforce.com"}}"#
    );
    let out = secret_tool(
        &[
            "store",
            "--label=hand-written",
            "service",
            "sf-webex-setup",
            "username",
            &profile,
        ],
        Some(&doc),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = store.load(&profile).unwrap();
    assert_eq!(app.consumer_secret.expose_secret(), SECRET);
    assert_eq!(app.login_host(), "test.salesforce.com");
    assert!(
        !app.checked,
        "a hand-written entry does not claim the OAuth proof"
    );
    store.delete(&profile).unwrap();
}

#[test]
fn an_existing_secret_service_entry_is_not_overwritten_without_confirmation() {
    let Some(store) = secret_service() else {
        return;
    };
    let profile = unique_profile("guard");
    assert_eq!(
        save_guarded(&*store, &profile, &sample("old-secret"), Overwrite::Refuse).unwrap(),
        SaveOutcome::Created
    );
    let err =
        save_guarded(&*store, &profile, &sample("new-secret"), Overwrite::Refuse).unwrap_err();
    let app_err = AppError::from(err);
    assert_eq!(
        (app_err.exit_code(), app_err.code),
        (4, "store_entry_exists")
    );
    assert!(app_err.fix.as_deref().unwrap().contains("--force"));
    assert_eq!(
        store
            .load(&profile)
            .unwrap()
            .consumer_secret
            .expose_secret(),
        "old-secret"
    );
    let replaced = save_guarded(
        &*store,
        &profile,
        &sample("new-secret"),
        Overwrite::Confirmed,
    )
    .unwrap();
    assert_eq!(replaced, SaveOutcome::Replaced);
    assert_eq!(
        store
            .load(&profile)
            .unwrap()
            .consumer_secret
            .expose_secret(),
        "new-secret"
    );
    store.delete(&profile).unwrap();
}

#[test]
fn a_non_json_entry_is_reported_as_corrupt_with_the_fix_and_without_its_content() {
    let Some(store) = secret_service() else {
        return;
    };
    let profile = unique_profile("corrupt");
    let out = secret_tool(
        &[
            "store",
            "--label=x",
            "service",
            "sf-webex-setup",
            "username",
            &profile,
        ],
        Some("hunter2 plain"),
    );
    assert!(out.status.success());
    let err = AppError::from(store.load(&profile).unwrap_err());
    assert_eq!((err.exit_code(), err.code), (4, "store_entry_corrupt"));
    assert!(
        err.message.contains("Secret Service") && err.message.contains(&profile),
        "{}",
        err.message
    );
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(err.fix.unwrap().contains("--force"));
    store.delete(&profile).unwrap();
}

// ---------------------------------------------------------------------------------------
// Failure modes and keyutils, in child processes.

#[test]
fn without_a_session_bus_saving_fails_fast_with_the_choices_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let empty_run = dir.path().join("run");
    std::fs::create_dir(&empty_run).unwrap();
    let nowhere = format!("unix:path={}", dir.path().join("no-bus-here").display());
    for bus in ["", nowhere.as_str()] {
        let config = dir.path().join(format!("config{}", bus.len()));
        // An empty address is treated like an unset one (zbus then tries $XDG_RUNTIME_DIR/bus).
        let envs = [
            ("DBUS_SESSION_BUS_ADDRESS", bus),
            ("XDG_RUNTIME_DIR", empty_run.to_str().unwrap()),
        ];
        let probe = run_probe(&[], "save", &envs, &config);
        assert_fails_clearly(
            &probe,
            "store_no_session_bus",
            &[
                "gnome-keyring-daemon --unlock",
                "--store keyutils",
                "until reboot",
            ],
        );
        assert_nothing_indexed(&config);
    }
}

#[test]
fn a_session_bus_that_never_answers_times_out_within_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("silent-bus");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    // Accept and hold connections without ever speaking: the D-Bus handshake never ends.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            held.push(conn);
        }
    });
    let address = format!("unix:path={}", socket.display());
    let config = dir.path().join("config");
    let probe = run_probe(
        &[],
        "save",
        &[("DBUS_SESSION_BUS_ADDRESS", &address)],
        &config,
    );
    let message = assert_fails_clearly(&probe, "store_timeout", &["--store keyutils"]);
    assert!(message.contains("did not answer within 2"), "{message}");
    assert_nothing_indexed(&config);
}

#[test]
fn a_bus_without_a_secret_service_provider_fails_fast_with_the_choices() {
    if !scripts_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let probe = run_probe(&[SCRIPT, "--no-provider"], "save", &[], &config);
    assert_fails_clearly(
        &probe,
        "store_no_secret_service",
        &["gnome-keyring-daemon --unlock", "--store keyutils"],
    );
    assert_nothing_indexed(&config);
}

#[test]
fn a_locked_keyring_fails_fast_with_unlock_instructions_and_nothing_is_written() {
    if !scripts_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    // save (locked) → unlock the daemon as a user would → load: the failed save left nothing.
    let probe = run_probe(&[SCRIPT, "--locked"], "save,unlock,load", &[], &config);
    let message = assert_fails_clearly(&probe, "store_locked", &["unlock your keyring"]);
    assert!(message.contains("locked"), "{message}");
    assert_nothing_indexed(&config);
    let load = probe
        .steps
        .get(2)
        .unwrap_or_else(|| panic!("{}", probe.output));
    assert_eq!(
        load.code.as_deref(),
        Some("store_entry_not_found"),
        "{load:?}"
    );
}

#[test]
fn an_interactive_save_waits_for_the_keyring_to_be_unlocked_then_stores() {
    if !scripts_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    // save-retry: locked → on_locked unlocks the daemon (the user at the prompt) → stored.
    let probe = run_probe(&[SCRIPT, "--locked"], "save-retry,load", &[], &config);
    let [save, load] = &probe.steps[..] else {
        panic!("{}", probe.output)
    };
    assert!(save.ok && load.ok, "{save:?} {load:?}\n{}", probe.output);
    assert!(Duration::from_millis(save.elapsed_ms) < BOUND);
    eprintln!(
        "figure: locked → unlocked → stored in {} ms (child total {:?})",
        save.elapsed_ms, probe.elapsed
    );
}

#[test]
fn keyutils_entries_survive_across_processes_and_the_commands_find_them_by_the_index() {
    if !have("keyctl") {
        skip("keyctl missing: run scripts/install-test-deps-keyring.sh");
        return;
    }
    let sandbox = Sandbox::new();
    let exe = std::env::current_exe().unwrap().display().to_string();
    let profile = unique_profile("keyutils");
    // One private session keyring; each line is a separate process. `status` and `remove`
    // are not told the store: they must take it from the profile index.
    let script = r#"SFWS_PROBE=save "$0" "$@" && SFWS_PROBE=load "$0" "$@" &&
        echo "STATUS-JSON $("$SFWS_BIN" status --json)" &&
        echo "REMOVE-JSON $("$SFWS_BIN" remove --profile "$SFWS_PROBE_PROFILE" --force --json)";
        SFWS_PROBE=load "$0" "$@""#;
    let out = Command::new("keyctl")
        .args(["session", "-", "sh", "-c", script, &exe])
        .args(CHILD_ARGS)
        .env("XDG_CONFIG_HOME", sandbox.config_dir())
        .env_remove("SF_WEBEX_STORE")
        .env_remove("SF_WEBEX_PROFILE")
        .env("SFWS_BIN", BIN)
        .env("SFWS_PROBE_STORE", "keyutils")
        .env("SFWS_PROBE_PROFILE", &profile)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let out =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let steps = parse_steps(&out);
    let names: Vec<_> = steps.iter().map(|s| (s.step.as_str(), s.ok)).collect();
    assert_eq!(
        names,
        [("save", true), ("load", true), ("load", false)],
        "{out}"
    );
    assert_eq!(steps[2].code.as_deref(), Some("store_entry_not_found"));
    assert!(steps[2].message.as_deref().unwrap().contains("keyutils"));
    let status = envelope_after(&out, "STATUS-JSON ");
    let listed = &status["result"]["profiles"][0];
    assert_eq!(
        (listed["profile"].as_str(), listed["store"].as_str()),
        (Some(profile.as_str()), Some("keyutils"))
    );
    assert_eq!(listed["entry"], "present", "{status}");
    assert!(listed["store_description"]
        .as_str()
        .unwrap()
        .contains("until reboot"));
    let removed = envelope_after(&out, "REMOVE-JSON ");
    assert_eq!(removed["result"]["store"], "keyutils", "{removed}");
    assert_eq!(removed["result"]["entry_deleted"], true);
}

#[test]
fn the_status_and_remove_commands_list_and_delete_a_real_secret_service_entry() {
    let Some(store) = secret_service() else {
        return;
    };
    let sandbox = Sandbox::new();
    let index = sandbox.config_dir().join("sf-webex-setup/profiles.json");
    let profile = unique_profile("cli");
    let mut app = sample(SECRET);
    app.checked = false;
    save_and_index(&*store, &index, &profile, &app, Overwrite::Refuse).unwrap();

    let out = sandbox
        .command()
        .args(["status", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let env: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed = &env["result"]["profiles"][0];
    assert_eq!(listed["profile"].as_str(), Some(profile.as_str()));
    assert_eq!(
        (listed["store"].as_str(), listed["entry"].as_str()),
        (Some("secret-service"), Some("present"))
    );
    assert_eq!(
        (listed["login_host"].as_str(), listed["checked"].as_bool()),
        (Some("acme.my.salesforce.com"), Some(false))
    );
    assert!(
        env["warnings"][0]
            .as_str()
            .unwrap()
            .contains("WITHOUT the OAuth proof"),
        "{env}"
    );
    let human = sandbox.command().arg("status").output().unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("NO: stored WITHOUT the OAuth proof (--skip-check)"),
        "{text}"
    );
    assert!(
        text.contains("Secret Service (GNOME Keyring / KWallet) over D-Bus (entry present)"),
        "{text}"
    );
    assert!(!text.contains(SECRET));

    let refused = sandbox
        .command()
        .args(["remove", "--profile", &profile, "--non-interactive"])
        .output()
        .unwrap();
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(
        store.load(&profile).is_ok(),
        "an unconfirmed remove deleted the entry"
    );

    let removed = sandbox
        .command()
        .args(["remove", "--profile", &profile, "--force"])
        .output()
        .unwrap();
    assert_eq!(
        removed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&removed.stderr)
    );
    assert!(secret_tool(
        &["lookup", "service", "sf-webex-setup", "username", &profile],
        None
    )
    .stdout
    .is_empty());
    assert!(ProfileIndex::load(&index).unwrap().profiles.is_empty());

    let again = sandbox
        .command()
        .args(["remove", "--profile", &profile, "--force", "--json"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(4));
    let env: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(env["error"]["code"], "store_entry_not_found");
}

#[test]
fn without_a_session_bus_remove_exits_4_fast_and_status_marks_the_entry_unreadable() {
    let sandbox = Sandbox::new();
    let index = sandbox.config_dir().join("sf-webex-setup/profiles.json");
    let mut listed = ProfileIndex::default();
    listed.upsert(ProfileRecord::new(
        "prod",
        StoreKind::SecretService,
        &sample(SECRET),
    ));
    listed.save(&index).unwrap();
    let run_dir = sandbox.dir.path().join("run");
    std::fs::create_dir(&run_dir).unwrap();
    let nowhere = format!("unix:path={}", sandbox.dir.path().join("no-bus").display());
    let run = |args: &[&str]| {
        let started = Instant::now();
        let mut cmd = sandbox.command();
        cmd.args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &nowhere)
            .env("XDG_RUNTIME_DIR", &run_dir);
        let out = cmd.output().unwrap();
        assert!(
            started.elapsed() < BOUND,
            "{args:?} took {:?}",
            started.elapsed()
        );
        let env: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), env)
    };
    let (code, env) = run(&["remove", "--profile", "prod", "--force", "--json"]);
    assert_eq!(
        (code, env["error"]["code"].as_str()),
        (Some(4), Some("store_no_session_bus")),
        "{env}"
    );
    assert!(env["error"]["fix"]
        .as_str()
        .unwrap()
        .contains("--store keyutils"));
    assert!(
        ProfileIndex::load(&index).unwrap().get("prod").is_some(),
        "the index changed"
    );
    let (code, env) = run(&["status", "--json"]);
    assert_eq!(code, Some(0), "{env}");
    let entry = &env["result"]["profiles"][0];
    assert_eq!(entry["entry"], "unreadable");
    assert!(
        entry["entry_problem"]
            .as_str()
            .unwrap()
            .contains("no D-Bus session bus"),
        "{entry}"
    );
}

fn parse_steps(output: &str) -> Vec<Step> {
    output
        .lines()
        .filter_map(|l| l.split_once("PROBE-RESULT ").map(|(_, json)| json))
        .map(|j| serde_json::from_str(j).unwrap())
        .collect()
}

fn envelope_after(output: &str, marker: &str) -> serde_json::Value {
    let line = output.lines().find_map(|l| l.strip_prefix(marker));
    serde_json::from_str(line.unwrap_or_else(|| panic!("no {marker:?} line in:\n{output}")))
        .unwrap()
}
