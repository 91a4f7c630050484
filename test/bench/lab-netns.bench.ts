// How fast the netns lab backend comes up (node namespace, vmbr0, upstream dnsmasq, internet endpoint, host
// veth) and starts one container, with a static address and with DHCP (until the lease is on eth0).
// Medians of a few runs; needs Linux + root (prints a skip note elsewhere).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNetnsBackend, type NetnsBackend } from '../lab/netns/netns-backend';
import { canRunNetns, ctSpec } from '../lab/netns/netns-test-kit';
import { waitFor } from '../lab/netns/run';
import { reportBench } from './bench-report';

export const benchTags = ['lab', 'netns'];

const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export default async function benchLabNetns(): Promise<void> {
  if (!canRunNetns) {
    console.log('# lab-netns: skipped (needs Linux, root, bwrap, dnsmasq, busybox)');
    return;
  }
  const userland = fs.mkdtempSync(path.join(os.tmpdir(), 'pxl-bench-userland-'));
  try {
    const up: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = now();
      const lab = createNetnsBackend({ userlandBinDir: userland });
      try {
        await lab.init(['pve']);
        up.push(now() - t0);
      } finally {
        await lab.close();
      }
    }
    reportBench('lab-up', median(up), 'ms', '< 3000 ms');

    const lab: NetnsBackend = createNetnsBackend({ userlandBinDir: userland });
    try {
      await lab.init(['pve']);
      const base = lab.subnet.gateway.replace(/\.1$/, '');
      const statics: number[] = [];
      const dhcps: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = ctSpec(100 + i, [{ index: 0, bridge: 'vmbr0', ip: `${base}.${10 + i}/24`, gw: lab.subnet.gateway }]);
        const d = ctSpec(200 + i, [{ index: 0, bridge: 'vmbr0', ip: 'dhcp' }]);
        await lab.createContainer(s);
        await lab.createContainer(d);
        let t0 = now();
        await lab.startContainer(s);
        statics.push(now() - t0);
        t0 = now();
        await lab.startContainer(d);
        await waitFor(
          'DHCP lease',
          async () => (await lab.interfaces('pve', d.vmid))?.some((x) => x.name === 'eth0' && x.inet),
          { timeoutMs: 10_000, intervalMs: 5 },
        );
        dhcps.push(now() - t0);
      }
      reportBench('container-start-static', median(statics), 'ms', '< 300 ms');
      reportBench('container-start-dhcp', median(dhcps), 'ms', '< 300 ms');
    } finally {
      await lab.close();
    }
  } finally {
    fs.rmSync(userland, { recursive: true, force: true });
  }
}
