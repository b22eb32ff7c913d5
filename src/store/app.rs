//! The one JSON document stored per profile, and its exact wire form.
//!
//! # Format (version 1)
//! ```json
//! {"version":1,"consumer_key":"3MVG…","consumer_secret":"…",
//!  "login_url":"https://acme.my.salesforce.com","callback_urls":["https://…"],
//!  "api_name":"Webex_Meetings","stored_at":"2026-11-28T12:00:00Z",
//!  "last_verified":null,"checked":true}
//! ```
//! Only `version`, `consumer_key`, `consumer_secret` and `login_url` are required when
//! reading, so an entry written by hand with `secret-tool store` loads. The secret is
//! serialised only here, into a zeroized buffer that goes straight to the store.
//!
//! # Windows Credential Manager: the secret part only
//! Credential Manager holds at most 1280 UTF-16 units per entry, and the Callback URL box
//! alone may hold 2000 characters, so the whole document cannot fit. There the entry keeps
//! what is secret or must change atomically with the secret: the key and secret (a pair),
//! the org they belong to, and what is known about that pair (stored, verified, checked).
//! The callback URLs and API name, which describe the app rather than the credentials, are
//! left out and kept in the profile index (which records them for every store);
//! [`super::load_with_index`] puts them back. See [`StoredApp::to_payload_for`].

use std::time::SystemTime;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{StoreError, StoreKind};

/// The newest document version this build writes and understands.
pub const STORED_APP_VERSION: u32 = 1;

/// A profile's stored credentials and what is known about them. `Debug` redacts the secret.
#[derive(Clone, Debug)]
pub struct StoredApp {
    pub consumer_key: String,
    pub consumer_secret: SecretString,
    /// The login URL the proof ran against, e.g. `https://acme.my.salesforce.com`.
    pub login_url: String,
    pub callback_urls: Vec<String>,
    pub api_name: String,
    /// RFC 3339, UTC (see [`now_rfc3339`]).
    pub stored_at: String,
    /// RFC 3339, UTC: when the OAuth proof last passed against the org. `init` sets it to
    /// the store time when its proof passed; `init --verify --login` refreshes it. `None`
    /// for entries stored with `--skip-check` (or written by hand) until a verify passes.
    pub last_verified: Option<String>,
    /// False when written with `--skip-check` (no OAuth proof).
    pub checked: bool,
    pub version: u32,
}

/// The wire form. Borrowed on the way out so the secret is copied only into the
/// zeroized JSON buffer.
#[derive(Serialize)]
struct PayloadOut<'a> {
    version: u32,
    consumer_key: &'a str,
    consumer_secret: &'a str,
    login_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    callback_urls: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_name: Option<&'a str>,
    stored_at: &'a str,
    last_verified: Option<&'a str>,
    checked: bool,
}

#[derive(Deserialize)]
struct PayloadIn {
    version: u32,
    consumer_key: String,
    // Moved into a SecretString right after parsing (secrecy's serde feature is not on).
    consumer_secret: String,
    login_url: String,
    #[serde(default)]
    callback_urls: Vec<String>,
    #[serde(default)]
    api_name: String,
    #[serde(default)]
    stored_at: String,
    #[serde(default)]
    last_verified: Option<String>,
    #[serde(default)]
    checked: bool,
}

/// Why a stored payload could not be used (the caller adds the profile and store).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PayloadProblem {
    /// Not JSON, or JSON without the required fields. Holds serde's position/field message,
    /// which never quotes the payload.
    Invalid(String),
    /// Written by a newer sf-webex-setup.
    NewerVersion(u32),
}

impl StoredApp {
    /// What an entry of `kind` holds: the whole document, except in Windows Credential
    /// Manager (see the module docs). The returned buffer is wiped when dropped.
    pub(crate) fn to_payload_for(&self, kind: StoreKind) -> Zeroizing<String> {
        self.payload(kind != StoreKind::CredentialManager)
    }

    fn payload(&self, whole: bool) -> Zeroizing<String> {
        let out = PayloadOut {
            version: self.version,
            consumer_key: &self.consumer_key,
            consumer_secret: self.consumer_secret.expose_secret(),
            login_url: &self.login_url,
            callback_urls: whole.then_some(self.callback_urls.as_slice()),
            api_name: whole.then_some(self.api_name.as_str()),
            stored_at: &self.stored_at,
            last_verified: self.last_verified.as_deref(),
            checked: self.checked,
        };
        // Serialising plain strings, bools and numbers into a String cannot fail; an empty
        // payload would be refused by the store rather than written.
        Zeroizing::new(serde_json::to_string(&out).unwrap_or_default())
    }

    pub(crate) fn from_payload(payload: &str) -> Result<StoredApp, PayloadProblem> {
        let p: PayloadIn = serde_json::from_str(payload.trim()).map_err(describe_json_error)?;
        if p.version > STORED_APP_VERSION {
            return Err(PayloadProblem::NewerVersion(p.version));
        }
        let consumer_secret = SecretString::from(p.consumer_secret);
        if p.consumer_key.trim().is_empty() || consumer_secret.expose_secret().trim().is_empty() {
            return Err(PayloadProblem::Invalid(
                "consumer_key or consumer_secret is empty".to_string(),
            ));
        }
        Ok(StoredApp {
            consumer_key: p.consumer_key,
            consumer_secret,
            login_url: p.login_url,
            callback_urls: p.callback_urls,
            api_name: p.api_name,
            stored_at: p.stored_at,
            last_verified: p.last_verified,
            checked: p.checked,
            version: p.version,
        })
    }

    /// The login host (`acme.my.salesforce.com`) for listings; the raw URL if unparsable.
    pub fn login_host(&self) -> String {
        url::Url::parse(&self.login_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| self.login_url.clone())
    }

    /// True when both say exactly the same thing in a `kind` entry (the read-back check).
    pub(crate) fn same_as(&self, other: &StoredApp, kind: StoreKind) -> bool {
        *self.to_payload_for(kind) == *other.to_payload_for(kind)
    }
}

/// Refuses, before anything is written, a payload larger than `kind` can hold.
pub(crate) fn check_fits(kind: StoreKind, profile: &str, payload: &str) -> Result<(), StoreError> {
    let Some(limit) = kind.max_payload_utf16() else {
        return Ok(());
    };
    let units = payload.encode_utf16().count();
    if units <= limit {
        return Ok(());
    }
    Err(StoreError::TooLarge {
        store: kind,
        profile: profile.to_string(),
        units,
        limit,
    })
}

/// serde_json's data errors can quote a value (`invalid type: string "…"`), which could be
/// the secret: keep only the category, position and a missing field's name.
fn describe_json_error(e: serde_json::Error) -> PayloadProblem {
    use serde_json::error::Category;
    let at = format!("line {} column {}", e.line(), e.column());
    let text = e.to_string();
    PayloadProblem::Invalid(match e.classify() {
        Category::Data if text.starts_with("missing field") => text
            .split(" at line")
            .next()
            .unwrap_or("missing field")
            .to_string(),
        Category::Data => format!("a field has the wrong type ({at})"),
        Category::Syntax | Category::Eof => format!("not JSON ({at})"),
        Category::Io => "unreadable".to_string(),
    })
}

/// Now, as RFC 3339 UTC with seconds (`2026-11-28T12:00:00Z`), for `stored_at` and
/// `last_verified`.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

#[cfg(test)]
pub(crate) fn sample(secret: &str) -> StoredApp {
    StoredApp {
        consumer_key: "3MVG9key".to_string(),
        consumer_secret: SecretString::from(secret.to_string()),
        login_url: "https://acme.my.salesforce.com".to_string(),
        callback_urls: vec![crate::recipe::WEBEX_CALLBACK_URL.to_string()],
        api_name: "Webex_Meetings".to_string(),
        stored_at: "2026-11-28T12:00:00Z".to_string(),
        last_verified: None,
        checked: true,
        version: STORED_APP_VERSION,
    }
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_has_the_documented_field_names_in_order() {
        let json = sample("s3cr3t").to_payload_for(StoreKind::SecretService);
        assert_eq!(
            json.as_str(),
            r#"{"version":1,"consumer_key":"3MVG9key","consumer_secret":"s3cr3t","login_url":"https://acme.my.salesforce.com","callback_urls":["https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html"],"api_name":"Webex_Meetings","stored_at":"2026-11-28T12:00:00Z","last_verified":null,"checked":true}"#
        );
    }

    #[test]
    fn a_payload_round_trips_to_the_same_document() {
        let app = sample("s3cr3t");
        let back = StoredApp::from_payload(&app.to_payload_for(StoreKind::SecretService)).unwrap();
        assert!(app.same_as(&back, StoreKind::SecretService));
        assert_eq!(back.consumer_secret.expose_secret(), "s3cr3t");
        assert!(!app.same_as(&sample("other"), StoreKind::SecretService));
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let shown = format!("{:?}", sample("s3cr3t-value"));
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(shown.contains("3MVG9key"));
    }

    #[test]
    fn a_minimal_hand_written_document_loads_with_defaults() {
        let app = StoredApp::from_payload(
            "{\"version\":1,\"consumer_key\":\"k\",\"consumer_secret\":\"s\",\"login_url\":\"https://login.salesforce.com\"}\n",
        )
        .unwrap();
        assert!(!app.checked);
        assert!(app.callback_urls.is_empty());
        assert_eq!(app.login_host(), "login.salesforce.com");
    }

    #[test]
    fn non_json_and_newer_versions_are_problems_that_do_not_quote_the_payload() {
        let err = StoredApp::from_payload("hunter2 not json").unwrap_err();
        match err {
            PayloadProblem::Invalid(msg) => assert!(!msg.contains("hunter2"), "{msg}"),
            other => panic!("{other:?}"),
        }
        let newer = r#"{"version":9,"consumer_key":"k","consumer_secret":"s","login_url":"u"}"#;
        assert_eq!(
            StoredApp::from_payload(newer).unwrap_err(),
            PayloadProblem::NewerVersion(9)
        );
        let typed = r#"{"version":1,"consumer_key":"k","consumer_secret":"s","login_url":"u","checked":"hunter2"}"#;
        match StoredApp::from_payload(typed).unwrap_err() {
            PayloadProblem::Invalid(msg) => assert!(!msg.contains("hunter2"), "{msg}"),
            other => panic!("{other:?}"),
        }
        let missing = r#"{"version":1,"consumer_key":"k","login_url":"u"}"#;
        assert_eq!(
            StoredApp::from_payload(missing).unwrap_err(),
            PayloadProblem::Invalid("missing field `consumer_secret`".to_string())
        );
        let empty = r#"{"version":1,"consumer_key":"k","consumer_secret":" ","login_url":"u"}"#;
        assert!(matches!(
            StoredApp::from_payload(empty),
            Err(PayloadProblem::Invalid(_))
        ));
    }

    /// The largest document the wizard can produce: a full Callback URL box (2000
    /// characters as Salesforce counts them), the longest API name, a login URL with a
    /// 253-character host and a port (custom hosts only), and a key and a secret of 255
    /// characters each (three to four times what Salesforce issues; the validators only
    /// warn about long keys, so [`check_fits`] guards what is longer still).
    fn largest() -> StoredApp {
        use crate::salesforce::hosts::{parse_login_url, HostPolicy};
        use crate::validate::{app_fields, callback};
        let label = "a".repeat(63);
        let host = format!("{label}.{label}.{label}.{}", "b".repeat(61));
        assert_eq!(host.len(), 253);
        let login = parse_login_url(&format!("https://{host}:65535"), HostPolicy::AllowCustom)
            .expect("accepted with --allow-custom-host");
        let fixed = [
            crate::recipe::WEBEX_CALLBACK_URL.to_string(),
            crate::recipe::loopback_callback_url(crate::recipe::DEFAULT_LOOPBACK_PORT),
        ];
        let used: usize = fixed.iter().map(|l| l.chars().count()).sum::<usize>() + 2 * 2;
        let filler = |n: usize| format!("https://example.com/{}", "x".repeat(n - 20));
        let lines = |n: usize| [fixed[0].clone(), fixed[1].clone(), filler(n)];
        let full = crate::recipe::CALLBACK_FIELD_MAX_CHARS - used;
        assert!(callback::callback_field(&lines(full).join("\n")).is_ok());
        assert!(callback::callback_field(&lines(full + 1).join("\n")).is_err());
        let api_name = "A".repeat(app_fields::API_NAME_MAX_CHARS);
        assert!(app_fields::api_name(&api_name).is_ok());
        StoredApp {
            consumer_key: format!("3MVG{}", "K".repeat(251)),
            consumer_secret: SecretString::from("f".repeat(255)),
            login_url: login.origin(),
            callback_urls: lines(full).to_vec(),
            api_name,
            stored_at: "2026-11-28T12:00:00Z".to_string(),
            last_verified: Some("2026-11-28T12:00:00Z".to_string()),
            checked: true,
            version: STORED_APP_VERSION,
        }
    }

    #[test]
    fn the_largest_document_does_not_fit_credential_manager_whole_but_its_secret_part_does() {
        let app = largest();
        let limit = StoreKind::CredentialManager.max_payload_utf16().unwrap();
        let whole = app
            .to_payload_for(StoreKind::SecretService)
            .encode_utf16()
            .count();
        assert!(
            whole > limit,
            "whole document {whole} units: the split is needed"
        );
        let entry = app.to_payload_for(StoreKind::CredentialManager);
        let units = entry.encode_utf16().count();
        assert!(units <= limit, "{units} > {limit}");
        assert!(check_fits(StoreKind::CredentialManager, "p", &entry).is_ok());
        assert!(!entry.contains("example.com") && !entry.contains("AAAA"));
        // What is left over is room for a key and secret longer still.
        assert!(limit - units > 300, "only {} units to spare", limit - units);
        eprintln!("figure: largest Credential Manager entry {units} of {limit} UTF-16 units (whole document: {whole})");
    }

    #[test]
    fn now_is_rfc3339_utc_with_seconds() {
        let now = now_rfc3339();
        assert!(humantime::parse_rfc3339(&now).is_ok(), "{now}");
        assert!(now.ends_with('Z'));
    }
}
