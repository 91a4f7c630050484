/**
 * Child process for the two-process port race: opens the shared data directory, waits for "go" on stdin (so
 * both workers start together), allocates a pair for each of its apps, and prints one JSON line with the result.
 * Usage: node --import tsx race-worker.ts <dataDir> <appNamePrefix>
 */
import readline from 'node:readline';
import { openCore } from '../../../src-main/core/core-context';

const [dataDir, prefix] = process.argv.slice(2);
const core = openCore({ dataDir, appVersion: 'race' });
const appIds = core.apps
  .list()
  .filter((a) => a.name.startsWith(prefix))
  .map((a) => a.id);

process.stdout.write('ready\n');
const input = readline.createInterface({ input: process.stdin });
input.once('line', async () => {
  input.close();
  const started = performance.now();
  const pairs = [];
  for (const id of appIds) {
    pairs.push(core.ports.allocate(id, `worker:${prefix}`));
    // A real process does other work between allocations. Without this pause one worker re-takes the write
    // lock back to back while the other sleeps in SQLite's busy handler, and the two barely interleave.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const ms = performance.now() - started;
  core.close();
  process.stdout.write(`${JSON.stringify({ prefix, ms, pairs })}\n`);
});
