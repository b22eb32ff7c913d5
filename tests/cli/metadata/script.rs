//! `scripts/jsforce.sh install` runs `npm ci` exactly when node_modules holds another
//! jsforce or source-deploy-retrieve than package-lock.json pins, and fails when npm leaves
//! the wrong one (a stand-in `npm` records the calls; nothing is downloaded).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/jsforce.sh");
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/jsforce");

const SDR: &str = "@salesforce/source-deploy-retrieve";

/// The version package-lock.json pins for `package`.
fn pinned(package: &str) -> String {
    let lock = std::fs::read_to_string(format!("{DIR}/package-lock.json")).unwrap();
    let lock: serde_json::Value = serde_json::from_str(&lock).unwrap();
    lock["packages"][format!("node_modules/{package}")]["version"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn put_installed(dir: &Path, package: &str, version: &str) {
    let pkg = dir.join("node_modules").join(package);
    std::fs::create_dir_all(&pkg).unwrap();
    let manifest = format!(r#"{{"version":"{version}"}}"#);
    std::fs::write(pkg.join("package.json"), manifest).unwrap();
}

/// As [`install_with`], with jsforce as pinned and source-deploy-retrieve at `sdr`.
fn install_with_sdr(sdr: &str, npm_installs: &str) -> (bool, String, String) {
    install_in(Some((&pinned("jsforce"), sdr)), npm_installs)
}

/// (success, stderr, npm calls) for `install` on a copy of tests/jsforce holding jsforce
/// `installed` (and the pinned source-deploy-retrieve), with an npm that installs jsforce
/// `npm_installs`.
fn install_with(installed: Option<&str>, npm_installs: &str) -> (bool, String, String) {
    let sdr = pinned(SDR);
    install_in(installed.map(|v| (v, sdr.as_str())), npm_installs)
}

/// `installed` is (jsforce, source-deploy-retrieve) in node_modules before the run.
fn install_in(installed: Option<(&str, &str)>, npm_installs: &str) -> (bool, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("jsforce");
    std::fs::create_dir(&dir).unwrap();
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(format!("{DIR}/{file}"), dir.join(file)).unwrap();
    }
    if let Some((jsforce, sdr)) = installed {
        put_installed(&dir, "jsforce", jsforce);
        put_installed(&dir, SDR, sdr);
    }
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let npm = bin.join("npm");
    std::fs::write(
        &npm,
        "#!/bin/sh\necho \"$*\" >>\"$FAKE_NPM_LOG\"\nrm -rf node_modules && mkdir -p node_modules/jsforce node_modules/$FAKE_SDR\nprintf '{\"version\":\"%s\"}' \"$FAKE_NPM_INSTALLS\" >node_modules/jsforce/package.json\nprintf '{\"version\":\"%s\"}' \"$FAKE_SDR_VERSION\" >node_modules/$FAKE_SDR/package.json\n",
    )
    .unwrap();
    std::fs::set_permissions(&npm, std::fs::Permissions::from_mode(0o755)).unwrap();
    let log = tmp.path().join("npm.log");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(SCRIPT)
        .arg("install")
        .env("JSFORCE_DIR", &dir)
        .env("PATH", path)
        .env("FAKE_NPM_LOG", &log)
        .env("FAKE_NPM_INSTALLS", npm_installs)
        .env("FAKE_SDR", SDR)
        .env("FAKE_SDR_VERSION", pinned(SDR))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        std::fs::read_to_string(&log).unwrap_or_default(),
    )
}

/// The script reads versions with node, which the suite installs (scripts/test).
fn node_available() -> bool {
    let found = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "node is not installed (CI=true)"
        );
        eprintln!("skipped: node is not installed");
    }
    found
}

#[test]
fn jsforce_install_runs_npm_ci_only_when_the_installed_version_is_not_the_pinned_one() {
    if !node_available() {
        return;
    }
    let pinned = pinned("jsforce");
    let (ok, stderr, calls) = install_with(Some(&pinned), &pinned);
    assert!(ok && calls.is_empty(), "{stderr} {calls:?}");
    for installed in [Some("3.0.0"), None] {
        let (ok, stderr, calls) = install_with(installed, &pinned);
        assert!(
            ok && calls.starts_with("ci "),
            "{installed:?}: {stderr} {calls:?}"
        );
    }
    // A stale source-deploy-retrieve alone triggers npm ci too.
    let (ok, stderr, calls) = install_with_sdr("12.0.0", &pinned);
    assert!(ok && calls.starts_with("ci "), "{stderr} {calls:?}");
    assert!(stderr.contains(&format!("{SDR} is 12.0.0")), "{stderr}");
    let (ok, stderr, _) = install_with(Some("3.0.0"), "3.0.1");
    assert!(
        !ok && stderr.contains("after npm ci, node_modules has jsforce '3.0.1'"),
        "{stderr}"
    );
}
