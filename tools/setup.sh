#!/usr/bin/env bash
# Install the host packages tsvirt's tests and tools need, from Debian's archive through apt:
#   gcc-riscv64-linux-gnu  builds the guest test programs and benchmarks (test/isa, bench/cpu)
#   device-tree-compiler   checks generated device trees (dtc)
#   e2fsprogs, xz-utils, dpkg, debian-archive-keyring, cpio  guest image builder (tsvirt image)
# With --bench it also installs qemu-system-misc, the peer that benchmarks compare against.
# Idempotent: packages already present are not fetched again.
set -euo pipefail

pkgs=(gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu device-tree-compiler e2fsprogs xz-utils dpkg
  debian-archive-keyring cpio)
if [[ "${1:-}" == "--bench" ]]; then pkgs+=(qemu-system-misc); fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "tools/setup.sh: need root to install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "tools/setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
