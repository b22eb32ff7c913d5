//! The scriptable twin of the wizard, through the built binary: flags and environment
//! instead of prompts, the `--json` envelope, exit codes, and the secret kept out of argv
//! and out of every output.

use crate::support::{
    assert_cmd, complete_flags, run_json, Envelope, Sandbox, SimOrg, KEY, SECRET,
};

fn envelope(stdout: &[u8]) -> Envelope {
    Envelope::parse(stdout)
}

fn assert_secret_absent(out: &std::process::Output) {
    for stream in [&out.stdout, &out.stderr] {
        assert!(
            !String::from_utf8_lossy(stream).contains(SECRET),
            "the secret leaked into output"
        );
    }
}

fn flags_without(org: &SimOrg, drop: &str) -> Vec<String> {
    let mut flags = complete_flags(org);
    while let Some(i) = flags.iter().position(|f| f == drop) {
        flags.drain(i..i + 2);
    }
    flags
}

#[test]
fn complete_flags_and_the_secret_on_stdin_give_an_ok_envelope() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let out = assert_cmd(&sandbox)
        .args(complete_flags(&org))
        .args(["--consumer-secret-stdin", "--json"])
        .write_stdin(format!("{SECRET}\n"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let env = envelope(&out.stdout);
    assert_eq!(env.status, "ok");
    assert!(env.error.is_none());
    let app = &env.result.as_ref().unwrap()["app"];
    assert_eq!(app["consumer_key"], KEY);
    assert_eq!(app["api_name"], "Webex_Integration");
    assert_eq!(
        app["scopes"],
        serde_json::json!(["api", "web", "refresh_token"])
    );
    assert_eq!(app["distribution_state"], "Local");
    assert_secret_absent(&out);
}

#[test]
fn the_secret_from_the_environment_works_and_never_shows() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let out = assert_cmd(&sandbox)
        .args(complete_flags(&org))
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Checked without a sign-in, so nothing was stored: no Control Hub hand-off.
    assert!(String::from_utf8_lossy(&out.stderr).contains("Checked, not stored"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Next, enter the Consumer Key"));
    assert_secret_absent(&out);
}

#[test]
fn every_answer_can_come_from_the_environment() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let out = assert_cmd(&sandbox)
        .args(["init", "--no-login", "--json"])
        .env("SF_WEBEX_LOGIN_URL", org.url())
        .env("SF_WEBEX_ALLOW_CUSTOM_HOST", "true")
        .env("SF_WEBEX_APP_NAME", "Webex")
        .env("SF_WEBEX_CONTACT_EMAIL", "admin@acme.com")
        .env("SF_WEBEX_DISTRIBUTION_STATE", "local")
        .env("SF_WEBEX_CALLBACK_URL", crate::support::WEBEX_CALLBACK)
        .env("SF_WEBEX_SCOPE", "api,web,refresh_token")
        .env(
            "SF_WEBEX_SECURITY",
            "secret-web-server-flow,secret-refresh-token-flow,pkce",
        )
        .env("SF_WEBEX_CONSUMER_KEY", KEY)
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        envelope(&out.stdout).result.unwrap()["app"]["login_url"],
        org.url()
    );
}

#[test]
fn a_missing_answer_without_a_terminal_is_exit_2_naming_the_flag() {
    for (flag, env) in [
        ("--contact-email", "SF_WEBEX_CONTACT_EMAIL"),
        ("--consumer-key", "SF_WEBEX_CONSUMER_KEY"),
    ] {
        let sandbox = Sandbox::new();
        let org = SimOrg::start();
        // No --non-interactive: a piped stdin/stdout alone means nobody can answer.
        let mut args = flags_without(&org, flag);
        args.retain(|a| a != "--non-interactive");
        let out = run_json(&sandbox, &args);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let err = envelope(&out.stdout).error.unwrap();
        assert_eq!((err.code.as_str(), err.exit_code), ("missing_answer", 2));
        assert_eq!(
            err.fix.as_deref(),
            Some(format!("pass {flag} (or set {env})").as_str())
        );
    }
}

#[test]
fn a_missing_secret_names_the_two_safe_ways_to_give_it() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let out = assert_cmd(&sandbox)
        .args(complete_flags(&org))
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = envelope(&out.stdout).error.unwrap();
    assert_eq!(
        err.fix.as_deref(),
        Some("pass --consumer-secret-stdin (or set SF_WEBEX_CONSUMER_SECRET)")
    );
}

#[test]
fn the_secret_is_refused_from_argv_without_repeating_it() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    for form in [
        vec!["--consumer-secret".to_string(), SECRET.to_string()],
        vec![format!("--consumer-secret={SECRET}")],
        // Near misses too: clap's own "unexpected argument" error would repeat the value.
        vec![format!("--client-secret={SECRET}")],
        vec![format!("--consumer_secret={SECRET}")],
        vec!["--secret".to_string(), SECRET.to_string()],
    ] {
        let out = assert_cmd(&sandbox)
            .args(complete_flags(&org))
            .args(&form)
            .arg("--json")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = envelope(&out.stdout).error.unwrap();
        assert_eq!(err.code.as_str(), "secret_on_command_line");
        assert!(err.fix.unwrap().contains("--consumer-secret-stdin"));
        assert_secret_absent(&out);
    }
}

#[test]
fn a_wrong_callback_is_exit_2_with_its_specific_diagnosis() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let mut args = flags_without(&org, "--callback-url");
    args.extend([
        "--callback-url".into(),
        crate::support::WEBEX_CALLBACK.replace("https://", "http://"),
    ]);
    let out = run_json(&sandbox, &args);
    assert_eq!(out.status.code(), Some(2));
    let err = envelope(&out.stdout).error.unwrap();
    assert_eq!(err.code.as_str(), "invalid_callback_url");
    assert!(err.message.contains("https"), "{}", err.message);
    assert!(err.message.contains("--callback-url"), "{}", err.message);
}

#[test]
fn several_callback_lines_in_one_value_are_accepted() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let mut args = flags_without(&org, "--callback-url");
    args.extend([
        "--callback-url".into(),
        format!("{}\n{}", crate::support::WEBEX_CALLBACK, org.loopback),
    ]);
    let out = run_json(&sandbox, &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = &envelope(&out.stdout).result.unwrap()["app"];
    assert_eq!(app["callback_urls"].as_array().unwrap().len(), 2);
}

#[test]
fn an_extra_scope_needs_allow_extra_scopes_and_then_warns() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let run = |extra: &[&str]| {
        assert_cmd(&sandbox)
            .args(complete_flags(&org))
            .args(["--scope", "full", "--json"])
            .args(extra)
            .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
            .output()
            .unwrap()
    };
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        envelope(&refused.stdout).error.unwrap().code,
        "extra_scopes"
    );
    let allowed = run(&["--allow-extra-scopes"]);
    assert_eq!(allowed.status.code(), Some(0));
    let env = envelope(&allowed.stdout);
    assert!(
        env.warnings.iter().any(|w| w.contains("least privilege")),
        "{:?}",
        env.warnings
    );
}

#[test]
fn an_unchecked_security_option_is_exit_2_with_its_label() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let mut args = complete_flags(&org);
    let pkce = args.iter().position(|a| a == "pkce").unwrap();
    args.drain(pkce - 1..=pkce);
    let out = run_json(&sandbox, &args);
    assert_eq!(out.status.code(), Some(2));
    let err = envelope(&out.stdout).error.unwrap();
    assert_eq!(err.code.as_str(), "security_option_unchecked");
    assert!(
        err.message
            .contains("Require Proof Key for Code Exchange (PKCE)"),
        "{}",
        err.message
    );
}

#[cfg(unix)]
#[test]
fn usage_errors_are_one_envelope_however_json_was_asked_for() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let cases: [(&str, Vec<&OsStr>, Option<&str>); 3] = [
        (
            "an unknown flag",
            vec![
                "init".as_ref(),
                "--json".as_ref(),
                "--no-such-flag".as_ref(),
            ],
            None,
        ),
        // A non-UTF-8 argument before --json: an error, not a panic.
        (
            "a non-UTF-8 argument",
            vec![
                "init".as_ref(),
                "--app-name".as_ref(),
                OsStr::from_bytes(b"\xff"),
                "--json".as_ref(),
            ],
            None,
        ),
        (
            "SF_WEBEX_JSON",
            vec!["init".as_ref(), "--no-such-flag".as_ref()],
            Some("true"),
        ),
    ];
    for (case, args, json_env) in cases {
        let sandbox = Sandbox::new();
        let mut cmd = assert_cmd(&sandbox);
        cmd.args(args);
        if let Some(v) = json_env {
            cmd.env("SF_WEBEX_JSON", v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{case}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            envelope(&out.stdout).error.unwrap().code,
            "invalid_usage",
            "{case}"
        );
    }
}

#[test]
fn help_lists_the_exit_codes() {
    let sandbox = Sandbox::new();
    let out = assert_cmd(&sandbox)
        .args(["init", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for line in [
        "  2    invalid input",
        "  3    Salesforce rejected",
        "  4    credential store",
        "  5    network",
        "  130  cancelled",
    ] {
        assert!(help.contains(line), "missing {line:?} in --help");
    }
}

#[test]
fn no_usage_error_repeats_a_value_typed_on_the_command_line() {
    let sandbox = Sandbox::new();
    let value = "S3CR3T-pasted-here";
    for args in [
        vec!["init", &format!("--consumer-secret-stdin={value}")],
        vec!["init", "--consumer-secret-stdin", value],
        vec!["status", value],
    ] {
        for json in [false, true] {
            let mut cmd = assert_cmd(&sandbox);
            cmd.args(&args);
            if json {
                cmd.arg("--json");
            }
            let out = cmd.output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let all = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(!all.contains(value), "{args:?} echoed the value: {all}");
            assert!(
                all.contains("argument"),
                "{args:?} names the position: {all}"
            );
        }
    }
}

#[test]
fn the_envelope_keeps_the_warnings_when_the_proof_ends_in_an_error() {
    let (sandbox, org) = (Sandbox::new(), SimOrg::start());
    let mut flags = complete_flags(&org);
    flags.retain(|f| f != "--no-login");
    flags.extend(["--login", "--skip-check"].map(String::from));
    let out = assert_cmd(&sandbox)
        .args(&flags)
        .arg("--json")
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .env_remove("BROWSER")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let env = envelope(&out.stdout);
    assert_eq!(
        env.status,
        "error",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        env.warnings
            .iter()
            .any(|w| w.contains("loopback test server")),
        "{:?}",
        env.warnings
    );
}

#[test]
fn sf_webex_json_takes_1_yes_on_and_off_0_as_clap_does_even_for_a_usage_error() {
    for (value, json) in [
        ("1", true),
        ("yes", true),
        ("on", true),
        ("0", false),
        ("off", false),
    ] {
        for args in [&["status"][..], &["init", "--no-such-flag"][..]] {
            let out = assert_cmd(&Sandbox::new())
                .args(args)
                .env("SF_WEBEX_JSON", value)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(
                stdout.starts_with("{\"status\""),
                json,
                "SF_WEBEX_JSON={value} {args:?}: {stdout}"
            );
            if json {
                envelope(&out.stdout);
            }
        }
    }
    let out = assert_cmd(&Sandbox::new())
        .arg("status")
        .env("SF_WEBEX_JSON", "maybe")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "not a boolean: a usage error");
}

#[test]
fn an_oversized_or_hidden_character_answer_is_exit_2_never_echoed_nor_sent() {
    let huge = "a".repeat(100_000);
    let cases = [
        (
            "--contact-email",
            format!("{huge}@acme.com"),
            "invalid_contact_email",
        ),
        (
            "--consumer-key",
            format!("3MVG{huge}"),
            "invalid_consumer_key",
        ),
        (
            "--contact-email",
            "adm\u{1b}[31min@acme.com".to_string(),
            "invalid_contact_email",
        ),
        (
            "--contact-email",
            "\"admin@acme.com\"".to_string(),
            "invalid_contact_email",
        ),
        (
            "--app-name",
            "Webex\u{202e}lanretxe".to_string(),
            "invalid_app_name",
        ),
        (
            "--login-url",
            format!("https://{huge}.my.salesforce.com"),
            "invalid_login_url",
        ),
    ];
    for (flag, value, code) in cases {
        let (sandbox, org) = (Sandbox::new(), SimOrg::start());
        let mut args = complete_flags(&org);
        let at = args
            .iter()
            .position(|a| a == flag)
            .expect("the flag is given")
            + 1;
        args[at] = value.clone();
        let out = run_json(&sandbox, &args);
        let err = envelope(&out.stdout).error.expect("refused");
        assert_eq!(
            (out.status.code(), err.code.as_str()),
            (Some(2), code),
            "{flag}"
        );
        let all = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            all.len() < 5_000,
            "{flag}: the value is not echoed ({} bytes)",
            all.len()
        );
        assert!(
            !all.contains('\u{1b}') && !all.contains('\u{202e}'),
            "{flag}: no raw control or bidi character reaches the output: {all:?}"
        );
        let requests: u64 = org.sim.stats().requests.values().sum();
        assert_eq!(requests, 0, "{flag}: nothing was sent to the org");
    }
}
