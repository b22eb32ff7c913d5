//! The browser step of the proof: bind the loopback callback (or not, in paste mode), show
//! the authorize URL, open the browser, and get the one callback back — from the listener
//! or from what the admin pastes.

use std::time::Duration;

use oauth2::CsrfToken;
use url::Url;

use super::options::{ProofOptions, ProofUi};
use crate::browser::BrowserError;
use crate::error::{AppError, ErrorCode};
use crate::oauth::callback::paste::parse_pasted;
use crate::oauth::callback::{CallbackOutcome, Listener, ListenerError};
use crate::recipe;

/// How many times a paste that is not understood may be retried.
const PASTE_ATTEMPTS: usize = 3;

/// Where the callback will come from.
pub enum Receiver {
    Listen(Listener),
    Paste(Url),
}

impl Receiver {
    pub fn redirect_uri(&self) -> &Url {
        match self {
            Receiver::Listen(l) => l.redirect_uri(),
            Receiver::Paste(u) => u,
        }
    }
}

/// The loopback callbacks to try, preferred first: `--callback-port` alone if given, else
/// the app's loopback lines in order.
pub fn candidate_callbacks(callback_urls: &[String], callback_port: Option<u16>) -> Vec<Url> {
    if let Some(port) = callback_port {
        return Url::parse(&recipe::loopback_callback_url(port))
            .into_iter()
            .collect();
    }
    callback_urls
        .iter()
        .filter(|u| crate::validate::callback::is_loopback_callback(u))
        .filter_map(|u| Url::parse(u).ok())
        .collect()
}

/// Binds the listener, or in paste mode just picks the callback to name in the request.
pub async fn prepare(candidates: &[Url], paste: bool) -> Result<Receiver, AppError> {
    if paste {
        let first = candidates
            .first()
            .cloned()
            .ok_or_else(|| AppError::from(ListenerError::NoLoopbackCallback))?;
        return Ok(Receiver::Paste(first));
    }
    Ok(Receiver::Listen(Listener::bind(candidates).await?))
}

/// Shows the URL, opens the browser (after Enter when interactive; with `--no-browser` the
/// person opens it), and waits for the callback. A browser that cannot be opened switches
/// an interactive run to paste mode.
pub async fn obtain_callback(
    receiver: Receiver,
    authorize_url: &Url,
    state: &CsrfToken,
    opts: &ProofOptions,
    ui: &mut dyn ProofUi,
) -> Result<CallbackOutcome, AppError> {
    ui.show_url(authorize_url.as_str());
    let listener = match receiver {
        Receiver::Paste(redirect) => return read_paste(&redirect, state, ui),
        Receiver::Listen(l) => l,
    };
    if !opts.open_browser {
        // --no-browser: the person opens the URL; the listener waits all the same.
        ui.open_it_yourself();
    } else {
        if opts.interactive {
            ui.wait_for_enter()?;
        }
        if let Err(e) = opts.browser.open(authorize_url.as_str()) {
            if !opts.interactive {
                return Err(no_browser(&e));
            }
            ui.warn(&format!("{e}. {}", e.fix()));
            let redirect = listener.redirect_uri().clone();
            drop(listener);
            return read_paste(&redirect, state, ui);
        }
    }
    let timeout = opts.login_timeout;
    let outcome = listener
        .wait(state, timeout, &mut |remaining: Duration| {
            ui.countdown(remaining)
        })
        .await?;
    Ok(outcome)
}

fn read_paste(
    redirect: &Url,
    state: &CsrfToken,
    ui: &mut dyn ProofUi,
) -> Result<CallbackOutcome, AppError> {
    let mut last = None;
    for _ in 0..PASTE_ATTEMPTS {
        let text = ui.read_pasted()?;
        match parse_pasted(&text, state, redirect) {
            Ok(pasted) => {
                if !pasted.state_checked {
                    ui.warn("Only a code was pasted, so it could not be matched to this sign-in (no state); using it anyway.");
                }
                return Ok(pasted.outcome);
            }
            Err(e) => {
                let err = AppError::from(e);
                ui.warn(&err.to_string());
                last = Some(err);
            }
        }
    }
    Err(last.unwrap_or_else(AppError::cancelled))
}

fn no_browser(e: &BrowserError) -> AppError {
    AppError::new(
        ErrorCode::NoBrowser,
        format!("The sign-in needs a browser, and {e}."),
    )
    .with_fix("set $BROWSER to a command that opens a URL, or run interactively and use --paste")
}
