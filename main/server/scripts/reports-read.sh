#!/bin/sh
# The report reader's second round trip, run as root: the report mailboxes, streamed. First the
# total it will send, then each mbox (its newest $2 bytes, one tail) and each Maildir's newest
# files within $2 bytes (one awk over many files through xargs, not a process per message),
# then the evidence for the known SpamAssassin issue.
# Arguments: $1 a random token that marks the sections, $2 the size cap in bytes, then
# FORMAT:PATH for each mailbox (mbox or maildir).
tok=$1; cap=$2; shift 2
lists=$(mktemp -d) || exit 1
trap 'rm -rf -- "$lists"' EXIT
total=0; n=0
for spec in "$@"; do
  n=$((n + 1))
  fmt=${spec%%:*}; p=${spec#*:}
  case $p in /*) ;; *) p=./$p ;; esac
  if [ "$fmt" = mbox ]; then
    [ -f "$p" ] || continue
    size=$(wc -c < "$p")
    if [ "$size" -gt "$cap" ]; then total=$((total + cap)); else total=$((total + size)); fi
  else
    [ -d "$p" ] || continue
    find "$p/new" "$p/cur" -maxdepth 1 -type f ! -name '*[[:cntrl:]]*' -printf '%T@ %s %p\n' 2>/dev/null | sort -rn |
      awk -v cap="$cap" -v list="$lists/$n" -v sizes="$lists/$n.size" '
        { size = $2; used += size; if (used > cap) { print "truncated" > sizes; exit } sub(/^[^ ]+ [^ ]+ /, ""); print > list; kept += size }
        END { print "size " kept + 0 >> sizes }'
    s=$(sed -n 's/^size //p' "$lists/$n.size" 2>/dev/null)
    total=$((total + ${s:-0}))
  fi
done
printf '%s total %s\n' "$tok" "$total"
n=0
for spec in "$@"; do
  n=$((n + 1))
  fmt=${spec%%:*}; p=${spec#*:}
  case $p in /*) ;; *) p=./$p ;; esac
  if [ "$fmt" = mbox ]; then
    [ -f "$p" ] || continue
    size=$(wc -c < "$p")
    printf '%s mbox %s %s\n' "$tok" "$size" "$p"
    tail -c "$cap" -- "$p"
    printf '\n'
  else
    grep -q '^truncated' "$lists/$n.size" 2>/dev/null && printf '%s truncated\n' "$tok"
    [ -s "$lists/$n" ] || continue
    tr '\n' '\0' < "$lists/$n" | xargs -0 awk -v tok="$tok" 'FNR == 1 { printf "%s maildir %s\n", tok, FILENAME } { print }'
  fi
done
printf '%s logs\n' "$tok"
for f in /var/log/mail.log /var/log/mail.err /var/log/mail.warn /var/log/syslog; do
  [ -r "$f" ] && grep -h -F "isn't numeric in numeric ge" -- "$f" 2>/dev/null | tail -n 20
done
printf '%s versions\n' "$tok"
command -v dpkg-query >/dev/null 2>&1 && dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' spamassassin libmail-dkim-perl 2>/dev/null
printf '%s end\n' "$tok"
