import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProximityError } from '../../../src-main/core/errors';
import { createDispatcher } from '../../../src-main/ipc/dispatcher';
import { createHandlers } from '../../../src-main/ipc/handlers';
import type { HandlerDeps, Handlers } from '../../../src-main/ipc/handler-types';
import { createOriginPolicy } from '../../../src-main/ipc/sender-policy';
import { CHANNEL_NAMES } from '../../../src-shared/contract/names';
import { openTempCore } from './temp-core';

const TOP = { isTopFrame: true, url: 'app://proximity/index.html' };
const policy = createOriginPolicy(['app://proximity']);

describe('dispatcher with the real core', () => {
  let temp: ReturnType<typeof openTempCore>;
  let opened: string[];
  let handlers: Handlers;
  type LogFn = (message: string, error?: unknown) => void;
  let logger: { error: ReturnType<typeof vi.fn<LogFn>>; warn: ReturnType<typeof vi.fn<LogFn>> };

  beforeEach(() => {
    temp = openTempCore();
    opened = [];
    const deps: HandlerDeps = {
      core: temp.core,
      runtime: 'electron',
      appName: 'Proximity',
      platform: 'linux',
      openExternal: async (url) => void opened.push(url),
    };
    handlers = createHandlers(deps);
    logger = { error: vi.fn<LogFn>(), warn: vi.fn<LogFn>() };
  });
  afterEach(() => temp.dispose());

  it('has a handler for every contract channel', () => {
    for (const channel of CHANNEL_NAMES) expect(typeof handlers[channel], channel).toBe('function');
    expect(Object.keys(handlers).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('answers every channel from the real core with contract-valid output', async () => {
    const d = createDispatcher(handlers, { policy, validateOutput: true, logger });
    const app = temp.core.apps.insert({ catalogId: 'whoami', name: 'Who am I', hostname: 'whoami' });
    const pair = temp.core.ports.allocate(app.id);

    expect(await d.dispatch('system.getInfo', {}, TOP)).toEqual({
      ok: true,
      value: { name: 'Proximity', version: '9.8.7-test', platform: 'linux', runtime: 'electron', dataDir: temp.core.dataDir, secretStorage: null },
    });
    const status = await d.dispatch('database.getStatus', {}, TOP);
    expect(status).toMatchObject({ ok: true, value: { schemaVersion: temp.core.db.status().latestVersion, integrity: 'ok', journalMode: 'wal', foreignKeys: true } });
    expect(await d.dispatch('apps.list', {}, TOP)).toMatchObject({
      ok: true,
      value: [{ id: app.id, hostname: 'whoami', ports: { public: pair.publicPort, internal: pair.internalPort } }],
    });
    expect(await d.dispatch('ports.list', {}, TOP)).toMatchObject({ ok: true, value: [{ appId: app.id, public: 30000, internal: 40000 }] });
    expect(await d.dispatch('settings.getPortRanges', {}, TOP)).toEqual({
      ok: true,
      value: { public: { start: 30000, end: 30999 }, internal: { start: 40000, end: 40999 } },
    });
    const newRanges = { public: { start: 30000, end: 30499 }, internal: { start: 40000, end: 40499 } };
    expect(await d.dispatch('settings.setPortRanges', newRanges, TOP)).toEqual({ ok: true, value: newRanges });
    expect(temp.core.settings.getPortRanges()).toEqual(newRanges);
    const audit = await d.dispatch('audit.list', { limit: 2 }, TOP);
    expect(audit.ok && audit.value).toHaveLength(2);
    expect(audit).toMatchObject({ ok: true, value: [{ actor: 'operator', action: 'settings.set' }, { actor: 'operator' }] });
    expect(await d.dispatch('links.openExternal', { url: 'https://example.org/docs' }, TOP)).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual(['https://example.org/docs']);

    // Operations: started by core (later by deploy/provision), listed, read and cancelled over IPC.
    const op = temp.core.operations.start({ kind: 'test', title: 'Wait', target: app.id }, (ctx) =>
      new Promise<void>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
    );
    expect(await d.dispatch('operations.list', {}, TOP)).toMatchObject({ ok: true, value: [{ id: op.id, state: 'running', target: app.id }] });
    expect(await d.dispatch('operations.get', { id: op.id }, TOP)).toMatchObject({ ok: true, value: { id: op.id, log: [], logDropped: 0 } });
    expect(await d.dispatch('operations.cancel', { id: op.id }, TOP)).toMatchObject({ ok: true, value: { id: op.id } });
    expect(await temp.core.operations.settled(op.id)).toMatchObject({ state: 'cancelled' });
    expect(await d.dispatch('operations.get', { id: op.id }, TOP)).toMatchObject({ ok: true, value: { state: 'cancelled' } });
    expect(await d.dispatch('operations.get', { id: 'nope' }, TOP)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    // Appliance channels: without a PVE connection runtime wired in, they say so (the lab e2e wires a real one)
    expect(await d.dispatch('appliance.status', { node: 'pve' }, TOP)).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } });
    expect(await d.dispatch('appliance.status', { node: 'pve;reboot' }, TOP)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await d.dispatch('appliance.logs', { node: 'pve', service: 'sshd' }, TOP)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it("hands the caller's signal to the handler (ctx.signal), so a transport that goes away aborts its wait", async () => {
    let seen: AbortSignal | undefined;
    const d = createDispatcher({ ...handlers, 'ports.list': (_input, ctx) => ((seen = ctx.signal), []) }, { policy, logger });
    const transport = new AbortController();
    await d.dispatch('ports.list', {}, TOP, transport.signal);
    expect(seen).toBe(transport.signal);
    await d.dispatch('ports.list', {}, TOP);
    expect(seen?.aborted).toBe(false); // callers without a lifetime get a signal that never fires
  });

  it('reports where secrets are kept, weak backend and warning included, through system.getInfo', async () => {
    const secretStorage = { backend: 'basic_text', encrypted: false, warning: 'No system keyring was found.' };
    const withSecrets = createHandlers({ core: temp.core, runtime: 'electron', appName: 'Proximity', openExternal: async () => {}, secretStorage });
    const d = createDispatcher(withSecrets, { policy, validateOutput: true, logger });
    expect(await d.dispatch('system.getInfo', {}, TOP)).toMatchObject({ ok: true, value: { secretStorage } });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('returns VALIDATION with the zod issues for invalid input, without running the handler', async () => {
    const spy = vi.fn(handlers['settings.setPortRanges']);
    const d = createDispatcher({ ...handlers, 'settings.setPortRanges': spy }, { policy, logger });
    const r = await d.dispatch('settings.setPortRanges', { public: { start: 80, end: 90 }, internal: { start: 40000, end: 40999 } }, TOP);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    expect(r.error.details).toEqual({
      issues: [
        { path: ['public', 'start'], code: 'too_small', message: expect.any(String) },
        { path: ['public', 'end'], code: 'too_small', message: expect.any(String) },
      ],
    });
    expect(spy).not.toHaveBeenCalled();
    expect(await d.dispatch('system.getInfo', { extra: true }, TOP)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await d.dispatch('audit.list', undefined, TOP)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await d.dispatch('links.openExternal', { url: 'file:///etc/passwd' }, TOP)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(opened).toEqual([]);
  });

  it('refuses a subframe or a foreign origin with FORBIDDEN_SENDER before parsing or running anything', async () => {
    const spy = vi.fn(handlers['system.getInfo']);
    const d = createDispatcher({ ...handlers, 'system.getInfo': spy }, { policy, logger });
    for (const sender of [
      { isTopFrame: false, url: 'app://proximity/index.html' },
      { isTopFrame: true, url: 'https://evil.example/' },
      { isTopFrame: true, url: 'app://proximity.evil/index.html' },
      { isTopFrame: true, url: '' },
    ]) {
      expect(await d.dispatch('system.getInfo', {}, sender)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      // Even an unknown channel or bad input from a foreign frame only learns "forbidden".
      expect(await d.dispatch('nope', 1, sender)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('returns UNKNOWN_CHANNEL for a channel not in the contract', async () => {
    const d = createDispatcher(handlers, { policy, logger });
    for (const channel of ['app.quit', '__proto__', 'constructor', 42]) {
      expect(await d.dispatch(channel, {}, TOP)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });

  it('never throws on a channel that cannot be turned into text (it still answers a Result)', async () => {
    const d = createDispatcher(handlers, { policy, logger });
    // String() throws on these: no callable toString/valueOf, or no prototype at all
    for (const channel of [{ toString: 1 }, Object.create(null), Symbol('x')]) {
      expect(await d.dispatch(channel, {}, TOP)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
      const foreign = await d.dispatch(channel, {}, { isTopFrame: true, url: 'https://evil.example/' });
      expect(foreign).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    }
  });

  it('passes a thrown ProximityError through with its code, message and details', async () => {
    const d = createDispatcher(
      {
        ...handlers,
        'ports.list': () => {
          throw new ProximityError('PORT_RANGE_EXHAUSTED', 'No free public port in 30000-30000.', { details: { kind: 'public' } });
        },
      },
      { policy, logger },
    );
    expect(await d.dispatch('ports.list', {}, TOP)).toEqual({
      ok: false,
      error: { code: 'PORT_RANGE_EXHAUSTED', message: 'No free public port in 30000-30000.', details: { kind: 'public' } },
    });
  });

  it('passes the core’s own refusal through (CONFLICT when a range would orphan an assigned port)', async () => {
    const d = createDispatcher(handlers, { policy, logger });
    temp.core.ports.allocate(temp.core.apps.insert({ catalogId: 'x', name: 'X', hostname: 'x' }).id);
    const r = await d.dispatch('settings.setPortRanges', { public: { start: 31000, end: 31999 }, internal: { start: 40000, end: 40999 } }, TOP);
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { kind: 'public' } } });
  });

  it('turns any other thrown error into INTERNAL, logs the stack and leaks nothing', async () => {
    const d = createDispatcher(
      {
        ...handlers,
        'apps.list': () => {
          throw new Error('SQLITE_CORRUPT at /home/secret/path');
        },
      },
      { policy, logger },
    );
    const r = await d.dispatch('apps.list', {}, TOP);
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Internal error in apps.list.' } });
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(logger.error).toHaveBeenCalledWith('[ipc] apps.list failed', expect.objectContaining({ stack: expect.stringContaining('SQLITE_CORRUPT') }));
  });

  it('reports a database locked by another process as DB_ERROR (actionable), not INTERNAL', async () => {
    // A real second connection holds the write lock, as another Proximity on the same data folder would.
    temp.core.db.handle.pragma('busy_timeout = 0');
    const other = new Database(temp.core.db.path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const d = createDispatcher(handlers, { policy, logger });
      const ranges = { public: { start: 30000, end: 30499 }, internal: { start: 40000, end: 40499 } };
      const r = await d.dispatch('settings.setPortRanges', ranges, TOP);
      expect(r).toEqual({
        ok: false,
        error: { code: 'DB_ERROR', message: expect.stringMatching(/database is locked \(SQLITE_BUSY\)/), details: { sqliteCode: 'SQLITE_BUSY' } },
      });
      expect(logger.error).toHaveBeenCalled(); // the stack is still logged
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(temp.core.settings.getPortRanges().public).toEqual({ start: 30000, end: 30999 }); // nothing changed
  });

  it('reports a handler whose output breaks the contract as INTERNAL when output validation is on', async () => {
    const broken = { ...handlers, 'system.getInfo': () => ({ name: 'x' }) } as unknown as Handlers;
    const strict = createDispatcher(broken, { policy, logger, validateOutput: true });
    expect(await strict.dispatch('system.getInfo', {}, TOP)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(logger.error).toHaveBeenCalled();
    const lax = createDispatcher(broken, { policy, logger, validateOutput: false });
    expect(await lax.dispatch('system.getInfo', {}, TOP)).toEqual({ ok: true, value: { name: 'x' } });
  });

  it('refuses everything when the policy itself throws', async () => {
    const d = createDispatcher(handlers, {
      policy: () => {
        throw new Error('bad policy');
      },
      logger,
    });
    expect(await d.dispatch('system.getInfo', {}, TOP)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});
