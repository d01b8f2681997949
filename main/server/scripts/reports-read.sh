#!/bin/sh
# The report reader's second round trip, run as root: the report mailboxes, streamed. First the
# total it will send, then each mbox (its newest $2 bytes, one tail) and each Maildir's newest
# files within $2 bytes (one awk over many files through xargs, not a process per message),
# then the evidence for the known SpamAssassin issue.
# Arguments: $1 a random token that marks the sections, $2 the size cap in bytes, $3 `all` (send
# everything) or `new` (the watch: standard input lists the messages already read, one
# `SIZE HEX-KEY` line each; those are named by one `TOKEN seen SIZE HEX-KEY` line, not sent, and
# every other message comes whole after `TOKEN message SIZE HEX-KEY`), then FORMAT:PATH for each
# mailbox (mbox or maildir). A message's key is its Message-ID; without one, its Date and its
# first Received header (an awk has no hash function, and a process per message is what the
# single awk avoids; Postfix's Received line carries its queue id and the delivery time).
tok=$1; cap=$2; mode=$3; shift 3
lists=$(mktemp -d) || exit 1
trap 'rm -rf -- "$lists"' EXIT
seen=$lists/seen
if [ "$mode" = new ]; then cat > "$seen"; else : > "$seen"; fi
# shellcheck disable=SC2016 # an awk program: its $ are awk's, not the shell's
# Splits mbox text (fmt=mbox) or whole files (fmt=maildir) into messages and sends the new ones.
pick='
BEGIN {
  for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
  while ((getline entry < seenfile) > 0) if (entry ~ /^[0-9]+ [0-9a-f]+$/) seen[entry] = 1
  inhead = 1
}
function hex(s,   i, out) { out = ""; for (i = 1; i <= length(s); i++) out = out sprintf("%02x", ord[substr(s, i, 1)]); return out }
function flush(   key, i) {
  if (!started) return
  key = id != "" ? id : "no-message-id; date=" date "; received=" received
  key = size " " hex(key)
  if (key in seen) printf "%s seen %s\n", tok, key
  else { printf "%s message %s\n", tok, key; for (i = 1; i <= n; i++) print body[i] }
  n = 0; size = 0; inhead = 1; id = ""; date = ""; received = ""; last = ""
}
fmt == "mbox" && /^From / { flush(); started = 1; next }
fmt == "maildir" && FNR == 1 { flush(); started = 1 }
!started { next }
{
  size += length($0) + 1
  line = $0
  if (fmt == "mbox" && line ~ /^>+From /) line = substr(line, 2)
  body[++n] = line
  if (!inhead) next
  if (line == "" || line == "\r") { inhead = 0; next }
  v = line
  if (line ~ /^[ \t]/) {
    gsub(/[ \t\r]/, "", v)
    if (last == "id") id = id v; else if (last == "date") date = date v; else if (last == "received") received = received v
    next
  }
  last = ""
  l = tolower(line)
  sub(/^[^:]*:/, "", v); gsub(/[ \t\r]/, "", v)
  if (l ~ /^message-id:/ && id == "") { last = "id"; id = v }
  else if (l ~ /^date:/ && date == "") { last = "date"; date = v }
  else if (l ~ /^received:/ && received == "") { last = "received"; received = v }
}
END { flush() }
'
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
    if [ "$mode" = new ]; then
      [ "$size" -gt "$cap" ] && printf '%s truncated\n' "$tok"
      tail -c "$cap" -- "$p" | LC_ALL=C awk -v tok="$tok" -v fmt=mbox -v seenfile="$seen" "$pick"
    else
      printf '%s mbox %s %s\n' "$tok" "$size" "$p"
      tail -c "$cap" -- "$p"
      printf '\n'
    fi
  else
    grep -q '^truncated' "$lists/$n.size" 2>/dev/null && printf '%s truncated\n' "$tok"
    [ -s "$lists/$n" ] || continue
    if [ "$mode" = new ]; then
      tr '\n' '\0' < "$lists/$n" | LC_ALL=C xargs -0 awk -v tok="$tok" -v fmt=maildir -v seenfile="$seen" "$pick"
    else
      tr '\n' '\0' < "$lists/$n" | xargs -0 awk -v tok="$tok" 'FNR == 1 { printf "%s maildir %s\n", tok, FILENAME } { print }'
    fi
  fi
done
printf '%s logs\n' "$tok"
for f in /var/log/mail.log /var/log/mail.err /var/log/mail.warn /var/log/syslog; do
  [ -r "$f" ] && grep -h -F "isn't numeric in numeric ge" -- "$f" 2>/dev/null | tail -n 20
done
printf '%s versions\n' "$tok"
command -v dpkg-query >/dev/null 2>&1 && dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' spamassassin libmail-dkim-perl 2>/dev/null
printf '%s end\n' "$tok"
