import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore, type CoreContext } from '../../src-main/core/core-context';
import { reportBench, timeMs } from './bench-report';

export const benchTags = ['ports', 'store'];

const PAIRS = 1000;

/**
 * Allocates and releases 1000 pairs on a real file database (WAL), each in its own transaction with its audit
 * row, exactly as the product does. Baseline in the same run: a naive allocator that probes candidate ports one
 * SELECT at a time, same transaction and audit work.
 */
export default async function portAllocatorBench(): Promise<void> {
  const product = withCore((core, ids) => {
    const allocateMs = timeMs(() => ids.forEach((id) => core.ports.allocate(id, 'bench')));
    const releaseMs = timeMs(() => ids.forEach((id) => core.ports.release(id, 'bench')));
    return { allocateMs, releaseMs };
  });
  reportBench('ports.allocate', product.allocateMs / PAIRS, 'ms/pair', '< 0.2 ms');
  reportBench('ports.release', product.releaseMs / PAIRS, 'ms/pair', '< 0.2 ms');

  const naive = withCore((core, ids) => ({ allocateMs: timeMs(() => ids.forEach((id) => naiveAllocate(core, id))) }));
  reportBench('ports.allocate.baseline-naive-probe', naive.allocateMs / PAIRS, 'ms/pair', 'baseline, slower than ports.allocate');
}

function withCore<T>(fn: (core: CoreContext, ids: string[]) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-bench-'));
  const core = openCore({ dataDir: dir, appVersion: 'bench' });
  try {
    const ids = core.db.handle.transaction(() =>
      Array.from({ length: PAIRS }, (_, i) => core.apps.insert({ catalogId: 'nginx', name: `app ${i}`, hostname: `app-${i}` }).id),
    )();
    return fn(core, ids);
  } finally {
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What one would write first: try each port of the range with its own (prepared, indexed) query until one is
 * free. Same transaction, insert and audit work as the product, so only the search differs.
 */
function naiveAllocate(core: CoreContext, appId: string): void {
  const h = core.db.handle;
  const probes = {
    public_port: h.prepare('SELECT 1 FROM port_assignments WHERE public_port = ?'),
    internal_port: h.prepare('SELECT 1 FROM port_assignments WHERE internal_port = ?'),
  };
  h.transaction(() => {
    const ranges = core.settings.getPortRanges();
    const firstFree = (column: keyof typeof probes, start: number, end: number) => {
      for (let p = start; p <= end; p++) if (!probes[column].get(p)) return p;
      throw new Error('exhausted');
    };
    const pub = firstFree('public_port', ranges.public.start, ranges.public.end);
    const internal = firstFree('internal_port', ranges.internal.start, ranges.internal.end);
    h.prepare('INSERT INTO port_assignments VALUES (?, ?, ?, ?)').run(appId, pub, internal, new Date().toISOString());
    core.audit.append({ actor: 'bench', action: 'ports.allocate', target: appId, details: { publicPort: pub, internalPort: internal } });
  }).immediate();
}
