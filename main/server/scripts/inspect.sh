#!/bin/sh
# The inspection probe, sent on stdin to `sh -s` as root: prints one JSON object whose values
# are all base64 strings (of a file, a command's output, or "") so the shell never escapes
# JSON; the client decodes and checks it. Missing tools give empty values, never a failure.
# The "probe" number at the start is the client's probeVersion: change both together.
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
has() { command -v "$1" >/dev/null 2>&1; }
if has base64; then enc() { base64 | tr -d '\n'; }; else enc() { printf 'hex:'; od -An -v -tx1 | tr -d ' \n'; }; fi
# fields run in pipeline subshells, so each one writes its own leading comma
field() { printf ',"%s":"' "$1"; enc; printf '"'; }
text() { printf '%s' "$2" | field "$1"; }
file() { if [ -r "$2" ]; then cat "$2" 2>/dev/null; fi | field "$1"; }
run() { name=$1; shift; "$@" 2>&1 | field "$name"; }

printf '{"probe":"1"'
text uid "$(id -u)"
text hostname "$(hostname -f 2>/dev/null || hostname 2>/dev/null || cat /etc/hostname 2>/dev/null)"
if [ -r /etc/os-release ]; then file osRelease /etc/os-release; else file osRelease /usr/lib/os-release; fi
pm=''; for p in apt-get dnf yum zypper apk pacman; do if has "$p"; then pm=$p; break; fi; done
text packageManager "$pm"
if [ -d /run/systemd/system ]; then sm=systemd; elif has openrc || has rc-service; then sm=openrc; elif [ -d /etc/init.d ]; then sm=sysvinit; else sm=unknown; fi
text serviceManager "$sm"
if has ip; then run addresses ip -o addr show; else text addresses ''; fi
if has hostname; then text hostnameI "$(hostname -I 2>/dev/null)"; else text hostnameI ''; fi

running() { if has pgrep; then pgrep -x "$1" >/dev/null 2>&1; else pidof "$1" >/dev/null 2>&1; fi; }

if has postconf; then
  text postfix yes
  run postconfN postconf -n
  run postconfEffective postconf myhostname mydomain myorigin mydestination smtpd_milters non_smtpd_milters milter_default_action content_filter config_directory queue_directory mail_version alias_maps alias_database
  cfg=$(postconf -h config_directory 2>/dev/null); [ -n "$cfg" ] || cfg=/etc/postfix
  file masterCf "$cfg/master.cf"
  if postfix status >/dev/null 2>&1 || running master; then text postfixRunning yes; else text postfixRunning no; fi
else
  text postfix no
fi
if has newaliases; then text newaliases yes; else text newaliases no; fi
if has postmap; then text postmap yes; else text postmap no; fi

dkconf=/etc/opendkim.conf
if has opendkim; then
  text opendkim yes
  run opendkimVersion opendkim -V
  if running opendkim; then text opendkimRunning yes; else text opendkimRunning no; fi
else
  text opendkim no
fi
file opendkimConf "$dkconf"
file opendkimDefault /etc/default/opendkim
# opendkim.conf as OpenDKIM reads it (main/server/config/opendkimConf.ts): '#' anywhere starts
# a comment, the last line of a setting wins.
conf() { [ -r "$dkconf" ] && awk -v k="$1" '{ sub(/#.*/, "") } NF >= 2 && tolower($1) == tolower(k) { v = $2 } END { if (v != "") print v }' "$dkconf"; }
tablefile() { case "$1" in refile:*|file:*|/*) printf '%s\n' "$1" | sed 's/^[a-z]*://';; *) echo '';; esac; }
kt=$(tablefile "$(conf KeyTable)")
st=$(tablefile "$(conf SigningTable)")
file keyTable "$kt"
file signingTable "$st"
{
  conf KeyFile
  if [ -n "$kt" ] && [ -r "$kt" ]; then awk '{ sub(/#.*/, "") } NF >= 2 { n = split($2, a, ":"); if (n >= 3) print a[3] }' "$kt"; fi
  for d in /etc/dkimkeys /etc/opendkim/keys /etc/opendkim; do [ -d "$d" ] && find "$d" -maxdepth 3 -type f \( -name '*.private' -o -name '*.key' -o -name '*.pem' \) 2>/dev/null; done
} | awk 'NF && !seen[$0]++' | while IFS= read -r k; do
  if [ -e "$k" ]; then
    meta=$(stat -c '%U %G %a' "$k" 2>/dev/null)
    kind=''
    if has openssl; then kind=$(openssl pkey -in "$k" -noout -text 2>/dev/null | head -n 1); fi
    printf '%s\t%s\t%s\n' "$k" "$meta" "$kind"
  else
    printf '%s\tmissing\t\n' "$k"
  fi
done | field keys
file aliases /etc/aliases
printf '}\n'
