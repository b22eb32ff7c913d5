//! The simulated org's External Client App as the Metadata API records it: the records
//! built from the whole [`SimConfig`] (with its [`SimMetadata`], the knobs only the
//! read-back sees),
//! so every misconfiguration knob (PKCE off, secret optional, a missing scope or callback)
//! shows up in `readMetadata` too. A second app (`Other_App`, set up differently) sits
//! beside it so a client must pick the records by `externalClientApplication`.

use crate::recipe::metadata::{field, MetadataType, RefreshTokenPolicy, SCOPE_SEPARATOR};
use crate::recipe::{self};

use super::config::{SimConfig, SimMetadata};

/// One component as `readMetadata` returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SimRecord {
    pub kind: MetadataType,
    pub full_name: String,
    /// In the order Salesforce lists them (alphabetical).
    pub fields: Vec<(&'static str, String)>,
}

/// The other app in the org: a different API Name, PKCE off, full scope.
const OTHER_APP: &str = "Other_App";

/// Salesforce's own member names for the dependents (as seen: the API Name and a suffix
/// that the tool's emitter does not use, so no client can get them by guessing).
fn member(kind: MetadataType, app: &str) -> String {
    match kind {
        MetadataType::ExternalClientApplication => app.to_owned(),
        MetadataType::OauthSettings => format!("{app}_oauth"),
        MetadataType::GlobalOauthSettings => format!("{app}GlblOAuth"),
        MetadataType::OauthPolicies => format!("{app}_oauthPlcy"),
    }
}

/// Every record of `kind` in the org, ours first.
pub(crate) fn records(config: &SimConfig, kind: MetadataType) -> Vec<SimRecord> {
    let ours = app_fields(config, kind);
    let mut other = config.clone();
    other.metadata.api_name = OTHER_APP.into();
    other.metadata.label = "Other App".into();
    other.require_pkce = false;
    other.scopes = vec!["full".into()];
    other.callback_urls = vec!["https://other.example/callback".into()];
    [
        (config.metadata.api_name.as_str(), ours),
        (OTHER_APP, app_fields(&other, kind)),
    ]
    .into_iter()
    .map(|(app, mut fields)| {
        fields.sort_by_key(|(name, _)| *name);
        SimRecord {
            kind,
            full_name: member(kind, app),
            fields,
        }
    })
    .collect()
}

fn bool_field(name: &'static str, value: bool) -> (&'static str, String) {
    (name, value.to_string())
}

fn app_fields(config: &SimConfig, kind: MetadataType) -> Vec<(&'static str, String)> {
    let m = &config.metadata;
    let app = (field::EXTERNAL_CLIENT_APPLICATION, m.api_name.clone());
    let label = (field::LABEL, member(kind, &m.api_name));
    match kind {
        MetadataType::ExternalClientApplication => vec![
            (field::CONTACT_EMAIL, m.contact_email.clone()),
            (
                field::DISTRIBUTION_STATE,
                m.distribution_state.metadata_token().to_owned(),
            ),
            bool_field("isProtected", false),
            (field::LABEL, m.label.clone()),
        ],
        MetadataType::OauthSettings => {
            vec![(field::OAUTH_SCOPES, scope_tokens(config)), app, label]
        }
        MetadataType::GlobalOauthSettings => global_fields(config, app, label),
        MetadataType::OauthPolicies => policy_fields(m, app, label),
    }
}

/// The app's scopes as `commaSeparatedOauthScopes` tokens (a scope without a documented
/// token keeps its value).
fn scope_tokens(config: &SimConfig) -> String {
    let tokens: Vec<&str> = config
        .scopes
        .iter()
        .map(|v| {
            recipe::scope_by_value(v)
                .and_then(|s| s.metadata)
                .unwrap_or(v.as_str())
        })
        .collect();
    tokens.join(SCOPE_SEPARATOR)
}

fn global_fields(
    config: &SimConfig,
    app: (&'static str, String),
    label: (&'static str, String),
) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        (field::CALLBACK_URL, config.callback_urls.join("\n")),
        ("consumerKey", config.consumer_key.clone()),
        app,
        label,
        bool_field(
            field::REFRESH_TOKEN_ROTATION,
            config.metadata.refresh_token_rotation,
        ),
    ];
    for option in recipe::SecurityOption::ALL {
        let value = if config.has(option) {
            option.metadata().1
        } else {
            !option.metadata().1
        };
        fields.push(bool_field(option.metadata().0, value));
    }
    // The flows the recipe leaves off, as a retrieved file lists them.
    for name in [
        "isClientCredentialsFlowEnabled",
        "isCodeCredFlowEnabled",
        "isDeviceFlowEnabled",
        "isIntrospectAllTokens",
        "isNamedUserJwtEnabled",
        "isSecretRequiredForTokenExchange",
        "isTokenExchangeEnabled",
        "shouldRotateConsumerKey",
        "shouldRotateConsumerSecret",
    ] {
        fields.push(bool_field(name, false));
    }
    fields
}

fn policy_fields(
    m: &SimMetadata,
    app: (&'static str, String),
    label: (&'static str, String),
) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        app,
        label,
        (field::IP_RELAXATION, m.ip_relaxation.token().to_owned()),
        (field::PERMITTED_USERS, m.permitted_users.token().to_owned()),
        (
            field::REFRESH_TOKEN_POLICY,
            m.refresh_token_policy.token().to_owned(),
        ),
        ("requiredSessionLevel", "STANDARD".to_owned()),
        bool_field("isClientCredentialsFlowEnabled", false),
    ];
    if !m.permission_sets.is_empty() {
        fields.push((field::PERMISSION_SETS, m.permission_sets.join(",")));
    }
    let specific = matches!(
        m.refresh_token_policy,
        RefreshTokenPolicy::SpecificLifetime | RefreshTokenPolicy::SpecificInactivity
    );
    if let (true, Some((period, unit))) = (specific, m.refresh_token_validity) {
        fields.push((field::REFRESH_TOKEN_PERIOD, period.to_string()));
        fields.push((field::REFRESH_TOKEN_UNIT, unit.token().to_owned()));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(r: &'a SimRecord, name: &str) -> &'a str {
        r.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    #[test]
    fn the_records_follow_the_oauth_knobs() {
        let mut c = SimConfig::webex_ready(&[]);
        c.require_pkce = false;
        c.scopes.retain(|s| s != "web");
        let global = &records(&c, MetadataType::GlobalOauthSettings)[0];
        assert_eq!(global.full_name, "Webex_IntegrationGlblOAuth");
        assert_eq!(get(global, "isPkceRequired"), "false");
        assert_eq!(get(global, "isConsumerSecretOptional"), "false");
        assert_eq!(get(global, "callbackUrl"), recipe::WEBEX_CALLBACK_URL);
        assert!(!global.fields.iter().any(|(n, _)| *n == "consumerSecret"));
        let settings = &records(&c, MetadataType::OauthSettings)[0];
        assert_eq!(
            get(settings, "commaSeparatedOauthScopes"),
            "Api, RefreshToken"
        );
    }

    #[test]
    fn the_other_app_is_set_up_differently_and_named_after_itself() {
        let c = SimConfig::webex_ready(&[]);
        let all = records(&c, MetadataType::GlobalOauthSettings);
        assert_eq!(all.len(), 2);
        assert_eq!(get(&all[1], "externalClientApplication"), OTHER_APP);
        assert_eq!(get(&all[1], "isPkceRequired"), "false");
    }
}
