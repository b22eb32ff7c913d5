//! What the simulated org's External Client App and user look like: [`SimConfig`],
//! [`SimUser`] and [`SimMetadata`] (what only the Metadata API read-back sees), and
//! [`SimConfig::webex_ready`], an app set up exactly per the Webex recipe.

use std::time::Duration;

use rand::Rng;

use crate::recipe::metadata::{IpRelaxation, PermittedUsers, RefreshTokenPolicy, ValidityUnit};
use crate::recipe::{self, DistributionState, SecurityOption};

/// The one user of the simulated org (everyone who logs in becomes this user).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimUser {
    pub username: String,
    /// 18-character Salesforce ID, prefix `005`.
    pub user_id: String,
    /// 18-character Salesforce ID, prefix `00D`.
    pub org_id: String,
    pub name: String,
    pub email: String,
}

impl Default for SimUser {
    fn default() -> Self {
        SimUser {
            username: "admin@webex-demo.example".to_owned(),
            user_id: "005000000000001AAA".to_owned(),
            org_id: "00D000000000001EAA".to_owned(),
            name: "Demo Admin".to_owned(),
            email: "admin@webex-demo.example".to_owned(),
        }
    }
}

/// The External Client App as configured in the simulated org, plus the simulator's knobs.
/// `Debug` redacts the secret so a failing test's output never carries it.
#[derive(Clone, PartialEq, Eq)]
pub struct SimConfig {
    pub consumer_key: String,
    pub consumer_secret: String,
    /// The Callback URL box, one URL per entry; `redirect_uri` must equal one exactly.
    pub callback_urls: Vec<String>,
    /// The app's scope values, e.g. `["api", "web", "refresh_token"]`.
    pub scopes: Vec<String>,
    /// "Require secret for Web Server Flow".
    pub require_secret_web_server: bool,
    /// "Require secret for Refresh Token Flow".
    pub require_secret_refresh: bool,
    /// "Require Proof Key for Code Exchange (PKCE)".
    pub require_pkce: bool,
    /// The app was just created or changed and has not reached this server yet (seen: 2-10
    /// minutes): authorize shows `invalid_client_id`, the token endpoint answers it.
    pub propagating: bool,
    /// The app reaches this server this long after the simulator started: until then it is
    /// `propagating` (a just-created app that a re-check sees arrive).
    pub propagates_after: Option<Duration>,
    /// Skip the login form: a session is created automatically on the first authorize.
    pub auto_approve: bool,
    /// With "Require secret for Web Server Flow" off, a secret that is sent is not checked
    /// either (unconfirmed for Salesforce; off by default). Then a mistyped or truncated
    /// secret passes the code exchange and only the response's `signature` betrays it.
    pub ignore_secret_when_optional: bool,
    /// Serve RFC 7009 revocation (Salesforce does); `false`: an OAuth server without it —
    /// no `revocation_endpoint` in discovery, 404 at the documented path.
    pub revocation: bool,
    /// Added to every response (benchmarks, timeouts).
    pub latency: Duration,
    pub user: SimUser,
    /// What the Metadata API read-back shows beyond the knobs above.
    pub metadata: SimMetadata,
}

impl std::fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimConfig")
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &"[redacted]")
            .field("callback_urls", &self.callback_urls)
            .field("scopes", &self.scopes)
            .field("require_secret_web_server", &self.require_secret_web_server)
            .field("require_secret_refresh", &self.require_secret_refresh)
            .field("require_pkce", &self.require_pkce)
            .field("propagating", &self.propagating)
            .field("propagates_after", &self.propagates_after)
            .field("auto_approve", &self.auto_approve)
            .field("revocation", &self.revocation)
            .field("latency", &self.latency)
            .field("user", &self.user)
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl SimConfig {
    /// Whether the simulated app has `option` ticked.
    pub fn has(&self, option: SecurityOption) -> bool {
        match option {
            SecurityOption::SecretForWebServerFlow => self.require_secret_web_server,
            SecurityOption::SecretForRefreshTokenFlow => self.require_secret_refresh,
            SecurityOption::Pkce => self.require_pkce,
        }
    }

    /// An app configured exactly per the Webex recipe (callback, scopes, every Security
    /// option) plus `extra_callbacks` (the loopback line the OAuth proof needs),
    /// with a fresh random consumer key and secret. The login form is shown (no auto-approve).
    pub fn webex_ready(extra_callbacks: &[String]) -> SimConfig {
        let mut callback_urls = vec![recipe::WEBEX_CALLBACK_URL.to_owned()];
        callback_urls.extend(extra_callbacks.iter().cloned());
        let security = |option: SecurityOption| SecurityOption::ALL.contains(&option);
        SimConfig {
            consumer_key: random_consumer_key(),
            consumer_secret: random_consumer_secret(),
            callback_urls,
            scopes: recipe::required_scopes()
                .map(|s| s.value.to_owned())
                .collect(),
            require_secret_web_server: security(SecurityOption::SecretForWebServerFlow),
            require_secret_refresh: security(SecurityOption::SecretForRefreshTokenFlow),
            require_pkce: security(SecurityOption::Pkce),
            propagating: false,
            propagates_after: None,
            auto_approve: false,
            ignore_secret_when_optional: false,
            revocation: true,
            latency: Duration::ZERO,
            user: SimUser::default(),
            metadata: SimMetadata::default(),
        }
    }

    /// Whether the app grants `requested` (a value or a synonym such as `offline_access`
    /// for `refresh_token`); returns the app's own spelling of it.
    pub(crate) fn granted_scope(&self, requested: &str) -> Option<&str> {
        let wanted = recipe::scope_by_value(requested);
        self.scopes.iter().map(String::as_str).find(|have| {
            have.eq_ignore_ascii_case(requested)
                || matches!((wanted, recipe::scope_by_value(have)), (Some(a), Some(b)) if a == b)
        })
    }
}

/// Consumer keys look like Salesforce's: `3MVG` and 81 characters of `[A-Za-z0-9._]`.
pub(crate) fn random_consumer_key() -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
    format!("3MVG{}", random_from(CHARS, 81))
}

/// Consumer secrets look like Salesforce's: 64 upper-case hex digits.
pub(crate) fn random_consumer_secret() -> String {
    random_from(b"0123456789ABCDEF", 64)
}

/// `len` characters drawn uniformly from `chars` with the thread-local CSPRNG.
pub(crate) fn random_from(chars: &[u8], len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(chars[rng.gen_range(0..chars.len())]))
        .collect()
}

/// Opaque token material (codes, tokens, session ids): URL-safe, 64 random characters.
pub(crate) fn random_token() -> String {
    random_from(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        64,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webex_ready_follows_the_recipe_and_adds_the_loopback_line() {
        let loopback = recipe::loopback_callback_url(1717);
        let c = SimConfig::webex_ready(std::slice::from_ref(&loopback));
        assert_eq!(
            c.callback_urls,
            [recipe::WEBEX_CALLBACK_URL.to_owned(), loopback]
        );
        assert_eq!(c.scopes, ["api", "web", "refresh_token"]);
        assert!(c.require_secret_web_server && c.require_secret_refresh && c.require_pkce);
        assert!(!c.propagating && !c.auto_approve);
    }

    #[test]
    fn generated_credentials_have_salesforce_shapes() {
        let c = SimConfig::webex_ready(&[]);
        assert_eq!(c.consumer_key.len(), 85);
        assert!(c.consumer_key.starts_with("3MVG"));
        assert!(c
            .consumer_key
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '_'));
        assert_eq!(c.consumer_secret.len(), 64);
        assert!(c.consumer_secret.chars().all(|ch| ch.is_ascii_hexdigit()));
        assert_ne!(SimConfig::webex_ready(&[]).consumer_key, c.consumer_key);
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let c = SimConfig::webex_ready(&[]);
        assert!(!format!("{c:?}").contains(&c.consumer_secret));
    }

    #[test]
    fn offline_access_is_granted_as_the_apps_refresh_token_scope() {
        let c = SimConfig::webex_ready(&[]);
        assert_eq!(c.granted_scope("offline_access"), Some("refresh_token"));
        assert_eq!(c.granted_scope("API"), Some("api"));
        assert_eq!(c.granted_scope("full"), None);
    }
}

/// What the read-back sees beyond the OAuth knobs of [`SimConfig`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimMetadata {
    /// The app's API Name (its member name) and label.
    pub api_name: String,
    pub label: String,
    pub contact_email: String,
    pub distribution_state: DistributionState,
    /// The signed-in user has "Modify Metadata Through Metadata API Functions" (or Modify
    /// All Data); without it every call is `sf:INSUFFICIENT_ACCESS`.
    pub permission: bool,
    /// The org opted in to External Client Apps; without it the types are `sf:INVALID_TYPE`.
    pub eca_opt_in: bool,
    /// The global OAuth settings may be read (they hold the consumer key); without it
    /// reading them is `sf:INSUFFICIENT_ACCESS` (the permission's effect is unconfirmed).
    pub global_settings_readable: bool,
    pub permitted_users: PermittedUsers,
    /// Pre-authorized permission sets, for admin-approved users. The simulated user always
    /// gets in (it stands for an admin who holds one); only the read-back shows the policy.
    pub permission_sets: Vec<String>,
    pub ip_relaxation: IpRelaxation,
    pub refresh_token_policy: RefreshTokenPolicy,
    /// Period and unit for the `Specific…` policies.
    pub refresh_token_validity: Option<(u32, ValidityUnit)>,
    /// Shown in the read-back only: the token endpoint does not rotate refresh tokens.
    pub refresh_token_rotation: bool,
}

impl Default for SimMetadata {
    /// An app as the Webex recipe and Salesforce's defaults leave it (policies as seen on
    /// new apps, except IP relaxation relaxed so a Webex-ready app passes every check).
    fn default() -> Self {
        SimMetadata {
            api_name: "Webex_Integration".into(),
            label: "Webex Integration".into(),
            contact_email: "admin@webex-demo.example".into(),
            distribution_state: recipe::DISTRIBUTION_STATE,
            permission: true,
            eca_opt_in: true,
            global_settings_readable: true,
            permitted_users: PermittedUsers::AllSelfAuthorized,
            permission_sets: Vec::new(),
            ip_relaxation: IpRelaxation::Bypass,
            refresh_token_policy: RefreshTokenPolicy::SpecificLifetime,
            refresh_token_validity: Some((365, ValidityUnit::Days)),
            refresh_token_rotation: false,
        }
    }
}
