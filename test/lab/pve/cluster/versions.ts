// What the emulated nodes report about their software: pve-manager version/repoid and the running kernel.
import type { ClusterState } from './cluster-state';

interface Release {
  repoid: string;
  kernel: string;
  kernelBuild: string;
}

const RELEASES: Record<'8.4' | '9.1', Release> = {
  '8.4': { repoid: '2a5fa54a8503f96d', kernel: '6.8.12-11-pve', kernelBuild: '#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-11 (2025-05-22T09:39Z)' },
  '9.1': { repoid: '42db4a6cf33dac83', kernel: '6.17.2-1-pve', kernelBuild: '#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z)' },
};

export function release(state: ClusterState): Release & { version: string; release: string } {
  const r = RELEASES[state.version];
  return { ...r, version: state.pveVersion, release: state.pveVersion.split('.').slice(0, 2).join('.') };
}

/** GET /version and GET /nodes/{node}/version. */
export function versionInfo(state: ClusterState): Record<string, string> {
  const r = release(state);
  return { version: r.version, release: r.release, repoid: r.repoid, console: 'xtermjs' };
}

export function pveversionString(state: ClusterState): string {
  const r = release(state);
  return `pve-manager/${r.version}/${r.repoid}`;
}
