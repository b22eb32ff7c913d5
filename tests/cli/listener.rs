//! The loopback callback listener against real sockets, paste mode, and `$BROWSER`.
//!
//! Each listener test plays the browser on a spawned task (reqwest without redirects, or a
//! raw `TcpStream`) while the test task runs `Listener::wait`; nothing waits by sleeping.

use std::io::Write as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use oauth2::CsrfToken;
use sf_webex_setup::error::AppError;
use sf_webex_setup::oauth::browser::{browser_available, BrowserOpener, SystemBrowser};
use sf_webex_setup::oauth::listener::{CallbackOutcome, Listener, ListenerError};
use sf_webex_setup::oauth::paste::{parse_pasted, PasteError};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use url::Url;

const STATE: &str = "st4te-0123456789abcdef0123456789abcdef";
const WAIT: Duration = Duration::from_secs(20);

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL parses")
}

fn state() -> CsrfToken {
    CsrfToken::new(STATE.to_owned())
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("reqwest client")
}

async fn bind_any() -> Listener {
    Listener::bind(&[url("http://127.0.0.1:0/OauthRedirect")])
        .await
        .expect("bind an ephemeral loopback port")
}

fn callback(base: &Url, query: &str) -> String {
    format!("{base}?{query}")
}

/// Sends the genuine callback, checks the 303, follows it; returns the final page.
async fn complete(c: &reqwest::Client, base: &Url, query: &str) -> (String, String) {
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

async fn wait(listener: Listener) -> Result<CallbackOutcome, ListenerError> {
    listener.wait(&state(), WAIT, &mut |_| {}).await
}

fn code_of(outcome: Result<CallbackOutcome, ListenerError>) -> String {
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

#[tokio::test]
async fn a_half_sent_request_does_not_block_the_valid_callback() {
    let listener = bind_any().await;
    let base = listener.redirect_uri().clone();
    let addr = listener.local_addrs()[0];
    // Connected and half-sent before the listener even starts serving; held open throughout.
    let mut slow = tokio::net::TcpStream::connect(addr).await.expect("connect");
    slow.write_all(b"GET /OauthRedirect?code=slow&sta")
        .await
        .expect("half a request line");
    let mut slow_headers = tokio::net::TcpStream::connect(addr).await.expect("connect");
    slow_headers
        .write_all(b"GET /OauthRedirect HTTP/1.1\r\nHost: x\r\nX-Slow: 1")
        .await
        .expect("unterminated headers");
    let browser = tokio::spawn(async move {
        complete(&client(), &base, &format!("code=fast&state={STATE}")).await
    });
    let started = Instant::now();
    let outcome = wait(listener).await;
    browser.await.expect("browser task");
    assert_eq!(code_of(outcome), "fast");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "took {:?}",
        started.elapsed()
    );
    drop((slow, slow_headers));
}

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed_after_the_header_timeout() {
    let limit = Duration::from_millis(300);
    let listener = bind_any().await.with_header_read_timeout(limit);
    let base = listener.redirect_uri().clone();
    let addr = listener.local_addrs()[0];
    let browser = tokio::spawn(async move {
        let mut slow = tokio::net::TcpStream::connect(addr).await.expect("connect");
        slow.write_all(b"GET /OauthRedirect HTTP/1.1\r\nHost: x\r\n")
            .await
            .expect("unterminated headers");
        let started = Instant::now();
        let mut buf = [0u8; 1024];
        // Bounded: read until the server closes the connection (EOF or reset).
        let closed = tokio::time::timeout(Duration::from_secs(8), async {
            while matches!(slow.read(&mut buf).await, Ok(n) if n > 0) {}
        })
        .await
        .is_ok();
        let took = started.elapsed();
        complete(
            &client(),
            &base,
            &format!("code=after-slowloris&state={STATE}"),
        )
        .await;
        (closed, took)
    });
    let outcome = wait(listener).await;
    let (closed, took) = browser.await.expect("browser task");
    assert!(closed, "the half-sent connection was never closed");
    assert!(
        took >= limit / 2 && took < Duration::from_secs(5), // given time, closed soon after
        "closed after {took:?}"
    );
    assert_eq!(code_of(outcome), "after-slowloris");
}

#[tokio::test]
async fn no_callback_times_out_within_bound_and_closes_the_port() {
    let listener = bind_any().await;
    let addr = listener.local_addrs()[0];
    let limit = Duration::from_millis(400);
    let started = Instant::now();
    let mut ticks = Vec::new();
    let outcome = listener
        .wait(&state(), limit, &mut |left| ticks.push(left))
        .await;
    let took = started.elapsed();
    assert!(
        matches!(outcome, Err(ListenerError::Timeout(d)) if d == limit),
        "{outcome:?}"
    );
    assert!(
        took >= limit && took < limit + Duration::from_secs(2),
        "took {took:?}"
    );
    assert!(
        !ticks.is_empty() && ticks.iter().all(|t| *t <= limit),
        "{ticks:?}"
    );
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "port still open"
    );
    let err = AppError::from(ListenerError::Timeout(limit));
    assert_eq!(err.exit_code(), 5);
    assert!(
        err.fix.as_deref().is_some_and(|f| f.contains("--paste")),
        "{err}"
    );
}

fn occupied() -> (std::net::TcpListener, u16) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("occupy a port");
    let port = l.local_addr().expect("addr").port();
    (l, port)
}

#[tokio::test]
async fn a_busy_port_falls_back_to_the_next_registered_loopback_callback() {
    let (_busy, p1) = occupied();
    let p2 = occupied().1; // released at once: free for the listener
    let callbacks = [
        url("https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html"),
        url(&format!("http://127.0.0.1:{p1}/OauthRedirect")),
        url(&format!("http://127.0.0.1:{p2}/OauthRedirect")),
    ];
    let listener = Listener::bind(&callbacks).await.expect("second port binds");
    assert_eq!(
        listener.redirect_uri().as_str(),
        format!("http://127.0.0.1:{p2}/OauthRedirect")
    );
}

#[tokio::test]
async fn with_every_port_busy_the_error_lists_them_and_says_how_to_fix_it() {
    let (_a, p1) = occupied();
    let (_b, p2) = occupied();
    let callbacks = [
        url(&format!("http://localhost:{p1}/OauthRedirect")),
        url(&format!("http://127.0.0.1:{p2}/OauthRedirect")),
    ];
    let err = Listener::bind(&callbacks).await.expect_err("all busy");
    assert!(
        matches!(&err, ListenerError::PortBusy { tried } if *tried == vec![p1, p2]),
        "{err:?}"
    );
    let app = AppError::from(err);
    assert_eq!(app.exit_code(), 2);
    assert!(
        app.message.contains(&p1.to_string()) && app.message.contains(&p2.to_string()),
        "{app}"
    );
    let fix = app.fix.unwrap_or_default();
    assert!(
        fix.contains("--callback-port") && fix.contains("/OauthRedirect"),
        "{fix}"
    );
}

#[tokio::test]
async fn without_a_loopback_callback_nothing_is_bound_and_the_fix_names_the_line_to_add() {
    let callbacks = [
        url("https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html"),
        url("http://example.com:1717/OauthRedirect"),
    ];
    let err = Listener::bind(&callbacks)
        .await
        .expect_err("no loopback callback");
    assert!(matches!(err, ListenerError::NoLoopbackCallback), "{err:?}");
    let app = AppError::from(err);
    assert_eq!(app.exit_code(), 2);
    assert!(app
        .fix
        .unwrap_or_default()
        .contains("http://localhost:1717/OauthRedirect"));
}

#[tokio::test]
async fn localhost_binds_both_ipv4_and_ipv6_loopback() {
    let listener = Listener::bind(&[url("http://localhost:0/OauthRedirect")])
        .await
        .expect("bind");
    let port = listener.redirect_uri().port().expect("port");
    assert_eq!(listener.redirect_uri().host_str(), Some("localhost"));
    let addrs = listener.local_addrs();
    assert!(
        addrs.contains(&SocketAddr::from(([127, 0, 0, 1], port))),
        "{addrs:?}"
    );
    let ipv6 = std::net::TcpListener::bind("[::1]:0").is_ok();
    let v6_addr = SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, port));
    if ipv6 {
        assert!(addrs.contains(&v6_addr), "{addrs:?}");
    } else {
        // Not a failure even with CI=true: the machine truly has no IPv6 loopback to bind.
        eprintln!("skipped: no IPv6 loopback ([::1] cannot be bound here); only 127.0.0.1 checked");
    }
    let browser = tokio::spawn(async move {
        let host = if ipv6 {
            format!("[::1]:{port}")
        } else {
            format!("127.0.0.1:{port}")
        };
        let base = url(&format!("http://{host}/OauthRedirect"));
        complete(
            &client(),
            &base,
            &format!("code=via-loopback&state={STATE}"),
        )
        .await
    });
    let outcome = wait(listener).await;
    browser.await.expect("browser task");
    assert_eq!(code_of(outcome), "via-loopback");
}

// ---- paste mode

fn cb() -> Url {
    url("http://localhost:1717/OauthRedirect")
}

#[test]
fn paste_accepts_the_full_callback_address_and_checks_its_state() {
    let pasted = format!("http://localhost:1717/OauthRedirect?code=aPrx%2Bz%3D%3D&state={STATE}");
    let p = parse_pasted(&pasted, &state(), &cb()).expect("accepted");
    assert!(p.state_checked);
    assert_eq!(code_of(Ok(p.outcome)), "aPrx+z==");
    let no_scheme = format!("localhost:1717/OauthRedirect?code=abc&state={STATE}");
    let p = parse_pasted(&no_scheme, &state(), &cb()).expect("address bar without http://");
    assert!(p.state_checked);
}

#[test]
fn paste_accepts_a_bare_code_but_says_the_state_was_not_checked() {
    let p = parse_pasted("aPrxAbCdEf.12_3%3D%3D", &state(), &cb()).expect("bare code");
    assert!(!p.state_checked);
    assert_eq!(code_of(Ok(p.outcome)), "aPrxAbCdEf.12_3==");
}

#[test]
fn paste_refuses_a_wrong_or_missing_state_without_echoing_the_code() {
    let wrong = "http://localhost:1717/OauthRedirect?code=SECRETCODE&state=other";
    let err = parse_pasted(wrong, &state(), &cb()).expect_err("wrong state");
    assert_eq!(err, PasteError::WrongState);
    assert!(!AppError::from(err).to_string().contains("SECRETCODE"));
    let missing = "http://localhost:1717/OauthRedirect?code=SECRETCODE";
    assert_eq!(
        parse_pasted(missing, &state(), &cb()).expect_err("no state"),
        PasteError::MissingState
    );
}

#[test]
fn paste_of_an_error_address_gives_denied() {
    let pasted = format!(
        "http://localhost:1717/OauthRedirect?error=access_denied&error_description=end-user+denied+authorization&state={STATE}"
    );
    let p = parse_pasted(&pasted, &state(), &cb()).expect("denied is an outcome");
    assert!(p.state_checked);
    match p.outcome {
        CallbackOutcome::Denied { error, description } => {
            assert_eq!(error, "access_denied");
            assert_eq!(
                description.as_deref(),
                Some("end-user denied authorization")
            );
        }
        other => panic!("expected Denied, got {other:?}"),
    }
}

#[test]
fn paste_trims_quotes_and_spaces() {
    let pasted = format!("  \"http://localhost:1717/OauthRedirect?code=q1&state={STATE}\" \n");
    assert_eq!(
        code_of(Ok(parse_pasted(&pasted, &state(), &cb())
            .expect("quoted")
            .outcome)),
        "q1"
    );
    let bare = parse_pasted(" 'aPrxAbCdEf' ", &state(), &cb()).expect("quoted bare code");
    assert_eq!(code_of(Ok(bare.outcome)), "aPrxAbCdEf");
    assert_eq!(
        parse_pasted(" \"\" ", &state(), &cb()).expect_err("empty"),
        PasteError::Empty
    );
}

#[test]
fn paste_refuses_another_path_or_port_and_shows_no_query() {
    for pasted in [
        format!("http://localhost:1717/Other?code=SECRETCODE&state={STATE}"),
        format!("http://localhost:1718/OauthRedirect?code=SECRETCODE&state={STATE}"),
        format!(
            "https://login.salesforce.com/services/oauth2/authorize?code=SECRETCODE&state={STATE}"
        ),
    ] {
        let err = parse_pasted(&pasted, &state(), &cb()).expect_err("wrong callback");
        assert!(matches!(err, PasteError::WrongCallback { .. }), "{err:?}");
        assert!(!err.to_string().contains("SECRETCODE"), "{err}");
        assert!(
            err.to_string()
                .contains("http://localhost:1717/OauthRedirect"),
            "{err}"
        );
    }
    let junk = parse_pasted("I clicked allow", &state(), &cb()).expect_err("junk");
    assert_eq!(junk, PasteError::NotACode);
}

#[test]
fn paste_never_panics_on_odd_input() {
    let odd = [
        "",
        "\"",
        "'",
        "“",
        "<>",
        "://",
        "http://",
        "http://[::1",
        "localhost:",
        "localhost:99999/x",
        "?",
        "&&&",
        "=",
        "%",
        "%ZZ%",
        "code=",
        "state=",
        "error=",
        "\u{0}",
        "💥💥💥💥💥💥💥💥",
        "code=%FF%FE&state=%",
        "http://localhost:1717/OauthRedirect?code=a&code=b&state=x",
    ];
    for input in odd {
        // Any answer is fine; panicking or echoing is not.
        if let Err(e) = parse_pasted(input, &state(), &cb()) {
            assert!(!e.to_string().is_empty(), "{input:?}");
        }
    }
}

// ---- $BROWSER

#[test]
fn system_browser_runs_browser_with_the_exact_url_and_does_not_wait_for_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("opened");
    let script = dir.path().join("fake-browser");
    {
        let mut f = std::fs::File::create(&script).expect("script");
        // Writes its argument, then lingers: `open` must return without waiting for it.
        writeln!(
            f,
            "#!/bin/sh\nprintf '%s' \"$1\" > '{0}.tmp' && mv '{0}.tmp' '{0}'\nexec sleep 5",
            out.display()
        )
        .expect("write script");
    }
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let authorize = "https://login.salesforce.com/services/oauth2/authorize?response_type=code\
&client_id=3MVG9x%3D&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&state=a'b";
    let previous = std::env::var_os("BROWSER");
    std::env::set_var("BROWSER", &script);
    let available = browser_available();
    let started = Instant::now();
    let opened = SystemBrowser.open(authorize);
    let took = started.elapsed();
    match previous {
        Some(v) => std::env::set_var("BROWSER", v),
        None => std::env::remove_var("BROWSER"),
    }
    assert!(available, "a $BROWSER that exists counts as available");
    assert_eq!(opened, Ok(()));
    assert!(took < Duration::from_secs(2), "open blocked for {took:?}");
    let deadline = Instant::now() + Duration::from_secs(10);
    let got = loop {
        if let Ok(s) = std::fs::read_to_string(&out) {
            break s;
        }
        assert!(Instant::now() < deadline, "the browser script never ran");
        std::thread::sleep(Duration::from_millis(10)); // poll interval, bounded by the deadline
    };
    assert_eq!(got, authorize);
}
