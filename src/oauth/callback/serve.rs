//! Serving the loopback callback (the behaviour listed in [`super::listener`]'s docs): the axum
//! handler for the callback, `/done` and everything else, and the accept loop that gives
//! each connection its own task with a header read timeout.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use oauth2::CsrfToken;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

use super::pages;
use super::query::{parse_params, CallbackOutcome};

/// How long in-flight responses may take to finish once the listener stops.
pub(super) const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// What the browser is shown at `/done`, stored when the valid callback arrived.
#[derive(Clone, Debug)]
enum DonePage {
    Success,
    Failure {
        error: String,
        description: Option<String>,
    },
}

#[derive(Default)]
pub(super) struct Inner {
    /// Set once by the valid callback; taken by `wait`.
    pub(super) outcome: Option<CallbackOutcome>,
    done_page: Option<DonePage>,
}

/// What the handlers and [`super::listener::Listener::wait`] share.
pub(super) struct Shared {
    expected: CsrfToken,
    /// The port in the callback URL: the only one a request's `Host` may name.
    port: u16,
    callback_path: String,
    done_path: String,
    inner: Mutex<Inner>,
    /// The valid callback arrived (its outcome is in `inner`).
    pub(super) arrived: Notify,
    /// The browser fetched the `/done` page.
    pub(super) done_served: Notify,
}

impl Shared {
    pub(super) fn new(expected: &CsrfToken, callback_path: String, port: u16) -> Self {
        Shared {
            expected: expected.clone(),
            port,
            done_path: format!("{}/done", callback_path.trim_end_matches('/')),
            callback_path,
            inner: Mutex::new(Inner::default()),
            arrived: Notify::new(),
            done_served: Notify::new(),
        }
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A handler cannot panic while holding the lock, but never turn poison into a panic.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The router: every request goes to [`handle`].
pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

pub(super) async fn accept_loop(
    socket: TcpListener,
    app: Router,
    mut stop: watch::Receiver<bool>,
    header_read_timeout: Duration,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = socket.accept() => match accepted {
                Ok((stream, _)) => {
                    let conn = serve_connection(stream, app.clone(), stop.clone(), header_read_timeout);
                    connections.spawn(conn);
                }
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(socket); // from here on, new connections are refused
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

async fn serve_connection(
    stream: TcpStream,
    app: Router,
    mut stop: watch::Receiver<bool>,
    header_read_timeout: Duration,
) {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stop.changed() => conn.as_mut().graceful_shutdown(),
    }
    // Finish the response in flight (the /done page), then close.
    let _ = conn.await;
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    // Another name in `Host` (DNS rebinding: a page on evil.com whose name now resolves to
    // 127.0.0.1) is never this sign-in.
    if !pages::addressed_here(&headers, shared.port) {
        return pages::html_response(
            StatusCode::MISDIRECTED_REQUEST,
            pages::rejected_page("the request was addressed to another host name than this computer's loopback callback"),
        );
    }
    if method == Method::OPTIONS {
        return pages::preflight_response(&headers);
    }
    if method != Method::GET {
        return pages::html_response(StatusCode::METHOD_NOT_ALLOWED, pages::not_found_page());
    }
    let path = uri.path();
    if path == shared.callback_path {
        callback(&shared, query.as_deref().unwrap_or(""))
    } else if path == shared.done_path {
        let done = shared.lock().done_page.clone();
        match done {
            Some(done) => {
                shared.done_served.notify_one();
                pages::html_response(StatusCode::OK, render_done(&done))
            }
            None => pages::html_response(StatusCode::NOT_FOUND, pages::not_found_page()),
        }
    } else {
        pages::html_response(StatusCode::NOT_FOUND, pages::not_found_page())
    }
}

fn callback(shared: &Shared, query: &str) -> Response {
    let mut inner = shared.lock();
    if inner.done_page.is_some() {
        return pages::html_response(StatusCode::CONFLICT, pages::already_completed_page());
    }
    let outcome = parse_params(query).and_then(|p| p.into_outcome(&shared.expected));
    match outcome {
        Err(rejection) => pages::html_response(
            StatusCode::BAD_REQUEST,
            pages::rejected_page(rejection.reason()),
        ),
        Ok(outcome) => {
            inner.done_page = Some(match &outcome {
                CallbackOutcome::Code { .. } => DonePage::Success,
                CallbackOutcome::Denied { error, description } => DonePage::Failure {
                    error: error.clone(),
                    description: description.clone(),
                },
            });
            inner.outcome = Some(outcome);
            drop(inner);
            shared.arrived.notify_one();
            pages::see_other_response(&shared.done_path)
        }
    }
}

fn render_done(done: &DonePage) -> String {
    match done {
        DonePage::Success => pages::success_page(),
        DonePage::Failure { error, description } => {
            pages::failure_page(error, description.as_deref())
        }
    }
}
