import fs from 'node:fs';
import path from 'node:path';
import { ProximityError } from './errors';

export const DATA_DIR_FLAG = '--data-dir';
export const DATA_DIR_ENV = 'PROXIMITY_DATA_DIR';
export const DATABASE_FILE_NAME = 'proximity.sqlite';

export interface ResolveDataDirOptions {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** Where data lives when neither the flag nor the variable is given (the shell passes Electron's userData). */
  defaultDir: string;
}

/**
 * Picks the data directory: `--data-dir=PATH` or `--data-dir PATH` first, then PROXIMITY_DATA_DIR, then the
 * default; makes it absolute and creates it private to the user (0700). Returns the absolute path.
 */
export function resolveDataDir({ argv, env, defaultDir }: ResolveDataDirOptions): string {
  const chosen = fromArgv(argv) ?? nonEmpty(env[DATA_DIR_ENV]) ?? defaultDir;
  if (!chosen || chosen.includes('\0')) {
    throw new ProximityError('VALIDATION', 'The data directory path is empty or invalid.', { details: { path: chosen } });
  }
  const dir = path.resolve(chosen);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new ProximityError('VALIDATION', `Cannot create the data directory ${dir}: ${(cause as Error).message}`, { details: { path: dir }, cause });
  }
  if (!fs.statSync(dir).isDirectory()) {
    throw new ProximityError('VALIDATION', `The data directory ${dir} exists but is not a directory.`, { details: { path: dir } });
  }
  return dir;
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, DATABASE_FILE_NAME);
}

function fromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith(`${DATA_DIR_FLAG}=`)) return required(arg.slice(DATA_DIR_FLAG.length + 1));
    if (arg === DATA_DIR_FLAG) return required(argv[i + 1]);
  }
  return undefined;
}

function required(value: string | undefined): string {
  if (!value || value.startsWith('--')) {
    throw new ProximityError('VALIDATION', `${DATA_DIR_FLAG} needs a path, e.g. ${DATA_DIR_FLAG}=/path/to/data.`);
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value : undefined;
}
