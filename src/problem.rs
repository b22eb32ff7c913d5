//! [`Problem`]: why an answer was refused, as the validators and the host rules say it.

/// Why an answer was refused, for a person: `message` names the mistake, `fix` the exact
/// correction. Never a bare "invalid".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub fix: String,
}

impl Problem {
    pub fn new(message: impl Into<String>, fix: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            fix: fix.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n  Try: {}", self.message, self.fix)
    }
}

/// `input` trimmed, if it is at most `max` characters and holds no control or invisible
/// format character. `what` names the answer ("The Contact Email"); the message never
/// repeats the input (it may be a secret, or 100 KB).
pub fn bounded<'a>(what: &str, input: &'a str, max: usize) -> Result<&'a str, Problem> {
    let text = input.trim();
    // Counting stops just past the bound: a huge paste costs no more than a long one.
    let len = text.chars().take(max + 1).count();
    if len > max {
        return Err(Problem::new(
            format!("{what} is longer than {max} characters; the paste probably took more than the one value."),
            "copy just the value again (its Copy button, or select only it)",
        ));
    }
    if let Some((n, c)) = text
        .chars()
        .enumerate()
        .find(|(_, c)| crate::text::is_hidden(*c))
    {
        let kind = if c.is_control() {
            "a control character (a line break, tab or terminal escape)"
        } else {
            "an invisible formatting character (zero-width or right-to-left mark)"
        };
        return Err(Problem::new(
            format!(
                "{what} contains {kind}, U+{:04X} at position {}; it usually comes from copying a web page or chat.",
                c as u32,
                n + 1
            ),
            "type the value again, or paste it as plain text",
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::bounded;

    #[test]
    fn a_bounded_answer_is_trimmed_and_refused_when_long_or_hiding_characters() {
        assert_eq!(bounded("The name", "  Webex ", 10), Ok("Webex"));
        let long = bounded("The name", &"x".repeat(100_000), 10).unwrap_err();
        assert!(long.message.contains("longer than 10"), "{}", long.message);
        assert!(!long.message.contains("xxx"), "the input is never repeated");
        for (input, code) in [
            ("a\u{1b}[2Jb", "U+001B at position 2"),
            ("ab\u{202e}c", "U+202E at position 3"),
        ] {
            let p = bounded("The name", input, 80).unwrap_err();
            assert!(p.message.contains(code), "{}", p.message);
            assert!(!p.message.contains('\u{1b}') && !p.message.contains('\u{202e}'));
        }
        assert_eq!(
            bounded("The name", "Zoë", 3),
            Ok("Zoë"),
            "characters, not bytes"
        );
    }
}
