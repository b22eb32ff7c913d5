//! The Metadata API's SOAP side as pure functions: request envelopes for `listMetadata` and
//! `readMetadata` with the `SessionHeader`, and ([`response`]) their responses and faults
//! parsed. No HTTP here: [`super::client`] posts the bytes through the project's one
//! client. Shapes as jsforce sends and Salesforce answers (shared/reference/eca-metadata.md).

pub mod response;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use secrecy::{ExposeSecret, SecretString};
use url::Url;
use zeroize::Zeroizing;

use crate::recipe::metadata::{self as md, MetadataType};

pub use response::{
    parse_list_response, parse_read_response, FaultCode, FileProperties, MetadataRecord, SoapError,
    SoapFault,
};

/// The SOAP 1.1 envelope namespace.
pub const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// `Content-Type` of a request (Salesforce answers `text/xml;charset=UTF-8`).
pub const CONTENT_TYPE: &str = "text/xml; charset=UTF-8";
/// The `SOAPAction` header Salesforce expects: present and empty-quoted.
pub const SOAP_ACTION: &str = "\"\"";
/// `listMetadata` takes at most this many queries per call (doc).
pub const LIST_QUERIES_PER_CALL: usize = 3;
/// `readMetadata` takes at most this many full names per call (doc).
pub const READ_NAMES_PER_CALL: usize = 10;

/// `{instance_url}/services/Soap/m/{version}`.
pub fn endpoint(instance_url: &Url) -> Url {
    let mut url = instance_url.clone();
    url.set_path(&format!("/services/Soap/m/{}", md::API_VERSION));
    url.set_query(None);
    url.set_fragment(None);
    url
}

/// A request body. It carries the session id (the access token), so its bytes are zeroed
/// on drop and `Debug` shows only its size.
pub struct Envelope(Zeroizing<Vec<u8>>);

impl Envelope {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Envelope({} bytes, session redacted)", self.0.len())
    }
}

/// One `listMetadata` call per [`LIST_QUERIES_PER_CALL`] types, in order.
pub fn list_metadata(session: &SecretString, types: &[MetadataType]) -> Vec<Envelope> {
    types
        .chunks(LIST_QUERIES_PER_CALL)
        .map(|chunk| list_metadata_call(session, chunk))
        .collect()
}

/// One `listMetadata` call querying `types` (Salesforce refuses more than
/// [`LIST_QUERIES_PER_CALL`]: use [`list_metadata`] for longer lists).
pub fn list_metadata_call(session: &SecretString, types: &[MetadataType]) -> Envelope {
    envelope(session, "listMetadata", |w| {
        for kind in types {
            w.create_element("met:queries")
                .write_inner_content(|q| text(q, "met:type", kind.name()))?;
        }
        text(w, "met:asOfVersion", md::API_VERSION)
    })
}

/// One `readMetadata` call per [`READ_NAMES_PER_CALL`] names of `kind`, in order; none
/// for no names.
pub fn read_metadata(
    session: &SecretString,
    kind: MetadataType,
    names: &[String],
) -> Vec<Envelope> {
    names
        .chunks(READ_NAMES_PER_CALL)
        .map(|chunk| read_metadata_call(session, kind, chunk))
        .collect()
}

/// One `readMetadata` call of `names` (Salesforce refuses more than
/// [`READ_NAMES_PER_CALL`]: use [`read_metadata`] for longer lists).
pub fn read_metadata_call(
    session: &SecretString,
    kind: MetadataType,
    names: &[String],
) -> Envelope {
    envelope(session, "readMetadata", |w| {
        text(w, "met:type", kind.name())?;
        for name in names {
            text(w, "met:fullNames", name)?;
        }
        Ok(())
    })
}

fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))
        .map(|_| ())
}

/// `<soapenv:Envelope>` with the session header and `<met:OPERATION>` holding `body`.
fn envelope(
    session: &SecretString,
    operation: &str,
    body: impl FnOnce(&mut Writer<Vec<u8>>) -> std::io::Result<()>,
) -> Envelope {
    let mut w = Writer::new(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = w
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .and_then(|_| {
            w.create_element("soapenv:Envelope")
                .with_attribute(("xmlns:soapenv", SOAP_ENV))
                .with_attribute(("xmlns:met", md::NAMESPACE))
                .write_inner_content(|w| {
                    w.create_element("soapenv:Header")
                        .write_inner_content(|h| {
                            h.create_element("met:SessionHeader")
                                .write_inner_content(|s| {
                                    text(s, "met:sessionId", session.expose_secret())
                                })?;
                            Ok(())
                        })?;
                    w.create_element("soapenv:Body").write_inner_content(|b| {
                        b.create_element(format!("met:{operation}"))
                            .write_inner_content(body)?;
                        Ok(())
                    })?;
                    Ok(())
                })
                .map(|_| ())
        });
    Envelope(Zeroizing::new(w.into_inner()))
}

#[cfg(test)]
mod tests;
