#!/usr/bin/env bash
# Node 24 for machines whose own Node is older, the way a CI gets it: the `node` package on the npm registry ships
# the official binary for the platform. The version is the one in .nvmrc (also the Dockerfile's base image).
#
#   tools/use-node-24.sh npm ci && tools/use-node-24.sh npm test     run one command under Node 24
#   . tools/use-node-24.sh                                           this (bash) shell: Node 24 first on PATH
#
# Everything the command starts (npm, tsx, jest, the services the tests spawn with process.execPath) runs on it.
# Nothing is installed globally: npm keeps the package in its own cache (~/.npm/_npx).

_gong_ingest_node24() {
  local root version bin
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  version="$(tr -d '[:space:]' < "$root/.nvmrc")"
  if [ "$(node --version 2>/dev/null)" = "v$version" ]; then return 0; fi
  # `npm exec` fetches node@<version> once (later runs hit the cache) and prints where its binary is.
  bin="$(cd "$root" && npm exec --yes --package="node@$version" -- node -p 'require("node:path").dirname(process.execPath)')" || {
    echo "could not get Node $version from the npm registry (npm exec --package=node@$version)" >&2
    return 1
  }
  export PATH="$bin:$PATH"
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  _gong_ingest_node24 && echo "node $(node --version) first on PATH ($(command -v node))"
else
  set -euo pipefail
  _gong_ingest_node24
  if [ "$#" -eq 0 ]; then node --version; exit 0; fi
  exec "$@"
fi
