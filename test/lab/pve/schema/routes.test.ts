// Route resolution against the real 8.4 / 9.1 schema files.
import { describe, expect, it } from 'vitest';
import { loadEndpoints, loadSchema, type SchemaVersion } from './index';

const s84 = loadSchema('8.4');

describe('resolve', () => {
  it('matches variable segments and returns the decoded path params', () => {
    const r = s84.resolve('post', '/nodes/pve1/lxc/100/status/start');
    expect(r?.method).toBe('POST');
    expect(r?.template).toBe('/nodes/{node}/lxc/{vmid}/status/start');
    expect(r?.pathParams).toEqual({ node: 'pve1', vmid: '100' });
    expect(r?.info.name).toBe('vm_start');
  });

  it('prefers literal segments over {vars}', () => {
    expect(s84.resolve('GET', '/cluster/nextid')?.template).toBe('/cluster/nextid');
    expect(s84.resolve('GET', '/nodes/pve/lxc')?.template).toBe('/nodes/{node}/lxc');
    expect(s84.resolve('GET', '/nodes/pve/lxc/100/snapshot')?.template).toBe('/nodes/{node}/lxc/{vmid}/snapshot');
    expect(s84.resolve('GET', '/nodes/pve/lxc/100/snapshot/snap1/config')?.pathParams).toEqual({
      node: 'pve',
      vmid: '100',
      snapname: 'snap1',
    });
  });

  it('returns null (PVE 501) for unknown paths and for methods a path does not have', () => {
    expect(s84.resolve('GET', '/nodes/pve/nonexistent')).toBeNull();
    expect(s84.resolve('GET', '/')).toBeNull();
    expect(s84.resolve('PATCH', '/nodes')).toBeNull();
    expect(s84.resolve('DELETE', '/cluster/nextid')).toBeNull();
    expect(s84.resolve('POST', '/nodes/pve/lxc/100/status/current')).toBeNull();
  });

  it('ignores empty fragments and takes the path as already unescaped', () => {
    expect(s84.resolve('GET', '/nodes//pve/lxc/')?.template).toBe('/nodes/{node}/lxc');
    const r = s84.resolve('GET', '/nodes/pve/tasks/UPID:pve:0000:/status');
    expect(r?.pathParams.upid).toBe('UPID:pve:0000:');
    expect(s84.resolve('GET', '/nodes/pve/storage/local/content/local:iso/100%25.iso')?.pathParams.volume).toBe(
      'local:iso/100%25.iso',
    );
  });

  it('lets {volume} take the rest of the path (volume ids contain "/")', () => {
    const r = s84.resolve('DELETE', '/nodes/pve/storage/local/content/local:vztmpl/debian-12.tar.zst');
    expect(r?.template).toBe('/nodes/{node}/storage/{storage}/content/{volume}');
    expect(r?.pathParams.volume).toBe('local:vztmpl/debian-12.tar.zst');
  });

  it('caches one schema object per version', () => {
    expect(loadSchema('8.4')).toBe(s84);
    expect(loadSchema()).toBe(s84);
    expect(loadSchema('9.1').version).toBe('9.1');
  });
});

describe.each<[SchemaVersion, number]>([
  ['8.4', 605],
  ['9.1', 649],
])('coverage of every method in %s', (version, count) => {
  it(`resolves all ${count} methods from their own template`, () => {
    const schema = loadSchema(version);
    const keys = Object.keys(loadEndpoints(version));
    expect(keys).toHaveLength(count);
    const wrong: string[] = [];
    for (const key of keys) {
      const [method, template] = key.split(' ');
      const concrete = template.replace(/\{(\w+)\}/g, (_m, name: string) => `x-${name}-1`);
      const r = schema.resolve(method, concrete);
      const expectedParams = Object.fromEntries([...template.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], `x-${m[1]}-1`]));
      if (r?.template !== template || r.method !== method || JSON.stringify(r.pathParams) !== JSON.stringify(expectedParams)) {
        wrong.push(`${key} -> ${r?.template}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('robustness', () => {
  it('validate() never throws: junk for every parameter of every 8.4 method ends as ok or an errors map', () => {
    const junk = ['a=b,,c', '../x', '\u0000', '(', ['1', 'x']];
    let checked = 0;
    let malformed = 0;
    for (const [key, info] of Object.entries(loadEndpoints('8.4'))) {
      const [method, template] = key.split(' ');
      const r = s84.resolve(method, template.replace(/\{(\w+)\}/g, (_m, n: string) => `v${n}`))!;
      for (const p of Object.keys(info.parameters?.properties ?? {})) {
        for (const value of junk) {
          for (const encoding of ['form', 'json'] as const) {
            const res = s84.validate(r, { [p.replace('[n]', '0')]: value }, { encoding });
            if (!res.ok && Object.keys(res.errors).length === 0) malformed++;
            checked++;
          }
        }
      }
    }
    expect(malformed).toBe(0);
    expect(checked).toBeGreaterThan(25_000);
  });
});
