//! A Salesforce-faithful simulated org: a real HTTP server on loopback with the OAuth
//! endpoints, login form, identity and REST API entry points the tool talks to, answering
//! with Salesforce's exact strings (see shared/reference/salesforce-oauth.md). The OAuth
//! proof, `init --verify`, `init --demo`, the tests and the benchmark run against it.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use sf_webex_setup::simulator::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::webex_ready(&["http://localhost:1717/OauthRedirect".into()])).await?;
//! let login_url = sim.base_url(); // http://127.0.0.1:PORT/
//! # let _ = login_url;
//! sim.stop().await;
//! # Ok(()) }
//! ```

mod app_metadata;
mod config;
mod pages;
mod routes;
mod state;
mod stats;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use url::Url;

pub use config::{SimConfig, SimMetadata, SimUser};
pub use stats::SimStats;

use state::Shared;

/// How long [`Simulator::stop`] waits for open connections before cutting them.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// A running simulated org. Dropping it without [`Simulator::stop`] aborts the server.
pub struct Simulator {
    shared: Arc<Shared>,
    /// The live configuration, mirrored here so [`Simulator::config`] can lend it.
    config: SimConfig,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Starts on `127.0.0.1` with a free port.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        Simulator::start_on(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    /// Starts on `addr` (port 0 picks a free one).
    pub async fn start_on(config: SimConfig, addr: SocketAddr) -> std::io::Result<Simulator> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let mut local = listener.local_addr()?;
        if local.ip().is_unspecified() {
            local.set_ip(IpAddr::V4(Ipv4Addr::LOCALHOST));
        }
        let base = Url::parse(&format!("http://{local}/"))
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        Ok(Simulator::serve(listener, base, config))
    }

    /// Starts on a free 127.0.0.1 port that something in front of it (a TLS front in a
    /// test) forwards to, and names itself `public` in discovery, `instance_url` and
    /// identity URLs. Returns the address to forward to.
    pub async fn start_behind(
        config: SimConfig,
        public: Url,
    ) -> std::io::Result<(Simulator, SocketAddr)> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let local = listener.local_addr()?;
        Ok((Simulator::serve(listener, public, config), local))
    }

    fn serve(listener: tokio::net::TcpListener, base: Url, config: SimConfig) -> Simulator {
        let shared = Arc::new(Shared::new(base, config.clone()));
        let app = routes::router(shared.clone());
        let (shutdown, signal) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = signal.await;
            });
            // An accept error ends the simulated org; the tests then see refused connections.
            let _ = served.await;
        });
        Simulator {
            shared,
            config,
            shutdown: Some(shutdown),
            task: Some(task),
        }
    }

    /// `http://127.0.0.1:PORT/`: the org's login host, My Domain and instance at once.
    pub fn base_url(&self) -> Url {
        self.shared.base.clone()
    }

    /// The app as currently configured (including any [`Simulator::reconfigure`]).
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// Changes the app while the org runs (e.g. remove the loopback callback between
    /// `init` and `--verify`); takes effect for the next request.
    pub fn reconfigure(&mut self, change: impl FnOnce(&mut SimConfig)) {
        change(&mut self.config);
        self.shared.replace_config(self.config.clone());
    }

    /// Moves the simulated clock forward (expire codes after 15 minutes, access tokens
    /// after 2 hours) without waiting.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.advance_clock(by);
    }

    /// Request counts and token counters so far.
    pub fn stats(&self) -> SimStats {
        self.shared.stats()
    }

    /// Stops accepting, lets open requests finish (at most 2 s), then ends the server.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simulator_handle_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Simulator>();
    }
}
