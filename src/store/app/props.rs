//! Properties of the stored document: any document serialises and parses back to the
//! same values (in Credential Manager, to the same secret part); any payload another
//! program wrote loads or is refused with a reason that quotes nothing from it.

use proptest::prelude::*;

use super::*;
use crate::prop_input::{outside_text, short_outside_text};

fn config() -> ProptestConfig {
    crate::prop_input::config(256)
}

fn non_blank() -> impl Strategy<Value = String> {
    short_outside_text().prop_filter("not blank", |s| !s.trim().is_empty())
}

/// Any document; only the secret may be huge (one huge field per case is enough).
fn stored_app() -> impl Strategy<Value = StoredApp> {
    let secret = outside_text().prop_filter("not blank", |s| !s.trim().is_empty());
    let text = short_outside_text;
    (
        (non_blank(), secret, text()),
        proptest::collection::vec(text(), 0..4),
        (text(), text(), proptest::option::of(text())),
        (any::<bool>(), 0..=STORED_APP_VERSION),
    )
        .prop_map(
            |((key, secret, login), callbacks, (api, stored, verified), (checked, version))| {
                StoredApp {
                    consumer_key: key,
                    consumer_secret: SecretString::from(secret),
                    login_url: login,
                    callback_urls: callbacks,
                    api_name: api,
                    stored_at: stored,
                    last_verified: verified,
                    checked,
                    version,
                }
            },
        )
}

/// Every field the same, the secret included (compared through `expose_secret`).
fn assert_same(got: &StoredApp, want: &StoredApp) -> Result<(), TestCaseError> {
    prop_assert_eq!(&got.consumer_key, &want.consumer_key);
    prop_assert_eq!(
        got.consumer_secret.expose_secret(),
        want.consumer_secret.expose_secret()
    );
    prop_assert_eq!(&got.login_url, &want.login_url);
    prop_assert_eq!(&got.callback_urls, &want.callback_urls);
    prop_assert_eq!(&got.api_name, &want.api_name);
    prop_assert_eq!(&got.stored_at, &want.stored_at);
    prop_assert_eq!(&got.last_verified, &want.last_verified);
    prop_assert_eq!(got.checked, want.checked);
    prop_assert_eq!(got.version, want.version);
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_document_round_trips_through_its_payload(app in stored_app()) {
        let whole = StoredApp::from_payload(&app.to_payload_for(StoreKind::SecretService)).unwrap();
        assert_same(&whole, &app)?;
        // Credential Manager keeps the secret part; the app's description comes back empty.
        let part = StoredApp::from_payload(&app.to_payload_for(StoreKind::CredentialManager)).unwrap();
        let mut expected = app.clone();
        expected.callback_urls.clear();
        expected.api_name.clear();
        assert_same(&part, &expected)?;
        prop_assert!(part.same_as(&app, StoreKind::CredentialManager));
    }

    #[test]
    fn any_payload_loads_or_is_refused_without_quoting_it(
        payload in prop_oneof![
            outside_text(),
            stored_app().prop_map(|a| a.to_payload_for(StoreKind::SecretService).to_string()),
        ],
    ) {
        match StoredApp::from_payload(&payload) {
            Ok(app) => {
                prop_assert!(app.version <= STORED_APP_VERSION);
                prop_assert!(!app.consumer_key.trim().is_empty());
                prop_assert!(!app.consumer_secret.expose_secret().trim().is_empty());
            }
            Err(PayloadProblem::NewerVersion(v)) => prop_assert!(v > STORED_APP_VERSION),
            Err(PayloadProblem::Invalid(why)) => {
                let known = why.starts_with("missing field `")
                    || why.starts_with("a field has the wrong type (line ")
                    || why.starts_with("not JSON (line ")
                    || why == "consumer_key or consumer_secret is empty";
                prop_assert!(known, "{:?}", why);
            }
        }
    }

    /// A payload's secret, whatever it is, never shows in the reason it was refused.
    #[test]
    fn a_refused_payload_never_shows_its_secret(
        secret in "[A-Za-z0-9]{12,30}",
        broken in prop_oneof![
            Just(r#"{"version":1,"consumer_key":"k","consumer_secret":"SECRET","login_url":7}"#),
            Just(r#"{"version":"SECRET","consumer_key":"k","consumer_secret":"x","login_url":"u"}"#),
            Just(r#"{"version":1,"consumer_key":"k","consumer_secret":"SECRET""#),
            Just(r#"{"version":1,"consumer_key":"k","consumer_secret":"SECRET","login_url":"u","checked":"SECRET"}"#),
        ],
    ) {
        let payload = broken.replace("SECRET", &secret);
        let Err(PayloadProblem::Invalid(why)) = StoredApp::from_payload(&payload) else {
            return Err(TestCaseError::fail(format!("{payload} was not refused")));
        };
        prop_assert!(!why.contains(&secret), "{:?}", why);
    }
}
