// Choosing kernel modules for the initramfs. Debian's kernel package ships modules.order,
// modules.builtin and modules.builtin.modinfo but not modules.dep (depmod(8) makes that at install
// time), so dependencies come from each module's own .modinfo (`depends=`, `softdep=pre:`), as
// modpost recorded them; the kernel's .config is consulted for built-in (=y) options.

import { moduleInfo, type ModInfo } from './modinfo.js';

export class ModuleError extends Error {}

/** Module names compare with '-' and '_' as the same character, as the kernel and kmod do. */
export function normaliseModuleName(name: string): string {
  return name.trim().replace(/-/g, '_');
}

/** Name of a module from its path: `kernel/drivers/char/hw_random/virtio-rng.ko.xz` → `virtio_rng`. */
export function moduleNameOfPath(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return normaliseModuleName(base.replace(/\.ko(\.(xz|gz|zst))?$/, ''));
}

/** modules.order (one `kernel/…/x.ko` path per line) as module name → path. */
export function parseModulesOrder(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const path = line.trim();
    if (path !== '' && !out.has(moduleNameOfPath(path))) out.set(moduleNameOfPath(path), path);
  }
  return out;
}

/** Names of built-in modules from modules.builtin (one path per line). */
export function parseModulesBuiltin(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(moduleNameOfPath),
  );
}

/** Aliases provided by built-in code, from modules.builtin.modinfo (`module.alias=value\0` records). */
export function parseBuiltinAliases(modinfo: Uint8Array): Set<string> {
  const out = new Set<string>();
  for (const rec of new TextDecoder().decode(modinfo).split('\0')) {
    const m = /^[^.=]+\.alias=(.+)$/.exec(rec);
    if (m !== null) out.add(m[1]);
  }
  return out;
}

/** `CONFIG_FOO=y|m|...` lines of a kernel .config; `# CONFIG_FOO is not set` lines are left out. */
export function parseKernelConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line.trim());
    if (m !== null) out.set(m[1], m[2]);
  }
  return out;
}

/**
 * Kconfig symbols of modules the builder knows by name: a module absent from modules.order whose
 * symbol is `=y` is built in, and errors quote the symbol's value.
 */
export const MODULE_CONFIG_SYMBOL: Readonly<Record<string, string>> = {
  virtio_mmio: 'CONFIG_VIRTIO_MMIO',
  virtio_blk: 'CONFIG_VIRTIO_BLK',
  virtio_net: 'CONFIG_VIRTIO_NET',
  virtio_rng: 'CONFIG_HW_RANDOM_VIRTIO',
  virtio_console: 'CONFIG_VIRTIO_CONSOLE',
  virtio_pci: 'CONFIG_VIRTIO_PCI',
  ext4: 'CONFIG_EXT4_FS',
  '9p': 'CONFIG_9P_FS',
  '9pnet_virtio': 'CONFIG_NET_9P_VIRTIO',
  kvm: 'CONFIG_KVM',
};

/** What planModules needs to know about one kernel. */
export interface ModuleSource {
  kernelRelease: string;
  /** modules.order: name → path relative to lib/modules/<release>/ (ending in `.ko`). */
  order: ReadonlyMap<string, string>;
  builtin: ReadonlySet<string>;
  builtinAliases: ReadonlySet<string>;
  config: ReadonlyMap<string, string>;
  /** The uncompressed bytes of the module at a modules.order path. */
  read(path: string): Promise<Uint8Array>;
}

/** A module chosen for the initramfs. */
export interface PlannedModule {
  name: string;
  /** Path relative to lib/modules/<release>/, ending in `.ko` (stored uncompressed). */
  path: string;
  info: ModInfo;
  /** Modules in this plan that must be inserted first: its `depends=` and resolved soft dependencies. */
  needs: string[];
  data: Uint8Array;
}

export interface ModulePlan {
  /** In a valid insertion order: every module after everything it depends on. */
  load: PlannedModule[];
  /** Requested modules that are built into the kernel and so need no file. */
  builtin: string[];
  /** Soft dependencies that nothing provides (not an error: modprobe skips them too). */
  notes: string[];
}

/**
 * Resolve requested names to the modules to insert. A depth-first walk from each request (in the
 * order given) appends a module after its `softdep=pre:` providers and its `depends=`, so the list
 * is a valid insertion order with each module once. A request that is neither in modules.order nor
 * built in (modules.builtin, or its Kconfig symbol `=y`) is an error naming it; so is a module whose
 * vermagic is for another kernel.
 */
export async function planModules(requested: readonly string[], src: ModuleSource): Promise<ModulePlan> {
  const load: PlannedModule[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const builtin: string[] = [];
  const notes: string[] = [];

  const visit = async (name: string, chain: readonly string[]): Promise<void> => {
    if (done.has(name) || src.builtin.has(name)) return;
    if (visiting.has(name)) throw new ModuleError(`dependency cycle: ${[...chain, name].join(' -> ')}`);
    const path = src.order.get(name);
    if (path === undefined) {
      throw new ModuleError(`${chain.join(' -> ')} needs module ${name}, which is not in modules.order`);
    }
    visiting.add(name);
    const data = await src.read(path);
    const info = moduleInfo(data, path);
    if (!info.vermagic.startsWith(`${src.kernelRelease} `)) {
      throw new ModuleError(`${path}: built for '${info.vermagic}', not for ${src.kernelRelease}`);
    }
    const needs: string[] = [];
    for (const s of info.softdepPre) {
      const provider = await soft(s, [...chain, name]);
      if (provider !== undefined) needs.push(provider);
    }
    for (const d of info.depends.map(normaliseModuleName)) {
      await visit(d, [...chain, name]);
      if (!src.builtin.has(d)) needs.push(d);
    }
    visiting.delete(name);
    done.add(name);
    load.push({ name, path, info, needs, data });
  };

  // A softdep names a module or an alias (crypto-crc32c). Aliases come from .modinfo, so only
  // modules named like the alias's subject (crc32c, crc32c_generic, ...) are opened to look.
  // Returns the module that provides it, if one is to be loaded.
  const soft = async (wanted: string, chain: readonly string[]): Promise<string | undefined> => {
    const n = normaliseModuleName(wanted);
    if (src.builtin.has(n) || src.builtinAliases.has(wanted) || visiting.has(n)) return undefined;
    if (src.order.has(n)) {
      await visit(n, chain);
      return n;
    }
    const base = normaliseModuleName(wanted.replace(/^crypto-/, ''));
    for (const [cand, path] of src.order) {
      if (cand !== base && !cand.startsWith(`${base}_`)) continue;
      if (moduleInfo(await src.read(path), path).aliases.includes(wanted)) {
        await visit(cand, chain);
        return cand;
      }
    }
    notes.push(`${chain[chain.length - 1]}: soft dependency ${wanted} is provided by no module; skipped`);
    return undefined;
  };

  for (const raw of requested) {
    const name = normaliseModuleName(raw);
    const symbol = MODULE_CONFIG_SYMBOL[name];
    const configValue = symbol === undefined ? undefined : src.config.get(symbol);
    if (src.builtin.has(name) || (!src.order.has(name) && configValue === 'y')) {
      if (!builtin.includes(name)) builtin.push(name);
      continue;
    }
    if (!src.order.has(name)) {
      throw new ModuleError(
        `module '${raw}' is neither in modules.order nor built in` +
          (symbol === undefined ? '' : ` (${symbol}=${configValue ?? 'not set'})`),
      );
    }
    await visit(name, []);
  }
  return { load, builtin, notes };
}

/**
 * modules.dep for the initramfs, in depmod's format: each module followed by all modules it needs
 * (transitively), the last one to be inserted first (BusyBox and kmod modprobe walk it backwards).
 */
export function modulesDepText(plan: ModulePlan): string {
  const byName = new Map(plan.load.map((m) => [m.name, m]));
  const rank = new Map(plan.load.map((m, i) => [m.name, i]));
  const closure = (m: PlannedModule, acc: Set<string>): Set<string> => {
    for (const d of m.needs) {
      const dm = byName.get(d);
      if (dm !== undefined && !acc.has(d)) closure(dm, acc.add(d));
    }
    return acc;
  };
  return plan.load
    .map((m) => {
      const deps = [...closure(m, new Set())].sort((a, b) => (rank.get(b) ?? 0) - (rank.get(a) ?? 0));
      return `${m.path}:${deps.map((d) => ` ${byName.get(d)?.path}`).join('')}\n`;
    })
    .join('');
}

/** modules.alias for the initramfs (`alias PATTERN module`), so modprobe can resolve request_module(). */
export function modulesAliasText(plan: ModulePlan): string {
  return plan.load.flatMap((m) => m.info.aliases.map((a) => `alias ${a} ${m.name}\n`)).join('');
}
