//! The settings the wizard asks about: callback lines, scopes, the Security boxes and the
//! distribution state, each judged on Salesforce's record and set against the answer.

use super::{Finding, MetadataCheck};
use crate::metadata::spec::EcaSpec;
use crate::recipe::metadata::{field, scope_by_token};
use crate::recipe::{self, DistributionState, Scope, SecurityOption};
use crate::text::clean_server_text;

/// Lines of `callbackUrl`: Salesforce joins them with line breaks (commas and spaces are
/// accepted too: the metadata form is unconfirmed, and no URL holds them unescaped).
pub fn callback_lines(value: &str) -> Vec<String> {
    value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(super) fn callback_urls(value: Option<String>, spec: &EcaSpec) -> Finding {
    let check = MetadataCheck::CallbackUrls;
    let Some(value) = value else {
        return Finding::unknown(check, format!("The record has no {}.", field::CALLBACK_URL));
    };
    let lines = callback_lines(&value);
    let missing: Vec<&String> = spec
        .callback_urls
        .iter()
        .filter(|l| !lines.contains(l))
        .collect();
    let extra: Vec<&String> = lines
        .iter()
        .filter(|l| !spec.callback_urls.contains(l))
        .collect();
    let disagreement = (!missing.is_empty() || !extra.is_empty()).then(|| {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!(
                "You entered {}, which Salesforce's record does not have.",
                join(&missing)
            ));
        }
        if !extra.is_empty() {
            parts.push(format!(
                "Salesforce's record also has {}, which you did not enter.",
                join(&extra)
            ));
        }
        parts.join(" ")
    });
    let webex = recipe::WEBEX_CALLBACK_URL;
    let finding = if !lines.iter().any(|l| l == webex) {
        let near = lines
            .iter()
            .filter(|l| l.to_ascii_lowercase().contains("webex"))
            .find_map(|l| crate::validate::callback::diagnose_webex_line(l))
            .map(|p| format!(" {}", p.message))
            .unwrap_or_default();
        Finding::fail(
            check,
            format!(
                "Salesforce's Callback URL lines are {}; none is exactly {webex}.{near}",
                join(&lines)
            ),
            format!("add the line {webex}"),
        )
    } else if !missing.is_empty() {
        Finding::fail(
            check,
            format!("Salesforce's Callback URL lines are {}: the Webex line is there, but not every line you entered.", join(&lines)),
            format!("add {} as its own line", join(&missing)),
        )
    } else {
        Finding::pass(
            check,
            format!(
                "Salesforce's Callback URL holds {webex} exactly ({} line(s) in all).",
                lines.len()
            ),
        )
    };
    finding.disagreeing(disagreement)
}

/// Server text for a sentence: each item cleaned, comma-separated.
fn join<S: AsRef<str>>(items: &[S]) -> String {
    let cleaned: Vec<String> = items
        .iter()
        .map(|s| clean_server_text(s.as_ref()))
        .collect();
    cleaned.join(", ")
}

pub(super) fn scopes(value: Option<String>, spec: &EcaSpec) -> Finding {
    let check = MetadataCheck::Scopes;
    let Some(value) = value else {
        return Finding::unknown(check, format!("The record has no {}.", field::OAUTH_SCOPES));
    };
    let tokens: Vec<&str> = value
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let known: Vec<&'static Scope> = tokens.iter().filter_map(|t| scope_by_token(t)).collect();
    let unrecognised: Vec<&str> = tokens
        .iter()
        .copied()
        .filter(|t| scope_by_token(t).is_none())
        .collect();
    let has = |s: &Scope| known.iter().any(|k| k.value == s.value);
    let missing: Vec<&str> = recipe::required_scopes()
        .filter(|s| !has(s))
        .map(|s| s.label)
        .collect();
    let said_not_there: Vec<&str> = spec
        .scopes
        .iter()
        .filter(|s| !has(s))
        .map(|s| s.label)
        .collect();
    let there_not_said: Vec<&str> = known
        .iter()
        .filter(|k| !spec.scopes.iter().any(|s| s.value == k.value))
        .map(|k| k.label)
        .chain(unrecognised.iter().copied())
        .collect();
    let value = clean_server_text(&value);
    let disagreement = (!said_not_there.is_empty() || !there_not_said.is_empty()).then(|| {
        let mut parts = Vec::new();
        if !said_not_there.is_empty() {
            parts.push(format!(
                "You selected {}, which Salesforce's record does not have.",
                said_not_there.join(", ")
            ));
        }
        if !there_not_said.is_empty() {
            parts.push(format!(
                "Salesforce's record also has {}, which you did not report.",
                join(&there_not_said)
            ));
        }
        parts.join(" ")
    });
    let finding = if missing.is_empty() {
        Finding::pass(
            check,
            format!("Salesforce's record grants {value}: every scope Webex needs."),
        )
    } else {
        Finding::fail(
            check,
            format!(
                "Salesforce's record grants {value}; it lacks {}.",
                missing.join(", ")
            ),
            format!("select {}", missing.join(", ")),
        )
    };
    finding.disagreeing(disagreement)
}

fn checked(yes: bool) -> &'static str {
    if yes {
        "checked"
    } else {
        "not checked"
    }
}

pub(super) fn security(
    check: MetadataCheck,
    option: SecurityOption,
    value: Option<bool>,
    spec: &EcaSpec,
) -> Finding {
    let Some(value) = value else {
        return Finding::unknown(
            check,
            format!("The record has no boolean {}.", option.metadata().0),
        );
    };
    let is_checked = value == option.metadata().1;
    let evidence = format!(
        "{} = {value}: \"{}\" is {}",
        option.metadata().0,
        option.label(),
        checked(is_checked)
    );
    let disagreement = (spec.is_checked(option) != is_checked).then(|| {
        format!(
            "You answered that it is {}; Salesforce's record says it is {}.",
            checked(spec.is_checked(option)),
            checked(is_checked)
        )
    });
    let finding = if is_checked {
        Finding::pass(check, format!("{evidence}."))
    } else {
        Finding::fail(
            check,
            format!("{evidence}: {}.", option.explains()),
            format!("check \"{}\"", option.label()),
        )
    };
    finding.disagreeing(disagreement)
}

pub(super) fn distribution_state(value: Option<String>, spec: &EcaSpec) -> Finding {
    let check = MetadataCheck::DistributionState;
    let Some(value) = value else {
        return Finding::unknown(
            check,
            format!("The record has no {}.", field::DISTRIBUTION_STATE),
        );
    };
    let Some(state) = DistributionState::from_metadata_token(&value) else {
        return Finding::unknown(
            check,
            format!(
                "The record's {} is \"{}\", a value this tool does not know.",
                field::DISTRIBUTION_STATE,
                clean_server_text(&value)
            ),
        );
    };
    let disagreement = (state != spec.distribution_state).then(|| {
        format!(
            "You answered {}; Salesforce's record says {}.",
            spec.distribution_state.label(),
            state.label()
        )
    });
    let wanted = recipe::DISTRIBUTION_STATE;
    let finding = if state == wanted {
        Finding::pass(
            check,
            format!(
                "{} = {}.",
                field::DISTRIBUTION_STATE,
                state.metadata_token()
            ),
        )
    } else {
        Finding::fail(
            check,
            format!(
                "{} = {}; Webex's app must be {}.",
                field::DISTRIBUTION_STATE,
                state.metadata_token(),
                wanted.label()
            ),
            format!(
                "set it to {} (if Salesforce no longer lets you, create a new {} app)",
                wanted.label(),
                wanted.label()
            ),
        )
    };
    finding.disagreeing(disagreement)
}
