//! The Basic Information fields of a new External Client App (seed step 3): name, API name,
//! contact email and distribution state, checked with Salesforce's documented field rules.

use crate::recipe::{self, location, DistributionState};
use crate::text::quoted_input;
use crate::validate::{bounded, Problem};

/// Salesforce's Email fields hold 80 characters (the standard field length; the app form's
/// own limit is not documented).
pub const CONTACT_EMAIL_MAX_CHARS: usize = 80;

/// Far beyond any valid API Name: only bounds what a refusal may repeat.
const API_NAME_INPUT_MAX_CHARS: usize = 255;

/// Salesforce documents no maximum for "External Client App Name" that we could find (the
/// metadata `label` is a plain string); 255 is the usual Salesforce text-field limit, so we
/// use it as a sanity bound (unconfirmed).
pub const APP_NAME_MAX_CHARS: usize = 255;

/// API Name limit: the generic developer-name rule (reference "Field rules": 40, likely).
pub const API_NAME_MAX_CHARS: usize = 40;

/// Trimmed, non-empty, no control characters, at most [`APP_NAME_MAX_CHARS`].
pub fn app_name(input: &str) -> Result<String, Problem> {
    let name = input.trim();
    let fix_where = format!("enter a name such as \"Webex\" in {}", location::BASIC_INFO);
    if name.is_empty() {
        return Err(Problem::new(
            "The External Client App Name is empty; Salesforce requires it.",
            fix_where,
        ));
    }
    let name = bounded("The External Client App Name", name, APP_NAME_MAX_CHARS)?;
    Ok(name.to_string())
}

/// The API Name Salesforce proposes for an app name: every run of characters other than
/// ASCII letters and digits becomes one `_`, leading non-letters and trailing `_` go, and
/// the result is capped at 40. Always a valid API name, or empty when there is no letter.
pub fn default_api_name(app_name: &str) -> String {
    let mut out = String::new();
    for c in app_name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let start = out.trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    // All remaining characters are ASCII, so byte and char counts agree.
    let capped = &start[..start.len().min(API_NAME_MAX_CHARS)];
    capped.trim_end_matches('_').to_string()
}

/// Letter first, `[A-Za-z0-9_]` only, no `__`, no trailing `_`, at most 40 characters.
pub fn api_name(input: &str) -> Result<String, Problem> {
    let name = bounded("The API Name", input, API_NAME_INPUT_MAX_CHARS)?;
    let suggestion = default_api_name(name);
    // The fix proposes Salesforce's own derivation when it is a different, valid name.
    let fix = |fallback: &str| {
        if !suggestion.is_empty() && suggestion != name {
            format!("use {suggestion}")
        } else {
            fallback.to_string()
        }
    };
    let Some(first) = name.chars().next() else {
        return Err(Problem::new(
            "The API Name is empty; Salesforce requires it.",
            "enter a name of letters, digits and underscores, e.g. Webex",
        ));
    };
    if !first.is_ascii_alphabetic() {
        return Err(Problem::new(
            format!(
                "The API Name must begin with a letter; {} begins with {first:?}.",
                quoted_input(name)
            ),
            fix("start it with a letter, e.g. Webex_App"),
        ));
    }
    let mut bad: Vec<char> = name
        .chars()
        .filter(|c| !c.is_ascii_alphanumeric() && *c != '_')
        .collect();
    bad.dedup();
    if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
        let spaces = if bad.iter().any(|c| c.is_whitespace()) {
            " (spaces are not allowed)"
        } else {
            ""
        };
        return Err(Problem::new(
            format!(
                "The API Name may contain only letters, digits and underscores; found {}{spaces}.",
                shown.join(", ")
            ),
            fix("replace those characters with _"),
        ));
    }
    if name.contains("__") {
        return Err(Problem::new(
            "The API Name must not contain two underscores in a row (__).",
            fix("use a single _ between words"),
        ));
    }
    if name.ends_with('_') {
        return Err(Problem::new(
            "The API Name must not end with an underscore.",
            fix("remove the final _"),
        ));
    }
    let len = name.chars().count();
    if len > API_NAME_MAX_CHARS {
        return Err(Problem::new(
            format!("The API Name is {len} characters; Salesforce allows {API_NAME_MAX_CHARS}."),
            fix("shorten it"),
        ));
    }
    Ok(name.to_string())
}

/// A pragmatic check that catches typos and paste accidents, not RFC 5322: trimmed, no
/// whitespace, exactly one `@`, a non-empty local part and a dotted domain without empty
/// labels. Salesforce only needs somewhere to send mail.
pub fn contact_email(input: &str) -> Result<String, Problem> {
    let email = bounded("The Contact Email", input, CONTACT_EMAIL_MAX_CHARS)?;
    let refuse = |why: &str| {
        Err(Problem::new(
            format!("The Contact Email {} {why}.", quoted_input(email)),
            "enter one address like admin@example.com (your own, for Salesforce's notices)",
        ))
    };
    if email.is_empty() {
        return Err(Problem::new(
            "The Contact Email is empty; Salesforce requires it.",
            "enter your address, e.g. admin@example.com",
        ));
    }
    if let Some(inner) = crate::text::unquoted(email) {
        return Err(Problem::new(
            "The Contact Email is in quotes; Salesforce takes the bare address.",
            format!("remove the quotes: {inner}"),
        ));
    }
    if email.contains(['<', '>']) || email.to_ascii_lowercase().starts_with("mailto:") {
        return refuse(
            "includes a display name, brackets or mailto:; only the bare address goes in",
        );
    }
    if email.contains([',', ';']) {
        return refuse("looks like several addresses; give one");
    }
    if email.contains(char::is_whitespace) {
        return refuse("contains a space");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return refuse("has no @");
    };
    if domain.contains('@') {
        return refuse("has more than one @");
    }
    if local.is_empty() {
        return refuse("has nothing before the @");
    }
    if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        return refuse("needs a domain with a dot after the @, like example.com");
    }
    Ok(email.to_string())
}

/// "local" / "Local" is Webex's choice; "packaged" is refused with the reason.
pub fn distribution_state(input: &str) -> Result<DistributionState, Problem> {
    let wanted = recipe::DISTRIBUTION_STATE;
    let fix = format!(
        "choose {} under Distribution State in {}",
        wanted.label(),
        location::BASIC_INFO
    );
    match DistributionState::from_flag_value(input) {
        Some(state) if state == wanted => Ok(state),
        Some(state) => Err(Problem::new(
            format!(
                "Distribution State {} is for apps packaged and installed in other orgs; Webex's recipe needs {} (the app lives only in this org).",
                state.label(),
                wanted.label()
            ),
            fix,
        )),
        None => {
            let choices: Vec<String> =
                DistributionState::ALL.iter().map(|s| format!("{} ({})", s.label(), s.flag_value())).collect();
            Err(Problem::new(
                format!("Unknown Distribution State {}; Salesforce offers {}.", quoted_input(input.trim()), choices.join(", ")),
                fix,
            ))
        }
    }
}

#[cfg(test)]
mod tests;
