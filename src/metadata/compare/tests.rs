use super::*;
use crate::metadata::soap::{FaultCode, MetadataRecord, SoapError, SoapFault};
use crate::recipe;
use check::SECURITY_CHECKS;
use FindingStatus::{Fail, Pass, Unknown};

const API: &str = "Webex";
const LOOPBACK: &str = "http://localhost:1717/OauthRedirect";

fn rec(name: &str, fields: &[(&str, &str)]) -> Component {
    Component::Found(MetadataRecord {
        type_name: None,
        full_name: name.to_owned(),
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    })
}

/// Salesforce's record of an app set up per the recipe.
fn webex_ready() -> ReadBack {
    let callback = format!("{}\n{LOOPBACK}", recipe::WEBEX_CALLBACK_URL);
    ReadBack {
        api_name: API.into(),
        app: rec(
            API,
            &[
                ("contactEmail", "a@example.com"),
                ("distributionState", "Local"),
                ("label", "Webex"),
            ],
        ),
        oauth_settings: rec(
            "Webex_oauth",
            &[
                ("commaSeparatedOauthScopes", "Api, Web, RefreshToken"),
                ("externalClientApplication", API),
            ],
        ),
        global_settings: rec(
            "WebexGlblOAuth",
            &[
                ("callbackUrl", &callback),
                ("consumerKey", "3MVG"),
                ("externalClientApplication", API),
                ("isConsumerSecretOptional", "false"),
                ("isPkceRequired", "true"),
                ("isRefreshTokenRotationEnabled", "false"),
                ("isSecretRequiredForRefreshToken", "true"),
            ],
        ),
        policies: rec(
            "Webex_plcy",
            &[
                ("externalClientApplication", API),
                ("ipRelaxationPolicyType", "Bypass"),
                ("permittedUsersPolicyType", "AllSelfAuthorized"),
                ("refreshTokenPolicyType", "Infinite"),
            ],
        ),
    }
}

fn spec() -> EcaSpec {
    EcaSpec::webex(API, "a@example.com", &[LOOPBACK.into()])
}

/// Sets (or with `None` removes) one field of one component.
fn set(read: &mut ReadBack, kind: MetadataType, name: &str, value: Option<&str>) {
    let slot = match kind {
        MetadataType::ExternalClientApplication => &mut read.app,
        MetadataType::OauthSettings => &mut read.oauth_settings,
        MetadataType::GlobalOauthSettings => &mut read.global_settings,
        MetadataType::OauthPolicies => &mut read.policies,
    };
    let Component::Found(r) = slot else {
        panic!("{kind:?} not found")
    };
    r.fields.retain(|(k, _)| k != name);
    if let Some(v) = value {
        r.fields.push((name.to_owned(), v.to_owned()));
    }
}

fn finding(read: &ReadBack, spec: &EcaSpec, check: MetadataCheck) -> Finding {
    compare(read, spec)
        .into_iter()
        .find(|f| f.check == check)
        .unwrap()
}

#[test]
fn an_app_recorded_per_the_recipe_passes_every_check() {
    let findings = compare(&webex_ready(), &spec());
    assert_eq!(
        findings.iter().map(|f| f.check).collect::<Vec<_>>(),
        MetadataCheck::ALL
    );
    for f in &findings {
        assert_eq!(f.status, Pass, "{f:#?}");
        assert_eq!(f.disagreement, None, "{f:#?}");
        assert!(f.check.id().starts_with("metadata_"));
    }
}

#[test]
fn each_misconfiguration_fails_its_own_check_with_the_setup_field_to_change() {
    use MetadataCheck::*;
    use MetadataType::*;
    let pkce = recipe::SecurityOption::Pkce;
    #[rustfmt::skip]
    let cases: &[(MetadataCheck, MetadataType, &str, Option<&str>, &str)] = &[
        (CallbackUrls, GlobalOauthSettings, "callbackUrl", Some(LOOPBACK), recipe::location::CALLBACK),
        (CallbackUrls, GlobalOauthSettings, "callbackUrl", Some("https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html/ http://localhost:1717/OauthRedirect"), "Callback URL"),
        (Scopes, OauthSettings, "commaSeparatedOauthScopes", Some("Api, Web"), recipe::location::SCOPES),
        (SecretWebServerFlow, GlobalOauthSettings, "isConsumerSecretOptional", Some("true"), "Require secret for Web Server Flow"),
        (SecretRefreshTokenFlow, GlobalOauthSettings, "isSecretRequiredForRefreshToken", Some("false"), "Require secret for Refresh Token Flow"),
        (Pkce, GlobalOauthSettings, pkce.metadata().0, Some("false"), pkce.label()),
        (DistributionState, ExternalClientApplication, "distributionState", Some("Packaged"), "Distribution State"),
        (PermittedUsers, OauthPolicies, "permittedUsersPolicyType", Some("AdminApprovedPreAuthorized"), "Permitted Users"),
        (RefreshTokenPolicy, OauthPolicies, "refreshTokenPolicyType", Some("Zero"), "Refresh Token Policy"),
        (RefreshTokenRotation, GlobalOauthSettings, "isRefreshTokenRotationEnabled", Some("true"), "Enable Refresh Token Rotation"),
    ];
    for (check, kind, name, value, place) in cases {
        let mut read = webex_ready();
        set(&mut read, *kind, name, *value);
        let findings = compare(&read, &spec());
        for f in &findings {
            let want = if f.check == *check { Fail } else { Pass };
            assert_eq!(f.status, want, "{name}={value:?}: {f:#?}");
        }
        let f = findings.iter().find(|f| f.check == *check).unwrap();
        let fix = f.fix.as_deref().unwrap_or("");
        assert!(
            fix.contains(place) && f.setup_field.contains(place),
            "{name}: {f:#?}"
        );
    }
}

#[test]
fn a_short_refresh_token_lifetime_fails_and_a_long_one_passes() {
    let cases = [
        ("SpecificLifetime", "4", "Hours", Fail),
        ("SpecificInactivity", "7", "Days", Fail),
        ("SpecificLifetime", "365", "Days", Pass),
        ("SpecificLifetime", "2", "Months", Pass),
        ("SpecificLifetime", "", "Days", Unknown),
        ("Sometimes", "1", "Days", Unknown),
    ];
    for (policy, period, unit, want) in cases {
        let mut read = webex_ready();
        set(
            &mut read,
            MetadataType::OauthPolicies,
            "refreshTokenPolicyType",
            Some(policy),
        );
        set(
            &mut read,
            MetadataType::OauthPolicies,
            "refreshTokenValidityPeriod",
            Some(period),
        );
        set(
            &mut read,
            MetadataType::OauthPolicies,
            "refreshTokenValidityUnit",
            Some(unit),
        );
        let f = finding(&read, &spec(), MetadataCheck::RefreshTokenPolicy);
        assert_eq!(f.status, want, "{policy} {period} {unit}: {f:#?}");
    }
}

#[test]
fn enforced_ip_restrictions_and_pre_authorized_profiles_are_unknown_with_the_reason() {
    for relax in ["Enforce", "Enforce_RelaxRefresh"] {
        let mut read = webex_ready();
        set(
            &mut read,
            MetadataType::OauthPolicies,
            "ipRelaxationPolicyType",
            Some(relax),
        );
        let f = finding(&read, &spec(), MetadataCheck::IpRelaxation);
        assert_eq!(f.status, Unknown, "{f:#?}");
        assert!(f.detail.contains("Login IP Ranges"), "{}", f.detail);
    }
    let mut read = webex_ready();
    set(
        &mut read,
        MetadataType::OauthPolicies,
        "permittedUsersPolicyType",
        Some("AdminApprovedPreAuthorized"),
    );
    set(
        &mut read,
        MetadataType::OauthPolicies,
        "commaSeparatedPermissionSet",
        Some("Webex_Users"),
    );
    let f = finding(&read, &spec(), MetadataCheck::PermittedUsers);
    assert_eq!(f.status, Unknown, "{f:#?}");
    assert!(
        f.detail.contains("Webex_Users") && f.detail.contains("not admin approved"),
        "{}",
        f.detail
    );
}

#[test]
fn where_the_answers_and_the_record_disagree_the_finding_says_so_plainly() {
    let mut said = spec();
    said.security.retain(|o| *o != recipe::SecurityOption::Pkce);
    said.distribution_state = recipe::DistributionState::Packaged;
    said.callback_urls.push("https://extra.example/cb".into());
    said.scopes.push(recipe::scope_by_value("openid").unwrap());
    let mut read = webex_ready();
    set(
        &mut read,
        MetadataType::OauthSettings,
        "commaSeparatedOauthScopes",
        Some("Api, Web, RefreshToken, Full, Chatter"),
    );
    let findings = compare(&read, &said);
    let says = |check: MetadataCheck| {
        findings
            .iter()
            .find(|f| f.check == check)
            .unwrap()
            .disagreement
            .clone()
            .unwrap_or_default()
    };
    assert!(
        says(MetadataCheck::Pkce).contains(
            "You answered that it is not checked; Salesforce's record says it is checked"
        ),
        "{}",
        says(MetadataCheck::Pkce)
    );
    assert!(says(MetadataCheck::DistributionState)
        .contains("You answered Packaged; Salesforce's record says Local"));
    assert!(says(MetadataCheck::CallbackUrls).contains("https://extra.example/cb"));
    let scopes = says(MetadataCheck::Scopes);
    assert!(
        scopes.contains("openid")
            && scopes.contains("Full access (full)")
            && scopes.contains("Chatter"),
        "{scopes}"
    );
    let pkce = findings
        .iter()
        .find(|f| f.check == MetadataCheck::Pkce)
        .unwrap();
    assert_eq!(pkce.status, Pass, "Salesforce's record decides the verdict");
    assert!(pkce
        .full_detail()
        .ends_with(&pkce.disagreement.clone().unwrap()));
    let callbacks = findings
        .iter()
        .find(|f| f.check == MetadataCheck::CallbackUrls)
        .unwrap();
    assert_eq!(
        callbacks.status, Fail,
        "a line the admin entered is not in Salesforce: {callbacks:#?}"
    );
}

#[test]
fn offline_access_counts_as_refresh_token_and_extra_lines_in_salesforce_only_note() {
    let mut read = webex_ready();
    set(
        &mut read,
        MetadataType::OauthSettings,
        "commaSeparatedOauthScopes",
        Some("Api,Web,OfflineAccess"),
    );
    let callback = format!(
        "{}\r\n{LOOPBACK}\r\nhttps://old.example/cb",
        recipe::WEBEX_CALLBACK_URL
    );
    set(
        &mut read,
        MetadataType::GlobalOauthSettings,
        "callbackUrl",
        Some(&callback),
    );
    let findings = compare(&read, &spec());
    let scopes = findings
        .iter()
        .find(|f| f.check == MetadataCheck::Scopes)
        .unwrap();
    assert_eq!(
        (scopes.status, scopes.disagreement.as_deref()),
        (Pass, None),
        "{scopes:#?}"
    );
    let lines = findings
        .iter()
        .find(|f| f.check == MetadataCheck::CallbackUrls)
        .unwrap();
    assert_eq!(lines.status, Pass, "{lines:#?}");
    let note = lines.disagreement.as_deref().unwrap_or("");
    assert!(
        note.contains("also has https://old.example/cb, which you did not enter"),
        "{note}"
    );
}

#[test]
fn unreadable_records_make_their_checks_unknown_with_the_reason_and_the_remedy() {
    let denied = SoapError::Fault(SoapFault {
        code: FaultCode::InsufficientAccess,
        raw_code: "sf:INSUFFICIENT_ACCESS".into(),
        message: "INSUFFICIENT_ACCESS: use of the Metadata API requires …".into(),
    });
    let mut read = webex_ready();
    read.policies = Component::Unavailable(denied.clone());
    read.global_settings = Component::Missing;
    for f in compare(&read, &spec()) {
        match f.check.component() {
            MetadataType::OauthPolicies => {
                assert_eq!(f.status, Unknown);
                assert!(
                    f.detail.contains("sf:INSUFFICIENT_ACCESS")
                        && f.detail.contains("Modify Metadata"),
                    "{}",
                    f.detail
                );
            }
            MetadataType::GlobalOauthSettings => {
                assert_eq!(f.status, Unknown);
                assert!(
                    f.detail
                        .contains("no ExtlClntAppGlobalOauthSettings record"),
                    "{}",
                    f.detail
                );
            }
            _ => assert_eq!(f.status, Pass, "{f:#?}"),
        }
        assert_eq!(f.fix, None);
    }
    let mut gone = webex_ready();
    gone.app = Component::Missing;
    assert!(compare(&gone, &spec())
        .iter()
        .all(|f| f.status == Unknown && f.detail.contains("API Name Webex")));
    let everything = ReadBack::unavailable(API, denied);
    assert!(compare(&everything, &spec())
        .iter()
        .all(|f| f.status == Unknown));
    assert!(all_unknown("no instance_url")
        .iter()
        .all(|f| f.status == Unknown && f.detail == "no instance_url"));
}

#[test]
fn missing_or_unreadable_fields_are_unknown_never_a_guessed_pass() {
    use MetadataType::*;
    for (kind, name, value) in [
        (GlobalOauthSettings, "callbackUrl", None),
        (OauthSettings, "commaSeparatedOauthScopes", None),
        (GlobalOauthSettings, "isPkceRequired", None),
        (GlobalOauthSettings, "isPkceRequired", Some("yes")),
        (
            ExternalClientApplication,
            "distributionState",
            Some("Global"),
        ),
        (OauthPolicies, "permittedUsersPolicyType", None),
        (OauthPolicies, "ipRelaxationPolicyType", Some("Sometimes")),
        (GlobalOauthSettings, "isRefreshTokenRotationEnabled", None),
    ] {
        let mut read = webex_ready();
        set(&mut read, kind, name, value);
        let unknown: Vec<_> = compare(&read, &spec())
            .into_iter()
            .filter(|f| f.status == Unknown)
            .collect();
        assert_eq!(unknown.len(), 1, "{name}={value:?}: {unknown:#?}");
    }
}

#[test]
fn server_text_is_cleaned_before_it_is_shown() {
    let mut read = webex_ready();
    set(
        &mut read,
        MetadataType::ExternalClientApplication,
        "distributionState",
        Some("\u{1b}[31mEvil\u{7}"),
    );
    let f = finding(&read, &spec(), MetadataCheck::DistributionState);
    assert!(
        !f.detail.contains('\u{1b}') && !f.detail.contains('\u{7}'),
        "{:?}",
        f.detail
    );
}

#[test]
fn security_check_ids_follow_the_recipes_options() {
    for (check, option) in SECURITY_CHECKS.iter().zip(recipe::SecurityOption::ALL) {
        assert_eq!(
            check.id(),
            format!("metadata_{}", option.flag_value().replace('-', "_"))
        );
        assert_eq!(check.security_option(), Some(option));
    }
    assert_eq!(SECURITY_CHECKS.len(), recipe::SecurityOption::ALL.len());
    let ids: std::collections::HashSet<_> = MetadataCheck::ALL.iter().map(|c| c.id()).collect();
    assert_eq!(ids.len(), MetadataCheck::ALL.len());
}
