/**
 * The IPC layer's public surface. Electron wiring (in `src-main/index.ts`):
 *
 *   const core = openCore({ dataDir, appVersion: app.getVersion() });
 *   const ipc = createIpcRuntime(core, {
 *     runtime: 'electron', appName: app.getName(),
 *     secretStorage: { backend, encrypted, warning },              // from safeStorage; system.getInfo reports it
 *     openExternal: (url) => shell.openExternal(url),
 *     allowedOrigins: [APP_ORIGIN, ...(devServerUrl ? [devServerUrl] : [])],
 *   });                                                          // publishes initial snapshots, follows core.events
 *   const unbind = bindElectronIpc(ipcMain, ipc.dispatcher, ipc.hub); // before the first window loads
 *   ipc.hub.publish('ui.navigate', { view: 'deploy' });           // main sends the UI to a view (tray menu)
 *   ... on quit: unbind(); ipc.close(); core.close();
 *
 * The `npm run web` bridge (`src-main/web-bridge/`) calls the same `createIpcRuntime`.
 */
export { createHandlers } from './handlers';
export { createDispatcher } from './dispatcher';
export type { Dispatcher, DispatcherOptions } from './dispatcher';
export { bindElectronIpc } from './electron-binding';
export type { IpcMainLike, WebContentsLike } from './electron-binding';
export { EventHub } from './event-hub';
export type { EventSink } from './event-hub';
export { createIpcRuntime } from './ipc-runtime';
export type { IpcRuntime, IpcRuntimeOptions } from './ipc-runtime';
export { createOriginPolicy, senderInfoFromElectronEvent } from './sender-policy';
export type { SenderInfo, SenderPolicy } from './sender-policy';
export type { CoreForIpc, Handler, HandlerContext, HandlerDeps, Handlers } from './handler-types';
