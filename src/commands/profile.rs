//! A stored profile, loaded from its store and ready to be checked (by `verify`,
//! `verify --all` and `handoff`).

use std::path::Path;

use crate::error::{AppError, ErrorCode};
use crate::metadata::EcaSpec;
use crate::oauth::discovery::Discovered;
use crate::proof::probe::probe;
use crate::proof::{prove, ProofOptions, ProofTarget, ProofUi};
use crate::report::{Check, CheckId, Report};
use crate::salesforce::hosts::{parse_login_url, HostPolicy, LoginHost};
use crate::setup::Credentials;
use crate::store::{load_with_index, validate_profile_name, CredentialStore, StoreKind, StoredApp};

/// A stored profile, loaded and ready to be checked.
pub struct Loaded {
    pub profile: String,
    pub kind: StoreKind,
    pub app: StoredApp,
    pub login: LoginHost,
    pub credentials: Credentials,
    /// The app as the recipe wants it, with its stored callback lines (the read-back after
    /// a sign-in compares Salesforce's record with this).
    pub expected: EcaSpec,
}

impl Loaded {
    /// Loads `profile` from `store`. `Err` for what stops a check before it starts: an
    /// invalid profile name (2), a store failure or missing entry (4), a stored login URL
    /// that is no longer accepted (4).
    /// `index_path`: where the parts an entry may leave to the index are (see
    /// [`load_with_index`]).
    pub fn from_store(
        store: &dyn CredentialStore,
        index_path: Option<&Path>,
        profile: &str,
        allow_custom_host: bool,
    ) -> Result<Loaded, AppError> {
        validate_profile_name(profile)?;
        let app = load_with_index(store, index_path, profile).map_err(AppError::from)?;
        let policy = if allow_custom_host {
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
        let extra: Vec<String> = app
            .callback_urls
            .iter()
            .filter(|u| *u != crate::recipe::WEBEX_CALLBACK_URL)
            .cloned()
            .collect();
        let expected = EcaSpec::webex(&app.api_name, "", &extra);
        Ok(Loaded {
            profile: profile.to_string(),
            kind: store.kind(),
            app,
            login,
            credentials,
            expected,
        })
    }

    fn target(&self) -> ProofTarget<'_> {
        ProofTarget {
            login: &self.login,
            credentials: &self.credentials,
            callback_urls: &self.app.callback_urls,
            expected: Some(&self.expected),
        }
    }

    /// The no-login probes, then (with `proof.login`) the proof, reusing their endpoints.
    /// `known`: the login host's endpoints, if this run discovered them already.
    pub async fn check(
        &self,
        proof: &ProofOptions,
        ui: &mut dyn ProofUi,
        known: Option<Discovered>,
    ) -> Report {
        let target = self.target();
        let probed = probe(&target, proof, known).await;
        let mut report = probed.report;
        report.put(Check::pass(
            CheckId::StoreEntry,
            format!(
                "Profile `{}` loaded from the {} store (stored {}).",
                self.profile,
                self.kind.describe(),
                self.app.stored_at
            ),
        ));
        report.sort();
        if let (true, None, Some(discovered)) = (proof.login, &report.error, probed.discovered) {
            match prove(&target, proof, ui, Some(discovered)).await {
                Ok(proved) => report.absorb(proved),
                Err(e) => report.error = Some(e),
            }
        }
        report
    }
}
