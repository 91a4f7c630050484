import { describe, expect, it } from 'vitest';
import { ProximityError } from '../../../src-main/core/errors';
import { parseNode, parseVmid } from '../../../src-main/core/pve/nodes';
import { PveClient } from '../../../src-main/core/pve/pve-client';
import { startContainer } from '../../../src-main/core/pve/lxc-power';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof ProximityError ? e.code : `raw ${(e as Error).constructor.name}`;
  }
  return undefined;
}

describe('PVE argument checks', () => {
  it('refuse a bad node name or vmid with VALIDATION, never a raw ZodError (which would reach the UI as INTERNAL)', () => {
    for (const bad of ['pve;rm', '', '-pve', 'a b', 'x'.repeat(64)]) expect(codeOf(() => parseNode(bad))).toBe('VALIDATION');
    for (const bad of [99, 1e9, 1.5, 'abc', -1]) expect(codeOf(() => parseVmid(bad))).toBe('VALIDATION');
    expect(parseNode('pve-1')).toBe('pve-1');
    expect(parseVmid('100')).toBe(100);
  });

  it('an operation called with a hostile node fails VALIDATION before any request is sent', async () => {
    const c = new PveClient({ host: '127.0.0.1', port: 1, fingerprint: 'AA:'.repeat(31) + 'AA', auth: { tokenId: 'root@pam!x', tokenSecret: '00000000-0000-0000-0000-000000000000' } });
    await expect(startContainer(c, 'pve/../../x', 100)).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(c.requestCount).toBe(0);
    await c.close();
  });
});
