//! `verify --all`: every stored profile re-checked at once — for cron, systemd timers and
//! consultants with many orgs. The entries are loaded one after the other (each keyring
//! call is bounded), then the no-login checks of up to `--jobs` profiles run concurrently
//! over the one HTTP client. One line per profile, the details under each that failed; the
//! outcome of each is written to the profile index in one write (for `status`).
//!
//! # JSON (`result` of the envelope)
//! `{"profiles":[{…a verify result…}],"unloadable":[{"profile":"…","code":"…","message":"…"}],
//! "failed":["uat"]}` — exit 3 when a profile failed a check, else the first profile's
//! error (4 store, 5 network), else 0.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;
use tokio::sync::Semaphore;

use super::profile::Loaded;
use super::proof_flags::proof_options;
use super::verify::{record_checks, VerifyArgs, VerifyReport};
use super::{to_value, written, CommandResult, Context, Failure};
use crate::error::{AppError, ErrorCode};
use crate::oauth::discovery::{self, Discovered};
use crate::output;
use crate::proof::options::NoPerson;
use crate::proof::ProofOptions;
use crate::report::CheckStatus;
use crate::store::{CredentialStore, ProfileIndex, StoreKind, DEFAULT_TIMEOUT};

#[derive(Debug, Serialize)]
pub struct AllReport {
    pub profiles: Vec<VerifyReport>,
    pub unloadable: Vec<Unloadable>,
    /// Profiles that failed a check or could not be checked.
    pub failed: Vec<String>,
}

/// A profile whose entry could not be loaded.
#[derive(Debug, Serialize)]
pub struct Unloadable {
    pub profile: String,
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip)]
    pub error: AppError,
}

pub fn run(
    ctx: &mut Context,
    args: &VerifyArgs,
    jobs: usize,
    warnings: &mut Vec<String>,
) -> CommandResult {
    let index_path = ctx.index_path()?;
    let index = ProfileIndex::load(&index_path)?;
    let mut proof = proof_options(ctx, &args.proof, false, false)?;
    proof.deadline = args.timeout;
    proof.retry_command = ctx.globals.command("verify --all");
    let (loaded, unloadable) = load_all(ctx, &index, &index_path, proof.allow_custom_host);
    let rt = ctx.runtime()?;
    let checked = rt.block_on(async {
        let discovered = discover_each_host(&loaded, &proof).await;
        let slots = Semaphore::new(jobs.max(1));
        let checks = loaded.iter().map(|l| async {
            let _slot = slots.acquire().await.ok();
            let started = proof.clock.now();
            let known = discovered.get(&l.login.origin()).cloned().flatten();
            let report = l.check(&proof, &mut NoPerson, known).await;
            (report, proof.clock.now().saturating_duration_since(started))
        });
        futures_util::future::join_all(checks).await
    });
    let outcomes: Vec<_> = loaded
        .iter()
        .zip(&checked)
        .map(|(l, (report, _))| (l.profile.as_str(), report, l.app.last_verified.as_deref()))
        .collect();
    record_checks(&index_path, &outcomes)?;
    let profiles: Vec<VerifyReport> = loaded
        .into_iter()
        .zip(checked)
        .map(|(l, (report, took))| VerifyReport::of(l, report, took, false))
        .collect();
    let failed = profiles
        .iter()
        .filter(|p| p.exit_error().is_some())
        .map(|p| p.profile.clone())
        .chain(unloadable.iter().map(|u| u.profile.clone()))
        .collect();
    let all = AllReport {
        profiles,
        unloadable,
        failed,
    };
    written(ctx.printer.result_with(|out| write_human(&all, out)))?;
    for p in &all.profiles {
        warnings.extend(
            p.report
                .warnings
                .iter()
                .map(|w| format!("{}: {w}", p.profile)),
        );
    }
    let value = to_value(&all)?;
    match exit_error(&all) {
        Some(error) => Err(Failure {
            error,
            partial: Some(value),
        }),
        None => Ok(value),
    }
}

/// Each distinct login host's endpoints, discovered once (concurrently): many profiles of a
/// consultant share a host, and one discovery per profile would add a round trip to each.
/// A host whose discovery failed is left to each profile's own probe, which reports it.
async fn discover_each_host(
    loaded: &[Loaded],
    proof: &ProofOptions,
) -> HashMap<String, Option<Discovered>> {
    let mut hosts: Vec<&Loaded> = Vec::new();
    for l in loaded {
        if !hosts.iter().any(|h| h.login.origin() == l.login.origin()) {
            hosts.push(l);
        }
    }
    let found = hosts.iter().map(|l| async {
        let d = discovery::discover(&proof.http, &l.login, proof.allow_custom_host).await;
        (l.login.origin(), d.ok())
    });
    futures_util::future::join_all(found)
        .await
        .into_iter()
        .collect()
}

/// Every indexed profile's entry, each store opened once; those that cannot be loaded are
/// reported, not fatal.
fn load_all(
    ctx: &Context,
    index: &ProfileIndex,
    index_path: &std::path::Path,
    allow_custom: bool,
) -> (Vec<Loaded>, Vec<Unloadable>) {
    let mut stores: HashMap<StoreKind, Result<Box<dyn CredentialStore>, AppError>> = HashMap::new();
    let (mut loaded, mut unloadable) = (Vec::new(), Vec::new());
    for record in &index.profiles {
        let store = stores
            .entry(record.store)
            .or_insert_with(|| (ctx.stores)(record.store, DEFAULT_TIMEOUT).map_err(AppError::from));
        let result = match store {
            Ok(store) => Loaded::from_store(
                store.as_ref(),
                Some(index_path),
                &record.profile,
                allow_custom,
            ),
            Err(e) => Err(e.clone()),
        };
        match result {
            Ok(l) => loaded.push(l),
            Err(error) => unloadable.push(Unloadable {
                profile: record.profile.clone(),
                code: error.code,
                message: error.message.clone(),
                error,
            }),
        }
    }
    (loaded, unloadable)
}

/// Exit 3 naming the profiles that failed a check; else the first profile's own error.
fn exit_error(all: &AllReport) -> Option<AppError> {
    let rejected: Vec<&str> = all
        .profiles
        .iter()
        .filter(|p| {
            p.report
                .checks
                .iter()
                .any(|c| c.status == CheckStatus::Fail)
        })
        .map(|p| p.profile.as_str())
        .collect();
    if let Some(first) = rejected.first() {
        return Some(
            AppError::new(
                ErrorCode::ProfileFailed,
                format!(
                    "{} of {} profile(s) failed: {}.",
                    rejected.len(),
                    all.profiles.len() + all.unloadable.len(),
                    rejected.join(", ")
                ),
            )
            .with_fix(format!(
                "run `sf-webex-setup verify --profile {first}` for the details and the fix"
            )),
        );
    }
    all.profiles
        .iter()
        .find_map(VerifyReport::exit_error)
        .or_else(|| all.unloadable.first().map(|u| u.error.clone()))
}

/// One line per profile; under each that failed, its failing or undecided checks.
fn write_human(all: &AllReport, out: &mut dyn Write) -> std::io::Result<()> {
    let count = all.profiles.len() + all.unloadable.len();
    if count == 0 {
        return writeln!(
            out,
            "No profiles stored yet; run `sf-webex-setup init` first."
        );
    }
    writeln!(out, "Checked {count} profile(s):")?;
    for p in &all.profiles {
        let failed: Vec<&str> = p
            .report
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .map(|c| c.id.as_str())
            .collect();
        match (&p.report.error, failed.is_empty()) {
            (None, true) => writeln!(out, "  ✓ {}  {}", p.profile, p.login_host)?,
            (error, _) => {
                let why = match error {
                    Some(e) if failed.is_empty() => e.message.clone(),
                    _ => format!("failed {}", failed.join(", ")),
                };
                writeln!(out, "  ✗ {}  {}: {why}", p.profile, p.login_host)?;
                for c in p
                    .report
                    .checks
                    .iter()
                    .filter(|c| c.status != CheckStatus::Pass)
                {
                    writeln!(
                        out,
                        "    {}",
                        output::check_line(c, output::CheckStyle::default()).trim_start()
                    )?;
                }
            }
        }
    }
    for u in &all.unloadable {
        writeln!(out, "  ✗ {}: {}", u.profile, u.error)?;
    }
    Ok(())
}
