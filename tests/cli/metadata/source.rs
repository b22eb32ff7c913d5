//! The emitted app read by Salesforce's own source engine (@salesforce/source-deploy-retrieve,
//! what `sf project deploy start` uses, pinned in tests/jsforce/package-lock.json): every
//! file resolves to its metadata type and member, and package.xml names the same components.
//! A wrong folder, suffix or root element fails here as it would fail a deploy.

use std::process::{Command, Stdio};

use serde_json::Value;
use sf_webex_setup::metadata::source::member_name;
use sf_webex_setup::metadata::{write_app_metadata, EcaSpec};
use sf_webex_setup::recipe::metadata::{MetadataType, API_VERSION};

use super::jsforce::{installed, jsforce_dir, json_of, run_bounded};

/// What source-deploy-retrieve makes of `dir`, or `None` (skipped) when it is not
/// installed — which fails the test under CI=true.
pub(super) fn resolve(dir: &std::path::Path) -> Option<Value> {
    if !installed("@salesforce/source-deploy-retrieve") {
        return None;
    }
    let mut command = Command::new("node");
    command
        .arg("resolve-source.mjs")
        .arg(dir)
        .current_dir(jsforce_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = run_bounded(command);
    Some(json_of(&output))
}

fn components(list: &Value) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = list
        .as_array()
        .unwrap_or_else(|| panic!("a component list: {list}"))
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap().to_owned(),
                c["fullName"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    all.sort();
    all
}

#[test]
fn salesforces_source_engine_resolves_every_emitted_file_and_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("webex-app");
    let spec = EcaSpec::webex(
        "Webex_Integration",
        "admin@example.com",
        &["http://localhost:1717/OauthRedirect".into()],
    );
    write_app_metadata(&spec, &dir, false).unwrap();
    let Some(out) = resolve(&dir) else { return };
    assert!(out.get("error").is_none(), "{out}");
    let mut want: Vec<(String, String)> = MetadataType::EMITTED
        .iter()
        .map(|k| (k.name().to_owned(), member_name(*k, &spec.api_name)))
        .collect();
    want.sort();
    assert_eq!(components(&out["source"]), want, "{out}");
    assert_eq!(components(&out["manifest"]), want, "{out}");
    for c in out["source"].as_array().unwrap() {
        let xml = c["xml"].as_str().unwrap();
        assert!(
            xml.starts_with(dir.to_str().unwrap()) && xml.ends_with("-meta.xml"),
            "{xml}"
        );
    }
    assert_eq!(out["apiVersion"], API_VERSION);
}
