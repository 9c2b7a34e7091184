#!/bin/bash
# Runs "$@" in the private mount namespace `unshare --mount` gives it, where /run (so also
# /var/run) is a fresh tmpfs whose docker.sock relays bytes to Stevedore's TCP listener ($1).
# podman and buildah take `docker-daemon:` from unix:///var/run/docker.sock and nothing else (no
# flag, no DOCKER_HOST); this way they reach Stevedore and never the host's own socket.
set -euo pipefail
target="$1"
shift
mount -t tmpfs tmpfs /run
socat "UNIX-LISTEN:/run/docker.sock,fork" "TCP:${target}" &
relay=$!
trap 'kill "$relay"' EXIT
for _ in $(seq 1 50); do [ -S /run/docker.sock ] && break; sleep 0.1; done
"$@"
