//! One line against the Webex callback URL: takes the line apart with the `url` crate and
//! compares the raw text, so each near miss (scheme, host, port, query, path, case) gets
//! its own sentence. `callback` owns the box; this owns the single-line diagnosis.

use url::Url;

use super::{enter_webex, is_wrapper};

/// Zero-width and soft-hyphen characters: invisible in the box, but part of the URL.
const INVISIBLE: &[char] = &[
    '\u{00AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{2060}', '\u{FEFF}',
];
use crate::recipe::WEBEX_CALLBACK_URL;
use crate::text::hidden_written_out;
use crate::validate::Problem;

/// Names what surrounds `core` in `line`: spaces and/or the quote characters.
pub(super) fn describe_wrapper(line: &str, core: &str) -> Option<String> {
    let start = line.len() - line.trim_start_matches(is_wrapper).len();
    let around: String = line[..start]
        .chars()
        .chain(line[start + core.len()..].chars())
        .collect();
    if around.is_empty() {
        return None;
    }
    let mut quotes: Vec<char> = around.chars().filter(|c| !c.is_whitespace()).collect();
    quotes.dedup();
    let spaces = around.chars().any(char::is_whitespace).then_some("spaces");
    let quotes = (!quotes.is_empty()).then(|| {
        let list: Vec<String> = quotes.iter().map(|c| c.to_string()).collect();
        format!("quotes or brackets ({})", list.join(" "))
    });
    Some(
        spaces
            .into_iter()
            .map(str::to_string)
            .chain(quotes)
            .collect::<Vec<_>>()
            .join(" and "),
    )
}

/// The line must be a single URL: not several, not words, not a bare host.
pub(super) fn one_url(core: &str) -> Result<Url, Problem> {
    let parts: Vec<&str> = core
        .split([',', ';', ' ', '\t', '\r'])
        .filter(|p| !p.is_empty())
        .collect();
    // (`parts.len() > 1` is implied by two parts holding "://"; it only spares the count.)
    if parts.len() > 1 && parts.iter().filter(|p| p.contains("://")).count() > 1 {
        return Err(Problem::new(
            "The line holds several URLs (separated by commas or spaces); Salesforce wants one URL per line.",
            format!("put each URL on its own line, with {WEBEX_CALLBACK_URL} alone on one"),
        ));
    }
    if core.contains(char::is_whitespace) {
        return Err(Problem::new(
            "The line has a space inside the URL.",
            enter_webex(),
        ));
    }
    Url::parse(core).map_err(|_| {
        if Url::parse(&format!("https://{core}")).is_ok() && core.contains('/') {
            Problem::new(
                "The line has no scheme: it must start with https://.",
                enter_webex(),
            )
        } else {
            Problem::new(
                format!("The line {} is not a URL.", crate::text::quoted_input(core)),
                enter_webex(),
            )
        }
    })
}

pub(super) fn diagnose_core(core: &str) -> Problem {
    let fix = enter_webex();
    // Copies from web pages and chats can carry characters that show as nothing at all.
    if let Some((at, c)) = core.char_indices().find(|(_, c)| INVISIBLE.contains(c)) {
        return Problem::new(
            format!(
                "The line contains an invisible character (U+{:04X}) after {:?}; it comes from copying a web page or chat.",
                u32::from(c),
                &core[..at]
            ),
            fix,
        );
    }
    let url = match one_url(core) {
        Ok(url) => url,
        Err(p) => return p,
    };
    let Ok(want) = Url::parse(WEBEX_CALLBACK_URL) else {
        return Problem::new("The line is not the Webex callback URL.", fix);
    };
    let says = |what: String| Problem::new(what, enter_webex());
    if url.scheme() != want.scheme() {
        return if url.scheme() == "http" {
            says("The line uses http instead of https.".into())
        } else {
            says(format!(
                "The line uses the scheme {}: instead of https:.",
                url.scheme()
            ))
        };
    }
    if !url.username().is_empty() || url.password().is_some() {
        return says("The line has a user name (…@) before the host.".into());
    }
    let (got_host, want_host) = (
        url.host_str().unwrap_or_default(),
        want.host_str().unwrap_or_default(),
    );
    if got_host != want_host {
        return says(diagnose_host(got_host, want_host));
    }
    // In an https URL a backslash ends the host as a slash does (the url crate's reading).
    let authority = core
        .split_once("://")
        .and_then(|(_, rest)| rest.split(['/', '\\', '?', '#']).next())
        .unwrap_or("");
    if let Some((_, port)) = authority.rsplit_once(':') {
        let port = hidden_written_out(port);
        return says(format!("The line names a port (:{port}); the Webex URL has none and callbacks are compared exactly."));
    }
    if let Some(q) = url.query() {
        return says(format!(
            "The line has a query (?{q}) after the file name; the Webex URL has none."
        ));
    }
    if let Some(f) = url.fragment() {
        return says(format!(
            "The line has a fragment (#{f}) after the file name; the Webex URL has none."
        ));
    }
    if let Some(why) = diagnose_path(url.path(), want.path()) {
        return says(why);
    }
    if core.eq_ignore_ascii_case(WEBEX_CALLBACK_URL) {
        return says("The line differs only in letter case in the scheme or host; callbacks are compared exactly.".into());
    }
    let at = core
        .chars()
        .zip(WEBEX_CALLBACK_URL.chars())
        .take_while(|(a, b)| a == b)
        .count()
        + 1;
    says(format!("The line differs from the Webex URL from character {at} on (percent-encoding or invisible characters?)."))
}

fn diagnose_host(got: &str, want: &str) -> String {
    let want_domain = want.split_once('.').map_or(want, |(_, d)| d);
    if got.split('.').any(|label| label.starts_with("xn--")) {
        // url turned non-ASCII letters into punycode: a homoglyph such as a Cyrillic "е".
        format!("The host contains non-ASCII look-alike letters (it is really {got}); type {want} by hand.")
    } else if got.strip_suffix('.') == Some(want) {
        format!("The host {got} ends with a dot; the Webex URL's host is {want}.")
    } else if strsim::levenshtein(got, want) <= 2 {
        format!("The host {got} is a misspelling of {want} (a look-alike, not Webex's page).")
    } else if got == want_domain || got.ends_with(&format!(".{want_domain}")) {
        format!("The host {got} is a different Webex host; Webex's callback page is on {want}.")
    } else if got.starts_with(want) || got.starts_with(want_domain) {
        format!("The host {got} only starts like {want}; it is a different domain (a look-alike).")
    } else {
        format!("The host is {got}, not {want}.")
    }
}

/// Compares the raw path with the Webex path, most specific diagnosis first.
fn diagnose_path(got: &str, want: &str) -> Option<String> {
    if got == want {
        return None;
    }
    let want_file = want.rsplit('/').next().unwrap_or(want);
    if let Some(extra) = got.strip_prefix(want) {
        return Some(if extra == "/" {
            format!("The line ends with a slash after {want_file}; the Webex URL does not.")
        } else {
            format!("The line has extra characters {extra:?} after {want_file}.")
        });
    }
    let base = got.trim_end_matches('/');
    let slash = if base.len() < got.len() {
        " It also ends with a slash, which the Webex URL does not."
    } else {
        ""
    };
    let segs = |p: &str| {
        p.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (g, w) = (segs(base), segs(want));
    if base.eq_ignore_ascii_case(want) {
        let diffs: Vec<String> = g
            .iter()
            .zip(&w)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("{a:?} should be {b:?}"))
            .collect();
        return Some(format!(
            "The path's letter case differs ({}); callbacks are compared exactly.{slash}",
            diffs.join(", ")
        ));
    }
    let lower = |v: &[String]| v.iter().map(|s| s.to_ascii_lowercase()).collect::<Vec<_>>();
    let (gl, wl) = (lower(&g), lower(&w));
    if g.is_empty() {
        return Some(format!("The line has no path; it must end in {want}."));
    }
    if gl.len() < wl.len() && is_subsequence(&gl, &wl) {
        let missing: Vec<String> = w
            .iter()
            .filter(|s| !gl.contains(&s.to_ascii_lowercase()))
            .map(|s| format!("/{s}"))
            .collect();
        return Some(format!(
            "The path is missing the segment {}; it must be {want}.{slash}",
            missing.join(", ")
        ));
    }
    if gl.len() > wl.len() && is_subsequence(&wl, &gl) {
        let extra: Vec<String> = g
            .iter()
            .filter(|s| !wl.contains(&s.to_ascii_lowercase()))
            .map(|s| format!("/{s}"))
            .collect();
        return Some(format!(
            "The path has an extra segment {}; it must be {want}.{slash}",
            extra.join(", ")
        ));
    }
    if gl.len() == wl.len() {
        if let Some(i) = (0..gl.len()).find(|&i| gl[i] != wl[i]) {
            let what = if i + 1 == g.len() {
                "file name"
            } else {
                "folder"
            };
            return Some(format!("The {what} is {:?}, not {:?}.{slash}", g[i], w[i]));
        }
    }
    Some(format!("The path is {got}, not {want}."))
}

fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}
