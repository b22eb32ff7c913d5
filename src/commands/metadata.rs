//! `metadata --out DIR`: the wizard's app steps (org to Security), then the app written as
//! a Salesforce DX project to deploy with the sf CLI, and what is left to do by hand.
//! Nothing is stored and no credential is asked: Salesforce generates them at the deploy.
//!
//! # JSON (`result` of the envelope)
//! `{"app":{"login_url":"…","name":"…",…},"written":{"dir":"…","files":["…"],"manifest":"…"},
//! "deploy":{"login":"…","command":"…","by_hand":["…"],"if_it_fails":["…"]}}`

use std::path::PathBuf;

use serde_json::json;

use super::{CommandResult, Context};
use crate::cancel;
use crate::error::{AppError, ErrorCode};
use crate::metadata::{deploy_instructions, write_app_metadata, WriteError};
use crate::salesforce::hosts::HostPolicy;
use crate::wizard::{self, summary, Answers, Presets};

/// Everything `metadata` was told on the command line.
#[derive(Clone, Debug)]
pub struct MetadataOptions {
    pub answers: Answers,
    /// `--allow-custom-host`.
    pub allow_custom_host: bool,
    /// `--out`.
    pub out: PathBuf,
    /// `--force`: replace the app's files in a folder that is not empty.
    pub force: bool,
    /// `--target-org`: the sf CLI alias named in the deploy command.
    pub target_org: Option<String>,
}

pub fn run(ctx: &mut Context, opts: MetadataOptions, warnings: &mut Vec<String>) -> CommandResult {
    cancel::set_message("Cancelled; nothing was written.");
    let policy = if opts.allow_custom_host {
        HostPolicy::AllowCustom
    } else {
        HostPolicy::Strict
    };
    let mut presets = Presets::new(policy);
    presets.answers = opts.answers;
    let outcome = wizard::run_app(ctx.prompter.as_mut(), presets)?;
    if !ctx.globals.interactive {
        // An interactive run said these as they came up.
        outcome.warnings.iter().for_each(|w| ctx.printer.warn(w));
    }
    warnings.extend(outcome.warnings);
    let written = write_app_metadata(&outcome.spec, &opts.out, opts.force).map_err(write_failed)?;
    let origin = outcome.login.origin();
    let deploy = deploy_instructions(&written, opts.target_org.as_deref(), Some(&origin));
    let files: Vec<String> = written
        .files
        .iter()
        .map(|f| format!("  {}", f.display()))
        .collect();
    ctx.printer.result(&format!(
        "\nWrote the app \"{}\" (API Name {}) into {}:\n{}\n\n{deploy}",
        outcome.spec.label,
        outcome.spec.api_name,
        written.dir.display(),
        files.join("\n")
    ));
    Ok(json!({
        "app": summary::spec_json(&outcome.login, &outcome.spec),
        "written": written,
        "deploy": deploy,
    }))
}

/// A write failure with its stable code and the exact fix; nothing half-written is left
/// (each file is renamed into place).
fn write_failed(e: WriteError) -> AppError {
    let code = match &e {
        WriteError::Invalid(_) => ErrorCode::MetadataNotWritable,
        WriteError::NotEmpty { .. } => ErrorCode::OutputDirNotEmpty,
        WriteError::NotADirectory { .. } | WriteError::Io { .. } => ErrorCode::OutputDirUnwritable,
    };
    let fix = e.fix();
    let message = match &e {
        WriteError::Invalid(problem) => problem.message.clone(),
        other => format!("The app was not written: {other}."),
    };
    AppError::new(code, message).with_fix(fix).with_source(e)
}
