#!/bin/sh
# Salesforce's own client libraries the tests hold the tool to: jsforce reads the simulated
# org's Metadata API (tests/jsforce/read-metadata.mjs); source-deploy-retrieve resolves the
# emitted app (tests/jsforce/resolve-source.mjs).
#
#   scripts/jsforce.sh install   npm ci into tests/jsforce/node_modules (gitignored),
#                                unless every package below is installed there at the
#                                version package-lock.json pins; installs Debian's nodejs
#                                and npm first if missing (as root)
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

# The packages the tests import.
packages="jsforce @salesforce/source-deploy-retrieve"

# The version package-lock.json pins for package $1.
pinned_version() {
    node -p 'require(process.argv[1]).packages["node_modules/" + process.argv[2]].version' \
        "$dir/package-lock.json" "$1"
}

# The version of package $1 in node_modules, or nothing.
installed_version() {
    manifest="$dir/node_modules/$1/package.json"
    if [ -f "$manifest" ]; then
        node -p 'require(process.argv[1]).version' "$manifest" 2>/dev/null || true
    fi
}

# The first package whose installed version is not the pinned one, as "NAME INSTALLED
# PINNED" (INSTALLED is "nothing" when absent); nothing when all match.
first_mismatch() {
    for p in $packages; do
        pinned=$(pinned_version "$p") || {
            echo "jsforce: cannot read the pinned version of $p from $dir/package-lock.json" >&2
            exit 1
        }
        installed=$(installed_version "$p")
        if [ "$installed" != "$pinned" ]; then
            echo "$p ${installed:-nothing} $pinned"
            return 0
        fi
    done
}

install() {
    ensure_node
    mismatch=$(first_mismatch)
    if [ -z "$mismatch" ]; then
        return 0
    fi
    set -- $mismatch
    echo "jsforce: $1 is $2 in node_modules but package-lock.json pins $3: running npm ci" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
    mismatch=$(first_mismatch)
    if [ -n "$mismatch" ]; then
        set -- $mismatch
        echo "jsforce: after npm ci, node_modules has $1 '$2', not $3" >&2
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
