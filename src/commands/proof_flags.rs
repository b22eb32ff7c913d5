//! The proof's flags and the proof's options built from them and the command context
//! (shared by `init`, `verify` and `verify --all`).

use std::sync::Arc;
use std::time::Duration;

use super::Context;
use crate::browser::{BrowserOpener, NoBrowser};
use crate::error::AppError;
use crate::proof::ProofOptions;

/// The proof's flags, shared by `init` and `verify --login`.
#[derive(Clone, Debug)]
pub struct ProofFlags {
    /// `--callback-port`.
    pub callback_port: Option<u16>,
    /// `--login-timeout`.
    pub login_timeout: Duration,
    /// `--no-browser`.
    pub no_browser: bool,
    /// `--paste`.
    pub paste: bool,
    /// `--allow-custom-host`.
    pub allow_custom_host: bool,
    /// `--wait-for-propagation`.
    pub wait_for_propagation: Option<Duration>,
    /// How often to re-check while waiting (hidden `--propagation-poll`).
    pub propagation_poll: Duration,
}

/// The proof's options from the command line and the context (shared by `init` and
/// `verify --login`).
pub fn proof_options(
    ctx: &Context,
    flags: &ProofFlags,
    interactive: bool,
    login: bool,
) -> Result<ProofOptions, AppError> {
    let browser: Arc<dyn BrowserOpener> = if flags.no_browser {
        Arc::new(NoBrowser)
    } else {
        ctx.browser.clone()
    };
    let mut opts = ProofOptions::new(ctx.http()?, browser);
    opts.clock = ctx.clock.clone();
    opts.retry_command = ctx.globals.command("init");
    opts.allow_custom_host = flags.allow_custom_host;
    opts.login = login;
    opts.login_timeout = flags.login_timeout;
    opts.paste = flags.paste;
    opts.open_browser = !flags.no_browser;
    opts.interactive = interactive;
    opts.callback_port = flags.callback_port;
    opts.propagation_wait = flags.wait_for_propagation;
    opts.propagation_poll = flags.propagation_poll;
    Ok(opts)
}
