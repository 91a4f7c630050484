import { describe, expect, it } from 'vitest';
import type { AppSummary } from '../../../src-shared/contract/schemas';
import { filterApps, NO_FILTER, nodesOf } from '../../../src-renderer/features/apps/app-filters';
import { accessUrlsOf } from '../../../src-renderer/features/apps/app-access';
import { validatePortRanges } from '../../../src-renderer/features/settings/port-ranges-validation';
import { portRangesSchema } from '../../../src-shared/contract/schemas';

const app = (name: string, extra: Partial<AppSummary> = {}): AppSummary => ({
  id: name, catalogId: name.toLowerCase(), name, hostname: name.toLowerCase(), node: 'pve1', vmid: 100, status: 'running', ports: { public: 30000, internal: 40000 }, ...extra,
});

describe('apps filter', () => {
  it('sorts by name in natural order and matches name, hostname, node, VMID and ports', () => {
    const apps = [app('App 10'), app('app 2', { hostname: 'b' }), app('App 1', { node: 'pve2', vmid: 777, ports: { public: 31234, internal: 41234 } })];
    expect(filterApps(apps, NO_FILTER).map((a) => a.name)).toEqual(['App 1', 'app 2', 'App 10']);
    expect(filterApps(apps, { ...NO_FILTER, query: '777' }).map((a) => a.name)).toEqual(['App 1']);
    expect(filterApps(apps, { ...NO_FILTER, query: '41234' }).map((a) => a.name)).toEqual(['App 1']);
    expect(filterApps(apps, { ...NO_FILTER, node: 'pve1' })).toHaveLength(2);
    expect(nodesOf([...apps, app('x', { node: null })])).toEqual(['pve1', 'pve2']);
  });
  it('gives no access URL until the appliance address and the ports are known', () => {
    expect(accessUrlsOf(app('a'), null)).toEqual([]);
    expect(accessUrlsOf(app('a', { ports: null }), '10.0.0.2')).toEqual([]);
    expect(accessUrlsOf(app('a'), '10.0.0.2')).toEqual([{ label: 'Public', url: 'http://10.0.0.2:30000/' }]);
  });
});

describe('port ranges validation agrees with the contract', () => {
  const cases: Array<[string, string, string, string]> = [
    ['30000', '30999', '40000', '40999'],
    ['1024', '65535', '2000', '3000'],
    ['1023', '2000', '40000', '40999'],
    ['3000', '2000', '40000', '40999'],
    ['30000', '30999', '30500', '31000'],
    ['30000', '30999', '29000', '30000'],
    ['30000', '30999', '40000', '65536'],
    ['40000', '40999', '30000', '30999'],
  ];
  it.each(cases)('%s-%s / %s-%s', (ps, pe, is, ie) => {
    const mine = validatePortRanges({ publicStart: ps, publicEnd: pe, internalStart: is, internalEnd: ie });
    const contract = portRangesSchema.safeParse({ public: { start: +ps, end: +pe }, internal: { start: +is, end: +ie } });
    expect(mine.value !== null).toBe(contract.success);
  });
});
