//! `init --verify` (alias `verify`): re-checks a stored profile without a browser, bounded
//! in time, for cron and monitoring — and with `--login`, the full OAuth proof with the
//! stored credentials, after which "last verified" is updated.
//!
//! Steps: 1. the entry loads (the store is named); 2. discovery; 3-5. the key and every
//! stored callback, PKCE, and the secret (concurrently; see [`crate::proof::probe`]);
//! 6. with `--login`, [`crate::proof::prove`] (reusing the endpoints of step 2). Each item
//! prints as a `gh auth status`-style ✓/✗/? line with its fix.
//!
//! # JSON (`result` of the envelope)
//! `{"profile":"default","store":"secret-service","login_host":"acme.my.salesforce.com",
//! "checks":[{"id":"store_entry","title":"…","status":"pass","detail":"…"},…],
//! "identity":null,"round_trips":5,"callback_to_report_ms":0,"elapsed_ms":120,
//! "last_verified":"2026-…","last_verified_updated":false}` — the check objects are the
//! same as `init`'s. Exit: 0 when no check failed, 3 when one failed (Salesforce rejected
//! something), 4 store, 5 network ([`VerifyReport::exit_error`]).

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use super::init::proof_ui::TerminalProofUi;
use super::init::{proof_options, ProofFlags};
use super::{to_value, written, CommandResult, Context, Failure};
use crate::error::{AppError, ErrorCode};
use crate::output;
use crate::proof::probe::probe;
use crate::proof::{prove, ProofOptions, ProofTarget, ProofUi};
use crate::report::{Check, CheckId, Report};
use crate::salesforce::hosts::{parse_login_url, HostPolicy};
use crate::setup::Credentials;
use crate::store::{now_rfc3339, validate_profile_name, CredentialStore, ProfileIndex, StoreKind};

/// `verify`'s own options (the CLI maps its flags onto these).
#[derive(Clone, Debug)]
pub struct VerifyArgs {
    /// `--login`: also run the full proof.
    pub login: bool,
    /// `--timeout`: the bound on the no-login probes.
    pub timeout: Duration,
    pub proof: ProofFlags,
}

/// `verify` / `init --verify`.
pub fn run(ctx: &mut Context, args: &VerifyArgs, warnings: &mut Vec<String>) -> CommandResult {
    let index_path = ctx.index_path()?;
    let store = ctx.existing_store()?;
    let interactive = args.login && ctx.globals.interactive;
    let mut proof = proof_options(ctx, &args.proof, interactive, args.login)?;
    proof.deadline = args.timeout;
    let opts = VerifyOptions {
        profile: ctx.globals.profile.clone(),
        proof,
    };
    let mut ui = TerminalProofUi::new(ctx.printer.clone(), interactive);
    let rt = ctx.runtime()?;
    let report = rt.block_on(run_verify(
        &opts,
        store.as_ref(),
        Some(&index_path),
        &mut ui,
    ))?;
    let style = ctx.printer.check_style(ctx.globals.verbose);
    written(
        ctx.printer
            .result_with(|out| write_human(&report, style, out)),
    )?;
    warnings.extend(report.report.warnings.iter().cloned());
    let value = to_value(&report)?;
    match report.exit_error() {
        Some(error) => Err(Failure {
            error,
            partial: Some(value),
        }),
        None => Ok(value),
    }
}

/// What `init --verify` runs with: the profile and the proof's options (`login` there says
/// whether the full proof runs after the probes).
#[derive(Clone)]
pub struct VerifyOptions {
    pub profile: String,
    pub proof: ProofOptions,
}

#[derive(Clone, Debug, Serialize)]
pub struct VerifyReport {
    pub profile: String,
    pub store: StoreKind,
    pub login_host: String,
    #[serde(flatten)]
    pub report: Report,
    pub elapsed_ms: u128,
    pub last_verified: Option<String>,
    /// True when `--login` passed and the entry's `last_verified` was written.
    pub last_verified_updated: bool,
}

impl VerifyReport {
    /// The error to exit with: a network failure (5), else a failed check (3), else none.
    pub fn exit_error(&self) -> Option<AppError> {
        self.report.exit_error()
    }
}

/// Runs the re-check for `opts.profile` in `store`. `Err` for what stops it before any
/// check (invalid profile name 2, store failure or missing entry 4); otherwise the report,
/// whose [`VerifyReport::exit_error`] gives the exit code. `index_path`: the profile index
/// to update `last_verified` in. `ui` is used only with `--login`.
pub async fn run_verify(
    opts: &VerifyOptions,
    store: &dyn CredentialStore,
    index_path: Option<&Path>,
    ui: &mut dyn ProofUi,
) -> Result<VerifyReport, AppError> {
    let started = opts.proof.clock.now();
    let profile = &opts.profile;
    validate_profile_name(profile)?;
    let kind = store.kind();
    let mut app = store.load(profile).map_err(AppError::from)?;
    let policy = if opts.proof.allow_custom_host {
        HostPolicy::AllowCustom
    } else {
        HostPolicy::Strict
    };
    let login = parse_login_url(&app.login_url, policy).map_err(|p| {
        AppError::new(
            ErrorCode::StoredLoginUrlInvalid,
            format!("The stored login URL is not usable: {}", p.message),
        )
        .with_fix(format!(
            "run `sf-webex-setup init --profile {profile} --force` to store it again ({})",
            p.fix
        ))
    })?;
    let credentials = Credentials {
        consumer_key: app.consumer_key.clone(),
        consumer_secret: app.consumer_secret.clone(),
    };
    let target = ProofTarget {
        login: &login,
        credentials: &credentials,
        callback_urls: &app.callback_urls,
    };
    let mut proof = opts.proof.clone();
    proof.retry_command = format!("sf-webex-setup init --verify --profile {profile}");
    let probed = probe(&target, &proof).await;
    let mut report = probed.report;
    report.put(Check::pass(
        CheckId::StoreEntry,
        format!(
            "Profile `{profile}` loaded from the {} store (stored {}).",
            kind.describe(),
            app.stored_at
        ),
    ));
    report.sort();
    let mut last_verified_updated = false;
    if let (true, None, Some(discovered)) = (proof.login, &report.error, probed.discovered) {
        match prove(&target, &proof, ui, Some(discovered)).await {
            Ok(proved) => report.absorb(proved),
            Err(e) => report.error = Some(e),
        }
        if report.exit_error().is_none() {
            let now = now_rfc3339();
            app.last_verified = Some(now.clone());
            store.save(profile, &app)?;
            if let Some(path) = index_path {
                record_last_verified(path, profile, &now)?;
            }
            last_verified_updated = true;
        }
    }
    Ok(VerifyReport {
        profile: profile.clone(),
        store: kind,
        login_host: app.login_host(),
        report,
        elapsed_ms: opts
            .proof
            .clock
            .now()
            .saturating_duration_since(started)
            .as_millis(),
        last_verified: app.last_verified,
        last_verified_updated,
    })
}

/// Writes `last_verified` into the profile's index line, if it has one.
fn record_last_verified(path: &Path, profile: &str, now: &str) -> Result<(), AppError> {
    let mut index = ProfileIndex::load(path)?;
    if let Some(mut record) = index.get(profile).cloned() {
        record.last_verified = Some(now.to_string());
        index.upsert(record);
        index.save(path)?;
    }
    Ok(())
}

/// The human report: one line per check, when it was last verified, the warnings.
pub fn write_human(
    report: &VerifyReport,
    style: output::CheckStyle,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} (profile `{}`, {} store)",
        report.login_host, report.profile, report.store
    )?;
    for check in &report.report.checks {
        writeln!(out, "{}", output::check_line(check, style))?;
    }
    if let Some(at) = &report.last_verified {
        let note = if report.last_verified_updated {
            " (just now)"
        } else {
            ""
        };
        writeln!(out, "  Last verified with a login: {at}{note}")?;
    } else {
        writeln!(out, "  Never verified with a login; run `sf-webex-setup init --verify --login --profile {}`", report.profile)?;
    }
    for w in &report.report.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}
