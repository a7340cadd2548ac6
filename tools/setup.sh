#!/usr/bin/env bash
# Install the host packages tsvirt's tests and tools need, from Debian's archive through apt:
#   gcc-riscv64-linux-gnu  builds the guest test programs and benchmarks (test/isa, bench/cpu)
#   device-tree-compiler   checks generated device trees (dtc)
#   e2fsprogs, xz-utils, dpkg, debian-archive-keyring, cpio  guest image builder (tsvirt image)
#   qemu-utils             qemu-img: makes and checks the qcow2 images of the disk tests
#   socat                  raw exchanges with the QMP socket (test/boot/qmp.test.mjs)
#   gdb-multiarch          the GDB client of the GDB stub's tests (test/boot/gdb.test.mjs)
#   chromium               the browser of tsvirt in the browser's test and benchmark, driven by
#                          playwright-core (test/boot/browser.test.mjs, bench/browser.mjs)
#   libslirp0              the user-mode NAT of `--net user` (QEMU's own -netdev user library, loaded through koffi)
# With --bench it also installs the two QEMU builds tsvirt is compared with and checked against:
#   qemu-system-misc       bookworm's QEMU 7.2, /usr/bin/qemu-system-riscv64 (the benchmarks' history)
#   libc6-dev-riscv64-cross  the riscv64 C library, for bench/os.mjs's static guest program
#   QEMU 10                bookworm-backports' qemu-system-riscv, extracted (dpkg -x, not installed,
#                          so 7.2 stays) into $XDG_CACHE_HOME/tsvirt/qemu-10 (else ~/.cache/tsvirt/qemu-10)
#                          and run through the wrapper bin/qemu-system-riscv64 there: the peer of the
#                          benchmarks and the reference of `node tools/isa-tests.mjs --ref qemu`.
# The mirror for QEMU 10 is the host's Debian archive as apt reads it (apt-get indextargets over
# sources.list and sources.list.d, both formats), or $TSVIRT_DEBIAN_MIRROR when set. The host's apt
# state is left alone: a private apt configuration under the prefix lists bookworm-backports only.
# Idempotent: packages already present are not fetched again, nor is a working QEMU 10.
set -euo pipefail

usage() {
  echo "usage: tools/setup.sh [--bench]"
  echo "  --bench  also install QEMU 7.2 (qemu-system-misc) and QEMU 10 (bookworm-backports, private prefix)"
}

bench=0
case "${1:-}" in
  "") ;;
  --bench) bench=1 ;;
  -h | --help)
    usage
    exit 0
    ;;
  *)
    echo "tools/setup.sh: unknown option '$1'" >&2
    usage >&2
    exit 2
    ;;
esac

pkgs=(gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu device-tree-compiler e2fsprogs xz-utils dpkg
  debian-archive-keyring cpio qemu-utils socat gdb-multiarch chromium libslirp0)
if ((bench)); then pkgs+=(qemu-system-misc libc6-dev-riscv64-cross); fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# The host's own apt (root, or through sudo): refresh its lists once per run, install packages.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "tools/setup.sh: need root for: $*" >&2
    exit 1
  fi
}
updated=0
host_update() {
  if ((!updated)); then as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; fi
  updated=1
}
host_install() {
  echo "tools/setup.sh: installing $*" >&2
  host_update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=()
for p in "${pkgs[@]}"; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]} > 0)); then host_install "${missing[@]}"; fi
if ((!bench)); then exit 0; fi

# ---- QEMU 10 from bookworm-backports, beside the host's QEMU 7.2 ----

# The cache root as tsvirt's image builder chooses it (src/images/layout.ts): $XDG_CACHE_HOME when
# absolute, as the XDG Base Directory Specification requires, else ~/.cache. tools/qemu.mjs agrees.
if [[ "${XDG_CACHE_HOME:-}" == /* ]]; then cache="$XDG_CACHE_HOME/tsvirt"; else cache="$HOME/.cache/tsvirt"; fi
prefix="$cache/qemu-10"
wrapper="$prefix/bin/qemu-system-riscv64"
root="$prefix/root"
# What QEMU 10 needs to run: the binary, its data (firmware, keymaps) and OpenSBI, which Debian
# ships apart and qemu-system-data links to for `-bios default`.
qemu_pkgs=(qemu-system-riscv qemu-system-data opensbi)

if [[ -x "$wrapper" ]] && "$wrapper" --version 2>/dev/null | grep -q '^QEMU emulator version 10\.'; then
  exit 0
fi

# The Debian archive among the host's sources: like src/images/mirror.ts, not a security archive,
# and preferably a URI with a `debian` path segment, else one whose suite is a Debian code name.
debian_mirror() {
  if [[ -n "${TSVIRT_DEBIAN_MIRROR:-}" ]]; then
    echo "${TSVIRT_DEBIAN_MIRROR%/}"
    return
  fi
  # shellcheck disable=SC2016 # $(...) are apt's format fields, not shell substitutions.
  apt-get indextargets --no-release-info --format '$(TARGET_OF) $(REPO_URI) $(RELEASE)' | awk '
    $1 != "deb" || $2 ~ /^cdrom:/ || $2 ~ /security/ || $3 ~ /-security$|\/updates$/ { next }
    {
      path = $2; sub(/^[a-zA-Z][a-zA-Z0-9+.-]*:(\/\/[^\/]*)?/, "", path)
      if (bypath == "" && ("/" path "/") ~ /\/[dD][eE][bB][iI][aA][nN]\//) bypath = $2
      if (bysuite == "" && $3 ~ /^(buster|bullseye|bookworm|trixie|forky|duke|sid)(-updates|-backports|-proposed-updates)?$/) bysuite = $2
    }
    END { m = bypath != "" ? bypath : bysuite; sub(/\/+$/, "", m); print m }'
}

mirror=$(debian_mirror)
if [[ -z "$mirror" ]]; then
  echo "tools/setup.sh: no Debian archive in the host's apt sources (/etc/apt/sources.list," \
    "/etc/apt/sources.list.d/); set TSVIRT_DEBIAN_MIRROR=http://HOST/debian" >&2
  exit 1
fi
echo "tools/setup.sh: fetching QEMU 10 from $mirror bookworm-backports into $prefix" >&2

# The private apt: its own sources, lists, cache and (empty) status; the host's hooks cleared, as the
# image builder does (src/images/apt.ts), since they may refresh host caches.
apt_dir="$prefix/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs" "$prefix/bin"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm-backports main" \
  >"$apt_dir/sources.list"
cat >"$apt_dir/apt.conf" <<'EOF'
// Written by tools/setup.sh for its private apt (QEMU 10 from bookworm-backports); do not edit.
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear DPkg::Pre-Invoke;
#clear DPkg::Post-Invoke;
#clear DPkg::Pre-Install-Pkgs;
Acquire::Languages "none";
EOF
: >"$apt_dir/status"
apt=(-c "$apt_dir/apt.conf"
  -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::State::status=$apt_dir/status"
  -o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1)
# As root, apt would drop to the _apt user to download, which cannot enter a cache under a private
# home (it then warns and downloads as root anyway): say so up front.
if [[ $(id -u) -eq 0 ]]; then apt+=(-o APT::Sandbox::User=root); fi

apt-get "${apt[@]}" update -qq
debs="$apt_dir/debs"
rm -f "$debs"/*.deb
(cd "$debs" && apt-get "${apt[@]}" download -qq "${qemu_pkgs[@]}")

# The binary's shared libraries: each dependency that is not a QEMU or OpenSBI package comes from
# the host (bookworm) when its version there satisfies the dependency; otherwise from backports,
# extracted beside QEMU and found through LD_LIBRARY_PATH in the wrapper.
satisfies() { [[ -n "$1" && "$1" != "(none)" ]] && { [[ -z "$2" ]] || dpkg --compare-versions "$1" "$2" "$3"; }; }
need=()
IFS=',' read -ra deps <<<"$(dpkg-deb -f "$debs"/qemu-system-riscv_*.deb Depends)"
for dep in "${deps[@]}"; do
  dep="${dep%%|*}" # the first of alternatives
  read -r name op ver <<<"$(echo "$dep" | tr -d '()')"
  case "$name" in qemu-* | opensbi) continue ;; esac
  have=""
  if installed "$name"; then have=$(dpkg-query -W -f='${Version}' "$name"); fi
  satisfies "$have" "$op" "$ver" || need+=("$name $op $ver")
done
host_libs=()
bpo_libs=()
if ((${#need[@]} > 0)); then host_update; fi
for dep in "${need[@]}"; do
  read -r name op ver <<<"$dep"
  cand=$(apt-cache policy "$name" 2>/dev/null | awk '/Candidate:/ { print $2 }')
  if satisfies "$cand" "$op" "$ver"; then
    host_libs+=("$name")
  else
    bpo_libs+=("$name")
  fi
done
if ((${#host_libs[@]} > 0)); then host_install "${host_libs[@]}"; fi
if ((${#bpo_libs[@]} > 0)); then (cd "$debs" && apt-get "${apt[@]}" download -qq "${bpo_libs[@]}"); fi

# Extract beside, then swap in, so a failed run never leaves a half-written tree behind the wrapper.
rm -rf "$root.new"
mkdir -p "$root.new"
for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root.new"; done
rm -rf "$root"
mv "$root.new" "$root"
rm -f "$debs"/*.deb

libpath=""
if ((${#bpo_libs[@]} > 0)); then
  libpath=$(find "$root" -name 'lib*.so*' -not -path '*/qemu/*' -printf '%h\n' | sort -u | paste -sd:)
fi
if LD_LIBRARY_PATH="$libpath" ldd "$root/usr/bin/qemu-system-riscv64" | grep 'not found' >&2; then
  echo "tools/setup.sh: QEMU 10's shared libraries above are missing" >&2
  exit 1
fi

# The wrapper. -L: this build's data directory first, since the binary looks in the absolute
# /usr/share/qemu, where the host's QEMU 7.2 keeps an older OpenSBI. -audio none: no audio back end
# to probe, since probing loads modules from the absolute /usr/lib/<triplet>/qemu, QEMU 7.2's.
tmp="$wrapper.$$.tmp"
{
  echo '#!/bin/sh'
  echo "# Written by tools/setup.sh: QEMU 10 from Debian bookworm-backports, extracted in $root."
  if [[ -n "$libpath" ]]; then printf 'LD_LIBRARY_PATH=%q\nexport LD_LIBRARY_PATH\n' "$libpath"; fi
  printf 'exec %q -L %q -audio none "$@"\n' "$root/usr/bin/qemu-system-riscv64" "$root/usr/share/qemu"
} >"$tmp"
chmod +x "$tmp"
mv "$tmp" "$wrapper"
"$wrapper" --version | head -n 1 >&2
