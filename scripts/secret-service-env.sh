#!/bin/sh
# Runs a command inside a private D-Bus session with a throw-away HOME, XDG dirs and
# XDG_RUNTIME_DIR, and a real gnome-keyring-daemon providing the Secret Service.
#
# usage: scripts/secret-service-env.sh [--locked | --no-provider] CMD [ARGS...]
#   (default)      the daemon is started with --unlock: the default "login" collection
#                  exists and is unlocked (what a desktop session gives you).
#   --locked       a login keyring is first created with a password, then the daemon is
#                  restarted WITHOUT --unlock: the collection exists but is locked (what an
#                  SSH session on a desktop machine gives you). Unlock prompts cannot be
#                  shown (no display), so they fail.
#   --no-provider  a session bus with no service files: nothing provides
#                  org.freedesktop.secrets (a server or container with D-Bus, no keyring).
#
# The command's exit status is returned. The daemons' own chatter (dbus-daemon's "Failed
# to set fd limit" as root without CAP_SYS_RESOURCE, activation notices, gnome-keyring's
# start-up messages) goes to a log that is printed only if the Secret Service does not
# become ready; SECRET_SERVICE_ENV_VERBOSE=1 leaves it on stderr. The command's own
# stderr is untouched. Everything created lives under one temporary
# folder that is removed afterwards. The real HOME is never touched: with it, D-Bus would
# auto-start a locked daemon on the user's own keyring. CARGO_HOME and RUSTUP_HOME keep
# pointing at the real toolchain so `cargo test` works inside.
#
# Needs: dbus-run-session (dbus), gnome-keyring-daemon (gnome-keyring); secret-tool
# (libsecret-tools) for the tests. scripts/install-test-deps-keyring.sh installs them.
set -eu

mode=unlocked
case "${1:-}" in
  --locked) mode=locked; shift ;;
  --no-provider) mode=no-provider; shift ;;
  --help|-h|'') sed -n '2,22p' "$0"; [ -n "${1:-}" ] && exit 0; exit 2 ;;
esac

for tool in dbus-run-session gnome-keyring-daemon dbus-send; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "secret-service-env: '$tool' is missing; run scripts/install-test-deps-keyring.sh" >&2
    exit 127
  fi
done

export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"

root=$(mktemp -d "${TMPDIR:-/tmp}/secret-service-env.XXXXXX")
# gnome-keyring-daemon instances that D-Bus auto-started in our sessions do not exit with
# their bus: end them, and only them (found by their throw-away HOME), by process id.
stop_our_daemons() {
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}; pid=${pid%/environ}
    [ "$pid" = "$$" ] && continue
    # A process may end between the glob and the read: ignore those quietly.
    if { tr '\0' '\n' <"$environ"; } 2>/dev/null | grep -qxF "HOME=$root/home"; then
      kill "$pid" 2>/dev/null || true
    fi
  done
}
cleanup() { stop_our_daemons; rm -rf "$root"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# The daemons write to $daemon_log (see the header). dbus-run-session starts the bus through
# this wrapper; services the bus auto-starts inherit the bus's stderr.
daemon_log="$root/daemons.log"
if [ -n "${SECRET_SERVICE_ENV_VERBOSE:-}" ]; then
  daemon_log=/dev/stderr
fi
export SECRET_SERVICE_ENV_DAEMON_LOG="$daemon_log"
printf '#!/bin/sh\nexec dbus-daemon "$@" 2>>"$SECRET_SERVICE_ENV_DAEMON_LOG"\n' >"$root/dbus-daemon"
chmod +x "$root/dbus-daemon"
quiet_bus="--dbus-daemon=$root/dbus-daemon"

# Set BEFORE dbus-run-session: services the bus auto-starts inherit the bus's environment.
export HOME="$root/home"
export XDG_RUNTIME_DIR="$root/run"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL
# Tells the tests they are inside a throw-away session (they never touch a real keyring).
export SECRET_SERVICE_ENV="$mode"
# Throw-away password of the throw-away keyring; not a secret.
export SECRET_SERVICE_ENV_PASSWORD="${SECRET_SERVICE_ENV_PASSWORD:-throwaway-test-password}"

# Waits (bounded) until the Secret Service owns its bus name and its default collection
# reports Locked = $1 ("false" or "true"). Runs inside the session.
wait_ready='
want=$1; shift
i=0
while [ $i -lt 100 ]; do
  if dbus-send --session --print-reply --reply-timeout=1000 --dest=org.freedesktop.secrets \
       /org/freedesktop/secrets/aliases/default org.freedesktop.DBus.Properties.Get \
       string:org.freedesktop.Secret.Collection string:Locked 2>/dev/null | grep -q "boolean $want"; then
    exec "$@"
  fi
  i=$((i + 1)); sleep 0.05
done
echo "secret-service-env: the Secret Service did not become ready (Locked=$want) within 5 s; daemon messages:" >&2
[ -n "${SECRET_SERVICE_ENV_VERBOSE:-}" ] || cat "$SECRET_SERVICE_ENV_DAEMON_LOG" >&2 2>/dev/null
exit 1
'

case "$mode" in
  unlocked)
    exec_in_session='printf %s "$SECRET_SERVICE_ENV_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>>"$SECRET_SERVICE_ENV_DAEMON_LOG"
      '"$wait_ready"
    dbus-run-session "$quiet_bus" -- sh -c "$exec_in_session" sh false "$@"
    ;;
  locked)
    # 1: create the login keyring (with the password) and let the session end.
    create='printf %s "$SECRET_SERVICE_ENV_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>>"$SECRET_SERVICE_ENV_DAEMON_LOG"
      '"$wait_ready"
    # Its own runtime dir: that daemon may outlive its bus for a moment, and a daemon
    # started later in the same dir would find its control socket and defer to it.
    XDG_RUNTIME_DIR="$root/run-create" sh -c 'mkdir -m 700 "$XDG_RUNTIME_DIR" &&
      exec dbus-run-session "$2" -- sh -c "$1" sh false true' sh "$create" "$quiet_bus"
    [ -f "$XDG_DATA_HOME/keyrings/login.keyring" ] || {
      echo "secret-service-env: no login keyring was created in $XDG_DATA_HOME/keyrings" >&2; exit 1; }
    # 2: a new session whose daemon starts without --unlock: the keyring is locked.
    exec_in_session='gnome-keyring-daemon --start --components=secrets >/dev/null 2>>"$SECRET_SERVICE_ENV_DAEMON_LOG"
      '"$wait_ready"
    dbus-run-session "$quiet_bus" -- sh -c "$exec_in_session" sh true "$@"
    ;;
  no-provider)
    # A session bus with no <servicedir>: nothing can be auto-started on it.
    cat >"$root/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$XDG_RUNTIME_DIR</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
    dbus-run-session "$quiet_bus" --config-file="$root/bus.conf" -- "$@"
    ;;
esac
