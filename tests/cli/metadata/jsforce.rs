//! jsforce's Metadata API client (`conn.metadata.list` / `conn.metadata.read`, npm, pinned
//! in tests/jsforce/package-lock.json) reads the simulated app and gets the recipe's values.
//! A simulated-org change that a real Salesforce client cannot read fails here.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sf_webex_setup::recipe::metadata::{MetadataType, API_VERSION};
use sf_webex_setup::recipe::{self, SecurityOption};
use sf_webex_setup::simulator::SimConfig;

use super::signed_in;
use crate::simulator::Org;

pub fn jsforce_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/jsforce")
}

/// jsforce's view of `types`, or `None` (skipped) when it is not installed — which fails
/// the test under CI=true.
async fn jsforce_reads(org: &Org, token: &SecretString, types: &[MetadataType]) -> Option<Value> {
    if !installed("jsforce") {
        return None;
    }
    let names: Vec<&str> = types.iter().map(|t| t.name()).collect();
    let mut command = Command::new("node");
    command
        .arg("read-metadata.mjs")
        .current_dir(jsforce_dir())
        .env(
            "SF_INSTANCE_URL",
            org.sim.base_url().as_str().trim_end_matches('/'),
        )
        .env("SF_ACCESS_TOKEN", token.expose_secret())
        .env("SF_API_VERSION", API_VERSION)
        .env("SF_TYPES", names.join(","))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Off the runtime's thread (the simulated org answers jsforce from this runtime), and
    // bounded: a client that hangs fails the test instead of stalling the suite.
    let output = tokio::task::spawn_blocking(move || run_bounded(command))
        .await
        .expect("the node thread");
    Some(json_of(&output))
}

/// Whether the npm `package` is in tests/jsforce; if not, says the test is skipped — which
/// fails it under CI=true.
pub fn installed(package: &str) -> bool {
    if jsforce_dir().join("node_modules").join(package).is_dir() {
        return true;
    }
    let why = format!("skipped: {package} is not installed; run scripts/jsforce.sh install");
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "{why} (CI=true)"
    );
    eprintln!("{why}");
    false
}

/// The JSON a node script printed, after it succeeded.
pub fn json_of(output: &std::process::Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "node failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// Runs `command` (stdout/stderr piped), killing it after 60 s.
pub fn run_bounded(mut command: Command) -> std::process::Output {
    let mut child = command
        .spawn()
        .expect("node runs (Node.js 20+ is needed for these tests)");
    // jsforce's answer is a few kilobytes: it fits the pipe while node runs.
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait for node").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("jsforce did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("node's output")
}

/// The record jsforce read for `kind` that belongs to the app `api_name`.
fn record<'a>(out: &'a Value, kind: MetadataType, api_name: &str) -> &'a Value {
    let records = out["read"][kind.name()]
        .as_array()
        .unwrap_or_else(|| panic!("{kind:?} read: {out}"));
    records
        .iter()
        .find(|r| r["fullName"] == api_name || r["externalClientApplication"] == api_name)
        .unwrap_or_else(|| panic!("no {kind:?} record for {api_name}: {records:?}"))
}

#[tokio::test]
async fn jsforce_lists_and_reads_the_simulated_app_with_the_recipes_values() {
    let (org, token) = signed_in(|_| {}).await;
    let Some(out) = jsforce_reads(&org, &token, &MetadataType::ALL).await else {
        return;
    };
    let api = org.sim.config().metadata.api_name.clone();
    for kind in MetadataType::ALL {
        let listed = out["list"][kind.name()]
            .as_array()
            .unwrap_or_else(|| panic!("{out}"));
        assert_eq!(listed.len(), 2, "our app and the other one: {listed:?}");
        for p in listed {
            assert_eq!(p["type"], kind.name());
            let file = p["fileName"].as_str().unwrap();
            assert!(
                file.starts_with(&format!("{}/", kind.folder()))
                    && file.ends_with(&format!(".{}", kind.suffix())),
                "{file}"
            );
        }
    }
    let app = record(&out, MetadataType::ExternalClientApplication, &api);
    assert_eq!(app["distributionState"], recipe::DISTRIBUTION_STATE.label());
    assert_eq!(
        app["contactEmail"],
        org.sim.config().metadata.contact_email.as_str()
    );
    let settings = record(&out, MetadataType::OauthSettings, &api);
    let tokens: Vec<&str> = recipe::required_scopes()
        .filter_map(|s| s.metadata)
        .collect();
    assert_eq!(settings["commaSeparatedOauthScopes"], tokens.join(", "));
    let global = record(&out, MetadataType::GlobalOauthSettings, &api);
    for o in SecurityOption::ALL {
        // jsforce has no schema for the ECA types: values come back as strings.
        assert_eq!(
            global[o.metadata().0],
            o.metadata().1.to_string(),
            "{}",
            o.metadata().0
        );
    }
    let lines: Vec<&str> = global["callbackUrl"].as_str().unwrap().lines().collect();
    assert!(lines.contains(&recipe::WEBEX_CALLBACK_URL), "{lines:?}");
    assert!(global.get("consumerSecret").is_none());
    let policies = record(&out, MetadataType::OauthPolicies, &api);
    assert_eq!(policies["permittedUsersPolicyType"], "AllSelfAuthorized");
}

#[tokio::test]
async fn jsforce_sees_each_oauth_knob_in_the_read_back() {
    type Knob = fn(&mut SimConfig);
    let cases: [(Knob, MetadataType, &str, &str); 3] = [
        (
            |c| c.require_pkce = false,
            MetadataType::GlobalOauthSettings,
            "isPkceRequired",
            "false",
        ),
        (
            |c| c.require_secret_web_server = false,
            MetadataType::GlobalOauthSettings,
            "isConsumerSecretOptional",
            "true",
        ),
        (
            |c| c.scopes.retain(|s| s != "refresh_token"),
            MetadataType::OauthSettings,
            "commaSeparatedOauthScopes",
            "Api, Web",
        ),
    ];
    for (knob, kind, field, want) in cases {
        let (org, token) = signed_in(knob).await;
        let Some(out) = jsforce_reads(&org, &token, &[kind]).await else {
            return;
        };
        let api = org.sim.config().metadata.api_name.clone();
        assert_eq!(record(&out, kind, &api)[field], want, "{field}");
    }
}

#[tokio::test]
async fn jsforce_gets_salesforces_fault_codes() {
    type Knob = fn(&mut SimConfig);
    let cases: [(Knob, bool, &str); 3] = [
        (|_| {}, true, "sf:INVALID_SESSION_ID"),
        (
            |c| c.metadata.permission = false,
            false,
            "sf:INSUFFICIENT_ACCESS",
        ),
        (|c| c.metadata.eca_opt_in = false, false, "sf:INVALID_TYPE"),
    ];
    for (knob, bogus, code) in cases {
        let (org, token) = signed_in(knob).await;
        let token = if bogus {
            SecretString::from("00D000000000001EAA!AQbogus".to_owned())
        } else {
            token
        };
        let Some(out) = jsforce_reads(&org, &token, &[MetadataType::OauthSettings]).await else {
            return;
        };
        assert_eq!(out["error"]["errorCode"], code, "{out}");
    }
}
