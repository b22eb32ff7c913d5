#!/bin/sh
# The independent OAuth server the OAuth proof is tested against (panva's oidc-provider,
# tests/oidc/server.mjs), on loopback only.
#
#   scripts/oidc-provider.sh install   npm ci into tests/oidc/node_modules (gitignored),
#                                      unless the oidc-provider installed there is already
#                                      the version package-lock.json pins; installs
#                                      Debian's nodejs and npm first if missing (as root)
#   scripts/oidc-provider.sh start     install if needed, start on 127.0.0.1 in the
#                                      background, print its base URL, write its pid file
#   scripts/oidc-provider.sh stop      stop the server `start` started
#
# `cargo test` starts its own servers (tests/cli/oidc.rs); it only needs `install` first.
# Environment for `start`: OIDC_PORT (default 0 = any free port), OIDC_CLIENT_ID,
# OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS (see tests/oidc/server.mjs).
# OIDC_PROVIDER_DIR replaces tests/oidc (the script's own tests use a copy).
# Progress goes to stderr: `start` prints only the URL on stdout.
set -eu

dir=$(cd "${OIDC_PROVIDER_DIR:-$(dirname "$0")/../tests/oidc}" && pwd)
# Kept inside node_modules, which is gitignored.
pidfile="$dir/node_modules/.server.pid"
logfile="$dir/node_modules/.server.log"

# Node.js and npm, from Debian's packages when missing (root only: otherwise say how).
ensure_node() {
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "oidc-provider: node/npm not found: install Node.js 20+ (Debian: sudo apt-get install nodejs npm) and run this again" >&2
        exit 1
    fi
    echo "oidc-provider: node/npm not found: running apt-get update && apt-get install -y nodejs npm" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nodejs npm >/dev/null
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -lt 20 ]; then
        echo "oidc-provider: warning: Debian gave Node.js $major; tests/oidc/package.json asks for 20+" >&2
    fi
}

# The oidc-provider version package-lock.json pins.
pinned_version() {
    node -p 'require(process.argv[1]).packages["node_modules/oidc-provider"].version' \
        "$dir/package-lock.json"
}

# The version in node_modules, or nothing.
installed_version() {
    manifest="$dir/node_modules/oidc-provider/package.json"
    if [ -f "$manifest" ]; then
        node -p 'require(process.argv[1]).version' "$manifest" 2>/dev/null || true
    fi
}

install() {
    ensure_node
    pinned=$(pinned_version) || {
        echo "oidc-provider: cannot read the pinned version from $dir/package-lock.json" >&2
        exit 1
    }
    installed=$(installed_version)
    if [ "$installed" = "$pinned" ]; then
        return 0
    fi
    if [ -n "$installed" ]; then
        echo "oidc-provider: $installed is installed but package-lock.json pins $pinned: running npm ci" >&2
    else
        echo "oidc-provider: installing $pinned (npm ci)" >&2
    fi
    # npm ci installs exactly what package-lock.json pins (and first removes node_modules).
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
    installed=$(installed_version)
    if [ "$installed" != "$pinned" ]; then
        echo "oidc-provider: after npm ci, node_modules has '${installed:-nothing}', not $pinned" >&2
        exit 1
    fi
}

start() {
    install
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "already running (pid $(cat "$pidfile")); run: $0 stop" >&2
        exit 1
    fi
    : >"$logfile"
    (cd "$dir" && exec node server.mjs "${OIDC_PORT:-0}") >"$logfile" 2>&1 &
    echo $! >"$pidfile"
    # Wait (bounded) for the ready line rather than sleeping a fixed time.
    i=0
    while [ $i -lt 100 ]; do
        url=$(sed -n 's/^READY //p' "$logfile")
        if [ -n "$url" ]; then
            echo "$url"
            return 0
        fi
        if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
            echo "oidc-provider exited during start-up:" >&2
            cat "$logfile" >&2
            exit 1
        fi
        i=$((i + 1))
        sleep 0.1
    done
    echo "oidc-provider did not print its ready line within 10 s; log: $logfile" >&2
    exit 1
}

stop() {
    if [ -f "$pidfile" ]; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    fi
}

case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: $0 install|start|stop" >&2
        exit 2
        ;;
esac
