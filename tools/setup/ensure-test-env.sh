#!/usr/bin/env bash
# Makes sure the machine has what the tests drive for real: the CNCF registry, skopeo, umoci,
# a static busybox, openssl, zstd, docker-py, podman, buildah, runc, conmon, the CNI plugins, dockerd, the docker CLI, and a RabbitMQ broker on 127.0.0.1:5672.
# Installs Debian packages when running as root; otherwise says what is missing and fails.
set -euo pipefail

need_pkgs=()
command -v docker-registry >/dev/null 2>&1 || need_pkgs+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need_pkgs+=(skopeo)
command -v umoci >/dev/null 2>&1 || need_pkgs+=(umoci)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need_pkgs+=(busybox-static)
command -v openssl >/dev/null 2>&1 || need_pkgs+=(openssl)
command -v bzip2 >/dev/null 2>&1 || need_pkgs+=(bzip2)
command -v xz >/dev/null 2>&1 || need_pkgs+=(xz-utils)
command -v python3 >/dev/null 2>&1 || need_pkgs+=(python3)
command -v zstd >/dev/null 2>&1 || need_pkgs+=(zstd)
# docker-py (Debian's python3-docker) is one of the SDKs the end-to-end tests drive Stevedore with.
# Debian's python (not a pyenv one earlier on PATH) is the one the tests run docker-py with.
/usr/bin/python3 -c 'import docker' >/dev/null 2>&1 || need_pkgs+=(python3-docker)
# The container runtime's parts: runc runs containers under conmon, CNI plugins make the bridge,
# and Debian's dockerd (docker.io) is the oracle the differential tests compare with.
command -v runc >/dev/null 2>&1 || need_pkgs+=(runc)
command -v conmon >/dev/null 2>&1 || [ -x /usr/bin/conmon ] || [ -x /usr/libexec/podman/conmon ] || need_pkgs+=(conmon)
[ -x /usr/lib/cni/bridge ] || need_pkgs+=(containernetworking-plugins)
command -v iptables >/dev/null 2>&1 || need_pkgs+=(iptables)
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
command -v script >/dev/null 2>&1 || need_pkgs+=(bsdutils)
# Debian's podman and buildah copy to and from `docker-daemon:` against Stevedore in the end-to-end
# tests (skopeo, above, too): the clients issue 13 found speaking API 1.22.
command -v podman >/dev/null 2>&1 || need_pkgs+=(podman)
command -v buildah >/dev/null 2>&1 || need_pkgs+=(buildah)
# conmon's attach socket is SOCK_SEQPACKET, which Node cannot open: socat bridges it.
command -v socat >/dev/null 2>&1 || need_pkgs+=(socat)

if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_pkgs[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
  else
    echo "setup: missing test tools: ${need_pkgs[*]}. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${need_pkgs[*]}" >&2
    exit 1
  fi
fi

if ! command -v docker >/dev/null 2>&1; then
  echo "setup: the docker CLI (client only) is needed for the end-to-end tests; none is on PATH" >&2
  exit 1
fi

amqp_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
if ! amqp_up; then
  if command -v rabbitmq-server >/dev/null 2>&1; then
    echo "setup: RabbitMQ is down; starting it"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    for _ in $(seq 1 90); do amqp_up && break; sleep 1; done
  fi
  if ! amqp_up; then
    echo "setup: RabbitMQ does not answer on 127.0.0.1:5672 (install rabbitmq-server or start it)" >&2
    exit 1
  fi
fi
echo "setup: registry $(docker-registry --version 2>/dev/null | awk '{print $3}'), skopeo $(skopeo --version | awk '{print $3}'), RabbitMQ on 127.0.0.1:5672"
