import { spawnSync } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore } from '../../../src-main/core/core-context';
import type { CoreContext, OperationContext } from '../../../src-main/core/core-context';
import { ProximityError } from '../../../src-main/core/errors';
import { createIpcRuntime } from '../../../src-main/ipc/ipc-runtime';
import type { EventSink } from '../../../src-main/ipc/event-hub';
import type { Operation } from '../../../src-shared/contract/schemas';

// Real core on a real SQLite file; operations are driven by conditions (a gate the test opens), never by sleeps.
let dataDir: string;
let cores: CoreContext[];
const open = () => {
  const core = openCore({ dataDir, appVersion: '1.0.0-test' });
  cores.push(core);
  return core;
};

/** A promise the test resolves by hand: the operation's work waits on it. */
function gate() {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return { opened, release };
}

/** Waits (bounded) until `op` has reported something that satisfies `ready`. */
async function until(core: CoreContext, id: string, ready: (op: Operation) => boolean): Promise<Operation> {
  const current = core.operations.get(id);
  if (current && ready(current)) return current;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`operation ${id} never got there`)), 5000);
    const off = core.events.on('operations.changed', (op) => {
      if (op.id === id && ready(op)) {
        clearTimeout(timer);
        off();
        resolve(op);
      }
    });
  });
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-operations-'));
  cores = [];
});
afterEach(() => {
  for (const core of cores) core.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('operations', () => {
  it('start returns at once; steps, percent and log are recorded; success is journaled', async () => {
    const core = open();
    const g = gate();
    let ran = false;
    const started = core.operations.start({ kind: 'test', title: 'Two steps', target: 'app-1' }, async (op) => {
      ran = true;
      op.step('create');
      op.log('creating the container');
      op.progress(40);
      await g.opened;
      op.step('start');
      op.log('line one\nline two');
    });
    expect(ran).toBe(false); // returned before any work ran
    expect(started).toMatchObject({ state: 'running', kind: 'test', title: 'Two steps', target: 'app-1', step: null, log: [] });
    await until(core, started.id, (op) => op.percent === 40);
    g.release();
    const done = await core.operations.settled(started.id);
    expect(done).toMatchObject({ state: 'succeeded', step: 'start', percent: 100, error: null, logDropped: 0 });
    expect(done.log.map((l) => [l.seq, l.step, l.text])).toEqual([
      [0, 'create', 'creating the container'],
      [1, 'start', 'line one'],
      [2, 'start', 'line two'],
    ]);
    expect(core.operations.list()).toEqual([expect.objectContaining({ id: started.id, state: 'succeeded' })]);
    core.close();
    expect(open().operations.get(started.id)).toEqual(done); // persisted, log included
  });

  it('a failure records its code, message and the failing step', async () => {
    const core = open();
    const { id } = core.operations.start({ kind: 'test', title: 'Fails' }, async (op) => {
      op.step('allocate-ports');
      throw new ProximityError('PORT_RANGE_EXHAUSTED', 'Every public port is assigned.');
    });
    expect(await core.operations.settled(id)).toMatchObject({
      state: 'failed',
      error: { code: 'PORT_RANGE_EXHAUSTED', message: 'Every public port is assigned.', step: 'allocate-ports' },
    });
  });

  it('cancel aborts the signal inside the pending await and records the operation as cancelled', async () => {
    const core = open();
    const seenInside: unknown[] = [];
    const { id } = core.operations.start({ kind: 'test', title: 'Waits forever' }, async (op: OperationContext) => {
      op.step('wait-for-pve-task');
      try {
        await once(new EventEmitter(), 'never', { signal: op.signal }); // a real await that honours the signal
      } catch (e) {
        seenInside.push((e as Error).name, op.signal.reason);
        throw e;
      }
    });
    await until(core, id, (op) => op.step === 'wait-for-pve-task');
    expect(core.operations.cancel(id)).toMatchObject({ id, state: 'running' }); // asked; ends once the work unwinds
    const done = await core.operations.settled(id);
    expect(seenInside[0]).toBe('AbortError');
    expect(seenInside[1]).toMatchObject({ code: 'OPERATION_CANCELLED' });
    expect(done).toMatchObject({ state: 'cancelled', error: null, step: 'wait-for-pve-task' });
    expect(done.endedAt).not.toBeNull();
    expect(core.operations.cancel(id)).toMatchObject({ state: 'cancelled' }); // cancelling again changes nothing
    expect(() => core.operations.cancel('no-such-operation')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('an operation running when the process died is found interrupted by the next process', async () => {
    const first = open();
    const { id } = first.operations.start({ kind: 'test', title: 'Deploy' }, async (op) => {
      op.step('pct-create');
      op.log('task UPID:pve:... started');
      await once(new EventEmitter(), 'never', { signal: op.signal });
    });
    await until(first, id, (op) => op.log.length === 1);
    // A crash: the database handle goes away without core's shutdown; the row still says `running`.
    first.db.close();
    cores.splice(cores.indexOf(first), 1); // a dead process does not shut down either
    const second = open();
    expect(second.operations.get(id)).toMatchObject({
      state: 'interrupted',
      step: 'pct-create',
      error: { code: 'OPERATION_INTERRUPTED', step: 'pct-create' },
      log: [expect.objectContaining({ text: 'task UPID:pve:... started' })],
    });
    expect(second.operations.list()[0]).toMatchObject({ id, state: 'interrupted' });
  });

  it("leaves another live process's running operation alone (web bridge beside the app), not a dead one's", () => {
    const first = open();
    const at = '2026-01-01T00:00:00.000Z';
    const insert = first.db.handle.prepare(
      `INSERT INTO operations (id, kind, title, state, started_at, owner_pid) VALUES (?, 'deploy', 'Deploy', 'running', ?, ?)`,
    );
    const deadPid = spawnSync('true').pid!; // exited before we look
    insert.run('of-live-process', new Date().toISOString(), process.ppid);
    insert.run('of-dead-process', at, deadPid);
    first.close();
    const second = open();
    expect(second.operations.get('of-live-process')).toMatchObject({ state: 'running' });
    expect(second.operations.get('of-dead-process')).toMatchObject({ state: 'interrupted', error: { code: 'OPERATION_INTERRUPTED' } });
  });

  it.runIf(process.platform === 'linux')('a pid reused by a process that started after the operation (e.g. after a reboot) is not its owner', () => {
    const first = open();
    // an operation of an earlier boot, whose pid now belongs to a live process that started long after it
    first.db.handle
      .prepare(`INSERT INTO operations (id, kind, title, state, started_at, owner_pid) VALUES ('of-reused-pid', 'deploy', 'Deploy', 'running', ?, ?)`)
      .run('2020-01-01T00:00:00.000Z', process.ppid);
    first.close();
    expect(open().operations.get('of-reused-pid')).toMatchObject({ state: 'interrupted', error: { code: 'OPERATION_INTERRUPTED' } });
  });

  it('quitting (core.close) records running operations as interrupted and aborts their signal', async () => {
    const core = open();
    let aborted = false;
    const { id } = core.operations.start({ kind: 'test', title: 'Backup' }, async (op) => {
      op.step('vzdump');
      await once(new EventEmitter(), 'never', { signal: op.signal }).catch((e) => {
        aborted = true;
        throw e;
      });
    });
    await until(core, id, (op) => op.step === 'vzdump');
    core.close();
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(aborted).toBe(true);
    expect(open().operations.get(id)).toMatchObject({ state: 'interrupted', step: 'vzdump' });
  });

  it('keeps a bounded log: the newest 500 lines, older ones counted', async () => {
    const core = open();
    const { id } = core.operations.start({ kind: 'test', title: 'Chatty' }, async (op) => {
      for (let i = 0; i < 520; i++) op.log(`line ${i}`);
    });
    const done = await core.operations.settled(id);
    expect(done.log).toHaveLength(500);
    expect(done.logDropped).toBe(20);
    expect(done.log[0]).toMatchObject({ seq: 20, text: 'line 20' });
    expect(done.log.at(-1)).toMatchObject({ seq: 519, text: 'line 519' });
  });

  it('a subscriber that joins late receives every operation with its log backlog, not only the latest payload', async () => {
    const core = open();
    const ipc = createIpcRuntime(core, { runtime: 'web-bridge', appName: 'Proximity', openExternal: async () => {}, allowedOrigins: ['app://proximity'] });
    const g = gate();
    const a = core.operations.start({ kind: 'test', title: 'A' }, async (op) => {
      op.step('one');
      op.log('a1');
      op.log('a2');
      op.progress(30);
      await g.opened;
    });
    const b = core.operations.start({ kind: 'test', title: 'B' }, async (op) => {
      op.log('b1');
    });
    await until(core, a.id, (op) => op.percent === 30);
    await core.operations.settled(b.id);

    const received: Operation[] = [];
    const sink: EventSink = { id: 'late-window', send: (_event, payload) => received.push(payload as Operation) };
    ipc.hub.subscribe(sink, 'operations.progress');
    const byId = new Map(received.map((op) => [op.id, op]));
    expect(byId.get(a.id)).toMatchObject({ state: 'running', step: 'one', percent: 30, log: [{ text: 'a1' }, { text: 'a2' }] });
    expect(byId.get(b.id)).toMatchObject({ state: 'succeeded', log: [{ text: 'b1' }] });

    g.release();
    await core.operations.settled(a.id);
    expect(received.at(-1)).toMatchObject({ id: a.id, state: 'succeeded', log: [{ text: 'a1' }, { text: 'a2' }] });
    ipc.close();
  });
});
