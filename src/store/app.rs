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

use std::time::SystemTime;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

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
    callback_urls: &'a [String],
    api_name: &'a str,
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
    /// The store payload. The returned buffer is wiped when dropped.
    pub(crate) fn to_payload(&self) -> Zeroizing<String> {
        let out = PayloadOut {
            version: self.version,
            consumer_key: &self.consumer_key,
            consumer_secret: self.consumer_secret.expose_secret(),
            login_url: &self.login_url,
            callback_urls: &self.callback_urls,
            api_name: &self.api_name,
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

    /// True when both documents say exactly the same thing (the read-back check).
    pub(crate) fn same_as(&self, other: &StoredApp) -> bool {
        *self.to_payload() == *other.to_payload()
    }
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
mod tests {
    use super::*;

    #[test]
    fn the_payload_has_the_documented_field_names_in_order() {
        let json = sample("s3cr3t").to_payload();
        assert_eq!(
            json.as_str(),
            r#"{"version":1,"consumer_key":"3MVG9key","consumer_secret":"s3cr3t","login_url":"https://acme.my.salesforce.com","callback_urls":["https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html"],"api_name":"Webex_Meetings","stored_at":"2026-11-28T12:00:00Z","last_verified":null,"checked":true}"#
        );
    }

    #[test]
    fn a_payload_round_trips_to_the_same_document() {
        let app = sample("s3cr3t");
        let back = StoredApp::from_payload(&app.to_payload()).unwrap();
        assert!(app.same_as(&back));
        assert_eq!(back.consumer_secret.expose_secret(), "s3cr3t");
        assert!(!app.same_as(&sample("other")));
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

    #[test]
    fn now_is_rfc3339_utc_with_seconds() {
        let now = now_rfc3339();
        assert!(humantime::parse_rfc3339(&now).is_ok(), "{now}");
        assert!(now.ends_with('Z'));
    }
}
