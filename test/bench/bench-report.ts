/**
 * The one line format every bench prints, so results can be grepped and compared across runs:
 *   bench: <name> <value> <unit> (target <target>)            target met, or no numeric target (a baseline)
 *   bench: <name> <value> <unit> (target <target>) MISSED     the value misses its target
 * Targets a machine can check are written `< 300 ms`, `<= 0.2 ms`, `> 1000 ops/s` (a comparison, a number and
 * optionally a unit); anything else (e.g. `baseline, slower than ports.allocate`) is shown but not judged.
 * Every reported line is also recorded, so the runner (test/bench/run.ts) can list the misses at the end.
 */

/** One reported measurement. `met` is null when the target is not a checkable comparison. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target: string;
  met: boolean | null;
}

/** A parsed target: `value <op> limit`, the limit in `unit` (null: same unit as the measurement). */
export interface BenchTarget {
  op: '<' | '<=' | '>' | '>=';
  limit: number;
  unit: string | null;
}

const TIME_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000 };

/** Parses `< 300 ms`, `<=0.2`, `> 1e3 ops/s`; null for a target that is not a comparison. */
export function parseTarget(target: string): BenchTarget | null {
  const m = /^\s*(<=|>=|<|>)\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(\S+)?\s*$/i.exec(target);
  if (!m) return null;
  return { op: m[1] as BenchTarget['op'], limit: Number(m[2]), unit: m[3] ?? null };
}

/**
 * Whether `value` (in `unit`) meets `target`; null when the target is not checkable. Time units convert
 * (a `ms/pair` value against a `< 200 us` target compares in ms); other units compare as written.
 */
export function meetsTarget(value: number, unit: string, target: string): boolean | null {
  const t = parseTarget(target);
  if (!t) return null;
  let limit = t.limit;
  const from = t.unit ? TIME_UNITS[t.unit.split('/')[0]] : undefined;
  const to = TIME_UNITS[unit.split('/')[0]];
  if (from !== undefined && to !== undefined) limit = (t.limit * from) / to;
  switch (t.op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
  }
}

// Kept on globalThis: the runner and the benches may load this module through different module systems (tsx can
// hand out an ESM and a CommonJS instance), and both must see one list.
const RESULTS = Symbol.for('proximity.bench.results');
function recorded(): BenchResult[] {
  const g = globalThis as { [RESULTS]?: BenchResult[] };
  return (g[RESULTS] ??= []);
}

/** What has been reported in this process so far, in order. */
export function benchResults(): readonly BenchResult[] {
  return recorded();
}

/** Formats a value with 3 significant figures below 1, 2 decimals below 100, none above. */
export function formatBenchValue(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

/** Prints one `bench:` line (marked MISSED when the value misses its target) and records it. */
export function reportBench(name: string, value: number, unit: string, target: string): void {
  const met = meetsTarget(value, unit, target);
  recorded().push({ name, value, unit, target, met });
  console.log(`bench: ${name} ${formatBenchValue(value)} ${unit} (target ${target})${met === false ? ' MISSED' : ''}`);
}

/** The runner's last line: how many checkable targets were met, and each miss with its figure. */
export function summaryLine(results: readonly BenchResult[]): string {
  const judged = results.filter((r) => r.met !== null);
  const missed = judged.filter((r) => r.met === false);
  if (missed.length === 0) return `bench: all ${judged.length} target${judged.length === 1 ? '' : 's'} met`;
  const list = missed.map((r) => `${r.name} ${formatBenchValue(r.value)} ${r.unit} (target ${r.target})`).join('; ');
  return `bench: MISSED ${missed.length} of ${judged.length} targets: ${list}`;
}

/** Milliseconds spent in `fn`, measured with the monotonic clock. */
export function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
