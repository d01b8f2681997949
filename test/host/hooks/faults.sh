# shellcheck shell=sh
# Test-only hook for the transaction worker (main/server/scripts/transaction.sh): the host
# tests send it in the bundle, preceded by a line FAULT=KIND:STAGE, and the worker sources
# it after reading the bundle. The app never sends it. KIND: fail | drop | kill.
# Variables DIR (this apply's directory) come from the worker.
fault_at() { # stage
  case $FAULT in
    "fail:$1") return 0 ;;
    "drop:$1")
      # cut the SSH connection of the waiting client, then carry on: the first sshd process
      # above the client's shell (OpenSSH 10, e.g. trixie, names it sshd-session)
      p=$(cat "$DIR/fg.pid" 2>/dev/null)
      while [ -n "$p" ] && [ "$p" -gt 1 ]; do
        case $(cat "/proc/$p/comm" 2>/dev/null) in sshd|sshd-session) kill -TERM "$p"; break ;; esac
        p=$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null)
      done
      sleep 1
      return 1 ;;
    "kill:$1") kill -KILL $$ ;;
  esac
  return 1
}
