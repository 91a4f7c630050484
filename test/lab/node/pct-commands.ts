// `pct` as on a PVE 8 node, acting on the emulator's state through its API (like pve-container's
// PVE/CLI/pct.pm, which calls the API2 handlers in-process). Output formats and messages follow pct.pm.
import fs from 'node:fs';
import path from 'node:path';
import { api, toCliDie, waitUpid } from './api-call.js';
import { parseArgs, parseVmid } from './cli-args.js';
import { CliDie, Out, type CliHost, type CliResponse } from './cli-types.js';

const USAGE: Record<string, string> = {
  list: 'pct list',
  status: 'pct status <vmid> [OPTIONS]',
  config: 'pct config <vmid> [OPTIONS]',
  set: 'pct set <vmid> [OPTIONS]',
  start: 'pct start <vmid> [OPTIONS]',
  stop: 'pct stop <vmid> [OPTIONS]',
  shutdown: 'pct shutdown <vmid> [OPTIONS]',
  reboot: 'pct reboot <vmid> [OPTIONS]',
  destroy: 'pct destroy <vmid> [OPTIONS]',
  create: 'pct create <vmid> <ostemplate> [OPTIONS]',
  exec: 'pct exec <vmid> [<extra-args>] [OPTIONS]',
  push: 'pct push <vmid> <file> <destination> [OPTIONS]',
  pull: 'pct pull <vmid> <path> <destination> [OPTIONS]',
};

const FILE_OPTS = ['perms', 'user', 'group'];

export async function runPct(host: CliHost, args: string[], cwd: string): Promise<CliResponse> {
  const [cmd, ...rest] = args;
  const out = new Out();
  if (!cmd || !(cmd in USAGE)) {
    const known = Object.values(USAGE).map((u) => `       ${u}`).join('\n');
    out.warn(cmd ? `ERROR: unknown command 'pct ${cmd}'` : 'ERROR: no command specified');
    out.warn(`USAGE: pct <COMMAND> [ARGS] [OPTIONS]\n${known}`);
    return out.done(255);
  }
  try {
    const res = await dispatch(host, cmd, rest, cwd, out);
    return res ?? out.done(0);
  } catch (err) {
    out.warn(toCliDie(err, USAGE[cmd]).message);
    return out.done(err instanceof CliDie ? err.exitCode : 255);
  }
}

async function dispatch(host: CliHost, cmd: string, args: string[], cwd: string, out: Out): Promise<CliResponse | void> {
  const usage = USAGE[cmd]!;
  const base = `/nodes/${host.node}/lxc`;
  switch (cmd) {
    case 'list': {
      parseArgs(args, { usage, positional: [], options: [] });
      const rows = ((await api(host, 'GET', base)) ?? []) as { vmid: number | string; status?: string; lock?: string; name?: string }[];
      if (rows.length === 0) return;
      out.print(listLine('VMID', 'Status', 'Lock', 'Name'));
      for (const r of [...rows].sort((a, b) => Number(a.vmid) - Number(b.vmid))) {
        out.print(listLine(String(r.vmid), r.status ?? '', r.lock ?? '', r.name ?? ''));
      }
      return;
    }
    case 'status': {
      const p = parseArgs(args, { usage, positional: ['vmid'], options: ['verbose'], booleans: ['verbose'] });
      const vmid = parseVmid(p.positional[0]!, usage);
      await api(host, 'GET', `${base}/${vmid}/config`); // test if CT exists, as pct.pm does
      const st = (await api(host, 'GET', `${base}/${vmid}/status/current`)) as Record<string, unknown>;
      if (isTrue(p.options.verbose)) {
        for (const k of Object.keys(st).sort()) {
          const v = st[k];
          if (v === undefined || v === null) continue;
          out.print(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
        }
      } else out.print(`status: ${String(st.status ?? 'unknown')}`);
      return;
    }
    case 'config': {
      const p = parseArgs(args, { usage, positional: ['vmid'], options: ['current', 'snapshot'], booleans: ['current'] });
      const vmid = parseVmid(p.positional[0]!, usage);
      const conf = (await api(host, 'GET', `${base}/${vmid}/config`, p.options, usage)) as Record<string, unknown>;
      for (const k of Object.keys(conf).sort()) {
        if (k === 'digest' || k === 'lxc') continue;
        const v = conf[k];
        out.print(`${k}: ${k === 'description' ? encodeText(String(v)) : String(v)}`);
      }
      return;
    }
    case 'set': {
      const p = parseArgs(args, { usage, positional: ['vmid'], repeatable: ['delete'] });
      const vmid = parseVmid(p.positional[0]!, usage);
      const params: Record<string, unknown> = { ...p.options };
      if (Array.isArray(params.delete)) params.delete = (params.delete as string[]).join(',');
      if (Object.keys(params).length === 0) throw new CliDie('no options specified\n');
      await api(host, 'PUT', `${base}/${vmid}/config`, params, usage);
      return;
    }
    case 'start':
    case 'stop':
    case 'shutdown':
    case 'reboot':
    case 'destroy': {
      const p = parseArgs(args, { usage, positional: ['vmid'] });
      const vmid = parseVmid(p.positional[0]!, usage);
      const upid = cmd === 'destroy'
        ? await api(host, 'DELETE', `${base}/${vmid}`, p.options, usage)
        : await api(host, 'POST', `${base}/${vmid}/status/${cmd}`, p.options, usage);
      return finishTask(host, upid, out);
    }
    case 'create': {
      const p = parseArgs(args, { usage, positional: ['vmid', 'ostemplate'] });
      const vmid = parseVmid(p.positional[0]!, usage);
      const upid = await api(host, 'POST', base, { vmid, ostemplate: p.positional[1], ...p.options }, usage);
      return finishTask(host, upid, out);
    }
    case 'exec':
      return pctExec(host, args, usage);
    case 'push':
    case 'pull':
      return pctCopy(host, cmd, args, cwd, usage);
  }
}

async function finishTask(host: CliHost, upid: unknown, out: Out): Promise<CliResponse> {
  const status = await waitUpid(host, upid);
  if (status === 'OK' || status.startsWith('WARNINGS')) return out.done(0);
  // the worker runs in the foreground under the CLI, so its error reaches the terminal
  out.warn(status);
  return out.done(255);
}

async function pctExec(host: CliHost, args: string[], usage: string): Promise<CliResponse> {
  const p = parseArgs(args, { usage, positional: ['vmid'], options: ['keep-env'], booleans: ['keep-env'] });
  const vmid = parseVmid(p.positional[0]!, usage);
  await api(host, 'GET', `/nodes/${host.node}/lxc/${vmid}/config`); // test if container exists on this node
  if (!(await isRunning(host, vmid))) throw new CliDie(`container '${vmid}' not running!\n`);
  if (p.rest.length === 0) throw new CliDie('missing command at /usr/share/perl5/PVE/CLI/pct.pm line 225.\n');
  const b = host.backend;
  if (!b.containerExecArgv) throw new CliDie(`pct exec: the lab's '${b.kind}' backend runs no processes (use the netns backend)\n`);
  return { exec: b.containerExecArgv(host.node, vmid, p.rest) };
}

async function pctCopy(host: CliHost, cmd: 'push' | 'pull', args: string[], cwd: string, usage: string): Promise<CliResponse> {
  const p = parseArgs(args, { usage, positional: ['vmid', 'src', 'dst'], options: FILE_OPTS });
  const vmid = parseVmid(p.positional[0]!, usage);
  const [, src, dst] = p.positional as [string, string, string];
  let running: boolean;
  try {
    running = await isRunning(host, vmid);
  } catch {
    running = false; // pct.pm checks the running state before loading the config
  }
  if (!running) {
    throw new CliDie(cmd === 'push' ? 'can only push files to a running CT\n'
      : 'can only pull files from a running VM at /usr/share/perl5/PVE/CLI/pct.pm line 441.\n');
  }
  const b = host.backend;
  if (!b.containerPath) throw new CliDie(`pct ${cmd}: the lab's '${b.kind}' backend has no container filesystem (use the netns backend)\n`);
  const perms = parsePerms(p.options.perms as string | undefined, usage);
  const containerRoot = b.containerPath(host.node, vmid, '/');
  if (cmd === 'push') {
    const local = path.resolve(cwd, src);
    let data: Buffer;
    try {
      data = fs.readFileSync(local);
    } catch {
      throw new CliDie(`failed to open ${src} for reading\n`);
    }
    const target = insideTarget(b.containerPath(host.node, vmid, absInside(dst)), containerRoot, dst);
    const uid = resolveId(p.options.user as string | undefined, path.join(containerRoot, 'etc/passwd'), 'uid');
    const gid = resolveId(p.options.group as string | undefined, path.join(containerRoot, 'etc/group'), 'gid');
    writeFile(target, dst, data, perms, uid, gid);
  } else {
    const source = insideTarget(b.containerPath(host.node, vmid, absInside(src)), containerRoot, src);
    let data: Buffer;
    try {
      data = fs.readFileSync(source);
    } catch (err) {
      throw new CliDie(`failed to open ${src}: ${errnoText(err)}\n`);
    }
    const uid = resolveId(p.options.user as string | undefined, '/etc/passwd', 'uid');
    const gid = resolveId(p.options.group as string | undefined, '/etc/group', 'gid');
    writeFile(path.resolve(cwd, dst), dst, data, perms, uid, gid);
  }
  return { stdout: '', stderr: '', exitCode: 0 };
}

async function isRunning(host: CliHost, vmid: number): Promise<boolean> {
  const st = (await host.callApi('GET', `/nodes/${host.node}/lxc/${vmid}/status/current`)) as { status?: string };
  return st?.status === 'running';
}

function absInside(p: string): string {
  return p.startsWith('/') ? p : `/${p}`; // pct chdirs to the container's / before opening
}

/** Refuses paths that leave the container root through `..` or a symlinked parent (pct opens inside the mount ns). */
function insideTarget(hostPath: string, root: string, shown: string): string {
  const rootReal = fs.realpathSync(root);
  let parentReal: string;
  try {
    parentReal = fs.realpathSync(path.dirname(hostPath));
  } catch (err) {
    throw new CliDie(`failed to create file: ${shown}: ${errnoText(err)}\n`);
  }
  if (parentReal !== rootReal && !parentReal.startsWith(rootReal + path.sep)) {
    throw new CliDie(`failed to create file: ${shown}: Permission denied\n`);
  }
  return path.join(parentReal, path.basename(hostPath));
}

function writeFile(target: string, shown: string, data: Buffer, perms: number | undefined, uid?: number, gid?: number): void {
  try {
    const existed = fs.existsSync(target);
    fs.writeFileSync(target, data);
    if (perms !== undefined) fs.chmodSync(target, perms);
    else if (!existed) fs.chmodSync(target, 0o666 & ~process.umask());
    if (uid !== undefined || gid !== undefined) {
      const st = fs.statSync(target);
      fs.chownSync(target, uid ?? st.uid, gid ?? st.gid);
    }
  } catch (err) {
    throw new CliDie(`failed to create file: ${shown}: ${errnoText(err)}\n`);
  }
}

/** pct.pm: octal by default (a leading 0 is added), `0x` for hex; strict. */
export function parsePerms(raw: string | undefined, usage: string): number | undefined {
  if (raw === undefined) return undefined;
  const v = raw.startsWith('0') ? raw : `0${raw}`;
  const m = /^0x([0-9a-f]+)$/i.exec(v);
  if (m) return parseInt(m[1]!, 16);
  if (/^0[0-7]*$/.test(v)) return parseInt(v, 8);
  void usage;
  throw new CliDie(`invalid mode: '${v}'\n`);
}

function resolveId(value: string | undefined, dbFile: string, kind: 'uid' | 'gid'): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  let db = '';
  try {
    db = fs.readFileSync(dbFile, 'utf8');
  } catch {
    /* no database: unknown name */
  }
  const row = db.split('\n').map((l) => l.split(':')).find((f) => f[0] === value);
  if (!row || row[2] === undefined) throw new CliDie(`failed to get ${kind} for: ${value}\n`);
  return Number(row[2]);
}

function listLine(a: string, b: string, c: string, d: string): string {
  return `${a.padEnd(10)} ${b.padEnd(10)} ${c.padEnd(12)} ${d.padEnd(20)}`;
}

/** PVE::Tools::encode_text: escapes control, high-bit and ':' characters as %XX. */
function encodeText(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) => (b >= 0x20 && b <= 0x7e && b !== 0x3a ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

function isTrue(v: unknown): boolean {
  return typeof v === 'string' && /^(1|true|yes|on)$/i.test(v);
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  if (code === 'ENOTDIR') return 'Not a directory';
  return String((err as Error)?.message ?? err);
}
