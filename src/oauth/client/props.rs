//! Properties of a token endpoint's JSON, for any body: no panic; a body that parses
//! keeps every field through a serialise/parse round trip; Salesforce's `issued_at` is
//! read as text whether sent as a string or a number; the lenient reader used for
//! unreadable answers finds the same tokens (so nothing issued is left unrevoked).

use oauth2::TokenResponse as _;
use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::prop_input::{outside_text, short_outside_text};

fn config() -> ProptestConfig {
    crate::prop_input::config(256)
}

fn same(a: &TokenResponse, b: &TokenResponse) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.access_token().secret(), b.access_token().secret());
    prop_assert_eq!(
        a.refresh_token().map(|r| r.secret()),
        b.refresh_token().map(|r| r.secret())
    );
    prop_assert_eq!(a.expires_in(), b.expires_in());
    let (x, y) = (a.extra_fields(), b.extra_fields());
    prop_assert_eq!(&x.instance_url, &y.instance_url);
    prop_assert_eq!(&x.id, &y.id);
    prop_assert_eq!(&x.issued_at, &y.issued_at);
    prop_assert_eq!(&x.signature, &y.signature);
    Ok(())
}

/// Token responses as Salesforce (or another server) sends them, odd values included.
fn token_body() -> impl Strategy<Value = (Value, Option<String>)> {
    (
        outside_text(),
        proptest::option::of(short_outside_text()),
        proptest::option::of(0u64..10_000_000),
        proptest::option::of(short_outside_text()),
        prop_oneof![
            Just(None::<String>),
            short_outside_text().prop_map(Some),
            any::<u64>().prop_map(|n| Some(n.to_string())),
        ],
        any::<bool>(),
    )
        .prop_map(|(access, refresh, expires, url, issued, numeric)| {
            let mut body = json!({"access_token": access, "token_type": "Bearer"});
            if let Some(r) = refresh {
                body["refresh_token"] = json!(r);
            }
            if let Some(e) = expires {
                body["expires_in"] = json!(e);
            }
            if let Some(u) = url {
                body["instance_url"] = json!(u);
            }
            let issued_at = issued.clone();
            if let Some(i) = issued {
                body["issued_at"] = match i.parse::<u64>() {
                    Ok(n) if numeric => json!(n),
                    _ => json!(i),
                };
            }
            (body, issued_at)
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_body_parses_to_round_trippable_tokens_or_is_refused(
        body in prop_oneof![outside_text(), token_body().prop_map(|(v, _)| v.to_string())],
    ) {
        let minted = Minted::from_unparsed(body.as_bytes());
        let Ok(t) = serde_json::from_str::<TokenResponse>(&body) else {
            return Ok(());
        };
        let again: TokenResponse = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        same(&t, &again)?;
        // What would be revoked if this answer were unreadable: the same access token.
        if !t.access_token().secret().trim().is_empty() {
            let found: Vec<&String> = minted.access.iter().map(|a| a.secret()).collect();
            prop_assert_eq!(found, vec![t.access_token().secret()]);
        }
    }

    #[test]
    fn a_salesforce_token_body_keeps_its_fields(case in token_body()) {
        let (body, issued_at) = case;
        let t: TokenResponse = serde_json::from_value(body.clone()).unwrap();
        prop_assert_eq!(Some(t.access_token().secret().as_str()), body["access_token"].as_str());
        prop_assert_eq!(t.refresh_token().map(|r| r.secret().as_str()), body["refresh_token"].as_str());
        prop_assert_eq!(t.extra_fields().instance_url.as_deref(), body["instance_url"].as_str());
        prop_assert_eq!(&t.extra_fields().issued_at, &issued_at);
        prop_assert_eq!(t.expires_in().map(|d| d.as_secs()), body["expires_in"].as_u64());
    }
}
