//! The command line: clap definitions only. Every wizard prompt has a flag and an
//! `SF_WEBEX_…` environment variable; the consumer secret deliberately has no value flag.

use clap::{Args, Parser, Subcommand};

use crate::error::exit_codes_help;

/// Set up and prove the Salesforce External Client App that Webex Control Hub needs.
#[derive(Debug, Parser)]
#[command(name = "sf-webex-setup", version, after_help = exit_codes_help(), arg_required_else_help = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print one JSON envelope on stdout instead of text (prompts, if any, stay on stderr)
    #[arg(long, global = true, env = "SF_WEBEX_JSON")]
    pub json: bool,
    /// Never prompt; a missing answer exits 2 naming its flag (also when stdin/stdout is not a terminal)
    #[arg(long, global = true, env = "SF_WEBEX_NON_INTERACTIVE")]
    pub non_interactive: bool,
    /// Which stored profile (one org or sandbox each)
    #[arg(
        long,
        global = true,
        env = "SF_WEBEX_PROFILE",
        default_value = "default",
        value_name = "NAME"
    )]
    pub profile: String,
    // This platform's stores only: another's is exit 2 naming its platform.
    #[arg(long, global = true, env = "SF_WEBEX_STORE", value_name = "STORE",
          value_parser = crate::store::parse_store_flag, help = crate::store::STORE_FLAG_HELP)]
    pub store: Option<crate::store::StoreKind>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk through the External Client App in Salesforce Setup, prove it, store the credentials
    #[command(after_help = exit_codes_help())]
    Init(Box<InitArgs>),
    /// Re-check the stored credentials against the org (same as `init --verify`)
    #[command(after_help = exit_codes_help())]
    Verify(VerifyArgs),
    /// List stored profiles: org, store, when stored and last verified
    #[command(after_help = exit_codes_help())]
    Status,
    /// Put the stored consumer key, then the secret, on the clipboard for Webex Control Hub
    #[command(after_help = exit_codes_help())]
    Handoff {
        /// Without a clipboard (SSH), show them on this terminal after a confirmation
        #[arg(long)]
        reveal: bool,
    },
    /// Delete a stored profile (asks first; --force when non-interactive)
    #[command(after_help = exit_codes_help())]
    Remove {
        /// Delete without asking
        #[arg(long)]
        force: bool,
    },
    /// Run the simulated Salesforce org on loopback until Ctrl-C (demos, benchmarks)
    #[command(hide = true)]
    Simulate {
        /// Port on 127.0.0.1 (0 = any free port)
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Added to every response (benchmarks), e.g. 100ms
        #[arg(long, default_value = "0s", value_parser = parse_duration)]
        latency: std::time::Duration,
    },
}

/// Options of the OAuth proof, shared by `init` and `verify --login`.
#[derive(Debug, Args, Clone)]
pub struct ProofArgs {
    /// Port of the loopback callback (http://localhost:PORT/OauthRedirect) the OAuth check listens on
    #[arg(long, env = "SF_WEBEX_CALLBACK_PORT", value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub callback_port: Option<u16>,
    /// How long to wait for the browser login, e.g. 5m, 90s
    #[arg(long, env = "SF_WEBEX_LOGIN_TIMEOUT", value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub login_timeout: std::time::Duration,
    /// Print the login URL but do not open a browser
    #[arg(long, env = "SF_WEBEX_NO_BROWSER")]
    pub no_browser: bool,
    /// Paste the address the browser ended on instead of listening for it (SSH, WSL, containers)
    #[arg(long, env = "SF_WEBEX_PASTE")]
    pub paste: bool,
    /// Allow a login host that is not Salesforce (tests, other OAuth servers); http only on loopback
    #[arg(long, env = "SF_WEBEX_ALLOW_CUSTOM_HOST")]
    pub allow_custom_host: bool,
    /// If the app is refused as not yet propagated (a new or edited app takes up to 10 minutes), re-check for this long instead of failing, e.g. 10m
    #[arg(long, env = "SF_WEBEX_WAIT_FOR_PROPAGATION", value_name = "DURATION", value_parser = parse_duration)]
    pub wait_for_propagation: Option<std::time::Duration>,
    /// How often to re-check while waiting for propagation (tests)
    #[arg(long, hide = true, env = "SF_WEBEX_PROPAGATION_POLL", default_value = "30s", value_parser = parse_duration)]
    pub propagation_poll: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Re-check the stored credentials instead of setting up (same as `verify`)
    #[arg(long)]
    pub verify: bool,
    /// Run the login-based OAuth proof (default in interactive mode)
    #[arg(long, conflicts_with = "no_login")]
    pub login: bool,
    /// Skip the login-based OAuth proof
    #[arg(long)]
    pub no_login: bool,
    /// Rehearse everything against a simulated org on loopback (no Salesforce needed)
    #[arg(long)]
    pub demo: bool,
    /// Start from the answers saved when this profile's last check failed or was cancelled (only the secret is asked again)
    #[arg(long, conflicts_with = "demo")]
    pub resume: bool,

    /// Which org: production, sandbox, or your My Domain URL (https://NAME.my.salesforce.com)
    #[arg(long, env = "SF_WEBEX_LOGIN_URL", value_name = "URL")]
    pub login_url: Option<String>,
    /// External Client App Name, as entered in Setup
    #[arg(long, env = "SF_WEBEX_APP_NAME", value_name = "NAME")]
    pub app_name: Option<String>,
    /// API Name, as entered in Setup (default: derived from the app name)
    #[arg(long, env = "SF_WEBEX_API_NAME", value_name = "NAME")]
    pub api_name: Option<String>,
    /// Contact Email, as entered in Setup
    #[arg(long, env = "SF_WEBEX_CONTACT_EMAIL", value_name = "EMAIL")]
    pub contact_email: Option<String>,
    /// Distribution State, as selected in Setup (Webex needs `local`)
    #[arg(long, env = "SF_WEBEX_DISTRIBUTION_STATE", value_name = "STATE")]
    pub distribution_state: Option<String>,
    /// A line of the Callback URL box (repeat it, or give one value with newlines)
    #[arg(
        long = "callback-url",
        env = "SF_WEBEX_CALLBACK_URL",
        value_name = "URL"
    )]
    pub callback_urls: Vec<String>,
    /// A selected OAuth scope value, e.g. api (repeat it; the env variable takes a comma list)
    #[arg(
        long = "scope",
        env = "SF_WEBEX_SCOPE",
        value_name = "SCOPE",
        value_delimiter = ','
    )]
    pub scopes: Vec<String>,
    /// Accept scopes beyond those Webex needs (least privilege says don't)
    #[arg(long, env = "SF_WEBEX_ALLOW_EXTRA_SCOPES")]
    pub allow_extra_scopes: bool,
    /// A ticked Security option: secret-web-server-flow, secret-refresh-token-flow, pkce (repeat it)
    #[arg(
        long = "security",
        env = "SF_WEBEX_SECURITY",
        value_name = "OPTION",
        value_delimiter = ','
    )]
    pub security: Vec<String>,
    /// Consumer Key, from the Consumer Details page
    #[arg(long, env = "SF_WEBEX_CONSUMER_KEY", value_name = "KEY")]
    pub consumer_key: Option<String>,
    /// Read the Consumer Secret from stdin (otherwise: hidden prompt, or SF_WEBEX_CONSUMER_SECRET)
    #[arg(long)]
    pub consumer_secret_stdin: bool,

    /// Store the credentials even though the OAuth proof did not run (recorded in the entry)
    #[arg(long)]
    pub skip_check: bool,
    /// Overwrite an existing stored profile without asking
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub proof: ProofArgs,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also run the full login-based OAuth proof with the stored credentials
    #[arg(long)]
    pub login: bool,
    /// Re-check every stored profile, concurrently (no sign-in); exit non-zero if any failed
    #[arg(long, conflicts_with = "login")]
    pub all: bool,
    /// With --all: how many profiles to check at once
    #[arg(long, requires = "all", value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Time limit for the whole re-check, e.g. 30s
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
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
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn callback_urls_and_scopes_repeat() {
        let cli = Cli::try_parse_from([
            "sf-webex-setup",
            "init",
            "--callback-url",
            "a",
            "--callback-url",
            "b",
            "--scope",
            "api,web",
            "--scope",
            "refresh_token",
        ])
        .unwrap();
        let Command::Init(init) = cli.command else {
            panic!("not init")
        };
        assert_eq!(init.callback_urls, ["a", "b"]);
        assert_eq!(init.scopes, ["api", "web", "refresh_token"]);
    }

    #[test]
    fn help_documents_every_exit_code() {
        let help = Cli::command().render_long_help().to_string();
        for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "130 "] {
            assert!(
                help.contains(&format!("  {code}")),
                "exit code {code} missing from --help"
            );
        }
    }

    #[test]
    fn login_and_no_login_conflict() {
        assert!(Cli::try_parse_from(["sf-webex-setup", "init", "--login", "--no-login"]).is_err());
    }
}
