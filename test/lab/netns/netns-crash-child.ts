// Test fixture for netns-cleanup.test.ts: brings a lab up with a running container and a daemon in it, prints
// `{"slot":N,"prefix":"pxlN"}` and waits to be killed with SIGKILL (a crashed lab run).
import { createNetnsBackend } from './netns-backend';
import { ctSpec, onHighSlot, shIn } from './netns-test-kit';

async function main(): Promise<void> {
  // a high slot: no lab starting meanwhile elsewhere takes it over before the test reuses it on purpose
  const lab = await onHighSlot((slot) => createNetnsBackend({ userlandBinDir: process.argv[2], slot }));
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
