// The PVE client's per-request limits against the lab: a request past `requestTimeoutMs` fails PVE_TIMEOUT at
// the deadline (not when the answer finally comes), an aborted signal ends the request at once with CANCELLED,
// and an answer larger than `maxAnswerBytes` is cut off rather than buffered. Requests must pass the schema
// validator.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listNodes } from '../../../src-main/core/pve/nodes';
import { PveClient } from '../../../src-main/core/pve/pve-client';
import { createBackend } from '../../lab/backends';
import { createEmulator, type Emulator } from '../../lab/pve/emulator';
import { validateRecordedRequest } from '../../lab/pve/schema';

let emu: Emulator;
let client: PveClient;

beforeAll(async () => {
  emu = await createEmulator({ backend: await createBackend('virtual'), taskSeconds: 0 });
  client = new PveClient({ host: emu.host, port: emu.port, fingerprint: emu.fingerprint, auth: { tokenId: emu.tokenId, tokenSecret: emu.tokenSecret }, requestTimeoutMs: 300 });
});

afterEach(() => {
  emu.faults.clear();
  const invalid = emu.requests.filter((r) => r.source === 'http').filter((r) => validateRecordedRequest(emu.schema, r).length > 0);
  expect(invalid).toEqual([]);
});

afterAll(async () => {
  await client?.close();
  await emu?.close();
});

/** GET /nodes requests the lab has received so far. */
const nodeGets = () => emu.requests.filter((r) => r.method === 'GET' && r.path === '/api2/json/nodes').length;

describe('request deadlines', () => {
  it('an answer slower than requestTimeoutMs fails PVE_TIMEOUT at the deadline, sent once', async () => {
    await listNodes(client); // connected and authenticated: what follows measures only the slow answer
    emu.faults.delay(5000, '^GET /nodes$');
    const before = nodeGets();
    const t0 = performance.now();
    const e = await listNodes(client).then(() => undefined, (x: unknown) => x);
    const took = performance.now() - t0;
    expect(e).toMatchObject({ code: 'PVE_TIMEOUT', details: { method: 'GET', path: '/nodes' } });
    expect(took).toBeLessThan(4000);
    expect(nodeGets() - before).toBeLessThanOrEqual(1);
  });

  it('an aborted signal ends a request in flight with CANCELLED', async () => {
    emu.faults.delay(5000, '^GET /nodes$');
    const ac = new AbortController();
    const sent = client.requestCount;
    const pending = client.call((api) => api.nodes.$get(), { signal: ac.signal, timeoutMs: 10_000 }).then(() => undefined, (x: unknown) => x);
    // abort once the request is on the wire (requestCount counts just before sending)
    const deadline = Date.now() + 5000;
    while (client.requestCount === sent && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(client.requestCount).toBe(sent + 1);
    const t0 = performance.now();
    ac.abort();
    expect(await pending).toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('answer size', () => {
  it('an answer larger than maxAnswerBytes fails PVE_API_ERROR instead of being kept in memory', async () => {
    const small = new PveClient({ host: emu.host, port: emu.port, fingerprint: emu.fingerprint, auth: { tokenId: emu.tokenId, tokenSecret: emu.tokenSecret }, maxAnswerBytes: 512 });
    try {
      // GET /nodes is a few hundred bytes; the appliance index is many KiB
      await listNodes(small);
      const e = await small.call((api) => api.nodes.$('pve').aplinfo.$get()).then(() => undefined, (x: unknown) => x);
      expect(e).toMatchObject({ code: 'PVE_API_ERROR', details: { method: 'GET', path: '/nodes/pve/aplinfo', limitBytes: 512 } });
      expect((e as Error).message).toMatch(/larger than 512 bytes/);
      // the client stays usable
      expect((await listNodes(small)).length).toBe(1);
    } finally {
      await small.close();
    }
  });
});
