/**
 * `npm run web`: the renderer in an ordinary browser tab, talking to the REAL core through the same IPC
 * handlers as Electron, over a token-protected WebSocket on 127.0.0.1. For development and UI tests only.
 *
 *   npm run web -- [--port 5199] [--data-dir /path] [--lab]     (or PROXIMITY_DATA_DIR=/path)
 *
 * `--lab` also starts the lab (PVE emulator + simulated node; netns as root on Linux, else virtual) and saves a
 * ready connection "Lab" to it in the data folder (see scripts/web-lab.ts).
 *
 * Default data folder: ~/.proximity-dev/web (never the real app's data).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCore } from '../src-main/core/core-context';
import { resolveDataDir } from '../src-main/core/data-dir';
import { createCoreFeatures, type CoreFeatures } from '../src-main/core/runtime/core-features';
import { startWebBridge } from '../src-main/web-bridge';
import type { Lab } from '../test/lab/lab';
import { ensureLabConnection, labSecretCipher, startWebLab } from './web-lab';

const repoRoot = path.resolve(__dirname, '..');

function parsePort(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = arg.startsWith('--port=') ? arg.slice('--port='.length) : arg === '--port' ? argv[i + 1] : undefined;
    if (value === undefined) continue;
    const port = Number(value);
    if (!/^\d+$/.test(value) || port > 65535) throw new Error(`--port needs a number 0-65535 (0 = random), got "${value}"`);
    return port;
  }
  return 0;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string; productName?: string };
  const dataDir = resolveDataDir({ argv, env: process.env, defaultDir: path.join(os.homedir(), '.proximity-dev', 'web') });
  const withLab = argv.includes('--lab');
  let lab: Lab | undefined;
  if (withLab) {
    lab = await startWebLab((line) => console.log(line));
    console.log(`Lab: ${lab.info.backend} backend, API ${lab.info.management?.apiUrl ?? lab.info.api.url}, nodes ${lab.info.nodes.join(', ')}`);
  }
  const core = openCore({ dataDir, appVersion: pkg.version, ...(withLab && { secretCipher: labSecretCipher(dataDir) }) });
  let bridge;
  let features: CoreFeatures | undefined;
  try {
    if (lab) {
      const c = await ensureLabConnection(core, lab);
      console.log(`Connection "${c.name}" to the lab saved (TLS ${c.tlsFingerprint}, SSH ${c.ssh?.hostKeyFingerprint})`);
    }
    // the same wiring as the Electron shell: appliances, deploy connections, the built-in catalog
    features = await createCoreFeatures(core, { catalogDir: path.join(repoRoot, 'resources', 'catalog') });
    bridge = await startWebBridge({
      core,
      features: features.deps,
      port: parsePort(argv),
      staticDir: path.join(repoRoot, 'out', 'renderer'),
      appName: pkg.productName ?? 'Proximity',
      ...(withLab && {
        secretStorage: {
          backend: 'lab-key-file',
          encrypted: false,
          warning: 'The web bridge has no OS keychain: the lab\'s throwaway credentials are encrypted with a key file beside the database. Never add a real Proxmox host here.',
        },
      }),
    });
  } catch (e) {
    await features?.close();
    core.close();
    await lab?.close();
    throw e;
  }
  const opened = bridge;
  const wired = features;
  wired.start(); // reconcile + recover each saved connection in the background
  console.log(`Proximity web bridge (data: ${dataDir})`);
  console.log(`Open: ${opened.url}`);
  console.log('The token in that URL is required; keep it to yourself. Ctrl+C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await opened.close();
    await wired.close();
    core.close();
    await lab?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
