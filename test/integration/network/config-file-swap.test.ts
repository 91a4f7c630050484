// swapConfigFile with the real sh/cmp/cp/mv of this machine on a temp dir: every outcome leaves exactly the files
// it promises (a validator and a reloader stand in for the daemon: plain commands with a known exit code).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalCommandExecutor } from '../../../src-main/core/network/command-executor';
import { swapConfigFile, type ConfigSwap } from '../../../src-main/core/network/config-file-swap';

let dir: string;
let live: string;
const exec = new LocalCommandExecutor();
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-swap-'));
  live = path.join(dir, 'etc', 'daemon.conf');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const files = () => fs.readdirSync(path.dirname(live)).sort();
const spec = (content: string, over: Partial<ConfigSwap> = {}): ConfigSwap => ({
  what: 'daemon config', path: live, content,
  // "valid" = contains the word ok; the reload reads the live file and fails if it says "refuse"
  validateArgv: (c) => ['grep', '-q', 'ok', c],
  reloadArgv: () => ['sh', '-c', '! grep -q refuse "$1"', 'sh', live],
  invalidCode: 'NETWORK_CONFIG_INVALID', applyCode: 'PROXY_APPLY_FAILED', ...over,
});

describe('swapConfigFile', () => {
  it('creates the file (and its directory) when there is none, then changes nothing on a re-run', async () => {
    expect(await swapConfigFile(exec, spec('ok 1\n'))).toEqual({ changed: true, previousPath: null });
    expect(fs.readFileSync(live, 'utf8')).toBe('ok 1\n');
    expect(await swapConfigFile(exec, spec('ok 1\n'))).toEqual({ changed: false, previousPath: null });
    expect(files()).toEqual(['daemon.conf']);
  });

  it('keeps the previous file beside the new one', async () => {
    await swapConfigFile(exec, spec('ok 1\n'));
    expect(await swapConfigFile(exec, spec('ok 2\n'))).toEqual({ changed: true, previousPath: `${live}.previous` });
    expect(fs.readFileSync(live, 'utf8')).toBe('ok 2\n');
    expect(fs.readFileSync(`${live}.previous`, 'utf8')).toBe('ok 1\n');
  });

  it('leaves the live file untouched when the validator refuses the candidate', async () => {
    await swapConfigFile(exec, spec('ok 1\n'));
    await expect(swapConfigFile(exec, spec('bad\n'))).rejects.toMatchObject({ code: 'NETWORK_CONFIG_INVALID' });
    expect(fs.readFileSync(live, 'utf8')).toBe('ok 1\n');
    expect(files()).toEqual(['daemon.conf']);
  });

  it('moves the previous file back when the reload fails', async () => {
    await swapConfigFile(exec, spec('ok 1\n'));
    await expect(swapConfigFile(exec, spec('ok but refuse\n'))).rejects.toMatchObject({
      code: 'PROXY_APPLY_FAILED', message: expect.stringContaining('the previous file is back in place'),
    });
    expect(fs.readFileSync(live, 'utf8')).toBe('ok 1\n');
    expect(files()).toEqual(['daemon.conf']);
  });

  it('removes the new file when the reload fails and nothing was there before (a stale .previous stays unused)', async () => {
    fs.mkdirSync(path.dirname(live), { recursive: true });
    fs.writeFileSync(`${live}.previous`, 'ok stale\n');
    await expect(swapConfigFile(exec, spec('ok but refuse\n'))).rejects.toMatchObject({ code: 'PROXY_APPLY_FAILED' });
    expect(fs.existsSync(live)).toBe(false);
    expect(fs.readFileSync(`${live}.previous`, 'utf8')).toBe('ok stale\n');
  });

  it('removes scratch files the validator leaves, whatever the outcome', async () => {
    const scratch = (c: string) => [`${c}.adapted`];
    const validateArgv = (c: string) => ['sh', '-c', 'cp "$1" "$1.adapted" && grep -q ok "$1"', 'sh', c];
    await swapConfigFile(exec, spec('ok 1\n', { validateArgv, scratchFiles: scratch }));
    await expect(swapConfigFile(exec, spec('bad\n', { validateArgv, scratchFiles: scratch }))).rejects.toThrow();
    await swapConfigFile(exec, spec('ok 1\n', { validateArgv, scratchFiles: scratch }));
    expect(files()).toEqual(['daemon.conf']);
  });

  it('refuses a path that is not plain', async () => {
    await expect(swapConfigFile(exec, spec('ok\n', { path: `${dir}/a b` }))).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(swapConfigFile(exec, spec('ok\n', { path: 'relative/file' }))).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
