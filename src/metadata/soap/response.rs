//! Metadata API responses: `listMetadataResponse` → [`FileProperties`],
//! `readMetadataResponse` → [`MetadataRecord`], and SOAP faults (`sf:INVALID_SESSION_ID`,
//! `sf:INSUFFICIENT_ACCESS`, …) → [`SoapFault`] with the reason and what would allow the
//! call. Elements are matched by namespace, not prefix.

use super::SOAP_ENV;
use crate::metadata::xml::{self, Element, XSI};
use crate::recipe::metadata::{field, NAMESPACE, SECRET_FIELDS};

/// One `listMetadata` result: a component that exists in the org.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProperties {
    pub full_name: String,
    pub type_name: String,
    pub file_name: Option<String>,
    pub id: Option<String>,
    pub namespace_prefix: Option<String>,
    pub manageable_state: Option<String>,
}

/// One `readMetadata` record: its type (`xsi:type`), full name and every simple field as
/// Salesforce sent it (text; `"true"`/`"false"` for booleans). Nested fields are ignored:
/// the recipe judges none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetadataRecord {
    pub type_name: Option<String>,
    pub full_name: String,
    pub fields: Vec<(String, String)>,
}

impl MetadataRecord {
    /// The field's text, if Salesforce sent it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean field: `None` when absent or not a boolean.
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.get(name)?.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }
}

/// Salesforce's fault codes the read-back tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultCode {
    InvalidSessionId,
    InsufficientAccess,
    InvalidType,
    ApiDisabled,
    RequestLimitExceeded,
    /// Any other code (`raw_code` has it).
    Other,
}

impl FaultCode {
    fn from_exception(code: &str) -> FaultCode {
        match code {
            "INVALID_SESSION_ID" => FaultCode::InvalidSessionId,
            "INSUFFICIENT_ACCESS" => FaultCode::InsufficientAccess,
            "INVALID_TYPE" => FaultCode::InvalidType,
            "API_DISABLED_FOR_ORG" | "API_CURRENTLY_DISABLED" => FaultCode::ApiDisabled,
            "REQUEST_LIMIT_EXCEEDED" => FaultCode::RequestLimitExceeded,
            _ => FaultCode::Other,
        }
    }
}

/// A SOAP fault, e.g. `sf:INSUFFICIENT_ACCESS` / "INSUFFICIENT_ACCESS: use of the Metadata
/// API requires a user with the ModifyAllData or ModifyMetadata permissions".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoapFault {
    pub code: FaultCode,
    /// `faultcode` as sent (`sf:INVALID_SESSION_ID`, `soapenv:Client`).
    pub raw_code: String,
    /// `faultstring` as sent (server text: clean it before showing it).
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SoapError {
    #[error("the Metadata API refused the call: {} ({})", .0.raw_code, .0.message)]
    Fault(SoapFault),
    #[error("the server answered HTTP {status} without a SOAP envelope")]
    Http { status: u16 },
    #[error("the response is not a Metadata API answer: {0}")]
    NotSoap(String),
    /// No answer at all (DNS, refused, TLS, timeout); the text names the host.
    #[error("{0}")]
    Transport(String),
}

impl SoapError {
    /// Why the read-back could not judge the app, for the `?` line.
    pub fn reason(&self) -> String {
        match self {
            SoapError::Fault(f) => match f.code {
                FaultCode::InvalidSessionId => format!("the Metadata API did not accept the sign-in's access token ({}): it expired, or the app lacks the api scope", f.raw_code),
                FaultCode::InsufficientAccess => format!("the signed-in user may not use the Metadata API ({})", f.raw_code),
                FaultCode::InvalidType => format!("the org does not offer the External Client App metadata types ({})", f.raw_code),
                FaultCode::ApiDisabled => format!("API access is off for this org or user ({})", f.raw_code),
                FaultCode::RequestLimitExceeded => format!("the org's API request limit is used up ({})", f.raw_code),
                FaultCode::Other => format!("the Metadata API answered the fault {}", f.raw_code),
            },
            SoapError::Http { status } => format!("the Metadata API endpoint answered HTTP {status} without a SOAP envelope (not a Salesforce org?)"),
            SoapError::NotSoap(why) => format!("the Metadata API answer could not be read ({why})"),
            SoapError::Transport(why) => format!("the Metadata API could not be reached ({why})"),
        }
    }

    /// What would let the read-back run.
    pub fn remedy(&self) -> &'static str {
        let f = match self {
            SoapError::Fault(f) => f,
            SoapError::Transport(_) => {
                return "check the network and any proxy, then run the check again"
            }
            _ => return "run it against a Salesforce org (the login host or My Domain)",
        };
        match f.code {
            FaultCode::InvalidSessionId => "make sure the app has the api scope, then sign in again",
            FaultCode::InsufficientAccess => "sign in as a user with \"Modify Metadata Through Metadata API Functions\" or \"Modify All Data\" (a System Administrator has both)",
            FaultCode::InvalidType => "opt the org in to External Client Apps (Setup → External Client App Settings)",
            FaultCode::ApiDisabled => "give the signed-in user the \"API Enabled\" permission (an edition without API access cannot be checked)",
            FaultCode::RequestLimitExceeded => "try again when the org's 24-hour API limit has room",
            FaultCode::Other => "try again; if it persists, check the app in Setup by hand",
        }
    }
}

/// The `Body` of a SOAP response, or the fault it carries, or why it is not one.
fn body(status: u16, document: &str) -> Result<Element, SoapError> {
    let not_soap = |why: String| {
        if status == 200 {
            SoapError::NotSoap(why)
        } else {
            SoapError::Http { status }
        }
    };
    let root = xml::parse(document).map_err(|e| not_soap(e.to_string()))?;
    if !root.is(SOAP_ENV, "Envelope") {
        return Err(not_soap(format!("the root element is <{}>", root.name)));
    }
    let mut body = root
        .children
        .into_iter()
        .find(|c| c.is(SOAP_ENV, "Body"))
        .ok_or_else(|| not_soap("the envelope has no Body".into()))?;
    if let Some(fault) = body.child(SOAP_ENV, "Fault") {
        return Err(SoapError::Fault(fault_of(fault)));
    }
    if status != 200 {
        return Err(SoapError::Http { status });
    }
    body.children.truncate(1);
    Ok(body)
}

/// `faultcode` and `faultstring` are unqualified; the code's prefix is whatever the
/// server declared, so only its local part is compared.
fn fault_of(fault: &Element) -> SoapFault {
    let local = |name: &str| {
        fault
            .children
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.text().trim().to_owned())
    };
    let raw_code = local("faultcode").unwrap_or_default();
    let exception = raw_code.rsplit(':').next().unwrap_or_default();
    SoapFault {
        code: FaultCode::from_exception(exception),
        message: local("faultstring").unwrap_or_default(),
        raw_code,
    }
}

/// The operation's response element (`listMetadataResponse`, …) in the metadata namespace.
fn operation(status: u16, document: &str, name: &str) -> Result<Element, SoapError> {
    let body = body(status, document)?;
    match body.children.into_iter().next() {
        Some(element) if element.is(NAMESPACE, name) => Ok(element),
        Some(other) => Err(SoapError::NotSoap(format!(
            "expected <{name}>, got <{}>",
            other.name
        ))),
        None => Err(SoapError::NotSoap(format!("the Body has no <{name}>"))),
    }
}

fn child_text(parent: &Element, name: &str) -> Option<String> {
    parent
        .child(NAMESPACE, name)
        .map(|c| c.text().trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// `listMetadata`'s answer: every component of the queried types (none is an empty list).
pub fn parse_list_response(status: u16, document: &str) -> Result<Vec<FileProperties>, SoapError> {
    let response = operation(status, document, "listMetadataResponse")?;
    let mut found = Vec::new();
    for result in response.children_named(NAMESPACE, "result") {
        if result.is_nil() {
            continue;
        }
        let (Some(full_name), Some(type_name)) = (
            child_text(result, field::FULL_NAME),
            child_text(result, "type"),
        ) else {
            return Err(SoapError::NotSoap(
                "a listMetadata result without fullName or type".into(),
            ));
        };
        found.push(FileProperties {
            full_name,
            type_name,
            file_name: child_text(result, "fileName"),
            id: child_text(result, "id"),
            namespace_prefix: child_text(result, "namespacePrefix"),
            manageable_state: child_text(result, "manageableState"),
        });
    }
    Ok(found)
}

/// `readMetadata`'s answer: one record per name that exists (a missing name comes back
/// as no record, a nil record or a record without `fullName`; all three are skipped).
pub fn parse_read_response(status: u16, document: &str) -> Result<Vec<MetadataRecord>, SoapError> {
    let response = operation(status, document, "readMetadataResponse")?;
    let mut records = Vec::new();
    for result in response.children_named(NAMESPACE, "result") {
        for element in result.children_named(NAMESPACE, "records") {
            if element.is_nil() {
                continue;
            }
            let Some(full_name) = child_text(element, field::FULL_NAME) else {
                continue;
            };
            let fields = element
                .children
                .iter()
                .filter(|c| c.children.is_empty() && c.namespace.as_deref() == Some(NAMESPACE))
                .filter(|c| c.name != field::FULL_NAME && !c.is_nil())
                // Never kept, so never shown or logged: a secret the org lets us read.
                .filter(|c| !SECRET_FIELDS.contains(&c.name.as_str()))
                .map(|c| (c.name.clone(), c.text().to_owned()))
                .collect();
            records.push(MetadataRecord {
                // `xsi:type` may carry a prefix (`sf:Foo`) or none.
                type_name: element
                    .attribute(Some(XSI), "type")
                    .map(|t| t.rsplit(':').next().unwrap_or(t).to_owned()),
                full_name,
                fields,
            });
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests;
