//! The wizard in a real pseudo-terminal, driving the built binary like a person would:
//! a full good run, a run with wrong answers then fixes, and Ctrl-C.
//!
//! dialoguer's hidden prompt discards what is typed before it turns echo off, so the child
//! starts with echo on (`stty echo`) and the test waits until echo is off before typing the
//! secret; no sleeps.

use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession as Session;
use expectrl::{ControlCode, Expect};

use crate::support::{Sandbox, SimOrg, KEY, SECRET, WEBEX_CALLBACK};

pub(crate) const DOWN: &str = "\x1b[B";

fn spawn(sandbox: &Sandbox, args: &[&str]) -> Session {
    spawn_with(sandbox, args, &[])
}

/// Starts the binary in a pseudo-terminal with echo on, plus `env`. The terminal is wide,
/// so a phrase is never split by wrapping (tests/cli/transcript_pty.rs checks narrow ones).
pub(crate) fn spawn_with(sandbox: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> Session {
    let mut inner = sandbox.command();
    inner.envs(env.iter().copied());
    let mut s = spawn_sized(&inner, args, 200, 60);
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s
}

/// `inner`'s program and environment with `args`, in a `cols`×`rows` pseudo-terminal.
pub(crate) fn spawn_sized(inner: &Command, args: &[&str], cols: u16, rows: u16) -> Session {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#"stty echo && exec "$0" "$@""#)
        .arg(inner.get_program())
        .args(args);
    for (k, v) in inner.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let mut s = Session::spawn(cmd).expect("spawn in a pty");
    s.get_process_mut()
        .set_window_size(cols, rows)
        .expect("size the pty");
    s
}

/// Waits (bounded) until the child has turned echo off, i.e. the hidden prompt is reading.
pub(crate) fn wait_for_echo_off(s: &Session) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while s.get_process().get_echo().expect("read echo flag") {
        assert!(
            Instant::now() < deadline,
            "the hidden prompt never turned echo off"
        );
        std::thread::yield_now();
    }
}

pub(crate) fn exit_code(s: &Session) -> i32 {
    match s.get_process().wait().expect("wait for the child") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("child did not exit normally: {other:?}"),
    }
}

/// Answers every step correctly from the org's URL onwards, secret included.
fn answer_good_steps(s: &mut Session) {
    answer_good_steps_until_secret(s);
    wait_for_echo_off(s);
    s.send(format!("{SECRET}\r")).unwrap();
}

pub(crate) fn tick_first_three(s: &mut Session, prompt: &str) {
    s.expect(prompt).unwrap();
    s.send(format!(" {DOWN} {DOWN} \r")).unwrap();
}

/// Enter at `prompt`: accepts what is shown (a default, or the boxes already ticked).
pub(crate) fn accept(s: &mut Session, prompt: &str) {
    s.expect(prompt).unwrap();
    s.send("\r").unwrap();
}

/// Starts `init --no-login` against `org` and answers "which org" with its URL.
fn start_past_the_org(sandbox: &Sandbox, org: &SimOrg) -> Session {
    let mut s = spawn(sandbox, &["init", "--no-login", "--allow-custom-host"]);
    s.expect("Which org").unwrap();
    s.send("\r").unwrap(); // My Domain (the recommended first choice)
    s.expect("My Domain URL").unwrap();
    s.send(format!("{}\r", org.url())).unwrap();
    s
}

/// Everything the child printed until it exited.
pub(crate) fn rest(s: &mut Session) -> String {
    let out = s.expect(expectrl::Eof).expect("child output until exit");
    String::from_utf8_lossy(out.as_bytes()).into_owned()
}

#[test]
fn a_full_good_run_in_a_terminal_ends_with_the_summary_and_exit_0() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let mut s = start_past_the_org(&sandbox, &org);
    answer_good_steps(&mut s);
    let out = rest(&mut s);
    assert!(
        out.contains("External Client App \"Webex Integration\" (API Name Webex_Integration)"),
        "{out}"
    );
    assert!(out.contains(KEY), "the summary shows the key: {out}");
    assert!(!out.contains(SECRET), "the secret must never be on screen");
    // --no-login: checked, not stored, and no hand-off as if it were.
    assert!(
        out.contains("Checked, not stored") && !out.contains("Next, enter the Consumer Key"),
        "{out}"
    );
    assert_eq!(exit_code(&s), 0);
}

#[test]
fn an_app_refused_as_not_yet_propagated_is_waited_for_in_place_when_the_admin_agrees() {
    let sandbox = Sandbox::new();
    let org = SimOrg::with(|c| c.propagates_after = Some(Duration::from_millis(1500)));
    let mut s = spawn(
        &sandbox,
        &[
            "init",
            "--no-login",
            "--allow-custom-host",
            "--propagation-poll",
            "300ms",
        ],
    );
    s.expect("Which org").unwrap();
    s.send("\r").unwrap();
    s.expect("My Domain URL").unwrap();
    s.send(format!("{}\r", org.url())).unwrap();
    answer_good_steps(&mut s);
    s.expect("to reach every Salesforce server").unwrap();
    s.expect("Wait for it here (re-checked every 300ms, up to 15m;")
        .unwrap();
    s.send("y").unwrap();
    s.expect("still refused").unwrap();
    s.expect("reached Salesforce's servers").unwrap();
    let out = rest(&mut s);
    assert!(
        out.contains("✓ Consumer key known and callback registered"),
        "{out}"
    );
    assert!(!out.contains(SECRET));
    assert_eq!(exit_code(&s), 0);
}

#[test]
fn wrong_answers_are_explained_and_asked_again_in_a_terminal() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let mut s = spawn(&sandbox, &["init", "--no-login", "--allow-custom-host"]);
    s.expect("Which org").unwrap();
    s.send("\r").unwrap();
    s.expect("My Domain URL").unwrap();
    s.send("https://acme.lightning.force.com\r").unwrap();
    s.expect("use https://acme.my.salesforce.com instead")
        .unwrap(); // the fix, name filled in
    s.expect("My Domain URL").unwrap();
    s.send(format!("{}\r", org.url())).unwrap();
    s.expect("External Client App Name").unwrap();
    s.send("Webex\r").unwrap();
    s.expect("API Name").unwrap();
    s.send("Webex_\r").unwrap();
    s.expect("Try:").unwrap();
    s.expect("API Name").unwrap();
    s.send("Webex\r").unwrap();
    s.expect("Contact Email").unwrap();
    s.send("admin@acme.com\r").unwrap();
    s.expect("Distribution State").unwrap();
    s.send(format!("{DOWN}\r")).unwrap(); // Packaged: refused
    s.expect("Local").unwrap();
    s.expect("Distribution State").unwrap();
    s.send("\r").unwrap();
    s.expect("Enable OAuth box checked").unwrap();
    s.send("y").unwrap();
    s.expect("Callback URL line 1").unwrap();
    s.send(format!("{WEBEX_CALLBACK}/\r")).unwrap(); // trailing slash
    s.expect("Next line").unwrap();
    s.send("\r").unwrap();
    s.expect("Try:").unwrap();
    s.expect("Callback URL line 1").unwrap();
    s.send(format!("{WEBEX_CALLBACK}\r")).unwrap();
    s.expect("Next line").unwrap();
    s.send("\r").unwrap();
    s.expect("Selected OAuth Scopes").unwrap();
    s.send(format!(" {DOWN} \r")).unwrap(); // api and web only
    s.expect("Perform requests at any time (refresh_token, offline_access)")
        .unwrap();
    // Asked again with api and web still ticked: tick the third.
    s.expect("Selected OAuth Scopes").unwrap();
    s.send(format!("{DOWN}{DOWN} \r")).unwrap();
    // Setup's form has the Security boxes ticked already, and so does the question.
    accept(&mut s, "Checked Security options");
    s.expect("Consumer Key").unwrap();
    s.send(format!("{KEY}\r")).unwrap();
    s.expect("Consumer Secret").unwrap();
    wait_for_echo_off(&s);
    s.send(format!("{KEY}\r")).unwrap(); // the key pasted as the secret
    s.expect("Try:").unwrap();
    s.expect("Consumer Secret").unwrap();
    wait_for_echo_off(&s);
    s.send(format!("{SECRET}\r")).unwrap();
    let out = rest(&mut s);
    assert!(out.contains("API Name Webex)"), "{out}");
    assert!(!out.contains(SECRET));
    assert_eq!(exit_code(&s), 0);
}

#[test]
fn ctrl_c_or_esc_at_a_text_prompt_exits_130_and_writes_nothing() {
    for (key, cancel) in [("Ctrl-C", "\x03"), ("Esc", "\x1b")] {
        let (sandbox, org) = (Sandbox::new(), SimOrg::start());
        let mut s = start_past_the_org(&sandbox, &org);
        s.expect("External Client App Name").unwrap();
        s.send(cancel).unwrap();
        let out = rest(&mut s);
        assert!(
            out.contains("Cancelled; nothing was written."),
            "{key}: {out}"
        );
        assert_eq!(exit_code(&s), 130, "{key}");
        assert!(
            !sandbox.config_dir().exists(),
            "{key}: nothing may be written on cancel"
        );
    }
}

#[test]
fn ctrl_c_at_the_hidden_prompt_restores_echo_and_exits_130() {
    let sandbox = Sandbox::new();
    let org = SimOrg::start();
    let mut s = start_past_the_org(&sandbox, &org);
    answer_good_steps_until_secret(&mut s);
    wait_for_echo_off(&s);
    s.send(ControlCode::EndOfText).unwrap();
    let out = rest(&mut s);
    assert!(out.contains("Cancelled; nothing was written."), "{out}");
    assert_eq!(exit_code(&s), 130);
    // The terminal is left as it was found: echo back on.
    assert!(
        s.get_process().get_echo().expect("read echo flag"),
        "echo left off after Ctrl-C"
    );
}

/// Answers every step correctly up to the hidden secret prompt (app name "Webex Integration").
fn answer_good_steps_until_secret(s: &mut Session) {
    s.expect("External Client App Name").unwrap();
    s.send("Webex Integration\r").unwrap();
    s.expect("API Name").unwrap();
    s.send("\r").unwrap();
    s.expect("Contact Email").unwrap();
    s.send("admin@acme.com\r").unwrap();
    s.expect("Distribution State").unwrap();
    s.send("\r").unwrap();
    s.expect("Enable OAuth box checked").unwrap();
    s.send("y").unwrap();
    s.expect("Callback URL line 1").unwrap();
    s.send(format!("{WEBEX_CALLBACK}\r")).unwrap();
    s.expect("Next line").unwrap();
    s.send("\r").unwrap();
    tick_first_three(s, "Selected OAuth Scopes");
    accept(s, "Checked Security options");
    s.expect("Consumer Key").unwrap();
    s.send(format!("{KEY}\r")).unwrap();
    s.expect("Consumer Secret").unwrap();
}
