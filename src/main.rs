//! The `sf-webex-setup` binary: parse, run, print, exit. Everything else is in the library.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;
use sf_webex_setup::{app, cancel, cli::Cli, error::AppError, init, output};

fn main() -> ExitCode {
    // First, before any thread exists: take the secret out of the environment so that no
    // child (the browser, above all) inherits it.
    init::take_secret_from_env();
    output::configure_colours();
    let args: Vec<OsString> = std::env::args_os().collect();
    let json = json_requested(&args);
    if let Some(refusal) = init::refuse_secret_in_argv(&args) {
        return finish(json, Err(&refusal), None, &[]);
    }
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e, json),
    };
    cancel::install(cli.global.json);
    let outcome = app::run(cli);
    finish(
        json,
        outcome.error.as_ref().map_or(Ok(()), Err),
        outcome.result.as_ref(),
        &outcome.warnings,
    )
}

fn finish(
    json: bool,
    error: Result<(), &AppError>,
    result: Option<&serde_json::Value>,
    warnings: &[String],
) -> ExitCode {
    let printer = output::Printer::new(json);
    let error = error.err();
    if json {
        printer.json(&output::envelope(result, error, warnings));
    } else if let Some(e) = error {
        // Commands show their warnings as they happen; only the error is left to print.
        printer.error(e);
    }
    ExitCode::from(error.map_or(0, AppError::exit_code))
}

/// `--json` on the command line or in the environment, looked for before parsing so that
/// even a usage error is one envelope. Arguments need not be UTF-8.
fn json_requested(args: &[OsString]) -> bool {
    args.iter().any(|a| a == "--json")
        || std::env::var_os("SF_WEBEX_JSON")
            .is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// clap's own errors, still as one envelope when `--json` was asked for.
fn usage_error(e: clap::Error, json: bool) -> ExitCode {
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
    if json {
        let first = e
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_string();
        let err = AppError::usage("invalid_usage", first).with_fix("see sf-webex-setup --help");
        return finish(true, Err(&err), None, &[]);
    }
    let _ = e.print();
    ExitCode::from(2)
}
