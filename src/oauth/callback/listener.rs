//! The loopback listener that receives the authorization code: binds the registered
//! callback (`http://localhost:1717/OauthRedirect` by default), waits for the one callback
//! whose `state` matches, shows the browser a success or failure page, then stops.
//!
//! Served by axum's router over hyper's HTTP/1 connection builder (one task per connection,
//! a header read timeout), so a favicon request, a stray path, a forged callback or a
//! half-sent request can neither end the flow nor block it.
//!
//! # Behaviour, in order
//! - A `Host` other than a loopback name with the listening port (DNS rebinding) → `421`,
//!   keep listening: such a request is never the sign-in.
//! - `OPTIONS` with `Access-Control-Request-Private-Network` (Chrome's Private Network Access
//!   preflight) from a sign-in origin (a Salesforce host over https, a loopback server) →
//!   `204` with `Access-Control-Allow-Private-Network: true`; any other origin → `403`.
//! - Any path other than the callback path (favicon, probes) → `404`, keep listening.
//! - Callback with a missing or wrong `state` (compared in constant time), repeated
//!   parameters, or neither `code` nor `error` → `400` page, keep listening: a forged request
//!   must not end the flow.
//! - The valid callback (`code=…` or `error=…`) → `303 See Other` to `<callback path>/done`,
//!   which shows the success or failure page (the failure reason HTML-escaped). The page is
//!   rendered from what the listener stored, never from the `/done` URL, so nothing can be
//!   reflected through it.
//! - A callback after the valid one, while the browser is still fetching `/done` → `409`
//!   "already completed"; the outcome does not change. Once [`Listener::wait`] returns, the
//!   sockets are closed: later callbacks get "connection refused".
//!
//! `wait` returns as soon as the browser has fetched the `/done` page, or at most
//! [`DONE_PAGE_GRACE`] after the valid callback (a client that does not follow redirects).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use oauth2::CsrfToken;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;
use url::Url;

use super::query::CallbackOutcome;
use super::serve::{accept_loop, Shared, SHUTDOWN_GRACE};
use crate::error::{AppError, ErrorCode};
use crate::recipe;

/// A connection must send its request headers within this time, or it is closed (default;
/// see [`Listener::with_header_read_timeout`]).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// After the valid callback, how long `wait` keeps serving so the browser can fetch `/done`.
pub const DONE_PAGE_GRACE: Duration = Duration::from_secs(3);

/// Why no callback could be received. Converts into [`AppError`]: `PortBusy`, `Bind` and
/// `NoLoopbackCallback` exit 2 (usage: pick another `--callback-port`), `Timeout` exits 5
/// (the callback never arrived over the loopback network).
#[derive(Debug, thiserror::Error)]
pub enum ListenerError {
    #[error("none of the callback URLs is a plain-http loopback address this tool can listen on")]
    NoLoopbackCallback,
    #[error("every registered loopback callback port is in use ({})", port_list(.tried))]
    PortBusy { tried: Vec<u16> },
    #[error("could not listen on the callback address ({})", bind_list(.busy, .failed))]
    Bind {
        /// Ports in use.
        busy: Vec<u16>,
        /// Ports that failed otherwise, with the first cause (kept as the source).
        failed: Vec<u16>,
        #[source]
        cause: std::io::Error,
    },
    #[error("the sign-in did not come back within {}", humantime::format_duration(*.0))]
    Timeout(Duration),
}

fn bind_list(busy: &[u16], failed: &[u16]) -> String {
    let busy = busy.iter().map(|p| format!("port {p}: in use"));
    let failed = failed.iter().map(|p| format!("port {p}: failed"));
    busy.chain(failed).collect::<Vec<_>>().join("; ")
}

fn port_list(ports: &[u16]) -> String {
    let list: Vec<String> = ports.iter().map(|p| p.to_string()).collect();
    format!("port {}", list.join(", "))
}

impl From<ListenerError> for AppError {
    fn from(e: ListenerError) -> Self {
        let callback = recipe::location::CALLBACK;
        let error = match &e {
            ListenerError::NoLoopbackCallback => AppError::new(ErrorCode::NoLoopbackCallback, e.to_string())
                .with_fix(format!(
                    "add {} to the app's Callback URL ({callback})",
                    recipe::loopback_callback_url(recipe::DEFAULT_LOOPBACK_PORT)
                )),
            ListenerError::PortBusy { tried } => {
                let next = tried.iter().max().map_or(recipe::DEFAULT_LOOPBACK_PORT, |p| p.saturating_add(1));
                AppError::new(ErrorCode::CallbackPortBusy,
                    format!("{e}: another program is listening there, so the sign-in cannot come back."),
                )
                .with_fix(format!(
                    "stop that program, or pass --callback-port {next} (any free port) and add {} to the app's Callback URL ({callback})",
                    recipe::loopback_callback_url(next)
                ))
            }
            ListenerError::Bind { .. } => AppError::new(ErrorCode::CallbackListenFailed, e.to_string()).with_fix(format!(
                "pass --callback-port N (a free port above 1023) and add http://localhost:N{} to the app's Callback URL ({callback})",
                recipe::LOOPBACK_PATH
            )),
            ListenerError::Timeout(_) => AppError::new(ErrorCode::LoginTimeout, e.to_string()).with_fix(
                "run the command again and finish signing in before the countdown ends (or raise --login-timeout); if the browser runs on another machine (SSH, WSL, container), use --paste",
            ),
        };
        error.with_source(e)
    }
}

/// A bound, not yet serving, loopback listener. Connections made before [`Listener::wait`]
/// queue in the kernel and are answered once it runs.
#[derive(Debug)]
pub struct Listener {
    redirect_uri: Url,
    sockets: Vec<TcpListener>,
    header_read_timeout: Duration,
}

/// Which addresses a loopback callback host stands for.
#[derive(Clone, Copy, Debug)]
enum LoopbackHost {
    /// `localhost`: browsers may resolve it to either, so both are bound when possible.
    Localhost,
    Ip(IpAddr),
}

/// Whether `url` is plain http on a loopback host (the shared rule,
/// [`crate::salesforce::hosts::is_loopback_host`]), and which addresses to bind for it.
fn loopback_host(url: &Url) -> Option<LoopbackHost> {
    let loopback = url.scheme() == "http"
        && url
            .host_str()
            .is_some_and(crate::salesforce::hosts::is_loopback_host);
    if !loopback {
        return None;
    }
    match url.host()? {
        url::Host::Domain(_) => Some(LoopbackHost::Localhost),
        url::Host::Ipv4(ip) => Some(LoopbackHost::Ip(IpAddr::V4(ip))),
        url::Host::Ipv6(ip) => Some(LoopbackHost::Ip(IpAddr::V6(ip))),
    }
}

enum BindFailure {
    InUse,
    /// The IPv4 failure (IPv6 failed too).
    Other(std::io::Error),
}

fn classify_io(e: std::io::Error) -> BindFailure {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => BindFailure::InUse,
        _ => BindFailure::Other(e),
    }
}

/// Binds `localhost:port` on 127.0.0.1 and ::1. Either may be unavailable (no IPv6 on the
/// machine): one is enough. But if either is *in use*, the port is busy: a browser trying
/// that address first would deliver the code to the other program.
async fn bind_localhost(port: u16) -> Result<Vec<TcpListener>, BindFailure> {
    // Port 0 (tests) picks a free port on 127.0.0.1 and then needs the same one on ::1; a
    // clash there is retried with another free port.
    let attempts = if port == 0 { 5 } else { 1 };
    let mut last = BindFailure::InUse;
    for _ in 0..attempts {
        let v4 = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await;
        let actual = match &v4 {
            Ok(l) => l.local_addr().map_or(port, |a| a.port()),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => return Err(BindFailure::InUse),
            Err(_) => port,
        };
        let v6 = TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, actual))).await;
        match (v4, v6) {
            (Ok(a), Ok(b)) => return Ok(vec![a, b]),
            (_, Err(e)) if e.kind() == std::io::ErrorKind::AddrInUse => last = BindFailure::InUse,
            (Ok(a), Err(_)) => return Ok(vec![a]),
            (Err(_), Ok(b)) => return Ok(vec![b]),
            (Err(e4), Err(_)) => return Err(BindFailure::Other(e4)),
        }
    }
    Err(last)
}

impl Listener {
    /// `callbacks`: the registered callback URLs, preferred first. Only plain-http loopback
    /// ones (`localhost`, `127.x.x.x`, `[::1]`) are used; others (the Webex https callback)
    /// are skipped. A busy port moves on to the next loopback callback. Port 0 binds any free
    /// port (for tests: Salesforce needs the exact registered port).
    pub async fn bind(callbacks: &[Url]) -> Result<Listener, ListenerError> {
        let mut tried = Vec::new();
        let mut other_failures = Vec::new();
        let mut any_loopback = false;
        for url in callbacks {
            let Some(host) = loopback_host(url) else {
                continue;
            };
            any_loopback = true;
            let port = url.port_or_known_default().unwrap_or(80);
            let bound = match host {
                LoopbackHost::Localhost => bind_localhost(port).await,
                LoopbackHost::Ip(ip) => TcpListener::bind(SocketAddr::new(ip, port))
                    .await
                    .map(|l| vec![l])
                    .map_err(classify_io),
            };
            match bound {
                Ok(sockets) => {
                    let mut redirect_uri = url.clone();
                    let actual = sockets
                        .first()
                        .and_then(|s| s.local_addr().ok())
                        .map_or(port, |a| a.port());
                    if actual != port {
                        // Only reachable for port 0; `set_port` fails only for URLs without a host.
                        let _ = redirect_uri.set_port(Some(actual));
                    }
                    return Ok(Listener {
                        redirect_uri,
                        sockets,
                        header_read_timeout: HEADER_READ_TIMEOUT,
                    });
                }
                Err(BindFailure::InUse) => {
                    if !tried.contains(&port) {
                        tried.push(port);
                    }
                }
                Err(BindFailure::Other(why)) => other_failures.push((port, why)),
            }
        }
        if !any_loopback {
            return Err(ListenerError::NoLoopbackCallback);
        }
        let failed: Vec<u16> = other_failures.iter().map(|(p, _)| *p).collect();
        match other_failures.into_iter().next() {
            None => Err(ListenerError::PortBusy { tried }),
            Some((_, cause)) => Err(ListenerError::Bind {
                busy: tried,
                failed,
                cause,
            }),
        }
    }

    /// Changes how long a connection may take to send its request headers before it is
    /// closed ([`HEADER_READ_TIMEOUT`] by default).
    pub fn with_header_read_timeout(mut self, limit: Duration) -> Self {
        self.header_read_timeout = limit;
        self
    }

    /// The exact registered callback in use (port included): what goes into `redirect_uri=`.
    pub fn redirect_uri(&self) -> &Url {
        &self.redirect_uri
    }

    /// The socket addresses actually bound (127.0.0.1 and/or ::1).
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.sockets
            .iter()
            .filter_map(|s| s.local_addr().ok())
            .collect()
    }

    /// Serves until the one valid callback arrives (see the module docs) or `timeout`
    /// passes, calling `progress(remaining)` about once a second. The sockets are closed
    /// when this returns, whatever the result.
    pub async fn wait(
        self,
        expected_state: &CsrfToken,
        timeout: Duration,
        progress: &mut dyn FnMut(Duration),
    ) -> Result<CallbackOutcome, ListenerError> {
        // A huge --login-timeout must not overflow the clock (that would panic): cap at a year.
        let year = Duration::from_secs(365 * 24 * 3600);
        let deadline = Instant::now() + timeout.min(year);
        let callback_path = self.redirect_uri.path().to_owned();
        let port = self.redirect_uri.port_or_known_default().unwrap_or(80);
        let shared = Arc::new(Shared::new(expected_state, callback_path, port));
        let app = super::serve::router(Arc::clone(&shared));
        let (stop_tx, stop_rx) = watch::channel(false);
        // Dropping this set (also when the caller drops this future) aborts every task.
        let mut servers = JoinSet::new();
        for socket in self.sockets {
            let limit = self.header_read_timeout;
            servers.spawn(accept_loop(socket, app.clone(), stop_rx.clone(), limit));
        }

        // The first call comes before anything can arrive, so a countdown always shows.
        progress(timeout);
        let second = Duration::from_secs(1);
        let mut ticker = tokio::time::interval_at(Instant::now() + second, second);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let result = loop {
            tokio::select! {
                biased;
                _ = shared.arrived.notified() => {
                    if let Some(outcome) = shared.lock().outcome.take() {
                        break Ok(outcome);
                    }
                }
                _ = tokio::time::sleep_until(deadline) => break Err(ListenerError::Timeout(timeout)),
                _ = ticker.tick() => progress(deadline.saturating_duration_since(Instant::now())),
            }
        };
        if result.is_ok() {
            let _ = tokio::time::timeout(DONE_PAGE_GRACE, shared.done_served.notified()).await;
        }
        let _ = stop_tx.send(true);
        let _ = tokio::time::timeout(SHUTDOWN_GRACE * 2, async {
            while servers.join_next().await.is_some() {}
        })
        .await;
        result
    }
}
