//! Ask, validate, and ask again: the loop every wizard question shares. A preset (flag or
//! environment variable) is validated like a typed answer; a wrong answer is explained and
//! asked again when a person is there, and ends the run with exit 2 naming the flag when not.

use crate::error::{AppError, ErrorCode};
use crate::prompt::{PromptError, Prompter, Question};
use crate::validate::Problem;

/// A question plus what the wizard needs to report about it.
#[derive(Clone, Copy, Debug)]
pub struct Field<'a> {
    pub q: Question<'a>,
    /// What the answer is, for "X is required" (e.g. "The Contact Email").
    pub what: &'a str,
    /// The stable error code when the answer is refused non-interactively.
    pub invalid_code: ErrorCode,
}

impl Field<'_> {
    /// The refusal for a preset that failed validation with nobody to ask again.
    pub fn refused(&self, problem: &Problem) -> AppError {
        AppError::new(
            self.invalid_code,
            format!("{} ({}): {}", self.what, self.q.flag, problem.message),
        )
        .with_fix(problem.fix.clone())
    }

    pub fn missing(&self) -> AppError {
        AppError::missing_answer(self.what, self.q.flag, self.q.env)
    }
}

/// Turns a prompt failure into the user-facing error for this field.
pub fn prompt_failed(field: &Field<'_>, e: PromptError) -> AppError {
    match e {
        PromptError::Cancelled => AppError::cancelled(),
        PromptError::NotInteractive => field.missing(),
        PromptError::Io(why) => AppError::new(ErrorCode::TerminalError, "The terminal failed.")
            .with_fix(format!(
                "run again, or answer without prompts: pass {}",
                field.q.flag
            ))
            .with_shared_source(why),
    }
}

/// Tells the person what is wrong with their answer, in the same shape everywhere (the
/// `✗` red when colour is on).
pub fn explain(p: &mut dyn Prompter, problem: &Problem) {
    p.say(&format!(
        "  {} {}\n    Try: {}",
        console::style("✗").red().for_stderr(),
        problem.message,
        problem.fix
    ));
}

/// "  ! warning", the `!` yellow when colour is on.
pub fn warning_line(warning: &str) -> String {
    format!("  {} {warning}", console::style("!").yellow().for_stderr())
}

/// A refused answer: explained (and then asked again by the caller) when a person is there;
/// the end of the run, naming the flag, when not.
pub fn explain_or_refuse(
    p: &mut dyn Prompter,
    field: &Field<'_>,
    problem: &Problem,
) -> Result<(), AppError> {
    if p.is_interactive() {
        explain(p, problem);
        Ok(())
    } else {
        Err(field.refused(problem))
    }
}

/// The values ticked for a multi-select question: the preset if there is one, else what the
/// person ticks among `items`. `ticks` starts as Setup's form starts (or the demo app's) and
/// keeps what was ticked, so a question asked again shows the previous answer.
pub fn ticked(
    p: &mut dyn Prompter,
    field: &Field<'_>,
    preset: Option<Vec<String>>,
    items: &[String],
    ticks: &mut [bool],
    value_of: impl Fn(usize) -> String,
) -> Result<Vec<String>, AppError> {
    match preset {
        Some(values) => Ok(values),
        None if !p.is_interactive() => Err(field.missing()),
        None => {
            let chosen = p
                .multi_select(&field.q, items, ticks)
                .map_err(|e| prompt_failed(field, e))?;
            for (i, tick) in ticks.iter_mut().enumerate() {
                *tick = chosen.contains(&i);
            }
            Ok(chosen.into_iter().map(value_of).collect())
        }
    }
}

/// What to do when a question has no preset and nobody can be asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unattended {
    /// Refuse: the answer is required (exit 2 naming the flag).
    Require,
    /// Use the default (only where Salesforce itself fills the same default in).
    UseDefault,
}

/// Asks for one line of text until `validate` accepts it.
pub fn text<T>(
    p: &mut dyn Prompter,
    field: &Field<'_>,
    preset: Option<String>,
    default: Option<&str>,
    unattended: Unattended,
    validate: impl Fn(&str) -> Result<T, Problem>,
) -> Result<T, AppError> {
    let mut preset = preset;
    loop {
        let raw = match preset.take() {
            Some(v) => v,
            None if !p.is_interactive() => match (default, unattended) {
                (Some(d), Unattended::UseDefault) => d.to_string(),
                _ => return Err(field.missing()),
            },
            None => p
                .input(&field.q, default)
                .map_err(|e| prompt_failed(field, e))?,
        };
        match validate(&raw) {
            Ok(v) => return Ok(v),
            Err(problem) => explain_or_refuse(p, field, &problem)?,
        }
    }
}

/// Asks a yes/no question that must be answered "yes" to go on (e.g. "Did you tick Enable
/// OAuth?"). A "no" is explained and asked again.
pub fn must_confirm(
    p: &mut dyn Prompter,
    field: &Field<'_>,
    why_needed: &Problem,
) -> Result<(), AppError> {
    loop {
        match p.confirm(&field.q, true) {
            Ok(true) => return Ok(()),
            Ok(false) => explain(p, why_needed),
            Err(e) => return Err(prompt_failed(field, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompt::{Answer, RefusingPrompter, ScriptedPrompter};

    const FIELD: Field<'static> = Field {
        q: Question {
            prompt: "Number",
            flag: "--number",
            env: "SF_WEBEX_NUMBER",
        },
        what: "The number",
        invalid_code: ErrorCode::InvalidNumber,
    };

    fn digits(s: &str) -> Result<u32, Problem> {
        s.trim().parse().map_err(|_| {
            Problem::new(
                format!("{} is not a number", crate::text::quoted_input(s)),
                "type digits only",
            )
        })
    }

    #[test]
    fn a_wrong_answer_is_explained_and_asked_again() {
        let mut p = ScriptedPrompter::new([Answer::Text("x".into()), Answer::Text("7".into())]);
        assert_eq!(
            text(&mut p, &FIELD, None, None, Unattended::Require, digits),
            Ok(7)
        );
        assert_eq!(p.asked, ["Number", "Number"]);
        assert!(p.transcript().contains("\"x\" is not a number"));
        assert!(p.transcript().contains("Try: type digits only"));
    }

    #[test]
    fn a_bad_preset_is_explained_then_prompted_when_interactive() {
        let mut p = ScriptedPrompter::new([Answer::Text("3".into())]);
        assert_eq!(
            text(
                &mut p,
                &FIELD,
                Some("three".into()),
                None,
                Unattended::Require,
                digits
            ),
            Ok(3)
        );
        assert!(p.transcript().contains("\"three\" is not a number"));
    }

    #[test]
    fn a_bad_preset_non_interactively_exits_2_naming_the_flag() {
        let mut p = RefusingPrompter;
        let e = text(
            &mut p,
            &FIELD,
            Some("three".into()),
            None,
            Unattended::Require,
            digits,
        )
        .unwrap_err();
        assert_eq!((e.exit_code(), e.code), (2, ErrorCode::InvalidNumber));
        assert!(e.message.contains("--number"), "{}", e.message);
        assert_eq!(e.fix.as_deref(), Some("type digits only"));
    }

    #[test]
    fn a_missing_answer_non_interactively_names_flag_and_env() {
        let mut p = RefusingPrompter;
        let e = text(&mut p, &FIELD, None, Some("1"), Unattended::Require, digits).unwrap_err();
        assert_eq!((e.exit_code(), e.code), (2, ErrorCode::MissingAnswer));
        assert_eq!(
            e.fix.as_deref(),
            Some("pass --number (or set SF_WEBEX_NUMBER)")
        );
        let ok = text(
            &mut p,
            &FIELD,
            None,
            Some("1"),
            Unattended::UseDefault,
            digits,
        );
        assert_eq!(ok, Ok(1));
    }

    #[test]
    fn cancelling_is_exit_130() {
        let mut p = ScriptedPrompter::new([Answer::Cancel]);
        let e = text(&mut p, &FIELD, None, None, Unattended::Require, digits).unwrap_err();
        assert_eq!(e.exit_code(), 130);
    }
}
