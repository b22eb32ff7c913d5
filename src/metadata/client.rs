//! The read-back over the network: the [`super::readback`] steps, sent through the
//! project's one HTTP client ([`Http::fetch`], so the calls are counted). Two rounds of
//! concurrent calls: the app and the list of its dependents, then the dependents.

use futures_util::future::join_all;
use secrecy::SecretString;
use url::Url;

use super::readback::{self, Listing, Read, ReadBack};
use super::soap::{self, Envelope, SoapError};
use crate::error::AppError;
use crate::net::{Fetched, Http};
use crate::recipe::metadata::MetadataType;

/// Posts one envelope to `{instance_url}/services/Soap/m/{version}`. A transport failure
/// is the [`Http::fetch`] error (exit 5); any answer, fault or not, is `Ok`.
pub async fn post_envelope(
    http: &Http,
    instance_url: &Url,
    envelope: &Envelope,
) -> Result<Fetched, AppError> {
    let request = http
        .request(reqwest::Method::POST, soap::endpoint(instance_url))
        .header(reqwest::header::CONTENT_TYPE, soap::CONTENT_TYPE)
        .header("SOAPAction", soap::SOAP_ACTION)
        .body(envelope.as_bytes().to_vec());
    http.fetch(request, "Metadata API request").await
}

/// A transport failure as a read-back reason (the error's message names the host).
fn unreachable(e: AppError) -> SoapError {
    SoapError::Transport(e.message)
}

async fn read(http: &Http, instance_url: &Url, kind: MetadataType, envelope: &Envelope) -> Read {
    let answer = match post_envelope(http, instance_url, envelope).await {
        Ok(f) => soap::parse_read_response(f.status, &f.body),
        Err(e) => Err(unreachable(e)),
    };
    (kind, answer)
}

/// Reads the app `api_name` back with the sign-in's access token. Never fails: what
/// could not be read is [`readback::Component::Unavailable`] with the reason.
pub async fn read_app(
    http: &Http,
    instance_url: &Url,
    session: &SecretString,
    api_name: &str,
) -> ReadBack {
    let list = readback::list_call(session);
    let app = readback::app_read_call(session, api_name);
    let (listed, app_read) = tokio::join!(
        post_envelope(http, instance_url, &list),
        read(
            http,
            instance_url,
            MetadataType::ExternalClientApplication,
            &app
        ),
    );
    let listed = match listed {
        Ok(f) => soap::parse_list_response(f.status, &f.body),
        Err(e) => Err(unreachable(e)),
    };
    let listing: Listing = readback::listing_of(&readback::DEPENDENTS, listed);
    let calls = readback::read_calls(session, &readback::members_to_read(&listing, api_name));
    let mut reads = vec![app_read];
    reads.extend(
        join_all(
            calls
                .iter()
                .map(|(kind, envelope)| read(http, instance_url, *kind, envelope)),
        )
        .await,
    );
    readback::assemble(api_name, &listing, reads)
}
