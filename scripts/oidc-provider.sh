#!/bin/sh
# The independent OAuth server the OAuth proof is tested against (panva's oidc-provider,
# tests/oidc/server.mjs), on loopback only.
#
#   scripts/oidc-provider.sh install   npm ci into tests/oidc/node_modules (gitignored)
#   scripts/oidc-provider.sh start     install if needed, start on 127.0.0.1 in the
#                                      background, print its base URL, write its pid file
#   scripts/oidc-provider.sh stop      stop the server `start` started
#
# `cargo test` starts its own servers (tests/cli/oidc.rs); it only needs `install` first.
# Environment for `start`: OIDC_PORT (default 0 = any free port), OIDC_CLIENT_ID,
# OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS (see tests/oidc/server.mjs).
set -eu

dir=$(cd "$(dirname "$0")/../tests/oidc" && pwd)
# Kept inside node_modules, which is gitignored.
pidfile="$dir/node_modules/.server.pid"
logfile="$dir/node_modules/.server.log"

install() {
    command -v npm >/dev/null 2>&1 || {
        echo "npm not found: install Node.js 20+ (Debian: apt-get install nodejs npm)" >&2
        exit 1
    }
    if [ -d "$dir/node_modules/oidc-provider" ]; then
        return 0
    fi
    # npm ci installs exactly what package-lock.json pins.
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
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
