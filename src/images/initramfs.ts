// The guest's initramfs: a static BusyBox, an /init script that mounts the kernel file systems,
// inserts the chosen modules and runs a shell on the console, those modules (uncompressed), and any
// extra members (packages, a nested payload). Laid out as merged /usr, as Debian trixie is.
// Linux Documentation/filesystems/ramfs-rootfs-initramfs.rst; the archive is written by cpio.ts.

import { gzipSync } from 'node:zlib';
import { writeCpio, type CpioEntry } from './cpio.js';
import { mergeEntries } from './pkgtree.js';

/** A module file for the initramfs: its path under lib/modules/<release>/ and its bytes. */
export interface ModuleFile {
  path: string;
  data: Uint8Array;
}

export interface InitramfsSpec {
  /** `uname -r` of the kernel the modules belong to. */
  kernelRelease: string;
  /** The static BusyBox binary (riscv64). */
  busybox: Uint8Array;
  /** Uncompressed modules in insertion order (dependencies first), paths ending in `.ko`. */
  modules: readonly ModuleFile[];
  /** modules.dep, modules.alias (for the chosen modules) and modules.builtin, for modprobe in the guest. */
  modulesDep: string;
  modulesAlias: string;
  modulesBuiltin: string;
  hostname: string;
  /**
   * More members (parents before children, paths already merged-/usr); the ones this file
   * writes itself (/init, /etc/passwd, ...) take precedence.
   */
  extra?: readonly CpioEntry[];
}

/** Printed by /init once the modules are in, just before the shell starts; tests wait for it. */
export const INIT_DONE_MARKER = 'tsvirt: init done';

/** Applets /init uses before `busybox --install -s` has created the rest of the links. */
const EARLY_APPLETS = ['sh', 'mount', 'mkdir'];

/**
 * The /init script. Order matters: /proc first (busybox --install reads /proc/self/exe), then
 * /sys and devtmpfs, which Debian's kernel does not mount by itself (DEVTMPFS_MOUNT is off); its
 * messages come after the modules, since the console may be one of their devices. The
 * shell gets the console named last in /sys/class/tty/console/active (the device behind
 * /dev/console, e.g. ttyS0 or hvc0) as controlling terminal, so job control and ^C work; PID 1 never
 * exits (that would panic the kernel): when the shell ends, the machine powers off. The shell runs
 * in the background so that `poweroff`/`reboot` from it, which signal PID 1, take effect at once.
 */
export function initScript(spec: Pick<InitramfsSpec, 'kernelRelease' | 'modules' | 'hostname'>): string {
  const modDir = `/lib/modules/${spec.kernelRelease}`;
  const inserts = spec.modules.map((m) => `insmod ${modDir}/${m.path} || failed="$failed ${m.path}"\n`);
  return `#!/bin/sh
# /init of the tsvirt initramfs, written by \`tsvirt image\`.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
hostname ${spec.hostname}
failed=
${inserts.join('')}# A console behind a module (hvc0 needs virtio_mmio) exists only now: reopen it.
if (: <>/dev/console) 2>/dev/null; then exec <>/dev/console >&0 2>&0; fi
echo "tsvirt: loaded ${spec.modules.length} modules\${failed:+; insmod failed for:$failed}"
echo "${INIT_DONE_MARKER} (kernel $(uname -r))"
# root=DEV on the command line: mount it and make it the root file system (its /sbin/init runs).
root=
fstype=ext4
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    root=*) root=\${arg#root=} ;;
    rootfstype=*) fstype=\${arg#rootfstype=} ;;
  esac
done
if [ -n "$root" ] && mkdir -p /newroot && mount -t "$fstype" "$root" /newroot; then
  echo "tsvirt: switching to root $root"
  for m in dev proc sys run; do [ -d "/newroot/$m" ] && mount --move "/$m" "/newroot/$m"; done
  exec switch_root /newroot /sbin/init
fi
con=$(cat /sys/class/tty/console/active 2>/dev/null)
con=\${con##* }
# BusyBox's poweroff, reboot and halt (without -f) signal PID 1 the way BusyBox init expects.
trap 'sync; poweroff -f' USR1 USR2
trap 'sync; reboot -f' TERM
while :; do
  if [ -n "$con" ] && [ -c "/dev/$con" ]; then
    setsid sh -c "exec sh -l <>/dev/$con >&0 2>&0" &
  else
    setsid cttyhack sh -l &
  fi
  # wait returns early when a trapped signal arrives, so the trap runs at once.
  wait $!
  echo "tsvirt: shell exited, powering off"
  sync
  poweroff -f
done`;
}

const PROFILE = `export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
export PS1='\\h:\\w\\$ '
cd /root
`;

/**
 * The members every tsvirt initramfs starts with: the merged-/usr folders (/bin, /sbin and /lib are
 * symlinks into /usr, so paths in Debian packages and in ELF interpreters such as
 * /lib/ld-linux-riscv64-lp64d.so.1 resolve), /dev/console and /dev/null (the kernel opens
 * /dev/console for /init before devtmpfs is mounted), BusyBox with the applets /init needs first,
 * /init itself and a root account. `file` adds more members with their parent folders.
 */
export function skeletonEntries(
  busybox: Uint8Array,
  init: string,
  hostname: string,
): { entries: CpioEntry[]; file: (path: string, data: Uint8Array | string, mode?: number) => void } {
  const enc = new TextEncoder();
  const entries: CpioEntry[] = [];
  const dirs = new Set<string>();
  const dir = (path: string, mode = 0o755): void => {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (dirs.has(p)) continue;
      dirs.add(p);
      entries.push({ kind: 'dir', path: p, mode: p === path ? mode : 0o755 });
    }
  };
  const file = (path: string, data: Uint8Array | string, mode = 0o644): void => {
    const slash = path.lastIndexOf('/');
    if (slash > 0) dir(path.slice(0, slash));
    entries.push({ kind: 'file', path, data: typeof data === 'string' ? enc.encode(data) : data, mode });
  };
  for (const d of ['usr/bin', 'usr/sbin', 'usr/lib', 'dev', 'proc', 'sys', 'run', 'mnt', 'etc']) dir(d);
  for (const a of ['bin', 'sbin', 'lib']) entries.push({ kind: 'symlink', path: a, target: `usr/${a}` });
  dir('root', 0o700);
  dir('tmp', 0o1777);
  entries.push({ kind: 'chardev', path: 'dev/console', major: 5, minor: 1, mode: 0o600 });
  entries.push({ kind: 'chardev', path: 'dev/null', major: 1, minor: 3, mode: 0o666 });
  file('usr/bin/busybox', busybox, 0o755);
  for (const a of EARLY_APPLETS) entries.push({ kind: 'symlink', path: `usr/bin/${a}`, target: 'busybox' });
  file('init', init, 0o755);
  file('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n');
  file('etc/group', 'root:x:0:\ntty:x:5:\n');
  file('etc/hostname', `${hostname}\n`);
  file('etc/profile', PROFILE);
  return { entries, file };
}

/** Every member of the archive, parents before children (see skeletonEntries). */
export function initramfsEntries(spec: InitramfsSpec): CpioEntry[] {
  const { entries, file } = skeletonEntries(spec.busybox, initScript(spec), spec.hostname);
  const modDir = `usr/lib/modules/${spec.kernelRelease}`;
  for (const m of spec.modules) file(`${modDir}/${m.path}`, m.data);
  file(`${modDir}/modules.dep`, spec.modulesDep);
  file(`${modDir}/modules.alias`, spec.modulesAlias);
  file(`${modDir}/modules.builtin`, spec.modulesBuiltin);
  return spec.extra === undefined ? entries : mergeEntries(entries, spec.extra);
}

/** The gzip-compressed newc archive, as the kernel takes it with CONFIG_RD_GZIP. */
export function buildInitramfs(spec: InitramfsSpec): Uint8Array {
  return compressInitramfs(initramfsEntries(spec));
}

/** Compress newc members for an initramfs (gzip: CONFIG_RD_GZIP, which every Debian kernel has). */
export function compressInitramfs(entries: readonly CpioEntry[]): Uint8Array {
  return gzipSync(writeCpio(entries));
}
