import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findImports } from '../architecture/import-detector';

const root = path.resolve(__dirname, '..', '..', '..');

/** Every module reachable from `entry` through runtime (non-type) imports, and the bare packages they load. */
function runtimeGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const queue = [path.join(root, entry)];
  while (queue.length) {
    const file = queue.shift()!;
    if (files.includes(file)) continue;
    files.push(file);
    for (const { specifier, kind } of findImports(fs.readFileSync(file, 'utf8'))) {
      if (kind === 'type') continue;
      if (!specifier.startsWith('.')) {
        packages.add(specifier);
        continue;
      }
      const base = path.resolve(path.dirname(file), specifier);
      const resolved = ['.ts', '.tsx', '/index.ts'].map((ext) => base + ext).find((p) => fs.existsSync(p));
      if (resolved) queue.push(resolved);
      else if (!/\.(css|svg|png)$/.test(specifier)) throw new Error(`${file}: cannot resolve ${specifier}`);
    }
  }
  return { files: files.map((f) => path.relative(root, f)), packages };
}

describe('runtime imports across the sandbox boundary', () => {
  it('the preload loads only electron and zod-free contract modules (a sandboxed preload can require nothing else)', () => {
    const { files, packages } = runtimeGraph('src-preload/index.ts');
    expect([...packages]).toEqual(['electron']);
    for (const f of files) expect(f.startsWith('src-preload/') || f.startsWith('src-shared/'), f).toBe(true);
    expect(files).not.toContain('src-shared/contract/channels.ts');
  });

  it('the renderer bundle does not pull in zod or main-process code', () => {
    const { files, packages } = runtimeGraph('src-renderer/main.tsx');
    expect([...packages].filter((p) => p === 'zod' || p.startsWith('node:') || p === 'electron')).toEqual([]);
    for (const f of files) expect(f.startsWith('src-main/'), f).toBe(false);
  });
});
