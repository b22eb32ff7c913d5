//! The listener's limits: half-sent and never-finished requests, the login timeout, busy
//! ports, no loopback callback, and binding both address families for `localhost`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use sf_webex_setup::error::AppError;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::*;

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
