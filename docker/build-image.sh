#!/usr/bin/env bash
# Builds our image with BuildKit, the host's pip and npm settings passed in as build secrets,
# and prints how long it took.
#
#   docker/build-image.sh [--bases local|official] [--tag TAG] [-- DOCKER_BUILD_ARGS...]
#
# --bases local     (default) Debian-built bases from docker/local-bases.sh, built if missing:
#                   for machines that reach package registries but no image registry
# --bases official  the Dockerfile's own FROM defaults (python:...-slim-bookworm)
# --tag TAG         the image's tag (default: briefing:local, the name docker-compose.yml uses)
# after --          passed to `docker build` as they are (e.g. --no-cache)
# Environment: DOCKER, a docker client to use instead of the first one that can run BuildKit.
set -euo pipefail
cd "$(dirname "$0")/.."

bases=local
tag=briefing:local
extra=()
while (($#)); do
    case "$1" in
        --bases) bases="${2:-}"; shift 2 ;;
        --tag) tag="${2:-}"; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        -h | --help) sed -n '5,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "build-image.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ "$bases" == local || "$bases" == official ]] \
    || { echo "build-image.sh: --bases is local or official, not '$bases'" >&2; exit 2; }
[[ -n "$tag" ]] || { echo "build-image.sh: --tag needs a value" >&2; exit 2; }

# A client runs BuildKit if it has the buildx plugin, or is older than 23 (BuildKit built in;
# from 23 on `DOCKER_BUILDKIT=1 docker build` needs buildx). PATH's docker may have neither.
buildkit_client() {
    local candidate version
    for candidate in ${DOCKER:-} "$(command -v docker || true)" /usr/bin/docker; do
        [[ -x "$candidate" ]] || continue
        if "$candidate" buildx version > /dev/null 2>&1; then
            echo "$candidate buildx build --load"
            return
        fi
        version="$("$candidate" version --format '{{.Client.Version}}' 2> /dev/null || true)"
        if [[ "${version%%.*}" =~ ^[0-9]+$ ]] && ((${version%%.*} < 23)); then
            echo "$candidate build"
            return
        fi
    done
    echo "build-image.sh: no docker client that runs BuildKit (buildx plugin, or a client < 23)" >&2
    exit 1
}

# The host's pip settings that hold inside a build, its npm user config and the CA bundle pip
# trusts (where TLS goes through a proxy, its CA is only there), as secret files.
CA_IN_BUILD=/run/secrets/ca-certificates
secret_arguments() {
    local pip_settings="" host_ca="" npmrc
    if python3 -m pip --version > /dev/null 2>&1; then
        pip_settings="$(python3 -m pip config list 2> /dev/null || true)"
        host_ca="$(python3 docker/pip_config_for_build.py --print-host-cert <<< "$pip_settings")"
    fi
    if [[ -z "$host_ca" ]] && command -v npm > /dev/null; then
        host_ca="$(npm config get cafile 2> /dev/null || true)"
    fi
    [[ -f "$host_ca" ]] || host_ca=""
    if [[ -n "$pip_settings" ]]; then
        python3 docker/pip_config_for_build.py ${host_ca:+--cert "$CA_IN_BUILD"} \
            <<< "$pip_settings" > "$secrets/pip.conf"
        echo "--secret id=pip.conf,src=$secrets/pip.conf"
    fi
    npmrc="$(npm config get userconfig 2> /dev/null || echo "$HOME/.npmrc")"
    { [[ -f "$npmrc" ]] && cat "$npmrc"; [[ -n "$host_ca" ]] && echo "cafile=$CA_IN_BUILD"; } \
        > "$secrets/npmrc" || true
    [[ -s "$secrets/npmrc" ]] && echo "--secret id=npmrc,src=$secrets/npmrc"
    [[ -n "$host_ca" ]] && echo "--secret id=ca-certificates,src=$host_ca"
    return 0
}

main() {
    local client started base_arguments=() secret_words
    client="$(buildkit_client)"
    if [[ "$bases" == local ]]; then
        docker/local-bases.sh
        base_arguments=(--build-arg "PYTHON_IMAGE=$(docker/local-bases.sh --print-tag)")
    fi
    secrets="$(mktemp -d /tmp/briefing-build-secrets.XXXXXX)"
    trap 'rm -rf "$secrets"' EXIT
    secret_words="$(secret_arguments)"
    started=$SECONDS
    echo "building $tag with $client (bases: $bases)"
    # shellcheck disable=SC2086  # the client and the secrets are words on purpose
    DOCKER_BUILDKIT=1 $client ${base_arguments[@]+"${base_arguments[@]}"} $secret_words \
        --tag "$tag" ${extra[@]+"${extra[@]}"} .
    echo "$tag: built in $((SECONDS - started)) s"
}

main
