#!/usr/bin/env bash
# Builds the Dockerfile's base image from Debian's own packages, for machines that reach the
# Debian archive but no image registry: debootstrap a minimal bookworm with Python 3.11, then
# `docker import` it. The same archive apt uses here, so nothing else needs to be reachable.
#
#   docker/local-bases.sh [--rebuild] [--print-tag]
#
# --rebuild    build again even when the image is there already
# --print-tag  print the tag it builds (for `--build-arg PYTHON_IMAGE=...`) and exit
# Environment: LOCAL_PYTHON_IMAGE (the tag), DEBIAN_MIRROR (default: read from apt's sources).
set -euo pipefail

TAG="${LOCAL_PYTHON_IMAGE:-briefing-local/python:3.11-bookworm}"
SUITE=bookworm
# python3-venv brings pip and setuptools for the venv; passwd is for the final stage's useradd.
PACKAGES=python3,python3-venv,ca-certificates,passwd

usage() { sed -n '6,10s/^# \{0,1\}//p' "$0"; }

rebuild=false
for argument in "$@"; do
    case "$argument" in
        --rebuild) rebuild=true ;;
        --print-tag) echo "$TAG"; exit 0 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "local-bases.sh: unknown argument: $argument" >&2; usage >&2; exit 2 ;;
    esac
done

docker_client() {
    command -v docker || { echo "local-bases.sh: no docker client on PATH" >&2; exit 1; }
}

# The first http(s) mirror apt's sources give for a suite (deb822 .sources or one-line .list).
apt_mirror() {
    local suite="$1" file
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.{list,sources}; do
        [[ -f "$file" ]] || continue
        awk -v suite="$suite" '
            /^[[:space:]]*#/ { next }
            /^URIs:/ { uri = $2 }
            /^Suites:/ {
                for (i = 2; i <= NF; i++) if ($i == suite && uri ~ /^https?:/) { print uri; exit }
            }
            /^deb[[:space:]]/ {
                for (i = 2; i <= NF; i++) if ($i ~ /^https?:/ && $(i + 1) == suite) { print $i; exit }
            }
        ' "$file"
    done | head -n 1
}

ensure_debootstrap() {
    command -v debootstrap > /dev/null && return
    if [[ "$(id -u)" != 0 ]]; then
        echo "local-bases.sh: debootstrap is missing; as root: apt-get install -y debootstrap" >&2
        exit 1
    fi
    echo "installing debootstrap (apt-get)"
    apt-get install -y --no-install-recommends debootstrap > /dev/null \
        || { apt-get update > /dev/null \
            && apt-get install -y --no-install-recommends debootstrap > /dev/null; }
}

# debootstrap takes the suite as released; its fixes since are in -updates and -security.
upgrade_from_updates_and_security() {
    local rootfs="$1" mirror="$2" security
    security="$(apt_mirror "$SUITE-security")"
    {
        echo "deb $mirror $SUITE main"
        echo "deb $mirror $SUITE-updates main"
        [[ -n "$security" ]] && echo "deb $security $SUITE-security main"
    } > "$rootfs/etc/apt/sources.list"
    echo "upgrading from $SUITE-updates${security:+ and $SUITE-security ($security)}"
    cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
    DEBIAN_FRONTEND=noninteractive chroot "$rootfs" sh -c \
        'apt-get update -qq && apt-get upgrade -y -qq --no-install-recommends' \
        > "$rootfs.log" 2>&1 || { tail -n 20 "$rootfs.log" >&2; exit 1; }
    rm -f "$rootfs.log"
    # Docker writes the container's own resolv.conf; the host's must not stay in the image.
    : > "$rootfs/etc/resolv.conf"
}

build_python_base() {
    local docker mirror rootfs
    docker="$(docker_client)"
    mirror="${DEBIAN_MIRROR:-$(apt_mirror "$SUITE")}"
    [[ -n "$mirror" ]] \
        || { echo "local-bases.sh: no $SUITE mirror in apt's sources: set DEBIAN_MIRROR" >&2; exit 1; }
    [[ "$(id -u)" == 0 ]] || { echo "local-bases.sh: debootstrap needs root" >&2; exit 1; }
    ensure_debootstrap
    rootfs="$(mktemp -d /tmp/briefing-rootfs.XXXXXX)"
    # shellcheck disable=SC2064  # the path is fixed now, on purpose
    trap "rm -rf '$rootfs' '$rootfs.log'" EXIT
    echo "debootstrap $SUITE (minbase, $PACKAGES) from $mirror"
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$mirror" \
        > "$rootfs.log" 2>&1 || { tail -n 20 "$rootfs.log" >&2; exit 1; }
    rm -f "$rootfs.log"
    upgrade_from_updates_and_security "$rootfs" "$mirror"
    # What an image needs no copy of: apt's downloads, caches and lists, docs (each package's
    # copyright stays), man pages, locales, logs.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
        "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old
    find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
    tar --numeric-owner -C "$rootfs" -c . | "$docker" import \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["python3"]' \
        --message "debootstrap $SUITE minbase: $PACKAGES" - "$TAG" > /dev/null
}

main() {
    local docker started size previous
    docker="$(docker_client)"
    started=$SECONDS
    if ! $rebuild && "$docker" image inspect "$TAG" > /dev/null 2>&1; then
        echo "$TAG: already built (--rebuild to build again)"
        return
    fi
    previous="$("$docker" image inspect --format '{{.Id}}' "$TAG" 2> /dev/null || true)"
    build_python_base
    # A rebuild leaves the old image untagged: remove it unless something still uses it.
    [[ -n "$previous" ]] && "$docker" image rm "$previous" > /dev/null 2>&1 || true
    size="$("$docker" image inspect --format '{{.Size}}' "$TAG" | awk '{ printf "%.0f", $1 / 1e6 }')"
    echo "$TAG: built in $((SECONDS - started)) s, $size MB"
}

main
