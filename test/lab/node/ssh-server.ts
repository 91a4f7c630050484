// The simulated node's SSH: a real OpenSSH server on 127.0.0.1 (random port, its own ed25519 host key, one
// authorized client key). Sessions find the lab's `pct` / `pveam` first on PATH: small wrapper scripts in
// <runDir>/bin that carry the emulator's control URL + token and exec the thin Node client.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabBackend } from '../backend.js';
import { parseCliRequest, runCli, type ControlLike } from './cli-control.js';
import type { CliHost, ExecCapableBackend } from './cli-types.js';

export interface EmulatorLike {
  nodes: readonly (string | { node: string })[];
  callApi(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params?: Record<string, unknown>, identity?: unknown): Promise<any>;
  waitTask(upid: string): Promise<string>;
  /** the emulator's fault injector (for `pveam update`, which has no API endpoint) */
  faults?: { host: { updateTemplateIndex(node: string): boolean } };
  control: ControlLike & { url: string; token: string };
}

export interface NodeSshOptions {
  emulator: EmulatorLike;
  backend: LabBackend & Partial<ExecCapableBackend>;
  /** private directory for keys, config, wrappers and logs (created if missing); default: a temp dir removed on close */
  runDir?: string;
  /** node name; defaults to the emulator's first node */
  node?: string;
  sshdPath?: string;
}

export interface NodeSsh {
  host: '127.0.0.1';
  port: number;
  user: string;
  privateKeyPath: string;
  /** as `ssh-keygen -l` prints it: `SHA256:<base64 without padding>` */
  hostKeyFingerprint: string;
  close(): Promise<void>;
}

const CLIENT = fileURLToPath(new URL('./cli-client.mjs', import.meta.url));
// One `/cli` route per control server, dispatching on the node named in the request.
const hostsByControl = new WeakMap<object, Map<string, CliHost>>();

export async function startNodeSsh(opts: NodeSshOptions): Promise<NodeSsh> {
  const { emulator, backend } = opts;
  const first = emulator.nodes[0];
  const node = opts.node ?? (typeof first === 'string' ? first : first?.node);
  if (!node) throw new Error('startNodeSsh: the emulator has no nodes');
  const sshd = opts.sshdPath ?? '/usr/sbin/sshd';
  if (!fs.existsSync(sshd)) throw new Error(`startNodeSsh: ${sshd} not found (install openssh-server)`);
  const ownRunDir = !opts.runDir;
  const runDir = opts.runDir ? path.resolve(opts.runDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-lab-ssh-'));
  fs.mkdirSync(path.join(runDir, 'bin'), { recursive: true, mode: 0o700 });
  const removeRunDir = () => {
    if (ownRunDir) fs.rmSync(runDir, { recursive: true, force: true });
  };

  registerHost(emulator, {
    node, backend, callApi: (m, p, params) => emulator.callApi(m, p, params), waitTask: (u) => emulator.waitTask(u),
    updateTemplateIndex: emulator.faults?.host ? () => emulator.faults!.host.updateTemplateIndex(node) : undefined,
  });

  const hostKey = path.join(runDir, 'ssh_host_ed25519_key');
  const clientKey = path.join(runDir, 'id_ed25519');
  for (const k of [hostKey, clientKey]) {
    fs.rmSync(k, { force: true });
    fs.rmSync(`${k}.pub`, { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `lab-${path.basename(k)}`, '-f', k], { stdio: 'pipe' });
  }
  const authorized = path.join(runDir, 'authorized_keys');
  fs.writeFileSync(authorized, fs.readFileSync(`${clientKey}.pub`), { mode: 0o600 });
  const fp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`], { encoding: 'utf8' }).split(/\s+/)[1]!;

  writeWrappers(path.join(runDir, 'bin'), emulator.control, node);
  // sshd refuses to start without its privilege-separation directory
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const sessionPath = [path.join(runDir, 'bin'), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].join(':');
  let lastErr: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = path.join(runDir, 'sshd_config');
    fs.writeFileSync(config, sshdConfig({ port, hostKey, authorized, runDir, sessionPath }), { mode: 0o600 });
    const pidFile = path.join(runDir, 'sshd.pid');
    fs.rmSync(pidFile, { force: true });
    const log = fs.openSync(path.join(runDir, 'sshd.log'), 'a');
    // setpriv --pdeathsig: sshd goes away with the lab process even if that one crashes
    const argv = fs.existsSync('/usr/bin/setpriv') ? ['/usr/bin/setpriv', '--pdeathsig', 'TERM', sshd] : [sshd];
    const child = spawn(argv[0]!, [...argv.slice(1), '-D', '-e', '-f', config], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    try {
      await waitForBanner(port, child, path.join(runDir, 'sshd.log'), pidFile);
      return {
        host: '127.0.0.1',
        port,
        user: os.userInfo().username,
        privateKeyPath: clientKey,
        hostKeyFingerprint: fp,
        close: () => stop(child).then(removeRunDir),
      };
    } catch (err) {
      lastErr = err;
      await stop(child);
    }
  }
  const log = tail(path.join(runDir, 'sshd.log'));
  removeRunDir();
  throw new Error(`startNodeSsh: sshd did not start: ${String((lastErr as Error)?.message ?? lastErr)}${log ? ` (${log})` : ''}`);
}

function registerHost(emulator: EmulatorLike, host: CliHost): void {
  const control = emulator.control;
  let hosts = hostsByControl.get(control);
  if (!hosts) {
    const map = new Map<string, CliHost>();
    hosts = map;
    hostsByControl.set(control, map);
    control.on('POST', '/cli', async (body: any) => {
      const req = parseCliRequest(body);
      const target = map.get(String(body?.node ?? '')) ?? [...map.values()][0]!;
      return runCli(target, req);
    });
  }
  hosts.set(host.node, host);
}

function writeWrappers(binDir: string, control: { url: string; token: string }, node: string): void {
  for (const tool of ['pct', 'pveam', 'pveversion']) {
    const script = [
      '#!/bin/sh',
      `# ${tool} of the simulated PVE node '${node}' (lab); the emulator does the work.`,
      `LAB_CONTROL_URL=${shQuote(control.url)} LAB_CONTROL_TOKEN=${shQuote(control.token)} LAB_NODE=${shQuote(node)}`,
      'export LAB_CONTROL_URL LAB_CONTROL_TOKEN LAB_NODE',
      `exec ${shQuote(process.execPath)} ${shQuote(CLIENT)} ${tool} "$@"`,
      '',
    ].join('\n');
    fs.writeFileSync(path.join(binDir, tool), script, { mode: 0o700 });
  }
}

function sshdConfig(o: { port: number; hostKey: string; authorized: string; runDir: string; sessionPath: string }): string {
  return [
    `Port ${o.port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${o.hostKey}`,
    `PidFile ${path.join(o.runDir, 'sshd.pid')}`, // readiness: written once the listener is bound
    `AuthorizedKeysFile ${o.authorized}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // keys and config live in a temp run dir whose ownership/modes sshd would otherwise reject
    'StrictModes no',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'MaxSessions 64',
    'MaxStartups 64:30:128',
    'LogLevel INFO',
    `SetEnv PATH=${o.sessionPath}`,
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Ready = sshd wrote its pid file (it does so after binding its listener) and the port answers with a banner.
 * The pid file check matters: the port came from freePort() and may have been taken meanwhile by another
 * process, possibly another sshd whose banner would otherwise be mistaken for ours.
 */
async function waitForBanner(port: number, child: ChildProcess, logFile: string, pidFile: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`sshd exited (${child.exitCode ?? child.signalCode}): ${tail(logFile)}`);
    }
    if (readPidFile(pidFile) !== child.pid) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.setTimeout(1000);
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('SSH-2.0-'));
      });
      s.once('error', () => resolve(false));
      s.once('timeout', () => {
        s.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd not answering on 127.0.0.1:${port}: ${tail(logFile)}`);
}

function readPidFile(file: string): number | null {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim()) || null;
  } catch {
    return null;
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-5).join(' | ');
  } catch {
    return '';
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
    }, 3000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    // SIGTERM to the listener; per-connection children exit when their clients go away
    child.kill('SIGTERM');
  });
}
