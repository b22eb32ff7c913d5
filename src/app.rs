//! The command line mapped onto the commands: clap's types stop here. Each clap struct is
//! destructured completely, so a new flag that nobody handles is a compile error.

use std::time::Duration;

use secrecy::SecretString;

mod manual;

use crate::cli::{Cli, Command, GlobalArgs, InitArgs, ProofArgs, StoreChoice, VerifyArgs};
use crate::commands::init::{InitOptions, ProofFlags};
use crate::commands::{self, verify, Context, Globals, Outcome};
use crate::store::StoreKind;
use crate::wizard::Answers;

/// How long `init --verify` may take in all (`verify --timeout` changes it).
const VERIFY_DEADLINE: Duration = Duration::from_secs(30);

/// The options every command takes. `interactive`: whether a person can answer prompts
/// (the caller knows the terminals).
pub fn globals(global: &GlobalArgs, interactive: bool) -> Globals {
    let GlobalArgs {
        json,
        non_interactive,
        verbose,
        profile,
        store,
        help: _,
    } = global;
    Globals {
        json: *json,
        verbose: *verbose,
        interactive: interactive && !non_interactive,
        profile: profile.clone(),
        store: store.map(store_kind),
    }
}

fn store_kind(choice: StoreChoice) -> StoreKind {
    match choice {
        StoreChoice::SecretService => StoreKind::SecretService,
        StoreChoice::Keyutils => StoreKind::Keyutils,
    }
}

/// Runs the parsed command with the real parts.
pub fn run(cli: Cli, interactive: bool, env_secret: Option<SecretString>) -> Outcome {
    let mut ctx = Context::system(globals(&cli.global, interactive), env_secret);
    run_with(&mut ctx, cli.command)
}

/// Runs `command` in `ctx` (tests give a context with fake parts).
pub fn run_with(ctx: &mut Context, command: Command) -> Outcome {
    let mut warnings = Vec::new();
    let result = match command {
        Command::Init(args) if args.verify => {
            let args = verify::VerifyArgs {
                login: args.login,
                timeout: VERIFY_DEADLINE,
                proof: proof_flags(args.proof),
            };
            verify::run(ctx, &args, &mut warnings)
        }
        Command::Init(args) => commands::init::run(ctx, init_options(*args), &mut warnings),
        Command::Verify(args) => {
            let VerifyArgs {
                login,
                timeout,
                proof,
            } = args;
            let args = verify::VerifyArgs {
                login,
                timeout,
                proof: proof_flags(proof),
            };
            verify::run(ctx, &args, &mut warnings)
        }
        Command::Status => commands::status::run(ctx, &mut warnings),
        Command::Remove { force } => commands::remove::run(ctx, force),
        Command::Simulate { port } => commands::simulate::run(ctx, port),
        Command::Completions { shell } => manual::completions(ctx, shell),
        Command::Man { dir } => manual::man(ctx, dir.as_deref()),
    };
    Outcome::new(result, warnings)
}

fn init_options(args: InitArgs) -> InitOptions {
    let InitArgs {
        verify: _,
        login,
        no_login,
        demo,
        login_url,
        app_name,
        api_name,
        contact_email,
        distribution_state,
        callback_urls,
        scopes,
        allow_extra_scopes,
        security,
        consumer_key,
        consumer_secret_stdin,
        skip_check,
        force,
        proof,
    } = args;
    InitOptions {
        login,
        no_login,
        demo,
        answers: Answers {
            login_url,
            app_name,
            api_name,
            contact_email,
            distribution_state,
            callback_urls,
            scopes,
            allow_extra_scopes,
            security,
            consumer_key,
        },
        consumer_secret_stdin,
        skip_check,
        force,
        proof: proof_flags(proof),
    }
}

fn proof_flags(args: ProofArgs) -> ProofFlags {
    let ProofArgs {
        callback_port,
        login_timeout,
        no_browser,
        paste,
        allow_custom_host,
    } = args;
    ProofFlags {
        callback_port,
        login_timeout,
        no_browser,
        paste,
        allow_custom_host,
    }
}
