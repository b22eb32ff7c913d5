//! The consumer key and consumer secret as pasted from "Consumer Key and Secret": shape
//! checks that catch the classic mix-ups (the two swapped, a broken paste) without ever
//! echoing a secret back.

use secrecy::SecretString;

use crate::recipe::location;
use crate::text::quoted_input;
use crate::validate::{bounded, Problem};

/// Far beyond any consumer key or secret Salesforce issues (about 85 and 64 characters):
/// a longer paste took more than the value, and is never sent anywhere.
pub const CREDENTIAL_MAX_CHARS: usize = 255;

/// Salesforce consumer keys seen in the wild start with this and run to about 85 characters.
const KEY_PREFIX: &str = "3MVG";
/// A secret longer than this that starts with [`KEY_PREFIX`] is taken for a pasted key.
const KEY_MIN_LEN: usize = 60;
const KEY_MAX_LEN: usize = 120;

/// Trimmed; no inner whitespace; a shape check that warns (never refuses) on an unusual key;
/// refuses something shaped like a consumer secret. Returns the key and any warnings.
pub fn consumer_key(input: &str) -> Result<(String, Vec<String>), Problem> {
    let key = input.trim();
    let copy_again = format!(
        "copy the Consumer Key again with its Copy button ({})",
        location::CONSUMER_DETAILS
    );
    if key.is_empty() {
        return Err(Problem::new("The consumer key is empty.", copy_again));
    }
    if key.contains(char::is_whitespace) {
        return Err(Problem::new(
            "The consumer key contains a space or line break; it is one unbroken string (the paste was probably wrapped).",
            copy_again,
        ));
    }
    let key = bounded("The consumer key", key, CREDENTIAL_MAX_CHARS)?;
    if looks_like_secret(key) {
        // Not echoed: it is probably the secret.
        return Err(Problem::new(
            "This looks like the consumer secret (64 hex characters, or a long run of digits), not the consumer key.",
            format!("paste the Consumer Key (the long value usually starting {KEY_PREFIX}) from {}", location::CONSUMER_DETAILS),
        ));
    }
    let mut warnings = Vec::new();
    if !key.starts_with(KEY_PREFIX) {
        warnings.push(format!(
            "The consumer key does not start with {KEY_PREFIX}, as Salesforce keys usually do; check you copied the Consumer Key."
        ));
    }
    let len = key.chars().count();
    if !(KEY_MIN_LEN..=KEY_MAX_LEN).contains(&len) {
        warnings.push(format!(
            "The consumer key is {len} characters; Salesforce keys are usually about 85. Check the paste is complete."
        ));
    }
    let odd: String = key.chars().filter(|c| !is_key_char(*c)).collect();
    if !odd.is_empty() {
        warnings.push(format!(
            "The consumer key contains {}; Salesforce keys use only letters, digits, '.' and '_'. Check for stray quotes or punctuation.",
            quoted_input(&odd)
        ));
    }
    Ok((key.to_string(), warnings))
}

/// Trimmed; non-empty; no inner whitespace; refused when equal to the key or key-shaped;
/// warns (never refuses) on a length or alphabet unlike Salesforce's secrets. Returns the
/// secret and any warnings. No message ever contains the input or a part of it.
pub fn consumer_secret(
    input: &str,
    consumer_key: &str,
) -> Result<(SecretString, Vec<String>), Problem> {
    let secret = input.trim();
    let copy_again = format!(
        "copy the Consumer Secret again with its Copy button ({})",
        location::CONSUMER_DETAILS
    );
    if secret.is_empty() {
        return Err(Problem::new("The consumer secret is empty.", copy_again));
    }
    if secret.contains(char::is_whitespace) {
        return Err(Problem::new(
            "The consumer secret contains a space or line break; it is one unbroken string (the paste was probably wrapped).",
            copy_again,
        ));
    }
    // The message names the position of a hidden character, never a part of the secret.
    let secret = bounded("The consumer secret", secret, CREDENTIAL_MAX_CHARS)?;
    let same_as_key = !consumer_key.trim().is_empty() && secret == consumer_key.trim();
    if same_as_key || looks_like_key(secret) {
        let why = if same_as_key {
            "it is identical to the consumer key you entered"
        } else {
            "it starts with 3MVG and is as long as a key"
        };
        return Err(Problem::new(
            format!("This looks like the consumer key, not the consumer secret: {why}."),
            format!(
                "paste the Consumer Secret (the second value) from {}",
                location::CONSUMER_DETAILS
            ),
        ));
    }
    Ok((
        SecretString::from(secret.to_string()),
        secret_warnings(secret),
    ))
}

/// What is unlike Salesforce's secrets (64 hex characters; older apps about 19 digits):
/// said by length and by count of odd characters, never by showing any of them.
fn secret_warnings(secret: &str) -> Vec<String> {
    if looks_like_secret(secret) {
        return Vec::new();
    }
    let mut warnings = Vec::new();
    let check = format!(
        "check the paste is the whole Consumer Secret ({})",
        location::CONSUMER_DETAILS
    );
    let len = secret.chars().count();
    if len != SECRET_HEX_LEN && !SECRET_DIGITS_LEN.contains(&len) {
        warnings.push(format!(
            "The consumer secret is {len} characters; Salesforce secrets are {SECRET_HEX_LEN} hexadecimal characters (older apps: about 19 digits). If the OAuth check then fails with invalid_client, {check}."
        ));
    }
    let odd = secret.chars().filter(|c| !c.is_ascii_hexdigit()).count();
    if odd > 0 {
        let quoted = if crate::text::unquoted(secret).is_some() {
            " (it is in quotes)"
        } else {
            ""
        };
        warnings.push(format!(
            "The consumer secret has {odd} character(s) other than 0-9 and A-F{quoted}; Salesforce secrets are hexadecimal. Check for stray quotes or punctuation."
        ));
    }
    warnings
}

/// Current consumer secrets: this many hex characters.
const SECRET_HEX_LEN: usize = 64;
/// Older apps' secrets: a number of about 19 digits.
const SECRET_DIGITS_LEN: std::ops::RangeInclusive<usize> = 15..=25;

/// Consumer secrets are 64 hex characters (current) or a 19-ish digit number (older apps).
fn looks_like_secret(s: &str) -> bool {
    let hex64 = s.len() == SECRET_HEX_LEN && s.bytes().all(|b| b.is_ascii_hexdigit());
    let digits = SECRET_DIGITS_LEN.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    hex64 || digits
}

fn looks_like_key(s: &str) -> bool {
    s.starts_with(KEY_PREFIX) && s.len() >= KEY_MIN_LEN
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '_'
}

#[cfg(test)]
mod tests;
