// Loads the official flat schema files vendored in `data/` (see data/README.md for their origin; read at run
// time, parsed once per version and cached; they are large and read-only). PROXIMITY_PVE_SCHEMA_DIR overrides the folder.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkReturnValue } from './returns';
import { Router } from './router';
import type { EndpointInfo, PveSchema, SchemaVersion } from './types';
import { validateParams } from './validate';

const FILE = (v: SchemaVersion): string => `pve-${v}-endpoints-flat.json`;
const VENDORED_DIR = fileURLToPath(new URL('./data', import.meta.url));
const cache = new Map<SchemaVersion, PveSchema>();
const endpointCache = new Map<SchemaVersion, Record<string, EndpointInfo>>();

/** The folder holding the schema files: $PROXIMITY_PVE_SCHEMA_DIR, else the vendored `data/` beside this file. */
export function schemaDir(): string {
  const env = process.env.PROXIMITY_PVE_SCHEMA_DIR;
  if (env) return path.resolve(env);
  return VENDORED_DIR;
}

/**
 * The schema of one PVE version ('8.4' default, or '9.1'): route resolution, parameter validation and return checks.
 * Throws a plain Error when the version is unknown or its file is missing (naming the path looked at).
 */
export function loadSchema(version: SchemaVersion = '8.4'): PveSchema {
  const cached = cache.get(version);
  if (cached) return cached;
  if (version !== '8.4' && version !== '9.1') throw new Error(`unknown PVE schema version '${String(version)}'`);
  const file = path.join(schemaDir(), FILE(version));
  if (!existsSync(file)) {
    throw new Error(
      `PVE API schema file not found: ${file} (vendored in test/lab/pve/schema/data, or set PROXIMITY_PVE_SCHEMA_DIR)`,
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
