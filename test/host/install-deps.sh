#!/usr/bin/env bash
# Installs what the test host needs on a fresh Debian machine (idempotent; root only):
# debootstrap (the base), nsd (the DNS server), dnsutils (dig), openssh-client
# (ssh-keygen), iproute2 (ss), util-linux (unshare), coreutils (timeout), shellcheck (npm run
# lint checks the server-side scripts).
set -euo pipefail
[[ $(id -u) == 0 ]] || { echo "install-deps.sh: must run as root" >&2; exit 1; }
packages=(debootstrap nsd dnsutils openssh-client iproute2 util-linux coreutils procps shellcheck)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then echo "install-deps.sh: all present"; exit 0; fi
echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${missing[@]}" \
  || { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; }
