// A deliberately small stand-in for the emulator, for the node CLI's own unit tests: a few containers and
// templates behind `callApi`, tasks that finish at once, and a real loopback control server with a token.
// The acceptance tests (test/lab/e2e) run the same CLI against the real emulator.
import http from 'node:http';
import crypto from 'node:crypto';

class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly errors?: Record<string, string>) {
    super(message);
  }
}

export interface FakeCt { vmid: number; status: 'running' | 'stopped'; lock?: string; config: Record<string, unknown> }

export async function startFakeNodeApi(node = 'pve') {
  const cts = new Map<number, FakeCt>([
    [100, { vmid: 100, status: 'running', config: { hostname: 'web', memory: 512, net0: 'name=eth0,bridge=vmbr0,ip=dhcp', description: 'a: b\nc', digest: 'abc' } }],
    [101, { vmid: 101, status: 'stopped', lock: 'backup', config: { hostname: 'db', memory: 1024 } }],
  ]);
  const templates = [
    { section: 'system', template: 'debian-12-standard_12.7-1_amd64.tar.zst' },
    { section: 'system', template: 'alpine-3.20-default_20240908_amd64.tar.xz' },
    { section: 'turnkeylinux', template: 'debian-12-turnkey-wordpress_18.0-1_amd64.tar.gz' },
  ];
  const stored = new Map<string, number>([['local:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz', 3 * 1024 * 1024 + 1]]);
  const tasks = new Map<string, { status: string; log: string[] }>();
  let seq = 0;
  const task = (type: string, id: string, log: string[], status = 'OK') => {
    const upid = `UPID:${node}:0000${(++seq).toString(16).padStart(4, '0')}:00000001:00000001:${type}:${id}:root@pam:`;
    tasks.set(upid, { status, log: [...log, status === 'OK' ? 'TASK OK' : `TASK ERROR: ${status}`] });
    return upid;
  };
  const ct = (vmid: string) => {
    const c = cts.get(Number(vmid));
    if (!c) throw new ApiError(500, `Configuration file 'nodes/${node}/lxc/${vmid}.conf' does not exist`);
    return c;
  };
  const calls: { method: string; path: string; params: Record<string, unknown> }[] = [];

  async function callApi(method: string, path: string, params: Record<string, unknown> = {}): Promise<any> {
    calls.push({ method, path, params });
    let m: RegExpExecArray | null;
    const base = `/nodes/${node}`;
    if (method === 'GET' && path === `${base}/lxc`) {
      return [...cts.values()].map((c) => ({ vmid: c.vmid, status: c.status, name: c.config.hostname, ...(c.lock ? { lock: c.lock } : {}) }));
    }
    if ((m = /^\/nodes\/[^/]+\/lxc\/(\d+)\/config$/.exec(path))) {
      const c = ct(m[1]!);
      if (method === 'GET') return { ...c.config };
      if (params.memory !== undefined && !/^\d+$/.test(String(params.memory))) {
        throw new ApiError(400, 'Parameter verification failed.', { memory: `type check ('integer') failed - got '${String(params.memory)}'` });
      }
      for (const [k, v] of Object.entries(params)) if (k !== 'delete') c.config[k] = v;
      for (const k of String(params.delete ?? '').split(',').filter(Boolean)) delete c.config[k];
      return null;
    }
    if ((m = /^\/nodes\/[^/]+\/lxc\/(\d+)\/status\/current$/.exec(path))) {
      const c = ct(m[1]!);
      return { vmid: c.vmid, status: c.status, name: c.config.hostname, maxmem: 536870912, ha: { managed: 0 } };
    }
    if ((m = /^\/nodes\/[^/]+\/lxc\/(\d+)\/status\/(start|stop)$/.exec(path))) {
      const c = ct(m[1]!);
      if (m[2] === 'start' && c.status === 'running') throw new ApiError(500, `CT ${c.vmid} already running`);
      if (c.lock) return task(`vz${m[2]}`, String(c.vmid), [], `CT is locked (${c.lock})`);
      c.status = m[2] === 'start' ? 'running' : 'stopped';
      return task(`vz${m[2]}`, String(c.vmid), []);
    }
    if (path === `${base}/aplinfo`) {
      if (method === 'GET') return templates.map((t) => ({ ...t, type: 'lxc', os: 'debian' }));
      const t = templates.find((x) => x.template === params.template);
      if (!t) throw new ApiError(400, 'Parameter verification failed.', { template: 'no such template' });
      stored.set(`${String(params.storage)}:vztmpl/${t.template}`, 120 * 1024 * 1024);
      return task('download', t.template, [`downloading http://download.proxmox.com/images/system/${t.template} to /var/lib/vz/template/cache/${t.template}`, 'download of template finished']);
    }
    if (path === `${base}/storage`) {
      return [{ storage: 'local', type: 'dir', content: 'vztmpl,iso,backup' }, { storage: 'local-lvm', type: 'lvmthin', content: 'rootdir,images' }];
    }
    if ((m = /^\/nodes\/[^/]+\/storage\/([^/]+)\/content$/.exec(path))) {
      return [...stored].filter(([v]) => v.startsWith(`${m![1]}:`)).map(([volid, size]) => ({ volid, size, format: 'tzst', content: 'vztmpl' }));
    }
    if ((m = /^\/nodes\/[^/]+\/storage\/([^/]+)\/content\/(.+)$/.exec(path)) && method === 'DELETE') {
      const raw = decodeURIComponent(m[2]!);
      const volid = raw.includes(':') ? raw : `${m[1]}:${raw}`;
      if (!stored.delete(volid)) throw new ApiError(500, `volume '${volid}' does not exist`);
      return task('imgdel', volid, []);
    }
    if ((m = /^\/nodes\/[^/]+\/tasks\/(.+)\/log$/.exec(path))) {
      return (tasks.get(m[1]!)?.log ?? []).map((t, i) => ({ n: i + 1, t }));
    }
    throw new ApiError(501, `Method '${method} ${path}' not implemented`);
  }

  const routes = new Map<string, (body: any) => Promise<unknown>>();
  const token = crypto.randomBytes(16).toString('hex');
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (req.headers['x-lab-token'] !== token) return void res.writeHead(403).end('bad token');
      const h = routes.get(`${req.method} ${req.url}`);
      if (!h) return void res.writeHead(404).end('no route');
      try {
        const out = await h(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      } catch (err) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String((err as Error).message) }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    nodes: [node],
    cts,
    stored,
    calls,
    callApi,
    waitTask: async (upid: string) => tasks.get(upid)?.status ?? 'unknown task',
    control: { url, token, on: (method: string, path: string, h: (body: any) => Promise<unknown>) => void routes.set(`${method} ${path}`, h) },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
