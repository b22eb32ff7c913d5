//! Steps 3 to 6: Enable OAuth, the Callback URL box, the OAuth scopes and the Security
//! options, each checked against the recipe.

use super::ask::{self, Field};
use super::{fields, Presets};
use crate::error::AppError;
use crate::prompt::Prompter;
use crate::recipe::{self, Scope, SecurityOption};
use crate::validate::{callback, oauth_settings, Problem};

pub fn enable_oauth(p: &mut dyn Prompter) -> Result<(), AppError> {
    // Non-interactively, giving the callback URL and scopes is what says OAuth is on.
    if !p.is_interactive() {
        return Ok(());
    }
    let why = Problem::new(
        "Webex signs users in through OAuth, so the app must have OAuth enabled.",
        format!("tick Enable OAuth ({})", recipe::location::ENABLE_OAUTH),
    );
    ask::must_confirm(p, &fields::ENABLE_OAUTH, &why)
}

pub fn callback_urls(
    p: &mut dyn Prompter,
    presets: &Presets,
    warnings: &mut Vec<String>,
) -> Result<Vec<String>, AppError> {
    let loopback = recipe::loopback_callback_url(presets.loopback_port);
    if p.is_interactive() {
        p.say(&format!(
            "  In the Callback URL box enter, on its own line:\n    {}",
            recipe::WEBEX_CALLBACK_URL
        ));
    }
    let mut want_loopback = false;
    if presets.offer_loopback && p.is_interactive() && presets.answers.callback_urls.is_empty() {
        p.say(&format!(
            "  The OAuth check signs in once through this computer, so Salesforce must also accept a redirect to it. Add this as a second line (remove it after setup if you like):\n    {loopback}"
        ));
        want_loopback = p
            .confirm(&fields::ADD_LOOPBACK.q, true)
            .map_err(|e| ask::prompt_failed(&fields::ADD_LOOPBACK, e))?;
    }
    let mut preset = (!presets.answers.callback_urls.is_empty())
        .then(|| presets.answers.callback_urls.join("\n"));
    // Offered line by line; after a refusal, the lines just entered.
    let mut offered = presets.defaults.callback_urls.clone();
    loop {
        let raw = match preset.take() {
            Some(v) => v,
            None if !p.is_interactive() => return Err(fields::CALLBACK_LINE.missing()),
            None => read_lines(p, &fields::CALLBACK_LINE, &offered)?,
        };
        offered = raw.lines().map(str::to_string).collect();
        let field = match callback::callback_field(&raw) {
            Ok(f) => f,
            Err(problem) => {
                ask::explain_or_refuse(p, &fields::CALLBACK_LINE, &problem)?;
                continue;
            }
        };
        // Exactly this line: the check listens on this port and sends this redirect_uri.
        if want_loopback && !field.urls.contains(&loopback) {
            ask::explain(
                p,
                &Problem::new(
                    format!("The loopback line {loopback} is not in the box."),
                    "add it as its own line in Setup, then enter the box again (or cancel and rerun with --no-login)",
                ),
            );
            continue;
        }
        for note in field.notes {
            if p.is_interactive() {
                p.say(&format!("  note: {note}"));
            }
            warnings.push(note);
        }
        return Ok(field.urls);
    }
}

/// Reads the box one line per prompt (a multi-line paste fills consecutive prompts); an
/// empty line ends it. `offered[i]` is line i's default (Enter keeps it; `-` drops it).
fn read_lines(
    p: &mut dyn Prompter,
    field: &Field<'_>,
    offered: &[String],
) -> Result<String, AppError> {
    p.say(if offered.is_empty() {
        "  Enter the box's content exactly, one line per prompt; an empty line ends it."
    } else {
        "  Enter the box's content exactly, one line per prompt: Enter keeps the line shown, - drops it, an empty line ends it."
    });
    let mut lines = Vec::new();
    let mut asked = 0;
    loop {
        let q = crate::prompt::Question {
            prompt: if lines.is_empty() {
                "Callback URL line 1"
            } else {
                "Next line (Enter when done)"
            },
            ..field.q
        };
        let default = offered.get(asked).map(String::as_str);
        asked += 1;
        let line = p
            .input(&q, default)
            .map_err(|e| ask::prompt_failed(field, e))?;
        if line.trim() == "-" && default.is_some() {
            continue;
        }
        if line.trim().is_empty() {
            if lines.is_empty() {
                ask::explain(
                    p,
                    &Problem::new(
                        "The Callback URL box is required.",
                        format!("enter {}", recipe::WEBEX_CALLBACK_URL),
                    ),
                );
                continue;
            }
            return Ok(lines.join("\n"));
        }
        lines.push(line);
    }
}

pub fn scopes(
    p: &mut dyn Prompter,
    presets: &Presets,
    warnings: &mut Vec<String>,
) -> Result<Vec<&'static Scope>, AppError> {
    let field = &fields::SCOPES;
    if p.is_interactive() {
        let needed: Vec<String> = recipe::required_scopes()
            .map(|s| format!("    {} — {}", s.label, s.why))
            .collect();
        p.say(&format!(
            "  Move these to Selected OAuth Scopes (and nothing else):\n{}",
            needed.join("\n")
        ));
    }
    let items: Vec<String> = recipe::SCOPES
        .iter()
        .map(|s| {
            if s.required {
                format!("{}  [Webex needs this]", s.label)
            } else {
                s.label.to_string()
            }
        })
        .collect();
    let mut preset = (!presets.answers.scopes.is_empty()).then(|| presets.answers.scopes.clone());
    // Setup's list starts with nothing selected; the demo's app has the recipe's scopes.
    let mut ticks: Vec<bool> = recipe::SCOPES
        .iter()
        .map(|s| presets.defaults.scopes.iter().any(|v| s.matches(v)))
        .collect();
    loop {
        let values = ask::ticked(p, field, preset.take(), &items, &mut ticks, |i| {
            recipe::SCOPES[i].value.to_string()
        })?;
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let selection = match oauth_settings::scopes(&refs) {
            Ok(s) => s,
            Err(problem) => {
                ask::explain_or_refuse(p, field, &problem)?;
                continue;
            }
        };
        if selection.extras.is_empty() {
            return Ok(selection.scopes);
        }
        let labels: Vec<&str> = selection.extras.iter().map(|s| s.label).collect();
        let needed: Vec<&str> = recipe::required_scopes().map(|s| s.value).collect();
        let warning = format!(
            "Extra OAuth scopes selected: {}. Webex needs only {}; every extra scope widens what a leaked token can do (least privilege).",
            labels.join("; "),
            needed.join(", ")
        );
        if !p.is_interactive() {
            if presets.answers.allow_extra_scopes {
                warnings.push(warning);
                return Ok(selection.scopes);
            }
            return Err(fields::KEEP_EXTRA_SCOPES.refused(&Problem::new(
                warning,
                "remove the extra scopes in Setup and from --scope, or pass --allow-extra-scopes to keep them",
            )));
        }
        p.say(&ask::warning_line(&warning));
        let keep = p
            .confirm(&fields::KEEP_EXTRA_SCOPES.q, false)
            .map_err(|e| ask::prompt_failed(&fields::KEEP_EXTRA_SCOPES, e))?;
        if keep {
            warnings.push(warning);
            return Ok(selection.scopes);
        }
        p.say("  Remove them from Selected OAuth Scopes in Setup, then tick what is selected now.");
    }
}

pub fn security(p: &mut dyn Prompter, presets: &Presets) -> Result<Vec<SecurityOption>, AppError> {
    let field = &fields::SECURITY;
    if p.is_interactive() {
        let lines: Vec<String> = SecurityOption::ALL
            .iter()
            .map(|o| format!("    {} — {}", o.label(), o.explains()))
            .collect();
        p.say(&format!(
            "  Keep every one of these checked (they are on by default):\n{}",
            lines.join("\n")
        ));
    }
    let items: Vec<String> = SecurityOption::ALL
        .iter()
        .map(|o| o.label().to_string())
        .collect();
    let mut preset =
        (!presets.answers.security.is_empty()).then(|| presets.answers.security.clone());
    // Setup's form has these boxes ticked already (seed: "keep the default options checked").
    let mut ticks = vec![true; items.len()];
    loop {
        let flags = ask::ticked(p, field, preset.take(), &items, &mut ticks, |i| {
            SecurityOption::ALL[i].flag_value().to_string()
        })?;
        let refs: Vec<&str> = flags.iter().map(String::as_str).collect();
        match oauth_settings::security(&refs) {
            Ok(options) => return Ok(options),
            Err(problem) => ask::explain_or_refuse(p, field, &problem)?,
        }
    }
}
