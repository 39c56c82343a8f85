#!/bin/sh
# Temporal's store and SQL visibility schemas on PostgreSQL, set up by `temporal-sql-tool` of the
# server's release (deploy/temporal/VERSION; the schemas are embedded in the tool): each database
# made if missing, then brought to the release's newest schema version. Re-runnable: what exists is
# kept, so it runs before every start of the server.
#
# docker-compose.yml runs it as a one-shot service (temporalio/admin-tools), `npm run test:cluster`
# against its throwaway PostgreSQL. The connection comes from the names deploy/temporal/config.yaml
# reads: POSTGRES_SEEDS, DB_PORT, POSTGRES_USER, POSTGRES_PWD, DBNAME, VISIBILITY_DBNAME.
# TEMPORAL_SQL_TOOL: the tool's path, when it is not `temporal-sql-tool` on PATH.
set -eu
TOOL="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"

for target in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  database="${target%%:*}"
  schema="${target#*:}"
  set -- --plugin postgres12 --ep "${POSTGRES_SEEDS:-127.0.0.1}" -p "${DB_PORT:-5432}" \
    -u "${POSTGRES_USER:-temporal}" --pw "${POSTGRES_PWD:-}" --db "$database"
  "$TOOL" "$@" create
  "$TOOL" "$@" setup-schema -v 0.0
  "$TOOL" "$@" update-schema --schema-name "postgresql/v12/$schema"
  echo "setup-schema: $database at the newest $schema schema"
done
