#!/bin/sh
# The report reader's third round trip: the PTR name of each source address, looked up in
# parallel through the server's resolver. Arguments: the addresses.
for ip in "$@"; do
  (
    n=''
    if command -v dig >/dev/null 2>&1; then n=$(dig +short +time=2 +tries=1 -x "$ip" 2>/dev/null | grep '\.$' | head -n 1); fi
    [ -n "$n" ] || n=$(getent hosts "$ip" 2>/dev/null | awk '{ print $2; exit }')
    printf 'ptr %s %s\n' "$ip" "$n"
  ) &
done
wait
