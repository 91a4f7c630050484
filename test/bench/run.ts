/**
 * Bench runner: `npm run bench` runs every `test/bench/*.bench.ts`; `npm run bench -- ports` runs only those whose
 * file name contains "ports" or that list "ports" in their `benchTags` (several filters: any of them matches).
 *
 * A bench module's shape:
 *   export const benchTags = ['ports'];                          // optional: extra names to select it by
 *   export default async function (): Promise<void> { ... }      // required
 * It prints one line per measurement, exactly `bench: <name> <value> <unit> (target <target>)`; use
 * `reportBench()` from ./bench-report.ts, which appends ` MISSED` when the value misses a checkable target
 * (`< 300 ms`). Where a baseline is meaningful, measure it in the same run and print it as its own line.
 *
 * The last line lists every missed target (`bench: MISSED 2 of 7 targets: ...`) or says all were met.
 * Exit status: 0 when every bench ran (a missed target is a finding, not a crash); 1 when a bench threw or no
 * bench matched; with `--strict`, 2 when every bench ran but a target was missed (for gating a CI job).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchResults, summaryLine } from './bench-report';

interface BenchModule {
  run: () => unknown;
  tags: string[];
}

async function load(file: string): Promise<BenchModule> {
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  // tsx may hand a CommonJS-compiled module over wrapped once more in `default`.
  const inner = (typeof mod.default === 'object' && mod.default !== null ? mod.default : {}) as Record<string, unknown>;
  const run = typeof mod.default === 'function' ? mod.default : inner.default;
  if (typeof run !== 'function') throw new Error(`${path.basename(file)} has no default-exported function`);
  const tags = mod.benchTags ?? inner.benchTags;
  return { run: run as () => unknown, tags: Array.isArray(tags) ? tags.map(String) : [] };
}

async function main(): Promise<number> {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const args = process.argv.slice(2);
  const strict = args.includes('--strict');
  const filters = args.filter((a) => !a.startsWith('-'));
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const matches = (file: string, tags: string[]) =>
    filters.length === 0 || filters.some((flt) => file.includes(flt) || tags.some((t) => t.includes(flt)));
  let failed = 0;
  let ran = 0;
  for (const file of files) {
    try {
      const bench = await load(path.join(dir, file));
      if (!matches(file, bench.tags)) continue;
      ran++;
      console.log(`# ${file}`);
      await bench.run();
    } catch (e) {
      failed++;
      console.error(`bench failed: ${file}: ${(e as Error).stack ?? e}`);
    }
  }
  if (ran === 0 && failed === 0) {
    console.error(`No bench in ${dir} matches ${filters.join(', ')}.`);
    return 1;
  }
  const results = benchResults();
  if (failed > 0) console.log(`bench: ${failed} bench file(s) failed (see "bench failed:" above)`);
  console.log(summaryLine(results)); // always the last line
  if (failed > 0) return 1;
  return strict && results.some((r) => r.met === false) ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
