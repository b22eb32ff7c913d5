//! The `sf-webex-setup` binary: parse, run, print, exit. Everything else is in the library.
//!
//! The command runs on a worker thread while `main` waits for whichever comes first: the
//! command's outcome, or a stop (Ctrl-C) from [`cancel`]. Either way `main` prints the last
//! word and is the only place the process exits.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::mpsc;

use clap::Parser;
use sf_webex_setup::cli::{self, Cli};
use sf_webex_setup::commands::init::{refuse_secret_in_argv, take_secret_from_env};
use sf_webex_setup::commands::Outcome;
use sf_webex_setup::error::AppError;
use sf_webex_setup::{app, cancel, output, terminal, usage};

fn main() -> ExitCode {
    // First, before any thread exists: take the secret out of the environment so that no
    // child (the browser, above all) inherits it.
    let env_secret = take_secret_from_env();
    output::configure_colours();
    let args: Vec<OsString> = std::env::args_os().collect();
    let json = json_requested(&args);
    if let Some(refusal) = refuse_secret_in_argv(&args) {
        return finish(json, &Outcome::failed(refusal));
    }
    if let Some(refusal) = usage::non_utf8(&args) {
        return finish(json, &Outcome::failed(refusal));
    }
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e, json, &args),
    };
    let json = cli.global.json;
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();

    // The first of: the command's outcome, or a stop (the terminal put back first).
    let (send, first) = mpsc::channel::<Outcome>();
    let saved = terminal::save();
    let stops = std::sync::Mutex::new(send.clone());
    cancel::install(Box::new(move |stop| {
        if let Some(mode) = &saved {
            terminal::restore(mode);
        }
        // dialoguer hides the cursor in lists.
        let _ = console::Term::stderr().show_cursor();
        let to_main = stops.lock().unwrap_or_else(|p| p.into_inner());
        let _ = to_main.send(Outcome::failed(stop.into_error()));
    }));
    let worker = std::thread::Builder::new()
        .name("command".into())
        .spawn(move || {
            let _ = send.send(app::run(cli, interactive, env_secret));
        });
    let outcome = match worker {
        Ok(_) => first.recv().unwrap_or_else(|_| {
            Outcome::failed(AppError::internal("the command stopped unexpectedly"))
        }),
        Err(e) => Outcome::failed(AppError::internal("could not start the command").with_source(e)),
    };
    finish(json, &outcome)
}

/// Prints the last word — the envelope with `--json`, else the error if any (commands show
/// their warnings as they happen) — and turns the outcome into the exit code.
fn finish(json: bool, outcome: &Outcome) -> ExitCode {
    let printer = output::Printer::new(json);
    if json {
        printer.json(&output::envelope(
            outcome.result.as_ref(),
            outcome.error.as_ref(),
            &outcome.warnings,
        ));
    } else if let Some(e) = &outcome.error {
        printer.error(e);
    }
    ExitCode::from(outcome.exit_code())
}

/// `--json` on the command line or in the environment, looked for before parsing so that
/// even a usage error is one envelope. The variable is read exactly as clap reads it
/// ([`cli::boolish`]). Arguments need not be UTF-8.
fn json_requested(args: &[OsString]) -> bool {
    args.iter().any(|a| a == "--json")
        || std::env::var_os("SF_WEBEX_JSON").is_some_and(|v| cli::boolish(&v) == Some(true))
}

/// clap's own errors, still as one envelope when `--json` was asked for.
fn usage_error(e: clap::Error, json: bool, args: &[OsString]) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                2
            } else {
                0
            },
        );
    }
    // Said in our words, never repeating a value that was typed (it may be a secret).
    finish(json, &Outcome::failed(usage::refused(&e, args)))
}
