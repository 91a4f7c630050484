// TLS verification is never switched off process-wide, and the one socket that skips chain verification (PVE's
// self-signed certificate, checked against the pinned fingerprint instead) lives in core/pve/pinned-fetch.ts,
// beside that check (issue 8 item 2; the PVE API notes, §6: TLS is pinned, never switched off). Any other product file that turns
// verification off fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PINNED_FETCH = 'src-main/core/pve/pinned-fetch.ts';
/** What turns verification off: the env switch, the option, or Node's setter. */
const UNVERIFIED = /NODE_TLS_REJECT_UNAUTHORIZED|rejectUnauthorized\s*:\s*false|setDefaultCACertificates|checkServerIdentity\s*:/;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(name)) out.push(p);
  }
  return out;
}

describe('TLS verification', () => {
  it('is switched off only in core/pve/pinned-fetch.ts, beside the fingerprint check', () => {
    const files = ['src-main', 'src-shared', 'src-preload', 'src-renderer', 'scripts'].flatMap((d) => sources(join(root, d)));
    expect(files.length).toBeGreaterThan(50);
    const offenders = files
      .map((f) => relative(root, f))
      .filter((f) => f !== PINNED_FETCH)
      .filter((f) => UNVERIFIED.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
    // and there it goes with the pin check
    const pinned = readFileSync(join(root, PINNED_FETCH), 'utf8');
    expect(pinned).toMatch(/fingerprint256/);
  });
});
