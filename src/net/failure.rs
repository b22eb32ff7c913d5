//! A transport failure as the user sees it: which server, through which proxy, what kind
//! of failure and what to do. An untrusted certificate has its own code and advice: behind
//! a corporate network the usual cause is a proxy that inspects TLS with its own CA.

use url::Url;

use super::proxy::shown;
use crate::error::{AppError, ErrorCode};

/// `err` is the transport error when there is one (oauth2 can also fail in I/O without
/// one); `proxy` is the proxy the request went through.
pub fn network_error(
    what: &str,
    url: &Url,
    err: Option<&reqwest::Error>,
    proxy: Option<&Url>,
) -> AppError {
    let host = url.host_str().unwrap_or("the server");
    if let Some(tls) = err.and_then(certificate_error) {
        return AppError::new(
            ErrorCode::TlsUntrusted,
            format!(
                "Could not reach {host} for the {what}: the certificate for {host} is not trusted: your network may inspect TLS."
            ),
        )
        .with_fix("ask IT for its CA certificate and install it in the system's trust store, or set SSL_CERT_FILE to a PEM file holding it, then run the command again")
        .with_source(tls.clone());
    }
    let kind = match err {
        Some(e) if e.is_timeout() => "the request timed out",
        Some(e) if e.is_connect() => "the connection failed (DNS, refused, or TLS)",
        _ => "the connection broke off",
    };
    let origin = url.origin().ascii_serialization();
    let (via, fix) = match proxy {
        Some(p) => (
            format!(" through the proxy {}", shown(p)),
            format!(
                "check that the proxy {} is up and lets {origin} through (or list the host in NO_PROXY), then run the command again",
                shown(p)
            ),
        ),
        None => (
            String::new(),
            format!(
                "check the network (and HTTPS_PROXY if a proxy is needed here), confirm {origin} opens in a browser, then run the command again"
            ),
        ),
    };
    AppError::new(
        ErrorCode::NetworkError,
        format!("Could not reach {host}{via} for the {what}: {kind}."),
    )
    .with_fix(fix)
}

/// The certificate rustls refused, found anywhere in the error's chain (an I/O error
/// wraps it — sometimes twice — without passing it on as its source).
fn certificate_error(err: &reqwest::Error) -> Option<&rustls::Error> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        if let Some(tls @ rustls::Error::InvalidCertificate(_)) = e.downcast_ref::<rustls::Error>()
        {
            return Some(tls);
        }
        next = match e.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    None
}
