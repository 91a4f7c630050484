// The node's SSH + pct/pveam against the REAL emulator with the virtual backend (no root needed): the CLI and
// the API act on the same state.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../lab';
import { startNodeSsh, type NodeSsh } from './ssh-server';
import { connectPinned, sshExec } from './ssh-client';

const ALPINE = 'alpine-3.22-default_20250617_amd64.tar.xz';
let lab: Lab;
let ssh: NodeSsh;
let conn: Client;
let runDir: string;
// Each command is one SSH session (sshd forks, a shell starts the Node `pct` client, which asks the emulator):
// 0.3-0.6 s on an idle machine and several times that on a loaded 2-core CI runner. The tests therefore wait
// for each command's exit with a generous per-command deadline, and a test that chains many commands gets a
// budget sized for that chain, not the 20 s default meant for a single step (which the 16-command lifecycle
// test used to exceed under the full suite).
const COMMAND_DEADLINE_MS = 60_000;
const CHAIN_BUDGET_MS = (commands: number) => commands * COMMAND_DEADLINE_MS;
const run = (line: string) => sshExec(conn, line, { timeoutMs: COMMAND_DEADLINE_MS });

beforeAll(async () => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-node-emu-'));
  lab = await startLab({ backend: 'virtual', taskSeconds: 0 });
  // no runDir: startNodeSsh makes (and on close removes) its own temp dir
  ssh = await startNodeSsh({ emulator: lab.emulator, backend: lab.backend });
  conn = await connectPinned(ssh);
});

afterAll(async () => {
  conn?.end();
  await ssh?.close();
  await lab?.close();
  fs.rmSync(runDir, { recursive: true, force: true });
});

describe('pct/pveam on the emulator (virtual backend)', () => {
  it('pveversion reports the emulated pve-manager', async () => {
    const r = await run('pveversion');
    expect(r.stdout).toMatch(/^pve-manager\/8\.4\.\d+\/[0-9a-f]+ \(running kernel: [\w.-]+-pve\)\n$/);
  }, CHAIN_BUDGET_MS(1));

  it('pveam lists and downloads templates of the emulated storage', async () => {
    const av = await run('pveam available --section system');
    expect(av.code).toBe(0);
    expect(av.stdout).toContain(`system          ${ALPINE}\n`);
    const dl = await run(`pveam download local ${ALPINE}`);
    expect(dl.code, dl.stderr).toBe(0);
    expect(dl.stdout).toMatch(/TASK OK\n$/);
    expect((await run('pveam list local')).stdout).toMatch(new RegExp(`^local:vztmpl/${ALPINE.replace(/\./g, '\\.')} +\\d+\\.\\d\\dMB$`, 'm'));
    const content = await lab.emulator.callApi('GET', '/nodes/pve/storage/local/content', { content: 'vztmpl' });
    expect(content.map((c: { volid: string }) => c.volid)).toEqual([`local:vztmpl/${ALPINE}`]);
  }, CHAIN_BUDGET_MS(4));

  it('pct create/list/start/status/config/set/exec/stop/destroy (and pveam remove) act on the API state', async () => {
    const create = await run(`pct create 150 local:vztmpl/${ALPINE} --hostname vt --rootfs local-lvm:1 --net0 name=eth0,bridge=vmbr0,ip=dhcp`);
    expect(create.code, create.stderr).toBe(0);
    expect((await run('pct list')).stdout).toMatch(/^VMID +Status +Lock +Name *\n150 +stopped +vt *\n$/);
    expect((await run('pct start 150')).code).toBe(0);
    expect((await lab.emulator.callApi('GET', '/nodes/pve/lxc/150/status/current')).status).toBe('running');
    expect((await run('pct status 150')).stdout).toBe('status: running\n');
    const again = await run('pct start 150');
    expect([again.code, again.stderr]).toEqual([255, 'CT 150 already running\n']);
    expect((await run('pct set 150 --memory 256 --description "hello: world"')).code).toBe(0);
    const conf = (await run('pct config 150')).stdout;
    expect(conf).toContain('memory: 256\n');
    expect(conf).toContain('description: hello%3A world\n');
    expect(conf).toContain('hostname: vt\n');
    expect(conf).not.toContain('digest');
    const bad = await run('pct set 150 --memory 1');
    expect(bad.code).toBe(255);
    expect(bad.stderr).toMatch(/^400 Parameter verification failed\.\nmemory: /);
    const ex = await run('pct exec 150 -- true');
    expect(ex.code).toBe(255);
    expect(ex.stderr).toMatch(/virtual' backend runs no processes/);
    expect((await run('pct stop 150')).code).toBe(0);
    expect((await run('pct status 150')).stdout).toBe('status: stopped\n');
    expect((await run('pct destroy 150')).code).toBe(0);
    const gone = await run('pct config 150');
    expect([gone.code, gone.stderr]).toEqual([255, "Configuration file 'nodes/pve/lxc/150.conf' does not exist\n"]);

    const rm = await run(`pveam remove local:vztmpl/${ALPINE}`);
    expect(rm.code, rm.stderr).toBe(0);
    expect((await run('pveam list local')).stdout).toBe(`${'NAME'.padEnd(60)} SIZE  \n`);
  }, CHAIN_BUDGET_MS(19));
});
