// A running container = its network namespace + one long-lived "init" started by bubblewrap with its own pid,
// UTS, IPC and mount namespaces and the container's private root. Commands run inside by joining the init's
// namespaces with nsenter. Killing the init (pid 1 of the container's pid namespace) kills everything that
// runs inside, including daemons started by earlier commands.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export const CONTAINER_PATH = '/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin';
const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface InitOptions {
  netns: string;
  hostname: string;
  rootfs: string;
  userlandBinDir: string;
  logFile: string;
}

export interface ContainerInit {
  /** host pid of the container's pid-1 process (the nsenter target) */
  pid: number;
  child: ChildProcess;
  exited: Promise<void>;
}

export function bwrapArgs(o: InitOptions): string[] {
  return [
    // Kill the container if the lab process dies: nothing of a crashed run keeps running.
    '--die-with-parent',
    '--unshare-pid',
    '--unshare-uts',
    '--unshare-ipc',
    '--hostname', o.hostname,
    '--bind', o.rootfs, '/',
    '--ro-bind', '/usr', '/usr',
    // The lab userland (pct-side tools, Alpine stand-ins) shadows the host's /usr/local/bin.
    '--ro-bind', o.userlandBinDir, '/usr/local/bin',
    '--proc', '/proc',
    '--dev', '/dev',
    // `ip netns exec` mounted a sysfs for this network namespace; /sys/class/net shows the container's links.
    '--ro-bind', '/sys', '/sys',
    // bwrap makes /proc/sys read-only; the network sysctls are per-namespace and the appliance must set
    // net.ipv4.ip_forward, so that subtree is made writable again.
    '--bind', '/proc/sys/net', '/proc/sys/net',
    '--chdir', '/',
    '--info-fd', '3',
  ];
}

export async function startInit(o: InitOptions, timeoutMs = 10_000): Promise<ContainerInit> {
  const log = fs.openSync(o.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'ip',
      // bwrap reports the child pid before the child has finished building the root, so the init says "ready"
      // on stdout once it runs (after every mount is in place) and then sleeps for the container's lifetime.
      ['netns', 'exec', o.netns, 'bwrap', ...bwrapArgs(o), '--', '/bin/sh', '-c', 'echo ready; exec sleep infinity'],
      { stdio: ['ignore', 'pipe', log, 'pipe'] },
    );
  } finally {
    fs.closeSync(log);
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const info = child.stdio[3] as NodeJS.ReadableStream;
  const out = child.stdout!;
  const pid = await new Promise<number>((resolve, reject) => {
    let data = '';
    let ready = '';
    let childPid: number | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`container init did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    const check = () => {
      if (childPid !== null && ready.includes('ready\n')) {
        clearTimeout(timer);
        resolve(childPid);
      }
    };
    info.setEncoding('utf8');
    info.on('data', (d: string) => {
      data += d;
      try {
        const p = (JSON.parse(data) as { 'child-pid'?: number })['child-pid'];
        if (typeof p === 'number') childPid = p;
      } catch {
        /* not complete yet */
      }
      check();
    });
    out.setEncoding('utf8');
    out.on('data', (d: string) => {
      ready += d;
      check();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const why = safeRead(o.logFile).slice(-1000);
      reject(new Error(`container init exited during start (code ${code}): ${why}`));
    });
  });
  info.on('error', () => undefined);
  out.on('error', () => undefined);
  out.resume();
  return { pid, child, exited };
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Hard stop: SIGKILL the container's pid 1, which makes the kernel kill its whole pid namespace. */
export async function stopInit(init: ContainerInit, timeoutMs = 5_000): Promise<void> {
  try {
    process.kill(init.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  if (init.child.exitCode === null && init.child.signalCode === null) {
    const timer = setTimeout(() => init.child.kill('SIGKILL'), timeoutMs);
    await init.exited;
    clearTimeout(timer);
  }
}

export interface ExecOptions {
  env?: Record<string, string>;
  cwd?: string;
}

/** argv that, spawned on the host as root, runs `argv` inside the container whose pid 1 is `initPid`. */
export function execArgv(initPid: number, argv: string[], opts: ExecOptions = {}): string[] {
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string' || a.includes('\0'))) {
    throw new Error('exec: command must be a non-empty array of strings without NUL bytes');
  }
  // env(1) would take a first word containing '=' for a variable assignment.
  if (argv[0].includes('=')) throw new Error(`exec: command name '${argv[0]}' must not contain '='`);
  const cwd = opts.cwd ?? '/';
  if (!cwd.startsWith('/') || cwd.includes('\0')) throw new Error(`exec: cwd '${cwd}' must be an absolute path`);
  const env: Record<string, string> = {
    PATH: CONTAINER_PATH,
    HOME: '/root',
    USER: 'root',
    LOGNAME: 'root',
    SHELL: '/bin/sh',
    ...(opts.env ?? {}),
  };
  const assignments = Object.entries(env).map(([k, v]) => {
    if (!ENV_KEY_RE.test(k)) throw new Error(`exec: invalid environment variable name '${k}'`);
    if (typeof v !== 'string' || v.includes('\0')) throw new Error(`exec: invalid value for ${k}`);
    return `${k}=${v}`;
  });
  return [
    'nsenter', '-t', String(initPid), '-m', '-u', '-i', '-n', '-p', '-r', '-w', '--',
    '/usr/bin/env', '-i', '-C', cwd, ...assignments, ...argv,
  ];
}
