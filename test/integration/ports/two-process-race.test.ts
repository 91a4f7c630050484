import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore } from '../../../src-main/core/core-context';
import type { PortAssignment } from '../../../src-main/core/ports/port-allocator';
import { MIGRATIONS } from '../../../src-main/core/store/migrations';
import { makeTempDir } from '../../unit/store/sqlite-test-files';

const WORKER = path.join(__dirname, 'race-worker.ts');
const PER_WORKER = 500;

interface WorkerResult {
  prefix: string;
  ms: number;
  pairs: PortAssignment[];
}

/** Starts a worker and resolves once it is ready; `result` settles when it prints its JSON line and exits. */
function startWorker(dataDir: string, prefix: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', WORKER, dataDir, prefix], {
    cwd: path.resolve(__dirname, '../../..'),
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.startsWith('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker ${prefix} exited early (${code}): ${stderr}`)));
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker ${prefix} failed (${code}): ${stderr}`));
      resolve(JSON.parse(stdout.slice('ready\n'.length)) as WorkerResult);
    });
  });
  ready.catch(() => undefined);
  result.catch(() => undefined); // awaited by the test; this only stops an early exit from also surfacing as unhandled
  return { child, ready, result };
}

describe('two processes allocating ports on the same database file', () => {
  let dir: string;
  let cleanup: () => void;
  const children: ChildProcessWithoutNullStreams[] = [];
  beforeEach(() => ({ dir, cleanup } = makeTempDir('proximity-race-')));
  afterEach(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    cleanup();
  });

  it('two processes creating the same new database at once both succeed, and it is migrated exactly once', async () => {
    const workers = [startWorker(dir, 'none-'), startWorker(dir, 'none-')];
    children.push(...workers.map((w) => w.child));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin.end('go\n');
    await Promise.all(workers.map((w) => w.result));
    const check = openCore({ dataDir: dir, appVersion: 'test' });
    expect(check.db.status()).toMatchObject({ schemaVersion: check.db.status().latestVersion, integrity: 'ok', journalMode: 'wal' });
    expect(check.db.handle.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    check.close();
  }, 60_000);

  it('never hands out a port twice: 2 x 500 pairs, 1000 distinct public and internal ports', async () => {
    const core = openCore({ dataDir: dir, appVersion: 'test' });
    core.db.handle.transaction(() => {
      for (const prefix of ['a', 'b']) {
        for (let i = 0; i < PER_WORKER; i++) core.apps.insert({ catalogId: 'nginx', name: `${prefix}-${i}`, hostname: `${prefix}-${i}` });
      }
    })();
    core.close();

    const workers = [startWorker(dir, 'a-'), startWorker(dir, 'b-')];
    children.push(...workers.map((w) => w.child));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin.end('go\n'); // end: an open stdin would keep the worker alive
    const results = await Promise.all(workers.map((w) => w.result));

    for (const r of results) expect(r.pairs).toHaveLength(PER_WORKER);
    const check = openCore({ dataDir: dir, appVersion: 'test' });
    const all = check.ports.list();
    expect(all).toHaveLength(2 * PER_WORKER);
    const publicPorts = new Set(all.map((p) => p.publicPort));
    const internalPorts = new Set(all.map((p) => p.internalPort));
    expect(publicPorts.size).toBe(1000);
    expect(internalPorts.size).toBe(1000);
    // Lowest-free under contention still packs the ranges with no holes.
    expect(Math.min(...publicPorts)).toBe(30000);
    expect(Math.max(...publicPorts)).toBe(30999);
    expect(Math.max(...internalPorts)).toBe(40999);
    // What each worker reported is what the database holds.
    const reported = results.flatMap((r) => r.pairs).map((p) => `${p.appId}:${p.publicPort}:${p.internalPort}`);
    expect(new Set(reported)).toEqual(new Set(all.map((p) => `${p.appId}:${p.publicPort}:${p.internalPort}`)));
    const auditActors = check.audit.list({ limit: 1000 }).map((e) => e.actor);
    expect(auditActors.filter((a) => a === 'worker:a-')).toHaveLength(PER_WORKER);
    expect(auditActors.filter((a) => a === 'worker:b-')).toHaveLength(PER_WORKER);
    expect(check.db.status().integrity).toBe('ok');
    check.close();
    // How often ownership flips along the sorted ports: > 1 means the two processes really interleaved.
    const owner = new Map(results.flatMap((r) => r.pairs.map((p) => [p.publicPort, r.prefix] as const)));
    const sorted = [...owner.keys()].sort((x, y) => x - y);
    const flips = sorted.filter((port, i) => i > 0 && owner.get(port) !== owner.get(sorted[i - 1])).length;
    // Each worker pauses 1 ms between allocations, so ~900 flips is typical; 2+ only needs both to overlap once.
    expect(flips).toBeGreaterThan(1);
    console.log(`race: ${flips} ownership flips; worker a ${results[0].ms.toFixed(0)} ms, worker b ${results[1].ms.toFixed(0)} ms for ${PER_WORKER} pairs each`);
  }, 60_000);
});
