#!/usr/bin/env bash
# hostctl.sh — the Homemail test world: a throwaway Debian mail server (bookworm or trixie)
# in a chroot plus an authoritative DNS server (nsd) on a loopback address.
#
#   [--platform P]        before or after the command; default $HOMEMAIL_HOST_PLATFORM or
#                         bookworm. Each platform has its own cached base; one host runs at a time.
#
#   build-base            build (or reuse) the cached debootstrap base
#   up [--variant V]      build-base if needed, then start a fresh host (default: fresh)
#   reset --variant V     down + up with variant V
#   down                  stop every process, unmount everything
#   status                print state (exit 0 when the host is up)
#   rotate-host-keys      new sshd host keys, sshd restarted
#   exec [--stdin] -- CMD...   run CMD as root inside the chroot (used by testHost.ts)
#   dns-set ZONE          replace the test records of ZONE with stdin, reload, wait until served
#   test-certs            a test CA (trusted inside) and smtpd certificates in /etc/ssl/homemail-test
#   relay-up              start the ISP relay stand-in (second Postfix, 127.0.0.2:587, STARTTLS, SASL)
#   env                   print the host's facts as KEY=VALUE lines
#   platforms             print the platforms, one a line
#
# Variants: fresh | single-key | other-filters | no-opendkim (see README.md).
# Touches only: the base cache dir, the instance dir, processes whose root is the chroot,
# the nsd it starts, and the loopback addresses/ports listed in README.md.
set -euo pipefail
umask 022

readonly PLATFORMS="bookworm trixie"
readonly CACHE_DIR=${HOMEMAIL_HOST_CACHE:-/var/cache/homemail-testhost}
# Set by select_platform: the Debian suite, its base and its recipe version. A platform's
# recipe version changes only when its own recipe does, so the other bases stay cached.
SUITE=
BASE=
BASE_RECIPE_VERSION=
BASE_PACKAGES=
select_platform() {
  BASE_PACKAGES="openssh-server postfix opendkim opendkim-tools sudo ca-certificates bsd-mailx rsyslog dnsutils procps iproute2 netbase"
  # The ISP relay stand-in (relay-up): Cyrus SASL with its PLAIN/LOGIN modules and sasldb
  # (the same modules Postfix's smtp client needs to authenticate to a relay).
  BASE_PACKAGES+=" libsasl2-modules sasl2-bin"
  case $1 in
    bookworm) BASE_RECIPE_VERSION=4 ;;
    # trixie's postfix only recommends ssl-cert (bookworm's depends on it); a plain
    # `apt install postfix` brings it, and with it the snakeoil certificate smtpd uses.
    trixie) BASE_RECIPE_VERSION=1; BASE_PACKAGES+=" ssl-cert" ;;
    *) die "unknown platform '$1' (platforms: $PLATFORMS)" ;;
  esac
  SUITE=$1
  # The base's name carries its recipe, so a changed recipe builds beside the old base
  # instead of deleting it under a host (in another slot, see isolated.sh) that runs on it.
  BASE=$CACHE_DIR/base-$SUITE-$(base_stamp_text | sha256sum | cut -c1-12)
}
readonly INST=${HOMEMAIL_HOST_DIR:-/var/tmp/homemail-testhost}
readonly ROOT=$INST/root
readonly STATE=$INST/state
readonly KEYS=$STATE/keys
readonly DNSDIR=$STATE/dns
readonly PIDS=$STATE/pids
readonly SSH_PORT=${HOMEMAIL_HOST_SSH_PORT:-2222}
readonly SERVER_ADDR=127.0.0.1
readonly DNS_ADDR=${HOMEMAIL_HOST_DNS_ADDR:-127.53.0.1}
readonly DNS_PORT=${HOMEMAIL_HOST_DNS_PORT:-53}
readonly DOMAIN=example.test
readonly HOSTNAME_FQDN=mail.example.test
readonly ADMIN_PASSWORD="admin Pa55'word"
readonly ROOT_PASSWORD="root-Pa55word"
readonly PEM_PASSPHRASE="pem pass'phrase"
STEP_TIMEOUT=${HOMEMAIL_HOST_STEP_TIMEOUT:-60}
readonly VARIANTS="fresh single-key other-filters no-opendkim"
readonly HOST_TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { printf 'hostctl: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
need_root() { [[ $(id -u) == 0 ]] || die "must run as root"; }

# ---------------------------------------------------------------- mirror
# The Debian mirror comes from this machine's apt configuration (never written in the repo):
# the source listing the suite itself, else the one listing the machine's own release (the
# same Debian archive serves every suite, e.g. trixie on a bookworm machine).
debian_mirror() {
  if [[ -n ${HOMEMAIL_DEBIAN_MIRROR:-} ]]; then echo "$HOMEMAIL_DEBIAN_MIRROR"; return; fi
  local own uri
  own=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  uri=$(apt_source_for "$SUITE")
  [[ -z $uri && -n $own && $own != "$SUITE" ]] && uri=$(apt_source_for "$own")
  [[ -n $uri ]] || die "no Debian mirror for $SUITE${own:+ or $own} found in /etc/apt (set HOMEMAIL_DEBIAN_MIRROR)"
  echo "$uri"
}

# The URI of the first apt source whose suites contain the given one (not -security).
apt_source_for() {
  local suite=$1 f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    uri=$(awk -v s="$suite" '
      BEGIN { RS=""; FS="\n" }
      { u=""; ok=0
        for (i=1;i<=NF;i++) {
          if ($i ~ /^URIs:/) { split(substr($i,6), a, " "); for (k in a) if (a[k]!="") { u=a[k]; break } }
          if ($i ~ /^Suites:/) { n=split(substr($i,8), b, " "); for (j=1;j<=n;j++) if (b[j]==s) ok=1 }
        }
        if (ok && u!="") { print u; exit }
      }' "$f")
    [[ -n $uri ]] && { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    uri=$(awk -v s="$suite" '$1=="deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1)==s) { print $i; exit } }' "$f")
    [[ -n $uri ]] && { echo "$uri"; return; }
  done
  return 0
}

# ---------------------------------------------------------------- mounts
# Mount points under a directory, deepest first.
mounts_under() {
  local dir=$1
  awk -v d="$dir" '{ m=$5; gsub(/\\040/," ",m); if (m==d || index(m, d"/")==1) print m }' /proc/self/mountinfo | sort -r -u
}

unmount_all_under() {
  local dir=$1 m
  while read -r m; do
    [[ -n $m ]] || continue
    umount "$m" 2>/dev/null || umount -l "$m" || log "warning: cannot unmount $m"
  done < <(mounts_under "$dir")
}

# Minimal /dev (tmpfs + a few nodes + a private devpts) and /proc for a chroot.
mount_chroot_fs() {
  local r=$1
  mountpoint -q "$r/proc" || mount -t proc proc "$r/proc"
  if ! mountpoint -q "$r/dev"; then
    mount -t tmpfs -o mode=0755,nosuid,size=1m devtmp "$r/dev"
    mknod -m 666 "$r/dev/null" c 1 3
    mknod -m 666 "$r/dev/zero" c 1 5
    mknod -m 666 "$r/dev/full" c 1 7
    mknod -m 666 "$r/dev/random" c 1 8
    mknod -m 666 "$r/dev/urandom" c 1 9
    mknod -m 666 "$r/dev/tty" c 5 0
    mkdir -p "$r/dev/pts" "$r/dev/shm"
    mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$r/dev/pts"
    ln -s pts/ptmx "$r/dev/ptmx"
    ln -s /proc/self/fd "$r/dev/fd"
    ln -s /proc/self/fd/0 "$r/dev/stdin"
    ln -s /proc/self/fd/1 "$r/dev/stdout"
    ln -s /proc/self/fd/2 "$r/dev/stderr"
  fi
}

# ---------------------------------------------------------------- processes
# Pids of processes whose root directory is inside dir (chrooted there), or whose working
# directory is (nsd and the fake filters run in the state dir): this finds them after a crash.
pids_rooted_in() {
  local dir=$1 p link cwd
  for p in /proc/[0-9]*; do
    link=$(readlink "$p/root" 2>/dev/null) || continue
    cwd=$(readlink "$p/cwd" 2>/dev/null) || cwd=/
    if [[ $link == "$dir" || $link == "$dir/"* || $cwd == "$INST" || $cwd == "$INST/"* ]]; then echo "${p#/proc/}"; fi
  done
}

# A process exists and is not a zombie (the machine's init may reap orphans late).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# The pids and all their descendants.
with_descendants() {
  local p
  for p in "$@"; do
    echo "$p"
    with_descendants $(ps -o pid= --ppid "$p" 2>/dev/null || true)
  done
}

# Stop the given pids: TERM, wait up to 5 s, then KILL.
stop_pids() {
  local p i
  (($#)) || return 0
  for p in "$@"; do kill -TERM "$p" 2>/dev/null || true; done
  for ((i = 0; i < 50; i++)); do
    local any=0
    for p in "$@"; do alive "$p" && any=1; done
    ((any)) || return 0
    sleep 0.1
  done
  for p in "$@"; do alive "$p" && { log "killing $p"; kill -KILL "$p" 2>/dev/null || true; }; done
  return 0
}

record_pid() { mkdir -p "$PIDS"; echo "$2" >"$PIDS/$1"; }

# ---------------------------------------------------------------- chroot helpers
# Run a command in the chroot, in a private UTS namespace whose hostname is the server's.
in_root() {
  local r=$1; shift
  timeout --kill-after=5 "$STEP_TIMEOUT" unshare --uts -- chroot "$r" /bin/sh -c 'hostname "$0" && exec "$@"' "$HOSTNAME_FQDN" \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@" 8>&- 9>&-
}

# ---------------------------------------------------------------- locking
# One hostctl.sh changes the base or the instance at a time (fd 9; daemons never inherit it).
readonly LOCK_FILE=${HOMEMAIL_HOST_LOCK:-/var/tmp/homemail-testhost.lock}
take_lock() {
  exec 9>>"$LOCK_FILE"
  flock -w "${HOMEMAIL_HOST_LOCK_WAIT:-900}" 9 || die "another hostctl.sh holds $LOCK_FILE"
}

# ---------------------------------------------------------------- base
base_stamp_text() { printf 'recipe=%s suite=%s packages=%s\n' "$BASE_RECIPE_VERSION" "$SUITE" "$BASE_PACKAGES"; }

base_is_current() { [[ -f $BASE/.homemail-base-stamp && $(cat "$BASE/.homemail-base-stamp") == "$(base_stamp_text)" ]]; }

# Each base is built under its own lock (fd 8, closed again before any daemon starts), so
# building one platform's base never holds up a host running on another.
cmd_build_base() {
  need_root
  if base_is_current; then log "base reused: $BASE"; echo "base-reused"; return 0; fi
  mkdir -p "$CACHE_DIR"
  exec 8>>"$CACHE_DIR/build-$SUITE.lock"
  flock -w 1800 8 || die "another hostctl.sh is building $BASE"
  if base_is_current; then exec 8>&-; log "base reused: $BASE"; echo "base-reused"; return 0; fi
  build_base_locked
  exec 8>&-
}

build_base_locked() {
  command -v debootstrap >/dev/null || die "debootstrap is not installed (run test/host/install-deps.sh)"
  local mirror tmp start
  mirror=$(debian_mirror)
  tmp=$CACHE_DIR/build-$SUITE.tmp
  start=$(date +%s)
  mkdir -p "$CACHE_DIR"
  unmount_all_under "$tmp"
  rm -rf "$tmp"
  log "debootstrap $SUITE (minbase) from the machine's mirror into $tmp"
  timeout 1200 debootstrap --variant=minbase "$SUITE" "$tmp" "$mirror" >"$CACHE_DIR/debootstrap-$SUITE.log" 2>&1 8>&- \
    || { tail -20 "$CACHE_DIR/debootstrap-$SUITE.log" >&2; die "debootstrap failed (log: $CACHE_DIR/debootstrap-$SUITE.log)"; }
  trap 'unmount_all_under "'"$tmp"'"' EXIT
  mount_chroot_fs "$tmp"
  echo "deb $mirror $SUITE main" >"$tmp/etc/apt/sources.list"
  cp /etc/resolv.conf "$tmp/etc/resolv.conf"   # network only while building
  printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"; chmod 755 "$tmp/usr/sbin/policy-rc.d"
  echo mail >"$tmp/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.0.1\t%s mail\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$HOSTNAME_FQDN" >"$tmp/etc/hosts"
  echo "$HOSTNAME_FQDN" >"$tmp/etc/mailname"
  in_root "$tmp" debconf-set-selections <<SEL
postfix postfix/main_mailer_type select Internet Site
postfix postfix/mailname string $HOSTNAME_FQDN
postfix postfix/destinations string \$myhostname, $DOMAIN, $HOSTNAME_FQDN, localhost.localdomain, localhost
postfix postfix/mynetworks string 127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128
postfix postfix/protocols select all
SEL
  log "apt-get install $BASE_PACKAGES"
  STEP_TIMEOUT=1200 in_root "$tmp" sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends '"$BASE_PACKAGES" \
    >"$CACHE_DIR/apt-$SUITE.log" 2>&1 || { tail -30 "$CACHE_DIR/apt-$SUITE.log" >&2; die "apt-get install failed (log: $CACHE_DIR/apt-$SUITE.log)"; }
  # Debian's postinst takes myhostname from the build machine: set the server's own name.
  # Loopback only (the test host shares the machine's network), and the test domain local.
  in_root "$tmp" postconf -e "myhostname = $HOSTNAME_FQDN" "inet_interfaces = loopback-only" \
    "mydestination = \$myhostname, $DOMAIN, $HOSTNAME_FQDN, localhost.localdomain, localhost"
  in_root "$tmp" make-ssl-cert generate-default-snakeoil --force-overwrite
  in_root "$tmp" newaliases
  # rsyslog must not read the kernel log of the machine.
  sed -i 's/^module(load="imklog"/#&/' "$tmp/etc/rsyslog.conf"
  ls "$tmp"/var/cache/apt/archives/opendkim_*.deb "$tmp"/var/cache/apt/archives/opendkim-tools_*.deb >/dev/null \
    || die "opendkim debs missing from the base apt cache"
  rm -f "$tmp/usr/sbin/policy-rc.d" "$tmp"/etc/ssh/ssh_host_*
  : >"$tmp/etc/resolv.conf"
  unmount_all_under "$tmp"
  trap - EXIT
  rm -rf "$BASE"
  base_stamp_text >"$tmp/.homemail-base-stamp"
  mv "$tmp" "$BASE"
  log "base built in $(( $(date +%s) - start )) s"
  echo "base-built"
}

# ---------------------------------------------------------------- down
# Stops everything this tool may have started (recorded pids, processes rooted in the
# chroot, the nsd of the state dir), unmounts everything under the instance dir and
# removes it. Safe to run at any time, also after a crash.
cmd_down() {
  need_root
  local name pid pids=()
  # Postfix is stopped by its own command (it flushes and stops its children); everything
  # else gets SIGTERM by pid below (opendkim's init script alone would take 4 s).
  if [[ -x $ROOT/usr/sbin/postfix ]] && mountpoint -q "$ROOT/proc" 2>/dev/null; then
    STEP_TIMEOUT=15 in_root "$ROOT" postfix stop </dev/null >/dev/null 2>&1 || true
  fi
  if [[ -d $PIDS ]]; then
    for f in "$PIDS"/*; do
      [[ -f $f ]] || continue
      pid=$(cat "$f"); [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && pids+=("$pid")
    done
  fi
  if [[ -f $DNSDIR/nsd.pid ]]; then
    pid=$(cat "$DNSDIR/nsd.pid"); [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && pids+=("$pid")
  fi
  mapfile -t -O "${#pids[@]}" pids < <(pids_rooted_in "$ROOT")
  ((${#pids[@]})) && mapfile -t pids < <(with_descendants "${pids[@]}" | sort -u)
  ((${#pids[@]})) && stop_pids "${pids[@]}"
  # anything still rooted in the chroot (e.g. forked while we waited)
  mapfile -t pids < <(pids_rooted_in "$ROOT")
  ((${#pids[@]})) && stop_pids "${pids[@]}"
  unmount_all_under "$INST"
  if [[ -n $(mounts_under "$INST") ]]; then die "mounts remain under $INST: $(mounts_under "$INST" | tr '\n' ' ')"; fi
  if [[ ${HOMEMAIL_HOST_KEEP:-0} != 1 ]]; then rm -rf --one-file-system "$INST"; fi
  return 0
}

# ---------------------------------------------------------------- ports
port_in_use() { # proto addr port
  local opt=-Hltn; [[ $1 == udp ]] && opt=-Hlun
  ss $opt "( sport = :$3 )" | awk -v a="$2" '{ split($4, x, ":"); h=$4; sub(/:[0-9]+$/, "", h); if (h==a || h=="0.0.0.0" || h=="*" || h=="[::]" || h=="[::ffff:"a"]") f=1 } END { exit !f }'
}

check_ports_free() {
  local spec proto addr port busy=()
  for spec in "tcp $SERVER_ADDR 25" "tcp $SERVER_ADDR $SSH_PORT" "udp $DNS_ADDR $DNS_PORT" "tcp $DNS_ADDR $DNS_PORT" \
              "tcp 127.0.0.1 8892" "tcp 127.0.0.1 10024" "tcp 127.0.0.1 10025" "tcp 127.0.0.1 11332"; do
    read -r proto addr port <<<"$spec"
    port_in_use "$proto" "$addr" "$port" && busy+=("$proto/$addr:$port")
  done
  ((${#busy[@]} == 0)) || die "ports already in use: ${busy[*]}"
}

# Wait (bounded) until something listens on addr:port.
wait_listen() { # proto addr port what
  local i
  for ((i = 0; i < 200; i++)); do
    port_in_use "$1" "$2" "$3" && return 0
    sleep 0.1
  done
  die "$4 did not start listening on $2:$3 within 20 s"
}

# ---------------------------------------------------------------- instance
make_root() {
  mkdir -p "$INST/upper" "$INST/work" "$ROOT"
  if [[ ${HOMEMAIL_HOST_COPY:-auto} != copy ]] &&
     mount -t overlay overlay -o "lowerdir=$BASE,upperdir=$INST/upper,workdir=$INST/work" "$ROOT" 2>/dev/null; then
    echo overlay >"$STATE/rootfs"
  else
    cp -a --reflink=auto "$BASE/." "$ROOT/"
    echo copy >"$STATE/rootfs"
  fi
}

# Client keys live in the state dir; their public halves are authorized in the chroot.
make_client_keys() {
  mkdir -p "$KEYS"; chmod 700 "$KEYS"
  local u
  for u in admin deploy root; do
    ssh-keygen -q -t ed25519 -N '' -C "$u@homemail-test" -f "$KEYS/${u}_ed25519"
  done
  printf '%s' "$PEM_PASSPHRASE" >"$KEYS/admin_rsa_pem.passphrase"
  ssh-keygen -q -t rsa -b 2048 -m PEM -N "$PEM_PASSPHRASE" -C "admin-pem@homemail-test" -f "$KEYS/admin_rsa_pem"
}

authorize_key() { # user home pubkey...
  local user=$1 home=$2; shift 2
  install -d -m 700 "$ROOT$home/.ssh"
  cat "$@" >"$ROOT$home/.ssh/authorized_keys"
  chmod 600 "$ROOT$home/.ssh/authorized_keys"
  in_root "$ROOT" chown -R "$user:" "$home/.ssh"
}

setup_users() {
  in_root "$ROOT" useradd -m -s /bin/bash -G sudo admin
  in_root "$ROOT" useradd -m -s /bin/bash deploy
  in_root "$ROOT" usermod -p '*' deploy
  printf 'admin:%s\nroot:%s\n' "$ADMIN_PASSWORD" "$ROOT_PASSWORD" | in_root "$ROOT" chpasswd
  echo 'deploy ALL=(ALL:ALL) NOPASSWD: ALL' >"$ROOT/etc/sudoers.d/deploy"
  chmod 440 "$ROOT/etc/sudoers.d/deploy"
  authorize_key admin /home/admin "$KEYS/admin_ed25519.pub" "$KEYS/admin_rsa_pem.pub"
  authorize_key deploy /home/deploy "$KEYS/deploy_ed25519.pub"
  authorize_key root /root "$KEYS/root_ed25519.pub"
}

setup_sshd() {
  rm -f "$ROOT"/etc/ssh/ssh_host_*
  in_root "$ROOT" ssh-keygen -A >/dev/null
  cat >"$ROOT/etc/ssh/sshd_config.d/00-homemail-testhost.conf" <<CONF
# Homemail test host: sshd on loopback only.
Port $SSH_PORT
ListenAddress $SERVER_ADDR
PermitRootLogin prohibit-password
PasswordAuthentication yes
KbdInteractiveAuthentication yes
UseDNS no
CONF
  write_known_hosts
}

write_known_hosts() {
  local k
  : >"$STATE/known_hosts"
  for k in "$ROOT"/etc/ssh/ssh_host_*_key.pub; do
    printf '[%s]:%s %s\n' "$SERVER_ADDR" "$SSH_PORT" "$(cut -d' ' -f1,2 "$k")" >>"$STATE/known_hosts"
  done
}

setup_network_files() {
  printf 'nameserver %s\n' "$DNS_ADDR" >"$ROOT/etc/resolv.conf"
}

# ---------------------------------------------------------------- DNS (nsd)
reverse_zone() { local IFS=.; set -- $SERVER_ADDR; echo "$3.$2.$1.in-addr.arpa"; }
reverse_label() { echo "${SERVER_ADDR##*.}"; }
# zen.spamhaus.org: a stand-in for Spamhaus's zone, empty until a test sets entries (the PBL's
# 127.0.0.10/11, the RFC 5782 test point 127.0.0.2, the refusal 127.255.255.254) with dns-set.
dns_zones() { echo "$DOMAIN example.org $(reverse_zone) zen.spamhaus.org"; }

zone_header() { # zone serial
  local z=$1 s=$2
  printf '$ORIGIN %s.\n$TTL 60\n' "$z"
  printf '@ IN SOA ns1.%s. hostmaster.%s. ( %s 3600 600 86400 60 )\n' "$DOMAIN" "$DOMAIN" "$s"
  printf '@ IN NS ns1.%s.\n' "$DOMAIN"
  case $z in
    "$DOMAIN")
      printf 'ns1 IN A %s\nmail IN A %s\n@ IN MX 10 mail.%s.\n' "$DNS_ADDR" "$SERVER_ADDR" "$DOMAIN" ;;
    "$(reverse_zone)")
      printf '%s IN PTR %s.\n' "$(reverse_label)" "$HOSTNAME_FQDN" ;;
  esac
}

# Writes ZONE.zone from the header, the variant's records and the test's records.
assemble_zone() { # zone serial out
  {
    zone_header "$1" "$2"
    echo '; --- variant records'
    cat "$DNSDIR/$1.variant" 2>/dev/null || true
    printf '\n$ORIGIN %s.\n; --- test records (hostctl.sh dns-set)\n' "$1"
    cat "$DNSDIR/$1.test" 2>/dev/null || true
    echo
  } >"$3"
}

served_serial() { # zone
  dig +short +norec +time=1 +tries=1 -p "$DNS_PORT" "@$DNS_ADDR" "$1" SOA 2>/dev/null | awk '{ print $3 }'
}

wait_serial() { # zone serial
  local i
  for ((i = 0; i < 100; i++)); do
    [[ $(served_serial "$1") == "$2" ]] && return 0
    sleep 0.1
  done
  die "DNS server does not serve $1 serial $2 within 10 s"
}

dns_prepare() {
  mkdir -p "$DNSDIR"
  cat >"$DNSDIR/nsd.conf" <<CONF
server:
  ip-address: $DNS_ADDR
  port: $DNS_PORT
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "$DNSDIR"
  zonelistfile: "$DNSDIR/zone.list"
  database: ""
  pidfile: "$DNSDIR/nsd.pid"
  xfrdfile: "$DNSDIR/xfrd.state"
  xfrdir: "$DNSDIR"
  logfile: "$DNSDIR/nsd.log"
  server-count: 1
  tcp-count: 32
  hide-version: yes
  verbosity: 1
remote-control:
  control-enable: yes
  control-interface: "$DNSDIR/nsd.ctl"
CONF
  local z serial
  serial=$(date +%s)
  for z in $(dns_zones); do
    printf 'zone:\n  name: %s\n  zonefile: "%s.zone"\n' "$z" "$z" >>"$DNSDIR/nsd.conf"
    echo "$serial" >"$DNSDIR/$z.serial"
    : >"$DNSDIR/$z.test"
    [[ -f $DNSDIR/$z.variant ]] || : >"$DNSDIR/$z.variant"
  done
}

dns_start() {
  local z
  for z in $(dns_zones); do
    assemble_zone "$z" "$(cat "$DNSDIR/$z.serial")" "$DNSDIR/$z.zone"
    nsd-checkzone "$z" "$DNSDIR/$z.zone" >/dev/null || die "zone $z does not load: $(nsd-checkzone "$z" "$DNSDIR/$z.zone" 2>&1)"
  done
  nsd-checkconf "$DNSDIR/nsd.conf" || die "nsd.conf invalid"
  timeout 20 nsd -c "$DNSDIR/nsd.conf" </dev/null >>"$DNSDIR/nsd.log" 2>&1 9>&- || die "nsd failed to start: $(tail -5 "$DNSDIR/nsd.log")"
  local i
  for ((i = 0; i < 100; i++)); do [[ -s $DNSDIR/nsd.pid ]] && break; sleep 0.1; done
  record_pid nsd "$(cat "$DNSDIR/nsd.pid")"
  for z in $(dns_zones); do wait_serial "$z" "$(cat "$DNSDIR/$z.serial")"; done
}

# Replace the test records of a zone with stdin (zone-file lines, relative names allowed),
# bump the serial, reload and wait until the new serial is served.
cmd_dns_set() {
  need_root
  local z=${1:-} serial tmp
  [[ " $(dns_zones) " == *" $z "* ]] || die "unknown zone '$z' (zones: $(dns_zones))"
  [[ -s $DNSDIR/nsd.pid ]] && alive "$(cat "$DNSDIR/nsd.pid")" || die "the DNS server is not running (run: hostctl.sh up)"
  serial=$(( $(cat "$DNSDIR/$z.serial") + 1 ))
  cat >"$DNSDIR/$z.test.new"
  mv "$DNSDIR/$z.test" "$DNSDIR/$z.test.old"
  mv "$DNSDIR/$z.test.new" "$DNSDIR/$z.test"
  tmp=$DNSDIR/$z.zone.new
  assemble_zone "$z" "$serial" "$tmp"
  if ! nsd-checkzone "$z" "$tmp" >"$DNSDIR/checkzone.out" 2>&1; then
    mv "$DNSDIR/$z.test.old" "$DNSDIR/$z.test"; rm -f "$tmp"
    die "records rejected: $(cat "$DNSDIR/checkzone.out")"
  fi
  rm -f "$DNSDIR/$z.test.old"
  mv "$tmp" "$DNSDIR/$z.zone"
  echo "$serial" >"$DNSDIR/$z.serial"
  timeout 10 nsd-control -c "$DNSDIR/nsd.conf" reload "$z" >/dev/null || die "nsd-control reload $z failed"
  wait_serial "$z" "$serial"
}

# ---------------------------------------------------------------- test certificates
# test-certs: a test CA (trusted inside the chroot) and smtpd certificates made with it, under
# /etc/ssl/homemail-test: right.pem (mail.example.test), wrong.pem (wrong.example.test),
# expiring.pem (mail.example.test, 5 days), chain-leaf.pem (mail.example.test, signed by an
# intermediate that is not sent). Each NAME.pem has NAME.key. Idempotent.
cmd_test_certs() {
  need_root
  [[ -f $STATE/variant ]] && mountpoint -q "$ROOT/proc" || die "the host is not up"
  [[ -f $ROOT/etc/ssl/homemail-test/right.pem ]] && return 0
  in_root "$ROOT" sh -euc '
    d=/etc/ssl/homemail-test; mkdir -p "$d"; cd "$d"; umask 077
    key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }
    key ca; openssl req -x509 -new -key ca.key -subj "/CN=Homemail Test CA" -days 3650 -out ca.pem \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
    key inter; openssl req -new -key inter.key -subj "/CN=Homemail Test Intermediate" -out inter.csr
    printf "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n" >ca.ext
    openssl x509 -req -in inter.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -extfile ca.ext -out inter.pem 2>/dev/null
    leaf() { # name cn days signer
      key "$1"; openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
      printf "subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n" "$2" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" -CAcreateserial -days "$3" -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    }
    leaf right mail.example.test 365 ca
    leaf wrong wrong.example.test 365 ca
    leaf expiring mail.example.test 5 ca
    leaf chain-leaf mail.example.test 365 inter
    chmod 644 ./*.pem
    cp ca.pem /usr/local/share/ca-certificates/homemail-test-ca.crt
    update-ca-certificates >/dev/null 2>&1
  ' || die "making the test certificates failed"
}

# ---------------------------------------------------------------- variants
# fresh: Debian's defaults after `apt install postfix opendkim` (opendkim on its unix socket,
# not wired into Postfix).
variant_fresh() { :; }

# single-key: the manual procedure in /work/shared/reference (a blog post followed by hand).
variant_single_key() {
  local conf=$ROOT/etc/opendkim.conf
  sed -i 's/^Socket[[:space:]]\+local:/#&/' "$conf"
  cat >>"$conf" <<CONF

Domain			$DOMAIN
KeyFile			/etc/dkimkeys/postfix.private
Selector		postfix

Socket			inet:8892@localhost
CONF
  in_root "$ROOT" opendkim-genkey -D /etc/dkimkeys -b 1024 -d "$DOMAIN" -s postfix
  in_root "$ROOT" sh -c 'chown opendkim:opendkim /etc/dkimkeys/*'
  in_root "$ROOT" postconf -e "smtpd_milters = inet:127.0.0.1:8892" \
    "smtpd_client_restrictions = permit_mynetworks, reject_rbl_client all.rbl.jp, reject_rbl_client zen.spamhaus.org, reject_rbl_client bl.spamcop.net, reject_unknown_reverse_client_hostname, permit"
  { echo '_adsp._domainkey IN TXT "dkim=unknown"'; cat "$ROOT/etc/dkimkeys/postfix.txt"; } >"$DNSDIR/$DOMAIN.variant"
}

# other-filters: an rspamd-style milter in smtpd_milters and non_smtpd_milters, and an
# amavis content_filter with Debian's usual re-injection listener on 10025. The milter and
# the amavis stand-in are fake-filters.mjs (outside the chroot).
variant_other_filters() {
  in_root "$ROOT" postconf -e "smtpd_milters = inet:127.0.0.1:11332" "non_smtpd_milters = inet:127.0.0.1:11332" \
    "milter_default_action = accept" "milter_protocol = 6" "content_filter = smtp-amavis:[127.0.0.1]:10024"
  cat >>"$ROOT/etc/postfix/master.cf" <<'CONF'
smtp-amavis unix -      -       n       -       2       smtp
  -o smtp_data_done_timeout=1200
  -o smtp_send_xforward_command=yes
  -o max_use=20
127.0.0.1:10025 inet n  -       n       -       -       smtpd
  -o content_filter=
  -o local_recipient_maps=
  -o relay_recipient_maps=
  -o smtpd_restriction_classes=
  -o smtpd_delay_reject=no
  -o smtpd_client_restrictions=permit_mynetworks,reject
  -o smtpd_helo_restrictions=
  -o smtpd_sender_restrictions=
  -o smtpd_recipient_restrictions=permit_mynetworks,reject
  -o smtpd_data_restrictions=reject_unauth_pipelining
  -o smtpd_end_of_data_restrictions=
  -o mynetworks=127.0.0.0/8
  -o smtpd_error_sleep_time=0
  -o smtpd_soft_error_limit=1001
  -o smtpd_hard_error_limit=1000
  -o smtpd_client_connection_count_limit=0
  -o smtpd_client_connection_rate_limit=0
  -o receive_override_options=no_header_body_checks,no_unknown_recipient_checks,no_milters
CONF
}

# no-opendkim: Postfix only; the opendkim packages are purged but their .debs stay in the
# apt cache, so `apt-get install opendkim opendkim-tools` works offline.
variant_no_opendkim() {
  in_root "$ROOT" sh -c 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -q opendkim opendkim-tools' >>"$STATE/setup.log" 2>&1 \
    || die "purging opendkim failed (see $STATE/setup.log)"
  ls "$ROOT"/var/cache/apt/archives/opendkim_*.deb >/dev/null || die "opendkim .deb missing from the apt cache"
}

find_node() {
  local n
  for n in "${HOMEMAIL_NODE:-}" "$HOST_TOOLS_DIR/../../.tools/node/bin/node" "$(command -v node || true)"; do
    [[ -n $n && -x $n ]] && { echo "$n"; return; }
  done
  die "node not found (needed for the other-filters variant)"
}

# ---------------------------------------------------------------- services
pidfile_pid() { local f=$ROOT$1 i; for ((i = 0; i < 100; i++)); do [[ -s $f ]] && { tr -dc '0-9' <"$f"; return; }; sleep 0.1; done; die "no pid file $1"; }

service_start() { # name (init script)
  in_root "$ROOT" "/etc/init.d/$1" start </dev/null >>"$STATE/services.log" 2>&1 || die "/etc/init.d/$1 start failed (see $STATE/services.log)"
}

wait_socket() { local i; for ((i = 0; i < 200; i++)); do [[ -S $ROOT$1 ]] && return 0; sleep 0.1; done; die "socket $1 did not appear within 20 s"; }

start_services() {
  local variant=$1
  # rsyslog has no init script on bookworm: start the daemon directly.
  in_root "$ROOT" rsyslogd </dev/null >>"$STATE/services.log" 2>&1 || die "rsyslogd failed"
  record_pid rsyslogd "$(pidfile_pid /run/rsyslogd.pid)"
  if [[ $variant == other-filters ]]; then
    local node; node=$(find_node)
    (cd "$STATE" && exec setsid "$node" "$HOST_TOOLS_DIR/fake-filters.mjs" 11332 10024 10025 </dev/null >>"$STATE/fake-filters.log" 2>&1 9>&-) &
    record_pid fake-filters $!
    wait_listen tcp 127.0.0.1 11332 "fake milter"
    wait_listen tcp 127.0.0.1 10024 "fake amavis"
  fi
  if [[ -x $ROOT/usr/sbin/opendkim ]]; then
    service_start opendkim
    record_pid opendkim "$(pidfile_pid /run/opendkim/opendkim.pid)"
    if [[ $variant == single-key ]]; then wait_listen tcp 127.0.0.1 8892 opendkim; else wait_socket /run/opendkim/opendkim.sock; fi
  fi
  service_start postfix
  record_pid postfix "$(pidfile_pid /var/spool/postfix/pid/master.pid)"
  wait_listen tcp "$SERVER_ADDR" 25 postfix
  service_start ssh
  record_pid sshd "$(pidfile_pid /run/sshd.pid)"
  wait_listen tcp "$SERVER_ADDR" "$SSH_PORT" sshd
}

# ---------------------------------------------------------------- the ISP's relay
# relay-up: a second Postfix (config /etc/postfix-relay, queue /var/spool/postfix-relay) on
# 127.0.0.2 standing in for an ISP's submission server: port 587 with STARTTLS (a
# certificate from a test CA made here) and SASL login (Cyrus SASL with sasldb, as Debian's
# sasl2-bin packages it), delivering example.org and relay.example.org to the same local
# mailboxes (/var/mail/USER). Its DNS name relay.example.org, and the SPF it publishes for its
# address (_spf.relay.example.org), are set with dns-set by the tests that use it.
readonly RELAY_ADDR=127.0.0.2
readonly RELAY_NAME=relay.example.org
readonly RELAY_USER=homeuser
readonly RELAY_PASSWORD="relay Pa55:word"
readonly RELAY_CONF=/etc/postfix-relay
relay_setup_script() {
  cat <<'SCRIPT'
set -e
# inet_interfaces = all: Postfix refuses an address no interface lists, and a namespace's lo
# has only 127.0.0.1/8 (which routes all of 127/8); master.cf binds the one address.
c=$1; addr=$2; name=$3
mkdir -p "$c/sasl" "$c/ca" /var/spool/postfix-relay /var/lib/postfix-relay
chown postfix:postfix /var/lib/postfix-relay
cp /etc/postfix/master.cf "$c/master.cf"
printf '%s\n' "compatibility_level = 3.6" "queue_directory = /var/spool/postfix-relay" "data_directory = /var/lib/postfix-relay" \
  "syslog_name = postfix-relay" "myhostname = $name" "mydestination = $name, example.org" "inet_interfaces = all" \
  "inet_protocols = ipv4" "mynetworks = $addr/32" "alias_maps = hash:/etc/aliases" "alias_database = hash:/etc/aliases" \
  "smtpd_tls_cert_file = $c/relay.crt" "smtpd_tls_key_file = $c/relay.key" "smtpd_tls_security_level = may" \
  "cyrus_sasl_config_path = $c/sasl" "smtpd_sasl_local_domain = $name" \
  "smtpd_relay_restrictions = permit_sasl_authenticated, reject" "smtpd_recipient_restrictions = permit_sasl_authenticated, reject" >"$c/main.cf"
postconf -c "$c" -MX smtp/inet
postconf -c "$c" -F '*/*/chroot = n'
postconf -c "$c" -M "$addr:submission/inet=$addr:submission inet n - n - - smtpd -o syslog_name=postfix-relay/submission -o smtpd_tls_security_level=encrypt -o smtpd_sasl_auth_enable=yes"
printf '%s\n' 'pwcheck_method: auxprop' 'auxprop_plugin: sasldb' 'mech_list: PLAIN LOGIN' "sasldb_path: $c/sasldb2" >"$c/sasl/smtpd.conf"
cd "$c/ca"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Homemail Test CA" -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$c/relay.key" -out relay.csr 2>/dev/null
printf 'subjectAltName=DNS:%s\n' "$name" >san.ext
openssl x509 -req -in relay.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile san.ext -out "$c/relay.crt" 2>/dev/null
chmod 600 "$c/relay.key"
SCRIPT
}
cmd_relay_up() {
  need_root
  is_up || die "the host is not up"
  local c=$RELAY_CONF
  in_root "$ROOT" sh -c "$(relay_setup_script)" relay-up "$c" "$RELAY_ADDR" "$RELAY_NAME" </dev/null >>"$STATE/services.log" 2>&1 || die "relay setup failed (see $STATE/services.log)"
  printf '%s' "$RELAY_PASSWORD" | in_root "$ROOT" saslpasswd2 -p -c -f "$c/sasldb2" -u "$RELAY_NAME" "$RELAY_USER" || die "saslpasswd2 failed"
  in_root "$ROOT" sh -c 'chown root:postfix "$1" && chmod 640 "$1"' chown "$c/sasldb2"
  in_root "$ROOT" postfix -c "$c" start </dev/null >>"$STATE/services.log" 2>&1 || die "the relay's postfix did not start (see $STATE/services.log)"
  record_pid postfix-relay "$(pidfile_pid /var/spool/postfix-relay/pid/master.pid)"
  wait_listen tcp "$RELAY_ADDR" 587 "relay submission"
  log "relay up: $RELAY_NAME $RELAY_ADDR:587 (STARTTLS, SASL user $RELAY_USER)"
}

# ---------------------------------------------------------------- commands
valid_variant() { [[ " $VARIANTS " == *" $1 "* ]] || die "unknown variant '$1' (variants: $VARIANTS)"; }

cmd_up() {
  need_root
  local variant=$1 t0
  valid_variant "$variant"
  t0=$(date +%s%N)
  cmd_down
  base_is_current || cmd_build_base >/dev/null
  command -v nsd >/dev/null || die "nsd is not installed (run test/host/install-deps.sh)"
  check_ports_free
  trap 'rc=$?; if ((rc)); then log "up failed; cleaning up"; cmd_down || true; fi' EXIT
  mkdir -p "$STATE"
  make_root
  mount_chroot_fs "$ROOT"
  setup_network_files
  make_client_keys
  setup_users
  setup_sshd
  dns_prepare
  "variant_${variant//-/_}"
  dns_start
  start_services "$variant"
  echo "$SUITE" >"$STATE/platform"
  echo "$variant" >"$STATE/variant"
  trap - EXIT
  log "host up: $SUITE, variant $variant, ssh $SERVER_ADDR:$SSH_PORT, smtp $SERVER_ADDR:25, dns $DNS_ADDR:$DNS_PORT ($(( ($(date +%s%N) - t0) / 1000000 )) ms, rootfs $(cat "$STATE/rootfs"))"
}

is_up() {
  [[ -f $STATE/variant && -s $PIDS/sshd && -s $PIDS/nsd ]] || return 1
  alive "$(cat "$PIDS/nsd")" && alive "$(cat "$ROOT/run/sshd.pid" 2>/dev/null || echo x)"
}

cmd_status() {
  if is_up; then
    echo "up platform=$SUITE variant=$(cat "$STATE/variant") ssh=$SERVER_ADDR:$SSH_PORT dns=$DNS_ADDR:$DNS_PORT"
    pids_rooted_in "$ROOT" | tr '\n' ' ' | sed 's/^/chroot pids: /'; echo
    mounts_under "$INST" | sed 's/^/mount: /'
    return 0
  fi
  echo "down"
  local m; m=$(mounts_under "$INST"); [[ -z $m ]] || echo "stale mounts: $m"
  local p; p=$(pids_rooted_in "$ROOT" | tr '\n' ' '); [[ -z $p ]] || echo "stale processes: $p"
  return 1
}

cmd_rotate_host_keys() {
  need_root
  is_up || die "the host is not up"
  rm -f "$ROOT"/etc/ssh/ssh_host_*
  in_root "$ROOT" ssh-keygen -A >/dev/null
  in_root "$ROOT" /etc/init.d/ssh restart </dev/null >>"$STATE/services.log" 2>&1 || die "ssh restart failed"
  record_pid sshd "$(pidfile_pid /run/sshd.pid)"
  wait_listen tcp "$SERVER_ADDR" "$SSH_PORT" sshd
  write_known_hosts
}

cmd_exec() {
  need_root
  [[ -f $STATE/variant ]] && mountpoint -q "$ROOT/proc" || die "the host is not up"
  [[ ${1:-} == -- ]] && shift
  (($#)) || die "usage: hostctl.sh exec -- CMD [ARG...]"
  in_root "$ROOT" "$@"
}

cmd_env() {
  cat <<ENV
PLATFORM=$SUITE
VARIANT=$(cat "$STATE/variant" 2>/dev/null || true)
SSH_HOST=$SERVER_ADDR
SSH_PORT=$SSH_PORT
SERVER_ADDR=$SERVER_ADDR
DNS_ADDR=$DNS_ADDR
DNS_PORT=$DNS_PORT
DOMAIN=$DOMAIN
HOSTNAME=$HOSTNAME_FQDN
ROOT=$ROOT
STATE=$STATE
KEYS=$KEYS
KNOWN_HOSTS=$STATE/known_hosts
BASE=$BASE
ADMIN_PASSWORD=$ADMIN_PASSWORD
ROOT_PASSWORD=$ROOT_PASSWORD
PEM_PASSPHRASE=$PEM_PASSPHRASE
RELAY_ADDR=$RELAY_ADDR
RELAY_NAME=$RELAY_NAME
RELAY_USER=$RELAY_USER
RELAY_PASSWORD=$RELAY_PASSWORD
ENV
}

usage() { sed -n '2,20p' "$HOST_TOOLS_DIR/hostctl.sh" | sed 's/^# \{0,1\}//'; }

main() {
  local args=() platform=${HOMEMAIL_HOST_PLATFORM:-}
  while (($#)); do
    case $1 in
      --platform) platform=${2:-}; [[ -n $platform ]] || die "usage: --platform NAME ($PLATFORMS)"; shift 2 ;;
      --platform=*) platform=${1#--platform=}; shift ;;
      --) args+=("$@"); break ;;
      *) args+=("$1"); shift ;;
    esac
  done
  set -- "${args[@]}"
  local cmd=${1:-}; shift || true
  # Commands on the running host default to its platform; starting one defaults to bookworm.
  if [[ -z $platform && -f $STATE/platform ]] && [[ $cmd != up && $cmd != reset && $cmd != build-base ]]; then
    platform=$(cat "$STATE/platform")
  fi
  select_platform "${platform:-bookworm}"
  cd /   # never keep a directory of the instance busy (down finds processes by their cwd)
  case $cmd in
    up|reset|down|rotate-host-keys|dns-set|relay-up|test-certs) need_root; mkdir -p "$CACHE_DIR"; take_lock ;;
  esac
  case $cmd in
    build-base) cmd_build_base ;;
    up) local v=fresh; [[ ${1:-} == --variant ]] && v=${2:-}; cmd_up "$v" ;;
    reset) [[ ${1:-} == --variant && -n ${2:-} ]] || die "usage: reset --variant V"; cmd_up "$2" ;;
    down) cmd_down ;;
    status) cmd_status ;;
    rotate-host-keys) cmd_rotate_host_keys ;;
    relay-up) cmd_relay_up ;;
    exec) cmd_exec "$@" ;;
    dns-set) cmd_dns_set "$@" ;;
    test-certs) cmd_test_certs ;;
    env) cmd_env ;;
    platforms) printf '%s\n' $PLATFORMS ;;
    ""|-h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

# Sourcing (for debugging) defines the functions without running anything.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
