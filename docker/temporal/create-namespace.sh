#!/bin/sh
# Waits until the Temporal server answers, then creates the namespace the app uses (once).
# The `temporal` CLI reads the server address from TEMPORAL_ADDRESS.
set -eu

# Runs the command until it succeeds, once a second, for up to two minutes.
retry() {
    tries=0
    until "$@" >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -ge 120 ]; then
            echo "gave up after 2 minutes: $*" >&2
            exit 1
        fi
        sleep 1
    done
}

retry temporal operator cluster health
if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
    echo "namespace $TEMPORAL_NAMESPACE exists already"
else
    temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" \
        --retention "$NAMESPACE_RETENTION" --description "briefing: the news-briefing agent's workflows"
fi
# The frontend's namespace cache takes a moment: wait until the namespace answers a list.
retry temporal workflow list --namespace "$TEMPORAL_NAMESPACE" --limit 1
echo "namespace $TEMPORAL_NAMESPACE is ready"
