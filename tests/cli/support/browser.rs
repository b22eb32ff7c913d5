//! The browser stand-ins: [`ScriptBrowser`] really runs tests/support/browser.py (follows
//! redirects with a cookie jar, fills the login form, GETs the loopback callback) — the
//! same script `$BROWSER` runs for the built binary ([`browser_command`]); [`NoBrowser`]
//! has none; [`SilentBrowser`] opens and never comes back.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use sf_webex_setup::browser::{BrowserError, BrowserOpener};

pub use sf_webex_setup::browser::NoBrowser;

pub fn browser_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/support/browser.py")
}

/// The `$BROWSER` value that runs the stand-in for the built binary.
pub fn browser_command() -> String {
    format!("python3 {}", browser_script().display())
}

/// `python3 tests/support/browser.py URL`, exactly what `$BROWSER` would run. The children
/// are killed when this is dropped (a test that fails early leaves nothing behind).
#[derive(Default)]
pub struct ScriptBrowser {
    pub opened: AtomicU32,
    children: Mutex<Vec<Child>>,
}

impl BrowserOpener for ScriptBrowser {
    fn open(&self, url: &str) -> Result<(), BrowserError> {
        assert!(
            browser_script().is_file(),
            "missing {}",
            browser_script().display()
        );
        self.opened.fetch_add(1, Ordering::SeqCst);
        let child = Command::new("python3")
            .arg(browser_script())
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| BrowserError::BrowserVar(format!("python3: {e}")))?;
        if let Ok(mut children) = self.children.lock() {
            children.push(child);
        }
        Ok(())
    }
}

impl Drop for ScriptBrowser {
    fn drop(&mut self) {
        if let Ok(children) = self.children.get_mut() {
            for child in children.iter_mut() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// A browser that opens and never signs in (the sign-in times out).
pub struct SilentBrowser;

impl BrowserOpener for SilentBrowser {
    fn open(&self, _url: &str) -> Result<(), BrowserError> {
        Ok(())
    }
}
