//! `completions` and `man`: the shell completion scripts (clap_complete) and the man pages
//! (clap_mangen), generated from the clap definitions, so they always match `--help`.
//! They live beside the mapping because they need clap's `Command`, which stops here.

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;
use serde_json::json;

use crate::cli::{Cli, CompletionShell};
use crate::commands::{CommandResult, Context};
use crate::error::{AppError, ErrorCode};

const BIN: &str = "sf-webex-setup";

fn shell(choice: CompletionShell) -> Shell {
    match choice {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
        CompletionShell::Elvish => Shell::Elvish,
    }
}

/// The completion script on stdout (with `--json`, as `result.script`).
pub fn completions(ctx: &Context, choice: CompletionShell) -> CommandResult {
    let mut script = Vec::new();
    clap_complete::generate(shell(choice), &mut Cli::command(), BIN, &mut script);
    let mut script = String::from_utf8_lossy(&script).into_owned();
    if choice == CompletionShell::Bash {
        script = bash_hyphen_fix(&script);
    }
    crate::commands::written(
        ctx.printer
            .result_with(|out| out.write_all(script.as_bytes())),
    )?;
    Ok(json!({ "shell": shell(choice).to_string(), "script": script }))
}

/// clap_complete's bash script spells the state of a subcommand of a hyphenated binary two
/// ways (clap-rs/clap#6421): the loop that reads the words builds `sf__webex__setup__subcmd__init`,
/// the `case` arms expect `sf__subcmd__webex__subcmd__setup__subcmd__init`, so no flag of a
/// subcommand would ever complete. The arms are respelt the loop's way; once clap fixes it,
/// this finds nothing to change.
fn bash_hyphen_fix(script: &str) -> String {
    let loop_spelling = BIN.replace('-', "__");
    let arm_spelling = BIN.replace('-', "__subcmd__");
    script.replace(&arm_spelling, &loop_spelling)
}

/// The top page on stdout, or with `dir` one page per command written there.
pub fn man(ctx: &Context, dir: Option<&Path>) -> CommandResult {
    let cmd = Cli::command();
    if let Some(dir) = dir {
        let unwritable = |e: std::io::Error| {
            AppError::new(
                ErrorCode::OutputDirUnwritable,
                format!("The man pages could not be written to {}.", dir.display()),
            )
            .with_fix("create the folder, or name one you can write to")
            .with_source(e)
        };
        std::fs::create_dir_all(dir).map_err(unwritable)?;
        clap_mangen::generate_to(cmd, dir).map_err(unwritable)?;
        let mut pages: Vec<String> = std::fs::read_dir(dir)
            .map_err(unwritable)?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|name| name.starts_with(BIN) && name.ends_with(".1"))
            .collect();
        pages.sort();
        ctx.printer.status(&format!(
            "Wrote {} into {}.",
            pages.join(", "),
            dir.display()
        ));
        return Ok(json!({ "dir": dir, "pages": pages }));
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .map_err(|e| AppError::internal("could not render the man page").with_source(e))?;
    let page = String::from_utf8_lossy(&page).into_owned();
    crate::commands::written(
        ctx.printer
            .result_with(|out| out.write_all(page.as_bytes())),
    )?;
    Ok(json!({ "page": page }))
}
