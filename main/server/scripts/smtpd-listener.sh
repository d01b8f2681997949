#!/bin/sh
# Where smtpd takes mail on port 25, as Postfix itself reads its configuration: master.cf's
# inet services (postconf -M: comments dropped, continuation lines joined) whose command is
# smtpd or postscreen and whose port is 25 or smtp, listening on the host the service names
# (127.0.0.1:smtp, [::1]:25, 0.0.0.0:25, a host name) or, without one, on each of main.cf's
# inet_interfaces (all, loopback-only or addresses and names) in the families of
# inet_protocols. A loopback address is preferred; a wildcard is asked on loopback.
# Used by outbound-probe.sh and by the apply's certificate health check (transaction.sh).
# Output, one line:
#   listener CONNECT SERVICE   CONNECT as openssl s_client -connect takes it (HOST:25, [V6]:25)
#   none SERVICES              no smtpd on port 25; SERVICES: its inet services, comma-separated (- when none)
set -u
protocols=$(postconf -xh inet_protocols 2>/dev/null) || protocols=all
interfaces=$(postconf -xh inet_interfaces 2>/dev/null) || interfaces=all
case $protocols in *all* | *ipv4*) wildcard=127.0.0.1 ;; *) wildcard=::1 ;; esac

# address HOST: the address (or name) to connect to for a listening host as Postfix writes it.
address() {
  h=$1
  case $h in \[*\]) h=${h#\[} h=${h%\]} ;; esac
  case $h in
    '' | '*' | all | loopback-only) printf '%s' "$wildcard" ;;
    0.0.0.0) printf '127.0.0.1' ;;
    :: | ::0) printf '::1' ;;
    *) printf '%s' "$h" ;;
  esac
}
loopback() { case $1 in 127.* | ::1 | localhost | localhost.*) return 0 ;; esac; return 1; }

best='' best_service='' other=''
for service in $(postconf -M 2>/dev/null | awk '$2 == "inet" && ($8 == "smtpd" || $8 == "postscreen") { print $1 }'); do
  case $service in
    \[*\]:*) host=${service%\]:*} host=${host#\[} port=${service##*\]:} ;;
    *:*) host=${service%:*} port=${service##*:} ;;
    *) host='' port=$service ;;
  esac
  case $port in
    25 | smtp) ;;
    *) other=$other${other:+,}$service; continue ;;
  esac
  if [ -n "$host" ]; then hosts=$host; else hosts=$(printf '%s' "$interfaces" | tr ',' ' '); fi
  for h in $hosts; do
    a=$(address "$h")
    if [ -z "$best" ] || { loopback "$a" && ! loopback "$best"; }; then best=$a best_service=$service; fi
  done
done

if [ -z "$best" ]; then
  printf 'none %s\n' "${other:--}"
else
  case $best in *:*) connect="[$best]:25" ;; *) connect="$best:25" ;; esac
  printf 'listener %s %s\n' "$connect" "$best_service"
fi
