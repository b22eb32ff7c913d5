//! The subcommands other than the `init` wizard: `init --verify` (alias `verify`),
//! `status` and `remove`. This file adapts the command line to each command's function.

pub mod remove;
pub mod simulate;
pub mod status;
pub mod verify;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::app::{self, CommandResult, Failure};
use crate::cli::{GlobalArgs, ProofArgs};
use crate::error::AppError;
use crate::init::proof_options;
use crate::init::proof_ui::TerminalProofUi;
use crate::oauth::browser::SystemBrowser;
use crate::oauth::http::Http;
use crate::oauth::proof::ProofUi;
use crate::prompt::{Prompter, Question, TerminalPrompter};
use crate::store::{
    open_store, CredentialStore, ProfileIndex, StoreError, StoreKind, DEFAULT_TIMEOUT,
};

/// `--store`, if given (else each command decides: the index's record, or the default).
pub fn store_kind(global: &GlobalArgs) -> Option<StoreKind> {
    global.store
}

/// The store a profile lives in: `--store` if given, else the one the profile index
/// records for it, else the default (new profiles). `init` and `verify` use this;
/// `remove::run_remove` applies the same rule to the index it already has open.
pub fn resolve_store_kind(global: &GlobalArgs) -> Result<StoreKind, AppError> {
    if let Some(kind) = store_kind(global) {
        return Ok(kind);
    }
    let index = ProfileIndex::load(&ProfileIndex::default_path()?)?;
    Ok(index
        .get(&global.profile)
        .map(|r| r.store)
        .unwrap_or_default())
}

fn open(kind: StoreKind) -> Result<Box<dyn CredentialStore>, StoreError> {
    open_store(kind, DEFAULT_TIMEOUT)
}

fn to_value(report: &impl serde::Serialize) -> Result<Value, AppError> {
    serde_json::to_value(report)
        .map_err(|e| AppError::internal(format!("could not serialise the report: {e}")))
}

pub fn status(global: &GlobalArgs, warnings: &mut Vec<String>) -> CommandResult {
    let index_path = ProfileIndex::default_path()?;
    let report = status::run_status(&index_path, Some(&open), global.json, &mut io::stdout())?;
    warnings.extend(report.warnings());
    Ok(to_value(&report)?)
}

pub fn remove(global: &GlobalArgs, force: bool) -> CommandResult {
    let index_path = ProfileIndex::default_path()?;
    let confirmed = force || (app::interactive(global) && confirm_removal(&global.profile)?);
    let report = remove::run_remove(
        &global.profile,
        store_kind(global),
        confirmed,
        &index_path,
        &open,
        global.json,
        &mut io::stdout(),
    )?;
    Ok(to_value(&report)?)
}

fn confirm_removal(profile: &str) -> Result<bool, AppError> {
    let q = Question {
        prompt: &format!("Delete the stored credentials of profile `{profile}`?"),
        flag: "--force",
        env: "",
    };
    TerminalPrompter::new()
        .confirm(&q, false)
        .map_err(|_| AppError::cancelled())
}

/// `init --verify` / `verify`: re-check the stored credentials; `--login` adds the full
/// proof. Non-interactive by default: a person is needed only to press Enter for `--login`.
pub fn verify(
    global: &GlobalArgs,
    login: bool,
    deadline: Duration,
    proof: &ProofArgs,
    warnings: &mut Vec<String>,
) -> CommandResult {
    let index_path = ProfileIndex::default_path()?;
    let store = open(resolve_store_kind(global)?)?;
    let interactive = login && app::interactive(global);
    let mut opts = verify::VerifyOptions::new(global.profile.clone(), Http::new()?);
    opts.json = global.json;
    opts.allow_custom_host = proof.allow_custom_host;
    opts.deadline = deadline;
    if login {
        opts.login = Some(proof_options(
            proof,
            interactive,
            true,
            Arc::new(SystemBrowser),
        )?);
    }
    let mut ui = TerminalProofUi::new(interactive);
    let ui: Option<&mut dyn ProofUi> = if login { Some(&mut ui) } else { None };
    let rt = app::runtime()?;
    let report = rt.block_on(verify::run_verify(
        &opts,
        store.as_ref(),
        Some(&index_path),
        ui,
        &mut io::stdout(),
    ))?;
    warnings.extend(report.warnings.iter().cloned());
    let value = to_value(&report)?;
    match report.exit_error() {
        Some(error) => Err(Failure {
            error,
            partial: Some(value),
        }),
        None => Ok(value),
    }
}
