//! The `sf-webex-setup` binary: parse, run, print, exit. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;
use sf_webex_setup::{app, cli::Cli, error::AppError, output};

fn main() -> ExitCode {
    output::configure_colours();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let json = cli.global.json;
    let outcome = app::run(cli);
    let printer = output::Printer::new(json);
    if json {
        printer.json(&output::envelope(
            outcome.result.as_ref(),
            outcome.error.as_ref(),
            &outcome.warnings,
        ));
    } else {
        // Commands show their warnings as they happen; only the error is left to print.
        if let Some(e) = &outcome.error {
            printer.error(e);
        }
    }
    ExitCode::from(outcome.exit_code())
}

/// clap's own errors, still as one envelope when `--json` was asked for.
fn usage_error(e: clap::Error) -> ExitCode {
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
    if std::env::args().any(|a| a == "--json") {
        let first = e
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches("error: ")
            .to_string();
        let err = AppError::usage("invalid_usage", first).with_fix("see sf-webex-setup --help");
        output::Printer::new(true).json(&output::envelope(None, Some(&err), &[]));
    } else {
        let _ = e.print();
    }
    ExitCode::from(2)
}
