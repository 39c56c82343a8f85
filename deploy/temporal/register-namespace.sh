#!/bin/sh
# The namespace runs live in and the search attributes they set, registered as an operator does,
# with the Temporal CLI against the server at TEMPORAL_ADDRESS (the CLI's own variable). Re-runnable:
# a namespace or attribute that exists is kept. Waits for a server still starting (up to a minute
# per step), and ends only once the attributes are listed.
#
# docker-compose.yml runs it as a one-shot service (temporalio/admin-tools), `npm run test:cluster`
# against its server. TEMPORAL_NAMESPACE (default `default`), TEMPORAL_NAMESPACE_RETENTION
# (default 72h); TEMPORAL_CLI_PATH: the CLI's path, when it is not `temporal` on PATH.
set -eu
CLI="${TEMPORAL_CLI_PATH:-temporal}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-72h}"
# The runs' search attributes, all Keyword: src/contracts/search-attributes.ts (RUN_SEARCH_ATTRIBUTES;
# test/deploy/temporal.test.ts checks that the two lists agree).
SEARCH_ATTRIBUTES="AgentWorkflowId AgentSessionId AgentUserId AgentRunStatus AgentCurrentStep"

# retry WHAT COMMAND...: once a second until it succeeds, for up to a minute.
retry() {
  what="$1"
  shift
  tries=0
  until output="$("$@" 2>&1)"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
      echo "register-namespace: $what failed: $output" >&2
      exit 1
    fi
    sleep 1
  done
}

namespace_exists() {
  "$CLI" operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1 ||
    "$CLI" operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION"
}

# One `--type` per `--name`: the CLI pairs them by position, and registers only as many names as it
# is given types (one type for five names registers the first name alone, without a word). On SQL
# visibility the attributes belong to the namespace, hence `--namespace`.
register_attributes() {
  set --
  for name in $SEARCH_ATTRIBUTES; do set -- "$@" --name "$name" --type Keyword; done
  "$CLI" operator search-attribute create --namespace "$NAMESPACE" "$@"
}

attributes_listed() {
  listed="$("$CLI" operator search-attribute list --namespace "$NAMESPACE")" || return 1
  for name in $SEARCH_ATTRIBUTES; do
    if ! printf '%s\n' "$listed" | grep -qw "$name"; then
      printf 'no %s in:\n%s\n' "$name" "$listed"
      return 1
    fi
  done
}

retry "the namespace $NAMESPACE" namespace_exists
# Right after its creation, the frontend may not know the namespace yet: retried too.
retry "registering the search attributes" register_attributes
retry "listing the search attributes" attributes_listed
echo "register-namespace: $NAMESPACE, with the search attributes $SEARCH_ATTRIBUTES"
