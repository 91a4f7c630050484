import { z } from 'zod';
import type { ChannelName } from './names';
import {
  appInfoSchema,
  appSummarySchema,
  auditEntrySchema,
  externalUrlSchema,
  portAssignmentSchema,
  portRangesSchema,
  storeStatusSchema,
} from './schemas';

/** One request channel: what the renderer may send and what main promises to answer. */
export interface ChannelSpec {
  input: z.ZodType;
  output: z.ZodType;
}

const noInput = z.object({}).strict();

/**
 * Every request channel, declared once. Objects are strict: an unknown key is a VALIDATION error, never
 * silently dropped. `satisfies Record<ChannelName, ...>` keeps this map and `CHANNEL_NAMES` identical.
 */
export const channels = {
  'app.getInfo': { input: noInput, output: appInfoSchema },
  'store.getStatus': { input: noInput, output: storeStatusSchema },
  'apps.list': { input: noInput, output: z.array(appSummarySchema) },
  'ports.list': { input: noInput, output: z.array(portAssignmentSchema) },
  'settings.getPortRanges': { input: noInput, output: portRangesSchema },
  'settings.setPortRanges': { input: portRangesSchema, output: portRangesSchema },
  'audit.list': {
    input: z
      .object({
        limit: z.number().int().min(1).max(500).default(100),
        // Page backwards: entries with an id strictly below this one.
        beforeId: z.number().int().positive().optional(),
      })
      .strict(),
    output: z.array(auditEntrySchema),
  },
  'shell.openExternal': {
    input: z.object({ url: externalUrlSchema }).strict(),
    output: z.object({ opened: z.literal(true) }).strict(),
  },
} satisfies Record<ChannelName, ChannelSpec>;

export type Channels = typeof channels;
/** What the renderer passes (defaults not yet applied). */
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
/** What a handler receives after parsing (defaults applied). */
export type ParsedChannelInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>;
