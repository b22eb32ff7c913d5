//! The `init` wizard: walks the admin through the External Client App in the order
//! Salesforce Setup shows it, asking what they entered or selected at each step and checking
//! it against Salesforce's rules and the Webex recipe before moving on.
//!
//! The wizard only fills in what flags left open ([`Presets`]); non-interactive runs go
//! through the same steps with a prompter that refuses, so there is one code path.

mod ask;
mod fields;
mod oauth_steps;
mod org_steps;
mod secrets_step;
pub mod summary;

use secrecy::SecretString;

use crate::error::AppError;
use crate::metadata::EcaSpec;
use crate::prompt::Prompter;
use crate::recipe;
use crate::salesforce::hosts::HostPolicy;
use crate::setup::AppSetup;

/// What the admin entered in Setup, as given up front (flags, environment variables, a
/// draft); `None` / empty = ask. Both the prompted and the non-interactive run start from
/// this. Never holds the secret.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Answers {
    pub login_url: Option<String>,
    pub app_name: Option<String>,
    pub api_name: Option<String>,
    pub contact_email: Option<String>,
    pub distribution_state: Option<String>,
    /// Lines of the Callback URL box; a value may itself hold several lines.
    pub callback_urls: Vec<String>,
    pub scopes: Vec<String>,
    pub allow_extra_scopes: bool,
    pub security: Vec<String>,
    pub consumer_key: Option<String>,
}

/// Answers given up front, the secret, and what the run around the wizard decided.
#[derive(Debug)]
pub struct Presets {
    pub answers: Answers,
    pub consumer_secret: Option<SecretString>,
    /// Whether a non-Salesforce login host is acceptable (`--allow-custom-host`, `--demo`).
    pub host_policy: HostPolicy,
    /// The loopback callback port the OAuth check will listen on.
    pub loopback_port: u16,
    /// Whether the login-based OAuth check will run (then the loopback line is offered).
    pub offer_loopback: bool,
    /// Defaults shown at the prompts (the demo fills these with the simulated app's values).
    pub defaults: Defaults,
}

impl Presets {
    /// No answers given yet; the OAuth check's loopback line offered on the default port.
    pub fn new(host_policy: HostPolicy) -> Self {
        Presets {
            answers: Answers::default(),
            consumer_secret: None,
            host_policy,
            loopback_port: recipe::DEFAULT_LOOPBACK_PORT,
            offer_loopback: true,
            defaults: Defaults::default(),
        }
    }
}

/// Values offered as prompt defaults (Enter accepts them). Only `--demo` sets most of them.
#[derive(Debug, Default)]
pub struct Defaults {
    pub login_url: Option<String>,
    pub app_name: Option<String>,
    pub contact_email: Option<String>,
    pub consumer_key: Option<String>,
    /// An empty hidden answer means this secret (the demo's; never shown).
    pub consumer_secret: Option<SecretString>,
    /// The Callback URL box's lines, offered one per prompt.
    pub callback_urls: Vec<String>,
    /// Scope values ticked at first (Setup's list starts with none).
    pub scopes: Vec<String>,
}

/// What the wizard produced: the validated app and the warnings met on the way.
#[derive(Debug)]
pub struct WizardOutcome {
    pub setup: AppSetup,
    pub warnings: Vec<String>,
}

/// The step headings, in Salesforce's order, with where each lives in Setup; the last is
/// this tool's own (the summary, then the OAuth check).
const STEPS: [(&str, &str); 8] = [
    (
        "Which org",
        "the org where you will create the app (Setup → My Domain shows its URL)",
    ),
    ("Basic Information", recipe::location::BASIC_INFO),
    ("Enable OAuth", recipe::location::ENABLE_OAUTH),
    ("Callback URL", recipe::location::CALLBACK),
    ("OAuth Scopes", recipe::location::SCOPES),
    ("Security", recipe::location::SECURITY),
    (
        "Create, then Consumer Key and Secret",
        recipe::location::CONSUMER_DETAILS,
    ),
    (
        "Summary and OAuth check",
        "in this terminal — the app as you entered it, then the checks against the org",
    ),
];

fn heading(p: &mut dyn Prompter, index: usize, total: usize) {
    if p.is_interactive() {
        let (title, place) = STEPS[index];
        p.say(&format!(
            "\n{} {title}\n  {}",
            console::style(format!("Step {} of {total}:", index + 1))
                .bold()
                .for_stderr(),
            console::style(format!("Where: {place}")).dim().for_stderr()
        ));
    }
}

/// The app's answers (steps 1 to 6), before the credentials.
struct AppPart {
    login: crate::salesforce::hosts::LoginHost,
    basics: org_steps::BasicInformation,
    callback_urls: Vec<String>,
    scopes: Vec<&'static recipe::Scope>,
    security: Vec<recipe::SecurityOption>,
}

/// Steps 1 to 6, in Salesforce's order. `total`: how many steps the run has in all.
fn app_steps(
    p: &mut dyn Prompter,
    presets: &Presets,
    total: usize,
    warnings: &mut Vec<String>,
) -> Result<AppPart, AppError> {
    if p.is_interactive() {
        p.say(&format!(
            "This walks you through {} for Webex, step by step, checking each answer before moving on. Ctrl-C at any time cancels; nothing is written until the end.",
            recipe::location::NEW_APP
        ));
    }
    heading(p, 0, total);
    let login = org_steps::org(p, presets)?;
    heading(p, 1, total);
    let basics = org_steps::basic_information(p, presets)?;
    heading(p, 2, total);
    oauth_steps::enable_oauth(p)?;
    heading(p, 3, total);
    let callback_urls = oauth_steps::callback_urls(p, presets, warnings)?;
    heading(p, 4, total);
    let scopes = oauth_steps::scopes(p, presets, warnings)?;
    heading(p, 5, total);
    let security = oauth_steps::security(p, presets)?;
    Ok(AppPart {
        login,
        basics,
        callback_urls,
        scopes,
        security,
    })
}

/// Runs every step and returns the validated app. Writes nothing anywhere.
pub fn run(p: &mut dyn Prompter, presets: Presets) -> Result<WizardOutcome, AppError> {
    let mut warnings = Vec::new();
    let total = STEPS.len();
    let app = app_steps(p, &presets, total, &mut warnings)?;
    heading(p, 6, total);
    let credentials = secrets_step::credentials(p, &presets, &mut warnings)?;
    heading(p, 7, total);
    let setup = AppSetup {
        login: app.login,
        app_name: app.basics.app_name,
        api_name: app.basics.api_name,
        contact_email: app.basics.contact_email,
        distribution_state: app.basics.distribution_state,
        oauth_enabled: true,
        callback_urls: app.callback_urls,
        scopes: app.scopes,
        security: app.security,
        credentials,
    };
    Ok(WizardOutcome { setup, warnings })
}

/// The app alone, as `metadata` needs it: steps 1 to 6, no credentials (they do not exist
/// before the app is created). The org comes back beside the app (the deploy logs in to it).
pub fn run_app(p: &mut dyn Prompter, presets: Presets) -> Result<AppOutcome, AppError> {
    let mut warnings = Vec::new();
    // Steps 1 to 6 are all there is: the files are written after the last.
    let app = app_steps(p, &presets, 6, &mut warnings)?;
    let spec = EcaSpec {
        label: app.basics.app_name,
        api_name: app.basics.api_name,
        contact_email: app.basics.contact_email,
        distribution_state: app.basics.distribution_state,
        callback_urls: app.callback_urls,
        scopes: app.scopes,
        security: app.security,
    };
    Ok(AppOutcome {
        login: app.login,
        spec,
        warnings,
    })
}

/// What [`run_app`] settled.
#[derive(Debug)]
pub struct AppOutcome {
    pub login: crate::salesforce::hosts::LoginHost,
    pub spec: EcaSpec,
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod tests;
