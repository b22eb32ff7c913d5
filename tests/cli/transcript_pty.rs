//! What a person sees: `init --demo` driven in a real pseudo-terminal at 120 and at 60
//! columns, the bytes rendered by a terminal emulator (vt100), and the screen pinned as a
//! snapshot (ports, keys and the authorize URL's query redacted). Beside the snapshot, the
//! layout is asserted: no list row left behind by a redraw, no prose soft-wrapped by the
//! terminal (only a word longer than the line may overflow), one line per check.

use std::process::Command;
use std::time::Duration;

use expectrl::session::OsSession as Session;
use expectrl::Expect;

use crate::support::{Sandbox, WEBEX_CALLBACK};
use crate::wizard_pty::{spawn_sized, wait_for_echo_off};

const ROWS: u16 = 400;

/// A session whose every byte of output is kept, to render at the end.
struct Recorded {
    s: Session,
    raw: Vec<u8>,
    /// The child's HOME and config: kept until it has exited.
    _sandbox: Sandbox,
}

impl Recorded {
    fn start(args: &[&str], cols: u16) -> Recorded {
        Self::start_with(args, cols, &[])
    }

    /// Started with `unset` removed from the environment too (e.g. NO_COLOR).
    fn start_with(args: &[&str], cols: u16, unset: &[&str]) -> Recorded {
        let sandbox = Sandbox::new();
        let mut inner = sandbox.command();
        for var in unset {
            inner.env_remove(var);
        }
        // The demo signs in by itself only when no browser can be found.
        for var in ["BROWSER", "DISPLAY", "WAYLAND_DISPLAY"] {
            inner.env_remove(var);
        }
        let mut s = spawn_sized(&inner, args, cols, ROWS);
        s.set_expect_timeout(Some(Duration::from_secs(30)));
        Recorded {
            s,
            raw: Vec::new(),
            _sandbox: sandbox,
        }
    }

    fn expect(&mut self, needle: &str) {
        let found = self
            .s
            .expect(needle)
            .unwrap_or_else(|e| panic!("{needle:?}: {e}\n{}", String::from_utf8_lossy(&self.raw)));
        self.raw.extend_from_slice(found.as_bytes());
    }

    /// Waits for `prompt`, then types each key once the prompt reads the keyboard (raw
    /// mode, echo off), as a person would: keys typed ahead would be echoed by the tty.
    fn answer(&mut self, prompt: &str, keys: &[&str]) {
        self.expect(prompt);
        for key in keys {
            wait_for_echo_off(&self.s);
            self.s.send(key).unwrap();
        }
    }

    /// Everything until the child exits, rendered: one string per screen row, and the
    /// logical lines (rows the terminal soft-wrapped joined again).
    fn finish(mut self, cols: u16) -> Screen {
        let rest = self.s.expect(expectrl::Eof).expect("output until exit");
        self.raw.extend_from_slice(rest.as_bytes());
        let size = |n: u16| std::num::NonZeroU16::new(n).expect("a size");
        let mut parser = vt100::Parser::new(size(ROWS), size(cols), 0);
        parser.process(&self.raw);
        let screen = parser.screen();
        let rows: Vec<String> = screen.rows(0, cols).collect();
        let wrapped: Vec<bool> = (0..ROWS).map(|r| screen.row_wrapped(r)).collect();
        Screen {
            lines: screen.contents(),
            rows,
            wrapped,
            raw: String::from_utf8_lossy(&self.raw).into_owned(),
        }
    }
}

struct Screen {
    lines: String,
    rows: Vec<String>,
    /// Per row: the terminal continued it on the next row (soft wrap).
    wrapped: Vec<bool>,
    /// What the child wrote, escape sequences and all.
    raw: String,
}

/// The demo answered through every step: the defaults, one quoted email (refused, then the
/// default), the two callback lines, the scopes and options as ticked, the demo's secret.
fn demo_at(cols: u16) -> Screen {
    let mut r = demo_until_the_sign_in(cols, &[]);
    // A line read in cooked mode: echo stays on.
    r.expect("Press Enter to open it");
    r.s.send("\r").unwrap();
    r.finish(cols)
}

/// `init --demo ARGS` answered up to the sign-in.
fn demo_until_the_sign_in(cols: u16, args: &[&str]) -> Recorded {
    let args: Vec<&str> = ["init", "--demo"].iter().chain(args).copied().collect();
    let mut r = Recorded::start(&args, cols);
    r.answer("My Domain URL", &["\r"]);
    r.answer("External Client App Name", &["\r"]);
    r.answer("API Name", &["\r"]);
    r.answer("Contact Email", &["\"", "admin@acme.com\"\r"]);
    r.answer("remove the quotes", &[]);
    r.answer("Contact Email", &["\r"]);
    r.answer("Distribution State", &["\r"]);
    r.answer("Enable OAuth box checked", &["y"]);
    r.answer("Add the loopback line", &["y"]);
    r.expect("Callback URL line 1");
    let (webex, loopback) = (format!("{WEBEX_CALLBACK}\r"), loopback_line(&r.raw) + "\r");
    r.answer("", &["h", &webex[1..]]);
    r.answer("Next line", &["h", &loopback[1..]]);
    r.answer("Next line", &["\r"]);
    // The demo's app has the recipe's scopes; Setup ticks the Security boxes already.
    r.answer("Selected OAuth Scopes", &["\r"]);
    r.answer("Checked Security options", &["\r"]);
    r.answer("Consumer Key", &["\r"]);
    r.answer("Consumer Secret", &["\r"]);
    r
}

/// The loopback callback line the demo asks for (its port is chosen at start).
fn loopback_line(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let start = text
        .find("http://localhost:")
        .expect("the loopback line is shown");
    text[start..]
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap()
        .to_string()
}

fn redactions() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"authorize\?[^\s]+", "authorize?[query]");
    settings.add_filter(r"(127\.0\.0\.1|localhost)(:|%3A)\d+", "$1$2[port]");
    settings.add_filter(r"3MVG[A-Za-z0-9._]+…?", "[consumer key]");
    settings
}

/// What a terminal of `cols` columns must never show, whatever the text.
fn assert_fits(screen: &Screen, cols: u16) {
    // dialoguer redraws a list by counting rows: a row left over is a list item still on
    // screen after the list was answered.
    for row in &screen.rows {
        let t = row.trim_start_matches(['>', ' ']);
        assert!(
            !(t.starts_with("[ ] ") || t.starts_with("[x] ")),
            "a list row was left behind at {cols} columns: {row:?}\n{}",
            screen.lines
        );
    }
    // A row the terminal had to continue must end inside one word too long for any line
    // (a URL, a key); prose is wrapped at spaces before it gets there.
    for (i, row) in screen.rows.iter().enumerate() {
        if !screen.wrapped[i] {
            continue;
        }
        let next = screen.rows.get(i + 1).map(String::as_str).unwrap_or("");
        let word =
            row.rsplit(' ').next().unwrap_or("").to_string() + next.split(' ').next().unwrap_or("");
        assert!(
            word.chars().count() > usize::from(cols) / 2,
            "prose soft-wrapped by the terminal at {cols} columns, row {i}: {row:?} / {next:?}"
        );
    }
    // One line per check: a passing check is followed by the next check, not evidence.
    let report: Vec<&str> = screen
        .lines
        .lines()
        .skip_while(|l| *l != "OAuth check:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    let passed = report.iter().filter(|l| l.starts_with("  ✓ ")).count();
    let other = ["  ✗ ", "  ? ", "  - "];
    assert!(
        passed > 5
            && !report
                .iter()
                .any(|l| other.iter().any(|g| l.starts_with(g))),
        "every check passes:\n{}",
        report.join("\n")
    );
    assert!(
        report.iter().all(|l| !l.starts_with("      ")),
        "evidence under a passing check without --verbose:\n{}",
        report.join("\n")
    );
}

#[test]
fn the_demo_in_a_terminal_120_columns_wide_is_pinned() {
    let screen = demo_at(120);
    assert_fits(&screen, 120);
    redactions().bind(|| insta::assert_snapshot!("demo_at_120_columns", screen.lines));
}

#[test]
fn the_demo_in_a_terminal_60_columns_wide_is_pinned() {
    let screen = demo_at(60);
    assert_fits(&screen, 60);
    redactions().bind(|| insta::assert_snapshot!("demo_at_60_columns", screen.lines));
}

#[test]
fn with_no_browser_the_url_is_shown_without_press_enter_and_opening_it_finishes_the_check() {
    let mut r = demo_until_the_sign_in(100, &["--no-browser"]);
    r.expect("Open it in a browser on this computer");
    let text = String::from_utf8_lossy(&r.raw).into_owned();
    let start = text.find("http://127.0.0.1:").map(|i| &text[i..]).unwrap();
    let url = start
        .split_whitespace()
        .find(|w| w.contains("/services/oauth2/authorize?"))
        .expect("the authorize URL is shown");
    // The person opens it: the demo's admin is signed in already, so it is a redirect chain.
    let opened = Command::new("python3")
        .arg(crate::support::browser_script())
        .arg(url)
        .status()
        .expect("run the browser stand-in");
    assert!(opened.success());
    let screen = r.finish(100);
    assert!(!screen.lines.contains("Press Enter"), "{}", screen.lines);
    assert!(
        screen.lines.contains("✓ Tokens revoked"),
        "{}",
        screen.lines
    );
}

#[test]
fn an_answer_is_echoed_without_a_green_tick_before_it_is_checked_and_marks_are_coloured() {
    let mut r = Recorded::start_with(&["init", "--demo"], 100, &["NO_COLOR"]);
    r.answer("My Domain URL", &["\r"]);
    r.answer("External Client App Name", &["\r"]);
    r.answer("API Name", &["W", "ebex_\r"]);
    r.expect("Try:");
    r.answer("API Name", &["\x03"]);
    let screen = r.finish(100);
    assert!(
        !screen.lines.contains("✔ API Name"),
        "a refused answer was ticked first:\n{}",
        screen.lines
    );
    assert!(
        screen.lines.contains("› API Name · Webex_"),
        "{}",
        screen.lines
    );
    assert!(
        screen.raw.contains("\u{1b}[31m✗"),
        "the ✗ is red when colour is on: {:?}",
        screen.raw
    );
    assert!(screen.lines.contains("Cancelled; nothing was written."));
}
