// The page `tsvirt serve` serves: boots a guest with createVm and shows it in an xterm.js
// terminal, with boot progress, the run state, the guest's MIPS and the machine's buttons.
// Query: kernel=URL, initrd=URL (default: the server's default guest), memory=MiB, jit=wasm|js|off.

import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { createVm, type BrowserVm, type RunState } from './index.js';

/** What the page exposes on `window.tsvirtPage` for tests and the console. */
export interface PageHook {
  term: Terminal;
  vm: BrowserVm;
  /** The run state, as shown. */
  state(): RunState;
  /** Guest MIPS last shown. */
  mips(): number;
  /** The terminal's visible lines, trailing blanks trimmed. */
  screen(): string[];
  /** Milliseconds from navigation start to the first output byte, once there is one. */
  firstOutputMs?: number;
}

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`page: no #${id}`);
  return e as T;
};

const query = new URLSearchParams(location.search);
const jitParam = query.get('jit');
const jit = jitParam === 'js' || jitParam === 'off' ? jitParam : 'wasm';
const memoryMiB = Number(query.get('memory') ?? 512);

const term = new Terminal({ convertEol: false, scrollback: 5000, fontSize: 14, cols: 100, rows: 32 });
term.open($('terminal'));
term.focus();

const stateEl = $('state');
const mipsEl = $('mips');
const progressEl = $<HTMLProgressElement>('progress');
const progressText = $('progress-text');
const noticeEl = $('notice');

const vm = createVm({
  kernel: query.get('kernel') ?? 'guest/Image',
  initrd: query.get('initrd') ?? 'guest/initrd.img',
  memoryBytes: (Number.isSafeInteger(memoryMiB) && memoryMiB > 0 ? memoryMiB : 512) * 1024 ** 2,
  jit,
  workerUrl: new URL('worker.js', import.meta.url),
});

let lastMips = 0;
const hook: PageHook = {
  term,
  vm,
  state: () => vm.state,
  mips: () => lastMips,
  screen: () => {
    const b = term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < term.rows; y++) lines.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
    return lines;
  },
};
(window as unknown as { tsvirtPage: PageHook }).tsvirtPage = hook;

const loaded = { kernel: [0, 0], initrd: [0, 0] };
vm.onProgress((what, loadedBytes, totalBytes) => {
  loaded[what] = [loadedBytes, totalBytes];
  const got = loaded.kernel[0] + loaded.initrd[0];
  const total = loaded.kernel[1] + loaded.initrd[1];
  if (total > 0) progressEl.value = Math.min(1, got / total);
  progressText.textContent = `downloading the guest: ${(got / 1024 ** 2).toFixed(1)} MiB`;
});
vm.onBoot((info) => {
  progressEl.value = 1;
  progressText.textContent = `booting (translator: ${info.jit})`;
  noticeEl.hidden = info.crossOriginIsolated;
  noticeEl.textContent = info.crossOriginIsolated
    ? ''
    : 'This page is not cross-origin isolated (no COOP/COEP headers): SharedArrayBuffer is unavailable, ' +
      'so guest RAM is an ordinary buffer and the machine stays on one worker. It runs, at the same speed.';
  document.body.dataset.isolated = String(info.crossOriginIsolated);
  document.body.dataset.sharedMemory = String(info.sharedMemory);
});
vm.onOutput((bytes) => {
  if (hook.firstOutputMs === undefined) {
    hook.firstOutputMs = performance.now();
    progressText.textContent = 'running';
  }
  term.write(bytes);
});
const showState = (s: RunState): void => {
  stateEl.textContent = s;
  document.body.dataset.state = s;
  $<HTMLButtonElement>('pause').disabled = s !== 'running';
  $<HTMLButtonElement>('resume').disabled = s !== 'paused';
  $<HTMLButtonElement>('poweroff').disabled = s !== 'running' && s !== 'paused';
  $<HTMLButtonElement>('reset').disabled = s !== 'running' && s !== 'paused';
  if (s !== 'running') mipsEl.textContent = '0';
};
showState('loading');
vm.onState(showState);
vm.onStats((s) => {
  lastMips = s.mips;
  mipsEl.textContent = s.mips.toFixed(0);
});
void vm.exited.then((exit) => {
  progressText.textContent =
    exit.kind === 'error'
      ? `failed: ${exit.message}`
      : exit.kind === 'fail'
        ? `the guest reported failure ${exit.code}`
        : exit.kind === 'stopped'
          ? 'powered off'
          : 'the guest powered off';
});
term.onData((data) => vm.write(data));
// Each button gives the keyboard back to the terminal.
const button = (id: string, action: () => void): void => {
  $(id).onclick = () => {
    action();
    term.focus();
  };
};
button('pause', () => vm.pause());
button('resume', () => vm.resume());
button('poweroff', () => vm.powerOff());
button('reset', () => {
  term.reset();
  vm.reset();
});
