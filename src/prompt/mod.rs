//! The seam between the wizard and the terminal: a small [`Prompter`] trait. The real one
//! draws with dialoguer on stderr; the non-interactive one refuses and names the flag to
//! pass; tests use a scripted one. The wizard never touches the terminal directly.

use secrecy::SecretString;

use crate::error::Source;

/// One question, with the flag and environment variable that answer it without a prompt
/// (so a refusal in non-interactive mode can name them).
#[derive(Clone, Copy, Debug)]
pub struct Question<'a> {
    pub prompt: &'a str,
    pub flag: &'a str,
    pub env: &'a str,
}

#[derive(Clone, Debug)]
pub enum PromptError {
    /// Ctrl-C or Esc: stop, write nothing, exit 130.
    Cancelled,
    /// No person can answer (no TTY, `--non-interactive`): exit 2 naming the flag.
    NotInteractive,
    /// The terminal failed (the cause is kept for the "Caused by:" line).
    Io(Source),
}

impl PromptError {
    /// A terminal failure with its cause.
    pub fn io(e: std::io::Error) -> Self {
        PromptError::Io(std::sync::Arc::new(e))
    }
}

/// Asks the user. Every method returns [`PromptError::Cancelled`] on Ctrl-C / Esc.
pub trait Prompter {
    /// False when nobody can answer; every `ask_*` then returns `NotInteractive`.
    fn is_interactive(&self) -> bool;
    /// A line of text. `default` is shown and returned on a bare Enter.
    fn input(&mut self, q: &Question<'_>, default: Option<&str>) -> Result<String, PromptError>;
    /// Hidden input; nothing is echoed. May be empty only if `allow_empty`.
    fn secret(&mut self, q: &Question<'_>, allow_empty: bool) -> Result<SecretString, PromptError>;
    /// Yes / no.
    fn confirm(&mut self, q: &Question<'_>, default: bool) -> Result<bool, PromptError>;
    /// One of `items`; returns its index.
    fn select(
        &mut self,
        q: &Question<'_>,
        items: &[String],
        default: usize,
    ) -> Result<usize, PromptError>;
    /// Any of `items`; `checked` gives the initial ticks; returns the ticked indexes.
    fn multi_select(
        &mut self,
        q: &Question<'_>,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, PromptError>;
    /// Tells the user something (a step heading, a diagnosis). Goes to stderr.
    fn say(&mut self, text: &str);
    /// Waits until Enter is pressed or `limit` has passed, whichever is first.
    fn pause(&mut self, q: &Question<'_>, limit: std::time::Duration) -> Result<(), PromptError>;
}

mod fit;
mod refusing;
mod scripted;
mod terminal;

pub use refusing::RefusingPrompter;
pub use scripted::{Answer, ScriptedPrompter};
pub use terminal::TerminalPrompter;
