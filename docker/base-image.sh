#!/usr/bin/env bash
# Builds the base image `debian:bookworm-slim` locally, from Debian's own
# bookworm packages, and imports it into the local Docker engine under that tag.
#
# Why: docker/Dockerfile says `FROM debian:bookworm-slim` and must build
# unchanged both on a machine that can pull from Docker Hub and on ours, which
# reaches Debian's package mirror but no image registry. So we make the same
# thing the official image is made of: `debootstrap --variant=minbase bookworm`
# from deb.debian.org, then the "slim" tweaks the official build applies
# (debuerreotype: dpkg path excludes for docs/man/locales, apt cache cleaning,
# no recommends-autoremove, policy-rc.d, deb822 sources with updates+security),
# then `docker import`. It is a plain Debian bookworm minbase root filesystem;
# the label org.opencontainers.image.description says it was built here.
#
# Usage: docker/base-image.sh [--force]
#   Does nothing if the tag already exists, unless --force.
# Env:   BASE_IMAGE_TAG (default debian:bookworm-slim)
#        DEBIAN_MIRROR  (default http://deb.debian.org/debian)
# Needs: root, debootstrap, a running Docker engine. Takes about a minute.
set -euo pipefail

TAG=${BASE_IMAGE_TAG:-debian:bookworm-slim}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
force=0

for arg in "$@"; do
  case $arg in
    --force) force=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "base-image: unknown argument: $arg (usage: $0 [--force])" >&2; exit 2 ;;
  esac
done

if [[ $(id -u) -ne 0 ]]; then
  echo "base-image: needs root (debootstrap creates device nodes and chroots)" >&2
  exit 1
fi
command -v debootstrap >/dev/null || { echo "base-image: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "base-image: the Docker engine is not reachable (docker info failed)" >&2; exit 1; }

if ((force == 0)) && docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "base-image: $TAG already present (use --force to rebuild)"
  exit 0
fi

# /var/tmp, not /tmp: /tmp may be a tmpfs mounted nodev, and debootstrap makes device nodes.
rootfs=$(mktemp -d /var/tmp/neighd-base.XXXXXX)
chmod 0755 "$rootfs"   # it becomes the image's "/": mktemp's 0700 would lock every non-root user out
cleanup() { rm -rf --one-file-system "$rootfs"; }
trap cleanup EXIT

echo "base-image: debootstrap --variant=minbase $SUITE from $MIRROR"
debootstrap --variant=minbase --components=main --arch=amd64 "$SUITE" "$rootfs" "$MIRROR" \
  > "$rootfs.log" 2>&1 || { tail -20 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"

# Sources as the official image has them (deb822), with updates and security.
rm -f "$rootfs/etc/apt/sources.list"
cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF

# The "slim" part, as debuerreotype-slimify does it: later installs skip docs,
# man pages and translations; the ones debootstrap put there are removed now.
mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
cat > "$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$rootfs"/usr/share/{man,groff,info,lintian,linda}/*
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true

# apt behaviour of the official image: no caches kept, no translations,
# compressed indexes, suggests/recommends not kept by autoremove.
cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
echo 'Acquire::Languages "none";' > "$rootfs/etc/apt/apt.conf.d/docker-no-languages"
printf 'Acquire::GzipIndexes "true";\nAcquire::CompressionTypes::Order:: "gz";\n' > "$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
printf 'Apt::AutoRemove::SuggestsImportant "false";\n' > "$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"

# No daemons started by package scripts inside a container build.
printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"
chmod 0755 "$rootfs/usr/sbin/policy-rc.d"

# Leave nothing machine-specific or cached behind.
# (files only: the partial/ directories keep the _apt ownership apt's sandbox needs)
find "$rootfs/var/lib/apt/lists" "$rootfs/var/cache/apt" -type f -delete
rm -rf "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/var/tmp/* \
       "$rootfs"/root/.bash_history
for d in var/lib/apt/lists/partial var/cache/apt/archives/partial; do
  mkdir -p "$rootfs/$d"
  chroot "$rootfs" chown _apt:root "/$d"
  chmod 0700 "$rootfs/$d"
done
: > "$rootfs/etc/machine-id"
: > "$rootfs/etc/hostname"
: > "$rootfs/etc/resolv.conf"

echo "base-image: importing as $TAG"
tar --numeric-owner --xattrs --acls -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' \
  --change "LABEL org.opencontainers.image.description=\"Debian $SUITE minbase built locally by neighd docker/base-image.sh (debootstrap from $MIRROR)\"" \
  --message "debootstrap --variant=minbase $SUITE $MIRROR" \
  - "$TAG" >/dev/null
docker image ls "$TAG"
