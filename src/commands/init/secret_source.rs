//! Where the consumer secret may come from: the hidden prompt (the wizard),
//! `--consumer-secret-stdin`, or `SF_WEBEX_CONSUMER_SECRET` — never argv, and never left in
//! the environment for a child process to inherit.

use std::io::{IsTerminal, Read};

use secrecy::SecretString;
use zeroize::Zeroize;

use crate::error::{AppError, ErrorCode};

/// The secret comes only from stdin (`--consumer-secret-stdin`), the environment (`env`,
/// taken out of it at start-up), or the hidden prompt; never from argv.
pub(super) fn read_secret(
    from_stdin: bool,
    env: Option<SecretString>,
) -> Result<Option<SecretString>, AppError> {
    if from_stdin {
        if std::io::stdin().is_terminal() {
            return Err(AppError::new(ErrorCode::SecretStdinIsTerminal,
                "--consumer-secret-stdin reads a pipe, but stdin is a terminal (typing there would echo the secret).",
            )
            .with_fix("omit --consumer-secret-stdin to get the hidden prompt, or pipe it: … | sf-webex-setup init --consumer-secret-stdin"));
        }
        let mut buf = String::new();
        std::io::stdin().read_to_string(&mut buf).map_err(|e| {
            AppError::new(
                ErrorCode::SecretStdinUnreadable,
                "Could not read the consumer secret from stdin.",
            )
            .with_fix("pipe the secret as UTF-8 text, e.g. from your password manager's CLI")
            .with_source(e)
        })?;
        let secret = SecretString::from(buf.trim_end_matches(['\r', '\n']).to_string());
        buf.zeroize();
        return Ok(Some(secret));
    }
    Ok(env)
}

/// Moves `SF_WEBEX_CONSUMER_SECRET` out of the process environment, so that no child
/// process (the browser, above all) inherits it. Call first in `main`, before any thread
/// exists (changing the environment races with threads reading it).
pub fn take_secret_from_env() -> Option<SecretString> {
    let value = std::env::var_os(SECRET_ENV)?;
    std::env::remove_var(SECRET_ENV);
    value.into_string().ok().map(SecretString::from)
}

pub const SECRET_ENV: &str = "SF_WEBEX_CONSUMER_SECRET";

/// A secret-looking option on the command line (`--consumer-secret=…`, `--client-secret …`)
/// is refused before parsing, because clap's own error would repeat the value.
pub fn refuse_secret_in_argv(args: &[std::ffi::OsString]) -> Option<AppError> {
    let secret_option = |arg: &std::ffi::OsString| {
        let text = arg.to_string_lossy();
        let name = text
            .split('=')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        name.starts_with('-') && name.contains("secret") && name != "--consumer-secret-stdin"
    };
    args.iter()
        .skip(1)
        .any(secret_option)
        .then(secret_on_command_line)
}

fn secret_on_command_line() -> AppError {
    AppError::new(ErrorCode::SecretOnCommandLine,
        "The consumer secret is never taken from the command line: it would be visible in `ps` and saved in your shell history.",
    )
    .with_fix(
        "omit it and type it at the hidden prompt, or pipe it with --consumer-secret-stdin, or set SF_WEBEX_CONSUMER_SECRET; consider clearing it from your shell history",
    )
}
