//! A token endpoint's JSON: never panics; a parsed response serialises and parses back
//! to the same tokens and Salesforce fields, and the lenient reader used for unreadable
//! answers finds the same access token.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oauth2::TokenResponse as _;
use sf_webex_setup::oauth::client::{Minted, TokenResponse};

fuzz_target!(|data: &[u8]| {
    let minted = Minted::from_unparsed(data);
    let Ok(t) = serde_json::from_slice::<TokenResponse>(data) else {
        return;
    };
    let again: TokenResponse =
        serde_json::from_str(&serde_json::to_string(&t).expect("serialises")).expect("parses back");
    assert_eq!(t.access_token().secret(), again.access_token().secret());
    assert_eq!(
        t.refresh_token().map(|r| r.secret().clone()),
        again.refresh_token().map(|r| r.secret().clone())
    );
    assert_eq!(t.expires_in(), again.expires_in());
    let (a, b) = (t.extra_fields(), again.extra_fields());
    assert_eq!(a.instance_url, b.instance_url);
    assert_eq!(a.id, b.id);
    assert_eq!(a.issued_at, b.issued_at);
    assert_eq!(a.signature, b.signature);
    if !t.access_token().secret().trim().is_empty() {
        let found: Vec<&String> = minted.access.iter().map(|a| a.secret()).collect();
        assert_eq!(found, vec![t.access_token().secret()]);
    }
});
