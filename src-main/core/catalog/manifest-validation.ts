import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ProximityError } from '../errors';
import { catalogError, hasErrors, issuePath, zodIssuesToCatalogIssues, type CatalogIssue } from './catalog-issue';
import { checkForbiddenServiceKeys, checkLiteralSecrets, checkManifest } from './manifest-checks';
import { manifestSchema, type Manifest } from './manifest-schema';

/** A manifest with its findings; `manifest` is null when any finding is an error. */
export interface ManifestValidation {
  manifest: Manifest | null;
  issues: CatalogIssue[];
}

/** Largest icon accepted, in bytes (icons are small monograms or logos, shown in lists). */
export const MAX_ICON_BYTES = 32 * 1024;

/**
 * Validates a manifest already parsed from YAML or JSON: the forbidden-key and literal-secret rules (on the raw
 * data, so they are reported even when the schema fails), the zod schema
 * (manifest-schema.ts), then the cross-field checks (manifest-checks.ts). Never throws.
 */
export function validateManifest(raw: unknown): ManifestValidation {
  const forbidden = checkForbiddenServiceKeys(raw);
  const secrets = checkLiteralSecrets(raw);
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const forbiddenPaths = new Set(forbidden.map((i) => i.path));
    // Drop zod's "unrecognized key" finding when the forbidden-key finding already explains every key in it.
    const explained = (i: z.core.$ZodIssue) =>
      i.code === 'unrecognized_keys' && i.keys.every((k) => forbiddenPaths.has(issuePath([...i.path, k])));
    const schemaIssues = zodIssuesToCatalogIssues(new z.ZodError(parsed.error.issues.filter((i) => !explained(i))));
    return { manifest: null, issues: [...forbidden, ...secrets, ...schemaIssues] };
  }
  const issues = [...forbidden, ...secrets, ...checkManifest(parsed.data)];
  return { manifest: hasErrors(issues) ? null : parsed.data, issues };
}

/**
 * Parses manifest YAML with the `yaml` library (YAML 1.2 core schema, duplicate keys refused, aliases capped)
 * and validates it. A syntax error is reported as an error with the line and column.
 */
export function parseManifestYaml(text: string): ManifestValidation {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return { manifest: null, issues: doc.errors.map((e) => catalogError('', `YAML: ${e.message.split('\n')[0]}`)) };
  }
  return validateManifest(doc.toJS({ maxAliasCount: 50 }));
}

/**
 * Checks a bundled SVG icon: within {@link MAX_ICON_BYTES}, an `<svg>` document, and inert (no scripts, event
 * handlers, foreign objects or external references), because the renderer shows it and nothing is fetched.
 */
export function checkIconSvg(svg: string, path = 'icon'): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  if (Buffer.byteLength(svg, 'utf8') > MAX_ICON_BYTES) issues.push(catalogError(path, `is larger than ${MAX_ICON_BYTES} bytes`));
  if (!/^\s*(?:<\?xml[^>]*\?>\s*)?<svg[\s>]/.test(svg)) issues.push(catalogError(path, 'is not an SVG document (must start with <svg>)'));
  if (/<script|<foreignObject|\son[a-z]+\s*=|javascript:/i.test(svg)) {
    issues.push(catalogError(path, 'contains scripts or event handlers; icons must be inert'));
  }
  if (/(?:href|src)\s*=\s*["'](?!#)|url\(\s*["']?(?!#)/i.test(svg)) {
    issues.push(catalogError(path, 'references an external resource; icons are bundled and never fetched'));
  }
  return issues;
}

/**
 * Validates and returns the manifest, for callers that cannot go on without one (e.g. deploying an app).
 * Warnings are not errors here; they are in {@link validateManifest}'s result for those who show them.
 *
 * @throws ProximityError CATALOG_MANIFEST_INVALID with `details.issues` (CatalogIssue[]) naming each field.
 */
export function requireValidManifest(raw: unknown): Manifest {
  const { manifest, issues } = validateManifest(raw);
  if (manifest) return manifest;
  const errors = issues.filter((i) => i.severity === 'error');
  const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : 'the app';
  throw new ProximityError(
    'CATALOG_MANIFEST_INVALID',
    `The catalog manifest of ${id} is invalid: ${errors.map((i) => `${i.path || '(file)'}: ${i.message}`).join('; ')}`,
    { details: { issues: errors } },
  );
}
