// Slots and cleanup: concurrent labs get separate prefixes/subnets, close() leaves nothing behind, and a
// crashed run's leftovers (stale lock, namespaces, processes, host link, run dir) are removed before reuse.
import { spawn, spawnSync } from 'node:child_process';
import readline from 'node:readline';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_DIR_MARKER, isZombie } from './cleanup';
import { createNetnsBackend, type NetnsBackend } from './netns-backend';
import { canRunNetns, ctSpec, execIn, highSlots, makeUserland, onHighSlot, shIn } from './netns-test-kit';
import { pidAlive, run, waitFor } from './run';
import { defaultRunDir, LOCK_DIR } from './slots';

async function leftovers(prefix: string): Promise<string[]> {
  const found: string[] = [];
  const word = new RegExp(`(^|[^A-Za-z0-9])${prefix}([^0-9]|$)`);
  for (const line of (await run(['ip', 'netns', 'list'])).stdout.split('\n')) if (word.test(line)) found.push(`netns ${line}`);
  for (const line of (await run(['ip', '-br', 'link'])).stdout.split('\n')) if (word.test(line)) found.push(`link ${line}`);
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
      if (word.test(cmd)) found.push(`process ${p} ${cmd}`);
    } catch {
      /* gone */
    }
  }
  if (fs.existsSync(defaultRunDir(prefix))) found.push(`dir ${defaultRunDir(prefix)}`);
  return found;
}

describe.skipIf(!canRunNetns)('netns backend: slots and cleanup', () => {
  let userland: ReturnType<typeof makeUserland>;
  beforeAll(() => {
    userland = makeUserland();
  });
  afterAll(() => userland?.cleanup());

  it('runs two labs side by side and close() removes every trace of each', async () => {
    // Without a slot, each lab takes a free one of its own.
    const plain = [createNetnsBackend({ userlandBinDir: userland.dir })];
    try {
      plain.push(createNetnsBackend({ userlandBinDir: userland.dir }));
      expect(plain[0]!.slot).not.toBe(plain[1]!.slot);
    } finally {
      await Promise.all(plain.map((l) => l.close()));
    }
    const labs: NetnsBackend[] = [];
    try {
      // high slots: a slot released by close() must not be reused by another test file's lab before the checks
      for (let i = 0; i < 2; i++) labs.push(await onHighSlot((slot) => createNetnsBackend({ userlandBinDir: userland.dir, slot })));
      const [a, b] = labs;
      expect(a.slot).not.toBe(b.slot);
      expect(a.subnet.cidr).not.toBe(b.subnet.cidr);
      expect(() => createNetnsBackend({ userlandBinDir: userland.dir, slot: a.slot })).toThrow(/in use/);
      await Promise.all(labs.map((l) => l.init(['pve'])));
      for (const l of labs) {
        const res = await fetch(l.subnet.internetUrl, { signal: AbortSignal.timeout(5_000) });
        expect(await res.text()).toBe(`lab-internet ok ${l.subnet.host}\n`);
        const base = l.subnet.gateway.replace(/\.1$/, '');
        const spec = ctSpec(100, [{ index: 0, bridge: 'vmbr0', ip: `${base}.40/24`, gw: l.subnet.gateway }]);
        await l.createContainer(spec);
        await l.startContainer(spec);
        await shIn(l, 100, 'sleep 300 >/dev/null 2>&1 &');
      }
      expect(await shIn(a, 100, 'curl -sS -m 5 http://internet.lab/')).toBe(`lab-internet ok ${a.subnet.gateway.replace(/\.1$/, '.40')}\n`);

      await a.close();
      expect(await leftovers(a.prefix)).toEqual([]);
      expect(lockOwner(a.slot)).not.toBe(process.pid); // released (another lab may hold the slot already)
      // The other lab is untouched.
      expect(b.isRunning('pve', 100)).toBe(true);
      expect(await shIn(b, 100, 'curl -sS -m 5 http://internet.lab/')).toBe(`lab-internet ok ${b.subnet.gateway.replace(/\.1$/, '.40')}\n`);
      await b.close();
      expect(await leftovers(b.prefix)).toEqual([]);
    } finally {
      await Promise.all(labs.map((l) => l.close()));
    }
  });

  it("removes a crashed run's leftovers before reusing its slot", async () => {
    // Plant a stale lock, as a run killed with SIGKILL leaves it, on a free high slot: labs starting meanwhile in
    // other test files take the lowest free (or stale) slot and must not take this one over first.
    let slot = -1;
    fs.mkdirSync(LOCK_DIR, { recursive: true });
    for (const s of highSlots()) {
      if (slot >= 0) break;
      const dead = spawnSync('true').pid!;
      const lock = { pid: dead, start: '1', prefix: `pxl${s}`, runDir: defaultRunDir(`pxl${s}`) };
      try {
        fs.writeFileSync(path.join(LOCK_DIR, `slot-${s}.lock`), JSON.stringify(lock), { flag: 'wx' });
        slot = s;
      } catch {
        /* in use (or stale from elsewhere): try another */
      }
    }
    expect(slot).toBeGreaterThanOrEqual(0);
    const prefix = `pxl${slot}`;
    const runDir = defaultRunDir(prefix);
    await run(['ip', 'netns', 'add', `${prefix}-ct999`]);
    const orphan = spawn('ip', ['netns', 'exec', `${prefix}-ct999`, 'sleep', '600'], { detached: true, stdio: 'ignore' });
    orphan.unref();
    await run(['ip', 'link', 'add', `${prefix}h`, 'type', 'veth', 'peer', 'name', 'stale0', 'netns', `${prefix}-ct999`]);
    fs.mkdirSync(runDir, { recursive: true });
    fs.writeFileSync(path.join(runDir, RUN_DIR_MARKER), 'crashed\n');
    fs.writeFileSync(path.join(runDir, 'junk'), 'x');
    await waitFor('orphan in its namespace', () => pidAlive(orphan.pid!));

    const lab = createNetnsBackend({ userlandBinDir: userland.dir, slot });
    try {
      expect(lab.prefix).toBe(prefix);
      await lab.init(['pve']);
      expect(fs.existsSync(path.join(runDir, 'junk'))).toBe(false);
      expect((await run(['ip', 'netns', 'list'])).stdout).not.toContain(`${prefix}-ct999`);
      await waitFor('orphan killed', () => !pidAlive(orphan.pid!) || isZombie(orphan.pid!));
      const res = await fetch(lab.subnet.internetUrl, { signal: AbortSignal.timeout(5_000) });
      expect(await res.text()).toBe(`lab-internet ok ${lab.subnet.host}\n`);
    } finally {
      await lab.close();
    }
    expect(await leftovers(prefix)).toEqual([]);
  });

  it('a lab process killed with SIGKILL takes its processes along; the next run removes the rest', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'netns-crash-child.ts'), userland.dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const first = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`crash fixture exited early (${code})`)));
    });
    const { slot, prefix } = JSON.parse(first) as { slot: number; prefix: string };
    expect((await livingProcesses(prefix)).length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    // Containers (bwrap --die-with-parent), the upstream dnsmasq (pdeathsig) and the ns-agents (stdin closed) die.
    await waitFor('no living process of the crashed lab', async () => (await livingProcesses(prefix)).length === 0, {
      timeoutMs: 10_000,
    });
    expect((await run(['ip', 'netns', 'list'])).stdout).toContain(`${prefix}-n0`);
    const lab = createNetnsBackend({ userlandBinDir: userland.dir, slot });
    try {
      await lab.init(['pve', 'pve2']);
      expect(lab.managementAddress('pve2')).toBe(lab.subnet.gateway.replace(/\.1$/, '.3'));
      const spec = ctSpec(100, [{ index: 0, bridge: 'vmbr0', ip: 'dhcp' }], {}, 'pve2');
      await lab.createContainer(spec);
      await lab.startContainer(spec);
      // A container on the second node is on the same LAN: DHCP, DNS and the internet endpoint answer.
      const out = await waitFor('lease on the second node', async () => {
        const r = await execIn(lab, 100, ['curl', '-sS', '-m', '2', 'http://internet.lab/'], { node: 'pve2' });
        return r.code === 0 ? r.stdout : null;
      }, { timeoutMs: 10_000 });
      expect(out).toMatch(/^lab-internet ok 198\.18\.\d+\.1\d\d\n$/);
    } finally {
      await lab.close();
    }
    expect(await leftovers(prefix)).toEqual([]);
  }, 40_000);
});

function lockOwner(slot: number): number | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(LOCK_DIR, `slot-${slot}.lock`), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

async function livingProcesses(prefix: string): Promise<string[]> {
  return (await leftovers(prefix)).filter((l) => l.startsWith('process ') && !isZombie(Number(l.split(' ')[1])));
}

