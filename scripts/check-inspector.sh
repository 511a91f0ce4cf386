#!/usr/bin/env bash
# Drives the built server with the MCP Inspector CLI (tools/list and one tools/call in --demo).
# Inspector 0.15.0 is the newest release that runs on Node 20 (0.16+ and 1.x/2.x need Node 22).
set -euo pipefail
cd "$(dirname "$0")/.."
inspector=(npx -y @modelcontextprotocol/inspector@0.15.0 --cli node dist/server.js --demo)
tools=$("${inspector[@]}" --method tools/list)
echo "$tools" | node -e 'const t=JSON.parse(require("fs").readFileSync(0,"utf8")).tools; if (t.length < 14) process.exit(1); console.error(`tools/list: ${t.length} tools`)'
call=$("${inspector[@]}" --method tools/call --tool-name search_chats --tool-arg 'status=["new"]' --tool-arg limit=2)
echo "$call" | node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8")); if (r.isError || r.structuredContent.chats.length !== 2) process.exit(1); console.error("tools/call search_chats: ok, 2 chats")'
echo "inspector check passed" >&2
