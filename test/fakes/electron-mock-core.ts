/**
 * Part of the electron mock (see electron-mock.ts for the API): app, sessions and protocol, which share the
 * "ready" state.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Fn = (...args: any[]) => any;

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; productName?: string; name: string };
const userDataRoot = join(tmpdir(), `proximity-electron-mock-${process.pid}`);

/** An EventEmitter that also lets tests read what was registered. */
export class Recorder extends EventEmitter {
  listenersOf(event: string): Fn[] {
    return this.listeners(event) as Fn[];
  }
  __emit(event: string, ...args: unknown[]): boolean {
    return this.emit(event, ...args);
  }
}

// ---------------------------------------------------------------- app
class FakeApp extends Recorder {
  isPackaged = false;
  quitCalls = 0;
  exitCalls: number[] = [];
  appUserModelId: string | undefined;
  paths = new Map<string, string>();
  commandLineSwitches: Array<[string, string | undefined]> = [];
  commandLine = { appendSwitch: (s: string, v?: string) => void this.commandLineSwitches.push([s, v]) };
  private ready = false;
  private singleInstanceLock = true;
  private appPath = repoRoot;
  getPath(name: string): string {
    const p = this.paths.get(name) ?? join(userDataRoot, name);
    mkdirSync(p, { recursive: true });
    return p;
  }
  setPath(name: string, p: string): void {
    this.paths.set(name, p);
  }
  getVersion(): string {
    return pkg.version;
  }
  getName(): string {
    return pkg.productName ?? pkg.name;
  }
  getAppPath(): string {
    return this.appPath;
  }
  __setAppPath(p: string): void {
    this.appPath = p;
  }
  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    return Promise.resolve().then(() => {
      this.ready = true;
    });
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }
  __setSingleInstanceLock(v: boolean): void {
    this.singleInstanceLock = v;
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code = 0): void {
    this.exitCalls.push(code);
  }
  focus(): void {}
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  __resetState(): void {
    this.removeAllListeners();
    this.ready = false;
    this.singleInstanceLock = true;
    this.quitCalls = 0;
    this.exitCalls = [];
    this.appUserModelId = undefined;
    this.paths.clear();
    this.commandLineSwitches = [];
    this.appPath = repoRoot;
  }
}
export const app = new FakeApp();

// ---------------------------------------------------------------- sessions
export class FakeSession extends Recorder {
  permissionRequestHandler: Fn | null = null;
  permissionCheckHandler: Fn | null = null;
  devicePermissionHandler: Fn | null = null;
  webRequest = {
    headersReceived: [] as Array<{ filter: unknown; listener: Fn }>,
    onHeadersReceived: (a: unknown, b?: Fn) => {
      const [filter, listener] = typeof a === 'function' ? [undefined, a as Fn] : [a, b as Fn];
      this.webRequest.headersReceived.push({ filter, listener });
    },
  };
  constructor(readonly partition: string) {
    super();
  }
  setPermissionRequestHandler(fn: Fn | null): void {
    this.permissionRequestHandler = fn;
  }
  setPermissionCheckHandler(fn: Fn | null): void {
    this.permissionCheckHandler = fn;
  }
  setDevicePermissionHandler(fn: Fn | null): void {
    this.devicePermissionHandler = fn;
  }
}
const partitions = new Map<string, FakeSession>();
export const session = {
  defaultSession: new FakeSession(''),
  fromPartition(partition: string): FakeSession {
    let s = partitions.get(partition);
    if (!s) {
      s = new FakeSession(partition);
      partitions.set(partition, s);
      app.emit('session-created', s);
    }
    return s;
  },
  __all(): FakeSession[] {
    return [session.defaultSession, ...partitions.values()];
  },
};

// ---------------------------------------------------------------- protocol
const protocolHandlers = new Map<string, Fn>();
export const protocol = {
  privilegedSchemes: [] as Array<{ scheme: string; privileges?: Record<string, boolean> }>,
  handlers: protocolHandlers,
  registerSchemesAsPrivileged(schemes: Array<{ scheme: string; privileges?: Record<string, boolean> }>): void {
    if (app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    protocol.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, fn: Fn): void {
    if (!app.isReady()) throw new Error('protocol.handle cannot be called before the app is ready');
    if (protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    protocolHandlers.set(scheme, fn);
  },
  unhandle(scheme: string): void {
    protocolHandlers.delete(scheme);
  },
  isProtocolHandled(scheme: string): boolean {
    return protocolHandlers.has(scheme);
  },
};

export function resetCore(): void {
  app.__resetState();
  session.defaultSession = new FakeSession('');
  partitions.clear();
  protocol.privilegedSchemes = [];
  protocolHandlers.clear();
}
