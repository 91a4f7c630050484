import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseFile, resolveDataDir } from '../../../src-main/core/data-dir';
import { makeTempDir } from './sqlite-test-files';

describe('resolveDataDir', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = makeTempDir()));
  afterEach(() => cleanup());

  it('prefers --data-dir=PATH, then --data-dir PATH, over the environment and the default', () => {
    const env = { PROXIMITY_DATA_DIR: path.join(dir, 'env') };
    const defaultDir = path.join(dir, 'default');
    expect(resolveDataDir({ argv: ['node', 'main', `--data-dir=${dir}/flag-eq`], env, defaultDir })).toBe(path.join(dir, 'flag-eq'));
    expect(resolveDataDir({ argv: ['--data-dir', `${dir}/flag-sp`], env, defaultDir })).toBe(path.join(dir, 'flag-sp'));
    expect(resolveDataDir({ argv: [], env, defaultDir })).toBe(path.join(dir, 'env'));
    expect(resolveDataDir({ argv: [], env: { PROXIMITY_DATA_DIR: '' }, defaultDir })).toBe(defaultDir);
    expect(resolveDataDir({ argv: [], env: {}, defaultDir })).toBe(defaultDir);
  });

  it('creates the directory, nested, private to the user, and resolves relative paths', () => {
    const target = path.join(dir, 'a', 'b', 'data');
    expect(resolveDataDir({ argv: [`--data-dir=${target}`], env: {}, defaultDir: '/nonexistent' })).toBe(target);
    expect(fs.statSync(target).mode & 0o777).toBe(0o700);
    const rel = path.relative(process.cwd(), path.join(dir, 'rel'));
    expect(resolveDataDir({ argv: [], env: { PROXIMITY_DATA_DIR: rel }, defaultDir: '/x' })).toBe(path.join(dir, 'rel'));
    expect(databaseFile(target)).toBe(path.join(target, 'proximity.sqlite'));
  });

  it('gives a clear error for a missing flag value or a path that is a file', () => {
    expect(() => resolveDataDir({ argv: ['--data-dir'], env: {}, defaultDir: dir })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => resolveDataDir({ argv: ['--data-dir', '--inspect'], env: {}, defaultDir: dir })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => resolveDataDir({ argv: ['--data-dir='], env: {}, defaultDir: dir })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, 'x');
    expect(() => resolveDataDir({ argv: [], env: { PROXIMITY_DATA_DIR: file }, defaultDir: dir })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });
});
