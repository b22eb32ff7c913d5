//! Transport: the one HTTP client every request to the org goes through.
//!
//! Redirects are never followed: the authorize probes read the `Location` header themselves,
//! and following redirects would let a server bounce a request (and its token) anywhere.
//! Every request is counted so the proof and the probes can report how many HTTP round
//! trips they made. Proxies are chosen by [`proxy`] (loopback always direct); certificates
//! are verified against the platform's trust store (which honours `SSL_CERT_FILE` and
//! `SSL_CERT_DIR`) and, as a fallback for a machine without one, a bundled root list.

mod failure;
pub mod proxy;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use oauth2::{AsyncHttpClient, HttpClientError, HttpRequest, HttpResponse};
use url::Url;

use crate::error::AppError;
use failure::network_error;
pub use proxy::Proxies;

/// Connection set-up limit: a login host that does not answer in this time is unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Whole-request limit (Salesforce answers token requests in well under a second).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Bodies larger than this are cut: we only ever look for error codes and small JSON.
const MAX_BODY_BYTES: usize = 512 * 1024;

/// A reqwest client that never follows redirects and counts its round trips. Cloning shares
/// the connection pool and the counter.
#[derive(Clone, Debug)]
pub struct Http {
    client: reqwest::Client,
    round_trips: Arc<AtomicU32>,
    proxies: Arc<Proxies>,
}

/// What the probes need from a response: status, `Location`, content type and the body
/// (capped), already read so the connection can be reused.
#[derive(Clone, Debug)]
pub struct Fetched {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: Option<String>,
    pub body: String,
}

impl Http {
    /// The client with the default timeouts and the environment's proxies.
    pub fn new() -> Result<Self, AppError> {
        Self::with_timeouts(CONNECT_TIMEOUT, REQUEST_TIMEOUT)
    }

    pub fn with_timeouts(connect: Duration, request: Duration) -> Result<Self, AppError> {
        let proxies = Arc::new(Proxies::from_env());
        let chooser = Arc::clone(&proxies);
        let client = reqwest::Client::builder()
            // Only our own rule: reqwest's environment lookup would send loopback through
            // the proxy too.
            .no_proxy()
            .proxy(reqwest::Proxy::custom(move |url| chooser.for_url(url)))
            .tls_built_in_native_certs(true)
            .tls_built_in_webpki_certs(true)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect)
            .timeout(request)
            .user_agent(concat!("sf-webex-setup/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| {
                AppError::internal("Could not initialise the HTTP client (TLS set-up failed).")
            })?;
        Ok(Http {
            client,
            round_trips: Arc::new(AtomicU32::new(0)),
            proxies,
        })
    }

    /// The proxy rules in use (for `--verbose` and messages).
    pub fn proxies(&self) -> &Proxies {
        &self.proxies
    }

    /// A failed request to `url` as the user sees it (names the proxy it went through).
    pub fn failure(&self, what: &str, url: &Url, err: Option<&reqwest::Error>) -> AppError {
        network_error(what, url, err, self.proxies.for_url(url).as_ref())
    }

    /// Requests sent so far through this client (and its clones).
    pub fn round_trips(&self) -> u32 {
        self.round_trips.load(Ordering::Relaxed)
    }

    /// Starts a request; send it with [`Http::fetch`] so it is counted.
    pub fn request(&self, method: reqwest::Method, url: Url) -> reqwest::RequestBuilder {
        self.client.request(method, url)
    }

    /// Sends one request and reads the response. A transport failure (DNS, TLS, refused,
    /// timeout) is an [`AppError`] with exit 5.
    pub async fn fetch(
        &self,
        request: reqwest::RequestBuilder,
        what: &str,
    ) -> Result<Fetched, AppError> {
        let request = request
            .build()
            .map_err(|_| AppError::internal(format!("Could not build the {what} request.")))?;
        let url = request.url().clone();
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        let mut response = self
            .client
            .execute(request)
            .await
            .map_err(|e| self.failure(what, &url, Some(&e)))?;
        let status = response.status().as_u16();
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header(reqwest::header::LOCATION);
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let bytes = read_capped(&mut response)
            .await
            .map_err(|e| self.failure(what, &url, Some(&e)))?;
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Ok(Fetched {
            status,
            location,
            content_type,
            body,
        })
    }
}

/// oauth2 sends its token, refresh and revoke requests through this, so they are counted
/// and share the no-redirect policy.
impl<'c> AsyncHttpClient<'c> for Http {
    type Error = HttpClientError<reqwest::Error>;
    type Future =
        Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + Sync + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
        Box::pin(async move {
            let request = reqwest::Request::try_from(request).map_err(Box::new)?;
            let mut response = self.client.execute(request).await.map_err(Box::new)?;
            let mut builder = oauth2::http::Response::builder()
                .status(response.status())
                .version(response.version());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let body = read_capped(&mut response).await.map_err(Box::new)?;
            builder.body(body).map_err(HttpClientError::Http)
        })
    }
}

/// An [`Http`] that keeps the status and body of the last response it received, so a token
/// response oauth2 could not read (wrong content type, a missing field) can still be
/// searched for tokens to revoke. Used for one request at a time (the code exchange).
pub struct Recording<'a> {
    http: &'a Http,
    last: std::sync::Mutex<Option<(u16, Vec<u8>)>>,
}

impl Http {
    pub fn recording(&self) -> Recording<'_> {
        Recording {
            http: self,
            last: std::sync::Mutex::new(None),
        }
    }
}

impl Recording<'_> {
    /// The client it records for.
    pub fn http(&self) -> &Http {
        self.http
    }

    /// Status and (capped) body of the last response, if one arrived.
    pub fn take_last(&self) -> Option<(u16, Vec<u8>)> {
        self.last.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

impl<'c, 'a: 'c> AsyncHttpClient<'c> for Recording<'a> {
    type Error = HttpClientError<reqwest::Error>;
    type Future =
        Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + Sync + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let response = self.http.call(request).await?;
            *self.last.lock().unwrap_or_else(|p| p.into_inner()) =
                Some((response.status().as_u16(), response.body().clone()));
            Ok(response)
        })
    }
}

/// Reads a body chunk by chunk and stops at [`MAX_BODY_BYTES`]: the rest is never read, so
/// a server sending an endless or huge body cannot make us buffer it.
async fn read_capped(response: &mut reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_BODY_BYTES.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_BODY_BYTES {
            break;
        }
    }
    Ok(body)
}

/// When a request failed in transport (rather than being answered), for exit 5.
pub fn is_transport_failure<T: oauth2::ErrorResponse>(
    err: &oauth2::RequestTokenError<HttpClientError<reqwest::Error>, T>,
) -> bool {
    matches!(
        err,
        oauth2::RequestTokenError::Request(HttpClientError::Reqwest(_) | HttpClientError::Io(_))
    )
}

/// The reqwest error behind an oauth2 transport failure, if there is one.
pub fn transport_error<T: oauth2::ErrorResponse>(
    err: &oauth2::RequestTokenError<HttpClientError<reqwest::Error>, T>,
) -> Option<&reqwest::Error> {
    match err {
        oauth2::RequestTokenError::Request(HttpClientError::Reqwest(e)) => Some(e),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    /// A server whose every answer is an endless chunked JSON-looking body.
    async fn endless_body_server() -> Url {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = stream.read(&mut buf).await;
                    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                    if stream.write_all(head.as_bytes()).await.is_err() {
                        return;
                    }
                    let chunk = format!("{:x}\r\n{}\r\n", 65536, "x".repeat(65536));
                    // Until the client hangs up.
                    while stream.write_all(chunk.as_bytes()).await.is_ok() {}
                });
            }
        });
        Url::parse(&format!("http://{addr}/token")).unwrap()
    }

    #[tokio::test]
    async fn an_endless_body_is_cut_at_the_cap_instead_of_read_to_the_end() {
        let url = endless_body_server().await;
        let http = Http::with_timeouts(Duration::from_secs(5), Duration::from_secs(5)).unwrap();
        let fetched = http
            .fetch(
                http.request(reqwest::Method::GET, url.clone()),
                "test request",
            )
            .await
            .expect("the capped read finishes before the timeout");
        assert_eq!(fetched.body.len(), MAX_BODY_BYTES);

        let request = oauth2::http::Request::builder()
            .method("POST")
            .uri(url.as_str())
            .body(b"grant_type=refresh_token".to_vec())
            .unwrap();
        let response = http
            .call(request)
            .await
            .expect("capped on the oauth2 path too");
        assert_eq!(response.body().len(), MAX_BODY_BYTES);
        assert_eq!(http.round_trips(), 2);
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_network_error_with_exit_5_and_is_counted() {
        // Bind then drop a listener to get a port nobody listens on.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let http = Http::with_timeouts(Duration::from_secs(2), Duration::from_secs(2)).unwrap();
        let url = Url::parse(&format!("http://127.0.0.1:{port}/x")).unwrap();
        let err = http
            .fetch(http.request(reqwest::Method::GET, url), "discovery request")
            .await
            .unwrap_err();
        assert_eq!(err.exit_code(), 5);
        assert!(err.message.contains("127.0.0.1"), "{}", err.message);
        assert_eq!(http.round_trips(), 1);
        assert_eq!(http.clone().round_trips(), 1, "clones share the counter");
    }
}
