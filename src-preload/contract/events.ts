import { z } from 'zod';
import type { EventName } from './names';
import { appSummarySchema, storeStatusSchema } from './schemas';

/**
 * Events main pushes to the renderer. Each carries a full snapshot (not a diff), so a renderer that
 * subscribes late, or misses one, is correct after the next event; main replays the latest on subscribe.
 */
export const events = {
  'apps.changed': { payload: z.array(appSummarySchema) },
  'store.statusChanged': { payload: storeStatusSchema },
} satisfies Record<EventName, { payload: z.ZodType }>;

export type Events = typeof events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;
