#!/bin/sh
# Measures the credential store against a real, private gnome-keyring Secret Service:
#   1. start + teardown of the private bus and unlocked daemon (scripts/secret-service-env.sh)
#   2. secret-tool store + lookup of one entry (the reference: libsecret in C)
#   3. our save (write + read-back + compare) + load, and how fast each failure mode is
#      reported (the "figure:" lines printed by tests/cli/store*)
# usage: scripts/bench-store.sh        (needs scripts/install-test-deps-keyring.sh first)
set -eu
cd "$(dirname "$0")/.."
cargo test --test cli --no-run -q 2>/dev/null

ms() { echo $(( ($2 - $1) / 1000000 )); }

t0=$(date +%s%N)
scripts/secret-service-env.sh true 2>/dev/null
t1=$(date +%s%N)
echo "figure: private bus + unlocked gnome-keyring-daemon, start to teardown: $(ms "$t0" "$t1") ms"

# shellcheck disable=SC2016 # expanded by the inner shell
scripts/secret-service-env.sh sh -c '
  ms() { echo $(( ($2 - $1) / 1000000 )); }
  t0=$(date +%s%N)
  i=0
  while [ $i -lt 10 ]; do
    printf %s "{\"version\":1,\"consumer_key\":\"k\",\"consumer_secret\":\"s$i\",\"login_url\":\"u\"}" |
      secret-tool store --label=bench service sf-webex-setup-bench username bench
    secret-tool lookup service sf-webex-setup-bench username bench >/dev/null
    i=$((i + 1))
  done
  t1=$(date +%s%N)
  echo "figure: secret-tool store + lookup (two processes), mean of 10: $(( $(ms "$t0" "$t1") / 10 )) ms"
  # Alone first (no parallel tests competing for the daemon), then the failure modes.
  cargo test -q --test cli store::a_document_saved_in_the_secret_service_loads_back_identically_and_fast \
    -- --exact --nocapture 2>&1 | grep -o "figure:.*"
  cargo test -q --test cli store:: -- --nocapture 2>&1 | grep -o "figure:.*" | grep -v "median of 10" | sort
' 2>/dev/null
