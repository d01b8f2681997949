#!/bin/bash
# isolated.sh COMMAND [ARG...]: runs COMMAND (a host suite, e2e) with a test host of its own,
# so several worktrees can use test hosts at once on one machine. It waits for one of
# HOMEMAIL_HOST_SLOTS (default 2) free slots, then runs COMMAND
#   - in a private network namespace with only loopback up: the host's sshd (2222), nsd
#     (127.53.0.1:53) and smtpd bind the same addresses in every namespace without clashing;
#   - with the slot's own instance directory and lock (/var/tmp/homemail-testhost-slotN).
# Root only (unshare). Platform bases in /var/cache/homemail-testhost are shared read-only;
# the base of HOMEMAIL_HOST_PLATFORM (default bookworm) is built or reused here first,
# because there is no network inside the namespace.
set -euo pipefail
if [[ $# -lt 1 ]]; then
  echo "usage: isolated.sh COMMAND [ARG...]" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/hostctl.sh" build-base --platform "${HOMEMAIL_HOST_PLATFORM:-bookworm}" >/dev/null
slots=${HOMEMAIL_HOST_SLOTS:-2}
slot=
waited=0
while [[ -z $slot ]]; do
  for ((i = 1; i <= slots; i++)); do
    exec {slot_fd}>"/var/tmp/homemail-testhost-slot$i.slot"
    if flock -n "$slot_fd"; then
      slot=$i
      break
    fi
    exec {slot_fd}>&-
  done
  if [[ -z $slot ]]; then
    ((waited++ % 20 == 0)) && echo "isolated.sh: all $slots test-host slots busy; waiting" >&2
    sleep 3
  fi
done
export HOMEMAIL_HOST_DIR=/var/tmp/homemail-testhost-slot$slot
export HOMEMAIL_HOST_LOCK=/var/tmp/homemail-testhost-slot$slot.lock
exec unshare --net --fork -- bash -c 'ip link set lo up && exec "$@"' isolated "$@"
