//! Steps 1 and 2: which org, then the app's Basic Information.

use super::ask::{self, Unattended};
use super::{fields, Presets};
use crate::error::AppError;
use crate::prompt::Prompter;
use crate::recipe::DistributionState;
use crate::salesforce::hosts::{parse_login_url, LoginHost};
use crate::validate::app_fields;

/// The org choices, with what each normalises to. My Domain is first: it always works, while
/// an org may forbid logins through login.salesforce.com / test.salesforce.com.
const ORG_CHOICES: [(&str, Option<&str>); 3] = [
    (
        "My Domain URL (recommended: works even when the org blocks the generic login hosts)",
        None,
    ),
    (
        "Production (login.salesforce.com)",
        Some("https://login.salesforce.com"),
    ),
    (
        "Sandbox (test.salesforce.com)",
        Some("https://test.salesforce.com"),
    ),
];

pub fn org(p: &mut dyn Prompter, presets: &Presets) -> Result<LoginHost, AppError> {
    let policy = presets.host_policy;
    let parse = |s: &str| parse_login_url(s, policy);
    let default = presets.defaults.login_url.as_deref();
    if presets.answers.login_url.is_some() || !p.is_interactive() || default.is_some() {
        return ask::text(
            p,
            &fields::LOGIN_URL,
            presets.answers.login_url.clone(),
            default,
            Unattended::UseDefault,
            parse,
        );
    }
    let items: Vec<String> = ORG_CHOICES
        .iter()
        .map(|(label, _)| label.to_string())
        .collect();
    let choice = p
        .select(&fields::ORG_KIND.q, &items, 0)
        .map_err(|e| ask::prompt_failed(&fields::ORG_KIND, e))?;
    match ORG_CHOICES[choice].1 {
        Some(url) => ask::text(
            p,
            &fields::LOGIN_URL,
            Some(url.to_string()),
            None,
            Unattended::Require,
            parse,
        ),
        None => ask::text(
            p,
            &fields::LOGIN_URL,
            None,
            None,
            Unattended::Require,
            parse,
        ),
    }
}

pub struct BasicInformation {
    pub app_name: String,
    pub api_name: String,
    pub contact_email: String,
    pub distribution_state: DistributionState,
}

pub fn basic_information(
    p: &mut dyn Prompter,
    presets: &Presets,
) -> Result<BasicInformation, AppError> {
    let app_name = ask::text(
        p,
        &fields::APP_NAME,
        presets.answers.app_name.clone(),
        presets.defaults.app_name.as_deref(),
        Unattended::UseDefault,
        app_fields::app_name,
    )?;
    // Salesforce fills API Name in from the app name the same way; non-interactively that
    // default stands unless --api-name says otherwise.
    let derived = app_fields::default_api_name(&app_name);
    let default = (!derived.is_empty()).then_some(derived.as_str());
    let api_name = ask::text(
        p,
        &fields::API_NAME,
        presets.answers.api_name.clone(),
        default,
        Unattended::UseDefault,
        app_fields::api_name,
    )?;
    let contact_email = ask::text(
        p,
        &fields::CONTACT_EMAIL,
        presets.answers.contact_email.clone(),
        presets.defaults.contact_email.as_deref(),
        Unattended::UseDefault,
        app_fields::contact_email,
    )?;
    let distribution_state = distribution_state(p, presets)?;
    Ok(BasicInformation {
        app_name,
        api_name,
        contact_email,
        distribution_state,
    })
}

fn distribution_state(
    p: &mut dyn Prompter,
    presets: &Presets,
) -> Result<DistributionState, AppError> {
    let field = &fields::DISTRIBUTION_STATE;
    if presets.answers.distribution_state.is_some() || !p.is_interactive() {
        return ask::text(
            p,
            field,
            presets.answers.distribution_state.clone(),
            None,
            Unattended::Require,
            app_fields::distribution_state,
        );
    }
    let items: Vec<String> = DistributionState::ALL
        .iter()
        .map(|s| s.label().to_string())
        .collect();
    loop {
        let i = p
            .select(&field.q, &items, 0)
            .map_err(|e| ask::prompt_failed(field, e))?;
        match app_fields::distribution_state(DistributionState::ALL[i].flag_value()) {
            Ok(state) => return Ok(state),
            Err(problem) => ask::explain(p, &problem),
        }
    }
}
