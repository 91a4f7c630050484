import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    // The same check `electron-builder` runs before packaging, without packaging (no network needed).
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, electronFuses: { runAsNod: false } }, { isEnabled: false, add() {} })).rejects.toThrow();
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('unpacks the better-sqlite3 native module from the asar and rebuilds it for Electron', () => {
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*.node');
    expect(config.npmRebuild).toBe(true);
  });

  it('names the app and its targets, with icons that exist', () => {
    expect(config).toMatchObject({ appId: 'dev.proximity.desktop', productName: 'Proximity' });
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json', 'resources/**']));
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.maintainer).toBeTruthy();
    expect(config.mac).toMatchObject({ target: ['dmg'], hardenedRuntime: true, category: 'public.app-category.developer-tools' });
    expect(config.win.target).toEqual(['nsis']);
    for (const icon of [config.icon, config.linux.icon, config.mac.icon, config.win.icon]) {
      expect(existsSync(join(root, icon)), icon).toBe(true);
    }
    const png = readFileSync(join(root, config.icon));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    // Tray icons at 1x and 2x (Electron picks @2x on HiDPI); macOS uses the black "Template" variants.
    for (const [name, size] of [['tray.png', 16], ['tray@2x.png', 32], ['trayTemplate.png', 16], ['trayTemplate@2x.png', 32]] as const) {
      const t = readFileSync(join(root, 'resources', name));
      expect([t.readUInt32BE(16), t.readUInt32BE(20)], name).toEqual([size, size]);
    }
  });

  it('is what `npm run package` uses', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.package).toContain('electron-builder --config electron-builder.yml');
    // electron-builder rebuilds native modules itself (npmRebuild); ensure-native's Electron step would
    // demand the Electron binary, which a packaging machine fetched with ELECTRON_SKIP_BINARY_DOWNLOAD lacks.
    expect(pkg.scripts.package).not.toContain('ensure-native');
  });
});
