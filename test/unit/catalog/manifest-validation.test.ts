import { describe, expect, it } from 'vitest';
import type { CatalogIssue } from '../../../src-main/core/catalog/catalog-issue';
import { checkIconSvg, parseManifestYaml, requireValidManifest, validateManifest } from '../../../src-main/core/catalog/manifest-validation';
import { monogramSvg } from '../../../src-main/core/catalog/monogram-icon';
import { sampleManifest } from './manifest-fixture';

type Mutable = Record<string, any>;
function withChange(change: (m: Mutable) => void): CatalogIssue[] {
  const m = sampleManifest() as Mutable;
  change(m);
  return validateManifest(m).issues;
}
const errorsAt = (issues: CatalogIssue[]) => issues.filter((i) => i.severity === 'error').map((i) => i.path);

describe('validateManifest', () => {
  it('accepts the sample with no findings and applies defaults', () => {
    const { manifest, issues } = validateManifest(sampleManifest());
    expect(issues).toEqual([]);
    expect(manifest?.parameters.find((p) => p.id === 'title')).toMatchObject({ required: true });
  });

  it('rejects a fixed secret in the compose document, naming the field', () => {
    const issues = withChange((m) => (m.compose.services.db.environment.POSTGRES_PASSWORD = 'postgres'));
    expect(issues).toContainEqual({
      severity: 'error',
      path: 'compose.services.db.environment.POSTGRES_PASSWORD',
      message: expect.stringMatching(/fixed secret.*generate/),
    });
    // A `_FILE` variable names a file holding the secret, not the secret itself.
    expect(errorsAt(withChange((m) => (m.compose.services.app.environment.TOKEN_FILE = '/run/secrets/t')))).toEqual([]);
  });

  it('rejects a fixed default on a password parameter', () => {
    const issues = withChange((m) => (m.parameters[5].default = 'hunter2'));
    expect(issues).toContainEqual(expect.objectContaining({ path: 'parameters.5.default', message: expect.stringMatching(/cannot have a fixed default/) }));
  });

  it('explains forbidden service keys instead of only "unrecognized key"', () => {
    const issues = withChange((m) => {
      m.compose.services.app.ports = ['8080:8080'];
      m.compose.services.db.privileged = true;
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: 'compose.services.app.ports', message: expect.stringMatching(/publishes only the exposed port/) }),
      expect.objectContaining({ path: 'compose.services.db.privileged', message: 'privileged containers are not allowed' }),
    ]);
    // A key nobody reviewed is still reported next to an explained one.
    const both = withChange((m) => {
      m.compose.services.app.ports = ['8080:8080'];
      m.compose.services.app.labels = { a: 'b' };
    });
    expect(both.map((i) => i.path)).toEqual(['compose.services.app.ports', 'compose.services.app']);
    expect(both[1].message).toMatch(/labels/);
  });

  it('refuses host bind mounts and undeclared volumes', () => {
    expect(errorsAt(withChange((m) => m.compose.services.app.volumes.push('/etc/passwd:/etc/passwd:ro')))).toEqual(['compose.services.app.volumes.1']);
    expect(errorsAt(withChange((m) => m.compose.services.app.volumes.push('other:/other')))).toEqual(['compose.services.app.volumes.1']);
  });

  it('warns about unpinned images', () => {
    for (const image of ['example/notes', 'example/notes:latest']) {
      const { manifest, issues } = validateManifest({ ...sampleManifest(), compose: { ...sampleManifest().compose, services: { ...sampleManifest().compose.services, app: { ...sampleManifest().compose.services.app, image } } } });
      expect(manifest).not.toBeNull();
      expect(issues).toEqual([expect.objectContaining({ severity: 'warning', path: 'compose.services.app.image' })]);
    }
  });

  it('refuses compose interpolation in literals ("$" must be "$$")', () => {
    expect(errorsAt(withChange((m) => (m.compose.services.app.environment.GREETING = 'hi ${USER}')))).toEqual(['compose.services.app.environment.GREETING']);
    expect(errorsAt(withChange((m) => (m.compose.services.app.command = ['sh', '-c', 'echo $HOME'])))).toEqual(['compose.services.app.command.2']);
    expect(errorsAt(withChange((m) => (m.compose.services.app.environment.PRICE = 'costs $$5')))).toEqual([]);
  });

  it('checks cross references: exposed service, filled services, double fills, dependencies', () => {
    expect(errorsAt(withChange((m) => (m.expose.service = 'web')))).toEqual(['expose.service']);
    expect(errorsAt(withChange((m) => (m.parameters[0].fills[0].service = 'web')))).toEqual(['parameters.0.fills.0.service']);
    expect(errorsAt(withChange((m) => (m.parameters[1].fills[0].env = 'TITLE')))).toEqual(['parameters.1.fills.0']);
    expect(errorsAt(withChange((m) => (m.compose.services.app.environment.TITLE = 'x')))).toEqual(['compose.services.app.environment.TITLE']);
    expect(errorsAt(withChange((m) => (m.compose.services.app.depends_on = ['cache'])))).toEqual(['compose.services.app.depends_on']);
  });

  it('allows templates only for values that cannot change their meaning', () => {
    expect(errorsAt(withChange((m) => (m.parameters[0].fills[0].template = 'x-{value}')))).toEqual(['parameters.0.fills.0.template']);
    expect(errorsAt(withChange((m) => (m.parameters[4].fills[0].template = 'theme-{value}')))).toEqual([]);
    expect(errorsAt(withChange((m) => (m.parameters[4].fills[0].template = 'no placeholder')))).toEqual(['parameters.4.fills.0.template']);
  });

  it('checks defaults against their own parameter', () => {
    expect(errorsAt(withChange((m) => (m.parameters[4].default = 'blue')))).toEqual(['parameters.4.default']);
    expect(errorsAt(withChange((m) => (m.parameters[2].default = 99)))).toEqual(['parameters.2.default']);
    expect(errorsAt(withChange((m) => (m.resources.memory = { default: 128, min: 256 })))).toEqual(['resources.memory.default']);
  });

  it('names the field of every schema error', () => {
    const issues = withChange((m) => {
      m.format = 2;
      m.id = 'Bad Id';
      m.website = 'ftp://example.org';
      delete m.health;
    });
    expect(errorsAt(issues).sort()).toEqual(['format', 'health', 'id', 'website']);
  });

  it('requireValidManifest returns the manifest or throws CATALOG_MANIFEST_INVALID with the issues', () => {
    expect(requireValidManifest(sampleManifest()).id).toBe('notes');
    const broken = { ...sampleManifest(), expose: { service: 'web', port: 80 } };
    expect(() => requireValidManifest(broken)).toThrow(
      expect.objectContaining({
        code: 'CATALOG_MANIFEST_INVALID',
        message: expect.stringContaining('expose.service: names service "web"'),
        details: { issues: [expect.objectContaining({ path: 'expose.service' })] },
      }),
    );
  });

  it('reports YAML syntax errors and duplicate keys', () => {
    expect(parseManifestYaml('id: a\nid: b\n').issues[0].message).toMatch(/^YAML: .*unique/i);
    expect(parseManifestYaml('id: [unclosed\n').manifest).toBeNull();
  });
});

describe('checkIconSvg', () => {
  it('accepts a drawn monogram and refuses scripts, handlers and external references', () => {
    expect(checkIconSvg(monogramSvg('Gitea', '#609926'))).toEqual([]);
    expect(checkIconSvg('<svg><script>alert(1)</script></svg>')).toHaveLength(1);
    expect(checkIconSvg('<svg onload="x()"></svg>')).toHaveLength(1);
    expect(checkIconSvg('<svg><image href="https://cdn.example/x.png"/></svg>')).toHaveLength(1);
    expect(checkIconSvg('<svg><rect style="fill:url(https://x/y)"/></svg>')).toHaveLength(1);
    expect(checkIconSvg('<html></html>')).toHaveLength(1);
    expect(checkIconSvg(`<svg>${' '.repeat(40_000)}</svg>`)).toHaveLength(1);
  });
});
