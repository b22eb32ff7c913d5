#!/bin/sh
# Benchmark of `verify --all`: PROFILES stored profiles (kernel keyutils, in a private
# session keyring) re-checked at once against the simulated org with LATENCY added to every
# response. Prints the wall time, that time in round trips (wall / latency) and the peak
# memory of the process. Figures, not assertions.
#
#   scripts/bench-verify-all.sh [PROFILES] [LATENCY_MS] [JOBS]     (defaults: 100, 100, 16)
#
# Needs `keyctl` (Debian package keyutils) and python3.
set -eu
cd "$(dirname "$0")/.."
profiles=${1:-100}
latency=${2:-100}
jobs=${3:-16}
command -v keyctl >/dev/null || { echo "keyctl is needed (apt-get install keyutils)" >&2; exit 1; }
cargo build --release --quiet
exec keyctl session - python3 - "$profiles" "$latency" "$jobs" <<'PY'
import os, re, subprocess, sys, tempfile, time, urllib.request

profiles, latency_ms, jobs = (int(a) for a in sys.argv[1:4])
bin = os.path.abspath("target/release/sf-webex-setup")
config = tempfile.mkdtemp()
env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": config, "XDG_CONFIG_HOME": config}

sim = subprocess.Popen([bin, "simulate", "--latency", f"{latency_ms}ms"], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    base = sim.stdout.readline().strip()
    page = urllib.request.urlopen(base + "demo/consumer").read().decode()
    key = re.search(r'id="consumer-key">([^<]+)<', page).group(1)
    secret = re.search(r'id="consumer-secret">([^<]+)<', page).group(1)
    webex = "https://meetings-api.webex.com/wbxaddin/indexFor3rdAuth.html"
    started = time.perf_counter()
    for i in range(profiles):
        done = subprocess.run([bin, "init", "--non-interactive", "--no-login", "--skip-check",
            "--allow-custom-host", "--store", "keyutils", "--force", "--profile", f"bench-{os.getpid()}-{i}",
            "--login-url", base.rstrip("/"), "--app-name", "Webex", "--contact-email", "a@b.co",
            "--distribution-state", "local", "--callback-url", webex,
            "--callback-url", "http://localhost:1717/OauthRedirect",
            "--scope", "api,web,refresh_token",
            "--security", "secret-web-server-flow,secret-refresh-token-flow,pkce",
            "--consumer-key", key], env={**env, "SF_WEBEX_CONSUMER_SECRET": secret},
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.exit(f"storing profile {i} failed: {done.stderr}")
    print(f"stored {profiles} profiles in {time.perf_counter() - started:.1f} s")

    start = time.perf_counter()
    out = tempfile.TemporaryFile()
    child = subprocess.Popen([bin, "verify", "--all", "--jobs", str(jobs), "--allow-custom-host",
                              "--json"], env=env, stdin=subprocess.DEVNULL, stdout=out,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    peak_mib = usage.ru_maxrss / 1024
    if os.waitstatus_to_exitcode(status) != 0:
        out.seek(0)
        sys.exit(f"verify --all failed: {out.read()[:400]}")
    print(f"verify --all, {profiles} profiles, {latency_ms} ms latency, --jobs {jobs}:")
    print(f"  wall time {wall * 1000:.0f} ms = {wall * 1000 / latency_ms:.1f} round trips of {latency_ms} ms")
    print(f"  peak RSS of the verify --all process {peak_mib:.1f} MiB")
    for i in range(profiles):
        subprocess.run([bin, "remove", "--force", "--store", "keyutils", "--profile",
                        f"bench-{os.getpid()}-{i}"], env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
finally:
    sim.terminate()
PY
