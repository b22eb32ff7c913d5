use super::*;
use crate::metadata::xml;

fn session() -> SecretString {
    SecretString::from("00D000000000001EAA!AQ<&>token".to_owned())
}

fn parsed(e: &Envelope) -> xml::Element {
    xml::parse(std::str::from_utf8(e.as_bytes()).unwrap()).expect("well-formed")
}

fn operation(root: &xml::Element) -> &xml::Element {
    assert!(root.is(SOAP_ENV, "Envelope"));
    let header = root.child(SOAP_ENV, "Header").expect("Header");
    let id = header
        .child(md::NAMESPACE, "SessionHeader")
        .and_then(|h| h.child(md::NAMESPACE, "sessionId"))
        .expect("SessionHeader/sessionId");
    assert_eq!(
        id.text(),
        "00D000000000001EAA!AQ<&>token",
        "escaped and read back exactly"
    );
    root.child(SOAP_ENV, "Body")
        .and_then(|b| b.first_child())
        .expect("an operation")
}

#[test]
fn list_envelopes_carry_the_session_header_and_at_most_three_queries_each() {
    let calls = list_metadata(&session(), &MetadataType::ALL);
    assert_eq!(calls.len(), 2);
    let mut asked = Vec::new();
    for call in &calls {
        let root = parsed(call);
        let op = operation(&root);
        assert!(op.is(md::NAMESPACE, "listMetadata"));
        let queries: Vec<_> = op.children_named(md::NAMESPACE, "queries").collect();
        assert!(queries.len() <= LIST_QUERIES_PER_CALL);
        asked.extend(
            queries
                .iter()
                .map(|q| q.child(md::NAMESPACE, "type").unwrap().text().to_owned()),
        );
        assert_eq!(
            op.child(md::NAMESPACE, "asOfVersion").unwrap().text(),
            md::API_VERSION
        );
    }
    let all: Vec<String> = MetadataType::ALL
        .iter()
        .map(|t| t.name().to_owned())
        .collect();
    assert_eq!(asked, all);
}

#[test]
fn read_envelopes_name_the_type_and_at_most_ten_full_names_each() {
    let names: Vec<String> = (0..23).map(|i| format!("App_{i}")).collect();
    let calls = read_metadata(&session(), MetadataType::GlobalOauthSettings, &names);
    assert_eq!(calls.len(), 3);
    let mut seen = Vec::new();
    for call in &calls {
        let root = parsed(call);
        let op = operation(&root);
        assert!(op.is(md::NAMESPACE, "readMetadata"));
        assert_eq!(
            op.child(md::NAMESPACE, "type").unwrap().text(),
            "ExtlClntAppGlobalOauthSettings"
        );
        let chunk: Vec<String> = op
            .children_named(md::NAMESPACE, "fullNames")
            .map(|n| n.text().to_owned())
            .collect();
        assert!(chunk.len() <= READ_NAMES_PER_CALL);
        seen.extend(chunk);
    }
    assert_eq!(seen, names);
    assert!(read_metadata(&session(), MetadataType::OauthSettings, &[]).is_empty());
}

#[test]
fn an_envelope_never_shows_the_session_in_debug_output() {
    let e = &list_metadata(&session(), &[MetadataType::OauthPolicies])[0];
    let shown = format!("{e:?}");
    assert!(
        !shown.contains("token") && shown.contains("redacted"),
        "{shown}"
    );
}

#[test]
fn the_endpoint_is_the_versioned_metadata_path_on_the_instance() {
    let url = Url::parse("https://acme.my.salesforce.com/some/path?x=1#f").unwrap();
    assert_eq!(
        endpoint(&url).as_str(),
        format!(
            "https://acme.my.salesforce.com/services/Soap/m/{}",
            md::API_VERSION
        )
    );
}
