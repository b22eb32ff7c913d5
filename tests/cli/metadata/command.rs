//! `sf-webex-setup metadata`: the built binary asks (here: is given) the app's fields and
//! writes the project; the files are the library's emission for the same answers, and
//! Salesforce's own source engine resolves them. A wrong answer or a folder in the way
//! writes nothing.

use std::path::Path;

use sf_webex_setup::metadata::source::emit;
use sf_webex_setup::metadata::EcaSpec;

use super::source::resolve;
use crate::support::{assert_cmd, Envelope, Sandbox, WEBEX_CALLBACK};

fn envelope(stdout: &[u8]) -> Envelope {
    Envelope::parse(stdout)
}

const LOOPBACK: &str = "http://localhost:1717/OauthRedirect";

/// Every answer as a flag, `drop` left out.
fn flags(out: &Path, drop: &str) -> Vec<String> {
    let all = [
        ("--login-url", "https://acme.my.salesforce.com"),
        ("--app-name", "Webex Integration"),
        ("--contact-email", "admin@acme.com"),
        ("--distribution-state", "local"),
        ("--callback-url", WEBEX_CALLBACK),
        ("--callback-url", LOOPBACK),
        ("--scope", "api,web,refresh_token"),
        (
            "--security",
            "secret-web-server-flow,secret-refresh-token-flow,pkce",
        ),
    ];
    let mut args: Vec<String> = ["metadata", "--non-interactive", "--json", "--out"]
        .map(String::from)
        .into();
    args.push(out.to_string_lossy().into_owned());
    for (flag, value) in all.iter().filter(|(f, v)| *f != drop && *v != drop) {
        args.extend([flag.to_string(), value.to_string()]);
    }
    args
}

fn run(args: &[String]) -> std::process::Output {
    assert_cmd(&Sandbox::new()).args(args).output().unwrap()
}

#[test]
fn the_written_project_is_the_emitted_app_and_salesforce_resolves_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("webex eca");
    let mut args = flags(&dir, "");
    args.extend(["--target-org".into(), "acme".into()]);
    let out = run(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result = envelope(&out.stdout).result.unwrap();
    let mut spec = EcaSpec::webex(
        "Webex_Integration",
        "admin@acme.com",
        &[LOOPBACK.to_string()],
    );
    spec.label = "Webex Integration".into();
    let want = emit(&spec).unwrap();
    let files: Vec<&str> = result["written"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        want.iter().map(|f| f.path.as_str()).collect::<Vec<_>>()
    );
    for file in &want {
        let on_disk = std::fs::read(dir.join(&file.path)).unwrap();
        assert_eq!(on_disk, file.bytes, "{}", file.path);
    }
    let deploy = &result["deploy"];
    let command = shell_words::split(deploy["command"].as_str().unwrap()).unwrap();
    assert_eq!(command[1], dir.to_string_lossy(), "the folder, quoted");
    assert_eq!(command.last().map(String::as_str), Some("acme"));
    assert!(deploy["login"]
        .as_str()
        .unwrap()
        .ends_with("--instance-url https://acme.my.salesforce.com"));
    assert_eq!(result["app"]["api_name"], "Webex_Integration");
    if let Some(resolved) = resolve(&dir) {
        assert!(resolved.get("error").is_none(), "{resolved}");
        assert_eq!(
            resolved["source"].as_array().unwrap().len(),
            want.iter()
                .filter(|f| f.path.ends_with("-meta.xml"))
                .count()
        );
    }
}

#[test]
fn a_wrong_or_missing_answer_writes_nothing() {
    for (drop, code) in [
        ("--security", "security_option_unchecked"),
        ("--contact-email", "missing_answer"),
        (WEBEX_CALLBACK, "invalid_callback_url"),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let mut args = flags(&dir, drop);
        if drop == "--security" {
            // PKCE left unchecked.
            args.extend([
                "--security".into(),
                "secret-web-server-flow,secret-refresh-token-flow".into(),
            ]);
        }
        let out = run(&args);
        let err = envelope(&out.stdout).error.expect("an error");
        assert_eq!(
            (out.status.code(), err.code.as_str()),
            (Some(2), code),
            "{drop}"
        );
        assert!(!dir.exists(), "{drop}: nothing written");
    }
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_force_replaces_only_the_apps_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = run(&flags(&dir, ""));
    let err = envelope(&out.stdout).error.expect("refused");
    assert_eq!(
        (out.status.code(), err.code.as_str()),
        (Some(2), "output_dir_not_empty")
    );
    assert!(err.fix.unwrap().contains("--force"));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "nothing added");
    let mut forced = flags(&dir, "");
    forced.push("--force".into());
    let out = run(&forced);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(dir.join("package.xml").is_file());
}
