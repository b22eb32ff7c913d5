//! The built binary on networks admins are really on: proxies in the environment (loopback
//! stays direct, the proxy is named but never its credentials), a TLS-inspecting network's
//! private CA given through `SSL_CERT_FILE`, and a test server whose discovery document
//! names another origin for its token endpoint.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use sf_webex_setup::recipe;
use sf_webex_setup::simulator::{SimConfig, Simulator};

use crate::support::{
    assert_cmd, complete_flags_for, loopback_port, Envelope, Sandbox, KEY, SECRET,
};

const PROXY_VARIABLES: [&str; 3] = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"];

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_dead_proxy_in_the_environment_does_not_catch_the_demo_on_loopback() {
    let mut cmd = assert_cmd(&Sandbox::new());
    cmd.args(["init", "--demo", "--non-interactive", "--login", "--json"]);
    for var in PROXY_VARIABLES {
        // Port 9 (discard): nothing answers there.
        cmd.env(var, "http://127.0.0.1:9");
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let env = Envelope::parse(&out.stdout);
    assert_eq!(env.status, "ok");
}

/// A proxy that refuses every tunnel, recording the first line of each request.
fn refusing_proxy() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut head = [0u8; 2048];
            let n = stream.read(&mut head).unwrap_or(0);
            let text = String::from_utf8_lossy(&head[..n]).into_owned();
            record
                .lock()
                .unwrap()
                .push(text.lines().next().unwrap_or("").to_string());
            let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
        }
    });
    (port, seen)
}

#[test]
fn a_request_through_a_proxy_names_the_proxy_and_never_its_credentials() {
    let (port, seen) = refusing_proxy();
    let sandbox = Sandbox::new();
    let loopback = recipe::loopback_callback_url(loopback_port());
    let out = assert_cmd(&sandbox)
        .args(complete_flags_for(
            "https://acme.my.salesforce.com",
            &loopback,
        ))
        .args(["--json", "--verbose"])
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .env(
            "HTTPS_PROXY",
            format!("http://proxyuser:pr0xy-pw@127.0.0.1:{port}"),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let env = Envelope::parse(&out.stdout);
    let error = env.error.expect("an error");
    assert_eq!(error.code, "network_error");
    let proxy = format!("http://127.0.0.1:{port}");
    assert!(
        error
            .message
            .contains(&format!("through the proxy {proxy}")),
        "{}",
        error.message
    );
    assert!(
        stderr(&out).contains(&format!("HTTPS_PROXY={proxy}")),
        "--verbose names the proxy: {}",
        stderr(&out)
    );
    let everything = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out);
    assert!(!everything.contains("pr0xy-pw") && !everything.contains("proxyuser"));
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.iter()
            .any(|l| l.starts_with("CONNECT acme.my.salesforce.com:443")),
        "the request went to the proxy: {seen:?}"
    );
}

/// A private CA (the TLS-inspecting proxy's, say) and a certificate for `localhost` it
/// signed: the CA as PEM, and a TLS acceptor serving the certificate.
fn private_ca() -> (String, tokio_rustls::TlsAcceptor) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    use tokio_rustls::rustls;
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Inspecting Proxy Test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = ca.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(leaf_key.serialize_der());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone()], key.into())
        .unwrap();
    (ca.pem(), tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// The simulated org behind a TLS front at `https://localhost:PORT` whose certificate the
/// private CA signed. Served on `rt`.
fn org_over_tls(rt: &tokio::runtime::Runtime, loopback: &str) -> (String, String) {
    let (ca_pem, acceptor) = private_ca();
    rt.block_on(async {
        let front = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let public = format!("https://localhost:{}", front.local_addr().unwrap().port());
        let mut config = SimConfig::webex_ready(&[loopback.to_string()]);
        config.consumer_key = KEY.into();
        config.consumer_secret = SECRET.into();
        let (sim, backend) = Simulator::start_behind(config, url::Url::parse(&public).unwrap())
            .await
            .unwrap();
        tokio::spawn(async move {
            let _sim = sim; // served as long as the front runs
            while let Ok((tcp, _)) = front.accept().await {
                tokio::spawn(forward(acceptor.clone(), tcp, backend));
            }
        });
        (ca_pem, public)
    })
}

async fn forward(acceptor: tokio_rustls::TlsAcceptor, tcp: tokio::net::TcpStream, to: SocketAddr) {
    let Ok(mut tls) = acceptor.accept(tcp).await else {
        return; // the client refused the certificate
    };
    if let Ok(mut backend) = tokio::net::TcpStream::connect(to).await {
        let _ = tokio::io::copy_bidirectional(&mut tls, &mut backend).await;
    }
}

#[test]
fn a_private_ca_given_by_ssl_cert_file_is_trusted_and_without_it_the_certificate_is_named() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let loopback = recipe::loopback_callback_url(loopback_port());
    let (ca_pem, public) = org_over_tls(&rt, &loopback);
    let sandbox = Sandbox::new();
    let ca_file = sandbox.dir.path().join("inspecting-proxy-ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let empty_dir = sandbox.dir.path().join("no-certs");
    std::fs::create_dir(&empty_dir).unwrap();
    let run = |ca: Option<&std::path::Path>| {
        let mut cmd = assert_cmd(&sandbox);
        cmd.args(complete_flags_for(&public, &loopback))
            .arg("--json")
            .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
            .env("SSL_CERT_DIR", &empty_dir);
        match ca {
            Some(file) => cmd.env("SSL_CERT_FILE", file),
            None => cmd.env_remove("SSL_CERT_FILE"),
        };
        cmd.output().unwrap()
    };

    let untrusted = run(None);
    assert_eq!(untrusted.status.code(), Some(5), "{}", stderr(&untrusted));
    let error = Envelope::parse(&untrusted.stdout).error.expect("an error");
    assert_eq!(error.code, "tls_untrusted");
    assert!(
        error
            .message
            .contains("the certificate for localhost is not trusted: your network may inspect TLS"),
        "{}",
        error.message
    );
    assert!(
        error.fix.as_deref().unwrap_or("").contains("SSL_CERT_FILE"),
        "{:?}",
        error.fix
    );

    let trusted = run(Some(&ca_file));
    assert_eq!(trusted.status.code(), Some(0), "{}", stderr(&trusted));
    let env = Envelope::parse(&trusted.stdout).value();
    let checks = env["result"]["checks"].as_array().expect("checks");
    let callback = checks
        .iter()
        .find(|c| c["id"] == "client_and_callback")
        .expect("the no-login checks ran over TLS");
    assert_eq!(callback["status"], "pass", "{callback}");
}

/// Answers every request on `listener` with `body` (JSON) and counts the requests.
fn fixed_server(listener: TcpListener, body: String) -> Arc<AtomicU32> {
    let count = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            answer(stream, &body);
        }
    });
    count
}

fn origin_of(listener: &TcpListener) -> String {
    format!("http://{}", listener.local_addr().unwrap())
}

fn answer(mut stream: TcpStream, body: &str) {
    let mut head = [0u8; 4096];
    let _ = stream.read(&mut head);
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
}

#[test]
fn a_custom_hosts_discovery_naming_another_origin_is_refused_before_the_secret_is_sent() {
    let collector = TcpListener::bind("127.0.0.1:0").unwrap();
    let elsewhere = origin_of(&collector);
    let collected = fixed_server(collector, "{}".into());
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let login = origin_of(&server);
    let document = serde_json::json!({
        "issuer": login,
        "authorization_endpoint": format!("{login}/services/oauth2/authorize"),
        "token_endpoint": format!("{elsewhere}/token"),
        "revocation_endpoint": format!("{login}/services/oauth2/revoke"),
    })
    .to_string();
    fixed_server(server, document);
    let loopback = recipe::loopback_callback_url(loopback_port());
    let out = assert_cmd(&Sandbox::new())
        .args(complete_flags_for(&login, &loopback))
        .arg("--json")
        .env("SF_WEBEX_CONSUMER_SECRET", SECRET)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let error = Envelope::parse(&out.stdout).error.expect("an error");
    assert_eq!(error.code, "endpoint_refused");
    assert!(
        error.message.contains("token_endpoint") && error.message.contains(&elsewhere),
        "{}",
        error.message
    );
    assert_eq!(
        collected.load(Ordering::SeqCst),
        0,
        "nothing reached the other origin"
    );
}
