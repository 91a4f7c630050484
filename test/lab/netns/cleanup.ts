// Removes everything a lab with a given prefix made: processes (found by network namespace and by command
// line), named namespaces `<prefix>-*`, the host veth `<prefix>h` and the run directory. Used by close() and,
// for a crashed run, before its slot is reused.
import fs from 'node:fs';
import path from 'node:path';
import { ip, pidAlive, run, sleep } from './run';

/** A run directory is deleted only when it carries this marker, so a mistaken runDir never loses data. */
export const RUN_DIR_MARKER = '.proximity-lab-run';

export async function listNamespaces(prefix: string): Promise<string[]> {
  const { stdout } = await run(['ip', 'netns', 'list'], { allowFail: true });
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter((n): n is string => !!n && n.startsWith(`${prefix}-`));
}

function nsInode(name: string): number | null {
  try {
    return fs.statSync(path.join('/run/netns', name)).ino;
  } catch {
    return null;
  }
}

function ancestors(): Set<number> {
  const out = new Set<number>([process.pid]);
  let pid = process.ppid;
  while (pid > 1 && !out.has(pid)) {
    out.add(pid);
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return out;
}

/** Pids whose network namespace is one of the named `namespaces`. */
export function pidsInNetns(namespaces: string[]): number[] {
  return findLabPids(null, namespaces, null);
}

/** Pids living in one of `namespaces`, or whose argv mentions the run dir or a `<prefix>-` name. */
export function findLabPids(prefix: string | null, namespaces: string[], runDir: string | null): number[] {
  const inodes = new Set(namespaces.map(nsInode).filter((i): i is number => i !== null).map((i) => `net:[${i}]`));
  const mine = ancestors();
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (mine.has(pid)) continue;
    try {
      if (inodes.size > 0 && inodes.has(fs.readlinkSync(`/proc/${pid}/ns/net`))) {
        found.push(pid);
        continue;
      }
      if (prefix === null && runDir === null) continue;
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const hit = argv.some(
        (a) => (prefix !== null && a.startsWith(`${prefix}-`)) || (runDir !== null && (a === runDir || a.includes(`${runDir}/`))),
      );
      if (hit) found.push(pid);
    } catch {
      /* process exited meanwhile */
    }
  }
  return found;
}

export async function killAndWait(pids: number[], timeoutMs = 3_000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + timeoutMs;
  // Zombies (children of ours not yet reaped) count as gone: they hold no namespace references.
  const living = () => pids.filter((p) => pidAlive(p) && !isZombie(p));
  while (living().length > 0 && Date.now() < deadline) await sleep(10);
}

export function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export async function cleanupPrefix(prefix: string, runDir: string | null): Promise<void> {
  if (!/^pxl\d+$/.test(prefix)) throw new Error(`refusing to clean up unexpected prefix ${prefix}`);
  const namespaces = await listNamespaces(prefix);
  await killAndWait(findLabPids(prefix, namespaces, runDir));
  for (const ns of namespaces) await run(['ip', 'netns', 'del', ns], { allowFail: true });
  await ip(null, ['link', 'del', `${prefix}h`], { allowFail: true });
  if (runDir) removeRunDir(runDir);
}

export function removeRunDir(runDir: string): void {
  if (!fs.existsSync(runDir)) return;
  if (!fs.existsSync(path.join(runDir, RUN_DIR_MARKER))) {
    if (fs.readdirSync(runDir).length === 0) fs.rmdirSync(runDir);
    return;
  }
  fs.rmSync(runDir, { recursive: true, force: true });
}
