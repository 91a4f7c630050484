import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findImports, isElectronSpecifier } from './import-detector';

// Layering by runtime (see STYLE.md): core is plain Node, the renderer talks only through the contract.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

function sourcesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourcesUnder(p));
    else if (SOURCE.test(name)) out.push(p);
  }
  return out;
}

/** Where a relative specifier points (extension-less is fine: we only compare directories). */
const target = (file: string, spec: string) => (spec.startsWith('.') ? resolve(dirname(file), spec) : null);
const inside = (p: string, dir: string) => p === join(root, dir) || p.startsWith(join(root, dir) + sep);

function violations(dir: string, check: (file: string, spec: string, kind: string) => string | null): string[] {
  const found: string[] = [];
  for (const file of sourcesUnder(join(root, dir))) {
    for (const { specifier, kind } of findImports(readFileSync(file, 'utf8'))) {
      const why = check(file, specifier, kind);
      if (why) found.push(`${relative(root, file)}: ${kind} '${specifier}' (${why})`);
    }
  }
  return found;
}

function coreViolation(file: string, spec: string): string | null {
  if (spec === '<dynamic>') return 'computed import/require cannot be checked';
  if (isElectronSpecifier(spec)) return 'core must not depend on Electron';
  const t = target(file, spec);
  if (t && !inside(t, 'src-main/core') && !inside(t, 'src-shared/contract')) return 'core may import only core and the contract';
  return null;
}

function rendererViolation(file: string, spec: string): string | null {
  if (isElectronSpecifier(spec)) return 'the renderer is sandboxed; it reaches main only through the preload API';
  const t = target(file, spec);
  if (t && inside(t, 'src-main')) return 'the renderer must not import main-process code';
  if (t && inside(t, 'src-preload')) return 'only the contract (types/schemas) is shared';
  // as eslint.config.mjs: from outside itself only the shared contract and transport (never test, scripts, ...)
  if (t && !['src-renderer', 'src-shared/contract', 'src-shared/transport'].some((d) => inside(t, d))) {
    return 'the renderer imports from outside itself only the shared contract and transport';
  }
  return null;
}

describe('import detector', () => {
  // The architecture tests are only as good as this detector, so prove it sees every form.
  it('finds static, type, dynamic and require imports, and ignores comments and strings', () => {
    const sample = [
      "import { app } from 'electron';",
      "import type { BrowserWindow } from 'electron/main';",
      "import 'electron';",
      "export { x } from './x';",
      "export * from \"../y\";",
      'import {\n  a,\n  b,\n} from "multi";',
      "const m = await import('electron');",
      "const e = require ( 'electron' );",
      'const d = require(name);',
      "// import nope from 'commented';",
      "/* require('block-commented') */",
      "const s = 'import fake from \"in-string\"';",
      "const url = 'http://example.com'; import later from 'later';",
      'class Repo { require(id: string): Row { return this.require(id); } }',
    ].join('\n');
    const refs = findImports(sample).map((r) => `${r.kind}:${r.specifier}`);
    expect(refs).toEqual(
      expect.arrayContaining([
        'static:electron',
        'type:electron/main',
        'static:./x',
        'static:../y',
        'static:multi',
        'dynamic:electron',
        'require:electron',
        'require:<dynamic>',
        'static:later',
      ]),
    );
    expect(refs.filter((r) => r === 'static:electron')).toHaveLength(2);
    expect(refs.filter((r) => r === 'require:<dynamic>')).toHaveLength(1); // `require(name)`, not the method
    expect(refs.join(' ')).not.toMatch(/commented|in-string/);
    expect(isElectronSpecifier('electron')).toBe(true);
    expect(isElectronSpecifier('electron/renderer')).toBe(true);
    expect(isElectronSpecifier('electron-store')).toBe(false);
  });

  it('the core and renderer checks reject what they should', () => {
    const coreFile = join(root, 'src-main/core/store/x.ts');
    expect(coreViolation(coreFile, 'electron')).not.toBeNull();
    expect(coreViolation(coreFile, '../../platform/tray')).not.toBeNull();
    expect(coreViolation(coreFile, '../../../src-shared/contract/errors')).toBeNull();
    expect(coreViolation(coreFile, './migrator')).toBeNull();
    expect(coreViolation(coreFile, 'better-sqlite3')).toBeNull();
    const rendererFile = join(root, 'src-renderer/features/apps/list.tsx');
    expect(rendererViolation(rendererFile, '../../../src-main/core/errors')).not.toBeNull();
    expect(rendererViolation(rendererFile, '../../../src-preload/index')).not.toBeNull();
    expect(rendererViolation(rendererFile, '../../../src-shared/contract/schemas')).toBeNull();
    expect(rendererViolation(rendererFile, 'electron')).not.toBeNull();
    expect(rendererViolation(rendererFile, '../../../test/fakes/electron-mock-web')).not.toBeNull();
    expect(rendererViolation(rendererFile, '../../../scripts/web')).not.toBeNull();
    expect(rendererViolation(rendererFile, '../../../src-shared/transport/bridge-connection')).toBeNull();
    expect(rendererViolation(rendererFile, '../../lib/format')).toBeNull();
  });
});

describe('layering', () => {
  it('src-main/core never imports electron (static, dynamic or require) nor platform/ipc code', () => {
    expect(sourcesUnder(join(root, 'src-main/core')).length).toBeGreaterThan(0);
    expect(violations('src-main/core', coreViolation)).toEqual([]);
  });

  it('the contract is pure: no electron, no main or renderer code', () => {
    expect(
      violations('src-shared/contract', (file, spec) => {
        if (isElectronSpecifier(spec)) return 'the contract is shared with the renderer';
        const t = target(file, spec);
        return t && !inside(t, 'src-shared/contract') ? 'the contract imports only itself' : null;
      }),
    ).toEqual([]);
  });

  it('the transport (shared with the renderer) imports only itself and the contract, never electron', () => {
    expect(sourcesUnder(join(root, 'src-shared/transport')).length).toBeGreaterThan(0);
    expect(
      violations('src-shared/transport', (file, spec) => {
        if (isElectronSpecifier(spec)) return 'the transport is shared with the renderer';
        const t = target(file, spec);
        return t && !inside(t, 'src-shared/transport') && !inside(t, 'src-shared/contract') ? 'the transport imports only itself and the contract' : null;
      }),
    ).toEqual([]);
  });

  it('src-renderer imports nothing from src-main and only the contract from src-preload', () => {
    expect(violations('src-renderer', rendererViolation)).toEqual([]);
  });
});
