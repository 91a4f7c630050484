/**
 * Where a renderer's link to main stands. Electron's IPC is always `open`; the `npm run web` bridge goes through
 * the other states. Zod-free: the renderer bundle imports it.
 *   - `connecting`: the first connection is being made;
 *   - `open`: connected; data on screen is live;
 *   - `refused`: the bridge answered but refused this tab's token (authentication failed); retrying cannot help;
 *   - `unreachable`: nothing answers (the bridge is not running); retrying in the background;
 *   - `lost`: it was connected and the connection dropped; reconnecting in the background.
 */
export type BridgeConnectionState = 'connecting' | 'open' | 'refused' | 'unreachable' | 'lost';

export interface BridgeConnectionStatus {
  state: BridgeConnectionState;
  /** What happened, for the operator; null while `open` or `connecting`. */
  message: string | null;
  /** How many times the connection has been (re)established; a rise means "reload what you show". */
  opens: number;
}
