#!/bin/sh
# Installs what the credential-store tests need on Debian/Ubuntu (run as root, once per
# machine; a no-op when everything is present):
#   dbus              dbus-run-session / dbus-daemon / dbus-send (a private session bus)
#   gnome-keyring     gnome-keyring-daemon (a real Secret Service provider)
#   libsecret-tools   secret-tool (reads and writes entries independently of our code)
#   keyutils          keyctl (a private session keyring for the keyutils store)
set -eu
missing=""
command -v dbus-run-session >/dev/null 2>&1 || missing="$missing dbus"
command -v dbus-send >/dev/null 2>&1 || missing="$missing dbus"
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing="$missing gnome-keyring"
command -v secret-tool >/dev/null 2>&1 || missing="$missing libsecret-tools"
command -v keyctl >/dev/null 2>&1 || missing="$missing keyutils"
if [ -z "$missing" ]; then
  echo "install-test-deps-keyring: dbus, gnome-keyring, libsecret-tools and keyutils are present"
  exit 0
fi
echo "install-test-deps-keyring: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -qq --no-install-recommends $missing >/dev/null
