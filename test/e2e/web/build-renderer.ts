import fs from 'node:fs';
import path from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';

/**
 * Builds only the renderer, with exactly the config `electron-vite build` uses for it (same presets, same
 * output folder), so this test does not depend on the main/preload bundles building.
 */
export async function buildRenderer(root: string): Promise<void> {
  process.env.NODE_ENV_ELECTRON_VITE = 'production';
  const resolved = await resolveConfig({ root, logLevel: 'warn' }, 'build', 'production');
  const renderer = resolved.config?.renderer;
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer section');
  await build(renderer);
}

/**
 * True when `out/renderer` is missing or older than any renderer source, so a test never checks a stale
 * bundle (CI builds first, so there it is always fresh and this returns false).
 */
export function rendererBuildIsStale(root: string): boolean {
  const built = path.join(root, 'out', 'renderer', 'index.html');
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  const sources = [path.join(root, 'src-renderer'), path.join(root, 'src-shared'), path.join(root, 'electron.vite.config.ts')];
  return sources.some((p) => newestMtime(p) > builtAt);
}

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(p).map((name) => newestMtime(path.join(p, name))));
}
