//! Credential storage against REAL stores: a gnome-keyring Secret Service in a private
//! D-Bus session (run the tests under `scripts/secret-service-env.sh`), the kernel keyutils
//! store under a private session keyring (`keyctl session -`), and the real failure modes
//! (no bus, a bus that never answers, no provider, a locked keyring, no session keyring,
//! an interrupted writer; `failures`), each in a child process with its own environment
//! (harness: [`probe`]), the `status` / `remove` commands through
//! the built binary (`commands`), and the test-environment scripts (`scripts`).
//! This file: the Secret Service itself, in-process.
//! Outside that session every keyring-dependent test prints "skipped: why" and passes, or
//! fails when CI is set to anything non-empty ([`probe::keyring_session`]).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use secrecy::ExposeSecret;
use sf_webex_setup::error::AppError;
use sf_webex_setup::store::{
    open_store, save_and_index, save_guarded, CredentialStore, Overwrite, ProfileIndex,
    ProfileRecord, SaveOutcome, StoreKind,
};

use crate::support::{Sandbox, BIN, KEY, SECRET, WEBEX_CALLBACK};

mod probe;
use probe::*;

mod commands;
mod failures;
mod scripts;

/// The unlocked Secret Service of `scripts/secret-service-env.sh`, or a skip
/// ([`keyring_session`]); inside the session it must open.
fn secret_service() -> Option<Box<dyn CredentialStore>> {
    if !keyring_session() {
        return None;
    }
    assert_eq!(
        std::env::var("SECRET_SERVICE_ENV").as_deref(),
        Ok("unlocked"),
        "run the suite in the default (unlocked) mode of scripts/secret-service-env.sh"
    );
    match open_store(StoreKind::SecretService, Duration::from_secs(10)) {
        Ok(store) => Some(store),
        Err(e) => panic!("the private Secret Service did not open: {e}"),
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
    let (mut opens, mut saves, mut loads) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..10 {
        let started = Instant::now();
        let fresh = open_store(StoreKind::SecretService, Duration::from_secs(10)).unwrap();
        opens.push(started.elapsed());
        let started = Instant::now();
        fresh.save(&profile, &app).unwrap();
        saves.push(started.elapsed());
        let started = Instant::now();
        let back = store.load(&profile).unwrap();
        loads.push(started.elapsed());
        assert_eq!(back.consumer_secret.expose_secret(), SECRET);
        assert_eq!(back.consumer_key, KEY);
        assert_eq!(back.callback_urls, [WEBEX_CALLBACK]);
        assert!(back.checked);
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    eprintln!(
        "figure: Secret Service, median of 10: open {:.1} ms, save (write + read-back + compare) {:.1} ms, load {:.1} ms",
        median(&mut opens),
        median(&mut saves),
        median(&mut loads)
    );
    assert!(store.exists(&profile).unwrap(), "found without reading");
    store.delete(&profile).unwrap();
    assert_eq!(
        store.load(&profile).unwrap_err().code(),
        sf_webex_setup::error::ErrorCode::StoreEntryNotFound
    );
    assert!(!store.exists(&profile).unwrap());
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
        (app_err.exit_code(), app_err.code.as_str()),
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
    assert_eq!(
        (err.exit_code(), err.code.as_str()),
        (4, "store_entry_corrupt")
    );
    assert!(
        err.message.contains("Secret Service") && err.message.contains(&profile),
        "{}",
        err.message
    );
    assert!(!err.to_string().contains("hunter2"), "{err}");
    assert!(err.fix.unwrap().contains("--force"));
    assert!(
        store.exists(&profile).unwrap(),
        "an unreadable document still exists"
    );
    store.delete(&profile).unwrap();
}
