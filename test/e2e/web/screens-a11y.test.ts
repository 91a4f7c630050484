import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { startWebBridge, type WebBridge } from '../../../src-main/web-bridge';
import { seriousViolations } from './axe-check';
import { ensureFreshRenderer } from './build-renderer';
import { seedCore } from './seed-core';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const staticDir = path.join(repoRoot, 'out', 'renderer');
// Screenshots for people to look at (git-ignored, not compared).
const shotsDir = path.join(repoRoot, 'test-results', 'screens');
const haveChromium = fs.existsSync(CHROMIUM);
const SCREENS = ['apps', 'catalog', 'infrastructure', 'activity', 'settings', 'system'] as const;

// Every screen, dialog and menu of the UI in real Chromium under the real CSP, against the real core, in both
// themes: no serious or critical axe-core violation, no CSP violation or script error, and a screenshot each.
describe.skipIf(!haveChromium)('screens in real Chromium: accessibility in both themes', () => {
  let dataDir: string;
  let core: CoreContext;
  let bridge: WebBridge;
  let browser: Browser;
  let finishOperation: () => void = () => {};

  beforeAll(async () => {
    await ensureFreshRenderer(repoRoot);
    fs.mkdirSync(shotsDir, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-screens-'));
    core = openCore({ dataDir, appVersion: '0.0.0-test' });
    seedCore(core);
    // One operation still running (with steps and a log), one that failed: the drawer shows both.
    core.operations.start({ kind: 'deploy', title: 'Deploy Gitea', target: 'gitea' }, async (op) => {
      op.step('create');
      op.log('pct create 205 local:vztmpl/debian-12.tar.zst');
      op.progress(40);
      op.step('start');
      op.log('Starting container 205');
      await new Promise<void>((resolve) => (finishOperation = resolve));
    });
    core.operations.start({ kind: 'provision', title: 'Provision the network appliance', target: 'pve1' }, async (op) => {
      op.step('download template');
      op.log('Downloading debian-12-standard');
      throw new Error('storage local is full');
    });
    bridge = await startWebBridge({ core, staticDir, logger: { error: console.error, warn: () => {} } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    finishOperation();
    await browser?.close();
    await bridge?.close();
    core?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`${theme} theme (followed from the OS): every screen and overlay passes axe and the CSP`, async () => {
      // Reduced motion: overlays are captured fully drawn, not mid-animation.
      const context = await browser.newContext({ colorScheme: theme, reducedMotion: 'reduce', viewport: { width: 1360, height: 860 } });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      const found: Record<string, string[]> = {};
      const check = async (name: string) => {
        await page.screenshot({ path: path.join(shotsDir, `${name}-${theme}.png`) });
        const v = await seriousViolations(page);
        if (v.length) found[name] = v;
      };
      try {
        await page.goto(bridge.url);
        await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(theme);
        // (main replays its latest ui.navigate, e.g. the deploy request of an earlier run, so start from Apps)
        await page.getByTestId('nav-apps').click();
        await page.getByTestId('app-row').first().waitFor();
        for (const screen of SCREENS) {
          await page.getByTestId(`nav-${screen}`).click();
          await page.getByTestId(`${screen}-screen`).waitFor();
          if (screen === 'activity') await page.getByTestId('activity-table').waitFor();
          if (screen === 'system') await expect.poll(() => page.getByTestId('system-version').textContent()).toBe('0.0.0-test');
          if (screen === 'settings') await page.getByTestId('port-ranges-form').waitFor();
          await check(screen);
        }

        // Screens reached from elsewhere: deploy (tray / main), a canvas (the apps list), a toast (an export).
        bridge.hub.publish('ui.navigate', { view: 'deploy' });
        await page.getByTestId('deploy-screen').waitFor();
        await check('deploy');
        await page.getByTestId('nav-apps').click();
        await page.getByTestId('app-open-canvas').first().click();
        await page.getByTestId('canvas-not-connected').waitFor();
        await check('canvas');
        await page.getByTestId('nav-activity').click();
        await page.getByTestId('activity-export-csv').click();
        await page.getByTestId('toast').waitFor();
        await check('toast');
        await page.getByTestId('nav-infrastructure').click();
        await page.getByTestId('add-first-connection').click();
        await page.getByTestId('add-connection-dialog').waitFor();
        await page.getByTestId('connection-host').fill('https://pve');
        await page.getByTestId('connection-port').focus(); // leaves the host field: its error shows
        await check('add-connection');
        await page.keyboard.press('Escape');

        // Overlays: an app's details, the delete confirmation, the command palette, the operations drawer.
        await page.getByTestId('nav-apps').click();
        await page.getByTestId('app-details').first().click();
        await page.getByTestId('app-detail').waitFor();
        await check('app-detail');
        await page.keyboard.press('Escape');
        await page.getByTestId('app-actions').first().click();
        await page.getByTestId('app-actions-menu').waitFor();
        await check('apps-menu');
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+k');
        await page.getByTestId('command-palette').waitFor();
        await page.getByTestId('palette-input').fill('gitea');
        // The modal's scroll lock works under the CSP (an adopted stylesheet, not a refused <style> element).
        expect(await page.evaluate('getComputedStyle(document.body).overflow')).toBe('hidden');
        await check('palette');
        await page.keyboard.press('Escape');
        await page.getByTestId('open-operations').click();
        await page.getByTestId('operation-list').waitFor();
        await check('operations');
        await page.getByTestId('operation-item').filter({ hasText: 'Deploy Gitea' }).click();
        await page.getByTestId('operation-log').waitFor();
        await check('operation-details');
        await page.keyboard.press('Escape');
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('port-publicEnd').fill('20000');
        await check('settings-invalid');

        expect({ found, problems }).toEqual({ found: {}, problems: [] });
      } finally {
        await context.close();
      }
    }, 90_000);
  }

  it('the theme switch overrides the OS, persists across reloads, and can follow the OS again', async () => {
    const context = await browser.newContext({ colorScheme: 'light' });
    const page = await context.newPage();
    const theme = () => page.locator('html').getAttribute('data-theme');
    try {
      await page.goto(bridge.url);
      await expect.poll(theme).toBe('light');
      await page.getByTestId('theme-dark').click();
      await expect.poll(theme).toBe('dark');
      await page.reload();
      await expect.poll(theme).toBe('dark');
      await page.getByTestId('theme-system').click();
      await expect.poll(theme).toBe('light');
      await page.emulateMedia({ colorScheme: 'dark' }); // the OS switches: followed live
      await expect.poll(theme).toBe('dark');
    } finally {
      await context.close();
    }
  });
});
