#!/bin/sh
# Waits until the Temporal server answers, then creates the namespace the app uses (once).
# The `temporal` CLI reads the server address from TEMPORAL_ADDRESS. Runs in the admin-tools image
# (docker-compose.yml) and in ours (docker-compose.local.yml): both carry the CLI and a POSIX sh.
set -eu

# Runs the command until it succeeds, once a second, for up to five minutes: compose starts this
# job at once (docker-compose.yml says why), and a first start of Postgres, the schema and the
# server takes a while on a slow machine.
retry() {
    tries=0
    until "$@" >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -ge 300 ]; then
            echo "gave up after 5 minutes: $*" >&2
            exit 1
        fi
        sleep 1
    done
}

retry temporal operator cluster health
if temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
    # Brought to this file's retention: a changed NAMESPACE_RETENTION takes effect on the next
    # `up`, and the dev server's namespaces (created at launch, kept 24 h) match the cluster's.
    temporal operator namespace update --namespace "$TEMPORAL_NAMESPACE" \
        --retention "$NAMESPACE_RETENTION" >/dev/null
    echo "namespace $TEMPORAL_NAMESPACE exists already; retention $NAMESPACE_RETENTION"
else
    temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" \
        --retention "$NAMESPACE_RETENTION" --description "briefing: the news-briefing agent's workflows"
fi
# The frontend's namespace cache takes a moment: wait until the namespace answers a list.
retry temporal workflow list --namespace "$TEMPORAL_NAMESPACE" --limit 1
# The briefing's search attributes (workflows/search_attributes.py), before any worker starts: a
# briefing that upserts one the namespace lacks would stall. Added only where missing, so a
# second `up` changes nothing; a name taken with another type stops the worker, which says so.
for attribute in BriefingTopic=Keyword BriefingStories=Int BriefingOutcome=Keyword BriefingTokens=Int; do
    name=${attribute%=*}
    if ! temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" | grep -qw "$name"; then
        temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" \
            --name "$name" --type "${attribute#*=}" >/dev/null
        echo "search attribute $name added"
    fi
done
echo "namespace $TEMPORAL_NAMESPACE is ready"
