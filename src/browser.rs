//! Opening the authorize URL in a browser: the seam ([`BrowserOpener`]) and the real opener
//! ([`SystemBrowser`]).
//!
//! `$BROWSER` wins (the convention shared by Python's `webbrowser`, `xdg-utils` and git):
//! `:`-separated (`;` on Windows) commands, each split like a shell command line
//! (`shell-words`), `%s` replaced by the URL (else the URL is appended), `%c` → `:`,
//! `%%` → `%`. The command runs
//! detached (own process group, so Ctrl-C in the terminal does not kill the browser; stdin,
//! stdout and stderr null; reaped on a background thread) and is never waited for. Without
//! `$BROWSER`, the `webbrowser` crate opens the desktop's default browser, but only when
//! there is a desktop: on a headless SSH session it could start a text browser (lynx, w3m)
//! on top of our countdown, so we report [`BrowserError::NoBrowser`] instead and the caller
//! offers paste mode. Interactive text browsers named in `$BROWSER` are refused the same way.

use std::process::{Command, Stdio};

/// Between the commands of `$BROWSER`: the PATH separator, as Python's `webbrowser` uses
/// (`;` on Windows, where `:` is part of a path).
const BROWSER_VAR_SEPARATOR: char = if cfg!(windows) { ';' } else { ':' };

/// Programs that need the terminal we are using for the countdown.
const TEXT_BROWSERS: [&str; 8] = [
    "lynx", "links", "links2", "elinks", "w3m", "eww", "netrik", "retawq",
];

/// Opens a URL. Tests substitute their own; the product uses [`SystemBrowser`].
pub trait BrowserOpener: Send + Sync {
    fn open(&self, url: &str) -> Result<(), BrowserError>;
}

/// Why no browser was opened. The URL is never part of the message (it is printed anyway).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BrowserError {
    /// No `$BROWSER`, no desktop session (SSH, container, WSL without `wslview`).
    #[error("no browser can be opened from here (no $BROWSER and no desktop session)")]
    NoBrowser,
    /// `$BROWSER` is set but none of its commands could be started.
    #[error("$BROWSER is set but could not be started: {0}")]
    BrowserVar(String),
    /// The desktop's opener (xdg-open, open, start) failed.
    #[error("the system browser could not be opened: {0}")]
    System(String),
}

impl BrowserError {
    /// The exact fix, for the caller's message.
    pub fn fix(&self) -> &'static str {
        match self {
            BrowserError::BrowserVar(_) => {
                "fix $BROWSER (a command that takes the URL, e.g. BROWSER=firefox), or open the printed URL yourself and use --paste"
            }
            _ => "open the printed URL in any browser, then paste the address it ends on (--paste), or set $BROWSER",
        }
    }
}

/// `--no-browser`: the URL is printed and nothing is opened, so the proof offers paste mode.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoBrowser;

impl BrowserOpener for NoBrowser {
    fn open(&self, _url: &str) -> Result<(), BrowserError> {
        Err(BrowserError::NoBrowser)
    }
}

/// The real browser: `$BROWSER`, else the desktop default via the `webbrowser` crate.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemBrowser;

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &str) -> Result<(), BrowserError> {
        match browser_var() {
            Some(var) => open_with_browser_var(&var, url),
            None if desktop_available() => {
                let options = webbrowser::BrowserOptions::new()
                    .with_suppress_output(true)
                    .clone();
                webbrowser::open_browser_with_options(webbrowser::Browser::Default, url, &options)
                    .map_err(|e| BrowserError::System(e.to_string()))
            }
            None => Err(BrowserError::NoBrowser),
        }
    }
}

/// Best effort: `true` when `$BROWSER` names a command that exists, or a desktop session is
/// present. Used to offer paste mode automatically.
pub fn browser_available() -> bool {
    match browser_var() {
        Some(var) => browser_var_usable(&var),
        None => desktop_available(),
    }
}

/// Whether a `$BROWSER` value names at least one command that exists and is not a text
/// browser. Takes the value rather than reading the environment, so it can be tested
/// without mutating the process-wide environment.
pub fn browser_var_usable(var: &str) -> bool {
    var.split(BROWSER_VAR_SEPARATOR)
        .filter_map(command_line)
        .any(|words| {
            words
                .first()
                .is_some_and(|program| !is_text_browser(program) && program_exists(program))
        })
}

fn browser_var() -> Option<String> {
    std::env::var("BROWSER")
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// A desktop the `webbrowser` crate can open a window on.
fn desktop_available() -> bool {
    if cfg!(any(target_os = "macos", windows)) {
        // macOS `open` and Windows `start` work even over SSH into a logged-in desktop;
        // webbrowser reports failure if not.
        return true;
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    set("DISPLAY") || set("WAYLAND_DISPLAY") || (is_wsl() && program_exists("wslview"))
}

fn is_wsl() -> bool {
    cfg!(target_os = "linux")
        && std::fs::read_to_string("/proc/sys/fs/binfmt_misc/WSLInterop")
            .is_ok_and(|s| s.contains("enabled"))
}

fn command_line(entry: &str) -> Option<Vec<String>> {
    let words = shell_words::split(entry.trim()).ok()?;
    (!words.is_empty()).then_some(words)
}

fn is_text_browser(program: &str) -> bool {
    let name = std::path::Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(program);
    TEXT_BROWSERS.contains(&name)
}

fn program_exists(program: &str) -> bool {
    let path = std::path::Path::new(program);
    if path.components().count() > 1 {
        return path.is_file();
    }
    // Windows finds `firefox` as firefox.exe.
    let exe = format!("{program}.exe");
    std::env::var_os("PATH").is_some_and(|dirs| {
        std::env::split_paths(&dirs)
            .any(|d| d.join(program).is_file() || (cfg!(windows) && d.join(&exe).is_file()))
    })
}

/// Expands `%s`, `%c`, `%%` in one left-to-right pass (so a `%` inside the URL is never
/// read as a field code). Returns whether `%s` occurred.
fn expand(word: &str, url: &str) -> (String, bool) {
    let mut out = String::with_capacity(word.len());
    let mut used = false;
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('s') => {
                out.push_str(url);
                used = true;
            }
            Some('c') => out.push(':'),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    (out, used)
}

/// Tries each `:`-separated command of a `$BROWSER` value in turn; the first that starts
/// wins. [`SystemBrowser`] passes the environment's value; tests pass their own.
pub fn open_with_browser_var(var: &str, url: &str) -> Result<(), BrowserError> {
    let mut problems = Vec::new();
    for entry in var
        .split(BROWSER_VAR_SEPARATOR)
        .filter(|e| !e.trim().is_empty())
    {
        let Some(words) = command_line(entry) else {
            problems.push(format!(
                "`{}` is not a valid command line (unbalanced quotes)",
                entry.trim()
            ));
            continue;
        };
        let (program, args) = match words.split_first() {
            Some(split) => split,
            None => continue,
        };
        if is_text_browser(program) {
            problems.push(format!(
                "{program} is a text browser and needs this terminal"
            ));
            continue;
        }
        let mut url_used = false;
        let mut argv: Vec<String> = args
            .iter()
            .map(|a| {
                let (expanded, used) = expand(a, url);
                url_used |= used;
                expanded
            })
            .collect();
        if !url_used {
            argv.push(url.to_owned());
        }
        match spawn_detached(program, &argv) {
            Ok(()) => return Ok(()),
            Err(e) => problems.push(format!("{program}: {e}")),
        }
    }
    Err(BrowserError::BrowserVar(problems.join("; ")))
}

fn spawn_detached(program: &str, args: &[String]) -> std::io::Result<()> {
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Its own process group: Ctrl-C aimed at us does not reach the browser.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
        command.creation_flags(CREATE_NEW_PROCESS_GROUP);
    }
    let mut child = command.spawn()?;
    // Reap it whenever it exits, without making the caller wait (no zombie left behind).
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_s_is_replaced_once_and_a_percent_in_the_url_is_left_alone() {
        let (out, used) = expand("--url=%s%%", "http://x/?a=%73");
        assert!(used);
        assert_eq!(out, "--url=http://x/?a=%73%");
        assert_eq!(expand("%c", "u"), (":".to_owned(), false));
    }

    #[test]
    fn text_browsers_are_recognised_by_file_name() {
        assert!(is_text_browser("/usr/bin/lynx"));
        assert!(is_text_browser("w3m"));
        assert!(!is_text_browser("/usr/bin/curl"));
    }

    #[test]
    fn an_unstartable_browser_var_reports_each_command() {
        let var = format!("/nonexistent/a{BROWSER_VAR_SEPARATOR}lynx");
        let err = open_with_browser_var(&var, "http://x").unwrap_err();
        let BrowserError::BrowserVar(msg) = err else {
            panic!("{err:?}")
        };
        assert!(msg.contains("/nonexistent/a"), "{msg}");
        assert!(msg.contains("lynx is a text browser"), "{msg}");
        assert!(!msg.contains("http://x"), "{msg}");
    }
}
