use super::classify::{keychain_case, KeychainCase};
use super::*;

fn src(text: &str) -> Source {
    text.to_string().into()
}

#[test]
fn every_store_error_exits_4_with_a_fix_that_names_a_next_step() {
    let errors = [
        StoreError::NotFound {
            profile: "p".into(),
            store: StoreKind::SecretService,
        },
        StoreError::Locked {
            store: StoreKind::SecretService,
            profile: "p".into(),
            source: src("x"),
        },
        StoreError::Locked {
            store: StoreKind::Keychain,
            profile: "p".into(),
            source: src("x"),
        },
        StoreError::AccessDenied {
            store: StoreKind::Keychain,
            profile: "p".into(),
            source: src("x"),
        },
        StoreError::Unavailable {
            store: StoreKind::Keychain,
            source: src("x"),
        },
        StoreError::Unavailable {
            store: StoreKind::CredentialManager,
            source: src("x"),
        },
        StoreError::NoSecretService { source: src("x") },
        StoreError::NoSessionBus { source: src("x") },
        StoreError::NoSessionKeyring { source: src("x") },
        StoreError::NotOnThisPlatform {
            store: StoreKind::Keychain,
        },
        StoreError::Timeout {
            store: StoreKind::SecretService,
            op: "save",
            after: Duration::from_secs(2),
        },
        StoreError::Timeout {
            store: StoreKind::Keychain,
            op: "save",
            after: Duration::from_secs(2),
        },
        StoreError::TooLarge {
            store: StoreKind::CredentialManager,
            profile: "p".into(),
            units: 1300,
            limit: 1280,
        },
        StoreError::Corrupt {
            profile: "p".into(),
            store: StoreKind::Keyutils,
            detail: "x".into(),
        },
        StoreError::Exists {
            profile: "p".into(),
            store: StoreKind::Keyutils,
        },
    ];
    for e in errors {
        let shown = e.to_string();
        let named = e.store().expect("names its store");
        let app = AppError::from(e);
        assert_eq!(app.exit_code(), 4, "{shown}");
        assert!(app.fix.as_deref().is_some_and(|f| !f.is_empty()), "{shown}");
        assert!(
            shown.contains(named.name()),
            "message must name the store: {shown}"
        );
    }
}

#[test]
fn the_platform_error_is_kept_as_the_source_and_shown_as_evidence() {
    let e = StoreError::NoSessionBus {
        source: src("zbus error: Failed to connect to address `unix:path=/x`"),
    };
    let source = std::error::Error::source(&e).expect("kept as source");
    assert!(source.to_string().starts_with("zbus error"));
    assert!(
        !e.to_string().contains("zbus"),
        "Display leaves it to source()"
    );
    let app = AppError::from(e);
    assert_eq!(
        app.message,
        "no D-Bus session bus is reachable, so the Secret Service store cannot be used (zbus error: Failed to connect to address `unix:path=/x`)"
    );
}

#[test]
fn no_secret_service_explains_both_choices_and_the_keyutils_lifetime() {
    let app = AppError::from(StoreError::NoSessionBus { source: src("x") });
    let fix = app.fix.unwrap();
    assert!(fix.contains("gnome-keyring-daemon --unlock"), "{fix}");
    assert!(fix.contains("--store keyutils"), "{fix}");
    assert!(
        fix.contains("until reboot") && fix.contains("3 days"),
        "{fix}"
    );
}

#[test]
fn an_invalid_profile_name_is_a_usage_error() {
    let e = StoreError::InvalidProfile {
        profile: "a b".into(),
        reason: "spaces",
    };
    assert_eq!(AppError::from(e).exit_code(), 2);
}

#[test]
fn missing_provider_and_missing_bus_are_told_apart() {
    let unknown: Source = Box::new(std::io::Error::other(
        "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided",
    ));
    // An io::Error in the chain alone would mean "no bus"; the D-Bus name wins.
    assert!(matches!(
        StoreError::classify_platform(StoreKind::SecretService, unknown),
        StoreError::NoSecretService { .. }
    ));
    let refused: Source = Box::new(std::io::Error::new(
        std::io::ErrorKind::ConnectionRefused,
        "refused",
    ));
    assert!(matches!(
        StoreError::classify_platform(StoreKind::SecretService, refused),
        StoreError::NoSessionBus { .. }
    ));
    let zbus_text = src(
        "zbus error: Failed to connect to address `unix:path=/tmp/x`: No such file or directory (os error 2)",
    );
    assert!(matches!(
        StoreError::classify_platform(StoreKind::SecretService, zbus_text),
        StoreError::NoSessionBus { .. }
    ));
    assert_eq!(
        StoreError::classify(StoreKind::Keyutils, "p", keyring_core::Error::NoEntry)
            .code()
            .as_str(),
        "store_entry_not_found"
    );
}

#[test]
fn keychain_result_codes_map_to_locked_denied_and_unavailable() {
    let table = [
        (-25308, Some(KeychainCase::Locked)),
        (-128, Some(KeychainCase::Denied)),
        (-25293, Some(KeychainCase::Denied)),
        (-25244, Some(KeychainCase::Denied)),
        (-25299, Some(KeychainCase::Denied)),
        (-61, Some(KeychainCase::Denied)),
        (-25291, Some(KeychainCase::Unavailable)),
        (-25294, Some(KeychainCase::Unavailable)),
        (-25300, None),
        (-1, None),
    ];
    for (status, case) in table {
        assert_eq!(keychain_case(status), case, "{status}");
    }
}

#[test]
fn a_locked_or_denied_keychain_exits_4_saying_what_to_do() {
    let locked = StoreError::keychain("prod", src("locked"), Some(-25308), false);
    assert_eq!(locked.code().as_str(), "store_locked");
    let app = AppError::from(locked);
    assert_eq!(app.exit_code(), 4);
    assert!(
        app.message.contains("macOS Keychain store is locked"),
        "{}",
        app.message
    );
    assert!(app.fix.unwrap().contains("security unlock-keychain"));

    let denied = StoreError::keychain("prod", src("denied"), Some(-128), false);
    let app = AppError::from(denied);
    assert_eq!(
        (app.exit_code(), app.code.as_str()),
        (4, "store_access_denied")
    );
    let fix = app.fix.unwrap();
    assert!(
        fix.contains("Always Allow") && fix.contains("account is `prod`"),
        "{fix}"
    );

    // keyring-core's "no storage access" without a code we know is still a refusal.
    let unknown = StoreError::keychain("prod", src("?"), None, true);
    assert_eq!(unknown.code().as_str(), "store_access_denied");
    let other = StoreError::keychain("prod", src("?"), Some(-4), false);
    assert_eq!(other.code().as_str(), "store_failed");
    assert!(AppError::from(other).message.contains("(?)"));
}

#[test]
fn a_windows_process_without_a_logon_session_is_told_to_run_from_the_desktop() {
    let e = StoreError::classify(
        StoreKind::CredentialManager,
        "prod",
        keyring_core::Error::NoStorageAccess(src("Windows ERROR_NO_SUCH_LOGON_SESSION")),
    );
    assert_eq!(e.code().as_str(), "store_unavailable");
    let app = AppError::from(e);
    assert_eq!(app.exit_code(), 4);
    assert!(
        app.message.contains("ERROR_NO_SUCH_LOGON_SESSION"),
        "{}",
        app.message
    );
    assert!(app.fix.unwrap().contains("signed-in desktop session"));
}

#[test]
fn a_store_of_another_platform_names_its_platform_and_the_stores_here() {
    let e = StoreError::NotOnThisPlatform {
        store: StoreKind::Keychain,
    };
    let shown = e.to_string();
    assert!(shown.contains("is the macOS store"), "{shown}");
    assert!(shown.contains(StoreKind::default().flag_value()), "{shown}");
}
