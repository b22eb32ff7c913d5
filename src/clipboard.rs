//! The clipboard seam: the hand-off puts the consumer key, then the secret, on the system
//! clipboard (through `arboard`: macOS, Windows, X11 and Wayland) for pasting into Control
//! Hub, and clears it again. Tests substitute a recording fake.

/// Why nothing could be put on the clipboard.
#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    /// No clipboard here (an SSH session, a container, no desktop).
    #[error("no clipboard is available here (no desktop session)")]
    Unavailable(#[source] arboard::Error),
    #[error("the clipboard refused the text")]
    Failed(#[source] arboard::Error),
}

/// A clipboard that can hold one text at a time.
pub trait Clipboard {
    fn set(&mut self, text: &str) -> Result<(), ClipboardError>;
    /// Empties it (only if it still holds what was set: a later copy by the person stays).
    fn clear(&mut self) -> Result<(), ClipboardError>;
}

/// Opens the clipboard (once per hand-off).
pub type ClipboardOpener = dyn Fn() -> Result<Box<dyn Clipboard>, ClipboardError> + Send + Sync;

/// The system clipboard.
pub struct SystemClipboard {
    inner: arboard::Clipboard,
    last: Option<String>,
}

impl SystemClipboard {
    pub fn open() -> Result<Box<dyn Clipboard>, ClipboardError> {
        let inner = arboard::Clipboard::new().map_err(ClipboardError::Unavailable)?;
        Ok(Box::new(SystemClipboard { inner, last: None }))
    }
}

impl Clipboard for SystemClipboard {
    fn set(&mut self, text: &str) -> Result<(), ClipboardError> {
        self.inner
            .set_text(text.to_string())
            .map_err(ClipboardError::Failed)?;
        self.last = Some(text.to_string());
        Ok(())
    }

    fn clear(&mut self) -> Result<(), ClipboardError> {
        let Some(mut last) = self.last.take() else {
            return Ok(());
        };
        let still_ours = self.inner.get_text().is_ok_and(|now| now == last);
        zeroize::Zeroize::zeroize(&mut last);
        if still_ours {
            self.inner.clear().map_err(ClipboardError::Failed)?;
        }
        Ok(())
    }
}

impl Drop for SystemClipboard {
    fn drop(&mut self) {
        // Never leave the secret behind, whatever happened in between.
        let _ = self.clear();
    }
}
