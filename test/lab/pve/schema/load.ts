// Loads the official flat schema files from `../shared/pve-api` beside the repository (read at run time, parsed
// once per version and cached; they are large and read-only). PROXIMITY_PVE_SCHEMA_DIR overrides the folder.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkReturnValue } from './returns';
import { Router } from './router';
import type { EndpointInfo, PveSchema, SchemaVersion } from './types';
import { validateParams } from './validate';

const FILE = (v: SchemaVersion): string => `pve-${v}-endpoints-flat.json`;
const cache = new Map<SchemaVersion, PveSchema>();
const endpointCache = new Map<SchemaVersion, Record<string, EndpointInfo>>();

function repoRoots(): string[] {
  const starts: string[] = [];
  if (typeof __dirname !== 'undefined') starts.push(__dirname);
  starts.push(process.cwd());
  const roots: string[] = [];
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'test', 'lab'))) {
        roots.push(dir);
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return [...new Set(roots)];
}

/** The folder holding the schema files: $PROXIMITY_PVE_SCHEMA_DIR, else `<repo root>/../shared/pve-api`. */
export function schemaDir(): string {
  const env = process.env.PROXIMITY_PVE_SCHEMA_DIR;
  if (env) return path.resolve(env);
  const candidates = repoRoots().map((root) => path.resolve(root, '..', 'shared', 'pve-api'));
  return candidates.find((dir) => existsSync(path.join(dir, FILE('8.4')))) ?? candidates[0] ?? path.resolve('..', 'shared', 'pve-api');
}

export function loadSchema(version: SchemaVersion = '8.4'): PveSchema {
  const cached = cache.get(version);
  if (cached) return cached;
  if (version !== '8.4' && version !== '9.1') throw new Error(`unknown PVE schema version '${String(version)}'`);
  const file = path.join(schemaDir(), FILE(version));
  if (!existsSync(file)) {
    throw new Error(
      `PVE API schema file not found: ${file} (expected ../shared/pve-api beside the repository, or set PROXIMITY_PVE_SCHEMA_DIR)`,
    );
  }
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as Record<string, EndpointInfo>;
  endpointCache.set(version, endpoints);
  const router = new Router(endpoints);
  const schema: PveSchema = {
    version,
    resolve: (method, p) => router.resolve(method, p),
    validate: (route, params, opts) => validateParams(route, params, opts),
    checkReturns: (route, data) => checkReturnValue(route.info.returns, data),
  };
  cache.set(version, schema);
  return schema;
}

/** The raw `{"METHOD /template": info}` map of a version (parsed once, shared with loadSchema). */
export function loadEndpoints(version: SchemaVersion = '8.4'): Readonly<Record<string, EndpointInfo>> {
  loadSchema(version);
  return endpointCache.get(version)!;
}
