/**
 * Part of the electron mock (see electron-mock.ts for the API): safeStorage, tray, menus, images, shell,
 * notifications, dialogs and screen.
 */
import { existsSync } from 'node:fs';
import { Recorder } from './electron-mock-core';
import type { Rect } from './electron-mock-web';

export type FakeDisplay = { id: number; bounds: Rect; workArea: Rect; scaleFactor: number };

// ---------------------------------------------------------------- safeStorage
const SAFE_PREFIX = Buffer.from('mock-safe:');
type StorageBackend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';
const safeState = { available: true, backend: 'gnome_libsecret' as StorageBackend };
const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
export const safeStorage = {
  __configure(opts: { available?: boolean; backend?: StorageBackend }): void {
    if (opts.available !== undefined) safeState.available = opts.available;
    if (opts.backend !== undefined) safeState.backend = opts.backend;
  },
  isEncryptionAvailable(): boolean {
    return safeState.available;
  },
  getSelectedStorageBackend(): StorageBackend {
    return safeState.backend;
  },
  encryptString(plain: string): Buffer {
    if (!safeState.available) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    return Buffer.concat([SAFE_PREFIX, xor(Buffer.from(plain, 'utf8'))]);
  },
  decryptString(buf: Buffer): string {
    if (!safeState.available) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
    if (!Buffer.isBuffer(buf) || !buf.subarray(0, SAFE_PREFIX.length).equals(SAFE_PREFIX)) {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
    return xor(buf.subarray(SAFE_PREFIX.length)).toString('utf8');
  },
};

// ---------------------------------------------------------------- tray, menu, images
export class FakeNativeImage {
  constructor(readonly path: string | null) {}
  isEmpty(): boolean {
    return this.path === null || !existsSync(this.path);
  }
  getSize() {
    return this.isEmpty() ? { width: 0, height: 0 } : { width: 16, height: 16 };
  }
  resize(): FakeNativeImage {
    return this;
  }
  setTemplateImage(): void {}
}
export const nativeImage = {
  createFromPath: (p: string) => new FakeNativeImage(p),
  createEmpty: () => new FakeNativeImage(null),
};

export const Menu = {
  applicationMenu: undefined as unknown,
  buildFromTemplate(template: unknown[]) {
    return { template, items: template };
  },
  setApplicationMenu(menu: unknown): void {
    Menu.applicationMenu = menu;
  },
};

export class Tray extends Recorder {
  static instances: Tray[] = [];
  tooltip = '';
  contextMenu: unknown = null;
  destroyed = false;
  constructor(public image: unknown) {
    super();
    Tray.instances.push(this);
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setContextMenu(m: unknown): void {
    this.contextMenu = m;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

// ---------------------------------------------------------------- shell, notifications, dialogs, screen
export const shell = {
  openedExternal: [] as string[],
  async openExternal(url: string): Promise<void> {
    shell.openedExternal.push(url);
  },
};

export class Notification extends Recorder {
  static instances: Notification[] = [];
  static shown: Array<Record<string, unknown>> = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    Notification.instances.push(this);
  }
  show(): void {
    Notification.shown.push(this.options);
  }
  close(): void {}
}

export const dialog = {
  errorBoxes: [] as Array<{ title: string; content: string }>,
  messageBoxes: [] as unknown[],
  __messageBoxResponse: 0,
  showErrorBox(title: string, content: string): void {
    dialog.errorBoxes.push({ title, content });
  },
  async showMessageBox(...args: unknown[]) {
    dialog.messageBoxes.push(args);
    return { response: dialog.__messageBoxResponse, checkboxChecked: false };
  },
  async showOpenDialog() {
    return { canceled: true, filePaths: [] as string[] };
  },
};

const defaultDisplays = (): FakeDisplay[] => [
  { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1 },
];
let displays = defaultDisplays();
export const screen = {
  __setDisplays(d: FakeDisplay[]): void {
    displays = d;
  },
  getAllDisplays: (): FakeDisplay[] => displays,
  getPrimaryDisplay: (): FakeDisplay => displays[0],
  getDisplayMatching(r: Rect): FakeDisplay {
    const overlap = (d: FakeDisplay) =>
      Math.max(0, Math.min(r.x + r.width, d.bounds.x + d.bounds.width) - Math.max(r.x, d.bounds.x)) *
      Math.max(0, Math.min(r.y + r.height, d.bounds.y + d.bounds.height) - Math.max(r.y, d.bounds.y));
    return displays.reduce((best, d) => (overlap(d) > overlap(best) ? d : best), displays[0]);
  },
};

export function resetDesktop(): void {
  safeState.available = true;
  safeState.backend = 'gnome_libsecret';
  Tray.instances = [];
  Menu.applicationMenu = undefined;
  shell.openedExternal = [];
  Notification.instances = [];
  Notification.shown = [];
  dialog.errorBoxes = [];
  dialog.messageBoxes = [];
  dialog.__messageBoxResponse = 0;
  displays = defaultDisplays();
}
