//! Salesforce login hosts: what the admin may type for "which org", how it normalises to the
//! login host, and which hosts are genuine Salesforce (the only ones the secret may go to).
//!
//! Classification is an exact match on the end of the host against the documented host
//! forms (reference "Hosts"), never a substring test: `my.salesforce.com.evil.io` and
//! `evilsalesforce.com` are not Salesforce.

use std::net::IpAddr;

use url::{Host, Url};

use crate::problem::Problem;
use crate::text::quoted_input;

/// What kind of login host an org URL resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostKind {
    /// login.salesforce.com
    Production,
    /// test.salesforce.com
    Sandbox,
    /// NAME.my.salesforce.com and the partitioned forms (develop, scratch, demo, patch, trailblaze)
    MyDomain,
    /// NAME--SANDBOX.sandbox.my.salesforce.com
    SandboxMyDomain,
    /// NAME.my.site.com
    ExperienceCloud,
    /// *.my.salesforce.mil
    GovernmentCloud,
    /// *.my.sfcrmproducts.cn
    China,
    /// Not Salesforce; only with `--allow-custom-host` (tests, the simulator, other servers).
    Custom,
}

/// A normalised login host: scheme, host and port only (no path, query or fragment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginHost {
    pub base: Url,
    pub kind: HostKind,
}

impl LoginHost {
    /// The base URL without a trailing slash, e.g. `https://acme.my.salesforce.com`.
    pub fn origin(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_string()
    }

    pub fn is_genuine_salesforce(&self) -> bool {
        self.kind != HostKind::Custom
    }
}

/// Whether hosts that are not Salesforce are accepted (`--allow-custom-host`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HostPolicy {
    /// Only genuine Salesforce hosts, https only. The safe default.
    #[default]
    Strict,
    /// Also any https host, and plain http on loopback (the simulator, test servers).
    AllowCustom,
}

const PRODUCTION_HOST: &str = "login.salesforce.com";
const SANDBOX_HOST: &str = "test.salesforce.com";

/// `NAME.` + one of these is a login host of that kind (NAME is exactly one DNS label).
/// The `sandbox.` forms for .mil and .cn follow the .com pattern by analogy (unconfirmed);
/// they are under Salesforce-owned domains, so accepting them cannot leak the secret.
const NAMED_FORMS: &[(&str, HostKind)] = &[
    ("my.salesforce.com", HostKind::MyDomain),
    ("develop.my.salesforce.com", HostKind::MyDomain),
    ("scratch.my.salesforce.com", HostKind::MyDomain),
    ("demo.my.salesforce.com", HostKind::MyDomain),
    ("patch.my.salesforce.com", HostKind::MyDomain),
    ("trailblaze.my.salesforce.com", HostKind::MyDomain),
    ("sandbox.my.salesforce.com", HostKind::SandboxMyDomain),
    ("my.site.com", HostKind::ExperienceCloud),
    ("my.salesforce.mil", HostKind::GovernmentCloud),
    ("sandbox.my.salesforce.mil", HostKind::GovernmentCloud),
    ("my.sfcrmproducts.cn", HostKind::China),
    ("sandbox.my.sfcrmproducts.cn", HostKind::China),
];

/// Lightning UI host suffix → the My Domain suffix that serves OAuth for the same org.
const LIGHTNING_UI: &[(&str, &str)] = &[
    ("lightning.force.com", "my.salesforce.com"),
    ("lightning.crmforce.mil", "my.salesforce.mil"),
];

/// A login URL is a host and at most a path that is dropped; a longer paste is not one.
const LOGIN_URL_MAX_CHARS: usize = 1024;

const FORMS_FIX: &str = "enter \"production\", \"sandbox\" or your My Domain URL, e.g. https://NAME.my.salesforce.com (Setup → My Domain shows it)";

/// What the admin typed for "which org": "production"/"prod"/"login", "sandbox"/"test",
/// a bare host, or an https URL (any path/query dropped). Returns the normalised login host.
pub fn parse_login_url(input: &str, policy: HostPolicy) -> Result<LoginHost, Problem> {
    let raw = input.trim();
    if raw.is_empty() {
        return Err(Problem::new("No org was given.", FORMS_FIX));
    }
    let raw = crate::problem::bounded("The org URL", raw, LOGIN_URL_MAX_CHARS)?;
    if let Some(inner) = crate::text::unquoted(raw) {
        return Err(Problem::new(
            "The org URL is in quotes.",
            format!("remove the quotes: {inner}"),
        ));
    }
    match raw.to_ascii_lowercase().as_str() {
        "production" | "prod" | "login" => return known(PRODUCTION_HOST, HostKind::Production),
        "sandbox" | "test" => return known(SANDBOX_HOST, HostKind::Sandbox),
        _ => {}
    }
    let url = parse_url(raw)?;
    let host = host_of(&url, raw)?;
    let scheme = url.scheme();
    if let Some(my_domain) = lightning_ui_suggestion(&host) {
        return Err(Problem::new(
            format!("{host} is the Lightning UI host, not an OAuth login host."),
            format!("use https://{my_domain} instead"),
        ));
    }
    let https = scheme == "https";
    match (classify_host(&host), policy) {
        (Some(_), _) if !https => Err(Problem::new(
            format!("{raw} uses http, but Salesforce only serves OAuth over https."),
            format!("use https://{host}"),
        )),
        (Some(kind), _) => match url.port() {
            // url already dropped an explicit :443, so any port left is a different one.
            Some(port) => Err(Problem::new(
                format!("{raw} names port {port}, but Salesforce serves OAuth only on the default https port (443)."),
                format!("use https://{host}"),
            )),
            None => known(&host, kind),
        },
        (None, HostPolicy::Strict) => Err(not_salesforce(&host)),
        (None, HostPolicy::AllowCustom) if https || is_loopback_host(&host) => {
            let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
            build(&format!("{scheme}://{host}{port}/"), HostKind::Custom)
        }
        (None, HostPolicy::AllowCustom) => Err(Problem::new(
            format!("{raw} uses http; plain http is allowed only for a loopback test server (localhost, 127.0.0.1, ::1)."),
            format!("use https://{host}"),
        )),
    }
}

/// The typed org as a URL: a bare host gets https; a URL keeps its scheme so that "http://…"
/// can be diagnosed rather than silently upgraded. Only http(s), without credentials.
fn parse_url(raw: &str) -> Result<Url, Problem> {
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("https://{raw}")
    };
    let url = Url::parse(&with_scheme).map_err(|e| {
        Problem::new(
            format!("{} is not a URL or host name ({e}).", quoted_input(raw)),
            FORMS_FIX,
        )
    })?;
    let scheme = url.scheme();
    if scheme != "https" && scheme != "http" {
        return Err(Problem::new(
            format!(
                "{} uses the scheme {scheme}:, but a Salesforce login URL is https.",
                quoted_input(raw)
            ),
            FORMS_FIX,
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Problem::new(
            "The org URL contains a user name or password (user:pass@); credentials never go in the org URL.",
            "enter only the host, e.g. https://NAME.my.salesforce.com",
        ));
    }
    Ok(url)
}

/// The URL's host as compared and shown: url lowercases domains; a trailing dot is the
/// same DNS name, so it goes; an IPv6 address keeps its brackets.
fn host_of(url: &Url, raw: &str) -> Result<String, Problem> {
    match url.host() {
        Some(Host::Domain(d)) => Ok(d.strip_suffix('.').unwrap_or(d).to_string()),
        Some(Host::Ipv4(ip)) => Ok(ip.to_string()),
        Some(Host::Ipv6(ip)) => Ok(format!("[{ip}]")),
        None => Err(Problem::new(
            format!("{} has no host name.", quoted_input(raw)),
            FORMS_FIX,
        )),
    }
}

/// Exact match on the host's end against the host forms in salesforce-oauth.md ("Hosts").
/// Case-insensitive; one trailing dot (the DNS root) is ignored. `None` = not Salesforce.
pub fn classify_host(host: &str) -> Option<HostKind> {
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if !host.split('.').all(is_dns_label) {
        return None;
    }
    match host.as_str() {
        PRODUCTION_HOST => return Some(HostKind::Production),
        SANDBOX_HOST => return Some(HostKind::Sandbox),
        _ => {}
    }
    NAMED_FORMS.iter().find_map(|(suffix, kind)| {
        let name = host.strip_suffix(suffix)?.strip_suffix('.')?;
        (!name.contains('.')).then_some(*kind)
    })
}

pub fn is_genuine_salesforce_host(host: &str) -> bool {
    classify_host(host).is_some()
}

/// localhost, 127.0.0.0/8 and ::1 (with or without brackets).
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// One DNS label as Salesforce host names use them: letters, digits and inner hyphens
/// (My Domain sandboxes have `--`, and a name may itself contain `-lightning`).
fn is_dns_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// For a Lightning UI host, the My Domain login host of the same org (only if that is a
/// well-formed Salesforce host, so junk never becomes a suggestion).
fn lightning_ui_suggestion(host: &str) -> Option<String> {
    LIGHTNING_UI.iter().find_map(|(ui, login)| {
        let prefix = host.strip_suffix(ui)?.strip_suffix('.')?;
        let candidate = format!("{prefix}.{login}");
        classify_host(&candidate).map(|_| candidate)
    })
}

/// The Salesforce login host `host` is one or two typos away from, if any: the generic
/// hosts as a whole, or NAME + a host form with the typo in the form's part
/// (`acme.my.salesforc.com` → `acme.my.salesforce.com`).
fn near_miss(host: &str) -> Option<String> {
    const MAX_TYPOS: usize = 2;
    if let Some(generic) = [PRODUCTION_HOST, SANDBOX_HOST]
        .into_iter()
        .find(|h| strsim::levenshtein(host, h) <= MAX_TYPOS)
    {
        return Some(generic.to_string());
    }
    let (name, rest) = host.split_once('.')?;
    NAMED_FORMS
        .iter()
        .map(|(suffix, _)| (strsim::levenshtein(rest, suffix), suffix))
        .filter(|(typos, _)| *typos <= MAX_TYPOS)
        .min_by_key(|(typos, _)| *typos)
        .map(|(_, suffix)| format!("{name}.{suffix}"))
        .filter(|candidate| classify_host(candidate).is_some())
}

fn not_salesforce(host: &str) -> Problem {
    if let Some(meant) = near_miss(host) {
        return Problem::new(
            format!("{host} is not a Salesforce login host; did you mean {meant}?"),
            format!("use https://{meant}"),
        );
    }
    let message = if host == "salesforce.com" || host == "www.salesforce.com" {
        format!("{host} is Salesforce's website, not an OAuth login host.")
    } else if host.contains("salesforce") || host.contains("force.com") {
        format!("{host} looks like Salesforce but is not a Salesforce login host (it does not end in a Salesforce login domain).")
    } else {
        format!("{host} is not a Salesforce login host.")
    };
    Problem::new(
        message,
        format!("{FORMS_FIX}; pass --allow-custom-host only for a test server"),
    )
}

fn known(host: &str, kind: HostKind) -> Result<LoginHost, Problem> {
    build(&format!("https://{host}/"), kind)
}

fn build(base: &str, kind: HostKind) -> Result<LoginHost, Problem> {
    Url::parse(base)
        .map(|base| LoginHost { base, kind })
        .map_err(|e| Problem::new(format!("{base} is not a valid URL ({e})."), FORMS_FIX))
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
