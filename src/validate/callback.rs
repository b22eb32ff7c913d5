//! The Callback URL box (seed step 5): it must hold the Webex URL byte for byte, may hold a
//! loopback line for the OAuth check, and every near miss gets its own diagnosis.
//!
//! Salesforce compares `redirect_uri` with each line exactly, so the diagnoses look at the
//! raw text: the `url` crate is used to take a line apart, but it normalises (lowercases
//! the host, drops `:443`, adds `/`), so case, slash and port questions are asked of the
//! raw line.

use url::Url;

use crate::recipe::{self, location, CALLBACK_FIELD_MAX_CHARS, WEBEX_CALLBACK_URL};
use crate::salesforce::hosts::is_loopback_host;
use crate::validate::Problem;

mod diagnose;

use diagnose::{describe_wrapper, diagnose_core, one_url};

/// The box, accepted: its non-blank lines in order, the loopback line the OAuth check can
/// use (if any), and non-fatal remarks for the admin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackField {
    pub urls: Vec<String>,
    pub loopback: Option<String>,
    pub notes: Vec<String>,
}

/// Characters a copy from a document or chat tends to wrap a URL in.
const WRAPPERS: &[char] = &['"', '\'', '`', '<', '>', '“', '”', '‘', '’', '«', '»'];

/// Levenshtein distance under which an extra line counts as a mistyped Webex URL.
const NEAR_MISS: usize = 8;

/// The whole Callback URL box as pasted (lines separated by \n or \r\n; blank lines ignored).
/// Ok only if one line equals the Webex URL exactly.
pub fn callback_field(input: &str) -> Result<CallbackField, Problem> {
    let urls: Vec<String> = input
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    if urls.is_empty() {
        return Err(Problem::new(
            "The Callback URL box is empty.",
            enter_webex(),
        ));
    }
    let chars = box_chars(&urls);
    if chars > CALLBACK_FIELD_MAX_CHARS {
        return Err(Problem::new(
            format!(
                "The Callback URL box holds {chars} characters (each line break counted as 2); Salesforce allows {CALLBACK_FIELD_MAX_CHARS} in all."
            ),
            format!("remove lines you do not need: keep {WEBEX_CALLBACK_URL} and, for the OAuth check, the loopback line"),
        ));
    }
    let webex_lines = urls.iter().filter(|u| *u == WEBEX_CALLBACK_URL).count();
    if webex_lines == 0 {
        return Err(missing_webex(&urls));
    }
    let mut notes = Vec::new();
    if webex_lines > 1 {
        notes.push(format!(
            "The Webex URL is listed {webex_lines} times; once is enough."
        ));
    }
    let mut loopback: Option<String> = None;
    for (i, line) in urls
        .iter()
        .enumerate()
        .filter(|(_, l)| *l != WEBEX_CALLBACK_URL)
    {
        let n = i + 1;
        if is_loopback_callback(line) {
            notes.extend(loopback_note(n, line, loopback.as_deref()));
            loopback.get_or_insert_with(|| line.clone());
            continue;
        }
        // A line that is not one URL would stop Salesforce saving the box: fatal.
        if let Err(p) = one_url(line.trim_matches(is_wrapper)) {
            return Err(Problem::new(format!("Line {n}: {}", p.message), p.fix));
        }
        notes.push(other_line_note(n, line));
    }
    Ok(CallbackField {
        urls,
        loopback,
        notes,
    })
}

/// A note on loopback line `n`: a second one, or a first one on 127.0.0.1.
fn loopback_note(n: usize, line: &str, first: Option<&str>) -> Option<String> {
    match first {
        Some(first) => Some(format!(
            "Line {n} is a second loopback callback; the OAuth check uses the first ({first})."
        )),
        None if line.starts_with("http://127.0.0.1:") => Some(format!(
            "Line {n} uses 127.0.0.1; whether Salesforce accepts it is unconfirmed (its own CLI uses localhost). If the OAuth check fails with redirect_uri_mismatch, use {} instead.",
            recipe::loopback_callback_url(recipe::DEFAULT_LOOPBACK_PORT)
        )),
        None => None,
    }
}

/// What to say about line `n`, a URL that is neither the Webex URL nor usable loopback.
fn other_line_note(n: usize, line: &str) -> String {
    // The line is shown whole, but nothing in it may act on the terminal.
    let shown = crate::text::hidden_written_out(line);
    if let Some(trouble) = loopback_trouble(line) {
        format!("Line {n} ({shown}) cannot serve the OAuth check: {trouble}")
    } else if closeness(line) <= NEAR_MISS {
        let why = diagnose_webex_line(line)
            .map(|p| p.message)
            .unwrap_or_default();
        format!(
            "Line {n} ({shown}) looks like a mistyped copy of the Webex URL ({why}); the correct line is there, so just delete it."
        )
    } else {
        format!(
            "Line {n} ({shown}) is not used by Webex; Salesforce will send authorization codes there too, so keep it only if you trust it."
        )
    }
}

/// Why one line is not the Webex URL (None if it is exactly it).
pub fn diagnose_webex_line(line: &str) -> Option<Problem> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line == WEBEX_CALLBACK_URL {
        return None;
    }
    let core = line.trim_matches(is_wrapper);
    if core.is_empty() {
        return Some(Problem::new("The line holds no URL.", enter_webex()));
    }
    let wrapper = describe_wrapper(line, core);
    if core == WEBEX_CALLBACK_URL {
        let what = wrapper.unwrap_or_default();
        return Some(Problem::new(
            format!("The line has {what} around the URL; the Salesforce box keeps them and callbacks are compared exactly, so it would not match."),
            format!("delete them: the line must be exactly {WEBEX_CALLBACK_URL}"),
        ));
    }
    let mut problem = diagnose_core(core);
    if let Some(what) = wrapper {
        problem.message.push_str(&format!(
            " It also has {what} around it, which the box would keep."
        ));
    }
    Some(problem)
}

/// `http://localhost:PORT/PATH` or `http://127.0.0.1:PORT/PATH`, exactly as the OAuth check
/// sends it as `redirect_uri` (explicit port, no query, nothing the url crate would rewrite).
pub fn is_loopback_callback(url: &str) -> bool {
    if !(url.starts_with("http://localhost:") || url.starts_with("http://127.0.0.1:")) {
        return false;
    }
    Url::parse(url).is_ok_and(|u| {
        u.as_str() == url
            && u.port().is_some()
            && u.query().is_none()
            && u.fragment().is_none()
            && u.username().is_empty()
    })
}

fn enter_webex() -> String {
    format!(
        "enter exactly {WEBEX_CALLBACK_URL} on a line of its own ({})",
        location::CALLBACK
    )
}

fn is_wrapper(c: char) -> bool {
    c.is_whitespace() || WRAPPERS.contains(&c)
}

/// Salesforce's count is assumed to be the box as a browser submits it: the lines joined
/// by CRLF, so each line break counts 2. That is the strictest plausible count, so a box we
/// accept cannot exceed the limit however Salesforce counts. Blank lines carry nothing and
/// are not counted (the admin can drop them).
fn box_chars(lines: &[String]) -> usize {
    let text: usize = lines.iter().map(|l| l.chars().count()).sum();
    text + 2 * lines.len().saturating_sub(1)
}

/// How unlike the Webex URL a line is: 0 when it contains it (ignoring case), else the edit
/// distance. Used to pick the line to diagnose and to spot near misses.
fn closeness(line: &str) -> usize {
    let line = line.to_lowercase();
    let webex = WEBEX_CALLBACK_URL.to_lowercase();
    if line.contains(&webex) {
        0
    } else {
        strsim::levenshtein(&line, &webex)
    }
}

fn missing_webex(urls: &[String]) -> Problem {
    let candidates: Vec<(usize, &String)> = urls
        .iter()
        .enumerate()
        .filter(|(_, l)| !is_loopback_callback(l))
        .collect();
    let Some((i, closest)) = candidates.iter().min_by_key(|(_, l)| closeness(l)) else {
        return Problem::new(
            "The box holds only the loopback line; the Webex callback URL is missing.",
            format!("add {WEBEX_CALLBACK_URL} as its own line"),
        );
    };
    let Some(p) = diagnose_webex_line(closest) else {
        return Problem::new("The Webex callback URL is missing.", enter_webex());
    };
    if urls.len() == 1 {
        return p;
    }
    Problem::new(
        format!(
            "None of the {} lines is the Webex callback URL. Closest is line {}: {}",
            urls.len(),
            i + 1,
            p.message
        ),
        p.fix,
    )
}

/// Why a loopback-looking line cannot serve the OAuth check (None if not loopback at all).
fn loopback_trouble(line: &str) -> Option<String> {
    let url = Url::parse(line.trim()).ok()?;
    if !is_loopback_host(url.host_str()?) {
        return None;
    }
    let example = recipe::loopback_callback_url(recipe::DEFAULT_LOOPBACK_PORT);
    let why = if url.scheme() == "https" {
        "it uses https, but the check's local listener speaks plain http (as Salesforce's own CLI does)"
    } else if url.port().is_none() {
        "it has no port; the check listens on an explicit port"
    } else if !matches!(url.host_str(), Some("localhost" | "127.0.0.1")) {
        "the check's listener is reached as localhost or 127.0.0.1 only"
    } else {
        "it is not in plain form (spaces, upper case, no path, or a query)"
    };
    Some(format!("{why}; use a line like {example}."))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
