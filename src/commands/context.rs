//! The one thing every command is given: where output goes, whether a person is there,
//! and the seams to the outside world — the prompter, the credential stores, the browser,
//! the clipboard, the clock, the HTTP client and the profile index — so that every command can be run
//! with scripted or fake parts. `main` builds the real one with [`Context::system`].

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use secrecy::SecretString;
use serde_json::Value;

use crate::browser::{BrowserOpener, SystemBrowser};
use crate::clipboard::{ClipboardOpener, SystemClipboard};
use crate::clock::{Clock, SystemClock};
use crate::error::{AppError, ErrorCode};
use crate::net::Http;
use crate::output::Printer;
use crate::prompt::{Prompter, RefusingPrompter, TerminalPrompter};
use crate::store::{open_store, CredentialStore, ProfileIndex, StoreError, StoreKind};

/// Opens a credential store of a kind, with a per-call timeout.
pub type StoreOpener =
    dyn Fn(StoreKind, Duration) -> Result<Box<dyn CredentialStore>, StoreError> + Send + Sync;

/// Opens the store an existing profile is in: `--store`, else the one the index names, else
/// the default. With neither `--store` nor a line in the index, a store that cannot even be
/// opened holds no profile either, so that is said ("no credentials are stored for profile
/// `default`") with the store's failure kept as the cause, rather than the store's failure.
pub fn open_existing(
    profile: &str,
    store_flag: Option<StoreKind>,
    index: &ProfileIndex,
    open: &dyn Fn(StoreKind) -> Result<Box<dyn CredentialStore>, StoreError>,
) -> Result<Box<dyn CredentialStore>, AppError> {
    let recorded = index.get(profile).map(|r| r.store);
    let kind = store_flag.or(recorded).unwrap_or_default();
    match open(kind) {
        Ok(store) => Ok(store),
        Err(e) if store_flag.is_none() && recorded.is_none() => {
            let fix = StoreError::NotFound {
                profile: profile.to_string(),
                store: kind,
            }
            .fix()
            .unwrap_or_default();
            Err(AppError::new(
                ErrorCode::StoreEntryNotFound,
                format!("No profile `{profile}` is stored: the profile index has no record of it (and the {kind} store could not be opened to look)."),
            )
            .with_fix(fix)
            .with_source(e))
        }
        Err(e) => Err(e.into()),
    }
}

/// The options every command takes (`--profile`, `--store`, …), after parsing.
#[derive(Clone, Debug)]
pub struct Globals {
    pub json: bool,
    /// `--verbose`: every check's evidence, not only a failing or undecided one's.
    pub verbose: bool,
    /// A person can answer prompts (not `--non-interactive`, and stdin and stdout are
    /// terminals).
    pub interactive: bool,
    pub profile: String,
    /// `--store`, if given.
    pub store: Option<StoreKind>,
    /// The options the admin gave that every suggested command must keep (`--profile`,
    /// `--store`, `--login-url`, `--demo`, …), as arguments.
    pub kept: Vec<String>,
}

impl Globals {
    /// `sf-webex-setup REST`, with the kept options added.
    pub fn command(&self, rest: &str) -> String {
        keep_options(&format!("`sf-webex-setup {rest}`"), &self.kept)
            .trim_matches('`')
            .to_string()
    }
}

/// Every `` `sf-webex-setup …` `` command named in `text`, with each of the `kept` options it
/// lacks appended, so that a "Try:" line never drops what the admin had said.
pub fn keep_options(text: &str, kept: &[String]) -> String {
    const START: &str = "`sf-webex-setup";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(START) {
        let Some(len) = rest[at + 1..].find('`') else {
            break;
        };
        let command = &rest[at + 1..at + 1 + len];
        out.push_str(&rest[..at + 1]);
        out.push_str(command);
        for option in options(kept) {
            let name = option.split(' ').next().unwrap_or_default();
            if !command.split(' ').any(|w| w == name) {
                out.push(' ');
                out.push_str(&option);
            }
        }
        out.push('`');
        rest = &rest[at + 1 + len + 1..];
    }
    out.push_str(rest);
    out
}

/// `kept` grouped as options: a flag with its value, if it has one.
fn options(kept: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for arg in kept {
        match out.last_mut() {
            Some(last) if !arg.starts_with("--") && !last.contains(' ') => {
                last.push(' ');
                last.push_str(&shell_words::quote(arg));
            }
            _ => out.push(arg.clone()),
        }
    }
    out
}

pub struct Context {
    pub globals: Globals,
    pub printer: Printer,
    /// Asks the person (the terminal), or refuses naming the flag (non-interactive).
    pub prompter: Box<dyn Prompter>,
    pub stores: Arc<StoreOpener>,
    pub browser: Arc<dyn BrowserOpener>,
    pub clipboard: Arc<ClipboardOpener>,
    pub clock: Arc<dyn Clock>,
    /// `SF_WEBEX_CONSUMER_SECRET`, taken out of the environment at start-up.
    pub env_secret: Option<SecretString>,
    /// The profile index; `None` = the default path in the config folder.
    pub index_path: Option<PathBuf>,
    http: OnceLock<Http>,
}

impl Context {
    /// The real parts: the terminal (when a person is there), the OS stores, the system
    /// browser and clock, stdout/stderr.
    pub fn system(globals: Globals, env_secret: Option<SecretString>) -> Self {
        let prompter: Box<dyn Prompter> = if globals.interactive {
            Box::new(TerminalPrompter::new())
        } else {
            Box::new(RefusingPrompter)
        };
        Context {
            printer: Printer::new(globals.json),
            globals,
            prompter,
            stores: Arc::new(|kind, timeout| {
                open_store(kind, timeout).map(|s| s as Box<dyn CredentialStore>)
            }),
            browser: Arc::new(SystemBrowser),
            clipboard: Arc::new(SystemClipboard::open),
            clock: Arc::new(SystemClock),
            env_secret,
            index_path: None,
            http: OnceLock::new(),
        }
    }

    /// The HTTP client, built on first use (commands that make no request never pay for
    /// its TLS set-up).
    pub fn http(&self) -> Result<Http, AppError> {
        if let Some(http) = self.http.get() {
            return Ok(http.clone());
        }
        let http = Http::new()?;
        if self.globals.verbose {
            if let Some(proxies) = http.proxies().describe() {
                self.printer.status(&proxies);
            }
        }
        Ok(self.http.get_or_init(|| http).clone())
    }

    /// Uses `http` instead of building one (tests: timeouts, counting).
    pub fn with_http(self, http: Http) -> Self {
        let _ = self.http.set(http);
        self
    }

    /// Where the profile index lives.
    pub fn index_path(&self) -> Result<PathBuf, StoreError> {
        match &self.index_path {
            Some(p) => Ok(p.clone()),
            None => ProfileIndex::default_path(),
        }
    }

    /// The async runtime for the parts that are async (built per command, only by those
    /// that need it).
    pub fn runtime(&self) -> Result<tokio::runtime::Runtime, AppError> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| AppError::internal("could not start the async runtime").with_source(e))
    }

    /// The store an existing profile is in (`verify`, `remove`); see [`open_existing`].
    pub fn existing_store(&self) -> Result<Box<dyn CredentialStore>, AppError> {
        let index = ProfileIndex::load(&self.index_path()?)?;
        let open = |kind| (self.stores)(kind, crate::store::DEFAULT_TIMEOUT);
        open_existing(&self.globals.profile, self.globals.store, &index, &open)
    }

    /// The store a profile lives in: `--store` if given, else the one the profile index
    /// records for it, else the default (new profiles).
    pub fn store_kind(&self) -> Result<StoreKind, StoreError> {
        if let Some(kind) = self.globals.store {
            return Ok(kind);
        }
        let index = ProfileIndex::load(&self.index_path()?)?;
        Ok(index
            .get(&self.globals.profile)
            .map(|r| r.store)
            .unwrap_or_default())
    }
}

/// A command that failed, with what it had done by then (e.g. the proof's checks), so the
/// JSON envelope and the human report can still show it.
#[derive(Debug)]
pub struct Failure {
    pub error: AppError,
    pub partial: Option<Value>,
}

impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Failure {
            error,
            partial: None,
        }
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        AppError::from(error).into()
    }
}

pub type CommandResult = Result<Value, Failure>;

/// What a command produced: its JSON `result`, the error if it failed, and the warnings
/// met on the way (for the envelope).
#[derive(Debug, Default)]
pub struct Outcome {
    pub result: Option<Value>,
    pub error: Option<AppError>,
    pub warnings: Vec<String>,
}

impl Outcome {
    pub fn new(result: CommandResult, warnings: Vec<String>) -> Self {
        match result {
            Ok(value) => Outcome {
                result: Some(value),
                error: None,
                warnings,
            },
            Err(f) => Outcome {
                result: f.partial,
                error: Some(f.error),
                warnings,
            },
        }
    }

    /// A run that ended in `error` before producing anything.
    pub fn failed(error: AppError) -> Self {
        Outcome {
            result: None,
            error: Some(error),
            warnings: Vec::new(),
        }
    }

    pub fn exit_code(&self) -> u8 {
        self.error.as_ref().map_or(0, AppError::exit_code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept() -> Vec<String> {
        ["--profile", "acme uat", "--store", "keyutils", "--demo"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn a_suggested_command_keeps_every_option_the_admin_gave_and_is_not_repeated() {
        let text = "run `sf-webex-setup init --profile acme --force` or `sf-webex-setup status`; then wait";
        assert_eq!(
            keep_options(text, &kept()),
            "run `sf-webex-setup init --profile acme --force --store keyutils --demo` or `sf-webex-setup status --profile 'acme uat' --store keyutils --demo`; then wait"
        );
        assert_eq!(keep_options("no command here", &kept()), "no command here");
        assert_eq!(
            keep_options("`sf-webex-setup` ok", &[]),
            "`sf-webex-setup` ok"
        );
    }

    #[test]
    fn globals_build_commands_with_the_kept_options() {
        let g = Globals {
            json: false,
            verbose: false,
            interactive: false,
            profile: "acme uat".into(),
            store: Some(StoreKind::Keyutils),
            kept: kept(),
        };
        assert_eq!(
            g.command("verify"),
            "sf-webex-setup verify --profile 'acme uat' --store keyutils --demo"
        );
    }
}
