//! The HTML the loopback listener shows in the admin's browser: success, failure, a rejected
//! (forged or stale) callback, "already completed" and "not found".
//!
//! Each page is small and self-contained (inline CSS, no scripts, no external assets), so it
//! renders the same offline and leaks no `Referer` carrying the authorization code. Anything
//! that came from the request is HTML-escaped with `html-escape` before it is placed in the
//! page: `error` and `error_description` are attacker-controllable (anyone can point a browser
//! at `http://localhost:1717/OauthRedirect?error=<script>…`).
//!
//! It also builds the HTTP responses around them: every response carries `no-store`,
//! `no-referrer`, `nosniff`, `DENY` framing and a CSP that allows nothing but inline style.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use url::Url;

use crate::salesforce::hosts::{is_genuine_salesforce_host, is_loopback_host};
use crate::text::clean_server_text;

/// Text from the request, for a page: control characters (ESC, BEL) and invisible bidi or
/// zero-width characters dropped as for the terminal, then HTML-escaped.
fn encode_text(text: &str) -> String {
    html_escape::encode_text(&clean_server_text(text)).into_owned()
}

/// The `Content-Security-Policy` sent with every page: nothing may load or run; only the
/// inline style below is allowed.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;\
max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}\
h1{font-size:1.4rem}.ok{color:#116b2f}.bad{color:#a4161a}\
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px;word-break:break-all}\
footer{margin-top:2rem;color:#666;font-size:.85rem}";

/// Wraps a body in the common document. `title` and `body` must already be safe HTML.
fn document(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<meta name=\"referrer\" content=\"no-referrer\">\
<title>{title} · sf-webex-setup</title><style>{STYLE}</style></head>\
<body>{body}<footer>Served by sf-webex-setup from your own computer (a loopback address), \
on behalf of the command running in your terminal.</footer></body></html>\n"
    )
}

/// Shown after the one valid callback carried an authorization code.
pub fn success_page() -> String {
    document(
        "Signed in",
        "<h1 class=\"ok\">&#10003; Signed in: sf-webex-setup received the authorization.</h1>\
<p>You can close this tab and return to the terminal, where sf-webex-setup is now proving \
the app setting by setting.</p>",
    )
}

/// Shown after the one valid callback carried `error=` (the admin clicked Deny, PKCE was
/// missing, …). `error` and `description` are escaped here.
pub fn failure_page(error: &str, description: Option<&str>) -> String {
    let mut body =
        String::from("<h1 class=\"bad\">&#10007; Salesforce did not authorize the app.</h1>");
    body.push_str(&format!(
        "<p>Salesforce answered <code>{}</code>",
        encode_text(error)
    ));
    match description {
        Some(d) if !d.trim().is_empty() => {
            body.push_str(&format!(": <q>{}</q>.</p>", encode_text(d)));
        }
        _ => body.push_str(".</p>"),
    }
    if error == "access_denied" {
        body.push_str(
            "<p>This usually means <em>Deny</em> was clicked on the approval page. \
Run the command again and choose <em>Allow</em>.</p>",
        );
    }
    body.push_str(
        "<p>Close this tab and return to the terminal: sf-webex-setup says which setting \
to fix and the command to run again.</p>",
    );
    document("Not authorized", &body)
}

/// Shown (status 400) for a callback on the right path that cannot be trusted or used: a
/// wrong or missing `state` (forged, or from an earlier attempt) or no `code`. Listening
/// continues, so the genuine callback still completes the flow. `reason` is escaped.
pub fn rejected_page(reason: &str) -> String {
    document(
        "Callback ignored",
        &format!(
            "<h1 class=\"bad\">This sign-in response was ignored.</h1><p>{}</p>\
<p>sf-webex-setup is still waiting for the sign-in it started. If you opened this link \
yourself, return to the terminal and open the address it printed.</p>",
            encode_text(reason)
        ),
    )
}

/// Shown (status 409) for a callback that arrives after the flow already completed. It
/// changes nothing.
pub fn already_completed_page() -> String {
    document(
        "Already completed",
        "<h1>This sign-in was already completed.</h1><p>sf-webex-setup accepted an earlier \
response; this one was ignored. You can close this tab and return to the terminal.</p>",
    )
}

/// Shown (status 404) for every other path (favicon, stray requests).
pub fn not_found_page() -> String {
    document(
        "Not found",
        "<h1>Not found.</h1><p>This address is only used by sf-webex-setup for the sign-in \
callback.</p>",
    )
}

/// A page with its status and the protective headers.
pub fn html_response(status: StatusCode, html: String) -> Response {
    let mut response = (status, html).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    protective_headers(h);
    response
}

/// `303 See Other` to `location` (a path on this listener), with the protective headers.
pub fn see_other_response(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    protective_headers(response.headers_mut());
    response
}

/// Answers a CORS / Private Network Access preflight (`OPTIONS` with
/// `Access-Control-Request-Private-Network`) so Chrome lets the sign-in page navigate to
/// this loopback address. Only the origins a sign-in comes from are allowed — a Salesforce
/// host over https, or a loopback test server — never whatever `Origin` says (403 without
/// any allow header). Only GET is allowed; no response body becomes readable
/// cross-origin, because the GET responses themselves carry no
/// `Access-Control-Allow-Origin`.
pub fn preflight_response(request: &HeaderMap) -> Response {
    let Some(origin) = request
        .get(header::ORIGIN)
        .filter(|o| o.to_str().is_ok_and(sign_in_origin))
        .cloned()
    else {
        return html_response(StatusCode::FORBIDDEN, not_found_page());
    };
    let mut response = StatusCode::NO_CONTENT.into_response();
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    set_all(
        h,
        &[
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET"),
            (header::ACCESS_CONTROL_MAX_AGE, "600"),
            (header::VARY, "Origin"),
        ],
    );
    if request.contains_key("access-control-request-private-network") {
        h.insert(
            "access-control-allow-private-network",
            HeaderValue::from_static("true"),
        );
    }
    response
}

fn set_all(h: &mut HeaderMap, headers: &[(header::HeaderName, &'static str)]) {
    for (name, value) in headers {
        h.insert(name.clone(), HeaderValue::from_static(value));
    }
}

/// An origin a sign-in page is served from: `https://` a Salesforce host, or a loopback
/// server (the simulated org, a test server).
fn sign_in_origin(origin: &str) -> bool {
    let Ok(url) = Url::parse(origin) else {
        return false;
    };
    let host = url.host_str().unwrap_or_default();
    match url.scheme() {
        "https" => is_genuine_salesforce_host(host) || is_loopback_host(host),
        "http" => is_loopback_host(host),
        _ => false,
    }
}

/// Whether a request's `Host` names this listener: a loopback name with the port it
/// listens on (DNS rebinding sends another name; a browser always sends the port unless
/// it is 80).
pub fn addressed_here(request: &HeaderMap, port: u16) -> bool {
    let Some(host) = request.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let Ok(url) = Url::parse(&format!("http://{host}/")) else {
        return false;
    };
    url.host_str().is_some_and(is_loopback_host)
        && url.port_or_known_default() == Some(port)
        && url.path() == "/"
        && url.username().is_empty()
}

fn protective_headers(h: &mut HeaderMap) {
    set_all(
        h,
        &[
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_page_escapes_a_reflected_script() {
        let page = failure_page("access_denied<b>", Some("<script>alert(1)</script>"));
        assert!(!page.contains("<script>"), "{page}");
        assert!(!page.contains("<b>"), "{page}");
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
    }

    #[test]
    fn pages_drop_terminal_escapes_and_bidi_controls_from_the_request() {
        let page = failure_page(
            "access_denied\u{1b}[2J\u{7}",
            Some("a\u{202e}txt.exe\u{200b}"),
        );
        for c in ['\u{1b}', '\u{7}', '\u{202e}', '\u{200b}'] {
            assert!(!page.contains(c), "{c:?} in {page}");
        }
        assert!(
            page.contains("access_denied[2J") && page.contains("atxt.exe"),
            "{page}"
        );
        assert!(!rejected_page("x\u{1b}]0;title\u{7}").contains('\u{1b}'));
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        h
    }

    #[test]
    fn only_a_loopback_host_with_the_listening_port_is_addressed_here() {
        for ok in [
            "localhost:1717",
            "127.0.0.1:1717",
            "[::1]:1717",
            "LOCALHOST:1717",
        ] {
            assert!(addressed_here(&headers(&[("host", ok)]), 1717), "{ok}");
        }
        for bad in [
            "evil.com:1717",
            "evil.com",
            "localhost:1718",
            "localhost",
            "localhost.evil.com:1717",
            "127.0.0.1:1717/x",
            "u@localhost:1717",
            "",
        ] {
            assert!(!addressed_here(&headers(&[("host", bad)]), 1717), "{bad}");
        }
        assert!(!addressed_here(&HeaderMap::new(), 1717), "no Host at all");
        assert!(addressed_here(&headers(&[("host", "localhost")]), 80));
    }

    #[test]
    fn the_preflight_allows_only_sign_in_origins_and_never_reflects_others() {
        let pna = ("access-control-request-private-network", "true");
        for origin in ["https://acme.my.salesforce.com", "http://127.0.0.1:5555"] {
            let r = preflight_response(&headers(&[("origin", origin), pna]));
            assert_eq!(r.status(), StatusCode::NO_CONTENT);
            assert_eq!(r.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], origin);
            assert_eq!(r.headers()["access-control-allow-private-network"], "true");
        }
        for origin in [
            "https://evil.example",
            "http://acme.my.salesforce.com",
            "null",
        ] {
            let r = preflight_response(&headers(&[("origin", origin), pna]));
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{origin}");
            assert!(!r
                .headers()
                .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
            assert!(!r
                .headers()
                .contains_key("access-control-allow-private-network"));
        }
        let r = preflight_response(&headers(&[pna]));
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "no Origin");
    }

    #[test]
    fn rejected_page_escapes_its_reason() {
        let page = rejected_page("bad \"<img src=x onerror=alert(1)>\"");
        assert!(!page.contains("<img"), "{page}");
    }

    #[test]
    fn pages_load_nothing_from_outside() {
        for page in [
            success_page(),
            failure_page("x", None),
            rejected_page("y"),
            already_completed_page(),
            not_found_page(),
        ] {
            assert!(!page.contains("src="), "{page}");
            assert!(!page.contains("href="), "{page}");
            assert!(!page.contains("<script"), "{page}");
        }
    }

    #[test]
    fn success_and_failure_pages_say_what_to_do_next() {
        assert!(success_page().contains("return to the terminal"));
        assert!(failure_page("access_denied", None).contains("return to the terminal"));
        assert!(failure_page("access_denied", None).contains("Allow"));
    }
}
