//! Benchmark of the OAuth proof and of `init --verify`'s probes against the simulated org
//! (run it through `scripts/bench-proof.sh`, which builds it in release).
//!
//! Prints, over N runs: the time from the callback's arrival to the finished report and the
//! HTTP round trips of the proof (the browser step itself is `tests/support/browser.py`);
//! then the wall time of the no-login probes with 0 ms and with added latency per request,
//! and how many round trips deep they are (wall time ÷ latency).
//!
//! Usage: `bench_proof [RUNS] [LATENCY_MS]` (defaults 10 and 100).

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::SecretString;
use sf_webex_setup::browser::{BrowserError, BrowserOpener};
use sf_webex_setup::net::Http;
use sf_webex_setup::proof::options::NoPerson;
use sf_webex_setup::proof::probe::probe;
use sf_webex_setup::proof::{prove, ProofOptions, ProofTarget};
use sf_webex_setup::recipe;
use sf_webex_setup::salesforce::hosts::{parse_login_url, HostPolicy};
use sf_webex_setup::setup::Credentials;
use sf_webex_setup::simulator::{SimConfig, Simulator};

/// `python3 tests/support/browser.py URL`, as `$BROWSER` would run it.
struct ScriptBrowser;

impl BrowserOpener for ScriptBrowser {
    fn open(&self, url: &str) -> Result<(), BrowserError> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/browser.py");
        Command::new("python3")
            .arg(script)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map(|_| ())
            .map_err(|e| BrowserError::BrowserVar(e.to_string()))
    }
}

struct Org {
    sim: Simulator,
    credentials: Credentials,
    callbacks: Vec<String>,
}

async fn org(latency: Duration) -> Org {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(17170);
    let mut config = SimConfig::webex_ready(&[recipe::loopback_callback_url(port)]);
    config.latency = latency;
    let credentials = Credentials {
        consumer_key: config.consumer_key.clone(),
        consumer_secret: SecretString::from(config.consumer_secret.clone()),
    };
    let callbacks = config.callback_urls.clone();
    let sim = Simulator::start(config)
        .await
        .expect("start the simulated org");
    Org {
        sim,
        credentials,
        callbacks,
    }
}

fn stats(label: &str, samples: &mut [Duration]) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = samples[samples.len() / 2];
    println!(
        "{label}: median {:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        ms(median),
        ms(samples[0]),
        ms(samples[samples.len() - 1]),
        samples.len()
    );
}

async fn bench_proof(runs: usize, latency: Duration) {
    let mut to_report = Vec::new();
    let mut trips = Vec::new();
    for _ in 0..runs {
        let org = org(latency).await;
        let login = parse_login_url(org.sim.base_url().as_str(), HostPolicy::AllowCustom)
            .expect("simulator URL");
        let mut opts = ProofOptions::new(Http::new().expect("http"), Arc::new(ScriptBrowser));
        opts.allow_custom_host = true;
        opts.login_timeout = Duration::from_secs(30);
        let target = ProofTarget {
            login: &login,
            credentials: &org.credentials,
            callback_urls: &org.callbacks,
            expected: None,
        };
        let report = prove(&target, &opts, &mut NoPerson, None)
            .await
            .expect("the proof runs");
        assert!(
            report.exit_error().is_none(),
            "the proof failed: {:#?}",
            report.checks
        );
        to_report.push(report.callback_to_report);
        trips.push(report.round_trips);
        org.sim.stop().await;
    }
    let label = format!(
        "proof, {} ms latency: callback → report",
        latency.as_millis()
    );
    stats(&label, &mut to_report);
    trips.sort();
    if let (Some(min), Some(max)) = (trips.first(), trips.last()) {
        println!(
            "proof, {} ms latency: HTTP round trips per proof: min {min}, max {max}",
            latency.as_millis()
        );
    }
    if !latency.is_zero() {
        let median = to_report[to_report.len() / 2];
        println!(
            "proof: round trips deep after the callback ≈ {:.1}",
            median.as_secs_f64() / latency.as_secs_f64()
        );
    }
}

async fn bench_verify(runs: usize, latency: Duration) {
    let org = org(latency).await;
    let login = parse_login_url(org.sim.base_url().as_str(), HostPolicy::AllowCustom)
        .expect("simulator URL");
    let mut walls = Vec::new();
    let mut trips = 0;
    for _ in 0..runs {
        let mut opts = ProofOptions::no_login(Http::new().expect("http"));
        opts.allow_custom_host = true;
        let target = ProofTarget {
            login: &login,
            credentials: &org.credentials,
            callback_urls: &org.callbacks,
            expected: None,
        };
        let started = Instant::now();
        let report = probe(&target, &opts, None).await.report;
        walls.push(started.elapsed());
        assert!(
            report.exit_error().is_none(),
            "the probes failed: {:#?}",
            report.checks
        );
        trips = report.round_trips;
    }
    stats(
        &format!(
            "verify probes, {} ms latency: wall time",
            latency.as_millis()
        ),
        &mut walls,
    );
    println!("verify probes: {trips} HTTP round trips per run");
    if !latency.is_zero() {
        println!(
            "verify probes: round trips deep ≈ {:.1}",
            walls[walls.len() / 2].as_secs_f64() / latency.as_secs_f64()
        );
    }
    org.sim.stop().await;
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(10)
        .max(1);
    let latency = Duration::from_millis(args.next().and_then(|a| a.parse().ok()).unwrap_or(100));
    bench_proof(runs, Duration::ZERO).await;
    bench_proof(runs.min(3), latency).await;
    bench_verify(runs, Duration::ZERO).await;
    bench_verify(runs.min(5), latency).await;
}
