//! The OAuth proof as a person meets it, in a real pseudo-terminal: the interactive demo
//! with a `$BROWSER` that signs in for real (tests/support/browser.py), and paste mode,
//! where the "browser" runs elsewhere and the admin pastes the address it ended on.

use std::time::Duration;

use expectrl::Expect;

use crate::support::{
    browser_command, complete_flags, secret_service_session, Sandbox, SimOrg, SECRET,
};
use crate::wizard_pty::{accept, exit_code, rest, spawn_with, wait_for_echo_off};

#[test]
fn the_interactive_demo_signs_in_through_the_browser_and_proves_everything() {
    let sandbox = Sandbox::new();
    let browser = browser_command();
    let mut s = spawn_with(
        &sandbox,
        &["init", "--demo"],
        &[("BROWSER", browser.as_str())],
    );
    s.expect("simulated Salesforce org is running").unwrap();
    // Every default is the simulated app's: Enter at every prompt reaches a passing proof.
    for prompt in [
        "My Domain URL",
        "External Client App Name",
        "API Name",
        "Contact Email",
        "Distribution State",
        "Enable OAuth box checked",
        "Add the loopback line",
        "Callback URL line 1",
        "Next line",
        "Next line",
        "Selected OAuth Scopes",
        "Checked Security options",
        "Consumer Key",
    ] {
        accept(&mut s, prompt);
    }
    s.expect("Consumer Secret").unwrap();
    wait_for_echo_off(&s);
    s.send("\r").unwrap(); // empty: the demo's secret
    accept(&mut s, "Press Enter to open it");
    let out = rest(&mut s);
    assert!(out.contains("✓ Token exchange"), "{out}");
    assert!(out.contains("✓ Consumer secret exactly right"), "{out}");
    assert!(out.contains("✓ Tokens revoked"), "{out}");
    assert!(!out.contains('✗'), "{out}");
    assert_eq!(exit_code(&s), 0);
}

/// What a browser on another machine would end on: the authorize URL followed (the
/// simulated org signs the user in) up to the loopback callback, which is not fetched.
fn address_the_browser_ends_on(authorize_url: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut url = authorize_url.to_string();
        for _ in 0..10 {
            if url.starts_with("http://localhost:") {
                return url;
            }
            let resp = client
                .get(&url)
                .send()
                .await
                .expect("the simulated org answers");
            let next = resp.headers()["location"].to_str().unwrap().to_string();
            url = reqwest::Url::parse(&url)
                .unwrap()
                .join(&next)
                .unwrap()
                .to_string();
        }
        panic!("no redirect to the loopback callback");
    })
}

#[test]
fn paste_mode_takes_the_address_the_browser_ended_on() {
    // The proved credentials are then stored: that needs the private keyring.
    if !secret_service_session() {
        return;
    }
    let sandbox = Sandbox::new();
    let profile = format!("paste-{}", std::process::id());
    let org = SimOrg::with(|c| c.auto_approve = true);
    // The complete answers, but interactive, with the login proof in paste mode.
    let mut args = complete_flags(&org);
    args.retain(|a| a != "--non-interactive" && a != "--no-login");
    args.extend(["--login", "--paste", "--profile", &profile].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut s = spawn_with(&sandbox, &args, &[]);
    s.set_expect_timeout(Some(Duration::from_secs(30)));
    s.expect("API Name").unwrap(); // not given: asked, with the derived default
    s.send("\r").unwrap();
    s.expect("Enable OAuth box checked").unwrap();
    s.send("y").unwrap();
    s.expect("Consumer Secret").unwrap();
    wait_for_echo_off(&s);
    s.send(format!("{SECRET}\r")).unwrap();
    let found = s
        .expect(expectrl::Regex(
            r"http://127\.0\.0\.1:\d+/services/oauth2/authorize\?\S+",
        ))
        .unwrap();
    let authorize = String::from_utf8_lossy(found.get(0).unwrap()).into_owned();
    let landed = address_the_browser_ends_on(&authorize);
    s.expect("Paste that whole address").unwrap();
    s.send(format!("{landed}\r")).unwrap();
    // Stored: the hand-off is offered (declined here; tests/cli/handoff.rs covers it).
    let offered = s.expect("on the clipboard for Control Hub?").unwrap();
    let mut out = String::from_utf8_lossy(offered.before()).into_owned();
    s.send("n").unwrap();
    out.push_str(&rest(&mut s));
    assert!(out.contains("✓ Token exchange"), "{out}");
    assert!(!out.contains('✗'), "{out}");
    assert_eq!(exit_code(&s), 0);
    assert_eq!(org.sim.stats().live_refresh_tokens, 0, "tokens revoked");
    assert!(
        out.contains(&format!("Stored as profile `{profile}`")),
        "{out}"
    );
}

#[test]
fn ctrl_c_before_storing_leaves_the_earlier_entry_intact() {
    if !secret_service_session() {
        return;
    }
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let profile = format!("keep-{}", std::process::id());
    let lookup = || {
        std::process::Command::new("secret-tool")
            .args(["lookup", "service", "sf-webex-setup", "username", &profile])
            .output()
            .expect("secret-tool")
            .stdout
    };
    // An earlier entry, stored without the proof.
    let earlier = crate::support::assert_cmd(&sandbox)
        .args(complete_flags(&org))
        .args(["--skip-check", "--profile", &profile])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(
        earlier.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&earlier.stderr)
    );
    let before = lookup();
    assert!(!before.is_empty());
    // A new interactive run that would replace it (--force), cancelled at a prompt.
    let url = org.url();
    let mut s = spawn_with(
        &sandbox,
        &[
            "init",
            "--allow-custom-host",
            "--force",
            "--profile",
            &profile,
            "--login-url",
            &url,
        ],
        &[],
    );
    s.expect("External Client App Name").unwrap();
    s.send(expectrl::ControlCode::EndOfText).unwrap();
    let out = rest(&mut s);
    assert!(out.contains("Cancelled; nothing was written."), "{out}");
    assert_eq!(exit_code(&s), 130);
    assert_eq!(lookup(), before, "the earlier entry is untouched");
}
