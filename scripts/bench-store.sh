#!/bin/sh
# Measures the credential store against a real, private gnome-keyring Secret Service:
#   1. start + teardown of the private bus and unlocked daemon (scripts/secret-service-env.sh)
#   2. secret-tool store + lookup of one entry (the reference: libsecret in C)
#   3. our open / save (write + read-back + compare) / load, and how fast each failure mode
#      is reported (the "figure:" lines printed by tests/cli/store*; debug build)
#   4. the release binary's `status --json` over 10 stored profiles and `remove --force`
# usage: scripts/bench-store.sh        (needs scripts/install-test-deps-keyring.sh first)
set -eu
cd "$(dirname "$0")/.."
cargo test --test cli --no-run -q 2>/dev/null
cargo build --release -q --bin sf-webex-setup 2>/dev/null
export SFWS_RELEASE_BIN="$PWD/target/release/sf-webex-setup"

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

  # 10 profiles written by secret-tool and listed in the index, then the release binary.
  mkdir -p "$XDG_CONFIG_HOME/sf-webex-setup"
  records=""
  for i in 1 2 3 4 5 6 7 8 9 10; do
    printf %s "{\"version\":1,\"consumer_key\":\"k\",\"consumer_secret\":\"s\",\"login_url\":\"https://acme.my.salesforce.com\"}" |
      secret-tool store --label=bench service sf-webex-setup username "p$i"
    records="$records${records:+,}{\"profile\":\"p$i\",\"login_host\":\"acme.my.salesforce.com\",\"store\":\"secret-service\",\"stored_at\":\"2026-11-28T12:00:00Z\",\"last_verified\":null,\"checked\":true}"
  done
  printf "{\"version\":1,\"profiles\":[%s]}" "$records" >"$XDG_CONFIG_HOME/sf-webex-setup/profiles.json"
  t0=$(date +%s%N)
  for i in 1 2 3 4 5 6 7 8 9 10; do "$SFWS_RELEASE_BIN" status --json >/dev/null; done
  t1=$(date +%s%N)
  echo "figure: release status --json, 10 profiles (connect + 10 lookups), mean of 10: $(( $(ms "$t0" "$t1") / 10 )) ms"
  t0=$(date +%s%N)
  for i in 1 2 3 4 5 6 7 8 9 10; do "$SFWS_RELEASE_BIN" remove --profile "p$i" --force >/dev/null; done
  t1=$(date +%s%N)
  echo "figure: release remove --force (connect + delete + index rewrite), mean of 10: $(( $(ms "$t0" "$t1") / 10 )) ms"
' 2>/dev/null
