// Backend factory: `virtual` (any OS, no root: invented addresses) or `netns` (Linux + root: real network
// namespaces). The netns module is loaded on demand so a machine without netns support never loads that code.
import type { LabBackend } from '../backend';
import { createVirtualBackend } from './virtual-backend';

export type BackendKind = 'virtual' | 'netns';

export interface BackendOptions {
  /** netns: directory with the userland binaries (busybox, dnsmasq, caddy ...) */
  userlandBinDir?: string;
  /** netns: slot number (several labs on one machine) */
  slot?: number;
  runDir?: string;
}

export async function createBackend(kind: BackendKind, opts: BackendOptions = {}): Promise<LabBackend> {
  if (kind === 'virtual') {
    return createVirtualBackend();
  }
  if (kind === 'netns') {
    if (process.platform !== 'linux') throw new Error('the netns backend needs Linux (network namespaces)');
    if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new Error('the netns backend needs root');
    if (!opts.userlandBinDir) throw new Error('the netns backend needs userlandBinDir (the lab userland for containers)');
    const spec = '../netns/netns-backend';
    const mod: any = await import(/* @vite-ignore */ spec);
    return mod.createNetnsBackend({ slot: opts.slot, userlandBinDir: opts.userlandBinDir, runDir: opts.runDir });
  }
  throw new Error(`unknown backend '${String(kind)}' (use virtual or netns)`);
}
