#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring,
# so keytar talks to a real Secret Service (as on a Linux desktop) without
# touching the developer's own keychain.
set -euo pipefail
if [ "${TROVE_IN_KEYRING_SESSION:-}" = "1" ]; then exec "$@"; fi
exec dbus-run-session -- bash -c '
  set -euo pipefail
  # --unlock reads the (throwaway) keyring password from stdin.
  eval "$(printf "trove-test-keyring" | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
  export TROVE_IN_KEYRING_SESSION=1
  exec "$@"
' _ "$@"
