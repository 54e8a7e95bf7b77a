#!/bin/sh
# Entrypoint of the neighd image: refuse to start when java cannot get
# CAP_NET_RAW, then exec the JVM (so java receives SIGTERM from `docker stop` or
# the kubelet directly and Spring shuts down cleanly).
#
# How java gets CAP_NET_RAW: the container runs as uid 10001, so this shell has
# no effective capabilities whatever the runtime grants. The java binary carries
# the file capability cap_net_raw+ep, which the kernel grants at exec only
#   1. if NET_RAW is in the bounding set (--cap-add NET_RAW;
#      Kubernetes capabilities.add: [NET_RAW]), and
#   2. if no_new_privs is not set (--security-opt no-new-privileges and
#      Kubernetes allowPrivilegeEscalation: false set it, and then the kernel
#      caps java's permitted set at the empty one of this shell).
# Run as root (uid 0) with NET_RAW added, the shell already holds the
# capability, and no_new_privs does not matter.
set -eu

CAP_NET_RAW=13

status_field() { sed -n "s/^$1:[[:space:]]*//p" /proc/self/status; }
has_net_raw() { [ -n "$1" ] && [ $(( (0x$1 >> CAP_NET_RAW) & 1 )) -eq 1 ]; }

if ! has_net_raw "$(status_field CapBnd)"; then
  echo "neighd: CAP_NET_RAW is missing: run the container with --cap-add NET_RAW (Kubernetes: securityContext.capabilities.add: [NET_RAW])" >&2
  exit 78  # EX_CONFIG
fi
if [ "$(status_field NoNewPrivs)" = 1 ] && ! has_net_raw "$(status_field CapPrm)"; then
  echo "neighd: CAP_NET_RAW cannot reach java: no_new_privs is set, which disables its file capability; drop --security-opt no-new-privileges (Kubernetes: securityContext.allowPrivilegeEscalation: true) or run as uid 0 with NET_RAW added" >&2
  exit 78
fi

# JAVA_OPTS is split on whitespace on purpose (one option per word). JNA's stub and the
# class data sharing archive (made at image build time, docker/Dockerfile) come first,
# so that a replaced JAVA_OPTS keeps them and may still override them.
# shellcheck disable=SC2086
exec java -Djna.boot.library.path=/opt/neighd/native -Djna.tmpdir=/tmp \
  -XX:SharedArchiveFile=/opt/neighd/app/neighd.jsa $JAVA_OPTS -jar /opt/neighd/app/neighd.jar "$@"
