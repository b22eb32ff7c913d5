//! `handoff` (and the end of `init`): the proven consumer key and secret into Webex Control
//! Hub without copying them from Salesforce again (which costs another emailed verification
//! code). Each goes on the clipboard in turn, shown only masked, and is cleared at the next
//! Enter or after [`CLEAR_AFTER`]. Without a clipboard (SSH, no desktop) `--reveal` shows
//! them on this terminal, after a confirmation; never in `--json`, never in a log.

use std::time::Duration;

use secrecy::ExposeSecret;
use serde_json::json;

use super::profile::Loaded;
use super::{CommandResult, Context};
use crate::clipboard::ClipboardError;
use crate::error::{AppError, ErrorCode};
use crate::prompt::Question;
use crate::setup::Credentials;
use crate::store::DEFAULT_TIMEOUT;
use crate::text::masked;

/// How long a value stays on the clipboard unless Enter comes first.
pub const CLEAR_AFTER: Duration = Duration::from_secs(45);

/// `handoff [--profile P] [--reveal]`.
pub fn run(ctx: &mut Context, reveal: bool) -> CommandResult {
    needs_a_person(ctx)?;
    let kind = ctx.store_kind()?;
    let store = (ctx.stores)(kind, DEFAULT_TIMEOUT)?;
    let index_path = ctx.index_path()?;
    let profile = ctx.globals.profile.clone();
    let loaded = Loaded::from_store(store.as_ref(), Some(&index_path), &profile, true)?;
    hand_off(ctx, &loaded.credentials, reveal)
}

fn needs_a_person(ctx: &Context) -> Result<(), AppError> {
    if ctx.globals.interactive {
        return Ok(());
    }
    Err(AppError::new(
        ErrorCode::HandoffNeedsTerminal,
        "The hand-off needs a person at a terminal: each value is cleared from the clipboard when Enter is pressed.",
    )
    .with_fix(format!(
        "run `{}` in a terminal",
        ctx.globals.command("handoff")
    )))
}

/// Puts the key, then the secret, on the clipboard (or, with `reveal` and no clipboard,
/// shows them here after a confirmation). The result says what was done, never the values.
pub fn hand_off(ctx: &mut Context, credentials: &Credentials, reveal: bool) -> CommandResult {
    let key = credentials.consumer_key.as_str();
    let secret = credentials.consumer_secret.expose_secret();
    let mut clipboard = match (ctx.clipboard)() {
        Ok(c) => c,
        Err(ClipboardError::Unavailable(_)) => return without_clipboard(ctx, credentials, reveal),
        Err(e) => return Err(clipboard_failed(e).into()),
    };
    let items = [
        ("Consumer Key", key, masked(key)),
        (
            "Consumer Secret",
            secret,
            format!("{} characters", secret.chars().count()),
        ),
    ];
    let mut copied = Vec::new();
    for (what, value, shown) in items {
        clipboard.set(value).map_err(clipboard_failed)?;
        ctx.printer.status(&format!(
            "The {what} ({shown}) is on the clipboard: paste it into Webex Control Hub."
        ));
        let q = Question {
            prompt: &format!(
                "Press Enter when it is pasted (the clipboard is cleared then, or in {} s)…",
                CLEAR_AFTER.as_secs()
            ),
            flag: "",
            env: "",
        };
        let paused = ctx.prompter.pause(&q, CLEAR_AFTER);
        clipboard.clear().map_err(clipboard_failed)?;
        ctx.printer.status("  Clipboard cleared.");
        paused.map_err(|_| AppError::cancelled())?;
        copied.push(what);
    }
    Ok(json!({ "profile": ctx.globals.profile, "copied": copied, "revealed": false }))
}

fn without_clipboard(ctx: &mut Context, credentials: &Credentials, reveal: bool) -> CommandResult {
    ctx.printer
        .status("No clipboard is available here (an SSH session, or no desktop session).");
    if !reveal {
        return Err(AppError::new(
            ErrorCode::NoClipboard,
            "Nothing was put on the clipboard: there is none here.",
        )
        .with_fix(format!(
            "run `{}` on the computer with the browser, or `{}` to show them on this terminal",
            ctx.globals.command("handoff"),
            ctx.globals.command("handoff --reveal")
        ))
        .into());
    }
    let q = Question {
        prompt: "Show the consumer key and SECRET on this terminal (anyone who can see the screen, or its scrollback, can read them)?",
        flag: "--reveal",
        env: "",
    };
    if !ctx
        .prompter
        .confirm(&q, false)
        .map_err(|_| AppError::cancelled())?
    {
        return Err(AppError::cancelled().into());
    }
    ctx.printer.status(&format!(
        "  Consumer Key:    {}\n  Consumer Secret: {}",
        credentials.consumer_key,
        credentials.consumer_secret.expose_secret()
    ));
    Ok(json!({ "profile": ctx.globals.profile, "copied": [], "revealed": true }))
}

fn clipboard_failed(e: ClipboardError) -> AppError {
    AppError::new(ErrorCode::NoClipboard, "The clipboard could not be used.")
        .with_fix(
            "copy the values from Salesforce instead, or run `sf-webex-setup handoff --reveal`",
        )
        .with_source(e)
}
