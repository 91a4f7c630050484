/**
 * The IPC layer's public surface. Electron wiring (in `src-main/index.ts`), in this order:
 *
 *   const core = openCore({ dataDir, appVersion: app.getVersion() });
 *   const hub = new EventHub();
 *   const handlers = createHandlers({
 *     core, runtime: 'electron', appName: app.getName(),
 *     secretStorage: { backend, encrypted, warning },              // from safeStorage; app.getInfo reports it
 *     openExternal: (url) => shell.openExternal(url),
 *     onStateChanged: (what) => publishCoreSnapshots(hub, core, what),
 *   });
 *   const dispatcher = createDispatcher(handlers, {
 *     policy: createOriginPolicy(['app://proximity', ...(devServerUrl ? [devServerUrl] : [])]),
 *   });
 *   const unbind = bindElectronIpc(ipcMain, dispatcher, hub);   // before the first window loads
 *   publishCoreSnapshots(hub, core);                             // initial snapshots, replayed on subscribe
 *   hub.publish('ui.navigate', { view: 'deploy' });               // main sends the UI to a view (tray menu)
 *   ... on quit: unbind(); core.close();
 *
 * The `npm run web` bridge (`src-main/web-bridge/`) builds the same handlers and dispatcher.
 */
export { createHandlers } from './handlers';
export { createDispatcher } from './dispatcher';
export type { Dispatcher, DispatcherOptions } from './dispatcher';
export { bindElectronIpc } from './electron-binding';
export type { IpcMainLike, WebContentsLike } from './electron-binding';
export { EventHub } from './event-hub';
export type { EventSink } from './event-hub';
export { publishCoreSnapshots } from './core-snapshots';
export { createOriginPolicy, originOf, senderInfoFromElectronEvent } from './sender-policy';
export type { SenderInfo, SenderPolicy } from './sender-policy';
export type { CoreForIpc, Handler, HandlerDeps, Handlers } from './handler-types';
