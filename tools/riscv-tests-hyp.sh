#!/usr/bin/env bash
# Builds the hypervisor programs of a riscv-tests checkout (isa/hypervisor, hypervisor-svadu and
# hypervisor-zicclsm, p environment, as riscv-tests' isa/Makefile does) and runs each on tsvirt's
# spike board with the H extension: one pass/fail line per program (issue 20). Not part of npm test:
# the checkout (with its env submodule) comes from the network, which CI does not have.
set -euo pipefail

usage() {
  echo "usage: tools/riscv-tests-hyp.sh RISCV_TESTS_DIR [TSVIRT_RUN_ARGS...]"
  echo "  e.g. tools/riscv-tests-hyp.sh ~/riscv-tests --jit off"
  echo "  each program runs as: bin/tsvirt run --machine spike --kernel P --cpu max,h=on ARGS"
}

case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "") usage >&2; exit 2 ;;
esac
src=$(readlink -f "$1")
shift
root=$(dirname "$(readlink -f "$0")")/..
cc=riscv64-linux-gnu-gcc
if [ ! -f "$src/env/p/riscv_test.h" ]; then
  echo "$src: no env/p/riscv_test.h (not a riscv-tests checkout, or run git submodule update --init)" >&2
  exit 2
fi
command -v "$cc" >/dev/null || { echo "$cc not found: run tools/setup.sh" >&2; exit 2; }
[ -f "$root/dist/tsvirt.mjs" ] || { echo "dist/tsvirt.mjs not found: run npm run build" >&2; exit 2; }

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
passed=0
failed=0
for suite in hypervisor hypervisor-svadu hypervisor-zicclsm; do
  if [ ! -d "$src/isa/$suite" ]; then
    echo "skip $suite: not in this checkout"
    continue
  fi
  for s in "$src/isa/$suite"/*.S; do
    name=$suite-p-$(basename "$s" .S)
    # riscv-tests builds with -march=rv64gh (no C: its trap handlers' labels must be 4-byte
    # aligned to go into stvec). GCC 12 rejects the single letter h; its assembler takes it.
    if ! "$cc" -march=rv64g -Wa,-march=rv64gh -mabi=lp64d -static -mcmodel=medany \
      -fvisibility=hidden -nostdlib -nostartfiles -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
      -I "$src/env/p" -I "$src/isa/macros/scalar" -T "$src/env/p/link.ld" \
      "$s" -o "$build/$name" 2>"$build/$name.log"; then
      echo "FAIL $name: build"
      sed 's/^/    /' "$build/$name.log" | head -5
      failed=$((failed + 1))
      continue
    fi
    # The p environment reports through HTIF tohost, which tsvirt makes its exit status: 0 = pass,
    # else the failing TESTNUM (mod 256; an unexpected trap sets it to TESTNUM | 1337).
    status=0
    timeout 60 "$root/bin/tsvirt" run --machine spike --kernel "$build/$name" --cpu max,h=on "$@" \
      >"$build/$name.out" 2>&1 || status=$?
    if [ "$status" -eq 0 ]; then
      echo "ok $name"
      passed=$((passed + 1))
    else
      [ "$status" -eq 124 ] && why="timeout after 60 s" || why="exit $status"
      echo "FAIL $name: $why"
      sed 's/^/    /' "$build/$name.out" | head -5
      failed=$((failed + 1))
    fi
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
