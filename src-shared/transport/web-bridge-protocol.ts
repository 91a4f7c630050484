import type { Result } from '../contract/result';

/**
 * Wire format of the `npm run web` development bridge (a WebSocket from a browser tab to the Node process
 * that runs the real core). Zod-free types shared by the server (`src-main/web-bridge/`, which validates
 * every incoming message) and the browser client (`src-renderer/bridge/`). Electron never uses it.
 */
export const BRIDGE_PATH = '/bridge';
export const BRIDGE_TOKEN_PARAM = 'token';

export type BridgeClientMessage =
  | { t: 'invoke'; id: number; channel: string; input: unknown }
  | { t: 'subscribe'; event: string };

export type BridgeServerMessage =
  | { t: 'result'; id: number; result: Result<unknown> }
  | { t: 'event'; event: string; payload: unknown };
