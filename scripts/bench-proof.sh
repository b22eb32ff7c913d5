#!/bin/sh
# Benchmark of the OAuth proof and of `init --verify` against the simulated org.
#
#   scripts/bench-proof.sh [RUNS] [LATENCY_MS]      (defaults: 10 runs, 100 ms)
#
# Builds examples/bench_proof.rs in release and prints: the time from the callback's
# arrival to the finished report and the number of HTTP round trips the proof makes
# (the browser step is tests/support/browser.py, a real redirect-following browser
# stand-in); then the wall time of the no-login probes with 0 ms and with LATENCY_MS added
# to every simulated request, and how many round trips deep they are.
set -eu
cd "$(dirname "$0")/.."
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed (tests/support/browser.py)" >&2; exit 1; }
cargo build --release --quiet --example bench_proof
exec target/release/examples/bench_proof "${1:-10}" "${2:-100}"
