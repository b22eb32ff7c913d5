//! The Webex recipe for the Salesforce External Client App, as data.
//!
//! This is the single source of truth: the wizard's questions, the validators, the summary,
//! the OAuth proof and any generated metadata read these tables. Change the recipe here and
//! only here. The app's metadata names (types, fields, policy picklists) are in [`metadata`].

pub mod metadata;

/// The callback URL Webex requires, byte for byte (seed step 5).
pub const WEBEX_CALLBACK_URL: &str = "https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html";

/// Salesforce's limit on the whole Callback URL box (all lines together).
pub const CALLBACK_FIELD_MAX_CHARS: usize = 2000;

/// The loopback callback the OAuth proof listens on unless `--callback-port` says otherwise.
/// Salesforce's own CLI registers this form in its apps, so plain http on localhost works.
pub const DEFAULT_LOOPBACK_PORT: u16 = 1717;
pub const LOOPBACK_PATH: &str = "/OauthRedirect";

/// The extra callback line the OAuth proof needs, for a given port.
pub fn loopback_callback_url(port: u16) -> String {
    format!("http://localhost:{port}{LOOPBACK_PATH}")
}

/// The only distribution state Webex's recipe allows (seed step 3.4).
pub const DISTRIBUTION_STATE: DistributionState = DistributionState::Local;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DistributionState {
    Local,
    Packaged,
}

impl DistributionState {
    pub const ALL: [DistributionState; 2] = [DistributionState::Local, DistributionState::Packaged];

    /// As Salesforce's picklist shows it.
    pub fn label(self) -> &'static str {
        match self {
            DistributionState::Local => "Local",
            DistributionState::Packaged => "Packaged",
        }
    }

    /// As the `--distribution-state` flag spells it.
    pub fn flag_value(self) -> &'static str {
        match self {
            DistributionState::Local => "local",
            DistributionState::Packaged => "packaged",
        }
    }

    pub fn from_flag_value(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| {
            s.flag_value().eq_ignore_ascii_case(value.trim()) || s.label() == value.trim()
        })
    }
}

/// One OAuth scope as Salesforce's "Available OAuth Scopes" list shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    /// The label in Setup, exactly.
    pub label: &'static str,
    /// The value sent in `scope=` and returned in the token response.
    pub value: &'static str,
    /// Other values Salesforce treats as the same scope.
    pub synonyms: &'static [&'static str],
    /// The ExtlClntAppOauthSettings `commaSeparatedOauthScopes` enum, where documented.
    pub metadata: Option<&'static str>,
    /// Whether Webex needs it.
    pub required: bool,
    /// One line on why Webex needs it (shown beside required scopes).
    pub why: &'static str,
}

impl Scope {
    /// True when `value` names this scope (value or synonym, case-insensitive).
    pub fn matches(&self, value: &str) -> bool {
        let v = value.trim();
        self.value.eq_ignore_ascii_case(v)
            || self.synonyms.iter().any(|s| s.eq_ignore_ascii_case(v))
    }
}

/// A scope Webex does not need (listed so the admin can report what is selected).
const fn extra(label: &'static str, value: &'static str) -> Scope {
    Scope {
        label,
        value,
        synonyms: &[],
        metadata: None,
        required: false,
        why: "",
    }
}

/// An extra scope whose `commaSeparatedOauthScopes` token is documented.
const fn extra_with_token(label: &'static str, value: &'static str, token: &'static str) -> Scope {
    Scope {
        metadata: Some(token),
        ..extra(label, value)
    }
}

/// Salesforce's selectable OAuth scopes, in the order Setup lists them. The first three are
/// Webex's (seed step 6); the rest are offered so an admin can report what they selected.
pub const SCOPES: &[Scope] = &[
    Scope {
        label: "Manage user data via APIs (api)",
        value: "api",
        synonyms: &[],
        metadata: Some("Api"),
        required: true,
        why: "lets Webex read and update Salesforce data through the REST API and SOQL",
    },
    Scope {
        label: "Manage user data via web browsers (web)",
        value: "web",
        synonyms: &[],
        metadata: Some("Web"),
        required: true,
        why: "lets Webex send users through Salesforce's login and authorization pages",
    },
    Scope {
        label: "Perform requests at any time (refresh_token, offline_access)",
        value: "refresh_token",
        synonyms: &["offline_access"],
        metadata: Some("RefreshToken"),
        required: true,
        why: "lets Webex refresh the access token when the user is offline or it expires",
    },
    extra(
        "Access the identity URL service (id, profile, email, address, phone)",
        "id",
    ),
    extra_with_token(
        "Access unique user identifiers (openid)",
        "openid",
        "OpenID",
    ),
    extra_with_token("Full access (full)", "full", "Full"),
    extra(
        "Access Connect REST API resources (chatter_api)",
        "chatter_api",
    ),
    extra(
        "Access custom permissions (custom_permissions)",
        "custom_permissions",
    ),
    extra("Access content resources (content)", "content"),
    extra("Access Analytics REST API resources (wave_api)", "wave_api"),
    extra("Access Lightning applications (lightning)", "lightning"),
    extra(
        "Access Visualforce applications (visualforce)",
        "visualforce",
    ),
    extra("Manage Pardot services (pardot_api)", "pardot_api"),
    extra(
        "Perform ANSI SQL queries on Data Cloud data (cdp_query_api)",
        "cdp_query_api",
    ),
];

/// The scopes Webex needs, in Setup order.
pub fn required_scopes() -> impl Iterator<Item = &'static Scope> {
    SCOPES.iter().filter(|s| s.required)
}

/// The `scope=` value the proof asks for: the required scopes, space-separated.
pub fn scope_request() -> String {
    required_scopes()
        .map(|s| s.value)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The scope a value (or synonym) names, if Salesforce has it.
pub fn scope_by_value(value: &str) -> Option<&'static Scope> {
    SCOPES.iter().find(|s| s.matches(value))
}

/// One checkbox in the External Client App's Security section. Webex needs all of them
/// checked (seed step 7); [`SecurityOption::ALL`] lists them in Setup order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecurityOption {
    SecretForWebServerFlow,
    SecretForRefreshTokenFlow,
    Pkce,
}

impl SecurityOption {
    /// Every option Webex needs, in Setup order.
    pub const ALL: [SecurityOption; 3] = [
        SecurityOption::SecretForWebServerFlow,
        SecurityOption::SecretForRefreshTokenFlow,
        SecurityOption::Pkce,
    ];

    /// The checkbox label in Setup, exactly.
    pub fn label(self) -> &'static str {
        match self {
            SecurityOption::SecretForWebServerFlow => "Require secret for Web Server Flow",
            SecurityOption::SecretForRefreshTokenFlow => "Require secret for Refresh Token Flow",
            SecurityOption::Pkce => "Require Proof Key for Code Exchange (PKCE)",
        }
    }

    /// The `--security` flag value.
    pub fn flag_value(self) -> &'static str {
        match self {
            SecurityOption::SecretForWebServerFlow => "secret-web-server-flow",
            SecurityOption::SecretForRefreshTokenFlow => "secret-refresh-token-flow",
            SecurityOption::Pkce => "pkce",
        }
    }

    /// The ExtlClntAppGlobalOauthSettings field and the value Webex needs there.
    pub fn metadata(self) -> (&'static str, bool) {
        match self {
            SecurityOption::SecretForWebServerFlow => ("isConsumerSecretOptional", false),
            SecurityOption::SecretForRefreshTokenFlow => ("isSecretRequiredForRefreshToken", true),
            SecurityOption::Pkce => ("isPkceRequired", true),
        }
    }

    /// One line on what it does.
    pub fn explains(self) -> &'static str {
        match self {
            SecurityOption::SecretForWebServerFlow => "the authorization-code exchange must present the consumer secret, proving it is Webex asking",
            SecurityOption::SecretForRefreshTokenFlow => "a stolen refresh token is useless without the consumer secret",
            SecurityOption::Pkce => "an intercepted authorization code cannot be redeemed without the one-time PKCE verifier",
        }
    }

    /// The option a `--security` value names (case-insensitive).
    pub fn from_flag(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|o| o.flag_value().eq_ignore_ascii_case(value.trim()))
    }

    /// "Tick \"LABEL\" in Setup → … and save": the fix when this option is off.
    pub fn tick_fix(self) -> String {
        format!(
            "tick \"{}\" in {} and save",
            self.label(),
            location::SECURITY
        )
    }
}

impl serde::Serialize for SecurityOption {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.flag_value())
    }
}

/// Where each step lives in Salesforce Setup, in the order Salesforce shows them. The wizard
/// prints these so the admin always knows where to click.
pub mod location {
    pub const NEW_APP: &str = "Setup → Apps → App Manager → New External Client App";
    pub const BASIC_INFO: &str = "New External Client App → Basic Information";
    pub const ENABLE_OAUTH: &str =
        "New External Client App → API (Enable OAuth Settings) → Enable OAuth";
    pub const CALLBACK: &str = "Enable OAuth Settings → App Settings → Callback URL";
    pub const SCOPES: &str = "Enable OAuth Settings → OAuth Scopes";
    pub const SECURITY: &str = "Enable OAuth Settings → Security";
    pub const CONSUMER_DETAILS: &str =
        "App Manager → your app → Settings → OAuth Settings → Consumer Key and Secret";
    /// Where an existing app's OAuth policies are changed (Permitted Users, IP Relaxation,
    /// Refresh Token Policy).
    pub const OAUTH_POLICIES: &str = "App Manager → your app → Policies → Edit → OAuth Policies";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webex_needs_exactly_api_web_and_refresh_token() {
        let values: Vec<_> = required_scopes().map(|s| s.value).collect();
        assert_eq!(values, ["api", "web", "refresh_token"]);
        let metadata: Vec<_> = required_scopes().map(|s| s.metadata).collect();
        assert_eq!(metadata, [Some("Api"), Some("Web"), Some("RefreshToken")]);
    }

    #[test]
    fn offline_access_is_the_refresh_token_scope() {
        assert_eq!(
            scope_by_value("offline_access").unwrap().value,
            "refresh_token"
        );
        assert_eq!(scope_by_value(" API ").unwrap().value, "api");
        assert!(scope_by_value("nonsense").is_none());
    }

    #[test]
    fn scope_values_and_labels_are_unique() {
        for (i, a) in SCOPES.iter().enumerate() {
            for b in &SCOPES[i + 1..] {
                assert_ne!(a.value, b.value);
                assert_ne!(a.label, b.label);
            }
        }
    }

    #[test]
    fn security_flags_round_trip() {
        for o in SecurityOption::ALL {
            assert_eq!(SecurityOption::from_flag(o.flag_value()), Some(o));
        }
        assert_eq!(SecurityOption::from_flag("nope"), None);
    }

    #[test]
    fn loopback_callback_uses_the_sf_cli_form() {
        assert_eq!(
            loopback_callback_url(DEFAULT_LOOPBACK_PORT),
            "http://localhost:1717/OauthRedirect"
        );
    }

    #[test]
    fn distribution_state_parses_flag_and_label() {
        assert_eq!(
            DistributionState::from_flag_value("local"),
            Some(DistributionState::Local)
        );
        assert_eq!(
            DistributionState::from_flag_value("Local"),
            Some(DistributionState::Local)
        );
        assert_eq!(
            DistributionState::from_flag_value("packaged"),
            Some(DistributionState::Packaged)
        );
        assert_eq!(DistributionState::from_flag_value("global"), None);
    }
}
