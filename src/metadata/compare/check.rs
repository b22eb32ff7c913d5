//! The read-back checks' identities: ids, titles, the component each reads and the Setup
//! field each names.

use crate::recipe::metadata::{setup_label as label, MetadataType};
use crate::recipe::{self, location, SecurityOption};

/// The read-back checks, one per setting, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetadataCheck {
    CallbackUrls,
    Scopes,
    SecretWebServerFlow,
    SecretRefreshTokenFlow,
    Pkce,
    DistributionState,
    PermittedUsers,
    RefreshTokenPolicy,
    IpRelaxation,
    RefreshTokenRotation,
}

/// The Security checks, parallel to [`recipe::SecurityOption::ALL`] (a test keeps them so).
pub(super) const SECURITY_CHECKS: [MetadataCheck; 3] = [
    MetadataCheck::SecretWebServerFlow,
    MetadataCheck::SecretRefreshTokenFlow,
    MetadataCheck::Pkce,
];

impl MetadataCheck {
    pub const ALL: [MetadataCheck; 10] = [
        MetadataCheck::CallbackUrls,
        MetadataCheck::Scopes,
        MetadataCheck::SecretWebServerFlow,
        MetadataCheck::SecretRefreshTokenFlow,
        MetadataCheck::Pkce,
        MetadataCheck::DistributionState,
        MetadataCheck::PermittedUsers,
        MetadataCheck::RefreshTokenPolicy,
        MetadataCheck::IpRelaxation,
        MetadataCheck::RefreshTokenRotation,
    ];

    /// The stable id in reports and `--json`.
    pub fn id(self) -> &'static str {
        match self {
            MetadataCheck::CallbackUrls => "metadata_callback_urls",
            MetadataCheck::Scopes => "metadata_scopes",
            MetadataCheck::SecretWebServerFlow => "metadata_secret_web_server_flow",
            MetadataCheck::SecretRefreshTokenFlow => "metadata_secret_refresh_token_flow",
            MetadataCheck::Pkce => "metadata_pkce",
            MetadataCheck::DistributionState => "metadata_distribution_state",
            MetadataCheck::PermittedUsers => "metadata_permitted_users",
            MetadataCheck::RefreshTokenPolicy => "metadata_refresh_token_policy",
            MetadataCheck::IpRelaxation => "metadata_ip_relaxation",
            MetadataCheck::RefreshTokenRotation => "metadata_refresh_token_rotation",
        }
    }

    /// The recipe's Security option this check judges.
    pub fn security_option(self) -> Option<SecurityOption> {
        let i = SECURITY_CHECKS.iter().position(|c| *c == self)?;
        recipe::SecurityOption::ALL.get(i).copied()
    }

    /// The component whose record holds the setting.
    pub fn component(self) -> MetadataType {
        match self {
            MetadataCheck::Scopes => MetadataType::OauthSettings,
            MetadataCheck::DistributionState => MetadataType::ExternalClientApplication,
            MetadataCheck::PermittedUsers
            | MetadataCheck::RefreshTokenPolicy
            | MetadataCheck::IpRelaxation => MetadataType::OauthPolicies,
            _ => MetadataType::GlobalOauthSettings,
        }
    }

    /// What is checked, for people.
    pub fn title(self) -> String {
        let setting = match self {
            MetadataCheck::CallbackUrls => label::CALLBACK_URL,
            MetadataCheck::Scopes => "OAuth scopes",
            MetadataCheck::DistributionState => label::DISTRIBUTION_STATE,
            MetadataCheck::PermittedUsers => label::PERMITTED_USERS,
            MetadataCheck::RefreshTokenPolicy => label::REFRESH_TOKEN_POLICY,
            MetadataCheck::IpRelaxation => label::IP_RELAXATION,
            MetadataCheck::RefreshTokenRotation => label::REFRESH_TOKEN_ROTATION,
            _ => self.security_option().map_or("Security", |o| o.label()),
        };
        format!("{setting}, as Salesforce records it")
    }

    /// Where in Setup the setting is changed.
    pub fn setup_field(self) -> String {
        let (place, name) = match self {
            MetadataCheck::CallbackUrls => (location::CALLBACK, ""),
            MetadataCheck::Scopes => (location::SCOPES, ""),
            MetadataCheck::DistributionState => (location::BASIC_INFO, label::DISTRIBUTION_STATE),
            MetadataCheck::PermittedUsers => (location::OAUTH_POLICIES, label::PERMITTED_USERS),
            MetadataCheck::RefreshTokenPolicy => {
                (location::OAUTH_POLICIES, label::REFRESH_TOKEN_POLICY)
            }
            MetadataCheck::IpRelaxation => (location::OAUTH_POLICIES, label::IP_RELAXATION),
            MetadataCheck::RefreshTokenRotation => {
                (location::SECURITY, label::REFRESH_TOKEN_ROTATION)
            }
            _ => (
                location::SECURITY,
                self.security_option().map_or("", |o| o.label()),
            ),
        };
        if name.is_empty() {
            place.to_owned()
        } else {
            format!("{place} → {name}")
        }
    }
}
