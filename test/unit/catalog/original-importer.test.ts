import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogFolder, writeAppFolder } from '../../../src-main/core/catalog/catalog-folder';
import { renderCompose } from '../../../src-main/core/catalog/compose-renderer';
import { importOriginalApp, importOriginalFolder } from '../../../src-main/core/catalog/original-importer';
import { checkComposeSpec } from '../../../scripts/catalog';

const FIXTURES = path.join(__dirname, '../../fixtures/catalog-original');
const readSample = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, any>;
const deployment = { publicUrl: 'http://10.20.0.1:30001', hostname: 'app' };

describe('importOriginalApp', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('imports the Gitea sample with a warning for each thing it changed', () => {
    const result = importOriginalApp(readSample('gitea'), 'gitea.json');
    expect(result.manifest).not.toBeNull();
    expect(result.issues.every((i) => i.severity === 'warning')).toBe(true);
    expect(result.issues.map((i) => [i.path, i.message.split(/[;(]/)[0].trim()])).toEqual([
      ['docker_compose.services.gitea.image', '"gitea/gitea:latest" uses the "latest" tag'],
      ['docker_compose.services.gitea.environment.GITEA__database__PASSWD', 'weak default password replaced by a secret generated per deployment'],
      ['docker_compose.services.gitea.ports.1', "host port 22 collides with the container's SSH port"],
      ['docker_compose.services.gitea.volumes.1', 'host bind mount of /etc/timezone dropped'],
      ['docker_compose.services.gitea.volumes.2', 'host bind mount of /etc/localtime dropped'],
      ['docker_compose.services.db.environment.POSTGRES_PASSWORD', 'weak default password replaced by a secret generated per deployment'],
      ['icon', 'not fetched'],
    ]);
    const m = result.manifest!;
    expect(m.expose).toEqual({ service: 'gitea', port: 3000 });
    expect(m.resources.memory).toEqual({ default: 1024, min: 1024 });
    // The app and its database shared one literal, so they share one generated secret.
    expect(m.parameters).toEqual([
      expect.objectContaining({
        id: 'gitea-database-passwd',
        type: 'password',
        generate: { length: 32, alphabet: 'alphanumeric' },
        fills: [
          { service: 'gitea', env: 'GITEA__database__PASSWD' },
          { service: 'db', env: 'POSTGRES_PASSWORD' },
        ],
      }),
    ]);
    expect(m.compose.services.gitea.volumes).toEqual(['gitea_data:/data']);
    expect(result.iconSvg).toContain('fill="#609926"');

    const r = renderCompose(m, {}, {}, { deployment });
    expect(r.yaml).not.toContain('gitea_password');
    const secret = r.secrets[0].value;
    expect(r.document).toMatchObject({
      services: {
        gitea: { environment: { GITEA__database__PASSWD: secret }, ports: [{ target: 3000, published: '3000', protocol: 'tcp' }] },
        db: { environment: { POSTGRES_PASSWORD: secret } },
      },
    });
    expect(checkComposeSpec(r.document)).toEqual([]);
  });

  it('imports the Nextcloud sample with two generated secrets', () => {
    const result = importOriginalApp(readSample('nextcloud'), 'nextcloud.json');
    expect(result.manifest).not.toBeNull();
    expect(result.issues.filter((i) => i.message.includes('weak default password')).map((i) => i.path)).toEqual([
      'docker_compose.services.nextcloud.environment.MYSQL_PASSWORD',
      'docker_compose.services.db.environment.MYSQL_PASSWORD',
      'docker_compose.services.db.environment.MYSQL_ROOT_PASSWORD',
    ]);
    expect(result.issues).toContainEqual(expect.objectContaining({ path: 'docker_compose.services.nextcloud.image', message: expect.stringMatching(/latest/) }));
    expect(result.manifest!.parameters.map((p) => [p.id, p.fills.length])).toEqual([
      ['mysql-password', 2],
      ['mysql-root-password', 1],
    ]);
    const r = renderCompose(result.manifest!, {}, {}, { deployment });
    expect(r.yaml).not.toMatch(/nextcloud_password|root_password/);
    expect(checkComposeSpec(r.document)).toEqual([]);
  });

  it('converts to a folder in our format that loads back', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'proximity-import-'));
    dirs.push(out);
    const imports = await importOriginalFolder(FIXTURES);
    expect(imports.map((i) => i.report.id)).toEqual(['gitea', 'nextcloud']);
    for (const i of imports) await writeAppFolder(out, i.input!, i.iconSvg, 'test');
    const loaded = await loadCatalogFolder(out);
    expect(loaded.apps.map((a) => a.manifest.id)).toEqual(['gitea', 'nextcloud']);
    // Only the unpinned images remain to be fixed by hand.
    expect(loaded.reports.flatMap((r) => r.issues.map((i) => `${r.id} ${i.severity} ${i.path}`))).toEqual([
      'gitea warning compose.services.gitea.image',
      'nextcloud warning compose.services.nextcloud.image',
    ]);
  });

  it('refuses what cannot be carried over safely, and converts data bind mounts to named volumes', () => {
    const raw = readSample('gitea');
    raw.docker_compose.services.gitea.privileged = true;
    raw.docker_compose.services.gitea.network_mode = 'host';
    raw.docker_compose.services.gitea.volumes.push('./repos:/data/git/repositories');
    raw.docker_compose.networks = { front: {} };
    const result = importOriginalApp(raw, 'gitea.json');
    expect(result.manifest).toBeNull();
    expect(result.issues.filter((i) => i.severity === 'error').map((i) => i.path)).toEqual([
      'docker_compose.services.gitea.privileged',
      'docker_compose.services.gitea.network_mode',
    ]);
    expect(result.issues).toContainEqual(
      expect.objectContaining({ path: 'docker_compose.services.gitea.volumes.3', message: expect.stringMatching(/replaced by named volume "gitea-data-git-repositories"/) }),
    );
    expect(result.issues).toContainEqual(expect.objectContaining({ path: 'docker_compose.networks', severity: 'warning' }));
  });

  it('warns when two services publish the same host port', () => {
    const raw = readSample('nextcloud');
    raw.docker_compose.services.db.ports = ['80:3306'];
    const result = importOriginalApp(raw, 'nextcloud.json');
    expect(result.issues).toContainEqual(
      expect.objectContaining({ path: 'docker_compose.services.db.ports.0', message: 'host port 80 collides with nextcloud.ports.0; dropped' }),
    );
  });

  it('reports unreadable files as errors of that file only and skips index.json', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proximity-original-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ version: '1', apps: ['a.json'], categories: [] }));
    writeFileSync(path.join(dir, 'broken.json'), '{ "id": ');
    writeFileSync(path.join(dir, 'empty.json'), JSON.stringify({ id: 'empty', docker_compose: {} }));
    const imports = await importOriginalFolder(dir);
    expect(imports.map((i) => [i.report.id, i.issues.map((x) => x.path)])).toEqual([
      ['broken.json', ['']],
      ['empty', ['name', 'docker_compose.services']],
    ]);
  });
});
