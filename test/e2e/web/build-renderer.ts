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

/**
 * Builds the renderer when `out/renderer` is stale, once even when several test files ask at the same time
 * (vitest runs files in parallel): the first takes a lock directory (mkdir is atomic), the others wait for it to
 * go (deadline: `timeoutMs`) and then find the build fresh. A lock left by a killed run is taken over when older
 * than `timeoutMs`.
 */
export async function ensureFreshRenderer(root: string, timeoutMs = 170_000): Promise<void> {
  const lock = path.join(root, 'out', '.renderer-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!rendererBuildIsStale(root)) return;
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > timeoutMs) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another renderer build (${lock})`);
      await new Promise((resolve) => setTimeout(resolve, 200)); // poll the lock (a condition with a deadline)
    }
  }
  try {
    if (rendererBuildIsStale(root)) await buildRenderer(root);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
