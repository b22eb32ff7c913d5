//! `POST /services/Soap/m/{version}`: the Metadata API's `listMetadata` and `readMetadata`
//! for the External Client App types, with Salesforce's envelope, namespaces and faults
//! (HTTP 500, `sf:INVALID_SESSION_ID`, `sf:INSUFFICIENT_ACCESS`, `sf:INVALID_TYPE`). The
//! session is an access token this org issued, in the `SessionHeader`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::metadata::soap::SOAP_ENV;
use crate::metadata::xml::{self, Element, XSI};
use crate::recipe::metadata::{MetadataType, NAMESPACE};
use crate::simulator::app_metadata::{records, SimRecord};
use crate::simulator::config::SimConfig;
use crate::simulator::state::Shared;

/// The ECA types exist from this API version on.
const FIRST_VERSION: f64 = 59.0;
/// Fixed audit fields for `listMetadata` results.
const CREATED: &str = "2025-01-06T09:00:00.000Z";

/// A fault: code (without `sf:`) and message; `client` for `soapenv:Client` faults.
struct Fault {
    code: &'static str,
    message: String,
    client: bool,
}

fn sf(code: &'static str, message: impl Into<String>) -> Fault {
    Fault {
        code,
        message: message.into(),
        client: false,
    }
}

fn client(message: impl Into<String>) -> Fault {
    Fault {
        code: "Client",
        message: message.into(),
        client: true,
    }
}

pub(super) async fn soap(
    State(shared): State<Arc<Shared>>,
    Path(version): Path<String>,
    body: Bytes,
) -> Response {
    let config: SimConfig = shared.config().clone();
    match answer(&shared, &config, &version, &body) {
        Ok(xml) => respond(StatusCode::OK, xml),
        Err(fault) => respond(StatusCode::INTERNAL_SERVER_ERROR, fault_envelope(&fault)),
    }
}

fn respond(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/xml;charset=UTF-8")],
        body,
    )
        .into_response()
}

fn meta<'a>(parent: &'a Element, name: &str) -> Option<&'a Element> {
    parent.child(NAMESPACE, name)
}

/// Salesforce's order: the envelope, the session, the user's permission, the operation.
fn answer(
    shared: &Shared,
    config: &SimConfig,
    version: &str,
    body: &[u8],
) -> Result<Vec<u8>, Fault> {
    let text = std::str::from_utf8(body)
        .map_err(|_| client("Invalid byte sequence in the request (UTF-8 expected)"))?;
    let root = xml::parse(text).map_err(|e| client(format!("Unable to parse the request: {e}")))?;
    let body = (root.is(SOAP_ENV, "Envelope"))
        .then(|| root.child(SOAP_ENV, "Body"))
        .flatten()
        .ok_or_else(|| client("The request is not a SOAP 1.1 envelope with a Body"))?;
    let session = root
        .child(SOAP_ENV, "Header")
        .and_then(|h| meta(h, "SessionHeader"))
        .and_then(|s| meta(s, "sessionId"))
        .map(|s| s.text().trim().to_owned())
        .unwrap_or_default();
    let grant = shared.access_grant(&session).ok_or_else(|| {
        sf(
            "INVALID_SESSION_ID",
            "Invalid Session ID found in SessionHeader: Illegal Session",
        )
    })?;
    if !grant.scopes.iter().any(|s| s == "api" || s == "full") {
        return Err(sf(
            "INVALID_SESSION_ID",
            "This session is not valid for use with the API",
        ));
    }
    if !config.metadata.permission {
        return Err(sf("INSUFFICIENT_ACCESS", "use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions"));
    }
    let operation = body
        .first_child()
        .ok_or_else(|| client("The Body names no operation"))?;
    let known_version = version.parse::<f64>().ok();
    match (operation.namespace.as_deref(), operation.name.as_str()) {
        (Some(NAMESPACE), "listMetadata") => {
            let mut found = Vec::new();
            for query in operation.children_named(NAMESPACE, "queries") {
                let name = meta(query, "type").map(|t| t.text().trim()).unwrap_or("");
                let kind = usable_type(config, name, known_version)?;
                found.extend(records(config, kind));
            }
            Ok(success("listMetadataResponse", |w| list_results(w, &found)))
        }
        (Some(NAMESPACE), "readMetadata") => {
            let name = meta(operation, "type").map(|t| t.text().trim()).unwrap_or("");
            let kind = usable_type(config, name, known_version)?;
            if kind == MetadataType::GlobalOauthSettings && !config.metadata.global_settings_readable {
                return Err(sf("INSUFFICIENT_ACCESS", "insufficient access rights on ExtlClntAppGlobalOauthSettings: View External Client Apps Consumer Secrets in Metadata is required"));
            }
            let wanted: Vec<&str> = operation.children_named(NAMESPACE, "fullNames").map(|n| n.text().trim()).collect();
            // Names match case-insensitively; a missing one is left out.
            let found: Vec<SimRecord> = records(config, kind)
                .into_iter()
                .filter(|r| wanted.iter().any(|w| w.eq_ignore_ascii_case(&r.full_name)))
                .collect();
            Ok(success("readMetadataResponse", |w| read_result(w, &found)))
        }
        (ns, name) => Err(client(format!(
            "No operation available for request {{{}}}{name}, please check the WSDL for the service.",
            ns.unwrap_or("")
        ))),
    }
}

/// One of the ECA types, usable in this org at this API version.
fn usable_type(
    config: &SimConfig,
    name: &str,
    version: Option<f64>,
) -> Result<MetadataType, Fault> {
    let unknown = || sf("INVALID_TYPE", format!("Unknown type:{name}"));
    let kind = MetadataType::from_name(name).ok_or_else(unknown)?;
    if version.is_none_or(|v| v < FIRST_VERSION) {
        return Err(unknown());
    }
    if !config.metadata.eca_opt_in {
        return Err(sf(
            "INVALID_TYPE",
            format!("Cannot use: {name} in this organization"),
        ));
    }
    Ok(kind)
}

type W = Writer<Vec<u8>>;

fn text(w: &mut W, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))
        .map(|_| ())
}

/// `<soapenv:Envelope xmlns=metadata xmlns:xsi><soapenv:Body><RESPONSE>…`, as Salesforce
/// writes its answers (the operation's elements in the default namespace).
fn success(response: &str, inner: impl FnOnce(&mut W) -> std::io::Result<()>) -> Vec<u8> {
    document(&[("xmlns", NAMESPACE), ("xmlns:xsi", XSI)], |w| {
        w.create_element(response)
            .write_inner_content(inner)
            .map(|_| ())
    })
}

fn document(
    namespaces: &[(&str, &str)],
    body: impl FnOnce(&mut W) -> std::io::Result<()>,
) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = w
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|_| {
            let mut envelope = w
                .create_element("soapenv:Envelope")
                .with_attribute(("xmlns:soapenv", SOAP_ENV));
            for attr in namespaces {
                envelope = envelope.with_attribute(*attr);
            }
            envelope
                .write_inner_content(|w| {
                    w.create_element("soapenv:Body")
                        .write_inner_content(body)
                        .map(|_| ())
                })
                .map(|_| ())
        });
    w.into_inner()
}

fn list_results(w: &mut W, found: &[SimRecord]) -> std::io::Result<()> {
    for (i, r) in found.iter().enumerate() {
        let file = format!("{}/{}.{}", r.kind.folder(), r.full_name, r.kind.suffix());
        let id = format!("0Xe{:012}{:03}", i + 1, r.kind as u8);
        w.create_element("result").write_inner_content(|w| {
            for (name, value) in [
                ("createdById", "005000000000001AAA"),
                ("createdByName", "Demo Admin"),
                ("createdDate", CREATED),
                ("fileName", file.as_str()),
                ("fullName", r.full_name.as_str()),
                ("id", id.as_str()),
                ("lastModifiedById", "005000000000001AAA"),
                ("lastModifiedByName", "Demo Admin"),
                ("lastModifiedDate", CREATED),
                ("manageableState", "unmanaged"),
                ("type", r.kind.name()),
            ] {
                text(w, name, value)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn read_result(w: &mut W, found: &[SimRecord]) -> std::io::Result<()> {
    w.create_element("result").write_inner_content(|w| {
        for r in found {
            w.create_element("records")
                .with_attribute(("xsi:type", r.kind.name()))
                .write_inner_content(|w| {
                    text(w, "fullName", &r.full_name)?;
                    for (name, value) in &r.fields {
                        text(w, name, value)?;
                    }
                    Ok(())
                })?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Salesforce's fault: `faultcode`/`faultstring` unqualified, the detail in the `sf`
/// prefix bound to the metadata namespace.
fn fault_envelope(fault: &Fault) -> Vec<u8> {
    let code = if fault.client {
        "soapenv:Client".to_owned()
    } else {
        format!("sf:{}", fault.code)
    };
    let string = if fault.client {
        fault.message.clone()
    } else {
        format!("{}: {}", fault.code, fault.message)
    };
    document(&[("xmlns:sf", NAMESPACE), ("xmlns:xsi", XSI)], |w| {
        w.create_element("soapenv:Fault").write_inner_content(|w| {
            text(w, "faultcode", &code)?;
            text(w, "faultstring", &string)?;
            if !fault.client {
                w.create_element("detail").write_inner_content(|w| {
                    w.create_element("sf:UnexpectedErrorFault")
                        .with_attribute(("xsi:type", "sf:UnexpectedErrorFault"))
                        .write_inner_content(|w| {
                            text(w, "sf:exceptionCode", fault.code)?;
                            text(w, "sf:exceptionMessage", &fault.message)
                        })
                        .map(|_| ())
                })?;
            }
            Ok(())
        })?;
        Ok(())
    })
}
