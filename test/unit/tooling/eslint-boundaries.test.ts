/**
 * The architecture boundaries in eslint.config.mjs fail on a violating import, in every import form, and pass on
 * the imports each layer is allowed. Runs ESLint's Node API with the repository's real config on virtual files
 * (lintText with a filePath inside the layer), so nothing is written to the tree.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BOUNDARY_RULES = new Set(['proximity/import-boundaries', '@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** Boundary findings for `code` linted as if it lived at `file` (relative to the repository root). */
async function boundaryFindings(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: join(root, file) });
  const fatal = result.messages.filter((m) => m.fatal);
  expect(fatal, 'the sample must parse').toEqual([]);
  return result.messages.filter((m) => m.ruleId && BOUNDARY_RULES.has(m.ruleId)).map((m) => `${m.ruleId}: ${m.message}`);
}

const CORE = 'src-main/core/ports/virtual-sample.ts';
const RENDERER = 'src-renderer/features/apps/virtual-sample.tsx';
const CONTRACT = 'src-shared/contract/virtual-sample.ts';

describe('src-main/core never imports electron', { timeout: 120_000 }, () => {
  it.each([
    ["import { app } from 'electron';", 'no-restricted-imports'],
    ["import type { BrowserWindow } from 'electron/main';", 'no-restricted-imports'],
    ["export { app } from 'electron';", 'no-restricted-imports'],
    ["import 'electron';", 'no-restricted-imports'],
    ["import electron = require('electron');", 'no-restricted-imports'],
    ["export async function f() { return import('electron'); }", 'no-restricted-syntax'],
    ["// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const e = require('electron');", 'no-restricted-syntax'],
    ["export type App = typeof import('electron').app;", 'no-restricted-syntax'],
  ])('refuses %s', async (code, rule) => {
    const found = await boundaryFindings(CORE, code);
    expect(found.length, found.join('\n')).toBe(1);
    expect(found[0]).toContain(rule);
    expect(found[0]).toContain('core must not depend on Electron');
  });

  it('refuses relative imports out of core (platform, ipc) and computed specifiers', async () => {
    expect(await boundaryFindings(CORE, "import { createTray } from '../../platform/tray';")).toEqual([
      expect.stringMatching(/proximity\/import-boundaries: '..\/..\/platform\/tray' resolves to src-main\/platform\/tray.*core may import only core and the contract/),
    ]);
    expect(await boundaryFindings(CORE, "export * from '../../ipc/dispatcher';")).toHaveLength(1);
    expect(await boundaryFindings(CORE, "export async function f(name: string) { return import(name); }")).toEqual([
      expect.stringMatching(/computed import\(\) cannot be checked/),
    ]);
  });

  it('allows core, the contract, packages and look-alike package names', async () => {
    const code = [
      "import { ProximityError } from '../errors';",
      "import type { IpcError } from '../../../src-shared/contract/errors';",
      "import Database from 'better-sqlite3';",
      "import type { Store } from 'electron-store';",
      'export type T = [ProximityError, IpcError, Database.Database, Store];',
    ].join('\n');
    expect(await boundaryFindings(CORE, code)).toEqual([]);
  });
});

describe('src-renderer imports from outside itself only the shared contract and transport', { timeout: 120_000 }, () => {
  it.each([
    "import { ProximityError } from '../../../src-main/core/errors';",
    "import '../../../src-preload/index';",
    "import { fake } from '../../../test/fakes/electron-mock';",
    "export const lazy = () => import('../../../src-main/ipc/dispatcher');",
  ])('refuses %s', async (code) => {
    const found = await boundaryFindings(RENDERER, code);
    expect(found.length, found.join('\n')).toBe(1);
    expect(found[0]).toMatch(/^proximity\/import-boundaries: .*the renderer imports from outside itself only the shared contract/);
  });

  it('refuses electron', async () => {
    expect(await boundaryFindings(RENDERER, "import { ipcRenderer } from 'electron';")).toEqual([
      expect.stringContaining('the renderer is sandboxed'),
    ]);
  });

  it('allows itself, the contract and the transport', async () => {
    const code = [
      "import type { DesktopApi } from '../../../src-shared/contract/desktop-api';",
      "import * as wire from '../../../src-shared/transport/web-bridge-protocol';",
      "import { useSystemStore } from '../system/system-store';",
      'export const x: [DesktopApi | null, typeof wire, typeof useSystemStore] = [null, wire, useSystemStore];',
    ].join('\n');
    expect(await boundaryFindings(RENDERER, code)).toEqual([]);
  });
});

describe('src-shared/contract is pure', { timeout: 120_000 }, () => {
  it('refuses transport, main code and electron; allows itself', async () => {
    expect(await boundaryFindings(CONTRACT, "export * from '../transport/event-fanout';")).toEqual([
      expect.stringContaining('the contract imports only itself'),
    ]);
    expect(await boundaryFindings(CONTRACT, "import type { WebContents } from 'electron';")).toEqual([
      expect.stringContaining('must not depend on Electron'),
    ]);
    expect(await boundaryFindings(CONTRACT, "export * from './errors';")).toEqual([]);
  });
});

describe('the current tree', { timeout: 120_000 }, () => {
  it('keeps every boundary', async () => {
    const results = await eslint.lintFiles(['src-main/core', 'src-renderer', 'src-shared']);
    const found = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId && BOUNDARY_RULES.has(m.ruleId)).map((m) => `${r.filePath}:${m.line} ${m.message}`),
    );
    expect(results.length).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });
});
