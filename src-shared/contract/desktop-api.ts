import type { ChannelInput, ChannelOutput } from './channels';
import type { EventPayload } from './events';
import { CHANNEL_NAMES, EVENT_NAMES, eventMethodName } from './names';
import type { ChannelName, EventMethodName, EventName } from './names';
import type { Result } from './result';

// Runtime imports here are zod-free on purpose: this file is bundled into the sandboxed preload and into
// the renderer (for the `npm run web` bridge), neither of which may load zod.

export type Unsubscribe = () => void;

/** How a DesktopApi reaches main: Electron IPC in the preload, a WebSocket in the web bridge. */
export interface DesktopTransport {
  invoke(channel: ChannelName, input: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): Unsubscribe;
}

type Namespace = ChannelName extends `${infer NS}.${string}` ? NS : never;
type ChannelsIn<NS extends string> = Extract<ChannelName, `${NS}.${string}`>;
type MethodOf<C extends ChannelName> = C extends `${string}.${infer M}` ? M : never;

/** Channels whose whole input is optional take no argument: `proximity.system.getInfo()`. */
// `{} extends T` is the type-level test "every property of T is optional"; `{}` is meant here.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type ChannelMethod<C extends ChannelName> = {} extends ChannelInput<C>
  ? (input?: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>
  : (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;

type RequestMethods = {
  readonly [NS in Namespace]: {
    readonly [C in ChannelsIn<NS> as MethodOf<C>]: ChannelMethod<C>;
  };
};

type EventMethods = {
  readonly [E in EventName as EventMethodName<E>]: (listener: (payload: EventPayload<E>) => void) => Unsubscribe;
};

/**
 * `window.proximity`: one method per contract channel (`proximity.settings.setPortRanges(...)`) and one
 * `on<Event>` per event (`proximity.onAppsChanged(fn)` returns an unsubscribe function). No generic invoke.
 */
export type DesktopApi = RequestMethods & EventMethods;

/**
 * Builds the DesktopApi from the contract's names. The preload and the web-bridge client both use this, so
 * the two can never expose different methods.
 */
export function createDesktopApi(transport: DesktopTransport): DesktopApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAMES) {
    const [ns, method] = channel.split('.') as [string, string];
    const group = (api[ns] ??= {}) as Record<string, unknown>;
    group[method] = (input?: unknown) => transport.invoke(channel, input ?? {});
  }
  for (const event of EVENT_NAMES) {
    api[eventMethodName(event)] = (listener: (payload: unknown) => void): Unsubscribe => {
      if (typeof listener !== 'function') throw new TypeError(`${eventMethodName(event)} needs a function`);
      return transport.subscribe(event, listener);
    };
  }
  return api as DesktopApi;
}
