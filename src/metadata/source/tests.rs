use super::*;
use crate::metadata::xml::{self, Element};
use crate::recipe::{self, metadata::NAMESPACE, SecurityOption};

const API: &str = "Webex_Control_Hub";
const LOOPBACK: &str = "http://localhost:1717/OauthRedirect";

fn spec() -> EcaSpec {
    EcaSpec::webex(API, "admin@example.com", &[LOOPBACK.into()])
}

fn file(files: &[SourceFile], kind: MetadataType) -> Element {
    let path = format!(
        "{PACKAGE_DIR}/{}",
        kind.source_path(&member_name(kind, API))
    );
    let f = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} emitted"));
    let root = xml::parse(std::str::from_utf8(&f.bytes).expect("UTF-8")).expect("well-formed XML");
    assert!(root.is(NAMESPACE, kind.name()), "root of {path}: {root:?}");
    root
}

/// The recipe's value per field, computed from the recipe (and, where the issue spells the
/// value out, checked against that spelling below).
fn expected() -> Vec<(MetadataType, String, String)> {
    use MetadataType::*;
    let scopes: Vec<&str> = recipe::required_scopes()
        .filter_map(|s| s.metadata)
        .collect();
    let mut rows = vec![
        (
            ExternalClientApplication,
            field::CONTACT_EMAIL,
            "admin@example.com".to_owned(),
        ),
        (
            ExternalClientApplication,
            field::DISTRIBUTION_STATE,
            recipe::DISTRIBUTION_STATE.label().to_owned(),
        ),
        (
            ExternalClientApplication,
            field::LABEL,
            "Webex Control Hub".to_owned(),
        ),
        (OauthSettings, field::OAUTH_SCOPES, scopes.join(", ")),
        (
            OauthSettings,
            field::EXTERNAL_CLIENT_APPLICATION,
            API.to_owned(),
        ),
        (OauthSettings, field::LABEL, member_name(OauthSettings, API)),
        (
            GlobalOauthSettings,
            field::CALLBACK_URL,
            format!("{}\n{LOOPBACK}", recipe::WEBEX_CALLBACK_URL),
        ),
        (
            GlobalOauthSettings,
            field::EXTERNAL_CLIENT_APPLICATION,
            API.to_owned(),
        ),
        (
            GlobalOauthSettings,
            field::LABEL,
            member_name(GlobalOauthSettings, API),
        ),
        (
            GlobalOauthSettings,
            field::REFRESH_TOKEN_ROTATION,
            "false".to_owned(),
        ),
    ];
    for o in SecurityOption::ALL {
        rows.push((
            GlobalOauthSettings,
            o.metadata().0,
            o.metadata().1.to_string(),
        ));
    }
    rows.into_iter()
        .map(|(k, f, v)| (k, f.to_owned(), v))
        .collect()
}

#[test]
fn every_emitted_field_carries_exactly_the_recipes_value_and_nothing_else_is_written() {
    let files = emit(&spec()).unwrap();
    let rows = expected();
    for kind in MetadataType::EMITTED {
        let root = file(&files, kind);
        let mut names: Vec<&str> = root.children.iter().map(|c| c.name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(
            names,
            sorted,
            "{}: fields in alphabetical order",
            kind.name()
        );
        for (_, name, value) in rows.iter().filter(|(k, _, _)| *k == kind) {
            let child = root
                .child(NAMESPACE, name)
                .unwrap_or_else(|| panic!("{}.{name} written", kind.name()));
            assert_eq!(child.text(), value, "{}.{name}", kind.name());
        }
        names.retain(|n| !rows.iter().any(|(k, f, _)| *k == kind && f == n));
        assert!(
            names.is_empty(),
            "{}: unexpected fields {names:?}",
            kind.name()
        );
    }
}

#[test]
fn the_values_are_the_ones_the_issue_spells_out() {
    let files = emit(&spec()).unwrap();
    let settings = file(&files, MetadataType::OauthSettings);
    assert_eq!(
        settings
            .child(NAMESPACE, "commaSeparatedOauthScopes")
            .unwrap()
            .text(),
        "Api, Web, RefreshToken"
    );
    let global = file(&files, MetadataType::GlobalOauthSettings);
    for (name, value) in [
        ("isConsumerSecretOptional", "false"),
        ("isSecretRequiredForRefreshToken", "true"),
        ("isPkceRequired", "true"),
    ] {
        assert_eq!(
            global.child(NAMESPACE, name).unwrap().text(),
            value,
            "{name}"
        );
    }
    let app = file(&files, MetadataType::ExternalClientApplication);
    assert_eq!(
        app.child(NAMESPACE, "distributionState").unwrap().text(),
        "Local"
    );
}

#[test]
fn the_same_answers_give_byte_identical_files() {
    let first = emit(&spec()).unwrap();
    for _ in 0..5 {
        assert_eq!(emit(&spec()).unwrap(), first);
    }
    let paths: Vec<&str> = first.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.len(), 5, "{paths:?}");
    assert!(first
        .iter()
        .all(|f| f.bytes.ends_with(b">\n") || f.bytes.ends_with(b"}\n")));
}

#[test]
fn no_consumer_key_secret_or_oauth_link_is_ever_written() {
    for f in emit(&spec()).unwrap() {
        let text = String::from_utf8(f.bytes).unwrap();
        for name in md::NEVER_EMITTED {
            assert!(!text.contains(name), "{} holds {name}", f.path);
        }
    }
}

#[test]
fn package_xml_names_each_component_once_with_the_api_version() {
    let files = emit(&spec()).unwrap();
    let manifest = files.iter().find(|f| f.path == MANIFEST).unwrap();
    let root = xml::parse(std::str::from_utf8(&manifest.bytes).unwrap()).unwrap();
    assert!(root.is(NAMESPACE, "Package"));
    let types: Vec<(String, String)> = root
        .children_named(NAMESPACE, "types")
        .map(|t| {
            (
                t.child(NAMESPACE, "name").unwrap().text().to_owned(),
                t.child(NAMESPACE, "members").unwrap().text().to_owned(),
            )
        })
        .collect();
    assert_eq!(types.len(), MetadataType::EMITTED.len());
    for kind in MetadataType::EMITTED {
        assert!(
            types.contains(&(kind.name().to_owned(), member_name(kind, API))),
            "{types:?}"
        );
    }
    assert_eq!(
        root.child(NAMESPACE, "version").unwrap().text(),
        md::API_VERSION
    );
    let project: serde_json::Value =
        serde_json::from_slice(&files.iter().find(|f| f.path == PROJECT_FILE).unwrap().bytes)
            .unwrap();
    assert_eq!(project["packageDirectories"][0]["path"], PACKAGE_ROOT);
    assert!(PACKAGE_DIR.starts_with(PACKAGE_ROOT));
}

#[test]
fn security_boxes_are_written_as_the_admin_answered_them() {
    let mut s = spec();
    s.security.retain(|o| *o != recipe::SecurityOption::Pkce);
    let global = file(&emit(&s).unwrap(), MetadataType::GlobalOauthSettings);
    for o in SecurityOption::ALL {
        let written = global.child(NAMESPACE, o.metadata().0).unwrap().text();
        let want = if o == recipe::SecurityOption::Pkce {
            !o.metadata().1
        } else {
            o.metadata().1
        };
        assert_eq!(written, want.to_string(), "{}", o.metadata().0);
    }
}

#[test]
fn xml_special_characters_are_escaped_and_read_back_unchanged() {
    let mut s = spec();
    s.label = "R&D \"Webex\" <Hub>".into();
    s.callback_urls.push("https://x.example/cb?a=1&b=2".into());
    let files = emit(&s).unwrap();
    let raw = String::from_utf8(files[0].bytes.clone()).unwrap();
    assert!(raw.contains("R&amp;D"), "{raw}");
    assert_eq!(
        file(&files, MetadataType::ExternalClientApplication)
            .child(NAMESPACE, field::LABEL)
            .unwrap()
            .text(),
        s.label
    );
    let global = file(&files, MetadataType::GlobalOauthSettings);
    assert!(global
        .child(NAMESPACE, field::CALLBACK_URL)
        .unwrap()
        .text()
        .ends_with("\nhttps://x.example/cb?a=1&b=2"));
}

#[test]
fn answers_that_cannot_be_written_are_refused_with_a_fix() {
    type Change = Box<dyn Fn(&mut EcaSpec)>;
    let cases: Vec<(&str, Change)> = vec![
        (
            "path in the API Name",
            Box::new(|s| s.api_name = "../evil".into()),
        ),
        (
            "slash in the API Name",
            Box::new(|s| s.api_name = "a/b".into()),
        ),
        ("empty label", Box::new(|s| s.label = " ".into())),
        ("bad email", Box::new(|s| s.contact_email = "nobody".into())),
        ("no callback", Box::new(|s| s.callback_urls.clear())),
        (
            "control character in a line",
            Box::new(|s| s.callback_urls.push("https://a.example/\u{7}".into())),
        ),
        (
            "scope without a token",
            Box::new(|s| {
                s.scopes
                    .push(recipe::scope_by_value("chatter_api").unwrap())
            }),
        ),
    ];
    for (what, change) in cases {
        let mut s = spec();
        change(&mut s);
        let EmitError::Invalid(problem) = emit(&s).expect_err(what);
        assert!(
            !problem.message.is_empty() && !problem.fix.is_empty(),
            "{what}: {problem:?}"
        );
    }
}

#[test]
fn documented_extra_scopes_are_written_after_webexs_and_answers_are_trimmed() {
    let mut s = spec();
    s.scopes.push(recipe::scope_by_value("openid").unwrap());
    s.api_name = format!(" {API} ");
    let settings = file(&emit(&s).unwrap(), MetadataType::OauthSettings);
    assert_eq!(
        settings
            .child(NAMESPACE, field::OAUTH_SCOPES)
            .unwrap()
            .text(),
        "Api, Web, RefreshToken, OpenID"
    );
}

#[test]
fn the_global_settings_file_is_exactly_these_bytes() {
    let files = emit(&EcaSpec::webex("Webex", "a@example.com", &[])).unwrap();
    let global = files
        .iter()
        .find(|f| f.path.ends_with(".ecaGlblOauth-meta.xml"))
        .unwrap();
    let expected = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ExtlClntAppGlobalOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">
    <callbackUrl>{}</callbackUrl>
    <externalClientApplication>Webex</externalClientApplication>
    <isConsumerSecretOptional>false</isConsumerSecretOptional>
    <isPkceRequired>true</isPkceRequired>
    <isRefreshTokenRotationEnabled>false</isRefreshTokenRotationEnabled>
    <isSecretRequiredForRefreshToken>true</isSecretRequiredForRefreshToken>
    <label>Webex_glbloauth</label>
</ExtlClntAppGlobalOauthSettings>
"#,
        recipe::WEBEX_CALLBACK_URL
    );
    assert_eq!(String::from_utf8(global.bytes.clone()).unwrap(), expected);
}
