//! Table tests for the consumer key and secret checks.

use secrecy::ExposeSecret;

use super::*;

/// A key of the usual shape (85 characters, starting 3MVG).
fn key() -> String {
    format!("3MVG9{}", "aB1._".repeat(16))
}

#[test]
fn consumer_key_accepts_usual_keys_and_warns_on_odd_shapes() {
    let k = key();
    assert_eq!(k.len(), 85);
    // (input, expected key, text a warning must contain, or "" for no warnings)
    let table: Vec<(String, String, &str)> = vec![
        (k.clone(), k.clone(), ""),
        (format!("  {k}\n"), k.clone(), ""),
        (
            "ABCD".repeat(21),
            "ABCD".repeat(21),
            "does not start with 3MVG",
        ),
        ("3MVGshort".into(), "3MVGshort".into(), "9 characters"),
        (format!("{k}\""), format!("{k}\""), "contains \"\\\"\""),
    ];
    for (input, want, warning) in table {
        let (got, warnings) =
            consumer_key(&input).unwrap_or_else(|p| panic!("{input:?} refused: {p}"));
        assert_eq!(got, want);
        if warning.is_empty() {
            assert!(warnings.is_empty(), "{input:?}: {warnings:?}");
        } else {
            assert!(
                warnings.iter().any(|w| w.contains(warning)),
                "{input:?}: {warnings:?}"
            );
        }
    }
}

#[test]
fn consumer_key_refuses_empty_broken_or_secret_shaped_input_without_echoing_it() {
    let hex = "0123456789abcdef".repeat(4);
    let digits = "1234567890123456789".to_string();
    let broken = format!("{} {}", &key()[..40], &key()[40..]);
    let table: Vec<(String, &str)> = vec![
        (String::new(), "empty"),
        (broken, "space or line break"),
        (hex.clone(), "looks like the consumer secret"),
        (digits.clone(), "looks like the consumer secret"),
    ];
    for (input, diagnosis) in table {
        let p = consumer_key(&input).expect_err(&input);
        assert!(p.message.contains(diagnosis), "{input:?}: {p}");
        assert!(p.fix.contains("Consumer Key"), "{input:?}: {p}");
    }
    for secret in [hex, digits] {
        let p = consumer_key(&secret).expect_err("secret-shaped");
        assert!(
            !p.to_string().contains(&secret),
            "a secret-shaped key must not be echoed"
        );
    }
}

#[test]
fn consumer_secret_is_trimmed_and_wrapped() {
    let hex = "0123456789ABCDEF".repeat(4);
    for (input, want) in [
        (format!(" {hex}\n"), hex.clone()),
        ("1234567890123456789".into(), "1234567890123456789".into()),
    ] {
        let (s, warnings) =
            consumer_secret(&input, &key()).unwrap_or_else(|p| panic!("refused: {p}"));
        assert_eq!(s.expose_secret(), want);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(
            !format!("{s:?}").contains(&want),
            "Debug must redact the secret"
        );
    }
}

#[test]
fn consumer_secret_refusals_never_contain_the_input() {
    let k = key();
    let spaced = format!("{} {}", "f".repeat(32), "e".repeat(32));
    // (input, text the message must contain)
    let table: Vec<(String, &str)> = vec![
        ("   ".into(), "empty"),
        (spaced, "space or line break"),
        (k.clone(), "identical to the consumer key"),
        (format!("3MVG{}", "Z".repeat(70)), "starts with 3MVG"),
    ];
    for (input, diagnosis) in table {
        let p = consumer_secret(&input, &k).expect_err(&input);
        assert!(p.message.contains(diagnosis), "{p}");
        let shown = p.to_string();
        let trimmed = input.trim();
        if !trimmed.is_empty() {
            assert!(
                !shown.contains(trimmed),
                "the refusal echoed the secret: {shown}"
            );
            for part in trimmed.split_whitespace() {
                assert!(
                    !shown.contains(part),
                    "the refusal echoed part of the secret: {shown}"
                );
            }
        }
    }
}

#[test]
fn a_secret_unlike_salesforce_s_is_accepted_with_a_warning_that_never_shows_it() {
    for (input, said) in [
        ("abc", "is 3 characters"),
        (
            "4F1D2C3B4A5968778695A4B3C2D1E0F1A2B3C4D5E6F708192A3B4C5D6E7F80",
            "is 62 characters",
        ),
        (
            "\"4F1D2C3B4A5968778695A4B3C2D1E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091\"",
            "in quotes",
        ),
        (
            "4F1D2C3B4A5968778695A4B3C2D1E0F1A2B3C4D5E6F708192A3B4C5D6E7F80Z!",
            "2 character(s) other than",
        ),
    ] {
        let (_, warnings) = consumer_secret(input, &key()).unwrap_or_else(|p| panic!("{p}"));
        let text = warnings.join(" ");
        assert!(text.contains(said), "{input}: {text}");
        assert!(
            !text.contains(input.trim_matches('"')),
            "the warning showed the secret"
        );
        assert!(!text.contains("abc"), "the warning showed the secret");
    }
}
