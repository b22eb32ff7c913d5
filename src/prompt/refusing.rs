//! The non-interactive prompter: nobody can answer, so every question is refused and the
//! wizard turns the refusal into "pass --flag (or set SF_WEBEX_…)", exit 2.

use secrecy::SecretString;

use super::{PromptError, Prompter, Question};

/// Used with `--non-interactive`, or when stdin or stdout is not a terminal. It says
/// nothing itself: a refused answer ends the run with an error that carries the diagnosis.
#[derive(Debug, Default)]
pub struct RefusingPrompter;

impl Prompter for RefusingPrompter {
    fn is_interactive(&self) -> bool {
        false
    }
    fn input(&mut self, _: &Question<'_>, _: Option<&str>) -> Result<String, PromptError> {
        Err(PromptError::NotInteractive)
    }
    fn secret(&mut self, _: &Question<'_>, _: bool) -> Result<SecretString, PromptError> {
        Err(PromptError::NotInteractive)
    }
    fn confirm(&mut self, _: &Question<'_>, _: bool) -> Result<bool, PromptError> {
        Err(PromptError::NotInteractive)
    }
    fn select(&mut self, _: &Question<'_>, _: &[String], _: usize) -> Result<usize, PromptError> {
        Err(PromptError::NotInteractive)
    }
    fn multi_select(
        &mut self,
        _: &Question<'_>,
        _: &[String],
        _: &[bool],
    ) -> Result<Vec<usize>, PromptError> {
        Err(PromptError::NotInteractive)
    }
    fn say(&mut self, _: &str) {}
    fn pause(&mut self, _: &Question<'_>, _: std::time::Duration) -> Result<(), PromptError> {
        Err(PromptError::NotInteractive)
    }
}
