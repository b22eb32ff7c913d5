//! `init --demo`: a rehearsal against the simulated org on loopback. The simulator holds an
//! app configured exactly per the recipe; the wizard offers its values as defaults (Enter
//! accepts them, a typo shows the real diagnosis), and the OAuth proof runs against it.

use std::net::TcpListener;
use std::sync::Arc;

use secrecy::SecretString;

use crate::browser::{browser_available, BrowserError, BrowserOpener, SystemBrowser};
use crate::error::AppError;
use crate::recipe;
use crate::simulator::{SimConfig, Simulator};
use crate::wizard::Presets;

/// The demo's simulated org and how the browser step will be done.
pub struct Demo {
    pub simulator: Simulator,
    pub loopback_port: u16,
    pub browser: Arc<dyn BrowserOpener>,
    /// True when no real browser exists and the demo signs in by itself.
    pub self_signing: bool,
}

/// Starts the simulated org. The loopback callback is on a free port (not the usual 1717,
/// which a real setup or a second demo may be using), unless `--callback-port` names one.
pub async fn start(requested_port: Option<u16>) -> Result<Demo, AppError> {
    let loopback_port = match requested_port {
        Some(port) => port,
        None => free_port()
            .map_err(|e| AppError::internal(format!("no free port on 127.0.0.1: {e}")))?,
    };
    let self_signing = !browser_available();
    let mut config = SimConfig::webex_ready(&[recipe::loopback_callback_url(loopback_port)]);
    // With no browser to click "Log in", the simulated user is signed in already.
    config.auto_approve = self_signing;
    let simulator = Simulator::start(config).await.map_err(|e| {
        AppError::internal(format!(
            "could not start the simulated org on 127.0.0.1: {e}"
        ))
    })?;
    let browser: Arc<dyn BrowserOpener> = if self_signing {
        Arc::new(SelfSigningBrowser)
    } else {
        Arc::new(SystemBrowser)
    };
    Ok(Demo {
        simulator,
        loopback_port,
        browser,
        self_signing,
    })
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

impl Demo {
    /// Offers the simulated app's values as the wizard's defaults. Non-interactively they are
    /// used as answers, so `init --demo --non-interactive` runs end to end.
    pub fn fill(&self, presets: &mut Presets, interactive: bool) {
        let config = self.simulator.config();
        let d = &mut presets.defaults;
        d.login_url = Some(
            self.simulator
                .base_url()
                .as_str()
                .trim_end_matches('/')
                .to_string(),
        );
        d.app_name = Some("Webex Integration".into());
        d.contact_email = Some(config.user.email.clone());
        d.consumer_key = Some(config.consumer_key.clone());
        d.consumer_secret = Some(SecretString::from(config.consumer_secret.clone()));
        d.callback_urls = config.callback_urls.clone();
        d.scopes = config.scopes.clone();
        presets.loopback_port = self.loopback_port;
        if !interactive {
            let a = &mut presets.answers;
            if a.distribution_state.is_none() {
                a.distribution_state = Some(recipe::DISTRIBUTION_STATE.flag_value().into());
            }
            if a.callback_urls.is_empty() {
                a.callback_urls = config.callback_urls.clone();
            }
            if a.scopes.is_empty() {
                a.scopes = config.scopes.clone();
            }
            if a.security.is_empty() {
                a.security = recipe::SecurityOption::ALL
                    .into_iter()
                    .filter(|o| config.has(*o))
                    .map(|o| o.flag_value().to_string())
                    .collect();
            }
        }
    }

    /// What the demo is, with the hints that apply: typing other answers only when there
    /// are prompts, the self-signing admin only when a sign-in will happen.
    pub fn introduction(&self, interactive: bool, login: bool) -> String {
        let base = self.simulator.base_url();
        let mut text = format!(
            "Demo: a simulated Salesforce org is running at {base}\n  Its Setup pages: {base} (the app) and {base}demo/consumer (Consumer Key and Secret)."
        );
        if interactive {
            text.push_str("\n  Every answer's default is the simulated app's; type something else to see how mistakes are caught.");
        }
        if self.self_signing && login {
            text.push_str("\n  No browser was found, so the simulated admin signs in by itself during the OAuth check.");
        }
        text
    }
}

/// The demo's stand-in for a browser where none exists: it follows the simulated org's
/// redirects (the simulator signs the user in automatically) to the loopback callback.
/// Only ever used against the simulator.
struct SelfSigningBrowser;

impl BrowserOpener for SelfSigningBrowser {
    fn open(&self, url: &str) -> Result<(), BrowserError> {
        let url = url.to_string();
        // A thread of its own: the caller may be on the async runtime, and the proof must not
        // wait for the "browser".
        std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                // Loopback only, so never through a proxy from the environment.
                if let Ok(client) = reqwest::Client::builder()
                    .no_proxy()
                    .timeout(std::time::Duration::from_secs(30))
                    .build()
                {
                    let _ = client.get(url).send().await;
                }
            });
        });
        Ok(())
    }
}
