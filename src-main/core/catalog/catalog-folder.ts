import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Document } from 'yaml';
import { catalogError, hasErrors, type CatalogIssue } from './catalog-issue';
import type { Manifest, ManifestInput } from './manifest-schema';
import { checkIconSvg, MAX_ICON_BYTES, parseManifestYaml } from './manifest-validation';

/** The manifest file of an app folder. */
export const MANIFEST_FILE = 'manifest.yaml';
/** Largest manifest accepted, in bytes. */
export const MAX_MANIFEST_BYTES = 256 * 1024;

/** A usable app of a catalog: its validated manifest, its icon (SVG text) and where it came from. */
export interface CatalogApp {
  manifest: Manifest;
  iconSvg: string;
  /** The app folder (ours) or the file (original format) it was read from. */
  source: string;
}

/** The findings for one app (one line of `npm run catalog -- validate`). */
export interface CatalogAppReport {
  /** The app id, or the folder/file name when the id could not be read. */
  id: string;
  source: string;
  format: 'proximity' | 'original';
  issues: CatalogIssue[];
}

export interface CatalogLoadResult {
  apps: CatalogApp[];
  reports: CatalogAppReport[];
}

async function readCapped(file: string, maxBytes: number): Promise<string> {
  const info = await stat(file);
  if (info.size > maxBytes) throw new Error(`is larger than ${maxBytes} bytes`);
  return readFile(file, 'utf8');
}

/**
 * Reads one app folder in our format: `manifest.yaml` plus the icon it names. The folder name must equal the
 * manifest id. Never throws for a broken app: the report carries the errors and `app` is null.
 */
export async function loadAppFolder(dir: string): Promise<{ app: CatalogApp | null; report: CatalogAppReport }> {
  const folderName = path.basename(dir);
  const report: CatalogAppReport = { id: folderName, source: dir, format: 'proximity', issues: [] };
  let text: string;
  try {
    text = await readCapped(path.join(dir, MANIFEST_FILE), MAX_MANIFEST_BYTES);
  } catch (e) {
    report.issues.push(catalogError('', `${MANIFEST_FILE}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (e as Error).message}`));
    return { app: null, report };
  }
  const { manifest, issues } = parseManifestYaml(text);
  report.issues.push(...issues);
  if (!manifest) return { app: null, report };
  report.id = manifest.id;
  if (manifest.id !== folderName) report.issues.push(catalogError('id', `"${manifest.id}" must equal the folder name "${folderName}"`));
  let iconSvg = '';
  try {
    iconSvg = await readCapped(path.join(dir, manifest.icon), MAX_ICON_BYTES);
    report.issues.push(...checkIconSvg(iconSvg));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    report.issues.push(catalogError('icon', `${manifest.icon}: ${missing ? 'missing beside the manifest' : (e as Error).message}`));
  }
  if (hasErrors(report.issues)) return { app: null, report };
  return { app: { manifest, iconSvg, source: dir }, report };
}

/**
 * Reads a catalog folder in our format: every sub-folder is one app (see {@link loadAppFolder}); other files
 * are ignored. Two apps with one id are both refused. Reports are sorted by id.
 */
export async function loadCatalogFolder(dir: string): Promise<CatalogLoadResult> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const results = await Promise.all(entries.map((name) => loadAppFolder(path.join(dir, name))));
  const byId = new Map<string, number>();
  for (const r of results) byId.set(r.report.id, (byId.get(r.report.id) ?? 0) + 1);
  const apps: CatalogApp[] = [];
  for (const r of results) {
    if ((byId.get(r.report.id) ?? 0) > 1) r.report.issues.push(catalogError('id', `"${r.report.id}" is used by more than one app`));
    else if (r.app) apps.push(r.app);
  }
  return { apps, reports: results.map((r) => r.report).sort((a, b) => a.id.localeCompare(b.id)) };
}

/** Serialises a manifest (as authored, defaults may be omitted) to YAML, with a header comment. */
export function manifestToYaml(manifest: ManifestInput | Manifest, header?: string): string {
  const doc = new Document(manifest, { aliasDuplicateObjects: false });
  if (header) doc.commentBefore = header.split('\n').map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/**
 * Writes one app in our format into `outDir/<id>/` (manifest.yaml and its icon), creating folders as needed
 * and overwriting an earlier export of the same app. Returns the app folder.
 */
export async function writeAppFolder(
  outDir: string,
  manifest: ManifestInput,
  iconSvg: string,
  header?: string,
): Promise<string> {
  const dir = path.join(outDir, manifest.id);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, MANIFEST_FILE), manifestToYaml(manifest, header), 'utf8');
  await writeFile(path.join(dir, manifest.icon), iconSvg, 'utf8');
  return dir;
}
