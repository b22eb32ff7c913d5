//! The end of each command's `--help`: two or three examples (interactive, scripted with the
//! secret on stdin, the demo), then the exit codes. The recipe's values (callback URL,
//! scopes, security options) come from the recipe, never retyped here.

use crate::error::exit_codes_help;
use crate::recipe::{self, SecurityOption};

/// "Examples:" with each `(what, command)`, then the exit codes.
fn epilogue(examples: &[(&str, String)]) -> String {
    let mut text = String::from("Examples:");
    for (what, command) in examples {
        text.push_str(&format!("\n  # {what}\n  {command}\n"));
    }
    text.push('\n');
    text.push_str(&exit_codes_help());
    text
}

/// `init` answered entirely by flags, the secret on stdin.
fn scripted_init() -> String {
    let scopes: Vec<&str> = recipe::required_scopes().map(|s| s.value).collect();
    let security: Vec<&str> = SecurityOption::ALL.iter().map(|o| o.flag_value()).collect();
    format!(
        "printf %s \"$SECRET\" | sf-webex-setup init --non-interactive --login \\\n    \
         --login-url https://acme.my.salesforce.com --app-name Webex \\\n    \
         --contact-email admin@acme.com --distribution-state {} \\\n    \
         --callback-url {} \\\n    \
         --callback-url {} \\\n    \
         --scope {} \\\n    \
         --security {} \\\n    \
         --consumer-key \"$KEY\" --consumer-secret-stdin",
        recipe::DISTRIBUTION_STATE.flag_value(),
        recipe::WEBEX_CALLBACK_URL,
        recipe::loopback_callback_url(recipe::DEFAULT_LOOPBACK_PORT),
        scopes.join(","),
        security.join(","),
    )
}

pub fn top() -> String {
    epilogue(&[
        (
            "Walk through Setup, prove the app with one sign-in, store the credentials",
            "sf-webex-setup init".into(),
        ),
        (
            "Rehearse against a simulated org first (nothing needed, nothing stored)",
            "sf-webex-setup init --demo".into(),
        ),
        (
            "Later: re-check what was stored",
            "sf-webex-setup verify".into(),
        ),
    ])
}

pub fn init() -> String {
    epilogue(&[
        (
            "Interactive: the wizard asks each field in Salesforce's order",
            "sf-webex-setup init".into(),
        ),
        (
            "Scripted: every answer a flag, the secret on stdin (never in argv)",
            scripted_init(),
        ),
        (
            "Rehearse against a simulated org on loopback",
            "sf-webex-setup init --demo".into(),
        ),
        (
            "After a failed or cancelled check: start from the saved answers",
            "sf-webex-setup init --resume".into(),
        ),
    ])
}

pub fn verify() -> String {
    epilogue(&[
        (
            "Re-check the default profile without signing in",
            "sf-webex-setup verify".into(),
        ),
        (
            "The full proof again, with one sign-in, for another profile",
            "sf-webex-setup --profile sandbox verify --login".into(),
        ),
        (
            "From a script or a monitor: one JSON document, the exit code says it all",
            "sf-webex-setup verify --json --non-interactive".into(),
        ),
        (
            "Every stored profile, eight at a time (cron, systemd timer)",
            "sf-webex-setup verify --all --jobs 8 --non-interactive".into(),
        ),
    ])
}

pub fn status() -> String {
    epilogue(&[
        ("Every stored profile", "sf-webex-setup status".into()),
        ("The same as JSON", "sf-webex-setup status --json".into()),
    ])
}

pub fn metadata() -> String {
    epilogue(&[
        (
            "Ask the app's fields, write the project, then deploy it with the sf CLI",
            "sf-webex-setup metadata --out webex-eca --target-org acme".into(),
        ),
        (
            "After the deploy: store the generated key and secret and prove the app",
            "sf-webex-setup init --login-url https://acme.my.salesforce.com".into(),
        ),
    ])
}

pub fn handoff() -> String {
    epilogue(&[
        (
            "Key, then secret, on the clipboard for Control Hub",
            "sf-webex-setup handoff".into(),
        ),
        (
            "Over SSH (no clipboard): show them here after a confirmation",
            "sf-webex-setup --profile sandbox handoff --reveal".into(),
        ),
    ])
}

pub fn remove() -> String {
    epilogue(&[
        (
            "Delete the default profile (asks first)",
            "sf-webex-setup remove".into(),
        ),
        (
            "From a script",
            "sf-webex-setup --profile sandbox remove --force --non-interactive".into(),
        ),
    ])
}

pub fn completions() -> String {
    epilogue(&[
        (
            "Bash, for the current user",
            "sf-webex-setup completions bash > ~/.local/share/bash-completion/completions/sf-webex-setup".into(),
        ),
        (
            "Zsh (a folder on $fpath)",
            "sf-webex-setup completions zsh > ~/.zfunc/_sf-webex-setup".into(),
        ),
        (
            "Fish",
            "sf-webex-setup completions fish > ~/.config/fish/completions/sf-webex-setup.fish".into(),
        ),
    ])
}

pub fn man() -> String {
    epilogue(&[
        (
            "Read it now",
            "sf-webex-setup man > /tmp/sf-webex-setup.1 && man -l /tmp/sf-webex-setup.1".into(),
        ),
        (
            "Install a page per command",
            "sf-webex-setup man --dir ~/.local/share/man/man1".into(),
        ),
    ])
}
