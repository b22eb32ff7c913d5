#!/usr/bin/env bash
# What this Linux machine can check of the other platforms (scripts/test runs it; see
# README "Supported platforms" for what only the hosted workflow can run):
#
#   lint   cargo clippy --all-targets --locked -D warnings for x86_64-pc-windows-gnu,
#          aarch64-apple-darwin and x86_64-apple-darwin: every line of Rust, the macOS and
#          Windows store code and their #[cfg] tests included, type-checked and linted.
#   build  a Windows .exe linked with Debian's mingw-w64, and a static Linux binary
#          (x86_64-unknown-linux-musl, musl-tools) that must run
#          `init --demo --non-interactive --json --login` to "status":"ok". Both are debug
#          builds without debug info: they prove the code links and the static binary runs;
#          a release build would add ~6 minutes here, and the release binaries are built
#          by the hosted workflow (.github/workflows/release.yml).
#
# usage: scripts/cross-platform.sh [lint|build]...   (default: both)
# Needs the rustup targets and Debian packages that scripts/test installs. Prints how long
# each step took and the binaries' sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

figure() { printf 'figure: %s\n' "$*"; }

# Runs "$@" and prints its wall time under the label $1.
timed() {
    local label=$1 start end
    shift
    start=$(date +%s.%N)
    "$@"
    end=$(date +%s.%N)
    figure "$(awk -v l="$label" -v a="$start" -v b="$end" 'BEGIN { printf "%s: %.1f s", l, b - a }')"
}

# ring's build script compiles C and assembly for the target. For the Apple targets that
# needs the macOS SDK, which Debian cannot provide; a check never links, so its link
# instructions are supplied here instead of running the build script (the links name is
# versioned: read it from Cargo.lock). Everything else, ring's Rust included, is checked.
ring_override() {
    local target=$1 version
    version=$(awk '$0 == "name = \"ring\"" { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
    printf 'target.%s.ring_core_%s_.rustc-link-lib=[]' "$target" "${version//./_}"
}

lint() {
    local target
    export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
    timed "clippy x86_64-pc-windows-gnu" \
        cargo clippy --target x86_64-pc-windows-gnu --all-targets --locked -- -D warnings
    for target in aarch64-apple-darwin x86_64-apple-darwin; do
        timed "clippy $target" cargo clippy --target "$target" --all-targets --locked \
            --config "$(ring_override "$target")" -- -D warnings
    done
}

size_of() { awk -v n="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MiB", n / 1048576 }'; }

build() {
    local dir=${CARGO_TARGET_DIR:-target}
    local exe=$dir/x86_64-pc-windows-gnu/debug/sf-webex-setup.exe
    local musl=$dir/x86_64-unknown-linux-musl/debug/sf-webex-setup
    # No debug info: it would only slow the links and make ~120 MiB files.
    export CARGO_PROFILE_DEV_DEBUG=false
    timed "debug build x86_64-pc-windows-gnu (mingw-w64 link)" env \
        CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
        cargo build --locked --target x86_64-pc-windows-gnu --bin sf-webex-setup
    x86_64-w64-mingw32-objdump -f "$exe" | grep -q 'file format pei-x86-64' || {
        echo "cross-platform: $exe is not a Windows x86-64 executable" >&2
        exit 1
    }
    figure "Windows exe (debug) $(size_of "$exe"), PE32+; not run here (see README)"

    timed "debug build x86_64-unknown-linux-musl" env CC_x86_64_unknown_linux_musl=musl-gcc \
        cargo build --locked --target x86_64-unknown-linux-musl --bin sf-webex-setup
    if readelf -l "$musl" | grep -q INTERP || readelf -d "$musl" | grep -q NEEDED; then
        echo "cross-platform: $musl is not statically linked" >&2
        exit 1
    fi
    figure "static Linux binary (debug) $(size_of "$musl")"
    # A throw-away HOME and config: the demo stores nothing, but must not read a real index.
    local home out
    home=$(mktemp -d)
    out=$(env -i PATH="$PATH" HOME="$home" XDG_CONFIG_HOME="$home/.config" \
        "$musl" init --demo --non-interactive --json --login) || {
        rm -rf "$home"
        echo "cross-platform: the static binary's demo failed: $out" >&2
        exit 1
    }
    rm -rf "$home"
    case "$out" in
        '{"status":"ok"'*) figure "static binary: init --demo --non-interactive --json --login → \"status\":\"ok\"" ;;
        *)
            echo "cross-platform: the static binary's demo did not end ok: $out" >&2
            exit 1
            ;;
    esac
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(lint build)
for step in "${steps[@]}"; do
    case "$step" in
        lint | build) "$step" ;;
        *)
            sed -n '2,17p' "$0" >&2
            exit 2
            ;;
    esac
done
