// The whole lab as `npm run lab -- --backend netns` starts it: backend (namespaces, vmbr0, upstream DHCP/DNS,
// internet endpoint, host veth), the PVE API emulator (TLS certificate included on the first run), the node's
// OpenSSH server and the management-address relays. Then a container started the way Proximity starts one:
// POST .../status/start through the API, task waited for, until its DHCP lease shows in GET .../interfaces.
// Medians of a few runs; needs Linux + root (prints a skip note elsewhere).
import { startLab } from '../lab/lab';
import { canRunNetns } from '../lab/netns/netns-test-kit';
import { reportBench } from './bench-report';

export const benchTags = ['lab', 'netns', 'lab-whole'];

const RUNS = 3;
const ALPINE = 'alpine-3.22-default_20250617_amd64.tar.xz';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function benchLabWhole(): Promise<void> {
  if (!canRunNetns) {
    console.log('# lab-whole: skipped (needs Linux, root, bwrap, dnsmasq, busybox, sshd)');
    return;
  }
  const up: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = now();
    const lab = await startLab({ backend: 'netns', taskSeconds: 0 });
    up.push(now() - t0);
    await lab.close();
  }
  reportBench('lab-whole-up', median(up), 'ms', '< 3000 ms');

  const lab = await startLab({ backend: 'netns', taskSeconds: 0, ssh: false });
  try {
    const api = lab.emulator;
    await api.waitTask(await api.callApi('POST', '/nodes/pve/aplinfo', { storage: 'local', template: ALPINE }));
    const starts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const vmid = 300 + i;
      await api.waitTask(
        await api.callApi('POST', '/nodes/pve/lxc', {
          vmid,
          ostemplate: `local:vztmpl/${ALPINE}`,
          hostname: `bench${i}`,
          rootfs: 'local-lvm:1',
          net0: 'name=eth0,bridge=vmbr0,ip=dhcp',
        }),
      );
      const t0 = now();
      const status = await api.waitTask(await api.callApi('POST', `/nodes/pve/lxc/${vmid}/status/start`, {}));
      if (status !== 'OK') throw new Error(`start ${vmid}: ${status}`);
      for (;;) {
        const ifs = (await api.callApi('GET', `/nodes/pve/lxc/${vmid}/interfaces`, {})) as Array<{ name: string; inet?: string }> | null;
        if (ifs?.some((x) => x.name === 'eth0' && x.inet)) break;
        if (now() - t0 > 10_000) throw new Error(`no lease for ${vmid} after 10 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      starts.push(now() - t0);
    }
    reportBench('lab-api-container-start-dhcp', median(starts), 'ms', '< 300 ms');
  } finally {
    await lab.close();
  }
}
