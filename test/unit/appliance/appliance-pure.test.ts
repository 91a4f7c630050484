// The appliance's pure parts: whose pending network change it is, which Alpine is newest, whether a guest is
// ours, dnsmasq's lease file, and the per-node queue that serialises config changes.
import { describe, expect, it } from 'vitest';
import { APPLIANCE_DESCRIPTION_MARKER, APPLIANCE_TAG, applianceNets, isProximityAppliance, netEssentials, newestAlpine } from '../../../src-main/core/appliance/appliance-identity';
import { parseLeaseFile } from '../../../src-main/core/appliance/appliance-shell';
import { KeyedQueue } from '../../../src-main/core/appliance/node-queue';
import { pendingInterfaces } from '../../../src-main/core/appliance/pending-network';
import { planLan } from '../../../src-main/core/network/network-settings';

const DIFF_OURS = `--- /etc/network/interfaces
+++ /etc/network/interfaces.new
@@ -1,10 +1,17 @@
 auto vmbr0
 iface vmbr0 inet static
 \taddress 198.18.0.2/24
 \tbridge-fd 0
+
+auto proxlan
+iface proxlan inet manual
+\tbridge-ports none
+\tbridge-stp off
+#Proximity app LAN
 
 
 source /etc/network/interfaces.d/*
`;

describe('pendingInterfaces', () => {
  it('attributes every changed line to its stanza', () => {
    expect(pendingInterfaces(DIFF_OURS)).toEqual(['proxlan']);
    const edit = DIFF_OURS.replace(' \taddress 198.18.0.2/24', '-\taddress 198.18.0.2/24\n+\taddress 198.18.0.9/24');
    expect(pendingInterfaces(edit)).toEqual(['proxlan', 'vmbr0']);
    expect(pendingInterfaces(DIFF_OURS.replace(' source /etc', '+source /etc'))).toEqual(['(global)', 'proxlan']);
    expect(pendingInterfaces('')).toEqual([]);
  });
});

describe('appliance identity', () => {
  it('recognises its own appliance by tag AND description marker only', () => {
    expect(isProximityAppliance({ tags: `web;${APPLIANCE_TAG}`, description: `${APPLIANCE_DESCRIPTION_MARKER}\nmore` })).toBe(true);
    expect(isProximityAppliance({ tags: APPLIANCE_TAG, description: 'my router' })).toBe(false);
    expect(isProximityAppliance({ description: APPLIANCE_DESCRIPTION_MARKER })).toBe(false);
    expect(isProximityAppliance({ tags: `${APPLIANCE_TAG}x`, description: APPLIANCE_DESCRIPTION_MARKER })).toBe(false);
  });

  it('picks the newest Alpine of the index numerically (3.10 after 3.9)', () => {
    const t = (os: string, version: string, template: string) => ({ os, version, template });
    expect(newestAlpine([t('alpine', '3.9-0', 'alpine-3.9-default_1_amd64.tar.xz'), t('alpine', '3.10-0', 'alpine-3.10-default_1_amd64.tar.xz'), t('debian-12', '12.7-1', 'debian-12-standard_12.7-1_amd64.tar.zst')])?.template).toBe('alpine-3.10-default_1_amd64.tar.xz');
    expect(newestAlpine([t('debian-12', '12.7-1', 'debian-12-standard_12.7-1_amd64.tar.zst')])).toBeUndefined();
  });

  it('builds the two NICs from the plan and compares them without what PVE adds', () => {
    const [wan, lan] = applianceNets(planLan(), 'vmbr0');
    expect([wan, lan]).toEqual(['name=eth0,bridge=vmbr0,ip=dhcp', 'name=eth1,bridge=proxlan,ip=10.20.0.1/24']);
    expect(netEssentials('name=eth1,bridge=proxlan,hwaddr=BC:24:11:00:00:01,ip=10.20.0.1/24,type=veth')).toBe(netEssentials(lan));
    expect(netEssentials('name=eth1,bridge=vmbr0,ip=10.20.0.1/24')).not.toBe(netEssentials(lan));
  });
});

describe('parseLeaseFile', () => {
  it('reads dnsmasq leases and skips garbage', () => {
    const text = '1764500000 02:aa:bb:cc:dd:ee 10.20.0.100 whoami 01:02:aa:bb:cc:dd:ee\n0 02:AA:00:00:00:01 10.20.0.101 * *\nnonsense\n';
    expect(parseLeaseFile(text)).toEqual([
      { expires: 1764500000, mac: '02:aa:bb:cc:dd:ee', ip: '10.20.0.100', hostname: 'whoami' },
      { expires: 0, mac: '02:aa:00:00:00:01', ip: '10.20.0.101', hostname: null },
    ]);
  });
});

describe('KeyedQueue', () => {
  it('runs one task at a time per key, in order, and a failure does not block the next', async () => {
    const q = new KeyedQueue();
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = q.run('pve', async () => { events.push('a start'); await gate; events.push('a end'); throw new Error('a failed'); });
    const b = q.run('pve', async () => { events.push('b'); return 2; });
    const other = q.run('pve2', async () => { events.push('other'); return 3; });
    await other;
    expect(events).toEqual(['a start', 'other']);
    release();
    await expect(a).rejects.toThrow('a failed');
    expect(await b).toBe(2);
    expect(events).toEqual(['a start', 'other', 'a end', 'b']);
  });
});
