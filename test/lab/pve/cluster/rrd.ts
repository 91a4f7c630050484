// Believable, deterministic RRD series: every value is a smooth function of the (aligned) timestamp and a seed,
// so two calls in the same step return identical rows and the graph "moves" as time passes.
import { hashUnit } from './cluster-state';

/** PVE's RRD resolutions (pve-cluster rrd_dump): step seconds per timeframe, 70 rows each. */
export const RRD_STEPS: Record<string, number> = {
  hour: 60,
  day: 1800,
  week: 10800,
  month: 43200,
  year: 604800,
  decade: 6048000,
};

const ROWS = 70;

/** Smooth wave in [0,1] for time `t` (s), phase from `seed`. */
export function wave(seed: string, t: number, period = 3600): number {
  const p = hashUnit(seed) * Math.PI * 2;
  const a = Math.sin((2 * Math.PI * t) / period + p);
  const b = Math.sin((2 * Math.PI * t) / (period * 0.37) + 2 * p);
  return Math.min(1, Math.max(0, 0.5 + 0.35 * a + 0.15 * b));
}

export interface NodeRrdInput {
  node: string;
  maxcpu: number;
  memtotal: number;
  swaptotal: number;
  roottotal: number;
  rootused: number;
}

/** Rows for GET /nodes/{node}/rrddata; MAX is slightly above AVERAGE as a real max-consolidation would be. */
export function nodeRrdRows(input: NodeRrdInput, timeframe: string, cf: string | undefined, nowMs: number): Record<string, number>[] {
  const { times, boost } = rrdAxis(timeframe, cf, nowMs);
  const rows: Record<string, number>[] = [];
  for (const t of times) {
    const s = (k: string) => Math.min(1, wave(`${input.node}/${k}`, t) * boost);
    const cpu = 0.02 + 0.25 * s('cpu');
    rows.push({
      time: t,
      cpu: round(cpu, 6),
      maxcpu: input.maxcpu,
      iowait: round(0.002 + 0.01 * s('io'), 6),
      loadavg: round(cpu * input.maxcpu, 2),
      memtotal: input.memtotal,
      memused: Math.round(input.memtotal * (0.25 + 0.2 * s('mem'))),
      swaptotal: input.swaptotal,
      swapused: Math.round(input.swaptotal * 0.01 * s('swap')),
      roottotal: input.roottotal,
      rootused: input.rootused,
      netin: round(2000 + 40000 * s('netin'), 2),
      netout: round(1500 + 30000 * s('netout'), 2),
    });
  }
  return rows;
}

/** The ROWS sample times (oldest first) of a timeframe, and MAX-consolidation's lift over AVERAGE. */
function rrdAxis(timeframe: string, cf: string | undefined, nowMs: number): { step: number; times: number[]; boost: number } {
  const step = RRD_STEPS[timeframe] ?? 60;
  const end = Math.floor(nowMs / 1000 / step) * step;
  const times = Array.from({ length: ROWS }, (_, i) => end - (ROWS - 1 - i) * step);
  return { step, times, boost: cf === 'MAX' ? 1.15 : 1 };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export interface GuestRrdInput {
  seed: string;
  maxcpu: number;
  maxmem: number;
  maxdisk: number;
  disk: number;
  /** seconds since epoch the guest has been running from; undefined = stopped (rows carry only `time`) */
  runningSince?: number;
}

/** Rows for GET /nodes/{node}/lxc/{vmid}/rrddata: only `time` where the guest was not running, as rrdtool leaves gaps. */
export function guestRrdRows(input: GuestRrdInput, timeframe: string, cf: string | undefined, nowMs: number): Record<string, number>[] {
  const { step, times, boost } = rrdAxis(timeframe, cf, nowMs);
  const rows: Record<string, number>[] = [];
  for (const t of times) {
    if (input.runningSince === undefined || t + step <= input.runningSince) {
      rows.push({ time: t });
      continue;
    }
    const s = (k: string) => Math.min(1, wave(`${input.seed}/${k}`, t, 900) * boost);
    rows.push({
      time: t,
      cpu: round(0.001 + 0.05 * s('cpu'), 6),
      maxcpu: input.maxcpu,
      mem: Math.round(input.maxmem * (0.05 + 0.15 * s('mem'))),
      maxmem: input.maxmem,
      disk: input.disk,
      maxdisk: input.maxdisk,
      netin: round(100 + 3000 * s('netin'), 2),
      netout: round(80 + 2000 * s('netout'), 2),
      diskread: round(50 * s('dr'), 2),
      diskwrite: round(400 * s('dw'), 2),
    });
  }
  return rows;
}
