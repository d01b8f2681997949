#!/bin/bash
# send-test's server side, run as root by bash (for /dev/tcp). Everything variable arrives as
# positional arguments quoted by the client; nothing is pasted into this text.
set -u
from=$1 to=$2 user=$3 token=$4 msg_sendmail=$5 msg_smtp=$6 wait=$7
PATH=/usr/sbin:/usr/bin:/sbin:/bin
home_mailbox=$(postconf -xh home_mailbox 2>/dev/null)
spool=$(postconf -xh mail_spool_directory 2>/dev/null); spool=${spool:-/var/mail}
home=$(getent passwd "$user" | cut -d: -f6)
case $home_mailbox in
  */) mailbox="$home/$home_mailbox" ;;
  '') mailbox="$spool/$user" ;;
  *) mailbox="$home/$home_mailbox" ;;
esac
echo "==HOMEMAIL mailbox $mailbox"
# A reason as a code and its params (code TAB name=value …), which main renders from the
# catalogs (words.checks.reason.<code>); tabs and newlines inside a value become spaces.
why() { local code=$1; shift; printf '%s' "$code"; for kv in "$@"; do printf '\t%s' "$(printf '%s' "$kv" | tr '\t\n' '  ')"; done; }
# sendmail's complaints go to a directory only root can read, removed on exit.
work=$(mktemp -d) || { echo "==HOMEMAIL sent sendmail fail $(why tempDirFailed)"; exit 1; }
trap 'rm -rf "$work"' EXIT
# The paths that handed the message over: only their copies are waited for.
sent=
if printf '%s' "$msg_sendmail" | sendmail -i -f "$from" -- "$to" 2>"$work/sendmail.err"; then
  echo "==HOMEMAIL sent sendmail ok $(why sendmailAccepted)"; sent="$sent sendmail"
else
  echo "==HOMEMAIL sent sendmail fail $(why sendmailFailed "output=$(head -c 600 "$work/sendmail.err")")"
fi
smtp_reply() {
  local line
  while IFS= read -r -t 30 line <&3; do
    line=${line%$'\r'}
    case $line in [0-9][0-9][0-9]' '*|[0-9][0-9][0-9]) reply=$line; return 0 ;; esac
  done
  reply=; return 1
}
smtp() {
  exec 3<>/dev/tcp/127.0.0.1/25 || { connected=no; return 1; }
  smtp_reply && [ "${reply%% *}" = 220 ] || return 1
  printf 'EHLO localhost\r\n' >&3; smtp_reply && [ "${reply%% *}" = 250 ] || return 1
  printf 'MAIL FROM:<%s>\r\n' "$from" >&3; smtp_reply && [ "${reply%% *}" = 250 ] || return 1
  printf 'RCPT TO:<%s>\r\n' "$to" >&3; smtp_reply && [ "${reply%% *}" = 250 ] || return 1
  printf 'DATA\r\n' >&3; smtp_reply && [ "${reply%% *}" = 354 ] || return 1
  printf '%s\r\n.\r\n' "$msg_smtp" >&3; smtp_reply && [ "${reply%% *}" = 250 ] || return 1
  printf 'QUIT\r\n' >&3; exec 3>&-
  return 0
}
connected=yes reply=
if smtp; then echo "==HOMEMAIL sent smtp ok $(why smtpAccepted "reply=$reply")"; sent="$sent smtp"
elif [ "$connected" = no ]; then echo "==HOMEMAIL sent smtp fail $(why smtpCannotConnect)"
elif [ -z "$reply" ]; then echo "==HOMEMAIL sent smtp fail $(why smtpNoAnswer)"
else echo "==HOMEMAIL sent smtp fail $(why smtpRefused "reply=$reply")"; fi
find_message() { # tag
  if [ -d "$mailbox" ]; then
    f=$(grep -rlF -- "X-Homemail-Test: $token-$1" "$mailbox/new" "$mailbox/cur" 2>/dev/null | head -n 1)
    [ -n "$f" ] && cat "$f"
  elif [ -f "$mailbox" ]; then
    awk -v tag="X-Homemail-Test: $token-$1" '
      /^From / { if (found) exit; msg = ""; first = 1 }
      { if (!first) msg = msg $0 "\n"; first = 0; if (index($0, tag) == 1) found = 1 }
      END { if (found) printf "%s", msg }' "$mailbox"
  fi
}
for tag in $sent; do
  i=0
  while :; do
    out=$(find_message "$tag")
    if [ -n "$out" ]; then echo "==HOMEMAIL message $tag"; printf '%s\n' "$out" | base64 -w0; echo; break; fi
    i=$((i+1)); [ "$i" -ge $((wait*2)) ] && { echo "==HOMEMAIL missing $tag"; break; }
    sleep 0.5
  done
done
echo "==HOMEMAIL end"
