//! The real prompter: dialoguer on the controlling terminal, drawing on stderr so that stdout
//! stays for results. Ctrl-C at any prompt ends the process with exit 130 and the terminal
//! restored; nothing has been written by then (the wizard writes only at the very end).
//!
//! What it draws fits the terminal's width ([`super::fit`]); what it says is wrapped at
//! spaces. An answer is echoed with a neutral `›`, not a green tick: the wizard has not
//! checked it yet, and may refuse it.

use std::io::{self, Write};

use console::{Key, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Password, Select};
use secrecy::SecretString;
use zeroize::Zeroize;

use super::{fit, PromptError, Prompter, Question};

pub struct TerminalPrompter {
    term: Term,
    theme: Box<dyn Theme>,
    /// Lines read for [`Prompter::pause`], once the first pause started the reader.
    lines: Option<std::sync::mpsc::Receiver<io::Result<usize>>>,
}

impl Default for TerminalPrompter {
    fn default() -> Self {
        Self::new()
    }
}

impl TerminalPrompter {
    pub fn new() -> Self {
        let theme: Box<dyn Theme> = if console::colors_enabled_stderr() {
            Box::new(ColorfulTheme {
                success_prefix: console::style("›".to_string()).for_stderr().dim(),
                ..ColorfulTheme::default()
            })
        } else {
            Box::new(SimpleTheme)
        };
        TerminalPrompter {
            term: Term::stderr(),
            theme,
            lines: None,
        }
    }

    fn width(&self) -> Option<usize> {
        self.term.size_checked().map(|(_, cols)| usize::from(cols))
    }

    /// The prompt fitted to one row; a hint it gave up is said above it first.
    fn fit(&mut self, prompt: &str, default: Option<&str>) -> fit::Fitted {
        let fitted = fit::prompt(prompt, default, self.width());
        if let Some(hint) = &fitted.hint {
            let hint = format!("  {}", console::style(hint).dim().for_stderr());
            self.say(&hint);
        }
        fitted
    }

    /// Echoes what was picked in a list, in full (the list may have cut it), wrapped.
    fn echo_choice(&mut self, prompt: &str, picked: &[&str]) {
        let picked: Vec<String> = picked
            .iter()
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let mut done = String::new();
        let _ = self
            .theme
            .format_input_prompt_selection(&mut done, prompt, &picked.join(", "));
        self.say(&done);
    }

    /// Clears the rows a typed answer wrapped onto (dialoguer clears only the last one),
    /// then echoes the answer once.
    fn echo_answer(&self, prompt: &str, value: &str) -> io::Result<()> {
        let mut line = String::new();
        let _ = self.theme.format_input_prompt(&mut line, prompt, None);
        let typed = console::measure_text_width(&line) + console::measure_text_width(value);
        if let Some(width) = self.width() {
            self.term.clear_last_lines(fit::rows_above(typed, width))?;
        }
        let mut done = String::new();
        let _ = self
            .theme
            .format_input_prompt_selection(&mut done, prompt, value);
        self.term.write_line(&done)
    }
}

/// dialoguer reports Ctrl-C as an interrupted read (after raising SIGINT, which the cancel
/// handler normally catches first) and Esc as `None` from `interact_opt`.
fn map_err(e: dialoguer::Error) -> PromptError {
    match e {
        dialoguer::Error::IO(io) if io.kind() == io::ErrorKind::Interrupted => {
            PromptError::Cancelled
        }
        dialoguer::Error::IO(io) => PromptError::io(io),
    }
}

fn io_error(e: io::Error) -> PromptError {
    PromptError::io(e)
}

fn cancelled_on_none<T>(value: Option<T>) -> Result<T, PromptError> {
    value.ok_or(PromptError::Cancelled)
}

impl Prompter for TerminalPrompter {
    fn is_interactive(&self) -> bool {
        true
    }

    fn input(&mut self, q: &Question<'_>, default: Option<&str>) -> Result<String, PromptError> {
        // dialoguer's text input ignores Esc, yet Esc must cancel at every prompt. So the
        // first key is read here: Esc cancels, Enter takes the default, anything else is
        // handed to dialoguer's line editor as the start of the answer.
        let fitted = self.fit(q.prompt, default);
        let prompt = fitted.prompt.as_str();
        let theme = self.theme.as_ref();
        let mut head = String::new();
        let _ = theme.format_input_prompt(&mut head, prompt, fitted.shown_default.as_deref());
        self.term.write_str(&head).map_err(io_error)?;
        let first = self.term.read_key().map_err(|e| map_err(e.into()))?;
        self.term.clear_line().map_err(io_error)?;
        let initial = match first {
            Key::Escape => return Err(PromptError::Cancelled),
            Key::Enter => {
                let value = default.unwrap_or_default().to_string();
                let mut done = String::new();
                let _ = theme.format_input_prompt_selection(&mut done, prompt, &value);
                self.term.write_line(&done).map_err(io_error)?;
                return Ok(value);
            }
            Key::Char(c) if !c.is_control() => c.to_string(),
            _ => String::new(),
        };
        let mut input = Input::<String>::with_theme(theme)
            .with_prompt(prompt)
            .with_initial_text(initial)
            .allow_empty(true)
            .report(false);
        if let Some(d) = default {
            input = input.default(d.to_string()).show_default(false);
        }
        let value = input.interact_text_on(&self.term).map_err(map_err)?;
        self.echo_answer(prompt, &value).map_err(io_error)?;
        Ok(value)
    }

    fn secret(&mut self, q: &Question<'_>, allow_empty: bool) -> Result<SecretString, PromptError> {
        let prompt = self.fit(q.prompt, None).prompt;
        let mut typed = Password::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .allow_empty_password(allow_empty)
            .interact_on(&self.term)
            .map_err(map_err)?;
        let secret = SecretString::from(typed.clone());
        typed.zeroize();
        Ok(secret)
    }

    fn confirm(&mut self, q: &Question<'_>, default: bool) -> Result<bool, PromptError> {
        let prompt = self.fit(q.prompt, Some("y/n")).prompt;
        let answer = Confirm::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .default(default)
            .interact_on_opt(&self.term)
            .map_err(map_err)?;
        cancelled_on_none(answer)
    }

    fn select(
        &mut self,
        q: &Question<'_>,
        items: &[String],
        default: usize,
    ) -> Result<usize, PromptError> {
        let prompt = self.fit(q.prompt, None).prompt;
        let shown = fit::items(items, self.width());
        let answer = Select::with_theme(self.theme.as_ref())
            .with_prompt(&prompt)
            .items(&shown)
            .default(default)
            .report(false)
            .interact_on_opt(&self.term)
            .map_err(map_err)?;
        let picked = cancelled_on_none(answer)?;
        self.echo_choice(&prompt, &[&items[picked]]);
        Ok(picked)
    }

    fn multi_select(
        &mut self,
        q: &Question<'_>,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, PromptError> {
        let prompt = self.fit(&format!("{} (Space ticks, Enter confirms)", q.prompt), None);
        let shown = fit::items(items, self.width());
        let answer = MultiSelect::with_theme(self.theme.as_ref())
            .with_prompt(prompt.prompt)
            .items(&shown)
            .defaults(checked)
            .report(false)
            .interact_on_opt(&self.term)
            .map_err(map_err)?;
        let ticked = cancelled_on_none(answer)?;
        let labels: Vec<&str> = ticked.iter().map(|&i| items[i].as_str()).collect();
        self.echo_choice(q.prompt, &labels);
        Ok(ticked)
    }

    fn say(&mut self, text: &str) {
        let text = match self.width() {
            Some(width) => crate::text::wrap(text, width),
            None => text.to_string(),
        };
        let _ = writeln!(io::stderr().lock(), "{text}");
    }

    fn pause(&mut self, q: &Question<'_>, limit: std::time::Duration) -> Result<(), PromptError> {
        let _ = write!(io::stderr().lock(), "{} ", q.prompt);
        // Lines come from a reader thread of their own, so the wait can end on the clock; a
        // line typed after a timeout is taken by the next pause, not lost. (Only the hand-off
        // pauses, at the very end of a run; no prompt reads stdin after it.)
        let lines = self.lines.get_or_insert_with(|| {
            let (send, lines) = std::sync::mpsc::channel();
            std::thread::spawn(move || loop {
                let mut line = String::new();
                let read = io::stdin().read_line(&mut line);
                let stop = !matches!(read, Ok(n) if n > 0);
                if send.send(read).is_err() || stop {
                    return;
                }
            });
            lines
        });
        match lines.recv_timeout(limit) {
            Ok(Ok(0)) => Err(PromptError::Cancelled),
            Ok(Ok(_)) | Err(_) => Ok(()),
            Ok(Err(e)) => Err(PromptError::io(e)),
        }
    }
}
