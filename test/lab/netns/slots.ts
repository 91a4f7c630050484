// Per-run slot allocation. A slot S gives a lab its own prefix (`pxlS`) and subnet (198.18.S.0/24), so several
// labs (parallel test files) can run on one machine. A slot is held by a lock file under /run/proximity-lab/
// naming the owning process (pid + start time, so a recycled pid is not mistaken for the owner). A lock whose
// owner is dead means a crashed run: its leftovers are removed before the slot is reused.
import fs from 'node:fs';
import path from 'node:path';
import { pidAlive } from './run';

export const LOCK_DIR = '/run/proximity-lab';
/** 198.18.0.0/15 is reserved for benchmarking; one /24 per slot keeps names short (pxl0..pxl63). */
export const MAX_SLOTS = 64;

export interface LabSubnet {
  cidr: string;
  gateway: string;
  host: string;
  management: string;
  internetUrl: string;
}

export interface SlotLease {
  slot: number;
  prefix: string;
  subnet: LabSubnet;
  runDir: string;
  /** run directories of a crashed earlier owner of this slot, to clean up (with the prefix) before use */
  leftoverRunDirs: string[];
  release(): void;
}

interface LockRecord {
  pid: number;
  start: string;
  prefix: string;
  runDir: string;
}

export function prefixFor(slot: number): string {
  return `pxl${slot}`;
}

export function subnetFor(slot: number): LabSubnet {
  const base = `198.18.${slot}`;
  return {
    cidr: `${base}.0/24`,
    gateway: `${base}.1`,
    host: `${base}.254`,
    management: `${base}.2`,
    internetUrl: `http://${base}.1/`,
  };
}

export function defaultRunDir(prefix: string): string {
  return path.join(LOCK_DIR, prefix);
}

function processStart(pid: number): string | null {
  try {
    // Field 22 of /proc/PID/stat is the start time; the command name (field 2) may hold spaces, so split after ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function lockPath(slot: number): string {
  return path.join(LOCK_DIR, `slot-${slot}.lock`);
}

function readLock(file: string): LockRecord | null {
  try {
    const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as LockRecord;
    return typeof rec.pid === 'number' ? rec : null;
  } catch {
    return null;
  }
}

function ownerAlive(rec: LockRecord | null): boolean {
  if (!rec) return false;
  return pidAlive(rec.pid) && processStart(rec.pid) === rec.start;
}

/**
 * Create `file` holding `rec`, atomically: the record is written to a private temp file first and then
 * hard-linked into place (link fails if the name exists). With a plain `wx` write, a process starting at the
 * same moment could read the lock while it is still empty, take it for stale and delete it.
 */
function tryCreate(file: string, rec: LockRecord): boolean {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(rec), { flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Take over a stale lock. A second `.takeover` file (created exclusively) makes sure two processes that both saw
 * the stale lock do not both delete each other's fresh lock. Returns the stale owner's record, or null if the
 * slot could not be taken.
 */
function takeOverStale(slot: number, rec: LockRecord): LockRecord | null {
  const file = lockPath(slot);
  const guard = `${file}.takeover`;
  try {
    const st = fs.statSync(guard);
    if (Date.now() - st.mtimeMs > 30_000) fs.rmSync(guard, { force: true });
  } catch {
    /* no guard */
  }
  if (!tryCreate(guard, rec)) return null;
  try {
    const current = readLock(file);
    if (ownerAlive(current)) return null;
    fs.rmSync(file, { force: true });
    if (!tryCreate(file, rec)) return null;
    return current ?? { pid: 0, start: '', prefix: prefixFor(slot), runDir: defaultRunDir(prefixFor(slot)) };
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

/**
 * Take the requested slot, or the first free one. Synchronous (lock files only); the caller must remove the
 * prefix's leftovers (cleanupPrefix) before creating anything, since a crashed run may have left some.
 */
export function acquireSlot(opts: { slot?: number; runDir?: string } = {}): SlotLease {
  fs.mkdirSync(LOCK_DIR, { recursive: true });
  const candidates = opts.slot !== undefined ? [opts.slot] : [...Array(MAX_SLOTS).keys()];
  for (const slot of candidates) {
    if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS) {
      throw new Error(`lab slot must be an integer 0..${MAX_SLOTS - 1}, got ${slot}`);
    }
    const prefix = prefixFor(slot);
    const runDir = opts.runDir ?? defaultRunDir(prefix);
    const rec: LockRecord = { pid: process.pid, start: processStart(process.pid) ?? '', prefix, runDir };
    const file = lockPath(slot);
    const leftoverRunDirs: string[] = [];
    if (!tryCreate(file, rec)) {
      if (ownerAlive(readLock(file))) continue;
      const stale = takeOverStale(slot, rec);
      if (!stale) continue;
      if (stale.runDir && stale.runDir !== runDir) leftoverRunDirs.push(stale.runDir);
    }
    return {
      slot,
      prefix,
      subnet: subnetFor(slot),
      runDir,
      leftoverRunDirs,
      release: () => {
        const current = readLock(file);
        if (current && current.pid === process.pid && current.prefix === prefix) fs.rmSync(file, { force: true });
      },
    };
  }
  throw new Error(
    opts.slot !== undefined
      ? `lab slot ${opts.slot} is in use by a running process (lock ${lockPath(opts.slot)})`
      : `all ${MAX_SLOTS} lab slots are in use`,
  );
}
