//! Raw bytes sent to the real loopback listener: it never panics, answers or closes every
//! connection, and keeps listening: a forged or malformed request cannot end the flow
//! (the state is one no input can hold by chance), so a stray path still gets a 404.
#![no_main]

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use oauth2::CsrfToken;
use sf_webex_setup::oauth::callback::Listener;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::runtime::Runtime;
use url::Url;

struct Fixture {
    rt: Runtime,
    addr: SocketAddr,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        // `wait` is not Send (its progress callback), so the listener gets a thread and a
        // runtime of its own; the requests are sent from another.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let callback = Url::parse("http://127.0.0.1:0/OauthRedirect").unwrap();
                let listener = Listener::bind(&[callback])
                    .await
                    .unwrap()
                    .with_header_read_timeout(Duration::from_millis(200));
                tx.send(listener.local_addrs()[0]).unwrap();
                let state = CsrfToken::new("a-state-no-fuzz-input-guesses-9f3b2c7d1e".into());
                let r = listener
                    .wait(&state, Duration::from_secs(86_400), &mut |_: Duration| {})
                    .await;
                panic!("the listener stopped: {r:?}");
            })
        });
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        Fixture {
            rt,
            addr: rx.recv().unwrap(),
        }
    })
}

/// Sends `request`, closes the write half and reads the whole answer (bounded in time).
/// After a half-close the server may drop the connection unanswered (hyper's default, and
/// browsers never half-close), so an empty answer is allowed here.
async fn exchange(addr: SocketAddr, request: &[u8], half_close: bool) -> Vec<u8> {
    let mut s = TcpStream::connect(addr)
        .await
        .expect("the listener accepts");
    let _ = s.write_all(request).await;
    if half_close {
        let _ = s.shutdown().await;
    }
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), s.read_to_end(&mut answer)).await;
    answer
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let answer = f.rt.block_on(exchange(f.addr, data, true));
    if !answer.is_empty() {
        assert!(
            answer.starts_with(b"HTTP/1."),
            "{:?}",
            String::from_utf8_lossy(&answer)
        );
    }
    let probe = f.rt.block_on(exchange(
        f.addr,
        b"GET /favicon.ico HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        false,
    ));
    assert!(
        probe.starts_with(b"HTTP/1.1 404"),
        "{:?}",
        String::from_utf8_lossy(&probe)
    );
});
