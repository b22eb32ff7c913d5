//! The last step of `init`: store the proved credentials as one keyring entry, never
//! overwriting an existing profile without a confirmation, and say where they went.

use std::time::Duration;

use secrecy::ExposeSecret;
use serde_json::{json, Value};

use crate::error::AppError;
use crate::prompt::{Prompter, Question};
use crate::setup::AppSetup;
use crate::store::{
    index::ProfileIndex, now_rfc3339, open_store, retry_while_locked, save_and_index, Overwrite,
    StoreError, StoreKind, StoredApp, DEFAULT_TIMEOUT,
};

/// How long an interactive run waits for the admin to unlock a locked keyring.
const UNLOCK_WAIT: Duration = Duration::from_secs(60);

pub struct StoreRequest<'a> {
    pub kind: StoreKind,
    pub profile: &'a str,
    /// True when the OAuth proof passed; false with `--skip-check` (recorded in the entry).
    pub checked: bool,
    /// `--force`.
    pub force: bool,
}

/// Stores the app and returns the `stored` object of the result.
pub fn store(
    p: &mut dyn Prompter,
    setup: &AppSetup,
    req: &StoreRequest<'_>,
) -> Result<Value, AppError> {
    let now = now_rfc3339();
    let app = StoredApp {
        consumer_key: setup.credentials.consumer_key.clone(),
        consumer_secret: setup
            .credentials
            .consumer_secret
            .expose_secret()
            .to_string()
            .into(),
        login_url: setup.login.origin(),
        callback_urls: setup.callback_urls.clone(),
        api_name: setup.api_name.clone(),
        stored_at: now.clone(),
        last_verified: req.checked.then(|| now.clone()),
        checked: req.checked,
        version: crate::store::STORED_APP_VERSION,
    };
    let index_path = ProfileIndex::default_path()?;
    let interactive = p.is_interactive();
    // Interactively, a desktop may pop up an unlock prompt and block the call until it is
    // answered: give each call that long. Scripts get the short default and a clear error.
    let (wait, per_call) = if interactive {
        (UNLOCK_WAIT, UNLOCK_WAIT)
    } else {
        (Duration::ZERO, DEFAULT_TIMEOUT)
    };
    if interactive {
        p.say(&format!(
            "Storing in the {} (if it asks to be unlocked, unlock it)…",
            req.kind.describe()
        ));
    }
    let attempt = |overwrite: Overwrite| {
        retry_while_locked(
            wait,
            Duration::from_millis(500),
            |e| {
                eprintln!(
                    "{e}\n  Waiting up to {} s for the keyring to be unlocked…",
                    UNLOCK_WAIT.as_secs()
                )
            },
            || {
                let store = open_store(req.kind, per_call)?;
                save_and_index(store.as_ref(), &index_path, req.profile, &app, overwrite)
            },
        )
    };
    let first = if req.force {
        Overwrite::Confirmed
    } else {
        Overwrite::Refuse
    };
    let outcome =
        match attempt(first) {
            Err(StoreError::Exists { .. }) if interactive => {
                let q = Question {
                    prompt: &format!(
                        "Profile `{}` is already stored in the {} store. Replace it?",
                        req.profile, req.kind
                    ),
                    flag: "--force",
                    env: "",
                };
                match p.confirm(&q, false) {
                    Ok(true) => attempt(Overwrite::Confirmed)?,
                    Ok(false) => return Err(AppError::new(
                        crate::error::ExitKind::Store,
                        "store_entry_exists",
                        format!(
                            "Not stored: profile `{}` already exists and was kept as it was.",
                            req.profile
                        ),
                    )
                    .with_fix(
                        "use another profile (--profile NAME), or run again and confirm (--force)",
                    )),
                    Err(_) => return Err(AppError::cancelled()),
                }
            }
            other => other?,
        };
    Ok(json!({
        "profile": req.profile,
        "store": req.kind.flag_value(),
        "store_description": req.kind.describe(),
        "outcome": outcome,
        "checked": req.checked,
        "stored_at": now,
    }))
}
