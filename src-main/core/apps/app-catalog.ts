// The catalog the operator deploys from: the built-in folder (resources/catalog) read once with the catalog's
// own loader; apps that do not validate are left out (the catalog command reports them to authors).
import { loadCatalogFolder, type CatalogApp } from '../catalog/catalog-folder';
import type { Manifest } from '../catalog/manifest-schema';
import { ProximityError } from '../errors';

export interface CatalogSummary {
  id: string;
  name: string;
  description: string;
  version: string;
  category: string;
  tags: string[];
  website: string;
  /** the bundled SVG icon (never fetched) */
  iconSvg: string;
}

export interface CatalogDetail extends CatalogSummary {
  resources: Manifest['resources'];
  parameters: Array<{ id: string; label: string; type: string; description: string | null; required: boolean; secret: boolean; default: string | number | boolean | null; choices: string[] | null }>;
  notes: string | null;
  healthPath: string;
}

export class AppCatalog {
  private constructor(private readonly apps: Map<string, CatalogApp>) {}

  /** Loads `dir` (a catalog folder in Proximity's format). Throws what loadCatalogFolder throws for an unreadable folder. */
  static async load(dir: string): Promise<AppCatalog> {
    const loaded = await loadCatalogFolder(dir);
    return new AppCatalog(new Map(loaded.apps.map((a) => [a.manifest.id, a])));
  }

  /** The manifest by id (the deployment engine's lookup). */
  manifest(id: string): Manifest | undefined {
    return this.apps.get(id)?.manifest;
  }

  list(): CatalogSummary[] {
    return [...this.apps.values()].map(summary).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Throws NOT_FOUND for an unknown id. */
  get(id: string): CatalogDetail {
    const app = this.apps.get(id);
    if (!app) throw new ProximityError('NOT_FOUND', `The catalog has no app "${id}".`, { details: { id } });
    const m = app.manifest;
    return {
      ...summary(app),
      resources: m.resources,
      parameters: m.parameters.map((p) => {
        const raw = p as Record<string, unknown>;
        const def = raw.default;
        return {
          id: p.id,
          label: p.label,
          type: p.type,
          description: typeof raw.description === 'string' ? raw.description : null,
          required: raw.required === true,
          secret: p.type === 'password',
          default: typeof def === 'string' || typeof def === 'number' || typeof def === 'boolean' ? def : null,
          choices: Array.isArray(raw.choices) ? (raw.choices as unknown[]).map((c) => (typeof c === 'object' && c !== null && 'value' in c ? String((c as { value: unknown }).value) : String(c))) : null,
        };
      }),
      notes: m.notes ?? null,
      healthPath: m.health.path,
    };
  }
}

function summary(app: CatalogApp): CatalogSummary {
  const m = app.manifest;
  return { id: m.id, name: m.name, description: m.description, version: m.version, category: m.category, tags: [...m.tags], website: m.website, iconSvg: app.iconSvg };
}
