//! `init`: the wizard, then the OAuth proof, then storing the credentials, then the
//! Control Hub hand-off. Interactive and non-interactive runs share this one path; they
//! differ only in the prompter.

mod demo;
pub(crate) mod proof_ui;
mod secret_source;
mod store_step;

use std::sync::Arc;

use secrecy::SecretString;
use serde_json::{json, Value};

use secret_source::read_secret;
pub use secret_source::{refuse_secret_in_argv, take_secret_from_env};

use crate::app::{self, CommandResult, Failure};
use crate::cancel;
use crate::cli::{GlobalArgs, InitArgs, ProofArgs};
use crate::commands;
use crate::error::AppError;
use crate::oauth::browser::{BrowserError, BrowserOpener, SystemBrowser};
use crate::oauth::http::Http;
use crate::oauth::proof::{prove, ProofOptions, ProofReport};
use crate::output::{self, Printer};
use crate::prompt::{Prompter, RefusingPrompter, TerminalPrompter};
use crate::recipe;
use crate::salesforce::hosts::HostPolicy;
use crate::setup::AppSetup;
use crate::wizard::{self, summary, Presets};
use proof_ui::TerminalProofUi;

pub fn run(
    global: &GlobalArgs,
    args: InitArgs,
    printer: &Printer,
    warnings: &mut Vec<String>,
) -> CommandResult {
    cancel::set_message("Cancelled; nothing was written.");
    let interactive = app::interactive(global);
    let secret = read_secret(args.consumer_secret_stdin)?;
    let rt = app::runtime()?;
    let demo = if args.demo {
        Some(rt.block_on(demo::start(args.proof.callback_port))?)
    } else {
        None
    };
    // The login-based proof runs by default when a person is there; `--login` asks for it
    // in scripts (the browser step needs no terminal input).
    let login_wanted = args.login || (interactive && !args.no_login);
    let mut presets = presets(&args, secret, login_wanted);
    if let Some(demo) = &demo {
        demo.fill(&mut presets, interactive);
        printer.status(&demo.introduction());
    }

    let mut prompter: Box<dyn Prompter> = if interactive {
        Box::new(TerminalPrompter::new())
    } else {
        Box::new(RefusingPrompter { quiet: true })
    };
    // Where the credentials will go, settled before anything is asked: a missing keyring or
    // an existing profile should stop the run now, not after the sign-in.
    let will_store = demo.is_none() && (login_wanted || args.skip_check);
    let target = if will_store {
        let kind = commands::resolve_store_kind(global)?;
        Some(store_step::prepare(
            prompter.as_mut(),
            kind,
            &global.profile,
            args.force,
        )?)
    } else {
        None
    };
    let outcome = wizard::run(prompter.as_mut(), presets)?;
    if !interactive {
        // An interactive run said these as they came up.
        outcome.warnings.iter().for_each(|w| printer.warn(w));
    }
    warnings.extend(outcome.warnings);
    let setup = outcome.setup;
    printer.result(&format!("\n{}", summary::app_text(&setup)));

    let mut result = json!({
        "profile": global.profile,
        "app": summary::app_json(&setup),
        "checks": [],
        "identity": Value::Null,
        "stored": Value::Null,
    });

    // The OAuth proof: every check with its evidence, tokens revoked.
    let report = rt.block_on(run_proof(
        &setup,
        &args,
        interactive,
        login_wanted,
        demo.as_ref(),
        printer,
    ))?;
    warnings.extend(report.warnings.iter().cloned());
    result["checks"] = json!(report.checks);
    result["identity"] = json!(report.identity);
    result["proof"] = json!({
        "login": login_wanted,
        "round_trips": report.round_trips,
        "callback_to_report_ms": report.callback_to_report.as_millis() as u64,
    });
    if let Some(error) = report.exit_error() {
        return Err(Failure {
            error,
            partial: Some(result),
        });
    }

    // Storing: only what was proved, unless --skip-check says otherwise.
    if demo.is_some() {
        printer.result("\nDemo: nothing stored (the simulated org's credentials are throw-away). A real run stores them in your OS keyring.");
    } else if let Some(target) = &target {
        match store_step::store(&setup, target, login_wanted) {
            Ok(stored) => {
                printer.result(&stored_line(target, login_wanted));
                result["stored"] = stored;
            }
            Err(error) => {
                return Err(Failure {
                    error,
                    partial: Some(result),
                })
            }
        }
    } else {
        let why = "Not stored: the login-based OAuth proof did not run. Run again with --login (or interactively without --no-login), or pass --skip-check to store without it.";
        printer.warn(why);
        warnings.push(why.to_string());
    }
    printer.result(&format!("\n{}", summary::control_hub_text(&setup)));
    Ok(result)
}

/// Runs the proof (or, without a login, the no-login probes) and prints its report.
async fn run_proof(
    setup: &AppSetup,
    args: &InitArgs,
    interactive: bool,
    login: bool,
    demo: Option<&demo::Demo>,
    printer: &Printer,
) -> Result<ProofReport, AppError> {
    let browser = demo.map_or_else(
        || Arc::new(SystemBrowser) as Arc<dyn BrowserOpener>,
        |d| d.browser.clone(),
    );
    let mut opts = proof_options(&args.proof, interactive, login, browser)?;
    opts.allow_custom_host |= args.demo;
    printer.status(&format!(
        "\nChecking the app against {} …",
        setup.login.origin()
    ));
    let report = prove(setup, &opts, &mut TerminalProofUi::new(interactive)).await?;
    printer.result("\nOAuth check:");
    for check in &report.checks {
        printer.result(&output::check_line(check));
    }
    Ok(report)
}

fn stored_line(target: &store_step::StoreTarget, proved: bool) -> String {
    let caveat = if proved {
        ""
    } else {
        " Stored WITHOUT the OAuth proof (--skip-check)."
    };
    format!(
        "\nStored as profile `{}` in the {}.{caveat}",
        target.profile,
        target.kind.describe()
    )
}

/// The proof's options from the command line (shared by `init` and `verify --login`).
pub(crate) fn proof_options(
    proof: &ProofArgs,
    interactive: bool,
    login: bool,
    browser: Arc<dyn BrowserOpener>,
) -> Result<ProofOptions, AppError> {
    let mut opts = ProofOptions::new(Http::new()?, browser);
    opts.allow_custom_host = proof.allow_custom_host;
    opts.login = login;
    opts.login_timeout = proof.login_timeout;
    opts.paste = proof.paste;
    opts.interactive = interactive;
    opts.callback_port = proof.callback_port;
    if proof.no_browser {
        opts.browser = Arc::new(NoBrowser);
    }
    Ok(opts)
}

/// `--no-browser`: the URL is printed and nothing is opened, so the proof offers paste mode.
struct NoBrowser;

impl BrowserOpener for NoBrowser {
    fn open(&self, _url: &str) -> Result<(), BrowserError> {
        Err(BrowserError::NoBrowser)
    }
}

fn presets(args: &InitArgs, secret: Option<SecretString>, login_wanted: bool) -> Presets {
    let policy = if args.proof.allow_custom_host || args.demo {
        HostPolicy::AllowCustom
    } else {
        HostPolicy::Strict
    };
    let mut p = Presets::new(policy);
    p.login_url = args.login_url.clone();
    p.app_name = args.app_name.clone();
    p.api_name = args.api_name.clone();
    p.contact_email = args.contact_email.clone();
    p.distribution_state = args.distribution_state.clone();
    p.callback_urls = args.callback_urls.clone();
    p.scopes = args.scopes.clone();
    p.allow_extra_scopes = args.allow_extra_scopes;
    p.security = args.security.clone();
    p.consumer_key = args.consumer_key.clone();
    p.consumer_secret = secret;
    p.loopback_port = args
        .proof
        .callback_port
        .unwrap_or(recipe::DEFAULT_LOOPBACK_PORT);
    p.offer_loopback = login_wanted;
    p
}
