#!/bin/sh
# The report reader's first round trip, run as root: Postfix's mail settings, the alias files,
# the users, and the domain's DMARC, SPF, A/MX addresses through the server's resolver.
# Arguments: $1 a random token that marks the sections, $2 the domain (empty: Postfix's mydomain).
# Names that come from DNS (MX targets) are only ever used quoted.
tok=$1; domain=$2
printf '%s postconf\n' "$tok"
postconf -h myhostname mydomain mydestination home_mailbox mail_spool_directory mailbox_command recipient_delimiter 2>/dev/null
[ -n "$domain" ] || domain=$(postconf -h mydomain 2>/dev/null)
printf '%s domain\n%s\n' "$tok" "$domain"
printf '%s aliases\n' "$tok"
for f in $(postconf -h alias_maps 2>/dev/null | tr ',' '\n' | tr ' ' '\n' | sed -n 's/^\(hash\|lmdb\|btree\|cdb\|dbm\|texthash\)://p' | sort -u); do
  [ -r "$f" ] && cat -- "$f"
done
printf '%s passwd\n' "$tok"
cat /etc/passwd
printf '%s dmarc\n' "$tok"
if command -v dig >/dev/null 2>&1; then dig +short +time=3 +tries=2 TXT "_dmarc.$domain" 2>/dev/null
elif command -v host >/dev/null 2>&1; then host -t TXT "_dmarc.$domain" 2>/dev/null | sed -n 's/^.* descriptive text //p'
fi
printf '%s spf\n' "$tok"
command -v dig >/dev/null 2>&1 && dig +short +time=3 +tries=2 TXT "$domain" 2>/dev/null
printf '%s hosts\n' "$tok"
if command -v dig >/dev/null 2>&1; then
  # MX names come from DNS: each is one quoted word, never split or globbed by the shell.
  { printf '0 %s\n' "$domain"; dig +short +time=3 +tries=1 MX "$domain" 2>/dev/null; } | while read -r _pref h _rest; do
    [ -n "$h" ] || continue
    dig +short +time=3 +tries=1 A "$h" 2>/dev/null; dig +short +time=3 +tries=1 AAAA "$h" 2>/dev/null
  done
fi
printf '%s addrs\n' "$tok"
hostname -I 2>/dev/null | tr ' ' '\n'
printf '%s end\n' "$tok"
