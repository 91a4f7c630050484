import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument, visit } from 'yaml';
import { escapeComposeInterpolation, renderCompose } from '../../../src-main/core/catalog/compose-renderer';
import { manifestSchema, SECRET_ALPHABETS, type Manifest } from '../../../src-main/core/catalog/manifest-schema';
import { secretEntropyBits } from '../../../src-main/core/catalog/secret-generator';
import { validateManifest } from '../../../src-main/core/catalog/manifest-validation';
import { checkComposeSpec } from '../../../scripts/catalog';
import { HOSTILE_VALUES, REFUSED_VALUES } from './hostile-values';
import { sampleManifest } from './manifest-fixture';

const deployment = { publicUrl: 'http://10.20.0.1:30001', hostname: 'notes' };

function manifest(): Manifest {
  const v = validateManifest(sampleManifest());
  expect(v.issues).toEqual([]);
  return v.manifest!;
}

type Env = Record<string, string>;
function env(yaml: string, service: string): Env {
  return (parse(yaml) as { services: Record<string, { environment: Env }> }).services[service].environment;
}

describe('renderCompose', () => {
  it('fills parameters, deployment values and the exposed port, and generates secrets per deployment', () => {
    const m = manifest();
    const a = renderCompose(m, { 'admin-password': 'correct horse battery' }, {}, { deployment });
    const b = renderCompose(m, { 'admin-password': 'correct horse battery' }, {}, { deployment });
    const appEnv = env(a.yaml, 'app');
    const dbPassword = env(a.yaml, 'db').POSTGRES_PASSWORD;
    expect(dbPassword).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(appEnv).toMatchObject({
      DB_HOST: 'db',
      TITLE: 'My notes',
      WORKERS: '2',
      SIGNUPS: 'false',
      THEME: 'dark',
      DATABASE_URL: `postgres://notes:${dbPassword}@db/notes`,
      ADMIN_PASSWORD: 'correct horse battery',
      BASE_URL: 'http://10.20.0.1:30001',
    });
    expect(appEnv).not.toHaveProperty('MOTD');
    expect(a.secrets.map((s) => [s.parameterId, s.source])).toEqual([
      ['db-password', 'generated'],
      ['admin-password', 'operator'],
    ]);
    expect(b.secrets[0].value).not.toBe(a.secrets[0].value);
    const doc = parse(a.yaml) as Record<string, any>;
    expect(doc.name).toBe('notes');
    expect(doc.services.app.ports).toEqual([{ target: 8080, published: '8080', protocol: 'tcp' }]);
    expect(doc.services.db.ports).toBeUndefined();
    expect(doc.volumes).toEqual({ 'notes-data': {}, 'notes-db': {} });
    expect(doc['x-proximity']).toEqual({ catalogId: 'notes', version: '1.2.3', format: 1 });
    expect(checkComposeSpec(doc)).toEqual([]);
    // The manifest itself is left untouched.
    expect(m.compose.services.app.environment).toEqual({ DB_HOST: 'db', DB_USER: 'notes' });
  });

  it('re-uses stored secrets on a re-render instead of generating new ones', () => {
    const stored = { 'db-password': 'S'.repeat(32), 'admin-password': 'stored-admin-pass' };
    const r = renderCompose(manifest(), {}, stored, { deployment });
    expect(env(r.yaml, 'db').POSTGRES_PASSWORD).toBe('S'.repeat(32));
    expect(env(r.yaml, 'app').ADMIN_PASSWORD).toBe('stored-admin-pass');
    expect(r.secrets.map((s) => s.source)).toEqual(['stored', 'stored']);
  });

  it('generates secrets of the stated length from the stated alphabet, with the injected RNG', () => {
    const m = manifestSchema.parse({
      ...sampleManifest(),
      parameters: [
        { id: 'hex-key', label: 'Key', type: 'password', generate: { length: 64, alphabet: 'hex' }, fills: [{ service: 'app', env: 'KEY' }] },
      ],
    });
    const r = renderCompose(m, {}, {}, { deployment });
    expect(r.secrets[0].value).toMatch(/^[0-9a-f]{64}$/);
    let i = 0;
    const counting = renderCompose(m, {}, {}, { deployment, random: (max) => i++ % max });
    expect(counting.secrets[0].value).toBe(SECRET_ALPHABETS.hex.repeat(4));
    expect(secretEntropyBits({ length: 32, alphabet: 'alphanumeric' })).toBeCloseTo(190.5, 1);
  });

  it('refuses bad values with CATALOG_PARAMETER_INVALID naming every parameter', () => {
    const m = manifest();
    const bad = { title: 'x\u0000y', workers: 99, signups: 'yes', theme: 'blue', nope: 'x' } as Record<string, string | number>;
    let error: any;
    try {
      renderCompose(m, bad, {}, { deployment });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'CATALOG_PARAMETER_INVALID' });
    expect(error.details.problems.map((p: { parameter: string }) => p.parameter).sort()).toEqual(
      ['admin-password', 'nope', 'signups', 'theme', 'title', 'workers'].sort(),
    );
    expect(() => renderCompose(m, { 'admin-password': 'short' }, {}, { deployment })).toThrow(/at least 12 characters/);
  });

  it('refuses a missing or malformed deployment value', () => {
    const m = manifest();
    const params = { 'admin-password': 'long-enough-password' };
    expect(() => renderCompose(m, params, {}, {})).toThrow(expect.objectContaining({ code: 'CATALOG_PARAMETER_INVALID' }));
    for (const publicUrl of ['file:///etc/passwd', 'http://u:p@host/', 'http://host/\nX: y', 'not a url', 'http://host/path', "http://host/'", 'http://host:99999', 'http://host?q']) {
      expect(() => renderCompose(m, params, {}, { deployment: { publicUrl } })).toThrow(/public URL/);
    }
    const withHost = manifestSchema.parse({
      ...sampleManifest(),
      deploymentValues: [
        { value: 'public-url', fills: [{ service: 'app', env: 'BASE_URL' }] },
        { value: 'public-host', fills: [{ service: 'app', env: 'HOST', template: 'host={value};again={value}' }] },
        { value: 'hostname', fills: [{ service: 'app', env: 'NAME' }] },
      ],
    });
    const r = renderCompose(withHost, params, {}, { deployment: { publicUrl: 'https://[fd00::1]:30001/', hostname: 'notes-2' } });
    expect(env(r.yaml, 'app')).toMatchObject({ BASE_URL: 'https://[fd00::1]:30001', HOST: 'host=[fd00::1]:30001;again=[fd00::1]:30001', NAME: 'notes-2' });
    expect(() => renderCompose(withHost, params, {}, { deployment: { ...deployment, hostname: 'Not_A_Label' } })).toThrow(/hostname/);
  });

  describe('hostile values', () => {
    const m = manifest();
    // `title` is required, so the empty string goes only to the optional `motd` (and is then left out).
    const rendered = HOSTILE_VALUES.map((value) => ({
      value,
      r: renderCompose(
        m,
        { title: value === '' ? undefined : value, motd: value, 'admin-password': `pw-${value}`.padEnd(12, 'x') },
        {},
        { deployment },
      ),
    }));

    it('arrive unchanged as YAML scalars, with "$" escaped, and add no structure', () => {
      const lines = rendered[0].r.yaml.split('\n').length;
      for (const { value, r } of rendered) {
        // Every value stays on its own line (newlines are escapes, nothing is folded or made a block).
        if (value !== '') expect(r.yaml.split('\n').length).toBe(lines);
        const doc = parseDocument(r.yaml, { uniqueKeys: true });
        expect(doc.errors).toEqual([]);
        expect(doc.warnings).toEqual([]);
        const data = doc.toJS() as Record<string, any>;
        expect(Object.keys(data)).toEqual(['name', 'services', 'volumes', 'x-proximity']);
        expect(Object.keys(data.services)).toEqual(['app', 'db']);
        expect(Object.keys(data.services.app).sort()).toEqual(['depends_on', 'environment', 'image', 'ports', 'restart', 'volumes']);
        const appEnv = data.services.app.environment as Env;
        if (value === '') {
          expect(appEnv).not.toHaveProperty('MOTD');
          continue;
        }
        expect(appEnv.TITLE).toBe(escapeComposeInterpolation(value));
        expect(appEnv.MOTD).toBe(escapeComposeInterpolation(value));
        expect(appEnv.ADMIN_PASSWORD).toBe(escapeComposeInterpolation(`pw-${value}`.padEnd(12, 'x')));
        expect(appEnv.TITLE.split('$$').join('$')).toBe(value);
        expect(appEnv.DB_HOST).toBe('db');
        let aliases = 0;
        visit(doc, { Alias: () => void aliases++ });
        expect(aliases).toBe(0);
        expect(checkComposeSpec(data)).toEqual([]);
      }
    });

    it('are refused when they cannot pass through YAML and the environment unchanged', () => {
      for (const value of REFUSED_VALUES) {
        for (const params of [{ title: value }, { 'admin-password': `${value}-long-enough` }]) {
          expect(() => renderCompose(m, { 'admin-password': 'long-enough-password', ...params }, {}, { deployment })).toThrow(
            expect.objectContaining({ code: 'CATALOG_PARAMETER_INVALID', message: expect.stringMatching(/must not contain the character U\+/) }),
          );
        }
      }
    });

    // A real Compose implementation (docker-compose 1.29, Debian's `docker-compose` package) reads the rendered
    // file and interpolates it; `config` needs no Docker daemon. It prints the result as compose YAML again,
    // so literal dollars come back escaped ("$$").
    const composeBinary = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => existsSync(p));
    it.skipIf(!composeBinary)('are read back unchanged by docker-compose after interpolation', () => {
      // One manifest with a parameter per hostile value, rendered once: the file docker-compose reads is the
      // renderer's own text, changed only where docker-compose 1.x differs (it needs `version`, lacks `name`).
      const all = HOSTILE_VALUES.filter((v) => v !== '');
      // A manifest has at most 40 parameters, so the corpus goes through in chunks.
      for (let start = 0; start < all.length; start += 40) {
        const values = all.slice(start, start + 40);
        const many = manifestSchema.parse({
          ...sampleManifest(),
          compose: { services: { app: { image: 'example/notes:1.2.3' } } },
          parameters: values.map((_, i) => ({ id: `p${i}`, label: `P${i}`, type: 'string', maxLength: 4096, fills: [{ service: 'app', env: `V${i}` }] })),
          deploymentValues: [],
        });
        const r = renderCompose(many, Object.fromEntries(values.map((v, i) => [`p${i}`, v])));
        expect(r.yaml.startsWith('name: "notes"\n')).toBe(true);
        const dir = mkdtempSync(path.join(tmpdir(), 'proximity-compose-'));
        try {
          const file = path.join(dir, 'docker-compose.yml');
          writeFileSync(file, `version: "3.8"\n${r.yaml.slice('name: "notes"\n'.length)}`);
          const out = execFileSync(composeBinary!, ['-f', file, 'config'], {
            cwd: dir,
            env: { PATH: process.env.PATH ?? '', HOME: '/home/interpolated', VAR: 'interpolated' },
            encoding: 'utf8',
            timeout: 60_000,
          });
          // Read as text only (failsafe schema): PyYAML prints `1e3` plain, a string in its YAML 1.1 resolver.
          const resolved = (parse(out, { schema: 'failsafe' }) as { services: { app: { environment: Env } } }).services.app.environment;
          values.forEach((value, i) => {
            // `config` prints compose YAML again, so literal dollars come back escaped ("$$").
            expect(resolved[`V${i}`].split('$$').join('$')).toBe(value);
          });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    });
  });
});
