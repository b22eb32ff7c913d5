//! The OAuth Scopes and Security sections (seed steps 6 and 7): which scopes and checkboxes
//! the admin reports, checked against the recipe's tables.

use crate::recipe::{self, location, Scope, SecurityOption};
use crate::validate::Problem;

/// The scopes the admin selected: all of them in Setup order, and the ones Webex does not need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeSelection {
    pub scopes: Vec<&'static Scope>,
    pub extras: Vec<&'static Scope>,
}

/// `values` are scope values or synonyms (e.g. "api", "offline_access"); an exact Setup label
/// is accepted too. Duplicates collapse. Unknown values, then missing required scopes, are
/// refused.
pub fn scopes(values: &[&str]) -> Result<ScopeSelection, Problem> {
    let mut picked = vec![false; recipe::SCOPES.len()];
    let mut unknown = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let found = recipe::SCOPES
            .iter()
            .position(|s| s.matches(value) || s.label.eq_ignore_ascii_case(value));
        match found {
            Some(i) => picked[i] = true,
            None => unknown.push(crate::text::quoted_input(value)),
        }
    }
    if !unknown.is_empty() {
        let known: Vec<&str> = recipe::SCOPES
            .iter()
            .flat_map(|s| std::iter::once(s.value).chain(s.synonyms.iter().copied()))
            .collect();
        return Err(Problem::new(
            format!(
                "Unknown OAuth scope {}; Salesforce's scope values are: {}.",
                unknown.join(", "),
                known.join(", ")
            ),
            format!(
                "use the value in brackets after each label in {}, e.g. api",
                location::SCOPES
            ),
        ));
    }
    let selected: Vec<&'static Scope> = recipe::SCOPES
        .iter()
        .zip(&picked)
        .filter(|(_, on)| **on)
        .map(|(s, _)| s)
        .collect();
    let missing: Vec<&'static Scope> = recipe::required_scopes()
        .filter(|r| !selected.contains(r))
        .collect();
    if !missing.is_empty() {
        let lines: Vec<String> = missing
            .iter()
            .map(|s| format!("\"{}\" ({})", s.label, s.why))
            .collect();
        let labels: Vec<String> = missing.iter().map(|s| format!("\"{}\"", s.label)).collect();
        return Err(Problem::new(
            format!(
                "Webex needs OAuth scope(s) not selected: {}.",
                lines.join("; ")
            ),
            format!(
                "in {}, move {} to Selected OAuth Scopes",
                location::SCOPES,
                labels.join(" and ")
            ),
        ));
    }
    let extras = selected.iter().copied().filter(|s| !s.required).collect();
    Ok(ScopeSelection {
        scopes: selected,
        extras,
    })
}

/// `flags` are [`SecurityOption`] flag values (the checked boxes). Every option the recipe
/// lists must be there; returns them in Setup order. Duplicates collapse.
pub fn security(flags: &[&str]) -> Result<Vec<SecurityOption>, Problem> {
    let mut unknown = Vec::new();
    let mut checked = Vec::new();
    for flag in flags.iter().map(|f| f.trim()).filter(|f| !f.is_empty()) {
        match SecurityOption::from_flag(flag) {
            Some(o) => checked.push(o),
            None => unknown.push(crate::text::quoted_input(flag)),
        }
    }
    if !unknown.is_empty() {
        let known: Vec<String> = SecurityOption::ALL
            .iter()
            .map(|o| format!("{} (\"{}\")", o.flag_value(), o.label()))
            .collect();
        return Err(Problem::new(
            format!(
                "Unknown Security option {}; the options are: {}.",
                unknown.join(", "),
                known.join(", ")
            ),
            "name each checked box by its value, e.g. pkce",
        ));
    }
    let missing: Vec<SecurityOption> = SecurityOption::ALL
        .into_iter()
        .filter(|o| !checked.contains(o))
        .collect();
    if !missing.is_empty() {
        let lines: Vec<String> = missing
            .iter()
            .map(|o| format!("\"{}\" is not checked: {}", o.label(), o.explains()))
            .collect();
        let labels: Vec<String> = missing
            .iter()
            .map(|o| format!("\"{}\"", o.label()))
            .collect();
        return Err(Problem::new(
            format!(
                "Webex needs every one of the Security options checked. {}.",
                lines.join("; ")
            ),
            format!(
                "tick {} in Setup → Apps → App Manager → your app → {}",
                labels.join(" and "),
                location::SECURITY
            ),
        ));
    }
    Ok(SecurityOption::ALL.to_vec())
}

#[cfg(test)]
mod tests;
