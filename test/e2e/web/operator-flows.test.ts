import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { openCore, type CoreContext } from '../../../src-main/core/core-context';
import { startWebBridge, type WebBridge } from '../../../src-main/web-bridge';
import { ensureFreshRenderer } from './build-renderer';
import { seedCore } from './seed-core';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const haveChromium = fs.existsSync(CHROMIUM);

// What an operator does today, in real Chromium against the real core over `npm run web`'s bridge: everything
// the screen shows arrives through the contract, and every change made in core shows up without a reload.
describe.skipIf(!haveChromium)('operator flows in real Chromium', () => {
  let dataDir: string;
  let core: CoreContext;
  let bridge: WebBridge;
  let browser: Browser;
  let page: Page;
  let ids: string[];
  const problems: string[] = [];

  beforeAll(async () => {
    await ensureFreshRenderer(repoRoot);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proximity-flows-'));
    core = openCore({ dataDir, appVersion: '0.0.0-flows' });
    ids = seedCore(core);
    bridge = await startWebBridge({ core, staticDir: path.join(repoRoot, 'out', 'renderer'), logger: { error: console.error, warn: () => {} } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    core?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    problems.length = 0;
    page = await browser.newPage({ viewport: { width: 1360, height: 860 }, acceptDownloads: true });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(bridge.url);
    await page.getByTestId('nav-apps').click();
    await page.getByTestId('app-row').first().waitFor();
  });
  afterEach(async () => {
    await page.close();
    expect(problems).toEqual([]);
  });

  const row = (id: string) => page.locator(`[data-testid="app-row"][data-app-id="${id}"]`);

  it('the apps list follows core live, and searches', async () => {
    const gitea = ids[1];
    expect(await row(gitea).getAttribute('data-status')).toBe('running');
    core.apps.updateStatus(gitea, 'stopped');
    await expect.poll(() => row(gitea).getAttribute('data-status')).toBe('stopped');
    expect(await row(gitea).getByTestId('app-status').textContent()).toBe('Stopped');
    await page.getByTestId('apps-search').fill('gite');
    await expect.poll(() => page.getByTestId('app-row').count()).toBe(1);
    expect(await page.getByTestId('apps-count').textContent()).toBe(`1 of ${ids.length} apps`);
    core.apps.updateStatus(gitea, 'running');
  });

  it('cancels a running operation from the drawer and reports it with a toast', async () => {
    const op = core.operations.start({ kind: 'deploy', title: 'Deploy Immich', target: ids[9] }, async (ctx) => {
      ctx.step('download');
      ctx.log('fetching template');
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    });
    await expect.poll(() => page.getByTestId('operations-running-count').textContent()).toBe('1');
    await page.getByTestId('open-operations').click();
    await page.locator(`[data-testid="operation-item"][data-operation-id="${op.id}"]`).click();
    await expect.poll(() => page.getByTestId('operation-log').textContent()).toContain('[download] fetching template');
    await page.getByTestId('operation-cancel').click();
    await expect.poll(() => page.getByTestId('operation-state').getAttribute('data-state')).toBe('cancelled');
    expect(core.operations.get(op.id)?.state).toBe('cancelled');
    await expect.poll(() => page.getByTestId('toast').textContent()).toContain('Deploy Immich: cancelled');
  });

  it('saves port ranges checked as you type, and the System screen shows the change', async () => {
    await page.getByTestId('nav-settings').click();
    const end = page.getByTestId('port-publicEnd');
    await end.fill('29000');
    expect(await end.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('port-ranges-save').isDisabled()).toBe(true);
    await end.fill('31999');
    await page.getByTestId('port-ranges-save').click();
    await page.getByTestId('port-ranges-saved').waitFor();
    expect(core.settings.getPortRanges().public).toEqual({ start: 30000, end: 31999 });
    await page.getByTestId('nav-system').click();
    await expect.poll(() => page.getByTestId('system-public-range').textContent()).toBe('30000–31999');
    core.settings.setPortRanges({ public: { start: 30000, end: 30999 } });
  });

  it('exports the filtered activity as a CSV file made in the page', async () => {
    await page.getByTestId('nav-activity').click();
    await page.getByTestId('activity-table').waitFor();
    await page.getByTestId('activity-action-filter').selectOption('ports.allocate');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('activity-export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^proximity-activity-.*\.csv$/);
    const lines = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,at,actor,action,target,details');
    expect(lines.slice(1).every((l) => l.includes(',ports.allocate,'))).toBe(true);
    expect(lines).toHaveLength(1 + ids.length);
  });

  it('Ctrl+K finds an app and opens its canvas', async () => {
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill('vaultw');
    await page.keyboard.press('Enter');
    await page.getByTestId('palette-open-canvas').click();
    await expect.poll(() => page.getByTestId('screen-title').textContent()).toBe('Canvas: Vaultwarden');
  });
});
