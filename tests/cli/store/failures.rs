//! Real failure modes of the credential stores, each in a child process whose environment
//! is broken on purpose: a clear message naming the store, exit 4, a fix, bounded time,
//! nothing written. Plus an interrupted writer, which must leave a whole entry.

use super::*;

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
            "Secret Service",
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
    let message = assert_fails_clearly(
        &probe,
        "Secret Service",
        "store_timeout",
        &["--store keyutils"],
    );
    assert!(message.contains("did not answer within 2"), "{message}");
    assert_nothing_indexed(&config);
}

#[test]
fn a_bus_without_a_secret_service_provider_fails_fast_with_the_choices() {
    if !keyring_session() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let probe = run_probe(&[SCRIPT, "--no-provider"], "save", &[], &config);
    assert_fails_clearly(
        &probe,
        "Secret Service",
        "store_no_secret_service",
        &["gnome-keyring-daemon --unlock", "--store keyutils"],
    );
    assert_nothing_indexed(&config);
}

#[test]
fn a_locked_keyring_fails_fast_with_unlock_instructions_and_nothing_is_written() {
    if !keyring_session() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    // save (locked) → unlock the daemon as a user would → load: the failed save left nothing.
    let probe = run_probe(&[SCRIPT, "--locked"], "save,unlock,load", &[], &config);
    let message = assert_fails_clearly(
        &probe,
        "Secret Service",
        "store_locked",
        &["unlock your keyring"],
    );
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
    if !keyring_session() {
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
fn keyutils_without_a_session_keyring_fails_clearly_and_writes_nothing() {
    if !keyring_session() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let profile = unique_profile("no-session");
    let envs = [
        ("SFWS_PROBE_STORE", "keyutils"),
        ("SFWS_PROBE_PROFILE", profile.as_str()),
    ];
    // Processes started without a login session (like this machine's) get EACCES from the
    // kernel. When the tests run inside a session keyring anyway (`keyctl session -`), the
    // same refusal is produced by a private session keyring that grants nothing.
    let mut probe = run_probe(&[], "save", &envs, &config);
    if probe.steps.first().is_some_and(|s| s.ok) {
        run_probe(&[], "delete", &envs, &dir.path().join("undo"));
        let _ = std::fs::remove_dir_all(&config);
        let refuse = [
            "keyctl",
            "session",
            "-",
            "sh",
            "-c",
            r#"keyctl setperm @s 0 && exec "$0" "$@""#,
        ];
        probe = run_probe(&refuse, "save", &envs, &config);
    }
    let message = assert_fails_clearly(
        &probe,
        "keyutils",
        "store_no_session_keyring",
        &["keyctl session -"],
    );
    assert!(message.contains("session keyring"), "{message}");
    assert_nothing_indexed(&config);
}

#[test]
fn an_interrupted_writer_leaves_a_whole_entry_never_a_mix() {
    let Some(store) = secret_service() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let profile = unique_profile("interrupted");
    // Every document has its own key AND secret, so a half-replaced entry (the key of one
    // document with the secret of another) cannot pass for a whole one.
    let before = sample_with("3MVGbefore", "before-secret");
    store.save(&profile, &before).unwrap();
    // The child replaces the entry in a loop (same daemon); Ctrl-C (SIGINT) hits it mid-way.
    let running = spawn_probe(
        &[],
        "save-loop",
        &[("SFWS_PROBE_PROFILE", &profile)],
        &dir.path().join("config"),
    );
    let deadline = Instant::now() + BOUND;
    while !running.output().contains("PROBE-RESULT") {
        assert!(
            Instant::now() < deadline,
            "the writer never started:\n{}",
            running.output()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    running.signal_group("INT");
    let probe = running.finish(BOUND);
    let app = store
        .load(&profile)
        .unwrap_or_else(|e| panic!("after Ctrl-C: {e}\n{}", probe.output));
    store.delete(&profile).unwrap();
    let (key, secret) = (
        app.consumer_key.as_str(),
        app.consumer_secret.expose_secret(),
    );
    assert!(
        whole_document(key, secret),
        "key {key:?} and secret {secret:?} come from different documents"
    );
    // The child announced its first replacement before Ctrl-C: the old one is gone.
    assert_ne!(key, before.consumer_key, "the replacement was lost");
}

/// True when `key` and `secret` are the pair of one document the test wrote.
fn whole_document(key: &str, secret: &str) -> bool {
    if (key, secret) == ("3MVGbefore", "before-secret") {
        return true;
    }
    let Some(n) = key.strip_prefix("3MVGloop") else {
        return false;
    };
    n.parse::<u32>()
        .is_ok_and(|i| secret == loop_document(i).consumer_secret.expose_secret())
}

#[test]
fn a_key_and_secret_from_two_documents_are_not_taken_for_a_whole_one() {
    assert!(whole_document("3MVGbefore", "before-secret"));
    assert!(whole_document("3MVGloop7", "loop-secret-7"));
    assert!(!whole_document("3MVGloop7", "loop-secret-8"));
    assert!(!whole_document("3MVGbefore", "loop-secret-0"));
    assert!(!whole_document("3MVGloop0", "before-secret"));
    assert!(!whole_document(KEY, "loop-secret-0"));
}
