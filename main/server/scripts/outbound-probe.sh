#!/bin/bash
# The way out, found from the server in one round trip (as root, for the Let's Encrypt files).
# Never sends a message: port probes read the banner and say QUIT.
# Arguments: PROBE_DOMAIN MAIL_DOMAIN POLICY_ZONE SECONDS LISTENER_SCRIPT SNAKEOIL_FILES LE_LIVE_DIRS DNSBL_SCRIPT ECHO…
#   (LISTENER_SCRIPT: smtpd-listener.sh, where smtpd takes port-25 mail)
#   (SNAKEOIL_FILES, LE_LIVE_DIRS: space-separated, from the platform table's rows)
#   ECHO = SERVER,NAME,TYPE: a DNS server that answers NAME with the asker's address (A or TXT).
# Output, one record a line, free text base64 (one line):
#   HOMEMAIL-POSTCONF / postconf -x lines / HOMEMAIL-FACTS
#   dig yes|no
#   mx STATUS [PREF HOST]…          the probe domain's MX (STATUS: NOERROR, NXDOMAIN, SERVFAIL, TIMEOUT, …)
#   mailmx STATUS [PREF HOST]…      the mail domain's MX (the name the certificate must carry), when given
#   target HOST ADDR                 the MX host tried and its address
#   port PORT RESULT B64BANNER       RESULT: banner, silent (connected, no greeting), closed, timeout, refused, unreachable, error
#   echo SERVER STATUS ADDR          the public address as a DNS echo service saw it
#   ptr ADDR STATUS NAME…            reverse names of the public address
#   fwd NAME STATUS ADDR…            forward A/AAAA of the reverse name, myhostname and the HELO name
#   probe NAME STATUS ANSWER…        policy-list answers (the RFC 5782 probe script's lines)
#   smtpd listener CONNECT SERVICE | smtpd none SERVICES   where smtpd takes port-25 mail (smtpd-listener.sh)
#   starttls offered|not-offered|unreachable|not-listening|no-openssl
#   verify CODE B64TEXT              openssl's verification of the chain smtpd presents
#   chain B64PEM                     the certificates smtpd presents, leaf first
#   osrelease B64TEXT                /etc/os-release (the platform row is chosen from it)
#   snakeoil PATH B64PEM             each distribution snake-oil certificate present
#   le DIR NAME B64PEM               each Let's Encrypt live certificate
#   relaymap TYPE B64PATH B64TEXT|-|?  each table sender_dependent_relayhost_maps names (sender → relay,
#                                    no secrets): its source text, - unreadable, ? a kind not read from a file
#   HOMEMAIL-END
set -u
probe_domain=$1 mail_domain=$2 policy_zone=$3 seconds=$4 listener_script=$5 snakeoil_files=$6 le_dirs=$7 dnsbl_script=$8
shift 8
tmp=$(mktemp -d)

b64() { base64 -w0 2>/dev/null || base64 | tr -d '\n'; }

printf 'HOMEMAIL-POSTCONF\n'
postconf -x myhostname mydomain smtp_helo_name relayhost smtp_sasl_auth_enable smtp_sasl_password_maps smtp_sasl_security_options \
  sender_dependent_relayhost_maps smtp_tls_security_level smtpd_tls_security_level smtpd_tls_cert_file smtpd_tls_chain_files inet_interfaces 2>/dev/null
printf 'HOMEMAIL-FACTS\n'

have_dig=no
command -v dig >/dev/null 2>&1 && have_dig=yes
printf 'dig %s\n' "$have_dig"

# dns TYPE NAME [@SERVER]: "STATUS answer…" through the server's resolver (or SERVER).
dns() {
  local type=$1 name=$2 server=${3:-} out st ans
  if [ "$have_dig" = yes ]; then
    set -- "$type" "$name"
    [ "$type" = PTR ] && set -- -x "$name"
    if [ -n "$server" ]; then out=$(dig +time=2 +tries=1 +noall +comments +answer "@$server" "$@" 2>&1)
    else out=$(dig +time=2 +tries=2 +noall +comments +answer "$@" 2>&1); fi
    st=$(printf '%s\n' "$out" | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -n 1)
    [ -n "$st" ] || st=TIMEOUT
    ans=$(printf '%s\n' "$out" | awk -v t="$type" '$4 == t { $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); gsub(/"/, ""); gsub(/ /, "_"); printf "%s ", $0 }')
  else
    case $type in
      A) ans=$(getent ahostsv4 "$name" 2>/dev/null | awk '{ print $1 }' | sort -u | tr '\n' ' ') ;;
      AAAA) ans=$(getent ahostsv6 "$name" 2>/dev/null | awk '{ print $1 }' | sort -u | tr '\n' ' ') ;;
      PTR) ans=$(getent hosts "$name" 2>/dev/null | awk '{ print $2 "." }') ;;
      *) ans='' ;;
    esac
    if [ -n "$ans" ]; then st=FOUND; else st=NOTFOUND; fi
  fi
  printf '%s %s' "$st" "$ans"
}

# nibbles ADDR: an IPv6 address's 32 hex digits in reverse order, dot-separated (its ip6.arpa
# name without ip6.arpa): how Spamhaus documents IPv6 queries of its lists
# (docs.spamhaus.com, "DQS Requests", Queries for IPv6 addresses). Fails on anything else.
nibbles() {
  local head tail hex='' g i out=''
  local -a h=() t=()
  case $1 in *::*) head=${1%%::*} tail=${1#*::} ;; *) head=$1 tail='' ;; esac
  [ -z "$head" ] || IFS=: read -ra h <<<"$head"
  [ -z "$tail" ] || IFS=: read -ra t <<<"$tail"
  [[ $1 == *::* ]] || [ ${#h[@]} -eq 8 ] || return 1
  for g in "${h[@]}" -- "${t[@]}"; do
    if [ "$g" = -- ]; then
      for ((i = ${#h[@]} + ${#t[@]}; i < 8; i++)); do hex+=0000; done
      continue
    fi
    [[ $g =~ ^[0-9a-fA-F]{1,4}$ ]] || return 1
    hex+=$(printf '%04x' "0x$g")
  done
  [ ${#hex} -eq 32 ] || return 1
  for ((i = 31; i >= 0; i--)); do out+="${hex:i:1}."; done
  printf '%s' "${out%.}"
}

# port HOST PORT: connect, read the greeting, say QUIT.
port() {
  local out rc result
  # shellcheck disable=SC2016 # the inner script's variables are its own
  out=$(timeout "$((seconds + 1))" bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 3
    IFS= read -r -t "$3" line <&3; rc=$?
    if [ $rc -gt 128 ]; then exit 4; elif [ $rc -ne 0 ] && [ -z "$line" ]; then exit 5; fi
    printf "QUIT\r\n" >&3
    printf "%s" "$line"' homemail-port "$1" "$2" "$seconds" 2>&1)
  rc=$?
  case $rc in
    0) result=banner ;;
    4) result=silent; out='' ;;
    5) result=closed; out='' ;;
    124) result=timeout; out='' ;;
    *) case $out in
         *refused*) result=refused ;;
         *unreachable*|*"No route"*) result=unreachable ;;
         *) result=error ;;
       esac ;;
  esac
  printf 'port %s %s %s\n' "$2" "$result" "$(printf '%s' "$out" | tr -d '\r' | b64)"
}

# 1. Port 25 (and 587 beside it) to the probe domain's first MX, while the echo services answer.
(
  if [ "$have_dig" = yes ]; then
    read -r st rest <<<"$(dns MX "$probe_domain")"
    printf 'mx %s %s\n' "$st" "${rest//_/ }"
    host=$(printf '%s\n' "$rest" | tr ' ' '\n' | awk -F_ 'NF == 2 { print $1, $2 }' | sort -n | awk 'NR == 1 { print $2 }')
    host=${host%.}
    if [ -n "$host" ]; then
      read -r _ addr _ <<<"$(dns A "$host")"
      [ -n "${addr:-}" ] || read -r _ addr _ <<<"$(dns AAAA "$host")"
      if [ -n "${addr:-}" ]; then
        printf 'target %s %s\n' "$host" "$addr"
        port "$addr" 25 > "$tmp/p25" &
        port "$addr" 587 > "$tmp/p587" &
        wait
        cat "$tmp/p25" "$tmp/p587"
      fi
    fi
  else
    printf 'mx NODIG\n'
  fi
) > "$tmp/ports" &

# 2. The public address, by DNS echo services (no web service), in parallel.
i=0
for spec in "$@"; do
  i=$((i + 1))
  (
    IFS=, read -r server name type <<<"$spec"
    read -r st ans _ <<<"$(dns "$type" "$name" "$server")"
    printf 'echo %s %s %s\n' "$server" "$st" "${ans:-}"
  ) > "$tmp/echo$i" &
done
wait
cat "$tmp/ports"
public=''
for f in "$tmp"/echo*; do
  [ -f "$f" ] || continue
  cat "$f"
  read -r _ _ st a _ < "$f"
  case ${a:-x} in *[!0-9a-fA-F:.]*) continue ;; esac
  if [ -z "$public" ] && [ "$st" = NOERROR ]; then public=$a; fi
done

# 3. Reverse and forward names, the policy list, through the server's own resolver.
myhostname=$(postconf -xh myhostname 2>/dev/null)
helo=$(postconf -xh smtp_helo_name 2>/dev/null)
names=("$myhostname" "$helo")
if [ -n "$public" ]; then
  read -r st rest <<<"$(dns PTR "$public")"
  printf 'ptr %s %s %s\n' "$public" "$st" "$rest"
  for n in $rest; do names+=("${n%.}"); done
  # The list's own name for the address, then its RFC 5782 IPv4 test entries (listed / not).
  own=''
  case $public in
    *:*) own=$(nibbles "$public") || own='' ;;
    *.*.*.*) IFS=. read -r a b c d <<<"$public"; own=$d.$c.$b.$a ;;
  esac
  [ -z "$own" ] || sh -c "$dnsbl_script" homemail-dnsbl "$own.$policy_zone" "2.0.0.127.$policy_zone" "1.0.0.127.$policy_zone"
fi
printf '%s\n' "${names[@]}" | sort -u | while read -r n; do
  [ -n "$n" ] || continue
  read -r st4 a4 <<<"$(dns A "$n")"
  read -r _ a6 <<<"$(dns AAAA "$n")"
  printf 'fwd %s %s %s %s\n' "$n" "$st4" "${a4:-}" "${a6:-}"
done

if [ -n "$mail_domain" ] && [ "$have_dig" = yes ]; then
  read -r st rest <<<"$(dns MX "$mail_domain")"
  printf 'mailmx %s %s\n' "$st" "${rest//_/ }"
fi

# 4. What smtpd presents to a sender that asks for STARTTLS, where it listens for port 25.
listener=$(sh -c "$listener_script" homemail-listener)
printf 'smtpd %s\n' "$listener"
read -r kind connect _ <<<"$listener"
if [ "$kind" != listener ]; then
  printf 'starttls not-listening\n'
elif command -v openssl >/dev/null 2>&1; then
  out=$(timeout 15 openssl s_client -starttls smtp -connect "$connect" -servername "$myhostname" -showcerts </dev/null 2>&1)
  if printf '%s' "$out" | grep -q -- '-----BEGIN CERTIFICATE-----'; then
    printf 'starttls offered\n'
    line=$(printf '%s\n' "$out" | grep -m1 'Verify return code:' | sed 's/^ *//')
    code=$(printf '%s' "$line" | sed -n 's/.*Verify return code: \([0-9]*\).*/\1/p')
    printf 'verify %s %s\n' "${code:-?}" "$(printf '%s' "$line" | b64)"
    printf 'chain %s\n' "$(printf '%s\n' "$out" | sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' | b64)"
  elif printf '%s' "$out" | grep -qi 'starttls'; then
    printf 'starttls not-offered\n'
  else
    printf 'starttls unreachable\n'
  fi
else
  printf 'starttls no-openssl\n'
fi
[ -r /etc/os-release ] && printf 'osrelease %s\n' "$(b64 < /etc/os-release)"
for f in $snakeoil_files; do
  [ -r "$f" ] && printf 'snakeoil %s %s\n' "$f" "$(b64 < "$f")"
done
for live in $le_dirs; do
  for d in "$live"/*/; do
    [ -r "$d/cert.pem" ] || continue
    n=${d%/}
    printf 'le %s %s %s\n' "$live" "${n##*/}" "$(b64 < "$d/cert.pem")"
  done
done
# 5. The tables of sender-dependent relays, as postmap reads their source (proxy: is looked through).
for spec in $(postconf -xh sender_dependent_relayhost_maps 2>/dev/null | tr ',' ' '); do
  case $spec in *:*) ;; *) continue ;; esac
  spec=${spec#proxy:}
  type=${spec%%:*} path=${spec#*:}
  case $type in
    hash | btree | lmdb | cdb | dbm | sdbm | texthash | regexp | pcre)
      if [ -f "$path" ] && [ -r "$path" ]; then text=$(head -c 65536 "$path" | b64); else text=-; fi ;;
    *) text='?' ;;
  esac
  printf 'relaymap %s %s %s\n' "$type" "$(printf '%s' "$path" | b64)" "$text"
done
rm -rf "$tmp"
printf 'HOMEMAIL-END\n'
