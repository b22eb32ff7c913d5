//! The read-back of the app from the simulated org's Metadata API: our SOAP client against
//! the simulator for every misconfiguration knob (readback), the raw SOAP shapes and faults
//! (soap), and jsforce, a Salesforce client nobody here wrote, reading the same app
//! (jsforce), the emitted app resolved by Salesforce's source engine (source), the
//! `metadata` command that writes it (command), and the script that installs both (script). Every org runs on 127.0.0.1
//! and is started by its test.

mod command;
mod jsforce;
mod readback;
#[cfg(unix)]
mod script;
mod soap;
mod source;

use secrecy::SecretString;
use sf_webex_setup::metadata::EcaSpec;
use sf_webex_setup::simulator::SimConfig;

use crate::simulator::{org, Org};

/// A Webex-ready org changed by `change`, and a live access token from a real sign-in.
pub async fn signed_in(change: impl FnOnce(&mut SimConfig)) -> (Org, SecretString) {
    let org = org(change).await;
    let tokens = org.tokens().await;
    let access = tokens["access_token"]
        .as_str()
        .expect("an access token")
        .to_owned();
    (org, SecretString::from(access))
}

/// What the admin answered for the simulated app: the recipe, with the test's loopback line.
pub fn answers(org: &Org) -> EcaSpec {
    let m = &org.sim.config().metadata;
    let mut spec = EcaSpec::webex(
        &m.api_name,
        &m.contact_email,
        std::slice::from_ref(&org.loopback),
    );
    spec.label = m.label.clone();
    spec
}

mod proof {
    //! The read-back inside the OAuth proof: the `metadata_…` checks after the sign-in.

    use sf_webex_setup::metadata::EcaSpec;
    use sf_webex_setup::proof::{prove, ProofTarget};
    use sf_webex_setup::recipe::metadata::PermittedUsers;
    use sf_webex_setup::report::{CheckId, CheckStatus, Report};
    use sf_webex_setup::simulator::SimConfig;

    use crate::proof::harness::{ProveAgainst, ScriptedUi};
    use crate::support::{org, SimOrg};

    const METADATA: [CheckId; 10] = [
        CheckId::MetadataCallbackUrls,
        CheckId::MetadataScopes,
        CheckId::MetadataSecretWebServerFlow,
        CheckId::MetadataSecretRefreshTokenFlow,
        CheckId::MetadataPkce,
        CheckId::MetadataDistributionState,
        CheckId::MetadataPermittedUsers,
        CheckId::MetadataRefreshTokenPolicy,
        CheckId::MetadataIpRelaxation,
        CheckId::MetadataRefreshTokenRotation,
    ];

    async fn proof_with_read_back(change: impl FnOnce(&mut SimConfig)) -> (SimOrg, Report) {
        let org = org(change).await;
        let m = org.sim.config().metadata.clone();
        let extra: Vec<String> = org.callbacks[1..].to_vec();
        let expected = EcaSpec::webex(&m.api_name, &m.contact_email, &extra);
        let target = ProofTarget {
            login: &org.login,
            credentials: &org.credentials,
            callback_urls: &org.callbacks,
            expected: Some(&expected),
        };
        let report = prove(&target, &org.options(), &mut ScriptedUi::default(), None)
            .await
            .expect("the proof runs");
        (org, report)
    }

    fn status(report: &Report, id: CheckId) -> CheckStatus {
        report
            .get(id)
            .unwrap_or_else(|| panic!("no {id}: {:#?}", report.checks))
            .status
    }

    #[tokio::test]
    async fn the_proof_reads_the_app_back_and_every_metadata_check_passes_for_a_recipe_app() {
        let (org, report) = proof_with_read_back(|_| {}).await;
        for id in METADATA {
            assert_eq!(
                status(&report, id),
                CheckStatus::Pass,
                "{id}: {:#?}",
                report.get(id)
            );
        }
        assert!(report.exit_error().is_none());
        assert_eq!(
            org.sim.stats().live_refresh_tokens,
            0,
            "the read-back's token is revoked too"
        );
    }

    #[tokio::test]
    async fn a_misconfiguration_fails_its_metadata_check_naming_the_setup_field() {
        let (_, report) = proof_with_read_back(|c| {
            c.metadata.permitted_users = PermittedUsers::AdminApprovedPreAuthorized
        })
        .await;
        let c = report
            .get(CheckId::MetadataPermittedUsers)
            .expect("reported");
        assert_eq!(c.status, CheckStatus::Fail, "{c:#?}");
        assert!(
            c.fix
                .as_deref()
                .unwrap_or_default()
                .contains("Permitted Users"),
            "{c:#?}"
        );
        assert_eq!(report.exit_error().map(|e| e.exit_code()), Some(3));
    }

    #[tokio::test]
    async fn without_metadata_permission_the_read_back_is_undecided_and_the_app_still_passes() {
        let (_, report) = proof_with_read_back(|c| c.metadata.permission = false).await;
        for id in METADATA {
            assert_eq!(status(&report, id), CheckStatus::Unknown, "{id}");
        }
        assert!(report.exit_error().is_none(), "{:#?}", report.checks);
    }
}
