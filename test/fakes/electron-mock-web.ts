/**
 * Part of the electron mock (see electron-mock.ts for the API): frames, webContents, IPC and windows.
 */
import { Recorder, session } from './electron-mock-core';
import type { FakeSession, Fn } from './electron-mock-core';

export type Rect = { x: number; y: number; width: number; height: number };

// ---------------------------------------------------------------- webContents / frames
export type FakeFrame = { url: string; origin: string; parent: FakeFrame | null; top: FakeFrame | null; routingId: number };
function makeFrame(url: string, parent: FakeFrame | null): FakeFrame {
  let origin = 'null';
  try {
    origin = new URL(url).origin;
  } catch {
    /* keep 'null' like Chromium for opaque origins */
  }
  const f: FakeFrame = { url, origin, parent, top: null, routingId: Math.floor(Math.random() * 1e6) };
  f.top = parent ? parent.top : f;
  return f;
}

let nextWebContentsId = 1;
export class FakeWebContents extends Recorder {
  readonly id = nextWebContentsId++;
  windowOpenHandler: Fn | null = null;
  sent: Array<{ channel: string; args: unknown[] }> = [];
  mainFrame: FakeFrame = makeFrame('app://proximity/index.html', null);
  session: FakeSession = session.defaultSession;
  destroyed = false;
  devToolsOpened = false;
  setWindowOpenHandler(fn: Fn): void {
    this.windowOpenHandler = fn;
  }
  send(channel: string, ...args: unknown[]): void {
    const cloned = structuredClone(args); // real IPC serialises; non-cloneable payloads must fail here too
    this.sent.push({ channel, args: cloned });
    deliverToRenderer(channel, this, cloned);
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  openDevTools(): void {
    this.devToolsOpened = true;
  }
}

// ---------------------------------------------------------------- ipc
const ipcMainHandlers = new Map<string, Fn>();
const ipcMainListeners = new Map<string, Fn[]>();
export const ipcMain = {
  handlers: ipcMainHandlers,
  listeners: ipcMainListeners,
  handle(channel: string, fn: Fn): void {
    // Same rule as Electron: a second handler for a channel is a programming error.
    if (ipcMainHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcMainHandlers.set(channel, fn);
  },
  handleOnce(channel: string, fn: Fn): void {
    ipcMain.handle(channel, (...a: unknown[]) => {
      ipcMainHandlers.delete(channel);
      return fn(...a);
    });
  },
  removeHandler(channel: string): void {
    ipcMainHandlers.delete(channel);
  },
  on(channel: string, fn: Fn) {
    ipcMainListeners.set(channel, [...(ipcMainListeners.get(channel) ?? []), fn]);
    return ipcMain;
  },
  removeListener(channel: string, fn: Fn) {
    ipcMainListeners.set(channel, (ipcMainListeners.get(channel) ?? []).filter((l) => l !== fn));
    return ipcMain;
  },
  removeAllListeners(channel?: string) {
    if (channel) ipcMainListeners.delete(channel);
    else ipcMainListeners.clear();
    return ipcMain;
  },
};

const rendererListeners = new Map<string, Fn[]>();
let senderContents = new FakeWebContents();
let senderFrame: FakeFrame = senderContents.mainFrame;
function deliverToRenderer(channel: string, sender: FakeWebContents, args: unknown[]): void {
  for (const l of [...(rendererListeners.get(channel) ?? [])]) l({ sender }, ...args);
}
function fakeEvent() {
  return { sender: senderContents, senderFrame, frameId: senderFrame.routingId, processId: 1 };
}
export const ipcRenderer = {
  get __sender(): FakeWebContents {
    return senderContents;
  },
  /** Choose the frame the next invoke/send comes from: the top frame (default) or a subframe (e.g. an iframe). */
  __setSenderFrame(opts: { url: string; top: boolean }): void {
    if (opts.top) {
      senderContents.mainFrame = makeFrame(opts.url, null);
      senderFrame = senderContents.mainFrame;
    } else {
      senderFrame = makeFrame(opts.url, senderContents.mainFrame);
    }
  },
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = ipcMainHandlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    try {
      return structuredClone(await handler(fakeEvent(), ...structuredClone(args)));
    } catch (e) {
      // Electron keeps only the message of a thrown error; fields (code, details) are lost at the bridge.
      throw new Error(`Error invoking remote method '${channel}': ${String(e)}`, { cause: e });
    }
  },
  send(channel: string, ...args: unknown[]): void {
    for (const l of ipcMainListeners.get(channel) ?? []) l(fakeEvent(), ...structuredClone(args));
  },
  on(channel: string, fn: Fn) {
    rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), fn]);
    return ipcRenderer;
  },
  once(channel: string, fn: Fn) {
    const wrapped = (...a: unknown[]) => {
      ipcRenderer.removeListener(channel, wrapped);
      fn(...a);
    };
    return ipcRenderer.on(channel, wrapped);
  },
  removeListener(channel: string, fn: Fn) {
    rendererListeners.set(channel, (rendererListeners.get(channel) ?? []).filter((l) => l !== fn));
    return ipcRenderer;
  },
  removeAllListeners(channel?: string) {
    if (channel) rendererListeners.delete(channel);
    else rendererListeners.clear();
    return ipcRenderer;
  },
  listenerCount(channel: string): number {
    return rendererListeners.get(channel)?.length ?? 0;
  },
};

export const contextBridge = {
  exposed: {} as Record<string, unknown>,
  exposeInMainWorld(key: string, api: unknown): void {
    if (key in contextBridge.exposed) throw new Error('Cannot bind an API on top of an existing property on the window object');
    contextBridge.exposed[key] = api;
  },
};

// ---------------------------------------------------------------- windows
export class BrowserWindow extends Recorder {
  static instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }
  static fromWebContents(wc: unknown): BrowserWindow | null {
    return BrowserWindow.instances.find((w) => w.webContents === wc) ?? null;
  }
  static getFocusedWindow(): BrowserWindow | null {
    return BrowserWindow.instances.find((w) => w.focused && !w.destroyed) ?? null;
  }
  readonly webContents = new FakeWebContents();
  loadedUrls: string[] = [];
  destroyed = false;
  visible = false;
  focused = false;
  minimized = false;
  maximized = false;
  focusCalls = 0;
  private bounds: Rect;
  constructor(readonly options: Record<string, any> = {}) {
    super();
    const o = this.options;
    this.bounds = { x: o.x ?? 0, y: o.y ?? 0, width: o.width ?? 800, height: o.height ?? 600 };
    this.visible = o.show !== false;
    BrowserWindow.instances.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    this.webContents.mainFrame = makeFrame(url, null);
  }
  getBounds(): Rect {
    return { ...this.bounds };
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setBounds(b: Partial<Rect>): void {
    this.bounds = { ...this.bounds, ...b };
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  focus(): void {
    this.focusCalls++;
    this.focused = true;
  }
  isFocused(): boolean {
    return this.focused;
  }
  minimize(): void {
    this.minimized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  unmaximize(): void {
    this.maximized = false;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.emit('close', { preventDefault() {} });
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export function resetWeb(): void {
  ipcMainHandlers.clear();
  ipcMainListeners.clear();
  rendererListeners.clear();
  senderContents = new FakeWebContents();
  senderFrame = senderContents.mainFrame;
  contextBridge.exposed = {};
  for (const w of BrowserWindow.instances) w.removeAllListeners();
  BrowserWindow.instances = [];
}
