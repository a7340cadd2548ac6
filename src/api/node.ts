// tsvirt's Node host backends for library users (`import { openDisk } from 'tsvirt/node'`): disks
// from image files, NICs over sockets, the host's CSPRNG and a console on stdin/stdout, made from
// the same specs as the command line's --disk and --net.

export { openDisk, DiskOpenError } from '../backends/block/open.js';
export { parseDiskSpec, DiskSpecError, type DiskSpec } from '../backends/block/spec.js';
export { openNetBackend, NetOpenError } from '../backends/net/socket.js';
export { parseNetSpec, NetSpecError, type NetSpec } from '../backends/net/spec.js';
export { HostEntropySource } from '../backends/entropy.js';
export { StdioConsole, type StdioConsoleOptions } from '../host/node/stdio-console.js';
export { nodeGunzip } from '../host/node/gunzip.js';
export { saveVmTo } from '../host/node/snapshot-file.js';
export { openSnapshotFile } from './snapshot-file.js';
