//! The read-back checks' identities: ids, titles, the component each reads and the Setup
//! field each names.

use crate::recipe::metadata::{setup_label as label, MetadataType};
use crate::recipe::{self, location, SecurityOption};
use crate::report::CheckId;

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

    /// The check's identity in the report's registry.
    pub fn check_id(self) -> CheckId {
        match self {
            MetadataCheck::CallbackUrls => CheckId::MetadataCallbackUrls,
            MetadataCheck::Scopes => CheckId::MetadataScopes,
            MetadataCheck::SecretWebServerFlow => CheckId::MetadataSecretWebServerFlow,
            MetadataCheck::SecretRefreshTokenFlow => CheckId::MetadataSecretRefreshTokenFlow,
            MetadataCheck::Pkce => CheckId::MetadataPkce,
            MetadataCheck::DistributionState => CheckId::MetadataDistributionState,
            MetadataCheck::PermittedUsers => CheckId::MetadataPermittedUsers,
            MetadataCheck::RefreshTokenPolicy => CheckId::MetadataRefreshTokenPolicy,
            MetadataCheck::IpRelaxation => CheckId::MetadataIpRelaxation,
            MetadataCheck::RefreshTokenRotation => CheckId::MetadataRefreshTokenRotation,
        }
    }

    /// The stable id in reports and `--json`.
    pub fn id(self) -> &'static str {
        self.check_id().as_str()
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
    pub fn title(self) -> &'static str {
        self.check_id().title()
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
