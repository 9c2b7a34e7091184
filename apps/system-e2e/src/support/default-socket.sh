#!/bin/bash
# Runs "$@" in the private mount namespace `unshare --mount` gives it, where /run (so also
# /var/run) is a fresh tmpfs and /run/docker.sock is Stevedore's own unix socket ($1) bind-mounted.
# podman and buildah take `docker-daemon:` from unix:///var/run/docker.sock and nothing else (no
# flag, no DOCKER_HOST); this way they reach Stevedore, with nothing in between, and never the
# host's own socket.
set -euo pipefail
socket="$1"
shift
mount -t tmpfs tmpfs /run
touch /run/docker.sock
mount --bind "$socket" /run/docker.sock
exec "$@"
