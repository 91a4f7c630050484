/**
 * The catalog authors' command (`npm run catalog -- <command>`):
 *   validate <folder>           check every app of a catalog folder, in our format (sub-folders with
 *                               manifest.yaml) or the original Proximity's (*.json); also renders each valid
 *                               manifest with its defaults and checks the result against the Compose
 *                               specification's JSON schema. One line per app, then a summary line.
 *   import <folder> [--out <dir>]  convert an original-format folder to our format, into <dir>/<id>/ or, without
 *                               --out, print the manifests (YAML documents) to stdout and the report to stderr.
 * Exit status: 0 when no app has errors, 1 when any has, 2 for a usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { catalogError, type CatalogIssue } from '../src-main/core/catalog/catalog-issue';
import { loadAppFolder, MANIFEST_FILE, manifestToYaml, writeAppFolder, type CatalogAppReport } from '../src-main/core/catalog/catalog-folder';
import { renderCompose } from '../src-main/core/catalog/compose-renderer';
import type { Manifest } from '../src-main/core/catalog/manifest-schema';
import { importOriginalFolder } from '../src-main/core/catalog/original-importer';

let composeSpecValidator: ValidateFunction | undefined;

/**
 * Validates a compose document (as data) against the Compose specification's JSON schema
 * (compose-spec/compose-spec `schema/compose-spec.json`, Apache-2.0, as shipped in the `dclint` npm package's
 * `schemas/compose.schema.json`), with ajv. Returns one issue per schema error, paths prefixed `rendered`.
 */
export function checkComposeSpec(document: unknown): CatalogIssue[] {
  if (!composeSpecValidator) {
    const require = createRequire(import.meta.url);
    const schemaFile = path.join(path.dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
    const ajv = new Ajv({ allErrors: true, strict: false });
    // The schema names its draft by an https URL ajv does not register; it is draft-07, ajv's default.
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    composeSpecValidator = ajv.compile(schema);
  }
  if (composeSpecValidator(document)) return [];
  return (composeSpecValidator.errors ?? []).map((e: ErrorObject) =>
    catalogError(`rendered${e.instancePath.replace(/\//g, '.')}`, `compose specification: ${e.message ?? 'invalid'}`),
  );
}

/** Renders `manifest` with its defaults (sample values where none) and checks the compose file against the spec. */
export function checkRenderedCompose(manifest: Manifest): CatalogIssue[] {
  const sample: Record<string, string> = {};
  for (const p of manifest.parameters) {
    if (p.type === 'string' && p.default === undefined && p.required) sample[p.id] = 'example';
    if (p.type === 'password' && !p.generate) sample[p.id] = 'example-password-0123456789';
  }
  let document: unknown;
  try {
    document = renderCompose(manifest, sample, {}, { deployment: { publicUrl: 'http://10.20.0.1:30000', hostname: manifest.id } }).document;
  } catch (e) {
    return [catalogError('parameters', `does not render with its defaults: ${(e as Error).message}`)];
  }
  return checkComposeSpec(document);
}

/** Validates every app of a folder in either format; reports sorted by id. */
export async function validateCatalogPath(dir: string): Promise<CatalogAppReport[]> {
  const reports: CatalogAppReport[] = [];
  const originals = await importOriginalFolder(dir);
  const subDirs = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name));
  // In a folder of original-format files, sub-folders without a manifest are not apps (e.g. assets).
  const appDirs = existsSync(path.join(dir, MANIFEST_FILE))
    ? [dir]
    : subDirs.filter((d) => originals.length === 0 || existsSync(path.join(d, MANIFEST_FILE)));
  const ids = new Map<string, number>();
  for (const appDir of appDirs.sort()) {
    const { app, report } = await loadAppFolder(appDir);
    if (app) report.issues.push(...checkRenderedCompose(app.manifest));
    ids.set(report.id, (ids.get(report.id) ?? 0) + 1);
    reports.push(report);
  }
  for (const imported of originals) {
    if (imported.manifest) imported.report.issues.push(...checkRenderedCompose(imported.manifest));
    ids.set(imported.report.id, (ids.get(imported.report.id) ?? 0) + 1);
    reports.push(imported.report);
  }
  for (const r of reports) if ((ids.get(r.id) ?? 0) > 1) r.issues.push(catalogError('id', `"${r.id}" is used by more than one app`));
  return reports.sort((a, b) => a.id.localeCompare(b.id));
}

/** One line per app (`ok`, `warn` or `error`), its findings indented below it. */
export function formatReport(r: CatalogAppReport): string {
  const errors = r.issues.filter((i) => i.severity === 'error').length;
  const warnings = r.issues.length - errors;
  const status = errors > 0 ? 'error' : warnings > 0 ? 'warn ' : 'ok   ';
  const counts = [errors && `${errors} error${errors > 1 ? 's' : ''}`, warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`].filter(Boolean).join(', ');
  const head = `${status} ${r.id} (${r.format}: ${r.source})${counts ? `: ${counts}` : ''}`;
  return [head, ...r.issues.map((i) => `      ${i.severity === 'error' ? 'error' : 'warn '} ${i.path || '(file)'}: ${i.message}`)].join('\n');
}

/** `catalog: N apps, N ok, N with warnings, N with errors`. */
export function formatSummary(reports: readonly CatalogAppReport[]): string {
  const withErrors = reports.filter((r) => r.issues.some((i) => i.severity === 'error')).length;
  const withWarnings = reports.filter((r) => r.issues.length > 0).length - withErrors;
  return `catalog: ${reports.length} apps, ${reports.length - withErrors - withWarnings} ok, ${withWarnings} with warnings, ${withErrors} with errors`;
}

const USAGE = 'usage: npm run catalog -- validate <folder>\n       npm run catalog -- import <folder> [--out <dir>]';

/** Runs the command; returns the exit status. */
export async function main(argv: readonly string[], out = process.stdout, err = process.stderr): Promise<number> {
  const [command, folder, ...rest] = argv;
  if ((command !== 'validate' && command !== 'import') || !folder || !existsSync(folder)) {
    err.write(`${folder && !existsSync(folder) ? `no such folder: ${folder}\n` : ''}${USAGE}\n`);
    return 2;
  }
  if (command === 'validate') {
    const reports = await validateCatalogPath(folder);
    for (const r of reports) out.write(`${formatReport(r)}\n`);
    out.write(`${formatSummary(reports)}\n`);
    return reports.some((r) => r.issues.some((i) => i.severity === 'error')) ? 1 : 0;
  }
  const outIndex = rest.indexOf('--out');
  const outDir = outIndex === -1 ? undefined : rest[outIndex + 1];
  if (outIndex !== -1 && !outDir) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  const imports = await importOriginalFolder(folder);
  const log = outDir ? out : err;
  for (const imported of imports) {
    if (imported.manifest) imported.report.issues.push(...checkRenderedCompose(imported.manifest));
    log.write(`${formatReport(imported.report)}\n`);
    if (!imported.manifest || !imported.input) continue;
    const header = `Imported from ${path.basename(imported.report.source)} (original Proximity catalog format).`;
    if (outDir) await writeAppFolder(outDir, imported.input, imported.iconSvg, header);
    else out.write(`---\n${manifestToYaml(imported.input, header)}`);
  }
  log.write(`${formatSummary(imports.map((i) => i.report))}${outDir ? `; written to ${outDir}` : ''}\n`);
  return imports.some((i) => i.report.issues.some((x) => x.severity === 'error')) ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`catalog: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
