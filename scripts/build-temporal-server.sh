#!/usr/bin/env bash
# Builds the real Temporal server that `npm run test:cluster` runs, from Temporal's own Go module at
# the release pinned in deploy/temporal/VERSION: `temporal-server` (cmd/server) and
# `temporal-sql-tool` (cmd/tools/sql, which sets up the PostgreSQL schemas), as Temporal's Makefile
# builds them (CGO off, tag disable_grpc_modules); and the Temporal Web UI server at the release
# pinned in deploy/temporal/UI_VERSION (the temporalio/ui image docker-compose.yml runs), from its
# Go module github.com/temporalio/ui-server, which carries the built UI: `temporal-ui-server`.
#
# Cached in .tools/temporal-server/<version>/ and .tools/temporal-ui/<version>/, so only the first
# run pays: about 6 minutes on 2 cores with cold Go caches for the server, 1-2 for the UI (the
# modules, and the Go toolchain the module asks for, come through the Go module proxy), seconds
# afterwards. Needs Go 1.21 or newer on PATH (or in /usr/local/go), which fetches the newer
# toolchain itself (GOTOOLCHAIN). TEMPORAL_BUILD_NICE=19 builds at low priority.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="$(tr -d '[:space:]' < deploy/temporal/VERSION)"
UI_VERSION="$(tr -d '[:space:]' < deploy/temporal/UI_VERSION)"
# The Go release Temporal's go.mod requires at that version (its `go` line).
GO_TOOLCHAIN="${TEMPORAL_GO_TOOLCHAIN:-go1.26.10}"
DEST=".tools/temporal-server/$VERSION"
UI_DEST=".tools/temporal-ui/$UI_VERSION"

server_built() { [ -x "$DEST/temporal-server" ] && [ -x "$DEST/temporal-sql-tool" ]; }
ui_built() { [ -x "$UI_DEST/temporal-ui-server" ]; }
if server_built && ui_built; then
  echo "temporal-server: $VERSION (cached in $DEST), Web UI server $UI_VERSION (cached in $UI_DEST)"
  exit 0
fi

GO="$(command -v go || true)"
for candidate in /usr/local/go/bin/go /usr/lib/go/bin/go; do
  if [ -z "$GO" ] && [ -x "$candidate" ]; then GO="$candidate"; fi
done
if [ -z "$GO" ]; then
  echo "temporal-server: Go is not installed: run scripts/setup.sh as root (Debian's golang-go), or install Go 1.21+ from https://go.dev/dl/" >&2
  exit 1
fi
GO_MINOR="$(GOTOOLCHAIN=local "$GO" env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
if ! [ "$GO_MINOR" -ge 21 ] 2>/dev/null; then
  echo "temporal-server: $("$GO" version) cannot fetch $GO_TOOLCHAIN by itself: Go 1.21 or newer is needed" >&2
  exit 1
fi

# go_install LABEL DEST NAME=PACKAGE...: builds each PACKAGE (module@version/path) into DEST as NAME,
# with progress every 30 s and every 50 modules / 100 packages, and the whole output kept for a failure.
go_install() {
  local label="$1" dest="$2"
  shift 2
  local start partial log status=0 packages=() spec
  start=$(date +%s)
  partial="$dest.partial-$$"
  rm -rf "$partial"
  mkdir -p "$partial"
  log="$partial/build.log"
  for spec in "$@"; do packages+=("${spec#*=}"); done
  ( while sleep 30; do echo "$label: still building ($(( $(date +%s) - start )) s) ..."; done ) &
  HEARTBEAT=$!
  # -v names each package as it is compiled: counted here, every line kept in the log.
  GOBIN="$PWD/$partial" GOTOOLCHAIN="$GO_TOOLCHAIN+auto" GOFLAGS="" CGO_ENABLED=0 \
    nice -n "${TEMPORAL_BUILD_NICE:-0}" "$GO" install -v -trimpath -tags disable_grpc_modules "${packages[@]}" 2>&1 |
    tee "$log" |
    awk -v label="$label" '
      /^go: downloading/ { d++; if (d == 1 || d % 50 == 0) { printf "%s: %d modules downloaded (%s %s)\n", label, d, $3, $4; fflush() } next }
      /^go: / { print label ": " $0; fflush(); next }
      { p++; if (p % 100 == 0) { printf "%s: %d packages compiled (%s)\n", label, p, $0; fflush() } }
      END { printf "%s: %d modules downloaded, %d packages compiled\n", label, d, p }' || status=$?
  kill "$HEARTBEAT" 2>/dev/null || true
  # `go install` names a binary after its package's folder: cmd/server -> server, cmd/tools/sql -> sql.
  for spec in "$@"; do
    local name="${spec%%=*}" package="${spec#*=}" built
    built="$(basename "${package%@*}")"
    if [ "$status" -ne 0 ] || [ ! -x "$partial/$built" ]; then
      echo "$label: the build failed; the end of its output:" >&2
      tail -40 "$log" >&2
      rm -rf "$partial"
      exit 1
    fi
    mv "$partial/$built" "$partial/$name"
  done
  rm -f "$log"
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "$partial" "$dest"
  echo "$label: built in $(( $(date +%s) - start )) s into $dest"
}
HEARTBEAT=""
trap 'if [ -n "$HEARTBEAT" ]; then kill "$HEARTBEAT" 2>/dev/null || true; fi; rm -rf .tools/temporal-server/*.partial-$$ .tools/temporal-ui/*.partial-$$' EXIT

if ! server_built; then
  echo "temporal-server: building Temporal $VERSION with $GO_TOOLCHAIN into $DEST (about 6 min on 2 cores the first time; progress below)"
  go_install temporal-server "$DEST" \
    "temporal-server=go.temporal.io/server/cmd/server@v$VERSION" \
    "temporal-sql-tool=go.temporal.io/server/cmd/tools/sql@v$VERSION"
fi
if ! ui_built; then
  echo "temporal-ui: building the Temporal Web UI server $UI_VERSION into $UI_DEST (1-2 min the first time)"
  go_install temporal-ui "$UI_DEST" "temporal-ui-server=github.com/temporalio/ui-server/v2/cmd/server@v$UI_VERSION"
fi
