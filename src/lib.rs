//! sf-webex-setup: a guided, validated setup of the Salesforce External Client App that
//! Webex Control Hub needs, proved with a real OAuth 2.0 authorization-code + PKCE round
//! trip, with the credentials kept in the OS keyring.
//!
//! # Layers, top to bottom
//!
//! Each module imports only from the layers below it (and never in a circle):
//!
//! 1. `main` (the binary): parse, run, print, exit — the only place that exits.
//! 2. [`app`]: the command line ([`cli`], clap types) mapped onto the commands' options;
//!    [`usage`] turns clap's errors into ours without repeating a typed value.
//! 3. [`commands`]: `init` (wizard → proof → store → hand-off), `verify` (one profile or
//!    all), `status`, `handoff`, `remove`, `metadata`, `simulate`, all given one
//!    [`commands::Context`] (printer, prompter, store opener, browser, clipboard, clock,
//!    HTTP client).
//! 4. [`wizard`] (the questions in Salesforce's order) and [`output`] (the human report and
//!    the `--json` envelope).
//! 5. [`proof`]: the verdicts — protocol results turned into checks, one report.
//! 6. [`oauth`]: the OAuth protocol (discovery, client, authorize, exchange, refresh, revoke,
//!    userinfo, signature) and receiving the callback ([`oauth::callback`]); [`metadata`]
//!    (the app as Metadata API source, written out or read back over SOAP and compared);
//!    [`browser`]; [`simulator`] (a Salesforce org on loopback, for the demo and the tests).
//! 7. Transport and the outside world: [`net`] (the one HTTP client; [`net::proxy`] picks
//!    the proxy, loopback always direct), [`store`] (the OS credential stores), [`prompt`]
//!    and [`terminal`] (the terminal), [`clipboard`], [`cancel`] and [`signals`] (Ctrl-C,
//!    SIGTERM), [`clock`].
//! 8. Pure logic: [`validate`] (each answer against Salesforce's rules and the recipe) and
//!    [`setup`] (the validated answers).
//! 9. Facts and vocabulary: [`recipe`] (the Webex requirements, the one source of truth),
//!    [`salesforce`] (hosts, endpoints, where credentials may go), [`report`] (check ids,
//!    checks, reports), [`error`] (error codes, exit codes), [`problem`], [`text`].
#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::print_stdout, clippy::print_stderr))]

pub mod app;
pub mod browser;
pub mod cancel;
pub mod cli;
pub mod clipboard;
pub mod clock;
pub mod commands;
pub mod error;
pub mod metadata;
pub mod net;
pub mod oauth;
pub mod output;
pub mod problem;
pub mod prompt;
pub mod proof;
#[cfg(test)]
mod prop_input;
pub mod recipe;
pub mod report;
pub mod salesforce;
pub mod setup;
pub mod signals;
pub mod simulator;
pub mod store;
pub mod terminal;
pub mod text;
pub mod usage;
pub mod validate;
pub mod wizard;
