#!/usr/bin/env bash
# Builds fio with its libiscsi and rbd engines from Debian's source package (Debian's fio binary is
# built without libiscsi) and prints the path of the binary. The build is cached: a second call only
# prints. The rbd engine lets bench/rbd-gateway-bench.sh compare Basalt's iSCSI gateway with librbd.
#
#   basalt-iscsi/bench/fio-build.sh [work-dir]      (default /var/tmp/basalt-fio)
#
# Needs root on Debian: it adds a deb-src entry for bookworm, fetches the source with
# `apt-get source` (which checks the .dsc and the tarballs against the hashes in the archive's
# signed Sources index) and installs the few build dependencies the engine needs.
set -euo pipefail
work="${1:-/var/tmp/basalt-fio}"
binary="$work/bin/fio"

has_engine() { [ -x "$1" ] && "$1" --enghelp 2>/dev/null | grep -qx "[[:space:]]*$2"; }
has_engines() { has_engine "$1" libiscsi && has_engine "$1" rbd && [ -f "$work/.chap-patched" ]; }

if has_engines "$binary"; then
  echo "$binary"
  exit 0
fi

log() { echo "fio-build: $*" >&2; }
mkdir -p "$work"

sources=/etc/apt/sources.list.d/basalt-deb-src.sources
if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  log "adding $sources"
  cat >"$sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi

log "installing build dependencies"
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  dpkg-dev build-essential pkg-config libiscsi-dev libaio-dev zlib1g-dev librbd-dev librados-dev >&2

log "fetching the source package"
src="$work/src"
rm -rf "$src"
mkdir -p "$src"
chown _apt "$src" 2>/dev/null || true                       # apt downloads as _apt when it can write there
(cd "$src" && apt-get source -qq fio >&2)
tree="$(find "$src" -mindepth 1 -maxdepth 1 -type d -name 'fio-*' | head -1)"
[ -n "$tree" ] || { log "apt-get source fio gave no source tree"; exit 1; }

# fio's libiscsi engine parses the URL's CHAP user%password but never gives it to the session; give it
# (Basalt's target, like Cinder's targets, requires CHAP).
sed -i 's|^\(\tif (iscsi_set_targetname(iscsi_lun->iscsi, iscsi_lun->url->target)) {\)$|\tif (iscsi_lun->url->user[0] \&\& iscsi_set_initiator_username_pwd(iscsi_lun->iscsi,\n\t\t\tiscsi_lun->url->user, iscsi_lun->url->passwd)) {\n\t\tlog_err("iscsi: failed to set the CHAP credentials.\\n");\n\t\tret = EINVAL;\n\t\tgoto out;\n\t}\n\n\1|' \
  "$tree/engines/libiscsi.c"
grep -q iscsi_set_initiator_username_pwd "$tree/engines/libiscsi.c" || { log "could not patch fio's libiscsi engine"; exit 1; }
log "building $(basename "$tree") with --enable-libiscsi (and rbd, found through librbd-dev)"
(
  cd "$tree"
  ./configure --prefix="$work" --enable-libiscsi --disable-native >&2
  make -j"$(nproc)" >&2
  make install >&2
)

touch "$work/.chap-patched"
has_engines "$binary" || { log "$binary was built without the libiscsi or the rbd engine"; exit 1; }
echo "$binary"
