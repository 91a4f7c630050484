import fs from 'node:fs';
import net from 'node:net';
import { generateCaddyfile } from '../../src-main/core/proxy/caddyfile';
import type { ProxyRoute } from '../../src-main/core/proxy/proxy-route';
import { ReverseProxyManager } from '../../src-main/core/proxy/reverse-proxy-manager';
import { hasCaddy, startCaddy, startUpstream, tryGet, waitFor } from '../integration/proxy/caddy-kit';
import { reportBench, timeMs } from './bench-report';

export const benchTags = ['proxy', 'caddy'];

const APPS = 1000;
// 2000-port ranges so 1000 free ports can be found on a busy machine (the product's ranges are 1000 wide)
const PUBLIC = { start: 30000, end: 31999 };
const INTERNAL = { start: 40000, end: 41999 };

/**
 * The reverse proxy at 1000 apps against the host's real Caddy on loopback, as ReverseProxyManager.apply does it in
 * the appliance: generate the Caddyfile and its JSON twin, write them, `caddy validate`, swap, `caddy reload`. Then
 * whether a long-running streaming request through app A survives applying the routes of another app B. Baseline
 * in the same run: Caddy adapting the 1000-block Caddyfile itself (`load: 'caddyfile'`).
 */
export default async function proxyConfigBench(): Promise<void> {
  if (!hasCaddy) throw new Error('caddy is not installed (apt-get install caddy)');
  const up = await startUpstream('bench');
  const caddy = await startCaddy((admin) => generateCaddyfile([], { adminAddress: admin, defaultBind: '127.0.0.1' }));
  try {
    const [pubs, ints] = [await freePorts(PUBLIC, APPS + 1), await freePorts(INTERNAL, APPS + 1)];
    const routes: ProxyRoute[] = Array.from({ length: APPS + 1 }, (_, i) => ({
      hostname: `app-${String(i).padStart(4, '0')}`, containerIp: '127.0.0.1', containerPort: up.port, publicPort: pubs[i]!, internalPort: ints[i]!,
    }));
    const proxy = new ReverseProxyManager(caddy.exec, {
      adminAddress: caddy.admin, defaultBind: '127.0.0.1', caddyfilePath: caddy.caddyfile, publicRange: PUBLIC, internalRange: INTERNAL, timeoutMs: 120_000,
    });
    const thousand = routes.slice(0, APPS);

    const genMs = [0, 1, 2].map(() => timeMs(() => proxy.generate(thousand))).sort((x, y) => x - y)[1]!;
    reportBench('proxy.generate.1000-apps', genMs, 'ms', '< 100 ms');

    const cpu0 = cpuMs(caddy.process.pid!);
    const start = process.hrtime.bigint();
    await proxy.apply(thousand);
    const applyMs = Number(process.hrtime.bigint() - start) / 1e6;
    // CPU of this process, its finished children (sh, caddy validate/reload) and the Caddy server: on a busy
    // shared machine wall time mostly measures the queue for a core; this does not
    reportBench('proxy.generate-validate-apply.1000-apps.cpu', cpuMs(caddy.process.pid!) - cpu0, 'ms', 'informative, all processes');
    const last = thousand[APPS - 1]!;
    await waitFor('the last app served', async () => (await tryGet(`http://127.0.0.1:${last.internalPort}/`))?.ok);
    reportBench('proxy.generate-validate-apply.1000-apps', applyMs, 'ms', '< 2000 ms');

    // one more app deployed while 1000 run, with a streaming request through app A held open across the reload
    const a = thousand[0]!;
    const res = await fetch(`http://127.0.0.1:${a.publicPort}/stream`);
    const reader = res.body!.getReader();
    await reader.read();
    const t = process.hrtime.bigint();
    await proxy.apply(routes);
    reportBench('proxy.apply-one-more-app.at-1000-apps', Number(process.hrtime.bigint() - t) / 1e6, 'ms', '< 2000 ms');
    const survived = await streamStillFlowing(reader);
    console.log(`bench: proxy.open-connection-survives-other-app-apply ${survived ? 'yes' : 'no'} survived (target yes)`);
    await reader.cancel().catch(() => {});

    // baseline: the same apply with Caddy adapting the Caddyfile itself (load: 'caddyfile'), 1001 -> 1000 apps
    const viaCaddyfile = new ReverseProxyManager(caddy.exec, {
      adminAddress: caddy.admin, defaultBind: '127.0.0.1', caddyfilePath: caddy.caddyfile, publicRange: PUBLIC, internalRange: INTERNAL, timeoutMs: 120_000, load: 'caddyfile',
    });
    const b = process.hrtime.bigint();
    await viaCaddyfile.apply(thousand);
    reportBench('proxy.generate-validate-apply.1000-apps.baseline-caddyfile-adapter', Number(process.hrtime.bigint() - b) / 1e6, 'ms', 'baseline, slower');
  } finally {
    up.endStreams();
    await caddy.stop();
    await up.close();
  }
}

/** CPU ms (user + system) of this process, its reaped children and process `pid`, from /proc (Linux). */
function cpuMs(pid: number): number {
  const hz = 100; // USER_HZ on Linux
  const fields = (file: string) => fs.readFileSync(file, 'utf8').replace(/^.*\) /s, '').split(' ').map(Number);
  const self = fields('/proc/self/stat');
  const other = fields(`/proc/${pid}/stat`);
  // after "(comm) ": index 11/12 = utime/stime, 13/14 = cutime/cstime (stat(5) fields 14-17)
  return ((self[11]! + self[12]! + self[13]! + self[14]! + other[11]! + other[12]!) * 1000) / hz;
}

/** True if the stream delivers another chunk within 2 s and is not at its end. */
async function streamStillFlowing(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<boolean> {
  const next = reader.read().then((r) => !r.done && (r.value?.length ?? 0) > 0, () => false);
  const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref());
  return Promise.race([next, timeout]);
}

async function freePorts(range: { start: number; end: number }, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let p = range.start; p <= range.end && out.length < n; p++) if (await canBind(p)) out.push(p);
  if (out.length < n) throw new Error(`only ${out.length} free ports in ${range.start}-${range.end}`);
  return out;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
