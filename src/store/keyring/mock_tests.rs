//! Every platform's store logic, over keyring-core's mock store. The login keychain and
//! Credential Manager cannot run on Linux; their entries go through the same
//! `KeyringStore` code, so these tests run it against keyring-core's in-memory mock (which
//! takes no entry options: those are tested in `platform`). The real stores are tested on
//! macOS and Windows by `native_tests` (the hosted workflow's native runners).

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::store::app::sample;
use crate::store::CREDENTIAL_MANAGER_MAX_UTF16;
use keyring_core::mock;
use secrecy::ExposeSecret;

fn over_mock(kind: StoreKind) -> (KeyringStore, Arc<mock::Store>) {
    let backend = mock::Store::new().unwrap();
    let store = KeyringStore::with_backend(kind, backend.clone(), Duration::from_secs(5));
    (store, backend)
}

/// What the mock holds for `profile`, read without our code.
fn raw(backend: &mock::Store, profile: &str) -> Result<String, keyring_core::Error> {
    use keyring_core::api::CredentialStoreApi;
    backend.build(SERVICE, profile, None)?.get_password()
}

/// Makes the next call on `profile`'s entry fail with `err`.
fn fail_next(backend: &mock::Store, profile: &str, err: keyring_core::Error) {
    use keyring_core::api::CredentialStoreApi;
    let entry = backend.build(SERVICE, profile, None).unwrap();
    let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(err);
}

#[test]
fn every_platforms_store_saves_reads_back_finds_and_deletes_one_entry() {
    for kind in StoreKind::ALL {
        let (store, backend) = over_mock(kind);
        assert_eq!(
            store.load("p").unwrap_err().code().as_str(),
            "store_entry_not_found"
        );
        store.save("p", &sample("s3cr3t")).unwrap();
        let back = store.load("p").unwrap();
        assert_eq!(back.consumer_secret.expose_secret(), "s3cr3t", "{kind:?}");
        assert!(raw(&backend, "p")
            .unwrap()
            .contains("\"consumer_secret\":\"s3cr3t\""));
        assert!(store.exists("p").unwrap());
        store.delete("p").unwrap();
        assert!(!store.exists("p").unwrap(), "{kind:?}");
        assert_eq!(
            store.delete("p").unwrap_err().code().as_str(),
            "store_entry_not_found"
        );
    }
}

#[test]
fn a_credential_manager_entry_holds_the_secret_part_only() {
    let (store, backend) = over_mock(StoreKind::CredentialManager);
    store.save("p", &sample("s3cr3t")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&raw(&backend, "p").unwrap()).unwrap();
    // serde_json's map lists keys sorted.
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "checked",
            "consumer_key",
            "consumer_secret",
            "last_verified",
            "login_url",
            "stored_at",
            "version"
        ]
    );
    let (whole, backend) = over_mock(StoreKind::Keychain);
    whole.save("p", &sample("s3cr3t")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&raw(&backend, "p").unwrap()).unwrap();
    assert_eq!(doc["callback_urls"][0], crate::recipe::WEBEX_CALLBACK_URL);
}

/// A document whose Credential Manager payload is exactly `units` UTF-16 units long, with
/// a secret of non-BMP characters (two units each) making up the length.
pub(super) fn credential_manager_doc_of(units: usize) -> crate::store::StoredApp {
    let mut app = sample("");
    let base = app
        .to_payload_for(StoreKind::CredentialManager)
        .encode_utf16()
        .count();
    let fill = units - base;
    let mut secret = "𝄞".repeat(fill / 2);
    if fill % 2 == 1 {
        secret.push('s');
    }
    app.consumer_secret = secret.into();
    let payload = app.to_payload_for(StoreKind::CredentialManager);
    assert_eq!(payload.encode_utf16().count(), units);
    app
}

#[test]
fn credential_manager_takes_exactly_1280_utf16_units_and_refuses_one_more_writing_nothing() {
    let (store, backend) = over_mock(StoreKind::CredentialManager);
    let at_limit = credential_manager_doc_of(CREDENTIAL_MANAGER_MAX_UTF16);
    store.save("p", &at_limit).unwrap();
    assert!(store
        .load("p")
        .unwrap()
        .same_as(&at_limit, StoreKind::CredentialManager));

    let over = credential_manager_doc_of(CREDENTIAL_MANAGER_MAX_UTF16 + 1);
    let err = store.save("q", &over).unwrap_err();
    assert_eq!(err.code().as_str(), "store_entry_too_large");
    assert!(
        matches!(raw(&backend, "q"), Err(keyring_core::Error::NoEntry)),
        "nothing written"
    );
    let app_err = crate::error::AppError::from(err);
    assert_eq!(app_err.exit_code(), 4);
    assert!(
        app_err.message.contains("1281 UTF-16 code units"),
        "{}",
        app_err.message
    );
    assert!(!app_err.message.contains('𝄞'), "the secret is never shown");
    // The same document fits the stores without a small limit.
    let (linux, _) = over_mock(StoreKind::SecretService);
    linux.save("q", &over).unwrap();
}

#[test]
fn a_refused_access_exits_4_as_each_platform_means_it() {
    let cases = [
        (StoreKind::Keychain, "store_access_denied"),
        (StoreKind::CredentialManager, "store_unavailable"),
        (StoreKind::SecretService, "store_locked"),
        (StoreKind::Keyutils, "store_no_session_keyring"),
    ];
    for (kind, code) in cases {
        let (store, backend) = over_mock(kind);
        store.save("p", &sample("s")).unwrap();
        fail_next(
            &backend,
            "p",
            keyring_core::Error::NoStorageAccess("refused".into()),
        );
        let err = store.load("p").unwrap_err();
        assert_eq!(err.code().as_str(), code, "{kind:?}");
        let app = crate::error::AppError::from(err);
        assert_eq!(app.exit_code(), 4, "{kind:?}");
        assert!(app.message.contains("(refused)"), "{}", app.message);
        assert!(app.fix.is_some(), "{kind:?}");
        // The mock's error is spent: the entry is intact.
        assert_eq!(
            store.load("p").unwrap().consumer_secret.expose_secret(),
            "s"
        );
    }
}

#[test]
fn a_failed_write_leaves_the_earlier_entry_in_place() {
    for kind in StoreKind::ALL {
        let (store, backend) = over_mock(kind);
        store.save("p", &sample("old")).unwrap();
        fail_next(
            &backend,
            "p",
            keyring_core::Error::PlatformFailure("disk full".into()),
        );
        let err = store.save("p", &sample("new")).unwrap_err();
        assert_eq!(crate::error::AppError::from(err).exit_code(), 4);
        assert_eq!(
            store.load("p").unwrap().consumer_secret.expose_secret(),
            "old",
            "{kind:?}"
        );
    }
}

#[test]
fn a_store_of_another_platform_does_not_open_and_says_whose_it_is() {
    for kind in StoreKind::ALL.into_iter().filter(|k| !k.is_available()) {
        let err = KeyringStore::open(kind, Duration::from_secs(1))
            .err()
            .unwrap();
        assert_eq!(err.code().as_str(), "store_not_on_this_platform");
        assert!(err.to_string().contains(kind.platform()), "{err}");
    }
}
