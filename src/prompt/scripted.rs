//! A prompter that replays a script of answers, for unit-testing the wizard logic without a
//! terminal. It records every question asked and everything said, so tests can assert the
//! re-prompt paths and the exact diagnoses.

use std::collections::VecDeque;

use secrecy::SecretString;

use super::{PromptError, Prompter, Question};

/// One scripted answer. A mismatch between the answer kind and the question kind fails the
/// test loudly (it means the wizard asked something other than what the test expected).
#[derive(Clone, Debug)]
pub enum Answer {
    Text(String),
    /// Take the default (a bare Enter).
    Default,
    Secret(String),
    Yes,
    No,
    Pick(usize),
    Ticks(Vec<usize>),
    /// Flips these boxes from how the question showed them (Space on each, then Enter).
    Toggle(Vec<usize>),
    /// Ctrl-C / Esc.
    Cancel,
}

#[derive(Debug, Default)]
pub struct ScriptedPrompter {
    answers: VecDeque<Answer>,
    /// The prompt text of every question asked, in order.
    pub asked: Vec<String>,
    /// Everything passed to `say`, in order.
    pub said: Vec<String>,
}

impl ScriptedPrompter {
    pub fn new(answers: impl IntoIterator<Item = Answer>) -> Self {
        ScriptedPrompter {
            answers: answers.into_iter().collect(),
            ..Default::default()
        }
    }

    /// Answers not consumed (a test usually asserts this is empty).
    pub fn remaining(&self) -> usize {
        self.answers.len()
    }

    /// Everything said, joined, for `contains` assertions.
    pub fn transcript(&self) -> String {
        self.said.join("\n")
    }

    fn next(&mut self, q: &Question<'_>) -> Result<Answer, PromptError> {
        self.asked.push(q.prompt.to_string());
        match self.answers.pop_front() {
            Some(Answer::Cancel) => Err(PromptError::Cancelled),
            Some(a) => Ok(a),
            None => Err(PromptError::io(std::io::Error::other(format!(
                "script ran out of answers at: {}",
                q.prompt
            )))),
        }
    }
}

fn mismatch(q: &Question<'_>, a: &Answer) -> PromptError {
    PromptError::io(std::io::Error::other(format!(
        "scripted answer {a:?} does not fit the question: {}",
        q.prompt
    )))
}

impl Prompter for ScriptedPrompter {
    fn is_interactive(&self) -> bool {
        true
    }

    fn input(&mut self, q: &Question<'_>, default: Option<&str>) -> Result<String, PromptError> {
        match self.next(q)? {
            Answer::Text(t) => Ok(t),
            Answer::Default => Ok(default.unwrap_or_default().to_string()),
            a => Err(mismatch(q, &a)),
        }
    }

    fn secret(
        &mut self,
        q: &Question<'_>,
        _allow_empty: bool,
    ) -> Result<SecretString, PromptError> {
        match self.next(q)? {
            Answer::Secret(s) => Ok(SecretString::from(s)),
            Answer::Default => Ok(SecretString::from(String::new())),
            a => Err(mismatch(q, &a)),
        }
    }

    fn confirm(&mut self, q: &Question<'_>, default: bool) -> Result<bool, PromptError> {
        match self.next(q)? {
            Answer::Yes => Ok(true),
            Answer::No => Ok(false),
            Answer::Default => Ok(default),
            a => Err(mismatch(q, &a)),
        }
    }

    fn select(
        &mut self,
        q: &Question<'_>,
        items: &[String],
        default: usize,
    ) -> Result<usize, PromptError> {
        match self.next(q)? {
            Answer::Pick(i) if i < items.len() => Ok(i),
            Answer::Default => Ok(default),
            a => Err(mismatch(q, &a)),
        }
    }

    fn multi_select(
        &mut self,
        q: &Question<'_>,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, PromptError> {
        match self.next(q)? {
            Answer::Ticks(t) if t.iter().all(|&i| i < items.len()) => Ok(t),
            Answer::Default => Ok(checked
                .iter()
                .enumerate()
                .filter(|(_, &c)| c)
                .map(|(i, _)| i)
                .collect()),
            Answer::Toggle(flip) => Ok(checked
                .iter()
                .enumerate()
                .filter(|(i, &c)| c != flip.contains(i))
                .map(|(i, _)| i)
                .collect()),
            a => Err(mismatch(q, &a)),
        }
    }

    fn say(&mut self, text: &str) {
        self.said.push(text.to_string());
    }

    /// Enter at once (any answer but Cancel).
    fn pause(&mut self, q: &Question<'_>, _: std::time::Duration) -> Result<(), PromptError> {
        self.next(q).map(|_| ())
    }
}
