//! `--store` takes this platform's stores only: another platform's is exit 2 naming the
//! platform it belongs to and the stores available here, as text and as the `--json`
//! envelope. (The native stores themselves are tested on macOS and Windows by
//! src/store/keyring/native_tests.rs, and everywhere over keyring-core's mock.)

use sf_webex_setup::store::StoreKind;

use crate::support::Sandbox;

fn here() -> String {
    StoreKind::available()
        .iter()
        .map(|k| k.flag_value())
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn another_platforms_store_is_a_usage_error_naming_its_platform_and_the_stores_here() {
    let sandbox = Sandbox::new();
    for kind in StoreKind::ALL.into_iter().filter(|k| !k.is_available()) {
        let expected = format!(
            "{} is the {} store; available here: {}",
            kind.flag_value(),
            kind.platform(),
            here()
        );
        let out = sandbox
            .command()
            .args(["status", "--store", kind.flag_value()])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{kind:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&expected), "{stderr}");

        let out = sandbox
            .command()
            .args(["status", "--json"])
            .env("SF_WEBEX_STORE", kind.flag_value())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{kind:?}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one envelope");
        assert_eq!(doc["status"], "error");
        assert_eq!(doc["error"]["exit_code"], 2);
        let message = doc["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(&expected), "{message}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn on_linux_keychain_is_refused_as_the_macos_store() {
    let out = Sandbox::new()
        .command()
        .args(["remove", "--store", "keychain", "--force"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("keychain is the macOS store; available here: secret-service, keyutils"),
        "{stderr}"
    );
}

#[test]
fn help_offers_exactly_this_platforms_stores() {
    let out = Sandbox::new()
        .command()
        .arg("--help")
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&out.stdout);
    for kind in StoreKind::ALL {
        assert_eq!(
            help.contains(kind.flag_value()),
            kind.is_available(),
            "{kind:?} in --help:\n{help}"
        );
    }
}
