//! The test-environment scripts themselves: `scripts/oidc-provider.sh install` re-runs
//! `npm ci` exactly when node_modules holds another oidc-provider than the lock pins (a
//! stand-in `npm` records the calls; nothing is downloaded), and
//! `scripts/secret-service-env.sh` adds nothing of its own to the command's stderr.

use std::path::Path;

use super::*;

const OIDC_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/oidc-provider.sh");

/// The version tests/oidc/package-lock.json pins.
fn pinned() -> String {
    let lock = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oidc/package-lock.json");
    let lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(lock).unwrap()).unwrap();
    lock["packages"]["node_modules/oidc-provider"]["version"]
        .as_str()
        .unwrap()
        .to_string()
}

fn put_installed(dir: &Path, version: &str) {
    let pkg = dir.join("node_modules/oidc-provider");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("package.json"),
        format!(r#"{{"name":"oidc-provider","version":"{version}"}}"#),
    )
    .unwrap();
}

/// Runs `install` on a copy of tests/oidc whose node_modules holds `installed` (if any),
/// with an `npm` that logs its arguments and installs `npm_installs`. Returns (success,
/// stderr, the npm calls).
fn install_with(installed: Option<&str>, npm_installs: &str) -> (bool, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("oidc");
    std::fs::create_dir(&dir).unwrap();
    for file in ["package.json", "package-lock.json"] {
        let from = format!("{}/tests/oidc/{file}", env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(from, dir.join(file)).unwrap();
    }
    if let Some(v) = installed {
        put_installed(&dir, v);
    }
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let npm = bin.join("npm");
    std::fs::write(
        &npm,
        r#"#!/bin/sh
echo "$*" >>"$FAKE_NPM_LOG"
rm -rf node_modules && mkdir -p node_modules/oidc-provider
printf '{"version":"%s"}' "$FAKE_NPM_INSTALLS" >node_modules/oidc-provider/package.json
"#,
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&npm, std::fs::Permissions::from_mode(0o755)).unwrap();
    let log = tmp.path().join("npm.log");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(OIDC_SCRIPT)
        .arg("install")
        .env("OIDC_PROVIDER_DIR", &dir)
        .env("PATH", path)
        .env("FAKE_NPM_LOG", &log)
        .env("FAKE_NPM_INSTALLS", npm_installs)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        std::fs::read_to_string(&log).unwrap_or_default(),
    )
}

/// node is what the script reads versions with (the suite installs it; see scripts/test).
fn node_available() -> bool {
    if have("node") {
        return true;
    }
    match verdict(
        false,
        std::env::var_os("CI").as_deref(),
        "node is not installed",
    ) {
        Verdict::Fail(line) => panic!("{line}"),
        Verdict::Skip(line) => eprintln!("{line}"),
        Verdict::Run => unreachable!(),
    }
    false
}

#[test]
fn oidc_install_runs_npm_ci_only_when_the_installed_version_is_not_the_pinned_one() {
    if !node_available() {
        return;
    }
    let pinned = pinned();
    let (ok, stderr, calls) = install_with(Some(&pinned), &pinned);
    assert!(ok, "{stderr}");
    assert_eq!(calls, "", "the pinned version was installed again");

    let (ok, stderr, calls) = install_with(Some("0.0.1"), &pinned);
    assert!(ok, "{stderr}");
    assert!(calls.starts_with("ci "), "npm ci was not run: {calls:?}");
    assert!(
        stderr.contains(&format!(
            "0.0.1 is installed but package-lock.json pins {pinned}"
        )),
        "{stderr}"
    );

    let (ok, stderr, calls) = install_with(None, &pinned);
    assert!(ok && calls.starts_with("ci "), "{stderr} {calls:?}");
}

#[test]
fn oidc_install_fails_when_npm_ci_leaves_another_version() {
    if !node_available() {
        return;
    }
    let (ok, stderr, _) = install_with(Some("0.0.1"), "0.0.2");
    assert!(!ok);
    assert!(
        stderr.contains("after npm ci, node_modules has '0.0.2'"),
        "{stderr}"
    );
}

#[test]
fn the_session_script_writes_nothing_of_its_own_to_stderr() {
    if !keyring_session() {
        return;
    }
    // Processes that start and end while the script's cleanup scans /proc (it must not
    // complain about them), and the daemons' start-up chatter (kept in its log).
    let churn = r#"(for i in $(seq 300); do true & done) & echo command-stderr >&2"#;
    for mode in [&[][..], &["--locked"], &["--no-provider"]] {
        let out = Command::new(SCRIPT)
            .args(mode)
            .args(["sh", "-c", churn])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "{mode:?}: {out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "command-stderr\n",
            "{mode:?}"
        );
    }
}
