//! The real login keychain (macOS) and Credential Manager (Windows). Compiled only there:
//! the hosted workflow's native runners run these; on Linux the cross-target clippy checks
//! compile them. Each test uses its own profile and deletes it.

use std::process::Command;
use std::time::Duration;

use secrecy::ExposeSecret;

use super::*;
use crate::store::app::sample;

fn unique_profile(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("sfws-test-{tag}-{}-{nanos}", std::process::id())
}

fn native() -> KeyringStore {
    let kind = StoreKind::default();
    KeyringStore::open(kind, Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("the {kind} store must open on its own platform: {e}"))
}

#[test]
fn the_native_store_saves_reads_back_finds_replaces_and_deletes_a_profile() {
    let store = native();
    let profile = unique_profile("roundtrip");
    assert_eq!(
        store.load(&profile).unwrap_err().code().as_str(),
        "store_entry_not_found"
    );
    store.save(&profile, &sample("first-secret")).unwrap();
    assert!(store.exists(&profile).unwrap());
    store.save(&profile, &sample("second-secret")).unwrap();
    let back = store.load(&profile).unwrap();
    assert_eq!(back.consumer_secret.expose_secret(), "second-secret");
    assert_eq!(back.consumer_key, "3MVG9key");
    store.delete(&profile).unwrap();
    assert!(!store.exists(&profile).unwrap());
    assert_eq!(
        store.delete(&profile).unwrap_err().code().as_str(),
        "store_entry_not_found"
    );
}

/// `security` lists the item's attributes (not its secret, which would ask for access).
#[cfg(target_os = "macos")]
#[test]
fn the_entry_is_a_generic_password_in_the_login_keychain() {
    let store = native();
    let profile = unique_profile("security");
    store.save(&profile, &sample("s")).unwrap();
    let out = Command::new("security")
        .args(["find-generic-password", "-s", SERVICE, "-a", &profile])
        .output()
        .expect("security runs");
    store.delete(&profile).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("login.keychain"), "{text}");
    assert!(
        text.contains(&format!("\"acct\"<blob>=\"{profile}\"")),
        "{text}"
    );
}

/// `cmdkey` lists the credential (never its blob) under `{user}.{service}`.
#[cfg(windows)]
#[test]
fn the_entry_is_a_generic_credential_named_profile_dot_service() {
    let store = native();
    let profile = unique_profile("cmdkey");
    store.save(&profile, &sample("s")).unwrap();
    let target = format!("{profile}.{SERVICE}");
    let out = Command::new("cmdkey")
        .arg(format!("/list:{target}"))
        .output()
        .expect("cmdkey runs");
    store.delete(&profile).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&target), "{text}");
    assert!(text.to_lowercase().contains("local machine"), "{text}");
}

#[cfg(windows)]
#[test]
fn credential_manager_takes_the_largest_entry_and_refuses_one_unit_more() {
    use super::mock_tests::credential_manager_doc_of;
    use crate::store::CREDENTIAL_MANAGER_MAX_UTF16;
    let store = native();
    let profile = unique_profile("limit");
    let at_limit = credential_manager_doc_of(CREDENTIAL_MANAGER_MAX_UTF16);
    store.save(&profile, &at_limit).unwrap();
    let back = store.load(&profile).unwrap();
    assert!(back.same_as(&at_limit, StoreKind::CredentialManager));
    let over = credential_manager_doc_of(CREDENTIAL_MANAGER_MAX_UTF16 + 1);
    let err = store.save(&profile, &over).unwrap_err();
    assert_eq!(err.code().as_str(), "store_entry_too_large");
    let kept = store.load(&profile).unwrap();
    assert!(
        kept.same_as(&at_limit, StoreKind::CredentialManager),
        "old entry kept"
    );
    store.delete(&profile).unwrap();
}
