import type { z } from 'zod';

/**
 * One finding about one catalog app: an error makes the manifest unusable, a warning is something an author or
 * operator should know (an unpinned image, a value the importer replaced). `path` names the field the finding is
 * about, in dotted form (`compose.services.db.environment.POSTGRES_PASSWORD`, `parameters.2.default`); an
 * empty path means the whole file.
 */
export interface CatalogIssue {
  severity: 'error' | 'warning';
  path: string;
  message: string;
}

/** Joins a path of keys and indexes into the dotted form used by {@link CatalogIssue.path}. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** An error finding at `path`. */
export function catalogError(path: readonly PropertyKey[] | string, message: string): CatalogIssue {
  return { severity: 'error', path: typeof path === 'string' ? path : issuePath(path), message };
}

/** A warning finding at `path`. */
export function catalogWarning(path: readonly PropertyKey[] | string, message: string): CatalogIssue {
  return { severity: 'warning', path: typeof path === 'string' ? path : issuePath(path), message };
}

/** Turns zod's issues into catalog errors, prefixing each path with `prefix` (e.g. the manifest's own path). */
export function zodIssuesToCatalogIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): CatalogIssue[] {
  return error.issues.map((i) => catalogError([...prefix, ...i.path], i.message));
}

/** True when any issue is an error. */
export function hasErrors(issues: readonly CatalogIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
