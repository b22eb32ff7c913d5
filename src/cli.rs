//! The command line: clap definitions only. Every wizard prompt has a flag and an
//! `SF_WEBEX_…` environment variable; the consumer secret deliberately has no value flag.
//!
//! `--help` groups the flags under headings in the wizard's order ([`heading`]) and ends
//! with examples ([`examples`]) and the exit codes. Every boolean variable takes what
//! clap's boolish parser takes (1/0, yes/no, on/off, true/false).

use std::ffi::OsStr;

use clap::builder::{BoolishValueParser, TypedValueParser};
use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

pub mod examples;

/// The help headings, in the order the wizard asks (clap lists headings in the order
/// their first flag is declared).
pub mod heading {
    pub const ORG: &str = "Org";
    pub const APP: &str = "App fields";
    pub const OAUTH: &str = "OAuth settings";
    pub const CREDENTIALS: &str = "Credentials";
    pub const PROOF: &str = "Proof";
    pub const FILES: &str = "Files";
    pub const STORE: &str = "Store";
    pub const OUTPUT: &str = "Output";
}

/// Whether a boolean variable's value means "on", exactly as clap reads it for the flag
/// (`main` looks at `SF_WEBEX_JSON` before parsing). `None`: not a boolean.
pub fn boolish(value: &OsStr) -> Option<bool> {
    BoolishValueParser::new()
        .parse_ref(&clap::Command::new("sf-webex-setup"), None, value)
        .ok()
}

/// Set up and prove the Salesforce External Client App that Webex Control Hub needs.
#[derive(Debug, Parser)]
#[command(name = "sf-webex-setup", version, after_help = examples::top(), arg_required_else_help = true, disable_help_flag = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes (listed last: Store, then Output).
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Which stored profile (one org or sandbox each)
    #[arg(
        long,
        global = true,
        env = "SF_WEBEX_PROFILE",
        default_value = "default",
        value_name = "NAME",
        help_heading = heading::STORE
    )]
    pub profile: String,
    // This platform's stores only: another's is exit 2 naming its platform.
    #[arg(long, global = true, env = "SF_WEBEX_STORE", value_name = "STORE",
          value_parser = crate::store::parse_store_flag, help = crate::store::STORE_FLAG_HELP,
          help_heading = heading::STORE)]
    pub store: Option<crate::store::StoreKind>,
    /// Print one JSON envelope on stdout instead of text (prompts, if any, stay on stderr)
    #[arg(long, global = true, env = "SF_WEBEX_JSON", value_parser = BoolishValueParser::new(), help_heading = heading::OUTPUT)]
    pub json: bool,
    /// Never prompt; a missing answer exits 2 naming its flag (also when stdin/stdout is not a terminal)
    #[arg(long, global = true, env = "SF_WEBEX_NON_INTERACTIVE", value_parser = BoolishValueParser::new(), help_heading = heading::OUTPUT)]
    pub non_interactive: bool,
    /// Show every check's evidence, not only a failing or undecided one's
    #[arg(short, long, global = true, env = "SF_WEBEX_VERBOSE", value_parser = BoolishValueParser::new(), help_heading = heading::OUTPUT)]
    pub verbose: bool,
    /// Print help (-h: a summary)
    #[arg(short, long, global = true, action = ArgAction::Help, help_heading = heading::OUTPUT)]
    pub help: Option<bool>,
}

#[derive(Debug, Subcommand)]
#[command(disable_help_flag = true)]
pub enum Command {
    /// Walk through the External Client App in Salesforce Setup, prove it, store the credentials
    #[command(after_help = examples::init(), disable_help_flag = true)]
    Init(Box<InitArgs>),
    /// Re-check the stored credentials against the org (same as `init --verify`)
    #[command(after_help = examples::verify(), disable_help_flag = true)]
    Verify(VerifyArgs),
    /// List stored profiles: org, store, when stored and last verified
    #[command(after_help = examples::status(), disable_help_flag = true)]
    Status,
    /// Put the stored consumer key, then the secret, on the clipboard for Webex Control Hub
    #[command(after_help = examples::handoff(), disable_help_flag = true)]
    Handoff {
        /// Without a clipboard (SSH), show them on this terminal after a confirmation
        #[arg(long, help_heading = heading::CREDENTIALS)]
        reveal: bool,
    },
    /// Delete a stored profile (asks first; --force when non-interactive)
    #[command(after_help = examples::remove(), disable_help_flag = true)]
    Remove {
        /// Delete without asking
        #[arg(long, help_heading = heading::STORE)]
        force: bool,
    },
    /// Ask the app's fields as `init` does, then write the app as metadata source for `sf project deploy` (no credentials)
    #[command(after_help = examples::metadata(), disable_help_flag = true)]
    Metadata(Box<MetadataArgs>),
    /// Print the completion script for a shell (see the README for where each shell loads it)
    #[command(after_help = examples::completions(), disable_help_flag = true)]
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Print the man page (roff), or write one page per command into a folder
    #[command(after_help = examples::man(), disable_help_flag = true)]
    Man {
        /// Write sf-webex-setup.1, sf-webex-setup-init.1, … into DIR instead
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
    /// Run the simulated Salesforce org on loopback until Ctrl-C (demos, benchmarks)
    #[command(hide = true, disable_help_flag = true)]
    Simulate {
        /// Port on 127.0.0.1 (0 = any free port)
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Added to every response (benchmarks), e.g. 100ms
        #[arg(long, default_value = "0s", value_parser = parse_duration, value_name = "DURATION")]
        latency: std::time::Duration,
    },
}

/// The shells `completions` writes a script for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// Options of the OAuth proof, shared by `init` and `verify --login`.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = heading::PROOF)]
pub struct ProofArgs {
    /// Port of the loopback callback (http://localhost:PORT/OauthRedirect) the OAuth check listens on
    #[arg(long, env = "SF_WEBEX_CALLBACK_PORT", value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub callback_port: Option<u16>,
    /// How long to wait for the browser login, e.g. 5m, 90s
    #[arg(long, env = "SF_WEBEX_LOGIN_TIMEOUT", value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub login_timeout: std::time::Duration,
    /// Print the login URL but do not open a browser
    #[arg(long, env = "SF_WEBEX_NO_BROWSER", value_parser = BoolishValueParser::new())]
    pub no_browser: bool,
    /// Paste the address the browser ended on instead of listening for it (SSH, WSL, containers)
    #[arg(long, env = "SF_WEBEX_PASTE", value_parser = BoolishValueParser::new())]
    pub paste: bool,
    /// Allow a login host that is not Salesforce (tests, other OAuth servers); http only on loopback
    #[arg(long, env = "SF_WEBEX_ALLOW_CUSTOM_HOST", value_parser = BoolishValueParser::new())]
    pub allow_custom_host: bool,
    /// If the app is refused as not yet propagated (a new or edited app takes up to 10 minutes), re-check for this long instead of failing, e.g. 10m
    #[arg(long, env = "SF_WEBEX_WAIT_FOR_PROPAGATION", value_name = "DURATION", value_parser = parse_duration)]
    pub wait_for_propagation: Option<std::time::Duration>,
    /// How often to re-check while waiting for propagation (tests)
    #[arg(long, hide = true, env = "SF_WEBEX_PROPAGATION_POLL", default_value = "30s", value_parser = parse_duration)]
    pub propagation_poll: std::time::Duration,
}

/// The app's answers, shared by `init` and `metadata`: every field of Setup's New External
/// Client App form, in its order.
#[derive(Debug, Args)]
pub struct AppArgs {
    /// Which org: production, sandbox, or your My Domain URL (`https://NAME.my.salesforce.com`)
    #[arg(long, env = "SF_WEBEX_LOGIN_URL", value_name = "URL", help_heading = heading::ORG)]
    pub login_url: Option<String>,
    /// External Client App Name, as entered in Setup
    #[arg(long, env = "SF_WEBEX_APP_NAME", value_name = "NAME", help_heading = heading::APP)]
    pub app_name: Option<String>,
    /// API Name, as entered in Setup (default: derived from the app name)
    #[arg(long, env = "SF_WEBEX_API_NAME", value_name = "NAME", help_heading = heading::APP)]
    pub api_name: Option<String>,
    /// Contact Email, as entered in Setup
    #[arg(long, env = "SF_WEBEX_CONTACT_EMAIL", value_name = "EMAIL", help_heading = heading::APP)]
    pub contact_email: Option<String>,
    /// Distribution State, as selected in Setup (Webex needs `local`)
    #[arg(long, env = "SF_WEBEX_DISTRIBUTION_STATE", value_name = "STATE", help_heading = heading::APP)]
    pub distribution_state: Option<String>,
    /// A line of the Callback URL box (repeat it, or give one value with newlines)
    #[arg(
        long = "callback-url",
        env = "SF_WEBEX_CALLBACK_URL",
        value_name = "URL",
        help_heading = heading::OAUTH
    )]
    pub callback_urls: Vec<String>,
    /// A selected OAuth scope value, e.g. api (repeat it; the env variable takes a comma list)
    #[arg(
        long = "scope",
        env = "SF_WEBEX_SCOPE",
        value_name = "SCOPE",
        value_delimiter = ',',
        help_heading = heading::OAUTH
    )]
    pub scopes: Vec<String>,
    /// Accept scopes beyond those Webex needs (least privilege says don't)
    #[arg(long, env = "SF_WEBEX_ALLOW_EXTRA_SCOPES", value_parser = BoolishValueParser::new(), help_heading = heading::OAUTH)]
    pub allow_extra_scopes: bool,
    /// A ticked Security option: secret-web-server-flow, secret-refresh-token-flow, pkce (repeat it)
    #[arg(
        long = "security",
        env = "SF_WEBEX_SECURITY",
        value_name = "OPTION",
        value_delimiter = ',',
        help_heading = heading::OAUTH
    )]
    pub security: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Rehearse everything against a simulated org on loopback (no Salesforce needed)
    #[arg(long, help_heading = heading::ORG)]
    pub demo: bool,
    /// Start from the answers saved when this profile's last check failed or was cancelled (only the secret is asked again)
    #[arg(long, conflicts_with = "demo", help_heading = heading::ORG)]
    pub resume: bool,

    #[command(flatten)]
    pub app: AppArgs,

    /// Consumer Key, from the Consumer Details page
    #[arg(long, env = "SF_WEBEX_CONSUMER_KEY", value_name = "KEY", help_heading = heading::CREDENTIALS)]
    pub consumer_key: Option<String>,
    /// Read the Consumer Secret from stdin (otherwise: hidden prompt, or SF_WEBEX_CONSUMER_SECRET)
    #[arg(long, help_heading = heading::CREDENTIALS)]
    pub consumer_secret_stdin: bool,

    /// Re-check the stored credentials instead of setting up (same as `verify`)
    #[arg(long, help_heading = heading::PROOF)]
    pub verify: bool,
    /// Run the login-based OAuth proof (default in interactive mode)
    #[arg(long, conflicts_with = "no_login", help_heading = heading::PROOF)]
    pub login: bool,
    /// Skip the login-based OAuth proof
    #[arg(long, help_heading = heading::PROOF)]
    pub no_login: bool,

    /// Store the credentials even though the OAuth proof did not run (recorded in the entry)
    #[arg(long, help_heading = heading::STORE)]
    pub skip_check: bool,
    /// Overwrite an existing stored profile without asking
    #[arg(long, help_heading = heading::STORE)]
    pub force: bool,

    #[command(flatten)]
    pub proof: ProofArgs,
}

#[derive(Debug, Args)]
pub struct MetadataArgs {
    #[command(flatten)]
    pub app: AppArgs,
    /// Allow a login host that is not Salesforce (tests, other OAuth servers)
    #[arg(long, env = "SF_WEBEX_ALLOW_CUSTOM_HOST", value_parser = BoolishValueParser::new(), help_heading = heading::ORG)]
    pub allow_custom_host: bool,
    /// The folder to write the Salesforce DX project into (created if missing; must be empty unless --force)
    #[arg(long, value_name = "DIR", help_heading = heading::FILES)]
    pub out: std::path::PathBuf,
    /// Replace the app's files in a folder that is not empty (other files are left alone)
    #[arg(long, help_heading = heading::FILES)]
    pub force: bool,
    /// The sf CLI alias to name in the printed deploy command
    #[arg(long, value_name = "ALIAS", help_heading = heading::FILES)]
    pub target_org: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also run the full login-based OAuth proof with the stored credentials
    #[arg(long, help_heading = heading::PROOF)]
    pub login: bool,
    /// Re-check every stored profile, concurrently (no sign-in); exit non-zero if any failed
    #[arg(long, conflicts_with = "login", help_heading = heading::STORE)]
    pub all: bool,
    /// With --all: how many profiles to check at once
    #[arg(long, requires = "all", help_heading = heading::STORE, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Time limit for the whole re-check, e.g. 30s
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION", help_heading = heading::PROOF)]
    pub timeout: std::time::Duration,
    #[command(flatten)]
    pub proof: ProofArgs,
}

/// Why a duration was not understood.
#[derive(Debug, thiserror::Error)]
#[error("{0} (examples: 90s, 5m, or a bare number of seconds)")]
pub struct DurationError(humantime::DurationError);

/// A duration such as `90s` or `5m`; a bare number is seconds.
fn parse_duration(s: &str) -> Result<std::time::Duration, DurationError> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(std::time::Duration::from_secs(secs));
    }
    humantime::parse_duration(s).map_err(DurationError)
}

#[cfg(test)]
mod tests;
