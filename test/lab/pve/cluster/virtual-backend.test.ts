import { describe, expect, it } from 'vitest';

import type { LabContainerSpec } from '../../backend';
import { createVirtualBackend, linkLocal } from '../../backends/virtual-backend';

const spec = (vmid: number, nets: LabContainerSpec['nets']): LabContainerSpec => ({ node: 'pve', vmid, hostname: `ct${vmid}`, nets, config: {} });

describe('virtual backend', () => {
  it('assigns deterministic addresses per bridge and reports null while stopped', async () => {
    const b = createVirtualBackend();
    await b.init(['pve']);
    await b.applyBridges('pve', [
      { node: 'pve', iface: 'vmbr0', cidr: '198.18.0.2/24' },
      { node: 'pve', iface: 'proxlan' },
      { node: 'pve', iface: 'vmbr5', cidr: '10.50.0.1/24' },
    ]);
    const s = spec(205, [
      { index: 0, name: 'eth0', bridge: 'vmbr0', ip: 'dhcp', hwaddr: 'BC:24:11:AA:BB:CC' },
      { index: 1, name: 'eth1', bridge: 'proxlan', ip: 'dhcp', hwaddr: 'BC:24:11:AA:BB:CD' },
      { index: 2, name: 'eth2', bridge: 'vmbr5', ip: 'dhcp', hwaddr: 'BC:24:11:AA:BB:CE' },
      { index: 3, name: 'eth3', bridge: 'proxlan', ip: '10.20.0.1/24', hwaddr: 'BC:24:11:AA:BB:CF' },
      { index: 4, name: 'eth4', bridge: 'proxlan', ip: 'manual', hwaddr: 'BC:24:11:AA:BB:D0' },
    ]);
    await b.createContainer(s);
    expect(await b.interfaces('pve', 205)).toBeNull();
    await b.startContainer(s);
    const ifs = (await b.interfaces('pve', 205))!;
    expect(ifs.map((i) => [i.name, i.inet])).toEqual([
      ['lo', '127.0.0.1/8'], ['eth0', '198.18.0.105/24'], ['eth1', '10.20.0.105/24'], ['eth2', '10.50.0.105/24'], ['eth3', '10.20.0.1/24'], ['eth4', undefined],
    ]);
    expect(ifs[1]).toMatchObject({ hwaddr: 'bc:24:11:aa:bb:cc', 'hardware-address': 'bc:24:11:aa:bb:cc', inet6: 'fe80::be24:11ff:feaa:bbcc/64' });
    expect(ifs[1]['ip-addresses'][0]).toEqual({ 'ip-address': '198.18.0.105', 'ip-address-type': 'inet', prefix: 24 });
    await b.stopContainer('pve', 205);
    expect(await b.interfaces('pve', 205)).toBeNull();
    await b.destroyContainer('pve', 205);
    await b.close();
  });

  it('computes EUI-64 link-local addresses', () => {
    expect(linkLocal('00:11:22:33:44:55')).toBe('fe80::211:22ff:fe33:4455');
  });
});
