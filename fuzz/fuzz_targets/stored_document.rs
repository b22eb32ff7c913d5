//! A stored profile document as another program could have written it: never panics; a
//! document that loads saves and loads back to the same values; a refusal names only the
//! kind of problem, never a value from the payload (it may be the secret).
#![no_main]

use libfuzzer_sys::fuzz_target;
use secrecy::ExposeSecret;
use sf_webex_setup::store::memory::MemoryStore;
use sf_webex_setup::store::{CredentialStore, StoreError, StoreKind};

const FIELDS: &[&str] = &[
    "version",
    "consumer_key",
    "consumer_secret",
    "login_url",
    "callback_urls",
    "api_name",
    "stored_at",
    "last_verified",
    "checked",
];

fn known_detail(detail: &str) -> bool {
    if let Some(field) = detail.strip_prefix("missing field `") {
        return FIELDS.iter().any(|f| field == format!("{f}`"));
    }
    [
        "a field has the wrong type (line ",
        "not JSON (line ",
        "document version ",
    ]
    .iter()
    .any(|p| detail.starts_with(p))
        || detail == "consumer_key or consumer_secret is empty"
        || detail == "unreadable"
}

fuzz_target!(|data: &[u8]| {
    let Ok(payload) = std::str::from_utf8(data) else {
        return;
    };
    for kind in [StoreKind::SecretService, StoreKind::CredentialManager] {
        let store = MemoryStore::new(kind);
        store.put_raw("p", payload);
        let app = match store.load("p") {
            Ok(app) => app,
            Err(StoreError::Corrupt { detail, .. }) => {
                assert!(known_detail(&detail), "{detail:?}");
                continue;
            }
            Err(e) => panic!("unexpected {e:?}"),
        };
        if store.save("q", &app).is_err() {
            continue; // too large for Credential Manager: refused before writing
        }
        let back = store.load("q").expect("a saved document loads");
        assert_eq!(app.consumer_key, back.consumer_key);
        assert_eq!(
            app.consumer_secret.expose_secret(),
            back.consumer_secret.expose_secret()
        );
        assert_eq!(app.login_url, back.login_url);
        assert_eq!(app.stored_at, back.stored_at);
        assert_eq!(app.last_verified, back.last_verified);
        assert_eq!(app.checked, back.checked);
        assert_eq!(app.version, back.version);
        if kind != StoreKind::CredentialManager {
            assert_eq!(app.callback_urls, back.callback_urls);
            assert_eq!(app.api_name, back.api_name);
        }
    }
});
