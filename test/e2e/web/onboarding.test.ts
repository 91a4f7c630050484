// ACCEPTANCE (issue 11, end to end: onboarding with fingerprint confirmation). In real Chromium over `npm run
// web`'s bridge, against the real core and the lab (virtual backend): a first run leads to adding a connection;
// the operator checks the certificate and SSH host key fingerprints (compared here with what the lab says it
// made), confirms, saves, sees every part of "Test connection" pass, and finds the node on the Infrastructure
// screen; a replaced certificate is explained and re-pinned on confirmation. Every dialog touched passes axe (no serious/critical) in both themes; screenshots in test-results/screens.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { startWebBridge, type WebBridge } from '../../../src-main/web-bridge';
import { aesCipher } from '../../integration/connections/connection-kit';
import { startLab, type Lab } from '../../lab/lab';
import { seriousViolations } from './axe-check';
import { ensureFreshRenderer } from './build-renderer';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const shotsDir = path.join(repoRoot, 'test-results', 'screens');
const haveChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!haveChromium)('onboarding in real Chromium against the lab', () => {
  let lab: Lab;
  let browser: Browser;

  beforeAll(async () => {
    await ensureFreshRenderer(repoRoot);
    fs.mkdirSync(shotsDir, { recursive: true });
    lab = await startLab({ backend: 'virtual', taskSeconds: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await lab?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`${theme} theme: add a connection, confirm fingerprint and host key, every test part ok, the node on Infrastructure`, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-onboarding-'));
      const core: CoreContext = openCore({ dataDir, appVersion: '0.0.0-e2e', secretCipher: aesCipher(), proxmox: { busyIntervalMs: 200, idleIntervalMs: 500, requestTimeoutMs: 5000 } });
      const bridge: WebBridge = await startWebBridge({ core, staticDir: path.join(repoRoot, 'out', 'renderer'), logger: { error: console.error, warn: () => {} } });
      const context = await browser.newContext({ colorScheme: theme, reducedMotion: 'reduce', viewport: { width: 1360, height: 900 } });
      const page: Page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      const found: Record<string, string[]> = {};
      const check = async (name: string) => {
        await page.screenshot({ path: path.join(shotsDir, `onboarding-${name}-${theme}.png`), fullPage: true });
        const v = await seriousViolations(page);
        if (v.length) found[name] = v;
      };
      const { api, ssh } = lab.info;
      try {
        await page.goto(bridge.url);
        await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
        // First run: no app and no connection, so the home screen leads to adding a connection.
        await page.getByTestId('apps-first-run').waitFor();
        await check('first-run');
        await page.getByTestId('first-run-add-connection').click();
        await page.getByTestId('infrastructure-screen').waitFor();
        const dialog = page.getByTestId('add-connection-dialog');
        await dialog.waitFor();
        await page.getByTestId('connection-name').fill('Lab');
        await page.getByTestId('connection-host').fill('127.0.0.1');
        await page.getByTestId('connection-port').fill(new URL(api.url).port);
        await page.getByTestId('connection-tokenId').fill(api.tokenId);
        await page.getByTestId('connection-tokenSecret').fill(api.tokenSecret);
        await page.getByTestId('connection-sshHost').fill(ssh!.host);
        await page.getByTestId('connection-sshPort').fill(String(ssh!.port));
        await page.getByTestId('connection-sshKey').fill(fs.readFileSync(ssh!.privateKeyPath, 'utf8'));
        expect(await page.getByTestId('connection-save').isDisabled()).toBe(true);
        await check('form');

        await page.getByTestId('connection-probe').click();
        await expect.poll(() => page.getByTestId('tls-fingerprint').textContent(), { timeout: 15_000 }).toBe(api.fingerprint);
        expect(await page.getByTestId('ssh-fingerprint').textContent()).toBe(ssh!.hostKeyFingerprint);
        expect(await page.getByTestId('connection-save').isDisabled()).toBe(true);
        await page.getByTestId('connection-fingerprints').scrollIntoViewIfNeeded();
        await check('fingerprints');
        await page.getByTestId('connection-confirm').check();
        await page.getByTestId('connection-save').click();

        await page.getByTestId('connection-saved').waitFor({ timeout: 15_000 });
        const parts = page.getByTestId('connection-test-results').locator('li');
        await expect.poll(() => parts.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-state'))), { timeout: 30_000 }).toEqual(Array(6).fill('ok'));
        expect(await parts.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-part')))).toEqual(['tcp', 'tls', 'auth', 'privileges', 'ssh', 'pct']);
        await check('tested');
        await page.getByTestId('connection-done').click();

        // The node, from cluster.get and then the live cluster.changed (main polls while this tab is visible).
        await page.getByTestId('connection-item').waitFor();
        const status = page.getByTestId('nodes-table').getByTestId('node-status');
        await expect.poll(() => status.allTextContents(), { timeout: 15_000 }).toEqual(['online']);
        await expect.poll(() => page.getByTestId('connection-health').textContent(), { timeout: 15_000 }).toBe('ok');
        expect(await page.getByTestId('nodes-table').textContent()).toMatch(/free/);
        await check('infrastructure');
        expect(core.connectionService.list()).toMatchObject([{ name: 'Lab', tlsFingerprint: api.fingerprint }]);

        // A replaced certificate (the pin made stale behind the UI's back): the test says so, the panel explains
        // and shows old and new, and re-pins only when the operator confirms.
        const stale = Array(32).fill('AA').join(':');
        await core.connectionService.repin({ id: core.connectionService.list()[0].id, kind: 'tls', fingerprint: stale }, 'e2e');
        await page.getByTestId('connection-item-test').click();
        await page.getByTestId('repin-panel').waitFor({ timeout: 15_000 });
        await page.getByTestId('repin-look').click();
        await expect.poll(() => page.getByTestId('repin-new').textContent(), { timeout: 15_000 }).toBe(api.fingerprint);
        await check('repin');
        await page.getByTestId('repin-confirm').click();
        await page.getByTestId('repin-panel').waitFor({ state: 'detached', timeout: 30_000 });
        expect(core.connectionService.list()[0].tlsFingerprint).toBe(api.fingerprint);

        // The other dialogs: edit (secrets kept unless re-entered) and remove (asks first).
        await page.getByTestId('connection-item-edit').click();
        await dialog.waitFor();
        await check('edit');
        await page.keyboard.press('Escape');
        await page.getByTestId('connection-item-remove').click();
        await page.getByTestId('remove-connection-dialog').waitFor();
        await check('remove');
        await page.getByTestId('confirm-cancel').click();
        expect(core.connectionService.list()).toHaveLength(1);
      } finally {
        await context.close();
        await bridge.close();
        core.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
      expect(found).toEqual({});
      expect(problems).toEqual([]);
    }, 180_000);
  }
});
