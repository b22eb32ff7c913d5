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
use super::profile::Loaded;
use super::proof_flags::{proof_options, ProofFlags};
use super::{to_value, written, CommandResult, Context, Failure};
use crate::error::{AppError, ErrorCode};
use crate::output;
use crate::proof::{ProofOptions, ProofUi};
use crate::report::{Check, CheckId, CheckStatus, Report};
use crate::store::index::LastCheck;
use crate::store::{now_rfc3339, CredentialStore, ProfileIndex, StoreKind};

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
    proof.retry_command = ctx.globals.command("verify");
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

/// What `verify` must decide to pass: the key with the Webex callback, and the secret. An
/// org that answers errors everywhere (an outage) leaves them `?`, and a monitor must not
/// read that as "ok".
const MUST_DECIDE: [CheckId; 2] = [CheckId::ClientAndCallback, CheckId::SecretAccepted];

impl VerifyReport {
    /// The error to exit with: a network failure (5), else a failed check (3), else a check
    /// that matters left undecided (6), else none.
    pub fn exit_error(&self) -> Option<AppError> {
        self.report.exit_error().or_else(|| self.undecided())
    }

    fn undecided(&self) -> Option<AppError> {
        let open: Vec<&Check> = MUST_DECIDE
            .iter()
            .filter_map(|id| self.report.get(*id))
            .filter(|c| c.status == CheckStatus::Unknown)
            .collect();
        let first = open.first()?;
        let ids: Vec<&str> = open.iter().map(|c| c.id.as_str()).collect();
        Some(
            AppError::new(
                ErrorCode::ChecksUndecided,
                format!(
                    "{} could not be decided: {}",
                    ids.join(" and "),
                    first.detail
                ),
            )
            .with_fix(format!(
                "the org may be down or in maintenance (https://status.salesforce.com); run `sf-webex-setup verify --profile {}` again later",
                self.profile
            )),
        )
    }
}

impl VerifyReport {
    /// The report for people and `--json`.
    pub fn of(loaded: Loaded, report: Report, elapsed: Duration, updated: bool) -> VerifyReport {
        VerifyReport {
            login_host: loaded.app.login_host(),
            profile: loaded.profile,
            store: loaded.kind,
            report,
            elapsed_ms: elapsed.as_millis(),
            last_verified: loaded.app.last_verified,
            last_verified_updated: updated,
        }
    }
}

/// Runs the re-check for `opts.profile` in `store`. `Err` for what stops it before any
/// check (see [`Loaded::from_store`]); otherwise the report, whose
/// [`VerifyReport::exit_error`] gives the exit code. `index_path`: the profile index to
/// record the outcome in. `ui` is used only with `--login`, after which a pass updates the
/// entry's "last verified".
pub async fn run_verify(
    opts: &VerifyOptions,
    store: &dyn CredentialStore,
    index_path: Option<&Path>,
    ui: &mut dyn ProofUi,
) -> Result<VerifyReport, AppError> {
    let started = opts.proof.clock.now();
    let mut loaded = Loaded::from_store(
        store,
        index_path,
        &opts.profile,
        opts.proof.allow_custom_host,
    )?;
    let report = loaded.check(&opts.proof, ui, None).await;
    let updated = opts.proof.login && report.exit_error().is_none();
    if updated {
        loaded.app.last_verified = Some(now_rfc3339());
        store.save(&loaded.profile, &loaded.app)?;
    }
    if let Some(path) = index_path {
        record_checks(
            path,
            &[(
                &loaded.profile,
                &report,
                loaded.app.last_verified.as_deref(),
            )],
        )?;
    }
    let elapsed = opts.proof.clock.now().saturating_duration_since(started);
    Ok(VerifyReport::of(loaded, report, elapsed, updated))
}

/// Writes what each check found (and `last_verified`) into the profiles' index lines, in
/// one write, so `status` can show each profile's health without a network call.
pub fn record_checks(
    path: &Path,
    checked: &[(&str, &Report, Option<&str>)],
) -> Result<(), AppError> {
    let now = now_rfc3339();
    ProfileIndex::update(path, |index| {
        for (profile, report, last_verified) in checked {
            let Some(mut record) = index.get(profile).cloned() else {
                continue;
            };
            let failed: Vec<String> = report
                .checks
                .iter()
                .filter(|c| c.status == CheckStatus::Fail)
                .map(|c| c.id.to_string())
                .chain(report.error.iter().map(|e| e.code.to_string()))
                .collect();
            record.last_check = Some(LastCheck {
                at: now.clone(),
                passed: failed.is_empty(),
                failed,
            });
            record.last_verified = last_verified.map(str::to_string);
            index.upsert(record);
        }
    })?;
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
