// Embedding tsvirt in a page with 'tsvirt/browser' (docs/browser.md): a Linux guest whose console
// is a <pre> and a line input, no terminal emulator. index.html beside this file is its page; bundle
// this file with esbuild next to the package's dist/browser/worker.js (docs/browser.md says how).

import { createVm, type BrowserVm } from 'tsvirt/browser';

/** Boot `kernel` and `initrd` (URLs) and wire the guest's console to `out` and `line`. */
export function embed(
  out: HTMLPreElement,
  line: HTMLInputElement,
  kernel: string,
  initrd: string,
): BrowserVm {
  const vm = createVm({
    kernel,
    initrd,
    memoryBytes: 256 * 1024 ** 2,
    // The worker bundle, copied beside this page's script.
    workerUrl: new URL('./worker.js', import.meta.url),
  });
  const decoder = new TextDecoder();
  vm.onOutput((bytes) => {
    // A <pre> is no terminal: drop carriage returns and escape sequences.
    // eslint-disable-next-line no-control-regex
    out.textContent += decoder.decode(bytes, { stream: true }).replace(/\r|\x1b\[[0-9;?]*[@-~]/g, '');
    out.scrollTop = out.scrollHeight;
  });
  line.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    vm.write(`${line.value}\n`);
    line.value = '';
  });
  vm.onStats((s) => (document.title = `guest: ${s.mips.toFixed(0)} MIPS`));
  void vm.exited.then((e) => (out.textContent += `\n[machine off: ${e.kind}]\n`));
  return vm;
}

const pre = document.querySelector('pre');
const input = document.querySelector('input');
if (pre !== null && input !== null) embed(pre, input, 'guest/Image', 'guest/initrd.img');
