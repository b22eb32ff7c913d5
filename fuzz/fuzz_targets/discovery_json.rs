//! A discovery document served by a loopback "login host": discovery never panics or
//! fails (a bad document falls back); a document it uses names only URLs the host rule
//! allows; its warnings are each said once, print nothing hidden and never quote a query.
#![no_main]

use std::sync::{Arc, Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use sf_webex_setup::net::Http;
use sf_webex_setup::oauth::discovery::discover;
use sf_webex_setup::salesforce::endpoints::check_destination;
use sf_webex_setup::salesforce::hosts::{HostKind, LoginHost};
use sf_webex_setup::text::is_hidden;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::runtime::Runtime;
use url::Url;

struct Fixture {
    rt: Runtime,
    http: Http,
    login: LoginHost,
    body: Arc<Mutex<Vec<u8>>>,
}

/// One runtime, client and server for the whole run: the server answers every request
/// with 200 and the current input as the body.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let body = Arc::new(Mutex::new(Vec::new()));
        let served = Arc::clone(&body);
        let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        rt.spawn(async move {
            loop {
                let Ok((mut s, _)) = listener.accept().await else { continue };
                let body = served.lock().unwrap().clone();
                tokio::spawn(async move {
                    let mut req = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                        match s.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => req.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = s.write_all(head.as_bytes()).await;
                    let _ = s.write_all(&body).await;
                    let _ = s.shutdown().await;
                });
            }
        });
        Fixture {
            http: Http::new().unwrap(),
            login: LoginHost {
                base: Url::parse(&format!("http://{addr}/")).unwrap(),
                kind: HostKind::Custom,
            },
            rt,
            body,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    *f.body.lock().unwrap() = data.to_vec();
    let d =
        f.rt.block_on(discover(&f.http, &f.login, true))
            .expect("a loopback host that answers never fails discovery");
    if d.fallback.is_none() {
        let e = &d.endpoints;
        for url in [&e.authorize, &e.token, &e.revoke, &e.userinfo]
            .into_iter()
            .chain(e.introspect.as_ref())
        {
            assert!(check_destination(url, true).is_ok(), "{url}");
        }
    }
    for (i, w) in d.warnings.iter().enumerate() {
        assert!(!d.warnings[..i].contains(w), "said twice: {w}");
        assert!(!w.chars().any(is_hidden), "{w:?}");
    }
    // Queries in the document's URLs (they may carry a code or state) stay out of messages.
    if let Ok(serde_json::Value::Object(doc)) = serde_json::from_slice(data) {
        for v in doc.values().filter_map(|v| v.as_str()) {
            let Some(q) = Url::parse(v)
                .ok()
                .and_then(|u| u.query().map(str::to_owned))
            else {
                continue;
            };
            // A host cannot hold '?', so "?query" in a warning is the query leaking.
            let shown = format!("?{q}");
            assert!(
                d.warnings.iter().all(|w| !w.contains(&shown)),
                "{q} in {:?}",
                d.warnings
            );
        }
    }
});
