#!/bin/sh
# RFC 5782 blocklist probes through the server's own resolver, all names (the arguments) in
# parallel. Output: one `probe NAME STATUS ANSWER…` line per name.
probe() {
  if command -v dig >/dev/null 2>&1; then
    out=$(dig +time=3 +tries=2 +noall +comments +answer A "$1" 2>&1)
    st=$(printf '%s\n' "$out" | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -n 1)
    [ -n "$st" ] || st=TIMEOUT
    ans=$(printf '%s\n' "$out" | awk '$4 == "A" { printf "%s ", $5 }')
  else
    ans=$(getent ahostsv4 "$1" 2>/dev/null | awk '{ print $1 }' | sort -u | tr '\n' ' ')
    if [ -n "$ans" ]; then st=FOUND; else st=NOTFOUND; fi
  fi
  printf 'probe %s %s %s\n' "$1" "$st" "$ans"
}
for n in "$@"; do probe "$n" & done
wait
