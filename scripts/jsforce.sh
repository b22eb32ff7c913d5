#!/bin/sh
# The independent Salesforce client the simulated org's Metadata API is tested against
# (jsforce, tests/jsforce/read-metadata.mjs).
#
#   scripts/jsforce.sh install   npm ci into tests/jsforce/node_modules (gitignored),
#                                unless the jsforce installed there is already the version
#                                package-lock.json pins; installs Debian's nodejs and npm
#                                first if missing (as root)
#
# `cargo test` runs the client itself (tests/cli/metadata/jsforce.rs); it only needs
# `install` first. JSFORCE_DIR replaces tests/jsforce. Progress goes to stderr.
set -eu

dir=$(cd "${JSFORCE_DIR:-$(dirname "$0")/../tests/jsforce}" && pwd)

ensure_node() {
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "jsforce: node/npm not found: install Node.js 20+ (Debian: sudo apt-get install nodejs npm) and run this again" >&2
        exit 1
    fi
    echo "jsforce: node/npm not found: running apt-get update && apt-get install -y nodejs npm" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq nodejs npm >/dev/null
}

pinned_version() {
    node -p 'require(process.argv[1]).packages["node_modules/jsforce"].version' \
        "$dir/package-lock.json"
}

installed_version() {
    manifest="$dir/node_modules/jsforce/package.json"
    if [ -f "$manifest" ]; then
        node -p 'require(process.argv[1]).version' "$manifest" 2>/dev/null || true
    fi
}

install() {
    ensure_node
    pinned=$(pinned_version) || {
        echo "jsforce: cannot read the pinned version from $dir/package-lock.json" >&2
        exit 1
    }
    installed=$(installed_version)
    if [ "$installed" = "$pinned" ]; then
        return 0
    fi
    echo "jsforce: installing $pinned (npm ci)" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
    installed=$(installed_version)
    if [ "$installed" != "$pinned" ]; then
        echo "jsforce: after npm ci, node_modules has '${installed:-nothing}', not $pinned" >&2
        exit 1
    fi
}

case "${1:-}" in
    install) install ;;
    *)
        echo "usage: $0 install" >&2
        exit 2
        ;;
esac
