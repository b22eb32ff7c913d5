//! The simulated org's SOAP endpoint as bytes on the wire: Salesforce's content type,
//! status codes, envelope and fault shapes, and its refusals in Salesforce's order.

use reqwest::StatusCode;
use secrecy::SecretString;
use sf_webex_setup::metadata::soap::{self, FaultCode, SoapError};
use sf_webex_setup::metadata::xml;
use sf_webex_setup::recipe::metadata::{MetadataType, API_VERSION, NAMESPACE};

use super::signed_in;
use crate::simulator::Org;

async fn post(org: &Org, version: &str, body: Vec<u8>) -> (StatusCode, String, String) {
    let response = org
        .http
        .post(org.url(&format!("/services/Soap/m/{version}")))
        .header("Content-Type", soap::CONTENT_TYPE)
        .header("SOAPAction", soap::SOAP_ACTION)
        .body(body)
        .send()
        .await
        .expect("the simulator answers");
    let status = response.status();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (status, content_type, response.text().await.unwrap())
}

fn fault_of(status: StatusCode, body: &str) -> soap::SoapFault {
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    match soap::parse_list_response(status.as_u16(), body) {
        Err(SoapError::Fault(f)) => f,
        other => panic!("expected a fault, got {other:?}: {body}"),
    }
}

#[tokio::test]
async fn a_read_answers_with_salesforces_envelope_in_the_metadata_namespace() {
    let (org, token) = signed_in(|_| {}).await;
    let envelope = soap::read_metadata_call(
        &token,
        MetadataType::ExternalClientApplication,
        &["webex_integration".into(), "Nope".into()],
    );
    let (status, content_type, body) = post(&org, API_VERSION, envelope.as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type, "text/xml;charset=UTF-8");
    let root = xml::parse(&body).unwrap();
    assert!(root.is(soap::SOAP_ENV, "Envelope"));
    let response = root
        .child(soap::SOAP_ENV, "Body")
        .and_then(|b| b.child(NAMESPACE, "readMetadataResponse"))
        .expect("readMetadataResponse");
    let records: Vec<_> = response
        .child(NAMESPACE, "result")
        .unwrap()
        .children_named(NAMESPACE, "records")
        .collect();
    assert_eq!(
        records.len(),
        1,
        "names match case-insensitively; a missing one is left out"
    );
    assert_eq!(
        records[0].attribute(Some(xml::XSI), "type"),
        Some("ExternalClientApplication")
    );
    assert_eq!(org.sim.stats().requests_to("/services/Soap/m/{version}"), 1);
}

#[tokio::test]
async fn faults_come_in_salesforces_order_and_shape() {
    let (org, token) = signed_in(|_| {}).await;
    let list = |t: &SecretString| {
        soap::list_metadata_call(t, &[MetadataType::OauthSettings])
            .as_bytes()
            .to_vec()
    };
    let bogus = SecretString::from("00D!AQbogus".to_owned());
    let (status, _, body) = post(&org, API_VERSION, list(&bogus)).await;
    let f = fault_of(status, &body);
    assert_eq!(
        (f.code, f.raw_code.as_str()),
        (FaultCode::InvalidSessionId, "sf:INVALID_SESSION_ID")
    );
    assert_eq!(
        f.message,
        "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session"
    );
    assert!(
        body.contains("<sf:exceptionCode>INVALID_SESSION_ID</sf:exceptionCode>"),
        "{body}"
    );

    let (status, _, body) = post(&org, "50.0", list(&token)).await;
    assert_eq!(
        fault_of(status, &body).code,
        FaultCode::InvalidType,
        "the ECA types need API 59.0+"
    );
    let unknown = String::from_utf8(list(&token))
        .unwrap()
        .replace("ExtlClntAppOauthSettings", "NoSuchType");
    let (status, _, body) = post(&org, API_VERSION, unknown.into_bytes()).await;
    assert_eq!(
        fault_of(status, &body).message,
        "INVALID_TYPE: Unknown type:NoSuchType"
    );
    let other_op = String::from_utf8(list(&token))
        .unwrap()
        .replace("listMetadata", "deployMetadata");
    let (status, _, body) = post(&org, API_VERSION, other_op.into_bytes()).await;
    let f = fault_of(status, &body);
    assert_eq!(f.raw_code, "soapenv:Client");
    assert!(f.message.starts_with("No operation available for request {http://soap.sforce.com/2006/04/metadata}deployMetadata"), "{}", f.message);
    let (status, _, body) = post(&org, API_VERSION, b"<not xml".to_vec()).await;
    assert_eq!(fault_of(status, &body).raw_code, "soapenv:Client");
}

#[tokio::test]
async fn the_permission_is_checked_after_the_session() {
    let (mut org, token) = signed_in(|_| {}).await;
    org.sim.reconfigure(|c| c.metadata.permission = false);
    let envelope = soap::list_metadata_call(&token, &[MetadataType::OauthPolicies]);
    let (status, _, body) = post(&org, API_VERSION, envelope.as_bytes().to_vec()).await;
    let f = fault_of(status, &body);
    assert_eq!(f.code, FaultCode::InsufficientAccess);
    assert!(
        f.message.contains("ModifyAllData or ModifyMetadata"),
        "{}",
        f.message
    );
    let bogus = soap::list_metadata_call(
        &SecretString::from("x".to_owned()),
        &[MetadataType::OauthPolicies],
    );
    let (status, _, body) = post(&org, API_VERSION, bogus.as_bytes().to_vec()).await;
    assert_eq!(fault_of(status, &body).code, FaultCode::InvalidSessionId);
}

#[tokio::test]
async fn a_revoked_token_no_longer_opens_the_metadata_api() {
    let (org, token) = signed_in(|_| {}).await;
    use secrecy::ExposeSecret;
    let form = vec![("token".to_owned(), token.expose_secret().to_owned())];
    let (status, _) = org.post_form("/services/oauth2/revoke", &form).await;
    assert_eq!(status, StatusCode::OK);
    let envelope = soap::list_metadata_call(&token, &[MetadataType::OauthSettings]);
    let (status, _, body) = post(&org, API_VERSION, envelope.as_bytes().to_vec()).await;
    assert_eq!(fault_of(status, &body).code, FaultCode::InvalidSessionId);
}
