/**
 * package.json's `dependencies` are exactly what the installer must ship: electron-builder copies `dependencies`
 * (never `devDependencies`) into the app, and electron-vite leaves exactly those external (`externalizeDeps`) so
 * the main process loads them from node_modules at run time. So:
 *   - every package the main process or the preload reaches (following relative imports from their entries) is a
 *     dependency, or the packaged app would miss it (better-sqlite3 is native and can only be loaded, not bundled);
 *   - every dependency is used by main-process code, so nothing only the lab or the tests use ships;
 *   - the renderer's packages (react, zustand, ...) are devDependencies: vite bundles them into out/renderer, and
 *     listing them in `dependencies` would ship them a second time, unused, in the app's node_modules.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findImports } from '../architecture/import-detector';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const BUILTIN = new Set(builtinModules);
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.tsx'];

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; null for builtins, relative paths and electron. */
function packageName(spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || spec === '<dynamic>') return null;
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  if (BUILTIN.has(name) || name === 'electron') return null;
  return name;
}

function resolveSource(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec.replace(/\.js$/, ''));
  for (const candidate of [base, ...SOURCE_EXTENSIONS.map((ext) => base + ext)]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Packages loaded at run time (type-only imports are erased) by everything reachable from `entries`. */
function packagesReachedFrom(entries: string[]): Map<string, string> {
  const found = new Map<string, string>(); // package -> first file importing it
  const seen = new Set<string>();
  const queue = entries.map((e) => join(root, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { specifier, kind } of findImports(readFileSync(file, 'utf8'))) {
      if (kind === 'type') continue;
      const name = packageName(specifier);
      if (name) {
        if (!found.has(name)) found.set(name, relative(root, file));
      } else if (specifier.startsWith('.')) {
        const next = resolveSource(file, specifier);
        expect(next, `${relative(root, file)} imports '${specifier}', which does not resolve`).not.toBeNull();
        queue.push(next!);
      }
    }
  }
  return found;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|mts)$/.test(f))
    .map((f) => join(root, dir, f));
}

describe('package.json dependencies', () => {
  it('lists every package the main process and the preload load at run time', () => {
    const reached = packagesReachedFrom(['src-main/index.ts', 'src-preload/index.ts']);
    expect(reached.has('better-sqlite3')).toBe(true); // the walk really follows main's imports
    const missing = [...reached].filter(([name]) => !(name in pkg.dependencies)).map(([name, file]) => `${name} (imported by ${file})`);
    expect(missing, 'move these to "dependencies": the packaged app loads them from node_modules').toEqual([]);
  });

  it('ships nothing that only the lab, the tests or the tooling use', () => {
    const usedByMain = new Set<string>();
    for (const file of sourcesUnder('src-main')) {
      for (const { specifier, kind } of findImports(readFileSync(file, 'utf8'))) {
        const name = packageName(specifier);
        if (name && kind !== 'type') usedByMain.add(name);
      }
    }
    const unused = Object.keys(pkg.dependencies).filter((name) => !usedByMain.has(name));
    expect(unused, 'move these to "devDependencies": no main-process code uses them').toEqual([]);
  });

  it('keeps the renderer bundle packages in devDependencies (vite bundles them; shipping them again is waste)', () => {
    const rendererPackages = new Set<string>();
    for (const file of sourcesUnder('src-renderer')) {
      for (const { specifier, kind } of findImports(readFileSync(file, 'utf8'))) {
        const name = packageName(specifier);
        if (name && kind !== 'type') rendererPackages.add(name);
      }
    }
    expect([...rendererPackages]).toEqual(expect.arrayContaining(['react', 'zustand']));
    for (const name of rendererPackages) {
      expect(pkg.devDependencies, name).toHaveProperty([name]);
      expect(pkg.dependencies, name).not.toHaveProperty([name]);
    }
  });
});
