import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '../../..');
const CATALOG = path.join(ROOT, 'resources/catalog');
const SAMPLES = path.join(ROOT, 'test/fixtures/catalog-original');

/** Runs `npm run catalog -- <args>` the way npm does (node with tsx), as a child process. */
function catalog(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/catalog.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.trimEnd().split('\n') };
}

describe('npm run catalog', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'proximity-catalog-cli-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('validates the built-in catalog: one line per app, a summary, exit 0', () => {
    const r = catalog('validate', CATALOG);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const appLines = r.lines.filter((l) => l.startsWith('ok '));
    expect(appLines.length).toBeGreaterThanOrEqual(25);
    expect(r.lines.at(-1)).toBe(`catalog: ${appLines.length} apps, ${appLines.length} ok, 0 with warnings, 0 with errors`);
  });

  it('exits non-zero on a broken manifest and names the field', () => {
    const dir = tempDir();
    cpSync(path.join(CATALOG, 'gitea'), path.join(dir, 'gitea'), { recursive: true });
    cpSync(path.join(CATALOG, 'miniflux'), path.join(dir, 'miniflux'), { recursive: true });
    const file = path.join(dir, 'gitea', 'manifest.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('POSTGRES_USER: gitea', 'POSTGRES_USER: gitea\n        POSTGRES_PASSWORD: gitea').replace('port: 3000', 'port: 70000'));
    const r = catalog('validate', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^error gitea \(proximity: .*\): 2 errors$/m);
    expect(r.stdout).toMatch(/^ +error expose\.port: .*65535/m);
    expect(r.stdout).toMatch(/^ +error compose\.services\.db\.environment\.POSTGRES_PASSWORD: holds a fixed secret/m);
    expect(r.stdout).toMatch(/^ok +miniflux /m);
    expect(r.lines.at(-1)).toBe('catalog: 2 apps, 1 ok, 0 with warnings, 1 with errors');
  });

  it('validates a folder in the original format, listing the warnings', () => {
    const r = catalog('validate', SAMPLES);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^warn +gitea \(original: .*gitea\.json\): 7 warnings$/m);
    expect(r.stdout).toMatch(/^ +warn +docker_compose\.services\.gitea\.ports\.1: host port 22 collides/m);
    expect(r.stdout).toMatch(/^warn +nextcloud \(original: .*\): 5 warnings$/m);
    expect(r.lines.at(-1)).toBe('catalog: 2 apps, 0 ok, 2 with warnings, 0 with errors');
  });

  it('imports the original format into a folder that validates', () => {
    const out = tempDir();
    const r = catalog('import', SAMPLES, '--out', out);
    expect(r.status).toBe(0);
    expect(r.lines.at(-1)).toBe(`catalog: 2 apps, 0 ok, 2 with warnings, 0 with errors; written to ${out}`);
    for (const id of ['gitea', 'nextcloud']) {
      expect(existsSync(path.join(out, id, 'manifest.yaml'))).toBe(true);
      expect(readFileSync(path.join(out, id, 'icon.svg'), 'utf8')).toMatch(/^<svg /);
    }
    expect(readFileSync(path.join(out, 'gitea', 'manifest.yaml'), 'utf8')).not.toContain('gitea_password');
    const v = catalog('validate', out);
    expect(v.status).toBe(0);
    expect(v.lines.at(-1)).toBe('catalog: 2 apps, 0 ok, 2 with warnings, 0 with errors');
  });

  it('prints the converted manifests without --out, and refuses bad usage with exit 2', () => {
    const r = catalog('import', SAMPLES);
    expect(r.status).toBe(0);
    expect(r.stdout.split(/^---$/m).filter((d) => d.trim())).toHaveLength(2);
    expect(r.stderr).toMatch(/catalog: 2 apps/);
    expect(catalog('frobnicate', SAMPLES).status).toBe(2);
    expect(catalog('validate', path.join(SAMPLES, 'missing')).stderr).toMatch(/no such folder/);
  });
});
