//! The loopback callback listener against real sockets: the protocol (codes, stray
//! requests, forged states, reflected input). Its limits (slow clients, timeouts, busy
//! ports, address families), paste mode and `$BROWSER` are in the submodules.
//!
//! Each listener test plays the browser on a spawned task (reqwest without redirects, or a
//! raw `TcpStream`) while the test task runs `Listener::wait`; nothing waits by sleeping.

#[cfg(unix)]
mod browser;
mod limits;
mod paste;

use std::time::Duration;

use oauth2::CsrfToken;
use sf_webex_setup::oauth::callback::{CallbackOutcome, Listener, ListenerError};
use url::Url;

pub(super) const STATE: &str = "st4te-0123456789abcdef0123456789abcdef";
pub(super) const WAIT: Duration = Duration::from_secs(20);

pub(super) fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL parses")
}

pub(super) fn state() -> CsrfToken {
    CsrfToken::new(STATE.to_owned())
}

pub(super) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("reqwest client")
}

/// A listener on a port no other test is given, below the ephemeral range (a port 0 one
/// could be handed to another test's server the moment it closes).
pub(super) async fn bind_any() -> Listener {
    let port = crate::support::loopback_port();
    Listener::bind(&[url(&format!("http://127.0.0.1:{port}/OauthRedirect"))])
        .await
        .expect("bind a loopback port")
}

pub(super) fn callback(base: &Url, query: &str) -> String {
    format!("{base}?{query}")
}

/// Sends the genuine callback, checks the 303, follows it; returns the final page.
pub(super) async fn complete(c: &reqwest::Client, base: &Url, query: &str) -> (String, String) {
    let r = c
        .get(callback(base, query))
        .send()
        .await
        .expect("callback request");
    assert_eq!(
        r.status(),
        303,
        "the valid callback is answered with 303 See Other"
    );
    let location = r.headers()["location"]
        .to_str()
        .expect("ascii location")
        .to_owned();
    let done = base.join(&location).expect("location resolves");
    let page = c.get(done).send().await.expect("done page request");
    assert_eq!(page.status(), 200);
    (location, page.text().await.expect("page body"))
}

pub(super) async fn wait(listener: Listener) -> Result<CallbackOutcome, ListenerError> {
    listener.wait(&state(), WAIT, &mut |_| {}).await
}

pub(super) fn code_of(outcome: Result<CallbackOutcome, ListenerError>) -> String {
    match outcome {
        Ok(CallbackOutcome::Code { code, .. }) => code.secret().clone(),
        other => panic!("expected a code, got {other:?}"),
    }
}

#[tokio::test]
async fn the_valid_callback_returns_the_code_and_the_browser_sees_303_then_the_success_page() {
    let listener = bind_any().await;
    let base = listener.redirect_uri().clone();
    assert_ne!(base.port(), Some(0), "redirect_uri carries the real port");
    let browser = tokio::spawn(async move {
        let q = format!("code=aPrx%2Bb%3D%3D&state={STATE}&iss=https%3A%2F%2Flogin.example");
        complete(&client(), &base, &q).await
    });
    let mut ticks = Vec::new();
    let outcome = listener
        .wait(&state(), WAIT, &mut |left| ticks.push(left))
        .await;
    let (location, page) = browser.await.expect("browser task");
    match outcome {
        Ok(CallbackOutcome::Code { code, iss }) => {
            assert_eq!(code.secret(), "aPrx+b==");
            assert_eq!(iss.as_deref(), Some("https://login.example"));
        }
        other => panic!("expected a code, got {other:?}"),
    }
    assert_eq!(location, "/OauthRedirect/done");
    assert!(page.contains("Signed in"), "{page}");
    assert!(page.contains("return to the terminal"), "{page}");
    assert!(!page.contains("aPrx"), "the page never shows the code");
    assert!(
        ticks.first().is_some_and(|t| *t <= WAIT),
        "progress called with the time left"
    );
}

#[tokio::test]
async fn favicon_and_stray_paths_get_404_and_listening_continues() {
    let listener = bind_any().await;
    let base = listener.redirect_uri().clone();
    let browser = tokio::spawn(async move {
        let c = client();
        let mut statuses = Vec::new();
        for path in [
            "/favicon.ico",
            "/",
            "/OauthRedirect/extra",
            "/OauthRedirect/done",
        ] {
            let r = c
                .get(base.join(path).expect("join"))
                .send()
                .await
                .expect("stray request");
            statuses.push(r.status().as_u16());
        }
        complete(&c, &base, &format!("code=real&state={STATE}")).await;
        statuses
    });
    let outcome = wait(listener).await;
    assert_eq!(
        browser.await.expect("browser task"),
        vec![404, 404, 404, 404]
    );
    assert_eq!(code_of(outcome), "real");
}

#[tokio::test]
async fn a_private_network_access_preflight_is_answered() {
    let listener = bind_any().await;
    let base = listener.redirect_uri().clone();
    let browser = tokio::spawn(async move {
        let c = client();
        let r = c
            .request(reqwest::Method::OPTIONS, base.clone())
            .header("Origin", "https://login.salesforce.com")
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Private-Network", "true")
            .send()
            .await
            .expect("preflight");
        let pna = r
            .headers()
            .get("access-control-allow-private-network")
            .cloned();
        let origin = r.headers().get("access-control-allow-origin").cloned();
        complete(&c, &base, &format!("code=after-preflight&state={STATE}")).await;
        (r.status().as_u16(), pna, origin)
    });
    let outcome = wait(listener).await;
    let (status, pna, origin) = browser.await.expect("browser task");
    assert_eq!(status, 204);
    assert_eq!(pna.as_ref().and_then(|v| v.to_str().ok()), Some("true"));
    assert_eq!(
        origin.as_ref().and_then(|v| v.to_str().ok()),
        Some("https://login.salesforce.com")
    );
    assert_eq!(code_of(outcome), "after-preflight");
}

/// DNS rebinding: a page on another name that now resolves to 127.0.0.1 sends the genuine
/// callback (right state) with its own name in `Host`, and a preflight from its origin.
/// Neither is taken; the real callback still completes the flow.
#[tokio::test]
async fn another_host_name_or_a_foreign_origin_is_refused_and_the_real_callback_still_lands() {
    let listener = bind_any().await;
    let base = listener.redirect_uri().clone();
    let browser = tokio::spawn(async move {
        let c = client();
        let port = base.port().expect("explicit port");
        let forged = c
            .get(callback(&base, &format!("code=rebound&state={STATE}")))
            .header("Host", format!("evil.example:{port}"))
            .send()
            .await
            .expect("rebound callback");
        let wrong_port = c
            .get(callback(&base, &format!("code=other-port&state={STATE}")))
            .header("Host", format!("localhost:{}", port + 1))
            .send()
            .await
            .expect("callback naming another port");
        let preflight = c
            .request(reqwest::Method::OPTIONS, base.clone())
            .header("Origin", "https://evil.example")
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Private-Network", "true")
            .send()
            .await
            .expect("preflight");
        let reflected = preflight
            .headers()
            .contains_key("access-control-allow-origin");
        complete(&c, &base, &format!("code=real&state={STATE}")).await;
        (
            forged.status().as_u16(),
            wrong_port.status().as_u16(),
            preflight.status().as_u16(),
            reflected,
        )
    });
    let outcome = wait(listener).await;
    let (forged, wrong_port, preflight, reflected) = browser.await.expect("browser task");
    assert_eq!((forged, wrong_port), (421, 421));
    assert_eq!(preflight, 403);
    assert!(!reflected, "a foreign Origin is never reflected");
    assert_eq!(code_of(outcome), "real");
}

#[tokio::test]
async fn a_forged_or_missing_state_gets_400_and_the_real_callback_is_still_accepted() {
    let listener = bind_any().await;
    let base = listener.redirect_uri().clone();
    let browser = tokio::spawn(async move {
        let c = client();
        let mut seen = Vec::new();
        for q in [
            "code=forged&state=not-the-state".to_owned(),
            "code=forged".to_owned(),
            "error=access_denied&state=wrong".to_owned(),
            format!("code=a&code=b&state={STATE}"),
            format!("state={STATE}"),
        ] {
            let r = c
                .get(callback(&base, &q))
                .send()
                .await
                .expect("forged request");
            let status = r.status().as_u16();
            let body = r.text().await.expect("body");
            seen.push((status, body.contains("still waiting")));
        }
        complete(&c, &base, &format!("code=genuine&state={STATE}")).await;
        seen
    });
    let outcome = wait(listener).await;
    assert_eq!(browser.await.expect("browser task"), vec![(400, true); 5]);
    assert_eq!(code_of(outcome), "genuine");
}

#[tokio::test]
async fn a_second_callback_after_completion_changes_nothing_and_later_ones_are_refused() {
    let listener = bind_any().await;
    let base = listener.redirect_uri().clone();
    let browser_base = base.clone();
    let browser = tokio::spawn(async move {
        let c = client();
        let first = c
            .get(callback(
                &browser_base,
                &format!("code=first&state={STATE}"),
            ))
            .send()
            .await
            .expect("first callback");
        assert_eq!(first.status(), 303);
        let second = c
            .get(callback(
                &browser_base,
                &format!("code=second&state={STATE}"),
            ))
            .send()
            .await
            .expect("second callback");
        let second_status = second.status().as_u16();
        let second_body = second.text().await.expect("body");
        let page = c
            .get(browser_base.join("/OauthRedirect/done").expect("join"))
            .send()
            .await
            .expect("done page")
            .text()
            .await
            .expect("body");
        (second_status, second_body, page)
    });
    let outcome = wait(listener).await;
    let (second_status, second_body, page) = browser.await.expect("browser task");
    assert_eq!(code_of(outcome), "first");
    assert_eq!(second_status, 409);
    assert!(second_body.contains("already completed"), "{second_body}");
    assert!(page.contains("Signed in"), "{page}");
    // Once wait has returned, the port is closed: a late callback cannot reach anyone.
    let late = client()
        .get(callback(&base, &format!("code=late&state={STATE}")))
        .send()
        .await;
    assert!(
        late.as_ref().is_err_and(|e| e.is_connect()),
        "late callback: {late:?}"
    );
}

#[tokio::test]
async fn a_reflected_script_in_error_description_is_escaped_on_the_failure_page() {
    let listener = bind_any().await;
    let base = listener.redirect_uri().clone();
    let browser = tokio::spawn(async move {
        let c = client();
        // Also through the rejected-state page, which must not reflect it at all.
        let forged = c
            .get(callback(
                &base,
                "error=%3Cscript%3Ealert(2)%3C%2Fscript%3E&state=x",
            ))
            .send()
            .await
            .expect("forged")
            .text()
            .await
            .expect("body");
        let q = format!(
            "error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state={STATE}"
        );
        (forged, complete(&c, &base, &q).await.1)
    });
    let outcome = wait(listener).await;
    let (forged, page) = browser.await.expect("browser task");
    assert!(!forged.contains("<script"), "{forged}");
    assert!(!page.contains("<script"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(page.contains("return to the terminal"), "{page}");
    match outcome {
        Ok(CallbackOutcome::Denied { error, description }) => {
            assert_eq!(error, "access_denied");
            assert_eq!(description.as_deref(), Some("<script>alert(1)</script>"));
        }
        other => panic!("expected Denied, got {other:?}"),
    }
}
