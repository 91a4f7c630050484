// Shared bits of the netns backend tests: container specs, running commands inside containers, skip guard.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabContainerSpec, LabNetSpec } from '../backend';
import type { ExecOptions, NetnsBackend } from './netns-backend';
import { run, type RunResult } from './run';
import { MAX_SLOTS } from './slots';

/** The netns backend needs Linux, root, and the tools; elsewhere its tests are skipped (the virtual one runs). */
export const canRunNetns =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  ['/usr/bin/bwrap', '/usr/sbin/dnsmasq', '/usr/bin/busybox', '/usr/bin/nsenter', '/usr/bin/setpriv', '/usr/bin/curl'].every((f) => fs.existsSync(f));

export function mac(vmid: number, index: number): string {
  const hex = (n: number) => n.toString(16).padStart(2, '0').toUpperCase();
  return `BC:24:11:${hex((vmid >> 8) & 0xff)}:${hex(vmid & 0xff)}:${hex(index)}`;
}

export function ctSpec(
  vmid: number,
  nets: (Omit<LabNetSpec, 'hwaddr' | 'name'> & { name?: string })[],
  extra: Partial<LabContainerSpec> = {},
  node = 'pve',
): LabContainerSpec {
  return {
    node,
    vmid,
    hostname: `ct${vmid}`,
    nets: nets.map((n) => ({ name: `eth${n.index}`, hwaddr: mac(vmid, n.index), ...n }) as LabNetSpec),
    config: {},
    ...extra,
  };
}

export function execIn(
  lab: NetnsBackend,
  vmid: number,
  argv: string[],
  opts: ExecOptions & { timeoutMs?: number; node?: string } = {},
): Promise<RunResult> {
  const full = lab.containerExecArgv(opts.node ?? 'pve', vmid, argv, { env: opts.env, cwd: opts.cwd });
  return run(full, { allowFail: true, timeoutMs: opts.timeoutMs ?? 10_000 });
}

/** `sh -c script` inside the container; throws with the output when it fails. */
export async function shIn(lab: NetnsBackend, vmid: number, script: string, timeoutMs = 10_000): Promise<string> {
  const r = await execIn(lab, vmid, ['/bin/sh', '-c', script], { timeoutMs });
  if (r.code !== 0) throw new Error(`CT ${vmid}: '${script}' exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** An empty userland dir (tests must not depend on the real lab userland), optionally with a lab-boot script. */
export function makeUserland(labBoot?: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pxl-userland-'));
  if (labBoot !== undefined) fs.writeFileSync(path.join(dir, 'lab-boot'), labBoot, { mode: 0o755 });
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export type SlotRange = readonly [first: number, last: number];
/** netns-cleanup.test.ts and its crash fixture */
export const CLEANUP_SLOTS: SlotRange = [MAX_SLOTS / 2 + MAX_SLOTS / 4, MAX_SLOTS - 1];
/** other tests that check traces after close (disjoint: files of one run never pick each other's slots) */
export const TRACE_SLOTS: SlotRange = [MAX_SLOTS / 2, MAX_SLOTS / 2 + MAX_SLOTS / 4 - 1];

/**
 * Lab slots for tests that inspect a slot's traces (namespaces, links, processes named after its prefix) after
 * closing their lab: high slots (32..63, see the ranges above) in random order. Labs created without a slot take the LOWEST free one, so a
 * slot released here would otherwise be taken at once by a lab starting in another test file, and its traces
 * mistaken for leftovers. Disjoint ranges per user keep the files of one run apart; random order makes two
 * runs at once on one machine unlikely to collide.
 */
export function highSlots([first, last]: SlotRange = CLEANUP_SLOTS): number[] {
  const slots = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [slots[i], slots[j]] = [slots[j]!, slots[i]!];
  }
  return slots;
}

/** `make(slot)` with the first free high slot (see highSlots); `make` throws "... in use ..." for a taken one. */
export async function onHighSlot<T>(make: (slot: number) => T | Promise<T>, range: SlotRange = CLEANUP_SLOTS): Promise<T> {
  for (const slot of highSlots(range)) {
    try {
      return await make(slot);
    } catch (e) {
      if (!/in use/.test(String((e as Error)?.message))) throw e;
    }
  }
  throw new Error(`no free lab slot in ${range[0]}..${range[1]}`);
}
