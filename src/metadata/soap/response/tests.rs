use super::*;

const ENV_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>"#;
const ENV_CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

fn ok(body: &str) -> String {
    format!("{ENV_OPEN}{body}{ENV_CLOSE}")
}

/// Salesforce's fault shape (faultcode/faultstring unqualified, detail in the `sf` prefix).
fn fault(code: &str, message: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>sf:{code}</faultcode><faultstring>{code}: {message}</faultstring><detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>{code}</sf:exceptionCode><sf:exceptionMessage>{message}</sf:exceptionMessage></sf:UnexpectedErrorFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"#
    )
}

#[test]
fn a_list_response_gives_every_component_with_its_type() {
    let body = ok("<listMetadataResponse><result><createdById>005A</createdById><createdByName>Admin</createdByName><createdDate>2025-01-01T00:00:00.000Z</createdDate><fileName>extlClntAppGlobalOauthSets/WebexGlblOAuth.ecaGlblOauth</fileName><fullName>WebexGlblOAuth</fullName><id>0xg000000000001AAA</id><lastModifiedById>005A</lastModifiedById><lastModifiedByName>Admin</lastModifiedByName><lastModifiedDate>2025-01-01T00:00:00.000Z</lastModifiedDate><manageableState>unmanaged</manageableState><type>ExtlClntAppGlobalOauthSettings</type></result><result><fullName>Other_glbl</fullName><type>ExtlClntAppGlobalOauthSettings</type></result></listMetadataResponse>");
    let found = parse_list_response(200, &body).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].full_name, "WebexGlblOAuth");
    assert_eq!(found[0].type_name, "ExtlClntAppGlobalOauthSettings");
    assert_eq!(
        found[0].file_name.as_deref(),
        Some("extlClntAppGlobalOauthSets/WebexGlblOAuth.ecaGlblOauth")
    );
    assert_eq!(found[0].manageable_state.as_deref(), Some("unmanaged"));
    assert_eq!(found[1].id, None);
}

#[test]
fn an_empty_list_response_is_an_empty_list() {
    assert_eq!(
        parse_list_response(200, &ok("<listMetadataResponse/>")).unwrap(),
        []
    );
    assert_eq!(
        parse_list_response(
            200,
            &ok(r#"<listMetadataResponse><result xsi:nil="true"/></listMetadataResponse>"#)
        )
        .unwrap(),
        []
    );
}

#[test]
fn a_read_response_keeps_each_simple_field_as_text_and_skips_missing_names() {
    let body = ok(
        r#"<readMetadataResponse><result><records xsi:type="ExtlClntAppGlobalOauthSettings"><fullName>Webex_glbl</fullName><callbackUrl>https://a.example/cb
http://localhost:1717/OauthRedirect</callbackUrl><consumerKey>3MVGabc</consumerKey><consumerSecret>F00DBEEF</consumerSecret><externalClientApplication>Webex</externalClientApplication><isConsumerSecretOptional>false</isConsumerSecretOptional><isPkceRequired>true</isPkceRequired><nested><inner>x</inner></nested><label>Webex_glbl</label></records><records xsi:nil="true"/><records xsi:type="ExtlClntAppGlobalOauthSettings"/></result></readMetadataResponse>"#,
    );
    let records = parse_read_response(200, &body).unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    let r = &records[0];
    assert_eq!(
        r.type_name.as_deref(),
        Some("ExtlClntAppGlobalOauthSettings")
    );
    assert_eq!(r.full_name, "Webex_glbl");
    assert_eq!(
        r.get("callbackUrl"),
        Some("https://a.example/cb\nhttp://localhost:1717/OauthRedirect")
    );
    assert_eq!(r.flag("isPkceRequired"), Some(true));
    assert_eq!(r.flag("isConsumerSecretOptional"), Some(false));
    assert_eq!(r.flag("label"), None, "not a boolean");
    assert_eq!(r.get("nested"), None, "nested fields are not simple fields");
    assert_eq!(r.get("missing"), None);
    assert_eq!(r.get("consumerKey"), Some("3MVGabc"));
    assert_eq!(
        r.get("consumerSecret"),
        None,
        "a secret is dropped on arrival"
    );
    assert!(!format!("{records:?}").contains("F00DBEEF"));
}

#[test]
fn a_prefixed_xsi_type_and_no_records_read_as_expected() {
    let body = ok(
        r#"<readMetadataResponse><result><records xsi:type="sf:ExternalClientApplication" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><fullName>Webex</fullName></records></result></readMetadataResponse>"#,
    );
    assert_eq!(
        parse_read_response(200, &body).unwrap()[0]
            .type_name
            .as_deref(),
        Some("ExternalClientApplication")
    );
    assert_eq!(
        parse_read_response(
            200,
            &ok("<readMetadataResponse><result/></readMetadataResponse>")
        )
        .unwrap(),
        []
    );
}

#[test]
fn salesforce_faults_are_typed_by_their_code_whatever_the_prefix() {
    let cases = [
        ("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session", FaultCode::InvalidSessionId),
        ("INSUFFICIENT_ACCESS", "use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions", FaultCode::InsufficientAccess),
        ("INVALID_TYPE", "Unknown type:ExtlClntAppGlobalOauthSettings", FaultCode::InvalidType),
        ("API_DISABLED_FOR_ORG", "API is not enabled for this Organization or Partner", FaultCode::ApiDisabled),
        ("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", FaultCode::RequestLimitExceeded),
        ("UNKNOWN_EXCEPTION", "An unexpected error occurred.", FaultCode::Other),
    ];
    for (code, message, want) in cases {
        let err = parse_read_response(500, &fault(code, message)).unwrap_err();
        let SoapError::Fault(f) = &err else {
            panic!("{code}: {err:?}")
        };
        assert_eq!(f.code, want, "{code}");
        assert_eq!(f.raw_code, format!("sf:{code}"));
        assert_eq!(f.message, format!("{code}: {message}"));
        assert!(!err.reason().is_empty() && !err.remedy().is_empty());
        assert_eq!(
            parse_list_response(500, &fault(code, message)).unwrap_err(),
            err
        );
    }
    let client = fault("X", "y").replace(
        "<faultcode>sf:X</faultcode>",
        "<faultcode>soapenv:Client</faultcode>",
    );
    let SoapError::Fault(f) = parse_list_response(500, &client).unwrap_err() else {
        panic!()
    };
    assert_eq!(
        (f.code, f.raw_code.as_str()),
        (FaultCode::Other, "soapenv:Client")
    );
}

#[test]
fn answers_that_are_not_soap_say_what_came_instead() {
    let html = "<html><body>Not Found</body></html>";
    assert_eq!(
        parse_list_response(404, html).unwrap_err(),
        SoapError::Http { status: 404 }
    );
    assert_eq!(
        parse_list_response(401, r#"[{"errorCode":"INVALID_SESSION_ID"}]"#).unwrap_err(),
        SoapError::Http { status: 401 }
    );
    assert!(matches!(
        parse_list_response(200, "{}"),
        Err(SoapError::NotSoap(_))
    ));
    assert!(matches!(
        parse_list_response(200, html),
        Err(SoapError::NotSoap(_))
    ));
    assert!(
        matches!(
            parse_read_response(200, &ok("<listMetadataResponse/>")),
            Err(SoapError::NotSoap(_))
        ),
        "the wrong operation"
    );
    assert!(matches!(
        parse_read_response(200, &ok("")),
        Err(SoapError::NotSoap(_))
    ));
    let wrong_ns = ok("<readMetadataResponse/>").replace(
        "xmlns=\"http://soap.sforce.com/2006/04/metadata\"",
        "xmlns=\"urn:partner.soap.sforce.com\"",
    );
    assert!(matches!(
        parse_read_response(200, &wrong_ns),
        Err(SoapError::NotSoap(_))
    ));
    assert_eq!(
        parse_read_response(500, &ok("<readMetadataResponse/>")).unwrap_err(),
        SoapError::Http { status: 500 }
    );
}
