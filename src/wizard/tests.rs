//! The wizard's logic through the scripted prompter: the happy path, each re-prompt path,
//! cancelling, and the non-interactive refusals.

use secrecy::{ExposeSecret, SecretString};

use super::*;
use crate::error::ErrorCode;
use crate::prompt::{Answer, RefusingPrompter, ScriptedPrompter};

const KEY: &str =
    "3MVG9A2kN3Bn17huXZp1Kz8xYl0QmSjHqW5bC7eD9fG1hJ3kL5nP7rT9vX1zB3dF5hJ7lN9pR1tV3xZ5b7d9f1h3";
const SECRET: &str = "4F1D2C3B4A5968778695A4B3C2D1E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091";

fn t(s: &str) -> Answer {
    Answer::Text(s.to_string())
}

/// Index of a scope in the multi-select (the recipe's order).
fn scope_ix(value: &str) -> usize {
    recipe::SCOPES
        .iter()
        .position(|s| s.value == value)
        .unwrap()
}

fn webex_scopes() -> Answer {
    Answer::Ticks(vec![
        scope_ix("api"),
        scope_ix("web"),
        scope_ix("refresh_token"),
    ])
}

/// Every answer of a correct run, in order, after the org.
fn good_after_org() -> Vec<Answer> {
    vec![
        t("Webex Integration"),
        Answer::Default, // API Name derived: Webex_Integration
        t("admin@acme.com"),
        Answer::Pick(0), // Local
        Answer::Yes,     // Enable OAuth ticked
        Answer::Yes,     // add the loopback line
        t(recipe::WEBEX_CALLBACK_URL),
        t("http://localhost:1717/OauthRedirect"),
        t(""),
        webex_scopes(),
        Answer::Ticks(vec![0, 1, 2]),
        t(KEY),
        Answer::Secret(SECRET.to_string()),
    ]
}

fn script(org: Vec<Answer>, rest: Vec<Answer>) -> ScriptedPrompter {
    ScriptedPrompter::new(org.into_iter().chain(rest))
}

fn strict() -> Presets {
    Presets::new(HostPolicy::Strict)
}

#[test]
fn a_correct_run_yields_the_webex_app() {
    let mut p = script(
        vec![Answer::Pick(0), t("https://acme.my.salesforce.com")],
        good_after_org(),
    );
    let out = run(&mut p, strict()).unwrap();
    assert_eq!(p.remaining(), 0);
    let s = out.setup;
    assert_eq!(s.login.origin(), "https://acme.my.salesforce.com");
    assert_eq!(
        (s.app_name.as_str(), s.api_name.as_str()),
        ("Webex Integration", "Webex_Integration")
    );
    assert_eq!(
        s.callback_urls,
        [
            recipe::WEBEX_CALLBACK_URL,
            "http://localhost:1717/OauthRedirect"
        ]
    );
    assert_eq!(
        s.scopes.iter().map(|s| s.value).collect::<Vec<_>>(),
        ["api", "web", "refresh_token"]
    );
    assert_eq!(s.security, recipe::SecurityOption::ALL);
    assert_eq!(s.credentials.consumer_key, KEY);
    assert_eq!(s.credentials.consumer_secret.expose_secret(), SECRET);
    assert_eq!(
        s.loopback_callback(),
        Some("http://localhost:1717/OauthRedirect")
    );
    // Every step names where it lives in Setup.
    let said = p.transcript();
    for place in [
        recipe::location::CALLBACK,
        recipe::location::SCOPES,
        recipe::location::SECURITY,
    ] {
        assert!(said.contains(place), "missing {place}");
    }
}

#[test]
fn production_choice_needs_no_url() {
    let mut p = script(vec![Answer::Pick(1)], good_after_org());
    let out = run(&mut p, strict()).unwrap();
    assert_eq!(out.setup.login.origin(), "https://login.salesforce.com");
}

#[test]
fn a_lightning_ui_url_is_explained_and_asked_again() {
    let mut p = script(
        vec![
            Answer::Pick(0),
            t("https://acme.lightning.force.com/lightning/page/home"),
            t("acme.my.salesforce.com"),
        ],
        good_after_org(),
    );
    let out = run(&mut p, strict()).unwrap();
    assert_eq!(out.setup.login.origin(), "https://acme.my.salesforce.com");
    assert!(
        p.transcript().contains("https://acme.my.salesforce.com"),
        "{}",
        p.transcript()
    );
}

#[test]
fn bad_basic_information_is_asked_again_with_reasons() {
    let mut answers = good_after_org();
    // API name with a double underscore, then fixed; email without @, then fixed; Packaged, then Local.
    answers.splice(
        1..4,
        [
            t("Webex__App"),
            t("Webex_App"),
            t("admin.acme.com"),
            t("admin@acme.com"),
            Answer::Pick(1),
            Answer::Pick(0),
        ],
    );
    let mut p = script(vec![Answer::Pick(1)], answers);
    let out = run(&mut p, strict()).unwrap();
    assert_eq!(out.setup.api_name, "Webex_App");
    assert_eq!(p.asked.iter().filter(|q| *q == "API Name").count(), 2);
    assert_eq!(p.asked.iter().filter(|q| *q == "Contact Email").count(), 2);
    assert_eq!(
        p.asked
            .iter()
            .filter(|q| *q == "Distribution State")
            .count(),
        2
    );
    assert!(p.transcript().contains("__"), "{}", p.transcript());
    assert!(p.transcript().contains("Local"), "{}", p.transcript());
}

#[test]
fn answering_no_to_enable_oauth_explains_and_asks_again() {
    let mut answers = good_after_org();
    answers.insert(4, Answer::No);
    let mut p = script(vec![Answer::Pick(1)], answers);
    run(&mut p, strict()).unwrap();
    assert!(p.transcript().contains("tick Enable OAuth"));
}

#[test]
fn a_callback_typo_is_diagnosed_and_the_box_asked_again() {
    let mut answers = good_after_org();
    let http = recipe::WEBEX_CALLBACK_URL.replace("https://", "http://");
    answers.splice(
        6..9,
        [
            t(&http),
            t("http://localhost:1717/OauthRedirect"),
            t(""),
            t(recipe::WEBEX_CALLBACK_URL),
            t("http://localhost:1717/OauthRedirect"),
            t(""),
        ],
    );
    let mut p = script(vec![Answer::Pick(1)], answers);
    run(&mut p, strict()).unwrap();
    assert!(
        p.transcript().to_lowercase().contains("https"),
        "{}",
        p.transcript()
    );
}

#[test]
fn a_missing_loopback_line_is_asked_for_when_the_check_needs_it() {
    let mut answers = good_after_org();
    answers.splice(
        6..9,
        [
            t(recipe::WEBEX_CALLBACK_URL),
            t(""),
            t(recipe::WEBEX_CALLBACK_URL),
            t("http://localhost:1717/OauthRedirect"),
            t(""),
        ],
    );
    let mut p = script(vec![Answer::Pick(1)], answers);
    run(&mut p, strict()).unwrap();
    assert!(p
        .transcript()
        .contains("loopback line http://localhost:1717/OauthRedirect is not in the box"));
}

#[test]
fn a_missing_scope_blocks_with_its_exact_label() {
    let mut answers = good_after_org();
    answers.splice(
        9..10,
        [
            Answer::Ticks(vec![scope_ix("api"), scope_ix("web")]),
            webex_scopes(),
        ],
    );
    let mut p = script(vec![Answer::Pick(1)], answers);
    run(&mut p, strict()).unwrap();
    assert!(
        p.transcript()
            .contains("Perform requests at any time (refresh_token, offline_access)"),
        "{}",
        p.transcript()
    );
}

#[test]
fn an_extra_scope_needs_a_confirmation_and_is_kept_as_a_warning() {
    let mut answers = good_after_org();
    let with_full = Answer::Ticks(vec![
        scope_ix("api"),
        scope_ix("web"),
        scope_ix("refresh_token"),
        scope_ix("full"),
    ]);
    answers.splice(
        9..10,
        [with_full.clone(), Answer::No, with_full, Answer::Yes],
    );
    let mut p = script(vec![Answer::Pick(1)], answers);
    let out = run(&mut p, strict()).unwrap();
    assert_eq!(out.setup.scopes.len(), 4);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("Full access (full)")),
        "{:?}",
        out.warnings
    );
    assert!(p.transcript().contains("least privilege"));
}

#[test]
fn an_unchecked_security_option_blocks_with_the_fix() {
    let mut answers = good_after_org();
    answers.splice(
        10..11,
        [Answer::Ticks(vec![0, 1]), Answer::Ticks(vec![0, 1, 2])],
    );
    let mut p = script(vec![Answer::Pick(1)], answers);
    run(&mut p, strict()).unwrap();
    assert!(
        p.transcript()
            .contains("Require Proof Key for Code Exchange (PKCE)"),
        "{}",
        p.transcript()
    );
}

#[test]
fn a_key_pasted_as_the_secret_is_caught_and_asked_again() {
    let mut answers = good_after_org();
    answers.splice(
        12..13,
        [
            Answer::Secret(KEY.to_string()),
            Answer::Secret(SECRET.to_string()),
        ],
    );
    let mut p = script(vec![Answer::Pick(1)], answers);
    let out = run(&mut p, strict()).unwrap();
    assert_eq!(
        out.setup.credentials.consumer_secret.expose_secret(),
        SECRET
    );
    assert!(
        p.transcript().to_lowercase().contains("consumer key"),
        "{}",
        p.transcript()
    );
    assert!(
        !p.transcript().contains(SECRET),
        "the secret must never be said"
    );
}

#[test]
fn cancelling_at_any_step_is_exit_130() {
    let full: Vec<Answer> = [Answer::Pick(1)]
        .into_iter()
        .chain(good_after_org())
        .collect();
    for at in 0..full.len() {
        let mut answers = full[..at].to_vec();
        answers.push(Answer::Cancel);
        let mut p = ScriptedPrompter::new(answers);
        let e = run(&mut p, strict()).unwrap_err();
        assert_eq!(e.exit_code(), 130, "cancel at answer {at}: {e}");
    }
}

fn complete_presets() -> Presets {
    let mut presets = strict();
    presets.answers.login_url = Some("https://acme.my.salesforce.com".into());
    presets.answers.app_name = Some("Webex".into());
    presets.answers.contact_email = Some("admin@acme.com".into());
    presets.answers.distribution_state = Some("local".into());
    presets.answers.callback_urls = vec![format!(
        "{}\nhttp://localhost:1717/OauthRedirect",
        recipe::WEBEX_CALLBACK_URL
    )];
    presets.answers.scopes = vec!["api".into(), "web".into(), "offline_access".into()];
    presets.answers.security = vec![
        "pkce".into(),
        "secret-web-server-flow".into(),
        "secret-refresh-token-flow".into(),
    ];
    presets.answers.consumer_key = Some(KEY.into());
    presets.consumer_secret = Some(SecretString::from(SECRET));
    presets
}

#[test]
fn complete_presets_run_without_a_single_prompt() {
    let mut p = RefusingPrompter;
    let out = run(&mut p, complete_presets()).unwrap();
    assert_eq!(out.setup.api_name, "Webex");
    assert_eq!(out.setup.callback_urls.len(), 2);
    assert_eq!(out.setup.scopes[2].value, "refresh_token");
}

#[test]
fn each_missing_preset_is_refused_naming_its_flag() {
    type Clear = fn(&mut Presets);
    let cases: [(Clear, &str); 8] = [
        (|p| p.answers.login_url = None, "--login-url"),
        (|p| p.answers.app_name = None, "--app-name"),
        (|p| p.answers.contact_email = None, "--contact-email"),
        (
            |p| p.answers.distribution_state = None,
            "--distribution-state",
        ),
        (|p| p.answers.callback_urls.clear(), "--callback-url"),
        (|p| p.answers.scopes.clear(), "--scope"),
        (|p| p.answers.security.clear(), "--security"),
        (|p| p.consumer_secret = None, "--consumer-secret-stdin"),
    ];
    for (clear, flag) in cases {
        let mut presets = complete_presets();
        clear(&mut presets);
        let e = run(&mut RefusingPrompter, presets).unwrap_err();
        assert_eq!(
            (e.exit_code(), e.code),
            (2, ErrorCode::MissingAnswer),
            "{flag}"
        );
        assert!(
            e.fix.as_deref().unwrap_or_default().contains(flag),
            "{flag}: {e}"
        );
    }
}

#[test]
fn extra_scopes_non_interactively_need_allow_extra_scopes() {
    let mut presets = complete_presets();
    presets.answers.scopes.push("full".into());
    let e = run(&mut RefusingPrompter, presets).unwrap_err();
    assert_eq!((e.exit_code(), e.code), (2, ErrorCode::ExtraScopes));
    let mut presets = complete_presets();
    presets.answers.scopes.push("full".into());
    presets.answers.allow_extra_scopes = true;
    let out = run(&mut RefusingPrompter, presets).unwrap();
    assert_eq!(out.warnings.len(), 1);
}

#[test]
fn the_whole_wizard_transcript_of_a_correct_run_is_pinned() {
    console::set_colors_enabled_stderr(false);
    let mut p = script(
        vec![Answer::Pick(0), t("https://acme.my.salesforce.com")],
        good_after_org(),
    );
    run(&mut p, strict()).unwrap();
    let asked = p.asked.join("\n");
    insta::assert_snapshot!(
        "wizard_transcript",
        format!("--- said\n{}\n--- asked\n{asked}", p.transcript())
    );
}

#[test]
fn the_security_boxes_start_ticked_as_in_setup_and_scopes_start_empty() {
    let mut answers = good_after_org();
    let security = answers.len() - 3;
    answers[security] = Answer::Default; // Enter at the Security question
    let mut p = script(
        vec![Answer::Pick(0), t("https://acme.my.salesforce.com")],
        answers,
    );
    let out = run(&mut p, strict()).expect("every box was already ticked");
    assert_eq!(out.setup.security, recipe::SecurityOption::ALL);

    let mut answers = good_after_org();
    let scopes = answers.len() - 4;
    answers[scopes] = Answer::Default; // Enter at the scopes: nothing ticked
    answers.insert(scopes + 1, webex_scopes());
    let mut p = script(
        vec![Answer::Pick(0), t("https://acme.my.salesforce.com")],
        answers,
    );
    run(&mut p, strict()).unwrap();
    assert!(
        p.transcript().contains("Manage user data via APIs (api)"),
        "an empty selection is refused naming the scopes"
    );
}

#[test]
fn asking_again_keeps_the_previous_ticks_and_the_callback_lines() {
    let mut answers = good_after_org();
    let at = answers
        .iter()
        .position(|a| matches!(a, Answer::Text(s) if s == recipe::WEBEX_CALLBACK_URL))
        .unwrap();
    // The box first has a trailing slash on the Webex line and the loopback line second.
    answers[at] = t(&format!("{}/", recipe::WEBEX_CALLBACK_URL));
    answers.splice(
        at + 3..at + 4,
        [
            // Asked again: retype line 1, keep line 2, end.
            t(recipe::WEBEX_CALLBACK_URL),
            Answer::Default,
            Answer::Default,
            // Scopes: api and web only, refused; asked again with both still ticked.
            Answer::Ticks(vec![scope_ix("api"), scope_ix("web")]),
            Answer::Toggle(vec![scope_ix("refresh_token")]),
        ],
    );
    let mut p = script(
        vec![Answer::Pick(0), t("https://acme.my.salesforce.com")],
        answers,
    );
    let out = run(&mut p, strict()).unwrap();
    assert_eq!(p.remaining(), 0);
    assert_eq!(
        out.setup.callback_urls,
        [
            recipe::WEBEX_CALLBACK_URL,
            "http://localhost:1717/OauthRedirect"
        ]
    );
    let values: Vec<_> = out.setup.scopes.iter().map(|s| s.value).collect();
    assert_eq!(values, ["api", "web", "refresh_token"]);
}

#[test]
fn every_step_announced_is_shown_up_to_the_last_one() {
    console::set_colors_enabled_stderr(false);
    let mut p = script(
        vec![Answer::Pick(0), t("https://acme.my.salesforce.com")],
        good_after_org(),
    );
    run(&mut p, strict()).unwrap();
    let said = p.transcript();
    let total = STEPS.len();
    for n in 1..=total {
        assert!(
            said.contains(&format!("Step {n} of {total}:")),
            "step {n}:\n{said}"
        );
    }
}
