// Writing a VM's snapshot to a file: the Node side of `Vm.save()`, which stays portable (a browser
// host keeps the parts in memory or hands them to a download instead).

import { open } from 'node:fs/promises';

/** What saveVmTo needs of a VM: `Vm.save()` (structural, so that the host layer needs no vm/). */
export interface Savable {
  save(): Promise<Uint8Array[]>;
}

/**
 * `vm.save()` into the file `path` (replaced), its parts with one writev. Same preconditions as
 * `Vm.save`: the VM is paused, ended or not yet running.
 */
export async function saveVmTo(vm: Savable, path: string): Promise<void> {
  const parts = await vm.save();
  const f = await open(path, 'w');
  try {
    await f.writev(parts);
  } finally {
    await f.close();
  }
}
