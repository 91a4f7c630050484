import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { ProximityError } from '../../../src-main/core/errors';
import { startWebBridge, type WebBridge } from '../../../src-main/web-bridge';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import { ensureFreshRenderer } from './build-renderer';

// page.evaluate callbacks run in the browser; this file is type-checked without the DOM lib.
type BrowserGlobals = { proximity: DesktopApi; sessionStorage: { getItem(key: string): string | null } };

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const staticDir = path.join(repoRoot, 'out', 'renderer');
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const haveChromium = fs.existsSync(CHROMIUM);

if (!haveChromium) console.warn(`[web-bridge e2e] skipped: ${CHROMIUM} does not exist (apt-get install chromium)`);

// The renderer in real Chromium, served by `startWebBridge` and talking to the real core (temp SQLite file)
// through the same handlers and dispatcher as Electron IPC.
describe.skipIf(!haveChromium)('npm run web bridge in real Chromium', () => {
  let dataDir: string;
  let core: CoreContext;
  let bridge: WebBridge;
  let browser: Browser;
  let appId: string;

  beforeAll(async () => {
    await ensureFreshRenderer(repoRoot);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-web-e2e-'));
    core = openCore({ dataDir, appVersion: pkg.version });
    appId = core.apps.insert({ catalogId: 'whoami', name: 'Who am I', hostname: 'whoami' }).id;
    core.ports.allocate(appId);
    bridge = await startWebBridge({ core, staticDir, logger: { error: console.error, warn: () => {} } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    core?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the real version and the SQLite schema version and integrity, with no CSP or script errors', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    try {
      await page.goto(bridge.url);
      await page.getByTestId('nav-system').click(); // the UI opens on Apps
      const version = page.getByTestId('system-version');
      await expect.poll(() => version.textContent(), { timeout: 15_000 }).toBe(pkg.version);
      const status = core.db.status();
      expect(status.schemaVersion).toBeGreaterThan(0);
      expect(await page.getByTestId('system-schema-version').textContent()).toBe(String(status.schemaVersion));
      expect(await page.getByTestId('system-integrity').textContent()).toBe('ok');
      expect(await page.getByTestId('system-runtime').textContent()).toBe('web-bridge');
      expect(await page.getByTestId('system-db-path').textContent()).toBe(status.path);
      expect(await page.getByTestId('system-journal-mode').textContent()).toBe('wal');
      expect(await page.getByTestId('system-public-range').textContent()).toBe('30000–30999');
      expect(await page.getByTestId('system-internal-range').textContent()).toBe('40000–40999');
      // The bridge keeps no secrets: it says so, and there is nothing to warn about.
      expect(await page.getByTestId('system-secret-storage').textContent()).toMatch(/^none/);
      expect(await page.getByTestId('secret-storage-warning').count()).toBe(0);
      // The token left the address bar (it lives in sessionStorage for this tab only).
      expect(page.url()).not.toContain(bridge.token);
      expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('proximity.bridgeToken'))).toBe(bridge.token);

      // Contract calls and events from the page itself, over the bridge.
      const fromPage = await page.evaluate(async () => {
        const api = (globalThis as unknown as BrowserGlobals).proximity;
        const apps = await new Promise<unknown>((resolve) => api.onAppsChanged(resolve));
        const invalid = await api.audit.list({ limit: 9999 });
        const external = await api.links.openExternal({ url: 'https://example.org/' });
        return { apps, invalid, external };
      });
      expect(fromPage.apps).toMatchObject([{ id: appId, ports: { public: 30000, internal: 40000 } }]);
      expect(fromPage.invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(fromPage.external).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } });

      // A page reload keeps working from the sessionStorage token.
      await page.reload();
      await page.getByTestId('nav-system').click(); // the UI opens on Apps
      await expect.poll(() => page.getByTestId('system-version').textContent(), { timeout: 15_000 }).toBe(pkg.version);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows a failing section by its error code while the rest of the screen still loads', async () => {
    // Same real core, except that reading the database status fails the way a vanished disk would.
    const failing: CoreContext = {
      ...core,
      db: {
        ...core.db,
        status: () => {
          throw new ProximityError('DB_ERROR', 'The database file is no longer readable.');
        },
      },
    };
    const broken = await startWebBridge({ core: failing, staticDir, logger: { error: () => {}, warn: () => {} } });
    const page = await browser.newPage();
    try {
      await page.goto(broken.url);
      await page.getByTestId('nav-system').click(); // the UI opens on Apps
      const banner = page.getByTestId('system-status-error');
      await expect.poll(() => banner.getAttribute('data-error-code'), { timeout: 15_000 }).toBe('DB_ERROR');
      expect(await banner.textContent()).toContain('The database file is no longer readable.');
      expect(await page.getByTestId('system-version').textContent()).toBe(pkg.version);
      expect(await page.getByTestId('system-schema-version').textContent()).toBe('—');
    } finally {
      await page.close();
      await broken.close();
    }
  });

  it('warns about unencrypted secrets until acknowledged, and follows ui.navigate from main', async () => {
    const secretStorage = { backend: 'basic_text', encrypted: false, warning: 'No system keyring was found, so saved secrets are only obfuscated.' };
    const weak = await startWebBridge({ core, staticDir, secretStorage, logger: { error: console.error, warn: () => {} } });
    const page = await browser.newPage();
    try {
      await page.goto(weak.url);
      await page.getByTestId('nav-system').click(); // the UI opens on Apps
      const banner = page.getByTestId('secret-storage-warning');
      await expect.poll(() => banner.getAttribute('data-backend'), { timeout: 15_000 }).toBe('basic_text');
      expect(await banner.textContent()).toContain('only obfuscated');
      await expect.poll(() => page.getByTestId('system-secret-storage').textContent()).toBe('basic_text, NOT encrypted');

      // Main (the tray, in Electron) sends the UI elsewhere; the banner stays on every screen until acknowledged.
      weak.hub.publish('ui.navigate', { view: 'deploy' });
      const title = page.getByTestId('screen-title');
      await expect.poll(() => title.textContent(), { timeout: 10_000 }).toBe('Deploy an app');
      expect(await page.getByTestId('coming-later').textContent()).toContain('Not connected yet');
      expect(await banner.count()).toBe(1);
      weak.hub.publish('ui.navigate', { view: 'canvas', appId });
      await expect.poll(() => title.textContent(), { timeout: 10_000 }).toBe('Canvas: Who am I');

      await page.getByTestId('secret-storage-acknowledge').click();
      await expect.poll(() => banner.count()).toBe(0);
      await page.getByTestId('nav-infrastructure').click();
      await expect.poll(() => title.textContent()).toBe('Infrastructure');
      await page.getByTestId('nav-system').click();
      await expect.poll(() => page.getByTestId('system-version').textContent()).toBe(pkg.version);
      expect(await banner.count()).toBe(0);
    } finally {
      await page.close();
      await weak.close();
    }
  });

  it('shows BRIDGE_UNAVAILABLE instead of data when the page is opened without the token', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(bridge.origin + '/');
      await page.getByTestId('nav-system').click(); // the UI opens on Apps
      await expect.poll(() => page.getByTestId('no-desktop-api').getAttribute('data-error-code')).toBe('BRIDGE_UNAVAILABLE');
    } finally {
      await page.close();
    }
  });

  it('with a wrong token, says once that authentication failed (and shows no data, no per-section errors)', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${bridge.origin}/?token=${'x'.repeat(43)}`);
      await page.getByTestId('nav-system').click(); // the UI opens on Apps
      const banner = page.getByTestId('connection-banner');
      await expect.poll(() => banner.getAttribute('data-state'), { timeout: 15_000 }).toBe('refused');
      expect(await banner.textContent()).toContain('authentication failed');
      // Give the three section loads their answers, then count: one message on the whole page.
      await expect.poll(() => page.getByTestId('system-refresh').isDisabled()).toBe(true);
      expect(await page.getByRole('alert').count()).toBe(1);
      expect(await page.getByTestId('system-status-error').count()).toBe(0);
      expect(await page.getByTestId('system-version').textContent()).toBe('—');
    } finally {
      await page.close();
    }
  });

  it('marks data stale as soon as the bridge stops, and reconnects and reloads by itself when it returns', async () => {
    const token = randomBytes(32).toString('base64url');
    const quiet = { error: () => {}, warn: () => {} };
    let live: WebBridge | null = await startWebBridge({ core, staticDir, token, logger: quiet });
    const port = Number(new URL(live.origin).port);
    const page = await browser.newPage();
    const card = page.getByTestId('system-status-card');
    const integrity = page.getByTestId('system-integrity');
    const banner = page.getByTestId('connection-banner');
    try {
      await page.goto(live.url);
      await page.getByTestId('nav-system').click(); // the UI opens on Apps
      await expect.poll(() => integrity.getAttribute('class'), { timeout: 15_000 }).toBe('good');
      expect(await card.getAttribute('data-stale')).toBe('false');

      await live.close();
      live = null;
      // No Refresh click: the page notices by itself, says it once, and stops showing a green "ok".
      await expect.poll(() => banner.getAttribute('data-state'), { timeout: 15_000 }).toBe('lost');
      expect(await page.getByRole('alert').count()).toBe(1);
      expect(await card.getAttribute('data-stale')).toBe('true');
      expect(await integrity.getAttribute('class')).toBeNull();
      expect(await integrity.textContent()).toBe('ok'); // the last known value, marked as such

      // Something changes while the bridge is away; the page must show it after reconnecting.
      core.settings.setPortRanges({ public: { start: 30000, end: 31999 } }); // (the app holds port 30000)
      live = await startWebBridge({ core, staticDir, token, port, logger: quiet });
      await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(0);
      await expect.poll(() => page.getByTestId('system-public-range').textContent(), { timeout: 10_000 }).toBe('30000–31999');
      expect(await card.getAttribute('data-stale')).toBe('false');
      expect(await integrity.getAttribute('class')).toBe('good');
      // Events flow again over the new connection.
      core.settings.setPortRanges({ public: { start: 30000, end: 32999 } });
      await expect.poll(() => page.getByTestId('system-public-range').textContent(), { timeout: 10_000 }).toBe('30000–32999');
    } finally {
      await page.close();
      await live?.close();
      core.settings.setPortRanges({ public: { start: 30000, end: 30999 } });
    }
  });

  it('refuses a WebSocket with a wrong token or a foreign Origin, and accepts the right pair', async () => {
    const wsUrl = (token: string) => `${bridge.origin.replace('http', 'ws')}/bridge?token=${encodeURIComponent(token)}`;
    expect(await connect(wsUrl('wrong-token'), bridge.origin)).toBe('refused 401');
    expect(await connect(wsUrl(''), bridge.origin)).toBe('refused 401');
    expect(await connect(wsUrl(bridge.token), 'http://evil.example')).toBe('refused 403');
    expect(await connect(wsUrl(bridge.token), 'http://localhost:' + new URL(bridge.origin).port)).toBe('refused 403');
    expect(await connect(wsUrl(bridge.token), undefined)).toBe('refused 403');
    // Control: the right token from the right Origin opens, so the refusals above are real.
    expect(await connect(wsUrl(bridge.token), bridge.origin)).toBe('open');
  });
});

function connect(url: string, origin: string | undefined): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(`refused ${res.statusCode}`);
      ws.terminate();
    });
    ws.once('error', (e) => resolve(`error ${e.message}`));
  });
}

