// The contract's public surface for main, tests and the renderer's types. The preload must NOT import this
// barrel (it pulls in zod); it imports `names`, `desktop-api` and types only.
export * from './errors';
export * from './names';
export * from './origins';
export * from './result';
export * from './schemas';
export * from './connection-schemas';
export * from './appliance-schemas';
export * from './app-schemas';
export * from './channels';
export * from './events';
export * from './desktop-api';
