//! The command line mapped onto the commands: clap's types stop here. Each clap struct is
//! destructured completely, so a new flag that nobody handles is a compile error.

use std::time::Duration;

use secrecy::SecretString;

mod manual;

use crate::cli::{
    AppArgs, Cli, Command, GlobalArgs, InitArgs, MetadataArgs, ProofArgs, VerifyArgs,
};
use crate::commands::context::keep_options;
use crate::commands::init::{InitOptions, ProofFlags};
use crate::commands::{self, verify, Context, Globals, Outcome};
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
    let mut kept = Vec::new();
    if profile != crate::store::DEFAULT_PROFILE {
        kept.extend(["--profile".to_string(), profile.clone()]);
    }
    if let Some(store) = store {
        kept.extend(["--store".to_string(), store.flag_value().into()]);
    }
    Globals {
        json: *json,
        verbose: *verbose,
        interactive: interactive && !non_interactive,
        profile: profile.clone(),
        store: *store,
        kept,
    }
}

/// What a suggested command must keep of `command`'s own options: where the org is, the
/// demo, and how the sign-in is done.
fn kept_options(command: &Command) -> Vec<String> {
    let (proof, login_url, demo) = match command {
        Command::Init(args) => (&args.proof, args.app.login_url.as_deref(), args.demo),
        Command::Verify(args) => (&args.proof, None, false),
        _ => return Vec::new(),
    };
    let mut kept = Vec::new();
    let mut flag = |on: bool, name: &str| {
        if on {
            kept.push(name.to_string());
        }
    };
    flag(demo, "--demo");
    flag(proof.allow_custom_host, "--allow-custom-host");
    flag(proof.paste, "--paste");
    flag(proof.no_browser, "--no-browser");
    if let Some(wait) = proof.wait_for_propagation {
        kept.extend([
            "--wait-for-propagation".to_string(),
            humantime::format_duration(wait).to_string(),
        ]);
    }
    if let Some(url) = login_url {
        kept.extend(["--login-url".to_string(), url.to_string()]);
    }
    if let Some(port) = proof.callback_port {
        kept.extend(["--callback-port".to_string(), port.to_string()]);
    }
    kept
}

/// Runs the parsed command with the real parts.
pub fn run(cli: Cli, interactive: bool, env_secret: Option<SecretString>) -> Outcome {
    let mut globals = globals(&cli.global, interactive);
    globals.kept.extend(kept_options(&cli.command));
    let mut ctx = Context::system(globals, env_secret);
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
                all,
                jobs,
                timeout,
                proof,
            } = args;
            let args = verify::VerifyArgs {
                login,
                timeout,
                proof: proof_flags(proof),
            };
            if all {
                commands::verify_all::run(ctx, &args, jobs.into(), &mut warnings)
            } else {
                verify::run(ctx, &args, &mut warnings)
            }
        }
        Command::Status => commands::status::run(ctx, &mut warnings),
        Command::Remove { force } => commands::remove::run(ctx, force),
        Command::Handoff { reveal } => commands::handoff::run(ctx, reveal),
        Command::Simulate { port, latency } => commands::simulate::run(ctx, port, latency),
        Command::Metadata(args) => {
            commands::metadata::run(ctx, metadata_options(*args), &mut warnings)
        }
        Command::Completions { shell } => manual::completions(ctx, shell),
        Command::Man { dir } => manual::man(ctx, dir.as_deref()),
    };
    let mut outcome = Outcome::new(result, warnings);
    // Every suggested command keeps the options the admin gave.
    let kept = &ctx.globals.kept;
    if let Some(fix) = outcome.error.as_mut().and_then(|e| e.fix.as_mut()) {
        *fix = keep_options(fix, kept);
    }
    for w in &mut outcome.warnings {
        *w = keep_options(w, kept);
    }
    outcome
}

fn init_options(args: InitArgs) -> InitOptions {
    let InitArgs {
        verify: _,
        login,
        no_login,
        demo,
        resume,
        app,
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
        resume,
        answers: answers(app, consumer_key),
        consumer_secret_stdin,
        skip_check,
        force,
        proof: proof_flags(proof),
    }
}

/// The wizard's answers from the app's flags (and, for `init`, the key).
fn answers(app: AppArgs, consumer_key: Option<String>) -> Answers {
    let AppArgs {
        login_url,
        app_name,
        api_name,
        contact_email,
        distribution_state,
        callback_urls,
        scopes,
        allow_extra_scopes,
        security,
    } = app;
    Answers {
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
    }
}

fn metadata_options(args: MetadataArgs) -> commands::metadata::MetadataOptions {
    let MetadataArgs {
        app,
        allow_custom_host,
        out,
        force,
        target_org,
    } = args;
    commands::metadata::MetadataOptions {
        answers: answers(app, None),
        allow_custom_host,
        out,
        force,
        target_org,
    }
}

fn proof_flags(args: ProofArgs) -> ProofFlags {
    let ProofArgs {
        callback_port,
        login_timeout,
        no_browser,
        paste,
        allow_custom_host,
        wait_for_propagation,
        propagation_poll,
    } = args;
    ProofFlags {
        callback_port,
        login_timeout,
        no_browser,
        paste,
        allow_custom_host,
        wait_for_propagation,
        propagation_poll,
    }
}
