//! `init`: the wizard, then the OAuth proof, then storing the credentials, then the
//! Control Hub hand-off. Interactive and non-interactive runs share this one path; they
//! differ only in the prompter.

mod demo;
pub mod draft;
pub(crate) mod proof_ui;
mod resume;
mod secret_source;
mod store_step;

use serde_json::{json, Value};

pub use secret_source::{refuse_secret_in_argv, take_secret_from_env, SECRET_ENV};

use super::proof_flags::proof_options;
pub use super::proof_flags::ProofFlags;
use super::{CommandResult, Context, Failure};
use crate::cancel;
use crate::error::AppError;
use crate::metadata::EcaSpec;
use crate::output;
use crate::proof::{prove, ProofOptions, ProofTarget};
use crate::recipe;
use crate::report::Report;
use crate::salesforce::hosts::HostPolicy;
use crate::setup::AppSetup;
use crate::wizard::{self, summary, Answers, Presets};
use proof_ui::TerminalProofUi;

/// Everything `init` was told on the command line.
#[derive(Clone, Debug)]
pub struct InitOptions {
    /// `--login`: run the login-based proof even without a terminal.
    pub login: bool,
    /// `--no-login`: skip it.
    pub no_login: bool,
    /// `--demo`: rehearse against the simulated org.
    pub demo: bool,
    /// `--resume`: start from the profile's saved answers.
    pub resume: bool,
    /// The answers given as flags or environment variables.
    pub answers: Answers,
    /// `--consumer-secret-stdin`.
    pub consumer_secret_stdin: bool,
    /// `--skip-check`: store even though the proof did not run.
    pub skip_check: bool,
    /// `--force`: replace a stored profile without asking.
    pub force: bool,
    pub proof: ProofFlags,
}

pub fn run(ctx: &mut Context, opts: InitOptions, warnings: &mut Vec<String>) -> CommandResult {
    cancel::set_message("Cancelled; nothing was written.");
    let rt = ctx.runtime()?;
    let plan = plan(ctx, &opts, &rt)?;
    let Plan {
        presets,
        demo,
        login_wanted,
        target,
    } = plan;
    let outcome = wizard::run(ctx.prompter.as_mut(), presets)?;
    if !ctx.globals.interactive {
        // An interactive run said these as they came up.
        outcome.warnings.iter().for_each(|w| ctx.printer.warn(w));
    }
    warnings.extend(outcome.warnings);
    let setup = outcome.setup;
    ctx.printer
        .result(&format!("\n{}", summary::app_text(&setup)));
    // From here on a failed or cancelled proof keeps the answers (never the secret).
    let drafts = draft::drafts_dir(&ctx.index_path()?);
    if demo.is_none() {
        draft::save(&drafts, &draft::Draft::of(&ctx.globals.profile, &setup))?;
        cancel::set_message(format!(
            "Cancelled; nothing was stored. Your answers are kept: `{}` asks only for the secret.",
            ctx.globals.command("init --resume")
        ));
    }
    let mut result = json!({
        "profile": ctx.globals.profile,
        "app": summary::app_json(&setup),
        "stored": Value::Null,
    });

    // The OAuth proof: every check with its evidence, tokens revoked.
    let mut proof = proof_options(ctx, &opts.proof, ctx.globals.interactive, login_wanted)?;
    proof.allow_custom_host |= opts.demo;
    if demo.is_none() {
        // The draft saved above makes the retry ask only for the secret.
        proof.retry_command = ctx.globals.command("init --resume");
    }
    if let Some(demo) = demo.as_ref().filter(|_| !opts.proof.no_browser) {
        proof.browser = demo.browser.clone();
    }
    let report = rt.block_on(run_proof(ctx, &setup, &proof, warnings))?;
    record_proof(&mut result, &report, login_wanted);
    if let Some(error) = report.exit_error() {
        return Err(Failure {
            error,
            partial: Some(result),
        });
    }
    if demo.is_some() {
        ctx.printer.result("\nDemo: nothing stored (the simulated org's credentials are throw-away). A real run stores them in your OS keyring.");
        ctx.printer
            .result(&format!("\n{}", summary::control_hub_text(&setup, false)));
        return Ok(result);
    }
    result["stored"] =
        keep(ctx, &setup, target.as_ref(), login_wanted, warnings).map_err(|error| Failure {
            error,
            partial: Some(result.clone()),
        })?;
    // Checked but not stored: nothing to hand off yet (the warning said why).
    if target.is_some() {
        draft::remove(&drafts, &ctx.globals.profile)?;
        ctx.printer
            .result(&format!("\n{}", summary::control_hub_text(&setup, true)));
        offer_hand_off(ctx, &setup)?;
    }
    Ok(result)
}

/// With a person there, offers the hand-off right away (the secret is at hand now).
fn offer_hand_off(ctx: &mut Context, setup: &AppSetup) -> Result<(), AppError> {
    if !ctx.globals.interactive {
        return Ok(());
    }
    let q = crate::prompt::Question {
        prompt: "Put the key, then the secret, on the clipboard for Control Hub?",
        flag: "",
        env: "",
    };
    if !ctx
        .prompter
        .confirm(&q, true)
        .map_err(|_| AppError::cancelled())?
    {
        return Ok(());
    }
    match super::handoff::hand_off(ctx, &setup.credentials, false) {
        // Stored already: a hand-off that could not happen does not fail the run.
        Err(failure) if failure.error.code != crate::error::ErrorCode::Cancelled => {
            ctx.printer.warn(&failure.error.to_string());
            Ok(())
        }
        Err(failure) => Err(failure.error),
        Ok(_) => Ok(()),
    }
}

/// The proof's part of the result: `checks`, `identity` and `proof`.
fn record_proof(result: &mut Value, report: &Report, login: bool) {
    result["checks"] = json!(report.checks);
    result["identity"] = json!(report.identity);
    result["proof"] = json!({
        "login": login,
        "round_trips": report.round_trips,
        "callback_to_report_ms": report.callback_to_report.as_millis() as u64,
    });
}

/// What the run settled before the first question.
struct Plan {
    presets: Presets,
    demo: Option<demo::Demo>,
    login_wanted: bool,
    /// Where the credentials will go (`None`: nothing will be stored).
    target: Option<store_step::StoreTarget>,
}

/// The secret, the demo org, whether the proof signs in, and — before anything is asked —
/// where the credentials will go: a missing keyring or an existing profile should stop the
/// run now, not after the sign-in.
fn plan(
    ctx: &mut Context,
    opts: &InitOptions,
    rt: &tokio::runtime::Runtime,
) -> Result<Plan, AppError> {
    let secret = secret_source::read_secret(opts.consumer_secret_stdin, ctx.env_secret.take())?;
    let demo = if opts.demo {
        Some(rt.block_on(demo::start(opts.proof.callback_port))?)
    } else {
        None
    };
    // The login-based proof runs by default when a person is there; `--login` asks for it
    // in scripts (the browser step needs no terminal input).
    let login_wanted = opts.login || (ctx.globals.interactive && !opts.no_login);
    let mut presets = presets(opts, secret, login_wanted);
    if opts.resume {
        presets.answers = resume::answers(ctx, &opts.answers)?;
    }
    if let Some(demo) = &demo {
        demo.fill(&mut presets, ctx.globals.interactive);
        ctx.printer
            .status(&demo.introduction(ctx.globals.interactive, login_wanted));
    }
    let will_store = demo.is_none() && (login_wanted || opts.skip_check);
    let target = if will_store {
        Some(store_step::prepare(ctx, opts.force)?)
    } else {
        None
    };
    Ok(Plan {
        presets,
        demo,
        login_wanted,
        target,
    })
}

/// Stores what was proved (or, with `--skip-check`, what was not), and returns the
/// `stored` object of the result; without a target, says why nothing was stored.
fn keep(
    ctx: &Context,
    setup: &AppSetup,
    target: Option<&store_step::StoreTarget>,
    proved: bool,
    warnings: &mut Vec<String>,
) -> Result<Value, AppError> {
    let Some(target) = target else {
        let why = "Checked, not stored: the login-based OAuth proof did not run (--no-login, or no terminal without --login), and only a proved app is stored, so Webex Control Hub is not ready yet. Run again with --login (or interactively without --no-login), or pass --skip-check to store without the proof.";
        ctx.printer.warn(why);
        warnings.push(why.to_string());
        return Ok(Value::Null);
    };
    let stored = store_step::store(ctx, setup, target, proved)?;
    ctx.printer.result(&stored_line(target, proved));
    Ok(stored)
}

/// Runs the proof (or, without a login, the no-login probes) and prints its report.
/// Every warning the proof showed goes into `warnings` (the envelope's), also when it then
/// fails.
async fn run_proof(
    ctx: &Context,
    setup: &AppSetup,
    opts: &ProofOptions,
    warnings: &mut Vec<String>,
) -> Result<Report, AppError> {
    ctx.printer.status(&format!(
        "\nChecking the app against {} …",
        setup.login.origin()
    ));
    let mut ui = TerminalProofUi::new(ctx.printer.clone(), opts.interactive);
    let expected = EcaSpec::from_setup(setup);
    let target = ProofTarget {
        expected: Some(&expected),
        ..ProofTarget::from(setup)
    };
    let proved = prove(&target, opts, &mut ui, None).await;
    let shown = ui
        .warned
        .iter()
        .chain(proved.iter().flat_map(|r| &r.warnings));
    for w in shown {
        if !warnings.contains(w) {
            warnings.push(w.clone());
        }
    }
    let report = proved?;
    drop(ui); // clears the countdown line before the report
    ctx.printer.result("\nOAuth check:");
    let style = ctx.printer.check_style(ctx.globals.verbose);
    for check in &report.checks {
        ctx.printer.result(&output::check_line(check, style));
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

fn presets(
    opts: &InitOptions,
    secret: Option<secrecy::SecretString>,
    login_wanted: bool,
) -> Presets {
    let policy = if opts.proof.allow_custom_host || opts.demo {
        HostPolicy::AllowCustom
    } else {
        HostPolicy::Strict
    };
    let mut p = Presets::new(policy);
    p.answers = opts.answers.clone();
    p.consumer_secret = secret;
    p.loopback_port = opts
        .proof
        .callback_port
        .unwrap_or(recipe::DEFAULT_LOOPBACK_PORT);
    p.offer_loopback = login_wanted;
    p
}
