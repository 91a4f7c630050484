import { z } from 'zod';
import type { BridgeClientMessage } from '../../src-shared/transport/web-bridge-protocol';

/**
 * Every message from the browser is parsed here before anything acts on it. Channel and event names are
 * plain strings at this level on purpose: the dispatcher answers an unknown channel with UNKNOWN_CHANNEL,
 * exactly as over Electron IPC.
 */
const clientMessageSchema = z.discriminatedUnion('t', [
  z
    .object({
      t: z.literal('invoke'),
      id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
      channel: z.string().max(200),
      input: z.unknown(),
    })
    .strict(),
  z.object({ t: z.literal('subscribe'), event: z.string().max(200) }).strict(),
]);

export function parseClientMessage(raw: string): BridgeClientMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = clientMessageSchema.safeParse(json);
  return parsed.success ? (parsed.data as BridgeClientMessage) : null;
}
