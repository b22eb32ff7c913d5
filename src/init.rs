//! `init`: the wizard, then the OAuth proof, then storing the credentials, then the
//! Control Hub hand-off. Interactive and non-interactive runs share this one path; they
//! differ only in the prompter.

use std::io::{IsTerminal, Read};

use secrecy::SecretString;
use serde_json::{json, Value};
use zeroize::Zeroize;

use crate::app;
use crate::cli::{GlobalArgs, InitArgs};
use crate::error::AppError;
use crate::output::{self, Printer};
use crate::prompt::{install_cancel_handler, Prompter, RefusingPrompter, TerminalPrompter};
use crate::recipe;
use crate::salesforce::hosts::HostPolicy;
use crate::wizard::{self, summary, Presets};

pub fn run(
    global: &GlobalArgs,
    args: InitArgs,
    printer: &Printer,
    warnings: &mut Vec<String>,
) -> Result<Value, AppError> {
    if args.consumer_secret.is_some() {
        return Err(secret_on_command_line());
    }
    let interactive = app::interactive(global);
    let secret = read_secret(args.consumer_secret_stdin)?;
    let login_wanted = args.login || (interactive && !args.no_login);
    let presets = presets(&args, secret, login_wanted);

    let mut prompter: Box<dyn Prompter> = if interactive {
        let cancelled = global
            .json
            .then(|| output::envelope(Err(&AppError::cancelled()), &[]));
        install_cancel_handler(cancelled);
        Box::new(TerminalPrompter::new())
    } else {
        Box::new(RefusingPrompter { quiet: true })
    };
    let outcome = wizard::run(prompter.as_mut(), presets)?;
    warnings.extend(outcome.warnings);
    let setup = outcome.setup;

    printer.result(&format!("\n{}", summary::app_text(&setup)));
    printer.result(
        "Nothing was checked against Salesforce and nothing was stored: the OAuth proof and the keyring are not built yet.",
    );
    printer.result(&format!("\n{}", summary::control_hub_text(&setup)));
    Ok(json!({
        "profile": global.profile,
        "app": summary::app_json(&setup),
        "checks": [],
        "stored": Value::Null,
    }))
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

/// The secret comes only from stdin (`--consumer-secret-stdin`), the environment, or the
/// hidden prompt; never from argv.
fn read_secret(from_stdin: bool) -> Result<Option<SecretString>, AppError> {
    if from_stdin {
        if std::io::stdin().is_terminal() {
            return Err(AppError::usage(
                "secret_stdin_is_terminal",
                "--consumer-secret-stdin reads a pipe, but stdin is a terminal (typing there would echo the secret).",
            )
            .with_fix("omit --consumer-secret-stdin to get the hidden prompt, or pipe it: … | sf-webex-setup init --consumer-secret-stdin"));
        }
        let mut buf = String::new();
        std::io::stdin().read_to_string(&mut buf).map_err(|e| {
            AppError::usage(
                "secret_stdin_unreadable",
                format!("Could not read the consumer secret from stdin: {e}"),
            )
            .with_fix("pipe the secret as UTF-8 text, e.g. from your password manager's CLI")
        })?;
        let secret = SecretString::from(buf.trim_end_matches(['\r', '\n']).to_string());
        buf.zeroize();
        return Ok(Some(secret));
    }
    Ok(std::env::var("SF_WEBEX_CONSUMER_SECRET")
        .ok()
        .map(SecretString::from))
}

fn secret_on_command_line() -> AppError {
    AppError::usage(
        "secret_on_command_line",
        "The consumer secret is never taken from the command line: it would be visible in `ps` and saved in your shell history.",
    )
    .with_fix(
        "omit it and type it at the hidden prompt, or pipe it with --consumer-secret-stdin, or set SF_WEBEX_CONSUMER_SECRET; consider clearing it from your shell history",
    )
}
