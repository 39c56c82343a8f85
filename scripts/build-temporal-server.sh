#!/usr/bin/env bash
# Builds the real Temporal server that `npm run test:cluster` runs, from Temporal's own Go module at
# the release pinned in deploy/temporal/VERSION: `temporal-server` (cmd/server) and
# `temporal-sql-tool` (cmd/tools/sql, which sets up the PostgreSQL schemas), as Temporal's Makefile
# builds them (CGO off, tag disable_grpc_modules).
#
# Cached in .tools/temporal-server/<version>/, so only the first run pays: about 6 minutes on 2 cores
# with cold Go caches (the modules, and the Go toolchain the module asks for, come through the Go
# module proxy), seconds afterwards. Needs Go 1.21 or newer on PATH (or in /usr/local/go), which
# fetches the newer toolchain itself (GOTOOLCHAIN). TEMPORAL_BUILD_NICE=19 builds at low priority.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="$(tr -d '[:space:]' < deploy/temporal/VERSION)"
# The Go release Temporal's go.mod requires at that version (its `go` line).
GO_TOOLCHAIN="${TEMPORAL_GO_TOOLCHAIN:-go1.26.10}"
DEST=".tools/temporal-server/$VERSION"

if [ -x "$DEST/temporal-server" ] && [ -x "$DEST/temporal-sql-tool" ]; then
  echo "temporal-server: $VERSION (cached in $DEST)"
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

echo "temporal-server: building Temporal $VERSION with $GO_TOOLCHAIN into $DEST (about 6 min on 2 cores the first time; progress below)"
start=$(date +%s)
partial="$DEST.partial-$$"
rm -rf "$partial"
mkdir -p "$partial"
log="$partial/build.log"
( while sleep 30; do echo "temporal-server: still building ($(( $(date +%s) - start )) s) ..."; done ) &
heartbeat=$!
trap 'kill "$heartbeat" 2>/dev/null || true; rm -rf "$partial"' EXIT

status=0
# -v names each package as it is compiled: counted here, every line kept in the log.
GOBIN="$PWD/$partial" GOTOOLCHAIN="$GO_TOOLCHAIN+auto" GOFLAGS="" CGO_ENABLED=0 \
  nice -n "${TEMPORAL_BUILD_NICE:-0}" "$GO" install -v -trimpath -tags disable_grpc_modules \
  "go.temporal.io/server/cmd/server@v$VERSION" "go.temporal.io/server/cmd/tools/sql@v$VERSION" 2>&1 |
  tee "$log" |
  awk '
    /^go: downloading/ { d++; if (d == 1 || d % 50 == 0) { printf "temporal-server: %d modules downloaded (%s %s)\n", d, $3, $4; fflush() } next }
    /^go: / { print "temporal-server: " $0; fflush(); next }
    { p++; if (p % 100 == 0) { printf "temporal-server: %d packages compiled (%s)\n", p, $0; fflush() } }
    END { printf "temporal-server: %d modules downloaded, %d packages compiled\n", d, p }' || status=$?
if [ "$status" -ne 0 ] || [ ! -x "$partial/server" ] || [ ! -x "$partial/sql" ]; then
  echo "temporal-server: the build failed; the end of its output:" >&2
  tail -40 "$log" >&2
  exit 1
fi

mv "$partial/server" "$partial/temporal-server"
mv "$partial/sql" "$partial/temporal-sql-tool"
rm -f "$log"
rm -rf "$DEST"
mv "$partial" "$DEST"
echo "temporal-server: built Temporal $VERSION in $(( $(date +%s) - start )) s: $DEST/temporal-server, $DEST/temporal-sql-tool"
