#!/usr/bin/env node
// The import rules of src/ (the style guide's: layers only point downwards, no import circles),
// checked from the source text so that `npm run lint` fails on a wrong import before anything runs.
// Usage: node tools/check-layers.mjs [--graph]   (--graph prints every import edge and exits)
// Exit status 0 when every rule holds, 1 otherwise, each violation on its own line.
//
// Rules, over every import of src/**/*.ts (type-only imports, re-exports and import() included):
//  1. No cycles, tests included.
//  2. A production module (not *.test.ts, not under src/testing/) imports only the layers LAYERS
//     allows it; src/testing/ is imported by tests and by src/testing/ alone.
//  3. The portable layers (PORTABLE) import no package and no node: module, and no module that
//     does, however indirectly: they run wherever JavaScript does. tsconfig.portable.json then
//     checks that they use no Node global (Buffer, process) either.
//  4. The interpreter's hart and loop import nothing from the JIT (the JIT is optional, built on
//     them).

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = 'src';

/**
 * What each layer (the first folder under src/) may import besides itself. A layer missing here
 * (cli, vm) is the top: it may import any layer but src/testing/.
 */
const LAYERS = {
  core: [],
  memory: ['core'],
  cpu: ['core', 'memory'],
  machine: ['core'],
  loaders: ['core', 'memory'],
  sbi: ['core', 'memory', 'cpu'],
  engine: ['core', 'memory', 'cpu'],
  // Backends are the host side of devices: the interfaces devices see, and their Node versions.
  backends: ['core'],
  devices: ['core', 'memory', 'backends'],
  boards: ['core', 'memory', 'cpu', 'sbi', 'engine', 'machine', 'loaders', 'backends', 'devices'],
  // The host layer implements the interfaces of backends and loaders (Node's gzip decoder).
  host: ['core', 'backends', 'loaders', 'monitor'],
  images: ['core'],
  // QMP's protocol and commands, portable so that a browser host can serve them too.
  monitor: ['core'],
  // The GDB stub's protocol and target (its socket is in host/).
  gdb: ['core', 'memory', 'cpu', 'engine'],
};

/** Layers that must run on any JavaScript runtime: see rule 3 and tsconfig.portable.json. */
const PORTABLE = [
  'core',
  'memory',
  'cpu',
  'machine',
  'loaders',
  'sbi',
  'engine',
  'devices',
  'boards',
  'monitor',
  'gdb',
  'vm',
];

/** Modules that must not import the JIT (rule 4), and the JIT's folder. */
const NO_JIT = ['src/cpu/riscv/hart.ts', 'src/cpu/riscv/interp.ts'];
const JIT_DIR = 'src/cpu/riscv/jit/';

/**
 * Cycles that exist today and are being taken apart (issue 19): each entry is the set of files of
 * one cycle. A cycle passes when all its files are in one entry; an entry that no longer overlaps
 * any cycle fails, so the list only shrinks. Empty it; do not add to it.
 */
const ALLOWED_CYCLES = [];

/** Imports that break a rule other than rule 1 today, likewise to be removed: [from, to]. */
const ALLOWED_EDGES = [];

/** Every .ts file under src/, as a path relative to the repository root with '/' separators. */
function sourceFiles() {
  return readdirSync(join(ROOT, SRC), { recursive: true })
    .map((f) => `${SRC}/${String(f).split('\\').join('/')}`)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
}

const layerOf = (file) => file.split('/')[1];
const isTest = (file) => file.endsWith('.test.ts');
const isTesting = (file) => layerOf(file) === 'testing';

/**
 * The imports of `file`: `files` are the modules of src/ it names (resolved the NodeNext way,
 * './x.js' being x.ts), `external` the rest (node:fs, packages). An import that names no file is
 * a problem too.
 */
function importsOf(file, problems) {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const files = new Set();
  const external = new Set();
  for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!fileName.startsWith('.')) {
      external.add(fileName);
      continue;
    }
    const target = normalize(join(dirname(file), fileName))
      .split('\\')
      .join('/')
      .replace(/\.js$/, '.ts');
    if (!target.endsWith('.ts') || !existsSync(join(ROOT, target))) {
      problems.push(`${file}: import '${fileName}' names no source file`);
    } else if (!target.endsWith('.d.ts')) {
      files.add(target);
    }
  }
  return { files: [...files].sort(), external: [...external].sort() };
}

/** Strongly connected components of more than one file, or of a file that imports itself. */
function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  // Iterative Tarjan: a deep import chain must not overflow the JavaScript stack.
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work = [[root, 0]];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const edges = graph.get(v).files;
      if (i < edges.length) {
        frame[1]++;
        const w = edges[i];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v), index.get(w)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = work[work.length - 1][0];
        low.set(u, Math.min(low.get(u), low.get(v)));
      }
      if (low.get(v) === index.get(v)) {
        const scc = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || graph.get(v).files.includes(v)) found.push(scc.sort());
      }
    }
  }
  return found;
}

/** One import path around the cycle `scc`, from its first file back to it, for the message. */
function cyclePath(graph, scc) {
  const members = new Set(scc);
  const start = scc[0];
  const prev = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    for (const w of graph.get(v).files) {
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)) path.splice(1, 0, u);
        return [...path, start].join(' -> ');
      }
      if (members.has(w) && !prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return scc.join(', ');
}

/**
 * For each file that reaches a package or node: module through its imports, one such chain
 * ("a.ts -> b.ts -> node:fs"), so a portable module's message says where Node comes in.
 */
function hostChains(graph) {
  const chain = new Map();
  const visit = (file, seen) => {
    if (chain.has(file)) return chain.get(file);
    if (seen.has(file)) return undefined; // a cycle: reported by rule 1
    seen.add(file);
    const { files, external } = graph.get(file);
    let found = external.length > 0 ? `${file} -> ${external[0]}` : undefined;
    for (const f of files) {
      if (found !== undefined) break;
      const sub = visit(f, seen);
      if (sub !== undefined) found = `${file} -> ${sub}`;
    }
    chain.set(file, found);
    return found;
  };
  for (const file of graph.keys()) visit(file, new Set());
  return chain;
}

function check() {
  const problems = [];
  const graph = new Map(sourceFiles().map((f) => [f, importsOf(f, problems)]));
  if (process.argv.includes('--graph')) {
    for (const [f, { files, external }] of graph)
      for (const t of [...files, ...external]) console.log(`${f} ${t}`);
    return 0;
  }
  const allowedEdge = (from, to) => ALLOWED_EDGES.some(([a, b]) => a === from && b === to);
  const usedEdges = new Set();

  // Rule 1.
  const found = cycles(graph);
  for (const scc of found) {
    if (ALLOWED_CYCLES.some((ok) => scc.every((f) => ok.includes(f)))) continue;
    problems.push(`import cycle: ${cyclePath(graph, scc)}`);
  }
  for (const ok of ALLOWED_CYCLES) {
    if (!found.some((scc) => scc.some((f) => ok.includes(f)))) {
      problems.push(`ALLOWED_CYCLES lists a cycle that is gone, remove it: ${ok.join(', ')}`);
    }
  }

  // Rules 2 to 4.
  const chains = hostChains(graph);
  for (const [file, { files, external }] of graph) {
    const layer = layerOf(file);
    const production = !isTest(file) && !isTesting(file);
    for (const to of files) {
      const target = layerOf(to);
      if (isTesting(to) && production) {
        problems.push(`${file} imports ${to}: only tests and src/testing/ may import src/testing/`);
      }
      const allowed = LAYERS[layer];
      if (production && allowed !== undefined && target !== layer && !allowed.includes(target)) {
        if (allowedEdge(file, to)) usedEdges.add(`${file} ${to}`);
        else
          problems.push(
            `${file} imports ${to}: layer ${layer} may import only ${allowed.join(', ') || 'itself'}`,
          );
      }
      if (NO_JIT.includes(file) && to.startsWith(JIT_DIR)) {
        if (allowedEdge(file, to)) usedEdges.add(`${file} ${to}`);
        else problems.push(`${file} imports ${to}: the interpreter must not depend on the JIT`);
      }
    }
    if (production && PORTABLE.includes(layer)) {
      for (const ext of external)
        problems.push(`${file} imports ${ext}: layer ${layer} must not use Node or packages`);
      // A portable module that reaches Node is reported itself: only the step out of the portable
      // layers is reported here, so a wrong import gives one message, not one per importer.
      for (const to of files) {
        const chain = chains.get(to);
        if (chain !== undefined && !PORTABLE.includes(layerOf(to))) {
          problems.push(`${file} imports ${to}, which is host code: ${chain}`);
        }
      }
    }
  }
  for (const [from, to] of ALLOWED_EDGES) {
    if (!usedEdges.has(`${from} ${to}`))
      problems.push(`ALLOWED_EDGES lists an import that is gone, remove it: ${from} -> ${to}`);
  }

  // tsconfig.portable.json type-checks the same layers without Node's types (rule 3).
  const portable = ts.readConfigFile(join(ROOT, 'tsconfig.portable.json'), ts.sys.readFile).config;
  const compiled = (portable?.include ?? [])
    .filter((p) => p.endsWith('/**/*.ts'))
    .map((p) => p.split('/')[1]);
  if (compiled.sort().join() !== [...PORTABLE].sort().join()) {
    problems.push(
      `tsconfig.portable.json compiles ${compiled.join(', ')}; PORTABLE is ${PORTABLE.join(', ')}`,
    );
  }

  for (const p of problems) console.error(`check-layers: ${p}`);
  if (problems.length === 0 && found.length + ALLOWED_EDGES.length > 0) {
    console.error(
      `check-layers: ${graph.size} modules pass; ${found.length} allowed cycles and ` +
        `${ALLOWED_EDGES.length} allowed imports are left to remove`,
    );
  }
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = check();
