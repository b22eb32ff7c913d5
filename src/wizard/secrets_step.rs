//! Step 7: create the app, then copy the Consumer Key and Secret. The secret is read hidden
//! (or from stdin / the environment), validated without ever being shown, and kept wrapped.

use secrecy::{ExposeSecret, SecretString};

use super::ask::{self, Unattended};
use super::{fields, Presets};
use crate::error::AppError;
use crate::prompt::Prompter;
use crate::recipe;
use crate::setup::Credentials;
use crate::validate::credentials;

pub fn credentials(
    p: &mut dyn Prompter,
    presets: &Presets,
    warnings: &mut Vec<String>,
) -> Result<Credentials, AppError> {
    if p.is_interactive() {
        p.say(&format!(
            "  Click Create. Then open {}.\n  Salesforce first emails you a verification code: enter it, and the Consumer Details page shows the key and secret. Copy each with its Copy button.",
            recipe::location::CONSUMER_DETAILS
        ));
    }
    let (consumer_key, key_warnings) = ask::text(
        p,
        &fields::CONSUMER_KEY,
        presets.answers.consumer_key.clone(),
        presets.defaults.consumer_key.as_deref(),
        Unattended::UseDefault,
        credentials::consumer_key,
    )?;
    say_warnings(p, key_warnings, warnings);
    let consumer_secret = secret(p, presets, &consumer_key, warnings)?;
    Ok(Credentials {
        consumer_key,
        consumer_secret,
    })
}

/// Warnings said at once to a person (a run without one prints them with the rest).
fn say_warnings(p: &mut dyn Prompter, new: Vec<String>, warnings: &mut Vec<String>) {
    for w in new {
        if p.is_interactive() {
            p.say(&ask::warning_line(&w));
        }
        warnings.push(w);
    }
}

fn secret(
    p: &mut dyn Prompter,
    presets: &Presets,
    key: &str,
    warnings: &mut Vec<String>,
) -> Result<SecretString, AppError> {
    let field = &fields::CONSUMER_SECRET;
    let demo = presets.defaults.consumer_secret.as_ref();
    let mut preset = presets.consumer_secret.clone();
    if demo.is_some() && p.is_interactive() && preset.is_none() {
        p.say("  (Demo: the simulated org's secret is on its Consumer Details page; Enter alone uses it.)");
    }
    loop {
        let typed = match preset.take() {
            Some(v) => v,
            None if !p.is_interactive() => match demo {
                Some(d) => d.clone(),
                None => return Err(field.missing()),
            },
            None => p
                .secret(&field.q, demo.is_some())
                .map_err(|e| ask::prompt_failed(field, e))?,
        };
        let typed = match (typed.expose_secret().is_empty(), demo) {
            (true, Some(d)) => d.clone(),
            _ => typed,
        };
        match credentials::consumer_secret(typed.expose_secret(), key) {
            Ok((s, shape_warnings)) => {
                say_warnings(p, shape_warnings, warnings);
                return Ok(s);
            }
            Err(problem) => ask::explain_or_refuse(p, field, &problem)?,
        }
    }
}
