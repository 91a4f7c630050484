// Test fixture for netns-cleanup.test.ts: brings a lab up with a running container and a daemon in it, prints
// `{"slot":N,"prefix":"pxlN"}` and waits to be killed with SIGKILL (a crashed lab run).
import { createNetnsBackend } from './netns-backend';
import { ctSpec, shIn } from './netns-test-kit';
import { MAX_SLOTS } from './slots';

/**
 * Take a slot from the top: labs starting meanwhile in other test files take the lowest free (or stale) slot,
 * and one of them must not take over this crashed lab's slot before the test reuses it on purpose.
 */
function highSlot() {
  for (let slot = MAX_SLOTS - 1; slot >= MAX_SLOTS / 2; slot--) {
    try {
      return createNetnsBackend({ userlandBinDir: process.argv[2], slot });
    } catch (e) {
      if (!/in use/.test(String((e as Error).message))) throw e;
    }
  }
  throw new Error('no free high lab slot');
}

async function main(): Promise<void> {
  const lab = highSlot();
  await lab.init(['pve']);
  const base = lab.subnet.gateway.replace(/\.1$/, '');
  const spec = ctSpec(100, [{ index: 0, bridge: 'vmbr0', ip: `${base}.30/24`, gw: lab.subnet.gateway }]);
  await lab.createContainer(spec);
  await lab.startContainer(spec);
  await shIn(lab, 100, 'sleep 300 >/dev/null 2>&1 &');
  await lab.exposeOnManagement(8006, { host: '127.0.0.1', port: 9 });
  process.stdout.write(JSON.stringify({ slot: lab.slot, prefix: lab.prefix }) + '\n');
  setInterval(() => undefined, 60_000);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
