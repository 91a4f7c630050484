import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogFolder } from '../../../src-main/core/catalog/catalog-folder';
import { imageTag } from '../../../src-main/core/catalog/compose-schema';
import { renderCompose } from '../../../src-main/core/catalog/compose-renderer';
import { checkComposeSpec, checkRenderedCompose } from '../../../scripts/catalog';

const CATALOG = path.join(__dirname, '../../../resources/catalog');

describe('the built-in catalog (resources/catalog)', async () => {
  const { apps, reports } = await loadCatalogFolder(CATALOG);

  it('holds at least 25 apps, every one valid with no findings', () => {
    expect(apps.length).toBeGreaterThanOrEqual(25);
    expect(reports.filter((r) => r.issues.length > 0)).toEqual([]);
    expect(apps.length).toBe(reports.length);
  });

  it('pins every image to a released tag', () => {
    for (const { manifest } of apps) {
      for (const [name, service] of Object.entries(manifest.compose.services)) {
        const tag = imageTag(service.image);
        expect(tag, `${manifest.id}.${name}`).not.toBeNull();
        expect(tag, `${manifest.id}.${name}`).not.toMatch(/^(latest|stable|main|master|edge|nightly|develop)$/);
      }
    }
  });

  it('renders every app with its defaults into a file the Compose specification accepts', () => {
    for (const { manifest } of apps) expect(checkRenderedCompose(manifest), manifest.id).toEqual([]);
  });

  it('generates every password (no app needs the operator to invent one) and never repeats one', () => {
    const seen = new Set<string>();
    for (const { manifest } of apps) {
      const r = renderCompose(manifest, {}, {}, { deployment: { publicUrl: 'https://apps.example:30001', hostname: manifest.id } });
      for (const s of r.secrets) {
        expect(s.source).toBe('generated');
        expect(s.value.length).toBeGreaterThanOrEqual(16);
        expect(seen.has(s.value)).toBe(false);
        seen.add(s.value);
      }
    }
    expect(seen.size).toBeGreaterThan(10);
  });

  it('has the compose schema check that can fail (a broken document is refused)', () => {
    expect(checkComposeSpec({ services: { app: { image: 'x:1', ports: 'not-a-list' } } })).not.toEqual([]);
    expect(checkComposeSpec({ services: {}, bogus: true })).toContainEqual(expect.objectContaining({ path: 'rendered' }));
  });
});
