//! The `status` and `remove` commands through the built binary, against the real Secret
//! Service, the kernel keyutils store, and a machine without a session bus.

use super::*;

#[test]
fn keyutils_entries_survive_across_processes_and_the_commands_find_them_by_the_index() {
    if !keyring_session() {
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
    let env = crate::support::Envelope::parse(&out.stdout).value();
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
    let env = crate::support::Envelope::parse(&again.stdout).value();
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
        let env = crate::support::Envelope::parse(&out.stdout).value();
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

fn envelope_after(output: &str, marker: &str) -> serde_json::Value {
    let line = output.lines().find_map(|l| l.strip_prefix(marker));
    serde_json::from_str(line.unwrap_or_else(|| panic!("no {marker:?} line in:\n{output}")))
        .unwrap()
}
