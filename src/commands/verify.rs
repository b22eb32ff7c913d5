//! `init --verify` (alias `verify`): re-checks a stored profile without a browser, bounded
//! in time, for cron and monitoring — and with `--login`, the full OAuth proof with the
//! stored credentials, after which "last verified" is updated.
//!
//! Steps: 1. the entry loads (the store is named); 2. discovery; 3-5. the key and every
//! stored callback, PKCE, and the secret (concurrently; see [`crate::oauth::probe`]);
//! 6. with `--login`, [`crate::oauth::proof`]. Each item prints as a `gh auth status`-style
//! ✓/✗/? line with its fix.
//!
//! # JSON (`result` of the envelope)
//! `{"profile":"default","store":"secret-service","login_host":"acme.my.salesforce.com",
//! "checks":[{"id":"store_entry","title":"…","status":"pass","detail":"…"},…],
//! "identity":null,"round_trips":5,"elapsed_ms":120,"last_verified":"2026-…","last_verified_updated":false}`
//! — the check objects are the same as `init`'s. Exit: 0 when no check failed, 3 when one
//! failed (Salesforce rejected something), 4 store, 5 network ([`VerifyReport::exit_error`]).

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::status::write_or_ignore_closed_pipe;
use crate::error::{AppError, ExitKind};
use crate::oauth::checks::{self, title};
use crate::oauth::http::Http;
use crate::oauth::probe::{probe, rejected, ProbeOptions};
use crate::oauth::proof::{prove_target, Identity, ProofOptions, ProofTarget, ProofUi};
use crate::output;
use crate::report::Check;
use crate::salesforce::hosts::{parse_login_url, HostPolicy};
use crate::setup::Credentials;
use crate::store::{
    load_with_index, now_rfc3339, validate_profile_name, CredentialStore, ProfileIndex, StoreKind,
};

/// The plain options `init --verify` runs with (the CLI maps its flags onto these).
#[derive(Clone)]
pub struct VerifyOptions {
    pub profile: String,
    /// `--json`: write nothing to `out`; the caller prints the envelope.
    pub json: bool,
    /// `--allow-custom-host` (the stored login URL is not Salesforce: tests, the simulator).
    pub allow_custom_host: bool,
    pub http: Http,
    /// Upper bound on the no-login probes.
    pub deadline: Duration,
    /// `--login`: also run the full proof with these options (its browser, timeout, …).
    pub login: Option<ProofOptions>,
}

impl VerifyOptions {
    pub fn new(profile: impl Into<String>, http: Http) -> Self {
        VerifyOptions {
            profile: profile.into(),
            json: false,
            allow_custom_host: false,
            http,
            deadline: crate::oauth::probe::DEFAULT_DEADLINE,
            login: None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct VerifyReport {
    pub profile: String,
    pub store: StoreKind,
    pub login_host: String,
    pub checks: Vec<Check>,
    pub identity: Option<Identity>,
    pub round_trips: u32,
    pub elapsed_ms: u128,
    pub last_verified: Option<String>,
    /// True when `--login` passed and the entry's `last_verified` was written.
    pub last_verified_updated: bool,
    #[serde(skip)]
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub error: Option<AppError>,
}

impl VerifyReport {
    /// The error to exit with: a network failure (5), else a failed check (3), else none.
    pub fn exit_error(&self) -> Option<AppError> {
        self.error.clone().or_else(|| rejected(&self.checks))
    }
}

/// Runs the re-check for `opts.profile` in `store`. `Err` for what stops it before any
/// check (invalid profile name 2, store failure or missing entry 4); otherwise the report,
/// whose [`VerifyReport::exit_error`] gives the exit code. `index_path`: the profile index
/// to update `last_verified` in. `ui` is needed only with `--login`.
pub async fn run_verify(
    opts: &VerifyOptions,
    store: &dyn CredentialStore,
    index_path: Option<&Path>,
    ui: Option<&mut dyn ProofUi>,
    out: &mut dyn Write,
) -> Result<VerifyReport, AppError> {
    let started = Instant::now();
    validate_profile_name(&opts.profile)?;
    let kind = store.kind();
    let mut app = load_with_index(store, index_path, &opts.profile).map_err(AppError::from)?;
    let policy = if opts.allow_custom_host {
        HostPolicy::AllowCustom
    } else {
        HostPolicy::Strict
    };
    let login = parse_login_url(&app.login_url, policy).map_err(|p| {
        AppError::new(
            ExitKind::Store,
            "stored_login_url_invalid",
            format!("The stored login URL is not usable: {}", p.message),
        )
        .with_fix(format!(
            "run `sf-webex-setup init --profile {} --force` to store it again ({})",
            opts.profile, p.fix
        ))
    })?;
    let credentials = Credentials {
        consumer_key: app.consumer_key.clone(),
        consumer_secret: app.consumer_secret.clone(),
    };
    let entry = Check::pass(
        checks::STORE_ENTRY,
        title(checks::STORE_ENTRY),
        format!(
            "Profile `{}` loaded from the {} store (stored {}).",
            opts.profile,
            kind.describe(),
            app.stored_at
        ),
    );

    let probe_opts = ProbeOptions {
        allow_custom_host: opts.allow_custom_host,
        http: opts.http.clone(),
        deadline: opts.deadline,
        retry_command: format!("sf-webex-setup init --verify --profile {}", opts.profile),
    };
    let probed = probe(&login, &credentials, &app.callback_urls, &probe_opts).await;
    let mut report = VerifyReport {
        profile: opts.profile.clone(),
        store: kind,
        login_host: app.login_host(),
        checks: std::iter::once(entry).chain(probed.checks).collect(),
        identity: None,
        round_trips: probed.round_trips,
        elapsed_ms: 0,
        last_verified: app.last_verified.clone(),
        last_verified_updated: false,
        warnings: probed.warnings,
        error: probed.error,
    };

    if let (Some(proof_opts), Some(ui), None) = (&opts.login, ui, &report.error) {
        let target = ProofTarget {
            login: &login,
            credentials: &credentials,
            callback_urls: &app.callback_urls,
        };
        match prove_target(&target, proof_opts, ui).await {
            Ok(proof) => {
                report.round_trips += proof.round_trips;
                report.identity = proof.identity.clone();
                for check in proof.checks {
                    report.checks.retain(|c| c.id != check.id);
                    report.checks.push(check);
                }
                report.error = proof.error;
                for w in proof.warnings {
                    if !report.warnings.contains(&w) {
                        report.warnings.push(w);
                    }
                }
            }
            Err(e) => report.error = Some(e),
        }
        report.checks.sort_by_key(|c| {
            checks::ALL
                .iter()
                .position(|id| *id == c.id)
                .unwrap_or(usize::MAX)
        });
        if report.exit_error().is_none() {
            let now = now_rfc3339();
            app.last_verified = Some(now.clone());
            store.save(&opts.profile, &app)?;
            if let Some(path) = index_path {
                let mut index = ProfileIndex::load(path)?;
                if let Some(mut record) = index.get(&opts.profile).cloned() {
                    record.last_verified = Some(now.clone());
                    index.upsert(record);
                    index.save(path)?;
                }
            }
            report.last_verified = Some(now);
            report.last_verified_updated = true;
        }
    } else if opts.login.is_some() && report.error.is_none() {
        return Err(AppError::internal(
            "init --verify --login was called without a way to talk to the person (ProofUi).",
        ));
    }
    report.elapsed_ms = started.elapsed().as_millis();
    if !opts.json {
        write_or_ignore_closed_pipe(write_human(&report, out))?;
    }
    Ok(report)
}

fn write_human(report: &VerifyReport, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{} (profile `{}`, {} store)",
        report.login_host, report.profile, report.store
    )?;
    for check in &report.checks {
        writeln!(out, "{}", output::check_line(check))?;
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
    for w in &report.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}
