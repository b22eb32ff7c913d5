//! Which proxy a request goes through. The variables are read as curl reads them
//! (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, each also lower-case; hyper-util's
//! matcher does the parsing and the `NO_PROXY` rules), with one rule added: loopback is
//! always direct — the simulated org of `--demo` and the loopback test servers are on this
//! machine, and a corporate proxy cannot reach them. Decided here rather than by reqwest's
//! own lookup so that messages can name the proxy a failed request went through.

use hyper_util::client::proxy::matcher::Matcher;
use url::Url;

use crate::salesforce::hosts::is_loopback_host;

/// The proxy rules of this run.
#[derive(Debug)]
pub struct Proxies {
    matcher: Matcher,
    /// `(variable, value)` of each variable that is set, for `--verbose`.
    set: Vec<(&'static str, String)>,
}

const VARIABLES: [[&str; 2]; 4] = [
    ["HTTPS_PROXY", "https_proxy"],
    ["HTTP_PROXY", "http_proxy"],
    ["ALL_PROXY", "all_proxy"],
    ["NO_PROXY", "no_proxy"],
];

impl Proxies {
    /// The rules from this process's environment.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// The rules from `get` (a variable's value, if set).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Self {
        let set: Vec<(&'static str, String)> = VARIABLES
            .iter()
            .filter_map(|names| {
                names.iter().find_map(|&name| {
                    get(name)
                        .filter(|v| !v.trim().is_empty())
                        .map(|v| (name, v))
                })
            })
            .collect();
        let value = |upper: &str| lookup(&set, upper).unwrap_or_default().to_string();
        let matcher = Matcher::builder()
            .https(value("HTTPS_PROXY"))
            .http(value("HTTP_PROXY"))
            .all(value("ALL_PROXY"))
            .no(value("NO_PROXY"))
            .build();
        Proxies { matcher, set }
    }

    /// The proxy a request to `url` goes through (with its credentials, which reqwest
    /// sends to the proxy); `None`: direct.
    pub fn for_url(&self, url: &Url) -> Option<Url> {
        if url.host_str().is_none_or(is_loopback_host) {
            return None;
        }
        let uri: hyper::Uri = url.as_str().parse().ok()?;
        // The matcher applies NO_PROXY; it drops the credentials, so the proxy itself is
        // taken from the variable.
        self.matcher.intercept(&uri)?;
        let own = match url.scheme() {
            "https" => "HTTPS_PROXY",
            _ => "HTTP_PROXY",
        };
        let raw = self.value(own).or_else(|| self.value("ALL_PROXY"))?;
        Url::parse(raw)
            .ok()
            .filter(|u| u.has_host())
            .or_else(|| Url::parse(&format!("http://{raw}")).ok())
    }

    fn value(&self, upper: &str) -> Option<&str> {
        lookup(&self.set, upper)
    }

    /// One line for `--verbose`: the variables in use, each proxy without its credentials.
    pub fn describe(&self) -> Option<String> {
        if self.set.is_empty() {
            return None;
        }
        let each: Vec<String> = self
            .set
            .iter()
            .map(|(name, value)| {
                let shown = if name.eq_ignore_ascii_case("NO_PROXY") {
                    value.clone()
                } else {
                    Url::parse(value)
                        .map(|u| shown(&u))
                        .unwrap_or_else(|_| "(not a URL)".into())
                };
                format!("{name}={shown}")
            })
            .collect();
        Some(format!(
            "Proxy settings: {}; loopback addresses are always reached directly.",
            each.join(", ")
        ))
    }
}

/// The value of the variable `upper` (or its lower-case twin) among those set.
fn lookup<'a>(set: &'a [(&'static str, String)], upper: &str) -> Option<&'a str> {
    set.iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(upper))
        .map(|(_, v)| v.trim())
}

/// A proxy as messages show it: scheme, host and port, never a user name or password.
pub fn shown(proxy: &Url) -> String {
    let host = proxy.host_str().unwrap_or("?");
    match proxy.port_or_known_default() {
        Some(port) => format!("{}://{host}:{port}", proxy.scheme()),
        None => format!("{}://{host}", proxy.scheme()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(vars: &[(&str, &str)]) -> Proxies {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Proxies::from_vars(move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn loopback_is_direct_whatever_the_variables_say() {
        let p = proxies(&[
            ("HTTP_PROXY", "http://127.0.0.1:9"),
            ("HTTPS_PROXY", "http://127.0.0.1:9"),
            ("ALL_PROXY", "http://127.0.0.1:9"),
        ]);
        for u in [
            "http://127.0.0.1:5555/services/oauth2/token",
            "http://localhost:1717/",
            "http://[::1]:8080/",
            "https://127.0.0.2/",
        ] {
            assert_eq!(p.for_url(&url(u)), None, "{u}");
        }
        assert!(p.for_url(&url("https://login.salesforce.com/")).is_some());
    }

    #[test]
    fn each_scheme_takes_its_variable_and_all_proxy_fills_the_gap() {
        let p = proxies(&[
            ("https_proxy", "http://secure.proxy:3128"),
            ("ALL_PROXY", "http://any.proxy:8080"),
        ]);
        let https = p.for_url(&url("https://acme.my.salesforce.com/")).unwrap();
        assert_eq!(https.host_str(), Some("secure.proxy"));
        let http = p.for_url(&url("http://example.com/")).unwrap();
        assert_eq!(http.host_str(), Some("any.proxy"));
        assert_eq!(proxies(&[]).for_url(&url("https://example.com/")), None);
        let bare = proxies(&[("HTTPS_PROXY", "proxy.corp:3128")]);
        let chosen = bare.for_url(&url("https://example.com/")).unwrap();
        assert_eq!(
            shown(&chosen),
            "http://proxy.corp:3128",
            "no scheme means http"
        );
    }

    #[test]
    fn no_proxy_takes_domains_with_their_subdomains_and_addresses() {
        let p = proxies(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("NO_PROXY", "salesforce.com, 10.0.0.0/8"),
        ]);
        assert_eq!(p.for_url(&url("https://acme.my.salesforce.com/")), None);
        assert_eq!(p.for_url(&url("https://10.1.2.3/")), None);
        assert!(p.for_url(&url("https://acme.my.site.com/")).is_some());
        assert!(p.for_url(&url("https://notsalesforce.com/")).is_some());
        assert_eq!(
            proxies(&[("HTTPS_PROXY", "http://proxy:3128"), ("no_proxy", "*")])
                .for_url(&url("https://login.salesforce.com/")),
            None
        );
    }

    #[test]
    fn a_proxy_is_shown_without_its_credentials() {
        let p = proxies(&[("HTTPS_PROXY", "http://alice:s3cret@proxy.corp:3128")]);
        let chosen = p.for_url(&url("https://login.salesforce.com/")).unwrap();
        assert_eq!(shown(&chosen), "http://proxy.corp:3128");
        assert_eq!(
            chosen.password(),
            Some("s3cret"),
            "reqwest still needs them"
        );
        let described = p.describe().unwrap();
        assert!(
            described.contains("HTTPS_PROXY=http://proxy.corp:3128"),
            "{described}"
        );
        assert!(
            !described.contains("s3cret") && !described.contains("alice"),
            "{described}"
        );
        assert_eq!(proxies(&[]).describe(), None);
    }
}
