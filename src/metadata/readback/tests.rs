use super::*;

fn props(kind: MetadataType, name: &str) -> FileProperties {
    FileProperties {
        full_name: name.to_owned(),
        type_name: kind.name().to_owned(),
        file_name: None,
        id: None,
        namespace_prefix: None,
        manageable_state: None,
    }
}

fn record(name: &str, app: Option<&str>) -> MetadataRecord {
    MetadataRecord {
        type_name: None,
        full_name: name.to_owned(),
        fields: app
            .map(|a| vec![(field::EXTERNAL_CLIENT_APPLICATION.to_owned(), a.to_owned())])
            .unwrap_or_default(),
    }
}

fn fault() -> SoapError {
    SoapError::Fault(soap::SoapFault {
        code: soap::FaultCode::InsufficientAccess,
        raw_code: "sf:INSUFFICIENT_ACCESS".into(),
        message: "no".into(),
    })
}

#[test]
fn one_list_answer_is_spread_over_the_types_it_asked_for() {
    use MetadataType::*;
    let answer = Ok(vec![
        props(OauthSettings, "A_oauth"),
        props(OauthPolicies, "A_plcy"),
        props(OauthSettings, "B_oauth"),
    ]);
    let listing = listing_of(&DEPENDENTS, answer);
    let names = |k| {
        listing
            .iter()
            .find(|(kind, _)| *kind == k)
            .unwrap()
            .1
            .as_ref()
            .unwrap()
            .iter()
            .map(|p| p.full_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(OauthSettings), ["A_oauth", "B_oauth"]);
    assert!(names(GlobalOauthSettings).is_empty());
    let failed = listing_of(&DEPENDENTS, Err(fault()));
    assert!(failed.iter().all(|(_, r)| r.is_err()));
}

#[test]
fn every_listed_dependent_is_read_those_named_after_the_app_first_up_to_the_cap() {
    use MetadataType::*;
    let mut many: Vec<FileProperties> = (0..150)
        .map(|i| props(GlobalOauthSettings, &format!("Other{i}")))
        .collect();
    many.push(props(GlobalOauthSettings, "webexGlblOAuth"));
    let listing = vec![
        (GlobalOauthSettings, Ok(many)),
        (OauthSettings, Ok(vec![])),
        (OauthPolicies, Err(fault())),
    ];
    let reads = members_to_read(&listing, "Webex");
    assert_eq!(reads.len(), 1, "{reads:?}");
    let (kind, names) = &reads[0];
    assert_eq!(*kind, GlobalOauthSettings);
    assert_eq!(names.len(), MAX_MEMBERS_READ);
    assert_eq!(names[0], "webexGlblOAuth");
    let calls = read_calls(&SecretString::from("t".to_owned()), &reads);
    assert_eq!(calls.len(), MAX_MEMBERS_READ / soap::READ_NAMES_PER_CALL);
}

#[test]
fn assembly_keeps_the_apps_own_records_and_reports_faults_per_type() {
    use MetadataType::*;
    let listing = vec![
        (OauthSettings, Ok(vec![])),
        (GlobalOauthSettings, Ok(vec![])),
        (OauthPolicies, Err(fault())),
    ];
    let reads = vec![
        (ExternalClientApplication, Ok(vec![record("WEBEX", None)])),
        (
            OauthSettings,
            Ok(vec![
                record("Other_oauth", Some("Other")),
                record("X1", Some("webex")),
            ]),
        ),
        (GlobalOauthSettings, Err(fault())),
        (
            GlobalOauthSettings,
            Ok(vec![record("W_glbl", Some("Webex"))]),
        ),
    ];
    let back = assemble("Webex", &listing, reads);
    assert_eq!(back.app.record().unwrap().full_name, "WEBEX");
    assert_eq!(back.oauth_settings.record().unwrap().full_name, "X1");
    assert_eq!(
        back.global_settings.record().unwrap().full_name,
        "W_glbl",
        "found in another chunk"
    );
    assert_eq!(back.policies, Component::Unavailable(fault()));
}

#[test]
fn nothing_found_is_missing_not_unavailable() {
    let listing = listing_of(&DEPENDENTS, Ok(vec![]));
    let back = assemble(
        "Webex",
        &listing,
        vec![(MetadataType::ExternalClientApplication, Ok(vec![]))],
    );
    for kind in MetadataType::ALL {
        assert_eq!(*back.component(kind), Component::Missing, "{kind:?}");
    }
    let down = ReadBack::unavailable("Webex", SoapError::Http { status: 404 });
    assert!(MetadataType::ALL
        .iter()
        .all(|k| matches!(down.component(*k), Component::Unavailable(_))));
}
